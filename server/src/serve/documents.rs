//! Documents and their revisions in the database: seeding from `content/`, the states of the
//! sign-off workflow, and what is served.
//!
//! A document is a row in `documents`; every saved version of its authoring source is a row in
//! `revisions`, never changed afterwards except for its workflow state. A revision is stored only
//! if it compiles (so every row has its compiled JSON), and `documents.published` names the one
//! revision that is served. The served set ([`PublishedRow`]) is read from here whenever it
//! changes and swapped into the server whole (see `state.rs`).
//!
//! Like `store.rs`, the functions take a connection and run SQL; writes run inside the writer's
//! group commit and check everything before they change anything.

use jiedu_core::diagnostic::Diagnostic;
use jiedu_core::revision::{CommentCounts, check_commented_ids};
use jiedu_core::{Date, Document, Lapse, LapseKind};
use serde::{Deserialize, Serialize};

use super::db::DbError;
use super::sql::{Row, Sql, params};
use super::store::{SeenProvision, audit};

/// The author (and audit actor) of revisions made from files in the content directory.
pub const CONTENT_DIR_AUTHOR: &str = "content-dir";

/// Where a revision stands in the sign-off workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RevisionState {
    /// Saved, not yet submitted.
    Draft,
    /// Submitted for sign-off (待审签).
    Submitted,
    /// Approved and published; stays so when a later revision is published.
    Published,
    /// Sent back by an approver with a reason; may be submitted again or replaced.
    Returned,
}

impl RevisionState {
    const ALL: [RevisionState; 4] = [
        RevisionState::Draft,
        RevisionState::Submitted,
        RevisionState::Published,
        RevisionState::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionState::Draft => "draft",
            RevisionState::Submitted => "submitted",
            RevisionState::Published => "published",
            RevisionState::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<RevisionState> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A stored value this version does not know: the database was written by something else.
fn unknown(column: &str, value: &str) -> DbError {
    DbError::Decode {
        column: 0,
        message: format!("unknown {column} `{value}` in the database"),
    }
}

fn state_of(s: String) -> Result<RevisionState, DbError> {
    RevisionState::parse(&s).ok_or_else(|| unknown("revision state", &s))
}

fn lapse_of(kind: Option<String>, on: Option<String>) -> Result<Option<Lapse>, DbError> {
    let (Some(kind), Some(on)) = (kind, on) else {
        return Ok(None);
    };
    let kind = LapseKind::parse(&kind).ok_or_else(|| unknown("lapse kind", &kind))?;
    let on = on.parse().map_err(|_| unknown("lapse date", &on))?;
    Ok(Some(Lapse { kind, on }))
}

/// A revision without its source: what lists show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RevisionInfo {
    pub id: i64,
    pub document_id: String,
    pub state: RevisionState,
    /// The title the revision's source gives the document.
    pub title: String,
    pub author: String,
    pub created_at: String,
    /// The warnings `jiedu check` gives for this source (a revision with errors is never stored).
    pub warnings: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// Who approved (published) or sent back the revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// Why it was sent back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A revision with its authoring source and diagnostics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    #[serde(flatten)]
    pub info: RevisionInfo,
    pub source: String,
    /// The warnings, exactly as `jiedu check --json` gives them.
    pub diagnostics: Vec<Diagnostic>,
}

const INFO_COLUMNS: &str = "id, document_id, state, title, author, created_at, warnings,
    submitted_by, submitted_at, decided_by, decided_at, reason";

fn info_row(r: &Row) -> Result<RevisionInfo, DbError> {
    Ok(RevisionInfo {
        id: r.get(0)?,
        document_id: r.get(1)?,
        state: state_of(r.get(2)?)?,
        title: r.get(3)?,
        author: r.get(4)?,
        created_at: r.get(5)?,
        warnings: r.get(6)?,
        submitted_by: r.get(7)?,
        submitted_at: r.get(8)?,
        decided_by: r.get(9)?,
        decided_at: r.get(10)?,
        reason: r.get(11)?,
    })
}

/// One revision with its source.
pub fn revision(conn: &dyn Sql, id: i64) -> Result<Option<Revision>, DbError> {
    conn.query_opt(
        &format!("SELECT {INFO_COLUMNS}, source, diagnostics FROM revisions WHERE id = ?1"),
        params![id],
        |r| {
            let diagnostics: String = r.get(13)?;
            Ok(Revision {
                info: info_row(r)?,
                source: r.get(12)?,
                diagnostics: serde_json::from_str(&diagnostics).unwrap_or_default(),
            })
        },
    )
}

/// The revisions of a document, newest first; only the published ones if asked.
pub fn revisions(
    conn: &dyn Sql,
    document_id: &str,
    published_only: bool,
) -> Result<Vec<RevisionInfo>, DbError> {
    let rows = conn.query_map(
        &format!(
            "SELECT {INFO_COLUMNS} FROM revisions WHERE document_id = ?1
            AND (?2 = 0 OR state = 'published') ORDER BY id DESC"
        ),
        params![document_id, published_only],
        info_row,
    )?;
    Ok(rows)
}

/// The newest revision of a document.
pub fn latest(conn: &dyn Sql, document_id: &str) -> Result<Option<RevisionInfo>, DbError> {
    conn.query_opt(
        &format!(
            "SELECT {INFO_COLUMNS} FROM revisions WHERE document_id = ?1 ORDER BY id DESC LIMIT 1"
        ),
        params![document_id],
        info_row,
    )
}

/// A document as the editors' list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentState {
    pub id: String,
    /// The revision served to the public, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<RevisionInfo>,
    /// The newest revision (the same as `published` when nothing newer was saved).
    pub latest: RevisionInfo,
    /// When it was withdrawn (撤回); the public API answers 410 meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lapsed: Option<Lapse>,
}

