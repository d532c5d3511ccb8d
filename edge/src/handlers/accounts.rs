//! Accounts: the first admin on a new deployment (a one-time setup token from the Worker secret
//! `SETUP_TOKEN`), invitations for admins and agents (a link with a one-time token, valid for
//! 7 days), accepting one, the list of accounts, removing an agent, and changing one's own
//! password.

use crate::auth::{self, Principal};
use crate::clock;
use crate::crypto;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, accounts as stored};
use confab_domain::auth::{password_problem, sha256_hex};
use confab_domain::availability::ScheduleSpec;
use confab_domain::email::Email;
use serde::Deserialize;
use worker::{D1Database, Env, Headers, Request, Response};

/// How long an invitation may wait.
const INVITE_TTL_MS: i64 = 7 * 24 * 3_600_000;

fn new_password(password: &str, email: &str) -> ApiResult<()> {
    match password_problem(password, email) {
        Some(problem) => Err(ApiError::bad_request("weak_password", problem)),
        None => Ok(()),
    }
}

/// A 204 that signs `email` in (a new session cookie).
async fn signed_in(req: &Request, db: &D1Database, email: &str, status: u16) -> ApiResult<Response> {
    let (token, digest) = auth::new_token()?;
    let now = clock::now();
    store::insert_session(db, &digest, email, now, auth::expiry(now)).await?;
    let headers = Headers::new();
    headers.set("Set-Cookie", &auth::cookie_header(Some(&token), http::is_local(req)?))?;
    headers.set("Content-Type", "application/json")?;
    Ok(Response::ok(serde_json::json!({ "email": email }).to_string())?.with_status(status).with_headers(headers))
}

/// `GET /api/admin/v1/setup`: whether this deployment still needs its first admin.
pub async fn setup_status(db: &D1Database) -> ApiResult<Response> {
    http::json(200, &serde_json::json!({ "needed": stored::admin_count(db).await? == 0 }))
}

#[derive(Deserialize)]
struct SetupBody {
    token: String,
    email: String,
    password: String,
}

/// `POST /api/admin/v1/setup` `{token, email, password}`: creates the first admin when none
/// exists and `token` equals the Worker secret `SETUP_TOKEN`, and signs them in.
pub async fn setup(req: &mut Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let body: SetupBody = http::json_body(req).await?;
    let expected =
        env.secret("SETUP_TOKEN").map(|s| s.to_string()).or_else(|_| env.var("SETUP_TOKEN").map(|v| v.to_string()));
    let Ok(expected) = expected else {
        return Err(ApiError::Conflict {
            code: "setup_disabled",
            message: "Set the Worker secret SETUP_TOKEN to create the first admin.".into(),
        });
    };
    // Compared as digests, so the comparison takes the same time whatever the guess.
    if expected.trim().is_empty() || sha256_hex(body.token.as_bytes()) != sha256_hex(expected.trim().as_bytes()) {
        return Err(ApiError::bad_request("invalid_setup_token", "That setup token is not this deployment's."));
    }
    let email = Email::parse(&body.email).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let email = email.as_str().to_ascii_lowercase();
    new_password(&body.password, &email)?;
    let hash = crypto::hash_password(&body.password).await?;
    if !stored::create_first_admin(db, &email, &hash, &clock::now().to_rfc3339()).await? {
        return Err(ApiError::Conflict {
            code: "setup_done",
            message: "This deployment already has an admin. Sign in instead.".into(),
        });
    }
    signed_in(req, db, &email, 201).await
}

#[derive(Deserialize)]
struct PasswordBody {
    current: String,
    new: String,
}

/// `PUT /api/admin/v1/session/password` `{current, new}`: changes the signed-in account's
/// password and ends its other sessions.
pub async fn change_password(req: &mut Request, db: &D1Database, who: &Principal) -> ApiResult<Response> {
    let body: PasswordBody = http::json_body(req).await?;
    let stored_hash = store::admin_password_hash(db, &who.email).await?.ok_or(ApiError::Unauthorized)?;
    if !crypto::verify_password(&stored_hash, &body.current).await? {
        return Err(ApiError::bad_request("wrong_password", "Your current password is not right."));
    }
    new_password(&body.new, &who.email)?;
    let hash = crypto::hash_password(&body.new).await?;
    let token = http::cookie(req, auth::COOKIE)?.unwrap_or_default();
    stored::set_password(db, &who.email, &hash, &sha256_hex(token.as_bytes())).await?;
    http::json(200, &serde_json::json!({ "changed": true }))
}

