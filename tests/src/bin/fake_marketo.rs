//! `fake-marketo`: the fake Marketo REST API of `confab_e2e::fake_marketo` as a process of its
//! own, for `cargo xtask dev --marketo-fake` and the benchmarks. It listens on loopback only,
//! prints one line when ready,
//!
//! ```text
//! FAKE_MARKETO_URL=http://127.0.0.1:PORT client_id=ID client_secret=SECRET
//! ```
//!
//! and runs until its standard input closes or it is killed. Its control endpoints under
//! `/__fake/` are on (see `FakeMarketoConfig::control_endpoints`).

use anyhow::{Context, Result, bail};
use confab_e2e::fake_marketo::{FakeMarketo, FakeMarketoConfig};
use std::io::{self, Write};
use std::time::Duration;

const USAGE: &str = "\
usage: fake-marketo [options]

  --port P               loopback port to listen on (0, the default, picks a free one)
  --leads N              synthetic leads, ids 1..=N (default 0)
  --corrupt-every K      damage the export row of every K-th synthetic lead (default 0: none)
  --rate-calls N         calls allowed per rate window (default 100)
  --rate-window-ms MS    the rate window (default 20000)
  --token-lifetime-s S   access token lifetime (default 3600)
  --client-id ID         accepted client id (default fake-client-id)
  --client-secret S      accepted client secret (default fake-client-secret)

Prints `FAKE_MARKETO_URL=http://127.0.0.1:PORT client_id=.. client_secret=..` when ready and
runs until stdin closes or the process is killed. Control endpoints: /__fake/expectation,
/__fake/advance-clock, /__fake/expire-tokens, /__fake/finish-exports, /__fake/inject.";

fn main() -> Result<()> {
    let Some(config) = parse(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let marketo = FakeMarketo::start(config)?;
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "FAKE_MARKETO_URL={} client_id={} client_secret={}",
        marketo.url(),
        marketo.client_id(),
        marketo.client_secret()
    )?;
    stdout.flush()?;
    drop(stdout);
    // Serves until stdin reaches its end: the parent closed it or went away.
    let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
    drop(marketo);
    Ok(())
}

/// The configuration the arguments ask for, or `None` for `--help`.
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<FakeMarketoConfig>> {
    let mut config = FakeMarketoConfig::default().control_endpoints(true);
    let (mut rate_calls, mut rate_window_ms) = (100, 20_000);
    let (mut client_id, mut client_secret) = ("fake-client-id".to_owned(), "fake-client-secret".to_owned());
    while let Some(flag) = args.next() {
        if matches!(flag.as_str(), "-h" | "--help") {
            return Ok(None);
        }
        let value = args.next().with_context(|| format!("{flag} needs a value\n\n{USAGE}"))?;
        let number = || value.parse::<u64>().with_context(|| format!("{flag} {value}: not a whole number"));
        match flag.as_str() {
            "--port" => config = config.port(u16::try_from(number()?).context("--port: at most 65535")?),
            "--leads" => config = config.synthetic_leads(number()?),
            "--corrupt-every" => config = config.corrupt_rows(number()?),
            "--rate-calls" => rate_calls = usize::try_from(number()?)?,
            "--rate-window-ms" => rate_window_ms = number()?,
            "--token-lifetime-s" => config = config.token_lifetime(Duration::from_secs(number()?)),
            "--client-id" => client_id = value,
            "--client-secret" => client_secret = value,
            other => bail!("unknown option {other}\n\n{USAGE}"),
        }
    }
    let config =
        config.rate_limit(rate_calls, Duration::from_millis(rate_window_ms)).client(&client_id, &client_secret);
    Ok(Some(config))
}
