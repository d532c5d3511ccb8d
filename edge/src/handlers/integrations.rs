//! `/api/admin/v1/marketo…` and `/api/admin/v1/settings/blocked-domains`: connecting Marketo
//! (credentials checked with Marketo before anything is kept), testing and disconnecting it,
//! the connection's health (budget, quota pause, last error), the lead sync's progress and the
//! outbox, the fields Marketo offers, starting a sync, and the blocked email domains.
//! No answer ever carries the client secret.

use super::identity::blocked_domains;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo::{self, Connection};
use crate::store::leads;
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{D1Database, Env, Request, Response};

/// Most fields one sync may name (far above Adobe's 50; bounded only to keep requests sane).
const MAX_SYNC_FIELDS: usize = 500;
/// Most blocked domains.
const MAX_BLOCKED: usize = 1_000;

/// `GET /api/admin/v1/marketo`.
pub async fn marketo_status(env: &Env, db: &D1Database) -> ApiResult<Response> {
    if !marketo::enabled(env, db).await {
        return http::json(
            200,
            &json!({
                "configured": false,
                "message": "Marketo is not connected. Enter the REST endpoint, client id and secret of a \
                            LaunchPoint API-only service; until then Confab uses its own lead store.",
            }),
        );
    }
    http::json(200, &marketo::admin(env, "status", &json!({})).await?)
}

/// `GET /api/admin/v1/marketo/fields`: the lead fields Marketo describes.
pub async fn marketo_fields(env: &Env, db: &D1Database) -> ApiResult<Response> {
    require_marketo(env, db).await?;
    http::json(200, &marketo::admin(env, "fields", &json!({})).await?)
}

async fn require_marketo(env: &Env, db: &D1Database) -> ApiResult<()> {
    if marketo::enabled(env, db).await {
        Ok(())
    } else {
        Err(ApiError::Conflict { code: "marketo_not_configured", message: "Marketo is not connected.".into() })
    }
}

#[derive(Deserialize)]
struct ConnectRequest {
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
}

/// `PUT /api/admin/v1/marketo/connection` `{endpoint, client_id, client_secret}`: checks
/// what was typed field by field (400 `invalid_connection` with `fields`), then asks Marketo
/// for a token with it (400 `connection_failed` with Marketo's reason); only then are the
/// credentials kept, in the gateway. The secret is never answered back.
pub async fn connect(req: &mut Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let body: ConnectRequest = http::json_body(req).await?;
    let connection = match Connection::check(&body.endpoint, &body.client_id, &body.client_secret) {
        Ok(connection) => connection,
        Err(problems) => {
            let fields: serde_json::Map<String, Value> =
                problems.into_iter().map(|(f, m)| (f, Value::from(m))).collect();
            let body = json!({
                "error": { "code": "invalid_connection", "message": "Please fix the fields marked.", "fields": fields }
            });
            return http::json(400, &body);
        }
    };
    let answer = marketo::admin(env, "connect", &json!({ "connection": connection })).await?;
    if let Some(refusal) = refused(&answer)? {
        return Ok(refusal);
    }
    marketo::note_connected(true);
    marketo_status(env, db).await
}

/// `DELETE /api/admin/v1/marketo/connection`: forgets the credentials; leads, the outbox
/// and the sync's progress stay.
pub async fn disconnect(env: &Env, db: &D1Database) -> ApiResult<Response> {
    let answer = marketo::admin(env, "disconnect", &json!({})).await?;
    if let Some(refusal) = refused(&answer)? {
        return Ok(refusal);
    }
    marketo::note_connected(false);
    marketo_status(env, db).await
}

/// `POST /api/admin/v1/marketo/test`: a fresh token and a describe, answered as
/// `{ok, message}` (a failure is a result here, not an error).
pub async fn test(env: &Env, db: &D1Database) -> ApiResult<Response> {
    require_marketo(env, db).await?;
    http::json(200, &marketo::admin(env, "test", &json!({})).await?)
}

/// The gateway's `{"error": {code, message, fields?}}` refusal as the admin's answer: 409 when
/// Worker variables own the connection, otherwise 400 with the field to look at.
fn refused(answer: &Value) -> ApiResult<Option<Response>> {
    match answer.pointer("/error/code").and_then(Value::as_str) {
        None => Ok(None),
        Some("managed_by_environment") => Err(ApiError::Conflict {
            code: "managed_by_environment",
            message: answer.pointer("/error/message").and_then(Value::as_str).unwrap_or_default().to_owned(),
        }),
        Some(_) => http::json(400, answer).map(Some),
    }
}

#[derive(Deserialize)]
struct SyncRequest {
    fields: Vec<String>,
    #[serde(default)]
    since: Option<String>,
}

/// `POST /api/admin/v1/marketo/sync` `{fields, since?}`: remembers the fields and (re)starts
/// the initial sync from `since` (RFC 3339; default ten years back).
pub async fn start_sync(req: &mut Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    require_marketo(env, db).await?;
    let body: SyncRequest = http::json_body(req).await?;
    if body.fields.len() > MAX_SYNC_FIELDS {
        return Err(ApiError::bad_request("too_many_fields", format!("At most {MAX_SYNC_FIELDS} fields.")));
    }
    if let Some(bad) =
        body.fields.iter().find(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(ApiError::bad_request("invalid_field", format!("`{bad}` is not a Marketo field name.")));
    }
    let since_ms = match &body.since {
        None => None,
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|_| ApiError::bad_request("invalid_since", "`since` must be an RFC 3339 time."))?
                .timestamp_millis(),
        ),
    };
    let answer = marketo::admin(env, "sync", &json!({ "fields": body.fields, "since_ms": since_ms })).await?;
    if let Some(message) = answer.pointer("/error/message").and_then(Value::as_str) {
        return Err(ApiError::bad_request("sync_refused", message.to_owned()));
    }
    leads::set_setting(db, "marketo_fields", &json!(body.fields)).await?;
    http::json(202, &answer)
}

/// `GET /api/admin/v1/settings/blocked-domains`.
pub async fn get_blocked_domains(db: &D1Database) -> ApiResult<Response> {
    http::json(200, &json!({ "domains": blocked_domains(db).await? }))
}

#[derive(Deserialize)]
struct BlockedDomains {
    domains: Vec<String>,
}

/// `PUT /api/admin/v1/settings/blocked-domains` `{domains}`: replaces the list.
pub async fn put_blocked_domains(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let body: BlockedDomains = http::json_body(req).await?;
    if body.domains.len() > MAX_BLOCKED {
        return Err(ApiError::bad_request("too_many_domains", format!("At most {MAX_BLOCKED} domains.")));
    }
    let mut domains: Vec<String> = Vec::new();
    for domain in &body.domains {
        let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        let valid = d.contains('.')
            && d.len() <= 253
            && d.split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !valid {
            return Err(ApiError::bad_request(
                "invalid_domain",
                format!("`{domain}` is not a domain such as gmail.com."),
            ));
        }
        if !domains.contains(&d) {
            domains.push(d);
        }
    }
    leads::set_setting(db, "blocked_email_domains", &json!(domains)).await?;
    http::json(200, &json!({ "domains": domains }))
}
