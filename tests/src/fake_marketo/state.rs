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
use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

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

/// The state, the stop flag and the open connections, shared between the test's handle and
/// the server threads.
#[derive(Debug)]
pub(crate) struct Shared {
    world: Mutex<World>,
    stop: AtomicBool,
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
}

impl Shared {
    pub fn new(config: FakeMarketoConfig) -> Self {
        Shared {
            world: Mutex::new(World::new(config)),
            stop: AtomicBool::new(false),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
        }
    }

    /// Remembers an open connection, so stopping can close it; `None` once stopped.
    pub fn track(&self, stream: &TcpStream) -> Option<u64> {
        let key = self.next_connection.fetch_add(1, Ordering::Relaxed);
        let clone = stream.try_clone().ok()?;
        self.connections.lock().unwrap_or_else(PoisonError::into_inner).insert(key, clone);
        if self.stopped() {
            self.untrack(key);
            return None;
        }
        Some(key)
    }

    /// Forgets a closed connection.
    pub fn untrack(&self, key: u64) {
        self.connections.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
    }

    /// Shuts every open connection down, waking the threads that wait on them.
    pub fn close_connections(&self) {
        for stream in self.connections.lock().unwrap_or_else(PoisonError::into_inner).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// The state, locked. A thread that panicked while holding the lock leaves it usable:
    /// every change is complete before the lock is released.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Waits `duration` of real time, cut short when the fake stops.
    pub fn pause(&self, duration: Duration) {
        let until = Instant::now() + duration;
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }
}
