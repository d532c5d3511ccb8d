//! Marketo's answers: the JSON envelope `{requestId, success, result[], errors[{code,
//! message}], nextPageToken?, moreResult?}` sent with HTTP 200 even on failure, the few
//! non-envelope replies (identity, export files, HTTP-level errors), and error codes.

use super::export_file::FileRange;
use serde_json::{Map, Value, json};

/// A response-level Marketo error (`errors[]` of a failed envelope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarketoError {
    pub code: String,
    pub message: String,
}

/// A response-level error with `code` and `message`.
pub(crate) fn error(code: u16, message: impl Into<String>) -> MarketoError {
    MarketoError { code: code.to_string(), message: message.into() }
}

/// A response-level error with the message Marketo documents for `code`.
pub(crate) fn documented(code: u16) -> MarketoError {
    let message = match code {
        502 => "Bad Gateway",
        601 => "Access token invalid",
        602 => "Access token expired",
        603 => "Access denied",
        604 => "Request time-out",
        605 => "HTTP Method not supported",
        606 => "Max rate limit exceeded",
        607 => "Daily quota reached",
        608 => "API Temporarily Unavailable",
        609 => "Invalid JSON",
        610 => "Requested resource not found",
        611 => "System error",
        612 => "Invalid Content Type",
        613 => "Invalid Multipart Request",
        614 => "Invalid Subscription",
        615 => "Concurrent access limit reached",
        713 => "Transient Error",
        _ => "Error",
    };
    error(code, message)
}

/// A record-level reason (`reasons[]` of a skipped record).
pub(crate) fn reason(code: u16, message: impl Into<String>) -> Value {
    json!({ "code": code.to_string(), "message": message.into() })
}

/// A skipped record with one reason.
pub(crate) fn skipped(code: u16, message: impl Into<String>) -> Value {
    json!({ "status": "skipped", "reasons": [reason(code, message)] })
}

/// What a handler produced, before the request id is added.
#[derive(Debug)]
pub(crate) enum Answer {
    /// `success: true`, with `result` when the endpoint has one, and extra members
    /// (`nextPageToken`, `moreResult`).
    Envelope { result: Option<Vec<Value>>, extra: Map<String, Value> },
    /// A reply outside the envelope (an export file, a plain-text 404).
    Raw(Reply),
}

impl Answer {
    /// `success: true` with `result`.
    pub fn result(result: Vec<Value>) -> Self {
        Answer::Envelope { result: Some(result), extra: Map::new() }
    }

    /// `success: true` without a `result` member.
    pub fn done() -> Self {
        Answer::Envelope { result: None, extra: Map::new() }
    }
}

/// What a handler returns.
pub(crate) type Handled = Result<Answer, MarketoError>;

/// An HTTP reply, with the Marketo error code it carries (for the call log). Its body is
/// `body`, or the `streamed` part of an export file, generated while it is written.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub streamed: Option<FileRange>,
    pub error_code: Option<String>,
}

const JSON: &str = "application/json;charset=UTF-8";

impl Reply {
    /// A JSON body with `status`.
    pub fn json(status: u16, body: &Value) -> Self {
        Reply {
            status,
            content_type: JSON,
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
            streamed: None,
            error_code: None,
        }
    }

    /// A plain-text body with `status`.
    pub fn text(status: u16, body: &str) -> Self {
        Reply {
            status,
            content_type: "text/plain;charset=UTF-8",
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            streamed: None,
            error_code: None,
        }
    }

    /// An empty body with `status`.
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            content_type: "text/plain",
            headers: Vec::new(),
            body: Vec::new(),
            streamed: None,
            error_code: None,
        }
    }

    /// A successful envelope.
    pub fn success(request_id: &str, result: Option<Vec<Value>>, extra: Map<String, Value>) -> Self {
        let mut body = Map::new();
        body.insert("requestId".to_owned(), Value::from(request_id));
        body.insert("success".to_owned(), Value::Bool(true));
        if let Some(result) = result {
            body.insert("result".to_owned(), Value::Array(result));
        }
        body.extend(extra);
        Reply::json(200, &Value::Object(body))
    }

    /// A failed envelope (HTTP 200, as Marketo answers).
    pub fn failure(request_id: &str, error: &MarketoError) -> Self {
        let body = json!({
            "requestId": request_id,
            "success": false,
            "errors": [{ "code": error.code, "message": error.message }],
        });
        Reply { error_code: Some(error.code.clone()), ..Reply::json(200, &body) }
    }

    /// The reply to a handled call.
    pub fn from_handled(request_id: &str, handled: Handled) -> Self {
        match handled {
            Ok(Answer::Envelope { result, extra }) => Reply::success(request_id, result, extra),
            Ok(Answer::Raw(reply)) => reply,
            Err(error) => Reply::failure(request_id, &error),
        }
    }

    /// Marketo documents that calls failing with a response-level 5xx–7xx code count against
    /// neither the rate limit nor the daily quota.
    pub fn is_uncounted_failure(&self) -> bool {
        self.error_code.as_deref().and_then(|c| c.parse::<u16>().ok()).is_some_and(|c| (500..800).contains(&c))
    }
}
