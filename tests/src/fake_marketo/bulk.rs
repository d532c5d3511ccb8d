//! Bulk lead extract: export jobs created with fields and a `createdAt` or `updatedAt` window
//! (31 days at most), enqueued (2 processing and 10 in the queue at most, running ones
//! included), polled from `Created` through `Queued` and `Processing` to `Completed`, and
//! their file served as RFC 4180 CSV (or TSV / SSV), with `Range` support and the SHA-256
//! checksum Marketo reports.
//!
//! A job's file is fixed when it starts processing ([`ExportFile::snapshot`]); a background
//! thread then counts, sizes and checksums it, and the job completes once that is done (the
//! step that completes it waits for the thread), so the work of a large file falls between
//! a client's polls rather than inside one.

use super::clock::{marketo_day, parse_instant, stamp};
use super::envelope::{Answer, Handled, MarketoError, Reply, error};
use super::export_file::{ExportFile, FileRange, FileSpec, Summary};
use super::leads::{LeadStore, invalid, missing};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;

/// The queue's limits and the corruption period, from the configuration.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExportRules {
    pub running: usize,
    pub queued: usize,
    pub daily_bytes: u64,
    pub max_days: i64,
    pub corrupt_every: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Created,
    Queued,
    Processing,
    Completed,
    Cancelled,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Created => "Created",
            Status::Queued => "Queued",
            Status::Processing => "Processing",
            Status::Completed => "Completed",
            Status::Cancelled => "Cancelled",
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Csv,
    Tsv,
    Ssv,
}

impl Format {
    fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_uppercase().as_str() {
            "CSV" => Some(Format::Csv),
            "TSV" => Some(Format::Tsv),
            "SSV" => Some(Format::Ssv),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Tsv => "TSV",
            Format::Ssv => "SSV",
        }
    }

    fn separator(self) -> char {
        match self {
            Format::Csv => ',',
            Format::Tsv => '\t',
            Format::Ssv => ' ',
        }
    }
}

#[derive(Debug)]
struct ExportJob {
    id: String,
    fields: Vec<String>,
    headers: Vec<String>,
    format: Format,
    filter_field: &'static str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    status: Status,
    created_at: DateTime<Utc>,
    queued_at: Option<DateTime<Utc>>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    /// The file, from when the job starts processing.
    file: Option<Arc<ExportFile>>,
    /// The thread summarising the file while the job processes.
    summarising: Option<JoinHandle<Summary>>,
    /// The file's summary, once the job completed.
    summary: Option<Summary>,
}

impl ExportJob {
    fn render(&self) -> Value {
        let mut out = Map::new();
        out.insert("exportId".to_owned(), Value::from(self.id.clone()));
        out.insert("format".to_owned(), Value::from(self.format.name()));
        out.insert("status".to_owned(), Value::from(self.status.as_str()));
        out.insert("createdAt".to_owned(), Value::from(stamp(self.created_at)));
        for (name, at) in
            [("queuedAt", self.queued_at), ("startedAt", self.started_at), ("finishedAt", self.finished_at)]
        {
            if let Some(at) = at {
                out.insert(name.to_owned(), Value::from(stamp(at)));
            }
        }
        if let (Status::Completed, Some(summary)) = (self.status, &self.summary) {
            out.insert("numberOfRecords".to_owned(), Value::from(summary.records));
            out.insert("fileSize".to_owned(), Value::from(summary.size));
            out.insert("fileChecksum".to_owned(), Value::from(summary.checksum.clone()));
        }
        Value::Object(out)
    }

    /// Fixes the file from the leads as they are now and starts summarising it.
    fn start(&mut self, leads: &LeadStore, corrupt_every: u64) {
        let spec = FileSpec {
            fields: &self.fields,
            headers: &self.headers,
            separator: self.format.separator(),
            by_created: self.filter_field == "createdAt",
            start: self.start,
            end: self.end,
        };
        let file = Arc::new(ExportFile::snapshot(spec, leads, corrupt_every));
        let summarised = file.clone();
        self.summarising = std::thread::Builder::new()
            .name("fake-marketo-export".to_owned())
            .spawn(move || summarised.summarize())
            .ok();
        self.file = Some(file);
    }

