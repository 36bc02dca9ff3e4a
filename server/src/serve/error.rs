//! The one error type of the HTTP API and how it becomes a response.
//!
//! Every failure answers with the same JSON shape,
//! `{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`, where `code` is
//! stable for programs and `message` is for people, in the language of `Accept-Language`
//! (zh-CN or en). Handlers do not know that language, so an [`AppError`] travels inside the
//! response as an extension and the [`localize`] middleware writes the body in the right
//! language. Internal errors are logged with their cause and answered with a bare
//! "internal error": nothing about the database or the file system leaks to a client.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiedu_core::comment::FieldError;
use jiedu_core::diagnostic::Diagnostic;
use jiedu_core::{ConsultationState, Lang, Timestamp};
use serde::Serialize;

use super::db::DbError;
use super::store::Role;

/// Everything that can go wrong while answering a request.
#[derive(Debug, Clone)]
pub enum AppError {
    /// No route matches the path.
    NoRoute,
    /// The path exists, the method does not.
    MethodNotAllowed,
    DocumentNotFound(String),
    /// The document was withdrawn (撤回).
    DocumentWithdrawn(String),
    /// The document replaces no other (published) document: there is no comparison.
    NothingToCompare(String),
    ReceiptNotFound,
    CommentNotFound(u64),
    NoConsultation,
    ConsultationNotOpen {
        state: ConsultationState,
        opens: Timestamp,
        closes: Timestamp,
    },
    UnsupportedMediaType,
    /// The body is not JSON at all (syntax error, truncated).
    BadJson(String),
    Validation(Vec<FieldError>),
    /// A header or query parameter has an invalid value.
    BadParameter {
        name: String,
        detail: String,
    },
    PayloadTooLarge {
        limit: usize,
    },
    /// No uploaded media and no file of the content directory's `media/` has this name.
    MediaNotFound,
    /// An upload is none of the accepted media types (by its content).
    MediaType,
    /// An upload is over the limit of its type; `setting` names that limit (`max_image_bytes`).
    MediaTooLarge {
        setting: &'static str,
        limit: u64,
    },
    MissingToken,
    InvalidToken,
    OriginNotAllowed,
    RateLimited {
        retry_after_secs: u64,
    },
    /// Too many receipt lookups from one address.
    TooManyLookups {
        retry_after_secs: u64,
    },
    IdempotencyKeyReused,
    CommentMarked,
    /// Spam or hidden asked for a comment that others are marked duplicates of.
    CommentHasDuplicates,
    /// The request took longer than the request timeout.
    RequestTimeout,
    /// The database cannot grow (disk full or its size limit): nothing was stored; retry later.
    StorageFull,
    /// The database cannot be reached now (PostgreSQL down); nothing was saved.
    DatabaseUnavailable,
    RevisionNotFound(i64),
    /// `If-Match` names a revision that is no longer the newest (or the document has none).
    RevisionConflict {
        current: Option<i64>,
    },
    /// Changing an existing document needs `If-Match` with its newest revision.
    IfMatchRequired {
        current: i64,
    },
    /// The authoring source has errors; nothing was saved.
    InvalidSource(Vec<Diagnostic>),
    /// The workflow does not allow this step from the revision's state.
    InvalidTransition {
        action: &'static str,
        state: &'static str,
    },
    /// The document has no published revision.
    NotPublished,
    RoleRequired(Role),
    /// Sign-off is required, and the approver wrote the revision.
    SignOffRequired,
    TokenNameTaken,
    TokenNotFound(String),
    /// Something broke on our side. The cause is logged where the error is made.
    Internal,
}

