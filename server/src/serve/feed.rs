//! Atom feeds (RFC 4287) of what the server publishes: each publication of a document, each
//! interpretation when it first appears (follow-ups included), each feedback report, for the
//! whole site and per document, so news sites and new-media platforms can pick them up.
//!
//! The XML is written by hand with every text escaped ([`escape`]); links are relative to the
//! feed's own URL, which Atom allows. Withdrawn documents are left out.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiedu_core::{Document, Timestamp};

use super::documents;
use super::error::AppError;
use super::extract::ApiPath;
use super::state::AppState;
use super::store;

/// One entry of a feed.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// RFC 3339.
    pub updated: String,
    pub link: String,
    pub summary: String,
    /// `document`, `feedback`, or the interpretation's kind.
    pub category: String,
    pub author: Option<String>,
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn unix(ts: &str) -> i64 {
    ts.parse::<Timestamp>().map_or(0, |t| t.unix_seconds())
}

/// The feed as XML, entries newest first.
pub fn atom(id: &str, title: &str, self_href: &str, mut entries: Vec<Entry>) -> String {
    entries.sort_by_key(|e| std::cmp::Reverse(unix(&e.updated)));
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |e| e.updated.as_str());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n\
         <author><name>Jiedu</name></author>\n",
        escape(id),
        escape(title),
        escape(updated),
        escape(self_href)
    );
    for e in &entries {
        xml.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n\
             <link rel=\"alternate\" href=\"{}\"/>\n<category term=\"{}\"/>\n",
            escape(&e.id),
            escape(&e.title),
            escape(&e.updated),
            escape(&e.link),
            escape(&e.category)
        ));
        if let Some(author) = &e.author {
            xml.push_str(&format!(
                "<author><name>{}</name></author>\n",
                escape(author)
            ));
        }
        xml.push_str(&format!(
            "<summary>{}</summary>\n</entry>\n",
            escape(&e.summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// How long a summary of an interpretation may be, in characters.
const SUMMARY_CHARS: usize = 280;

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(SUMMARY_CHARS).collect();
    if text.chars().count() > SUMMARY_CHARS {
        out.push('…');
    }
    out
}

/// The entries of one document: its publications, its interpretations (each once, when it first
/// appeared), its feedback reports.
fn document_entries(
    publications: &[documents::Publication],
    reports: &[(u64, String)],
) -> Vec<Entry> {
    let Some(latest) = publications.last() else {
        return Vec::new();
    };
    let id = &latest.document.id;
    let link = format!("/api/v1/documents/{id}");
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for p in publications {
        entries.push(publication_entry(p, &link));
        for i in &p.document.interpretations {
            if !seen.insert(i.id.clone()) {
                continue;
            }
            entries.push(Entry {
                id: format!("urn:jiedu:{id}:interpretation:{}", i.id),
                title: format!("{}：{}", p.document.title, i.title),
                updated: i
                    .date
                    .map_or_else(|| p.at.clone(), |d| format!("{d}T00:00:00Z")),
                link: format!("{link}#{}", i.id),
                summary: shorten(&i.body.plain_text()),
                category: i.kind.as_str().to_owned(),
                author: i.by.clone(),
            });
        }
    }
    for (version, at) in reports {
        entries.push(Entry {
            id: format!("urn:jiedu:{id}:feedback:{version}"),
            title: format!("{}：意见采纳情况（第{version}版）", latest.document.title),
            updated: at.clone(),
            link: format!("{link}/feedback"),
            summary: format!("公开征求意见的采纳情况（第{version}版）。"),
            category: "feedback".into(),
            author: latest.document.issuer.clone(),
        });
    }
    entries
}

fn publication_entry(p: &documents::Publication, link: &str) -> Entry {
    let doc: &Document = &p.document;
    Entry {
        id: format!("urn:jiedu:{}:revision:{}", doc.id, p.revision),
        title: doc.title.clone(),
        updated: p.at.clone(),
        link: link.to_owned(),
        summary: doc
            .summary
            .clone()
            .or_else(|| doc.doc_number.clone())
            .unwrap_or_else(|| doc.title.clone()),
        category: "document".into(),
        author: doc.issuer.clone(),
    }
}

/// The entries of the given (served) documents, read from the database.
async fn entries_of(state: &AppState, ids: Vec<String>) -> Result<Vec<Entry>, AppError> {
    let entries = state
        .reads
        .run(move |conn| {
            let mut entries = Vec::new();
            for id in &ids {
                let publications = documents::publications(conn, id)?;
                let reports = store::report_versions(conn, id)?;
                entries.extend(document_entries(&publications, &reports));
            }
            Ok(entries)
        })
        .await?;
    Ok(entries)
}

fn atom_response(xml: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        xml,
    )
        .into_response()
}

/// `GET /api/v1/feed.atom`: everything the site publishes.
pub async fn site_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let ids = state
        .site()
        .documents
        .iter()
        .map(|d| d.doc.id.clone())
        .collect();
    let entries = entries_of(&state, ids).await?;
    Ok(atom_response(atom(
        "urn:jiedu:feed",
        "政策文件与解读",
        "/api/v1/feed.atom",
        entries,
    )))
}

/// `GET /api/v1/documents/{id}/feed.atom`: one document's publications, interpretations and
/// feedback reports.
pub async fn document_feed(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    let served = state.site().get(&id)?;
    let entries = entries_of(&state, vec![id.clone()]).await?;
    Ok(atom_response(atom(
        &format!("urn:jiedu:feed:{id}"),
        &served.doc.title,
        &format!("/api/v1/documents/{id}/feed.atom"),
        entries,
    )))
}
