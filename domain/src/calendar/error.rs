//! Why a calendar call failed, grouped by what the caller can do about it, and the
//! `Retry-After` header that comes with throttling.

/// Why a call to a calendar provider failed, grouped by what the caller can do about it.
///
/// The [`Display`](std::fmt::Display) text is one sentence an admin can read. It may quote one
/// line of the provider's own message (never a response body, never a token: long token-like
/// words are replaced by `[redacted]`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The grant is gone (OAuth `invalid_grant`, consent revoked, scopes missing, CalDAV
    /// credentials refused): nothing works until an admin reconnects the calendar.
    #[error("the calendar connection no longer works and must be reconnected: {0}")]
    Revoked(String),
    /// The access token was refused (HTTP 401 from an API): refresh it once and retry.
    #[error("the calendar provider refused the access token; it is refreshed and the call retried")]
    TokenExpired,
    /// Too many calls (429, 503 with `Retry-After`, Google's rate-limit 403s): retry later, no
    /// sooner than `retry_after_ms` when the provider said.
    #[error("the calendar provider is limiting how often Confab may call it{}", retry_text(*.retry_after_ms))]
    Throttled {
        /// How long the provider asked to wait, in milliseconds, when it said.
        retry_after_ms: Option<u64>,
    },
    /// The provider could not answer now (5xx, a timeout, an answer that could not be read):
    /// retry after a backoff.
    #[error("the calendar provider is unavailable: {0}")]
    Transient(String),
    /// The provider refused this request (any other 4xx): retrying it as is cannot help.
    #[error("the calendar provider rejected the request: {0}")]
    Rejected(String),
    /// The event does not exist (any more). Deleting a missing event is reported as success by
    /// the `parse_delete` functions, so this comes from reads and updates.
    #[error("the calendar event no longer exists")]
    NotFound,
}

fn retry_text(retry_after_ms: Option<u64>) -> String {
    match retry_after_ms {
        Some(ms) => format!(" (it asked Confab to wait {} s)", ms.div_ceil(1000)),
        None => String::new(),
    }
}

impl CalendarError {
    /// Whether retrying the same call later may succeed: [`CalendarError::TokenExpired`] (after
    /// a refresh), [`CalendarError::Throttled`] and [`CalendarError::Transient`].
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::TokenExpired | Self::Throttled { .. } | Self::Transient(_))
    }

    /// A short stable code for logs and metrics: `revoked`, `token_expired`, `throttled`,
    /// `transient`, `rejected`, `not_found`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Revoked(_) => "revoked",
            Self::TokenExpired => "token_expired",
            Self::Throttled { .. } => "throttled",
            Self::Transient(_) => "transient",
            Self::Rejected(_) => "rejected",
            Self::NotFound => "not_found",
        }
    }
}

/// Longest wait accepted from a `Retry-After` header, in seconds (a day); longer values are
/// capped to it.
const MAX_RETRY_AFTER_S: u64 = 86_400;

/// Reads a `Retry-After` header given in delta-seconds (`"120"`), in milliseconds, capped at a
/// day. An HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`) would need a clock to read and gives
/// `None`, as does anything that is not a whole number of seconds.
pub fn parse_retry_after(value: &str) -> Option<u64> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Digits only, so the one way to fail is overflow: cap it like any long wait.
    let seconds = value.parse::<u64>().unwrap_or(MAX_RETRY_AFTER_S);
    Some(seconds.min(MAX_RETRY_AFTER_S) * 1000)
}
