//! Chat events: what visitors did, per visitor and session.

use super::ms;
use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use confab_domain::api::ChatEvent;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// Stores an event; `Some(id)` when it counted, `None` when its `once_key` was already taken.
pub async fn insert(
    db: &D1Database,
    site: &str,
    e: &ChatEvent,
    once_key: Option<&str>,
    lead_id: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<Option<i64>> {
    let id: Option<f64> = db
        .prepare(
            "INSERT INTO chat_events (site_id, visitor_id, session_id, dialogue_id, version, kind, card, value, lead_id, \
             at, at_ms, once_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
             ON CONFLICT(once_key) WHERE once_key IS NOT NULL DO NOTHING RETURNING id",
        )
        .bind(&[
            site.into(),
            e.visitor_id.as_str().into(),
            e.session_id.as_str().into(),
            e.dialogue.as_str().into(),
            JsValue::from(e.version),
            e.kind.as_str().into(),
            e.card.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            e.value.as_deref().map_or(JsValue::NULL, JsValue::from_str),
            lead_id.map_or(JsValue::NULL, ms),
            now.to_rfc3339().into(),
            ms(now.timestamp_millis()),
            once_key.map_or(JsValue::NULL, JsValue::from_str),
        ])?
        .first(Some("id"))
        .await?;
    Ok(id.map(|i| i as i64))
}

#[derive(Deserialize)]
struct EventRow {
    visitor_id: String,
    session_id: String,
    dialogue_id: String,
    version: f64,
    kind: String,
    card: Option<String>,
    value: Option<String>,
}

/// Ties the visitor's anonymous events to `lead_id`; returns the events adopted now.
pub async fn adopt(db: &D1Database, site: &str, visitor: &str, lead_id: i64) -> ApiResult<Vec<ChatEvent>> {
    let rows: Vec<EventRow> = db
        .prepare(
            "UPDATE chat_events SET lead_id = ?3 WHERE site_id = ?1 AND visitor_id = ?2 AND lead_id IS NULL \
             RETURNING visitor_id, session_id, dialogue_id, version, kind, card, value",
        )
        .bind(&[site.into(), visitor.into(), ms(lead_id)])?
        .all()
        .await?
        .results()?;
    Ok(rows
        .into_iter()
        .map(|r| ChatEvent {
            visitor_id: r.visitor_id,
            session_id: r.session_id,
            dialogue: r.dialogue_id,
            version: r.version as u32,
            kind: r.kind,
            card: r.card,
            value: r.value,
            mkto: None,
            id: None,
        })
        .collect())
}
