//! A throwaway PostgreSQL cluster for the tests, when `JIEDU_TEST_DATABASE_URL` names none.
//! One copy for every crate that needs it: the server's tests (`server/tests/it/serve`) and load
//! benchmark, and the end-to-end scenario that stops PostgreSQL under a running `jiedu serve`
//! (`tests/it/database_outage.rs`).
//!
//! Debian's `postgresql` package (installed by `cargo xtask setup`) provides `initdb` and
//! `pg_ctl`. The cluster lives under the target directory, trusts local connections, listens on
//! a free port of 127.0.0.1 only, and keeps its log inside its own folder. `initdb` refuses to run
//! as root, so as root every command runs as the `postgres` user, who owns the folder. A watchdog
//! shell stops the cluster and removes its folder within a second of the test process ending,
//! whether the tests passed, failed or were killed.
//!
//! [`Cluster::with_tls`] makes one that accepts TCP connections over TLS only, with certificates
//! made here by rcgen (no openssl command needed), for the tests of TLS to PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};

/// A running cluster of this test process.
pub struct Cluster {
    pg_ctl: PathBuf,
    data: PathBuf,
    port: u16,
    root_user: bool,
    tls: Option<Tls>,
}

/// The role that logs in to a cluster made by [`Cluster::with_tls`] over TCP with a password
/// (SCRAM), all others being trusted; a test creates it.
pub const SCRAM_ROLE: &str = "scram_login";

/// The CA files of a cluster made by [`Cluster::with_tls`], for `sslrootcert=`.
#[derive(Clone, Debug)]
pub struct Tls {
    /// The CA that signed the server's certificate (made for `127.0.0.1`, no host name).
    pub ca: PathBuf,
    /// A CA that signed nothing the server presents.
    pub other_ca: PathBuf,
}

/// Starts a cluster and returns its admin URL.
pub fn start(target: &Path) -> Result<String, String> {
    Cluster::new(target, "pg").map(|c| c.url())
}

impl Cluster {
    /// Makes a cluster in `target/NAME-PID` and starts it.
    pub fn new(target: &Path, name: &str) -> Result<Cluster, String> {
        Cluster::create(target, name, false)
    }

    /// Makes a cluster that speaks TLS, with a certificate for `127.0.0.1` signed by a CA of its
    /// own ([`Cluster::tls`]), and whose `pg_hba.conf` lets TCP clients in over TLS only
    /// (`hostssl`): a plain connection is refused. [`SCRAM_ROLE`] must give its password. Unix-socket connections are let in
    /// ([`Cluster::socket_url`]), for the tests' own statements.
    pub fn with_tls(target: &Path, name: &str) -> Result<Cluster, String> {
        Cluster::create(target, name, true)
    }

