//! Calendar providers as data: the wire mapping of Google Calendar (API v3), Microsoft Graph
//! (v1.0) and CalDAV (RFC 4791), the OAuth 2.0 flow the first two share, reading busy time out
//! of iCalendar text, and a connection's health.
//!
//! The edge does the I/O (one `fetch` per call) and asks this module everything else: which URL
//! and body to send ([`oauth::authorize_url`], [`google::freebusy_body`],
//! [`microsoft::event_body`], [`caldav::calendar_query_body`], …), how to read the answer
//! (`parse_*`, each returning a [`CalendarError`] grouped by what the caller can do about it),
//! and whether a connection still works ([`Health`]). Nothing here reads a clock, draws random
//! numbers or knows a base URL's host: times, ids and the collection URL are arguments.
//!
//! Decided here: how each provider's errors map to [`CalendarError`], which provider states
//! count as busy, how recurring iCalendar events are expanded, when cached busy time is stale
//! ([`busy_is_stale`]) and when a connection turns unhealthy. Left to the caller: storing
//! tokens (a refresh answer may omit the refresh token: keep the old one), retrying (once after
//! [`CalendarError::TokenExpired`] with a fresh token; after a backoff for
//! [`CalendarError::Throttled`] and [`CalendarError::Transient`]), timeouts, and telling an
//! admin.

mod error;
mod event;
mod provider;
mod wire;

pub mod caldav;
pub mod google;
pub mod health;
pub mod ical;
pub mod microsoft;
pub mod oauth;

#[cfg(test)]
mod tests;

pub use error::{CalendarError, parse_retry_after};
pub use event::{BUSY_TTL_MS, CreatedEvent, EventSpec, busy_is_stale};
pub use health::{Health, Unhealthy};
pub use provider::Provider;
