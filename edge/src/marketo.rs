//! Marketo, as the Worker sees it: whether it is configured, and typed calls to the
//! [`MarketoGateway`](crate::marketo_gateway::MarketoGateway) Durable Object, the only code
//! that talks to Marketo (one instance per deployment, so every caller shares one token, one
//! call budget and one outbox).
//!
//! The connection is entered by an admin in the Integrations tab (kept in the gateway's own
//! storage; D1 only records that it exists, see [`CONNECTED_SETTING`]), or set by Worker
//! variables and secrets (`.dev.vars` locally), which then win and cannot be changed in the
//! admin: `MARKETO_ENDPOINT` (REST base, e.g. `https://123-ABC-456.mktorest.com`),
//! `MARKETO_CLIENT_ID`, `MARKETO_CLIENT_SECRET` (a secret, never returned by any API), and
//! optional tuning: `MARKETO_IDENTITY` (identity base, default `{endpoint}/identity`),
//! `MARKETO_CALLS_PER_WINDOW` (80), `MARKETO_WINDOW_MS` (20000), `MARKETO_MAX_IN_FLIGHT`
//! (5), `MARKETO_DAILY_CALLS` (20000 of the instance's 50,000), `MARKETO_ACTIVITY_TYPE_ID` (100001), `MARKETO_BACKOFF_MS` (1000, the first retry's
//! delay), `MARKETO_POLL_MS` (10000, export status polls), `MARKETO_SYNC_INTERVAL_MS` (60000,
//! incremental sync). Without an endpoint, Marketo is off and everything runs on the local
//! lead store.

use crate::error::{ApiError, ApiResult};
use confab_domain::marketo::{ActivityKind, BudgetConfig};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Method, Request, RequestInit};

/// The Durable Object binding name, as declared in `wrangler.toml`.
const BINDING: &str = "MARKETO_GATEWAY";

/// How Confab reaches one Marketo instance. Its `Debug` leaves the secret out.
#[derive(Clone)]
pub struct Config {
    /// REST base URL, without a trailing slash.
    pub endpoint: String,
    /// Identity base URL, without a trailing slash.
    pub identity: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
    /// Confab's share of the instance's limits.
    pub budget: BudgetConfig,
    /// The custom activity type Confab's activities are written as.
    pub activity_type_id: i64,
    /// Delay before the first retry; later retries back off exponentially.
    pub backoff_ms: i64,
    /// Interval between export status polls.
    pub poll_ms: i64,
    /// Interval between incremental syncs.
    pub sync_interval_ms: i64,
    /// Most calls Confab makes per Marketo day (the instance allows 50,000 for everyone).
    pub daily_calls: i64,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .field("identity", &self.identity)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .finish_non_exhaustive()
    }
}

fn text(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.trim().is_empty())
}

fn number(env: &Env, name: &str, default: i64) -> i64 {
    text(env, name).and_then(|v| v.trim().parse().ok()).filter(|v| *v > 0).unwrap_or(default)
}

/// The connection an admin entered in the Integrations tab, kept in the gateway's own
/// storage (never in D1, never returned by any API).
#[derive(Clone, Serialize, Deserialize)]
pub struct Connection {
    /// REST base URL, without a trailing slash.
    pub endpoint: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
}

impl Connection {
    /// Checks what an admin typed; `Err` is a sentence per field, keyed by field name.
    pub fn check(endpoint: &str, client_id: &str, client_secret: &str) -> Result<Connection, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
        if let Err(problem) = check_endpoint(&endpoint) {
            problems.push(("endpoint".to_owned(), problem));
        }
        let client_id = client_id.trim().to_owned();
        if client_id.is_empty() || client_id.len() > 200 || client_id.chars().any(char::is_whitespace) {
            problems
                .push(("client_id".to_owned(), "Paste the client id of a LaunchPoint API-only service.".to_owned()));
        }
        let client_secret = client_secret.trim().to_owned();
        if client_secret.is_empty() || client_secret.len() > 200 || client_secret.chars().any(char::is_whitespace) {
            problems.push(("client_secret".to_owned(), "Paste the service's client secret.".to_owned()));
        }
        if problems.is_empty() { Ok(Connection { endpoint, client_id, client_secret }) } else { Err(problems) }
    }
}

/// A REST base: `https://…` (plain `http://` only on loopback, for local fakes), no path
/// beyond the host, no credentials or query.
fn check_endpoint(endpoint: &str) -> Result<(), String> {
    let rest = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://").filter(|r| is_loopback(r)))
        .ok_or_else(|| "The REST endpoint starts with https:// (e.g. https://123-ABC-456.mktorest.com).".to_owned())?;
    let host = rest.split('/').next().unwrap_or_default();
    let path = &rest[host.len()..];
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok || !(path.is_empty() || path == "/rest") {
        return Err("Use the REST endpoint shown in Marketo under Admin → Web Services, such as \
                    https://123-ABC-456.mktorest.com."
            .to_owned());
    }
    Ok(())
}

