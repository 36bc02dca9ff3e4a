//! What the server keeps in its database (SQLite or PostgreSQL) and how: comments, their review,
//! published reports, editor tokens, the audit log and settings.
//!
//! The functions here take a connection ([`Sql`]) and run plain SQL; they know nothing of HTTP or
//! of which engine runs it. Writes are called from inside the writer's group commit (`db.rs`,
//! `Writer::run`; named, not linked, so that this module depends on neither engine), so each one
//! sees a transaction and must check everything before it changes anything. The stored row types
//! are separate from the submitted ones: [`NewComment`] is what a citizen sends,
//! [`EditorComment`] is what an editor sees, [`ReceiptStatus`] is what the public sees.

use super::sql::{Row, Sql, Value, params};
use jiedu_core::comment::{
    CommentStatus, Decision, Disposition, FeedbackReport, NewComment, PublicStatus, ReceiptStatus,
    ReviewedComment, Stance, SubmitterType,
};
use jiedu_core::{Document, Target, Timestamp};
use serde::{Deserialize, Serialize};

use super::secrets;
use super::sql::DbError;

pub fn status_str(s: CommentStatus) -> &'static str {
    s.as_str()
}

/// A stored enum string (status, stance, decision, submitter type) that this server does not
/// know. The row is refused rather than read as some default: a default would misreport it.
#[derive(Debug, thiserror::Error)]
#[error("unknown stored value `{0}`")]
pub struct UnknownValue(String);

/// Reads column `i` as one of the values of a `jiedu_core::wire_enum!`.
fn wire<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> Result<T, DbError> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| unknown(i, s))
}

/// Reads a nullable column as one of the values of a `jiedu_core::wire_enum!`.
fn wire_opt<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> Result<Option<T>, DbError> {
    let s: Option<String> = r.get(i)?;
    s.map(|s| parse(&s).ok_or_else(|| unknown(i, s)))
        .transpose()
}

fn unknown(i: usize, s: String) -> DbError {
    DbError::Decode {
        column: i,
        message: UnknownValue(s).to_string(),
    }
}

fn parse_target(s: String) -> Target {
    if s == "document" {
        Target::Document
    } else {
        Target::Provision(s)
    }
}

/// An instant as the server writes it: RFC 3339 in the given offset.
pub fn format_time(unix_seconds: i64, offset_minutes: i16) -> String {
    Timestamp::from_unix_seconds(unix_seconds, offset_minutes).to_string()
}

/// A comment ready to be stored: validated, normalised (no contact without consent), with the
/// server's own facts about it.
#[derive(Debug)]
pub struct Submission {
    pub document_id: String,
    /// The revision of the document the commenter saw (the one served when it was received).
    pub revision: i64,
    pub idempotency_key: Option<String>,
    pub request_hash: String,
    pub comment: NewComment,
    pub ip_hash: Option<String>,
    pub received_unix: i64,
    pub received_at: String,
}

/// The answer to a stored comment: what the commenter keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// The receipt number, e.g. `JD-7K3Q-9XWM`. Keep it to look up what became of the comment.
    pub receipt: String,
    pub document_id: String,
    /// The comment's public number in the document's feedback report.
    pub number: u64,
    pub received_at: String,
}

#[derive(Debug)]
pub enum Inserted {
    /// Stored now, or found stored under the same idempotency key (`replayed`).
    Stored { receipt: Receipt, replayed: bool },
    /// The idempotency key belongs to a different comment.
    KeyReused,
}

/// Looks up a comment stored under an idempotency key.
pub fn find_by_key(conn: &dyn Sql, key: &str) -> Result<Option<(Receipt, String)>, DbError> {
    conn.query_opt(
        "SELECT receipt, document_id, number, received_at, request_hash
         FROM comments WHERE idempotency_key = ?1",
        params![key],
        |r| {
            Ok((
                Receipt {
                    receipt: r.get(0)?,
                    document_id: r.get(1)?,
                    number: r.get(2)?,
                    received_at: r.get(3)?,
                },
                r.get::<String>(4)?,
            ))
        },
    )
}

