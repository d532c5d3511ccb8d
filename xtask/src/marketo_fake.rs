//! The fake Marketo (`tests/src/bin/fake_marketo.rs`) as a child process, for
//! `cargo xtask dev --marketo-fake` and the ingest benchmark: built with cargo, started on a
//! free loopback port, stopped when dropped (its standard input closes and it is killed).

use crate::project;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Twenty standard fields every synthetic lead fills (`mobilePhone` is sometimes `null`).
pub const SYNTHETIC_FIELDS: [&str; 20] = [
    "id",
    "email",
    "firstName",
    "lastName",
    "company",
    "title",
    "phone",
    "mobilePhone",
    "leadSource",
    "leadStatus",
    "leadScore",
    "industry",
    "numberOfEmployees",
    "annualRevenue",
    "website",
    "city",
    "state",
    "country",
    "createdAt",
    "updatedAt",
];

/// A running fake Marketo.
pub struct FakeMarketoProcess {
    child: Child,
    /// REST base URL.
    pub url: String,
    /// OAuth client id it accepts.
    pub client_id: String,
    /// OAuth client secret it accepts.
    pub client_secret: String,
}

impl FakeMarketoProcess {
    /// Builds (release, for speed) and starts the fake with `args` (e.g. `--leads 100000`).
    pub fn start(args: &[&str]) -> Result<Self> {
        project::run(project::cargo().args(["build", "--release", "-q", "-p", "confab-e2e", "--bin", "fake-marketo"]))?;
        let binary = project::target().join("release").join("fake-marketo");
        let mut child = Command::new(&binary)
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout from the fake Marketo")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let field = |name: &str| {
            line.split_whitespace().find_map(|part| part.strip_prefix(name)).map(str::to_owned).unwrap_or_default()
        };
        let (url, client_id, client_secret) =
            (field("FAKE_MARKETO_URL="), field("client_id="), field("client_secret="));
        if url.is_empty() {
            let _ = child.kill();
            bail!("the fake Marketo did not say where it listens (it printed {line:?})");
        }
        Ok(FakeMarketoProcess { child, url, client_id, client_secret })
    }

    /// The Worker variables that connect the edge to this fake, plus `tuning`.
    pub fn vars(&self, tuning: &[(&str, &str)]) -> Vec<(String, String)> {
        connection_vars(&self.url, &self.client_id, &self.client_secret, tuning)
    }
}

/// The Worker variables that connect the edge to a (fake) Marketo at `url`, plus `tuning`
/// such as `("MARKETO_BACKOFF_MS", "50")`.
pub fn connection_vars(
    url: &str,
    client_id: &str,
    client_secret: &str,
    tuning: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut vars = vec![
        ("MARKETO_ENDPOINT".to_owned(), url.to_owned()),
        ("MARKETO_IDENTITY".to_owned(), format!("{url}/identity")),
        ("MARKETO_CLIENT_ID".to_owned(), client_id.to_owned()),
        ("MARKETO_CLIENT_SECRET".to_owned(), client_secret.to_owned()),
    ];
    vars.extend(tuning.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    vars
}

impl Drop for FakeMarketoProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
