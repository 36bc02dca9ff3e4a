//! The editors' API: reviewing comments, deciding on them, publishing the feedback report,
//! exports and the audit log. Every handler takes an [`Editor`], so none runs without a valid
//! token, and every change (and every read of contact data) is written to the audit log in the
//! same transaction as the change itself.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiedu_core::comment::{Disposition, FieldError, FieldErrorCode};
use serde::Deserialize;

use super::error::AppError;
use super::extract::{ApiPath, ApiQuery, Editor, Staff};
use super::public::json_body;
use super::reports::Published;
use super::state::AppState;
use super::store::{self, ActionError, ListQuery, Mark};
use super::{documents, export};

fn no_store<T: IntoResponse>(body: T) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// The current time as the server writes it for this document.
fn now_text(state: &AppState, id: &str) -> Result<String, AppError> {
    let served = state.site().get_for_editors(id)?;
    Ok(store::format_time(
        state.clock.now(),
        AppState::offset_for(&served.doc),
    ))
}

/// `GET /api/v1/me`: the name and role of the token's holder (lets a page check a token) and
/// the server's time, so the review console judges "is the consultation still open" by the
/// same clock as the server.
pub async fn me(State(state): State<AppState>, staff: Staff) -> Response {
    let now = store::format_time(state.clock.now(), 0);
    no_store(Json(
        serde_json::json!({ "name": staff.name, "role": staff.role, "now": now }),
    ))
}

/// Records that an editor saw contact data.
async fn audit_contact_read(
    state: &AppState,
    editor: &str,
    id: &str,
    action: &'static str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let at = now_text(state, id)?;
    let (editor, id) = (editor.to_owned(), id.to_owned());
    state
        .writer
        .run(move |conn| store::audit(conn, &at, &editor, action, Some(&id), None, &detail))
        .await?;
    Ok(())
}

