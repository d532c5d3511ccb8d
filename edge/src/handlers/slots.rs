//! `GET /api/v1/sites/{site}/slots?from=&days=&tz=`: free slots of the site's routing pool in
//! the visitor's time zone, from the agents' working hours and rules (buffers, daily cap, notice,
//! horizon) minus meetings already booked.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use confab_domain::api::{Slot, Slots};
use confab_domain::availability::{AgentSchedule, Interval, SlotRules, pool_slots_with_rules};
use worker::{D1Database, Request, Response};

/// Longest window one request may ask for.
const MAX_DAYS: u32 = 31;

/// Answers the slot list.
pub async fn get_slots(req: &Request, db: &D1Database, site: &str) -> ApiResult<Response> {
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
    let until = from + Duration::days(i64::from(days));
    let rules = SlotRules::default();
    let agents = store::agents(db, site).await?;
    // Whole local days around the window in any zone, plus buffers: two days each side.
    let busy = store::busy(db, site, from - Duration::days(2), until + Duration::days(2)).await?;
    // Meetings booked here; calendar busy times join once calendars are connected.
    let meetings_of: Vec<Vec<Interval>> =
        agents.iter().map(|a| busy.iter().filter(|(id, _)| *id == a.agent.id).map(|(_, i)| *i).collect()).collect();
    let schedules: Vec<AgentSchedule<'_>> = agents
        .iter()
        .zip(&meetings_of)
        .map(|(a, m)| AgentSchedule { hours: &a.hours, rules: a.rules, meetings: m, busy: &[] })
        .collect();
    let slots = pool_slots_with_rules(&schedules, from, until, now, &rules)
        .into_iter()
        .map(|s| Slot {
            start: s.start.with_timezone(&tz).fixed_offset().to_rfc3339(),
            end: s.end.with_timezone(&tz).fixed_offset().to_rfc3339(),
        })
        .collect();
    http::json(200, &Slots { slots })
}

/// Parses an RFC 3339 time into UTC.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}
