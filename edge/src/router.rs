//! The route table: every path the Worker answers, and the cross-cutting rules per area
//! (origin check and CORS for the widget API, session and same-origin check for the admin API).

use crate::error::{ApiError, ApiResult};
use crate::handlers::{
    bookings, calendars, events, identity, integrations, invites, meeting_changes, meetings, routing, session, site,
    slots,
};
use crate::{auth, http, store};
use worker::{Context, Env, Headers, Method, Request, Response};

/// Answers one request; never fails: errors become the JSON envelope.
pub async fn handle(mut req: Request, env: Env, ctx: Context) -> Response {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let result = match segments.as_slice() {
        ["healthz"] => http::json(200, &serde_json::json!({ "status": "ok" })),
        ["api", "v1", "invites", site, file] => match req.method() {
            Method::Get => match store::db(&env) {
                Ok(db) => invites::get_invite(&req, &db, site, file).await,
                Err(e) => Err(e),
            },
            _ => Err(ApiError::MethodNotAllowed),
        },
        ["api", "v1", "visitor-meetings", site, meeting, action] => match req.method() {
            Method::Post => match store::db(&env) {
                Ok(db) => meeting_changes::visitor_change(&mut req, &env, &ctx, &db, site, meeting, action).await,
                Err(e) => Err(e),
            },
            _ => Err(ApiError::MethodNotAllowed),
        },
        ["api", "v1", "sites", site, rest @ ..] => return widget_api(&mut req, &env, &ctx, site, rest).await,
        ["api", "admin", "v1", rest @ ..] => admin_api(&mut req, &env, &ctx, rest).await,
        _ => Err(ApiError::NotFound("No such page.")),
    };
    render(result)
}

/// Turns a handler's result into a response, logging internal errors once.
fn render(result: ApiResult<Response>) -> Response {
    match result {
        Ok(resp) => resp,
        Err(err) => {
            if let ApiError::Internal(detail) = &err {
                worker::console_error!("internal error: {detail}");
            }
            let headers = Headers::new();
            let _ = headers.set("Content-Type", "application/json");
            let body = serde_json::to_vec(&err.body()).unwrap_or_default();
            Response::builder().with_status(err.status()).with_headers(headers).fixed(body)
        }
    }
}

/// `/api/v1/sites/{site}/…`: answers only origins on the site's allowed list, with CORS.
async fn widget_api(req: &mut Request, env: &Env, ctx: &Context, site_id: &str, rest: &[&str]) -> Response {
    let checked = async {
        if !confab_domain::ids::is_valid_slug(site_id) {
            return Err(ApiError::NotFound("Unknown site."));
        }
        let db = store::db(env)?;
        let site = store::site(&db, site_id).await?;
        let origin = http::origin(req)?.filter(|o| site.allowed_origins.iter().any(|a| a == o));
        let origin = origin.ok_or(ApiError::OriginNotAllowed)?;
        Ok((db, site, origin))
    }
    .await;
    let (db, site, origin) = match checked {
        Ok(ok) => ok,
        Err(e) => return render(Err(e)),
    };
    let result = match (req.method(), rest) {
        (Method::Options, _) => preflight(),
        (Method::Get, ["bootstrap"]) => site::get_bootstrap(req, env, ctx, &db, site_id, site).await,
        (Method::Get, ["identity"]) => identity::get_identity(req, env, ctx, &db).await,
        (Method::Post, ["identify"]) => identity::identify(req, env, ctx, &db, site_id).await,
        (Method::Post, ["events"]) => events::post_event(req, env, ctx, &db, site_id).await,
        (Method::Get, ["slots"]) => slots::get_slots(req, env, ctx, &db, site_id).await,
        (Method::Post, ["bookings"]) => bookings::create_booking(req, env, ctx, &db, site_id, &site).await,
        (_, ["bootstrap" | "slots" | "bookings" | "identity" | "identify" | "events"]) => {
            Err(ApiError::MethodNotAllowed)
        }
        _ => Err(ApiError::NotFound("No such endpoint.")),
    };
    with_cors(render(result), &origin)
}

fn preflight() -> ApiResult<Response> {
    let headers = Headers::new();
    headers.set("Access-Control-Allow-Methods", "GET, POST")?;
    headers.set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")?;
    headers.set("Access-Control-Max-Age", "86400")?;
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}

fn with_cors(resp: Response, origin: &str) -> Response {
    let headers = resp.headers();
    let _ = headers.set("Access-Control-Allow-Origin", origin);
    let _ = headers.append("Vary", "Origin");
    resp
}

