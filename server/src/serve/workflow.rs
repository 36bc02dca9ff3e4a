//! The sign-off workflow over HTTP: editors save draft revisions and submit them (待审签);
//! approvers approve (= publish) or send back with a reason, withdraw (撤回) documents and mark
//! them repealed or expired; admins manage tokens.
//!
//! Every handler takes a [`Staff`] (a valid token and its role). Every step runs in one writer
//! job together with its audit entry, and a step that changes what the public sees swaps the
//! served site before it answers, so what an approver is told is published is already served.

use super::sql::Sql;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiedu_core::Lapse;
use jiedu_core::comment::{FieldError, FieldErrorCode};
use jiedu_core::diagnostic::Severity;
use serde::Deserialize;

use super::documents::{
    self, Compiled, LapseBody, Refusal, RevisionInfo, SendBack, SourceBody, Step,
};
use super::error::AppError;
use super::extract::{ApiPath, ApiQuery, Staff};
use super::public::json_body;
use super::state::AppState;
use super::store::{self, NewToken, Role, RoleBody, TokenError};

fn no_store<T: IntoResponse>(body: T) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}

/// The entity tag of a revision: its id, quoted. `If-Match` takes it back.
fn revision_etag(id: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{id}\"")).expect("digits are a valid header")
}

fn with_revision_etag(status: StatusCode, info: RevisionInfo) -> Response {
    let etag = revision_etag(info.id);
    let mut response = (status, no_store(Json(info))).into_response();
    response.headers_mut().insert(header::ETAG, etag);
    response
}

/// The current time as the server writes it (UTC: workflow times are not tied to a document's
/// consultation).
fn now_text(state: &AppState) -> String {
    store::format_time(state.clock.now(), 0)
}

fn refused(r: Refusal, document: &str) -> AppError {
    match r {
        Refusal::RevisionNotFound(id) => AppError::RevisionNotFound(id),
        Refusal::DocumentNotFound => AppError::DocumentNotFound(document.to_owned()),
        Refusal::Stale { current } => AppError::RevisionConflict { current },
        Refusal::IfMatchRequired { current } => AppError::IfMatchRequired { current },
        Refusal::Transition { action, state } => AppError::InvalidTransition {
            action,
            state: state.as_str(),
        },
        Refusal::OwnRevision => AppError::SignOffRequired,
        Refusal::NotPublished => AppError::NotPublished,
        Refusal::CommentedProvisionsLost(diagnostics) => AppError::InvalidSource(diagnostics),
    }
}

/// `GET /api/v1/workflow/documents`: every document with its published and newest revision,
/// drafts included.
pub async fn list(State(state): State<AppState>, _staff: Staff) -> Result<Response, AppError> {
    let list = state.reads.run(documents::document_states).await?;
    Ok(no_store(Json(list)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionsQuery {
    /// Only the published revisions.
    pub published: Option<bool>,
}

/// `GET /api/v1/documents/{id}/revisions`: the revisions of a document, newest first.
pub async fn revisions(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<RevisionsQuery>,
) -> Result<Response, AppError> {
    let published_only = q.published.unwrap_or(false);
    let doc = id.clone();
    let list = state
        .reads
        .run(move |conn| documents::revisions(conn, &doc, published_only))
        .await?;
    if list.is_empty() && !published_only {
        return Err(AppError::DocumentNotFound(id));
    }
    Ok(no_store(Json(list)))
}

/// `GET /api/v1/revisions/{revision}`: one revision with its source and diagnostics.
pub async fn revision(
    State(state): State<AppState>,
    _staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    let rev = state
        .reads
        .run(move |conn| documents::revision(conn, id))
        .await?
        .ok_or(AppError::RevisionNotFound(id))?;
    let mut response = no_store(Json(rev));
    response
        .headers_mut()
        .insert(header::ETAG, revision_etag(id));
    Ok(response)
}

/// `If-Match: "12"` (or `12`): the revision a change is based on.
fn if_match(headers: &HeaderMap) -> Result<Option<i64>, AppError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| AppError::BadParameter {
            name: "If-Match".into(),
            detail: "expected the entity tag of a revision, such as \"12\"".into(),
        })
}

/// Compiles a source for document `id`: its errors (422, with every diagnostic) or the revision
/// to store.
fn compile(id: &str, source: String) -> Result<Compiled, AppError> {
    let compiled = jiedu_core::authoring::compile(&source);
    let has_errors = compiled
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    let document = match compiled.document {
        Some(document) if !has_errors => document,
        _ => return Err(AppError::InvalidSource(compiled.diagnostics)),
    };
    if document.id != id {
        return Err(AppError::Validation(vec![FieldError {
            field: "source".into(),
            code: FieldErrorCode::Invalid,
            limit: None,
        }]));
    }
    Ok(Compiled {
        source,
        document,
        diagnostics: compiled.diagnostics,
    })
}

/// One step of the workflow, the same sequence for each: take the time, run `job` (given the
/// connection and that time) in one writer job, turn a refusal into its error (`document` names
/// the document in it; empty for steps on a revision), and when the step changes what the public
/// sees (`publishes`), swap the served site before answering.
async fn step<T: Send + 'static>(
    state: &AppState,
    document: &str,
    publishes: bool,
    job: impl FnOnce(&dyn Sql, &str) -> Step<T> + Send + 'static,
) -> Result<T, AppError> {
    let at = now_text(state);
    let done = state
        .writer
        .run(move |conn| job(conn, &at))
        .await?
        .map_err(|r| refused(r, document))?;
    if publishes {
        state.refresh_site().await?;
    }
    Ok(done)
}

