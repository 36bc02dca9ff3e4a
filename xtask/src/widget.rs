//! Building the citizen widget, holding it to its download budget, and running its browser tests.
//!
//! The host page downloads three files for the widget, all in `dist/`: the hand-written loader
//! `jiedu.js`, the wasm-bindgen glue and the wasm module (which carries the CSS). [`build`]
//! writes them, with `.br` and `.gz` siblings for servers that send precompressed files. The glue
//! and the wasm get content-hashed names (`jiedu_widget-HASH.js`, `jiedu_widget_bg-HASH.wasm`),
//! written into the loader, so that they can be cached for a year and a browser can never pair
//! one release's glue with another's wasm; the loader keeps its name and is revalidated.
//! `dist/manifest.json` names the current files. [`size_report`] prints their sizes and fails
//! when a total exceeds `widget/size-budget.toml`; [`test`] runs the wasm-bindgen tests in
//! headless Chromium.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde::Deserialize;

use crate::run_cmd;
use crate::setup::tools_path;

/// The files of one build that a host page downloads, in load order (names inside `dist/`).
#[derive(Debug, serde::Serialize, Deserialize)]
pub struct Manifest {
    pub loader: String,
    pub glue: String,
    pub wasm: String,
}

impl Manifest {
    pub const FILE: &str = "manifest.json";

    fn files(&self) -> [&str; 3] {
        [&self.loader, &self.glue, &self.wasm]
    }

    fn read(dist: &Path) -> anyhow::Result<Manifest> {
        let path = dist.join(Manifest::FILE);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {} (run the widget build first)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
    }
}

/// The names the loader is written with and the build replaces with hashed ones.
const GLUE: &str = "jiedu_widget.js";
const WASM: &str = "jiedu_widget_bg.wasm";

/// Builds the widget (`wasm-pack --target web --release`, wasm-opt -Oz) into `dist/`.
pub fn build(root: &Path) -> anyhow::Result<()> {
    let pkg = root.join("target/widget-pkg");
    run_cmd(
        Command::new("wasm-pack")
            .current_dir(root)
            .env("PATH", tools_path(root))
            .args([
                "--log-level",
                "warn",
                "build",
                "widget",
                "--target",
                "web",
                "--release",
            ])
            .arg("--out-dir")
            .arg(&pkg)
            .args(["--out-name", "jiedu_widget", "--no-pack", "--no-typescript"]),
    )?;
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).with_context(|| format!("cannot create {}", dist.display()))?;
    let glue = std::fs::read(pkg.join(GLUE))?;
    let wasm = std::fs::read(pkg.join(WASM))?;
    let manifest = Manifest {
        loader: "jiedu.js".into(),
        glue: format!("jiedu_widget-{}.js", content_hash(&glue)),
        wasm: format!("jiedu_widget_bg-{}.wasm", content_hash(&wasm)),
    };
    let loader = std::fs::read_to_string(root.join("widget/loader/jiedu.js"))?;
    for name in [GLUE, WASM] {
        if !loader.contains(&format!("\"{name}\"")) {
            bail!("widget/loader/jiedu.js no longer names \"{name}\": the build cannot hash it");
        }
    }
    let loader = strip_comments(&loader)
        .replace(&format!("\"{GLUE}\""), &format!("\"{}\"", manifest.glue))
        .replace(&format!("\"{WASM}\""), &format!("\"{}\"", manifest.wasm));
    remove_old_builds(&dist)?;
    for (name, bytes) in [
        (&manifest.glue, glue),
        (&manifest.wasm, wasm),
        (&manifest.loader, loader.into_bytes()),
    ] {
        write_with_compressed(&dist, name, &bytes)?;
    }
    std::fs::write(
        dist.join(Manifest::FILE),
        serde_json::to_vec_pretty(&manifest)?,
    )?;
    Ok(())
}

fn write_with_compressed(dist: &Path, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let target = dist.join(name);
    std::fs::write(&target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
    std::fs::write(
        dist.join(format!("{name}.br")),
        compress(bytes, Codec::Brotli)?,
    )?;
    std::fs::write(
        dist.join(format!("{name}.gz")),
        compress(bytes, Codec::Gzip)?,
    )?;
    Ok(())
}

/// Removes the hashed files of all builds but the one `dist/manifest.json` names now: that one
/// stays, so a page that got the previous loader just before an upgrade can still load its
/// widget. (Also removes the unhashed files of builds before hashing.)
fn remove_old_builds(dist: &Path) -> anyhow::Result<()> {
    let keep = Manifest::read(dist).ok();
    for entry in std::fs::read_dir(dist)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let stem = name.trim_end_matches(".br").trim_end_matches(".gz");
        let ours = stem.starts_with("jiedu_widget");
        let kept = keep
            .as_ref()
            .is_some_and(|m| stem == m.glue || stem == m.wasm);
        if ours && !kept {
            std::fs::remove_file(dist.join(&name))?;
        }
    }
    Ok(())
}

