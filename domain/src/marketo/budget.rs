//! Confab's share of a Marketo instance's API limits, which every integration of the customer
//! shares: at most 100 calls in any 20 s (606), 10 in flight (615) and 50,000 a day (607).
//!
//! [`Budget`] keeps the start times of Confab's own calls in a sliding window and the number in
//! flight, and admits a call only inside the configured share (80 per 20 s and 5 in flight by
//! default). There is one budget per Marketo instance, kept by whoever serialises the calls (a
//! Durable Object); [`Budget::history`] and [`Budget::with_history`] carry it across restarts.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::America::Chicago;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How long to wait before asking again when every in-flight slot is taken, in milliseconds.
const IN_FLIGHT_RETRY_MS: i64 = 50;

/// Confab's share of an instance's limits. Zero values count as one, so a budget always
/// admits a call eventually.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BudgetConfig {
    /// Most calls started in any window (80 of Marketo's 100).
    pub calls_per_window: u32,
    /// The window's length in milliseconds (Marketo's 20 s).
    pub window_ms: i64,
    /// Most calls in flight at once (5 of Marketo's 10).
    pub max_in_flight: u32,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig { calls_per_window: 80, window_ms: 20_000, max_in_flight: 5 }
    }
}

impl BudgetConfig {
    fn limit(&self) -> usize {
        self.calls_per_window.max(1) as usize
    }

    fn window(&self) -> i64 {
        self.window_ms.max(1)
    }

    fn max_in_flight(&self) -> u32 {
        self.max_in_flight.max(1)
    }
}

/// The shared call budget of one Marketo instance: a sliding window of call start times and the
/// number of calls in flight.
///
/// Invariant: in any half-open interval of `window_ms`, at most `calls_per_window` calls were
/// admitted by [`Budget::try_start`], and at most `max_in_flight` calls are in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    config: BudgetConfig,
    /// Start times still inside the window, oldest first.
    starts: VecDeque<i64>,
    in_flight: u32,
    /// Until when Marketo's 606 said the shared window is full.
    penalty_until: i64,
}

impl Budget {
    /// An empty budget.
    pub fn new(config: BudgetConfig) -> Self {
        Budget::with_history(config, Vec::new())
    }

    /// A budget restored after a restart from [`Budget::history`], with nothing in flight.
    pub fn with_history(config: BudgetConfig, mut starts_ms: Vec<i64>) -> Self {
        starts_ms.sort_unstable();
        Budget { config, starts: starts_ms.into(), in_flight: 0, penalty_until: i64::MIN }
    }

    /// The configuration.
    pub fn config(&self) -> BudgetConfig {
        self.config
    }

    /// Admits a call starting at `now_ms`: on `Ok` it is counted in the window and in flight
    /// (call [`Budget::finish`] when it ends). On `Err(t)`, `t` is the earliest instant a start
    /// could succeed if nothing else changes: when the oldest counted start leaves the window,
    /// when a [`Budget::penalise`] ends, or `now_ms + 50` while every in-flight slot is taken.
    pub fn try_start(&mut self, now_ms: i64) -> Result<(), i64> {
        let window = self.config.window();
        while self.starts.front().is_some_and(|&s| s <= now_ms.saturating_sub(window)) {
            self.starts.pop_front();
        }
        let mut ready = now_ms;
        if now_ms < self.penalty_until {
            ready = ready.max(self.penalty_until);
        }
        let limit = self.config.limit();
        if self.starts.len() >= limit {
            // Fewer than `limit` starts remain inside once the one `limit` places from the
            // newest has left the window.
            let oldest_to_leave = self.starts[self.starts.len() - limit];
            ready = ready.max(oldest_to_leave.saturating_add(window));
        }
        if self.in_flight >= self.config.max_in_flight() {
            ready = ready.max(now_ms.saturating_add(IN_FLIGHT_RETRY_MS));
        }
        if ready > now_ms {
            return Err(ready);
        }
        // Times are monotone in practice; a clock that stepped back still keeps the order.
        let at = self.starts.partition_point(|&s| s <= now_ms);
        self.starts.insert(at, now_ms);
        self.in_flight += 1;
        Ok(())
    }

    /// One admitted call ended (successfully or not). Extra calls are ignored.
    pub fn finish(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Marketo answered 606 at `now_ms`: other integrations are using the shared budget, so no
    /// call starts until a whole window has passed.
    pub fn penalise(&mut self, now_ms: i64) {
        self.penalty_until = self.penalty_until.max(now_ms.saturating_add(self.config.window()));
    }

    /// Until when a [`Budget::penalise`] holds calls back, if it still does at `now_ms`.
    pub fn penalised_until(&self, now_ms: i64) -> Option<i64> {
        (now_ms < self.penalty_until).then_some(self.penalty_until)
    }

    /// The start times still inside the window at `now_ms`, oldest first, to persist.
    pub fn history(&self, now_ms: i64) -> Vec<i64> {
        let from = now_ms.saturating_sub(self.config.window());
        self.starts.iter().copied().filter(|&s| s > from).collect()
    }

    /// How many of Confab's calls started inside the window ending at `now_ms`.
    pub fn calls_in_window(&self, now_ms: i64) -> u32 {
        let from = now_ms.saturating_sub(self.config.window());
        u32::try_from(self.starts.iter().filter(|&&s| s > from).count()).unwrap_or(u32::MAX)
    }

    /// How many admitted calls have not finished.
    pub fn in_flight(&self) -> u32 {
        self.in_flight
    }
}

/// How long to wait before retry number `attempt` (0 is the first retry), in milliseconds.
///
/// Exponential with "full jitter": the ceiling is `base_ms · 2^attempt`, capped at `cap_ms`, and
/// the wait is drawn uniformly between `base_ms / 2` and that ceiling by `jitter` (in `[0, 1)`,
/// drawn by the caller; values outside are clamped). So a wait is never shorter than half the
/// base, never longer than the cap, and the ceiling never decreases with `attempt`. Negative
/// inputs count as zero; a cap below `base_ms / 2` wins. Never overflows.
pub fn backoff_ms(attempt: u32, base_ms: i64, cap_ms: i64, jitter: f64) -> i64 {
    let base = base_ms.max(0);
    let cap = cap_ms.max(0);
    let exponential = if attempt >= 62 { i64::MAX } else { base.saturating_mul(1_i64 << attempt) };
    let ceiling = exponential.min(cap);
    let floor = (base / 2).min(ceiling);
    let jitter = if jitter.is_nan() { 0.0 } else { jitter.clamp(0.0, 1.0) };
    let spread = ((ceiling - floor) as f64 * jitter) as i64;
    floor.saturating_add(spread.clamp(0, ceiling - floor))
}

/// The next instant strictly after `now_ms` when Marketo's daily API quota resets: midnight in
/// America/Chicago (US Central, so 05:00 or 06:00 UTC depending on daylight saving time).
pub fn quota_resets_at_ms(now_ms: i64) -> i64 {
    let fallback = now_ms.saturating_add(86_400_000);
    let Some(now) = DateTime::<Utc>::from_timestamp_millis(now_ms) else { return fallback };
    let Some(tomorrow) = now.with_timezone(&Chicago).date_naive().succ_opt() else { return fallback };
    // Chicago changes its clocks at 02:00, so midnight always exists and is never repeated;
    // `earliest` covers a zone rule that ever said otherwise.
    match Chicago.from_local_datetime(&tomorrow.and_time(NaiveTime::MIN)).earliest() {
        Some(midnight) => midnight.timestamp_millis(),
        None => fallback,
    }
}
