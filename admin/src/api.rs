//! The admin's only network access: `/api/admin/v1` on its own origin, with the session cookie.

use confab_domain::api::{AgentRef, ErrorBody, Meetings, Routing, SignIn};
use confab_domain::routing::{AccountRoute, LineError, RoutingConfig, Trace};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// A failed call: the HTTP status (0 for network failures), the edge's error code (empty when
/// it gave none) and a sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The edge's stable code, e.g. `invalid_url`, for placing the message next to its field.
    pub code: String,
    /// What to show.
    pub message: String,
    /// The edge's sentence per field (`error.fields`), for placing each next to its input.
    pub fields: BTreeMap<String, String>,
}

fn network() -> ApiError {
    ApiError {
        status: 0,
        code: String::new(),
        message: "The server could not be reached.".into(),
        fields: BTreeMap::new(),
    }
}

/// What a request carries.
enum Body {
    /// Nothing.
    Empty,
    /// A value sent as JSON.
    Json(JsValue),
    /// A string or a `Blob` (a chosen file) sent as it is, with its content type.
    Raw(&'static str, JsValue),
}

/// Sends a request; answers the status, whether it is a success, and the JSON body (`null`
/// when there is none). Only network failures are errors here.
async fn send(method: &str, path: &str, body: Body) -> Result<(u16, bool, JsValue), ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let (content_type, body) = match body {
        Body::Empty => (None, None),
        Body::Json(value) => {
            let json = js_sys::JSON::stringify(&value).map_err(|_| network())?;
            (Some("application/json"), Some(JsValue::from(json)))
        }
        Body::Raw(content_type, value) => (Some(content_type), Some(value)),
    };
    if let (Some(content_type), Some(body)) = (content_type, body) {
        init.set_body(&body);
        let headers = web_sys::Headers::new().map_err(|_| network())?;
        headers.set("Content-Type", content_type).map_err(|_| network())?;
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
    Ok((status, response.ok(), json))
}

/// The failure a non-success answer stands for: the edge's code and message when it sent the
/// error envelope.
fn failure(status: u16, json: JsValue) -> ApiError {
    let (code, message, fields) = serde_wasm_bindgen::from_value::<ErrorBody>(json)
        .map(|b| (b.error.code, b.error.message, b.error.fields))
        .unwrap_or_else(|_| match status {
            413 => (String::new(), "The server refused it as too large.".to_owned(), BTreeMap::new()),
            _ => (String::new(), format!("The server answered {status}."), BTreeMap::new()),
        });
    ApiError { status, code, message, fields }
}

pub(crate) async fn call(method: &str, path: &str, body: Option<JsValue>) -> Result<(u16, JsValue), ApiError> {
    let body = body.map_or(Body::Empty, Body::Json);
    match send(method, path, body).await? {
        (status, true, json) => Ok((status, json)),
        (status, false, json) => Err(failure(status, json)),
    }
}

/// Like `call`, but the body is sent as it is (a string, or a `Blob` such as a chosen file)
/// with `content_type`; a failure comes with the whole answer, for details beyond the message.
async fn call_raw(
    method: &str,
    path: &str,
    content_type: &'static str,
    body: JsValue,
) -> Result<(u16, JsValue), (ApiError, JsValue)> {
    match send(method, path, Body::Raw(content_type, body)).await {
        Ok((status, true, json)) => Ok((status, json)),
        Ok((status, false, json)) => Err((failure(status, json.clone()), json)),
        Err(e) => Err((e, JsValue::NULL)),
    }
}

pub(crate) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (_, json) = call("GET", path, None).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
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

/// The routing state of the demo site's pool, with meetings counted in `[from, until)` (RFC 3339
/// instants) or over all time.
pub async fn routing(period: Option<(String, String)>) -> Result<Routing, ApiError> {
    match period {
        Some((from, until)) => get(&format!("routing?from={}&to={}", encode(&from), encode(&until))).await,
        None => get("routing").await,
    }
}

/// Percent-encodes a path segment or query value.
pub(crate) fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// `value` as JSON sends it: maps as objects and `None` as `null` (plain `to_js` makes maps
/// `Map`s, which `JSON.stringify` empties).
fn to_json<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| network())
}

