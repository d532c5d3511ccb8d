//! Lead sync through the Bulk Extract API: the initial sync walks `updatedAt` windows of at
//! most 31 days over the whole database, then an incremental sync exports what changed since
//! the high-water mark, every `sync_interval_ms`.
//!
//! Each window: create the export job, enqueue it, poll its status, then stream the file
//! into D1 in batches. Invariant: progress (window, job, byte offset, line, counts) is saved
//! in the object's SQLite after each D1 batch is written, and leads are upserted by Marketo
//! id, so a sync interrupted anywhere (a restart, an outage, the CPU limit) resumes from the
//! saved offset with a `Range` request and ends with every row exactly once. One job runs
//! at a time, within Marketo's two.

use super::client::Download;
use super::client::{Client, Urgency, now_ms};
use super::kv;
use crate::error::{ApiError, ApiResult};
use crate::store::leads;
use confab_domain::marketo::{
    CsvIngest, ExportStatus, Failure, FieldInfo, LeadRecord, export_create_body, export_windows, parse_describe,
    parse_export_status,
};
use futures_util::StreamExt;
use futures_util::future::{Either, select};
use serde::{Deserialize, Serialize};
use worker::{D1Database, Method, SqlStorage};

/// Rows written to D1 per statement.
const BATCH_ROWS: usize = 1_000;
/// Bytes of rows per statement: D1 takes values up to 2 MB, the rows travel as one.
const BATCH_BYTES: usize = 900 * 1024;
/// A single lead larger than this is skipped (D1's row limit is 2 MB).
const MAX_ROW_BYTES: usize = 1_000_000;
/// Longest wait for the next piece of an export file.
const CHUNK_TIMEOUT_MS: i64 = 30_000;
/// Export jobs kept created and enqueued ahead of the current one (Marketo runs 2 at once
/// and queues 10 for the whole instance, shared with the customer's other integrations).
const LOOKAHEAD: usize = 3;
/// Failures of one window's export before the window is skipped (and reported).
const MAX_WINDOW_FAILURES: u32 = 8;
/// Wall time one wake-up may spend downloading before it saves and yields.
const SLICE_MS: i64 = 20_000;
/// Overlap of incremental windows, for clock skew between Marketo and Confab.
const OVERLAP_MS: i64 = 5 * 60_000;
/// Skipped-row reasons kept for the admin.
const KEPT_REASONS: usize = 20;

/// Where the sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Never started.
    Idle,
    /// The initial sync.
    Initial,
    /// Caught up; incremental syncs follow.
    Incremental,
}

/// A field's name and Marketo data type.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldType {
    name: String,
    data_type: String,
}

/// The export job of the current window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    export_id: String,
    /// created, queued (enqueued, waiting to complete), downloading.
    step: String,
    records: u64,
    header: Option<Vec<String>>,
    offset: u64,
    next_line: u64,
    /// Status polls so far: the first come quickly, later ones back off to `poll_ms`.
    #[serde(default)]
    polls: u32,
}

/// Everything the sync remembers, saved as JSON in the object's SQLite.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncState {
    /// Phase.
    pub phase: Phase,
    /// Fields synced (REST names) with their types.
    pub fields: Vec<FieldType>,
    /// The windows of the current pass, `[start, end)` Unix ms.
    pub windows: Vec<(i64, i64)>,
    /// Index of the current window.
    pub window: usize,
    /// The current window's job.
    pub job: Option<Job>,
    /// Jobs already created and enqueued for the next windows, in order, so Marketo prepares
    /// them while the current one downloads.
    #[serde(default)]
    pub ahead: Vec<Job>,
    /// Rows stored, over all passes.
    pub rows: u64,
    /// Rows skipped as malformed or invalid.
    pub skipped: u64,
    /// Rows Marketo reported in completed jobs.
    pub exported: u64,
    /// The latest skipped rows' reasons.
    pub skipped_reasons: Vec<String>,
    /// When the initial sync started and finished, Unix ms.
    pub started_at_ms: i64,
    /// When the initial sync finished, Unix ms (0 while running).
    pub finished_at_ms: i64,
    /// Everything updated before this instant is stored (Unix ms).
    pub high_water_ms: i64,
    /// When the next step is due (Unix ms).
    pub next_at_ms: i64,
    /// The last error, for the admin.
    pub last_error: Option<String>,
    /// Consecutive failures of the current step.
    pub failures: u32,
    /// When the last incremental pass finished.
    pub last_incremental_ms: i64,
    /// Failures of the current window's export, over attempts.
    #[serde(default)]
    pub window_failures: u32,
    /// Bumped by every (re)start; a wake-up that began under an older generation saves
    /// nothing, so an admin's restart is never undone by a sync step already running.
    #[serde(default)]
    pub generation: u64,
}

