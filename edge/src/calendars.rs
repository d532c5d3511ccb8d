//! Agents' calendars as the edge sees them: the provider apps configured for this deployment,
//! stored credentials, and a client per connection that reads busy time and writes events,
//! refreshing OAuth tokens as needed and keeping the connection's health.
//!
//! Configuration comes from Worker variables and secrets (`.dev.vars` locally):
//! `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET` and optionally `GOOGLE_AUTH_URL`,
//! `GOOGLE_TOKEN_URL`, `GOOGLE_API_BASE`; `MICROSOFT_CLIENT_ID`, `MICROSOFT_CLIENT_SECRET`
//! and optionally `MICROSOFT_AUTH_URL`, `MICROSOFT_TOKEN_URL`, `MICROSOFT_API_BASE`;
//! `CALENDAR_TIMEOUT_MS` (10000) bounds every provider call. CalDAV needs no app: each
//! connection carries its own URL and credentials.
//!
//! Invariant: no provider call is made while a booking decision is being taken. The routing
//! pool decides from the cached busy time (`busy.rs`) and its own holds; events are written
//! afterwards by the write-back (`sync.rs`), so a slow or failing provider can delay an event
//! but never cause a double booking.

use crate::error::{ApiError, ApiResult};
use crate::outbound::{self, Body, Unanswered};
use crate::store::calendars::{self as stored, Connection};
use chrono::{DateTime, Utc};
use confab_domain::availability::Interval;
use confab_domain::calendar::health::Health;
use confab_domain::calendar::oauth::{self, OAuthClient, Tokens};
use confab_domain::calendar::{CalendarError, CreatedEvent, EventSpec, Provider, caldav, google, microsoft};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use worker::{D1Database, Env, Method};

pub mod busy;
pub mod sync;

/// How long a provider call may take unless `CALENDAR_TIMEOUT_MS` says otherwise.
const DEFAULT_TIMEOUT_MS: i64 = 10_000;

/// What a connection stores to reach the calendar. Never leaves the edge.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Credentials {
    /// Google or Microsoft, after the OAuth consent.
    Oauth {
        /// Current access token.
        access_token: String,
        /// Refresh token.
        refresh_token: String,
        /// When the access token expires, Unix ms.
        expires_at_ms: i64,
        /// Google calendar id (`primary`) or the Microsoft account's address.
        calendar: String,
    },
    /// A CalDAV calendar collection.
    Caldav {
        /// The collection's URL.
        url: String,
        /// User name.
        username: String,
        /// Password (an app password, typically).
        password: String,
    },
}

/// An OAuth app registered with Google or Microsoft for this deployment.
#[derive(Debug, Clone)]
pub struct App {
    /// Client id.
    pub client_id: String,
    /// Client secret.
    pub client_secret: String,
    /// Authorization endpoint.
    pub authorize_url: String,
    /// Token endpoint.
    pub token_url: String,
    /// API base, without a trailing slash.
    pub api_base: String,
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.trim().is_empty())
}

impl App {
    /// The provider's app, or `None` when this deployment has none configured.
    pub fn from_env(env: &Env, provider: Provider) -> Option<App> {
        let (prefix, authorize, token, api) = match provider {
            Provider::Google => (
                "GOOGLE",
                "https://accounts.google.com/o/oauth2/v2/auth",
                "https://oauth2.googleapis.com/token",
                "https://www.googleapis.com/calendar/v3",
            ),
            Provider::Microsoft => (
                "MICROSOFT",
                "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                "https://graph.microsoft.com/v1.0",
            ),
            Provider::Builtin | Provider::Caldav => return None,
        };
        let get = |suffix: &str, default: &str| {
            var(env, &format!("{prefix}_{suffix}"))
                .unwrap_or_else(|| default.to_owned())
                .trim_end_matches('/')
                .to_owned()
        };
        Some(App {
            client_id: var(env, &format!("{prefix}_CLIENT_ID"))?,
            client_secret: var(env, &format!("{prefix}_CLIENT_SECRET"))?,
            authorize_url: get("AUTH_URL", authorize),
            token_url: get("TOKEN_URL", token),
            api_base: get("API_BASE", api),
        })
    }

    /// The OAuth client for this app, with the redirect URI of this deployment.
    pub fn client<'a>(&'a self, provider: Provider, redirect_uri: &'a str) -> OAuthClient<'a> {
        OAuthClient {
            authorize_url: &self.authorize_url,
            token_url: &self.token_url,
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            redirect_uri,
            scopes: if provider == Provider::Google { oauth::GOOGLE_SCOPES } else { oauth::MICROSOFT_SCOPES },
        }
    }
}

