//! `cargo xtask`: the only build entry point.
//!
//! - `cargo xtask dev`: install what is missing, build, seed the demo, serve edge and demo page.
//! - `cargo xtask test`: everything that proves the project works.
//! - `cargo xtask build`: the wasm builds and the size report (wrangler's build command).
//! - `cargo xtask bench [--quick]`: measurements against the budgets and a peer widget.
//! - `cargo xtask wrangler …`: the pinned wrangler on the pinned Node, for deploying.

use anyhow::{Context, Result, bail};
use confab_xtask::{bench, build, demo_host, install, marketo_fake, prepare_state, project, seed, sizes, wrangler};

const USAGE: &str = "usage:
  cargo xtask dev [--port N] [--demo-port N] [--admin-password PW] [--marketo-fake [--marketo-leads N]]
  cargo xtask test
  cargo xtask build
  cargo xtask bench [--quick | --ingest N]
  cargo xtask wrangler ARGS…   (the pinned wrangler, on Node 22, e.g. `d1 create confab`)";

fn main() {
    if let Err(e) = real_main() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dev") => dev(&args[1..]),
        Some("test") => test(),
        Some("build") => build_command(),
        Some("bench") => match &args[1..] {
            [] => bench::run(bench::BenchOptions { quick: false }),
            [q] if q == "--quick" => bench::run(bench::BenchOptions { quick: true }),
            [flag, n] if flag == "--ingest" => bench::ingest_only(n.parse().context("--ingest needs a lead count")?),
            _ => bail!("{USAGE}"),
        },
        Some("wrangler") => {
            install::ensure(install::Needs { browser: false, radicale: false })?;
            project::run(wrangler::command().args(&args[1..]))
        }
        _ => bail!("{USAGE}"),
    }
}

/// A marker telling the next `cargo xtask build` (run by wrangler at start) that xtask has
/// just built everything; later builds (on file changes) run normally.
fn skip_marker() -> std::path::PathBuf {
    project::target().join(".confab-skip-next-build")
}

fn build_command() -> Result<()> {
    if std::fs::remove_file(skip_marker()).is_ok() {
        eprintln!("xtask built everything just now; skipping this build");
        return Ok(());
    }
    if std::env::var_os("CONFAB_SKIP_BUILD").is_some() {
        return build::all();
    }
    install::ensure(install::Needs { browser: false, radicale: false })?;
    build::all()?;
    sizes::report()?;
    Ok(())
}

fn flag(args: &[String], name: &str) -> Result<Option<String>> {
    match args.iter().position(|a| a == name) {
        Some(i) => args.get(i + 1).cloned().map(Some).with_context(|| format!("{name} needs a value")),
        None => Ok(None),
    }
}