    fn create(target: &Path, name: &str, tls: bool) -> Result<Cluster, String> {
        let bin = bin_dir().ok_or("no initdb found (in /usr/lib/postgresql/*/bin or on PATH)")?;
        let root = target.join(format!("{name}-{}", std::process::id()));
        let data = root.join("data");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
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
            ])
            .arg("-D")
            .arg(&data))?;
        let tls = if tls {
            Some(Tls::write(&root, &data, root_user)?)
        } else {
            None
        };
        let cluster = Cluster {
            pg_ctl: bin.join("pg_ctl"),
            data,
            port: free_port()?,
            root_user,
            tls,
        };
        cluster.start()?;
        cluster.stop_when_this_process_ends(&root)?;
        Ok(cluster)
    }

    /// The URL of its `postgres` database, as the superuser.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// The URL of database `db` through the Unix socket, as the superuser: what tests use to
    /// prepare a cluster made by [`Cluster::with_tls`] (no TLS there, and `pg_hba.conf` allows it).
    pub fn socket_url(&self, db: &str) -> String {
        format!(
            "host='{}' port={} user=postgres dbname={db}",
            self.data.display(),
            self.port
        )
    }

    /// Its CA files, if it was made by [`Cluster::with_tls`].
    pub fn tls(&self) -> Option<&Tls> {
        self.tls.as_ref()
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    pub fn start(&self) -> Result<(), String> {
        let mut options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            self.port,
            self.data.display()
        );
        if self.tls.is_some() {
            options.push_str(" -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key");
        }
        run(self
            .pg_ctl()
            .arg("-l")
            .arg(self.data.join("log"))
            .args(["-w", "-o", &options, "start"]))
    }

    /// `pg_ctl stop` (fast: connections are ended, nothing is lost).
    pub fn stop(&self) -> Result<(), String> {
        run(self.pg_ctl().args(["-w", "-m", "fast", "stop"]))
    }

    fn pg_ctl(&self) -> Command {
        let mut command = as_postgres(self.root_user, &self.pg_ctl);
        command.arg("-D").arg(&self.data);
        command
    }

    /// A watchdog shell stops the cluster and removes its folder within a second of this
    /// process ending.
    fn stop_when_this_process_ends(&self, root: &Path) -> Result<(), String> {
        let stop = format!(
            "{} {} -D {} -m immediate stop",
            if self.root_user {
                "runuser -u postgres --"
            } else {
                ""
            },
            self.pg_ctl.display(),
            self.data.display()
        );
        Command::new("sh")
            .arg("-c")
            .arg(format!(
                "while kill -0 $1 2>/dev/null; do sleep 1; done; {stop}; rm -rf $2"
            ))
            .arg("watchdog")
            .arg(std::process::id().to_string())
            .arg(root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| format!("cannot start the watchdog: {e}"))
    }
}

impl Tls {
    /// Makes the CAs and the server's certificate: the CAs' files into `root`, the server's
    /// certificate, key and a `pg_hba.conf` with `hostssl` only into the cluster's `data`.
    fn write(root: &Path, data: &Path, root_user: bool) -> Result<Tls, String> {
        let ca = certificate_authority("jiedu test CA")?;
        let other = certificate_authority("another CA")?;
        let key = KeyPair::generate().map_err(|e| e.to_string())?;
        let server = CertificateParams::new(vec!["127.0.0.1".to_owned()])
            .and_then(|params| params.signed_by(&key, &ca))
            .map_err(|e| e.to_string())?;
        let tls = Tls {
            ca: root.join("ca.pem"),
            other_ca: root.join("other-ca.pem"),
        };
        write(&tls.ca, &ca.pem())?;
        write(&tls.other_ca, &other.pem())?;
        write(&data.join("server.crt"), &server.pem())?;
        let key_file = data.join("server.key");
        write(&key_file, &key.serialize_pem())?;
        // PostgreSQL refuses a key others may read, or that its user does not own.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("cannot chmod {}: {e}", key_file.display()))?;
        if root_user {
            run(Command::new("chown")
                .arg("postgres")
                .arg(&key_file)
                .arg(data.join("server.crt")))?;
        }
        write(
            &data.join("pg_hba.conf"),
            &format!(
                "local all all trust\n\
                 hostssl all {SCRAM_ROLE} 127.0.0.1/32 scram-sha-256\n\
                 hostssl all all 127.0.0.1/32 trust\n"
            ),
        )?;
        Ok(tls)
    }
}

/// A self-signed CA named `name`.
fn certificate_authority(name: &str) -> Result<CertifiedIssuer<'static, KeyPair>, String> {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    CertifiedIssuer::self_signed(params, key).map_err(|e| e.to_string())
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Runs statements on the database at `url` (see [`query`]). A server's error comes back as its
/// message.
pub fn admin(url: &str, sql: &str) -> Result<(), String> {
    query(url, sql).map(drop)
}

/// Runs statements on the database at `url` and returns the rows they gave, as text (`None` for
/// NULL): what a test reads behind the server's back. On a thread of its own, since callers may
/// be inside a runtime and this needs one of its own.
pub fn query(url: &str, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .map_err(|e| format!("{e} (PostgreSQL at {url})"))?;
            tokio::spawn(connection);
            let messages = client.simple_query(&sql).await.map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            })?;
            Ok(messages
                .iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect())
        })
    })
    .join()
    .expect("the admin thread ends")
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
