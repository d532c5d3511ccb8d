//! Accounts (admins and agents who sign in), invitations and sign-in throttling.
//!
//! Invariants: an invitation's token is stored only as its SHA-256 and is accepted once
//! (`accepted_at` is set in the same batch that creates the account); removing an agent ends
//! their sessions and login in one batch and keeps their meetings.

use super::ms;
use crate::error::ApiResult;
use serde::{Deserialize, Serialize};
use worker::D1Database;

/// An account as admins see it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Account {
    /// Email (the sign-in name).
    pub email: String,
    /// `admin` or `agent`.
    pub role: String,
    /// The agent record of an agent account.
    pub agent_id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// When it was created.
    pub created_at: String,
}

/// Every account, admins first.
pub async fn accounts(db: &D1Database) -> ApiResult<Vec<Account>> {
    Ok(db
        .prepare("SELECT email, role, agent_id, name, created_at FROM admins ORDER BY role, email")
        .all()
        .await?
        .results()?)
}

/// How many admin accounts exist.
pub async fn admin_count(db: &D1Database) -> ApiResult<u32> {
    let n: Option<f64> = db.prepare("SELECT COUNT(*) AS n FROM admins WHERE role = 'admin'").first(Some("n")).await?;
    Ok(n.unwrap_or(0.0) as u32)
}