/// The error body as JSON.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `consultation-closed`, `validation-failed`, …
    pub code: &'static str,
    /// For people, in the language asked for with `Accept-Language`.
    pub message: String,
    /// The fields that break a rule (validation errors); empty otherwise.
    pub fields: Vec<FieldMessage>,
    /// For `revision-conflict` and `if-match-required`: the document's newest revision, so a
    /// page can offer to show it.
    #[serde(rename = "currentRevision", skip_serializing_if = "Option::is_none")]
    pub current_revision: Option<i64>,
    /// For `invalid-source`: the diagnostics, as `jiedu check --json` gives them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct FieldMessage {
    /// The camelCase JSON name of the field (or the header / parameter name).
    pub field: String,
    /// `required`, `too-short`, `too-long`, `control-characters`, `consent-required`,
    /// `unknown-provision` or `invalid`.
    pub code: jiedu_core::comment::FieldErrorCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NoRoute
            | AppError::DocumentNotFound(_)
            | AppError::NothingToCompare(_)
            | AppError::ReceiptNotFound
            | AppError::CommentNotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::DocumentWithdrawn(_) => StatusCode::GONE,
            AppError::NoConsultation
            | AppError::ConsultationNotOpen { .. }
            | AppError::IdempotencyKeyReused
            | AppError::CommentMarked
            | AppError::CommentHasDuplicates => StatusCode::CONFLICT,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::BadJson(_) | AppError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::PayloadTooLarge { .. } | AppError::MediaTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            AppError::MediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::MediaNotFound => StatusCode::NOT_FOUND,
            AppError::MissingToken | AppError::InvalidToken => StatusCode::UNAUTHORIZED,
            AppError::OriginNotAllowed => StatusCode::FORBIDDEN,
            AppError::RateLimited { .. } | AppError::TooManyLookups { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            AppError::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::RevisionNotFound(_) => StatusCode::NOT_FOUND,
            AppError::RevisionConflict { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::IfMatchRequired { .. } => StatusCode::PRECONDITION_REQUIRED,
            AppError::InvalidSource(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::InvalidTransition { .. } | AppError::NotPublished => StatusCode::CONFLICT,
            AppError::RoleRequired(_) | AppError::SignOffRequired => StatusCode::FORBIDDEN,
            AppError::TokenNameTaken => StatusCode::CONFLICT,
            AppError::TokenNotFound(_) => StatusCode::NOT_FOUND,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NoRoute => "not-found",
            AppError::MethodNotAllowed => "method-not-allowed",
            AppError::DocumentNotFound(_) => "document-not-found",
            AppError::DocumentWithdrawn(_) => "document-withdrawn",
            AppError::NothingToCompare(_) => "no-comparison",
            AppError::ReceiptNotFound => "receipt-not-found",
            AppError::CommentNotFound(_) => "comment-not-found",
            AppError::NoConsultation => "no-consultation",
            AppError::ConsultationNotOpen {
                state: ConsultationState::Upcoming,
                ..
            } => "consultation-upcoming",
            AppError::ConsultationNotOpen { .. } => "consultation-closed",
            AppError::UnsupportedMediaType => "unsupported-media-type",
            AppError::BadJson(_) => "invalid-json",
            AppError::Validation(_) => "validation-failed",
            AppError::BadParameter { .. } => "invalid-parameter",
            AppError::PayloadTooLarge { .. } | AppError::MediaTooLarge { .. } => {
                "payload-too-large"
            }
            AppError::MediaType => "unsupported-media-type",
            AppError::MediaNotFound => "media-not-found",
            AppError::MissingToken => "missing-token",
            AppError::InvalidToken => "invalid-token",
            AppError::OriginNotAllowed => "origin-not-allowed",
            AppError::RateLimited { .. } => "rate-limited",
            AppError::TooManyLookups { .. } => "too-many-lookups",
            AppError::IdempotencyKeyReused => "idempotency-key-reused",
            AppError::CommentMarked => "comment-marked",
            AppError::CommentHasDuplicates => "comment-has-duplicates",
            AppError::StorageFull => "storage-full",
            AppError::DatabaseUnavailable => "database-unavailable",
            AppError::RequestTimeout => "request-timeout",
            AppError::RevisionNotFound(_) => "revision-not-found",
            AppError::RevisionConflict { .. } => "revision-conflict",
            AppError::IfMatchRequired { .. } => "if-match-required",
            AppError::InvalidSource(_) => "invalid-source",
            AppError::InvalidTransition { .. } => "invalid-transition",
            AppError::NotPublished => "document-not-published",
            AppError::RoleRequired(_) => "role-required",
            AppError::SignOffRequired => "sign-off-required",
            AppError::TokenNameTaken => "token-name-taken",
            AppError::TokenNotFound(_) => "token-not-found",
            AppError::Internal => "internal-error",
        }
    }

    /// The message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::ZhCn;
        match self {
            AppError::NoRoute => pick(zh, "没有这个地址。", "There is nothing at this address."),
            AppError::MethodNotAllowed => pick(
                zh,
                "该地址不支持这种请求方法。",
                "This address does not accept this request method.",
            ),
            AppError::DocumentNotFound(id) => {
                if zh {
                    format!("没有编号为“{id}”的文件。")
                } else {
                    format!("There is no document with the id `{id}`.")
                }
            }
            AppError::DocumentWithdrawn(id) => {
                if zh {
                    format!("编号为“{id}”的文件已撤回。")
                } else {
                    format!("The document `{id}` has been withdrawn.")
                }
            }
            AppError::NothingToCompare(id) => {
                if zh {
                    format!("编号为“{id}”的文件没有可对照的前一版本。")
                } else {
                    format!("The document `{id}` replaces no earlier version to compare with.")
                }
            }
            AppError::ReceiptNotFound => pick(
                zh,
                "没有找到这个回执编号，请核对后重试。",
                "No comment has this receipt number; check it and try again.",
            ),
            AppError::CommentNotFound(n) => {
                if zh {
                    format!("该文件没有第 {n} 号意见。")
                } else {
                    format!("This document has no comment number {n}.")
                }
            }
            AppError::NoConsultation => pick(
                zh,
                "该文件没有公开征求意见。",
                "This document is not open for public comment.",
            ),
            AppError::ConsultationNotOpen {
                state,
                opens,
                closes,
            } => match (state, zh) {
                (ConsultationState::Upcoming, true) => {
                    format!("意见征集尚未开始：征集期为 {opens} 至 {closes}。")
                }
                (ConsultationState::Upcoming, false) => format!(
                    "The consultation has not opened yet: comments are accepted from {opens} to {closes}."
                ),
                (_, true) => format!("意见征集已于 {closes} 结束，不再接收意见。"),
                (_, false) => {
                    format!("The consultation closed on {closes}; comments are no longer accepted.")
                }
            },
            AppError::UnsupportedMediaType => pick(
                zh,
                "请求须以 JSON 格式发送（Content-Type: application/json）。",
                "Send the request as JSON (Content-Type: application/json).",
            ),
            AppError::BadJson(detail) => {
                if zh {
                    format!("请求内容不是有效的 JSON：{detail}")
                } else {
                    format!("The request body is not valid JSON: {detail}")
                }
            }
            AppError::Validation(_) => pick(
                zh,
                "提交的内容有误，请按提示修改。",
                "Some fields need attention; see the messages for each field.",
            ),
            AppError::BadParameter { name, detail } => {
                if zh {
                    format!("参数 {name} 不正确：{detail}")
                } else {
                    format!("The parameter {name} is not valid: {detail}")
                }
            }
            AppError::PayloadTooLarge { limit } => {
                if zh {
                    format!("请求内容太大，最多 {limit} 字节。")
                } else {
                    format!("The request body is too large; the limit is {limit} bytes.")
                }
            }
            AppError::MediaNotFound => pick(
                zh,
                "没有这个图片、视频或字幕文件。",
                "There is no image, video or caption file with this name.",
            ),
            AppError::MediaType => pick(
                zh,
                "只能上传 PNG、JPEG、WebP、SVG 图片，MP4、WebM 视频和 WebVTT 字幕文件（按文件内容判断，与文件名无关）。",
                "Upload a PNG, JPEG, WebP or SVG image, an MP4 or WebM video or a WebVTT caption file (the content decides, not the file name).",
            ),
            AppError::MediaTooLarge { limit, .. } => {
                let mb = *limit as f64 / (1024.0 * 1024.0);
                if zh {
                    format!("文件太大：此类文件最大 {mb:.1} MB（{limit} 字节）。")
                } else {
                    format!(
                        "The file is too large: files of this type may have at most {mb:.1} MB ({limit} bytes)."
                    )
                }
            }
            AppError::MissingToken => pick(
                zh,
                "需要编辑令牌（Authorization: Bearer …）。",
                "An editor token is required (Authorization: Bearer …).",
            ),
            AppError::InvalidToken => pick(
                zh,
                "编辑令牌无效或已被撤销。",
                "The editor token is not valid or has been revoked.",
            ),
            AppError::OriginNotAllowed => pick(
                zh,
                "该网站无权提交意见。",
                "This website is not allowed to send comments to this server.",
            ),
            AppError::RateLimited { retry_after_secs } => {
                if zh {
                    format!("提交过于频繁，请 {retry_after_secs} 秒后再试。")
                } else {
                    format!(
                        "Too many comments in a short time; try again in {retry_after_secs} seconds."
                    )
                }
            }
            AppError::TooManyLookups { retry_after_secs } => {
                if zh {
                    format!("查询过于频繁，请 {retry_after_secs} 秒后再试。")
                } else {
                    format!("Too many receipt lookups; try again in {retry_after_secs} seconds.")
                }
            }
            AppError::IdempotencyKeyReused => pick(
                zh,
                "该 Idempotency-Key 已用于另一份不同的意见。",
                "This Idempotency-Key was already used for a different comment.",
            ),
            AppError::CommentMarked => pick(
                zh,
                "该意见已被标记为重复、垃圾或隐藏，请先取消标记。",
                "This comment is marked as duplicate, spam or hidden; unmark it first.",
            ),
            AppError::CommentHasDuplicates => pick(
                zh,
                "其他意见被标记为该意见的重复意见，请先取消这些标记，再将其标记为垃圾或隐藏。",
                "Other comments are marked as duplicates of this one; unmark them before marking it as spam or hidden.",
            ),
            AppError::RequestTimeout => pick(
                zh,
                "请求超时，请重试。",
                "The request took too long; please try again.",
            ),
            AppError::StorageFull => pick(
                zh,
                "服务器存储空间已满，您的意见尚未保存，请稍后再试。",
                "The server is out of storage space; nothing was saved. Please try again later.",
            ),
            AppError::DatabaseUnavailable => pick(
                zh,
                "数据库暂时无法访问，您的意见尚未保存，请稍后再试。",
                "The database cannot be reached right now; nothing was saved. Please try again shortly.",
            ),
            AppError::RevisionNotFound(id) => {
                if zh {
                    format!("没有编号为 {id} 的修订版本。")
                } else {
                    format!("There is no revision {id}.")
                }
            }
            AppError::RevisionConflict { current } => match (current, zh) {
                (Some(c), true) => {
                    format!("该文件已有更新的修订版本（{c}），请先查看，再决定如何修改。")
                }
                (Some(c), false) => {
                    format!("Someone saved a newer revision ({c}); look at it before saving yours.")
                }
                (None, true) => "该文件还没有修订版本，不应带 If-Match。".to_owned(),
                (None, false) => "The document has no revision yet; send no If-Match.".to_owned(),
            },
            AppError::IfMatchRequired { current } => {
                if zh {
                    format!("修改已有文件须带 If-Match（当前最新修订版本为 {current}）。")
                } else {
                    format!(
                        "Changing an existing document needs If-Match with its newest revision ({current})."
                    )
                }
            }
            AppError::InvalidSource(_) => pick(
                zh,
                "文稿有错误，未保存；请按诊断信息修改。",
                "The source has errors and was not saved; see the diagnostics.",
            ),
            AppError::InvalidTransition { action, state } => {
                if zh {
                    format!("处于“{state}”状态的修订版本不能执行“{action}”。")
                } else {
                    format!("A revision in the state `{state}` cannot be given `{action}`.")
                }
            }
            AppError::NotPublished => pick(
                zh,
                "该文件尚未发布。",
                "The document has not been published.",
            ),
            AppError::RoleRequired(role) => {
                if zh {
                    format!("此操作需要“{}”权限。", role.as_str())
                } else {
                    format!("This needs the `{}` role.", role.as_str())
                }
            }
            AppError::SignOffRequired => pick(
                zh,
                "需经他人审签：不能批准自己起草的修订版本。",
                "Sign-off is required: nobody approves a revision they wrote.",
            ),
            AppError::TokenNameTaken => pick(
                zh,
                "已有同名令牌，请换一个名称或先撤销原令牌。",
                "A token with this name exists; choose another name or revoke it first.",
            ),
            AppError::TokenNotFound(name) => {
                if zh {
                    format!("没有名为“{name}”的有效令牌。")
                } else {
                    format!("No active token is named `{name}`.")
                }
            }
            AppError::Internal => pick(
                zh,
                "服务器内部错误，请稍后再试。",
                "Internal server error; please try again later.",
            ),
        }
    }

    /// The JSON body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let fields = match self {
            AppError::Validation(fields) => fields
                .iter()
                .map(|f| FieldMessage {
                    field: f.field.clone(),
                    code: f.code,
                    limit: f.limit,
                    message: f.message(lang),
                })
                .collect(),
            AppError::MediaTooLarge { setting, limit } => vec![FieldMessage {
                field: (*setting).to_owned(),
                code: jiedu_core::comment::FieldErrorCode::TooLong,
                limit: Some(*limit as usize),
                message: if lang == Lang::ZhCn {
                    format!("最多 {limit} 字节（服务器设置 {setting}）。")
                } else {
                    format!("At most {limit} bytes (server setting {setting}).")
                },
            }],
            _ => Vec::new(),
        };
        let current_revision = match self {
            AppError::RevisionConflict { current } => *current,
            AppError::IfMatchRequired { current } => Some(*current),
            _ => None,
        };
        let diagnostics = match self {
            AppError::InvalidSource(d) => d.iter().map(|d| d.clone().in_lang(lang)).collect(),
            _ => Vec::new(),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(lang),
                fields,
                current_revision,
                diagnostics,
            },
        }
    }

    fn render(&self, lang: Lang) -> Response {
        let mut response = (self.status(), axum::Json(self.body(lang))).into_response();
        let headers = response.headers_mut();
        match self {
            AppError::RateLimited { retry_after_secs }
            | AppError::TooManyLookups { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            AppError::StorageFull => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(STORAGE_RETRY_SECS));
            }
            AppError::DatabaseUnavailable => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(UNAVAILABLE_RETRY_SECS),
                );
            }
            AppError::MissingToken | AppError::InvalidToken => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"jiedu\""),
                );
            }
            _ => {}
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}

