//! Changing a meeting after it was booked: the visitor reschedules or cancels through signed
//! links (no account needed), the admin cancels or records completed / no-show.
//!
//! - `POST /api/v1/visitor-meetings/{site}/{meeting}/cancel?sig=`
//! - `POST /api/v1/visitor-meetings/{site}/{meeting}/reschedule?sig=` with `{"start"}`
//! - `PATCH /api/admin/v1/meetings/{meeting}` with `{"status"}` or `{"start"}`
//!
//! Order of writes, so that no failure can ever let two meetings overlap: a move takes the
//! new time in the routing pool first (and gives it back if D1 fails); a cancel is recorded in
//! D1 first and frees the pool's hold afterwards.

use super::slots::parse_time;
use crate::auth::Principal;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo::{self, MeetingEvent};
use crate::routing_pool::{self, MoveCommand, PoolAgent, Release};
use crate::store;
use chrono::{DateTime, Utc};
use confab_domain::auth::{sign, verify_signature};
use confab_domain::availability::{Interval, SlotRules};
use confab_domain::ids::is_valid_slug;
use confab_domain::meeting::{Change, MeetingStatus, apply};
use confab_domain::routing::period_key;
use serde::Deserialize;
use worker::{Context, D1Database, Env, Request, Response};

/// What the signature of a visitor's manage links covers.
const PURPOSE: &str = "manage";

/// The signed cancel and reschedule paths of a meeting.
pub fn manage_paths(secret: &str, site: &str, meeting: &str) -> Option<(String, String)> {
    if secret.is_empty() {
        return None;
    }
    let sig = sign(secret.as_bytes(), PURPOSE, &format!("{site}/{meeting}"));
    let base = format!("/api/v1/visitor-meetings/{site}/{meeting}");
    Some((format!("{base}/cancel?sig={sig}"), format!("{base}/reschedule?sig={sig}")))
}

#[derive(Deserialize)]
struct RescheduleBody {
    start: String,
}

/// A visitor's cancel or reschedule through a signed link.
pub async fn visitor_change(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    site: &str,
    meeting: &str,
    action: &str,
) -> ApiResult<Response> {
    const NOT_FOUND: ApiError = ApiError::NotFound("No such meeting.");
    if !is_valid_slug(site) || !is_valid_slug(meeting) {
        return Err(NOT_FOUND);
    }
    let secret = store::site(db, site).await.map_err(|_| NOT_FOUND)?.link_secret;
    let sig = http::query(req, "sig")?.unwrap_or_default();
    if !verify_signature(secret.as_bytes(), PURPOSE, &format!("{site}/{meeting}"), &sig) {
        return Err(NOT_FOUND);
    }
    let (change, start) = match action {
        "cancel" => (Change::Cancel, None),
        "reschedule" => {
            let body: RescheduleBody = http::json_body(req).await?;
            (Change::Reschedule, Some(start_of(&body.start)?))
        }
        _ => return Err(ApiError::NotFound("No such action.")),
    };
    change_meeting(env, ctx, db, meeting, Some(site), change, start, "visitor").await
}

#[derive(Deserialize)]
struct AdminBody {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    start: Option<String>,
}

/// An admin's change: `{"status": "canceled" | "completed" | "no_show"}` or `{"start": …}`.
pub async fn admin_change(
    req: &mut Request,
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    who: &Principal,
    meeting: &str,
) -> ApiResult<Response> {
    if !is_valid_slug(meeting) {
        return Err(ApiError::NotFound("No such meeting."));
    }
    let state = store::meeting_state(db, meeting).await?.ok_or(ApiError::NotFound("No such meeting."))?;
    who.may_act_for(&state.agent_id)?;
    let body: AdminBody = http::json_body(req).await?;
    let (change, start) = match (body.status.as_deref().map(MeetingStatus::parse), body.start) {
        (None, Some(start)) => (Change::Reschedule, Some(start_of(&start)?)),
        (Some(Some(MeetingStatus::Canceled)), None) => (Change::Cancel, None),
        (Some(Some(MeetingStatus::Completed)), None) => (Change::Complete, None),
        (Some(Some(MeetingStatus::NoShow)), None) => (Change::NoShow, None),
        _ => {
            return Err(ApiError::bad_request(
                "invalid_change",
                "Send either {\"status\": \"canceled\" | \"completed\" | \"no_show\"} or {\"start\": <RFC 3339>}.",
            ));
        }
    };
    change_meeting(env, ctx, db, meeting, None, change, start, &format!("{}:{}", who.role, who.email)).await
}

fn start_of(s: &str) -> ApiResult<DateTime<Utc>> {
    parse_time(s).ok_or_else(|| {
        ApiError::bad_request("invalid_start", "`start` must be an RFC 3339 time such as 2026-12-01T15:00:00Z.")
    })
}

