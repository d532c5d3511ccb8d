//! `/api/admin/v1/dialogues…`: the dialogues of a site as admins edit them (list, create,
//! read with the validator's diagnostics, save the draft, publish, unpublish, duplicate,
//! export and import), and `GET /api/v1/sites/{site}/dialogues/{id}/versions/{n}` for a
//! widget resuming a conversation on the version it started with.
//!
//! Publishing is refused while the validator reports any problem; a published version is
//! immutable, so editing and republishing never changes a conversation under way.

use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, dialogues as stored};
use confab_domain::dialogue::{Card, Diagnostic, Flow};
use confab_domain::ids::is_valid_slug;
use confab_domain::targeting::Audience;
use confab_domain::targeting::trigger::{self, Trigger};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::{D1Database, Request, Response};

/// Largest dialogue document accepted (flow and audience).
const MAX_DIALOGUE_BYTES: usize = 256 * 1024;
/// Most cards in one flow.
const MAX_CARDS: usize = 200;
/// The lead fields every site has, besides those synced from Marketo.
const STANDARD_FIELDS: [&str; 8] =
    ["email", "firstName", "lastName", "company", "phone", "title", "country", "industry"];
/// The format name of exported dialogues.
const EXPORT_FORMAT: &str = "confab-dialogue/1";

/// The lead fields flows may name: the standard ones and those synced from Marketo.
async fn known_fields(db: &D1Database) -> ApiResult<Vec<String>> {
    let mut fields: Vec<String> = STANDARD_FIELDS.iter().map(|f| (*f).to_owned()).collect();
    if let Some(Value::Array(list)) = store::leads::setting(db, "marketo_fields").await? {
        fields.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    fields.sort();
    fields.dedup();
    Ok(fields)
}

fn diagnostics(flow: &Flow, triggers: &[Trigger], fields: &[String]) -> Vec<Diagnostic> {
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let mut out = flow.validate(&names);
    if flow.cards.len() > MAX_CARDS {
        out.push(Diagnostic { card: None, message: format!("A flow may have at most {MAX_CARDS} cards.") });
    }
    out.extend(trigger::problems(triggers).into_iter().map(|message| Diagnostic { card: None, message }));
    out
}

/// A flow to start from: a greeting and an end.
fn starter_flow() -> Flow {
    Flow {
        start: "hello".into(),
        cards: vec![
            Card::Message {
                id: "hello".into(),
                text: "Hi {{lead.firstName:\"there\"}}! How can we help?".into(),
                next: Some("end".into()),
            },
            Card::End { id: "end".into() },
        ],
    }
}

/// The dialogue as the editor sees it.
#[derive(Serialize)]
struct Editing {
    id: String,
    name: String,
    priority: i32,
    status: &'static str,
    published_version: Option<u32>,
    has_draft: bool,
    updated_at: Option<String>,
    audience: Value,
    flow: Value,
    diagnostics: Vec<Diagnostic>,
}

/// A stored flow, read back.
pub(super) fn parse_flow(text: &str) -> ApiResult<Flow> {
    serde_json::from_str(text).map_err(|e| ApiError::Internal(format!("stored flow unreadable: {e}")))
}

fn editing(row: stored::DialogueRow, fields: &[String]) -> ApiResult<Editing> {
    let flow_text = row.draft_flow.clone().or(row.latest_flow.clone());
    let flow = match &flow_text {
        Some(text) => parse_flow(text)?,
        None => starter_flow(),
    };
    let audience_text = row.draft_audience.clone().unwrap_or_else(|| row.audience.clone());
    let status = match (row.published_version, row.draft_flow.is_some() || row.draft_audience.is_some()) {
        (Some(_), true) => "published_with_changes",
        (Some(_), false) => "published",
        (None, _) if row.latest_version.is_some() => "unpublished",
        (None, _) => "draft",
    };
    let audience: Value = serde_json::from_str(&audience_text).unwrap_or(Value::Object(Default::default()));
    let triggers = serde_json::from_value::<Audience>(audience.clone()).map(|a| a.triggers).unwrap_or_default();
    Ok(Editing {
        diagnostics: diagnostics(&flow, &triggers, fields),
        id: row.id,
        name: row.name,
        priority: row.priority,
        status,
        published_version: row.published_version,
        has_draft: row.draft_flow.is_some() || row.draft_audience.is_some(),
        updated_at: row.updated_at,
        audience,
        flow: serde_json::to_value(&flow)?,
    })
}

/// `GET /api/admin/v1/dialogues`: every dialogue with its status and how many problems its
/// current draft has.
pub async fn list(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let fields = known_fields(db).await?;
    let rows = stored::list(db, &site).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let e = editing(row, &fields)?;
        out.push(serde_json::json!({
            "id": e.id, "name": e.name, "priority": e.priority, "status": e.status,
            "published_version": e.published_version, "has_draft": e.has_draft,
            "updated_at": e.updated_at, "problems": e.diagnostics.len(),
        }));
    }
    http::json(200, &serde_json::json!({ "dialogues": out }))
}

