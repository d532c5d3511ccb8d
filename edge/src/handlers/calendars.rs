//! Admin side of agents' calendars: connect (Google and Microsoft through the OAuth consent,
//! CalDAV with a URL and credentials, checked before they are stored), disconnect, check now,
//! and the list with each connection's health and the write-back queue. Also the agent
//! settings that decide availability (weight, durations, buffers, notice, horizon, cap).
//!
//! The OAuth callback is reached by the admin's browser coming back from Google or Microsoft,
//! a cross-site navigation that carries no `SameSite=Strict` session cookie; it is
//! authenticated by its `state` instead: agent, provider and expiry, signed with the site's
//! secret, valid for 10 minutes.

use crate::calendars::{self, App, Calendar, Credentials, busy};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, calendars as stored};
use confab_domain::auth::{sign, verify_signature};
use confab_domain::availability::{AgentRules, ScheduleSpec};
use confab_domain::calendar::Provider;
use confab_domain::calendar::oauth;
use serde::Deserialize;
use worker::{D1Database, Env, Request, Response};

/// Signature purpose of the OAuth `state`.
const STATE_PURPOSE: &str = "calendar-connect";
/// How long a consent may take.
const STATE_TTL_MS: i64 = 10 * 60_000;

#[derive(Deserialize)]
struct AgentSite {
    link_secret: String,
    email: Option<String>,
}

async fn agent_site(db: &D1Database, agent: &str) -> ApiResult<AgentSite> {
    let row: Option<AgentSite> = db
        .prepare("SELECT s.link_secret, a.email FROM agents a JOIN sites s ON s.id = a.site_id WHERE a.id = ?1")
        .bind(&[agent.into()])?
        .first(None)
        .await?;
    row.ok_or(ApiError::NotFound("No such agent."))
}

fn redirect_uri(req: &Request) -> ApiResult<String> {
    Ok(format!("{}/api/admin/v1/calendar/callback", req.url()?.origin().ascii_serialization()))
}

/// `GET /api/admin/v1/calendars?site=`: agents' connections with health, the providers this
/// deployment can connect, and the write-back queue.
/// An agent's own account sees only their own row.
pub async fn list(req: &Request, env: &Env, db: &D1Database, only_agent: Option<&str>) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let agents: Vec<_> = store::agents(db, &site)
        .await?
        .into_iter()
        .filter(|a| only_agent.is_none_or(|own| a.agent.id.as_str() == own))
        .collect();
    let connections = calendars::summaries(db, &site).await?;
    let rows: Vec<serde_json::Value> = agents
        .iter()
        .map(|a| {
            let connection = connections.iter().find(|c| c["agent_id"] == a.agent.id.as_str()).cloned();
            serde_json::json!({
                "agent": a.agent,
                "time_zone": a.schedule.time_zone,
                "schedule": a.schedule,
                "rules": a.rules,
                "weight_percent": a.weight_percent,
                "calendar": connection.unwrap_or_else(|| serde_json::json!({ "provider": "builtin", "healthy": true })),
            })
        })
        .collect();
    http::json(
        200,
        &serde_json::json!({
            "agents": rows,
            "providers": {
                "google": App::from_env(env, Provider::Google).is_some(),
                "microsoft": App::from_env(env, Provider::Microsoft).is_some(),
                "caldav": true,
            },
            "write_back": stored::queue_summary(db, &site).await?,
        }),
    )
}

