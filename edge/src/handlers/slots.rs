//! `GET /api/v1/sites/{site}/slots?from=&days=&tz=&duration=`: free slots of the site's
//! routing pool in the visitor's time zone, from the agents' working hours and rules (buffers,
//! daily cap, notice, horizon, meeting lengths) minus meetings already booked and minus the
//! busy time of their connected calendars (cached, see `calendars::busy`). Agents whose
//! calendar is unhealthy offer nothing until it is fixed.

use crate::calendars::{self, busy};
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, calendars as stored};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use confab_domain::api::{Slot, Slots};
use confab_domain::availability::{AgentSchedule, Interval, SlotRules, pool_slots_with_rules};
use confab_domain::ids::AgentId;
use std::collections::HashMap;
use worker::{Context, D1Database, Env, Request, Response};

/// Longest window one request may ask for.
const MAX_DAYS: u32 = 31;

/// The meeting length asked for: `duration` (or `duration_minutes`) in minutes, 30 by default.
pub fn duration(value: Option<u32>) -> ApiResult<u32> {
    match value {
        None => Ok(SlotRules::default().duration_minutes),
        Some(m) if m % 5 == 0 && (5..=480).contains(&m) => Ok(m),
        Some(_) => Err(ApiError::bad_request(
            "invalid_duration",
            "The meeting length must be a multiple of 5 minutes from 5 to 480.",
        )),
    }
}

/// What the site's connected calendars say: busy time per agent around `[from, until)` and
/// the agents whose calendar is unhealthy. Stale caches are refreshed first (briefly).
pub async fn calendar_view(
    env: &Env,
    ctx: Option<&Context>,
    db: &D1Database,
    site: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<(HashMap<AgentId, Vec<Interval>>, Vec<AgentId>)> {
    let mut connections = stored::connections(db, site).await?;
    if connections.is_empty() {
        return Ok((HashMap::new(), Vec::new()));
    }
    if let Some(ctx) = ctx {
        let now = clock::now();
        // Only the part of the window anyone can book matters for freshness.
        let horizon = busy::window(now);
        if busy::refresh_stale(env, ctx, &connections, from.max(now), until.min(horizon.end)).await? {
            // Health may have changed with the reads.
            connections = stored::connections(db, site).await?;
        }
    }
    let unhealthy =
        connections.iter().filter(|c| !calendars::is_healthy(c)).map(|c| AgentId(c.agent_id.clone())).collect();
    let mut by_agent: HashMap<AgentId, Vec<Interval>> = HashMap::new();
    for (agent, interval) in stored::cached_busy(db, site, from, until).await? {
        by_agent.entry(agent).or_default().push(interval);
    }
    Ok((by_agent, unhealthy))
}

/// Answers the slot list; `ctx` lets stale calendar caches be refreshed first (a preview gives
/// none and reads the cache as it is).
pub async fn get_slots(
    req: &Request,
    env: &Env,
    ctx: Option<&Context>,
    db: &D1Database,
    site: &str,
) -> ApiResult<Response> {
    let now = clock::now();
    let from = match http::query(req, "from")? {
        Some(s) => parse_time(&s).ok_or_else(|| {
            ApiError::bad_request("invalid_from", "`from` must be an RFC 3339 time such as 2026-12-01T09:00:00Z.")
        })?,
        None => now,
    };
    let days = match http::query(req, "days")? {
        Some(s) => s.parse::<u32>().ok().filter(|d| (1..=MAX_DAYS).contains(d)).ok_or_else(|| {
            ApiError::bad_request("invalid_days", format!("`days` must be a whole number from 1 to {MAX_DAYS}."))
        })?,
        None => 7,
    };
    let tz: Tz = match http::query(req, "tz")? {
        Some(s) => s.parse().map_err(|_| {
            ApiError::bad_request("invalid_time_zone", "`tz` must be an IANA time zone such as Europe/Paris.")
        })?,
        None => Tz::UTC,
    };
    let minutes = duration(http::query(req, "duration")?.map(|d| d.parse::<u32>().unwrap_or(1)))?;
    let until = from + Duration::days(i64::from(days));
    let rules = SlotRules { duration_minutes: minutes, ..SlotRules::default() };
    let slots = free_slots(env, ctx, db, site, from, until, now, &rules)
        .await?
        .into_iter()
        .map(|s| Slot {
            start: s.start.with_timezone(&tz).fixed_offset().to_rfc3339(),
            end: s.end.with_timezone(&tz).fixed_offset().to_rfc3339(),
        })
        .collect();
    http::json(200, &Slots { slots })
}

/// The pool's free slots starting in `[from, until)`: every healthy agent's working hours and
/// rules, less the meetings booked here and their calendars' busy time (refreshed first when
/// `ctx` is given, from the cache alone otherwise).
#[allow(clippy::too_many_arguments)]
pub async fn free_slots(
    env: &Env,
    ctx: Option<&Context>,
    db: &D1Database,
    site: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: &SlotRules,
) -> ApiResult<Vec<Interval>> {
    let agents = store::agents(db, site).await?;
    // Whole local days around the window in any zone, plus buffers: two days each side.
    let (wide_from, wide_until) = (from - Duration::days(2), until + Duration::days(2));
    let booked = store::busy(db, site, wide_from, wide_until).await?;
    let (calendar_busy, unhealthy) = calendar_view(env, ctx, db, site, wide_from, wide_until).await?;
    let agents: Vec<_> = agents.into_iter().filter(|a| !unhealthy.contains(&a.agent.id)).collect();
    let meetings_of: Vec<Vec<Interval>> =
        agents.iter().map(|a| booked.iter().filter(|(id, _)| *id == a.agent.id).map(|(_, i)| *i).collect()).collect();
    let schedules: Vec<AgentSchedule<'_>> = agents
        .iter()
        .zip(&meetings_of)
        .map(|(a, m)| AgentSchedule {
            hours: &a.hours,
            rules: a.rules,
            meetings: m,
            busy: calendar_busy.get(&a.agent.id).map(Vec::as_slice).unwrap_or_default(),
        })
        .collect();
    Ok(pool_slots_with_rules(&schedules, from, until, now, rules))
}

/// The first instant of the day after `now`'s in `tz`: its midnight, or where a
/// daylight-saving change skips midnight (Santiago, Havana, Beirut), the first local time
/// that exists on that date.
fn start_of_next_day(now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    let tomorrow = now.with_timezone(&tz).date_naive().succ_opt()?;
    (0..4).find_map(|hour| {
        tomorrow.and_hms_opt(hour, 0, 0)?.and_local_timezone(tz).earliest().map(|t| t.with_timezone(&Utc))
    })
}

/// Whether any agent has a free slot of the default length between now and the end of today
/// in `tz`, from the busy cache alone (a bootstrap never waits on a calendar provider).
pub async fn free_today(env: &Env, db: &D1Database, site: &str, tz: Tz) -> ApiResult<bool> {
    let now = clock::now();
    let Some(end) = start_of_next_day(now, tz) else { return Ok(false) };
    Ok(!free_slots(env, None, db, site, now, end, now, &SlotRules::default()).await?.is_empty())
}

/// Parses an RFC 3339 time into UTC.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}