impl SyncState {
    fn idle() -> Self {
        SyncState {
            phase: Phase::Idle,
            fields: Vec::new(),
            windows: Vec::new(),
            window: 0,
            job: None,
            ahead: Vec::new(),
            rows: 0,
            skipped: 0,
            exported: 0,
            skipped_reasons: Vec::new(),
            started_at_ms: 0,
            finished_at_ms: 0,
            high_water_ms: 0,
            next_at_ms: 0,
            last_error: None,
            failures: 0,
            last_incremental_ms: 0,
            window_failures: 0,
            generation: 0,
        }
    }

    fn types(&self) -> Vec<FieldInfo> {
        self.fields
            .iter()
            .map(|f| FieldInfo {
                name: f.name.clone(),
                display_name: f.name.clone(),
                data_type: f.data_type.clone(),
                read_only: false,
            })
            .collect()
    }

    /// The state as the admin sees it.
    pub fn report(&self) -> serde_json::Value {
        let windows = self.windows.len().max(1) as f64;
        let within = match &self.job {
            Some(job) if job.records > 0 && job.step == "downloading" => {
                (job.next_line.saturating_sub(2) as f64 / job.records as f64).min(1.0)
            }
            _ => 0.0,
        };
        let percent = match self.phase {
            Phase::Idle => 0.0,
            Phase::Initial => ((self.window as f64 + within) / windows * 100.0).min(99.9),
            Phase::Incremental => 100.0,
        };
        let step = match (&self.phase, &self.job) {
            (Phase::Idle, _) => "not started".to_owned(),
            (_, None) if self.phase == Phase::Incremental => "waiting for the next incremental sync".to_owned(),
            (_, None) => "creating the export".to_owned(),
            (_, Some(job)) => match job.step.as_str() {
                "created" => "enqueuing the export".to_owned(),
                "queued" => "waiting for Marketo to prepare the export".to_owned(),
                _ => "downloading and storing leads".to_owned(),
            },
        };
        serde_json::json!({
            "phase": self.phase,
            "step": step,
            "percent": (percent * 10.0).round() / 10.0,
            "window": self.window,
            "windows": self.windows.len(),
            "rows": self.rows,
            "skipped": self.skipped,
            "exported": self.exported,
            "skipped_reasons": self.skipped_reasons,
            "fields": self.fields.iter().map(|f| &f.name).collect::<Vec<_>>(),
            "started_at_ms": self.started_at_ms,
            "finished_at_ms": self.finished_at_ms,
            "high_water_ms": self.high_water_ms,
            "last_error": self.last_error,
            "last_incremental_ms": self.last_incremental_ms,
        })
    }
}

/// The saved state (idle when none).
pub fn load(sql: &SqlStorage) -> SyncState {
    kv::get(sql, "sync").unwrap_or_else(SyncState::idle)
}

/// Saves the state, unless a restart superseded the one this wake-up works on.
pub fn save(sql: &SqlStorage, state: &SyncState) -> ApiResult<()> {
    if load(sql).generation != state.generation {
        return Err(ApiError::Conflict { code: "superseded", message: "the sync was restarted meanwhile".into() });
    }
    write(sql, state)
}

