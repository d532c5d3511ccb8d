//! Installs every tool the build and the tests need, pinned, when it is missing: the wasm32
//! target, wasm-bindgen-cli at exactly the `Cargo.lock` version, worker-build, the npm packages
//! of the committed `package-lock.json` (Node 22, wrangler, esbuild, binaryen, playwright-core),
//! for browser tests, Debian's Chromium, and for the CalDAV tests, Radicale from PyPI in a
//! virtual environment under `.tools/radicale` (every package pinned in
//! `xtask/radicale-requirements.txt`).

use crate::project::{self, output, run};
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// What to make sure of.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Chromium for browser tests.
    pub browser: bool,
    /// Radicale for the CalDAV tests.
    pub radicale: bool,
}

/// Installs whatever is missing.
pub fn ensure(needs: Needs) -> Result<()> {
    wasm_target()?;
    let lock = std::fs::read_to_string(project::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let bindgen = locked_version(&lock, "wasm-bindgen").context("wasm-bindgen is not in Cargo.lock")?;
    // wasm-bindgen-cli's own lock file names a crate version missing from the index, so it is
    // installed without --locked; the CLI version itself is exact.
    cargo_tool("wasm-bindgen", &format!("wasm-bindgen {bindgen}"), "wasm-bindgen-cli", &bindgen, false)?;
    let worker = locked_version(&lock, "worker").context("worker is not in Cargo.lock")?;
    cargo_tool("worker-build", &worker, "worker-build", &worker, true)?;
    npm_packages()?;
    if needs.browser {
        chromium()?;
    }
    if needs.radicale {
        radicale()?;
    }
    Ok(())
}

/// The version of `name` recorded in a `Cargo.lock`.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let len = lock[start..].find('"')?;
    Some(lock[start..start + len].to_owned())
}

fn wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").current_dir(project::root()).args(["target", "list", "--installed"]))?;
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").current_dir(project::root()).args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

fn cargo_tool(bin: &str, expected: &str, krate: &str, version: &str, locked: bool) -> Result<()> {
    let path = project::cargo_bin().join(bin);
    let current = Command::new(&path)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if current.as_deref() == Some(expected) {
        return Ok(());
    }
    eprintln!("installing {krate} {version} (once per machine; takes a few minutes)");
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

fn npm_packages() -> Result<()> {
    let lock = project::root().join("package-lock.json");
    let stamp = project::node_modules().join(".confab-lock");
    let wanted = std::fs::read(&lock).context("reading package-lock.json")?;
    if std::fs::read(&stamp).ok().as_deref() == Some(&wanted[..]) && project::node().exists() {
        return Ok(());
    }
    run(Command::new("npm").current_dir(project::root()).args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))?;
    std::fs::write(&stamp, &wanted).context("writing node_modules stamp")?;
    Ok(())
}

/// The Chromium binary browser tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    if !is_root {
        bail!(
            "Chromium is missing: install Debian's package with `sudo apt-get install chromium`, then run this again"
        );
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get").env("DEBIAN_FRONTEND", "noninteractive").args(["install", "-y", "-qq", "chromium"]))
}

/// The Radicale server the CalDAV tests start (a real CalDAV server, installed from PyPI).
pub fn radicale_bin() -> std::path::PathBuf {
    project::root().join(".tools/radicale/bin/radicale")
}

fn radicale() -> Result<()> {
    let venv = project::root().join(".tools/radicale");
    let requirements = project::root().join("xtask/radicale-requirements.txt");
    let stamp = venv.join(".confab-requirements");
    let wanted = std::fs::read(&requirements).context("reading xtask/radicale-requirements.txt")?;
    if std::fs::read(&stamp).ok().as_deref() == Some(&wanted[..]) && radicale_bin().exists() {
        return Ok(());
    }
    eprintln!("installing Radicale (pinned, from PyPI) into .tools/radicale");
    run(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "--disable-pip-version-check", "--no-deps", "-r"])
        .arg(&requirements))?;
    std::fs::write(&stamp, &wanted).context("writing the Radicale stamp")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"worker\"\nversion = \"0.8.7\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "worker").as_deref(), Some("0.8.7"));
        assert_eq!(locked_version(lock, "leptos"), None);
    }
}
