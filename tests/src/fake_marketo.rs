//! A fake Marketo REST API for testing the edge's Marketo adapter: real HTTP on loopback,
//! behaving as Marketo documents it (identity and bearer tokens, the `{requestId, success,
//! result, errors}` envelope sent with HTTP 200 even on failure, rate, concurrency and daily
//! limits, leads, custom activities, bulk lead extract), with hooks for tests: seeding leads,
//! a controllable clock, an artificial delay, fault injection and a log of every call.
//!
//! ```no_run
//! use confab_e2e::fake_marketo::{FakeMarketo, FakeMarketoConfig, Fault};
//! # fn main() -> anyhow::Result<()> {
//! let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
//! marketo.insert_lead(serde_json::json!({ "email": "ada@example.test", "firstName": "Ada" }))?;
//! marketo.inject(Fault::Marketo(608), 1); // the next API call is "temporarily unavailable"
//! // … point the adapter at marketo.url() with marketo.client_id() / client_secret() …
//! assert!(marketo.max_calls_in(std::time::Duration::from_secs(20)) <= 100);
//! # Ok(())
//! # }
//! ```
//!
//! Endpoints: `/identity/oauth/token`; `/rest/v1/leads.json` (GET by filter type, POST sync),
//! `/rest/v1/lead/{id}.json`, `/rest/v1/leads/{id}/associate.json`,
//! `/rest/v1/leads/describe.json`, `/rest/v1/activities/external.json`;
//! `/bulk/v1/leads/export/create.json`, `/bulk/v1/leads/export.json`, and
//! `/bulk/v1/leads/export/{exportId}/{enqueue,status,file,cancel}.json`.

mod activities;
mod auth;
mod bulk;
mod call_log;
mod clock;
mod config;
mod cookie;
mod envelope;
mod http;
mod ids;
mod leads;
mod limits;
mod router;
mod server;
mod state;

pub use activities::RecordedActivity;
pub use call_log::CallRecord;
pub use config::{ExportProgress, FakeMarketoConfig, Fault};
pub use server::FakeMarketo;