/// Every document with its published and newest revision, in creation order.
pub fn document_states(conn: &dyn Sql) -> Result<Vec<DocumentState>, DbError> {
    let rows = conn.query_map(
        "SELECT id, published, withdrawn_at, lapse_kind, lapse_on FROM documents ORDER BY rowid",
        params![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<Option<i64>>(1)?,
                r.get::<Option<String>>(2)?,
                lapse_of(r.get(3)?, r.get(4)?)?,
            ))
        },
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, published, withdrawn_at, lapsed) in rows {
        let Some(latest) = latest(conn, &id)? else {
            continue;
        };
        let published = match published {
            Some(rev) => revision(conn, rev)?.map(|r| r.info),
            None => None,
        };
        out.push(DocumentState {
            id,
            published,
            latest,
            withdrawn_at,
            lapsed,
        });
    }
    Ok(out)
}

/// A document the public may see: its published compiled JSON, with the lapse applied.
#[derive(Debug)]
pub struct PublishedRow {
    pub revision: i64,
    pub document: Document,
    pub withdrawn: bool,
}

/// The published documents in creation order (withdrawn ones included and marked).
pub fn published(conn: &dyn Sql) -> Result<Vec<PublishedRow>, DbError> {
    let rows = conn.query_map(
        "SELECT r.compiled, d.withdrawn_at IS NOT NULL, d.lapse_kind, d.lapse_on, r.id
         FROM documents d JOIN revisions r ON r.id = d.published ORDER BY d.rowid",
        params![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<bool>(1)?,
                lapse_of(r.get(2)?, r.get(3)?)?,
                r.get::<i64>(4)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(json, withdrawn, lapsed, revision)| {
            let mut document: Document = serde_json::from_str(&json).map_err(|e| {
                DbError::Task(format!("a stored compiled document is invalid: {e}"))
            })?;
            document.lapsed = lapsed;
            Ok(PublishedRow {
                revision,
                document,
                withdrawn,
            })
        })
        .collect()
}

/// A source that compiled, ready to be stored as a revision.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub source: String,
    pub document: Document,
    /// Warnings only: a source with errors is never stored.
    pub diagnostics: Vec<Diagnostic>,
}

fn insert_revision(
    conn: &dyn Sql,
    c: &Compiled,
    state: RevisionState,
    author: &str,
    at: &str,
) -> Result<i64, DbError> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM documents WHERE id = ?1)",
        params![&c.document.id],
        |r| r.get(0),
    )?;
    if !exists {
        conn.execute(
            "INSERT INTO documents (id, created_at) VALUES (?1, ?2)",
            params![c.document.id, at],
        )?;
    }
    let compiled = serde_json::to_string(&c.document).map_err(|e| DbError::Task(e.to_string()))?;
    let diagnostics =
        serde_json::to_string(&c.diagnostics).map_err(|e| DbError::Task(e.to_string()))?;
    conn.query_row(
        "INSERT INTO revisions (document_id, state, title, source, compiled, diagnostics, warnings,
            author, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        params![
            c.document.id,
            state.as_str(),
            c.document.title,
            c.source,
            compiled,
            diagnostics,
            c.diagnostics.len(),
            author,
            at
        ],
        |r| r.get(0),
    )
}