/// `GET /api/admin/v1/dialogues/{id}`: the draft (or the latest version), its diagnostics and
/// the versions.
pub async fn get(req: &Request, db: &D1Database, id: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let row = stored::get(db, &site, id).await?;
    let e = editing(row, &known_fields(db).await?)?;
    let versions = stored::versions(db, id).await?;
    let mut body = serde_json::to_value(&e)?;
    body["versions"] = serde_json::to_value(versions)?;
    http::json(200, &body)
}

/// A dialogue document: what the editor saves, and what export and import carry.
#[derive(Deserialize, Serialize, Default)]
struct Document {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    priority: Option<i32>,
    #[serde(default)]
    audience: Option<Audience>,
    #[serde(default)]
    flow: Option<Flow>,
}

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::bad_request("invalid_name", "Give the dialogue a name of 1 to 100 characters."));
    }
    Ok(name.to_owned())
}

fn check_priority(priority: i32) -> ApiResult<i32> {
    if !(-1000..=1000).contains(&priority) {
        return Err(ApiError::bad_request("invalid_priority", "Priority is a whole number from -1000 to 1000."));
    }
    Ok(priority)
}

async fn create_from(db: &D1Database, site: &str, doc: Document) -> ApiResult<Response> {
    let name = check_name(doc.name.as_deref().unwrap_or(""))?;
    let priority = check_priority(doc.priority.unwrap_or(0))?;
    let flow = doc.flow.unwrap_or_else(starter_flow);
    let audience = doc.audience.unwrap_or_default();
    let id = clock::random_id("dlg-")?;
    let now = clock::now().to_rfc3339();
    let (flow, audience) = (serde_json::to_string(&flow)?, serde_json::to_string(&audience)?);
    let new = stored::NewDialogue { id: &id, name: &name, priority, flow: &flow, audience: &audience };
    stored::create(db, site, &new, &now).await?;
    let row = stored::get(db, site, &id).await?;
    http::json(201, &editing(row, &known_fields(db).await?)?)
}

/// `POST /api/admin/v1/dialogues` `{name, priority?, audience?, flow?}`: a new, unpublished
/// dialogue (a greeting and an end unless a flow is given).
pub async fn create(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let doc: Document = http::json_body_up_to(req, MAX_DIALOGUE_BYTES).await?;
    create_from(db, &site, doc).await
}

/// `POST /api/admin/v1/dialogues/import`: an exported document as a new, unpublished dialogue.
pub async fn import(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let value: Value = http::json_body_up_to(req, MAX_DIALOGUE_BYTES).await?;
    if value.get("format").and_then(Value::as_str).is_some_and(|f| f != EXPORT_FORMAT) {
        return Err(ApiError::bad_request("invalid_import", format!("This file is not a {EXPORT_FORMAT} export.")));
    }
    let doc: Document = serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request("invalid_import", format!("This file is not a dialogue export: {e}")))?;
    if doc.flow.is_none() {
        return Err(ApiError::bad_request("invalid_import", "The file has no flow."));
    }
    create_from(db, &site, doc).await
}

