//! Loading authoring files from disk: decoding, compiling and collecting diagnostics.
//!
//! Shared by `jiedu check`, `jiedu build` and `jiedu serve`, so every entry point reports a bad
//! file the same way. Decoding is strict: a file that is not UTF-8 is refused with a message that
//! says which encoding it looks like (GBK is common for government text) and how to convert it,
//! unless the caller asked for that encoding explicitly.

use std::fmt;
use std::path::{Path, PathBuf};

use jiedu_core::Document;
use jiedu_core::authoring;
use jiedu_core::diagnostic::{Diagnostic, Severity};

/// The text encodings an input file may be declared to have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark).
    #[default]
    Utf8,
    /// GBK / GB18030, as saved by many Chinese editions of Word and WPS.
    Gbk,
}

/// Why an input file could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {path}: {err}")]
    Io { path: PathBuf, err: std::io::Error },
    #[error(
        "{path} is not UTF-8 text; it looks like GBK (GB18030), as saved by Chinese Word/WPS. \
         Convert it with `--encoding gbk`, or save it as UTF-8"
    )]
    LooksGbk { path: PathBuf },
    #[error("{path} is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8")]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{path} is not valid {encoding:?} text either; check the file's encoding")]
    BadDeclared { path: PathBuf, encoding: Encoding },
    #[error("{path} is empty")]
    Empty { path: PathBuf },
    #[error("{path} is a directory with no .md files")]
    NoFiles { path: PathBuf },
}

/// Reads a text file, decoding it as declared. A UTF-8 byte-order mark is dropped.
pub fn read_text(path: &Path, encoding: Encoding) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|err| ReadError::Io {
        path: path.to_owned(),
        err,
    })?;
    let text = decode(path, &bytes, encoding)?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(text)
}

fn decode(path: &Path, bytes: &[u8], encoding: Encoding) -> Result<String, ReadError> {
    match encoding {
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()),
            Err(err) => {
                let (_, _, had_errors) = encoding_rs::GB18030.decode(bytes);
                if had_errors {
                    Err(ReadError::NotUtf8 {
                        path: path.to_owned(),
                        offset: err.valid_up_to(),
                    })
                } else {
                    Err(ReadError::LooksGbk {
                        path: path.to_owned(),
                    })
                }
            }
        },
        Encoding::Gbk => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(ReadError::BadDeclared {
                    path: path.to_owned(),
                    encoding,
                });
            }
            Ok(text.into_owned())
        }
    }
}

/// Expands directories to the `.md` files directly inside them, sorted by name.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ReadError> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|err| ReadError::Io {
                path: input.clone(),
                err,
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
                .collect();
            if found.is_empty() {
                return Err(ReadError::NoFiles {
                    path: input.clone(),
                });
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

/// One compiled authoring file.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub source: String,
    pub document: Option<Document>,
    pub diagnostics: Vec<Diagnostic>,
    /// The language the diagnostics are in (the document's own).
    pub lang: jiedu_core::Lang,
}

impl SourceFile {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// The diagnostics rendered like rustc, with this file's path.
    pub fn render_diagnostics(&self) -> String {
        let name = self.path.display().to_string();
        self.diagnostics
            .iter()
            .map(|d| d.render(&name, &self.source))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Reads and compiles one file.
pub fn compile_file(path: &Path, encoding: Encoding) -> Result<SourceFile, ReadError> {
    let source = read_text(path, encoding)?;
    let compiled = authoring::compile(&source);
    Ok(SourceFile {
        path: path.to_owned(),
        source,
        document: compiled.document,
        diagnostics: compiled.diagnostics,
        lang: compiled.lang,
    })
}

/// Why a set of documents could not be loaded as a whole.
#[derive(Debug)]
pub enum LoadError {
    Read(ReadError),
    /// Some files have errors; the rendered diagnostics of all files are included.
    Invalid {
        files_with_errors: Vec<PathBuf>,
        rendered: String,
    },
    /// Two files declare the same document id.
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read(e) => e.fmt(f),
            LoadError::Invalid {
                files_with_errors,
                rendered,
            } => {
                write!(
                    f,
                    "{rendered}\n{} file(s) have errors:",
                    files_with_errors.len()
                )?;
                for p in files_with_errors {
                    write!(f, " {}", p.display())?;
                }
                Ok(())
            }
            LoadError::DuplicateId { id, first, second } => write!(
                f,
                "document id `{id}` is used by both {} and {}; ids must be unique",
                first.display(),
                second.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ReadError> for LoadError {
    fn from(e: ReadError) -> Self {
        LoadError::Read(e)
    }
}

/// Compiles every input (files or directories of `.md`) and returns the documents, or every
/// problem at once: a site is published whole or not at all, so a bad file never half-updates it.
pub fn load_documents(
    inputs: &[PathBuf],
    encoding: Encoding,
) -> Result<Vec<SourceFile>, LoadError> {
    let files = expand_inputs(inputs)?;
    let compiled = files
        .iter()
        .map(|p| compile_file(p, encoding))
        .collect::<Result<Vec<_>, _>>()?;
    let bad: Vec<&SourceFile> = compiled.iter().filter(|f| f.document.is_none()).collect();
    if !bad.is_empty() {
        return Err(LoadError::Invalid {
            files_with_errors: bad.iter().map(|f| f.path.clone()).collect(),
            rendered: bad
                .iter()
                .map(|f| f.render_diagnostics())
                .collect::<Vec<_>>()
                .join("\n"),
        });
    }
    for (i, a) in compiled.iter().enumerate() {
        let a_id = &a.document.as_ref().expect("checked above").id;
        if let Some(b) = compiled[..i]
            .iter()
            .find(|b| &b.document.as_ref().expect("checked above").id == a_id)
        {
            return Err(LoadError::DuplicateId {
                id: a_id.clone(),
                first: b.path.clone(),
                second: a.path.clone(),
            });
        }
    }
    Ok(compiled)
}