/// A [`step`] on a revision, answered with the revision and its entity tag.
async fn revision_step(
    state: &AppState,
    publishes: bool,
    job: impl FnOnce(&dyn Sql, &str) -> Step<RevisionInfo> + Send + 'static,
) -> Result<Response, AppError> {
    let done = step(state, "", publishes, job).await?;
    Ok(with_revision_etag(StatusCode::OK, done))
}

/// `PUT /api/v1/documents/{id}/source`: saves a draft revision (creates the document if new).
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let based_on = if_match(&headers)?;
    let (body, _): (SourceBody, _) = json_body(&headers, body, state.config.body_limit)?;
    let compiled = compile(&id, body.source)?;
    let saved = step(&state, &id, false, move |conn, at| {
        documents::save_draft(conn, &compiled, based_on, &staff.name, at)
    })
    .await?;
    Ok(with_revision_etag(StatusCode::CREATED, saved))
}

/// `POST /api/v1/revisions/{revision}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    revision_step(&state, false, move |conn, at| {
        documents::submit(conn, id, &staff.name, at)
    })
    .await
}

/// `POST /api/v1/revisions/{revision}/approve`: publishes the revision; it is served when this
/// answers.
pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    staff.require(Role::Approver)?;
    let sign_off = state.config.require_sign_off;
    revision_step(&state, true, move |conn, at| {
        documents::approve(conn, id, &staff.name, sign_off, at)
    })
    .await
}

const MAX_REASON: usize = 2000;

/// `POST /api/v1/revisions/{revision}/send-back`.
pub async fn send_back(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    staff.require(Role::Approver)?;
    let (body, _): (SendBack, _) = json_body(&headers, body, state.config.body_limit)?;
    let reason = body.reason.trim().to_owned();
    let problem = if reason.is_empty() {
        Some((FieldErrorCode::Required, None))
    } else if reason.chars().count() > MAX_REASON {
        Some((FieldErrorCode::TooLong, Some(MAX_REASON)))
    } else {
        None
    };
    if let Some((code, limit)) = problem {
        return Err(AppError::Validation(vec![FieldError {
            field: "reason".into(),
            code,
            limit,
        }]));
    }
    revision_step(&state, false, move |conn, at| {
        documents::send_back(conn, id, &staff.name, &reason, at)
    })
    .await
}

/// `POST /api/v1/documents/{id}/withdraw`: the public API answers 410 from now on.
pub async fn withdraw(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    staff.require(Role::Approver)?;
    let doc = id.clone();
    step(&state, &id, true, move |conn, at| {
        documents::withdraw(conn, &doc, &staff.name, at)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT /api/v1/documents/{id}/lapse`: marks a published document repealed or expired.
pub async fn lapse(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    staff.require(Role::Approver)?;
    let (body, _): (LapseBody, _) = json_body(&headers, body, state.config.body_limit)?;
    let lapse = match (body.kind, body.on) {
        (None, _) => None,
        (Some(kind), Some(on)) => Some(Lapse { kind, on }),
        (Some(_), None) => {
            return Err(AppError::Validation(vec![FieldError {
                field: "on".into(),
                code: FieldErrorCode::Required,
                limit: None,
            }]));
        }
    };
    let doc = id.clone();
    step(&state, &id, true, move |conn, at| {
        documents::set_lapse(conn, &doc, lapse, &staff.name, at)
    })
    .await?;
    Ok(no_store(Json(lapse)))
}

/// `GET /api/v1/tokens`: every token, never the secret (admins).
pub async fn list_tokens(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    staff.require(Role::Admin)?;
    let tokens = state.reads.run(store::list_tokens).await?;
    Ok(no_store(Json(tokens)))
}

fn token_error(e: TokenError) -> AppError {
    let field = |field: &str, code| {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            code,
            limit: None,
        }])
    };
    match e {
        TokenError::NameTaken(_) => AppError::TokenNameTaken,
        TokenError::NotFound(name) => AppError::TokenNotFound(name),
        TokenError::BadName => field("name", FieldErrorCode::Invalid),
        TokenError::Db(e) => e.into(),
    }
}

/// `POST /api/v1/tokens`: makes a token and answers with it, the only time it is shown (admins).
pub async fn create_token(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    staff.require(Role::Admin)?;
    let (body, _): (NewToken, _) = json_body(&headers, body, state.config.body_limit)?;
    let at = now_text(&state);
    let name = body.name.clone();
    let token = state
        .writer
        .run(move |conn| {
            Ok(store::create_token(
                conn,
                &body.name,
                body.role,
                &staff.name,
                &at,
            ))
        })
        .await?
        .map_err(token_error)?;
    Ok((
        StatusCode::CREATED,
        no_store(Json(
            serde_json::json!({ "name": name, "role": body.role, "token": token }),
        )),
    )
        .into_response())
}

/// `PUT /api/v1/tokens/{name}/role`: changes a token's role (admins).
pub async fn set_role(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(name): ApiPath<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    staff.require(Role::Admin)?;
    let (body, _): (RoleBody, _) = json_body(&headers, body, state.config.body_limit)?;
    let at = now_text(&state);
    state
        .writer
        .run(move |conn| Ok(store::set_role(conn, &name, body.role, &staff.name, &at)))
        .await?
        .map_err(token_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/tokens/{name}/revoke`: refuses the token from the next request on (admins).
pub async fn revoke_token(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(name): ApiPath<String>,
) -> Result<Response, AppError> {
    staff.require(Role::Admin)?;
    let at = now_text(&state);
    state
        .writer
        .run(move |conn| Ok(store::revoke_token(conn, &name, &staff.name, &at)))
        .await?
        .map_err(token_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
