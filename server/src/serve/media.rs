//! Media that editors upload: images, videos and WebVTT caption files, typed by their content,
//! stored in the database under the SHA-256 of their bytes and served under that name.
//!
//! **Typed by content.** The first bytes decide the type (PNG, JPEG, WebP and MP4, WebM by their
//! signatures, SVG by an XML root element `svg`, captions by the `WEBVTT` line); the file name
//! and the `Content-Type` of the upload are never read. A file that is none of these is refused
//! with 415, so an HTML page renamed `.png` is never stored, let alone served as HTML.
//!
//! **Content-addressed.** The name is `media/<sha256 hex>.<ext>`: the same bytes always get the
//! same name (a second upload adds no row and answers 200 instead of 201), and a name always
//! means the same bytes, so it is served `immutable` for a year.
//!
//! **In the database**, not in a folder: several server instances on one database see the same
//! files, and a backup of the database holds them (see ARCHITECTURE.md for the cost to the
//! group-committing writer).
//!
//! **Served so that nothing runs**: `nosniff`, and the media CSP (`sandbox`, `default-src
//! 'none'`), so an SVG opened directly runs no script on the server's origin; inside `<img>` it
//! never does. Files of the content directory's `media/` are served as before.

use super::sql::{Sql, params};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::Serialize;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::db::DbError;
use super::error::AppError;
use super::extract::{ApiPath, Editor};
use super::state::AppState;
use super::{secrets, store};

/// Media (uploads and the content folder's): shown by `<img>`/`<video>` (where this header does
/// nothing), but an SVG or HTML file opened directly runs no script on this origin (`sandbox`,
/// and `default-src 'none'` allows no script anyway).
pub const MEDIA_CSP: &str = "sandbox; default-src 'none'; img-src 'self' data:; \
    media-src 'self'; style-src 'unsafe-inline'";

/// What an upload can be. The extension of its name and its `Content-Type` follow from this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Png,
    Jpeg,
    Webp,
    Svg,
    Mp4,
    Webm,
    Vtt,
}

/// Which size limit applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Image,
    Video,
    Captions,
}

impl Class {
    /// The setting that limits this class (`max_image_bytes` …), named in a 413.
    pub fn setting(self) -> &'static str {
        match self {
            Class::Image => "max_image_bytes",
            Class::Video => "max_video_bytes",
            Class::Captions => "max_captions_bytes",
        }
    }
}

const KINDS: [Kind; 7] = [
    Kind::Png,
    Kind::Jpeg,
    Kind::Webp,
    Kind::Svg,
    Kind::Mp4,
    Kind::Webm,
    Kind::Vtt,
];

impl Kind {
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
            Kind::Webp => "webp",
            Kind::Svg => "svg",
            Kind::Mp4 => "mp4",
            Kind::Webm => "webm",
            Kind::Vtt => "vtt",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Webp => "image/webp",
            Kind::Svg => "image/svg+xml",
            Kind::Mp4 => "video/mp4",
            Kind::Webm => "video/webm",
            Kind::Vtt => "text/vtt; charset=utf-8",
        }
    }

    pub fn class(self) -> Class {
        match self {
            Kind::Png | Kind::Jpeg | Kind::Webp | Kind::Svg => Class::Image,
            Kind::Mp4 | Kind::Webm => Class::Video,
            Kind::Vtt => Class::Captions,
        }
    }

    fn from_ext(ext: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.ext() == ext)
    }
}

/// How many bytes [`sniff`] looks at: enough for an SVG's XML declaration, comments and
/// doctype before its root element.
pub const SNIFF_BYTES: usize = 8192;

/// The type of a file from its first bytes, or `None` when it is none of the accepted ones.
pub fn sniff(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if head.starts_with(b"\xff\xd8\xff") {
        Some(Kind::Jpeg)
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some(Kind::Webp)
    } else if head.len() >= 8 && &head[4..8] == b"ftyp" {
        Some(Kind::Mp4)
    } else if head.starts_with(b"\x1a\x45\xdf\xa3") && is_webm(head) {
        Some(Kind::Webm)
    } else if is_vtt(head) {
        Some(Kind::Vtt)
    } else if svg_root(head) {
        Some(Kind::Svg)
    } else {
        None
    }
}