/// Stores a submission under `receipt` with the next number of its document, unless a comment
/// is already stored under its idempotency key. One statement on both engines, so PostgreSQL
/// spends one round trip on it (and `pg.rs` runs it for a whole batch in one statement). Any
/// uniqueness conflict inserts nothing instead of failing (a failed statement would spoil a
/// PostgreSQL transaction): the idempotency key stored meanwhile by another instance, the number
/// taken by another instance's transaction (PostgreSQL waits for that transaction to end, then
/// skips), or a receipt drawn twice. It returns the number, or no row when it stored nothing;
/// [`insert_comment`] then finds out why. The number is a scalar subquery, which both engines
/// answer from the end of the `(document_id, number)` index; written as an aggregate over the
/// document's rows with `HAVING`, SQLite read every row of the document instead (5 ms an insert
/// at 30,000 comments). The UNIQUE constraints on `receipt`, `idempotency_key`
/// and `(document_id, number)` make this correct across instances without a lock (on PostgreSQL
/// the writer still takes one lock per document, for fairness, not correctness: see `pg.rs`).
pub const INSERT_COMMENT: &str = "
    INSERT INTO comments (receipt, document_id, number, idempotency_key, request_hash,
        target, stance, text, proposed_wording, name, contact, submitter_type, consent,
        ip_hash, received_unix, received_at, revision)
    SELECT ?1, ?2, (SELECT COALESCE(MAX(number), 0) + 1 FROM comments WHERE document_id = ?2),
        ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16
    WHERE NOT EXISTS (SELECT 1 FROM comments WHERE idempotency_key = ?3)
    ON CONFLICT DO NOTHING
    RETURNING number";

/// The parameters of [`INSERT_COMMENT`] for `s` under `receipt`.
pub fn insert_params(s: &Submission, receipt: &str) -> Vec<Value> {
    let c = &s.comment;
    params![
        receipt,
        s.document_id,
        s.idempotency_key,
        s.request_hash,
        c.target.to_string(),
        c.stance.as_str(),
        c.text,
        c.proposed_wording,
        c.name,
        c.contact,
        c.submitter_type.as_str(),
        c.consent,
        s.ip_hash,
        s.received_unix,
        s.received_at,
        s.revision,
    ]
    .to_vec()
}

/// What [`INSERT_COMMENT`] answered for `s` under `receipt`: the receipt if it stored the comment,
/// `None` if it stored nothing.
pub fn inserted(s: &Submission, receipt: String, rows: &[Row]) -> Result<Option<Receipt>, DbError> {
    match rows.first() {
        Some(row) => Ok(Some(stored(s, receipt, row.get(0)?))),
        None => Ok(None),
    }
}

/// The receipt of `s`, stored under `receipt` with `number`.
pub fn stored(s: &Submission, receipt: String, number: u64) -> Receipt {
    Receipt {
        receipt,
        document_id: s.document_id.clone(),
        number,
        received_at: s.received_at.clone(),
    }
}

/// How many times [`insert_comment`] tries before it gives up. Each miss means another
/// transaction took the number (or the receipt) and has ended since, so the next try sees it.
const INSERT_TRIES: usize = 32;

/// Stores a submission, or returns the comment already stored under its idempotency key.
pub fn insert_comment(conn: &dyn Sql, s: &Submission) -> Result<Inserted, DbError> {
    for _ in 0..INSERT_TRIES {
        let receipt = secrets::new_receipt();
        let rows = conn.query(INSERT_COMMENT, &insert_params(s, &receipt))?;
        if let Some(receipt) = inserted(s, receipt, &rows)? {
            return Ok(Inserted::Stored {
                receipt,
                replayed: false,
            });
        }
        if let Some(key) = &s.idempotency_key
            && let Some((receipt, hash)) = find_by_key(conn, key)?
        {
            return Ok(
                if hash == s.request_hash && receipt.document_id == s.document_id {
                    Inserted::Stored {
                        receipt,
                        replayed: true,
                    }
                } else {
                    Inserted::KeyReused
                },
            );
        }
        // Another transaction took the number (and has committed since), or the receipt was
        // drawn twice: try again with a fresh statement, which sees the other's row.
    }
    Err(DbError::Task(
        "could not store the comment: every try conflicted".into(),
    ))
}

