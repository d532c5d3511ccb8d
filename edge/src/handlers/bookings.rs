//! `POST /api/v1/sites/{site}/bookings`: validates the request, then hands the decision to the
//! site's routing-pool Durable Object, the single point that assigns agents.

use super::slots::parse_time;
use super::{invites, meeting_changes};
use crate::calendars;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::marketo::{self, MeetingEvent};
use crate::routing_pool::{self, BookCommand, PoolAgent, VisitorFacts};
use crate::store::{self, Site};
use chrono::{DateTime, Duration, Utc};
use confab_domain::api::{AgentRef, BookingRequest};
use confab_domain::availability::{Interval, SlotRules};
use confab_domain::email::Email;
use confab_domain::ids::AgentId;
use confab_domain::ids::is_valid_slug;
use confab_domain::routing::Route;
use std::collections::{BTreeMap, HashMap};
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
    crate::limits::visitor(env, site, visitor_id).await?;
    let minutes = super::slots::duration(body.duration_minutes)?;
    if body.answers.len() > MAX_ANSWERS
        || body
            .answers
            .iter()
            .any(|(k, v)| k.chars().count() > MAX_ANSWER_CHARS || v.chars().count() > MAX_ANSWER_CHARS)
    {
        return Err(ApiError::bad_request("invalid_answers", "Too many answers, or an answer that is too long."));
    }
    let dialogue_id = body.dialogue_id.filter(|d| is_valid_slug(d));
    // One reading of the clock for the whole request: the check here and the pool's decision.
    let now = clock::now();
    let input = Input {
        start,
        minutes,
        email: Some(email.as_str()),
        name,
        visitor_id,
        answers: &body.answers,
        dialogue_id: dialogue_id.as_deref(),
        idempotency_key,
    };
    // Decided from the cached busy time: no provider is called before the hold is taken.
    let command = pool_command(db, site, &input, now).await?;
    let calendars_involved = command.agents.iter().any(|a| a.calendar != "builtin");
    let mut booking = routing_pool::book(env, &command).await?;
    let origin = req.url()?.origin().ascii_serialization();
    let id = booking.meeting_id.to_string();
    if calendars_involved {
        // Write the event now, in the background; the pool's alarm retries what fails.
        kick_calendar(env, ctx, site, &id);
    }
    marketo::record_meeting(env, ctx, db, &id, MeetingEvent::Scheduled, "").await;
    booking.invite_url = invites::invite_path(&config.link_secret, site, &id).map(|p| format!("{origin}{p}"));
    if let Some((cancel, reschedule)) = meeting_changes::manage_paths(&config.link_secret, site, &id) {
        booking.cancel_url = Some(format!("{origin}{cancel}"));
        booking.reschedule_url = Some(format!("{origin}{reschedule}"));
    }
    http::json(201, &booking)
}

/// Most answers a booking may carry, and their length.
const MAX_ANSWERS: usize = 50;
const MAX_ANSWER_CHARS: usize = 500;

/// What a booking (or a simulation) asks for.
pub struct Input<'a> {
    /// Slot start.
    pub start: DateTime<Utc>,
    /// Length in minutes.
    pub minutes: u32,
    /// Visitor's email.
    pub email: Option<&'a str>,
    /// Visitor's name.
    pub name: Option<&'a str>,
    /// Widget visitor id.
    pub visitor_id: Option<&'a str>,
    /// Answers by card id.
    pub answers: &'a BTreeMap<String, String>,
    /// Dialogue.
    pub dialogue_id: Option<&'a str>,
    /// `Idempotency-Key`.
    pub idempotency_key: Option<String>,
}

/// The agent `route` assigned, as the visitor and admin see them; `None` when it found nobody.
pub fn assigned_agent(command: &BookCommand, route: &Route) -> Option<AgentRef> {
    let picked = route.assignment.as_ref()?;
    command.agents.iter().find(|p| p.id == picked.agent).map(|p| AgentRef { id: p.id.clone(), name: p.name.clone() })
}

