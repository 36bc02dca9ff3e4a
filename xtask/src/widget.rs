//! Building the citizen widget, holding it to its download budget, and running its browser tests.
//!
//! The widget is built twice from one crate: the **reading** bundle (without the `commenting`
//! feature), which a page loads to read a document, and the **commenting** bundle (with it),
//! which the loader fetches instead for a document with a consultation. Each bundle is a
//! wasm-bindgen glue file and a wasm module (which carries the CSS); with the hand-written loader
//! `jiedu.js`, all in `dist/`. [`build`] writes them, with `.br` and `.gz` siblings for servers
//! that send precompressed files. The glue and the wasm get content-hashed names
//! (`jiedu_widget-HASH.js`, `jiedu_widget_bg-HASH.wasm`, `jiedu_widget_commenting…`), written
//! into the loader, so that they can be cached for a year and a browser can never pair one
//! release's glue with another's wasm; the loader keeps its name and is revalidated.
//! `dist/manifest.json` names the current files. [`size_report`] prints what a page downloads
//! with each bundle and fails when either is over its line in `widget/size-budget.toml`; [`test()`]
//! runs the wasm-bindgen tests in headless Chromium.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde::Deserialize;

use crate::run_cmd;
use crate::setup::{WIDGET_TOOLCHAIN, tools_path, widget_toolchain};

/// The files of one build (names inside `dist/`).
#[derive(Debug, serde::Serialize, Deserialize)]
pub struct Manifest {
    pub loader: String,
    pub reading: Bundle,
    pub commenting: Bundle,
}

/// One bundle: its glue and its wasm.
#[derive(Debug, serde::Serialize, Deserialize)]
pub struct Bundle {
    pub glue: String,
    pub wasm: String,
}

impl Manifest {
    pub const FILE: &str = "manifest.json";

