//! The `jiedu` command. Parses arguments and hands over to the library; nothing else lives here.

use clap::{Parser, Subcommand};

/// Jiedu (解读): policy documents with interpretations, FAQs and public consultation.
#[derive(Debug, Parser)]
#[command(name = "jiedu", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check authoring files and print diagnostics like rustc (exit 1 on errors).
    Check(jiedu_server::cli::CheckArgs),
    /// Compile authoring files to JSON (one file per document plus index.json), or to static HTML.
    Build(jiedu_server::cli::BuildArgs),
    /// Convert the plain text of an official document into the authoring format (Markdown on stdout).
    Import(jiedu_server::cli::ImportArgs),
    /// Print the JSON Schema of the compiled document format.
    Schema(jiedu_server::cli::SchemaArgs),
    /// Serve the demo page, the widget, the editor pages and the comment API.
    Serve(Box<jiedu_server::serve::ServeArgs>),
    /// Manage tokens and their roles.
    Token(jiedu_server::serve::TokenArgs),
    /// Copy the database to FILE while the server runs (a consistent snapshot).
    Backup(jiedu_server::serve::backup::BackupArgs),
    /// Put a copy made by `jiedu backup` back (the server must be stopped).
    Restore(jiedu_server::serve::backup::RestoreArgs),
    /// Copy every table of one database into another (SQLite to PostgreSQL), verified.
    MigrateDb(jiedu_server::serve::migrate::MigrateDbArgs),
    /// Write the published source of every document in the database back as `DIR/ID.md`.
    ExportContent(jiedu_server::serve::ExportContentArgs),
    /// Save files as new revisions on a server and submit them for sign-off.
    Publish(jiedu_server::cli::remote::PublishArgs),
    /// Approve (publish) the newest submitted revision of a document on a server.
    Approve(jiedu_server::cli::remote::ApproveArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result =
        match cli.command {
            Command::Check(args) => jiedu_server::cli::check(args),
            Command::Build(args) => jiedu_server::cli::build(args),
            Command::Import(args) => jiedu_server::cli::import(args),
            Command::Schema(args) => jiedu_server::cli::schema(args),
            Command::Serve(args) => {
                jiedu_server::serve::run(*args).map(|()| std::process::ExitCode::SUCCESS)
            }
            Command::Token(args) => {
                jiedu_server::serve::run_token(args).map(|()| std::process::ExitCode::SUCCESS)
            }
            Command::ExportContent(args) => jiedu_server::serve::run_export_content(args)
                .map(|()| std::process::ExitCode::SUCCESS),
            Command::MigrateDb(args) => {
                jiedu_server::serve::migrate::run(args).map(|()| std::process::ExitCode::SUCCESS)
            }
            Command::Backup(args) => jiedu_server::serve::backup::run_backup(args)
                .map(|()| std::process::ExitCode::SUCCESS),
            Command::Restore(args) => jiedu_server::serve::backup::run_restore(args)
                .map(|()| std::process::ExitCode::SUCCESS),
            Command::Publish(args) => jiedu_server::cli::remote::publish(args),
            Command::Approve(args) => jiedu_server::cli::remote::approve(args),
        };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