/// `GET /api/v1/documents/{id}/comments`: filtered, paged.
pub async fn list_comments(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Response, AppError> {
    state.site().get_for_editors(&id)?;
    if let Some(words) = &q.q
        && (words.split_whitespace().count() > store::MAX_SEARCH_WORDS
            || words.chars().count() > store::MAX_SEARCH_CHARS)
    {
        return Err(AppError::BadParameter {
            name: "q".into(),
            detail: format!(
                "at most {} words and {} characters",
                store::MAX_SEARCH_WORDS,
                store::MAX_SEARCH_CHARS
            ),
        });
    }
    if q.include_contact == Some(true) {
        audit_contact_read(
            &state,
            &editor,
            &id,
            "list-with-contact",
            serde_json::json!({ "page": q.page, "q": q.q }),
        )
        .await?;
    }
    let page = state
        .reads
        .run(move |conn| store::list_comments(conn, &id, &q))
        .await?;
    Ok(no_store(Json(page)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactQuery {
    pub include_contact: Option<bool>,
}

/// `GET /api/v1/documents/{id}/comments/{number}`.
pub async fn get_comment(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath((id, number)): ApiPath<(String, u64)>,
    ApiQuery(q): ApiQuery<ContactQuery>,
) -> Result<Response, AppError> {
    state.site().get_for_editors(&id)?;
    let include_contact = q.include_contact.unwrap_or(false);
    let doc = id.clone();
    let comment = state
        .reads
        .run(move |conn| {
            let Some(mut comment) = store::get_comment(conn, &doc, number, include_contact)? else {
                return Ok(None);
            };
            if let (Some(revision), Some(provision)) =
                (comment.revision, comment.target.provision_id())
            {
                comment.seen = documents::seen_provision(conn, revision, provision)?;
            }
            Ok(Some(comment))
        })
        .await?
        .ok_or(AppError::CommentNotFound(number))?;
    if include_contact {
        audit_contact_read(
            &state,
            &editor,
            &id,
            "view-with-contact",
            serde_json::json!({ "number": number }),
        )
        .await?;
    }
    Ok(no_store(Json(comment)))
}

fn action_error(e: ActionError, number: u64) -> AppError {
    match e {
        ActionError::NotFound => AppError::CommentNotFound(number),
        ActionError::Marked => AppError::CommentMarked,
        ActionError::HasDuplicates => AppError::CommentHasDuplicates,
        ActionError::BadDuplicate => AppError::Validation(vec![FieldError {
            field: "duplicateOf".into(),
            code: FieldErrorCode::Invalid,
            limit: None,
        }]),
    }
}

/// `PUT /api/v1/documents/{id}/comments/{number}/disposition`: the decision and its reason.
pub async fn set_disposition(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath((id, number)): ApiPath<(String, u64)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let at = now_text(&state, &id)?;
    let (disposition, _): (Disposition, _) = json_body(&headers, body, state.config.body_limit)?;
    let mut errors = disposition.validate();
    // The provision named must be in the final version's published revision.
    if errors.is_empty()
        && let Some(provision) = &disposition.final_provision
        && state
            .site()
            .final_version_of(&id)
            .is_none_or(|f| f.doc.provision(provision).is_none())
    {
        errors.push(FieldError {
            field: "finalProvision".into(),
            code: FieldErrorCode::UnknownProvision,
            limit: None,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let updated = state
        .writer
        .run(move |conn| store::set_disposition(conn, &id, number, &disposition, &editor, &at))
        .await?
        .map_err(|e| action_error(e, number))?;
    Ok(no_store(Json(updated)))
}

/// `PUT /api/v1/documents/{id}/comments/{number}/mark`: duplicate of another, spam, hidden, or
/// no mark.
pub async fn set_mark(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath((id, number)): ApiPath<(String, u64)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let at = now_text(&state, &id)?;
    let (mark, _): (Mark, _) = json_body(&headers, body, state.config.body_limit)?;
    if mark.mark == store::MarkKind::Duplicate && mark.duplicate_of.is_none() {
        return Err(AppError::Validation(vec![FieldError {
            field: "duplicateOf".into(),
            code: FieldErrorCode::Required,
            limit: None,
        }]));
    }
    let updated = state
        .writer
        .run(move |conn| store::set_mark(conn, &id, number, &mark, &editor, &at))
        .await?
        .map_err(|e| action_error(e, number))?;
    Ok(no_store(Json(updated)))
}

/// `POST /api/v1/documents/{id}/feedback`: publishes (or publishes again) the feedback report
/// from the current decisions.
pub async fn publish_feedback(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    let at = now_text(&state, &id)?;
    let doc = id.clone();
    let final_version = state.site().final_version_of(&id);
    let (report, version) = state
        .writer
        .run(move |conn| {
            store::publish(
                conn,
                &doc,
                final_version.as_ref().map(|f| &f.doc),
                &editor,
                &at,
            )
        })
        .await?;
    // Exactly the bytes the database holds (`store::publish` stores `to_string` of the report).
    let json = serde_json::to_vec(&report).expect("a report serialises");
    let published = Arc::new(Published::new(version, json));
    state.reports.publish(&id, published);
    let mut response = (StatusCode::CREATED, Json(report)).into_response();
    response
        .headers_mut()
        .insert("feedback-version", HeaderValue::from(version));
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub include_contact: Option<bool>,
    /// The machine-readable table (codes, snake_case headers, RFC 3339 times) instead of the
    /// one for people.
    pub codes: Option<bool>,
}

/// Builds an export after writing its audit entry.
async fn export_table(
    state: &AppState,
    editor: String,
    id: String,
    q: ExportQuery,
    format: &'static str,
) -> Result<export::Table, AppError> {
    let served = state.site().get_for_editors(&id)?;
    let include_contact = q.include_contact.unwrap_or(false);
    let codes = q.codes.unwrap_or(false);
    let at = now_text(state, &id)?;
    let doc = id.clone();
    state
        .writer
        .run(move |conn| {
            store::audit(
                conn,
                &at,
                &editor,
                "export",
                Some(&doc),
                None,
                &serde_json::json!({ "format": format, "includeContact": include_contact }),
            )
        })
        .await?;
    let comments = state
        .reads
        .run(move |conn| store::all_comments(conn, &id, include_contact))
        .await?;
    Ok(export::table(
        &served.doc,
        &comments,
        include_contact,
        codes,
    ))
}

fn attachment(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/v1/documents/{id}/export.csv`.
pub async fn export_csv(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    let table = export_table(&state, editor, id.clone(), q, "csv").await?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        format!("{id}-comments.csv"),
        export::csv(&table),
    ))
}

/// `GET /api/v1/documents/{id}/export.xlsx`.
pub async fn export_xlsx(
    State(state): State<AppState>,
    Editor(editor): Editor,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, AppError> {
    let table = export_table(&state, editor, id.clone(), q, "xlsx").await?;
    let sheet = if table.codes { "comments" } else { "意见" };
    let body = tokio::task::spawn_blocking(move || export::xlsx(&table, sheet))
        .await
        .map_err(|e| e.to_string())
        .and_then(|built| built.map_err(|e| e.to_string()))
        .map_err(|error| {
            tracing::error!(%error, "building an XLSX export failed");
            AppError::Internal
        })?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("{id}-comments.xlsx"),
        body,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub document: Option<String>,
    /// Entries with an id below this (for paging back).
    pub before: Option<u64>,
    pub limit: Option<u32>,
}

/// `GET /api/v1/audit`: the audit log, newest first.
pub async fn audit_log(
    State(state): State<AppState>,
    Editor(_): Editor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Response, AppError> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let entries = state
        .reads
        .run(move |conn| store::audit_entries(conn, q.document.as_deref(), q.before, limit))
        .await?;
    Ok(no_store(Json(entries)))
}