/// Makes `revision` the served revision of its document (and no longer withdrawn).
fn publish(conn: &dyn Sql, document_id: &str, revision: i64) -> Result<(), DbError> {
    conn.execute(
        "UPDATE documents SET published = ?2, withdrawn_at = NULL WHERE id = ?1",
        params![document_id, revision],
    )?;
    Ok(())
}

/// A file of the content directory, compiled.
#[derive(Clone, Debug)]
pub struct Seed {
    /// Where it came from (for the log), e.g. `content/a.md`.
    pub origin: String,
    pub compiled: Compiled,
}

/// What seeding did with one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seeded {
    /// The document was new: its first revision, published.
    Created { revision: i64 },
    /// The file is the same as the newest revision.
    Unchanged,
    /// The file is what was seeded last, and editors have saved newer revisions since: the
    /// database wins and the file is ignored (`jiedu export-content` refreshes the files).
    DatabaseNewer,
    /// The file changed since the last seed and nobody edited the document in the browser
    /// meanwhile: a new revision, published (the file is the operator's publication).
    Updated { revision: i64 },
    /// The file changed since the last seed, but editors saved revisions in the browser since
    /// then: the file becomes a draft revision for editors to reconcile; what is served does not
    /// change and no browser-made revision is overwritten.
    Conflict { revision: i64 },
}

/// Brings the database up to date with the files of the content directory (see [`Seeded`]).
/// Each new revision is written to the audit log.
pub fn seed(conn: &dyn Sql, seed: &Seed, at: &str) -> Result<Seeded, DbError> {
    let id = &seed.compiled.document.id;
    let Some(newest) = latest(conn, id)? else {
        let revision = insert_revision(
            conn,
            &seed.compiled,
            RevisionState::Published,
            CONTENT_DIR_AUTHOR,
            at,
        )?;
        publish(conn, id, revision)?;
        audit_seed(conn, seed, revision, "created", at)?;
        return Ok(Seeded::Created { revision });
    };
    let source_of = |rev: i64| -> Result<Option<String>, DbError> {
        conn.query_opt(
            "SELECT source FROM revisions WHERE id = ?1",
            params![rev],
            |r| r.get(0),
        )
    };
    if source_of(newest.id)?.as_deref() == Some(seed.compiled.source.as_str()) {
        return Ok(Seeded::Unchanged);
    }
    let last_seeded: Option<String> = conn.query_opt(
        "SELECT source FROM revisions WHERE document_id = ?1 AND author = ?2
             ORDER BY id DESC LIMIT 1",
        params![id, CONTENT_DIR_AUTHOR],
        |r| r.get(0),
    )?;
    if last_seeded.as_deref() == Some(seed.compiled.source.as_str()) {
        return Ok(Seeded::DatabaseNewer);
    }
    let untouched = newest.author == CONTENT_DIR_AUTHOR && newest.state == RevisionState::Published;
    if untouched {
        let revision = insert_revision(
            conn,
            &seed.compiled,
            RevisionState::Published,
            CONTENT_DIR_AUTHOR,
            at,
        )?;
        publish(conn, id, revision)?;
        audit_seed(conn, seed, revision, "updated", at)?;
        Ok(Seeded::Updated { revision })
    } else {
        let revision = insert_revision(
            conn,
            &seed.compiled,
            RevisionState::Draft,
            CONTENT_DIR_AUTHOR,
            at,
        )?;
        audit_seed(conn, seed, revision, "conflict", at)?;
        Ok(Seeded::Conflict { revision })
    }
}

fn audit_seed(
    conn: &dyn Sql,
    seed: &Seed,
    revision: i64,
    outcome: &str,
    at: &str,
) -> Result<(), DbError> {
    audit(
        conn,
        at,
        CONTENT_DIR_AUTHOR,
        "seed-revision",
        Some(&seed.compiled.document.id),
        None,
        &serde_json::json!({ "file": seed.origin, "revision": revision, "outcome": outcome }),
    )
}

// The request bodies of the workflow API (here, beside the data they change, so the OpenAPI
// description can name them without depending on the handlers).

/// The body of `PUT /api/v1/documents/{id}/source`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceBody {
    /// The whole authoring source (Markdown with TOML front matter).
    pub source: String,
}

