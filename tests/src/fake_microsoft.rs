//! A fake Microsoft for testing the edge's Outlook calendar connection: real HTTP on loopback,
//! behaving as Microsoft documents the identity platform's v2.0 endpoints and Graph v1.0's
//! calendar calls, with the same hooks as [`crate::fake_google`]: a controllable clock,
//! revocation, fault injection, busy time, the events written and a log of every call.
//!
//! ```no_run
//! use confab_e2e::fake_microsoft::{FakeMicrosoft, Fault, Show};
//! # fn main() -> anyhow::Result<()> {
//! let microsoft = FakeMicrosoft::start()?;
//! let start = chrono::Utc::now() + chrono::TimeDelta::hours(2);
//! microsoft.add_busy_as("agent1@example.test", start, start + chrono::TimeDelta::hours(1), Show::OutOfOffice);
//! microsoft.fail_next(1, Fault::Status(503)); // the next Graph call answers 503 serviceNotAvailable
//! // … point the edge at microsoft.worker_vars(), connect agent1 through microsoft.auth_url("common") …
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints: `GET /{tenant}/oauth2/v2.0/authorize` (consent is automatic: 302 back to the
//! `redirect_uri` with `code`, `state` and `session_state`), `POST /{tenant}/oauth2/v2.0/token`;
//! under `/v1.0`: `GET /me`, `POST /me/calendar/getSchedule`, `GET|POST /me/events`,
//! `GET|PATCH|DELETE /me/events/{id}`, `POST /me/events/{id}/cancel`, `GET /me/calendarView`.
//!
//! `transactionId`: creating an event with a `transactionId` one of the account's events (not
//! deleted) already has answers `201` with that event instead of creating another.
//!
//! Not modelled: recurrence expansion, `$filter`, `$select`, `$orderby`, delta queries,
//! subscriptions, other users' calendars, attendees' responses, `form_post` responses, and
//! real signatures on ID tokens.

mod errors;
mod events;
mod graph;
mod identity;
mod router;
mod schedule;
mod server;

pub use crate::fake_oauth::{Call, FakeEvent, Fault, Show};
pub use server::{DEFAULT_ACCOUNT, FakeMicrosoft, TENANT};