/// The loader without its comments and indentation: every host page downloads it first. Only
/// whole comment lines go (`//` lines, and `/* … */` blocks whose lines start with `/*` or `*`),
/// so nothing inside a string or a regular expression is touched.
fn strip_comments(js: &str) -> String {
    let mut out = String::from("/*! Jiedu widget loader: docs/embedding.md */\n");
    let mut in_block = false;
    for line in js.lines() {
        let code = line.trim();
        if in_block || code.starts_with("/*") {
            in_block = !code.ends_with("*/");
            continue;
        }
        if code.is_empty() || code.starts_with("//") {
            continue;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// 16 hex digits of FNV-1a over the bytes: enough to tell releases apart in a file name.
fn content_hash(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[derive(Clone, Copy)]
pub(crate) enum Codec {
    Gzip,
    Brotli,
}

/// Compresses with the `gzip -9` or `brotli -q 11` command (what a precompressing server or CDN
/// sends).
pub(crate) fn compress(bytes: &[u8], codec: Codec) -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    let (program, args): (&str, &[&str]) = match codec {
        Codec::Gzip => ("gzip", &["-9", "-n", "-c"]),
        Codec::Brotli => ("brotli", &["-q", "11", "-c"]),
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run `{program}` (apt-get install {program})"))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer.join().expect("writer thread")?;
    if !output.status.success() {
        bail!("`{program}` failed ({})", output.status);
    }
    Ok(output.stdout)
}

/// The committed budget, in bytes (`widget/size-budget.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Budget {
    brotli_total: u64,
    gzip_total: u64,
}

/// Prints raw, gzip and brotli sizes of every file the host page downloads for the widget, and
/// fails when a compressed total is over the budget.
pub fn size_report(root: &Path) -> anyhow::Result<()> {
    let budget_path = root.join("widget/size-budget.toml");
    let budget: Budget = toml::from_str(
        &std::fs::read_to_string(&budget_path)
            .with_context(|| format!("cannot read {}", budget_path.display()))?,
    )
    .with_context(|| format!("{} is not a valid budget", budget_path.display()))?;
    let mut totals = [0u64; 3];
    println!("widget download size (what a host page fetches):");
    println!(
        "  {:<24} {:>9} {:>9} {:>9}",
        "file", "raw", "gzip -9", "brotli 11"
    );
    let dist = root.join("dist");
    let manifest = Manifest::read(&dist)?;
    for name in manifest.files() {
        let path: PathBuf = dist.join(name);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "cannot read {} (run the widget build first)",
                path.display()
            )
        })?;
        let sizes = [
            bytes.len() as u64,
            compress(&bytes, Codec::Gzip)?.len() as u64,
            compress(&bytes, Codec::Brotli)?.len() as u64,
        ];
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        println!(
            "  {:<24} {:>9} {:>9} {:>9}",
            name.split('-').next().unwrap_or(name),
            sizes[0],
            sizes[1],
            sizes[2]
        );
    }
    println!(
        "  {:<24} {:>9} {:>9} {:>9}",
        "total", totals[0], totals[1], totals[2]
    );
    println!(
        "  {:<24} {:>9} {:>9} {:>9}",
        "budget", "", budget.gzip_total, budget.brotli_total
    );
    let mut over = Vec::new();
    if totals[1] > budget.gzip_total {
        over.push(format!("gzip {} > {}", totals[1], budget.gzip_total));
    }
    if totals[2] > budget.brotli_total {
        over.push(format!("brotli {} > {}", totals[2], budget.brotli_total));
    }
    if !over.is_empty() {
        bail!(
            "the widget is over its size budget ({}); see {} and find what grew with twiggy",
            over.join(", "),
            budget_path.display()
        );
    }
    Ok(())
}

/// Runs the widget's wasm-bindgen tests in headless Chromium (`widget/tests/it`). Its native
/// unit tests run with the workspace's `cargo test`.
pub fn test(root: &Path) -> anyhow::Result<()> {
    browser_test(root, "jiedu-widget")
}

/// Runs a wasm crate's `tests/it` with wasm-bindgen-test in headless Chromium.
pub(crate) fn browser_test(root: &Path, package: &str) -> anyhow::Result<()> {
    // A fresh Chromium profile per run, removed afterwards (each run would leave ~24 MB).
    let scratch = root.join(format!(
        "target/{package}-browser-test-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&scratch)?;
    let webdriver = scratch.join("webdriver.json");
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "args": [
                format!("--user-data-dir={}", scratch.join("profile").display()),
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ]
        }
    });
    std::fs::write(&webdriver, serde_json::to_vec_pretty(&capabilities)?)?;
    let result = run_cmd(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(root)
            .env("PATH", tools_path(root))
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .args([
                "test",
                "-p",
                package,
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "it",
            ]),
    );
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
