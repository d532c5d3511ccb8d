//! How a fake Marketo is set up: credentials, token lifetime, limits, clock, bulk-extract
//! behaviour, extra lead fields, synthetic leads and damaged export rows, port and control
//! endpoints, plus the faults a test can inject while it runs.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// How bulk-extract jobs move from `Queued` through `Processing` to `Completed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportProgress {
    /// Each `status.json` poll moves the export queue one step (the default): the polled job
    /// completes if it was processing, then queued jobs start, oldest first, while fewer than
    /// the running limit are processing.
    OnStatusPoll,
    /// Jobs move only when the test calls [`super::FakeMarketo::advance_exports`] or
    /// [`super::FakeMarketo::finish_exports`].
    Manual,
}

/// A failure the fake answers with instead of serving a call, injected by
/// [`super::FakeMarketo::inject`] for the next calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A response-level Marketo error: HTTP 200, `success: false`, this code (608 and 611 are
    /// Marketo's "temporarily unavailable" and "system error").
    Marketo(u16),
    /// A bare HTTP status with an empty body, such as 500 or 502.
    Http(u16),
    /// No answer for this long, then HTTP 504: a client with a shorter read timeout sees a
    /// timeout. Dropping the fake cuts the wait short.
    Timeout(Duration),
}

/// A lead field added to the standard ones, as a Marketo admin would create it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomField {
    pub name: String,
    pub data_type: String,
    pub display_name: String,
}

/// The set-up of a [`super::FakeMarketo`], built with chained calls from [`Default`].
///
/// Defaults follow Marketo's documented limits: tokens live 3,600 s, 100 calls per 20 s,
/// 10 calls at once, 50,000 calls a day, 2 export jobs running and 10 queued, 500 MB of
/// exports a day, a 31-day window for date filters.
#[derive(Debug, Clone)]
pub struct FakeMarketoConfig {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) scope: String,
    pub(crate) token_lifetime: Duration,
    pub(crate) rate_calls: usize,
    pub(crate) rate_window: Duration,
    pub(crate) max_concurrent: usize,
    pub(crate) daily_quota: u64,
    pub(crate) delay: Duration,
    pub(crate) clock_start: Option<DateTime<Utc>>,
    pub(crate) export_progress: ExportProgress,
    pub(crate) max_running_exports: usize,
    pub(crate) max_queued_exports: usize,
    pub(crate) export_daily_bytes: u64,
    pub(crate) max_export_days: i64,
    pub(crate) custom_fields: Vec<CustomField>,
    pub(crate) activity_types: Vec<i64>,
    pub(crate) synthetic_leads: u64,
    pub(crate) corrupt_every: u64,
    pub(crate) port: u16,
    pub(crate) control: bool,
}

impl Default for FakeMarketoConfig {
    fn default() -> Self {
        FakeMarketoConfig {
            client_id: "fake-client-id".to_owned(),
            client_secret: "fake-client-secret".to_owned(),
            scope: "apis@fake.marketo.test".to_owned(),
            token_lifetime: Duration::from_secs(3600),
            rate_calls: 100,
            rate_window: Duration::from_secs(20),
            max_concurrent: 10,
            daily_quota: 50_000,
            delay: Duration::ZERO,
            clock_start: None,
            export_progress: ExportProgress::OnStatusPoll,
            max_running_exports: 2,
            max_queued_exports: 10,
            export_daily_bytes: 500 * 1024 * 1024,
            max_export_days: 31,
            custom_fields: Vec::new(),
            activity_types: Vec::new(),
            synthetic_leads: 0,
            corrupt_every: 0,
            port: 0,
            control: false,
        }
    }
}

impl FakeMarketoConfig {
    /// The client id and secret the identity endpoint accepts.
    pub fn client(mut self, id: &str, secret: &str) -> Self {
        self.client_id = id.to_owned();
        self.client_secret = secret.to_owned();
        self
    }

    /// How long a new access token lives (3,600 s by default).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// At most `calls` calls in any sliding `window`; more answer 606 (100 per 20 s by default).
    pub fn rate_limit(mut self, calls: usize, window: Duration) -> Self {
        self.rate_calls = calls;
        self.rate_window = window;
        self
    }

    /// At most `calls` calls in flight at once; more answer 615 (10 by default).
    pub fn max_concurrent(mut self, calls: usize) -> Self {
        self.max_concurrent = calls;
        self
    }

