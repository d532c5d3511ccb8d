//! The admin's only network access: `/api/admin/v1` on its own origin, with the session cookie.

use confab_domain::api::{ErrorBody, Meetings, Routing, SignIn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// A failed call: the HTTP status (0 for network failures) and a sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// What to show.
    pub message: String,
}

fn network() -> ApiError {
    ApiError { status: 0, message: "The server could not be reached.".into() }
}

async fn call(method: &str, path: &str, body: Option<JsValue>) -> Result<(u16, JsValue), ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        let json = js_sys::JSON::stringify(&body).map_err(|_| network())?;
        init.set_body(&json);
        let headers = web_sys::Headers::new().map_err(|_| network())?;
        headers.set("Content-Type", "application/json").map_err(|_| network())?;
        init.set_headers(&headers);
    }
    let request = Request::new_with_str_and_init(&format!("/api/admin/v1/{path}"), &init).map_err(|_| network())?;
    let window = web_sys::window().ok_or_else(network)?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.and_then(JsCast::dyn_into).map_err(|_| network())?;
    let status = response.status();
    // Only read a body that exists: `json()` on an empty 204 rejects.
    let json = match status {
        204 => JsValue::NULL,
        _ => match response.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        },
    };
    if response.ok() {
        return Ok((status, json));
    }
    let message = serde_wasm_bindgen::from_value::<ErrorBody>(json)
        .map(|b| b.error.message)
        .unwrap_or_else(|_| format!("The server answered {status}."));
    Err(ApiError { status, message })
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (_, json) = call("GET", path, None).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    serde_wasm_bindgen::to_value(value).map_err(|_| network())
}

/// Signs in.
pub async fn sign_in(email: String, password: String) -> Result<(), ApiError> {
    call("POST", "session", Some(to_js(&SignIn { email, password })?)).await.map(|_| ())
}

/// Signs out.
pub async fn sign_out() -> Result<(), ApiError> {
    call("DELETE", "session", None).await.map(|_| ())
}

/// The signed-in admin's email, or an error with status 401.
pub async fn whoami() -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct Me {
        email: String,
    }
    get::<Me>("session").await.map(|m| m.email)
}

/// Meetings, optionally only those with `status`.
pub async fn meetings(status: Option<String>) -> Result<Meetings, ApiError> {
    match status {
        Some(s) => get(&format!("meetings?status={}", String::from(js_sys::encode_uri_component(&s)))).await,
        None => get("meetings").await,
    }
}

/// Sets a meeting's status (`canceled`, `completed`, `no_show`).
pub async fn set_status(id: String, status: &str) -> Result<(), ApiError> {
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"status".into(), &status.into());
    call("PATCH", &format!("meetings/{id}"), Some(body.into())).await.map(|_| ())
}

/// One entry of a meeting's history.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct HistoryEvent {
    /// When, RFC 3339.
    pub at: String,
    /// What happened.
    pub kind: String,
    /// Who did it.
    pub actor: String,
    /// Details, e.g. the old and new time.
    pub detail: String,
}

/// A meeting's history, oldest first.
pub async fn history(id: String) -> Result<Vec<HistoryEvent>, ApiError> {
    #[derive(serde::Deserialize)]
    struct History {
        events: Vec<HistoryEvent>,
    }
    get::<History>(&format!("meetings/{id}/history")).await.map(|h| h.events)
}

/// The routing state of the demo site's pool.
pub async fn routing() -> Result<Routing, ApiError> {
    get("routing").await
}

/// `GET marketo`: whether Marketo is connected and, when it is, the connection's health, the
/// lead sync's progress and the outbox.
#[derive(Debug, Clone, PartialEq)]
pub enum MarketoStatus {
    /// Not connected; the sentence says how to connect it.
    NotConfigured(String),
    /// Connected.
    Connected(Box<Marketo>),
}

/// A connected Marketo instance as the admin sees it (never any secret).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Marketo {
    /// The REST endpoint.
    pub endpoint: String,
    /// The API client's id.
    pub client_id: String,
    /// Leads stored from Marketo.
    pub leads: u64,
    /// The API budget.
    pub budget: Budget,
    /// The lead sync.
    pub sync: SyncReport,
    /// Activities waiting to be written back.
    pub outbox: Outbox,
}

/// How much of Marketo's API budget Confab is using.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Budget {
    /// Calls in the current rate window.
    pub calls_in_window: u64,
    /// Calls allowed per rate window.
    pub calls_per_window: u64,
    /// The rate window's length, in milliseconds.
    pub window_ms: u64,
    /// Calls under way.
    pub in_flight: u64,
    /// Calls allowed at once.
    pub max_in_flight: u64,
    /// Calls since this instance started.
    pub calls_since_start: u64,
    /// Until when (Unix ms) background work is paused by the daily quota; 0 when not paused.
    pub paused_until_ms: f64,
    /// The last failed call.
    pub last_error: Option<TimedError>,
}

