//! A fake Google for testing the edge's Google Calendar connection: real HTTP on loopback,
//! behaving as Google documents its OAuth 2.0 endpoints and the Calendar API v3, with hooks for
//! tests: a controllable clock, revocation, fault injection, busy time, the events written and a
//! log of every call.
//!
//! ```no_run
//! use confab_e2e::fake_google::{FakeGoogle, Fault};
//! # fn main() -> anyhow::Result<()> {
//! let google = FakeGoogle::start()?;
//! let start = chrono::Utc::now() + chrono::TimeDelta::hours(2);
//! google.add_busy("agent1@example.test", start, start + chrono::TimeDelta::hours(1));
//! google.fail_next(1, Fault::TooManyRequests); // the next Calendar API call answers 429
//! // … point the edge at google.worker_vars(), connect agent1 through google.auth_url() …
//! assert!(google.events("agent1@example.test").iter().all(|e| e.has_meet_link));
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints: `GET /o/oauth2/v2/auth` (consent is automatic: 302 back to the `redirect_uri`
//! with `code` and `state`), `POST /token`, `POST /revoke`, `GET /oauth2/v3/userinfo`;
//! under `/calendar/v3`: `POST /freeBusy`, `GET /calendars/{id}`,
//! `POST|GET /calendars/{id}/events`, `GET|PATCH|PUT|DELETE /calendars/{id}/events/{eventId}`.
//!
//! Not modelled: recurring events are stored but never expanded (`singleEvents` is accepted),
//! sync tokens, watch channels, ACLs and other users' calendars (free/busy aside), ETag
//! preconditions, and ID token signatures (the `id_token` is a JWT whose signature is fake).

mod calendar;
mod errors;
mod events;
mod oauth;
mod router;
mod server;

pub use crate::fake_oauth::{Call, FakeEvent, Fault};
pub use server::{DEFAULT_ACCOUNT, FakeGoogle};
