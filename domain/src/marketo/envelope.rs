//! Reading Marketo's answers: the REST envelope, the identity endpoint's token, record-level
//! results, and the [`Failure`] every failed call becomes, grouped by what the caller can do.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A successful REST envelope (`success: true`): `{requestId, success, result[], warnings[],
/// nextPageToken?, moreResult?}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// Marketo's id of the request (for support tickets); empty when the answer had none.
    pub request_id: String,
    /// The `result` array; empty when the endpoint answers without one.
    pub result: Vec<Value>,
    /// The token for the next page, when there is one.
    pub next_page_token: Option<String>,
    /// Whether more results are waiting (`moreResult`), false when absent.
    pub more_result: bool,
    /// Warnings, each as one line of text.
    pub warnings: Vec<String>,
}

/// Why a Marketo call failed, grouped by what the caller can do about it ([`Failure::action`]).
///
/// The [`Display`](std::fmt::Display) text is [`Failure::describe`]: one line, safe to show an
/// admin (never a token or secret, never a response body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// 601 (or HTTP 401/403 on an API call): the access token was refused.
    #[error("Marketo refused the access token (601)")]
    TokenInvalid,
    /// 602: the access token expired.
    #[error("Marketo's access token expired (602)")]
    TokenExpired,
    /// 606 (or HTTP 429): more than 100 calls in 20 s across every integration of the instance.
    #[error("Marketo's rate limit was reached (606: over 100 calls in 20 seconds)")]
    RateLimited,
    /// 615: more than 10 calls in flight across every integration of the instance.
    #[error("Marketo's concurrency limit was reached (615: over 10 calls at once)")]
    TooManyConcurrent,
    /// 607: the instance's daily API quota is used up until [`quota_resets_at_ms`](super::quota_resets_at_ms).
    #[error("Marketo's daily API quota is used up (607); it resets at midnight US Central time")]
    DailyQuota,
    /// 608, 611 (also 502, 604, 713), HTTP 5xx or 408, a timeout, a body that is not a JSON
    /// envelope: Marketo could not answer now. The text says which.
    #[error("Marketo is unavailable: {0}")]
    Unavailable(String),
    /// The identity endpoint refused the client id or secret (HTTP 401, `invalid_client`, …).
    #[error("Marketo refused Confab's API credentials: {0}")]
    BadCredentials(String),
    /// Any other error code, or an HTTP 4xx: the request itself is wrong and retrying cannot help.
    #[error("Marketo rejected the request ({code}): {message}")]
    Rejected {
        /// Marketo's code (`"1003"`, `"610"`), or `http_<status>`, or `malformed` when an answer
        /// could not be read.
        code: String,
        /// Marketo's message, on one line.
        message: String,
    },
}

/// What the caller does about a [`Failure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Get a new token and retry the call once.
    RefreshTokenThenRetry,
    /// Retry after [`backoff_ms`](super::backoff_ms).
    RetryAfterBackoff,
    /// Stop non-urgent work until [`quota_resets_at_ms`](super::quota_resets_at_ms).
    PauseUntilQuotaReset,
    /// Give up on this call; tell an admin when it is about configuration.
    Fail,
}

/// Longest message kept from Marketo, in characters.
const MESSAGE_CHARS: usize = 300;

impl Failure {
    /// What the caller does about this failure.
    pub fn action(&self) -> Action {
        match self {
            Failure::TokenInvalid | Failure::TokenExpired => Action::RefreshTokenThenRetry,
            Failure::RateLimited | Failure::TooManyConcurrent | Failure::Unavailable(_) => Action::RetryAfterBackoff,
            Failure::DailyQuota => Action::PauseUntilQuotaReset,
            Failure::BadCredentials(_) | Failure::Rejected { .. } => Action::Fail,
        }
    }

    /// A short stable code for logs and metrics: Marketo's code where the failure has one
    /// (`"601"`, `"602"`, `"606"`, `"615"`, `"607"`, the rejected code), otherwise
    /// `"unavailable"` or `"bad_credentials"`.
    pub fn code(&self) -> String {
        match self {
            Failure::TokenInvalid => "601".to_owned(),
            Failure::TokenExpired => "602".to_owned(),
            Failure::RateLimited => "606".to_owned(),
            Failure::TooManyConcurrent => "615".to_owned(),
            Failure::DailyQuota => "607".to_owned(),
            Failure::Unavailable(_) => "unavailable".to_owned(),
            Failure::BadCredentials(_) => "bad_credentials".to_owned(),
            Failure::Rejected { code, .. } => code.clone(),
        }
    }

    /// One line safe to show an admin: what happened, with Marketo's code.
    pub fn describe(&self) -> String {
        self.to_string()
    }