/// Milliseconds a provider call may take.
pub fn timeout_ms(env: &Env) -> i64 {
    var(env, "CALENDAR_TIMEOUT_MS").and_then(|v| v.trim().parse().ok()).filter(|v| *v > 0).unwrap_or(DEFAULT_TIMEOUT_MS)
}

/// A provider's answer: status, body, `Retry-After`.
struct Answer {
    status: u16,
    body: String,
    retry_after: Option<String>,
}

fn unanswered(e: Unanswered) -> CalendarError {
    CalendarError::Transient(match e {
        Unanswered::Unbuildable => "the request to the calendar could not be built".to_owned(),
        Unanswered::Unreachable => "the calendar could not be reached".to_owned(),
        Unanswered::TimedOut(ms) => format!("the calendar did not answer within {ms} ms"),
    })
}

async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Body<'_>>,
    timeout_ms: i64,
) -> Result<Answer, CalendarError> {
    let mut resp = outbound::send(method, url, headers, body, timeout_ms).await.map_err(unanswered)?;
    let retry_after = resp.headers().get("Retry-After").ok().flatten();
    let body = outbound::text(&mut resp, timeout_ms).await.map_err(unanswered)?;
    Ok(Answer { status: resp.status_code(), body, retry_after })
}

/// Exchanges an authorization code for tokens.
pub async fn exchange_code(
    app: &App,
    provider: Provider,
    redirect_uri: &str,
    code: &str,
    now_ms: i64,
    timeout_ms: i64,
) -> Result<Tokens, CalendarError> {
    let client = app.client(provider, redirect_uri);
    let form = oauth::code_body(&client, code);
    let body = Body { content_type: "application/x-www-form-urlencoded", text: &form };
    let answer = send(Method::Post, &app.token_url, &[], Some(body), timeout_ms).await?;
    oauth::parse_tokens(answer.status, &answer.body, now_ms)
}

/// One agent's connected calendar, for the length of one piece of work.
pub struct Calendar<'a> {
    env: &'a Env,
    db: &'a D1Database,
    agent: String,
    provider: Provider,
    credentials: RefCell<Credentials>,
    health: RefCell<Health>,
    timeout_ms: i64,
}

