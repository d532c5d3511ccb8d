//! The Marketo activity outbox: activities are written here in the same request that causes
//! them, and delivered later by the gateway.
//!
//! Invariants: an activity's `key` is unique, so enqueuing it again is a no-op; a row leaves
//! `pending` only for `delivered` (Marketo answered `added`) or `failed` (Marketo refused it
//! for good, or it ran out of attempts), with the reason kept.

use super::ms;
use crate::error::ApiResult;
use confab_domain::marketo::{ActivityKind, OutboxActivity};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// Adds an activity for the visitor with this email (and Marketo lead id, when known).
pub async fn enqueue(
    db: &D1Database,
    key: &str,
    email: &str,
    marketo_lead_id: Option<i64>,
    at: &str,
    kind: &ActivityKind,
) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO marketo_outbox (key, email, marketo_lead_id, at, activity) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(key) DO NOTHING",
    )
    .bind(&[
        key.into(),
        email.into(),
        marketo_lead_id.map_or(JsValue::NULL, ms),
        at.into(),
        serde_json::to_string(kind)?.into(),
    ])?
    .run()
    .await?;
    Ok(())
}

#[derive(Deserialize)]
struct DueRow {
    id: f64,
    key: String,
    email: Option<String>,
    marketo_lead_id: Option<f64>,
    at: String,
    activity: String,
    attempts: f64,
}

/// What a pending row asks of Marketo.
#[derive(Debug, Clone)]
pub enum Item {
    /// A custom activity.
    Activity(ActivityKind),
    /// createOrUpdate the lead with these fields, then associate the cookie, if any.
    Identify {
        /// Fields the visitor typed, by REST name.
        fields: Map<String, Value>,
        /// The Munchkin cookie to associate.
        cookie: Option<String>,
    },
}

/// The JSON of an identify row (activities are stored as `ActivityKind`).
#[derive(Serialize, Deserialize)]
struct IdentifyJson {
    identify: IdentifyBody,
}

#[derive(Serialize, Deserialize)]
struct IdentifyBody {
    fields: Map<String, Value>,
    cookie: Option<String>,
}

/// A pending row due for delivery.
pub struct Due {
    /// Row id.
    pub id: i64,
    /// Attempts so far.
    pub attempts: u32,
    /// The visitor's email, to find the lead.
    pub email: Option<String>,
    /// The idempotency key.
    pub key: String,
    /// Marketo's lead id; 0 while unknown.
    pub lead_id: i64,
    /// When it happened, RFC 3339.
    pub at: String,
    /// What to do.
    pub item: Item,
}

impl Due {
    /// The activity to send, for activity rows.
    pub fn activity(&self) -> Option<OutboxActivity> {
        match &self.item {
            Item::Activity(kind) => Some(OutboxActivity {
                key: self.key.clone(),
                lead_id: self.lead_id,
                at: self.at.clone(),
                kind: kind.clone(),
            }),
            Item::Identify { .. } => None,
        }
    }
}

/// Queues "createOrUpdate this lead and associate this cookie" for Marketo, durably.
pub async fn enqueue_identify(
    db: &D1Database,
    key: &str,
    email: &str,
    fields: &Map<String, Value>,
    cookie: Option<&str>,
    at: &str,
) -> ApiResult<()> {
    let body = IdentifyJson { identify: IdentifyBody { fields: fields.clone(), cookie: cookie.map(str::to_owned) } };
    db.prepare(
        "INSERT INTO marketo_outbox (key, email, at, activity) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO NOTHING",
    )
    .bind(&[key.into(), email.into(), at.into(), serde_json::to_string(&body)?.into()])?
    .run()
    .await?;
    Ok(())
}

/// Up to `limit` pending rows due at `now_ms`, oldest first. A row that cannot be read is
/// marked failed instead of blocking the queue.
pub async fn due(db: &D1Database, now_ms: i64, limit: u32) -> ApiResult<Vec<Due>> {
    let rows: Vec<DueRow> = db
        .prepare(
            "SELECT id, key, email, marketo_lead_id, at, activity, attempts FROM marketo_outbox \
             WHERE status = 'pending' AND next_attempt_ms <= ?1 ORDER BY id LIMIT ?2",
        )
        .bind(&[ms(now_ms), JsValue::from(limit)])?
        .all()
        .await?
        .results()?;
    let mut due = Vec::new();
    for row in rows {
        let item = match serde_json::from_str::<IdentifyJson>(&row.activity) {
            Ok(IdentifyJson { identify }) => Ok(Item::Identify { fields: identify.fields, cookie: identify.cookie }),
            Err(_) => serde_json::from_str::<ActivityKind>(&row.activity).map(Item::Activity),
        };
        match item {
            Ok(item) => due.push(Due {
                id: row.id as i64,
                attempts: row.attempts as u32,
                email: row.email,
                key: row.key,
                lead_id: row.marketo_lead_id.map_or(0, |l| l as i64),
                at: row.at,
                item,
            }),
            Err(e) => write(db, vec![fail(db, row.id as i64, &format!("unreadable outbox row: {e}"))?]).await?,
        }
    }
    Ok(due)
}