/// `PUT /api/admin/v1/dialogues/{id}` `{name?, priority?, audience?, flow?}`: saves the draft
/// (even with problems: they block publishing, not saving) and answers it with its diagnostics.
pub async fn save(req: &mut Request, db: &D1Database, id: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    stored::get(db, &site, id).await?;
    let doc: Document = http::json_body_up_to(req, MAX_DIALOGUE_BYTES).await?;
    let name = doc.name.as_deref().map(check_name).transpose()?;
    let priority = doc.priority.map(check_priority).transpose()?;
    let flow = doc.flow.as_ref().map(serde_json::to_string).transpose()?;
    let audience = doc.audience.as_ref().map(serde_json::to_string).transpose()?;
    let now = clock::now().to_rfc3339();
    stored::save_draft(db, id, name.as_deref(), priority, flow.as_deref(), audience.as_deref(), &now).await?;
    let row = stored::get(db, &site, id).await?;
    http::json(200, &editing(row, &known_fields(db).await?)?)
}

/// `POST /api/admin/v1/dialogues/{id}/publish`: the draft becomes the next version, unless the
/// validator reports problems (409 `not_publishable` with every diagnostic).
pub async fn publish(req: &Request, db: &D1Database, id: &str, by: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let row = stored::get(db, &site, id).await?;
    let fields = known_fields(db).await?;
    let next = row.latest_version.unwrap_or(0) + 1;
    let e = editing(row, &fields)?;
    if !e.diagnostics.is_empty() {
        let body = serde_json::json!({
            "error": {
                "code": "not_publishable",
                "message": format!(
                    "Fix {} before publishing.",
                    if e.diagnostics.len() == 1 { "the problem".to_owned() } else { format!("the {} problems", e.diagnostics.len()) }
                ),
                "diagnostics": e.diagnostics,
            }
        });
        return http::json(409, &body);
    }
    let flow = serde_json::to_string(&e.flow)?;
    let audience = serde_json::to_string(&e.audience)?;
    let now = clock::now().to_rfc3339();
    if !stored::publish(db, id, next, &flow, &audience, by, &now).await? {
        return Err(ApiError::Conflict {
            code: "publish_conflict",
            message: "Someone published this dialogue at the same moment. Reload and try again.".into(),
        });
    }
    let row = stored::get(db, &site, id).await?;
    http::json(200, &editing(row, &fields)?)
}

/// `POST /api/admin/v1/dialogues/{id}/unpublish`: visitors no longer get it (conversations
/// under way finish on their version).
pub async fn unpublish(req: &Request, db: &D1Database, id: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    stored::get(db, &site, id).await?;
    stored::unpublish(db, id, &clock::now().to_rfc3339()).await?;
    let row = stored::get(db, &site, id).await?;
    http::json(200, &editing(row, &known_fields(db).await?)?)
}

/// `POST /api/admin/v1/dialogues/{id}/duplicate`: a copy of the current draft, unpublished.
pub async fn duplicate(req: &Request, db: &D1Database, id: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let e = editing(stored::get(db, &site, id).await?, &known_fields(db).await?)?;
    let name: String = format!("Copy of {}", e.name).chars().take(100).collect();
    let doc = Document {
        name: Some(name),
        priority: Some(e.priority),
        audience: serde_json::from_value(e.audience).ok(),
        flow: serde_json::from_value(e.flow).ok(),
    };
    create_from(db, &site, doc).await
}

/// `GET /api/admin/v1/dialogues/{id}/export`: the current draft as a JSON document.
pub async fn export(req: &Request, db: &D1Database, id: &str) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let e = editing(stored::get(db, &site, id).await?, &known_fields(db).await?)?;
    let body = serde_json::json!({
        "format": EXPORT_FORMAT, "name": e.name, "priority": e.priority, "audience": e.audience, "flow": e.flow,
    });
    let resp = http::json(200, &body)?;
    let file = format!("attachment; filename=\"{}.json\"", e.id);
    resp.headers().set("Content-Disposition", &file)?;
    Ok(resp)
}

/// `GET /api/v1/sites/{site}/dialogues/{id}/versions/{n}` (widget): the flow of one published
/// version, for a conversation resumed on the version it started with.
pub async fn widget_version(db: &D1Database, site: &str, id: &str, version: &str) -> ApiResult<Response> {
    let version: u32 = version.parse().map_err(|_| ApiError::NotFound("No such version."))?;
    if !is_valid_slug(id) {
        return Err(ApiError::NotFound("No such version."));
    }
    let flow = stored::version_flow(db, site, id, version).await?.ok_or(ApiError::NotFound("No such version."))?;
    let flow = parse_flow(&flow)?;
    http::json(200, &serde_json::json!({ "id": id, "version": version, "flow": flow }))
}