/// `GET routing/config`: the routing configuration and how many account routes are stored.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct RoutingSettings {
    /// Rules, default pool, fallback, credit back and reset (account routes left out).
    pub config: RoutingConfig,
    /// Account routes stored.
    #[serde(default)]
    pub accounts: u64,
}

/// The routing configuration.
pub async fn routing_config() -> Result<RoutingSettings, ApiError> {
    get("routing/config").await
}

/// Replaces the routing configuration (account routes are imported apart); answers it as
/// stored.
pub async fn save_routing_config(config: &RoutingConfig) -> Result<RoutingConfig, ApiError> {
    #[derive(serde::Deserialize)]
    struct Saved {
        config: RoutingConfig,
    }
    let (_, json) = call("PUT", "routing/config", Some(to_json(config)?)).await?;
    serde_wasm_bindgen::from_value::<Saved>(json).map(|s| s.config).map_err(|_| unexpected())
}

/// `GET routing/accounts`: the first 1,000 account routes and how many there are.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct AccountRoutes {
    /// Routes, in the imported file's order.
    pub accounts: Vec<AccountRoute>,
    /// Routes stored in all.
    pub total: u64,
}

/// The account routes.
pub async fn account_routes() -> Result<AccountRoutes, ApiError> {
    get("routing/accounts").await
}

/// A refused import: the failure and, when the file had wrong lines, each with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportFailure {
    /// What went wrong (`invalid_csv`: "Nothing was imported: …").
    pub error: ApiError,
    /// The wrong lines, in the file's order.
    pub lines: Vec<LineError>,
}

/// Replaces every account route with those of `csv` (CSV text, or a chosen file); answers how
/// many were imported. All or nothing: on any wrong line nothing changes.
pub async fn import_account_routes(csv: JsValue) -> Result<u64, ImportFailure> {
    #[derive(serde::Deserialize)]
    struct Imported {
        #[serde(default)]
        imported: u64,
    }
    #[derive(serde::Deserialize)]
    struct Refused {
        error: Lines,
    }
    #[derive(serde::Deserialize)]
    struct Lines {
        #[serde(default)]
        lines: Vec<LineError>,
    }
    match call_raw("PUT", "routing/accounts", "text/csv", csv).await {
        Ok((_, json)) => serde_wasm_bindgen::from_value::<Imported>(json)
            .map(|i| i.imported)
            .map_err(|_| ImportFailure { error: unexpected(), lines: Vec::new() }),
        Err((error, json)) => {
            let lines = serde_wasm_bindgen::from_value::<Refused>(json).map(|r| r.error.lines).unwrap_or_default();
            Err(ImportFailure { error, lines })
        }
    }
}

/// What the simulator asks: a visitor booking at `start`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SimulationRequest {
    /// The meeting's start, RFC 3339.
    pub start: String,
    /// The visitor's email; their stored lead supplies `lead.*` fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The meeting's length; the site's default when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    /// The visitor's answers by card id (`answer.<card id>` for rules).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, String>,
}

/// Who would get the meeting, and why; nothing is booked.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Simulation {
    /// The agent, or `None` when nobody would.
    #[serde(default)]
    pub agent: Option<AgentRef>,
    /// The paragraph a booked meeting would carry.
    #[serde(default)]
    pub explanation: String,
    /// What the visitor would be shown when nobody is free and the fallback is a message.
    #[serde(default)]
    pub fallback_message: Option<String>,
    /// Every stage evaluated.
    #[serde(default)]
    pub trace: Trace,
}

/// Asks who would get a meeting for this visitor at this time, without booking it.
pub async fn simulate_routing(request: &SimulationRequest) -> Result<Simulation, ApiError> {
    let (_, json) = call("POST", "routing/simulate", Some(to_json(request)?)).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
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
    /// Whether Worker variables configure the connection (then the admin cannot change it).
    pub managed_by_environment: bool,
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

pub(crate) fn unexpected() -> ApiError {
    ApiError {
        status: 0,
        code: String::new(),
        message: "Unexpected answer from the server.".into(),
        fields: BTreeMap::new(),
    }
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

/// Connects Marketo with these credentials (the edge asks Marketo for a token first and keeps
/// nothing if it is refused); answers the new status.
pub async fn marketo_connect(endpoint: String, client_id: String, client_secret: String) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Connect {
        endpoint: String,
        client_id: String,
        client_secret: String,
    }
    call("PUT", "marketo/connection", Some(to_js(&Connect { endpoint, client_id, client_secret })?)).await.map(|_| ())
}

/// Forgets the Marketo credentials (leads, the outbox and the sync's progress stay).
pub async fn marketo_disconnect() -> Result<(), ApiError> {
    call("DELETE", "marketo/connection", None).await.map(|_| ())
}

/// What testing the connection found.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct ConnectionTest {
    /// Whether Marketo issued a token and described its leads.
    pub ok: bool,
    /// What to show.
    pub message: String,
}

