//! Microsoft's error answers: the identity platform's
//! `{"error","error_description":"AADSTS…","error_codes":[…],"timestamp","trace_id",
//! "correlation_id","error_uri"}`, its sign-in error pages, and Graph's
//! `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.

use crate::fake_http::Response;
use crate::fake_oauth::uuid;
use chrono::Utc;
use serde_json::json;

/// An identity-platform error: `error` with `AADSTS<code>: <message>`.
pub(crate) fn aad(status: u16, error: &str, code: u32, message: &str) -> Response {
    let (trace, correlation) = (uuid(), uuid());
    let now = Utc::now();
    let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
    Response::json(
        status,
        &json!({
            "error": error,
            "error_description": format!(
                "AADSTS{code}: {message} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}"
            ),
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
    .with_header("Cache-Control", "no-store, no-cache")
}

/// The sign-in page's error screen ("Sorry, but we're having trouble signing you in.").
pub(crate) fn page(status: u16, code: u32, message: &str) -> Response {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Response::html(
        status,
        &format!(
            "<!doctype html><title>Sign in to your account</title>\
             <p>Sorry, but we're having trouble signing you in.</p><p>AADSTS{code}: {}</p>",
            escape(message)
        ),
    )
}

/// A Graph error.
pub(crate) fn graph(status: u16, code: &str, message: &str) -> Response {
    let request_id = uuid();
    Response::json(
        status,
        &json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "request-id": request_id,
                    "client-request-id": request_id,
                },
            }
        }),
    )
    .with_header("request-id", &request_id)
}

/// 401 `InvalidAuthenticationToken`.
pub(crate) fn unauthenticated(message: &str) -> Response {
    graph(401, "InvalidAuthenticationToken", message).with_header(
        "WWW-Authenticate",
        "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", \
         client_id=\"00000003-0000-0000-c000-000000000000\"",
    )
}

/// 404 `ErrorItemNotFound`.
pub(crate) fn not_found() -> Response {
    graph(404, "ErrorItemNotFound", "The specified object was not found in the store.")
}

/// 403 `ErrorAccessDenied`, for a token without a permission the call needs.
pub(crate) fn access_denied() -> Response {
    graph(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
}

/// 400 for a body that is not a JSON object.
pub(crate) fn unreadable() -> Response {
    graph(
        400,
        "BadRequest",
        "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
    )
}

/// 429 `TooManyRequests` with `Retry-After: 1`.
pub(crate) fn too_many_requests() -> Response {
    let request_id = uuid();
    Response::json(
        429,
        &json!({
            "error": {
                "code": "TooManyRequests",
                "message": "Please retry again later.",
                "innerError": {
                    "code": "429",
                    "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "message": "Please retry after",
                    "request-id": request_id,
                    "status": "429",
                },
            }
        }),
    )
    .with_header("Retry-After", "1")
    .with_header("request-id", &request_id)
}

/// 429 `ApplicationThrottled` (a mailbox's concurrency limit) with `Retry-After: 1`.
pub(crate) fn throttled() -> Response {
    graph(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.")
        .with_header("Retry-After", "1")
}

/// An injected bare status with Graph's code for it; 503 carries `Retry-After: 1`.
pub(crate) fn status(status: u16) -> Response {
    match status {
        400 => graph(400, "BadRequest", "Bad request."),
        401 => unauthenticated("Access token validation failure."),
        403 => access_denied(),
        404 => not_found(),
        409 => graph(
            409,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
        ),
        429 => too_many_requests(),
        500 => graph(500, "generalException", "General exception while processing."),
        503 => graph(503, "serviceNotAvailable", "Service Unavailable").with_header("Retry-After", "1"),
        504 => graph(504, "UnknownError", "Gateway Timeout"),
        other => graph(other, "UnknownError", ""),
    }
}
