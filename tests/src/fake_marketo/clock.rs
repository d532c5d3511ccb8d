//! The fake's clock: real time or a frozen instant, plus whatever the test has advanced it by.
//! Token expiry, rate windows, daily quotas and lead timestamps all read it, so tests never
//! sleep.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use std::time::Duration;

/// Real or frozen time shifted by an offset.
#[derive(Debug)]
pub(crate) struct Clock {
    frozen: Option<DateTime<Utc>>,
    offset: TimeDelta,
}

impl Clock {
    pub fn new(frozen: Option<DateTime<Utc>>) -> Self {
        Clock { frozen, offset: TimeDelta::zero() }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let base = self.frozen.unwrap_or_else(Utc::now);
        base.checked_add_signed(self.offset).unwrap_or(base)
    }

    pub fn advance(&mut self, by: Duration) {
        let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::zero());
        self.offset = self.offset.checked_add(&by).unwrap_or(self.offset);
    }
}

/// Marketo's day, which resets "daily at 12:00AM CST" (a fixed UTC-6, as documented).
pub(crate) fn marketo_day(at: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::west_opt(6 * 3600) {
        Some(cst) => at.with_timezone(&cst).date_naive(),
        None => at.date_naive(),
    }
}

/// A timestamp as Marketo writes them: ISO-8601 in UTC, whole seconds.
pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Reads an ISO-8601 datetime (with an offset) or a bare date (midnight UTC).
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Ok(at) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z") {
        return Some(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}
