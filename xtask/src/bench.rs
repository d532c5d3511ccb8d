//! `cargo xtask bench`: measures Confab against the budgets of the product brief and a peer
//! widget, and writes `target/bench/report.md`, `report.json` and a chart. Benchmarks are not
//! tests: nothing here fails on a slow figure; the report marks each target ok or over.

mod ingest;
mod load;

use crate::demo_host::{self, DemoHost};
use crate::wrangler::{DevOptions, DevServer, free_port};
use crate::{build, install, prepare_state, project, sizes};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

/// The peer measured beside Confab: Typebot's bubble embed, from its npm package, which
/// draws its launcher without its vendor's servers.
pub const PEER: &str = "Typebot bubble (@typebot.io/js 0.10.7)";

/// One measured figure, as written to `report.json`.
#[derive(Debug, Clone)]
pub struct Metric {
    /// What was measured.
    pub name: String,
    /// The value; `None` when it could not be measured in this run.
    pub value: Option<f64>,
    /// Unit of `value` and `target`.
    pub unit: &'static str,
    /// The target, when the product brief sets one.
    pub target: Option<f64>,
    /// Whether lower is better (every target here is a ceiling except throughput).
    pub higher_is_better: bool,
}

impl Metric {
    fn new(name: impl Into<String>, value: f64, unit: &'static str) -> Self {
        Metric { name: name.into(), value: Some(value), unit, target: None, higher_is_better: false }
    }

    fn target(mut self, target: f64) -> Self {
        self.target = Some(target);
        self
    }

    fn at_least(mut self, target: f64) -> Self {
        self.target = Some(target);
        self.higher_is_better = true;
        self
    }

    /// Whether the target is met; `None` without a target or a value.
    pub fn ok(&self) -> Option<bool> {
        let (value, target) = (self.value?, self.target?);
        Some(if self.higher_is_better { value >= target } else { value <= target })
    }

    fn json(&self) -> Value {
        json!({ "name": self.name, "value": self.value, "unit": self.unit, "target": self.target, "ok": self.ok() })
    }
}

/// Options of one run.
#[derive(Debug, Clone, Copy)]
pub struct BenchOptions {
    /// The reduced everyday run.
    pub quick: bool,
}

/// Runs every benchmark and writes the report.
pub fn run(opts: BenchOptions) -> Result<()> {
    let out_dir = project::target().join("bench");
    std::fs::create_dir_all(&out_dir)?;
    install::ensure(install::Needs { browser: true, radicale: false })?;
    let mut metrics = Vec::new();
    let mut notes = Vec::new();

    let started = Instant::now();
    build::all()?;
    let warm_build = started.elapsed().as_secs_f64();
    metrics.extend(byte_metrics()?);

    let persist = out_dir.join("state");
    let _ = std::fs::remove_dir_all(&persist);
    let port = free_port()?;
    let edge = format!("http://127.0.0.1:{port}");
    let host = bench_host(&edge)?;
    let origin = format!("http://127.0.0.1:{}", host.port);
    let password = crate::seed::random_password()?;
    prepare_state(&persist, &password, std::slice::from_ref(&origin))?;
    // A second site whose pool has 50 agents, for the slot list of a large pool.
    let big = out_dir.join("big-pool.sql");
    std::fs::write(&big, load::big_pool_sql(load::BIG_POOL_AGENTS))?;
    crate::wrangler::execute(&persist, &big)?;
    // The load generator sends thousands of requests from one address, far beyond what the
    // widget API's per-address limit lets one visitor's network send: the limits are off here.
    let vars = [("RATE_LIMITS".to_owned(), "off".to_owned())];
    let server = DevServer::start(&DevOptions {
        vars: &vars,
        persist: &persist,
        port,
        log: Some(&out_dir.join("wrangler.log")),
        build: false,
        own_group: true,
    })?;

    eprintln!("bench: host-page cost and click-to-message in Chromium …");
    let runs = if opts.quick { 5 } else { 15 };
    metrics.extend(browser_metrics(&host, runs, &out_dir)?);

    eprintln!("bench: edge latency and throughput …");
    let load_opts = if opts.quick { load::LoadOptions::quick() } else { load::LoadOptions::full() };
    let cookie = sign_in(&server.url(), &password)?;
    let (edge_metrics, edge_notes) = load::run(&server.url(), &origin, &cookie, &load_opts)?;
    metrics.extend(edge_metrics);
    notes.extend(edge_notes);
    drop(server);

    let leads = if opts.quick { 50_000 } else { 1_000_000 };
    eprintln!("bench: Marketo ingest of {leads} leads …");
    let (ingest_metrics, ingest_notes) = ingest::run(leads, &out_dir)?;
    metrics.extend(ingest_metrics);
    notes.extend(ingest_notes);

    metrics.push(Metric::new("build: widget, admin and worker, as run by this bench (warm cache)", warm_build, "s"));
    if !opts.quick {
        metrics.push(Metric::new("build: widget and admin from a cold target directory", cold_apps_build()?, "s"));
    }

    write_report(&out_dir, &metrics, &notes, opts)?;
    println!("{}", std::fs::read_to_string(out_dir.join("report.md"))?);
    Ok(())
}