/// A failure and when it happened.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct TimedError {
    /// When (Unix ms).
    pub at_ms: f64,
    /// What went wrong.
    pub message: String,
}

/// The lead sync's progress.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct SyncReport {
    /// `idle`, `initial` or `incremental`.
    pub phase: String,
    /// What the sync is doing, as a sentence fragment.
    pub step: String,
    /// Progress of the initial sync, 0 to 100.
    pub percent: f64,
    /// The current export window (0-based).
    pub window: u64,
    /// Export windows in this pass.
    pub windows: u64,
    /// Rows stored.
    pub rows: u64,
    /// Rows skipped as malformed or invalid.
    pub skipped: u64,
    /// Rows Marketo exported.
    pub exported: u64,
    /// Why the latest skipped rows were skipped.
    pub skipped_reasons: Vec<String>,
    /// The fields synced (REST names).
    pub fields: Vec<String>,
    /// When the initial sync started (Unix ms, 0 if never).
    pub started_at_ms: f64,
    /// When the initial sync finished (Unix ms, 0 while running).
    pub finished_at_ms: f64,
    /// Every lead updated before this instant is stored (Unix ms, 0 if none yet).
    pub high_water_ms: f64,
    /// The last error.
    pub last_error: Option<String>,
    /// When the last incremental sync finished (Unix ms, 0 if never).
    pub last_incremental_ms: f64,
}

/// Activities waiting to be written back to Marketo.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Outbox {
    /// Waiting to be delivered.
    pub pending: u64,
    /// Delivered.
    pub delivered: u64,
    /// Given up on.
    pub failed: u64,
    /// The latest given up on.
    pub recent_failures: Vec<OutboxItem>,
    /// Pending after a failed attempt.
    pub retrying: Vec<OutboxItem>,
}

/// One activity in the outbox that failed at least once.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct OutboxItem {
    /// The activity's idempotency key.
    pub key: String,
    /// The last failure.
    pub last_error: Option<String>,
    /// Attempts so far.
    pub attempts: f64,
}

fn unexpected() -> ApiError {
    ApiError { status: 0, message: "Unexpected answer from the server.".into() }
}

/// The Marketo connection, sync and outbox.
pub async fn marketo_status() -> Result<MarketoStatus, ApiError> {
    #[derive(serde::Deserialize)]
    struct Probe {
        configured: bool,
        #[serde(default)]
        message: String,
    }
    let (_, json) = call("GET", "marketo", None).await?;
    let probe: Probe = serde_wasm_bindgen::from_value(json.clone()).map_err(|_| unexpected())?;
    if !probe.configured {
        return Ok(MarketoStatus::NotConfigured(probe.message));
    }
    serde_wasm_bindgen::from_value(json).map(|m| MarketoStatus::Connected(Box::new(m))).map_err(|_| unexpected())
}

/// A lead field Marketo describes.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct LeadField {
    /// The REST name, e.g. `firstName`.
    pub name: String,
    /// The name people read, e.g. "First Name".
    pub display_name: String,
    /// Marketo's data type, e.g. `string`.
    pub data_type: String,
}

/// The lead fields Marketo offers.
pub async fn marketo_fields() -> Result<Vec<LeadField>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Fields {
        fields: Vec<LeadField>,
    }
    get::<Fields>("marketo/fields").await.map(|f| f.fields)
}

/// (Re)starts the initial sync of `fields`, from `since` (RFC 3339) or ten years back.
pub async fn start_sync(fields: Vec<String>, since: Option<String>) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Start {
        fields: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        since: Option<String>,
    }
    call("POST", "marketo/sync", Some(to_js(&Start { fields, since })?)).await.map(|_| ())
}

#[derive(Serialize, serde::Deserialize)]
struct Domains {
    domains: Vec<String>,
}

/// The blocked email domains.
pub async fn blocked_domains() -> Result<Vec<String>, ApiError> {
    get::<Domains>("settings/blocked-domains").await.map(|d| d.domains)
}

/// Replaces the blocked email domains; answers the list as stored (normalised).
pub async fn save_blocked_domains(domains: Vec<String>) -> Result<Vec<String>, ApiError> {
    let (_, json) = call("PUT", "settings/blocked-domains", Some(to_js(&Domains { domains })?)).await?;
    serde_wasm_bindgen::from_value::<Domains>(json).map(|d| d.domains).map_err(|_| unexpected())
}
