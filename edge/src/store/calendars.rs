//! Calendar connections, the busy-time cache and the calendar write-back queue.
//!
//! Invariants: an agent has at most one connection (none means the built-in calendar);
//! credentials are read only by the calendar client and never returned by an API; the busy
//! cache of an agent is replaced as a whole, in one batch with the window it covers, so it is
//! never half old, half new; a meeting is in `calendar_sync` while its agent's calendar does
//! not match it, and a claim pushes `next_at_ms` forward before any provider call, so two
//! workers never write the same meeting at once.

use super::ms;
use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use confab_domain::availability::Interval;
use confab_domain::ids::AgentId;
use serde::Deserialize;
use worker::D1Database;

/// An agent's calendar connection as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct Connection {
    /// The agent.
    pub agent_id: String,
    /// `google`, `microsoft` or `caldav`.
    pub provider: String,
    /// The account (or calendar URL) shown to admins.
    pub account: String,
    /// JSON credentials (see `calendars::Credentials`).
    pub credentials: String,
    /// JSON `Health`.
    pub health: String,
    /// Window the cached busy time covers, Unix ms.
    pub busy_from_ms: f64,
    /// End of that window.
    pub busy_until_ms: f64,
    /// When the busy time was last read; 0 if never.
    pub busy_fetched_ms: f64,
}

const COLUMNS: &str =
    "c.agent_id, c.provider, c.account, c.credentials, c.health, c.busy_from_ms, c.busy_until_ms, c.busy_fetched_ms";

/// Connections of the site's agents.
pub async fn connections(db: &D1Database, site: &str) -> ApiResult<Vec<Connection>> {
    Ok(connections_statement(db, site)?.all().await?.results()?)
}

/// The query behind [`connections`].
pub(super) fn connections_statement(db: &D1Database, site: &str) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(format!(
            "SELECT {COLUMNS} FROM calendar_connections c JOIN agents a ON a.id = c.agent_id WHERE a.site_id = ?1"
        ))
        .bind(&[site.into()])?)
}

/// The agent's connection, if their calendar is not the built-in one.
pub async fn connection(db: &D1Database, agent: &str) -> ApiResult<Option<Connection>> {
    Ok(db
        .prepare(format!("SELECT {COLUMNS} FROM calendar_connections c WHERE c.agent_id = ?1"))
        .bind(&[agent.into()])?
        .first(None)
        .await?)
}

/// Connects (or reconnects) an agent's calendar: health and cache start afresh.
pub async fn connect(
    db: &D1Database,
    agent: &str,
    provider: &str,
    account: &str,
    credentials: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let upsert = db
        .prepare(
            "INSERT INTO calendar_connections (agent_id, provider, account, credentials, health, connected_at)
             VALUES (?1, ?2, ?3, ?4, '{}', ?5)
             ON CONFLICT(agent_id) DO UPDATE SET provider = excluded.provider, account = excluded.account,
               credentials = excluded.credentials, health = '{}', busy_from_ms = 0, busy_until_ms = 0,
               busy_fetched_ms = 0, connected_at = excluded.connected_at",
        )
        .bind(&[agent.into(), provider.into(), account.into(), credentials.into(), now.to_rfc3339().into()])?;
    let clear = db.prepare("DELETE FROM calendar_busy WHERE agent_id = ?1").bind(&[agent.into()])?;
    db.batch(vec![upsert, clear]).await?;
    Ok(())
}

/// Back to the built-in calendar.
pub async fn disconnect(db: &D1Database, agent: &str) -> ApiResult<()> {
    let delete = db.prepare("DELETE FROM calendar_connections WHERE agent_id = ?1").bind(&[agent.into()])?;
    let clear = db.prepare("DELETE FROM calendar_busy WHERE agent_id = ?1").bind(&[agent.into()])?;
    db.batch(vec![delete, clear]).await?;
    Ok(())
}

/// Stores refreshed credentials (a new access token, a rotated refresh token).
pub async fn set_credentials(db: &D1Database, agent: &str, credentials: &str) -> ApiResult<()> {
    db.prepare("UPDATE calendar_connections SET credentials = ?2 WHERE agent_id = ?1")
        .bind(&[agent.into(), credentials.into()])?
        .run()
        .await?;
    Ok(())
}

/// Stores the connection's health.
pub async fn set_health(db: &D1Database, agent: &str, health: &str) -> ApiResult<()> {
    db.prepare("UPDATE calendar_connections SET health = ?2 WHERE agent_id = ?1")
        .bind(&[agent.into(), health.into()])?
        .run()
        .await?;
    Ok(())
}

