//! `cargo xtask fuzz [TARGET…] [--seconds N] [--minimize]`: coverage-guided fuzzing of the parsers
//! with cargo-fuzz (libFuzzer) on a nightly toolchain, which this command installs if missing.
//!
//! Never part of `cargo xtask test`: fuzzing needs nightly and time. What it finds is kept: the
//! corpus (`fuzz/corpus/TARGET/`) is committed, and the normal tests replay every file of it on
//! stable through the same functions (core/tests/it/fuzz_corpus.rs, the server's and the
//! widget's replay tests). A crash leaves its input in `fuzz/artifacts/TARGET/`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::run_cmd;

pub const TARGETS: [&str; 5] = [
    "authoring",
    "import",
    "comment",
    "widget_decode",
    "request_body",
];

pub fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let mut seconds = 60u64;
    let mut minimize = false;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .context("--seconds needs a number")?;
            }
            "--minimize" => minimize = true,
            t if TARGETS.contains(&t) => targets.push(t),
            other => bail!("unknown fuzz target or option `{other}`; targets: {TARGETS:?}"),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    install()?;
    for target in targets {
        let corpus = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        eprintln!("fuzzing {target} for {seconds} s");
        run_cmd(
            Command::new("cargo")
                .current_dir(root)
                .args(["+nightly", "fuzz", "run", target])
                .arg(&corpus)
                .args([
                    "--",
                    &format!("-max_total_time={seconds}"),
                    "-rss_limit_mb=2048",
                    "-max_len=65536",
                    "-print_final_stats=1",
                ]),
        )?;
        if minimize {
            run_cmd(
                Command::new("cargo")
                    .current_dir(root)
                    .args(["+nightly", "fuzz", "cmin", target])
                    .arg(&corpus),
            )?;
        }
    }
    Ok(())
}

/// nightly (minimal profile) and cargo-fuzz, each unless already there; libFuzzer needs a C++
/// compiler.
fn install() -> anyhow::Result<()> {
    let toolchains = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .context("rustup is needed to install nightly")?;
    if !String::from_utf8_lossy(&toolchains.stdout)
        .lines()
        .any(|l| l.starts_with("nightly"))
    {
        run_cmd(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    let have_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_fuzz {
        run_cmd(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    if Command::new("c++").arg("--version").output().is_err() {
        bail!("libFuzzer needs a C++ compiler: apt-get install g++");
    }
    Ok(())
}