    /// The file's summary, waiting for the thread computing it (or computing it here).
    fn finish(&mut self, leads: &LeadStore, corrupt_every: u64) -> u64 {
        if self.file.is_none() {
            self.start(leads, corrupt_every);
        }
        let joined = self.summarising.take().and_then(|thread| thread.join().ok());
        let summary = joined.or_else(|| self.file.as_ref().map(|f| f.summarize()));
        let size = summary.as_ref().map_or(0, |s| s.size);
        self.summary = summary;
        size
    }
}

/// Every export job, in creation order, and the bytes exported per Marketo day.
#[derive(Debug, Default)]
pub(crate) struct Exports {
    jobs: Vec<ExportJob>,
    bytes_by_day: HashMap<NaiveDate, u64>,
}

fn not_found(id: &str) -> MarketoError {
    error(1003, format!("Export id '{id}' not found"))
}

impl Exports {
    fn job(&self, id: &str) -> Result<&ExportJob, MarketoError> {
        self.jobs.iter().find(|j| j.id == id).ok_or_else(|| not_found(id))
    }

    fn job_mut(&mut self, id: &str) -> Result<&mut ExportJob, MarketoError> {
        self.jobs.iter_mut().find(|j| j.id == id).ok_or_else(|| not_found(id))
    }

    fn check_daily_bytes(&self, rules: ExportRules, now: DateTime<Utc>) -> Result<(), MarketoError> {
        let used = self.bytes_by_day.get(&marketo_day(now)).copied().unwrap_or(0);
        if used >= rules.daily_bytes { Err(error(1029, "Export daily quota exceeded")) } else { Ok(()) }
    }