fn is_loopback(rest: &str) -> bool {
    rest.starts_with("127.0.0.1:") || rest.starts_with("localhost:") || rest.starts_with("127.0.0.1/")
}

impl Config {
    /// The configuration from Worker variables, or `None` when they do not configure Marketo
    /// (then an admin may connect it in the Integrations tab).
    pub fn from_env(env: &Env) -> Option<Config> {
        let endpoint = text(env, "MARKETO_ENDPOINT")?.trim_end_matches('/').to_owned();
        if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
            worker::console_error!("MARKETO_ENDPOINT must start with https://; Marketo stays off");
            return None;
        }
        let identity = text(env, "MARKETO_IDENTITY").map(|i| i.trim_end_matches('/').to_owned());
        let connection = Connection {
            endpoint,
            client_id: text(env, "MARKETO_CLIENT_ID")?,
            client_secret: text(env, "MARKETO_CLIENT_SECRET")?,
        };
        Some(Config::with(env, connection, identity))
    }

    /// The configuration for a connection entered in the admin, tuned by Worker variables.
    pub fn from_connection(env: &Env, connection: Connection) -> Config {
        Config::with(env, connection, None)
    }

    fn with(env: &Env, connection: Connection, identity: Option<String>) -> Config {
        let Connection { endpoint, client_id, client_secret } = connection;
        let identity = identity.unwrap_or_else(|| format!("{endpoint}/identity"));
        let defaults = BudgetConfig::default();
        Config {
            identity,
            client_id,
            client_secret,
            budget: BudgetConfig {
                calls_per_window: u32::try_from(number(
                    env,
                    "MARKETO_CALLS_PER_WINDOW",
                    i64::from(defaults.calls_per_window),
                ))
                .unwrap_or(defaults.calls_per_window)
                .min(100),
                window_ms: number(env, "MARKETO_WINDOW_MS", defaults.window_ms),
                max_in_flight: u32::try_from(number(env, "MARKETO_MAX_IN_FLIGHT", i64::from(defaults.max_in_flight)))
                    .unwrap_or(defaults.max_in_flight)
                    .min(10),
            },
            activity_type_id: number(env, "MARKETO_ACTIVITY_TYPE_ID", 100_001),
            backoff_ms: number(env, "MARKETO_BACKOFF_MS", 1_000),
            poll_ms: number(env, "MARKETO_POLL_MS", 10_000),
            sync_interval_ms: number(env, "MARKETO_SYNC_INTERVAL_MS", 60_000),
            daily_calls: number(env, "MARKETO_DAILY_CALLS", 20_000),
            endpoint,
        }
    }
}

/// The D1 setting that says an admin connected Marketo (endpoint and client id only; the
/// secret stays in the gateway).
pub const CONNECTED_SETTING: &str = "marketo_connection";

thread_local! {
    /// Whether an admin connected Marketo, as last read from D1 by this isolate, and when
    /// (Unix ms). Re-read after [`CONNECTED_TTL_MS`], so a booking or an event does not pay
    /// a D1 read each time; a connect or disconnect in this isolate refreshes it at once.
    static CONNECTED: std::cell::Cell<Option<(bool, i64)>> = const { std::cell::Cell::new(None) };
}

/// How long an isolate trusts what it last read of [`CONNECTED_SETTING`].
const CONNECTED_TTL_MS: i64 = 10_000;

/// Records what this isolate knows of the admin's connection (after a connect or disconnect).
pub fn note_connected(connected: bool) {
    CONNECTED.with(|c| c.set(Some((connected, crate::clock::now().timestamp_millis()))));
}

/// Whether Marketo is on for this deployment: configured by Worker variables, or connected
/// by an admin.
pub async fn enabled(env: &Env, db: &D1Database) -> bool {
    if Config::from_env(env).is_some() {
        return true;
    }
    let now = crate::clock::now().timestamp_millis();
    if let Some((connected, read_at)) = CONNECTED.with(std::cell::Cell::get)
        && now - read_at < CONNECTED_TTL_MS
    {
        return connected;
    }
    match crate::store::leads::setting(db, CONNECTED_SETTING).await {
        Ok(value) => {
            let connected = value.is_some();
            CONNECTED.with(|c| c.set(Some((connected, now))));
            connected
        }
        Err(e) => {
            worker::console_warn!("marketo connection setting unreadable: {e}");
            false
        }
    }
}

