//! The end-to-end harness: [`TestApp`] starts the real edge (`wrangler dev` on workerd) on a
//! free port with a fresh D1 / Durable Object state directory, seeded with the demo data,
//! and stops it when dropped. HTTP helpers speak the widget and admin APIs as a browser would.
//!
//! These tests need the wasm builds; `cargo xtask test` builds first and then runs them.

pub mod fake_google;
pub mod fake_http;
pub mod fake_marketo;
pub mod fake_microsoft;
pub mod fake_oauth;
pub mod radicale;

use anyhow::{Context, Result, bail};
use confab_xtask::demo_host::DemoHost;
use confab_xtask::wrangler::{DevOptions, DevServer, free_port};
use confab_xtask::{prepare_state, project};
use serde_json::Value;
use std::path::PathBuf;

/// The origin the demo site allows by default; tests send it as a browser on the demo page would.
pub const DEMO_ORIGIN: &str = "http://127.0.0.1:8080";

/// A running edge with its own state.
pub struct TestApp {
    server: Option<DevServer>,
    /// The state directory (D1 and Durable Objects).
    pub persist: PathBuf,
    /// Where wrangler's output goes.
    pub log: PathBuf,
    /// The seeded admin's password.
    pub admin_password: String,
    /// The demo host page, when started with [`TestApp::with_demo_host`].
    pub demo: Option<DemoHost>,
    port: u16,
    vars: Vec<(String, String)>,
}

/// A response: status and parsed JSON body (`Value::Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub json: Value,
    /// `Set-Cookie`, if any.
    pub set_cookie: Option<String>,
    /// `Access-Control-Allow-Origin`, if any.
    pub allow_origin: Option<String>,
    /// `Retry-After`, if any.
    pub retry_after: Option<String>,
}

impl Reply {
    /// `error.code` of an error envelope.
    pub fn error_code(&self) -> Option<&str> {
        self.json.pointer("/error/code").and_then(Value::as_str)
    }
}

fn ensure_built() -> Result<()> {
    for artifact in ["dist/widget.js", "dist/admin/index.html", "edge/build/index.js"] {
        if !project::root().join(artifact).exists() {
            bail!("{artifact} is missing: run the end-to-end tests through `cargo xtask test`, which builds first");
        }
    }
    Ok(())
}

impl TestApp {
    /// Starts an edge for the test `name` with a fresh state.
    pub fn start(name: &str) -> Result<Self> {
        Self::launch(name, false, None)
    }

    /// Like [`TestApp::start`], plus the demo host page on a free port, allowed to embed the widget.
    pub fn with_demo_host(name: &str) -> Result<Self> {
        Self::launch(name, true, None)
    }

    /// Like [`TestApp::start`], with `sql` run against the seeded database before the edge starts.
    pub fn with_sql(name: &str, sql: &str) -> Result<Self> {
        Self::launch(name, false, Some(sql))
    }

    /// Like [`TestApp::start`], connected to `marketo` (a fake Marketo on loopback), with
    /// extra Worker variables such as `("MARKETO_BACKOFF_MS", "50")` to compress time.
    pub fn with_marketo(name: &str, marketo: &fake_marketo::FakeMarketo, tuning: &[(&str, &str)]) -> Result<Self> {
        let vars = confab_xtask::marketo_fake::connection_vars(
            &marketo.url(),
            &marketo.client_id(),
            &marketo.client_secret(),
            tuning,
        );
        Self::launch_with(name, false, None, vars)
    }

    /// Like [`TestApp::with_sql`] (when `sql` is given), with extra Worker variables (calendar
    /// apps pointing at fakes, shorter timeouts).
    pub fn with_vars(name: &str, sql: Option<&str>, vars: &[(&str, &str)]) -> Result<Self> {
        let vars = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Self::launch_with(name, false, sql, vars)
    }

    fn launch(name: &str, demo: bool, sql: Option<&str>) -> Result<Self> {
        Self::launch_with(name, demo, sql, Vec::new())
    }

