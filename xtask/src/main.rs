//! Project automation, so that two commands do everything on a fresh machine:
//!
//! - `cargo xtask run`: installs what is missing, builds the widget and the server, and starts
//!   `jiedu serve` with the demo page and the sample documents on an embedded SQLite database;
//! - `cargo xtask test`: installs what is missing and runs every test (native, wasm in headless
//!   Chromium, the widget size budget, end-to-end browser tests).
//!
//! Every install step checks first and skips what is already there.

mod demo;
mod editor;
mod fuzz;
mod setup;
mod widget;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};

const HELP: &str = "\
cargo xtask <command>

  run      install what is missing, build, and serve the demo on http://127.0.0.1:8080
  test     install what is missing and run every test (what CI runs)
  setup    only install what is missing (wasm target, wasm-pack, wasm-bindgen, Chromium, a CJK
           font, wasm-opt)
  widget   build the widget into dist/ and print its size against the budget
  editor   build the editor preview bundle into dist/editor/
  bench-render
           time to content in headless Chromium, widget against static page, unthrottled and
           on an emulated slow phone (JIEDU_BENCH_RUNS=N loads per cell, default 5)
  doc      build the workspace's docs, private items included, failing on a link to nothing
  fuzz     [TARGET…] [--seconds N] [--minimize]: fuzz the parsers (installs nightly and
           cargo-fuzz; targets: authoring import comment widget_decode request_body)
";

fn main() -> anyhow::Result<()> {
    let root = project_root();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root),
        Some("setup") => setup::all(&root),
        Some("widget") => {
            setup::all(&root)?;
            widget::build(&root)?;
            widget::size_report(&root)
        }
        Some("editor") => {
            setup::all(&root)?;
            editor::build(&root)
        }
        Some("bench-render") => bench_render(&root),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("doc") => doc(&root),
        _ => {
            eprint!("{HELP}");
            Ok(())
        }
    }
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// Runs a command, echoing it, and fails with its name when it fails.
pub fn run_cmd(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn run(root: &Path, extra: &[String]) -> anyhow::Result<()> {
    setup::all(root)?;
    widget::build(root)?;
    widget::size_report(root)?;
    editor::build(root)?;
    run_cmd(
        cargo()
            .current_dir(root)
            .args(["build", "-p", "jiedu-server"]),
    )?;
    let jiedu = root.join("target/debug/jiedu");
    // Make sure there are tokens to sign in with: an editor who drafts and an approver who signs
    // off (two people, as `require_sign_off` wants). Each is printed once, when it is made, and
    // only then can the demo's history be made with them (see demo.rs).
    let tokens = Command::new(&jiedu)
        .current_dir(root)
        .args(["token", "list"])
        .output()?;
    let mut made = Vec::new();
    if tokens.status.success() && String::from_utf8_lossy(&tokens.stdout).trim().is_empty() {
        for (name, role) in [("demo-editor", "editor"), ("demo-approver", "approver")] {
            let out = Command::new(&jiedu)
                .current_dir(root)
                .args(["token", "create", "--name", name, "--role", role])
                .stderr(std::process::Stdio::inherit())
                .output()
                .with_context(|| format!("cannot make the {name} token"))?;
            let token = String::from_utf8(out.stdout)?.trim().to_owned();
            if !out.status.success() || token.is_empty() {
                bail!("`jiedu token create --name {name}` failed");
            }
            println!("{name} ({role}): {token}");
            made.push(token);
        }
    }
    // The demo's address: `--bind ADDR` if given, else the default.
    let addr: std::net::SocketAddr = extra
        .iter()
        .position(|a| a == "--bind")
        .and_then(|i| extra.get(i + 1))
        .map_or("127.0.0.1:8080", String::as_str)
        .parse()
        .context("--bind takes an address such as 127.0.0.1:8080")?;
    eprintln!("serving on http://{addr} (Ctrl-C to stop)");
    let mut serve = Command::new(&jiedu)
        .current_dir(root)
        .arg("serve")
        .args(extra)
        .spawn()
        .context("cannot start jiedu serve")?;
    if let [editor, approver] = made.as_slice() {
        let seeded = demo::wait_for(addr, std::time::Duration::from_secs(60))
            .and_then(|()| demo::seed(root, addr, editor, approver));
        if let Err(e) = seeded {
            eprintln!("demo: could not make the demo's revision history: {e:#}");
        }
    }
    let status = serve.wait()?;
    if !status.success() {
        bail!("jiedu serve stopped ({status})");
    }
    Ok(())
}

/// The render benchmark (`tests/benches/render.rs`) against the current widget and a release
/// build of `jiedu`, so the server's own speed does not blur the comparison.
fn bench_render(root: &Path) -> anyhow::Result<()> {
    setup::all(root)?;
    widget::build(root)?;
    run_cmd(cargo().current_dir(root).args([
        "build",
        "--profile",
        "release-native",
        "-p",
        "jiedu-server",
    ]))?;
    run_cmd(
        cargo()
            .current_dir(root)
            .env(
                "JIEDU_BENCH_BINARY",
                root.join("target/release-native/jiedu"),
            )
            .env("JIEDU_E2E_SKIP_WIDGET_BUILD", "1")
            .args(["bench", "-p", "jiedu-e2e", "--bench", "render"]),
    )
}

/// The docs of every crate with private items, warnings as errors, so a module doc that names an
/// item that was renamed or moved fails. Not part of `test`: rustdoc resolves features without the
/// dev-dependencies, so on a fresh clone it checks 65 crates again after clippy (6 min measured),
/// for a check that takes 11 s on a warm tree.
fn doc(root: &Path) -> anyhow::Result<()> {
    run_cmd(
        cargo()
            .current_dir(root)
            .env(
                "RUSTDOCFLAGS",
                "-D warnings -A rustdoc::private_intra_doc_links",
            )
            .args([
                "doc",
                "--workspace",
                "--no-deps",
                "--document-private-items",
            ]),
    )
}

fn test(root: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    setup::all(root)?;
    let cargo_in_root = |args: &[&str]| run_cmd(cargo().current_dir(root).args(args));
    cargo_in_root(&["fmt", "--all", "--", "--check"])?;
    cargo_in_root(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    // The bundles first: the end-to-end tests load them from dist/, and the size budget is a test.
    widget::build(root)?;
    widget::size_report(root)?;
    editor::build(root)?;
    // Native tests: core, server (CLI, router on SQLite and on a throwaway PostgreSQL the tests
    // start themselves, durability and two instances with the real binary), xtask, and the
    // end-to-end crate (real server, real Chromium).
    cargo_in_root(&["test", "--workspace", "--no-fail-fast"])?;
    // Browser tests of the components, in headless Chromium.
    widget::test(root)?;
    editor::test(root)?;
    eprintln!("all tests passed in {:.0?}", started.elapsed());
    Ok(())
}
