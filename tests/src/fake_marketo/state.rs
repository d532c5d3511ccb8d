//! Everything a fake Marketo holds, behind one lock shared by the request threads and the
//! test: configuration, clock, tokens, limits, faults, leads, activities, exports, call log.

use super::activities::ActivityLog;
use super::auth::Tokens;
use super::bulk::{ExportRules, Exports};
use super::call_log::CallRecord;
use super::clock::Clock;
use super::config::FakeMarketoConfig;
use super::export_file::{ExportExpectation, expectation};
use super::ids;
use super::leads::LeadStore;
use super::limits::{Faults, Limits};
use super::synthetic::SyntheticLeads;
use crate::fake_http::Lifecycle;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The fake's whole state.
#[derive(Debug)]
pub(crate) struct World {
    pub config: FakeMarketoConfig,
    pub clock: Clock,
    pub delay: Duration,
    pub tokens: Tokens,
    pub limits: Limits,
    pub faults: Faults,
    pub leads: LeadStore,
    pub activities: ActivityLog,
    pub exports: Exports,
    pub calls: Vec<CallRecord>,
    requests: u64,
}

impl World {
    pub fn new(config: FakeMarketoConfig) -> Self {
        let clock = Clock::new(config.clock_start);
        let synthetic = (config.synthetic_leads > 0).then(|| SyntheticLeads::new(config.synthetic_leads, clock.now()));
        World {
            clock,
            delay: config.delay,
            tokens: Tokens::default(),
            limits: Limits::default(),
            faults: Faults::default(),
            leads: LeadStore::new(&config.custom_fields, synthetic),
            activities: ActivityLog::default(),
            exports: Exports::default(),
            calls: Vec::new(),
            requests: 0,
            config,
        }
    }

    /// A fresh request id.
    pub fn request_id(&mut self) -> String {
        self.requests += 1;
        ids::request_id(self.requests, self.clock.now())
    }

    /// Moves the export queue one step: processing jobs complete, then queued jobs start.
    pub fn advance_exports(&mut self) {
        let now = self.clock.now();
        let rules = self.export_rules();
        self.exports.advance(&self.leads, rules, now);
    }

    /// Moves the export queue until no job is queued or processing.
    pub fn finish_exports(&mut self) {
        // Each step completes at least one job while any is busy and the running limit is not zero.
        for _ in 0..=2 * self.config.max_queued_exports.max(1) {
            if !self.exports.busy() {
                break;
            }
            self.advance_exports();
        }
    }

    /// What a full export of `fields` holds.
    pub fn export_expectation(&self, fields: &[&str]) -> ExportExpectation {
        expectation(&self.leads, self.config.corrupt_every, fields)
    }

    /// The export queue's limits.
    pub fn export_rules(&self) -> ExportRules {
        ExportRules {
            running: self.config.max_running_exports,
            queued: self.config.max_queued_exports,
            daily_bytes: self.config.export_daily_bytes,
            max_days: self.config.max_export_days,
            corrupt_every: self.config.corrupt_every,
        }
    }
}

/// The state and the server's lifecycle (its stop flag), shared between the test's handle and
/// the server threads.
#[derive(Debug)]
pub(crate) struct Shared {
    world: Mutex<World>,
    life: Arc<Lifecycle>,
}

impl Shared {
    pub fn new(config: FakeMarketoConfig, life: Arc<Lifecycle>) -> Self {
        Shared { world: Mutex::new(World::new(config)), life }
    }

    /// The state, locked. A thread that panicked while holding the lock leaves it usable:
    /// every change is complete before the lock is released.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits `duration` of real time, cut short when the fake stops.
    pub fn pause(&self, duration: Duration) {
        self.life.pause(duration);
    }
}
