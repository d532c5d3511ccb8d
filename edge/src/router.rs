//! The route table: every path the Worker answers, and the cross-cutting rules per area
//! (origin check and CORS for the widget API, session and same-origin check for the admin API).

use crate::error::{ApiError, ApiResult};
use crate::handlers::{
    accounts, analytics, bookings, calendars, config, dialogues, events, identity, integrations, invites,
    meeting_changes, meetings, preview, routing, session, site, slots,
};
use crate::{auth, http, limits, store};
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
            if matches!(err, ApiError::RateLimited) {
                let _ = headers.set("Retry-After", &limits::RETRY_AFTER_SECONDS.to_string());
            }
            let body = serde_json::to_vec(&err.body()).unwrap_or_default();
            Response::builder().with_status(err.status()).with_headers(headers).fixed(body)
        }
    }
}

/// `/api/v1/sites/{site}/…`: counts the request against its address, then answers only
/// origins on the site's allowed list, with CORS; and the admin's preview
/// (`/preview/dialogue.html` on the edge's own origin, with a signed-in admin's session), whose
/// calls record nothing and call no outside service (`handlers/preview.rs`).
async fn widget_api(req: &mut Request, env: &Env, ctx: &Context, site_id: &str, rest: &[&str]) -> Response {
    // Every request counts against its address first, before any lookup, so a script sending
    // a made-up Origin is limited too.
    if req.method() != Method::Options
        && let Err(e) = limits::address(env, req).await
    {
        return render(Err(e));
    }
    let checked = async {
        if !confab_domain::ids::is_valid_slug(site_id) {
            return Err(ApiError::NotFound("Unknown site."));
        }
        let db = store::db(env)?;
        let site = store::site(&db, site_id).await?;
        let origin = http::origin(req)?;
        // The preview page is the edge's own (a same-origin GET carries no Origin header); the
        // SameSite=Strict session cookie only comes with requests from the edge's pages. Checked
        // before the allowed list, so a preview stays one even if the edge's own origin is
        // listed there.
        let own = req.url()?.origin().ascii_serialization();
        if origin.as_ref().is_none_or(|o| *o == own) && auth::require_admin(req, &db).await.is_ok() {
            return Ok((db, site, own, true));
        }
        match origin.filter(|o| site.allowed_origins.iter().any(|a| a == o)) {
            Some(allowed) => Ok((db, site, allowed, false)),
            None => Err(ApiError::OriginNotAllowed),
        }
    }
    .await;
    let (db, site, origin, preview) = match checked {
        Ok(ok) => ok,
        Err(e) => return render(Err(e)),
    };
    let result = match (req.method(), rest) {
        (Method::Options, _) => preflight(),
        (Method::Get, ["bootstrap"]) if preview => preview::bootstrap(req, env, &db, site_id, site.branding).await,
        (Method::Get, ["dialogues", id, "versions", _]) if preview => preview::version(&db, site_id, id).await,
        (Method::Post, ["events"]) if preview => preview::event(),
        (Method::Post, ["identify"]) if preview => identity::identify_preview(req, &db).await,
        (Method::Post, ["bookings"]) if preview => preview::booking(req, env, &db, site_id).await,
        (Method::Get, ["identity"]) if preview => http::json(200, &confab_domain::api::Visitor::default()),
        (Method::Get, ["slots"]) if preview => slots::get_slots(req, env, None, &db, site_id).await,
        (Method::Get, ["bootstrap"]) => site::get_bootstrap(req, env, ctx, &db, site_id, site).await,
        (Method::Get, ["triggers"]) => site::get_triggers(req, &db, site_id).await,
        (Method::Get, ["identity"]) => identity::get_identity(req, env, ctx, &db).await,
        (Method::Post, ["identify"]) => identity::identify(req, env, ctx, &db, site_id).await,
        (Method::Post, ["events"]) => events::post_event(req, env, ctx, &db, site_id).await,
        (Method::Get, ["slots"]) => slots::get_slots(req, env, Some(ctx), &db, site_id).await,
        (Method::Get, ["dialogues", id, "versions", version]) => {
            dialogues::widget_version(&db, site_id, id, version).await
        }
        (Method::Post, ["bookings"]) => bookings::create_booking(req, env, ctx, &db, site_id, &site).await,
        (_, ["bootstrap" | "triggers" | "slots" | "bookings" | "identity" | "identify" | "events"]) => {
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

/// `/api/admin/v1/…`: writes must be same-origin; every route but signing in, first-run
/// setup, accepting an invitation and the OAuth callback needs a session. Roles: an admin may
/// do everything; an agent only what concerns themselves (their meetings, calendar and
/// availability, their password), and gets 403 elsewhere.
async fn admin_api(req: &mut Request, env: &Env, ctx: &Context, rest: &[&str]) -> ApiResult<Response> {
    auth::check_same_origin(req)?;
    let db = store::db(env)?;
    match (req.method(), rest) {
        // Open: signing in and out, first-run setup, accepting an invitation, OAuth callback.
        (Method::Post, ["session"]) => session::create_session(req, &db).await,
        (Method::Delete, ["session"]) => session::delete_session(req, &db).await,
        (Method::Get, ["setup"]) => accounts::setup_status(&db).await,
        (Method::Post, ["setup"]) => accounts::setup(req, env, &db).await,
        (Method::Post, ["invites", "accept"]) => accounts::accept(req, &db).await,
        // Reached by the browser coming back from the provider's consent: authenticated by
        // its signed `state`, since a SameSite=Strict session cookie is not sent there.
        (Method::Get, ["calendar", "callback"]) => calendars::callback(req, env, &db).await,
        // Any signed-in account, limited to itself.
        (Method::Get, ["session"]) => session::get_session(req, &db).await,
        (Method::Put, ["session", "password"]) => {
            let who = auth::require_session(req, &db).await?;
            accounts::change_password(req, &db, &who).await
        }
        (Method::Get, ["meetings"]) => {
            let who = auth::require_session(req, &db).await?;
            meetings::list_meetings(req, &db, who.only_agent()).await
        }
        (Method::Get, ["meetings.csv"]) => {
            let who = auth::require_session(req, &db).await?;
            meetings::export_meetings(req, &db, who.only_agent()).await
        }
        (Method::Patch, ["meetings", id]) => {
            let who = auth::require_session(req, &db).await?;
            meeting_changes::admin_change(req, env, ctx, &db, &who, id).await
        }
        (Method::Get, ["meetings", id, "history"]) => {
            let who = auth::require_session(req, &db).await?;
            let owner = store::meeting_state(&db, id).await?.ok_or(ApiError::NotFound("No such meeting."))?;
            who.may_act_for(&owner.agent_id)?;
            meetings::meeting_history(&db, id).await
        }
        (Method::Get, ["calendars"]) => {
            let who = auth::require_session(req, &db).await?;
            calendars::list(req, env, &db, who.only_agent()).await
        }
        (Method::Post, ["agents", id, "calendar"]) => {
            auth::require_session(req, &db).await?.may_act_for(id)?;
            calendars::connect(req, env, &db, id).await
        }
        (Method::Delete, ["agents", id, "calendar"]) => {
            auth::require_session(req, &db).await?.may_act_for(id)?;
            calendars::disconnect(&db, id).await
        }
        (Method::Post, ["agents", id, "calendar", "check"]) => {
            auth::require_session(req, &db).await?.may_act_for(id)?;
            calendars::check(env, &db, id).await
        }
        (Method::Patch, ["agents", id]) => {
            let who = auth::require_session(req, &db).await?;
            who.may_act_for(id)?;
            calendars::patch_agent(req, &db, id, who.is_admin()).await
        }
        // Admins only.
        (method, path) => {
            let admin = auth::require_admin(req, &db).await?;
            admin_only(req, env, &db, &admin, method, path).await
        }
    }
}

/// The routes only admins may use (the caller checked the role).
async fn admin_only(
    req: &mut Request,
    env: &Env,
    db: &worker::D1Database,
    admin: &str,
    method: Method,
    path: &[&str],
) -> ApiResult<Response> {
    match (method, path) {
        (Method::Get, ["routing"]) => routing::get_routing(req, env, db).await,
        (Method::Get, ["routing", "config"]) => routing::get_config(req, db).await,
        (Method::Put, ["routing", "config"]) => routing::put_config(req, db).await,
        (Method::Get, ["routing", "accounts"]) => routing::get_accounts(req, db).await,
        (Method::Put, ["routing", "accounts"]) => routing::put_accounts(req, db).await,
        (Method::Post, ["routing", "simulate"]) => routing::simulate(req, env, db).await,
        (Method::Get, ["analytics"]) => analytics::get(req, db).await,
        (Method::Get, ["config"]) => config::get(req, db).await,
        (Method::Put, ["config"]) => config::put(req, db).await,
        (Method::Get, ["dialogues"]) => dialogues::list(req, db).await,
        (Method::Post, ["dialogues"]) => dialogues::create(req, db).await,
        (Method::Post, ["dialogues", "import"]) => dialogues::import(req, db).await,
        (Method::Get, ["dialogues", id]) => dialogues::get(req, db, id).await,
        (Method::Put, ["dialogues", id]) => dialogues::save(req, db, id).await,
        (Method::Post, ["dialogues", id, "publish"]) => dialogues::publish(req, db, id, admin).await,
        (Method::Post, ["dialogues", id, "unpublish"]) => dialogues::unpublish(req, db, id).await,
        (Method::Post, ["dialogues", id, "duplicate"]) => dialogues::duplicate(req, db, id).await,
        (Method::Get, ["dialogues", id, "export"]) => dialogues::export(req, db, id).await,
        (Method::Get, ["accounts"]) => accounts::list(db).await,
        (Method::Post, ["invites"]) => accounts::invite(req, db, admin).await,
        (Method::Delete, ["invites", id]) => accounts::revoke(db, id).await,
        (Method::Delete, ["agents", id]) => accounts::remove_agent(db, id).await,
        (Method::Get, ["marketo"]) => integrations::marketo_status(env, db).await,
        (Method::Put, ["marketo", "connection"]) => integrations::connect(req, env, db).await,
        (Method::Delete, ["marketo", "connection"]) => integrations::disconnect(env, db).await,
        (Method::Post, ["marketo", "test"]) => integrations::test(env, db).await,
        (Method::Get, ["marketo", "fields"]) => integrations::marketo_fields(env, db).await,
        (Method::Post, ["marketo", "sync"]) => integrations::start_sync(req, env, db).await,
        (Method::Get, ["settings", "blocked-domains"]) => integrations::get_blocked_domains(db).await,
        (Method::Put, ["settings", "blocked-domains"]) => integrations::put_blocked_domains(req, db).await,
        (_, path) if is_admin_path(path) => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound("No such endpoint.")),
    }
}

/// Every admin API path, whatever the method (for 405 rather than 404).
fn is_admin_path(path: &[&str]) -> bool {
    matches!(
        path,
        ["session"
            | "setup"
            | "config"
            | "analytics"
            | "meetings"
            | "meetings.csv"
            | "routing"
            | "marketo"
            | "calendars"
            | "accounts"]
            | ["session", "password"]
            | ["invites"]
            | ["invites", _]
            | ["dialogues"]
            | ["dialogues", _]
            | ["dialogues", _, "publish" | "unpublish" | "duplicate" | "export"]
            | ["calendar", "callback"]
            | ["routing", "config" | "accounts" | "simulate"]
            | ["agents", _]
            | ["agents", _, "calendar"]
            | ["agents", _, "calendar", "check"]
            | ["meetings", _]
            | ["meetings", _, "history"]
            | ["marketo", "fields" | "sync" | "connection" | "test"]
            | ["settings", "blocked-domains"]
    )
}