impl<'a> Calendar<'a> {
    /// The client for a stored connection; `None` for a provider this edge cannot use.
    pub fn open(env: &'a Env, db: &'a D1Database, connection: &Connection) -> Option<Calendar<'a>> {
        let provider = Provider::parse(&connection.provider).filter(|p| *p != Provider::Builtin)?;
        let credentials = serde_json::from_str(&connection.credentials).ok()?;
        Some(Calendar {
            env,
            db,
            agent: connection.agent_id.clone(),
            provider,
            credentials: RefCell::new(credentials),
            health: RefCell::new(serde_json::from_str(&connection.health).unwrap_or_default()),
            timeout_ms: timeout_ms(env),
        })
    }

    /// Records the outcome of a piece of work in the connection's health (stored only when
    /// it changes).
    pub async fn record<T>(&self, outcome: &Result<T, CalendarError>, now_ms: i64) {
        let before = self.health.borrow().clone();
        let after = match outcome {
            Ok(_) => before.clone().after_success(),
            Err(e) => before.clone().after_failure(e, now_ms),
        };
        if after != before {
            if let Ok(json) = serde_json::to_string(&after)
                && let Err(e) = stored::set_health(self.db, &self.agent, &json).await
            {
                worker::console_error!("storing calendar health failed: {e}");
            }
            *self.health.borrow_mut() = after;
        }
    }

    fn app(&self) -> Result<App, CalendarError> {
        App::from_env(self.env, self.provider)
            .ok_or_else(|| CalendarError::Revoked("this deployment has no app configured for the provider".to_owned()))
    }

    /// A valid access token: the stored one, or a refreshed one (stored), when `force` or
    /// when it is about to expire.
    async fn access_token(&self, force: bool, now_ms: i64) -> Result<String, CalendarError> {
        let current = self.credentials.borrow().clone();
        let Credentials::Oauth { access_token, refresh_token, expires_at_ms, calendar } = current else {
            return Err(CalendarError::Rejected("not an OAuth connection".to_owned()));
        };
        if !force && !oauth::needs_refresh(expires_at_ms, now_ms) {
            return Ok(access_token);
        }
        let app = self.app()?;
        // The redirect URI is not part of a refresh; the client needs one all the same.
        let client = app.client(self.provider, "");
        let form = oauth::refresh_body(&client, &refresh_token);
        let body = Body { content_type: "application/x-www-form-urlencoded", text: &form };
        let answer = send(Method::Post, &app.token_url, &[], Some(body), self.timeout_ms).await?;
        let tokens = oauth::parse_tokens(answer.status, &answer.body, now_ms)?;
        let renewed = Credentials::Oauth {
            access_token: tokens.access_token.clone(),
            // A refresh may or may not rotate the refresh token; keep the old one if not.
            refresh_token: tokens.refresh_token.unwrap_or(refresh_token),
            expires_at_ms: tokens.expires_at_ms,
            calendar,
        };
        if let Ok(json) = serde_json::to_string(&renewed)
            && let Err(e) = stored::set_credentials(self.db, &self.agent, &json).await
        {
            worker::console_error!("storing refreshed calendar credentials failed: {e}");
        }
        *self.credentials.borrow_mut() = renewed;
        Ok(tokens.access_token)
    }

    /// An API call with the bearer token, refreshing it once when refused.
    async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        prefer_utc: bool,
        now_ms: i64,
    ) -> Result<Answer, CalendarError> {
        let app = self.app()?;
        let url = format!("{}{path}", app.api_base);
        let mut forced = false;
        loop {
            let token = self.access_token(forced, now_ms).await?;
            let authorization = format!("Bearer {token}");
            let mut headers = vec![("Authorization", authorization.as_str())];
            if prefer_utc {
                headers.push(("Prefer", "outlook.timezone=\"UTC\""));
            }
            let json = body.map(|text| Body { content_type: "application/json", text });
            let answer = send(method.clone(), &url, &headers, json, self.timeout_ms).await?;
            if answer.status == 401 && !forced {
                forced = true;
                continue;
            }
            return Ok(answer);
        }
    }

    fn caldav(&self) -> Result<(String, String), CalendarError> {
        match &*self.credentials.borrow() {
            Credentials::Caldav { url, username, password } => {
                Ok((url.clone(), format!("Basic {}", basic(username, password))))
            }
            Credentials::Oauth { .. } => Err(CalendarError::Rejected("not a CalDAV connection".to_owned())),
        }
    }

    fn calendar_id(&self) -> String {
        match &*self.credentials.borrow() {
            Credentials::Oauth { calendar, .. } => calendar.clone(),
            Credentials::Caldav { url, .. } => url.clone(),
        }
    }

    /// Busy time in `[from, until)`.
    pub async fn busy(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        now_ms: i64,
    ) -> Result<Vec<Interval>, CalendarError> {
        let calendar = self.calendar_id();
        match self.provider {
            Provider::Google => {
                let body = google::freebusy_body(&calendar, from, until);
                let a = self.api(Method::Post, "/freeBusy", Some(&body), false, now_ms).await?;
                google::parse_freebusy(a.status, &a.body, &calendar, a.retry_after.as_deref())
            }
            Provider::Microsoft => {
                let body = microsoft::get_schedule_body(&calendar, from, until);
                let a = self.api(Method::Post, microsoft::SCHEDULE_PATH, Some(&body), true, now_ms).await?;
                microsoft::parse_schedule(a.status, &a.body, &calendar, a.retry_after.as_deref())
            }
            Provider::Caldav => {
                let (url, authorization) = self.caldav()?;
                let body = caldav::calendar_query_body(from, until);
                let headers = [("Authorization", authorization.as_str()), ("Depth", "1")];
                let xml = Body { content_type: "application/xml; charset=utf-8", text: &body };
                let report = Method::from("REPORT".to_owned());
                let a = send(report, &url, &headers, Some(xml), self.timeout_ms).await?;
                caldav::parse_multistatus(a.status, &a.body, from, until)
            }
            Provider::Builtin => Ok(Vec::new()),
        }
    }

    /// Writes the meeting's event: creates it, or moves the existing one.
    pub async fn put_event(
        &self,
        spec: &EventSpec<'_>,
        existing: Option<&str>,
        now_ms: i64,
    ) -> Result<CreatedEvent, CalendarError> {
        let calendar = self.calendar_id();
        match (self.provider, existing) {
            (Provider::Google, None) => {
                let body = google::insert_event_body(spec);
                let a = self.api(Method::Post, &google::events_path(&calendar), Some(&body), false, now_ms).await?;
                if google::is_duplicate(a.status, &a.body) {
                    // An earlier attempt made it (its answer was lost): read that event.
                    let path = google::event_path(&calendar, &google::event_id(spec.uid));
                    let existing = self.api(Method::Get, &path, None, false, now_ms).await?;
                    return google::parse_event(existing.status, &existing.body, existing.retry_after.as_deref());
                }
                google::parse_event(a.status, &a.body, a.retry_after.as_deref())
            }
            (Provider::Google, Some(id)) => {
                let body = google::patch_event_body(spec);
                let a = self.api(Method::Patch, &google::event_path(&calendar, id), Some(&body), false, now_ms).await?;
                google::parse_event(a.status, &a.body, a.retry_after.as_deref())
            }
            (Provider::Microsoft, None) => {
                let body = microsoft::event_body(spec);
                let a = self.api(Method::Post, microsoft::EVENTS_PATH, Some(&body), false, now_ms).await?;
                microsoft::parse_event(a.status, &a.body, a.retry_after.as_deref())
            }
            (Provider::Microsoft, Some(id)) => {
                let body = microsoft::patch_event_body(spec);
                let a = self.api(Method::Patch, &microsoft::event_path(id), Some(&body), false, now_ms).await?;
                microsoft::parse_event(a.status, &a.body, a.retry_after.as_deref())
            }
            (Provider::Caldav, _) => {
                let (url, authorization) = self.caldav()?;
                let href = caldav::event_href(&url, spec.uid);
                let ics = caldav::event_ics(spec);
                let body = Body { content_type: "text/calendar; charset=utf-8", text: &ics };
                let headers = [("Authorization", authorization.as_str())];
                let a = send(Method::Put, &href, &headers, Some(body), self.timeout_ms).await?;
                caldav::parse_put(a.status, &a.body, a.retry_after.as_deref())?;
                Ok(CreatedEvent { id: href, join_url: None })
            }
            (Provider::Builtin, _) => Ok(CreatedEvent { id: String::new(), join_url: None }),
        }
    }

    /// Removes the meeting's event (a missing event counts as removed).
    pub async fn delete_event(&self, id: &str, now_ms: i64) -> Result<(), CalendarError> {
        let calendar = self.calendar_id();
        match self.provider {
            Provider::Google => {
                let a = self.api(Method::Delete, &google::event_path(&calendar, id), None, false, now_ms).await?;
                google::parse_delete(a.status, &a.body, a.retry_after.as_deref())
            }
            Provider::Microsoft => {
                let body = microsoft::cancel_body("The meeting was canceled.");
                let a = self.api(Method::Post, &microsoft::cancel_path(id), Some(&body), false, now_ms).await?;
                microsoft::parse_empty(a.status, &a.body, a.retry_after.as_deref())
            }
            Provider::Caldav => {
                let (_, authorization) = self.caldav()?;
                let headers = [("Authorization", authorization.as_str())];
                let a = send(Method::Delete, id, &headers, None, self.timeout_ms).await?;
                caldav::parse_delete(a.status, &a.body, a.retry_after.as_deref())
            }
            Provider::Builtin => Ok(()),
        }
    }
}

/// `user:password` in base64, for HTTP basic authentication.
fn basic(user: &str, password: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{user}:{password}").into_bytes();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Whether a stored connection is healthy (unreadable health counts as healthy: it was
/// written by this code, and a bad row must not take an agent out of routing).
pub fn is_healthy(connection: &Connection) -> bool {
    serde_json::from_str::<Health>(&connection.health).map(|h| h.is_healthy()).unwrap_or(true)
}

/// Turns a calendar failure into the API error an admin sees.
pub fn admin_error(e: &CalendarError) -> ApiError {
    ApiError::bad_request("calendar_error", e.to_string())
}

/// Connection summaries of a site's agents, for the admin (never the credentials).
pub async fn summaries(db: &D1Database, site: &str) -> ApiResult<Vec<serde_json::Value>> {
    Ok(stored::connections(db, site)
        .await?
        .into_iter()
        .map(|c| {
            let health: Health = serde_json::from_str(&c.health).unwrap_or_default();
            serde_json::json!({
                "agent_id": c.agent_id,
                "provider": c.provider,
                "account": c.account,
                "healthy": health.is_healthy(),
                "health": health,
                "busy_fetched_ms": c.busy_fetched_ms as i64,
            })
        })
        .collect())
}
