//! A throwaway PostgreSQL cluster for the tests, when `JIEDU_TEST_DATABASE_URL` names none.
//!
//! Debian's `postgresql` package (installed by `cargo xtask setup`) provides `initdb` and
//! `pg_ctl`. The cluster lives under the target directory, trusts local connections, listens on
//! a free port of 127.0.0.1 only, and keeps its log inside its own folder. `initdb` refuses to run
//! as root, so as root every command runs as the `postgres` user, who owns the folder. A watchdog
//! shell stops the cluster and removes its folder within a second of the test process ending,
//! whether the tests passed, failed or were killed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Starts a cluster and returns its admin URL.
pub fn start(target: &Path) -> Result<String, String> {
    let bin = bin_dir().ok_or("no initdb found (in /usr/lib/postgresql/*/bin or on PATH)")?;
    let root = target.join(format!("pg-{}", std::process::id()));
    let data = root.join("data");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let root_user = is_root();
    if root_user {
        run(Command::new("chown").arg("postgres").arg(&root))?;
    }
    run(as_postgres(root_user, &bin.join("initdb"))
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "-D",
        ])
        .arg(&data))?;
    let port = free_port()?;
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
        data.display()
    );
    let pg_ctl = bin.join("pg_ctl");
    run(as_postgres(root_user, &pg_ctl)
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(data.join("log"))
        .args(["-w", "-o", &options, "start"]))?;
    let stop = format!(
        "{} {} -D {} -m immediate stop",
        if root_user {
            "runuser -u postgres --"
        } else {
            ""
        },
        pg_ctl.display(),
        data.display()
    );
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 $1 2>/dev/null; do sleep 1; done; {stop}; rm -rf $2"
        ))
        .arg("watchdog")
        .arg(std::process::id().to_string())
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the watchdog: {e}"))?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

/// The folder of `initdb` and `pg_ctl`: Debian's newest version, else the PATH's.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|p| {
        let version = p.parent().and_then(|v| v.file_name());
        version.and_then(|v| v.to_str()?.parse::<u32>().ok())
    });
    versions.pop().or_else(|| {
        std::env::var_os("PATH")
            .and_then(|path| std::env::split_paths(&path).find(|dir| dir.join("initdb").is_file()))
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn as_postgres(root_user: bool, program: &Path) -> Command {
    if root_user {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}
