//! Leads, the Munchkin cookie map, the Marketo outbox and deployment settings.
//!
//! Invariants: a lead from Marketo is keyed by its Marketo id, so storing an export twice
//! (a resumed sync) updates rows instead of duplicating them; emails are stored in lower case;
//! a lead known only here is unique by email.

use super::ms;
use crate::error::ApiResult;
use crate::marketo::StoredLead;
use confab_domain::marketo::LeadRecord;
use serde::Deserialize;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;
use worker::D1Database;

#[derive(Deserialize)]
pub(super) struct LeadRow {
    id: f64,
    marketo_id: Option<f64>,
    attributes: String,
}

impl LeadRow {
    pub(super) fn into_lead(self) -> StoredLead {
        StoredLead {
            id: self.id as i64,
            marketo_id: self.marketo_id.map(|m| m as i64),
            attributes: serde_json::from_str(&self.attributes).unwrap_or_default(),
        }
    }
}

/// What the cookie map says about a cookie token.
pub enum CookieLookup {
    /// Never asked.
    Unknown,
    /// Marketo knew no lead for it when asked at this time (Unix ms).
    NoLead(i64),
    /// The lead.
    Lead(StoredLead),
}

#[derive(Deserialize)]
struct CookieRow {
    lead_id: Option<f64>,
    checked_at_ms: f64,
}

/// The lead a cookie token maps to.
pub async fn lead_by_cookie(db: &D1Database, token: &str) -> ApiResult<CookieLookup> {
    let row: Option<CookieRow> = db
        .prepare("SELECT lead_id, checked_at_ms FROM lead_cookies WHERE token = ?1")
        .bind(&[token.into()])?
        .first(None)
        .await?;
    Ok(match row {
        None => CookieLookup::Unknown,
        Some(CookieRow { lead_id: None, checked_at_ms }) => CookieLookup::NoLead(checked_at_ms as i64),
        Some(CookieRow { lead_id: Some(id), checked_at_ms }) => match lead_by_id(db, id as i64).await? {
            Some(lead) => CookieLookup::Lead(lead),
            None => CookieLookup::NoLead(checked_at_ms as i64),
        },
    })
}

/// The lead with local id `id`.
pub async fn lead_by_id(db: &D1Database, id: i64) -> ApiResult<Option<StoredLead>> {
    let row: Option<LeadRow> =
        db.prepare("SELECT id, marketo_id, attributes FROM leads WHERE id = ?1").bind(&[ms(id)])?.first(None).await?;
    Ok(row.map(LeadRow::into_lead))
}

/// The lead with this Marketo id.
pub async fn lead_by_marketo_id(db: &D1Database, marketo_id: i64) -> ApiResult<Option<StoredLead>> {
    let row: Option<LeadRow> = db
        .prepare("SELECT id, marketo_id, attributes FROM leads WHERE marketo_id = ?1")
        .bind(&[ms(marketo_id)])?
        .first(None)
        .await?;
    Ok(row.map(LeadRow::into_lead))
}

/// The lead with this (lower-case) email, preferring one Marketo knows.
pub async fn lead_by_email(db: &D1Database, email: &str) -> ApiResult<Option<StoredLead>> {
    let row: Option<LeadRow> = db
        .prepare(
            "SELECT id, marketo_id, attributes FROM leads WHERE email = ?1 \
             ORDER BY marketo_id IS NULL, updated_at DESC LIMIT 1",
        )
        .bind(&[email.into()])?
        .first(None)
        .await?;
    Ok(row.map(LeadRow::into_lead))
}

/// Maps a cookie token to a lead (or to none, `lead_id` `None`). "None" never replaces a
/// lead: a late negative lookup must not undo what the visitor just told us.
pub async fn map_cookie(db: &D1Database, token: &str, lead_id: Option<i64>, now_ms: i64) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO lead_cookies (token, lead_id, checked_at_ms) VALUES (?1, ?2, ?3) \
         ON CONFLICT(token) DO UPDATE SET lead_id = excluded.lead_id, checked_at_ms = excluded.checked_at_ms \
         WHERE excluded.lead_id IS NOT NULL OR lead_cookies.lead_id IS NULL",
    )
    .bind(&[token.into(), lead_id.map_or(JsValue::NULL, ms), ms(now_ms)])?
    .run()
    .await?;
    Ok(())
}

/// Stores what a visitor told us: merges `fields` into the lead with this email (creating a
/// local lead when there is none) and returns it.
pub async fn remember_visitor(
    db: &D1Database,
    email: &str,
    fields: &Map<String, Value>,
    now: &str,
) -> ApiResult<Option<StoredLead>> {
    let mut patch = fields.clone();
    patch.insert("email".into(), email.into());
    let patch = Value::Object(patch).to_string();
    match lead_by_email(db, email).await? {
        Some(lead) => {
            db.prepare(
                "UPDATE leads SET attributes = json_patch(attributes, ?1), synced_at_ms = synced_at_ms WHERE id = ?2",
            )
            .bind(&[patch.into(), ms(lead.id)])?
            .run()
            .await?;
            lead_by_id(db, lead.id).await
        }
        None => {
            db.prepare(
                "INSERT INTO leads (email, attributes, updated_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT(email) WHERE marketo_id IS NULL DO UPDATE SET attributes = json_patch(attributes, excluded.attributes)",
            )
            .bind(&[email.into(), patch.into(), now.into()])?
            .run()
            .await?;
            lead_by_email(db, email).await
        }
    }
}

