//! Where `jiedu serve` takes its settings from: flags, then `JIEDU_*` environment variables, then
//! the TOML file, then built-in defaults.
//!
//! Every setting has one name in three spellings: `data_dir` in the file, `JIEDU_DATA_DIR` in the
//! environment, `--data-dir` on the command line. clap resolves flag-over-environment; this module
//! lays the file and the defaults underneath, so the precedence is implemented in one place and
//! documented in `docs/server.md`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use jiedu_core::Timestamp;
use serde::Deserialize;

use super::db::{DatabaseUrl, DbError};

/// The file read when neither `--config` nor `JIEDU_CONFIG` names one (if it exists).
pub const DEFAULT_CONFIG_FILE: &str = "jiedu.toml";

/// Arguments of `jiedu serve`. Every option can also be set by its environment variable or in the
/// configuration file; flags win over the environment, which wins over the file.
#[derive(Debug, Default, clap::Args)]
#[command(after_long_help = "\
Precedence: flags > JIEDU_* environment variables > configuration file > defaults.
The configuration file uses the same names with underscores (data_dir = \"data\").
See docs/server.md for the API and for operating the server.")]
pub struct ServeArgs {
    /// The TOML configuration file [default: ./jiedu.toml if it exists].
    #[arg(long, env = "JIEDU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address and port to listen on; port 0 picks a free port (printed on stdout) [default: 127.0.0.1:8080].
    #[arg(long, env = "JIEDU_BIND", value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Folder of authoring files (`*.md`) compiled at start [default: content].
    #[arg(long, env = "JIEDU_CONTENT_DIR", value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
    /// Folder of the database `jiedu.db` (and of `ip-hash.key`), created if missing [default: data].
    #[arg(long, env = "JIEDU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The database: `sqlite://PATH` or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (TLS:
    /// `?sslmode=require&sslrootcert=CA.pem`) [default: sqlite://DATA_DIR/jiedu.db].
    #[arg(
        long,
        env = "JIEDU_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<DatabaseUrl>,
    /// Folder of the built widget, served under /dist/ [default: dist].
    #[arg(long, env = "JIEDU_DIST_DIR", value_name = "DIR")]
    pub dist_dir: Option<PathBuf>,
    /// Folder of the editor pages, served under /www/, /editor and /review [default: www].
    #[arg(long, env = "JIEDU_WWW_DIR", value_name = "DIR")]
    pub www_dir: Option<PathBuf>,
    /// The host page served at / [default: index.html].
    #[arg(long, env = "JIEDU_INDEX", value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Origins allowed to POST from a browser (the sites that embed the widget), e.g.
    /// `https://www.example.gov.cn`; repeat the flag or separate with commas. The server's own
    /// origin is always allowed; GET requests are allowed from anywhere [default: none].
    #[arg(
        long = "allowed-origin",
        env = "JIEDU_ALLOWED_ORIGINS",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub allowed_origins: Option<Vec<String>>,
    /// The origin browsers use to reach this server when a reverse proxy stands in front of it,
    /// e.g. `https://zwgk.example.gov.cn`: pages from it may write even though the proxy
    /// rewrites `Host` [default: none].
    #[arg(long, env = "JIEDU_PUBLIC_ORIGIN", value_name = "ORIGIN")]
    pub public_origin: Option<String>,
    /// Comments accepted per minute from one IP address; 0 turns the limit off [default: 60].
    #[arg(long, env = "JIEDU_RATE_LIMIT_PER_MINUTE", value_name = "N")]
    pub rate_limit_per_minute: Option<u32>,
    /// Comments one IP address may send in a burst before the per-minute rate applies [default: 20].
    #[arg(long, env = "JIEDU_RATE_LIMIT_BURST", value_name = "N")]
    pub rate_limit_burst: Option<u32>,
    /// Days after a consultation closes that commenters' contact details are kept; then they
    /// are deleted (audited) [default: 180].
    #[arg(long, env = "JIEDU_CONTACT_RETENTION_DAYS", value_name = "DAYS")]
    pub contact_retention_days: Option<u32>,
    /// Largest size the database may grow to, in bytes; above it comments are answered
    /// `507 storage-full` until space is freed (a quota below the disk's) [default: no limit].
    #[arg(long, env = "JIEDU_MAX_DATABASE_BYTES", value_name = "BYTES")]
    pub max_database_bytes: Option<u64>,
    /// Largest image an editor may upload (PNG, JPEG, WebP, SVG), in bytes [default: 5242880].
    #[arg(long, env = "JIEDU_MAX_IMAGE_BYTES", value_name = "BYTES")]
    pub max_image_bytes: Option<u64>,
    /// Largest video an editor may upload (MP4, WebM), in bytes [default: 52428800].
    #[arg(long, env = "JIEDU_MAX_VIDEO_BYTES", value_name = "BYTES")]
    pub max_video_bytes: Option<u64>,
    /// Largest caption file (WebVTT) an editor may upload, in bytes [default: 1048576].
    #[arg(long, env = "JIEDU_MAX_CAPTIONS_BYTES", value_name = "BYTES")]
    pub max_captions_bytes: Option<u64>,
    /// Largest request body accepted, in bytes (media uploads have their own limits) [default: 131072].
    #[arg(long, env = "JIEDU_BODY_LIMIT", value_name = "BYTES")]
    pub body_limit: Option<usize>,
    /// Seconds a request may take before it is answered with 408 [default: 30].
    #[arg(long, env = "JIEDU_REQUEST_TIMEOUT", value_name = "SECONDS")]
    pub request_timeout: Option<u64>,
    /// Seconds a client has to send a request's line and headers; also how long an idle
    /// keep-alive connection waits for its next request [default: 10].
    #[arg(long, env = "JIEDU_HEADER_READ_TIMEOUT", value_name = "SECONDS")]
    pub header_read_timeout: Option<u64>,
    /// Seconds a connection may move no byte either way before it is closed [default: 60].
    #[arg(long, env = "JIEDU_IDLE_TIMEOUT", value_name = "SECONDS")]
    pub idle_timeout: Option<u64>,
    /// Connections served at once; more wait until one closes. Keep it below the open-file
    /// limit (`ulimit -n`) [default: 10000].
    #[arg(long, env = "JIEDU_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Receipt lookups per minute from one IP address (receipts must not be guessable by
    /// trying); 0 turns the limit off [default: 30].
    #[arg(long, env = "JIEDU_RECEIPT_LOOKUPS_PER_MINUTE", value_name = "N")]
    pub receipt_lookups_per_minute: Option<u32>,
    /// Take the client address from the last `X-Forwarded-For` entry (set only behind a reverse
    /// proxy that writes it) [default: false].
    #[arg(long, env = "JIEDU_BEHIND_PROXY", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub behind_proxy: Option<bool>,
    /// Nobody approves a revision they wrote themselves (审签 by a second person); turn off only
    /// in a one-person office (the audit log records every self-approval) [default: true].
    #[arg(long, env = "JIEDU_REQUIRE_SIGN_OFF", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub require_sign_off: Option<bool>,
    /// Secret key for hashing client IP addresses; when unset, one is generated and kept in
    /// `ip-hash.key` (mode 0600) in the data directory, never in the database [default: generated].
    #[arg(
        long,
        env = "JIEDU_IP_HASH_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub ip_hash_secret: Option<String>,
    /// For tests and demos only: the server's clock starts at this instant (RFC 3339, e.g.
    /// `2026-12-15T10:00:00+08:00`) and runs on from there [default: the system clock].
    #[arg(long, env = "JIEDU_NOW", value_name = "TIMESTAMP")]
    pub now: Option<Timestamp>,
    /// Log filter: a level (`info`) or per-target levels (`warn,jiedu_server=debug`) [default: info].
    #[arg(long, env = "JIEDU_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// Log format: `text` or `json` (one JSON object per line) [default: text].
    #[arg(long, env = "JIEDU_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Print the effective configuration as TOML and exit.
    #[arg(long)]
    pub print_config: bool,
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The configuration file. Every key is optional; unknown keys are an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub bind: Option<SocketAddr>,
    pub content_dir: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub dist_dir: Option<PathBuf>,
    pub www_dir: Option<PathBuf>,
    pub index: Option<PathBuf>,
    pub allowed_origins: Option<Vec<String>>,
    pub public_origin: Option<String>,
    pub rate_limit_per_minute: Option<u32>,
    pub rate_limit_burst: Option<u32>,
    pub body_limit: Option<usize>,
    pub max_database_bytes: Option<u64>,
    pub max_image_bytes: Option<u64>,
    pub max_video_bytes: Option<u64>,
    pub max_captions_bytes: Option<u64>,
    pub contact_retention_days: Option<u32>,
    pub request_timeout: Option<u64>,
    pub behind_proxy: Option<bool>,
    pub header_read_timeout: Option<u64>,
    pub idle_timeout: Option<u64>,
    pub max_connections: Option<usize>,
    pub receipt_lookups_per_minute: Option<u32>,
    pub require_sign_off: Option<bool>,
    pub ip_hash_secret: Option<String>,
    pub now: Option<Timestamp>,
    pub log: Option<String>,
    pub log_format: Option<LogFormat>,
}

/// The effective settings of a running server.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Config {
    pub bind: SocketAddr,
    pub content_dir: PathBuf,
    pub data_dir: PathBuf,
    /// `None`: SQLite in `data_dir` (see [`Config::database`]).
    pub database_url: Option<DatabaseUrl>,
    pub dist_dir: PathBuf,
    pub www_dir: PathBuf,
    pub index: PathBuf,
    pub allowed_origins: Vec<String>,
    pub public_origin: Option<String>,
    pub rate_limit_per_minute: u32,
    pub rate_limit_burst: u32,
    pub body_limit: usize,
    pub max_database_bytes: Option<u64>,
    pub max_image_bytes: u64,
    pub max_video_bytes: u64,
    pub max_captions_bytes: u64,
    pub contact_retention_days: u32,
    pub request_timeout: u64,
    pub behind_proxy: bool,
    pub header_read_timeout: u64,
    pub idle_timeout: u64,
    pub max_connections: usize,
    pub receipt_lookups_per_minute: u32,
    pub require_sign_off: bool,
    /// Never printed: `--print-config` shows whether it is set, not its value.
    #[serde(skip)]
    pub ip_hash_secret: Option<String>,
    pub now: Option<Timestamp>,
    pub log: String,
    pub log_format: LogFormat,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            content_dir: "content".into(),
            data_dir: "data".into(),
            database_url: None,
            dist_dir: "dist".into(),
            www_dir: "www".into(),
            index: "index.html".into(),
            allowed_origins: Vec::new(),
            public_origin: None,
            rate_limit_per_minute: 60,
            rate_limit_burst: 20,
            body_limit: 128 * 1024,
            max_database_bytes: None,
            max_image_bytes: 5 * 1024 * 1024,
            max_video_bytes: 50 * 1024 * 1024,
            max_captions_bytes: 1024 * 1024,
            contact_retention_days: 180,
            request_timeout: 30,
            behind_proxy: false,
            header_read_timeout: 10,
            idle_timeout: 60,
            max_connections: 10_000,
            receipt_lookups_per_minute: 30,
            require_sign_off: true,
            ip_hash_secret: None,
            now: None,
            log: "info".into(),
            log_format: LogFormat::Text,
        }
    }
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("database_url: {0}")]
    BadDatabaseUrl(#[from] DbError),
    #[error(
        "`{origin}` is not an origin; write it as scheme://host[:port], e.g. https://www.example.gov.cn"
    )]
    BadOrigin { origin: String },
}