/// Marks a row delivered (a statement, so a batch's outcomes are written together).
pub fn delivered(db: &D1Database, id: i64, lead_id: i64, guid: &str, now: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "UPDATE marketo_outbox SET status = 'delivered', marketo_lead_id = ?2, marketo_guid = ?3, delivered_at = ?4, \
             attempts = attempts + 1, last_error = NULL WHERE id = ?1 AND status = 'pending'",
        )
        .bind(&[ms(id), ms(lead_id), guid.into(), now.into()])?)
}

/// Marks a row failed for good.
pub fn fail(db: &D1Database, id: i64, reason: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "UPDATE marketo_outbox SET status = 'failed', last_error = ?2, attempts = attempts + 1 \
             WHERE id = ?1 AND status = 'pending'",
        )
        .bind(&[ms(id), reason.into()])?)
}

/// Schedules another attempt.
pub fn retry_later(db: &D1Database, id: i64, at_ms: i64, reason: &str) -> ApiResult<D1PreparedStatement> {
    Ok(db
        .prepare(
            "UPDATE marketo_outbox SET attempts = attempts + 1, next_attempt_ms = ?2, last_error = ?3 \
             WHERE id = ?1 AND status = 'pending'",
        )
        .bind(&[ms(id), ms(at_ms), reason.into()])?)
}

/// Runs outcome statements together.
pub async fn write(db: &D1Database, statements: Vec<D1PreparedStatement>) -> ApiResult<()> {
    if !statements.is_empty() {
        db.batch(statements).await?;
    }
    Ok(())
}

/// Holds rows back until `until_ms` while a call delivers them: if the outcome cannot be
/// written, they are not sent again at once.
pub async fn claim(db: &D1Database, ids: &[i64], until_ms: i64) -> ApiResult<()> {
    let list = serde_json::to_string(ids)?;
    db.prepare("UPDATE marketo_outbox SET next_attempt_ms = ?2 WHERE id IN (SELECT value FROM json_each(?1))")
        .bind(&[list.into(), ms(until_ms)])?
        .run()
        .await?;
    Ok(())
}

/// Records the Marketo lead id of a pending row.
pub async fn set_lead(db: &D1Database, id: i64, lead_id: i64) -> ApiResult<()> {
    db.prepare("UPDATE marketo_outbox SET marketo_lead_id = ?2 WHERE id = ?1")
        .bind(&[ms(id), ms(lead_id)])?
        .run()
        .await?;
    Ok(())
}

/// When the next pending row is due, if any.
pub async fn next_due_ms(db: &D1Database) -> ApiResult<Option<i64>> {
    let next: Option<f64> = db
        .prepare("SELECT MIN(next_attempt_ms) AS next FROM marketo_outbox WHERE status = 'pending'")
        .first(Some("next"))
        .await?;
    Ok(next.map(|n| n as i64))
}

#[derive(Deserialize, serde::Serialize)]
struct CountRow {
    status: String,
    n: f64,
}

/// Rows per status, and the most recent failures.
pub async fn summary(db: &D1Database) -> ApiResult<serde_json::Value> {
    let counts: Vec<CountRow> =
        db.prepare("SELECT status, COUNT(*) AS n FROM marketo_outbox GROUP BY status").all().await?.results()?;
    let count = |s: &str| counts.iter().find(|c| c.status == s).map_or(0, |c| c.n as u64);
    #[derive(Deserialize, serde::Serialize)]
    struct Failed {
        key: String,
        last_error: Option<String>,
        attempts: f64,
    }
    let failed: Vec<Failed> = db
        .prepare(
            "SELECT key, last_error, attempts FROM marketo_outbox WHERE status = 'failed' ORDER BY id DESC LIMIT 20",
        )
        .all()
        .await?
        .results()?;
    let pending_errors: Vec<Failed> = db
        .prepare(
            "SELECT key, last_error, attempts FROM marketo_outbox WHERE status = 'pending' AND last_error IS NOT NULL \
             ORDER BY id DESC LIMIT 5",
        )
        .all()
        .await?
        .results()?;
    Ok(serde_json::json!({
        "pending": count("pending"),
        "delivered": count("delivered"),
        "failed": count("failed"),
        "recent_failures": failed,
        "retrying": pending_errors,
    }))
}

#[derive(Deserialize)]
struct MeetingRow {
    email: String,
    agent: String,
    start_at: String,
}

/// What a meeting activity names: the visitor's email, the agent's name and the start.
pub async fn meeting_facts(db: &D1Database, meeting: &str) -> ApiResult<Option<(String, String, String)>> {
    let row: Option<MeetingRow> = db
        .prepare(
            "SELECT m.email AS email, a.name AS agent, m.start_at AS start_at FROM meetings m \
             JOIN agents a ON a.id = m.agent_id WHERE m.id = ?1",
        )
        .bind(&[meeting.into()])?
        .first(None)
        .await?;
    Ok(row.map(|r| (r.email.to_lowercase(), r.agent, r.start_at)))
}