/// `POST https://marketo-gateway/{op}` with a JSON body; the gateway answers JSON, or an
/// error envelope with the status to pass on.
async fn gateway<T: DeserializeOwned>(env: &Env, op: &str, body: &impl Serialize) -> ApiResult<T> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(JsValue::from_str(&serde_json::to_string(body)?)));
    let req = Request::new_with_init(&format!("https://marketo-gateway/{op}"), &init)?;
    let stub = env.durable_object(BINDING)?.get_by_name("marketo")?;
    let mut resp = stub.fetch_with_request(req).await?;
    match resp.status_code() {
        200 => Ok(resp.json().await?),
        503 => Err(ApiError::Unavailable(resp.text().await.unwrap_or_default())),
        status => Err(ApiError::Internal(format!("marketo gateway answered {status}: {}", resp.text().await?))),
    }
}

/// A lookup's answer: the lead, or none.
#[derive(Debug, Serialize, Deserialize)]
pub struct Found {
    /// The lead, as stored locally after the lookup.
    pub lead: Option<StoredLead>,
}

/// A lead as the widget may see it: the local row id and its attributes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredLead {
    /// `leads.id`.
    pub id: i64,
    /// Marketo's id, when known.
    pub marketo_id: Option<i64>,
    /// Every stored field by REST name.
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// Asks Marketo which lead carries this Munchkin cookie; the gateway stores the answer
/// (the lead, or that there is none) locally before answering.
pub async fn lookup_cookie(env: &Env, cookie: &str) -> ApiResult<Option<StoredLead>> {
    let found: Found = gateway(env, "lookup-cookie", &serde_json::json!({ "cookie": cookie })).await?;
    Ok(found.lead)
}

/// Tells the gateway new activities wait in the outbox.
pub async fn kick(env: &Env) -> ApiResult<()> {
    let _: serde_json::Value = gateway(env, "kick", &serde_json::json!({})).await?;
    Ok(())
}

/// Any admin-facing gateway operation, answered as JSON.
pub async fn admin(env: &Env, op: &str, body: &serde_json::Value) -> ApiResult<serde_json::Value> {
    gateway(env, op, body).await
}

/// A meeting event to write back to Marketo.
#[derive(Debug, Clone, Copy)]
pub enum MeetingEvent {
    /// Booked.
    Scheduled,
    /// Moved.
    Rescheduled,
    /// Canceled.
    Canceled,
    /// The visitor did not come.
    NoShow,
    /// Held.
    Completed,
}

/// Puts the meeting's activity in the outbox (when Marketo is configured) and wakes the
/// gateway after the response. A failure is logged, never returned: the meeting itself is
/// already stored.
pub async fn record_meeting(
    env: &Env,
    ctx: &worker::Context,
    db: &worker::D1Database,
    meeting: &str,
    event: MeetingEvent,
    sequence_hint: &str,
) {
    if !enabled(env, db).await {
        return;
    }
    let facts = match crate::store::outbox::meeting_facts(db, meeting).await {
        Ok(Some(facts)) => facts,
        Ok(None) => return,
        Err(e) => {
            worker::console_error!("marketo outbox: {e}");
            return;
        }
    };
    let (email, agent, start) = facts;
    let kind = match event {
        MeetingEvent::Scheduled => ActivityKind::MeetingScheduled { agent, start },
        MeetingEvent::Rescheduled => ActivityKind::MeetingRescheduled { agent, start },
        MeetingEvent::Canceled => ActivityKind::MeetingCanceled { agent, start },
        MeetingEvent::NoShow => ActivityKind::MeetingNoShow { agent, start },
        MeetingEvent::Completed => ActivityKind::MeetingCompleted { agent, start },
    };
    let key = format!("meeting:{meeting}:{event:?}:{sequence_hint}").to_lowercase();
    let marketo_id = match crate::store::leads::lead_by_email(db, &email).await {
        Ok(lead) => lead.and_then(|l| l.marketo_id),
        Err(_) => None,
    };
    record_activity(env, ctx, db, &key, &email, marketo_id, kind).await;
}

/// Puts an activity for the visitor with `email` in the outbox under `key` (once per key;
/// only when Marketo is configured) and wakes the gateway after the response. A failure is
/// logged, never returned: what caused the activity is already stored.
pub async fn record_activity(
    env: &Env,
    ctx: &worker::Context,
    db: &worker::D1Database,
    key: &str,
    email: &str,
    marketo_id: Option<i64>,
    kind: ActivityKind,
) {
    if !enabled(env, db).await {
        return;
    }
    let at = crate::clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    match crate::store::outbox::enqueue(db, key, email, marketo_id, &at, &kind).await {
        Ok(()) => wake(env, ctx),
        Err(e) => worker::console_error!("marketo outbox: {e}"),
    }
}

/// Wakes the gateway after the response: something waits in the outbox.
pub fn wake(env: &Env, ctx: &worker::Context) {
    let env = env.clone();
    ctx.wait_until(async move {
        if let Err(e) = kick(&env).await {
            worker::console_warn!("marketo gateway kick failed: {e}");
        }
    });
}
