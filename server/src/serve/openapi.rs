//! The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.
//!
//! The paths are written here by hand, next to each other, so the API reads as one page; the
//! schemas are generated from the Rust types with schemars, so they cannot drift from what the
//! server actually sends. A test checks that the paths here and the router's routes are the
//! same set.

use std::sync::OnceLock;

use axum::body::Bytes;
use jiedu_core::comment::{Disposition, FeedbackReport, NewComment, ReceiptStatus};
use jiedu_core::{Document, DocumentIndex, Lapse};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::documents::{DocumentState, LapseBody, Revision, RevisionInfo, SendBack, SourceBody};
use super::error::ErrorBody;
use super::media::Uploaded;
use super::store::{
    AuditEntry, CommentPage, EditorComment, Mark, NewToken, Receipt, RoleBody, TokenInfo,
};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn error(description: &str) -> Value {
    json!({ "description": description, "content": json_content(r("ErrorBody")) })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": json_content(schema) })
}

fn path_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": schema })
}

fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn doc_id() -> Value {
    path_param("id", "The document id.", json!({ "type": "string" }))
}

fn number() -> Value {
    path_param(
        "number",
        "The comment's number within the document.",
        json!({ "type": "integer", "minimum": 1 }),
    )
}

fn include_contact() -> Value {
    query_param(
        "include_contact",
        "Include contact data and IP hashes (the access is written to the audit log).",
        json!({ "type": "boolean", "default": false }),
    )
}

fn revision_id() -> Value {
    path_param(
        "revision",
        "The revision id.",
        json!({ "type": "integer", "minimum": 1 }),
    )
}

/// An operation only tokens with `role` (or a higher one) may call.
fn needs(role: &str, op: Value) -> Value {
    let mut op = editor(op);
    op["description"] = json!(
        format!(
            "{} Needs the `{role}` role (or a higher one); otherwise 403 `role-required`.",
            op["description"].as_str().unwrap_or("")
        )
        .trim()
        .to_owned()
    );
    op["responses"]["403"] = error("The token's role may not do this (`role-required`).");
    op
}

fn codes() -> Value {
    query_param(
        "codes",
        "Machine-readable headers and values (`received_at`, `suggest-change`, RFC 3339 times) instead of Chinese headers, labels and dates.",
        json!({ "type": "boolean", "default": false }),
    )
}

fn editor(mut op: Value) -> Value {
    op["security"] = json!([{ "editorToken": [] }]);
    let responses = op["responses"].as_object_mut().expect("responses");
    responses.insert(
        "401".into(),
        error("Missing, unknown or revoked editor token."),
    );
    op
}