fn write(sql: &SqlStorage, state: &SyncState) -> ApiResult<()> {
    Ok(kv::set(sql, "sync", state)?)
}

/// The lead fields Marketo offers.
pub async fn describe(client: &Client, urgency: Urgency) -> Result<Vec<FieldInfo>, String> {
    let envelope =
        client.call(urgency, Method::Get, "/rest/v1/leads/describe.json", &[], None).await.map_err(|f| f.describe())?;
    Ok(parse_describe(&envelope.result))
}

/// Starts (or restarts) the initial sync of `fields` from `since_ms`; fields are checked
/// against `describe` so a typo is refused before any export is created.
pub async fn start(client: &Client, sql: &SqlStorage, fields: &[String], since_ms: i64) -> Result<SyncState, String> {
    let available = describe(client, Urgency::Visitor { deadline_ms: now_ms() + 20_000 }).await?;
    let mut chosen: Vec<FieldType> = Vec::new();
    let mut wanted: Vec<String> = vec!["id".into(), "email".into(), "updatedAt".into()];
    for field in fields {
        if !wanted.contains(field) {
            wanted.push(field.clone());
        }
    }
    for name in &wanted {
        let info = available
            .iter()
            .find(|f| &f.name == name)
            .ok_or_else(|| format!("Marketo has no lead field named `{name}`."))?;
        chosen.push(FieldType { name: info.name.clone(), data_type: info.data_type.clone() });
    }
    let now = now_ms();
    // Reading the old state and writing the new one happen with no await in between, so a
    // step running meanwhile either saved before (its jobs are cancelled below) or finds
    // itself superseded (and cancels its own).
    let previous = load(sql);
    let mut state = SyncState::idle();
    state.generation = previous.generation + 1;
    state.phase = Phase::Initial;
    state.fields = chosen;
    state.windows = export_windows(since_ms, now);
    state.started_at_ms = now;
    state.next_at_ms = now;
    write(sql, &state).map_err(|e| e.to_string())?;
    // Free the export slots the old jobs hold.
    cancel_jobs(client, &previous, Urgency::Visitor { deadline_ms: now + 5_000 }).await;
    Ok(state)
}

/// Cancels the export jobs `state` holds (best effort), so they keep none of Marketo's slots.
async fn cancel_jobs(client: &Client, state: &SyncState, urgency: Urgency) {
    for job in state.job.iter().chain(&state.ahead) {
        let path = format!("/bulk/v1/leads/export/{}/cancel.json", job.export_id);
        let _ = client.call(urgency, Method::Post, &path, &[], None).await;
    }
}

/// Runs the sync for one wake-up; returns when it wants to run next (None: idle).
pub async fn step(client: &Client, sql: &SqlStorage, db: &D1Database) -> ApiResult<Option<i64>> {
    let mut state = load(sql);
    let result = run(client, sql, db, &mut state).await;
    if let Err(ApiError::Conflict { code: "superseded", .. }) = &result {
        // Restarted while this step ran: export jobs it created after the restart read the
        // state are known only here. Cancel them so they hold none of Marketo's export slots.
        cancel_jobs(client, &state, Urgency::Background).await;
    }
    result
}

