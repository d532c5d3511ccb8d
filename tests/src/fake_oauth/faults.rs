//! Faults a test injects for the next calls: what a fake answers instead of serving them, and
//! which calls they hit (the vendor's API by default, or every path under a prefix).

use std::time::Duration;

/// What a fake answers instead of serving a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// This HTTP status, with the vendor's error body for it (Google's `backendError` envelope,
    /// Graph's `{"error":{"code","message"}}`, an OAuth error on the token endpoints).
    Status(u16),
    /// No answer at all: the connection is held open, then closed without a response, after
    /// the fake's hold time (30 s by default, longer than a client's timeout should be) or as
    /// soon as the fake stops. Other connections are served meanwhile.
    Timeout,
    /// The vendor's usage-limit refusal: Google's `403 rateLimitExceeded` in the `usageLimits`
    /// domain; Graph's `429 ApplicationThrottled` with `Retry-After: 1`.
    RateLimit,
    /// `429 Too Many Requests` with `Retry-After: 1` (Google's `rateLimitExceeded` envelope,
    /// Graph's `TooManyRequests`).
    TooManyRequests,
}

/// How long a [`Fault::Timeout`] holds a connection unless the test says otherwise.
pub(crate) const DEFAULT_HOLD: Duration = Duration::from_secs(30);

/// Which calls a queued fault hits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    /// Calls to the vendor's API (Calendar API, Graph), not to its OAuth endpoints.
    Api,
    /// Calls whose path starts with this.
    Prefix(String),
}

#[derive(Debug)]
struct Pending {
    scope: Scope,
    fault: Fault,
    left: usize,
}

/// Faults waiting for the next calls, in the order they were queued.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pending: Vec<Pending>,
}

impl Faults {
    /// The next `times` API calls answer `fault`.
    pub fn api(&mut self, times: usize, fault: Fault) {
        self.push(Scope::Api, times, fault);
    }

    /// The next `times` calls under `prefix` answer `fault`.
    pub fn prefix(&mut self, prefix: &str, times: usize, fault: Fault) {
        self.push(Scope::Prefix(prefix.to_owned()), times, fault);
    }

    fn push(&mut self, scope: Scope, times: usize, fault: Fault) {
        if times > 0 {
            self.pending.push(Pending { scope, fault, left: times });
        }
    }

    /// The fault for a call to `path` (an API call when `api`), used up by this call.
    pub fn take(&mut self, path: &str, api: bool) -> Option<Fault> {
        let index = self.pending.iter().position(|p| match &p.scope {
            Scope::Api => api,
            Scope::Prefix(prefix) => path.starts_with(prefix.as_str()),
        })?;
        let pending = &mut self.pending[index];
        let fault = pending.fault;
        pending.left -= 1;
        if pending.left == 0 {
            self.pending.remove(index);
        }
        Some(fault)
    }

    /// Forgets every queued fault.
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}