/// The OpenAPI document as JSON.
pub fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut generator = settings.into_generator();
    // Register every schema the paths refer to; the generator collects their dependencies.
    generator.subschema_for::<Document>();
    generator.subschema_for::<DocumentIndex>();
    generator.subschema_for::<NewComment>();
    generator.subschema_for::<Receipt>();
    generator.subschema_for::<ReceiptStatus>();
    generator.subschema_for::<FeedbackReport>();
    generator.subschema_for::<Disposition>();
    generator.subschema_for::<Mark>();
    generator.subschema_for::<EditorComment>();
    generator.subschema_for::<CommentPage>();
    generator.subschema_for::<AuditEntry>();
    generator.subschema_for::<ErrorBody>();
    generator.subschema_for::<DocumentState>();
    generator.subschema_for::<RevisionInfo>();
    generator.subschema_for::<Revision>();
    generator.subschema_for::<SourceBody>();
    generator.subschema_for::<SendBack>();
    generator.subschema_for::<LapseBody>();
    generator.subschema_for::<Lapse>();
    generator.subschema_for::<NewToken>();
    generator.subschema_for::<RoleBody>();
    generator.subschema_for::<TokenInfo>();
    generator.subschema_for::<Uploaded>();
    let schemas = generator.take_definitions(true);

    let if_none_match = json!({
        "name": "If-None-Match", "in": "header", "required": false,
        "description": "An entity tag from an earlier answer; 304 if unchanged.",
        "schema": { "type": "string" }
    });
    let not_modified = json!({ "description": "Not modified since the given entity tag." });

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Jiedu consultation API",
            "version": "1",
            "description": "Policy documents with interpretations and FAQs, public comments \
                (意见征集) and the published feedback on them (意见采纳情况). Error bodies are \
                `{\"error\": {\"code\", \"message\", \"fields\"}}` with messages in the language of \
                `Accept-Language` (zh-CN or en)."
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "editorToken": {
                    "type": "http", "scheme": "bearer",
                    "description": "A token made with `jiedu token create --name NAME --role editor|approver|admin`."
                }
            }
        },
        "paths": {
            "/healthz": {
                "get": {
                    "summary": "Liveness: the server answers and its database can be read.",
                    "operationId": "healthz",
                    "responses": { "200": ok("Healthy.", json!({ "type": "object" })) }
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "operationId": "openapi",
                    "responses": { "200": ok("The OpenAPI document.", json!({ "type": "object" })) }
                }
            },
            "/api/v1/documents": {
                "get": {
                    "summary": "The documents this server publishes.",
                    "operationId": "listDocuments",
                    "parameters": [if_none_match.clone()],
                    "responses": {
                        "200": ok("One summary per document (the format of `jiedu build`'s index.json).", r("DocumentIndex")),
                        "304": not_modified
                    }
                }
            },
            "/api/v1/documents/{id}": {
                "get": {
                    "summary": "One compiled document (also served as /documents/{id}.json).",
                    "operationId": "getDocument",
                    "parameters": [doc_id(), if_none_match.clone()],
                    "responses": {
                        "200": ok("The compiled document (its published revision).", r("Document")),
                        "304": not_modified,
                        "404": error("No such document."),
                        "410": error("The document was withdrawn (`document-withdrawn`).")
                    }
                }
            },
            "/api/v1/documents/{id}/comments": {
                "post": {
                    "summary": "Submit a comment while the consultation is open.",
                    "description": "Answered only once the comment is durably stored. A retry \
                        with the same `Idempotency-Key` returns the same receipt and stores \
                        nothing twice. Browsers may only send from the configured origins.",
                    "operationId": "postComment",
                    "parameters": [doc_id(), {
                        "name": "Idempotency-Key", "in": "header", "required": false,
                        "description": "A UUID made by the client for this comment.",
                        "schema": { "type": "string", "format": "uuid" }
                    }],
                    "requestBody": { "required": true, "content": json_content(r("NewComment")) },
                    "responses": {
                        "201": ok("Stored; keep the receipt.", r("Receipt")),
                        "400": error("Not JSON, or a bad Idempotency-Key."),
                        "403": error("The request came from a website that may not send comments."),
                        "404": error("No such document."),
                        "409": error("The document is not open for comment now (upcoming or closed), or the Idempotency-Key was used for another comment."),
                        "413": error("The body is over the limit."),
                        "415": error("The body is not sent as application/json."),
                        "422": error("Fields break the rules; `fields` names each one."),
                        "429": error("Too many comments from this address; see Retry-After.")
                    }
                },
                "get": editor(json!({
                    "summary": "List comments (editors).",
                    "operationId": "listComments",
                    "parameters": [
                        doc_id(),
                        query_param("status", "Only comments in this review state.", json!({ "enum": ["received", "decided", "published", "duplicate", "spam", "hidden"] })),
                        query_param("target", "Only comments on this provision id (or `document`).", json!({ "type": "string" })),
                        query_param("stance", "Only comments with this stance.", json!({ "enum": ["support", "oppose", "suggest-change"] })),
                        query_param("q", "Words that must all occur in the text, proposed wording or name.", json!({ "type": "string" })),
                        query_param("page", "1-based page number.", json!({ "type": "integer", "minimum": 1, "default": 1 })),
                        query_param("per_page", "Comments per page (at most 500).", json!({ "type": "integer", "minimum": 1, "maximum": 500, "default": 50 })),
                        include_contact()
                    ],
                    "responses": {
                        "200": ok("One page of comments.", r("CommentPage")),
                        "400": error("A filter has an invalid value."),
                        "404": error("No such document.")
                    }
                }))
            },
            "/api/v1/documents/{id}/comments/{number}": {
                "get": editor(json!({
                    "summary": "One comment (editors).",
                    "operationId": "getComment",
                    "parameters": [doc_id(), number(), include_contact()],
                    "responses": {
                        "200": ok("The comment.", r("EditorComment")),
                        "404": error("No such document or comment.")
                    }
                }))
            },
            "/api/v1/documents/{id}/comments/{number}/disposition": {
                "put": editor(json!({
                    "summary": "Set the decision on a comment (editors). A reason is required unless adopted.",
                    "operationId": "setDisposition",
                    "parameters": [doc_id(), number()],
                    "requestBody": { "required": true, "content": json_content(r("Disposition")) },
                    "responses": {
                        "200": ok("The comment with its new decision.", r("EditorComment")),
                        "404": error("No such document or comment."),
                        "409": error("The comment is marked duplicate, spam or hidden."),
                        "415": error("The body is not sent as application/json."),
                        "422": error("The reason is missing or too long, or `finalProvision` names no provision of the final version's published revision (`unknown-provision`).")
                    }
                }))
            },
            "/api/v1/documents/{id}/comments/{number}/mark": {
                "put": editor(json!({
                    "summary": "Mark a comment as a duplicate of another, as spam or hidden, or remove the mark (editors).",
                    "operationId": "setMark",
                    "parameters": [doc_id(), number()],
                    "requestBody": { "required": true, "content": json_content(r("Mark")) },
                    "responses": {
                        "200": ok("The comment with its new status.", r("EditorComment")),
                        "404": error("No such document or comment."),
                        "415": error("The body is not sent as application/json."),
                        "422": error("`duplicateOf` is missing or names no suitable comment.")
                    }
                }))
            },
            "/api/v1/documents/{id}/feedback": {
                "get": {
                    "summary": "The published feedback report (意见采纳情况). Names masked, no contact data.",
                    "operationId": "getFeedback",
                    "parameters": [doc_id(), if_none_match.clone()],
                    "responses": {
                        "200": ok("The latest published report.", r("FeedbackReport")),
                        "204": { "description": "No report published yet." },
                        "304": not_modified,
                        "404": error("No such document.")
                    }
                },
                "post": editor(json!({
                    "summary": "Publish (or publish again) the feedback report from the current decisions (editors).",
                    "operationId": "publishFeedback",
                    "parameters": [doc_id()],
                    "responses": {
                        "201": ok("The report as published.", r("FeedbackReport")),
                        "404": error("No such document.")
                    }
                }))
            },
            "/api/v1/documents/{id}/export.csv": {
                "get": editor(json!({
                    "summary": "All comments of the document as CSV, UTF-8 with BOM (editors).",
                    "operationId": "exportCsv",
                    "parameters": [doc_id(), include_contact(), codes()],
                    "responses": {
                        "200": { "description": "The CSV file.", "content": { "text/csv": { "schema": { "type": "string" } } } },
                        "404": error("No such document.")
                    }
                }))
            },
            "/api/v1/documents/{id}/export.xlsx": {
                "get": editor(json!({
                    "summary": "All comments of the document as an XLSX workbook (editors).",
                    "operationId": "exportXlsx",
                    "parameters": [doc_id(), include_contact(), codes()],
                    "responses": {
                        "200": { "description": "The workbook.", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "contentEncoding": "binary" } } } },
                        "404": error("No such document.")
                    }
                }))
            },
            "/api/v1/receipts/{receipt}": {
                "get": {
                    "summary": "What became of a comment, by its receipt number. Never returns contact data.",
                    "operationId": "getReceipt",
                    "parameters": [path_param("receipt", "The receipt number, e.g. JD-7K3Q-9XWM (any case; dashes optional).", json!({ "type": "string" }))],
                    "responses": {
                        "200": ok("The comment's public status.", r("ReceiptStatus")),
                        "404": error("No comment has this receipt."),
                        "429": error("Too many lookups from this address (too-many-lookups); see Retry-After.")
                    }
                }
            },
            "/api/v1/me": {
                "get": editor(json!({
                    "summary": "The name and role of the token's holder and the server's time.",
                    "operationId": "me",
                    "responses": {
                        "200": ok("The token's holder.", json!({ "type": "object", "properties": { "name": { "type": "string" }, "now": { "type": "string", "format": "date-time", "description": "The server's clock (RFC 3339)." }, "role": { "enum": ["editor", "approver", "admin"] } }, "required": ["name", "role", "now"] }))
                    }
                }))
            },
            "/api/v1/audit": {
                "get": editor(json!({
                    "summary": "The audit log of editor actions, newest first.",
                    "operationId": "auditLog",
                    "parameters": [
                        query_param("document", "Only entries about this document.", json!({ "type": "string" })),
                        query_param("before", "Only entries with an id below this (paging).", json!({ "type": "integer" })),
                        query_param("limit", "At most this many entries (1–1000).", json!({ "type": "integer", "default": 100 }))
                    ],
                    "responses": {
                        "200": ok("Audit entries.", json!({ "type": "array", "items": r("AuditEntry") })),
                        "400": error("A parameter has an invalid value.")
                    }
                }))
            }
        }
    });
    let paths = doc["paths"].as_object_mut().expect("paths");
    if let Value::Object(workflow) = workflow_paths() {
        paths.extend(workflow);
    }
    if let Value::Object(media) = media_paths() {
        paths.extend(media);
    }
    doc
}

