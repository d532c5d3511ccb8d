//! [`FakeMarketo`]: the running server (the shared [`crate::fake_http::Server`]: a listener on a
//! free loopback port and a thread per connection, so concurrent calls are served concurrently
//! and the concurrency limit is real; stopped on drop) and the hooks tests use to seed, steer and
//! inspect it.

use super::activities::RecordedActivity;
use super::call_log::{CallRecord, max_in_window};
use super::config::{FakeMarketoConfig, Fault};
use super::export_file::ExportExpectation;
use super::http::{LIMITS, refusal_reply};
use super::router::serve;
use super::state::Shared;
use crate::fake_http::{Incoming, Lifecycle, Server};
use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// A fake Marketo REST API on `127.0.0.1`, stopped when dropped.
#[derive(Debug)]
pub struct FakeMarketo {
    shared: Arc<Shared>,
    server: Server,
}

impl FakeMarketo {
    /// Starts a fake set up by `config` on a loopback port (a free one unless
    /// [`FakeMarketoConfig::port`] names one).
    pub fn start(config: FakeMarketoConfig) -> Result<Self> {
        let life = Arc::new(Lifecycle::default());
        let port = config.port;
        let shared = Arc::new(Shared::new(config, life.clone()));
        let inner = shared.clone();
        let server = Server::start("fake-marketo", port, LIMITS, life, move |incoming: Incoming, _: &Lifecycle| {
            Some(serve(&incoming.request, incoming.refused.map(refusal_reply), &inner))
        })?;
        Ok(FakeMarketo { shared, server })
    }

    /// The REST base URL, `http://127.0.0.1:<port>` (Marketo's `https://<munchkin>.mktorest.com`).
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The identity URL (`<url>/identity`); tokens come from `<identity url>/oauth/token`.
    pub fn identity_url(&self) -> String {
        format!("{}/identity", self.url())
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.server.port()
    }

    /// The client id the identity endpoint accepts.
    pub fn client_id(&self) -> String {
        self.shared.world().config.client_id.clone()
    }

    /// The client secret the identity endpoint accepts.
    pub fn client_secret(&self) -> String {
        self.shared.world().config.client_secret.clone()
    }

    /// Seeds a lead and returns its id. `fields` is a JSON object of lead fields (standard or
    /// declared custom ones), with optional `id` (a synthetic lead's id replaces that lead), `cookies` (a whole `_mkto_trk` value, a bare
    /// `_mch-…` token, or a list of them), `createdAt` and `updatedAt` (ISO-8601; the fake's
    /// now by default).
    pub fn insert_lead(&self, fields: Value) -> Result<i64> {
        let mut world = self.shared.world();
        let now = world.clock.now();
        world.leads.insert(&fields, now).map_err(|e| anyhow!("insert_lead: {e}"))
    }

    /// The lead `id` with every field, as the fake holds it (synthetic leads computed).
    pub fn lead(&self, id: i64) -> Option<Value> {
        self.shared.world().leads.render_all(id)
    }

    /// Every stored lead (seeded, written, or taking a synthetic lead's place) with every
    /// field, in id order; synthetic leads never written are not listed.
    pub fn leads(&self) -> Vec<Value> {
        let world = self.shared.world();
        world.leads.iter().filter_map(|l| world.leads.render_all(l.id)).collect()
    }

    /// The custom activities received, in order.
    pub fn activities(&self) -> Vec<RecordedActivity> {
        self.shared.world().activities.recorded.clone()
    }

    /// Every request received so far, in order of completion.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.world().calls.clone()
    }

    /// Forgets the calls received so far.
    pub fn clear_calls(&self) {
        self.shared.world().calls.clear();
    }

    /// The most API calls (identity calls excluded) that arrived within any sliding `window`
    /// of the fake's clock, from the call log.
    pub fn max_calls_in(&self, window: Duration) -> usize {
        max_in_window(&self.shared.world().calls, window)
    }

    /// The most API calls that were ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.shared.world().limits.max_in_flight()
    }

    /// The fake's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.world().clock.now()
    }

    /// Moves the fake's clock forward: tokens expire, rate windows slide and quotas reset
    /// without the test sleeping.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.world().clock.advance(by);
    }

    /// Makes every token issued so far expire now; the next identity call issues a new one.
    pub fn expire_tokens(&self) {
        let mut world = self.shared.world();
        let now = world.clock.now();
        world.tokens.expire_all(now);
    }

    /// How many distinct access tokens the identity endpoint has issued.
    pub fn tokens_issued(&self) -> usize {
        self.shared.world().tokens.issued()
    }

    /// Sets the artificial delay every admitted API call spends in flight.
    pub fn set_delay(&self, delay: Duration) {
        self.shared.world().delay = delay;
    }

    /// The next `times` API calls (REST and bulk) answer `fault` instead of being served.
    pub fn inject(&self, fault: Fault, times: usize) {
        self.shared.world().faults.add(false, fault, times);
    }

    /// The next `times` identity calls answer `fault` instead of issuing a token.
    pub fn inject_identity(&self, fault: Fault, times: usize) {
        self.shared.world().faults.add(true, fault, times);
    }

    /// Moves the export queue one step: processing jobs complete, then queued jobs start, oldest
    /// first, up to the running limit.
    pub fn advance_exports(&self) {
        self.shared.world().advance_exports();
    }

    /// Moves the export queue until no job is queued or processing.
    pub fn finish_exports(&self) {
        self.shared.world().finish_exports();
    }

    /// What a correct ingester must accept and skip in a full export of `fields` (the
    /// `fields` of the export jobs) over windows covering every lead the fake holds now:
    /// stored leads are valid, and synthetic ones are damaged as
    /// [`FakeMarketoConfig::corrupt_rows`] says.
    pub fn export_expectation(&self, fields: &[&str]) -> ExportExpectation {
        self.shared.world().export_expectation(fields)
    }

    /// The status of export job `id` (`Created`, `Queued`, `Processing`, `Completed`,
    /// `Cancelled`), if it exists.
    pub fn export_status(&self, id: &str) -> Option<&'static str> {
        self.shared.world().exports.status_of(id)
    }
}