/// Records Marketo's id for the lead with this email (the one known only here, if any;
/// otherwise a new row), and returns its local id.
pub async fn set_marketo_id(db: &D1Database, email: &str, marketo_id: i64, now: &str) -> ApiResult<Option<i64>> {
    if let Some(lead) = lead_by_marketo_id(db, marketo_id).await? {
        return Ok(Some(lead.id));
    }
    db.prepare("UPDATE leads SET marketo_id = ?1 WHERE email = ?2 AND marketo_id IS NULL")
        .bind(&[ms(marketo_id), email.into()])?
        .run()
        .await?;
    db.prepare(
        "INSERT INTO leads (marketo_id, email, attributes, updated_at) VALUES (?1, ?2, json_object('email', ?2), ?3) \
         ON CONFLICT(marketo_id) DO NOTHING",
    )
    .bind(&[ms(marketo_id), email.into(), now.into()])?
    .run()
    .await?;
    Ok(lead_by_marketo_id(db, marketo_id).await?.map(|lead| lead.id))
}

/// Upserts leads from Marketo by their Marketo id, in one statement per call (the rows
/// travel as one JSON parameter). A lead known here only by email takes the Marketo id.
pub async fn store_marketo_leads(db: &D1Database, records: &[LeadRecord], now_ms: i64) -> ApiResult<()> {
    if records.is_empty() {
        return Ok(());
    }
    let rows: Vec<Value> = records
        .iter()
        .map(|r| {
            let mut attributes = r.attributes.clone();
            if let Some(email) = &r.email {
                attributes.insert("email".into(), email.clone().into());
            }
            serde_json::json!({
                "i": r.marketo_id,
                "e": r.email,
                "a": Value::Object(attributes).to_string(),
                "u": r.updated_at.clone().unwrap_or_default(),
            })
        })
        .collect();
    let rows = Value::Array(rows).to_string();
    let claim = db
        .prepare(
            "UPDATE leads SET marketo_id = (SELECT json_extract(value, '$.i') FROM json_each(?1) \
               WHERE json_extract(value, '$.e') = leads.email LIMIT 1) \
             WHERE marketo_id IS NULL AND email IN (SELECT json_extract(value, '$.e') FROM json_each(?1)) \
               AND NOT EXISTS (SELECT 1 FROM leads AS m, json_each(?1) AS j WHERE m.marketo_id = json_extract(j.value, '$.i') \
               AND json_extract(j.value, '$.e') = leads.email)",
        )
        .bind(&[rows.clone().into()])?;
    let upsert = db
        .prepare(
            "INSERT INTO leads (marketo_id, email, attributes, updated_at, synced_at_ms) \
             SELECT json_extract(value, '$.i'), json_extract(value, '$.e'), json_extract(value, '$.a'), \
                    json_extract(value, '$.u'), ?2 FROM json_each(?1) WHERE true \
             ON CONFLICT(marketo_id) DO UPDATE SET email = excluded.email, \
                attributes = json_patch(leads.attributes, excluded.attributes), \
                updated_at = excluded.updated_at, synced_at_ms = excluded.synced_at_ms",
        )
        .bind(&[rows.into(), ms(now_ms)])?;
    db.batch(vec![claim, upsert]).await?;
    Ok(())
}

/// How many leads came from Marketo, and the newest sync time.
pub async fn marketo_lead_count(db: &D1Database) -> ApiResult<u64> {
    let n: Option<f64> =
        db.prepare("SELECT COUNT(*) AS n FROM leads WHERE marketo_id IS NOT NULL").first(Some("n")).await?;
    Ok(n.unwrap_or(0.0) as u64)
}

/// A deployment setting as JSON, if set.
pub async fn setting(db: &D1Database, key: &str) -> ApiResult<Option<Value>> {
    let value: Option<String> =
        db.prepare("SELECT value FROM settings WHERE key = ?1").bind(&[key.into()])?.first(Some("value")).await?;
    Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
}

/// Forgets a deployment setting.
pub async fn delete_setting(db: &D1Database, key: &str) -> ApiResult<()> {
    db.prepare("DELETE FROM settings WHERE key = ?1").bind(&[key.into()])?.run().await?;
    Ok(())
}

/// Stores a deployment setting.
pub async fn set_setting(db: &D1Database, key: &str, value: &Value) -> ApiResult<()> {
    db.prepare(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .bind(&[key.into(), value.to_string().into()])?
    .run()
    .await?;
    Ok(())
}