/// Uploading media and reading it back.
fn media_paths() -> Value {
    json!({
        "/api/v1/media": {
            "post": editor(json!({
                "summary": "Upload an image, a video or a caption file (editors).",
                "description": "The body is the file's raw bytes. Its type is decided by its \
                    content, never by a file name or Content-Type: PNG, JPEG, WebP, SVG (XML \
                    whose root element is `svg`), MP4, WebM, WebVTT. The name is the SHA-256 of \
                    the bytes: uploading the same bytes again stores nothing and answers 200 \
                    with the same `url`. Audited (`upload-media`).",
                "operationId": "uploadMedia",
                "requestBody": { "required": true, "content": {
                    "application/octet-stream": { "schema": { "type": "string", "format": "binary" } }
                } },
                "responses": {
                    "201": ok("Stored. `url` is relative, as a document writes it (`media/<sha256>.png`); Location is `/media/…`.", r("Uploaded")),
                    "200": ok("These bytes were uploaded before: the same `url`.", r("Uploaded")),
                    "403": error("The request came from a website that may not write."),
                    "413": error("Over the limit of its type; `fields[0].field` names the setting (`max_image_bytes`, `max_video_bytes`, `max_captions_bytes`) and `limit` its value."),
                    "415": error("Not one of the accepted types (`unsupported-media-type`).")
                }
            }))
        },
        "/api/v1/documents/media/{file}": {
            "get": {
                "summary": "An uploaded file (also at /media/{file} and /documents/media/{file}), else a file of the content folder's media/.",
                "description": "So that `media/x.png` in a document read from /api/v1/documents/{id} resolves. \
                    Uploads are `immutable` with a strong entity tag and answer single `Range` requests; \
                    every media file is sent with `nosniff` and a sandboxing Content-Security-Policy.",
                "operationId": "getMedia",
                "parameters": [path_param("file", "`<sha256 hex>.<ext>` for an upload.", json!({ "type": "string" }))],
                "responses": {
                    "200": { "description": "The file." },
                    "206": { "description": "The range asked for." },
                    "304": { "description": "Not modified since the given entity tag." },
                    "404": error("No such file (`media-not-found`)."),
                    "416": { "description": "The range lies outside the file." }
                }
            }
        }
    })
}

