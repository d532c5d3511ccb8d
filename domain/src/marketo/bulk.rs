//! Bulk lead extract: the date windows a backfill is cut into, the body that creates an export
//! job, and the job's status.

use super::envelope::Failure;
use super::time::{MAX_MS, MIN_MS, ceil_second, floor_second, rfc3339_secs};
use serde_json::{Value, json};

/// The longest date window one export job may cover: 31 days, in milliseconds.
pub const EXPORT_WINDOW_MS: i64 = 31 * 86_400_000;

/// Consecutive half-open windows `[start, end)` of at most [`EXPORT_WINDOW_MS`] that cover
/// `[from_ms, to_ms)` exactly, oldest first; empty when `from_ms >= to_ms`. Instants are first
/// clamped to years 0000–9999, which also bounds the number of windows.
pub fn export_windows(from_ms: i64, to_ms: i64) -> Vec<(i64, i64)> {
    let (from, to) = (from_ms.clamp(MIN_MS, MAX_MS), to_ms.clamp(MIN_MS, MAX_MS));
    let mut windows = Vec::new();
    let mut start = from;
    while start < to {
        let end = start.saturating_add(EXPORT_WINDOW_MS).min(to);
        windows.push((start, end));
        start = end;
    }
    windows
}

/// The body of `POST /bulk/v1/leads/export/create.json`: a CSV export of `fields` (plus `id`,
/// `email` and `updatedAt`, each once, first) for leads updated in `window`.
///
/// Marketo's filter takes whole seconds and includes both ends, so `startAt` is the window's
/// start rounded down and `endAt` its end rounded up, but never more than 31 days after
/// `startAt`. Consecutive windows from [`export_windows`] therefore overlap by at most a
/// second and leave no gap; a lead on a boundary may come twice, which an upsert by id absorbs.
pub fn export_create_body(fields: &[String], window: (i64, i64)) -> Value {
    let mut names: Vec<&str> = vec!["id", "email", "updatedAt"];
    for field in fields {
        if !names.contains(&field.as_str()) {
            names.push(field);
        }
    }
    let start = floor_second(window.0.clamp(MIN_MS, MAX_MS));
    let end = ceil_second(window.1.clamp(MIN_MS, MAX_MS)).min(start.saturating_add(EXPORT_WINDOW_MS));
    json!({
        "fields": names,
        "format": "CSV",
        "filter": { "updatedAt": { "startAt": rfc3339_secs(start), "endAt": rfc3339_secs(end) } },
    })
}

/// Where an export job stands (`status` of its create, enqueue or status answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportStatus {
    /// Created, not yet enqueued.
    Created,
    /// Waiting for one of the two processing slots.
    Queued,
    /// Being written.
    Processing,
    /// The file is ready: `numberOfRecords` rows and `fileSize` bytes.
    Completed {
        /// Rows in the file, header excluded.
        records: u64,
        /// Size of the file in bytes.
        file_size: u64,
    },
    /// Marketo gave up; its message, when it gave one.
    Failed(String),
    /// Cancelled.
    Cancelled,
}

/// The export id and status of the first item of an export answer's `result`. An empty result,
/// a missing id or an unknown status is [`Failure::Rejected`] with code `malformed`.
pub fn parse_export_status(result: &[Value]) -> Result<(String, ExportStatus), Failure> {
    let malformed = |message: &str| Failure::Rejected { code: "malformed".to_owned(), message: message.to_owned() };
    let item = result.first().ok_or_else(|| malformed("an export answer without a result"))?;
    let id = item
        .get("exportId")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| malformed("an export answer without an exportId"))?;
    let count = |key: &str| match item.get(key) {
        Some(Value::Number(n)) => n.as_u64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    };
    let status = match item.get("status").and_then(Value::as_str).unwrap_or_default() {
        "Created" => ExportStatus::Created,
        "Queued" => ExportStatus::Queued,
        "Processing" => ExportStatus::Processing,
        "Completed" => ExportStatus::Completed { records: count("numberOfRecords"), file_size: count("fileSize") },
        "Failed" => {
            ExportStatus::Failed(item.get("errorMsg").and_then(Value::as_str).unwrap_or_default().trim().to_owned())
        }
        "Cancelled" => ExportStatus::Cancelled,
        _ => return Err(malformed("an export answer with an unknown status")),
    };
    Ok((id.to_owned(), status))
}
