//! [`FakeMicrosoft`]: the running fake (stopped on drop), its URLs and credentials, and the hooks
//! tests use to steer and inspect it.

use super::router::{API, AUTHORIZE, Microsoft, TOKEN};
use crate::fake_oauth::{Call, Fake, FakeEvent, Fault, Settings, Shapes, Show, account_key};
use anyhow::Result;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// The application (client) id the fake accepts.
const CLIENT_ID: &str = "6731de76-14a6-49ae-97bc-6eba6914391e";
/// The client secret the fake accepts.
const CLIENT_SECRET: &str = "Qx8Q~confab.fake.microsoft.secret";
/// Who signs in when an authorization request has no `login_hint`, unless a test says otherwise.
pub const DEFAULT_ACCOUNT: &str = "agent1@example.test";
/// The tenant the URLs of [`FakeMicrosoft::worker_vars`] name (any tenant works).
pub const TENANT: &str = "common";

/// A fake Microsoft (identity platform v2.0 and Graph v1.0 calendars) on `127.0.0.1`, stopped
/// when dropped.
#[derive(Debug)]
pub struct FakeMicrosoft {
    fake: Fake<Microsoft>,
}

impl FakeMicrosoft {
    /// Starts a fake on a free loopback port: client [`FakeMicrosoft::client_id`] /
    /// [`FakeMicrosoft::client_secret`], any `http(s)` redirect URI, access tokens living
    /// 3,599 s, codes 10 minutes, refresh tokens rotated on every use and expiring after 90 days
    /// unused; [`DEFAULT_ACCOUNT`] signs in by default.
    pub fn start() -> Result<Self> {
        let settings = Settings {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            redirect_uris: Vec::new(),
            access_lifetime: Duration::from_secs(3599),
            refresh_lifetime: Some(Duration::from_secs(90 * 24 * 3600)),
            code_lifetime: Duration::from_secs(600),
            rotate_refresh: true,
            shapes: Shapes {
                code_prefix: "0.AXoA",
                access_prefix: "eyJ0eXAiOiJKV1QiLCJub25jZSI6ImZha2UiLCJhbGciOiJSUzI1NiJ9.",
                refresh_prefix: "0.ARoA",
            },
        };
        Ok(FakeMicrosoft { fake: Fake::start(Microsoft::default(), settings, DEFAULT_ACCOUNT)? })
    }

    /// The base URL, `http://127.0.0.1:<port>`, standing for `https://login.microsoftonline.com`
    /// and `https://graph.microsoft.com` at once.
    pub fn base(&self) -> String {
        self.fake.url()
    }

    /// The authorization endpoint of `tenant` (`common`, `organizations`, a tenant id):
    /// `<base>/<tenant>/oauth2/v2.0/authorize`.
    pub fn auth_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}{AUTHORIZE}", self.base())
    }

    /// The token endpoint of `tenant`: `<base>/<tenant>/oauth2/v2.0/token`.
    pub fn token_url(&self, tenant: &str) -> String {
        format!("{}/{tenant}{TOKEN}", self.base())
    }

    /// Graph's base, `<base>/v1.0`.
    pub fn api_base(&self) -> String {
        format!("{}{API}", self.base())
    }

    /// The Worker variables that point an edge at this fake: `MICROSOFT_CLIENT_ID`,
    /// `MICROSOFT_CLIENT_SECRET`, `MICROSOFT_AUTH_URL`, `MICROSOFT_TOKEN_URL` (tenant
    /// [`TENANT`]), `MICROSOFT_API_BASE`.
    pub fn worker_vars(&self) -> Vec<(String, String)> {
        [
            ("MICROSOFT_CLIENT_ID", self.client_id()),
            ("MICROSOFT_CLIENT_SECRET", self.client_secret()),
            ("MICROSOFT_AUTH_URL", self.auth_url(TENANT)),
            ("MICROSOFT_TOKEN_URL", self.token_url(TENANT)),
            ("MICROSOFT_API_BASE", self.api_base()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// The application (client) id the fake accepts.
    pub fn client_id(&self) -> String {
        self.fake.state().common.grants.settings.client_id.clone()
    }

    /// The client secret the fake accepts.
    pub fn client_secret(&self) -> String {
        self.fake.state().common.grants.settings.client_secret.clone()
    }

    /// From now on, only registered redirect URIs are accepted (`AADSTS50011` otherwise);
    /// before the first call, any `http(s)` URI is.
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

    /// Makes `account` a known mailbox (schedules answer for it instead of an error).
    pub fn add_account(&self, account: &str) {
        self.fake.state().common.add_account(account);
    }

    /// The lifetime of access tokens issued from now on (`expires_in`); 3,599 s by default.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.fake.state().common.grants.settings.access_lifetime = lifetime;
    }

    /// How long a refresh token may go unused before it answers `AADSTS700082` (90 days by
    /// default).
    pub fn set_refresh_token_lifetime(&self, lifetime: Duration) {
        self.fake.state().common.grants.settings.refresh_lifetime = Some(lifetime);
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

    /// The user or an admin revokes the grant: `account`'s refresh tokens answer `invalid_grant`
    /// (`AADSTS50173`) and its access tokens 401. A new consent works again.
    pub fn revoke(&self, account: &str) {
        self.fake.state().common.grants.revoke_account(&account_key(account));
    }

    /// The next `times` authorization requests are declined by the user: the browser comes back
    /// with `error=access_denied` (`AADSTS65004`).
    pub fn decline_next_consent(&self, times: usize) {
        self.fake.state().common.declines += times;
    }

    /// The next `times` Graph calls (`/v1.0/…`) answer `fault` instead of being served.
    pub fn fail_next(&self, times: usize, fault: Fault) {
        self.fake.state().common.faults.api(times, fault);
    }

    /// The next `times` calls whose path starts with `prefix` (any endpoint:
    /// `/common/oauth2/v2.0/token`, `/v1.0/me/calendar/getSchedule`, …) answer `fault`. On the
    /// token endpoint a status answers `server_error` (`AADSTS50000`) and both rate limits
    /// `429 temporarily_unavailable` with `Retry-After: 1`; on the authorization page, an error
    /// page.
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

    /// Marks `[start, end)` on `account`'s calendar as `show` (tentative, out of office, …).
    pub fn add_busy_as(&self, account: &str, start: DateTime<Utc>, end: DateTime<Utc>, show: Show) {
        self.fake.add_block(account, start, end, show);
    }

    /// `account`'s events in the order they were created, cancelled and deleted ones included
    /// (status `cancelled`).
    pub fn events(&self, account: &str) -> Vec<FakeEvent> {
        self.fake.state().vendor.events.fake_events(&account_key(account))
    }

    /// Event `id` of `account` as `GET /me/events/{id}` answers it (times in UTC); `None` once
    /// deleted.
    pub fn event_resource(&self, account: &str, id: &str) -> Option<Value> {
        let state = self.fake.state();
        let events = &state.vendor.events;
        events.find(&account_key(account), id).map(|i| events.render(i, &super::events::OutZone::utc()))
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