/// What the public may know about a comment, by its receipt. No contact, no name, no text.
pub fn receipt_status(conn: &dyn Sql, receipt: &str) -> Result<Option<ReceiptStatus>, DbError> {
    conn.query_opt(
        "SELECT receipt, document_id, target, received_at, status, published_decision, published_reason
         FROM comments WHERE receipt = ?1",
        params![receipt],
        |r| {
            let status = wire(r, 4, CommentStatus::parse)?;
            let decision = wire_opt(r, 5, Decision::parse)?;
            let public = match (decision, status) {
                (Some(_), _) => PublicStatus::Answered,
                (None, CommentStatus::Received) => PublicStatus::Received,
                // An honest final state: these are never listed, so never "under review".
                (None, CommentStatus::Spam) => PublicStatus::Spam,
                (None, CommentStatus::Hidden) => PublicStatus::Hidden,
                (None, _) => PublicStatus::UnderReview,
            };
            Ok(ReceiptStatus {
                receipt: r.get(0)?,
                document_id: r.get(1)?,
                target: parse_target(r.get(2)?),
                received_at: r.get(3)?,
                status: public,
                decision,
                reason: if decision.is_some() { r.get(6)? } else { None },
            })
        },
    )
}

/// A stored comment as editors see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EditorComment {
    pub number: u64,
    pub receipt: String,
    pub document_id: String,
    pub target: Target,
    pub stance: Stance,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_wording: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub submitter_type: SubmitterType,
    /// Whether the commenter agreed that a contact may be kept.
    pub consent: bool,
    /// Only with `include_contact=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The keyed hash of the client address; only with `include_contact=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_hash: Option<String>,
    pub received_at: String,
    pub status: CommentStatus,
    /// The editors' current decision (not public until published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposition: Option<Disposition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<u64>,
    /// The decision as last published, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Disposition>,
    /// The revision of the document that was served when the comment came in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// The provision as the commenter saw it in that revision (single comments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<SeenProvision>,
}

/// A provision's text in the revision a commenter saw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeenProvision {
    pub revision: i64,
    /// Label and title, as the official text prints them.
    pub heading: String,
    /// The body as plain text.
    pub text: String,
}

const EDITOR_COLUMNS: &str = "number, receipt, document_id, target, stance, text, proposed_wording,
    name, submitter_type, consent, contact, ip_hash, received_at, status, decision, reason,
    decided_at, decided_by, duplicate_of, published_decision, published_reason, revision,
    final_provision, published_final_provision";

fn editor_row(r: &Row, include_contact: bool) -> Result<EditorComment, DbError> {
    let disposition = |d: Option<Decision>, reason: Option<String>, final_provision| {
        d.map(|decision| Disposition {
            decision,
            reason,
            final_provision,
        })
    };
    Ok(EditorComment {
        number: r.get(0)?,
        receipt: r.get(1)?,
        document_id: r.get(2)?,
        target: parse_target(r.get(3)?),
        stance: wire(r, 4, Stance::parse)?,
        text: r.get(5)?,
        proposed_wording: r.get(6)?,
        name: r.get(7)?,
        submitter_type: wire(r, 8, SubmitterType::parse)?,
        consent: r.get(9)?,
        contact: if include_contact { r.get(10)? } else { None },
        ip_hash: if include_contact { r.get(11)? } else { None },
        received_at: r.get(12)?,
        status: wire(r, 13, CommentStatus::parse)?,
        disposition: disposition(wire_opt(r, 14, Decision::parse)?, r.get(15)?, r.get(22)?),
        decided_at: r.get(16)?,
        decided_by: r.get(17)?,
        duplicate_of: r.get(18)?,
        published: disposition(wire_opt(r, 19, Decision::parse)?, r.get(20)?, r.get(23)?),
        revision: r.get(21)?,
        seen: None,
    })
}

/// Filters for the editors' list of comments.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<CommentStatus>,
    /// A provision id, or `document`.
    pub target: Option<String>,
    pub stance: Option<Stance>,
    /// Words that must occur in the text, the proposed wording or the name.
    pub q: Option<String>,
    /// 1-based.
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    pub include_contact: Option<bool>,
}

pub const MAX_PER_PAGE: u32 = 500;
/// Words in a search (`q`) at most, and its length in characters: each word is one condition.
pub const MAX_SEARCH_WORDS: usize = 20;
pub const MAX_SEARCH_CHARS: usize = 200;
pub const DEFAULT_PER_PAGE: u32 = 50;

/// One page of the editors' list.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentPage {
    /// Comments matching the filters, on all pages.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub comments: Vec<EditorComment>,
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

