//! A fake Marketo REST API for testing the edge's Marketo adapter: real HTTP on loopback,
//! behaving as Marketo documents it (identity and bearer tokens, the `{requestId, success,
//! result, errors}` envelope sent with HTTP 200 even on failure, rate, concurrency and daily
//! limits, leads, custom activities, bulk lead extract), with hooks for tests: seeding leads,
//! a controllable clock, an artificial delay, fault injection and a log of every call.
//!
//! For load and sync tests it can hold millions of synthetic leads
//! ([`FakeMarketoConfig::synthetic_leads`]) computed from their id and never stored; export
//! files are generated row by row as they are sent (with `Range` resume), and can carry
//! malformed rows on purpose ([`FakeMarketoConfig::corrupt_rows`],
//! [`FakeMarketo::export_expectation`]). The `fake-marketo` binary runs one on its own.
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
//! `/bulk/v1/leads/export/{exportId}/{enqueue,status,file,cancel}.json`; when enabled, the
//! control endpoints under `/__fake/` ([`FakeMarketoConfig::control_endpoints`]).

mod activities;
mod auth;
mod bulk;
mod call_log;
mod clock;
mod config;
mod control;
mod cookie;
mod envelope;
mod export_file;
mod http;
mod ids;
mod leads;
mod limits;
mod router;
mod server;
mod state;
mod synthetic;

pub use activities::RecordedActivity;
pub use call_log::CallRecord;
pub use config::{ExportProgress, FakeMarketoConfig, Fault};
pub use export_file::ExportExpectation;
pub use server::FakeMarketo;
pub use synthetic::SYNTHETIC_FIELDS;
