//! Size report: raw, gzip and brotli bytes of every shipped artifact, checked against the
//! budgets in PRODUCT.md. Bytes are deterministic, so a budget overrun fails the build.

use crate::project;
use anyhow::{Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Sizes of one file.
#[derive(Debug, Clone)]
pub struct Sizes {
    /// Path relative to the repository root.
    pub name: String,
    /// Uncompressed bytes.
    pub raw: usize,
    /// gzip -9 bytes.
    pub gzip: usize,
    /// brotli quality 11 bytes.
    pub brotli: usize,
}

/// Measures `path`.
pub fn measure(path: &Path) -> Result<Sizes> {
    let bytes = std::fs::read(path)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    let gzip = gz.finish()?.len();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut &bytes[..],
        &mut br,
        &brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() },
    )?;
    let name = path.strip_prefix(project::root()).unwrap_or(path).display().to_string();
    Ok(Sizes { name, raw: bytes.len(), gzip, brotli: br.len() })
}

/// Loader budget: brotli bytes of `widget.js`.
pub const LOADER_BUDGET: usize = 4 * 1024;
/// Bytes before the visitor opens the chat (only the loader is fetched).
pub const BEFORE_OPEN_BUDGET: usize = 6 * 1024;
/// Bytes fetched on first open: widget wasm and JS glue (the chat's CSS is inside the wasm).
pub const AFTER_OPEN_BUDGET: usize = 60 * 1024;
/// Cloudflare's compressed Worker size limit on the free plan.
pub const WORKER_FREE_LIMIT: usize = 3 * 1024 * 1024;

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// Prints the size table of `dist/` and the worker and fails when a budget is exceeded.
pub fn report() -> Result<Vec<Sizes>> {
    let dist = project::dist();
    let mut all = vec![measure(&dist.join("widget.js"))?];
    let widget: Vec<Sizes> = files_in(&dist.join("widget")).iter().map(|p| measure(p)).collect::<Result<_>>()?;
    let admin: Vec<Sizes> = files_in(&dist.join("admin")).iter().map(|p| measure(p)).collect::<Result<_>>()?;
    let edge_build = project::root().join("edge/build");
    let worker: Vec<Sizes> = [edge_build.join("index.js"), edge_build.join("index_bg.wasm")]
        .iter()
        .map(|p| measure(p))
        .collect::<Result<_>>()?;
    all.extend(widget.iter().cloned());
    all.extend(admin.iter().cloned());
    all.extend(worker.iter().cloned());
    println!("{:<44} {:>10} {:>10} {:>10}", "artifact", "raw", "gzip", "brotli");
    for s in &all {
        println!("{:<44} {:>10} {:>10} {:>10}", s.name, s.raw, s.gzip, s.brotli);
    }
    let loader = all[0].brotli;
    let after_open: usize = widget.iter().map(|s| s.brotli).sum();
    let worker_gzip: usize = worker.iter().map(|s| s.gzip).sum();
    // (what, bytes, budget); every one is enforced.
    let checks = [
        ("loader (widget.js), brotli", loader, LOADER_BUDGET),
        ("before the chat is opened, brotli", loader, BEFORE_OPEN_BUDGET),
        ("after first open (widget wasm + glue), brotli", after_open, AFTER_OPEN_BUDGET),
        ("worker bundle, gzip (Cloudflare free-plan limit)", worker_gzip, WORKER_FREE_LIMIT),
    ];
    let mut over = Vec::new();
    for (what, bytes, budget) in checks {
        let mark = if bytes <= budget { "ok" } else { "OVER" };
        println!("{what:<52} {bytes:>9} B  budget {budget:>9} B  {mark}");
        if bytes > budget {
            over.push(what);
        }
    }
    if !over.is_empty() {
        bail!("over budget: {}", over.join(", "));
    }
    Ok(all)
}
