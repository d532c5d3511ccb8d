//! [`FakeGoogle`]: the running fake (stopped on drop), its URLs and credentials, and the hooks
//! tests use to steer and inspect it.

use super::router::{API, AUTHORIZE, Google, REVOKE, TOKEN};
use crate::fake_oauth::{Call, Fake, FakeEvent, Fault, Settings, Shapes, Show, account_key};
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// The client id the fake accepts.
const CLIENT_ID: &str = "123456789012-confabfake.apps.googleusercontent.com";
/// The client secret the fake accepts.
const CLIENT_SECRET: &str = "GOCSPX-confab-fake-google-secret";
/// Who signs in when an authorization request has no `login_hint`, unless a test says otherwise.
pub const DEFAULT_ACCOUNT: &str = "agent1@example.test";

/// A fake Google (OAuth 2.0 and Calendar API v3) on `127.0.0.1`, stopped when dropped.
#[derive(Debug)]
pub struct FakeGoogle {
    fake: Fake<Google>,
}

impl FakeGoogle {
    /// Starts a fake on a free loopback port: client [`FakeGoogle::client_id`] /
    /// [`FakeGoogle::client_secret`], any `http(s)` redirect URI, access tokens living 3,599 s,
    /// codes 10 minutes, refresh tokens until revoked; [`DEFAULT_ACCOUNT`] signs in by default.
    pub fn start() -> Result<Self> {
        let settings = Settings {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            redirect_uris: Vec::new(),
            access_lifetime: Duration::from_secs(3599),
            refresh_lifetime: None,
            code_lifetime: Duration::from_secs(600),
            rotate_refresh: false,
            shapes: Shapes { code_prefix: "4/0A", access_prefix: "ya29.a0", refresh_prefix: "1//0" },
        };
        Ok(FakeGoogle { fake: Fake::start(Google::default(), settings, DEFAULT_ACCOUNT)? })
    }

    /// The base URL, `http://127.0.0.1:<port>`, standing for `https://accounts.google.com`,
    /// `https://oauth2.googleapis.com` and `https://www.googleapis.com` at once.
    pub fn base(&self) -> String {
        self.fake.url()
    }

    /// The authorization page, `<base>/o/oauth2/v2/auth`.
    pub fn auth_url(&self) -> String {
        format!("{}{AUTHORIZE}", self.base())
    }

