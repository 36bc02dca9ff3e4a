//! Building the editor's bundle (the wasm behind `/editor`) and running its browser tests.
//!
//! The editor page loads `dist/editor/jiedu_editor.js` (wasm-bindgen glue, `--target web`) and
//! `dist/editor/jiedu_editor_bg.wasm`: the authoring compiler, the plain-text import and the
//! widget's components. It is not the citizen widget's bundle and has no budget; [`build`]
//! prints its size so that growth is seen.

use std::path::Path;
use std::process::Command;

use anyhow::Context as _;

use crate::run_cmd;
use crate::setup::tools_path;
use crate::widget::{Codec, compress};

/// The files the editor page downloads besides its own `www/editor.{html,js,css}`.
pub const FILES: [&str; 2] = ["jiedu_editor.js", "jiedu_editor_bg.wasm"];

/// Builds the editor bundle (`wasm-pack --target web --release`, wasm-opt -Oz) into
/// `dist/editor/`, with `.br` and `.gz` siblings, and prints its size.
pub fn build(root: &Path) -> anyhow::Result<()> {
    let pkg = root.join("target/editor-pkg");
    run_cmd(
        Command::new("wasm-pack")
            .current_dir(root)
            .env("PATH", tools_path(root))
            .args([
                "--log-level",
                "warn",
                "build",
                "editor",
                "--target",
                "web",
                "--release",
            ])
            .arg("--out-dir")
            .arg(&pkg)
            .args(["--out-name", "jiedu_editor", "--no-pack", "--no-typescript"]),
    )?;
    let dist = root.join("dist/editor");
    std::fs::create_dir_all(&dist).with_context(|| format!("cannot create {}", dist.display()))?;
    println!("editor bundle (dist/editor/, not the citizen widget's):");
    println!(
        "  {:<24} {:>9} {:>9} {:>9}",
        "file", "raw", "gzip -9", "brotli 11"
    );
    for name in FILES {
        let (source, target) = (pkg.join(name), dist.join(name));
        std::fs::copy(&source, &target)
            .with_context(|| format!("cannot copy {} to {}", source.display(), target.display()))?;
        let bytes = std::fs::read(&target)?;
        let brotli = compress(&bytes, Codec::Brotli)?;
        let gzip = compress(&bytes, Codec::Gzip)?;
        println!(
            "  {name:<24} {:>9} {:>9} {:>9}",
            bytes.len(),
            gzip.len(),
            brotli.len()
        );
        std::fs::write(dist.join(format!("{name}.br")), brotli)?;
        std::fs::write(dist.join(format!("{name}.gz")), gzip)?;
    }
    Ok(())
}

/// Runs the editor's wasm-bindgen tests in headless Chromium (`editor/tests/it`); its native
/// unit tests run with the workspace's `cargo test`.
pub fn test(root: &Path) -> anyhow::Result<()> {
    crate::widget::browser_test(root, "jiedu-editor")
}
