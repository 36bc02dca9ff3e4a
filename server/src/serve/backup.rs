//! `jiedu backup FILE` and `jiedu restore FILE`: a consistent copy of the database while the
//! server runs, and putting one back.
//!
//! The backup uses SQLite's online backup API in one step, inside one read transaction: in WAL
//! mode that reads a single committed snapshot without blocking the server's writer, so the copy
//! holds exactly the comments acknowledged up to some instant. It is written beside the target
//! name first, checked (`PRAGMA integrity_check`), switched to a self-contained rollback journal
//! and only then renamed into place, so a `FILE` that exists is a whole, valid copy.
//!
//! A restore needs the server stopped (it refuses while the database is open elsewhere), checks
//! the copy, keeps the current database as `jiedu.db.before-restore-UNIXTIME`, copies the backup
//! in through the same API and brings its schema up to date.
//!
//! The IP-hash key (`ip-hash.key`) is deliberately not in the copy (see `keyfile.rs`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::DatabaseArgs;
use super::db::{self, DatabaseUrl, MIGRATIONS};

/// Arguments of `jiedu backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The file to write the copy to; it must not exist yet.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// Arguments of `jiedu restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A copy made by `jiedu backup`.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// `jiedu backup FILE`.
pub fn run_backup(args: BackupArgs) -> anyhow::Result<()> {
    let source = sqlite_file(args.db)?;
    let data_dir = folder_of(&source);
    if !source.is_file() {
        bail!("there is no database at {}", source.display());
    }
    if args.file.exists() {
        bail!(
            "{} already exists; name a new file (backups are never overwritten)",
            args.file.display()
        );
    }
    let partial = partial_name(&args.file);
    let _ = std::fs::remove_file(&partial);
    let src = Connection::open_with_flags(&source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", source.display()))?;
    src.busy_timeout(std::time::Duration::from_secs(10))?;
    let copied = copy(&src, &partial).and_then(|()| {
        let dst = Connection::open(&partial)?;
        dst.pragma_update(None, "journal_mode", "DELETE")?;
        check(&dst)
    });
    let comments = match copied {
        Ok(comments) => comments,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("the backup failed; nothing was written");
        }
    };
    std::fs::rename(&partial, &args.file)
        .with_context(|| format!("cannot move the copy to {}", args.file.display()))?;
    let bytes = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "Backed up {} ({comments} comments, {bytes} bytes) to {}. The IP-hash key ({}) is not in it.",
        source.display(),
        args.file.display(),
        data_dir.join(super::keyfile::KEY_FILE).display()
    );
    Ok(())
}

/// `jiedu restore FILE`.
pub fn run_restore(args: RestoreArgs) -> anyhow::Result<()> {
    let target = sqlite_file(args.db)?;
    let data_dir = folder_of(&target).to_owned();
    let src = Connection::open_with_flags(&args.file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("cannot open {}", args.file.display()))?;
    let comments = check(&src)
        .with_context(|| format!("{} is not a usable jiedu backup", args.file.display()))?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let existed = target.is_file();
    let mut dst = Connection::open(&target)?;
    claim(&dst).with_context(|| {
        format!(
            "{} is in use: stop jiedu serve before restoring",
            target.display()
        )
    })?;
    if existed {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let name = target.file_name().unwrap_or_default().to_string_lossy();
        let keep = data_dir.join(format!("{name}.before-restore-{unix}"));
        copy(&dst, &keep).context("cannot keep a copy of the current database")?;
        eprintln!("Kept the database being replaced as {}.", keep.display());
    }
    let backup = Backup::new(&src, &mut dst)?;
    while backup.step(-1)? != StepResult::Done {}
    drop(backup);
    dst.pragma_update(None, "locking_mode", "NORMAL")?;
    dst.pragma_update(None, "journal_mode", "WAL")?;
    db::migrate(&mut dst, &target)?;
    eprintln!(
        "Restored {} ({comments} comments) into {}.",
        args.file.display(),
        target.display()
    );
    Ok(())
}

/// Copies the database of `src` into a new file `to`, in one step (one snapshot).
fn copy(src: &Connection, to: &Path) -> anyhow::Result<()> {
    let mut dst =
        Connection::open(to).with_context(|| format!("cannot create {}", to.display()))?;
    let backup = Backup::new(src, &mut dst)?;
    while backup.step(-1)? != StepResult::Done {}
    Ok(())
}

/// Checks a copy: intact, a jiedu database no newer than this program. Returns its comments.
fn check(conn: &Connection) -> anyhow::Result<i64> {
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        bail!("the integrity check failed: {integrity}");
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == 0 || version > MIGRATIONS.len() as i64 {
        bail!(
            "schema version {version}, but this jiedu knows 1 to {}",
            MIGRATIONS.len()
        );
    }
    Ok(conn.query_row("SELECT COUNT(*) FROM comments", [], |r| r.get(0))?)
}

/// Takes the database for this connection alone, or fails if another process has it open (a
/// running server keeps its connections open).
fn claim(conn: &Connection) -> anyhow::Result<()> {
    conn.busy_timeout(std::time::Duration::ZERO)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")?;
    Ok(())
}

fn partial_name(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

/// The SQLite file these commands work on; PostgreSQL has its own tools (pg_dump, pg_restore).
fn sqlite_file(db: DatabaseArgs) -> anyhow::Result<PathBuf> {
    match db.database()? {
        DatabaseUrl::Sqlite(path) => Ok(path),
        DatabaseUrl::Postgres(_) => bail!(
            "jiedu backup and restore copy SQLite files; back up PostgreSQL with pg_dump \
             (see docs/server.md, \"Several instances on PostgreSQL\")"
        ),
    }
}

/// The folder of a database file (where its key file lives).
fn folder_of(file: &Path) -> &Path {
    file.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}