    fn launch_with(name: &str, demo: bool, sql: Option<&str>, vars: Vec<(String, String)>) -> Result<Self> {
        ensure_built()?;
        let dir = project::target().join("e2e").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let persist = dir.join("state");
        let port = free_port()?;
        let edge = format!("http://127.0.0.1:{port}");
        let host = if demo { Some(DemoHost::start(0, &edge, "demo")?) } else { None };
        let extra: Vec<String> = host.iter().map(|h| format!("http://127.0.0.1:{}", h.port)).collect();
        let admin_password = confab_xtask::seed::random_password()?;
        prepare_state(&persist, &admin_password, &extra).context("preparing D1 state")?;
        if let Some(sql) = sql {
            let file = dir.join("extra.sql");
            std::fs::write(&file, sql)?;
            confab_xtask::wrangler::execute(&persist, &file)?;
        }
        let mut app =
            TestApp { server: None, persist, log: dir.join("wrangler.log"), admin_password, demo: host, port, vars };
        app.boot()?;
        Ok(app)
    }

    /// Starts the edge; if another process took the port between choosing and binding it
    /// (tests run in parallel, and workerd binds ports of its own), tries another port.
    fn boot(&mut self) -> Result<()> {
        for attempt in 1..=3 {
            let started = DevServer::start(&DevOptions {
                persist: &self.persist,
                port: self.port,
                log: Some(&self.log),
                build: false,
                own_group: true,
                vars: &self.vars,
            });
            match started {
                Ok(server) => {
                    self.server = Some(server);
                    return Ok(());
                }
                // The demo page names the edge's port, so only an edge without one may move.
                Err(e)
                    if attempt < 3
                        && self.demo.is_none()
                        && std::fs::read_to_string(&self.log).is_ok_and(|l| l.contains("Address already in use")) =>
                {
                    eprintln!("port {} was taken ({e}); trying another", self.port);
                    self.port = free_port()?;
                }
                Err(e) => return Err(e),
            }
        }
        bail!("could not start the edge")
    }

    /// Stops the edge and starts it again on the same state and port.
    pub fn restart(&mut self) -> Result<()> {
        if let Some(mut server) = self.server.take() {
            server.stop();
        }
        self.boot()
    }

    /// The edge's base URL.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `GET path` with an optional `Origin` and cookie.
    pub fn get(&self, path: &str, origin: Option<&str>, cookie: Option<&str>) -> Result<Reply> {
        let mut req = ureq::get(&format!("{}{path}", self.base()));
        if let Some(o) = origin {
            req = req.set("Origin", o);
        }
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        reply(req.call())
    }

    /// `POST path` with a raw body, optional `Origin` and cookie.
    pub fn post(&self, path: &str, body: &str, origin: Option<&str>, cookie: Option<&str>) -> Result<Reply> {
        let mut req = ureq::post(&format!("{}{path}", self.base())).set("Content-Type", "application/json");
        if let Some(o) = origin {
            req = req.set("Origin", o);
        }
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        reply(req.send_string(body))
    }

    /// `method path` with an optional JSON body and a cookie (an admin call).
    pub fn call(&self, method: &str, path: &str, body: Option<&str>, cookie: Option<&str>) -> Result<Reply> {
        let mut req = ureq::request(method, &format!("{}{path}", self.base()));
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        match body {
            Some(body) => reply(req.set("Content-Type", "application/json").send_string(body)),
            None => reply(req.call()),
        }
    }

    /// `PUT path` with a raw body and a cookie (an admin write).
    pub fn put(&self, path: &str, body: &str, cookie: Option<&str>) -> Result<Reply> {
        let mut req = ureq::put(&format!("{}{path}", self.base())).set("Content-Type", "application/json");
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        reply(req.send_string(body))
    }