/// Replaces the agent's cached busy time for `[from, until)`, read at `fetched_ms`.
pub async fn store_busy(
    db: &D1Database,
    agent: &str,
    window: Interval,
    fetched_ms: i64,
    busy: &[Interval],
) -> ApiResult<()> {
    let rows: Vec<[i64; 2]> = busy.iter().map(|b| [b.start.timestamp_millis(), b.end.timestamp_millis()]).collect();
    let clear = db.prepare("DELETE FROM calendar_busy WHERE agent_id = ?1").bind(&[agent.into()])?;
    let insert = db
        .prepare(
            "INSERT INTO calendar_busy (agent_id, start_ms, end_ms)
             SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?2)",
        )
        .bind(&[agent.into(), serde_json::to_string(&rows)?.into()])?;
    let mark = db
        .prepare(
            "UPDATE calendar_connections SET busy_from_ms = ?2, busy_until_ms = ?3, busy_fetched_ms = ?4 WHERE agent_id = ?1",
        )
        .bind(&[
            agent.into(),
            ms(window.start.timestamp_millis()),
            ms(window.end.timestamp_millis()),
            ms(fetched_ms),
        ])?;
    db.batch(vec![clear, insert, mark]).await?;
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct BusyRow {
    agent_id: String,
    start_ms: f64,
    end_ms: f64,
}

/// The query behind [`cached_busy`].
pub(super) fn busy_statement(
    db: &D1Database,
    site: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "SELECT b.agent_id, b.start_ms, b.end_ms FROM calendar_busy b JOIN agents a ON a.id = b.agent_id
             WHERE a.site_id = ?1 AND b.start_ms < ?3 AND b.end_ms > ?2",
        )
        .bind(&[site.into(), ms(from.timestamp_millis()), ms(until.timestamp_millis())])?)
}

/// Cached calendar busy time of the site's agents overlapping `[from, until)`.
pub async fn cached_busy(
    db: &D1Database,
    site: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> ApiResult<Vec<(AgentId, Interval)>> {
    let rows: Vec<BusyRow> = busy_statement(db, site, from, until)?.all().await?.results()?;
    Ok(busy_rows(rows))
}

/// Busy rows as (agent, interval).
pub(super) fn busy_rows(rows: Vec<BusyRow>) -> Vec<(AgentId, Interval)> {
    rows.into_iter()
        .map(|r| {
            let at = |v: f64| DateTime::from_timestamp_millis(v as i64).unwrap_or_default();
            (AgentId(r.agent_id), Interval { start: at(r.start_ms), end: at(r.end_ms) })
        })
        .collect()
}

/// Queues a meeting for the calendar write-back, due now (a queued meeting stays queued).
pub fn enqueue_statement(
    db: &D1Database,
    meeting: &str,
    site: &str,
    now_ms: i64,
) -> ApiResult<worker::D1PreparedStatement> {
    Ok(db
        .prepare(
            "INSERT INTO calendar_sync (meeting_id, site_id, next_at_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT(meeting_id) DO UPDATE SET next_at_ms = MIN(next_at_ms, excluded.next_at_ms)",
        )
        .bind(&[meeting.into(), site.into(), ms(now_ms)])?)
}

#[derive(Deserialize)]
struct Claimed {
    attempts: f64,
}

/// Claims a queued meeting that is due at `now_ms` until `until_ms`; its attempt number
/// (from 1), or `None` when it is not due or someone else holds it.
pub async fn claim(db: &D1Database, meeting: &str, now_ms: i64, until_ms: i64) -> ApiResult<Option<u32>> {
    let row: Option<Claimed> = db
        .prepare(
            "UPDATE calendar_sync SET next_at_ms = ?3, attempts = attempts + 1
             WHERE meeting_id = ?1 AND next_at_ms <= ?2 RETURNING attempts",
        )
        .bind(&[meeting.into(), ms(now_ms), ms(until_ms)])?
        .first(None)
        .await?;
    Ok(row.map(|r| r.attempts as u32))
}

/// Meetings of the site due for the write-back at `now_ms`.
pub async fn due(db: &D1Database, site: &str, now_ms: i64, limit: u32) -> ApiResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        meeting_id: String,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT meeting_id FROM calendar_sync WHERE site_id = ?1 AND next_at_ms <= ?2 ORDER BY next_at_ms LIMIT ?3",
        )
        .bind(&[site.into(), ms(now_ms), ms(i64::from(limit))])?
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(|r| r.meeting_id).collect())
}

/// When the site's next queued write-back is due, if any.
pub async fn next_due_ms(db: &D1Database, site: &str) -> ApiResult<Option<i64>> {
    let next: Option<f64> = db
        .prepare("SELECT MIN(next_at_ms) AS next FROM calendar_sync WHERE site_id = ?1")
        .bind(&[site.into()])?
        .first(Some("next"))
        .await?;
    Ok(next.map(|n| n as i64))
}

