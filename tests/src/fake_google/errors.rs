//! Google's error answers: the Calendar API's envelope
//! `{"error":{"errors":[{"domain","reason","message"}],"code","message"}}` (with `status` on
//! authentication errors), the OAuth endpoints' `{"error","error_description"}`, and the
//! authorization page's error screens.

use crate::fake_http::Response;
use serde_json::json;

/// The Calendar API's error envelope with one error in the `global` domain.
pub(crate) fn api(status: u16, reason: &str, message: &str) -> Response {
    in_domain(status, "global", reason, message)
}

/// The Calendar API's error envelope with one error in `domain`.
pub(crate) fn in_domain(status: u16, domain: &str, reason: &str, message: &str) -> Response {
    Response::json(
        status,
        &json!({
            "error": {
                "errors": [{ "domain": domain, "reason": reason, "message": message }],
                "code": status,
                "message": message,
            }
        }),
    )
}

/// 401 for a missing, unknown, expired or revoked access token.
pub(crate) fn unauthenticated() -> Response {
    let message = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or \
                   other valid authentication credential. See \
                   https://developers.google.com/identity/sign-in/web/devconsole-project.";
    Response::json(
        401,
        &json!({
            "error": {
                "code": 401,
                "message": message,
                "errors": [{
                    "message": "Invalid Credentials",
                    "domain": "global",
                    "reason": "authError",
                    "location": "Authorization",
                    "locationType": "header",
                }],
                "status": "UNAUTHENTICATED",
            }
        }),
    )
    .with_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")
}

/// 403 for a token without a scope the method needs.
pub(crate) fn insufficient_scope() -> Response {
    Response::json(
        403,
        &json!({
            "error": {
                "code": 403,
                "message": "Request had insufficient authentication scopes.",
                "errors": [{
                    "message": "Insufficient Permission",
                    "domain": "global",
                    "reason": "insufficientPermissions",
                }],
                "status": "PERMISSION_DENIED",
            }
        }),
    )
    .with_header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"")
}

/// 404 `notFound`.
pub(crate) fn not_found() -> Response {
    api(404, "notFound", "Not Found")
}

/// 403 `rateLimitExceeded` in the `usageLimits` domain.
pub(crate) fn rate_limited() -> Response {
    in_domain(403, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
}

/// 429 `rateLimitExceeded` with `Retry-After: 1`.
pub(crate) fn too_many_requests() -> Response {
    in_domain(429, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded").with_header("Retry-After", "1")
}

/// An injected bare status: `backendError` for 5xx, a fitting reason otherwise.
pub(crate) fn status(status: u16) -> Response {
    let (reason, message) = match status {
        400 => ("badRequest", "Bad Request"),
        401 => return unauthenticated(),
        403 => ("forbidden", "Forbidden"),
        404 => ("notFound", "Not Found"),
        409 => ("conflict", "Conflict"),
        410 => ("deleted", "Resource has been deleted"),
        412 => ("conditionNotMet", "Precondition Failed"),
        503 => ("backendError", "The service is currently unavailable."),
        500..=599 => ("backendError", "Backend Error"),
        _ => ("unknown", "Error"),
    };
    api(status, reason, message)
}

/// An OAuth endpoint's error, `{"error","error_description"}`.
pub(crate) fn oauth(status: u16, error: &str, description: &str) -> Response {
    Response::json(status, &json!({ "error": error, "error_description": description }))
        .with_header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
}

/// The authorization page's error screen ("Access blocked: Authorization Error").
pub(crate) fn page(status: u16, error: &str, detail: &str) -> Response {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Response::html(
        status,
        &format!(
            "<!doctype html><title>Error {status} ({error})</title><h1>Access blocked: Authorization Error</h1>\
             <p>{}</p><p>Error {status}: {}</p>",
            escape(detail),
            escape(error)
        ),
    )
}