#[allow(clippy::too_many_arguments)]
async fn change_meeting(
    env: &Env,
    ctx: &Context,
    db: &D1Database,
    meeting: &str,
    site: Option<&str>,
    change: Change,
    new_start: Option<DateTime<Utc>>,
    actor: &str,
) -> ApiResult<Response> {
    let state = store::meeting_state(db, meeting)
        .await?
        .filter(|m| site.is_none_or(|s| s == m.site_id))
        .ok_or(ApiError::NotFound("No such meeting."))?;
    let status = MeetingStatus::parse(&state.status)
        .ok_or_else(|| ApiError::Internal(format!("meeting has unknown status {}", state.status)))?;
    let now = clock::now();
    let old = Interval { start: from_ms(state.start_ms), end: from_ms(state.end_ms) };
    let next = apply(status, change, old.start, now)
        .map_err(|e| ApiError::Conflict { code: "invalid_change", message: e.to_string() })?;
    match (change, new_start) {
        (Change::Reschedule, Some(start)) => {
            // The meeting keeps its length.
            let minutes = u32::try_from((old.end - old.start).num_minutes()).unwrap_or(30);
            let rules = SlotRules { duration_minutes: minutes, ..SlotRules::default() };
            if !rules.allows(start, now) {
                return Err(super::bookings::no_longer_bookable());
            }
            let agent = store::agents(db, &state.site_id)
                .await?
                .into_iter()
                .find(|a| a.agent.id.as_str() == state.agent_id)
                .ok_or_else(|| ApiError::Conflict {
                    code: "agent_unavailable",
                    message: "Your agent no longer takes meetings; please book a new one.".into(),
                })?;
            let slot = Interval::starting_at(start, rules.duration_minutes);
            let around = (slot.start - chrono::Duration::days(1), slot.end + chrono::Duration::days(1));
            let (mut busy, unhealthy) =
                super::slots::calendar_view(env, None, db, &state.site_id, around.0, around.1).await?;
            let command = MoveCommand {
                site: state.site_id.clone(),
                meeting_id: meeting.to_owned(),
                agent: PoolAgent {
                    busy: busy
                        .remove(&agent.agent.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|b| (b.start.timestamp_millis(), b.end.timestamp_millis()))
                        .collect(),
                    healthy: !unhealthy.contains(&agent.agent.id),
                    calendar: String::new(),
                    id: agent.agent.id,
                    name: agent.agent.name,
                    position: agent.position,
                    schedule: agent.schedule,
                    rules: agent.rules,
                    weight_percent: agent.weight_percent,
                },
                start_ms: slot.start.timestamp_millis(),
                end_ms: slot.end.timestamp_millis(),
                now_ms: now.timestamp_millis(),
                rules,
            };
            routing_pool::move_meeting(env, &command).await?;
            let detail = format!("from {} to {}", old.start.to_rfc3339(), slot.start.to_rfc3339());
            if let Err(e) = store::change_meeting(db, meeting, next.as_str(), Some(slot), now, actor, &detail).await {
                routing_pool::unmove_meeting(
                    env,
                    &state.site_id,
                    meeting,
                    old.start.timestamp_millis(),
                    old.end.timestamp_millis(),
                )
                .await?;
                return Err(e);
            }
        }
        (Change::Cancel | Change::NoShow, _) => {
            store::change_meeting(db, meeting, next.as_str(), None, now, actor, "").await?;
            // A cancel frees the time; with credit back on, a cancel or a no-show also gives
            // the meeting back to the agent's round-robin count.
            let routing = store::routing::config(db, &state.site_id).await?;
            let weights = if routing.credit_back {
                store::agents(db, &state.site_id).await?.into_iter().map(|a| (a.agent.id, a.weight_percent)).collect()
            } else {
                Vec::new()
            };
            let release = Release {
                meeting_id: meeting.to_owned(),
                free_time: change == Change::Cancel,
                credit_back_period: routing.credit_back.then(|| period_key(now, routing.reset)),
                weights,
            };
            routing_pool::release(env, &state.site_id, &release).await?;
        }
        _ => store::change_meeting(db, meeting, next.as_str(), None, now, actor, "").await?,
    }
    if matches!(change, Change::Reschedule | Change::Cancel) {
        super::bookings::kick_calendar(env, ctx, &state.site_id, meeting);
    }
    let event = match change {
        Change::Reschedule => MeetingEvent::Rescheduled,
        Change::Cancel => MeetingEvent::Canceled,
        Change::Complete => MeetingEvent::Completed,
        Change::NoShow => MeetingEvent::NoShow,
    };
    marketo::record_meeting(env, ctx, db, meeting, event, &now.timestamp_millis().to_string()).await;
    http::json(200, &serde_json::json!({ "id": meeting, "status": next.as_str() }))
}

fn from_ms(ms: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}