    /// `DELETE path` with a cookie.
    pub fn delete(&self, path: &str, cookie: Option<&str>) -> Result<Reply> {
        let mut req = ureq::delete(&format!("{}{path}", self.base()));
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        reply(req.call())
    }

    /// Free slot starts of the demo site for the next `days` days, in UTC.
    pub fn slot_starts(&self, days: u32) -> Result<Vec<String>> {
        let r = self.get(&format!("/api/v1/sites/demo/slots?days={days}&tz=UTC"), Some(DEMO_ORIGIN), None)?;
        if r.status != 200 {
            bail!("slots answered {}: {}", r.status, r.json);
        }
        Ok(r.json["slots"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s["start"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    }

    /// Books `start` for `email` on the demo site.
    pub fn book(&self, start: &str, email: &str) -> Result<Reply> {
        let body = serde_json::json!({ "start": start, "email": email }).to_string();
        self.post("/api/v1/sites/demo/bookings", &body, Some(DEMO_ORIGIN), None)
    }

    /// Books `start` for `email` with an `Idempotency-Key`.
    pub fn book_with_key(&self, start: &str, email: &str, key: &str) -> Result<Reply> {
        let body = serde_json::json!({ "start": start, "email": email }).to_string();
        reply(
            ureq::post(&format!("{}/api/v1/sites/demo/bookings", self.base()))
                .set("Content-Type", "application/json")
                .set("Origin", DEMO_ORIGIN)
                .set("Idempotency-Key", key)
                .send_string(&body),
        )
    }

    /// Signs the demo admin in and returns the `name=value` session cookie.
    pub fn sign_in(&self) -> Result<String> {
        let body = serde_json::json!({ "email": "admin@demo.test", "password": self.admin_password }).to_string();
        let r = self.post("/api/admin/v1/session", &body, None, None)?;
        if r.status != 204 {
            bail!("sign-in answered {}: {}", r.status, r.json);
        }
        let cookie = r.set_cookie.context("no session cookie")?;
        Ok(cookie.split(';').next().unwrap_or_default().to_owned())
    }

    /// Runs the Playwright script `tests/browser/<script>` (Debian's Chromium, headless) against
    /// this edge and its demo host site, with the demo admin's credentials, a screenshot folder
    /// (`target/e2e/screenshots`) and `vars`; fails with the script's output and the edge log's
    /// path. Returns what the script printed.
    pub fn browse(&self, script: &str, vars: &[(&str, &str)]) -> Result<String> {
        let demo = self.demo.as_ref().map(|d| d.url()).unwrap_or_default();
        let shots = project::target().join("e2e/screenshots");
        std::fs::create_dir_all(&shots)?;
        let output = std::process::Command::new(project::node())
            .arg(project::root().join("tests/browser").join(script))
            .current_dir(project::root())
            .env("DEMO_URL", &demo)
            .env("EDGE_URL", self.base())
            .env("ADMIN_EMAIL", "admin@demo.test")
            .env("ADMIN_PASSWORD", &self.admin_password)
            .env("SCREENSHOTS", &shots)
            .env("CHROMIUM", confab_xtask::install::CHROMIUM)
            .envs(vars.iter().copied())
            .output()?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        println!("{stdout}");
        if !output.status.success() {
            bail!(
                "{script} {vars:?} failed ({}):\n{stdout}\n{stderr}\nedge log: {}",
                output.status,
                self.log.display()
            );
        }
        Ok(stdout)
    }
}

/// Reads a ureq outcome into a [`Reply`]: any HTTP status is an answer.
pub fn reply(result: Result<ureq::Response, ureq::Error>) -> Result<Reply> {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.into()),
    };
    let status = response.status();
    let set_cookie = response.header("Set-Cookie").map(str::to_owned);
    let allow_origin = response.header("Access-Control-Allow-Origin").map(str::to_owned);
    let retry_after = response.header("Retry-After").map(str::to_owned);
    let text = response.into_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Reply { status, json, set_cookie, allow_origin, retry_after })
}