/// Only the Marketo ingest, of `leads` leads (`cargo xtask bench --ingest N`): the figures go
/// to standard output, the report files are left alone.
pub fn ingest_only(leads: u64) -> Result<()> {
    let out_dir = project::target().join("bench");
    std::fs::create_dir_all(&out_dir)?;
    install::ensure(install::Needs { browser: false, radicale: false })?;
    build::all()?;
    let (metrics, notes) = ingest::run(leads, &out_dir)?;
    for m in &metrics {
        println!("{}: {}", m.name, value(m.value, m.unit));
    }
    for note in notes {
        println!("{note}");
    }
    Ok(())
}

/// Signs the demo admin in; returns the `name=value` cookie.
fn sign_in(base: &str, password: &str) -> Result<String> {
    let body = json!({ "email": confab_domain::demo::ADMIN_EMAIL, "password": password }).to_string();
    let response = ureq::post(&format!("{base}/api/admin/v1/session"))
        .set("Content-Type", "application/json")
        .send_string(&body)?;
    let cookie = response.header("Set-Cookie").context("no session cookie")?;
    Ok(cookie.split(';').next().unwrap_or_default().to_owned())
}

fn byte_metrics() -> Result<Vec<Metric>> {
    let all = sizes::report()?;
    let mut out = Vec::new();
    for s in &all {
        out.push(Metric::new(format!("{} (raw)", s.name), s.raw as f64, "B"));
        out.push(Metric::new(format!("{} (gzip)", s.name), s.gzip as f64, "B"));
        out.push(Metric::new(format!("{} (brotli)", s.name), s.brotli as f64, "B"));
    }
    let brotli =
        |pred: &dyn Fn(&str) -> bool| all.iter().filter(|s| pred(&s.name)).map(|s| s.brotli).sum::<usize>() as f64;
    out.push(
        Metric::new("loader, brotli", brotli(&|n| n == "dist/widget.js"), "B").target(sizes::LOADER_BUDGET as f64),
    );
    out.push(
        Metric::new("bytes before the chat is opened, brotli", brotli(&|n| n == "dist/widget.js"), "B")
            .target(sizes::BEFORE_OPEN_BUDGET as f64),
    );
    out.push(
        Metric::new(
            "bytes after first open (widget wasm + JS), brotli",
            brotli(&|n| n.starts_with("dist/widget/")),
            "B",
        )
        .target(sizes::AFTER_OPEN_BUDGET as f64),
    );
    out.push(Metric::new("admin bundle, brotli", brotli(&|n| n.starts_with("dist/admin/")), "B"));
    out.push(Metric::new("worker bundle, brotli", brotli(&|n| n.starts_with("edge/build/")), "B"));
    Ok(out)
}

/// The three host pages, same content: blank, with Confab's script tag, with the peer's embed.
fn bench_host(edge: &str) -> Result<DemoHost> {
    let peer_js = std::fs::read(project::node_modules().join("@typebot.io/js/dist/web.js"))
        .context("the peer widget (@typebot.io/js) is not installed")?;
    // The peer's API host points at a closed loopback port: its launcher needs no server.
    let peer_embed = r##"<script type="module">
import Typebot from "/peer/web.js";
Typebot.initBubble({ typebot: "confab-bench", apiHost: "http://127.0.0.1:9", theme: { button: { backgroundColor: "#4f46e5" } } });
</script>"##;
    let html = |s: String| ("text/html; charset=utf-8", s.into_bytes());
    let routes = HashMap::from([
        ("/blank".to_owned(), html(demo_host::page(""))),
        ("/confab".to_owned(), html(demo_host::page(&demo_host::confab_embed(edge, "demo")))),
        ("/peer".to_owned(), html(demo_host::page(peer_embed))),
        ("/peer/web.js".to_owned(), ("text/javascript", peer_js)),
    ]);
    Ok(DemoHost::serve(0, routes)?)
}

