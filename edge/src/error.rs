//! The edge's one error type, rendered as `{"error":{"code","message"}}` with a fitting status.
//! Internal details are logged once (without personal data) and never returned.

use confab_domain::api::{ErrorBody, ErrorDetail};

/// Everything a handler can fail with, named for what the caller can do about it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed; the message says how (400).
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Sentence for people.
        message: String,
    },
    /// No valid session (401).
    #[error("Please sign in.")]
    Unauthorized,
    /// Wrong email or password (401).
    #[error("Wrong email or password.")]
    BadCredentials,
    /// The page's origin may not use this site's widget (403).
    #[error("This site's chat is not enabled on this page's domain.")]
    OriginNotAllowed,
    /// A cross-site request to the admin API (403).
    #[error("Cross-site request refused.")]
    CrossSite,
    /// Signed in, but this account's role may not do this (403).
    #[error("Your account cannot do this. Ask an admin.")]
    Forbidden,
    /// Too many failed sign-ins; try again after this many minutes (429).
    #[error("Too many failed sign-ins. Try again in {0} minutes, or ask an admin to reset your password.")]
    TooManyAttempts(i64),
    /// Too many requests from this visitor or address; retry after a minute (429).
    #[error("Too many requests. Please wait a minute and try again.")]
    RateLimited,
    /// No such resource (404).
    #[error("{0}")]
    NotFound(&'static str),
    /// The method is not supported on this path (405).
    #[error("Method not allowed.")]
    MethodNotAllowed,
    /// The chosen time was taken meanwhile (409).
    #[error("That time was just taken. Please pick another one.")]
    SlotTaken,
    /// The resource's state does not allow the request (409); the message says why.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Sentence for people.
        message: String,
    },
    /// The body is larger than allowed (413).
    #[error("The request is too large.")]
    TooLarge,
    /// An outside service (Marketo) cannot answer now; the message says what to expect (503).
    #[error("{0}")]
    Unavailable(String),
    /// Something failed inside; details are in the log only (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal(String),
}

impl ApiError {
    /// A 400 with `code` and `message`.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest { code, message: message.into() }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthorized | ApiError::BadCredentials => 401,
            ApiError::OriginNotAllowed | ApiError::CrossSite | ApiError::Forbidden => 403,
            ApiError::TooManyAttempts(_) | ApiError::RateLimited => 429,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::SlotTaken | ApiError::Conflict { .. } => 409,
            ApiError::TooLarge => 413,
            ApiError::Unavailable(_) => 503,
            ApiError::Internal(_) => 500,
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::OriginNotAllowed => "origin_not_allowed",
            ApiError::CrossSite => "cross_site",
            ApiError::Forbidden => "forbidden",
            ApiError::TooManyAttempts(_) => "too_many_attempts",
            ApiError::RateLimited => "rate_limited",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::SlotTaken => "slot_taken",
            ApiError::Conflict { code, .. } => code,
            ApiError::TooLarge => "too_large",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The envelope sent to the client.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail { code: self.code().to_owned(), message: self.to_string(), fields: Default::default() },
        }
    }
}

impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(e: serde_json::Error) -> Self {
        ApiError::Internal(format!("json: {e}"))
    }
}

/// The result of every handler.
pub type ApiResult<T> = Result<T, ApiError>;