/// The body of `POST …/send-back`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBack {
    /// Why, for the author (1–2000 characters).
    pub reason: String,
}

/// The body of `PUT /api/v1/documents/{id}/lapse`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LapseBody {
    /// `repealed` (已废止) or `expired` (已失效); `null` clears the mark.
    pub kind: Option<LapseKind>,
    /// The day it stopped applying (required with a kind).
    #[serde(default)]
    pub on: Option<Date>,
}

/// Why a workflow step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    RevisionNotFound(i64),
    DocumentNotFound,
    /// `If-Match` is not the newest revision (`current`, if the document has any).
    Stale {
        current: Option<i64>,
    },
    /// The document exists, and the request did not say which revision it changes.
    IfMatchRequired {
        current: i64,
    },
    /// The step does not apply to a revision in this state.
    Transition {
        action: &'static str,
        state: RevisionState,
    },
    /// Sign-off is on and the approver wrote the revision.
    OwnRevision,
    NotPublished,
    /// The revision removes or re-ids provisions that have comments (J0201 diagnostics).
    CommentedProvisionsLost(Vec<Diagnostic>),
}

pub type Step<T> = Result<Result<T, Refusal>, DbError>;

/// Saves a new draft revision of a document (creating the document if it is new). `if_match`
/// must name the newest revision: a save never silently replaces one the author has not seen.
pub fn save_draft(
    conn: &dyn Sql,
    c: &Compiled,
    if_match: Option<i64>,
    author: &str,
    at: &str,
) -> Step<RevisionInfo> {
    let id = &c.document.id;
    let newest = latest(conn, id)?;
    match (&newest, if_match) {
        (None, None) => {}
        (None, Some(_)) => return Ok(Err(Refusal::Stale { current: None })),
        (Some(n), None) => return Ok(Err(Refusal::IfMatchRequired { current: n.id })),
        (Some(n), Some(m)) if n.id != m => {
            return Ok(Err(Refusal::Stale {
                current: Some(n.id),
            }));
        }
        (Some(_), Some(_)) => {}
    }
    let lost = commented_provisions_lost(conn, &c.document, &c.source)?;
    if !lost.is_empty() {
        return Ok(Err(Refusal::CommentedProvisionsLost(lost)));
    }
    let revision = insert_revision(conn, c, RevisionState::Draft, author, at)?;
    audit(
        conn,
        at,
        author,
        "save-revision",
        Some(id),
        None,
        &serde_json::json!({ "revision": revision, "previous": newest.map(|n| n.id) }),
    )?;
    Ok(Ok(info(conn, revision)?))
}

/// The compiled document of a stored revision.
pub fn compiled(conn: &dyn Sql, revision: i64) -> Result<Document, DbError> {
    let json: String = conn.query_row(
        "SELECT compiled FROM revisions WHERE id = ?1",
        params![revision],
        |r| r.get(0),
    )?;
    serde_json::from_str(&json)
        .map_err(|e| DbError::Task(format!("a stored compiled document is invalid: {e}")))
}

/// The compiled document of a revision of `document_id` that was published (it may have been
/// replaced by a later one since): what the public compare page may show.
pub fn published_compiled(
    conn: &dyn Sql,
    document_id: &str,
    revision: i64,
) -> Result<Option<Document>, DbError> {
    let json: Option<String> = conn.query_opt(
        "SELECT compiled FROM revisions WHERE id = ?1 AND document_id = ?2
             AND state = 'published'",
        params![revision, document_id],
        |r| r.get(0),
    )?;
    json.map(|json| {
        serde_json::from_str(&json)
            .map_err(|e| DbError::Task(format!("a stored compiled document is invalid: {e}")))
    })
    .transpose()
}

fn source(conn: &dyn Sql, revision: i64) -> Result<String, DbError> {
    conn.query_row(
        "SELECT source FROM revisions WHERE id = ?1",
        params![revision],
        |r| r.get(0),
    )
}

/// A provision as it read in a revision (what a commenter saw).
pub fn seen_provision(
    conn: &dyn Sql,
    revision: i64,
    provision: &str,
) -> Result<Option<SeenProvision>, DbError> {
    let doc = compiled(conn, revision)?;
    Ok(doc.provision(provision).map(|p| SeenProvision {
        revision,
        heading: p.heading(),
        text: p.body.plain_text(),
    }))
}