#[derive(Deserialize)]
struct ConnectBody {
    provider: String,
    url: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

/// `POST /api/admin/v1/agents/{id}/calendar`: `{provider: "google"|"microsoft"}` answers the
/// consent URL to send the admin to; `{provider: "caldav", url, username, password}` reads
/// the calendar once and connects it if that works.
pub async fn connect(req: &mut Request, env: &Env, db: &D1Database, agent: &str) -> ApiResult<Response> {
    let body: ConnectBody = http::json_body(req).await?;
    let owner = agent_site(db, agent).await?;
    let provider = Provider::parse(&body.provider)
        .filter(|p| *p != Provider::Builtin)
        .ok_or_else(|| ApiError::bad_request("invalid_provider", "`provider` must be google, microsoft or caldav."))?;
    let now = clock::now();
    match provider {
        Provider::Google | Provider::Microsoft => {
            let app = App::from_env(env, provider).ok_or_else(|| {
                ApiError::bad_request(
                    "provider_not_configured",
                    format!(
                        "This deployment has no {} app. Set {}_CLIENT_ID and {}_CLIENT_SECRET first.",
                        if provider == Provider::Google { "Google" } else { "Microsoft" },
                        if provider == Provider::Google { "GOOGLE" } else { "MICROSOFT" },
                        if provider == Provider::Google { "GOOGLE" } else { "MICROSOFT" },
                    ),
                )
            })?;
            if owner.link_secret.is_empty() {
                return Err(ApiError::Internal("the site has no signing secret".into()));
            }
            let message = format!("{agent}.{}.{}", provider.as_str(), now.timestamp_millis() + STATE_TTL_MS);
            let state = format!("{message}.{}", sign(owner.link_secret.as_bytes(), STATE_PURPOSE, &message));
            let redirect = redirect_uri(req)?;
            let url = oauth::authorize_url(&app.client(provider, &redirect), provider, &state, owner.email.as_deref());
            http::json(200, &serde_json::json!({ "authorize_url": url }))
        }
        Provider::Caldav => {
            let url = body.url.as_deref().map(str::trim).unwrap_or_default();
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2_000 {
                return Err(ApiError::bad_request(
                    "invalid_url",
                    "The CalDAV URL must be the calendar collection's http(s) address.",
                ));
            }
            let username = body.username.unwrap_or_default();
            let password = body.password.unwrap_or_default();
            if username.is_empty() || password.is_empty() || username.len() > 200 || password.len() > 500 {
                return Err(ApiError::bad_request("invalid_credentials", "Enter the CalDAV user name and password."));
            }
            let credentials = Credentials::Caldav { url: url.to_owned(), username, password };
            let json = serde_json::to_string(&credentials)?;
            // Read the calendar once before storing anything: wrong credentials or a wrong URL
            // are reported now, next to the form, rather than as an unhealthy calendar later.
            let probe = stored::Connection {
                agent_id: agent.to_owned(),
                provider: provider.as_str().to_owned(),
                account: url.to_owned(),
                credentials: json.clone(),
                health: "{}".to_owned(),
                busy_from_ms: 0.0,
                busy_until_ms: 0.0,
                busy_fetched_ms: 0.0,
            };
            let calendar = Calendar::open(env, db, &probe)
                .ok_or_else(|| ApiError::Internal("CalDAV connection could not be opened".into()))?;
            let window = busy::window(now);
            let busy = calendar
                .busy(window.start, window.end, now.timestamp_millis())
                .await
                .map_err(|e| calendars::admin_error(&e))?;
            stored::connect(db, agent, provider.as_str(), url, &json, now).await?;
            stored::store_busy(db, agent, window, now.timestamp_millis(), &busy).await?;
            http::json(200, &serde_json::json!({ "connected": true, "provider": "caldav", "busy_events": busy.len() }))
        }
        Provider::Builtin => Err(ApiError::bad_request("invalid_provider", "Choose a calendar to connect.")),
    }
}

/// `GET /api/admin/v1/calendar/callback?code=&state=` (or `?error=`): completes the consent
/// and sends the admin back to the calendar tab with the outcome in the address.
pub async fn callback(req: &Request, env: &Env, db: &D1Database) -> ApiResult<Response> {
    let back = |outcome: &str| -> ApiResult<Response> {
        let origin = req.url()?.origin().ascii_serialization();
        let location = format!("{origin}/admin/#calendar?connect={outcome}");
        Ok(Response::redirect(worker::Url::parse(&location).map_err(|e| ApiError::Internal(e.to_string()))?)?)
    };
    if http::query(req, "error")?.is_some() {
        return back("declined");
    }
    let state = http::query(req, "state")?.unwrap_or_default();
    let code = http::query(req, "code")?.unwrap_or_default();
    let mut parts = state.rsplitn(2, '.');
    let (Some(signature), Some(message)) = (parts.next(), parts.next()) else { return back("invalid") };
    let fields: Vec<&str> = message.split('.').collect();
    let [agent, provider, expires] = fields.as_slice() else { return back("invalid") };
    let Ok(owner) = agent_site(db, agent).await else { return back("invalid") };
    let now = clock::now();
    let fresh = expires.parse::<i64>().is_ok_and(|e| e >= now.timestamp_millis());
    if !verify_signature(owner.link_secret.as_bytes(), STATE_PURPOSE, message, signature) || !fresh || code.is_empty() {
        return back("invalid");
    }
    let Some(provider) = Provider::parse(provider) else { return back("invalid") };
    let Some(app) = App::from_env(env, provider) else { return back("invalid") };
    let redirect = redirect_uri(req)?;
    let tokens = match calendars::exchange_code(
        &app,
        provider,
        &redirect,
        &code,
        now.timestamp_millis(),
        calendars::timeout_ms(env),
    )
    .await
    {
        Ok(tokens) => tokens,
        Err(e) => {
            worker::console_log!("calendar consent could not be completed: {e}");
            return back("failed");
        }
    };
    let Some(refresh_token) = tokens.refresh_token else { return back("no_refresh_token") };
    // Google reads the primary calendar; Graph's getSchedule wants the mailbox address.
    let calendar = match provider {
        Provider::Google => "primary".to_owned(),
        _ => owner.email.clone().unwrap_or_default(),
    };
    let account = owner.email.clone().unwrap_or_else(|| calendar.clone());
    let credentials = Credentials::Oauth {
        access_token: tokens.access_token,
        refresh_token,
        expires_at_ms: tokens.expires_at_ms,
        calendar,
    };
    stored::connect(db, agent, provider.as_str(), &account, &serde_json::to_string(&credentials)?, now).await?;
    if let Some(connection) = stored::connection(db, agent).await? {
        busy::refresh(env, db, &connection).await;
    }
    back("connected")
}

/// `DELETE /api/admin/v1/agents/{id}/calendar`: back to the built-in calendar.
pub async fn disconnect(db: &D1Database, agent: &str) -> ApiResult<Response> {
    agent_site(db, agent).await?;
    stored::disconnect(db, agent).await?;
    http::json(200, &serde_json::json!({ "provider": "builtin" }))
}

/// `POST /api/admin/v1/agents/{id}/calendar/check`: reads the calendar now; the health after.
pub async fn check(env: &Env, db: &D1Database, agent: &str) -> ApiResult<Response> {
    agent_site(db, agent).await?;
    let connection = stored::connection(db, agent)
        .await?
        .ok_or_else(|| ApiError::bad_request("not_connected", "This agent uses the built-in calendar."))?;
    busy::refresh(env, db, &connection).await;
    let after = stored::connection(db, agent).await?.map(|c| c.health).unwrap_or_default();
    let health: confab_domain::calendar::health::Health = serde_json::from_str(&after).unwrap_or_default();
    http::json(200, &serde_json::json!({ "healthy": health.is_healthy(), "health": health }))
}

#[derive(Deserialize)]
struct AgentPatch {
    weight_percent: Option<u32>,
    rules: Option<AgentRules>,
    schedule: Option<ScheduleSpec>,
}

/// `PATCH /api/admin/v1/agents/{id}`: weight, booking rules and working hours; each part is
/// validated before anything is stored.
/// Agents may change their own rules and hours, not their weight.
pub async fn patch_agent(req: &mut Request, db: &D1Database, agent: &str, may_weigh: bool) -> ApiResult<Response> {
    let patch: AgentPatch = http::json_body(req).await?;
    agent_site(db, agent).await?;
    if patch.weight_percent.is_some() && !may_weigh {
        return Err(ApiError::Forbidden);
    }
    let mut statements = Vec::new();
    if let Some(weight) = patch.weight_percent {
        if weight > 1_000 {
            return Err(ApiError::bad_request("invalid_weight", "A weight is a percentage from 0 to 1000."));
        }
        statements.push(
            db.prepare("UPDATE agents SET weight_percent = ?2 WHERE id = ?1")
                .bind(&[agent.into(), wasm_bindgen::JsValue::from_f64(f64::from(weight))])?,
        );
    }
    if let Some(rules) = patch.rules {
        statements.push(
            db.prepare("UPDATE agents SET rules = ?2 WHERE id = ?1")
                .bind(&[agent.into(), serde_json::to_string(&rules)?.into()])?,
        );
    }
    if let Some(schedule) = patch.schedule {
        schedule.parse().map_err(|e| ApiError::bad_request("invalid_schedule", e.to_string()))?;
        statements.push(
            db.prepare("UPDATE agents SET schedule = ?2 WHERE id = ?1")
                .bind(&[agent.into(), serde_json::to_string(&schedule)?.into()])?,
        );
    }
    if statements.is_empty() {
        return Err(ApiError::bad_request("nothing_to_change", "Send weight_percent, rules or schedule."));
    }
    db.batch(statements).await?;
    http::json(200, &serde_json::json!({ "updated": true }))
}
