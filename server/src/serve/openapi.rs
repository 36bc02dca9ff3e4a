//! The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.
//!
//! The paths are written here by hand, next to each other, so the API reads as one page; the
//! schemas are generated from the Rust types with schemars, so they cannot drift from what the
//! server actually sends. A test checks that the paths here and the router's routes are the
//! same set.

use std::sync::OnceLock;

use axum::body::Bytes;
use jiedu_core::comment::{Disposition, FeedbackReport, NewComment, ReceiptStatus};
use jiedu_core::{Document, DocumentIndex};
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::error::ErrorBody;
use super::store::{AuditEntry, CommentPage, EditorComment, Mark, Receipt};

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
    let schemas = generator.take_definitions(true);

    let if_none_match = json!({
        "name": "If-None-Match", "in": "header", "required": false,
        "description": "An entity tag from an earlier answer; 304 if unchanged.",
        "schema": { "type": "string" }
    });
    let not_modified = json!({ "description": "Not modified since the given entity tag." });

    json!({
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
                    "description": "An editor token made with `jiedu token create --name NAME`."
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
                        "200": ok("The compiled document.", r("Document")),
                        "304": not_modified,
                        "404": error("No such document.")
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
                        "422": error("The reason is missing or too long.")
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
                    "parameters": [doc_id(), include_contact()],
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
                    "parameters": [doc_id(), include_contact()],
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
                        "404": error("No comment has this receipt.")
                    }
                }
            },
            "/api/v1/me": {
                "get": editor(json!({
                    "summary": "The name of the editor token's holder.",
                    "operationId": "me",
                    "responses": {
                        "200": ok("The editor.", json!({ "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] }))
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