/// `GET /api/admin/v1/accounts`: every account and the pending invitations.
pub async fn list(db: &D1Database) -> ApiResult<Response> {
    http::json(
        200,
        &serde_json::json!({
            "accounts": stored::accounts(db).await?,
            "invites": stored::pending_invites(db).await?,
        }),
    )
}

#[derive(Deserialize)]
struct InviteBody {
    email: String,
    role: String,
    /// For an agent: their display name (a new agent record is made) …
    name: Option<String>,
    /// … or an existing agent record to sign in as.
    agent_id: Option<String>,
}

/// `POST /api/admin/v1/invites` `{email, role: "admin"|"agent", name?, agent_id?}`: an
/// invitation link (shown once). An agent invitation names an existing agent or makes a new,
/// inactive one that joins routing when the invitation is accepted.
pub async fn invite(req: &mut Request, db: &D1Database, by: &str) -> ApiResult<Response> {
    let body: InviteBody = http::json_body(req).await?;
    let email = Email::parse(&body.email).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let email = email.as_str().to_ascii_lowercase();
    if !matches!(body.role.as_str(), "admin" | "agent") {
        return Err(ApiError::bad_request("invalid_role", "`role` must be admin or agent."));
    }
    let site = confab_domain::demo::SITE;
    let agent_id = match (body.role.as_str(), body.agent_id.as_deref(), body.name.as_deref().map(str::trim)) {
        ("admin", _, _) => None,
        (_, Some(agent), _) => {
            if !store::agents_all(db, site).await?.iter().any(|a| a == agent) {
                return Err(ApiError::bad_request("unknown_agent", "No such agent."));
            }
            Some(agent.to_owned())
        }
        (_, None, Some(name)) if !name.is_empty() && name.chars().count() <= 100 => {
            let id = clock::random_id("agent-")?;
            let default = serde_json::to_string(&ScheduleSpec::weekdays("UTC", "09:00", "17:00"))?;
            stored::create_agent(db, site, &id, name, &email, &default).await?;
            Some(id)
        }
        _ => {
            return Err(ApiError::bad_request(
                "invalid_invite",
                "An agent invitation needs the agent's name (1 to 100 characters) or an existing agent.",
            ));
        }
    };
    let (token, digest) = auth::new_token()?;
    let now = clock::now();
    let invite = stored::Invite {
        id: clock::random_id("inv_")?,
        email,
        role: body.role,
        agent_id,
        invited_by: by.to_owned(),
        expires_at_ms: (now.timestamp_millis() + INVITE_TTL_MS) as f64,
        created_at: now.to_rfc3339(),
    };
    stored::insert_invite(db, &invite, &digest).await?;
    let origin = req.url()?.origin().ascii_serialization();
    http::json(
        201,
        &serde_json::json!({
            "invite": invite,
            "invite_url": format!("{origin}/admin/#invite={token}"),
        }),
    )
}

/// `DELETE /api/admin/v1/invites/{id}`: withdraws an invitation not yet accepted.
pub async fn revoke(db: &D1Database, id: &str) -> ApiResult<Response> {
    if !stored::revoke_invite(db, id).await? {
        return Err(ApiError::NotFound("No such pending invitation."));
    }
    http::json(200, &serde_json::json!({ "revoked": true }))
}

#[derive(Deserialize)]
struct AcceptBody {
    token: String,
    password: String,
}

/// `POST /api/admin/v1/invites/accept` `{token, password}`: the invited person chooses a
/// password; the account is created and signed in.
pub async fn accept(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let body: AcceptBody = http::json_body(req).await?;
    let now = clock::now();
    let invalid =
        || ApiError::bad_request("invalid_invite", "This invitation link is not valid any more. Ask for a new one.");
    let invite = stored::invite_by_token(db, &sha256_hex(body.token.as_bytes()), now.timestamp_millis())
        .await?
        .ok_or_else(invalid)?;
    new_password(&body.password, &invite.email)?;
    let hash = crypto::hash_password(&body.password).await?;
    if !stored::accept_invite(db, &invite, &hash, &now.to_rfc3339()).await? {
        return Err(invalid());
    }
    signed_in(req, db, &invite.email, 201).await
}

/// `DELETE /api/admin/v1/agents/{id}`: takes the agent out of routing and ends their sign-in;
/// their meetings stay.
pub async fn remove_agent(db: &D1Database, agent: &str) -> ApiResult<Response> {
    if !stored::remove_agent(db, agent).await? {
        return Err(ApiError::NotFound("No such agent."));
    }
    http::json(200, &serde_json::json!({ "removed": true }))
}
