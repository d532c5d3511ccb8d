//! The Marketo REST client inside the gateway: one token, one call budget, retries.
//!
//! Invariants: no call starts unless [`Budget::try_start`] admitted it (so Confab never makes
//! more than its configured share of calls per window, nor more at once); every admitted call
//! is finished by an [`InFlight`] guard, whatever happens to the future; background work
//! leaves a reserve of the window to visitors' lookups; after a 607 background work stops
//! until Marketo's quota resets. Call start times are kept in the object's SQLite so a
//! restarted object still respects the window.

use super::kv;
use crate::clock;
use crate::marketo::Config;
use crate::outbound::{self, Body, Unanswered};
use confab_domain::marketo::{
    Action, Budget, Envelope, Failure, Token, backoff_ms, parse_envelope, parse_token, quota_resets_at_ms,
};
use std::cell::RefCell;
use worker::{Method, Response, SqlStorage};

/// How long a visitor may wait, or whether the work can wait for the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// A visitor is waiting: give up at this instant (Unix ms).
    Visitor {
        /// The deadline, Unix milliseconds.
        deadline_ms: i64,
    },
    /// Sync and outbox work: waits for the budget, stops during a quota pause.
    Background,
}

/// Most retries of a background call before it reports the failure to its caller.
const BACKGROUND_ATTEMPTS: u32 = 6;
/// Longest single backoff.
const BACKOFF_CAP_MS: i64 = 60_000;
/// Longest wait for one background call's answer.
const BACKGROUND_TIMEOUT_MS: i64 = 30_000;

/// What the gateway knows between calls.
struct Inner {
    token: Option<Token>,
    budget: Budget,
    /// Background work waits until then (a 607 daily quota).
    paused_until_ms: i64,
    /// The last failure, for the admin: (when, what).
    last_error: Option<(i64, String)>,
    calls: u64,
    /// Calls in the current Marketo day (which ends at `day_ends_ms`).
    day_calls: i64,
    day_ends_ms: i64,
    /// An admin changed or removed the connection: work still holding this client stops.
    retired: bool,
}

/// The client; lives as long as the Durable Object instance.
pub struct Client {
    config: Config,
    sql: SqlStorage,
    inner: RefCell<Inner>,
}

/// Ends an admitted call when dropped.
pub struct InFlight<'a> {
    client: &'a Client,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.client.inner.borrow_mut().budget.finish();
    }
}

#[derive(serde::Deserialize)]
struct StartRow {
    start_ms: f64,
}

/// Now, Unix milliseconds.
pub fn now_ms() -> i64 {
    clock::now().timestamp_millis()
}

pub use crate::outbound::sleep;

fn jitter() -> f64 {
    clock::random_bytes(2).map(|b| f64::from(u16::from_le_bytes([b[0], b[1]])) / 65_536.0).unwrap_or(0.5)
}

/// Which connection a stored token belongs to: its endpoint and client id.
fn owner_of(config: &Config) -> String {
    format!("{} {}", config.endpoint, config.client_id)
}

fn encode(value: &str) -> String {
    confab_domain::marketo::cookie_query(value)
}

impl Client {
    /// A client over the object's SQLite, restoring the call window and the token.
    pub fn new(config: Config, sql: SqlStorage) -> Self {
        let now = now_ms();
        let _ = sql.exec("CREATE TABLE IF NOT EXISTS calls (start_ms INTEGER NOT NULL)", None);
        kv::ensure(&sql);
        let history: Vec<i64> = sql
            .exec(
                "SELECT start_ms FROM calls WHERE start_ms > ?",
                vec![((now - config.budget.window_ms) as f64).into()],
            )
            .and_then(|c| c.to_array::<StartRow>())
            .map(|rows| rows.into_iter().map(|r| r.start_ms as i64).collect())
            .unwrap_or_default();
        // A token is kept with the connection it was issued for: one of another connection
        // (an admin changed it) is never sent.
        let owner = owner_of(&config);
        let token = kv::get::<(String, i64, String)>(&sql, "token")
            .filter(|(_, _, of)| *of == owner)
            .map(|(access_token, expires_at_ms, _)| Token { access_token, expires_at_ms });
        let paused_until_ms = kv::get::<i64>(&sql, "paused_until").unwrap_or(0);
        let (day_ends_ms, day_calls) =
            kv::get::<(i64, i64)>(&sql, "day").filter(|(ends, _)| *ends > now).unwrap_or((quota_resets_at_ms(now), 0));
        Client {
            inner: RefCell::new(Inner {
                token,
                budget: Budget::with_history(config.budget, history),
                paused_until_ms,
                last_error: None,
                calls: 0,
                day_calls,
                day_ends_ms,
                retired: false,
            }),
            config,
            sql,
        }
    }