pub fn list_comments(
    conn: &dyn Sql,
    document_id: &str,
    q: &ListQuery,
) -> Result<CommentPage, DbError> {
    // Each condition names its parameter as `?N`, replaced by the parameter's number.
    let mut sql_where = String::from("document_id = ?1");
    let mut params = vec![Value::Text(document_id.to_owned())];
    let mut and = |condition: &str, value: Value| {
        params.push(value);
        sql_where.push_str(" AND ");
        sql_where.push_str(&condition.replace("?N", &format!("?{}", params.len())));
    };
    if let Some(status) = q.status {
        and("status = ?N", Value::Text(status_str(status).into()));
    }
    if let Some(target) = &q.target {
        and("target = ?N", Value::Text(target.clone()));
    }
    if let Some(stance) = q.stance {
        and("stance = ?N", Value::Text(stance.as_str().into()));
    }
    let like = conn.dialect().ilike();
    for term in q.q.as_deref().unwrap_or("").split_whitespace() {
        and(
            &format!(
                "(text {like} ?N ESCAPE '\\' OR proposed_wording {like} ?N ESCAPE '\\' \
                 OR name {like} ?N ESCAPE '\\')"
            ),
            Value::Text(escape_like(term)),
        );
    }
    let total: u64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM comments WHERE {sql_where}"),
        &params,
        |r| r.get(0),
    )?;
    let per_page = q
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = q.page.unwrap_or(1).max(1);
    let offset = u64::from(page - 1) * u64::from(per_page);
    let include_contact = q.include_contact.unwrap_or(false);
    let comments = conn.query_map(
        &format!(
            "SELECT {EDITOR_COLUMNS} FROM comments WHERE {sql_where} ORDER BY number \
             LIMIT {per_page} OFFSET {offset}"
        ),
        &params,
        |r| editor_row(r, include_contact),
    )?;
    Ok(CommentPage {
        total,
        page,
        per_page,
        comments,
    })
}

pub fn get_comment(
    conn: &dyn Sql,
    document_id: &str,
    number: u64,
    include_contact: bool,
) -> Result<Option<EditorComment>, DbError> {
    // Numbers are SQLite integers: one above i64::MAX names no comment.
    if i64::try_from(number).is_err() {
        return Ok(None);
    }
    conn.query_opt(
        &format!("SELECT {EDITOR_COLUMNS} FROM comments WHERE document_id = ?1 AND number = ?2"),
        params![document_id, number],
        |r| editor_row(r, include_contact),
    )
}

/// Every comment of a document in number order, for exports.
pub fn all_comments(
    conn: &dyn Sql,
    document_id: &str,
    include_contact: bool,
) -> Result<Vec<EditorComment>, DbError> {
    let rows = conn.query_map(
        &format!("SELECT {EDITOR_COLUMNS} FROM comments WHERE document_id = ?1 ORDER BY number"),
        params![document_id],
        |r| editor_row(r, include_contact),
    )?;
    Ok(rows)
}

/// Why an editor action was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    NotFound,
    /// The comment is marked duplicate, spam or hidden.
    Marked,
    /// `duplicateOf` names no comment, itself, or a comment that is itself marked.
    BadDuplicate,
    /// Other comments are marked as its duplicates: it cannot be marked spam or hidden (they
    /// would be left without an answer) until they are unmarked.
    HasDuplicates,
}

/// Writes one entry of the audit log.
pub fn audit(
    conn: &dyn Sql,
    at: &str,
    actor: &str,
    action: &str,
    document_id: Option<&str>,
    comment_number: Option<u64>,
    detail: &serde_json::Value,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, document_id, comment_number, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            at,
            actor,
            action,
            document_id,
            comment_number,
            detail.to_string()
        ],
    )?;
    Ok(())
}

