//! `/api/admin/v1/session`: sign in (POST), sign out (DELETE), who am I (GET).

use crate::auth;
use crate::clock;
use crate::crypto::verify_password;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, accounts as stored};
use confab_domain::api::SignIn;
use confab_domain::auth::{Throttle, sha256_hex};
use worker::{D1Database, Headers, Request, Response};

/// A well-formed hash no password matches in practice; verifying against it when the account
/// does not exist keeps the response time independent of whether the email is registered.
const DUMMY_HASH: &str = "pbkdf2-sha256$100000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000";

/// The client's address as Cloudflare reports it (`CF-Connecting-IP`), for throttling.
fn client_address(req: &Request) -> ApiResult<String> {
    Ok(req.headers().get("CF-Connecting-IP")?.unwrap_or_else(|| "unknown".to_owned()))
}

/// Signs an admin or agent in: 204 with the session cookie, 401, or 429 after too many
/// failures for the account (5 per 15 minutes) or the address (20 per 15 minutes). A refused
/// attempt is refused before the password is even checked, so guessing stops paying.
pub async fn create_session(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let body: SignIn = http::json_body(req).await?;
    let email = body.email.trim().to_ascii_lowercase();
    let account_key = format!("account:{email}");
    let address_key = format!("ip:{}", client_address(req)?);
    let now_ms = clock::now().timestamp_millis();
    for (key, throttle) in [(&account_key, Throttle::ACCOUNT), (&address_key, Throttle::ADDRESS)] {
        if let Some((failures, since)) = stored::attempts(db, key).await?
            && let Some(wait) = throttle.wait_ms(failures, since, now_ms)
        {
            return Err(ApiError::TooManyAttempts((wait + 59_999) / 60_000));
        }
    }
    let stored_hash = store::admin_password_hash(db, &email).await?;
    let ok =
        verify_password(stored_hash.as_deref().unwrap_or(DUMMY_HASH), &body.password).await? && stored_hash.is_some();
    if !ok {
        stored::record_failure(db, &[&account_key, &address_key], now_ms, Throttle::ACCOUNT.window_ms).await?;
        return Err(ApiError::BadCredentials);
    }
    stored::clear_attempts(db, &account_key).await?;
    let (token, digest) = auth::new_token()?;
    let now = clock::now();
    store::insert_session(db, &digest, &email, now, auth::expiry(now)).await?;
    let headers = Headers::new();
    headers.set("Set-Cookie", &auth::cookie_header(Some(&token), http::is_local(req)?))?;
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}

/// Signs out: the session is deleted and the cookie cleared.
pub async fn delete_session(req: &Request, db: &D1Database) -> ApiResult<Response> {
    if let Some(token) = http::cookie(req, auth::COOKIE)? {
        store::delete_session(db, &sha256_hex(token.as_bytes())).await?;
    }
    let headers = Headers::new();
    headers.set("Set-Cookie", &auth::cookie_header(None, http::is_local(req)?))?;
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}

/// Who is signed in (email, role, and for an agent their agent record), or 401.
pub async fn get_session(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let who = auth::require_session(req, db).await?;
    http::json(200, &serde_json::json!({ "email": who.email, "role": who.role, "agent_id": who.agent_id }))
}
