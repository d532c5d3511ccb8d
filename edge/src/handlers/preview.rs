//! The admin's preview of a draft dialogue in the real widget: `/preview/dialogue.html` on the
//! edge's own origin loads `widget.js` like a customer's page does, and its widget API calls
//! come here instead of to the visitor handlers (the router decides: same origin, a signed-in
//! admin). Invariant: a preview records nothing. No chat event, lead, meeting or Marketo
//! activity is written; the booking answer names the agent routing would pick (the
//! simulator) without holding any time.

use super::bookings::{Input, pool_command};
use super::slots::parse_time;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::routing_pool;
use crate::store::dialogues as stored;
use confab_domain::api::{Booking, BookingRequest, PublishedDialogue};
use confab_domain::email::Email;
use confab_domain::ids::{MeetingId, is_valid_slug};
use worker::{D1Database, Env, Request, Response};

/// The version number a draft is previewed as (published versions start at 1).
pub const DRAFT_VERSION: u32 = 0;

/// The draft of `id` as a dialogue the widget can run.
async fn draft(db: &D1Database, site: &str, id: &str) -> ApiResult<PublishedDialogue> {
    if !is_valid_slug(id) {
        return Err(ApiError::NotFound("No such dialogue."));
    }
    let row = stored::get(db, site, id).await?;
    let text = row.draft_flow.or(row.latest_flow).ok_or(ApiError::NotFound("This dialogue has no flow yet."))?;
    Ok(PublishedDialogue { id: id.to_owned(), version: DRAFT_VERSION, flow: super::dialogues::parse_flow(&text)? })
}

/// `GET …/bootstrap?dialogue=` in a preview: the site's branding and the dialogue's draft,
/// published or not, for an anonymous visitor.
pub async fn bootstrap(
    req: &Request,
    env: &Env,
    db: &D1Database,
    site: &str,
    branding: confab_domain::api::Branding,
) -> ApiResult<Response> {
    let id = http::query(req, "dialogue")?
        .ok_or_else(|| ApiError::bad_request("dialogue_required", "A preview names the dialogue to run."))?;
    let dialogue = draft(db, site, &id).await?;
    let agents_free_today = if dialogue.flow.tests_agents_free_today() {
        super::site::agents_free_today(req, env, db, site).await
    } else {
        None
    };
    http::json(
        200,
        &confab_domain::api::Bootstrap {
            site: confab_domain::ids::SiteId::from(site),
            branding,
            dialogue: Some(dialogue),
            visitor: Default::default(),
            agents_free_today,
        },
    )
}

/// `GET …/dialogues/{id}/versions/{n}` in a preview: the draft, whatever the number (a
/// preview resumed after a reload runs what is saved now).
pub async fn version(db: &D1Database, site: &str, id: &str) -> ApiResult<Response> {
    http::json(200, &draft(db, site, id).await?)
}

/// `POST …/events` in a preview: accepted and not recorded, so previews never count in
/// analytics or reach Marketo.
pub fn event() -> ApiResult<Response> {
    http::json(202, &serde_json::json!({ "recorded": false, "preview": true }))
}

/// `POST …/bookings` in a preview: checked like a real booking, then answered with the agent
/// routing would choose at that time; no meeting is made and no time is held.
pub async fn booking(req: &mut Request, env: &Env, db: &D1Database, site: &str) -> ApiResult<Response> {
    let body: BookingRequest = http::json_body(req).await?;
    let email = Email::parse(&body.email).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let start = parse_time(&body.start).ok_or_else(|| {
        ApiError::bad_request("invalid_start", "`start` must be an RFC 3339 time such as 2026-12-01T15:00:00Z.")
    })?;
    let minutes = super::slots::duration(body.duration_minutes)?;
    let input = Input {
        start,
        minutes,
        email: Some(email.as_str()),
        name: None,
        visitor_id: None,
        answers: &body.answers,
        dialogue_id: body.dialogue_id.as_deref(),
        idempotency_key: None,
    };
    let command = pool_command(db, site, &input, clock::now()).await?;
    let route = routing_pool::simulate(env, &command).await?;
    let agent = super::bookings::assigned_agent(&command, &route).ok_or(ApiError::SlotTaken)?;
    let end = start + chrono::Duration::minutes(i64::from(minutes));
    let secs = chrono::SecondsFormat::Secs;
    http::json(
        200,
        &Booking {
            meeting_id: MeetingId("preview".to_owned()),
            agent,
            start: start.to_rfc3339_opts(secs, true),
            end: end.to_rfc3339_opts(secs, true),
            invite_url: None,
            cancel_url: None,
            reschedule_url: None,
        },
    )
}