async fn run(client: &Client, sql: &SqlStorage, db: &D1Database, state: &mut SyncState) -> ApiResult<Option<i64>> {
    if state.phase == Phase::Idle {
        return Ok(None);
    }
    let started = now_ms();
    if state.next_at_ms > started {
        return Ok(Some(state.next_at_ms));
    }
    loop {
        if state.windows.is_empty() && state.phase == Phase::Incremental {
            return Ok(Some(state.next_at_ms.max(started)));
        }
        if now_ms() - started > SLICE_MS {
            state.next_at_ms = now_ms();
            save(sql, state)?;
            return Ok(Some(state.next_at_ms));
        }
        if state.window >= state.windows.len() {
            // A pass ended.
            let end = state.windows.last().map_or(now_ms(), |w| w.1);
            state.high_water_ms = state.high_water_ms.max(end);
            if state.phase == Phase::Initial {
                state.phase = Phase::Incremental;
                state.finished_at_ms = now_ms();
            }
            state.last_incremental_ms = now_ms();
            let next = now_ms() + client.config().sync_interval_ms;
            state.windows = Vec::new();
            state.window = 0;
            state.next_at_ms = next;
            save(sql, state)?;
            return Ok(Some(next));
        }
        match advance(client, sql, db, state).await {
            Ok(Some(wait_until)) => {
                state.failures = 0;
                state.next_at_ms = wait_until;
                save(sql, state)?;
                return Ok(Some(wait_until));
            }
            Ok(None) => {
                state.failures = 0;
                save(sql, state)?;
            }
            Err(reason) => {
                state.failures += 1;
                state.window_failures += 1;
                if state.window_failures >= MAX_WINDOW_FAILURES {
                    // Give up on this window rather than freeze the whole sync; say so.
                    let (from, to) = state.windows.get(state.window).copied().unwrap_or_default();
                    state.skipped_reasons.push(format!(
                        "export window {} to {} skipped after {MAX_WINDOW_FAILURES} failures: {reason}",
                        rfc3339(from),
                        rfc3339(to)
                    ));
                    finish_window(state);
                }
                state.last_error = Some(reason);
                let paused = client.paused_until_ms();
                let delay = confab_domain::marketo::backoff_ms(
                    state.failures.saturating_sub(1),
                    client.config().backoff_ms,
                    5 * 60_000,
                    0.5,
                );
                state.next_at_ms = (now_ms() + delay).max(paused);
                save(sql, state)?;
                return Ok(Some(state.next_at_ms));
            }
        }
    }
}

/// Plans the next incremental pass when it is due.
pub fn plan_incremental(sql: &SqlStorage) -> ApiResult<Option<i64>> {
    let mut state = load(sql);
    if state.phase != Phase::Incremental || !state.windows.is_empty() {
        return Ok(None);
    }
    let now = now_ms();
    if state.next_at_ms > now {
        return Ok(Some(state.next_at_ms));
    }
    state.windows = export_windows(state.high_water_ms - OVERLAP_MS, now);
    state.window = 0;
    state.job = None;
    state.ahead.clear();
    save(sql, &state)?;
    Ok(Some(now))
}

/// One move of the current window's job. `Ok(Some(t))`: wait until `t`; `Ok(None)`: moved
/// on, continue; `Err`: this step failed, retry with backoff.
async fn advance(
    client: &Client,
    sql: &SqlStorage,
    db: &D1Database,
    state: &mut SyncState,
) -> Result<Option<i64>, String> {
    let Some(job) = state.job.clone() else {
        let window = state.windows.get(state.window).copied().ok_or("no export window left")?;
        state.job = Some(create_job(client, state, window).await?);
        return Ok(None);
    };
    let base = format!("/bulk/v1/leads/export/{}", job.export_id);
    match job.step.as_str() {
        "created" => {
            enqueue_job(client, &job.export_id).await?;
            if let Some(j) = state.job.as_mut() {
                j.step = "queued".into();
            }
            Ok(None)
        }
        "queued" => {
            top_up(client, state).await;
            let polled = client.call(Urgency::Background, Method::Get, &format!("{base}/status.json"), &[], None).await;
            let envelope = match polled {
                Ok(envelope) => envelope,
                Err(failure) => {
                    if matches!(failure, Failure::Rejected { .. }) {
                        // Marketo no longer knows the job (expired, deleted): create it again.
                        state.job = None;
                    }
                    return Err(format!("Polling the export failed: {}", failure.describe()));
                }
            };
            let (_, status) = parse_export_status(&envelope.result).map_err(|f| f.describe())?;
            match status {
                ExportStatus::Completed { records: 0, .. } => {
                    // Nothing changed in this window: no file to read.
                    Ok(finish_window(state))
                }
                ExportStatus::Completed { records, .. } => {
                    state.exported += records;
                    if let Some(j) = state.job.as_mut() {
                        j.step = "downloading".into();
                        j.records = records;
                    }
                    Ok(None)
                }
                ExportStatus::Failed(reason) => {
                    state.job = None;
                    Err(format!("Marketo could not prepare the export: {reason}"))
                }
                ExportStatus::Cancelled => {
                    state.job = None;
                    Err("The export was cancelled in Marketo; creating it again.".into())
                }
                _ => {
                    // 100 ms, 200 ms, 400 ms … up to `poll_ms`: a small export is read at once,
                    // a large one costs few calls.
                    let polls = job.polls.min(16);
                    if let Some(j) = state.job.as_mut() {
                        j.polls = polls + 1;
                    }
                    Ok(Some(now_ms() + (100_i64 << polls).min(client.config().poll_ms)))
                }
            }
        }
        _ => download(client, sql, db, state, job).await,
    }
}