/// Sets the editors' decision on a comment. Its status becomes `decided` (a published decision
/// stays public until the report is published again).
pub fn set_disposition(
    conn: &dyn Sql,
    document_id: &str,
    number: u64,
    disposition: &Disposition,
    editor: &str,
    at: &str,
) -> Result<Result<EditorComment, ActionError>, DbError> {
    let Some(current) = get_comment(conn, document_id, number, false)? else {
        return Ok(Err(ActionError::NotFound));
    };
    if matches!(
        current.status,
        CommentStatus::Duplicate | CommentStatus::Spam | CommentStatus::Hidden
    ) {
        return Ok(Err(ActionError::Marked));
    }
    let reason = disposition
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    conn.execute(
        "UPDATE comments SET status = 'decided', decision = ?3, reason = ?4, decided_at = ?5,
            decided_by = ?6, final_provision = ?7 WHERE document_id = ?1 AND number = ?2",
        params![
            document_id,
            number,
            disposition.decision.as_str(),
            reason,
            at,
            editor,
            disposition.final_provision
        ],
    )?;
    audit(
        conn,
        at,
        editor,
        "set-disposition",
        Some(document_id),
        Some(number),
        &serde_json::json!({
            "decision": disposition.decision,
            "reason": reason,
            "finalProvision": disposition.final_provision,
            "previous": current.disposition,
        }),
    )?;
    Ok(get_comment(conn, document_id, number, false)?.ok_or(ActionError::NotFound))
}

/// How an editor marks a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MarkKind {
    /// Says the same as another comment; answered with that comment's decision.
    Duplicate,
    Spam,
    Hidden,
    /// Removes a mark: the comment is back to `decided` or `received`.
    None,
}

/// The body of `PUT …/comments/{number}/mark`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Mark {
    pub mark: MarkKind,
    /// For `duplicate`: the number of the original comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<u64>,
}

pub fn set_mark(
    conn: &dyn Sql,
    document_id: &str,
    number: u64,
    mark: &Mark,
    editor: &str,
    at: &str,
) -> Result<Result<EditorComment, ActionError>, DbError> {
    let Some(current) = get_comment(conn, document_id, number, false)? else {
        return Ok(Err(ActionError::NotFound));
    };
    // Comments marked as duplicates of this one take its answer; it must stay answerable.
    let pointed_at: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM comments WHERE document_id = ?1 AND duplicate_of = ?2 AND status = 'duplicate')", params![document_id, number], |r| r.get(0))?;
    let (status, duplicate_of) = match mark.mark {
        MarkKind::Duplicate => {
            let Some(original) = mark.duplicate_of.filter(|&n| n != number) else {
                return Ok(Err(ActionError::BadDuplicate));
            };
            let ok = get_comment(conn, document_id, original, false)?.is_some_and(|o| {
                !matches!(
                    o.status,
                    CommentStatus::Duplicate | CommentStatus::Spam | CommentStatus::Hidden
                )
            });
            // A comment others point at cannot itself become a duplicate: no chains.
            if !ok || pointed_at {
                return Ok(Err(ActionError::BadDuplicate));
            }
            (CommentStatus::Duplicate, Some(original))
        }
        MarkKind::Spam | MarkKind::Hidden if pointed_at => {
            return Ok(Err(ActionError::HasDuplicates));
        }
        MarkKind::Spam => (CommentStatus::Spam, None),
        MarkKind::Hidden => (CommentStatus::Hidden, None),
        MarkKind::None => (
            if current.disposition.is_some() {
                CommentStatus::Decided
            } else {
                CommentStatus::Received
            },
            None,
        ),
    };
    conn.execute(
        "UPDATE comments SET status = ?3, duplicate_of = ?4 WHERE document_id = ?1 AND number = ?2",
        params![document_id, number, status_str(status), duplicate_of],
    )?;
    audit(
        conn,
        at,
        editor,
        "mark",
        Some(document_id),
        Some(number),
        &serde_json::json!({
            "mark": mark.mark,
            "duplicateOf": duplicate_of,
            "previousStatus": current.status,
        }),
    )?;
    Ok(get_comment(conn, document_id, number, false)?.ok_or(ActionError::NotFound))
}