    /// Stops this client: every call after this fails at once (the connection it was made for
    /// was changed or removed).
    pub fn retire(&self) {
        self.inner.borrow_mut().retired = true;
    }

    fn check_current(&self) -> Result<(), Failure> {
        match self.inner.borrow().retired {
            true => Err(Failure::Unavailable("the Marketo connection was changed".into())),
            false => Ok(()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Until when background work is paused (a 607), Unix ms; 0 when it is not.
    pub fn paused_until_ms(&self) -> i64 {
        let paused = self.inner.borrow().paused_until_ms;
        if paused > now_ms() { paused } else { 0 }
    }

    /// The budget as the admin sees it: calls in the current window, in flight, calls made
    /// by this instance, and the last failure.
    pub fn status(&self) -> serde_json::Value {
        let now = now_ms();
        let inner = self.inner.borrow();
        serde_json::json!({
            "calls_in_window": inner.budget.calls_in_window(now),
            "in_flight": inner.budget.in_flight(),
            "calls_per_window": self.config.budget.calls_per_window,
            "window_ms": self.config.budget.window_ms,
            "max_in_flight": self.config.budget.max_in_flight,
            "calls_since_start": inner.calls,
            "calls_today": inner.day_calls,
            "daily_calls": self.config.daily_calls,
            "paused_until_ms": if inner.paused_until_ms > now { inner.paused_until_ms } else { 0 },
            "last_error": inner.last_error.as_ref().map(|(at, what)| serde_json::json!({ "at_ms": at, "message": what })),
        })
    }

    fn note_error(&self, failure: &Failure) {
        worker::console_warn!("marketo: {failure}");
        self.inner.borrow_mut().last_error = Some((now_ms(), failure.describe()));
    }

    /// Waits for a place in the budget; counts the call as started.
    async fn acquire(&self, urgency: Urgency) -> Result<InFlight<'_>, Failure> {
        let reserve = (self.config.budget.calls_per_window / 8).max(1);
        loop {
            let now = now_ms();
            let admitted = {
                let mut inner = self.inner.borrow_mut();
                if urgency == Urgency::Background && inner.paused_until_ms > now {
                    return Err(Failure::DailyQuota);
                }
                if now >= inner.day_ends_ms {
                    inner.day_ends_ms = quota_resets_at_ms(now);
                    inner.day_calls = 0;
                }
                if inner.day_calls >= self.config.daily_calls {
                    // Confab's daily share is spent: wait for Marketo's next day, like a 607.
                    inner.paused_until_ms = inner.day_ends_ms;
                    return Err(match urgency {
                        Urgency::Background => Failure::DailyQuota,
                        Urgency::Visitor { .. } => {
                            Failure::Unavailable("Confab's daily share of Marketo calls is spent".into())
                        }
                    });
                }
                let used = inner.budget.calls_in_window(now);
                let limit = self.config.budget.calls_per_window;
                let capped = match urgency {
                    // Background work leaves a reserve for visitors …
                    Urgency::Background => used + reserve >= limit,
                    // … and visitors (whose lookups anyone can trigger) leave a quarter to
                    // background work, so a flood of new cookies cannot starve the outbox.
                    Urgency::Visitor { .. } => used * 4 >= limit * 3,
                };
                if capped { Err(now + 250) } else { inner.budget.try_start(now) }
            };
            match admitted {
                Ok(()) => {
                    let day = {
                        let mut inner = self.inner.borrow_mut();
                        inner.calls += 1;
                        inner.day_calls += 1;
                        (inner.day_ends_ms, inner.day_calls)
                    };
                    let _ = kv::set(&self.sql, "day", &day);
                    let window_start = now - self.config.budget.window_ms;
                    let _ = self.sql.exec("INSERT INTO calls (start_ms) VALUES (?)", vec![(now as f64).into()]);
                    let _ = self.sql.exec("DELETE FROM calls WHERE start_ms <= ?", vec![(window_start as f64).into()]);
                    return Ok(InFlight { client: self });
                }
                Err(at) => {
                    if let Urgency::Visitor { deadline_ms } = urgency
                        && at >= deadline_ms
                    {
                        return Err(Failure::Unavailable("Confab's share of the Marketo API is in use".into()));
                    }
                    sleep((at - now).clamp(5, 5_000)).await;
                }
            }
        }
    }

    fn timeout(&self, urgency: Urgency) -> i64 {
        match urgency {
            Urgency::Visitor { deadline_ms } => (deadline_ms - now_ms()).max(1),
            Urgency::Background => BACKGROUND_TIMEOUT_MS,
        }
    }

    /// A usable access token, fetched from the identity endpoint when needed (identity calls
    /// do not count against Marketo's API limits).
    async fn token(&self, urgency: Urgency) -> Result<String, Failure> {
        let now = now_ms();
        if let Some(token) = self.inner.borrow().token.as_ref().filter(|t| t.usable(now)) {
            return Ok(token.access_token.clone());
        }
        let token = fetch_token(&self.config, self.timeout(urgency)).await?;
        let _ = kv::set(&self.sql, "token", &(&token.access_token, token.expires_at_ms, owner_of(&self.config)));
        let access = token.access_token.clone();
        self.inner.borrow_mut().token = Some(token);
        Ok(access)
    }

    fn forget_token(&self) {
        self.inner.borrow_mut().token = None;
        kv::remove(&self.sql, "token");
    }

    /// What to do after `failure` on attempt `attempt` (0-based): `Some(delay)` to retry.
    fn after_failure(&self, failure: &Failure, urgency: Urgency, attempt: u32, refreshed: &mut bool) -> Option<i64> {
        self.note_error(failure);
        let now = now_ms();
        match failure.action() {
            Action::RefreshTokenThenRetry if !*refreshed => {
                *refreshed = true;
                self.forget_token();
                Some(0)
            }
            Action::RetryAfterBackoff => {
                if *failure == Failure::RateLimited {
                    self.inner.borrow_mut().budget.penalise(now);
                }
                let delay = backoff_ms(attempt, self.config.backoff_ms, BACKOFF_CAP_MS, jitter());
                match urgency {
                    Urgency::Visitor { deadline_ms } => (now + delay < deadline_ms).then_some(delay),
                    Urgency::Background => (attempt + 1 < BACKGROUND_ATTEMPTS).then_some(delay),
                }
            }
            Action::PauseUntilQuotaReset => {
                let until = quota_resets_at_ms(now);
                self.inner.borrow_mut().paused_until_ms = until;
                let _ = kv::set(&self.sql, "paused_until", &until);
                None
            }
            _ => None,
        }
    }

    /// One REST call (path from the REST base, query already percent-encoded) with the
    /// envelope checked; retried as the failure allows.
    pub async fn call(
        &self,
        urgency: Urgency,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Envelope, Failure> {
        let mut url = format!("{}{path}", self.config.endpoint);
        for (i, (name, value)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        let body = body.map(serde_json::Value::to_string);
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            // Not retried: the connection this client was made for is gone.
            self.check_current()?;
            let result = async {
                let _in_flight = self.acquire(urgency).await?;
                self.check_current()?;
                let token = self.token(urgency).await?;
                let json = body.as_deref().map(|text| Body { content_type: "application/json", text });
                let mut resp = send(method.clone(), &url, Some(&token), json, None, self.timeout(urgency)).await?;
                let text = resp.text().await.map_err(|e| Failure::Unavailable(format!("answer unreadable: {e}")))?;
                parse_envelope(resp.status_code(), &text)
            }
            .await;
            match result {
                Ok(envelope) => return Ok(envelope),
                Err(failure) => match self.after_failure(&failure, urgency, attempt, &mut refreshed) {
                    Some(delay) => {
                        if delay > 0 {
                            attempt += 1;
                            sleep(delay).await;
                        }
                    }
                    None => return Err(failure),
                },
            }
        }
    }

    /// Starts downloading a bulk export file from byte `from`; the guard keeps the call
    /// counted as in flight while the body streams. Not retried: the sync resumes.
    pub async fn download(&self, path: &str, from: u64) -> Result<Download<'_>, Failure> {
        let url = format!("{}{path}", self.config.endpoint);
        let mut refreshed = false;
        loop {
            self.check_current()?;
            let in_flight = self.acquire(Urgency::Background).await?;
            self.check_current()?;
            let token = self.token(Urgency::Background).await?;
            let range = (from > 0).then(|| format!("bytes={from}-"));
            let mut resp = send(Method::Get, &url, Some(&token), None, range.as_deref(), BACKGROUND_TIMEOUT_MS).await?;
            let status = resp.status_code();
            if status == 416 && from > 0 {
                // Nothing at or after `from`: the file was read to its end.
                return Ok(Download::Ended);
            }
            let is_csv = resp.headers().get("Content-Type").ok().flatten().is_some_and(|t| !t.contains("json"));
            if status == 206 && is_csv {
                // Only a part starting exactly at `from` continues the reader's count.
                let start = resp
                    .headers()
                    .get("Content-Range")
                    .ok()
                    .flatten()
                    .and_then(|r| r.strip_prefix("bytes ")?.split('-').next()?.parse::<u64>().ok());
                let from_zero = start == Some(0);
                if start == Some(from) || from_zero {
                    return Ok(Download::Body { response: resp, from_start: from_zero && from > 0, in_flight });
                }
            }
            if status == 200 && is_csv {
                // The server ignored the range: the whole file, read again from the start.
                return Ok(Download::Body { response: resp, from_start: from > 0, in_flight });
            }
            let text = resp.text().await.unwrap_or_default();
            drop(in_flight);
            let failure = match parse_envelope(status, &text) {
                Ok(_) => Failure::Unavailable(format!("the export file answered {status} without a file")),
                Err(failure) => failure,
            };
            self.note_error(&failure);
            if matches!(failure, Failure::TokenInvalid | Failure::TokenExpired) && !refreshed {
                refreshed = true;
                self.forget_token();
                continue;
            }
            if failure == Failure::DailyQuota {
                let mut skip = false;
                self.after_failure(&failure, Urgency::Background, 0, &mut skip);
            }
            return Err(failure);
        }
    }
}

/// A download's start.
pub enum Download<'a> {
    /// The body streams.
    Body {
        /// The response.
        response: Response,
        /// The body starts at byte 0 although a later byte was asked for.
        from_start: bool,
        /// Counts the call as in flight until dropped.
        in_flight: InFlight<'a>,
    },
    /// The file has no bytes at or after the requested offset.
    Ended,
}

/// Asks the identity endpoint for a new token with `config`'s credentials (identity calls do
/// not count against Marketo's API limits, so this needs no budget).
pub async fn fetch_token(config: &Config, timeout_ms: i64) -> Result<Token, Failure> {
    // The credentials travel in a form body, never in a URL (URLs end up in logs and errors).
    let url = format!("{}/oauth/token", config.identity);
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        encode(&config.client_id),
        encode(&config.client_secret)
    );
    let body = Body { content_type: "application/x-www-form-urlencoded", text: &form };
    let mut resp = send(Method::Post, &url, None, Some(body), None, timeout_ms).await?;
    let body = resp.text().await.map_err(|e| Failure::Unavailable(format!("identity answer unreadable: {e}")))?;
    parse_token(resp.status_code(), &body, now_ms())
}

/// Sends one request, giving up after `timeout_ms`; errors never quote the runtime's message.
async fn send(
    method: Method,
    url: &str,
    bearer: Option<&str>,
    body: Option<Body<'_>>,
    range: Option<&str>,
    timeout_ms: i64,
) -> Result<Response, Failure> {
    let authorization = bearer.map(|token| format!("Bearer {token}"));
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(value) = authorization.as_deref() {
        headers.push(("Authorization", value));
    }
    if let Some(range) = range {
        headers.push(("Range", range));
    }
    outbound::send(method, url, &headers, body, timeout_ms).await.map_err(|e| match e {
        Unanswered::Unbuildable => Failure::Unavailable("the request to Marketo could not be built".into()),
        Unanswered::Unreachable => Failure::Unavailable("Marketo could not be reached".into()),
        Unanswered::TimedOut(ms) => Failure::Unavailable(format!("Marketo did not answer within {ms} ms")),
    })
}