/// Creates the export job of `window` (not yet enqueued).
async fn create_job(client: &Client, state: &SyncState, window: (i64, i64)) -> Result<Job, String> {
    let names: Vec<String> = state.fields.iter().map(|f| f.name.clone()).collect();
    let body = export_create_body(&names, window);
    let envelope = client
        .call(Urgency::Background, Method::Post, "/bulk/v1/leads/export/create.json", &[], Some(&body))
        .await
        .map_err(|f| format!("Creating the export failed: {}", f.describe()))?;
    let (export_id, _) = parse_export_status(&envelope.result).map_err(|f| f.describe())?;
    Ok(Job { export_id, step: "created".into(), records: 0, header: None, offset: 0, next_line: 1, polls: 0 })
}

/// Enqueues a created job. A job enqueued before a restart lost that fact is refused a second
/// time (1029); its status then says whether it is on its way.
async fn enqueue_job(client: &Client, export_id: &str) -> Result<(), String> {
    let base = format!("/bulk/v1/leads/export/{export_id}");
    let Err(failure) = client.call(Urgency::Background, Method::Post, &format!("{base}/enqueue.json"), &[], None).await
    else {
        return Ok(());
    };
    let status = client
        .call(Urgency::Background, Method::Get, &format!("{base}/status.json"), &[], None)
        .await
        .ok()
        .and_then(|envelope| parse_export_status(&envelope.result).ok());
    match status {
        Some((_, ExportStatus::Queued | ExportStatus::Processing | ExportStatus::Completed { .. })) => Ok(()),
        _ => Err(format!("Enqueuing the export failed: {}", failure.describe())),
    }
}

/// Keeps [`LOOKAHEAD`] jobs created and enqueued for the windows after the current one. A
/// failure here only stops the top-up; the window's own turn retries it.
async fn top_up(client: &Client, state: &mut SyncState) {
    while state.ahead.len() < LOOKAHEAD {
        let Some(window) = state.windows.get(state.window + 1 + state.ahead.len()).copied() else { return };
        let Ok(mut job) = create_job(client, state, window).await else { return };
        if enqueue_job(client, &job.export_id).await.is_ok() {
            job.step = "queued".into();
        }
        state.ahead.push(job);
    }
}

fn keep_reasons(state: &mut SyncState, ingest: &mut CsvIngest) {
    for row in ingest.take_skipped() {
        state.skipped += 1;
        state.skipped_reasons.push(format!("line {}: {}", row.line, row.reason));
    }
    let extra = state.skipped_reasons.len().saturating_sub(KEPT_REASONS);
    state.skipped_reasons.drain(..extra);
}