/// Creates the first admin (only when there is none).
pub async fn create_first_admin(db: &D1Database, email: &str, hash: &str, now: &str) -> ApiResult<bool> {
    let result = db
        .prepare(
            "INSERT INTO admins (email, password_hash, role, created_at)
             SELECT ?1, ?2, 'admin', ?3 WHERE NOT EXISTS (SELECT 1 FROM admins WHERE role = 'admin')",
        )
        .bind(&[email.into(), hash.into(), now.into()])?
        .run()
        .await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Replaces an account's password hash and ends its other sessions.
pub async fn set_password(db: &D1Database, email: &str, hash: &str, keep_session: &str) -> ApiResult<()> {
    let update =
        db.prepare("UPDATE admins SET password_hash = ?2 WHERE email = ?1").bind(&[email.into(), hash.into()])?;
    let others = db
        .prepare("DELETE FROM sessions WHERE admin_email = ?1 AND token_hash != ?2")
        .bind(&[email.into(), keep_session.into()])?;
    db.batch(vec![update, others]).await?;
    Ok(())
}

#[derive(Deserialize)]
struct AttemptRow {
    failures: f64,
    window_start_ms: f64,
}

/// Failures recorded for `key` and when their window started.
pub async fn attempts(db: &D1Database, key: &str) -> ApiResult<Option<(u32, i64)>> {
    let row: Option<AttemptRow> = db
        .prepare("SELECT failures, window_start_ms FROM sign_in_attempts WHERE key = ?1")
        .bind(&[key.into()])?
        .first(None)
        .await?;
    Ok(row.map(|r| (r.failures as u32, r.window_start_ms as i64)))
}

/// Records a failed sign-in for each key: one more failure in the current window, or the first
/// of a new window when the old one is over.
pub async fn record_failure(db: &D1Database, keys: &[&str], now_ms: i64, window_ms: i64) -> ApiResult<()> {
    let mut batch = Vec::new();
    for key in keys {
        batch.push(
            db.prepare(
                "INSERT INTO sign_in_attempts (key, failures, window_start_ms) VALUES (?1, 1, ?2)
                 ON CONFLICT(key) DO UPDATE SET
                   failures = CASE WHEN window_start_ms + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
                   window_start_ms = CASE WHEN window_start_ms + ?3 <= ?2 THEN ?2 ELSE window_start_ms END",
            )
            .bind(&[(*key).into(), ms(now_ms), ms(window_ms)])?,
        );
    }
    db.batch(batch).await?;
    Ok(())
}

/// Forgets an account's failures after a successful sign-in.
pub async fn clear_attempts(db: &D1Database, key: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM sign_in_attempts WHERE key = ?1").bind(&[key.into()])?.run().await?;
    Ok(())
}

/// An invitation.
#[derive(Debug, Serialize, Deserialize)]
pub struct Invite {
    /// Id (for revoking).
    pub id: String,
    /// Who is invited.
    pub email: String,
    /// `admin` or `agent`.
    pub role: String,
    /// The agent record an agent invitation is for.
    pub agent_id: Option<String>,
    /// Who invited.
    pub invited_by: String,
    /// When it expires, Unix ms.
    pub expires_at_ms: f64,
    /// When it was made.
    pub created_at: String,
}

/// Stores an invitation (its token only as a digest).
pub async fn insert_invite(db: &D1Database, invite: &Invite, token_hash: &str) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO invites (id, token_hash, email, role, agent_id, invited_by, expires_at_ms, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(&[
        invite.id.as_str().into(),
        token_hash.into(),
        invite.email.as_str().into(),
        invite.role.as_str().into(),
        invite.agent_id.as_deref().map_or(wasm_bindgen::JsValue::NULL, Into::into),
        invite.invited_by.as_str().into(),
        ms(invite.expires_at_ms as i64),
        invite.created_at.as_str().into(),
    ])?
    .run()
    .await?;
    Ok(())
}

/// Invitations not yet accepted.
pub async fn pending_invites(db: &D1Database) -> ApiResult<Vec<Invite>> {
    Ok(db
        .prepare(
            "SELECT id, email, role, agent_id, invited_by, expires_at_ms, created_at FROM invites
             WHERE accepted_at IS NULL ORDER BY created_at DESC",
        )
        .all()
        .await?
        .results()?)
}

/// The unexpired, unaccepted invitation with this token digest.
pub async fn invite_by_token(db: &D1Database, token_hash: &str, now_ms: i64) -> ApiResult<Option<Invite>> {
    Ok(db
        .prepare(
            "SELECT id, email, role, agent_id, invited_by, expires_at_ms, created_at FROM invites
             WHERE token_hash = ?1 AND accepted_at IS NULL AND expires_at_ms > ?2",
        )
        .bind(&[token_hash.into(), ms(now_ms)])?
        .first(None)
        .await?)
}

/// Deletes an invitation that was not accepted.
pub async fn revoke_invite(db: &D1Database, id: &str) -> ApiResult<bool> {
    let result =
        db.prepare("DELETE FROM invites WHERE id = ?1 AND accepted_at IS NULL").bind(&[id.into()])?.run().await?;
    Ok(result.meta()?.and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Accepts an invitation: the account is created (or its password replaced), the invitation
/// marked accepted and an invited agent activated, all at once. `false` when the invitation
/// was accepted meanwhile.
pub async fn accept_invite(db: &D1Database, invite: &Invite, hash: &str, now: &str) -> ApiResult<bool> {
    let mark = db
        .prepare("UPDATE invites SET accepted_at = ?2 WHERE id = ?1 AND accepted_at IS NULL")
        .bind(&[invite.id.as_str().into(), now.into()])?;
    let results = db.batch(vec![mark]).await?;
    let marked = results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0) > 0;
    if !marked {
        return Ok(false);
    }
    let agent = invite.agent_id.as_deref().map_or(wasm_bindgen::JsValue::NULL, Into::into);
    let account = db
        .prepare(
            "INSERT INTO admins (email, password_hash, role, agent_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
               agent_id = excluded.agent_id",
        )
        .bind(&[invite.email.as_str().into(), hash.into(), invite.role.as_str().into(), agent, now.into()])?;
    let mut batch = vec![account];
    if let Some(agent) = &invite.agent_id {
        batch.push(db.prepare("UPDATE agents SET active = 1 WHERE id = ?1").bind(&[agent.as_str().into()])?);
    }
    db.batch(batch).await?;
    Ok(true)
}

/// Creates an agent record for an invitation (inactive until the invitation is accepted), at
/// the end of the site's order, with the site's first agent's working hours as a start (or
/// `default_schedule` for a site without agents).
pub async fn create_agent(
    db: &D1Database,
    site: &str,
    id: &str,
    name: &str,
    email: &str,
    default_schedule: &str,
) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO agents (id, site_id, name, email, position, schedule, active)
         SELECT ?1, ?2, ?3, ?4, COALESCE(MAX(position), 0) + 1,
           COALESCE((SELECT schedule FROM agents WHERE site_id = ?2 ORDER BY position LIMIT 1), ?5),
           0
         FROM agents WHERE site_id = ?2",
    )
    .bind(&[id.into(), site.into(), name.into(), email.into(), default_schedule.into()])?
    .run()
    .await?;
    Ok(())
}

/// Removes an agent from routing and ends their sign-in; their meetings stay.
pub async fn remove_agent(db: &D1Database, agent: &str) -> ApiResult<bool> {
    let exists: Option<String> =
        db.prepare("SELECT id FROM agents WHERE id = ?1").bind(&[agent.into()])?.first(Some("id")).await?;
    if exists.is_none() {
        return Ok(false);
    }
    db.batch(vec![
        db.prepare("UPDATE agents SET active = 0 WHERE id = ?1").bind(&[agent.into()])?,
        db.prepare("DELETE FROM sessions WHERE admin_email IN (SELECT email FROM admins WHERE agent_id = ?1)")
            .bind(&[agent.into()])?,
        db.prepare("DELETE FROM admins WHERE agent_id = ?1 AND role = 'agent'").bind(&[agent.into()])?,
        db.prepare("DELETE FROM invites WHERE agent_id = ?1 AND accepted_at IS NULL").bind(&[agent.into()])?,
    ])
    .await?;
    Ok(true)
}