    /// The status of job `id`, if it exists.
    pub fn status_of(&self, id: &str) -> Option<&'static str> {
        self.job(id).ok().map(|j| j.status.as_str())
    }

    /// `POST /bulk/v1/leads/export/create.json`
    pub fn create(
        &mut self,
        body: &Value,
        leads: &LeadStore,
        rules: ExportRules,
        id: String,
        now: DateTime<Utc>,
    ) -> Handled {
        let fields: Vec<String> = body
            .get("fields")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        if fields.is_empty() {
            return Err(missing("fields"));
        }
        if let Some(unknown) = fields.iter().find(|f| !leads.fields.iter().any(|d| &d.name == *f)) {
            return Err(error(1006, format!("Field '{unknown}' not found")));
        }
        let names = body.get("columnHeaderNames").and_then(Value::as_object).cloned().unwrap_or_default();
        if let Some(stray) = names.keys().find(|k| !fields.contains(k)) {
            return Err(error(
                1003,
                format!("Invalid data: columnHeaderNames names '{stray}', which is not an exported field"),
            ));
        }
        let headers = fields.iter().map(|f| names.get(f).and_then(Value::as_str).unwrap_or(f).to_owned()).collect();
        let format = match body.get("format").and_then(Value::as_str) {
            None => Format::Csv,
            Some(f) => Format::parse(f).ok_or_else(|| error(1003, format!("Invalid format '{f}'")))?,
        };
        let (filter_field, start, end) = parse_filter(body.get("filter"), rules)?;
        self.check_daily_bytes(rules, now)?;
        let job = ExportJob {
            id,
            fields,
            headers,
            format,
            filter_field,
            start,
            end,
            status: Status::Created,
            created_at: now,
            queued_at: None,
            started_at: None,
            finished_at: None,
            file: None,
            summarising: None,
            summary: None,
        };
        let rendered = job.render();
        self.jobs.push(job);
        Ok(Answer::result(vec![rendered]))
    }

    /// `POST /bulk/v1/leads/export/{exportId}/enqueue.json`
    pub fn enqueue(&mut self, id: &str, rules: ExportRules, now: DateTime<Utc>) -> Handled {
        match self.job(id)?.status {
            Status::Created => {}
            Status::Queued | Status::Processing => return Err(error(1029, "Job already queued")),
            other => return Err(error(1003, format!("Invalid data: the job is {}", other.as_str()))),
        }
        let in_queue = self.jobs.iter().filter(|j| matches!(j.status, Status::Queued | Status::Processing)).count();
        if in_queue >= rules.queued {
            return Err(error(1029, "Too many jobs in queue"));
        }
        self.check_daily_bytes(rules, now)?;
        let job = self.job_mut(id)?;
        job.status = Status::Queued;
        job.queued_at = Some(now);
        Ok(Answer::result(vec![job.render()]))
    }

    /// `GET /bulk/v1/leads/export/{exportId}/status.json`, moving the queue one step first
    /// when `progress` is set.
    pub fn status(
        &mut self,
        id: &str,
        leads: &LeadStore,
        rules: ExportRules,
        progress: bool,
        now: DateTime<Utc>,
    ) -> Handled {
        self.job(id)?;
        if progress {
            let mut written = 0;
            if let Some(job) = self.jobs.iter_mut().find(|j| j.id == id && j.status == Status::Processing) {
                written = Self::complete(job, leads, rules, now);
            }
            *self.bytes_by_day.entry(marketo_day(now)).or_default() += written;
            self.start_queued(leads, rules, now);
        }
        Ok(Answer::result(vec![self.job(id)?.render()]))
    }

    /// `POST /bulk/v1/leads/export/{exportId}/cancel.json`
    pub fn cancel(&mut self, id: &str) -> Handled {
        let job = self.job_mut(id)?;
        if !matches!(job.status, Status::Created | Status::Queued | Status::Processing) {
            return Err(error(1003, format!("Invalid data: the job is {}", job.status.as_str())));
        }
        job.status = Status::Cancelled;
        // A summarising thread runs on by itself; its file is dropped with it.
        job.summarising = None;
        job.file = None;
        Ok(Answer::result(vec![job.render()]))
    }

    /// `GET /bulk/v1/leads/export.json?status=..`
    pub fn list(&self, statuses: Option<&str>) -> Handled {
        let wanted: Vec<&str> = statuses.map(|s| s.split(',').map(str::trim).collect()).unwrap_or_default();
        let result = self
            .jobs
            .iter()
            .filter(|j| wanted.is_empty() || wanted.contains(&j.status.as_str()))
            .map(ExportJob::render)
            .collect();
        Ok(Answer::result(result))
    }

    /// `GET /bulk/v1/leads/export/{exportId}/file.json`: the file, or a plain-text 404 while
    /// the job is unknown or not completed, as Marketo documents.
    pub fn file(&self, id: &str, range: Option<&str>) -> Handled {
        let Some(job) = self.jobs.iter().find(|j| j.id == id) else {
            return Ok(Answer::Raw(Reply::text(404, &format!("Export id {id} not found"))));
        };
        if job.status != Status::Completed {
            return Ok(Answer::Raw(Reply::text(
                404,
                &format!("Export id {id} is {}, not Completed", job.status.as_str()),
            )));
        }
        match (&job.file, &job.summary) {
            (Some(file), Some(summary)) => Ok(Answer::Raw(ranged(file, summary.size, range))),
            _ => Ok(Answer::Raw(Reply::text(404, &format!("Export id {id} has no file")))),
        }
    }

    /// Moves the whole queue one step: processing jobs complete, then queued ones start.
    pub fn advance(&mut self, leads: &LeadStore, rules: ExportRules, now: DateTime<Utc>) {
        let mut written = 0;
        for job in self.jobs.iter_mut().filter(|j| j.status == Status::Processing) {
            written += Self::complete(job, leads, rules, now);
        }
        *self.bytes_by_day.entry(marketo_day(now)).or_default() += written;
        self.start_queued(leads, rules, now);
    }

    /// Whether any job is queued or processing.
    pub fn busy(&self) -> bool {
        self.jobs.iter().any(|j| matches!(j.status, Status::Queued | Status::Processing))
    }

    /// Completes a processing job; returns its file's size.
    fn complete(job: &mut ExportJob, leads: &LeadStore, rules: ExportRules, now: DateTime<Utc>) -> u64 {
        let size = job.finish(leads, rules.corrupt_every);
        job.status = Status::Completed;
        job.finished_at = Some(now);
        size
    }

    /// Starts queued jobs, oldest first, while fewer than the running limit are processing.
    fn start_queued(&mut self, leads: &LeadStore, rules: ExportRules, now: DateTime<Utc>) {
        let running = self.jobs.iter().filter(|j| j.status == Status::Processing).count();
        let mut queued: Vec<&mut ExportJob> = self.jobs.iter_mut().filter(|j| j.status == Status::Queued).collect();
        queued.sort_by_key(|j| j.queued_at);
        for job in queued.into_iter().take(rules.running.saturating_sub(running)) {
            job.status = Status::Processing;
            job.started_at = Some(now);
            job.start(leads, rules.corrupt_every);
        }
    }
}

