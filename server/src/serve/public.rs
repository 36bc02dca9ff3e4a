//! The public API: documents, comment submission, receipts and published feedback.
//!
//! Nothing here ever answers with contact data or an IP hash: the response types
//! ([`Receipt`](super::store::Receipt), [`ReceiptStatus`](jiedu_core::comment::ReceiptStatus),
//! [`FeedbackReport`](jiedu_core::comment::FeedbackReport)) have no field that could hold them.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiedu_core::ConsultationState;
use jiedu_core::comment::{FieldError, FieldErrorCode, NewComment};
use serde::de::DeserializeOwned;

use super::error::AppError;
use super::etag::etag_matches;
use super::extract::{ApiPath, ClientIp};
use super::reports::Published;
use super::sql::params;
use super::state::{AppState, ServedDocument};
use super::store::{self, Inserted, Submission};
use super::{openapi, secrets};

/// `GET /healthz`: the server answers and its database can be read.
pub async fn healthz(State(state): State<AppState>) -> Result<Response, AppError> {
    state
        .reads
        .run(|conn| conn.query_row("SELECT 1", params![], |r| r.get::<i64>(0)))
        .await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({
            "status": "ok",
            "documents": state.site().documents.len(),
        })),
    )
        .into_response())
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::document_json(),
    )
        .into_response()
}

/// Answers with `body` and its entity tag, or 304 when the client already has it.
fn with_etag(headers: &HeaderMap, etag: &HeaderValue, body: Bytes) -> Response {
    let matches = etag_matches(headers, etag);
    let common = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if matches {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// `GET /api/v1/documents`: the document list, in the format of `jiedu build`'s `index.json`.
pub async fn list_documents(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let site = state.site();
    with_etag(&headers, &site.index_etag, site.index_json.clone())
}

/// `GET /api/v1/documents/{id}`: the compiled document, exactly as `jiedu build` writes it.
pub async fn get_document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let served = state.site().get(&id)?;
    Ok(serve_document(&served, &headers))
}

pub fn serve_document(served: &ServedDocument, headers: &HeaderMap) -> Response {
    with_etag(headers, &served.etag, served.json.clone())
}

/// Reads a JSON request body: `Content-Type: application/json` (415 otherwise), within the body
/// limit (413), well-formed (400), and of the right shape (422, naming the field).
pub fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<(T, Bytes), AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge { limit }
        } else {
            AppError::BadJson(rejection.body_text())
        }
    })?;
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let value = serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if !matches!(inner.classify(), serde_json::error::Category::Data) {
            return AppError::BadJson(inner.to_string());
        }
        let message = inner.to_string();
        let quoted = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        let (field, code) = if let Some(field) = quoted("missing field `") {
            (field, FieldErrorCode::Required)
        } else if let Some(field) = quoted("unknown field `") {
            (field, FieldErrorCode::Invalid)
        } else if path == "." {
            ("(body)".to_owned(), FieldErrorCode::Invalid)
        } else {
            (path, FieldErrorCode::Invalid)
        };
        AppError::Validation(vec![FieldError {
            field,
            code,
            limit: None,
        }])
    })?;
    Ok((value, body))
}

/// The `Idempotency-Key` header, if any; it must be a UUID.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(secrets::parse_uuid)
        .map(Some)
        .ok_or_else(|| AppError::BadParameter {
            name: "Idempotency-Key".into(),
            detail: "expected a UUID such as 3f0c2a9e-8d1b-4c5e-9a7f-1b2c3d4e5f60".into(),
        })
}

fn created(receipt: &store::Receipt, replayed: bool) -> Response {
    let mut response = (StatusCode::CREATED, Json(receipt)).into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/receipts/{}", receipt.receipt)) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// `POST /api/v1/documents/{id}/comments`: stores a comment and answers with its receipt once
/// it is on disk.
pub async fn post_comment(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let served = state.site().get(&id)?;
    let key = idempotency_key(&headers)?;
    let (comment, raw): (NewComment, Bytes) = json_body(&headers, body, state.config.body_limit)?;
    let consultation = served
        .doc
        .consultation
        .as_ref()
        .ok_or(AppError::NoConsultation)?;
    let now = state.clock.now();
    let consultation_state = consultation.state_at(now);
    if consultation_state != ConsultationState::Open {
        // A retry of a comment that was stored before the period closed still gets its receipt.
        if let Some(key) = key {
            let hash = secrets::body_hash(&raw);
            let found = state
                .reads
                .run(move |conn| store::find_by_key(conn, &key))
                .await?;
            if let Some((receipt, stored_hash)) = found
                && stored_hash == hash
                && receipt.document_id == id
            {
                return Ok(created(&receipt, true));
            }
        }
        return Err(AppError::ConsultationNotOpen {
            state: consultation_state,
            opens: consultation.opens,
            closes: consultation.closes,
        });
    }
    let errors = comment.validate_for(&served.doc);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if let Err(retry_after_secs) = state.limiter.check(ip) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    let submission = Submission {
        document_id: id,
        revision: served.revision,
        idempotency_key: key,
        request_hash: secrets::body_hash(&raw),
        comment: comment.normalized(),
        ip_hash: Some(secrets::ip_hash(&state.ip_secret, ip)),
        received_unix: now,
        received_at: store::format_time(now, AppState::offset_for(&served.doc)),
    };
    let inserted = state.writer.insert_comment(submission).await?;
    match inserted {
        Inserted::Stored { receipt, replayed } => Ok(created(&receipt, replayed)),
        Inserted::KeyReused => Err(AppError::IdempotencyKeyReused),
    }
}

/// `GET /api/v1/receipts/{receipt}`: what became of a comment. No contact data, ever.
pub async fn get_receipt(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(receipt): ApiPath<String>,
) -> Result<Response, AppError> {
    if let Err(retry_after_secs) = state.receipt_limiter.check(ip) {
        return Err(AppError::TooManyLookups { retry_after_secs });
    }
    let receipt = secrets::normalize_receipt(&receipt).ok_or(AppError::ReceiptNotFound)?;
    let status = state
        .reads
        .run(move |conn| store::receipt_status(conn, &receipt))
        .await?
        .ok_or(AppError::ReceiptNotFound)?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(status)).into_response())
}

/// `GET /api/v1/documents/{id}/feedback`: the published feedback report; `204 No Content`
/// until one is published. Not a 404: the widget asks on every view of a draft, and a browser
/// writes every 4xx answer to its console as an error, where nothing went wrong. Served from
/// memory ([`super::reports`]); the database is read once per document and start.
pub async fn get_feedback(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    state.site().get(&id)?;
    let published = match state.reports.get(&id) {
        Some(known) => known,
        None => {
            let doc = id.clone();
            let stored = state
                .reads
                .run(move |conn| store::published_report(conn, &doc))
                .await?;
            let published =
                stored.map(|(json, version)| Arc::new(Published::new(version, json.into_bytes())));
            state.reports.fill(&id, published.clone());
            published
        }
    };
    let Some(published) = published else {
        return Ok(axum::http::StatusCode::NO_CONTENT.into_response());
    };
    Ok(published.respond(&headers))
}
