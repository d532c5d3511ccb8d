//! The busy-time cache: what the slot list and the routing pool know of agents' calendars.
//!
//! Each connection's busy time is read for a window from a day ago to 32 days ahead (every
//! slot the widget can ask for) and kept for `BUSY_TTL_MS`. A slot list refreshes stale
//! caches, all agents at once, waiting at most `WAIT_MS` for them (the rest finish in the
//! background and serve the next visitor), so a 50-agent pool costs one read per agent every
//! few minutes, never one per page view. A failed read keeps the previous cache and counts
//! against the connection's health.

use super::Calendar;
use crate::clock;
use crate::error::ApiResult;
use crate::outbound::sleep;
use crate::store::calendars::{self as stored, Connection};
use chrono::{DateTime, Duration, Utc};
use confab_domain::availability::Interval;
use confab_domain::calendar::busy_is_stale;
use futures_util::future::{Either, join_all, select};
use worker::{Context, D1Database, Env};

/// Longest a visitor's slot list waits for stale caches.
const WAIT_MS: i64 = 1_500;

/// The window a refresh reads around `now`.
pub fn window(now: DateTime<Utc>) -> Interval {
    Interval { start: now - Duration::days(1), end: now + Duration::days(32) }
}

/// Whether `connection`'s cache must be read again to cover `[from, until)` at `now`.
pub fn needs_refresh(connection: &Connection, from: DateTime<Utc>, until: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    connection.busy_fetched_ms <= 0.0
        || busy_is_stale(connection.busy_fetched_ms as i64, now.timestamp_millis())
        || (connection.busy_from_ms as i64) > from.timestamp_millis()
        || (connection.busy_until_ms as i64) < until.timestamp_millis()
}

/// Reads one connection's busy time into the cache and records its health.
pub async fn refresh(env: &Env, db: &D1Database, connection: &Connection) {
    let Some(calendar) = Calendar::open(env, db, connection) else { return };
    let now = clock::now();
    let span = window(now);
    let outcome = calendar.busy(span.start, span.end, now.timestamp_millis()).await;
    calendar.record(&outcome, now.timestamp_millis()).await;
    match outcome {
        Ok(busy) => {
            if let Err(e) = stored::store_busy(db, &connection.agent_id, span, now.timestamp_millis(), &busy).await {
                worker::console_error!("storing busy time failed: {e}");
            }
        }
        Err(e) => worker::console_log!("reading a calendar failed: {e}"),
    }
}

/// Refreshes every stale connection among `connections` for `[from, until)`; waits for them
/// at most `WAIT_MS`, leaving the rest to finish under `waitUntil`. Whether any was stale.
pub async fn refresh_stale(
    env: &Env,
    ctx: &Context,
    connections: &[Connection],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<bool> {
    let now = clock::now();
    let stale: Vec<Connection> = connections.iter().filter(|c| needs_refresh(c, from, until, now)).cloned().collect();
    if stale.is_empty() {
        return Ok(false);
    }
    let env = env.clone();
    let work = Box::pin(async move {
        if let Ok(db) = crate::store::db(&env) {
            join_all(stale.iter().map(|c| refresh(&env, &db, c))).await;
        }
    });
    let timer = Box::pin(sleep(WAIT_MS));
    if let Either::Right(((), work)) = select(work, timer).await {
        worker::console_log!("calendar busy time still loading; answering from the cache");
        ctx.wait_until(work);
    }
    Ok(true)
}
