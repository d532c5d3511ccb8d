//! The Marketo ingest benchmark: the fake Marketo serves N synthetic leads × 20 fields
//! through the Bulk Extract API, the edge (on `wrangler dev`) syncs them into local D1, and
//! the bench reports wall time, rows per second and the runtime's peak memory. Measured, never
//! asserted.

use super::Metric;
use crate::marketo_fake::{FakeMarketoProcess, SYNTHETIC_FIELDS};
use crate::prepare_state;
use crate::wrangler::{DevOptions, DevServer, free_port};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Longest the bench waits for a sync.
const LIMIT: Duration = Duration::from_secs(30 * 60);

/// Resident memory of every `workerd` process, in bytes (Linux `/proc`).
fn workerd_rss() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()))
        .filter(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "workerd"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .sum::<u64>()
        * 1024
}

/// Syncs `leads` synthetic leads and returns the metrics and notes.
pub fn run(leads: u64, out_dir: &std::path::Path) -> Result<(Vec<Metric>, Vec<String>)> {
    let marketo = FakeMarketoProcess::start(&["--leads", &leads.to_string()])?;
    let persist = out_dir.join("ingest-state");
    let _ = std::fs::remove_dir_all(&persist);
    let password = crate::seed::random_password()?;
    prepare_state(&persist, &password, &[])?;
    let port = free_port()?;
    let vars = marketo.vars(&[("MARKETO_POLL_MS", "500")]);
    let server = DevServer::start(&DevOptions {
        persist: &persist,
        port,
        log: Some(&out_dir.join("ingest-wrangler.log")),
        build: false,
        own_group: true,
        vars: &vars,
    })?;
    let base = server.url();
    let cookie = super::sign_in(&base, &password)?;
    let status = || -> Result<Value> {
        Ok(ureq::get(&format!("{base}/api/admin/v1/marketo")).set("Cookie", &cookie).call()?.into_json()?)
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs();
    let since = chrono::DateTime::from_timestamp(i64::try_from(now)? - 2 * 366 * 86_400, 0)
        .context("the clock is out of range")?;
    let body = json!({ "fields": SYNTHETIC_FIELDS, "since": since.to_rfc3339() }).to_string();
    let started = Instant::now();
    let planned: Value = ureq::post(&format!("{base}/api/admin/v1/marketo/sync"))
        .set("Cookie", &cookie)
        .set("Content-Type", "application/json")
        .send_string(&body)
        .context("starting the sync")?
        .into_json()?;
    let baseline_rss = workerd_rss();
    let mut peak_rss = baseline_rss;
    let mut last_print = Instant::now();
    let report = loop {
        std::thread::sleep(Duration::from_millis(500));
        peak_rss = peak_rss.max(workerd_rss());
        let s = status()?;
        if s["sync"]["phase"] == "incremental" {
            break s;
        }
        if last_print.elapsed() > Duration::from_secs(10) {
            eprintln!(
                "bench: ingest {}% ({} rows, {})",
                s["sync"]["percent"],
                s["sync"]["rows"],
                s["sync"]["step"].as_str().unwrap_or_default()
            );
            last_print = Instant::now();
        }
        if started.elapsed() > LIMIT {
            bail!("the sync did not finish within {} s: {s}", LIMIT.as_secs());
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let stored = report["leads"].as_f64().unwrap_or(0.0);
    drop(server);
    drop(marketo);
    let _ = std::fs::remove_dir_all(&persist);
    let metrics = vec![
        Metric::new(format!("Marketo ingest of {leads} leads × 20 fields, wall time"), seconds, "s").target(120.0),
        Metric::new("Marketo ingest rate", stored / seconds.max(0.001), "rows/s"),
        Metric::new("leads stored by the ingest", stored, "rows"),
        Metric::new("workerd resident memory before the ingest", baseline_rss as f64 / 1_048_576.0, "MiB"),
        Metric::new("workerd resident memory, peak during the ingest", peak_rss as f64 / 1_048_576.0, "MiB"),
    ];
    let notes = vec![format!(
        "Marketo ingest: {} export windows of 31 days; wall time counts everything after the admin \
         starts the sync (export jobs created, enqueued, polled every 500 ms, files streamed and \
         stored in batches of 1,000), on `wrangler dev` with local D1, the fake Marketo on the same machine.",
        planned["windows"]
    )];
    Ok((metrics, notes))
}
