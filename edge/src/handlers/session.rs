//! `/api/admin/v1/session`: sign in (POST), sign out (DELETE), who am I (GET).

use crate::auth;
use crate::clock;
use crate::crypto::verify_password;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store;
use confab_domain::api::SignIn;
use confab_domain::auth::sha256_hex;
use worker::{D1Database, Headers, Request, Response};

/// A well-formed hash no password matches in practice; verifying against it when the account
/// does not exist keeps the response time independent of whether the email is registered.
const DUMMY_HASH: &str = "pbkdf2-sha256$100000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000";

/// Signs an admin in: 204 with the session cookie, or 401.
pub async fn create_session(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let body: SignIn = http::json_body(req).await?;
    let email = body.email.trim().to_ascii_lowercase();
    let stored = store::admin_password_hash(db, &email).await?;
    let ok = verify_password(stored.as_deref().unwrap_or(DUMMY_HASH), &body.password).await? && stored.is_some();
    if !ok {
        return Err(ApiError::BadCredentials);
    }
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

/// The signed-in admin, or 401.
pub async fn get_session(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let email = auth::require_admin(req, db).await?;
    http::json(200, &serde_json::json!({ "email": email }))
}
