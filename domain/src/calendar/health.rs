//! Whether a calendar connection still works, from the outcomes of the calls made with it.
//!
//! Decided here: a revoked grant makes a connection unhealthy at once; failures that may pass
//! (throttling, outages, refused tokens) do after [`UNHEALTHY_AFTER`] in a row; a refused or
//! missing event says nothing about the connection; any success makes it healthy again. Left
//! to the caller: storing the [`Health`] (it is serde-ready), recording one outcome per
//! operation (after its own retry: a refused token that a refresh fixed is a success), and
//! telling an admin when [`Health::is_healthy`] turns false.

use super::CalendarError;
use serde::{Deserialize, Serialize};

/// Failures in a row (that may pass by themselves) after which a connection is unhealthy.
pub const UNHEALTHY_AFTER: u32 = 3;

/// A connection's health, as stored. The default is healthy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Health {
    /// Failed operations since the last success.
    #[serde(default)]
    pub consecutive_failures: u32,
    /// Why and since when the connection does not work; `None` while it does.
    #[serde(default)]
    pub unhealthy: Option<Unhealthy>,
}

/// Why a connection is unhealthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unhealthy {
    /// When it turned unhealthy, in milliseconds since the Unix epoch (kept while it stays so).
    pub since_ms: i64,
    /// One sentence for an admin, from the latest failure.
    pub reason: String,
}

impl Health {
    /// Whether the connection works.
    pub fn is_healthy(&self) -> bool {
        self.unhealthy.is_none()
    }

    /// The health after an operation succeeded: healthy, no failures counted.
    pub fn after_success(self) -> Health {
        Health::default()
    }

    /// The health after an operation failed with `error` at `now_ms`.
    ///
    /// [`CalendarError::Revoked`] makes the connection unhealthy at once.
    /// [`CalendarError::Transient`], [`CalendarError::Throttled`] and
    /// [`CalendarError::TokenExpired`] count, and the [`UNHEALTHY_AFTER`]th in a row makes it
    /// unhealthy ("failed 3 times in a row: …"). [`CalendarError::Rejected`] and
    /// [`CalendarError::NotFound`] concern one request, not the connection, and change nothing.
    /// An unhealthy connection keeps the instant it turned so and takes the latest reason.
    pub fn after_failure(self, error: &CalendarError, now_ms: i64) -> Health {
        let failures = self.consecutive_failures.saturating_add(1);
        let reason = match error {
            CalendarError::Rejected(_) | CalendarError::NotFound => return self,
            CalendarError::Revoked(_) => Some(error.to_string()),
            CalendarError::Transient(_) | CalendarError::Throttled { .. } | CalendarError::TokenExpired => {
                (failures >= UNHEALTHY_AFTER).then(|| format!("failed {failures} times in a row: {error}"))
            }
        };
        let unhealthy = match (reason, self.unhealthy) {
            (Some(reason), Some(before)) => Some(Unhealthy { since_ms: before.since_ms, reason }),
            (Some(reason), None) => Some(Unhealthy { since_ms: now_ms, reason }),
            (None, before) => before,
        };
        Health { consecutive_failures: failures, unhealthy }
    }
}
