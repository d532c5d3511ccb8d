//! Dialogues as admins edit them: a draft next to the published version.
//!
//! Invariants: a published version (`dialogue_versions`) is never changed once written, so a
//! visitor mid-conversation keeps the flow they started; publishing writes the next version
//! number and points the dialogue at it in one D1 batch, guarded so two publishes never write
//! the same number.

use super::ms;
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::D1Database;

/// A dialogue as stored, draft included.
#[derive(Debug, Deserialize, Serialize)]
pub struct DialogueRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Higher wins among eligible dialogues.
    pub priority: i32,
    /// The published version, if any.
    pub published_version: Option<u32>,
    /// The published audience (JSON).
    pub audience: String,
    /// The draft flow (JSON), when it differs from the published one.
    pub draft_flow: Option<String>,
    /// The draft audience (JSON), when it differs.
    pub draft_audience: Option<String>,
    /// Last edit.
    pub updated_at: Option<String>,
    /// The flow of the latest version (JSON), if any version exists.
    pub latest_flow: Option<String>,
    /// The latest version number.
    pub latest_version: Option<u32>,
}

const SELECT: &str = "SELECT d.id, d.name, d.priority, d.published_version, d.audience, d.draft_flow, d.draft_audience,
            d.updated_at,
            (SELECT flow FROM dialogue_versions v WHERE v.dialogue_id = d.id ORDER BY version DESC LIMIT 1) AS latest_flow,
            (SELECT MAX(version) FROM dialogue_versions v WHERE v.dialogue_id = d.id) AS latest_version
     FROM dialogues d";

/// Every dialogue of a site, highest priority first.
pub async fn list(db: &D1Database, site: &str) -> ApiResult<Vec<DialogueRow>> {
    Ok(db
        .prepare(format!("{SELECT} WHERE d.site_id = ?1 ORDER BY d.priority DESC, d.name"))
        .bind(&[site.into()])?
        .all()
        .await?
        .results()?)
}

/// One dialogue of a site.
pub async fn get(db: &D1Database, site: &str, id: &str) -> ApiResult<DialogueRow> {
    db.prepare(format!("{SELECT} WHERE d.site_id = ?1 AND d.id = ?2"))
        .bind(&[site.into(), id.into()])?
        .first(None)
        .await?
        .ok_or(ApiError::NotFound("No such dialogue."))
}

/// A version's record.
#[derive(Debug, Deserialize, Serialize)]
pub struct VersionRow {
    /// Number, from 1.
    pub version: u32,
    /// When it was published.
    pub published_at: String,
    /// Who published it.
    pub published_by: Option<String>,
}

/// The dialogue's versions, newest first.
pub async fn versions(db: &D1Database, id: &str) -> ApiResult<Vec<VersionRow>> {
    Ok(db
        .prepare(
            "SELECT version, published_at, published_by FROM dialogue_versions WHERE dialogue_id = ?1 ORDER BY version DESC",
        )
        .bind(&[id.into()])?
        .all()
        .await?
        .results()?)
}

/// The flow of one version (JSON).
pub async fn version_flow(db: &D1Database, site: &str, id: &str, version: u32) -> ApiResult<Option<String>> {
    Ok(db
        .prepare(
            "SELECT v.flow FROM dialogue_versions v JOIN dialogues d ON d.id = v.dialogue_id
             WHERE d.site_id = ?1 AND v.dialogue_id = ?2 AND v.version = ?3",
        )
        .bind(&[site.into(), id.into(), ms(i64::from(version))])?
        .first(Some("flow"))
        .await?)
}

/// A dialogue about to be created.
pub struct NewDialogue<'a> {
    /// Id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Priority.
    pub priority: i32,
    /// Draft flow (JSON).
    pub flow: &'a str,
    /// Draft audience (JSON).
    pub audience: &'a str,
}

/// Creates an unpublished dialogue with a draft.
pub async fn create(db: &D1Database, site: &str, new: &NewDialogue<'_>, now: &str) -> ApiResult<()> {
    let NewDialogue { id, name, priority, flow, audience } = *new;
    db.prepare(
        "INSERT INTO dialogues (id, site_id, name, priority, published_version, audience, draft_flow, draft_audience, updated_at)
         VALUES (?1, ?2, ?3, ?4, NULL, '{}', ?5, ?6, ?7)",
    )
    .bind(&[id.into(), site.into(), name.into(), ms(i64::from(priority)), flow.into(), audience.into(), now.into()])?
    .run()
    .await?;
    Ok(())
}

/// Saves what changed of the draft (`None` leaves a part as it is).
pub async fn save_draft(
    db: &D1Database,
    id: &str,
    name: Option<&str>,
    priority: Option<i32>,
    flow: Option<&str>,
    audience: Option<&str>,
    now: &str,
) -> ApiResult<()> {
    let opt = |s: Option<&str>| s.map_or(JsValue::NULL, Into::into);
    db.prepare(
        "UPDATE dialogues SET name = COALESCE(?2, name), priority = COALESCE(?3, priority),
           draft_flow = COALESCE(?4, draft_flow), draft_audience = COALESCE(?5, draft_audience), updated_at = ?6
         WHERE id = ?1",
    )
    .bind(&[
        id.into(),
        opt(name),
        priority.map_or(JsValue::NULL, |p| ms(i64::from(p))),
        opt(flow),
        opt(audience),
        now.into(),
    ])?
    .run()
    .await?;
    Ok(())
}

/// Publishes `flow` and `audience` as version `version` (which must be the next number);
/// `false` when another publish took that number first.
pub async fn publish(
    db: &D1Database,
    id: &str,
    version: u32,
    flow: &str,
    audience: &str,
    by: &str,
    now: &str,
) -> ApiResult<bool> {
    let insert = db
        .prepare(
            "INSERT INTO dialogue_versions (dialogue_id, version, flow, published_at, audience, published_by)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6
             WHERE NOT EXISTS (SELECT 1 FROM dialogue_versions WHERE dialogue_id = ?1 AND version >= ?2)",
        )
        .bind(&[id.into(), ms(i64::from(version)), flow.into(), now.into(), audience.into(), by.into()])?;
    let point = db
        .prepare(
            "UPDATE dialogues SET published_version = ?2, audience = ?3, draft_flow = NULL, draft_audience = NULL,
               updated_at = ?4
             WHERE id = ?1 AND EXISTS (SELECT 1 FROM dialogue_versions WHERE dialogue_id = ?1 AND version = ?2 AND published_at = ?4)",
        )
        .bind(&[id.into(), ms(i64::from(version)), audience.into(), now.into()])?;
    let results = db.batch(vec![insert, point]).await?;
    Ok(results.first().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes).unwrap_or(0) > 0)
}

/// Takes the dialogue off the site (its versions stay).
pub async fn unpublish(db: &D1Database, id: &str, now: &str) -> ApiResult<()> {
    db.prepare("UPDATE dialogues SET published_version = NULL, updated_at = ?2 WHERE id = ?1")
        .bind(&[id.into(), now.into()])?
        .run()
        .await?;
    Ok(())
}