/// An EBML header whose DocType (element `0x4282`) is `webm`, not another Matroska file.
fn is_webm(head: &[u8]) -> bool {
    let header = &head[..head.len().min(64)];
    header
        .windows(2)
        .position(|w| w == [0x42, 0x82])
        .is_some_and(|at| header[at + 2..].get(1..5) == Some(b"webm"))
}

/// `WEBVTT` at the start (after a byte-order mark), then a space, a tab or a line end.
fn is_vtt(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    text.strip_prefix(b"WEBVTT")
        .is_some_and(|rest| matches!(rest.first(), None | Some(b' ' | b'\t' | b'\n' | b'\r')))
}

/// XML whose root element is `svg`: after an optional byte-order mark, whitespace, the XML
/// declaration, processing instructions, comments and a doctype, the first element is `<svg`.
fn svg_root(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    loop {
        rest = trim_start(rest);
        let skip_to = |rest: &[u8], end: &[u8]| {
            rest.windows(end.len())
                .position(|w| w == end)
                .map(|at| at + end.len())
        };
        let next = if rest.starts_with(b"<?") {
            skip_to(rest, b"?>")
        } else if rest.starts_with(b"<!--") {
            skip_to(rest, b"-->")
        } else if rest.starts_with(b"<!DOCTYPE") {
            // A doctype with an internal subset (`[ … ]`) ends at `]>`.
            match (rest.iter().position(|&b| b == b'['), skip_to(rest, b">")) {
                (Some(open), Some(close)) if open < close => skip_to(rest, b"]>"),
                (_, close) => close,
            }
        } else {
            return rest.starts_with(b"<svg")
                && matches!(
                    rest.get(4),
                    Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
                );
        };
        match next {
            Some(at) => rest = &rest[at..],
            None => return false,
        }
    }
}

fn trim_start(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\n' | b'\r', tail @ ..] = s {
        s = tail;
    }
    s
}

/// The answer to an upload.
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    /// Relative, as a document writes it: `media/<sha256 hex>.<ext>`.
    pub url: String,
    /// The type found in the content: `image/png`, `video/mp4`, `text/vtt; charset=utf-8` …
    pub content_type: String,
    /// The size in bytes.
    pub bytes: u64,
}

/// Reads the body, deciding its type from the first [`SNIFF_BYTES`] and stopping as soon as it
/// is over that type's limit, so a 2 GB upload is refused after 5 MB for an image, not read.
async fn read_upload(
    body: Body,
    limit: impl Fn(Class) -> u64,
) -> Result<(Kind, Vec<u8>), AppError> {
    let mut body = body;
    let mut data = Vec::new();
    let mut kind = None;
    loop {
        let frame = body
            .frame()
            .await
            .transpose()
            .map_err(|e| AppError::BadParameter {
                name: "body".into(),
                detail: e.to_string(),
            })?;
        let done = match frame {
            Some(frame) => {
                if let Ok(chunk) = frame.into_data() {
                    data.extend_from_slice(&chunk);
                }
                false
            }
            None => true,
        };
        if kind.is_none() && (done || data.len() >= SNIFF_BYTES) {
            kind = Some(sniff(&data[..data.len().min(SNIFF_BYTES)]).ok_or(AppError::MediaType)?);
        }
        if let Some(kind) = kind {
            let max = limit(kind.class());
            if data.len() as u64 > max {
                return Err(AppError::MediaTooLarge {
                    setting: kind.class().setting(),
                    limit: max,
                });
            }
            if done {
                return Ok((kind, data));
            }
        }
    }
}