fn dev(args: &[String]) -> Result<()> {
    let with_value = ["--port", "--demo-port", "--admin-password", "--marketo-leads"];
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--marketo-fake" => i += 1,
            name if with_value.contains(&name) => i += 2,
            unknown => bail!("unknown option {unknown}\n{USAGE}"),
        }
    }
    let fake = args.iter().any(|a| a == "--marketo-fake");
    let leads = flag(args, "--marketo-leads")?.unwrap_or_else(|| "100000".into());
    if leads.parse::<u64>().is_err() {
        bail!("--marketo-leads must be a number");
    }
    let port: u16 = flag(args, "--port")?.map_or(Ok(8787), |p| p.parse()).context("--port must be a port number")?;
    let demo_port: u16 =
        flag(args, "--demo-port")?.map_or(Ok(8080), |p| p.parse()).context("--demo-port must be a port number")?;
    let password = match flag(args, "--admin-password")?.or_else(|| std::env::var("CONFAB_ADMIN_PASSWORD").ok()) {
        Some(p) if p.len() >= 8 => p,
        Some(_) => bail!("the admin password must be at least 8 characters"),
        None => seed::random_password()?,
    };
    install::ensure(install::Needs { browser: false, radicale: false })?;
    build::all()?;
    sizes::report()?;
    let persist = project::root().join(".wrangler/state");
    let extra = if demo_port == 8080 {
        vec![]
    } else {
        vec![format!("http://127.0.0.1:{demo_port}"), format!("http://localhost:{demo_port}")]
    };
    prepare_state(&persist, &password, &extra)?;
    std::fs::write(skip_marker(), b"").context("writing the build marker")?;
    let edge = format!("http://127.0.0.1:{port}");
    let host = demo_host::DemoHost::start(demo_port, &edge, confab_domain::demo::SITE)
        .with_context(|| format!("cannot serve the demo page on port {demo_port}"))?;
    let marketo = if fake {
        eprintln!("starting the fake Marketo with {leads} synthetic leads …");
        Some(marketo_fake::FakeMarketoProcess::start(&["--leads", &leads])?)
    } else {
        None
    };
    let vars = marketo.as_ref().map(|m| m.vars(&[])).unwrap_or_default();
    eprintln!("starting the edge (wrangler dev) …");
    let mut server = wrangler::DevServer::start(&wrangler::DevOptions {
        vars: &vars,
        persist: &persist,
        port,
        log: None,
        build: true,
        own_group: false,
    })?;
    println!();
    println!("  Confab is running.");
    println!("  Demo host page (visitor view):  {}", host.url());
    println!("  Edge:                           {edge}");
    println!("  Admin:                          {edge}/admin/");
    println!("      sign in as {} with password {password}", confab_domain::demo::ADMIN_EMAIL);
    if let Some(m) = &marketo {
        println!("  Fake Marketo:                   {} ({leads} leads; start a sync in the admin)", m.url);
    }
    println!("  Ctrl-C stops everything.");
    println!();
    server.wait()
}

fn test() -> Result<()> {
    install::ensure(install::Needs { browser: true, radicale: true })?;
    project::run(project::cargo().args(["fmt", "--all", "--", "--check"]))?;
    project::run(project::cargo().args([
        "clippy",
        "-p",
        "confab-domain",
        "-p",
        "confab-xtask",
        "-p",
        "confab-e2e",
        "--features",
        "confab-domain/marketo,confab-domain/calendar",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    project::run(project::cargo().args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "confab-edge",
        "-p",
        "confab-widget",
        "-p",
        "confab-admin",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut counts = project::TestCounts::default();
    project::run_tests(
        project::cargo().args([
            "test",
            "-p",
            "confab-domain",
            "-p",
            "confab-xtask",
            "-p",
            "confab-admin",
            "--features",
            "confab-domain/marketo,confab-domain/calendar",
        ]),
        &mut counts,
    )?;
    build::all()?;
    sizes::report()?;
    dry_run_deploy()?;
    project::run_tests(project::cargo().args(["test", "-p", "confab-e2e", "--", "--test-threads", "2"]), &mut counts)?;
    println!("all checks passed");
    // The plain summary line CI reads: every test of the run, native and end-to-end.
    println!("{} passed, {} failed", counts.passed, counts.failed);
    Ok(())
}

/// `wrangler deploy --dry-run`: the production bundle builds offline; report it against the limit.
fn dry_run_deploy() -> Result<()> {
    let out = project::target().join("deploy-dry-run");
    let _ = std::fs::remove_dir_all(&out);
    project::run(
        wrangler::command().env("CONFAB_SKIP_BUILD", "1").args(["deploy", "--dry-run", "--outdir"]).arg(&out),
    )?;
    let mut total_gzip = 0;
    for entry in std::fs::read_dir(&out).context("reading the dry-run output")? {
        let path = entry?.path();
        if path.is_file() {
            let s = sizes::measure(&path)?;
            println!("deploy bundle {:<40} raw {:>9}  gzip {:>9}", s.name, s.raw, s.gzip);
            total_gzip += s.gzip;
        }
    }
    println!("deploy bundle total gzip {total_gzip} B of Cloudflare's {} B free-plan limit", sizes::WORKER_FREE_LIMIT);
    if total_gzip > sizes::WORKER_FREE_LIMIT {
        bail!("the worker bundle is over Cloudflare's size limit");
    }
    Ok(())
}
