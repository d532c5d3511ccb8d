//! `POST /api/v1/sites/{site}/events`: what visitors do in the chat, stored per visitor and
//! session with Adobe Dynamic Chat's counting rules, and written back to Marketo for known
//! visitors.
//!
//! Invariants: `triggered`, `engaged` and `completed` count once per visitor, session and
//! dialogue, a goal once per session (a unique `once_key`, so retries and double clicks
//! count once); answers and captures are all kept, each once: the widget's event id is their
//! `once_key`, so the widget sending one again (its response was lost) stores nothing new; a
//! counted kind of a known visitor is queued for Marketo under the key `event:{once_key}`, so
//! it is delivered once.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo;
use crate::marketo_gateway::cookie_token;
use crate::store::{events, leads};
use confab_domain::api::ChatEvent;
use confab_domain::ids::is_valid_slug;
use confab_domain::marketo::{ActivityKind, is_munchkin_cookie};
use worker::{Context, D1Database, Env, Request, Response};

/// Longest stored answer.
const MAX_VALUE_CHARS: usize = 1_000;
/// Event kinds the widget sends.
const KINDS: [&str; 7] = ["triggered", "engaged", "answer", "capture", "goal", "completed", "closed"];

/// The key that makes an event count once: by its kind's counting rule, or else by the
/// widget's id for it, when it has one.
pub fn once_key(site: &str, e: &ChatEvent) -> Option<String> {
    let base = format!("{site}:{}:{}:{}", e.visitor_id, e.session_id, e.dialogue);
    match e.kind.as_str() {
        "triggered" | "engaged" | "completed" => Some(format!("{base}:{}", e.kind)),
        "goal" => Some(format!("{base}:goal:{}", e.card.as_deref().unwrap_or_default())),
        _ => e.id.as_ref().map(|id| format!("{base}:id:{id}")),
    }
}

/// The Marketo activity an event becomes, if any.
pub fn activity(e: &ChatEvent) -> Option<ActivityKind> {
    let dialogue = e.dialogue.clone();
    match e.kind.as_str() {
        "triggered" => Some(ActivityKind::Triggered { dialogue }),
        "engaged" => Some(ActivityKind::Engaged { dialogue }),
        "goal" => Some(ActivityKind::ReachedGoal {
            dialogue,
            goal: e.card.clone().unwrap_or_default(),
            score: e.value.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0).min(3),
        }),
        _ => None,
    }
}

fn check(e: &ChatEvent) -> ApiResult<()> {
    let ids = [Some(&e.visitor_id), Some(&e.session_id), Some(&e.dialogue), e.id.as_ref()];
    if ids.into_iter().flatten().any(|id| !is_valid_slug(id)) {
        return Err(ApiError::bad_request(
            "invalid_event",
            "`visitor_id`, `session_id`, `dialogue` and `id` must be 1 to 64 letters, digits, - or _.",
        ));
    }
    if !KINDS.contains(&e.kind.as_str()) {
        return Err(ApiError::bad_request("invalid_event", format!("`kind` must be one of {}.", KINDS.join(", "))));
    }
    if e.card.as_deref().is_some_and(|c| c.chars().count() > 64)
        || e.value.as_deref().is_some_and(|v| v.chars().count() > MAX_VALUE_CHARS)
    {
        return Err(ApiError::bad_request(
            "invalid_event",
            format!("`card` may be at most 64 characters and `value` at most {MAX_VALUE_CHARS}."),
        ));
    }
    Ok(())
}

/// Stores one event; answers whether it counted.
pub async fn post_event(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    site: &str,
) -> ApiResult<Response> {
    let event: ChatEvent = http::json_body(req).await?;
    check(&event)?;
    crate::limits::visitor(env, site, Some(&event.visitor_id)).await?;
    let lead = match event.mkto.as_deref().filter(|c| is_munchkin_cookie(c)).and_then(cookie_token) {
        Some(token) => match leads::lead_by_cookie(db, token).await? {
            leads::CookieLookup::Lead(lead) => Some(lead),
            _ => None,
        },
        None => None,
    };
    let now = clock::now();
    let once = once_key(site, &event);
    let id = events::insert(db, site, &event, once.as_deref(), lead.as_ref().map(|l| l.id), now).await?;
    // Keyed by the once-key, so a retry of an event whose activity could not be queued the
    // first time queues it now, and never twice.
    if let (Some(once), Some(lead), Some(kind)) = (&once, &lead, activity(&event)) {
        let email = lead.attributes.get("email").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        if !email.is_empty() {
            marketo::record_activity(env, ctx, db, &format!("event:{once}"), &email, lead.marketo_id, kind).await;
        }
    }
    http::json(202, &serde_json::json!({ "counted": id.is_some() }))
}

/// After a visitor identified themselves: their earlier events join the lead, and those that
/// become activities are queued for Marketo.
pub async fn adopt(
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    site: &str,
    visitor: &str,
    lead: &marketo::StoredLead,
) -> ApiResult<()> {
    let email = lead.attributes.get("email").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    for event in events::adopt(db, site, visitor, lead.id).await? {
        if let (Some(once), Some(kind)) = (once_key(site, &event), activity(&event)) {
            marketo::record_activity(env, ctx, db, &format!("event:{once}"), &email, lead.marketo_id, kind).await;
        }
    }
    Ok(())
}