/// `/api/admin/v1/…`: every route but sign-in needs a session; writes must be same-origin.
async fn admin_api(req: &mut Request, env: &Env, ctx: &Context, rest: &[&str]) -> ApiResult<Response> {
    auth::check_same_origin(req)?;
    let db = store::db(env)?;
    match (req.method(), rest) {
        (Method::Post, ["session"]) => session::create_session(req, &db).await,
        (Method::Delete, ["session"]) => session::delete_session(req, &db).await,
        (Method::Get, ["session"]) => session::get_session(req, &db).await,
        (Method::Get, ["meetings"]) => {
            auth::require_admin(req, &db).await?;
            meetings::list_meetings(req, &db).await
        }
        (Method::Get, ["meetings.csv"]) => {
            auth::require_admin(req, &db).await?;
            meetings::export_meetings(req, &db).await
        }
        (Method::Patch, ["meetings", id]) => {
            let admin = auth::require_admin(req, &db).await?;
            meeting_changes::admin_change(req, env, ctx, &db, &admin, id).await
        }
        (Method::Get, ["meetings", id, "history"]) => {
            auth::require_admin(req, &db).await?;
            meetings::meeting_history(&db, id).await
        }
        (Method::Get, ["routing"]) => {
            auth::require_admin(req, &db).await?;
            routing::get_routing(req, env, &db).await
        }
        (Method::Get, ["routing", "config"]) => {
            auth::require_admin(req, &db).await?;
            routing::get_config(req, &db).await
        }
        (Method::Put, ["routing", "config"]) => {
            auth::require_admin(req, &db).await?;
            routing::put_config(req, &db).await
        }
        (Method::Get, ["routing", "accounts"]) => {
            auth::require_admin(req, &db).await?;
            routing::get_accounts(req, &db).await
        }
        (Method::Put, ["routing", "accounts"]) => {
            auth::require_admin(req, &db).await?;
            routing::put_accounts(req, &db).await
        }
        (Method::Post, ["routing", "simulate"]) => {
            auth::require_admin(req, &db).await?;
            routing::simulate(req, env, &db).await
        }
        (Method::Get, ["calendars"]) => {
            auth::require_admin(req, &db).await?;
            calendars::list(req, env, &db).await
        }
        // Reached by the browser coming back from the provider's consent: authenticated by
        // its signed `state`, since a SameSite=Strict session cookie is not sent there.
        (Method::Get, ["calendar", "callback"]) => calendars::callback(req, env, &db).await,
        (Method::Post, ["agents", id, "calendar"]) => {
            auth::require_admin(req, &db).await?;
            calendars::connect(req, env, &db, id).await
        }
        (Method::Delete, ["agents", id, "calendar"]) => {
            auth::require_admin(req, &db).await?;
            calendars::disconnect(&db, id).await
        }
        (Method::Post, ["agents", id, "calendar", "check"]) => {
            auth::require_admin(req, &db).await?;
            calendars::check(env, &db, id).await
        }
        (Method::Patch, ["agents", id]) => {
            auth::require_admin(req, &db).await?;
            calendars::patch_agent(req, &db, id).await
        }
        (Method::Get, ["marketo"]) => {
            auth::require_admin(req, &db).await?;
            integrations::marketo_status(env).await
        }
        (Method::Get, ["marketo", "fields"]) => {
            auth::require_admin(req, &db).await?;
            integrations::marketo_fields(env).await
        }
        (Method::Post, ["marketo", "sync"]) => {
            auth::require_admin(req, &db).await?;
            integrations::start_sync(req, env, &db).await
        }
        (Method::Get, ["settings", "blocked-domains"]) => {
            auth::require_admin(req, &db).await?;
            integrations::get_blocked_domains(&db).await
        }
        (Method::Put, ["settings", "blocked-domains"]) => {
            auth::require_admin(req, &db).await?;
            integrations::put_blocked_domains(req, &db).await
        }
        (
            _,
            ["session" | "meetings" | "meetings.csv" | "routing" | "marketo" | "calendars"]
            | ["calendar", "callback"]
            | ["routing", "config" | "accounts" | "simulate"]
            | ["agents", _]
            | ["agents", _, "calendar"]
            | ["agents", _, "calendar", "check"]
            | ["meetings", _]
            | ["meetings", _, "history"]
            | ["marketo", "fields" | "sync"]
            | ["settings", "blocked-domains"],
        ) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound("No such endpoint.")),
    }
}