/// Builds the feedback report from the current decisions, stores it as the next published
/// version and records, per comment, the decision that is now public. `final_version` is the
/// published document that replaces this draft, if any: rows link to its provisions.
pub fn publish(
    conn: &dyn Sql,
    document_id: &str,
    final_version: Option<&Document>,
    editor: &str,
    at: &str,
) -> Result<(FeedbackReport, u64), DbError> {
    let reviewed = {
        conn.query_map(
            "SELECT number, target, stance, text, proposed_wording, name, submitter_type, status,
                decision, reason, duplicate_of, final_provision
             FROM comments WHERE document_id = ?1 ORDER BY number",
            params![document_id],
            |r| {
                Ok(ReviewedComment {
                    number: r.get(0)?,
                    comment: NewComment {
                        target: parse_target(r.get(1)?),
                        stance: wire(r, 2, Stance::parse)?,
                        text: r.get(3)?,
                        proposed_wording: r.get(4)?,
                        name: r.get(5)?,
                        contact: None,
                        submitter_type: wire(r, 6, SubmitterType::parse)?,
                        consent: false,
                    },
                    status: wire(r, 7, CommentStatus::parse)?,
                    disposition: wire_opt(r, 8, Decision::parse)?.map(|decision| Disposition {
                        decision,
                        reason: r.get(9).ok().flatten(),
                        final_provision: r.get(11).ok().flatten(),
                    }),
                    duplicate_of: r.get(10)?,
                })
            },
        )?
    };
    let report = FeedbackReport::build(document_id, at, &reviewed, final_version);
    let version: u64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM feedback_reports WHERE document_id = ?1",
        params![document_id],
        |r| r.get(0),
    )?;
    let json = serde_json::to_string(&report).map_err(|e| DbError::Task(e.to_string()))?;
    conn.execute(
        "INSERT INTO feedback_reports (document_id, version, published_at, published_by, report)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![document_id, version, at, editor, json],
    )?;
    conn.execute(
        "UPDATE comments SET published_decision = NULL, published_reason = NULL,
            published_final_provision = NULL WHERE document_id = ?1",
        params![document_id],
    )?;
    for row in &report.rows {
        for number in std::iter::once(row.number).chain(row.duplicates.iter().copied()) {
            conn.execute(
                "UPDATE comments SET published_decision = ?3, published_reason = ?4,
                    published_final_provision = ?5,
                    status = CASE status WHEN 'decided' THEN 'published' ELSE status END
                 WHERE document_id = ?1 AND number = ?2",
                params![
                    document_id,
                    number,
                    row.decision.as_str(),
                    row.reason,
                    row.see.as_ref().map(|s| &s.provision_id)
                ],
            )?;
        }
    }
    audit(
        conn,
        at,
        editor,
        "publish-feedback",
        Some(document_id),
        None,
        &serde_json::json!({ "version": version, "total": report.total, "rows": report.rows.len() }),
    )?;
    Ok((report, version))
}

/// The latest published report of a document, as stored (JSON text) with its version.
pub fn published_report(
    conn: &dyn Sql,
    document_id: &str,
) -> Result<Option<(String, u64)>, DbError> {
    conn.query_opt(
        "SELECT report, version FROM feedback_reports WHERE document_id = ?1
             ORDER BY version DESC LIMIT 1",
        params![document_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// `(version, published_at)` of every published feedback report of a document, oldest first.
pub fn report_versions(conn: &dyn Sql, document_id: &str) -> Result<Vec<(u64, String)>, DbError> {
    let rows = conn.query_map("SELECT version, published_at FROM feedback_reports WHERE document_id = ?1 ORDER BY version", params![document_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows)
}

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: u64,
    pub at: String,
    /// The editor token's name (or `cli` for token commands).
    pub actor: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_number: Option<u64>,
    pub detail: serde_json::Value,
}

/// The audit log, newest first; `before` pages back by id. (The casts give PostgreSQL the
/// parameters' types, which `?1 IS NULL` alone does not.)
pub fn audit_entries(
    conn: &dyn Sql,
    document_id: Option<&str>,
    before: Option<u64>,
    limit: u32,
) -> Result<Vec<AuditEntry>, DbError> {
    let rows = conn.query_map(
        "SELECT id, at, actor, action, document_id, comment_number, detail FROM audit_log
         WHERE (CAST(?1 AS TEXT) IS NULL OR document_id = ?1)
            AND (CAST(?2 AS BIGINT) IS NULL OR id < ?2)
         ORDER BY id DESC LIMIT ?3",
        params![document_id, before, limit],
        |r| {
            let detail: String = r.get(6)?;
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                document_id: r.get(4)?,
                comment_number: r.get(5)?,
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            })
        },
    )?;
    Ok(rows)
}

/// What a token may do. Each role may do everything the ones before it may.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Reviews comments; drafts and submits revisions.
    Editor,
    /// Also approves (publishes) or sends back submitted revisions, withdraws documents and marks
    /// them repealed or expired.
    Approver,
    /// Also manages tokens.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Editor, Role::Approver, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::parse(s).ok_or_else(|| format!("`{s}` is not a role; use editor, approver or admin"))
    }
}

