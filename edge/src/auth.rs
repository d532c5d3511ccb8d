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

/// Who is signed in.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Principal {
    /// Their email.
    pub email: String,
    /// `admin` (everything) or `agent` (their own calendar, availability and meetings).
    pub role: String,
    /// For an agent, their agent record.
    pub agent_id: Option<String>,
}

impl Principal {
    /// Whether this account is an admin.
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }

    /// The agent whose data this account is limited to: `None` for admins (no limit).
    /// An agent account without an agent record is limited to nothing.
    pub fn only_agent(&self) -> Option<&str> {
        if self.is_admin() { None } else { Some(self.agent_id.as_deref().unwrap_or("")) }
    }

    /// `Ok` when this account may act for `agent` (admins for anyone, agents for themselves).
    pub fn may_act_for(&self, agent: &str) -> ApiResult<()> {
        match self.only_agent() {
            Some(own) if own != agent => Err(ApiError::Forbidden),
            _ => Ok(()),
        }
    }
}

/// Whoever holds a valid session, or `Unauthorized`.
pub async fn require_session(req: &Request, db: &D1Database) -> ApiResult<Principal> {
    let token = http::cookie(req, COOKIE)?.ok_or(ApiError::Unauthorized)?;
    store::session_principal(db, &sha256_hex(token.as_bytes()), clock::now()).await?.ok_or(ApiError::Unauthorized)
}

/// The signed-in admin's email: `Unauthorized` without a session, `Forbidden` for an agent.
pub async fn require_admin(req: &Request, db: &D1Database) -> ApiResult<String> {
    let principal = require_session(req, db).await?;
    if !principal.is_admin() {
        return Err(ApiError::Forbidden);
    }
    Ok(principal.email)
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