/// The one date filter of a job: its field and window.
fn parse_filter(
    filter: Option<&Value>,
    rules: ExportRules,
) -> Result<(&'static str, DateTime<Utc>, DateTime<Utc>), MarketoError> {
    let filter = filter.and_then(Value::as_object).ok_or_else(|| missing("filter"))?;
    let mut entries = filter.iter();
    let (Some((kind, window)), None) = (entries.next(), entries.next()) else {
        return Err(error(1003, "Invalid data: exactly one filter type is allowed"));
    };
    let field = match kind.as_str() {
        "createdAt" => "createdAt",
        "updatedAt" => "updatedAt",
        "staticListId" | "staticListName" | "smartListId" | "smartListName" => {
            return Err(error(1035, "Unsupported filter type for target subscription"));
        }
        other => return Err(error(1003, format!("Invalid data: unknown filter type '{other}'"))),
    };
    let instant = |name: &str| -> Result<DateTime<Utc>, MarketoError> {
        let text = window.get(name).and_then(Value::as_str).ok_or_else(|| missing(name))?;
        parse_instant(text).ok_or_else(|| invalid(name, text, "datetime"))
    };
    let (start, end) = (instant("startAt")?, instant("endAt")?);
    if end < start {
        return Err(error(1003, "Invalid data: endAt is before startAt"));
    }
    if end.signed_duration_since(start) > TimeDelta::days(rules.max_days) {
        return Err(error(1003, format!("Invalid data: the date range exceeds {} days", rules.max_days)));
    }
    Ok((field, start, end))
}

/// The whole file of `total` bytes, or the part a `Range: bytes=a-b` header asks for (206, or
/// 416 when it cannot be satisfied), written while it is sent.
fn ranged(file: &Arc<ExportFile>, total: u64, range: Option<&str>) -> Reply {
    let part = |from: u64, to: u64| {
        let mut reply = Reply { content_type: "text/csv;charset=UTF-8", ..Reply::empty(200) };
        reply.headers.push(("Accept-Ranges".to_owned(), "bytes".to_owned()));
        reply.streamed = Some(FileRange { file: file.clone(), from, to });
        reply
    };
    let whole = || part(0, total.saturating_sub(1));
    let Some(spec) = range.and_then(|r| r.trim().strip_prefix("bytes")) else { return whole() };
    let spec = spec.trim_start_matches(['=', ' ']);
    let Some((from, to)) = spec.split_once('-') else { return whole() };
    let bounds = match (from.trim().parse::<u64>().ok(), to.trim().parse::<u64>().ok()) {
        (Some(a), Some(b)) => Some((a, b.min(total.saturating_sub(1)))),
        (Some(a), None) if to.trim().is_empty() => Some((a, total.saturating_sub(1))),
        (None, Some(n)) if from.trim().is_empty() => Some((total.saturating_sub(n), total.saturating_sub(1))),
        _ => None,
    };
    match bounds {
        Some((a, b)) if a <= b && b < total => {
            let mut reply = part(a, b);
            reply.status = 206;
            reply.headers.push(("Content-Range".to_owned(), format!("bytes {a}-{b}/{total}")));
            reply
        }
        _ => {
            let mut reply = Reply::text(416, "Requested Range Not Satisfiable");
            reply.headers.push(("Content-Range".to_owned(), format!("bytes */{total}")));
            reply
        }
    }
}
