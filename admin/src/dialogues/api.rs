//! The dialogues side of `/api/admin/v1`: list, create, read, save the draft, publish,
//! unpublish, duplicate, export and import. Built on the shared `crate::api` client, so every
//! failure is an `ApiError` with the edge's code. Flows and audiences travel as the domain's
//! own types.

use crate::api::{ApiError, call, get, to_js, unexpected};
use confab_domain::dialogue::{Diagnostic, Flow};
use confab_domain::targeting::Audience;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// A dialogue as the list shows it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Higher wins among dialogues whose audience a visitor belongs to.
    pub priority: i32,
    /// `draft`, `published`, `published_with_changes` or `unpublished`.
    pub status: String,
    /// The version visitors get, if any.
    pub published_version: Option<u32>,
    /// Whether there are edits not yet published.
    pub has_draft: bool,
    /// Last edit, RFC 3339.
    pub updated_at: Option<String>,
    /// How many problems the current draft has.
    pub problems: u32,
}

/// A published version.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Version {
    /// Number, from 1.
    pub version: u32,
    /// When, RFC 3339.
    pub published_at: String,
    /// Who published it.
    pub published_by: Option<String>,
}

/// A dialogue as the editor sees it: the draft (or the latest version) and its diagnostics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Editing {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Priority.
    #[serde(default)]
    pub priority: i32,
    /// As in [`Summary::status`].
    #[serde(default)]
    pub status: String,
    /// The version visitors get, if any.
    #[serde(default)]
    pub published_version: Option<u32>,
    /// Whether there are edits not yet published.
    #[serde(default)]
    pub has_draft: bool,
    /// Last edit, RFC 3339.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Who the dialogue is for.
    #[serde(default)]
    pub audience: Audience,
    /// The cards.
    pub flow: Flow,
    /// The validator's findings on the flow, as the edge ran it (with the site's lead fields).
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
    /// The published versions, newest first (only in `GET dialogues/{id}`).
    #[serde(default)]
    pub versions: Vec<Version>,
}

/// What a save sends: the name and priority, and the audience and flow when they differ from
/// the stored draft (the edge keeps what is left out as it is). Sending an unchanged flow would
/// store it as a draft beside the published version, which then reads "published, with
/// unpublished changes" although nothing is left to publish.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    /// Name.
    pub name: String,
    /// Priority.
    pub priority: i32,
    /// Who the dialogue is for, when changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// The cards, when changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flow: Option<Flow>,
}

fn path(id: &str, rest: &str) -> String {
    format!("dialogues/{}{rest}", String::from(js_sys::encode_uri_component(id)))
}

fn editing(json: JsValue) -> Result<Editing, ApiError> {
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
}

/// Every dialogue of the site, highest priority first.
pub async fn list() -> Result<Vec<Summary>, ApiError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        dialogues: Vec<Summary>,
    }
    get::<List>("dialogues").await.map(|l| l.dialogues)
}

/// Creates a dialogue (a greeting and an end) with this name and priority.
pub async fn create(name: String, priority: i32) -> Result<Editing, ApiError> {
    #[derive(Serialize)]
    struct New {
        name: String,
        priority: i32,
    }
    let (_, json) = call("POST", "dialogues", Some(to_js(&New { name, priority })?)).await?;
    editing(json)
}

/// One dialogue with its diagnostics and versions.
pub async fn read(id: String) -> Result<Editing, ApiError> {
    get(&path(&id, "")).await
}

/// Saves the draft (what `changes` carries of it), problems and all; answers it as stored, with
/// the edge's diagnostics.
pub async fn save(id: String, changes: &Changes) -> Result<Editing, ApiError> {
    let (_, json) = call("PUT", &path(&id, ""), Some(to_js(changes)?)).await?;
    editing(json)
}

/// Publishes the draft as the next version; `not_publishable` while problems remain.
pub async fn publish(id: String) -> Result<Editing, ApiError> {
    let (_, json) = call("POST", &path(&id, "/publish"), None).await?;
    editing(json)
}

/// Stops showing the dialogue to visitors.
pub async fn unpublish(id: String) -> Result<Editing, ApiError> {
    let (_, json) = call("POST", &path(&id, "/unpublish"), None).await?;
    editing(json)
}

/// Copies the dialogue's draft into a new, unpublished dialogue.
pub async fn duplicate(id: String) -> Result<Editing, ApiError> {
    let (_, json) = call("POST", &path(&id, "/duplicate"), None).await?;
    editing(json)
}

/// The dialogue as a `confab-dialogue/1` document, as the edge wrote it.
pub async fn export(id: String) -> Result<JsValue, ApiError> {
    call("GET", &path(&id, "/export"), None).await.map(|(_, json)| json)
}

/// Creates a dialogue from an exported document (already parsed from the chosen file).
pub async fn import(document: JsValue) -> Result<Editing, ApiError> {
    let (_, json) = call("POST", "dialogues/import", Some(document)).await?;
    editing(json)
}
