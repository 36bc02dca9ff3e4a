//! The authoring commands: `check`, `build`, `import`, `schema`.
//!
//! They read files, call jiedu-core and print. Diagnostics go to stderr, rendered like rustc's;
//! products (Markdown, JSON Schema) go to stdout or to the output directory.

pub(crate) mod html;
pub mod remote;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use jiedu_core::{DocumentIndex, FORMAT_VERSION, Lang};

use crate::content::{self, Encoding, LoadError};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Authoring files, or directories whose `.md` files are checked.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub inputs: Vec<PathBuf>,
    /// Treat warnings as errors (exit 1 when there is any diagnostic).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print diagnostics as JSON lines (one object per diagnostic, with `file`) instead of text.
    #[arg(long)]
    pub json: bool,
    /// The encoding of the input files.
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    pub encoding: Encoding,
    /// The language of the messages [default: each document's own, zh-CN unless it says en].
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// A language of the diagnostics.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LangArg {
    #[value(name = "zh-CN", alias = "zh")]
    ZhCn,
    #[value(name = "en")]
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::ZhCn => Lang::ZhCn,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Authoring files, or directories whose `.md` files are built.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub inputs: Vec<PathBuf>,
    /// Where to write `ID.json` for each document and `index.json`.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Also write a static HTML page per document (`ID.html`, plus `index.html`), readable without
    /// JavaScript, and for a document that `replaces` another one of the build the comparison
    /// (修改前后对照表, `ID.compare.html`).
    #[arg(long)]
    pub html: bool,
    /// The encoding of the input files.
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    pub encoding: Encoding,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The plain text of an official document, as pasted from Word or PDF.
    #[arg(value_name = "FILE.txt")]
    pub input: PathBuf,
    /// The encoding of the input file.
    #[arg(long, value_enum, default_value_t = Encoding::Utf8)]
    pub encoding: Encoding,
    /// The language of the notes and the summary: zh-CN or en.
    #[arg(long, default_value = "zh-CN", value_parser = parse_lang)]
    pub lang: jiedu_core::Lang,
}

/// A language as the documents write it (`zh-CN`, `en`), read through the model's own serde
/// names so that there is one table of them.
fn parse_lang(s: &str) -> Result<jiedu_core::Lang, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| format!("`{s}` is not a language: use zh-CN or en"))
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, default_value_t = SchemaKind::Document)]
    pub kind: SchemaKind,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SchemaKind {
    /// A compiled document (`ID.json`).
    Document,
    /// The document list (`index.json`).
    Index,
    /// A comment as submitted to the API.
    Comment,
    /// The comparison of two versions (修改前后对照), as the compare view reads it.
    Diff,
}

