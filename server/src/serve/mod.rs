//! The consultation server (`jiedu serve`) and its token command (`jiedu token`).
//!
//! One process serves the documents kept in its SQLite file (seeded from `content/`), the widget
//! and editor pages, the comment API and the editors' sign-off workflow. The modules, from the outside in:
//! - [`config`]: flags, environment and TOML file resolved into one [`Config`];
//! - [`mod@app`]: the router and its middleware ([`app()`]);
//! - [`public`], [`editor`], [`workflow`], [`feed`], [`site`]: the handlers; [`openapi`]: the API's description;
//! - [`extract`]: what handlers take from a request; [`state`]: what they share ([`AppState`]);
//! - [`error`]: the one error type and its localised JSON body;
//! - [`store`]: the SQL of comments and tokens; [`documents`]: documents, revisions, seeding;
//!   [`db`]: migrations, the read pool and the group-commit writer;
//! - [`secrets`], [`ratelimit`], [`export`], [`clock`]: the small pieces they use.

pub mod app;
pub mod backup;
pub mod clock;
pub mod config;
pub mod db;
pub mod documents;
pub mod editor;
pub mod error;
pub mod etag;
pub mod export;
pub mod extract;
pub mod feed;
pub mod keyfile;
pub mod listen;
pub mod media;
pub mod migrate;
pub mod openapi;
pub mod pg;
pub mod pg_tls;
pub mod public;
pub mod ratelimit;
pub mod reports;
pub mod retention;
pub mod secrets;
pub mod site;
pub mod sql;
pub mod state;
pub mod store;
pub mod workflow;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;

pub use app::{api_routes, app};
pub use clock::Clock;
pub use config::{Config, LogFormat, ServeArgs};
pub use documents::{Compiled, Seed};
pub use state::AppState;

/// Arguments of `jiedu token`.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (the only time it is shown; only its hash is stored).
    Create {
        /// Who holds the token; shown in the audit log (e.g. `zhang.san`).
        #[arg(long)]
        name: String,
        /// What it may do: `editor` (review comments, draft and submit), `approver` (also approve,
        /// send back, withdraw) or `admin` (also manage tokens).
        #[arg(long, default_value = "editor")]
        role: store::Role,
    },
    /// List the tokens: name, role, created, revoked.
    List,
    /// Change the role of a token.
    SetRole {
        /// The token's name.
        name: String,
        /// `editor`, `approver` or `admin`.
        role: store::Role,
    },
    /// Revoke a token by its name; requests with it are refused from then on.
    Revoke {
        /// The token's name.
        name: String,
    },
}

/// Compiles the authoring files of the content directory into seeds for the database. Warnings
/// are logged; any error stops the start with every diagnostic (a site is seeded whole or not at
/// all).
pub fn load_content(dir: &std::path::Path) -> anyhow::Result<Vec<Seed>> {
    use crate::content::{Encoding, LoadError, ReadError, load_documents};
    if !dir.is_dir() {
        anyhow::bail!(
            "the content directory {} does not exist; create it or set --content-dir",
            dir.display()
        );
    }
    match load_documents(&[dir.to_owned()], Encoding::Utf8) {
        Ok(files) => Ok(files
            .into_iter()
            .filter_map(|file| {
                if file.warnings() > 0 {
                    tracing::warn!(
                        file = %file.path.display(),
                        "document has warnings:\n{}",
                        file.render_diagnostics()
                    );
                }
                let document = file.document?;
                Some(Seed {
                    origin: file.path.display().to_string(),
                    compiled: Compiled {
                        source: file.source,
                        document,
                        diagnostics: file.diagnostics,
                    },
                })
            })
            .collect()),
        Err(LoadError::Read(ReadError::NoFiles { .. })) => {
            tracing::warn!(dir = %dir.display(), "the content directory has no .md files; serving no documents");
            Ok(Vec::new())
        }
        Err(e) => Err(anyhow::anyhow!("{e}"))
            .with_context(|| format!("cannot compile the documents in {}", dir.display())),
    }
}

fn init_logging(config: &Config) -> anyhow::Result<()> {
    let filter: tracing_subscriber::filter::Targets = config
        .log
        .parse()
        .with_context(|| format!("`{}` is not a log filter", config.log))?;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let registry = tracing_subscriber::registry().with(filter);
    let result = match config.log_format {
        LogFormat::Text => registry
            .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
            .try_init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::stderr),
            )
            .try_init(),
    };
    result.context("cannot start logging")
}

/// `jiedu serve`.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::load(&args)?;
    if args.print_config {
        print!("{}", config.to_toml());
        return Ok(());
    }
    init_logging(&config)?;
    let seeds = load_content(&config.content_dir)?;
    let clock = match config.now {
        Some(now) => {
            tracing::warn!(%now, "the server clock starts at a fixed instant (--now); do not use this in production");
            Clock::starting_at(now.unix_seconds())
        }
        None => Clock::System,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("jiedu-http")
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(config, seeds, clock))
}