/// `POST /api/v1/media`: stores the body (the raw bytes of the file) and answers with its
/// content-addressed name: 201 when it is new, 200 when the same bytes were uploaded before.
pub async fn upload(
    State(state): State<AppState>,
    Editor(editor): Editor,
    request: Request,
) -> Result<Response, AppError> {
    let config = &state.config;
    let (kind, data) = read_upload(request.into_body(), |class| match class {
        Class::Image => config.max_image_bytes,
        Class::Video => config.max_video_bytes,
        Class::Captions => config.max_captions_bytes,
    })
    .await?;
    if kind == Kind::Vtt && std::str::from_utf8(&data).is_err() {
        return Err(AppError::MediaType);
    }
    let hash = secrets::body_hash(&data);
    let uploaded = Uploaded {
        url: format!("media/{hash}.{}", kind.ext()),
        content_type: kind.content_type().to_owned(),
        bytes: data.len() as u64,
    };
    let at = store::format_time(state.clock.now(), 0);
    let detail = serde_json::json!({
        "url": uploaded.url,
        "contentType": uploaded.content_type,
        "bytes": uploaded.bytes,
    });
    let new = state
        .writer
        .run(move |conn| {
            let new = insert(conn, &hash, kind, &data, &editor, &at)?;
            let mut detail = detail;
            detail["new"] = new.into();
            store::audit(conn, &at, &editor, "upload-media", None, None, &detail)?;
            Ok(new)
        })
        .await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, axum::Json(&uploaded)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(location) = HeaderValue::from_str(&format!("/{}", uploaded.url)) {
        headers.insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Stores a file unless the same bytes are there; whether it was new.
fn insert(
    conn: &dyn Sql,
    hash: &str,
    kind: Kind,
    data: &[u8],
    by: &str,
    at: &str,
) -> Result<bool, DbError> {
    let added = conn.execute(
        "INSERT INTO media (hash, content_type, size, bytes, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (hash) DO NOTHING",
        params![hash, kind.ext(), data.len() as i64, data, by, at],
    )?;
    Ok(added == 1)
}

/// `<64 hex digits>.<ext>` for an accepted type: a name only an upload has.
fn hashed_name(file: &str) -> Option<(&str, Kind)> {
    let (hash, ext) = file.split_once('.')?;
    let hex = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    Some((hash, Kind::from_ext(ext)?)).filter(|_| hex)
}

/// A byte range asked for with `Range: bytes=…` (one range; more are answered whole).
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    Whole,
    Part { start: u64, end: u64 },
    Unsatisfiable,
}

fn wanted_range(headers: &HeaderMap, size: u64) -> Wanted {
    let Some(spec) = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix("bytes="))
    else {
        return Wanted::Whole;
    };
    let Some((first, last)) = spec.split_once('-').filter(|_| !spec.contains(',')) else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let range = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => Some((start, end.min(size.saturating_sub(1)))),
        (Ok(start), Err(_)) if last.is_empty() => Some((start, size.saturating_sub(1))),
        (Err(_), Ok(n)) if first.is_empty() && n > 0 => {
            Some((size.saturating_sub(n), size.saturating_sub(1)))
        }
        _ => return Wanted::Whole,
    };
    match range {
        Some((start, end)) if size > 0 && start < size => Wanted::Part { start, end },
        _ => Wanted::Unsatisfiable,
    }
}

/// A stored file: its type and size, the part of it asked for, and that part's bytes.
struct Stored {
    kind: Kind,
    size: u64,
    wanted: Wanted,
    bytes: Vec<u8>,
}

/// Reads what `headers` ask for of a stored file (nothing when `fresh`: the client has it)
/// through [`Sql::blob_range`], so a range of a 50 MB video reads only that range.
fn read_stored(
    conn: &dyn Sql,
    hash: &str,
    headers: &HeaderMap,
    fresh: bool,
) -> Result<Option<Stored>, DbError> {
    let row = conn.query_opt(
        "SELECT content_type, size FROM media WHERE hash = ?1",
        params![hash],
        |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)),
    )?;
    let Some((ext, size)) = row else {
        return Ok(None);
    };
    let kind = Kind::from_ext(&ext).ok_or_else(|| DbError::Task(format!("media type {ext:?}")))?;
    let size = size as u64;
    let wanted = if fresh {
        Wanted::Whole
    } else {
        wanted_range(headers, size)
    };
    let range = match wanted {
        _ if fresh || size == 0 => None,
        Wanted::Whole => Some((0, size - 1)),
        Wanted::Part { start, end } => Some((start, end)),
        Wanted::Unsatisfiable => None,
    };
    let mut bytes = Vec::new();
    if let Some((start, end)) = range {
        bytes = conn.blob_range("media", "bytes", "hash", hash, start, end + 1 - start)?;
    }
    Ok(Some(Stored {
        kind,
        size,
        wanted,
        bytes,
    }))
}