/// Tests the stored connection now: a fresh token and a describe.
pub async fn marketo_test() -> Result<ConnectionTest, ApiError> {
    let (_, json) = call("POST", "marketo/test", None).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
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

/// `GET calendars`: every active agent with their calendar connection and availability
/// settings, the calendars this deployment can connect, and the calendar write-back queue.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Calendars {
    /// The site's active agents, in routing order.
    pub agents: Vec<AgentCalendar>,
    /// Which providers can be connected here.
    pub providers: Providers,
    /// Meetings waiting to be written to agents' calendars.
    pub write_back: WriteBack,
}

/// One agent as the calendar tab sees them.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct AgentCalendar {
    /// Who.
    pub agent: AgentName,
    /// The agent's IANA time zone (the schedule's).
    pub time_zone: String,
    /// Working hours as stored.
    pub schedule: Schedule,
    /// Booking rules as stored.
    pub rules: Rules,
    /// Share of round-robin assignments, in percent of an ordinary share (100).
    pub weight_percent: u32,
    /// The connected calendar, or the built-in one.
    pub calendar: CalendarLink,
}

/// An agent's id and display name.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct AgentName {
    /// Agent id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// Working hours as stored: the same shape as the domain's `availability::ScheduleSpec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Schedule {
    /// IANA time zone name, e.g. `America/New_York`.
    pub time_zone: String,
    /// Monday to Sunday, each a list of blocks.
    pub weekly: [Vec<Block>; 7],
    /// Dates whose blocks replace their weekday's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<DateOverride>,
}

/// A block of working time, local `"HH:MM"` to `"HH:MM"` (`availability::BlockSpec`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Block {
    /// Start, `"HH:MM"`.
    pub start: String,
    /// End, `"HH:MM"`, after the start.
    pub end: String,
}

/// The blocks of one date, replacing its weekday's; none for a day off
/// (`availability::DateOverride`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct DateOverride {
    /// `"YYYY-MM-DD"` in the agent's zone.
    pub date: String,
    /// The blocks worked that day.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// An agent's booking rules as stored (`availability::AgentRules`); a field left out means
/// no limit or the pool's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Minutes kept clear before each meeting.
    pub buffer_before_minutes: u32,
    /// Minutes kept clear after each meeting.
    pub buffer_after_minutes: u32,
    /// Most meetings per local day; `None` for no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
    /// Minimum notice in minutes, when stricter than the pool's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_notice_minutes: Option<u32>,
    /// Booking horizon in days, when shorter than the pool's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Meeting lengths taken, in minutes; empty for any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub durations: Vec<u32>,
}

/// Where an agent's busy times come from and meetings go.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct CalendarLink {
    /// `builtin`, `google`, `microsoft` or `caldav`.
    pub provider: String,
    /// The connected account: an email address, or the CalDAV collection's URL.
    pub account: Option<String>,
    /// Whether the connection works (always true for the built-in calendar).
    pub healthy: bool,
    /// Failures in a row and, when it stopped working, since when and why.
    pub health: Option<Health>,
    /// When busy times were last read (Unix ms; 0 if never).
    pub busy_fetched_ms: f64,
}

/// A connection's health.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Health {
    /// Calls that failed in a row.
    pub consecutive_failures: f64,
    /// Set once the connection no longer works.
    pub unhealthy: Option<Unhealthy>,
}

/// Why and since when a connection no longer works.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Unhealthy {
    /// Since when (Unix ms).
    pub since_ms: f64,
    /// The failure, as a sentence.
    pub reason: String,
}