async fn serve(config: Config, seeds: Vec<Seed>, clock: Clock) -> anyhow::Result<()> {
    let bind = config.bind;
    let database = config.database();
    let limits = listen::Limits {
        max_connections: listen::max_connections(config.max_connections),
        header_read_timeout: Duration::from_secs(config.header_read_timeout.max(1)),
        // A request in progress moves no bytes while its handler works: the idle timeout
        // must not end it before the request timeout does.
        idle_timeout: Duration::from_secs(config.idle_timeout.max(config.request_timeout + 1)),
    };
    let state = AppState::open(config, seeds, clock)
        .with_context(|| format!("cannot open the database {database}"))?;
    let count = state.site().documents.len();
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let local = listener.local_addr()?;
    // The first line on stdout says where the server is; scripts and tests read it.
    println!("listening on http://{local}");
    std::io::stdout().flush().ok();
    tracing::info!(address = %local, documents = count, database = %state.database, "jiedu is serving");
    tokio::spawn(retention::run(state.clone()));
    tokio::spawn(state.clone().follow_publications());
    listen::serve(listener, app(state), limits, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Where the commands beside `serve` find the database: the same names as `serve`'s settings.
#[derive(Debug, clap::Args)]
pub struct DatabaseArgs {
    /// The TOML configuration file (for `database_url` and `data_dir`) [default: ./jiedu.toml if
    /// it exists].
    #[arg(long, global = true, env = "JIEDU_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder of the database `jiedu.db` [default: data].
    #[arg(long, global = true, env = "JIEDU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The database, `sqlite://PATH` or `postgres://…` [default: sqlite://DATA_DIR/jiedu.db].
    #[arg(
        long,
        global = true,
        env = "JIEDU_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<db::DatabaseUrl>,
}

impl DatabaseArgs {
    /// The database named by these arguments (see `database_of`).
    pub fn database(self) -> anyhow::Result<db::DatabaseUrl> {
        database_of(self.config.as_deref(), self.data_dir, self.database_url)
    }
}

/// The database for the commands beside `serve`: `--database-url` (or its variable), else the
/// configuration file's `database_url`, else SQLite in the data directory (flag, file, default).
pub(crate) fn database_of(
    config_file: Option<&std::path::Path>,
    data_dir: Option<PathBuf>,
    database_url: Option<db::DatabaseUrl>,
) -> anyhow::Result<db::DatabaseUrl> {
    if let Some(url) = database_url {
        return Ok(url);
    }
    let file = read_config_file(config_file)?;
    if let Some(url) = file.as_ref().and_then(|f| f.database_url.as_deref()) {
        return Ok(url.parse()?);
    }
    let data_dir = data_dir
        .or(file.and_then(|f| f.data_dir))
        .unwrap_or_else(|| Config::default().data_dir);
    Ok(db::DatabaseUrl::in_data_dir(&data_dir))
}

/// The configuration file named, else `jiedu.toml` if it exists.
fn read_config_file(
    config_file: Option<&std::path::Path>,
) -> anyhow::Result<Option<config::ConfigFile>> {
    Ok(match config_file {
        Some(path) => Some(config::read_file(path)?),
        None if std::path::Path::new(config::DEFAULT_CONFIG_FILE).is_file() => Some(
            config::read_file(std::path::Path::new(config::DEFAULT_CONFIG_FILE))?,
        ),
        None => None,
    })
}

/// Arguments of `jiedu export-content`.
#[derive(Debug, clap::Args)]
pub struct ExportContentArgs {
    /// Folder to write `ID.md` files into (created if missing; files of the same name are replaced).
    pub dir: PathBuf,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// `jiedu export-content DIR`: the published source of every document, as `DIR/ID.md`.
pub fn run_export_content(args: ExportContentArgs) -> anyhow::Result<()> {
    let url = args.db.database()?;
    let mut direct =
        db::Direct::open(&url).with_context(|| format!("cannot open the database {url}"))?;
    let sources = direct.transaction(documents::published_sources)?;
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    for (id, source) in &sources {
        let path = args.dir.join(format!("{id}.md"));
        std::fs::write(&path, source)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    eprintln!(
        "Wrote the published source of {} document(s).",
        sources.len()
    );
    Ok(())
}

/// `jiedu token`.
pub fn run_token(args: TokenArgs) -> anyhow::Result<()> {
    let url = args.db.database()?;
    let mut direct =
        db::Direct::open(&url).with_context(|| format!("cannot open the database {url}"))?;
    let now = store::format_time(Clock::System.now(), 0);
    match args.command {
        TokenCommand::Create { name, role } => {
            let token = direct.transaction(|c| store::create_token(c, &name, role, "cli", &now))?;
            println!("{token}");
            eprintln!(
                "Created the {} token `{name}` in {}. Copy it now: it is not shown again.",
                role.as_str(),
                url
            );
        }
        TokenCommand::List => {
            let tokens = direct.transaction(store::list_tokens)?;
            if tokens.is_empty() {
                eprintln!("No tokens yet; create one with `jiedu token create --name NAME`.");
            }
            for t in tokens {
                let state = match &t.revoked_at {
                    Some(revoked) => format!("revoked {revoked}"),
                    None => "active".to_owned(),
                };
                println!(
                    "{}\t{}\tcreated {}\t{state}",
                    t.name,
                    t.role.as_str(),
                    t.created_at
                );
            }
        }
        TokenCommand::SetRole { name, role } => {
            direct.transaction(|c| store::set_role(c, &name, role, "cli", &now))?;
            eprintln!("The token `{name}` is now {}.", role.as_str());
        }
        TokenCommand::Revoke { name } => {
            direct.transaction(|c| store::revoke_token(c, &name, "cli", &now))?;
            eprintln!("Revoked the token `{name}`.");
        }
    }
    Ok(())
}