async fn flush(
    sql: &SqlStorage,
    db: &D1Database,
    state: &mut SyncState,
    ingest: &mut CsvIngest,
    batch: &mut Vec<LeadRecord>,
) -> Result<(), String> {
    leads::store_marketo_leads(db, batch, now_ms()).await.map_err(|e| format!("Storing leads failed: {e}"))?;
    state.rows += batch.len() as u64;
    batch.clear();
    keep_reasons(state, ingest);
    if let Some(job) = state.job.as_mut() {
        job.offset = ingest.committed_offset();
        job.next_line = ingest.next_line();
        job.header = ingest.header().map(<[String]>::to_vec);
    }
    save(sql, state).map_err(|e| e.to_string())
}

async fn download(
    client: &Client,
    sql: &SqlStorage,
    db: &D1Database,
    state: &mut SyncState,
    job: Job,
) -> Result<Option<i64>, String> {
    let types = state.types();
    let from = if job.header.is_some() { job.offset } else { 0 };
    let path = format!("/bulk/v1/leads/export/{}/file.json", job.export_id);
    let started = match client.download(&path, from).await {
        Ok(started) => started,
        Err(failure) => {
            if matches!(failure, Failure::Rejected { .. }) {
                // The file is gone (expired after Marketo's retention): export the window again.
                state.job = None;
            }
            return Err(format!("Downloading the export failed: {}", failure.describe()));
        }
    };
    let (mut resp, from_start, in_flight) = match started {
        Download::Body { response, from_start, in_flight } => (response, from_start, in_flight),
        Download::Ended => return Ok(finish_window(state)),
    };
    let mut ingest = match &job.header {
        Some(header) if from > 0 && !from_start => {
            CsvIngest::resume(&types, header.clone(), job.next_line).with_base_offset(job.offset)
        }
        _ => CsvIngest::new(&types),
    };
    let mut stream = resp.stream().map_err(|e| format!("The export file could not be read: {e}"))?;
    let started = now_ms();
    let mut batch: Vec<LeadRecord> = Vec::with_capacity(BATCH_ROWS);
    let mut batch_bytes = 0_usize;
    loop {
        // A body that stops flowing must not hold the alarm (and the outbox) forever.
        let next = select(Box::pin(stream.next()), Box::pin(super::client::sleep(CHUNK_TIMEOUT_MS))).await;
        let chunk = match next {
            Either::Left((Some(chunk), _)) => chunk.map_err(|e| format!("The export download broke off: {e}"))?,
            Either::Left((None, _)) => break,
            Either::Right(_) => return Err("The export download stalled; resuming where it stopped.".into()),
        };
        for record in ingest.push(&chunk) {
            let size = record_size(&record);
            if size > MAX_ROW_BYTES {
                state.skipped += 1;
                state.skipped_reasons.push(format!("lead {}: larger than D1 stores in one row", record.marketo_id));
                continue;
            }
            batch_bytes += size;
            batch.push(record);
        }
        if batch.len() >= BATCH_ROWS || batch_bytes >= BATCH_BYTES {
            flush(sql, db, state, &mut ingest, &mut batch).await?;
            batch_bytes = 0;
        }
        if now_ms() - started > SLICE_MS {
            // Yield; the next wake-up resumes from the saved offset.
            flush(sql, db, state, &mut ingest, &mut batch).await?;
            drop(in_flight);
            return Ok(Some(now_ms()));
        }
    }
    drop(in_flight);
    batch.extend(ingest.finish());
    flush(sql, db, state, &mut ingest, &mut batch).await?;
    Ok(finish_window(state))
}

/// Moves to the next window, whose job may already be waiting in `ahead`.
fn finish_window(state: &mut SyncState) -> Option<i64> {
    state.job = (!state.ahead.is_empty()).then(|| state.ahead.remove(0));
    state.window += 1;
    state.window_failures = 0;
    None
}

/// Bytes a record takes in the batch's JSON (an estimate from above).
fn record_size(record: &LeadRecord) -> usize {
    serde_json::to_string(&record.attributes).map_or(0, |a| 2 * a.len() + 64)
        + record.email.as_ref().map_or(0, String::len)
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.to_rfc3339()).unwrap_or_default()
}