    /// The token endpoint, `<base>/token`.
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN}", self.base())
    }

    /// The revocation endpoint, `<base>/revoke`.
    pub fn revoke_url(&self) -> String {
        format!("{}{REVOKE}", self.base())
    }

    /// The Calendar API base, `<base>/calendar/v3`.
    pub fn api_base(&self) -> String {
        format!("{}{API}", self.base())
    }

    /// The Worker variables that point an edge at this fake: `GOOGLE_CLIENT_ID`,
    /// `GOOGLE_CLIENT_SECRET`, `GOOGLE_AUTH_URL`, `GOOGLE_TOKEN_URL`, `GOOGLE_API_BASE`.
    pub fn worker_vars(&self) -> Vec<(String, String)> {
        [
            ("GOOGLE_CLIENT_ID", self.client_id()),
            ("GOOGLE_CLIENT_SECRET", self.client_secret()),
            ("GOOGLE_AUTH_URL", self.auth_url()),
            ("GOOGLE_TOKEN_URL", self.token_url()),
            ("GOOGLE_API_BASE", self.api_base()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// The client id the fake accepts.
    pub fn client_id(&self) -> String {
        self.fake.state().common.grants.settings.client_id.clone()
    }

    /// The client secret the fake accepts.
    pub fn client_secret(&self) -> String {
        self.fake.state().common.grants.settings.client_secret.clone()
    }

    /// From now on, only registered redirect URIs are accepted (400 `redirect_uri_mismatch`
    /// otherwise); before the first call, any `http(s)` URI is.
    pub fn register_redirect_uri(&self, uri: &str) {
        self.fake.state().common.grants.settings.redirect_uris.push(uri.to_owned());
    }

    /// Who signs in when an authorization request has no `login_hint`.
    pub fn default_account(&self) -> String {
        self.fake.state().common.default_account.clone()
    }

    /// Makes `account` the one who signs in without a `login_hint`.
    pub fn set_default_account(&self, account: &str) {
        let mut state = self.fake.state();
        let key = state.common.add_account(account);
        state.common.default_account = key;
    }

    /// Makes `account` known (free/busy answers for it instead of `notFound`).
    pub fn add_account(&self, account: &str) {
        self.fake.state().common.add_account(account);
    }

    /// The lifetime of access tokens issued from now on (`expires_in`); 3,599 s by default.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.fake.state().common.grants.settings.access_lifetime = lifetime;
    }

    /// Makes every access token issued so far expire now.
    pub fn expire_tokens(&self) {
        let mut state = self.fake.state();
        let now = state.common.clock.now();
        state.common.grants.expire_access_tokens(now);
    }

    /// How many access tokens the token endpoint has issued.
    pub fn tokens_issued(&self) -> usize {
        self.fake.state().common.grants.access_tokens_issued()
    }

    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.fake.state().common.clock.now()
    }

    /// Moves the fake's clock forward: tokens and codes expire without the test sleeping.
    pub fn advance(&self, by: Duration) {
        self.fake.state().common.clock.advance(by);
    }

    /// The user withdraws the client's access: `account`'s refresh tokens answer
    /// `invalid_grant` and its access tokens 401. A new consent works again.
    pub fn revoke(&self, account: &str) {
        self.fake.state().common.grants.revoke_account(&account_key(account));
    }

    /// The next `times` authorization requests are declined by the user: the browser comes back
    /// with `error=access_denied`.
    pub fn decline_next_consent(&self, times: usize) {
        self.fake.state().common.declines += times;
    }

    /// The next `times` Calendar API calls (`/calendar/v3/…`) answer `fault` instead of being
    /// served.
    pub fn fail_next(&self, times: usize, fault: Fault) {
        self.fake.state().common.faults.api(times, fault);
    }

    /// The next `times` calls whose path starts with `prefix` (any endpoint: `/token`,
    /// `/calendar/v3/freeBusy`, …) answer `fault` instead of being served. On the token and
    /// revocation endpoints a status answers `{"error":"internal_failure"}` and both rate limits
    /// `429 {"error":"rate_limit_exceeded"}` with `Retry-After: 1`; on the authorization page, an
    /// error page.
    pub fn fail_next_on(&self, prefix: &str, times: usize, fault: Fault) {
        self.fake.state().common.faults.prefix(prefix, times, fault);
    }

    /// Forgets every fault not yet used.
    pub fn clear_faults(&self) {
        self.fake.state().common.faults.clear();
    }

    /// How long [`Fault::Timeout`] holds a connection before closing it unanswered (30 s by
    /// default; dropping the fake always cuts it short).
    pub fn set_timeout_hold(&self, hold: Duration) {
        self.fake.state().common.hold = hold;
    }

    /// Marks `[start, end)` busy on `account`'s calendar (making the account known).
    pub fn add_busy(&self, account: &str, start: DateTime<Utc>, end: DateTime<Utc>) {
        self.fake.add_block(account, start, end, Show::Busy);
    }

    /// `account`'s events in the order they were created, deleted ones included (status
    /// `cancelled`).
    pub fn events(&self, account: &str) -> Vec<FakeEvent> {
        self.fake.state().vendor.events.fake_events(&account_key(account))
    }

    /// The stored resource of event `id` of `account`, as `events.get` answers it.
    pub fn event_resource(&self, account: &str, id: &str) -> Option<Value> {
        self.fake.state().vendor.events.resource(&account_key(account), id)
    }

    /// Every request received so far, in order of completion (a [`Fault::Timeout`] call when
    /// its hold begins).
    pub fn calls(&self) -> Vec<Call> {
        self.fake.state().common.calls.clone()
    }

    /// Forgets the calls received so far.
    pub fn clear_calls(&self) {
        self.fake.state().common.calls.clear();
    }
}
