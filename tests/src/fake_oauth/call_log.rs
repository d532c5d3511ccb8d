//! The call log: every request a fake received, with what it answered, so tests can assert how
//! a client behaved ("refreshed once, then retried the API call").

use super::faults::Fault;
use chrono::{DateTime, Utc};

/// One request and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// When it arrived, on the fake's clock.
    pub at: DateTime<Utc>,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string as sent (still percent-encoded), without the `?`.
    pub query: String,
    /// The query parameters, decoded.
    pub params: Vec<(String, String)>,
    /// The bearer token of the `Authorization` header, if any.
    pub bearer: Option<String>,
    /// The request body, as text (token requests included: the fakes' secrets are not secret).
    pub body: String,
    /// The HTTP status answered; `None` when the fake hung up without answering
    /// ([`Fault::Timeout`]).
    pub status: Option<u16>,
    /// The injected fault this call met, if any.
    pub fault: Option<Fault>,
}

impl Call {
    /// The first decoded value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}