/// `jiedu check`: prints every diagnostic of every file; exit 1 when any file has errors.
pub fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let files = content::expand_inputs(&args.inputs)?;
    let (mut errors, mut warnings) = (0, 0);
    // The closing line speaks like the diagnostics: `--lang`, else English only when every
    // file checked is an English document.
    let mut all_english = !files.is_empty();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &files {
        let mut file = content::compile_file(path, args.encoding)?;
        if let Some(lang) = args.lang {
            file.diagnostics = std::mem::take(&mut file.diagnostics)
                .into_iter()
                .map(|d| d.in_lang(lang.into()))
                .collect();
        }
        all_english &= file.lang == Lang::En;
        errors += file.errors();
        warnings += file.warnings();
        if args.json {
            for d in &file.diagnostics {
                let mut value = serde_json::to_value(d)?;
                value["file"] = serde_json::Value::String(path.display().to_string());
                writeln!(out, "{value}")?;
            }
        } else if !file.diagnostics.is_empty() {
            eprintln!("{}", file.render_diagnostics());
        }
    }
    if !args.json {
        let lang = args
            .lang
            .map_or(if all_english { Lang::En } else { Lang::ZhCn }, Into::into);
        let n = files.len();
        match lang {
            Lang::En => eprintln!("checked {n} file(s): {errors} error(s), {warnings} warning(s)"),
            Lang::ZhCn => eprintln!("已检查 {n} 个文件：{errors} 个错误，{warnings} 个警告"),
        }
    }
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `jiedu build`: compiles every input; writes nothing unless every file compiles.
pub fn build(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let files = match content::load_documents(&args.inputs, args.encoding) {
        Ok(files) => files,
        Err(LoadError::Invalid {
            rendered,
            files_with_errors,
        }) => {
            eprintln!("{rendered}");
            eprintln!(
                "build failed: {} file(s) have errors; nothing was written",
                files_with_errors.len()
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(other) => return Err(other.into()),
    };
    for file in &files {
        if file.warnings() > 0 {
            eprintln!("{}", file.render_diagnostics());
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let documents: Vec<_> = files.iter().filter_map(|f| f.document.as_ref()).collect();
    for doc in &documents {
        write_file(
            &args.out.join(format!("{}.json", doc.id)),
            &serde_json::to_string(doc)?,
        )?;
        if args.html {
            write_html(&args.out, doc, &documents)?;
        }
    }
    let media = copy_media(&args.inputs, &args.out.join("media"))?;
    let index = DocumentIndex {
        format_version: FORMAT_VERSION,
        documents: documents.iter().map(|d| d.summary()).collect(),
    };
    write_file(
        &args.out.join("index.json"),
        &serde_json::to_string_pretty(&index)?,
    )?;
    if args.html {
        write_file(&args.out.join("index.html"), &html::index_page(&index))?;
    }
    eprintln!(
        "built {} document(s) and copied {media} media file(s) into {}",
        documents.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `ID.html`, and `ID.compare.html` when the document replaces another one of the build.
fn write_html(
    out: &std::path::Path,
    doc: &jiedu_core::Document,
    all: &[&jiedu_core::Document],
) -> anyhow::Result<()> {
    let versions = html::Versions {
        replaces: doc
            .replaces
            .as_deref()
            .and_then(|id| all.iter().find(|d| d.id == id).copied()),
        replaced_by: all
            .iter()
            .find(|d| d.replaces.as_deref() == Some(doc.id.as_str()))
            .copied(),
    };
    write_file(
        &out.join(format!("{}.html", doc.id)),
        &html::document_page(doc, versions),
    )?;
    if let Some(old) = versions.replaces {
        write_file(
            &out.join(html::compare_file(doc)),
            &html::compare_page(old, doc, true),
        )?;
    }
    Ok(())
}

/// Copies the `media/` folder beside the inputs (images and videos the documents refer to with
/// relative URLs such as `media/chart.svg`) to `out`, so the built site is complete.
fn copy_media(inputs: &[PathBuf], out: &std::path::Path) -> anyhow::Result<usize> {
    let mut copied = 0;
    let mut seen = Vec::new();
    for input in inputs {
        let dir = if input.is_dir() {
            input.as_path()
        } else {
            input.parent().unwrap_or(std::path::Path::new("."))
        };
        let media = dir.join("media");
        if !media.is_dir() || seen.contains(&media) {
            continue;
        }
        copied += copy_tree(&media, out)?;
        seen.push(media);
    }
    Ok(copied)
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) -> anyhow::Result<usize> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let mut copied = 0;
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).with_context(|| {
                format!(
                    "cannot copy {} to {}",
                    entry.path().display(),
                    target.display()
                )
            })?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Writes through a temporary file and a rename, so a reader never sees half a file.
fn write_file(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// `jiedu import`: Markdown on stdout; on stderr the notes about what was guessed or changed,
/// then the summary (provisions per level, metadata found and missing, attachments kept).
pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let text = content::read_text(&args.input, args.encoding)?;
    let imported = jiedu_core::import::import(&text);
    let file = args.input.display().to_string();
    let mut stderr = String::new();
    for note in &imported.notes {
        stderr.push_str(&note.render(&file, args.lang));
        stderr.push('\n');
    }
    stderr.push_str(&imported.summary.render(args.lang));
    std::io::stdout().write_all(imported.markdown.as_bytes())?;
    std::io::stderr().write_all(stderr.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `jiedu schema`: the JSON Schema of the compiled format, generated from the types.
pub fn schema(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    println!("{}", schema_json(args.kind));
    Ok(ExitCode::SUCCESS)
}

/// The pretty-printed JSON Schema of one of the public formats.
pub fn schema_json(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Document => schemars::schema_for!(jiedu_core::Document),
        SchemaKind::Index => schemars::schema_for!(jiedu_core::DocumentIndex),
        SchemaKind::Comment => schemars::schema_for!(jiedu_core::comment::NewComment),
        SchemaKind::Diff => schemars::schema_for!(jiedu_core::diff::DocumentDiff),
    };
    serde_json::to_string_pretty(&schema).expect("a schema always serialises")
}