    /// The failure a response-level error code stands for.
    fn from_code(code: &str, message: &str) -> Failure {
        match code {
            "601" => Failure::TokenInvalid,
            "602" => Failure::TokenExpired,
            "606" => Failure::RateLimited,
            "607" => Failure::DailyQuota,
            "615" => Failure::TooManyConcurrent,
            // Marketo documents these as transient: "the request should be retried".
            "502" | "604" | "608" | "611" | "713" => Failure::Unavailable(format!("{code} {}", one_line(message))),
            _ => Failure::Rejected { code: code.to_owned(), message: one_line(message) },
        }
    }

    /// The failure an HTTP status outside 2xx stands for, on an API call.
    fn from_http(status: u16) -> Failure {
        match status {
            401 | 403 => Failure::TokenInvalid,
            429 => Failure::RateLimited,
            408 | 500..=599 => Failure::Unavailable(format!("HTTP {status}")),
            _ => Failure::Rejected { code: format!("http_{status}"), message: format!("HTTP status {status}") },
        }
    }
}

/// `text` on one line (control characters become spaces) and at most [`MESSAGE_CHARS`] long.
fn one_line(text: &str) -> String {
    let mut out: String =
        text.trim().chars().take(MESSAGE_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.trim().chars().nth(MESSAGE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A JSON value as text: strings as they are, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An error code, as a string or (leniently) a number.
fn code_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The failure a failed envelope's `errors` stand for: an expired or invalid token wins (a
/// fresh token may fix the rest), otherwise the first error decides.
fn failure_of(errors: Option<&Value>) -> Failure {
    let errors: Vec<Failure> = errors
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| {
            let code = code_of(e.get("code")).unwrap_or_else(|| "unknown".to_owned());
            let message = e.get("message").map(text_of).unwrap_or_default();
            Failure::from_code(&code, &message)
        })
        .collect();
    let token = errors.iter().find(|f| matches!(f, Failure::TokenInvalid | Failure::TokenExpired));
    match token.or(errors.first()) {
        Some(failure) => failure.clone(),
        None => Failure::Rejected {
            code: "unknown".to_owned(),
            message: "Marketo reported a failure without an error code".to_owned(),
        },
    }
}

/// Reads the answer to a REST call: the envelope when `success` is true, otherwise the
/// [`Failure`] it stands for.
///
/// HTTP 429 is [`Failure::RateLimited`]; 5xx and 408 are [`Failure::Unavailable`]; 401 and
/// 403 are [`Failure::TokenInvalid`] (a fresh token is worth one try); other non-2xx statuses
/// are [`Failure::Rejected`] with code `http_<status>`. A 2xx body that is not a JSON object
/// with a boolean `success` is [`Failure::Unavailable`] (a proxy's error page, a cut-off
/// answer). With `success: false`, an invalid or expired token (601, 602) wins over other
/// errors; otherwise the first error decides. Codes may be strings (as Marketo sends them) or
/// numbers.
pub fn parse_envelope(http_status: u16, body: &str) -> Result<Envelope, Failure> {
    if !(200..300).contains(&http_status) {
        return Err(Failure::from_http(http_status));
    }
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(body) else {
        return Err(Failure::Unavailable(format!("HTTP {http_status} with a body that is not JSON")));
    };
    match body.get("success") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Err(failure_of(body.get("errors"))),
        _ => return Err(Failure::Unavailable("an answer without a success flag".to_owned())),
    }
    let result = match body.get("result") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let warnings = match body.get("warnings") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|w| match (code_of(w.get("code")), w.get("message")) {
                (Some(code), Some(message)) => format!("{code}: {}", one_line(&text_of(message))),
                _ => one_line(&text_of(w)),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Envelope {
        request_id: body.get("requestId").map(text_of).unwrap_or_default(),
        result,
        next_page_token: body.get("nextPageToken").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_owned),
        more_result: body.get("moreResult").and_then(Value::as_bool).unwrap_or(false),
        warnings,
    })
}

/// How long before its expiry a token stops being used, in milliseconds: a call started with
/// it must still be accepted when it reaches Marketo.
pub const TOKEN_MARGIN_MS: i64 = 60_000;

/// A bearer token from the identity endpoint, with the instant it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The value for `Authorization: Bearer …`. A secret: never log it.
    pub access_token: String,
    /// When Marketo stops accepting it, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

impl Token {
    /// Whether the token may be used for a call starting at `now_ms`: false from
    /// [`TOKEN_MARGIN_MS`] before its expiry on.
    pub fn usable(&self, now_ms: i64) -> bool {
        now_ms < self.expires_at_ms.saturating_sub(TOKEN_MARGIN_MS)
    }
}

