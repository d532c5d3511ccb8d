//! The wasm builds: widget and admin (cargo → wasm-bindgen → wasm-opt), the worker
//! (worker-build), and the `dist/` directory the edge serves as static assets.

use crate::project::{self, run};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// wasm-opt flags: size first, with the features current browsers and workerd support.
const WASM_OPT_FLAGS: [&str; 7] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds everything the edge serves and runs.
pub fn all() -> Result<()> {
    if std::env::var_os("CONFAB_SKIP_BUILD").is_some() {
        eprintln!("CONFAB_SKIP_BUILD is set: using the existing build");
        return Ok(());
    }
    apps()?;
    edge()?;
    Ok(())
}

/// Rust flags for every wasm build: the widget, the admin and the worker get the same ones,
/// so the crates they share are compiled once. The source paths that panic locations carry
/// lose their machine-specific prefixes (the registry's directories, the checkout, the
/// toolchain's source), so the shipped bytes are shorter (about 0.7 KB of the widget's
/// brotli'd wasm) and the same on every machine, whatever its paths: the size budgets check
/// the bytes CI ships.
fn wasm_rustflags() -> String {
    let mut prefixes: Vec<String> = std::fs::read_dir(project::cargo_home().join("registry/src"))
        .map(|dirs| dirs.filter_map(|d| d.ok()).map(|d| d.path().display().to_string()).collect())
        .unwrap_or_default();
    prefixes.sort();
    prefixes.push(project::root().display().to_string());
    if let Some(hash) = rustc_commit() {
        prefixes.push(format!("/rustc/{hash}"));
    }
    // One argument per flag (`CARGO_ENCODED_RUSTFLAGS` separates them with 0x1f), so a path
    // with spaces stays whole.
    prefixes.iter().map(|p| format!("--remap-path-prefix={p}/=")).collect::<Vec<_>>().join("\x1f")
}

/// The commit of the toolchain `rust-toolchain.toml` picks (its library sources are named
/// `/rustc/<commit>/…`).
fn rustc_commit() -> Option<String> {
    let out = Command::new("rustc").current_dir(project::root()).arg("-vV").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.lines().find_map(|l| l.strip_prefix("commit-hash: ")).map(str::to_owned)
}

/// Builds the widget and the admin into `dist/`.
pub fn apps() -> Result<()> {
    run(project::cargo().env("CARGO_ENCODED_RUSTFLAGS", wasm_rustflags()).args([
        "build",
        "--release",
        "--target",
        WASM_TARGET,
        "-p",
        "confab-widget",
        "-p",
        "confab-admin",
    ]))?;
    let dist = project::dist();
    std::fs::create_dir_all(&dist).context("creating dist/")?;
    bindgen("confab_widget", &dist.join("widget"), &WIDGET_WASM_OPT_FLAGS)?;
    bindgen("confab_admin", &dist.join("admin"), &[])?;
    // wasm-bindgen writes readable JS glue; minified, the widget's is about 2 KB (brotli)
    // smaller, and it is fetched when the chat opens. It is bundled from an entry that
    // re-exports only what the loader calls, so nothing else of the glue is kept.
    let glue = dist.join("widget/confab_widget.js");
    let entry = project::target().join("widget-glue-entry.js");
    std::fs::write(&entry, format!("export {{ default, mount, control }} from {:?};\n", glue.display().to_string()))
        .context("writing the glue's entry")?;
    run(Command::new(project::esbuild())
        .arg(&entry)
        .args(["--bundle", "--minify", "--format=esm", "--target=es2020", "--allow-overwrite", "--log-level=warning"])
        .arg(format!("--outfile={}", glue.display())))?;
    // The loader is hand-written; esbuild only minifies it.
    run(Command::new(project::esbuild()).args([
        project::root().join("widget/loader/widget.js").as_os_str(),
        "--minify".as_ref(),
        "--target=es2020".as_ref(),
        format!("--outfile={}", dist.join("widget.js").display()).as_ref(),
        "--log-level=warning".as_ref(),
    ]))?;
    copy_dir(&project::root().join("admin/static"), &dist.join("admin"))?;
    // The dialogue editor's live preview: a page of the edge's own that loads the real widget.
    copy_dir(&project::root().join("admin/preview"), &dist.join("preview"))?;
    std::fs::copy(project::root().join("edge/static/_headers"), dist.join("_headers")).context("copying _headers")?;
    Ok(())
}

/// More wasm-opt flags for the widget, whose size after opening has a budget: run the passes
/// until nothing shrinks any more, and let them use the lowest 1 KB of memory, which Rust's
/// wasm32 layout leaves to the bottom of the stack (the stack starts at 1 MB and grows
/// down, the data lies above it). Together about 1.4 KB of brotli'd wasm.
const WIDGET_WASM_OPT_FLAGS: [&str; 2] = ["--converge", "--low-memory-unused"];

/// wasm-bindgen, then wasm-opt with `more_wasm_opt_flags`.
fn bindgen(krate: &str, out: &Path, more_wasm_opt_flags: &[&str]) -> Result<()> {
    let wasm = project::target().join(WASM_TARGET).join("release").join(format!("{krate}.wasm"));
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    run(Command::new(project::cargo_bin().join("wasm-bindgen"))
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--remove-name-section",
            "--remove-producers-section",
            "--out-dir",
        ])
        .arg(out)
        .arg(&wasm))?;
    let bg = out.join(format!("{krate}_bg.wasm"));
    run(Command::new(project::wasm_opt()).args(WASM_OPT_FLAGS).args(more_wasm_opt_flags).arg(&bg).arg("-o").arg(&bg))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        std::fs::copy(entry.path(), to.join(entry.file_name()))?;
    }
    Ok(())
}

/// Builds the worker with worker-build, offline: every helper it would download is given.
pub fn edge() -> Result<()> {
    run(Command::new(project::cargo_bin().join("worker-build"))
        .current_dir(project::root().join("edge"))
        .arg("--release")
        .env("CARGO_ENCODED_RUSTFLAGS", wasm_rustflags())
        .env("PATH", project::path_env())
        .env("WASM_BINDGEN_BIN", project::cargo_bin().join("wasm-bindgen"))
        .env("WASM_OPT_BIN", project::wasm_opt())
        .env("ESBUILD_BIN", project::esbuild()))
}
