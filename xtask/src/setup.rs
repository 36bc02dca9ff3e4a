//! Installs the tools the build and the tests need, skipping each one that is already there.
//!
//! Versions are pinned where a mismatch breaks the build (see `docs/development.md`): the
//! wasm-bindgen CLI must equal the crate's version, and only binaryen 132 from npm parses
//! wasm-bindgen 0.2.130 output. Nothing here downloads a binary from anywhere but the package
//! registries this project is allowed to use (crates.io, npm, Debian).

use std::path::Path;
use std::process::Command;

use crate::run_cmd;

pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const BINARYEN_VERSION: &str = "132";
/// terser minifies the wasm-bindgen glue and the loader (about 2.5 KB brotli less per bundle).
pub const TERSER_VERSION: &str = "5.51.4";
/// The toolchain the citizen widget's release bundles are built with: a pinned nightly, for
/// `-Zbuild-std` and `-Cpanic=immediate-abort` (about 10 KB brotli less per bundle: no panic
/// formatting). Everything else, the widget's tests included, builds on stable.
pub const WIDGET_TOOLCHAIN: &str = "nightly-2026-10-30";

pub fn all(root: &Path) -> anyhow::Result<()> {
    wasm_target()?;
    widget_toolchain()?;
    cargo_tool(
        "wasm-bindgen",
        &["wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION],
        Some(WASM_BINDGEN_VERSION),
    )?;
    cargo_tool("wasm-pack", &["wasm-pack", "--locked"], None)?;
    chromium()?;
    cjk_font()?;
    postgresql()?;
    wasm_opt(root)?;
    Ok(())
}

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn wasm_target() -> anyhow::Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The pinned nightly with the standard library's source (build-std compiles it for wasm).
pub fn widget_toolchain() -> anyhow::Result<()> {
    let has_source = output_of(
        "rustc",
        &[&format!("+{WIDGET_TOOLCHAIN}"), "--print", "sysroot"],
    )
    .is_some_and(|sysroot| {
        Path::new(sysroot.trim())
            .join("lib/rustlib/src/rust/library/std")
            .is_dir()
    });
    if has_source {
        return Ok(());
    }
    run_cmd(Command::new("rustup").args([
        "toolchain",
        "install",
        WIDGET_TOOLCHAIN,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
    ]))
}

/// `cargo install` a tool unless a binary of that name (and, if given, version) is on PATH.
fn cargo_tool(binary: &str, install_args: &[&str], version: Option<&str>) -> anyhow::Result<()> {
    if let Some(v) = output_of(binary, &["--version"])
        && version.is_none_or(|want| v.contains(want))
    {
        return Ok(());
    }
    run_cmd(Command::new("cargo").arg("install").args(install_args))
}

fn chromium() -> anyhow::Result<()> {
    let have = |p: &str| Path::new(p).exists();
    if have("/usr/bin/chromium")
        && have("/usr/bin/chromedriver")
        && output_of("brotli", &["--version"]).is_some()
    {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver", "brotli"])
}

/// `apt-get install` of Debian packages, after updating the package lists.
fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    run_cmd(Command::new("apt-get").args(["update", "-qq"]))?;
    run_cmd(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// PostgreSQL's server programs (`initdb`, `pg_ctl`, `postgres`): the server's tests run every
/// router test on PostgreSQL too, in a throwaway cluster they start themselves (see
/// `tests/pg_cluster.rs`), and an end-to-end test stops one under a running server. Debian's package creates a cluster of its own that
/// is not started (there is no systemd here) and that the tests do not use.
fn postgresql() -> anyhow::Result<()> {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/initdb").is_file());
    if installed {
        return Ok(());
    }
    apt_install(&["postgresql"])
}

/// A Chinese font, so that Chromium renders the documents' text (and the end-to-end tests'
/// screenshots show it) instead of empty boxes. WenQuanYi Micro Hei is small (5 MB); skipped
/// when fontconfig already knows a font for Chinese.
fn cjk_font() -> anyhow::Result<()> {
    if output_of("fc-list", &[":lang=zh", "family"]).is_some_and(|fonts| !fonts.trim().is_empty()) {
        return Ok(());
    }
    apt_install(&["fonts-wqy-microhei"])
}

/// binaryen's wasm-opt and terser from npm into `.tools/`; [`tools_path`] puts them first on
/// PATH.
fn wasm_opt(root: &Path) -> anyhow::Result<()> {
    let tools = root.join(".tools");
    let bin = tools.join("node_modules/.bin");
    if bin.join("wasm-opt").exists() && bin.join("terser").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(&tools)?;
    run_cmd(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(format!("binaryen@{BINARYEN_VERSION}"))
            .arg(format!("terser@{TERSER_VERSION}")),
    )
}

/// PATH with the project's own tools first (`.tools/node_modules/.bin`, `~/.cargo/bin`).
pub fn tools_path(root: &Path) -> std::ffi::OsString {
    let mut dirs = vec![root.join(".tools/node_modules/.bin")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}
