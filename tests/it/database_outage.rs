//! Issue 9: PostgreSQL goes away under a running `jiedu serve`, and no citizen's comment is lost.
//! The server runs on a throwaway PostgreSQL cluster of its own (`jiedu_e2e::pg_cluster`; other
//! tests are not disturbed when it stops). While the database is down the draft is still served
//! (documents come from memory), a comment submitted in the widget is answered 503 with
//! `Retry-After` and the JSON error, and the widget tells the citizen it is kept and keeps it in
//! `localStorage` with its idempotency key. PostgreSQL starts again; the same `jiedu serve`
//! process, never restarted, takes the comment when the widget tries again, and the database
//! holds it exactly once, even when the same queued request is sent again afterwards.
//!
//! Nothing nudges the widget: unlike `offline`, the browser never lost its network, so no
//! `online` event would come in a citizen's browser either. The widget's own back-off timer,
//! which honours the server's `Retry-After`, delivers the comment; the test polls until it has.
//! The widget's requests are observed by wrapping the page's `fetch` (it passes every request
//! through and records the answer), so the test sees the status and headers the widget saw and
//! when it tried again.

use std::path::Path;

use serde_json::{Value, json};

use crate::commenting::{
    CommentInput, DRAFT, add_draft_page, consultation_config, open_draft, stored_comments,
    submit_in_widget,
};
use crate::harness::{Browser, Server, ServerConfig, ensure_widget, http};
use crate::offline::{assert_delivered, assert_kept, send_again};
use crate::site::Site;
use jiedu_e2e::pg_cluster::{self, Cluster};

/// Wraps the page's `fetch` to record, for every `POST …/comments`, when it was sent, its
/// idempotency key, and when it was answered with what (status, `Retry-After`, JSON body), in
/// `window.__posts`. The request itself is passed through untouched.
const RECORD_POSTS: &str = "
    window.__posts = [];
    const fetch = window.fetch;
    window.fetch = async function (input, init) {
        const method = (init && init.method) || 'GET';
        if (method !== 'POST' || !String(input.url || input).endsWith('/comments')) {
            return fetch.apply(this, arguments);
        }
        const entry = { sent: Date.now(), key: new Headers(init.headers).get('idempotency-key') };
        window.__posts.push(entry);
        try {
            const response = await fetch.apply(this, arguments);
            entry.answered = Date.now();
            entry.status = response.status;
            entry.retryAfter = response.headers.get('retry-after');
            entry.body = await response.clone().json().catch(() => null);
            return response;
        } catch (error) {
            entry.answered = Date.now();
            entry.error = String(error);
            throw error;
        }
    };";

/// The widget's comment requests recorded by [`RECORD_POSTS`].
async fn posts(browser: &Browser) -> Vec<Value> {
    let posts = browser.js("return window.__posts;").await;
    posts.as_array().cloned().unwrap_or_default()
}

/// How many rows of the `comments` table have idempotency key `key` (a UUID the test checked),
/// and how many rows there are in all: read in the database itself, not through the server.
fn rows(url: &str, key: &str) -> (String, String) {
    let rows = pg_cluster::query(
        url,
        &format!(
            "SELECT count(*) FILTER (WHERE idempotency_key = '{key}'), count(*) FROM comments"
        ),
    )
    .unwrap_or_else(|e| panic!("reading the comments table: {e}"));
    let row = &rows[0];
    (row[0].clone().unwrap(), row[1].clone().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comment_sent_while_postgresql_is_down_is_kept_and_stored_once_when_it_is_back() {
    ensure_widget();
    let cluster = Cluster::new(Path::new(env!("CARGO_TARGET_TMPDIR")), "pg-e2e-outage")
        .unwrap_or_else(|e| {
            panic!("a PostgreSQL cluster of its own (`cargo xtask setup` installs it): {e}")
        });
    let site = Site::start().await;
    let mut server = Server::start(
        "database-outage",
        ServerConfig {
            database_url: Some(cluster.url()),
            ..consultation_config(&site)
        },
    );
    let token = server.token("wang.wu");
    add_draft_page(&site, &server);
    let browser = Browser::start("database-outage").await;
    open_draft(&browser, &site).await;

    // PostgreSQL stops while the citizen reads. The draft is still served, from memory: to a
    // request of this test's own, and to the citizen, who opens the page again.
    cluster.stop().expect("pg_ctl stop");
    let document = format!("{}/documents/{DRAFT}.json", server.base());
    let (status, body) = http("GET", &document, &[], None).await;
    assert_eq!(status, 200, "the draft while PostgreSQL is down: {body}");
    open_draft(&browser, &site).await;
    browser.js(RECORD_POSTS).await;

    // The citizen submits: the server cannot store it and says so; the widget keeps it.
    let input = CommentInput {
        target: "a3",
        stance: "oppose",
        text: "数据库停机时提交的意见：第三条的例外情形过宽，应当逐项列明。",
        ..CommentInput::default()
    };
    submit_in_widget(&browser, &input).await;
    let pending = assert_kept(&browser, &server, &input).await;
    let first = posts(&browser).await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(first[0]["key"], pending["key"], "{first:?}");
    assert_eq!(
        (
            &first[0]["status"],
            &first[0]["retryAfter"],
            &first[0]["body"]["error"]["code"]
        ),
        (&json!(503), &json!("5"), &json!("database-unavailable")),
        "the answer the widget got: {first:?}"
    );
    assert!(server.running(), "jiedu serve keeps running");
    browser.screenshot("9-database-down-queued").await;

    // PostgreSQL comes back; the widget's retry timer delivers the comment to the same process.
    cluster.start().expect("pg_ctl start");
    let receipt = assert_delivered(&browser, "a3").await;
    assert!(server.running(), "the same jiedu serve process took it");
    browser.screenshot("9-database-back-delivered").await;
    let attempts = posts(&browser).await;
    assert!(
        attempts.iter().all(|a| a["key"] == pending["key"]),
        "every attempt under the one key: {attempts:?}"
    );
    let created: Vec<&Value> = attempts.iter().filter(|a| a["status"] == 201).collect();
    assert_eq!(created.len(), 1, "{attempts:?}");
    assert_eq!(created[0]["body"]["receipt"], receipt.as_str());
    let waited = attempts[1]["sent"].as_i64().unwrap() - attempts[0]["answered"].as_i64().unwrap();
    assert!(
        waited >= 5_000,
        "the widget tried again {waited} ms after a 503 with Retry-After: 5"
    );
    eprintln!(
        "delivered in attempt {} of {}, {} ms after the 503",
        attempts.iter().position(|a| a["status"] == 201).unwrap() + 1,
        attempts.len(),
        created[0]["answered"].as_i64().unwrap() - attempts[0]["answered"].as_i64().unwrap()
    );
    let key = pending["key"].as_str().unwrap();
    assert_eq!(rows(&cluster.url(), key), ("1".into(), "1".into()));

    // The same queued request sent again stores nothing new.
    send_again(&browser, &site, &pending, &receipt).await;
    assert_eq!(
        rows(&cluster.url(), key),
        ("1".into(), "1".into()),
        "exactly one row, for the one key"
    );
    let list = stored_comments(&server, &token, "").await;
    assert_eq!(list["total"], 1, "the editor API lists it once: {list}");
    browser.close().await;
}