    /// What a host page downloads with each bundle, in load order.
    fn downloads(&self) -> [(&'static str, [&str; 3]); 2] {
        [
            (
                "reading",
                [&self.loader, &self.reading.glue, &self.reading.wasm],
            ),
            (
                "commenting",
                [&self.loader, &self.commenting.glue, &self.commenting.wasm],
            ),
        ]
    }

    fn hashed(&self) -> [&str; 4] {
        [
            &self.reading.glue,
            &self.reading.wasm,
            &self.commenting.glue,
            &self.commenting.wasm,
        ]
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

/// The two builds: the name wasm-pack gives each (the loader names them so until the build
/// writes the hashed names in), and the cargo arguments that make it.
const BUILDS: [(&str, &[&str]); 2] = [
    ("jiedu_widget", &["--no-default-features"]),
    ("jiedu_widget_commenting", &[]),
];

/// Builds one bundle with wasm-pack (`--target web --release`, wasm-opt -Oz); returns the glue
/// and the wasm. The pinned nightly rebuilds the standard library so that a panic aborts at once
/// (a trap, which the loader turns into a message): no panic message formatting is linked.
fn build_bundle(
    root: &Path,
    name: &str,
    cargo_args: &[&str],
) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let pkg = root.join("target/widget-pkg").join(name);
    run_cmd(
        Command::new("wasm-pack")
            .current_dir(root)
            .env("PATH", tools_path(root))
            .env("RUSTUP_TOOLCHAIN", WIDGET_TOOLCHAIN)
            .env("RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort")
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
            .args(["--out-name", name, "--no-pack", "--no-typescript"])
            .args(["--", "-Zbuild-std=std,panic_abort"])
            .args(cargo_args),
    )?;
    let glue = std::fs::read(pkg.join(format!("{name}.js")))?;
    let wasm = std::fs::read(pkg.join(format!("{name}_bg.wasm")))?;
    Ok((glue, wasm))
}

/// Builds both bundles into `dist/`, with the loader naming their hashed files.
pub fn build(root: &Path) -> anyhow::Result<()> {
    widget_toolchain()?;
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).with_context(|| format!("cannot create {}", dist.display()))?;
    let mut loader = std::fs::read_to_string(root.join("widget/loader/jiedu.js"))?;
    let mut files = Vec::new();
    let mut bundles = Vec::new();
    for (name, cargo_args) in BUILDS {
        let (glue, wasm) = build_bundle(root, name, cargo_args)?;
        let glue = minify(root, &glue, true)?;
        let bundle = Bundle {
            glue: format!("{name}-{}.js", content_hash(&glue)),
            wasm: format!("{name}_bg-{}.wasm", content_hash(&wasm)),
        };
        for (plain, hashed) in [
            (format!("{name}.js"), &bundle.glue),
            (format!("{name}_bg.wasm"), &bundle.wasm),
        ] {
            let quoted = format!("\"{plain}\"");
            if !loader.contains(&quoted) {
                bail!("widget/loader/jiedu.js no longer names {quoted}: the build cannot hash it");
            }
            loader = loader.replace(&quoted, &format!("\"{hashed}\""));
        }
        files.push((bundle.glue.clone(), glue));
        files.push((bundle.wasm.clone(), wasm));
        bundles.push(bundle);
    }
    let commenting = bundles.pop().context("two bundles")?;
    let reading = bundles.pop().context("two bundles")?;
    let manifest = Manifest {
        loader: "jiedu.js".into(),
        reading,
        commenting,
    };
    remove_old_builds(&dist)?;
    let loader = minify(root, strip_comments(&loader).as_bytes(), false)?;
    files.push((manifest.loader.clone(), loader));
    for (name, bytes) in files {
        write_with_compressed(&dist, &name, &bytes)?;
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
        let kept = keep.as_ref().is_some_and(|m| m.hashed().contains(&stem));
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

/// JavaScript minified by terser (`.tools/`, installed by setup): names mangled, comments gone
/// but for `/*!` ones. `module`: an ES module (the glue), else a classic script (the loader).
fn minify(root: &Path, js: &[u8], module: bool) -> anyhow::Result<Vec<u8>> {
    let mut terser = Command::new("terser");
    terser
        .env("PATH", tools_path(root))
        .args(["--compress", "--mangle", "--comments", "/^!/"]);
    if module {
        terser.arg("--module");
    }
    filter(&mut terser, js)
}

/// Runs `command` with `input` on its stdin; its stdout.
fn filter(command: &mut Command, input: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::io::Write as _;
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run `{program}` (cargo xtask setup installs it)"))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer.join().expect("writer thread")?;
    if !output.status.success() {
        bail!("`{program}` failed ({})", output.status);
    }
    Ok(output.stdout)
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
    let (program, args): (&str, &[&str]) = match codec {
        Codec::Gzip => ("gzip", &["-9", "-n", "-c"]),
        Codec::Brotli => ("brotli", &["-q", "11", "-c"]),
    };
    filter(Command::new(program).args(args), bytes)
}

/// The committed budget, in bytes (`widget/size-budget.toml`): what a page downloads to read a
/// document, and what it downloads for a document with a consultation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Budget {
    reading: Line,
    commenting: Line,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    brotli: u64,
    gzip: u64,
}

/// Prints raw, gzip and brotli sizes of every file a host page downloads with each bundle, and
/// fails when a compressed total is over its budget line.
pub fn size_report(root: &Path) -> anyhow::Result<()> {
    let budget_path = root.join("widget/size-budget.toml");
    let budget: Budget = toml::from_str(
        &std::fs::read_to_string(&budget_path)
            .with_context(|| format!("cannot read {}", budget_path.display()))?,
    )
    .with_context(|| format!("{} is not a valid budget", budget_path.display()))?;
    let dist = root.join("dist");
    let manifest = Manifest::read(&dist)?;
    let mut over = Vec::new();
    for (bundle, files) in manifest.downloads() {
        let line = match bundle {
            "reading" => &budget.reading,
            _ => &budget.commenting,
        };
        println!("widget download size, {bundle} bundle (what a host page fetches):");
        let totals = print_sizes(&dist, &files)?;
        println!(
            "  {:<28} {:>9} {:>9} {:>9}",
            "budget", "", line.gzip, line.brotli
        );
        if totals[1] > line.gzip {
            over.push(format!("{bundle} gzip {} > {}", totals[1], line.gzip));
        }
        if totals[2] > line.brotli {
            over.push(format!("{bundle} brotli {} > {}", totals[2], line.brotli));
        }
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

/// Prints the sizes of `files` (raw, gzip -9, brotli 11) and their total; returns the total.
fn print_sizes(dist: &Path, files: &[&str]) -> anyhow::Result<[u64; 3]> {
    let mut totals = [0u64; 3];
    println!(
        "  {:<28} {:>9} {:>9} {:>9}",
        "file", "raw", "gzip -9", "brotli 11"
    );
    for name in files {
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
        let short = name.split('-').next().unwrap_or(name);
        println!(
            "  {:<28} {:>9} {:>9} {:>9}",
            short, sizes[0], sizes[1], sizes[2]
        );
    }
    println!(
        "  {:<28} {:>9} {:>9} {:>9}",
        "total", totals[0], totals[1], totals[2]
    );
    Ok(totals)
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