/// The name and role of the holder of this token, if it is valid and not revoked.
pub fn staff_for_token(conn: &dyn Sql, token: &str) -> Result<Option<(String, Role)>, DbError> {
    let row: Option<(String, String)> = conn.query_opt(
        "SELECT name, role FROM editor_tokens WHERE token_hash = ?1 AND revoked_at IS NULL",
        params![secrets::token_hash(token)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    row.map(|(name, role)| {
        Role::parse(&role)
            .map(|role| (name, role))
            .ok_or_else(|| DbError::Task(format!("unknown role `{role}` in the database")))
    })
    .transpose()
}

/// Why a token command failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("a token named `{0}` already exists; revoke it or choose another name")]
    NameTaken(String),
    #[error("no active token is named `{0}`")]
    NotFound(String),
    #[error("a token name must be 1–60 printable characters without spaces")]
    BadName,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for TokenError {
    fn from(e: rusqlite::Error) -> Self {
        TokenError::Db(e.into())
    }
}

/// Creates a token and returns it: the only time it is ever visible. `actor` is who made it
/// (`cli`, or an admin's name).
pub fn create_token(
    conn: &dyn Sql,
    name: &str,
    role: Role,
    actor: &str,
    at: &str,
) -> Result<String, TokenError> {
    if name.is_empty()
        || name.chars().count() > 60
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(TokenError::BadName);
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM editor_tokens WHERE name = ?1)",
        params![name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(TokenError::NameTaken(name.to_owned()));
    }
    let token = secrets::new_token();
    conn.execute(
        "INSERT INTO editor_tokens (name, token_hash, created_at, role) VALUES (?1, ?2, ?3, ?4)",
        params![name, secrets::token_hash(&token), at, role.as_str()],
    )?;
    audit(
        conn,
        at,
        actor,
        "create-token",
        None,
        None,
        &serde_json::json!({ "name": name, "role": role }),
    )?;
    Ok(token)
}

/// Changes the role of an active token.
pub fn set_role(
    conn: &dyn Sql,
    name: &str,
    role: Role,
    actor: &str,
    at: &str,
) -> Result<(), TokenError> {
    let n = conn.execute(
        "UPDATE editor_tokens SET role = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, role.as_str()],
    )?;
    if n == 0 {
        return Err(TokenError::NotFound(name.to_owned()));
    }
    audit(
        conn,
        at,
        actor,
        "set-role",
        None,
        None,
        &serde_json::json!({ "name": name, "role": role }),
    )?;
    Ok(())
}

/// Revokes a token by name. Its row stays, so the audit log's names keep their meaning.
pub fn revoke_token(conn: &dyn Sql, name: &str, actor: &str, at: &str) -> Result<(), TokenError> {
    let n = conn.execute(
        "UPDATE editor_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, at],
    )?;
    if n == 0 {
        return Err(TokenError::NotFound(name.to_owned()));
    }
    audit(
        conn,
        at,
        actor,
        "revoke-token",
        None,
        None,
        &serde_json::json!({ "name": name }),
    )?;
    Ok(())
}

/// The body of `POST /api/v1/tokens`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// Who will hold it (1–60 printable characters without spaces), e.g. `zhang.san`.
    pub name: String,
    pub role: Role,
}

/// The body of `PUT /api/v1/tokens/{name}/role`.
#[derive(Clone, Copy, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    pub role: Role,
}

/// A token as lists show it (never the token itself).
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// Every token, oldest first.
pub fn list_tokens(conn: &dyn Sql) -> Result<Vec<TokenInfo>, DbError> {
    let rows = conn.query_map(
        "SELECT name, role, created_at, revoked_at FROM editor_tokens ORDER BY id",
        params![],
        |r| {
            let role: String = r.get(1)?;
            Ok(TokenInfo {
                name: r.get(0)?,
                role: Role::parse(&role).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        format!("unknown role `{role}` in the database").into(),
                    )
                })?,
                created_at: r.get(2)?,
                revoked_at: r.get(3)?,
            })
        },
    )?;
    Ok(rows)
}