    /// At most `calls` counted calls per Marketo day (midnight to midnight CST); more answer 607.
    pub fn daily_quota(mut self, calls: u64) -> Self {
        self.daily_quota = calls;
        self
    }

    /// An artificial delay every admitted REST call spends in flight before it is served.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Freezes the fake's clock at `start`: time then moves only through
    /// [`super::FakeMarketo::advance_clock`]. Without it the clock is real time plus the
    /// advances.
    pub fn frozen_clock(mut self, start: DateTime<Utc>) -> Self {
        self.clock_start = Some(start);
        self
    }

    /// How export jobs progress (on status polls by default).
    pub fn export_progress(mut self, progress: ExportProgress) -> Self {
        self.export_progress = progress;
        self
    }

    /// At most `running` export jobs processing and `queued` jobs in the queue, running ones
    /// included, as Marketo counts them (2 and 10 by default); enqueuing more answers 1029.
    pub fn export_limits(mut self, running: usize, queued: usize) -> Self {
        self.max_running_exports = running;
        self.max_queued_exports = queued;
        self
    }

    /// Bytes of export files a Marketo day allows (500 MB by default); past it, creating or
    /// enqueuing a job answers 1029.
    pub fn export_daily_bytes(mut self, bytes: u64) -> Self {
        self.export_daily_bytes = bytes;
        self
    }

    /// Adds a custom lead field (`data_type` as Marketo names them: string, email, integer,
    /// boolean, date, datetime, phone, text, …). String, email and integer fields can be
    /// searched with `filterType`.
    pub fn custom_field(mut self, name: &str, data_type: &str, display_name: &str) -> Self {
        self.custom_fields.push(CustomField {
            name: name.to_owned(),
            data_type: data_type.to_owned(),
            display_name: display_name.to_owned(),
        });
        self
    }

    /// Adds `n` synthetic leads, ids 1 to `n` (at most 2³² − 1), computed from their id
    /// whenever they are needed and never held in memory. Lead `i` has the email
    /// `lead{i}@example{i % 97}.test`, names, company, title, place, industry, size, revenue,
    /// score, source and status picked from small tables by `i` (every field of
    /// [`super::SYNTHETIC_FIELDS`]), and `createdAt` and `updatedAt` spread over the two years
    /// before the clock's start (so a full export needs about 24 windows of 31 days). Declared
    /// custom fields get values by data type; string, email and integer ones are unique per
    /// lead (`{field}-{i}`, `{field}.{i}@example.test`, `i`), so lookups by them work too.
    ///
    /// Lookups by id, email or a custom field compute the lead on the fly; a lead written by
    /// Sync Leads or seeded with [`super::FakeMarketo::insert_lead`] with a synthetic id or
    /// email takes the synthetic lead's place. New leads get ids after `n` (and from 1001).
    /// [`super::FakeMarketo::leads`] lists stored leads only.
    pub fn synthetic_leads(mut self, n: u64) -> Self {
        self.synthetic_leads = n;
        self
    }

    /// Damages the export-file row of every `every`-th synthetic lead (ids `every`,
    /// `2·every`, …; 0, the default, damages none), cycling through: one column too many, an
    /// id that is not an integer, a quoted value holding a line break (valid CSV: a control a
    /// correct ingester accepts), a non-integer in an integer field, an email without `@`, one
    /// column too few. [`super::FakeMarketo::export_expectation`] says how many rows a correct
    /// ingester accepts and skips.
    pub fn corrupt_rows(mut self, every: u64) -> Self {
        self.corrupt_every = every;
        self
    }

    /// The loopback port to listen on (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Serves the control endpoints under `/__fake/` (off by default; the `fake-marketo`
    /// binary turns them on), for a client in another process: `GET /__fake/expectation?
    /// fields=a,b` (the [`super::ExportExpectation`] as JSON), `POST /__fake/advance-clock?
    /// seconds=S`, `POST /__fake/expire-tokens`, `POST /__fake/finish-exports` and
    /// `POST /__fake/inject?fault=marketo:608|http:500|timeout-ms:2000&times=N[&identity=true]`.
    /// They need no token, count against no limit and are not in the call log.
    pub fn control_endpoints(mut self, enabled: bool) -> Self {
        self.control = enabled;
        self
    }

    /// Declares a custom activity type id. Once any is declared, activities of other types are
    /// skipped; with none declared, every type id is accepted.
    pub fn activity_type(mut self, id: i64) -> Self {
        self.activity_types.push(id);
        self
    }
}
