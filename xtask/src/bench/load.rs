//! A load generator for the edge on loopback, bounded in requests and in time: bootstrap,
//! slots and bookings at a fixed concurrency, then a check that no agent was double-booked.

use super::Metric;
use anyhow::{Context, Result};
use serde_json::Value;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How much load to send.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Bootstrap requests.
    pub bootstrap: usize,
    /// Slot-list requests.
    pub slots: usize,
    /// Booking requests (six per slot: five can succeed, one must get 409).
    pub bookings: usize,
    /// Wall-time limit per endpoint.
    pub limit: Duration,
}

impl LoadOptions {
    /// The everyday run.
    pub fn quick() -> Self {
        LoadOptions { concurrency: 8, bootstrap: 400, slots: 100, bookings: 300, limit: Duration::from_secs(30) }
    }

    /// The full run.
    pub fn full() -> Self {
        LoadOptions { concurrency: 16, bootstrap: 4000, slots: 600, bookings: 1500, limit: Duration::from_secs(120) }
    }
}

struct Summary {
    latencies: Vec<Duration>,
    statuses: Vec<u16>,
    elapsed: Duration,
}

impl Summary {
    fn quantile(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[i].as_secs_f64() * 1000.0
    }

    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    fn count(&self, status: u16) -> usize {
        self.statuses.iter().filter(|s| **s == status).count()
    }
}

/// Sends `n` requests, `concurrency` at a time, until done or `limit` passes.
fn hammer(
    n: usize,
    concurrency: usize,
    limit: Duration,
    request: impl Fn(&ureq::Agent, usize) -> u16 + Sync,
) -> Summary {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(n));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency {
            scope.spawn(|| {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || started.elapsed() > limit {
                        break;
                    }
                    let t0 = Instant::now();
                    let status = request(&agent, i);
                    mine.push((t0.elapsed(), status));
                }
                if let Ok(mut all) = results.lock() {
                    all.extend(mine);
                }
            });
        }
    });
    let elapsed = started.elapsed();
    let mut all = results.into_inner().unwrap_or_default();
    all.sort();
    Summary { latencies: all.iter().map(|r| r.0).collect(), statuses: all.iter().map(|r| r.1).collect(), elapsed }
}

fn status_of(result: Result<ureq::Response, ureq::Error>) -> u16 {
    match result {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(_) => 0,
    }
}

fn endpoint_metrics(name: &str, s: &Summary, p99_target: Option<f64>, concurrency: usize) -> Vec<Metric> {
    let p99 = Metric::new(format!("{name}: p99 latency at concurrency {concurrency}"), s.quantile(0.99), "ms");
    vec![
        Metric::new(format!("{name}: p50 latency at concurrency {concurrency}"), s.quantile(0.5), "ms"),
        Metric::new(format!("{name}: p95 latency at concurrency {concurrency}"), s.quantile(0.95), "ms"),
        match p99_target {
            Some(t) => p99.target(t),
            None => p99,
        },
        Metric::new(format!("{name}: requests per second at concurrency {concurrency}"), s.rate(), "req/s"),
    ]
}

/// Agents of the bench's large pool (site `big`).
pub const BIG_POOL_AGENTS: usize = 50;

/// SQL adding site `big` (the demo site's origins and branding) with `n` agents working the
/// demo agents' hours, in three time zones so their days do not line up.
pub fn big_pool_sql(n: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO sites (id, name, allowed_origins, branding, created_at, link_secret)
         SELECT 'big', 'Large pool', allowed_origins, branding, created_at, link_secret FROM sites WHERE id = 'demo';\n",
    );
    let zones = ["America/New_York", "Europe/Paris", "Asia/Kolkata"];
    for i in 1..=n {
        let zone = zones[i % zones.len()];
        sql += &format!(
            "INSERT INTO agents (id, site_id, name, email, position, schedule, active)
             SELECT 'big-{i}', 'big', 'Big {i}', 'big-{i}@demo.test', {i},
               json_set(schedule, '$.time_zone', '{zone}'), 1 FROM agents WHERE id = 'agent-1';\n"
        );
    }
    sql
}

/// Every meeting the admin API lists, page by page.
fn all_meetings(base: &str, cookie: &str) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    let mut offset = 0u64;
    loop {
        let page: Value = ureq::get(&format!("{base}/api/admin/v1/meetings?limit=500&offset={offset}"))
            .set("Cookie", cookie)
            .call()?
            .into_json()?;
        all.extend(page["meetings"].as_array().context("no meetings list")?.iter().cloned());
        match page["next_offset"].as_u64() {
            Some(next) if next > offset => offset = next,
            _ => return Ok(all),
        }
    }
}

