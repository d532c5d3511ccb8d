//! Running the real Workers runtime locally: D1 migrations, SQL files, and `wrangler dev`
//! as a child process in its own process group, stopped (with everything it started) on drop.

use crate::project::{self, run};
use anyhow::{Context, Result, bail};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The D1 database name in `wrangler.toml`.
pub const DATABASE: &str = "confab";

/// `node wrangler.js` with the environment that keeps wrangler offline and its state local.
pub fn command() -> Command {
    let mut cmd = Command::new(project::node());
    cmd.arg(project::wrangler_js())
        .current_dir(project::root())
        .env("PATH", project::path_env())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("XDG_CONFIG_HOME", project::root().join(".wrangler/config"))
        .stdin(Stdio::null());
    cmd
}

/// Applies the D1 migrations to the local database in `persist`.
pub fn migrate(persist: &Path) -> Result<()> {
    run(command().args(["d1", "migrations", "apply", DATABASE, "--local", "--persist-to"]).arg(persist))
}

/// Runs the SQL in `file` against the local database in `persist`.
pub fn execute(persist: &Path, file: &Path) -> Result<()> {
    run(command().args(["d1", "execute", DATABASE, "--local", "--persist-to"]).arg(persist).arg("--file").arg(file))
}

/// A free TCP port on loopback, below Linux's ephemeral range (32768–60999) so that ports
/// the runtime binds for itself (`:0`) cannot take it between now and `wrangler dev`'s bind,
/// and never the same port twice in one process.
pub fn free_port() -> Result<u16> {
    static HANDED_OUT: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
            ^ std::process::id();
    let mut handed_out = HANDED_OUT.lock().map_err(|_| anyhow::anyhow!("port registry poisoned"))?;
    for i in 0..12_000u32 {
        let port = 20_000 + ((seed.wrapping_add(i.wrapping_mul(7919))) % 12_000) as u16;
        if !handed_out.contains(&port) && TcpListener::bind(("127.0.0.1", port)).is_ok() {
            handed_out.push(port);
            return Ok(port);
        }
    }
    bail!("no free port on 127.0.0.1 between 20000 and 32000")
}

/// The HTTP status of `GET path` on `127.0.0.1:port`, if anything answers.
pub fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// A running `wrangler dev`.
pub struct DevServer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Where its output goes.
    pub log: PathBuf,
    own_group: bool,
}

/// How to start a [`DevServer`].
pub struct DevOptions<'a> {
    /// D1 and Durable Object state directory.
    pub persist: &'a Path,
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Log file for wrangler's output (`None`: inherit the terminal).
    pub log: Option<&'a Path>,
    /// Whether wrangler may run the build command (false: use the existing build).
    pub build: bool,
    /// Whether to start wrangler in a process group of its own, so that [`DevServer::stop`]
    /// stops everything it started. `false` for an interactive run, where Ctrl-C in the
    /// terminal must reach wrangler directly.
    pub own_group: bool,
    /// Worker variables (`--var NAME:VALUE`), e.g. the Marketo connection of a fake.
    pub vars: &'a [(String, String)],
}

impl DevServer {
    /// Starts `wrangler dev` and waits until `/healthz` answers 200.
    pub fn start(opts: &DevOptions<'_>) -> Result<Self> {
        let mut cmd = command();
        cmd.args(["dev", "--ip", "127.0.0.1", "--port", &opts.port.to_string(), "--local"])
            .args(["--show-interactive-dev-session=false", "--inspector-port", "0", "--persist-to"])
            .arg(opts.persist);
        if opts.own_group {
            cmd.process_group(0);
        }
        if !opts.build {
            cmd.env("CONFAB_SKIP_BUILD", "1");
        }
        for (name, value) in opts.vars {
            cmd.arg("--var").arg(format!("{name}:{value}"));
        }
        let log = opts.log.map(Path::to_path_buf).unwrap_or_default();
        if let Some(path) = opts.log {
            let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
            cmd.stdout(file.try_clone()?).stderr(file);
        }
        let child = cmd.spawn().context("starting wrangler dev")?;
        let mut server = DevServer { child, port: opts.port, log, own_group: opts.own_group };
        server.wait_ready(Duration::from_secs(if opts.build { 600 } else { 90 }))?;
        Ok(server)
    }

    fn wait_ready(&mut self, limit: Duration) -> Result<()> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait()? {
                bail!("wrangler dev exited ({status}) before it was ready; see {}", self.log.display());
            }
            if get_status(self.port, "/healthz") == Some(200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("wrangler dev was not ready within {limit:?}; see {}", self.log.display())
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops wrangler and everything it started (its whole process group).
    pub fn stop(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        let group = format!("-{}", self.child.id());
        // Without a group of its own, signal wrangler alone; it stops its runtime itself.
        let group = if self.own_group { group } else { self.child.id().to_string() };
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }

    /// Waits until wrangler exits by itself (Ctrl-C in the terminal).
    pub fn wait(&mut self) -> Result<()> {
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.stop();
    }
}