/// Puts a claimed meeting back for a later attempt, with the reason.
pub async fn retry_later(db: &D1Database, meeting: &str, at_ms: i64, error: &str) -> ApiResult<()> {
    db.prepare("UPDATE calendar_sync SET next_at_ms = ?2, last_error = ?3 WHERE meeting_id = ?1")
        .bind(&[meeting.into(), ms(at_ms), error.into()])?
        .run()
        .await?;
    Ok(())
}

/// A meeting as the calendar write-back needs it.
#[derive(Debug, Deserialize)]
pub struct SyncMeeting {
    /// Id.
    pub id: String,
    /// Agent.
    pub agent_id: String,
    /// Agent's email (the organizer), if known.
    pub agent_email: Option<String>,
    /// Agent's name.
    pub agent_name: String,
    /// Agent's working-hours JSON (for the time zone).
    pub schedule: String,
    /// Status.
    pub status: String,
    /// Start, Unix ms.
    pub start_ms: f64,
    /// End, Unix ms.
    pub end_ms: f64,
    /// Visitor's email.
    pub email: String,
    /// Visitor's name.
    pub name: Option<String>,
    /// The provider the event was (or is to be) written to.
    pub calendar_provider: String,
    /// The event's id at the provider, once created.
    pub calendar_event_id: Option<String>,
    /// The start the event was last written with.
    pub calendar_synced_start_ms: Option<f64>,
}

/// The meeting `id` with what the write-back needs.
pub async fn sync_meeting(db: &D1Database, id: &str) -> ApiResult<Option<SyncMeeting>> {
    Ok(db
        .prepare(
            "SELECT m.id, m.agent_id, a.email AS agent_email, a.name AS agent_name, a.schedule, m.status,
                    m.start_ms, m.end_ms, m.email, m.name, m.calendar_provider, m.calendar_event_id,
                    m.calendar_synced_start_ms
             FROM meetings m JOIN agents a ON a.id = m.agent_id WHERE m.id = ?1",
        )
        .bind(&[id.into()])?
        .first(None)
        .await?)
}

/// Records what the agent's calendar now holds for the meeting and takes it off the queue:
/// the event (or none, once deleted), the start it was written with and the join link; a
/// `pending_calendar` meeting becomes `scheduled`, with a history entry.
pub async fn synced(
    db: &D1Database,
    id: &str,
    event_id: Option<&str>,
    synced_start_ms: Option<i64>,
    join_url: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let opt = |s: Option<&str>| s.map_or(wasm_bindgen::JsValue::NULL, Into::into);
    let update = db
        .prepare(
            "UPDATE meetings SET calendar_event_id = ?2, calendar_synced_start_ms = ?3,
               join_url = COALESCE(?4, join_url),
               status = CASE status WHEN 'pending_calendar' THEN 'scheduled' ELSE status END
             WHERE id = ?1",
        )
        .bind(&[id.into(), opt(event_id), synced_start_ms.map_or(wasm_bindgen::JsValue::NULL, ms), opt(join_url)])?;
    let history = db
        .prepare(
            "INSERT INTO meeting_events (meeting_id, at, kind, actor, detail)
             SELECT ?1, ?2, 'calendar_written', 'system', ?3 FROM meetings WHERE id = ?1 AND status = 'pending_calendar'",
        )
        .bind(&[id.into(), now.to_rfc3339().into(), "The event is in the agent's calendar.".into()])?;
    let done = db.prepare("DELETE FROM calendar_sync WHERE meeting_id = ?1").bind(&[id.into()])?;
    db.batch(vec![history, update, done]).await?;
    Ok(())
}

/// Queue counts and the latest errors, for the admin.
pub async fn queue_summary(db: &D1Database, site: &str) -> ApiResult<serde_json::Value> {
    #[derive(Deserialize, serde::Serialize)]
    struct Row {
        meeting_id: String,
        attempts: f64,
        last_error: String,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT meeting_id, attempts, last_error FROM calendar_sync WHERE site_id = ?1 ORDER BY next_at_ms LIMIT 50",
        )
        .bind(&[site.into()])?
        .all()
        .await?
        .results()?;
    let pending: Option<f64> = db
        .prepare("SELECT COUNT(*) AS n FROM calendar_sync WHERE site_id = ?1")
        .bind(&[site.into()])?
        .first(Some("n"))
        .await?;
    Ok(serde_json::json!({ "pending": pending.unwrap_or(0.0) as u64, "items": rows }))
}