/// Runs the load against `base`, sending `origin` as the page's origin; `cookie` signs the
/// final check in to the admin API.
pub fn run(base: &str, origin: &str, cookie: &str, opts: &LoadOptions) -> Result<(Vec<Metric>, Vec<String>)> {
    let mut metrics = Vec::new();
    let mut notes = Vec::new();
    let site = format!("{base}/api/v1/sites/demo");

    let s = hammer(opts.bootstrap, opts.concurrency, opts.limit, |agent, _| {
        status_of(agent.get(&format!("{site}/bootstrap")).set("Origin", origin).call())
    });
    notes.push(format!("bootstrap: {} requests, {} answered 200", s.latencies.len(), s.count(200)));
    metrics.extend(endpoint_metrics(
        "bootstrap (targeting from D1; no Munchkin cookie sent)",
        &s,
        Some(25.0),
        opts.concurrency,
    ));

    let s = hammer(opts.slots, opts.concurrency, opts.limit, |agent, _| {
        status_of(agent.get(&format!("{site}/slots?days=14&tz=Europe/Paris")).set("Origin", origin).call())
    });
    notes.push(format!("slots: {} requests, {} answered 200", s.latencies.len(), s.count(200)));
    metrics.extend(endpoint_metrics("slots (14 days, 5 agents)", &s, None, opts.concurrency));

    let big = format!("{base}/api/v1/sites/big");
    let s = hammer(opts.slots, opts.concurrency, opts.limit, |agent, _| {
        status_of(agent.get(&format!("{big}/slots?days=14&tz=Europe/Paris")).set("Origin", origin).call())
    });
    notes.push(format!("slots, 50 agents: {} requests, {} answered 200", s.latencies.len(), s.count(200)));
    metrics.extend(endpoint_metrics(
        &format!("slots (14 days, {BIG_POOL_AGENTS} agents in 3 zones)"),
        &s,
        None,
        opts.concurrency,
    ));

    let slots: Value = ureq::get(&format!("{site}/slots?days=31&tz=UTC")).set("Origin", origin).call()?.into_json()?;
    let starts: Vec<String> = slots["slots"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["start"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let n = opts.bookings.min(starts.len() * 6);
    // One booking request for `start`; its status.
    let book = |agent: &ureq::Agent, start: &str, email: String| {
        let body = serde_json::json!({ "start": start, "email": email }).to_string();
        status_of(
            agent
                .post(&format!("{site}/bookings"))
                .set("Origin", origin)
                .set("Content-Type", "application/json")
                .send_string(&body),
        )
    };
    let s =
        hammer(n, opts.concurrency, opts.limit, |agent, i| book(agent, &starts[i / 6], format!("load{i}@example.com")));
    let created = s.count(201);
    notes.push(format!(
        "bookings: {} requests over {} slots, {created} created, {} refused with 409, {} other",
        s.latencies.len(),
        s.latencies.len().div_ceil(6),
        s.count(409),
        s.latencies.len() - created - s.count(409)
    ));
    // At concurrency 16 a request's latency is mostly its wait behind the others (Little's law:
    // 16 in flight / rate); the target of 50 ms is on server time, which one request at a time
    // on free slots measures (loopback HTTP adds well under a millisecond).
    metrics.extend(endpoint_metrics("booking decisions (201 or 409)", &s, None, opts.concurrency));
    metrics.push(Metric::new("booking decisions per second, one routing pool", s.rate(), "req/s").at_least(300.0));
    let used = n.div_ceil(6);
    let alone: Vec<&String> = starts.iter().skip(used).take(opts.bookings / 10).collect();
    let one = hammer(alone.len(), 1, opts.limit, |agent, i| book(agent, alone[i], format!("alone{i}@example.com")));
    let alone_created = one.count(201);
    notes.push(format!(
        "bookings one at a time: {} requests on free slots, {alone_created} created",
        one.latencies.len()
    ));
    metrics.extend(endpoint_metrics("booking decisions, one at a time (server time)", &one, Some(50.0), 1));
    let created = created + alone_created;

    let list = all_meetings(base, cookie)?;
    let mut spans: Vec<(String, String, String)> = list
        .iter()
        .map(|m| {
            let text = |p: &str| m.pointer(p).and_then(Value::as_str).unwrap_or_default().to_owned();
            (text("/agent/id"), text("/start"), text("/end"))
        })
        .collect();
    spans.sort();
    let doubles = spans.windows(2).filter(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2).count();
    notes.push(format!("after the run: {} meetings stored, {created} bookings answered 201", list.len()));
    metrics.push(Metric::new("double bookings after the run", doubles as f64, "count").target(0.0));
    metrics.push(
        Metric::new("stored meetings minus bookings answered 201", list.len() as f64 - created as f64, "count")
            .target(0.0),
    );
    Ok((metrics, notes))
}
