//! `/api/admin/v1/marketo…` and `/api/admin/v1/settings/blocked-domains`: the Marketo
//! connection's health (budget, quota pause, last error), the lead sync's progress and the
//! outbox, the fields Marketo offers, starting a sync, and the blocked email domains.
//! No answer ever carries the client secret.

use super::identity::blocked_domains;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo;
use crate::store::leads;
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{D1Database, Env, Request, Response};

/// Most fields one sync may name (far above Adobe's 50; bounded only to keep requests sane).
const MAX_SYNC_FIELDS: usize = 500;
/// Most blocked domains.
const MAX_BLOCKED: usize = 1_000;

/// `GET /api/admin/v1/marketo`.
pub async fn marketo_status(env: &Env) -> ApiResult<Response> {
    if !marketo::enabled(env) {
        return http::json(
            200,
            &json!({
                "configured": false,
                "message": "Marketo is not connected: set MARKETO_ENDPOINT, MARKETO_CLIENT_ID and MARKETO_CLIENT_SECRET \
                            (Worker secrets; .dev.vars locally). Until then Confab uses its own lead store.",
            }),
        );
    }
    http::json(200, &marketo::admin(env, "status", &json!({})).await?)
}

/// `GET /api/admin/v1/marketo/fields`: the lead fields Marketo describes.
pub async fn marketo_fields(env: &Env) -> ApiResult<Response> {
    require_marketo(env)?;
    http::json(200, &marketo::admin(env, "fields", &json!({})).await?)
}

fn require_marketo(env: &Env) -> ApiResult<()> {
    if marketo::enabled(env) {
        Ok(())
    } else {
        Err(ApiError::Conflict { code: "marketo_not_configured", message: "Marketo is not connected.".into() })
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
    require_marketo(env)?;
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
