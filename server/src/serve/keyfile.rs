//! The key of the IP-address hashes, kept outside the database.
//!
//! Each comment stores an HMAC of its sender's address instead of the address. An IPv4 address
//! has only 2³² values, so whoever holds both the hashes and the key can try them all and get
//! the addresses back. The key therefore lives in its own file, `ip-hash.key` beside the
//! database (mode 0600), or in the configuration (`ip_hash_secret`): a copy of the database
//! alone (a backup, an export of the file to a colleague) reveals no address. Databases made by
//! earlier versions kept the key in their `settings` table; it is moved to the file on start, so
//! old and new hashes stay comparable.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::sql::{Sql, params};

use super::db::DbError;
use super::secrets;

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "ip-hash.key";

/// The key for IP hashes: the configured secret, else the key file (made on first start, or
/// from a key an earlier version kept in the database).
pub fn ip_hash_key(
    conn: &dyn Sql,
    data_dir: &Path,
    configured: Option<&str>,
) -> Result<Vec<u8>, DbError> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = data_dir.join(KEY_FILE);
    let key_error = |source| DbError::KeyFile {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(key) => {
            warn_if_readable_by_others(&path);
            return Ok(key.trim().as_bytes().to_vec());
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(key_error(e)),
    }
    let legacy: Option<String> = conn.query_opt(
        "SELECT value FROM settings WHERE key = 'ip_hash_secret'",
        params![],
        |r| r.get(0),
    )?;
    let key = legacy.clone().unwrap_or_else(secrets::new_secret);
    write_private(&path, &key).map_err(key_error)?;
    if legacy.is_some() {
        conn.execute(
            "DELETE FROM settings WHERE key = 'ip_hash_secret'",
            params![],
        )?;
        tracing::info!(file = %path.display(), "moved the IP-hash key out of the database");
    }
    Ok(key.into_bytes())
}

/// Writes `key` to a new file that only its owner can read.
fn write_private(path: &PathBuf, key: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(key.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(
                file = %path.display(),
                "the IP-hash key file can be read by other users; chmod 600 it"
            );
        }
    }
}