/// The revision rule ([`jiedu_core::revision`]): while the published revision is a consultation
/// draft, a new revision keeps every provision that has comments (spam and hidden ones aside).
fn commented_provisions_lost(
    conn: &dyn Sql,
    new: &Document,
    source: &str,
) -> Result<Vec<Diagnostic>, DbError> {
    let Some(Some(published)) = published_revision(conn, &new.id)? else {
        return Ok(Vec::new());
    };
    let old = compiled(conn, published)?;
    if old.consultation.is_none() {
        return Ok(Vec::new());
    }
    let counts: CommentCounts = conn
        .query_map(
            "SELECT target, COUNT(*) FROM comments WHERE document_id = ?1
                AND target != 'document' AND status NOT IN ('spam', 'hidden')
             GROUP BY target",
            params![&new.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
    Ok(check_commented_ids(&old, new, source, &counts))
}

fn info(conn: &dyn Sql, revision: i64) -> Result<RevisionInfo, DbError> {
    self::revision(conn, revision)?
        .map(|r| r.info)
        .ok_or_else(|| DbError::Task(format!("revision {revision} vanished")))
}

fn set_state(
    conn: &dyn Sql,
    revision: i64,
    state: RevisionState,
    sql_extra: &str,
    actor: &str,
    at: &str,
    reason: Option<&str>,
) -> Result<(), DbError> {
    conn.execute(
        &format!("UPDATE revisions SET state = ?2, {sql_extra} WHERE id = ?1"),
        params![revision, state.as_str(), actor, at, reason],
    )?;
    Ok(())
}

/// Submits the newest revision for sign-off (待审签).
pub fn submit(conn: &dyn Sql, revision: i64, actor: &str, at: &str) -> Step<RevisionInfo> {
    let Some(rev) = self::revision(conn, revision)?.map(|r| r.info) else {
        return Ok(Err(Refusal::RevisionNotFound(revision)));
    };
    if !matches!(rev.state, RevisionState::Draft | RevisionState::Returned) {
        return Ok(Err(Refusal::Transition {
            action: "submit",
            state: rev.state,
        }));
    }
    let newest = latest(conn, &rev.document_id)?.map(|n| n.id);
    if newest != Some(revision) {
        return Ok(Err(Refusal::Stale { current: newest }));
    }
    set_state(
        conn,
        revision,
        RevisionState::Submitted,
        "submitted_by = ?3, submitted_at = ?4, reason = ?5",
        actor,
        at,
        None,
    )?;
    audit(
        conn,
        at,
        actor,
        "submit-revision",
        Some(&rev.document_id),
        None,
        &serde_json::json!({ "revision": revision }),
    )?;
    Ok(Ok(info(conn, revision)?))
}

/// Approves a submitted revision: it is published and served from now on.
pub fn approve(
    conn: &dyn Sql,
    revision: i64,
    actor: &str,
    require_sign_off: bool,
    at: &str,
) -> Step<RevisionInfo> {
    let Some(rev) = self::revision(conn, revision)?.map(|r| r.info) else {
        return Ok(Err(Refusal::RevisionNotFound(revision)));
    };
    if rev.state != RevisionState::Submitted {
        return Ok(Err(Refusal::Transition {
            action: "approve",
            state: rev.state,
        }));
    }
    // Approving an older revision than the one served would silently roll the document back.
    if let Some(Some(served)) = published_revision(conn, &rev.document_id)?
        && served > revision
    {
        return Ok(Err(Refusal::Stale {
            current: Some(served),
        }));
    }
    let own = rev.author == actor;
    if own && require_sign_off {
        return Ok(Err(Refusal::OwnRevision));
    }
    // Comments may have come in since the revision was saved.
    let lost =
        commented_provisions_lost(conn, &compiled(conn, revision)?, &source(conn, revision)?)?;
    if !lost.is_empty() {
        return Ok(Err(Refusal::CommentedProvisionsLost(lost)));
    }
    set_state(
        conn,
        revision,
        RevisionState::Published,
        "decided_by = ?3, decided_at = ?4, reason = ?5",
        actor,
        at,
        None,
    )?;
    publish(conn, &rev.document_id, revision)?;
    audit(
        conn,
        at,
        actor,
        "approve-revision",
        Some(&rev.document_id),
        None,
        &serde_json::json!({
            "revision": revision,
            "author": rev.author,
            "requireSignOff": require_sign_off,
            "selfApproved": own,
        }),
    )?;
    Ok(Ok(info(conn, revision)?))
}

/// Sends a submitted revision back to its author with a reason.
pub fn send_back(
    conn: &dyn Sql,
    revision: i64,
    actor: &str,
    reason: &str,
    at: &str,
) -> Step<RevisionInfo> {
    let Some(rev) = self::revision(conn, revision)?.map(|r| r.info) else {
        return Ok(Err(Refusal::RevisionNotFound(revision)));
    };
    if rev.state != RevisionState::Submitted {
        return Ok(Err(Refusal::Transition {
            action: "send-back",
            state: rev.state,
        }));
    }
    set_state(
        conn,
        revision,
        RevisionState::Returned,
        "decided_by = ?3, decided_at = ?4, reason = ?5",
        actor,
        at,
        Some(reason),
    )?;
    audit(
        conn,
        at,
        actor,
        "send-back-revision",
        Some(&rev.document_id),
        None,
        &serde_json::json!({ "revision": revision, "reason": reason }),
    )?;
    Ok(Ok(info(conn, revision)?))
}

/// The published revision of a document, if it has one (withdrawn or not).
fn published_revision(conn: &dyn Sql, id: &str) -> Result<Option<Option<i64>>, DbError> {
    conn.query_opt(
        "SELECT published FROM documents WHERE id = ?1",
        params![id],
        |r| r.get(0),
    )
}

/// Withdraws (撤回) a published document: the public API answers 410 until a revision is
/// approved again.
pub fn withdraw(conn: &dyn Sql, id: &str, actor: &str, at: &str) -> Step<()> {
    match published_revision(conn, id)? {
        None => return Ok(Err(Refusal::DocumentNotFound)),
        Some(None) => return Ok(Err(Refusal::NotPublished)),
        Some(Some(_)) => {}
    }
    conn.execute(
        "UPDATE documents SET withdrawn_at = ?2 WHERE id = ?1",
        params![id, at],
    )?;
    audit(
        conn,
        at,
        actor,
        "withdraw-document",
        Some(id),
        None,
        &serde_json::json!({}),
    )?;
    Ok(Ok(()))
}

/// Marks a published document repealed or expired from a date (or clears the mark); the served
/// JSON carries it as `lapsed`.
pub fn set_lapse(
    conn: &dyn Sql,
    id: &str,
    lapse: Option<Lapse>,
    actor: &str,
    at: &str,
) -> Step<()> {
    match published_revision(conn, id)? {
        None => return Ok(Err(Refusal::DocumentNotFound)),
        Some(None) => return Ok(Err(Refusal::NotPublished)),
        Some(Some(_)) => {}
    }
    conn.execute(
        "UPDATE documents SET lapse_kind = ?2, lapse_on = ?3 WHERE id = ?1",
        params![
            id,
            lapse.map(|l| l.kind.as_str()),
            lapse.map(|l| l.on.to_string())
        ],
    )?;
    audit(
        conn,
        at,
        actor,
        "set-lapse",
        Some(id),
        None,
        &serde_json::json!({ "lapsed": lapse }),
    )?;
    Ok(Ok(()))
}

/// `(id, source)` of every document's published revision, in creation order: what
/// `jiedu export-content` writes back as files.
pub fn published_sources(conn: &dyn Sql) -> Result<Vec<(String, String)>, DbError> {
    let rows = conn.query_map(
        "SELECT d.id, r.source FROM documents d JOIN revisions r ON r.id = d.published
         ORDER BY d.rowid",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows)
}

/// One publication of a document: the revision, when it was published, and its document.
#[derive(Debug)]
pub struct Publication {
    pub revision: i64,
    /// When it was approved (or seeded from a file).
    pub at: String,
    pub document: Document,
}

/// Every published revision of a document, oldest first.
pub fn publications(conn: &dyn Sql, document_id: &str) -> Result<Vec<Publication>, DbError> {
    let rows = conn.query_map(
        "SELECT id, COALESCE(decided_at, created_at), compiled FROM revisions
         WHERE document_id = ?1 AND state = 'published' ORDER BY id",
        params![document_id],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
    )?;
    rows.into_iter()
        .map(|(revision, at, json)| {
            let document = serde_json::from_str(&json).map_err(|e| {
                DbError::Task(format!("a stored compiled document is invalid: {e}"))
            })?;
            Ok(Publication {
                revision,
                at,
                document,
            })
        })
        .collect()
}
