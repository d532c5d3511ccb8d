//! The fakes' clock: real time plus whatever the test has advanced it by. Token and code
//! expiry read it, so tests never sleep.

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// Real time shifted by an offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: TimeDelta,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        now.checked_add_signed(self.offset).unwrap_or(now)
    }

    pub fn advance(&mut self, by: Duration) {
        let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::zero());
        self.offset = self.offset.checked_add(&by).unwrap_or(self.offset);
    }
}