/// Builds the routing pool's command for `input`: validates the time against notice and
/// working hours, and gathers the agents (with calendar busy time around the slot and their
/// calendar's health), the routing configuration (only the account routes that can match) and
/// what routing rules see of the visitor (lead fields and answers).
pub async fn pool_command(
    db: &D1Database,
    site: &str,
    input: &Input<'_>,
    now: DateTime<Utc>,
) -> ApiResult<BookCommand> {
    let rules = SlotRules { duration_minutes: input.minutes, ..SlotRules::default() };
    let slot = Interval::starting_at(input.start, rules.duration_minutes);
    if !rules.allows(input.start, now) {
        return Err(no_longer_bookable());
    }
    // One D1 round trip for everything the decision needs; busy time comes from the cache,
    // never from a provider.
    let window = (slot.start - Duration::days(1), slot.end + Duration::days(1));
    let context = store::booking::context(db, site, input.email, window).await?;
    if !context.agents.iter().any(|a| a.hours.offers(input.start, rules.duration_minutes)) {
        return Err(ApiError::bad_request(
            "not_a_slot",
            "That time is outside our working hours. Please pick one of the times offered.",
        ));
    }
    let mut busy: HashMap<AgentId, Vec<Interval>> = HashMap::new();
    for (agent, interval) in context.busy {
        busy.entry(agent).or_default().push(interval);
    }
    let connections: HashMap<&str, &store::calendars::Connection> =
        context.connections.iter().map(|c| (c.agent_id.as_str(), c)).collect();
    let mut attributes: BTreeMap<String, String> = BTreeMap::new();
    if let Some(lead) = &context.lead {
        for (field, value) in super::identity::visitor_of(lead).attributes {
            attributes.insert(format!("lead.{field}"), value);
        }
    }
    for (card, value) in input.answers {
        attributes.insert(format!("answer.{card}"), value.clone());
    }
    let company = attributes.get("lead.company").cloned();
    Ok(BookCommand {
        site: site.to_owned(),
        start_ms: slot.start.timestamp_millis(),
        end_ms: slot.end.timestamp_millis(),
        email: input.email.unwrap_or_default().to_owned(),
        name: input.name.map(str::to_owned),
        visitor_id: input.visitor_id.map(str::to_owned),
        idempotency_key: input.idempotency_key.clone(),
        now_ms: now.timestamp_millis(),
        rules,
        agents: context
            .agents
            .into_iter()
            .map(|a| {
                let connection = connections.get(a.agent.id.as_str());
                PoolAgent {
                    busy: busy
                        .remove(&a.agent.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|b| (b.start.timestamp_millis(), b.end.timestamp_millis()))
                        .collect(),
                    healthy: connection.is_none_or(|c| calendars::is_healthy(c)),
                    calendar: connection.map_or_else(|| "builtin".to_owned(), |c| c.provider.clone()),
                    id: a.agent.id,
                    name: a.agent.name,
                    position: a.position,
                    schedule: a.schedule,
                    rules: a.rules,
                    weight_percent: a.weight_percent,
                }
            })
            .collect(),
        routing: context.routing,
        visitor: VisitorFacts { email: input.email.map(str::to_owned), company, attributes },
        dialogue_id: input.dialogue_id.map(str::to_owned),
    })
}

/// Writes meeting `id`'s event to the agent's calendar in the background, and has the pool's
/// alarm retry it if that fails.
pub fn kick_calendar(env: &Env, ctx: &Context, site: &str, id: &str) {
    let (env, site, id) = (env.clone(), site.to_owned(), id.to_owned());
    ctx.wait_until(async move {
        let outcome = match store::db(&env) {
            Ok(db) => calendars::sync::sync_one(&env, &db, &id).await,
            Err(e) => Err(e),
        };
        let retry_at = match outcome {
            Ok(calendars::sync::Outcome::RetryAt(at)) => Some(at),
            Ok(_) => None,
            Err(e) => {
                worker::console_error!("calendar write failed: {e}");
                Some(clock::now().timestamp_millis() + 5_000)
            }
        };
        if let Some(at) = retry_at
            && let Err(e) = routing_pool::wake(&env, &site, at).await
        {
            worker::console_error!("could not schedule the calendar retry: {e}");
        }
    });
}

/// The answer for a time that notice or horizon no longer allow (bookings and reschedules).
pub fn no_longer_bookable() -> ApiError {
    ApiError::bad_request("not_a_slot", "That time can no longer be booked. Please pick one of the times offered.")
}