impl Config {
    /// Reads the configuration file named by the arguments (or `jiedu.toml` if present) and
    /// resolves every setting.
    pub fn load(args: &ServeArgs) -> Result<Config, ConfigError> {
        let file = match &args.config {
            Some(path) => Some(read_file(path)?),
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                Some(read_file(Path::new(DEFAULT_CONFIG_FILE))?)
            }
            None => None,
        };
        Config::resolve(args, file.unwrap_or_default())
    }

    /// Lays the arguments (flags and environment, already merged by clap) over the file over the
    /// defaults.
    pub fn resolve(args: &ServeArgs, file: ConfigFile) -> Result<Config, ConfigError> {
        let d = Config::default();
        let config = Config {
            bind: args.bind.or(file.bind).unwrap_or(d.bind),
            content_dir: pick(&args.content_dir, file.content_dir, d.content_dir),
            data_dir: pick(&args.data_dir, file.data_dir, d.data_dir),
            database_url: match (&args.database_url, file.database_url) {
                (Some(url), _) => Some(url.clone()),
                (None, Some(url)) => Some(url.parse()?),
                (None, None) => None,
            },
            dist_dir: pick(&args.dist_dir, file.dist_dir, d.dist_dir),
            www_dir: pick(&args.www_dir, file.www_dir, d.www_dir),
            index: pick(&args.index, file.index, d.index),
            allowed_origins: pick(
                &args.allowed_origins,
                file.allowed_origins,
                d.allowed_origins,
            )
            .into_iter()
            .map(|o| o.trim().trim_end_matches('/').to_owned())
            .filter(|o| !o.is_empty())
            .collect(),
            public_origin: args
                .public_origin
                .clone()
                .or(file.public_origin)
                .map(|o| o.trim().trim_end_matches('/').to_owned())
                .filter(|o| !o.is_empty()),
            rate_limit_per_minute: args
                .rate_limit_per_minute
                .or(file.rate_limit_per_minute)
                .unwrap_or(d.rate_limit_per_minute),
            rate_limit_burst: args
                .rate_limit_burst
                .or(file.rate_limit_burst)
                .unwrap_or(d.rate_limit_burst),
            body_limit: args.body_limit.or(file.body_limit).unwrap_or(d.body_limit),
            max_database_bytes: args.max_database_bytes.or(file.max_database_bytes),
            max_image_bytes: args
                .max_image_bytes
                .or(file.max_image_bytes)
                .unwrap_or(d.max_image_bytes),
            max_video_bytes: args
                .max_video_bytes
                .or(file.max_video_bytes)
                .unwrap_or(d.max_video_bytes),
            max_captions_bytes: args
                .max_captions_bytes
                .or(file.max_captions_bytes)
                .unwrap_or(d.max_captions_bytes),
            contact_retention_days: args
                .contact_retention_days
                .or(file.contact_retention_days)
                .unwrap_or(d.contact_retention_days),
            request_timeout: args
                .request_timeout
                .or(file.request_timeout)
                .unwrap_or(d.request_timeout),
            behind_proxy: args
                .behind_proxy
                .or(file.behind_proxy)
                .unwrap_or(d.behind_proxy),
            header_read_timeout: args
                .header_read_timeout
                .or(file.header_read_timeout)
                .unwrap_or(d.header_read_timeout),
            idle_timeout: args
                .idle_timeout
                .or(file.idle_timeout)
                .unwrap_or(d.idle_timeout),
            max_connections: args
                .max_connections
                .or(file.max_connections)
                .unwrap_or(d.max_connections),
            receipt_lookups_per_minute: args
                .receipt_lookups_per_minute
                .or(file.receipt_lookups_per_minute)
                .unwrap_or(d.receipt_lookups_per_minute),
            require_sign_off: args
                .require_sign_off
                .or(file.require_sign_off)
                .unwrap_or(d.require_sign_off),
            ip_hash_secret: args.ip_hash_secret.clone().or(file.ip_hash_secret),
            now: args.now.or(file.now),
            log: pick(&args.log, file.log, d.log),
            log_format: args.log_format.or(file.log_format).unwrap_or(d.log_format),
        };
        for origin in config.allowed_origins.iter().chain(&config.public_origin) {
            let ok = origin.split_once("://").is_some_and(|(scheme, rest)| {
                matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains('/')
            });
            if !ok {
                return Err(ConfigError::BadOrigin {
                    origin: origin.clone(),
                });
            }
        }
        Ok(config)
    }

    /// The database to open: `database_url`, else SQLite's `jiedu.db` in the data directory.
    pub fn database(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::in_data_dir(&self.data_dir))
    }

    /// The effective configuration as TOML, for `--print-config`. The IP-hash secret is shown
    /// only as set or not.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String| {
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&value);
            out.push('\n');
        };
        let s = |v: &str| format!("{v:?}");
        let p = |v: &Path| format!("{:?}", v.display().to_string());
        line("bind", s(&self.bind.to_string()));
        line("content_dir", p(&self.content_dir));
        line("data_dir", p(&self.data_dir));
        line("database_url", s(&self.database().to_string()));
        line("dist_dir", p(&self.dist_dir));
        line("www_dir", p(&self.www_dir));
        line("index", p(&self.index));
        line(
            "allowed_origins",
            format!(
                "[{}]",
                self.allowed_origins
                    .iter()
                    .map(|o| s(o))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        if let Some(origin) = &self.public_origin {
            line("public_origin", s(origin));
        }
        line(
            "rate_limit_per_minute",
            self.rate_limit_per_minute.to_string(),
        );
        line("rate_limit_burst", self.rate_limit_burst.to_string());
        line("body_limit", self.body_limit.to_string());
        line(
            "contact_retention_days",
            self.contact_retention_days.to_string(),
        );
        if let Some(bytes) = self.max_database_bytes {
            line("max_database_bytes", bytes.to_string());
        }
        line("max_image_bytes", self.max_image_bytes.to_string());
        line("max_video_bytes", self.max_video_bytes.to_string());
        line("max_captions_bytes", self.max_captions_bytes.to_string());
        line("request_timeout", self.request_timeout.to_string());
        line("behind_proxy", self.behind_proxy.to_string());
        line("header_read_timeout", self.header_read_timeout.to_string());
        line("idle_timeout", self.idle_timeout.to_string());
        line("max_connections", self.max_connections.to_string());
        line(
            "receipt_lookups_per_minute",
            self.receipt_lookups_per_minute.to_string(),
        );
        line("require_sign_off", self.require_sign_off.to_string());
        if let Some(now) = self.now {
            line("now", now.to_string());
        }
        line("log", s(&self.log));
        line(
            "log_format",
            s(match self.log_format {
                LogFormat::Text => "text",
                LogFormat::Json => "json",
            }),
        );
        out.push_str(&format!(
            "# ip_hash_secret: {}\n",
            if self.ip_hash_secret.is_some() {
                "set"
            } else {
                "not set (generated and kept in ip-hash.key in the data directory)"
            }
        ));
        out
    }
}

fn pick<T: Clone>(arg: &Option<T>, file: Option<T>, default: T) -> T {
    arg.clone().or(file).unwrap_or(default)
}

/// Reads and parses a configuration file.
pub fn read_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_owned(),
        message: e.to_string(),
    })
}
