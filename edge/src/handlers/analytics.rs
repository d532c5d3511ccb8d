//! `GET /api/admin/v1/analytics?site=&from=&to=`: per dialogue, visitors triggered, engaged
//! and completed (counted once per visitor and session, as stored by `handlers/events.rs`),
//! emails captured, meetings booked, the engagement and conversion rates and a daily series;
//! per agent, meetings by status. The range is `[from, to)`, 30 days back by default.

use super::slots::parse_time;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use worker::{D1Database, Request, Response};

#[derive(Deserialize)]
struct CountRow {
    dialogue_id: String,
    kind: String,
    day: String,
    n: f64,
}

#[derive(Deserialize)]
struct DialogueRow {
    id: String,
    name: String,
}

fn ms(t: DateTime<Utc>) -> JsValue {
    JsValue::from_f64(t.timestamp_millis() as f64)
}

/// A rate as a percentage with one decimal, or `None` when the base is 0.
fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// The analytics of a site over a range.
pub async fn get(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let time = |name: &'static str| -> ApiResult<Option<DateTime<Utc>>> {
        http::query(req, name)?
            .map(|s| {
                parse_time(&s).ok_or_else(|| {
                    ApiError::bad_request("invalid_period", format!("`{name}` must be an RFC 3339 time."))
                })
            })
            .transpose()
    };
    let until = time("to")?.unwrap_or_else(clock::now);
    let from = time("from")?.unwrap_or(until - Duration::days(30));
    if from >= until || until - from > Duration::days(366) {
        return Err(ApiError::bad_request("invalid_period", "The range must run forward and last at most a year."));
    }
    let (from_text, until_text) = (from.to_rfc3339(), until.to_rfc3339());
    let statements = vec![
        db.prepare("SELECT id, name FROM dialogues WHERE site_id = ?1 ORDER BY priority DESC, name")
            .bind(&[site.as_str().into()])?,
        // Counted events per dialogue, kind and day.
        db.prepare(
            "SELECT dialogue_id, kind, substr(at, 1, 10) AS day, COUNT(*) AS n FROM chat_events
             WHERE site_id = ?1 AND at_ms >= ?2 AND at_ms < ?3 AND kind IN ('triggered', 'engaged', 'completed')
             GROUP BY dialogue_id, kind, day",
        )
        .bind(&[site.as_str().into(), ms(from), ms(until)])?,
        // Distinct emails per dialogue and day: captured in the chat, or given to book.
        db.prepare(
            "SELECT dialogue_id, 'emails' AS kind, day, COUNT(DISTINCT email) AS n FROM (
               SELECT dialogue_id, lower(value) AS email, substr(at, 1, 10) AS day FROM chat_events
                 WHERE site_id = ?1 AND kind = 'capture' AND value LIKE '%_@_%' AND at_ms >= ?2 AND at_ms < ?3
               UNION
               SELECT dialogue_id, lower(email), substr(created_at, 1, 10) FROM meetings
                 WHERE site_id = ?1 AND dialogue_id IS NOT NULL AND created_at >= ?4 AND created_at < ?5)
             GROUP BY dialogue_id, day",
        )
        .bind(&[
            site.as_str().into(),
            ms(from),
            ms(until),
            from_text.as_str().into(),
            until_text.as_str().into(),
        ])?,
        // Meetings booked per dialogue and day.
        db.prepare(
            "SELECT dialogue_id, 'meetings' AS kind, substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM meetings
             WHERE site_id = ?1 AND dialogue_id IS NOT NULL AND created_at >= ?2 AND created_at < ?3
             GROUP BY dialogue_id, day",
        )
        .bind(&[site.as_str().into(), from_text.as_str().into(), until_text.as_str().into()])?,
    ];
    let mut results = db.batch(statements).await?.into_iter();
    let mut next = || results.next().ok_or_else(|| ApiError::Internal("short D1 batch".into()));
    let dialogues: Vec<DialogueRow> = next()?.results()?;
    let mut rows: Vec<CountRow> = next()?.results()?;
    rows.extend(next()?.results::<CountRow>()?);
    rows.extend(next()?.results::<CountRow>()?);
    let kinds = ["triggered", "engaged", "completed", "emails", "meetings"];
    let mut totals: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    let mut days: BTreeMap<&str, BTreeMap<&str, BTreeMap<&str, u64>>> = BTreeMap::new();
    for r in &rows {
        let Some(kind) = kinds.iter().find(|k| **k == r.kind) else { continue };
        *totals.entry(r.dialogue_id.as_str()).or_default().entry(kind).or_default() += r.n as u64;
        *days.entry(r.dialogue_id.as_str()).or_default().entry(r.day.as_str()).or_default().entry(kind).or_default() +=
            r.n as u64;
    }
    let per_dialogue: Vec<Value> = dialogues
        .iter()
        .map(|d| {
            let t = totals.get(d.id.as_str()).cloned().unwrap_or_default();
            let get = |k: &str| t.get(k).copied().unwrap_or(0);
            let series: Vec<Value> = days
                .get(d.id.as_str())
                .map(|by_day| by_day.iter().map(|(day, counts)| json!({ "day": day, "counts": counts })).collect())
                .unwrap_or_default();
            json!({
                "id": d.id, "name": d.name,
                "triggered": get("triggered"), "engaged": get("engaged"), "completed": get("completed"),
                "emails": get("emails"), "meetings": get("meetings"),
                "engagement_rate": rate(get("engaged"), get("triggered")),
                "conversion_rate": rate(get("meetings"), get("engaged")),
                "days": series,
            })
        })
        .collect();
    let mut agents: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for (agent, status, n) in store::totals(db, &site, Some(from), Some(until)).await? {
        agents.entry(agent.to_string()).or_default().insert(status, n);
    }
    let names: BTreeMap<String, String> =
        store::agents(db, &site).await?.into_iter().map(|a| (a.agent.id.to_string(), a.agent.name)).collect();
    let per_agent: Vec<Value> = agents
        .into_iter()
        .map(|(id, by_status)| json!({ "id": id, "name": names.get(&id).cloned().unwrap_or_else(|| id.clone()), "by_status": by_status }))
        .collect();
    http::json(200, &json!({ "from": from_text, "to": until_text, "dialogues": per_dialogue, "agents": per_agent }))
}
