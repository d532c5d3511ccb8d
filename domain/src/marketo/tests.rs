//! Tests of the Marketo wire mapping, against answers recorded in the shapes the fake Marketo
//! (`tests/src/fake_marketo/`) sends, and properties of the budget, windows and CSV reader.

use super::*;
use serde_json::{Value, json};

mod activities;
mod budget;
mod bulk;
mod csv_ingest;
mod envelope;
mod leads;

/// The `result` of a recorded successful envelope.
fn result_of(body: &str) -> Vec<Value> {
    parse_envelope(200, body).unwrap_or_else(|e| panic!("recorded envelope refused: {e}")).result
}

/// Milliseconds since the epoch of an RFC 3339 instant.
fn ms(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("bad instant {text}: {e}")).timestamp_millis()
}

/// The describe fixture's fields.
fn fields() -> Vec<FieldInfo> {
    parse_describe(&result_of(include_str!("fixtures/describe.json")))
}

/// A JSON object from `json!`.
fn object(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}
