//! Marketo's REST API as data: the wire mapping and the decisions of the edge's Marketo client.
//!
//! The edge does the I/O (a `fetch` per call) and asks this module everything else: how to read
//! an answer ([`parse_envelope`], [`parse_token`], [`record_outcomes`]), what to do about a
//! failure ([`Failure::action`]), whether a call may start now without overrunning the share of
//! the customer's API limits Confab is allowed ([`Budget`], [`backoff_ms`],
//! [`quota_resets_at_ms`]), how to write request bodies ([`create_or_update_body`],
//! [`external_activities_body`], [`export_create_body`]) and how to read a bulk-extract file
//! as it streams in ([`CsvIngest`]). Nothing here reads a clock or draws random numbers: the
//! current time (milliseconds since the Unix epoch) and jitter are arguments.
//!
//! Marketo answers HTTP 200 even when a call fails; the envelope's `errors[].code` says why, and
//! [`Failure`] groups those codes by what the caller can do about them.

mod activities;
mod budget;
mod bulk;
mod csv_ingest;
mod envelope;
mod leads;
mod time;
mod value;

#[cfg(test)]
mod tests;

pub use activities::{ACTIVITY_BATCH, ActivityKind, OutboxActivity, external_activities_body};
pub use budget::{Budget, BudgetConfig, backoff_ms, quota_resets_at_ms};
pub use bulk::{EXPORT_WINDOW_MS, ExportStatus, export_create_body, export_windows, parse_export_status};
pub use csv_ingest::{CsvIngest, MAX_RECORD_BYTES, MAX_RECORD_FIELDS, SkippedRow};
pub use envelope::{
    Action, Envelope, Failure, RecordOutcome, TOKEN_MARGIN_MS, Token, parse_envelope, parse_token, record_outcomes,
};
pub use leads::{
    FieldInfo, LEAD_BATCH, LeadRecord, cookie_query, create_or_update_body, is_munchkin_cookie, lead_from_rest,
    parse_describe,
};
