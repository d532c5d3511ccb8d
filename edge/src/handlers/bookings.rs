//! `POST /api/v1/sites/{site}/bookings`: validates the request, then hands the decision to the
//! site's routing-pool Durable Object, the single point that assigns agents.

use super::slots::parse_time;
use super::{invites, meeting_changes};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo::{self, MeetingEvent};
use crate::routing_pool::{self, BookCommand, PoolAgent};
use crate::store::{self, Site};
use confab_domain::api::BookingRequest;
use confab_domain::availability::{Interval, SlotRules};
use confab_domain::email::Email;
use confab_domain::ids::is_valid_slug;
use worker::{Context, D1Database, Env, Request, Response};

/// Longest accepted visitor name.
const MAX_NAME_CHARS: usize = 200;

/// Books a meeting with the next free agent, or answers 409 `slot_taken`.
pub async fn create_booking(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    site: &str,
    config: &Site,
) -> ApiResult<Response> {
    // A retried request (same key) gets the meeting the first one made, never a second one.
    let idempotency_key = req.headers().get("Idempotency-Key")?;
    if idempotency_key.as_deref().is_some_and(|k| !is_valid_slug(k)) {
        return Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "The Idempotency-Key header must be 1 to 64 letters, digits, - or _.",
        ));
    }
    let body: BookingRequest = http::json_body(req).await?;
    let email = Email::parse(&body.email).map_err(|e| ApiError::bad_request("invalid_email", e.to_string()))?;
    let start = parse_time(&body.start).ok_or_else(|| {
        ApiError::bad_request("invalid_start", "`start` must be an RFC 3339 time such as 2026-12-01T15:00:00Z.")
    })?;
    let name = body.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > MAX_NAME_CHARS) {
        return Err(ApiError::bad_request(
            "invalid_name",
            format!("The name may be at most {MAX_NAME_CHARS} characters."),
        ));
    }
    let visitor_id = body.visitor_id.as_deref();
    if visitor_id.is_some_and(|v| !is_valid_slug(v)) {
        return Err(ApiError::bad_request(
            "invalid_visitor_id",
            "`visitor_id` must be 1 to 64 letters, digits, - or _.",
        ));
    }
    let rules = SlotRules::default();
    let slot = Interval::starting_at(start, rules.duration_minutes);
    // One reading of the clock for the whole request: the check here and the pool's decision.
    let now = clock::now();
    if !rules.allows(start, now) {
        return Err(no_longer_bookable());
    }
    let agents = store::agents(db, site).await?;
    if !agents.iter().any(|a| a.hours.offers(start, rules.duration_minutes)) {
        return Err(ApiError::bad_request(
            "not_a_slot",
            "That time is outside our working hours. Please pick one of the times offered.",
        ));
    }
    let command = BookCommand {
        site: site.to_owned(),
        start_ms: slot.start.timestamp_millis(),
        end_ms: slot.end.timestamp_millis(),
        email: email.as_str().to_owned(),
        name: name.map(str::to_owned),
        visitor_id: visitor_id.map(str::to_owned),
        idempotency_key,
        now_ms: now.timestamp_millis(),
        rules,
        agents: agents
            .into_iter()
            .map(|a| PoolAgent {
                id: a.agent.id,
                name: a.agent.name,
                position: a.position,
                schedule: a.schedule,
                rules: a.rules,
            })
            .collect(),
    };
    let mut booking = routing_pool::book(env, &command).await?;
    let origin = req.url()?.origin().ascii_serialization();
    let id = booking.meeting_id.to_string();
    marketo::record_meeting(env, ctx, db, &id, MeetingEvent::Scheduled, "").await;
    booking.invite_url = invites::invite_path(&config.link_secret, site, &id).map(|p| format!("{origin}{p}"));
    if let Some((cancel, reschedule)) = meeting_changes::manage_paths(&config.link_secret, site, &id) {
        booking.cancel_url = Some(format!("{origin}{cancel}"));
        booking.reschedule_url = Some(format!("{origin}{reschedule}"));
    }
    http::json(201, &booking)
}

/// The answer for a time that notice or horizon no longer allow (bookings and reschedules).
pub fn no_longer_bookable() -> ApiError {
    ApiError::bad_request("not_a_slot", "That time can no longer be booked. Please pick one of the times offered.")
}