/// `GET /media/{path}` (and under `/documents/media/`, `/api/v1/documents/media/`): an upload
/// from the database, else a file of the content directory's `media/` folder.
pub async fn serve(
    State(state): State<AppState>,
    ApiPath(path): ApiPath<String>,
    request: Request,
) -> Result<Response, AppError> {
    if let Some((hash, _)) = hashed_name(&path)
        && let Some(response) = serve_stored(&state, hash, request.headers()).await?
    {
        return Ok(response);
    }
    serve_file(&state, request).await
}

/// An upload: a strong entity tag (the hash), cached for a year, ranges for video.
async fn serve_stored(
    state: &AppState,
    hash: &str,
    headers: &HeaderMap,
) -> Result<Option<Response>, AppError> {
    let etag = HeaderValue::from_str(&format!("\"{hash}\"")).expect("hex is a valid header");
    let fresh = super::etag::etag_matches(headers, &etag);
    let (hash, asked) = (hash.to_owned(), headers.clone());
    let Some(stored) = state
        .reads
        .run(move |conn| read_stored(conn, &hash, &asked, fresh))
        .await?
    else {
        return Ok(None);
    };
    let mut response = match stored.wanted {
        _ if fresh => StatusCode::NOT_MODIFIED.into_response(),
        Wanted::Whole => Bytes::from(stored.bytes).into_response(),
        Wanted::Part { start, end } => (
            StatusCode::PARTIAL_CONTENT,
            [(
                header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{}", stored.size),
            )],
            Bytes::from(stored.bytes),
        )
            .into_response(),
        Wanted::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(header::CONTENT_RANGE, format!("bytes */{}", stored.size))],
        )
            .into_response(),
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(stored.kind.content_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    media_headers(h);
    Ok(Some(response))
}

/// The headers of every media response: run nothing, sniff nothing, leak no referrer.
fn media_headers(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(MEDIA_CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// A file of the content directory's `media/` folder (`ServeDir`: ranges, `Last-Modified`,
/// no way out of the folder).
async fn serve_file(state: &AppState, request: Request) -> Result<Response, AppError> {
    let (mut parts, body) = request.into_parts();
    // The path as sent (still percent-encoded), from the folder on: `/documents/media/a%20b.png`
    // → `/a%20b.png`.
    let within = parts
        .uri
        .path()
        .split_once("media/")
        .map_or("", |(_, rest)| rest);
    parts.uri = format!("/{within}")
        .parse()
        .map_err(|_| AppError::MediaNotFound)?;
    let dir = ServeDir::new(state.config.content_dir.join("media"));
    let Ok(mut response) = dir.oneshot(Request::from_parts(parts, body)).await;
    if response.status() == StatusCode::NOT_FOUND {
        return Err(AppError::MediaNotFound);
    }
    media_headers(response.headers_mut());
    Ok(response.map(Body::new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_roots() {
        let yes = [
            &b"<svg xmlns='http://www.w3.org/2000/svg'/>"[..],
            b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg>",
            b"<!DOCTYPE svg [ <!ENTITY a \"b\"> ]><svg\n>",
        ];
        for s in yes {
            assert!(svg_root(s), "{}", String::from_utf8_lossy(s));
        }
        let no = [
            &b"<html><svg>"[..],
            b"<svgx>",
            b"<!-- <svg> never closed",
            b"<p>an <svg> inside</p>",
        ];
        for s in no {
            assert!(!svg_root(s), "{}", String::from_utf8_lossy(s));
        }
    }

    #[test]
    fn ranges() {
        let ask = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::RANGE, HeaderValue::from_str(v).unwrap());
            wanted_range(&h, 100)
        };
        assert_eq!(ask("bytes=0-"), Wanted::Part { start: 0, end: 99 });
        assert_eq!(ask("bytes=10-19"), Wanted::Part { start: 10, end: 19 });
        assert_eq!(ask("bytes=90-200"), Wanted::Part { start: 90, end: 99 });
        assert_eq!(ask("bytes=-10"), Wanted::Part { start: 90, end: 99 });
        assert_eq!(ask("bytes=100-"), Wanted::Unsatisfiable);
        assert_eq!(ask("bytes=0-1,5-6"), Wanted::Whole);
        assert_eq!(ask("items=0-1"), Wanted::Whole);
    }
}