fn pick(zh: bool, zh_text: &str, en_text: &str) -> String {
    if zh { zh_text } else { en_text }.to_owned()
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AppError {}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // English by default; `localize` rewrites the body in the language asked for.
        let mut response = self.render(Lang::En);
        response.extensions_mut().insert(self);
        response
    }
}

/// How long a client is asked to wait after `database-unavailable`: a database restart or
/// fail-over takes seconds.
const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// How long a client is asked to wait after `storage-full`.
const STORAGE_RETRY_SECS: u64 = 60;

impl From<DbError> for AppError {
    fn from(e: DbError) -> AppError {
        if e.is_full() {
            tracing::error!(error = %e, "the database is full: writes are refused until there is space");
            return AppError::StorageFull;
        }
        if e.is_unavailable() {
            tracing::error!(error = %e, "the database cannot be reached: answering 503 until it is back");
            return AppError::DatabaseUnavailable;
        }
        tracing::error!(error = %e, "database failure");
        AppError::Internal
    }
}

/// The language a client asked for with `Accept-Language`: the first of zh or en by quality;
/// Chinese when neither is named.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let Some(value) = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    else {
        return Lang::ZhCn;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in value.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let lang = if tag == "zh" || tag.starts_with("zh-") {
            Lang::ZhCn
        } else if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else {
            continue;
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::ZhCn, |(_, lang)| lang)
}

/// Middleware: rewrites error bodies in the language of the request's `Accept-Language`.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<AppError>() {
        Some(error) if lang != Lang::En => error.render(lang),
        _ => response,
    }
}

/// Answers requests that match no route.
pub async fn no_route() -> AppError {
    AppError::NoRoute
}

/// Answers requests whose path exists but not with their method.
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