/// OAuth error codes that mean the client id, secret or grant is wrong.
const CREDENTIAL_ERRORS: [&str; 5] =
    ["invalid_client", "unauthorized", "unauthorized_client", "invalid_request", "unsupported_grant_type"];

/// Reads the identity endpoint's answer (`GET /identity/oauth/token?grant_type=client_credentials&…`)
/// received at `now_ms`.
///
/// A token needs a non-empty `access_token` and a numeric `expires_in` (seconds). HTTP 401 or
/// 403, or an OAuth error (`invalid_client`, `unauthorized`, …) is
/// [`Failure::BadCredentials`] with the endpoint's description; 429 is rate limiting; 5xx, a
/// body that is not JSON or a token without its fields is [`Failure::Unavailable`]; a failed
/// REST envelope (which Marketo's gateway may send here too) is read as on any call.
pub fn parse_token(http_status: u16, body: &str, now_ms: i64) -> Result<Token, Failure> {
    let json = serde_json::from_str::<Value>(body).ok();
    let oauth_error = json.as_ref().and_then(|j| j.get("error")).and_then(Value::as_str);
    if let Some(error) = oauth_error {
        let description = json.as_ref().and_then(|j| j.get("error_description")).and_then(Value::as_str);
        let text = one_line(description.filter(|d| !d.trim().is_empty()).unwrap_or(error));
        if matches!(http_status, 401 | 403) || CREDENTIAL_ERRORS.contains(&error) {
            return Err(Failure::BadCredentials(text));
        }
    }
    match http_status {
        200..=299 => {}
        401 | 403 => return Err(Failure::BadCredentials(format!("HTTP {http_status}"))),
        _ => return Err(Failure::from_http(http_status)),
    }
    let Some(Value::Object(json)) = json else {
        return Err(Failure::Unavailable(format!("HTTP {http_status} from the identity endpoint, body not JSON")));
    };
    if json.get("success") == Some(&Value::Bool(false)) {
        return Err(failure_of(json.get("errors")));
    }
    let access_token = json.get("access_token").and_then(Value::as_str).filter(|t| !t.is_empty());
    let expires_in = json.get("expires_in").and_then(|e| e.as_i64().or_else(|| e.as_f64().map(|f| f as i64)));
    match (access_token, expires_in) {
        (Some(access_token), Some(expires_in)) => Ok(Token {
            access_token: access_token.to_owned(),
            expires_at_ms: now_ms.saturating_add(expires_in.max(0).saturating_mul(1000)),
        }),
        _ => Err(Failure::Unavailable("a token answer without access_token or expires_in".to_owned())),
    }
}

/// What Marketo did with one record of a batch (a lead of a sync, an activity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// A lead was created, with this id.
    Created(i64),
    /// The lead with this id was updated (or found unchanged).
    Updated(i64),
    /// An activity was added, with this id.
    Added(i64),
    /// The record was not written: Marketo's first reason (`1004` lead not found, `1012`
    /// invalid cookie, …), or `malformed` when the result item could not be read.
    Skipped {
        /// Marketo's reason code, or `malformed`.
        code: String,
        /// Marketo's message, on one line.
        message: String,
    },
}

/// The outcome of each record of a batch, in input order: Marketo answers one `result` item per
/// input record, `{id?, marketoGUID?, status, reasons?}`.
pub fn record_outcomes(result: &[Value]) -> Vec<RecordOutcome> {
    result.iter().map(record_outcome).collect()
}

fn record_outcome(item: &Value) -> RecordOutcome {
    let malformed =
        |message: &str| RecordOutcome::Skipped { code: "malformed".to_owned(), message: message.to_owned() };
    let id = |key: &str| match item.get(key) {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    let status = item.get("status").and_then(Value::as_str).unwrap_or_default();
    let with_id = |make: fn(i64) -> RecordOutcome| match id("id").or_else(|| id("marketoGUID")) {
        Some(id) => make(id),
        None => malformed("a result item without an integer id"),
    };
    match status {
        "created" => with_id(RecordOutcome::Created),
        "updated" => with_id(RecordOutcome::Updated),
        "added" => with_id(RecordOutcome::Added),
        "skipped" => {
            let reason = item.get("reasons").and_then(Value::as_array).and_then(|r| r.first());
            match reason {
                Some(reason) => RecordOutcome::Skipped {
                    code: code_of(reason.get("code")).unwrap_or_else(|| "unknown".to_owned()),
                    message: one_line(&reason.get("message").map(text_of).unwrap_or_default()),
                },
                None => RecordOutcome::Skipped {
                    code: "unknown".to_owned(),
                    message: "skipped without a reason".to_owned(),
                },
            }
        }
        _ => malformed("a result item without a known status"),
    }
}
