//! Admin sessions: an opaque random token in an HttpOnly, SameSite=Strict cookie, stored in
//! D1 only as its SHA-256 digest. State-changing admin requests must come from the admin's
//! own origin (CSRF defence in addition to SameSite).

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store;
use chrono::{DateTime, Duration, Utc};
use confab_domain::auth::{hex, sha256_hex};
use worker::{D1Database, Method, Request};

/// The session cookie's name.
pub const COOKIE: &str = "confab_session";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// The signed-in admin's email, or `Unauthorized`.
pub async fn require_admin(req: &Request, db: &D1Database) -> ApiResult<String> {
    let token = http::cookie(req, COOKIE)?.ok_or(ApiError::Unauthorized)?;
    store::session_admin(db, &sha256_hex(token.as_bytes()), clock::now()).await?.ok_or(ApiError::Unauthorized)
}

/// Refuses state-changing requests whose `Origin` is not the admin's own.
pub fn check_same_origin(req: &Request) -> ApiResult<()> {
    if matches!(req.method(), Method::Get | Method::Head | Method::Options) {
        return Ok(());
    }
    let url = req.url()?;
    let own = url.origin().ascii_serialization();
    match http::origin(req)? {
        Some(origin) if origin != own => Err(ApiError::CrossSite),
        _ => Ok(()),
    }
}

/// A new session token (returned to the client once) and its digest (stored).
pub fn new_token() -> ApiResult<(String, String)> {
    let token = hex(&clock::random_bytes(32)?);
    let digest = sha256_hex(token.as_bytes());
    Ok((token, digest))
}

/// The `Set-Cookie` value for `token`, or one that clears the cookie when `token` is `None`.
/// `Secure` is left out only on loopback hosts, where development runs over plain HTTP.
pub fn cookie_header(token: Option<&str>, local: bool) -> String {
    let secure = if local { "" } else { "; Secure" };
    let (value, max_age) = match token {
        Some(t) => (t, Duration::hours(SESSION_HOURS).num_seconds()),
        None => ("", 0),
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// When a session created at `now` expires.
pub fn expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::hours(SESSION_HOURS)
}