/// The paths of the sign-off workflow (documents and their revisions).
fn workflow_paths() -> Value {
    json!({
            "/api/v1/feed.atom": {
                "get": {
                    "summary": "Atom feed of everything the site publishes: documents, their interpretations (follow-ups included) when they first appear, feedback reports.",
                    "operationId": "siteFeed",
                    "responses": {
                        "200": { "description": "An Atom 1.0 feed, newest first.", "content": { "application/atom+xml": { "schema": { "type": "string" } } } }
                    }
                }
            },
            "/api/v1/documents/{id}/feed.atom": {
                "get": {
                    "summary": "Atom feed of one document: its publications, interpretations and feedback reports.",
                    "operationId": "documentFeed",
                    "parameters": [doc_id()],
                    "responses": {
                        "200": { "description": "An Atom 1.0 feed, newest first.", "content": { "application/atom+xml": { "schema": { "type": "string" } } } },
                        "404": error("No such document."),
                        "410": error("The document was withdrawn.")
                    }
                }
            },
            "/documents/{id}/compare": {
                "get": {
                    "summary": "The reader's 修订对照 page (修改前后对照表): the document against the one it `replaces`, or two of its published revisions. HTML without script, the same page `jiedu build --html` writes as `ID.compare.html`; rows have the anchors `cmp-{provisionId}`.",
                    "operationId": "comparePage",
                    "parameters": [
                        doc_id(),
                        { "name": "old", "in": "query", "required": false, "description": "A published revision of the document (with `new`).", "schema": { "type": "integer" } },
                        { "name": "new", "in": "query", "required": false, "description": "A published revision of the document (with `old`).", "schema": { "type": "integer" } }
                    ],
                    "responses": {
                        "200": { "description": "The comparison page.", "content": { "text/html": { "schema": { "type": "string" } } } },
                        "400": error("Only one of `old` and `new` (`invalid-parameter`)."),
                        "404": error("No such document (`document-not-found`), it replaces no document (`no-comparison`), or a revision is not a published one of it (`revision-not-found`)."),
                        "410": error("The document was withdrawn.")
                    }
                }
            },
            "/api/v1/tokens": {
                "get": needs("admin", json!({
                    "summary": "Every token: name, role, created, revoked (never the secret).",
                    "operationId": "listTokens",
                    "responses": { "200": ok("The tokens.", json!({ "type": "array", "items": r("TokenInfo") })) }
                })),
                "post": needs("admin", json!({
                    "summary": "Make a token; the answer is the only time it is shown.",
                    "operationId": "createToken",
                    "requestBody": { "required": true, "content": json_content(r("NewToken")) },
                    "responses": {
                        "201": ok("The token.", json!({ "type": "object", "properties": { "name": { "type": "string" }, "role": { "type": "string" }, "token": { "type": "string" } }, "required": ["name", "role", "token"] })),
                        "409": error("A token with this name exists (`token-name-taken`)."),
                        "422": error("The name or role is invalid.")
                    }
                }))
            },
            "/api/v1/tokens/{name}/role": {
                "put": needs("admin", json!({
                    "summary": "Change a token's role.",
                    "operationId": "setTokenRole",
                    "parameters": [path_param("name", "The token's name.", json!({ "type": "string" }))],
                    "requestBody": { "required": true, "content": json_content(r("RoleBody")) },
                    "responses": {
                        "204": { "description": "Changed." },
                        "404": error("No active token has this name.")
                    }
                }))
            },
            "/api/v1/tokens/{name}/revoke": {
                "post": needs("admin", json!({
                    "summary": "Revoke a token; it is refused from the next request on.",
                    "operationId": "revokeToken",
                    "parameters": [path_param("name", "The token's name.", json!({ "type": "string" }))],
                    "responses": {
                        "204": { "description": "Revoked." },
                        "404": error("No active token has this name.")
                    }
                }))
            },
            "/api/v1/workflow/documents": {
                "get": editor(json!({
                    "summary": "Every document with its published and newest revision, drafts included.",
                    "operationId": "listWorkflowDocuments",
                    "responses": {
                        "200": ok("The documents.", json!({ "type": "array", "items": r("DocumentState") }))
                    }
                }))
            },
            "/api/v1/documents/{id}/revisions": {
                "get": editor(json!({
                    "summary": "The revisions of a document, newest first.",
                    "operationId": "listRevisions",
                    "parameters": [doc_id(), query_param("published", "Only the published revisions (every one ever published is kept).", json!({ "type": "boolean", "default": false }))],
                    "responses": {
                        "200": ok("The revisions, without their sources.", json!({ "type": "array", "items": r("RevisionInfo") })),
                        "404": error("No such document.")
                    }
                }))
            },
            "/api/v1/documents/{id}/source": {
                "put": editor(json!({
                    "summary": "Save a draft revision of a document (creating the document if it is new).",
                    "description": "The source is compiled as `jiedu check` does; with errors nothing is saved (422 `invalid-source` with every diagnostic). A save over an existing document needs `If-Match` with the ETag of its newest revision: without it 428 `if-match-required`, with an older one 412 `revision-conflict`; both carry `currentRevision`. Nothing is ever overwritten silently. The published revision keeps being served until a new one is approved.",
                    "operationId": "saveSource",
                    "parameters": [doc_id(), {
                        "name": "If-Match", "in": "header", "required": false,
                        "description": "The ETag of the newest revision (e.g. \"12\"); required unless the document is new.",
                        "schema": { "type": "string" }
                    }],
                    "requestBody": { "required": true, "content": json_content(r("SourceBody")) },
                    "responses": {
                        "201": ok("Saved as a draft; ETag is the new revision.", r("RevisionInfo")),
                        "412": error("`If-Match` is not the newest revision (`currentRevision` says which is)."),
                        "415": error("The body is not sent as application/json."),
                        "422": error("The source has errors (`diagnostics`), or declares another document id (`fields`)."),
                        "428": error("`If-Match` is missing (`currentRevision` says what to send).")
                    }
                }))
            },
            "/api/v1/documents/{id}/withdraw": {
                "post": needs("approver", json!({
                    "summary": "Withdraw (撤回) a published document; the public API answers 410 until a revision is approved again.",
                    "operationId": "withdrawDocument",
                    "parameters": [doc_id()],
                    "responses": {
                        "204": { "description": "Withdrawn." },
                        "404": error("No such document."),
                        "409": error("The document has no published revision.")
                    }
                }))
            },
            "/api/v1/documents/{id}/lapse": {
                "put": needs("approver", json!({
                    "summary": "Mark a published document repealed (已废止) or expired (已失效) from a date, or clear the mark; the served document carries it as `lapsed`.",
                    "operationId": "setLapse",
                    "parameters": [doc_id()],
                    "requestBody": { "required": true, "content": json_content(r("LapseBody")) },
                    "responses": {
                        "200": ok("The mark now served (null when cleared).", json!({ "anyOf": [r("Lapse"), { "type": "null" }] })),
                        "404": error("No such document."),
                        "409": error("The document has no published revision."),
                        "422": error("`kind` or `on` is missing or invalid.")
                    }
                }))
            },
            "/api/v1/revisions/{revision}": {
                "get": editor(json!({
                    "summary": "One revision with its authoring source and diagnostics; ETag is its id.",
                    "operationId": "getRevision",
                    "parameters": [revision_id()],
                    "responses": {
                        "200": ok("The revision.", r("Revision")),
                        "404": error("No such revision.")
                    }
                }))
            },
            "/api/v1/revisions/{revision}/submit": {
                "post": editor(json!({
                    "summary": "Submit the newest revision of a document for sign-off (待审签).",
                    "operationId": "submitRevision",
                    "parameters": [revision_id()],
                    "responses": {
                        "200": ok("Submitted.", r("RevisionInfo")),
                        "404": error("No such revision."),
                        "409": error("Only a draft or a revision sent back can be submitted (`invalid-transition`)."),
                        "412": error("A newer revision exists (`currentRevision`).")
                    }
                }))
            },
            "/api/v1/revisions/{revision}/approve": {
                "post": needs("approver", json!({
                    "summary": "Approve a submitted revision: it is published, and served when this answers.",
                    "description": "While `require_sign_off` is on (the default), nobody approves a revision they wrote (403 `sign-off-required`); when it is off, the audit entry records `selfApproved`.",
                    "operationId": "approveRevision",
                    "parameters": [revision_id()],
                    "responses": {
                        "200": ok("Published.", r("RevisionInfo")),
                        "404": error("No such revision."),
                        "412": error("A newer revision is already published (`currentRevision`)."),
                        "409": error("Only a submitted revision can be approved (`invalid-transition`).")
                    }
                }))
            },
            "/api/v1/revisions/{revision}/send-back": {
                "post": needs("approver", json!({
                    "summary": "Send a submitted revision back to its author with a reason.",
                    "operationId": "sendBackRevision",
                    "parameters": [revision_id()],
                    "requestBody": { "required": true, "content": json_content(r("SendBack")) },
                    "responses": {
                        "200": ok("Sent back.", r("RevisionInfo")),
                        "404": error("No such revision."),
                        "409": error("Only a submitted revision can be sent back (`invalid-transition`)."),
                        "422": error("The reason is missing or too long.")
                    }
                }))
            }
    })
}

/// The document serialised once.
pub fn document_json() -> Bytes {
    static JSON: OnceLock<Bytes> = OnceLock::new();
    JSON.get_or_init(|| {
        serde_json::to_vec_pretty(&document())
            .expect("the OpenAPI document serialises")
            .into()
    })
    .clone()
}
