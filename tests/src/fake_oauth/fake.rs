//! The server around a vendor: one lock over the shared state ([`Common`]) and the vendor's own
//! ([`Vendor`]), injected faults applied before the vendor sees a call, a held connection for
//! [`Fault::Timeout`] that blocks nobody else, and the call log.

use super::call_log::Call;
use super::clock::Clock;
use super::event::{Block, Show};
use super::faults::{DEFAULT_HOLD, Fault, Faults};
use super::grants::{Grants, Settings};
use crate::fake_http::{Incoming, Lifecycle, Limits, Request, Response, Server};
use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Which part of a vendor a path belongs to; faults queued without a prefix hit [`Area::Api`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// The authorization page a browser is sent to.
    Authorize,
    /// The token (and revocation) endpoint a server calls.
    Token,
    /// The calendar API.
    Api,
    /// Anything else (user info, unknown paths).
    Other,
}

/// The state every fake has, whatever the vendor.
#[derive(Debug)]
pub(crate) struct Common {
    pub clock: Clock,
    pub grants: Grants,
    pub faults: Faults,
    pub calls: Vec<Call>,
    /// Known accounts, normalised by [`account_key`].
    pub accounts: BTreeSet<String>,
    /// Busy time added by tests.
    pub blocks: Vec<Block>,
    /// Who signs in when an authorization request has no `login_hint`.
    pub default_account: String,
    /// How long a [`Fault::Timeout`] holds its connection.
    pub hold: Duration,
    /// How many coming authorization requests the user declines.
    pub declines: usize,
    /// The fake's base URL, for links it writes.
    pub base: String,
}

impl Common {
    /// Remembers `account` (normalised) and returns its key.
    pub fn add_account(&mut self, account: &str) -> String {
        let key = account_key(account);
        self.accounts.insert(key.clone());
        key
    }

    /// Whether `account` is known.
    pub fn knows(&self, account: &str) -> bool {
        self.accounts.contains(&account_key(account))
    }

    /// The test-added blocks of `account` overlapping `[from, to)`.
    pub fn blocks_of(&self, account: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<&Block> {
        let key = account_key(account);
        self.blocks.iter().filter(|b| b.account == key && b.end > from && b.start < to).collect()
    }
}

/// An account's address as the fakes compare it: trimmed, lowercase.
pub(crate) fn account_key(account: &str) -> String {
    account.trim().to_ascii_lowercase()
}

/// Decodes `%XX` escapes of a path segment (a `+` stays a `+`).
pub(crate) fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A vendor's routes and answers.
pub(crate) trait Vendor: Send + 'static {
    /// Names the server's threads.
    const NAME: &'static str;

    /// The area of `path`.
    fn area(path: &str) -> Area;

    /// What the vendor answers in `area` instead of serving a call that met `fault` (never
    /// [`Fault::Timeout`], which is not answered).
    fn fault_response(&self, fault: Fault, area: Area, common: &Common) -> Response;

    /// Serves a call.
    fn serve(&mut self, common: &mut Common, request: &Request) -> Response;
}

/// A vendor's state and the shared one, behind one lock.
#[derive(Debug)]
pub(crate) struct State<V> {
    pub common: Common,
    pub vendor: V,
}

/// A running fake, stopped when dropped.
#[derive(Debug)]
pub(crate) struct Fake<V> {
    state: Arc<Mutex<State<V>>>,
    server: Server,
}

fn lock<V>(state: &Mutex<State<V>>) -> MutexGuard<'_, State<V>> {
    // A thread that panicked while holding the lock leaves it usable: every change is complete
    // before the lock is released.
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<V: Vendor> Fake<V> {
    /// Starts `vendor` on a free loopback port with the OAuth client of `settings`, `default_account`
    /// signing in when no `login_hint` says who.
    pub fn start(vendor: V, settings: Settings, default_account: &str) -> Result<Self> {
        if default_account.trim().is_empty() {
            bail!("a fake needs a default account");
        }
        let mut common = Common {
            clock: Clock::default(),
            grants: Grants::new(settings),
            faults: Faults::default(),
            calls: Vec::new(),
            accounts: BTreeSet::new(),
            blocks: Vec::new(),
            default_account: account_key(default_account),
            hold: DEFAULT_HOLD,
            declines: 0,
            base: String::new(),
        };
        common.add_account(default_account);
        let state = Arc::new(Mutex::new(State { common, vendor }));
        let inner = state.clone();
        let life = Arc::new(Lifecycle::default());
        let server =
            Server::start(V::NAME, 0, Limits::default(), life, move |incoming: Incoming, life: &Lifecycle| {
                handle(&inner, incoming, life)
            })?;
        lock(&state).common.base = server.url();
        Ok(Fake { state, server })
    }

    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, State<V>> {
        lock(&self.state)
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// Adds busy time to `account`'s calendar.
    pub fn add_block(&self, account: &str, start: DateTime<Utc>, end: DateTime<Utc>, show: Show) {
        let mut state = self.state();
        let account = state.common.add_account(account);
        state.common.blocks.push(Block { account, start, end, show });
    }
}

/// Answers one request: an HTTP-level refusal, an injected fault, or the vendor's answer; then
/// the call log.
fn handle<V: Vendor>(state: &Mutex<State<V>>, incoming: Incoming, life: &Lifecycle) -> Option<Response> {
    let Incoming { request, refused, .. } = incoming;
    let mut guard = lock(state);
    let mut call = Call {
        at: guard.common.clock.now(),
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        params: request.params.clone(),
        bearer: request.bearer().map(str::to_owned),
        body: request.body_text(),
        status: None,
        fault: None,
    };
    let response = if let Some(refusal) = refused {
        Response::text(refusal.status, refusal.message)
    } else {
        let area = V::area(&request.path);
        call.fault = guard.common.faults.take(&request.path, area == Area::Api);
        match call.fault {
            Some(Fault::Timeout) => {
                let hold = guard.common.hold;
                // Logged before the hold, so a test sees the call while the client still waits.
                guard.common.calls.push(call);
                drop(guard);
                life.pause(hold);
                return None;
            }
            Some(fault) => guard.vendor.fault_response(fault, area, &guard.common),
            None => {
                let State { common, vendor } = &mut *guard;
                vendor.serve(common, &request)
            }
        }
    };
    call.status = Some(response.status);
    guard.common.calls.push(call);
    Some(response)
}
