//! The call log: every request the fake received, with what it answered, so tests can assert
//! how a client behaved ("never more than N calls per 20 s", "retried once after 602").

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// One request and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    /// When it arrived, on the fake's clock.
    pub at: DateTime<Utc>,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string exactly as sent (still percent-encoded), without the `?`.
    pub query: String,
    /// The query parameters, decoded.
    pub params: Vec<(String, String)>,
    /// The bearer token of the `Authorization` header, if any.
    pub bearer: Option<String>,
    /// The request body, as text.
    pub body: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The response-level Marketo error code answered (`"601"`, `"606"`, …), if any.
    pub error_code: Option<String>,
}

impl CallRecord {
    /// The first decoded value of the query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Whether this was a call to the identity (token) endpoint rather than to the REST or
    /// bulk APIs, which are the calls Marketo's limits count.
    pub fn is_identity(&self) -> bool {
        self.path.starts_with("/identity/")
    }
}

/// The largest number of API calls (identity calls excluded) that arrived within any sliding
/// `window` of the fake's clock.
pub(crate) fn max_in_window(calls: &[CallRecord], window: Duration) -> usize {
    let window = TimeDelta::from_std(window).unwrap_or(TimeDelta::MAX);
    let mut times: Vec<DateTime<Utc>> = calls.iter().filter(|c| !c.is_identity()).map(|c| c.at).collect();
    times.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end].signed_duration_since(times[start]) >= window {
            start += 1;
        }
        best = best.max(end + 1 - start);
    }
    best
}