/// The calendars this deployment can connect.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Providers {
    /// Google Calendar (needs `GOOGLE_CLIENT_ID` and `GOOGLE_CLIENT_SECRET`).
    pub google: bool,
    /// Microsoft 365 / Outlook (needs `MICROSOFT_CLIENT_ID` and `MICROSOFT_CLIENT_SECRET`).
    pub microsoft: bool,
    /// CalDAV (always available).
    pub caldav: bool,
}

/// Meetings waiting to be written to agents' calendars.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct WriteBack {
    /// How many are waiting.
    pub pending: u64,
    /// The next ones due, each with its last failure.
    pub items: Vec<WriteBackItem>,
}

/// A meeting waiting to be written to its agent's calendar.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct WriteBackItem {
    /// The meeting.
    pub meeting_id: String,
    /// Attempts so far.
    pub attempts: f64,
    /// The last failure; empty when none.
    pub last_error: String,
}

/// What `PATCH agents/{id}` changes; parts left `None` stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgentPatch {
    /// Round-robin weight, 0 to 1000 percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_percent: Option<u32>,
    /// Booking rules, replaced whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Rules>,
    /// Working hours, replaced whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
}

impl AgentPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.weight_percent.is_none() && self.rules.is_none() && self.schedule.is_none()
    }
}

fn agent_path(agent: &str, rest: &str) -> String {
    format!("agents/{}{rest}", String::from(js_sys::encode_uri_component(agent)))
}

/// The agents' calendars, the providers on offer and the write-back queue.
pub async fn calendars() -> Result<Calendars, ApiError> {
    get("calendars").await
}

/// Starts connecting `agent`'s Google (`google`) or Outlook (`microsoft`) calendar: the
/// provider's consent page to send the browser to.
pub async fn connect_oauth(agent: String, provider: &'static str) -> Result<String, ApiError> {
    #[derive(Serialize)]
    struct Connect {
        provider: &'static str,
    }
    #[derive(serde::Deserialize)]
    struct Consent {
        authorize_url: String,
    }
    let (_, json) = call("POST", &agent_path(&agent, "/calendar"), Some(to_js(&Connect { provider })?)).await?;
    serde_wasm_bindgen::from_value::<Consent>(json).map(|c| c.authorize_url).map_err(|_| unexpected())
}

/// Connects `agent`'s CalDAV calendar once the edge has read it with these credentials;
/// answers how many busy events it found.
pub async fn connect_caldav(agent: String, url: String, username: String, password: String) -> Result<u64, ApiError> {
    #[derive(Serialize)]
    struct Connect {
        provider: &'static str,
        url: String,
        username: String,
        password: String,
    }
    #[derive(serde::Deserialize)]
    struct Connected {
        #[serde(default)]
        busy_events: u64,
    }
    let body = to_js(&Connect { provider: "caldav", url, username, password })?;
    let (_, json) = call("POST", &agent_path(&agent, "/calendar"), Some(body)).await?;
    serde_wasm_bindgen::from_value::<Connected>(json).map(|c| c.busy_events).map_err(|_| unexpected())
}

/// Disconnects `agent`'s calendar: back to the built-in one.
pub async fn disconnect_calendar(agent: String) -> Result<(), ApiError> {
    call("DELETE", &agent_path(&agent, "/calendar"), None).await.map(|_| ())
}

/// Reads `agent`'s calendar now; answers its health afterwards.
pub async fn check_calendar(agent: String) -> Result<(bool, Health), ApiError> {
    #[derive(serde::Deserialize)]
    struct Checked {
        #[serde(default)]
        healthy: bool,
        #[serde(default)]
        health: Option<Health>,
    }
    let (_, json) = call("POST", &agent_path(&agent, "/calendar/check"), None).await?;
    serde_wasm_bindgen::from_value::<Checked>(json)
        .map(|c| (c.healthy, c.health.unwrap_or_default()))
        .map_err(|_| unexpected())
}

/// Changes `agent`'s weight, rules or working hours.
pub async fn update_agent(agent: String, patch: AgentPatch) -> Result<(), ApiError> {
    call("PATCH", &agent_path(&agent, ""), Some(to_js(&patch)?)).await.map(|_| ())
}
