//! Marketo's limits on API calls, shared by every integration of a subscription: at most 10
//! in flight (615), 100 in any 20 s (606) and 50,000 a Marketo day (607), all configurable;
//! and the faults a test injected for the next calls.
//!
//! As Marketo documents, a call that fails with a response-level 5xx–7xx code counts against
//! neither the rate limit nor the quota, so its admission is given back when it ends.

use super::clock::marketo_day;
use super::config::{FakeMarketoConfig, Fault};
use super::envelope::{MarketoError, documented, error};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use std::collections::{HashMap, VecDeque};

/// An admitted call, to be released when it ends.
#[derive(Debug)]
pub(crate) struct Ticket {
    seq: u64,
    day: NaiveDate,
}

/// Calls in flight, in the rate window and per day.
#[derive(Debug, Default)]
pub(crate) struct Limits {
    window: VecDeque<(u64, DateTime<Utc>)>,
    daily: HashMap<NaiveDate, u64>,
    in_flight: usize,
    max_in_flight: usize,
    seq: u64,
}

impl Limits {
    /// Admits a call now, or answers why not.
    pub fn admit(&mut self, config: &FakeMarketoConfig, now: DateTime<Utc>) -> Result<Ticket, MarketoError> {
        if self.in_flight >= config.max_concurrent {
            return Err(documented(615));
        }
        let window = TimeDelta::from_std(config.rate_window).unwrap_or(TimeDelta::MAX);
        while self.window.front().is_some_and(|(_, at)| now.signed_duration_since(*at) >= window) {
            self.window.pop_front();
        }
        if self.window.len() >= config.rate_calls {
            return Err(error(
                606,
                format!(
                    "Max rate limit '{}' exceeded with in '{}' secs",
                    config.rate_calls,
                    config.rate_window.as_secs()
                ),
            ));
        }
        let day = marketo_day(now);
        let today = self.daily.entry(day).or_default();
        if *today >= config.daily_quota {
            return Err(documented(607));
        }
        *today += 1;
        self.seq += 1;
        self.window.push_back((self.seq, now));
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
        Ok(Ticket { seq: self.seq, day })
    }

    /// Ends an admitted call; an uncounted one gives its place in the window and quota back.
    pub fn release(&mut self, ticket: Ticket, counted: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if !counted {
            self.window.retain(|(seq, _)| *seq != ticket.seq);
            if let Some(today) = self.daily.get_mut(&ticket.day) {
                *today = today.saturating_sub(1);
            }
        }
    }

    /// The most calls ever in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }
}

/// Faults waiting for the next API calls and the next identity calls.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    api: VecDeque<Fault>,
    identity: VecDeque<Fault>,
}

impl Faults {
    /// Queues `fault` for the next `times` calls of one kind.
    pub fn add(&mut self, identity: bool, fault: Fault, times: usize) {
        let queue = if identity { &mut self.identity } else { &mut self.api };
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// The fault for this API call, if one is waiting.
    pub fn next_api(&mut self) -> Option<Fault> {
        self.api.pop_front()
    }

    /// The fault for this identity call, if one is waiting.
    pub fn next_identity(&mut self) -> Option<Fault> {
        self.identity.pop_front()
    }
}
