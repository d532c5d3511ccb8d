//! Confab's build, as a library so the end-to-end tests share its pieces: tool installation,
//! wasm builds and size budgets, local D1 state, `wrangler dev`, and the demo host page.
//! The `cargo xtask` binary (`main.rs`) strings these into the project's commands.

pub mod bench;
pub mod build;
pub mod demo_host;
pub mod install;
pub mod marketo_fake;
pub mod project;
pub mod seed;
pub mod sizes;
pub mod wrangler;

use anyhow::{Context, Result};
use std::path::Path;

/// Creates or updates the local D1 database in `persist`: migrations, then the demo data with
/// `admin_password` and any `extra_origins` allowed to embed the demo widget.
pub fn prepare_state(persist: &Path, admin_password: &str, extra_origins: &[String]) -> Result<()> {
    std::fs::create_dir_all(persist).with_context(|| format!("creating {}", persist.display()))?;
    wrangler::migrate(persist)?;
    let salt = seed::random_bytes(16)?;
    let now = format!("{}Z", iso_now().trim_end_matches('Z'));
    let link_secret = confab_domain::auth::hex(&seed::random_bytes(32)?);
    let sql = seed::sql(&seed::SeedOptions {
        admin_password,
        salt: &salt,
        extra_origins,
        now: &now,
        link_secret: &link_secret,
    });
    let file = persist.join("seed.sql");
    std::fs::write(&file, sql).context("writing seed.sql")?;
    wrangler::execute(persist, &file)?;
    std::fs::remove_file(&file).context("removing seed.sql")?;
    Ok(())
}

/// The current UTC time as RFC 3339, from the system clock (xtask is not the pure core).
fn iso_now() -> String {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default().to_rfc3339()
}