fn browser_metrics(host: &DemoHost, runs: usize, out_dir: &std::path::Path) -> Result<Vec<Metric>> {
    let base = format!("http://127.0.0.1:{}", host.port);
    let pages =
        json!({ "blank": format!("{base}/blank"), "confab": format!("{base}/confab"), "peer": format!("{base}/peer") });
    let output = Command::new(project::node())
        .arg(project::root().join("xtask/bench/host_page.mjs"))
        .current_dir(project::root())
        .env("PAGES", pages.to_string())
        .env("RUNS", runs.to_string())
        .env("CHROMIUM", install::CHROMIUM)
        .env("CHART", out_dir.join("host-page.png"))
        .env("PEER_NAME", PEER)
        .output()?;
    if !output.status.success() {
        anyhow::bail!("the browser benchmark failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let v: Value = serde_json::from_slice(&output.stdout).context("reading the browser benchmark's output")?;
    let median = |p: &str| v.pointer(p).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let mut out = Vec::new();
    for variant in ["blank", "confab", "peer"] {
        let label = match variant {
            "blank" => "blank page".to_owned(),
            "confab" => "page with Confab".to_owned(),
            _ => format!("page with {PEER}"),
        };
        for (key, what, unit) in [
            ("task_ms", "main-thread task time", "ms"),
            ("script_ms", "script time", "ms"),
            ("layout_ms", "layout and style time", "ms"),
            ("long_tasks", "long tasks", "count"),
            ("cls", "layout shift (CLS)", "score"),
            ("bytes", "bytes transferred", "B"),
        ] {
            out.push(Metric::new(
                format!("{label}: {what}, median of {runs}"),
                median(&format!("/host/{variant}/{key}/median")),
                unit,
            ));
        }
    }
    let extra = |key: &str, variant: &str| {
        median(&format!("/host/{variant}/{key}/median")) - median(&format!("/host/blank/{key}/median"))
    };
    out.push(
        Metric::new("Confab's added main-thread time before interaction", extra("task_ms", "confab"), "ms")
            .target(10.0),
    );
    out.push(
        Metric::new("Confab's long tasks before interaction", median("/host/confab/long_tasks/median"), "count")
            .target(0.0),
    );
    out.push(
        Metric::new("Confab's layout shift before interaction", median("/host/confab/cls/median"), "score").target(0.0),
    );
    out.push(Metric::new(format!("{PEER}'s added main-thread time"), extra("task_ms", "peer"), "ms"));
    let ratio = extra("task_ms", "confab") / extra("task_ms", "peer");
    out.push(Metric::new("Confab's added main-thread time as a fraction of the peer's", ratio, "ratio"));
    out.push(Metric::new("Confab's added bytes before interaction", extra("bytes", "confab"), "B"));
    out.push(Metric::new(format!("{PEER}'s added bytes"), extra("bytes", "peer"), "B"));
    for mode in ["cold", "prefetched"] {
        let ready = median(&format!("/click/{mode}/ready_ms/median"));
        let message = median(&format!("/click/{mode}/message_ms/median"));
        let ready = Metric::new(format!("click → chat answering (typing shown), {mode}, median"), ready, "ms");
        out.push(if mode == "prefetched" { ready.target(150.0) } else { ready });
        out.push(Metric::new(
            format!("click → first bot message, {mode}, median (includes the demo's 400 ms typing delay)"),
            message,
            "ms",
        ));
    }
    Ok(out)
}

fn cold_apps_build() -> Result<f64> {
    let dir = project::target().join("bench/cold-target");
    let _ = std::fs::remove_dir_all(&dir);
    let started = Instant::now();
    project::run(project::cargo().env("CARGO_TARGET_DIR", &dir).args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "confab-widget",
        "-p",
        "confab-admin",
    ]))?;
    let secs = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(secs)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    format!("{cpu}, {cores} cores")
}

fn write_report(dir: &std::path::Path, metrics: &[Metric], notes: &[String], opts: BenchOptions) -> Result<()> {
    let list: Vec<Value> = metrics.iter().map(Metric::json).collect();
    std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(&list)?)?;
    let mut md = String::new();
    writeln!(md, "# Confab benchmark report\n")?;
    writeln!(md, "- machine: {}", machine())?;
    writeln!(
        md,
        "- run: {}",
        if opts.quick { "quick (`cargo xtask bench --quick`)" } else { "full (`cargo xtask bench`)" }
    )?;
    writeln!(md, "- peer: {PEER}")?;
    writeln!(md, "- absolute times vary between machines; compare ratios.\n")?;
    writeln!(md, "## Against the targets\n\n| what | value | target | |\n|---|---:|---:|---|")?;
    for m in metrics.iter().filter(|m| m.target.is_some()) {
        let mark = match m.ok() {
            Some(true) => "ok",
            Some(false) if m.higher_is_better => "**missed** (below)",
            Some(false) => "**over**",
            None => "not measured",
        };
        let bound = if m.higher_is_better { "≥" } else { "≤" };
        writeln!(md, "| {} | {} | {bound} {} | {mark} |", m.name, value(m.value, m.unit), value(m.target, m.unit))?;
    }
    writeln!(md, "\n## Everything measured\n\n| what | value |\n|---|---:|")?;
    for m in metrics {
        writeln!(md, "| {} | {} |", m.name, value(m.value, m.unit))?;
    }
    if !notes.is_empty() {
        writeln!(md, "\n## Notes\n")?;
        for n in notes {
            writeln!(md, "- {n}")?;
        }
    }
    writeln!(md, "\n![host-page cost](host-page.png)")?;
    std::fs::write(dir.join("report.md"), md)?;
    Ok(())
}

fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(x) if x.is_nan() => "—".into(),
        Some(x) if unit == "B" => format!("{x:.0} B"),
        Some(x) if unit == "count" => format!("{x:.0}"),
        Some(x) if unit == "score" || unit == "ratio" => format!("{x:.3}"),
        Some(x) => format!("{x:.1} {unit}"),
    }
}
