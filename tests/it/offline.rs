//! Scenario 3: nothing is lost when the server is down. A citizen submits a comment in the
//! widget while `jiedu serve` is stopped; the widget says it is kept, and keeps it in
//! `localStorage` with its idempotency key; the server comes back (the same port, the same
//! database); the widget sends it when the browser says it is online again, and the comment is
//! stored exactly once, even when the same queued request is sent again after it arrived (an
//! answer lost on the way back, or two tabs).
//!
//! The checks on what the widget keeps and delivers serve `database_outage` too, where the
//! server stays up and its database goes away.

use crate::commenting::{consultation_server, open_draft};
use serde_json::{Value, json};

use crate::commenting::{
    CommentInput, DRAFT, add_draft_page, stored, stored_comments, submit_in_widget,
    submitted_events, wait_receipt,
};
use crate::harness::{Browser, ROOT, Server, ensure_widget};
use crate::site::Site;

/// True for a version 4 UUID in its usual lower-case form.
fn is_uuid_v4(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && key
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && groups[2].starts_with('4')
        && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// Waits until the widget's outbox in `localStorage` is empty.
async fn wait_outbox_empty(browser: &Browser) {
    browser
        .wait_js(
            "the outbox to be empty",
            "JSON.parse(localStorage.getItem('jiedu-outbox') || '[]').length === 0",
        )
        .await;
}

/// After `input` was submitted to a server that could not take it: the widget says the comment
/// is kept and shows no receipt; the comment waits in `localStorage` with its idempotency key
/// and the exact request body for `server`, and "my comments" shows it as waiting. Returns the
/// outbox entry.
pub async fn assert_kept(browser: &Browser, server: &Server, input: &CommentInput<'_>) -> Value {
    browser
        .wait_js(
            "the widget to say the comment is kept",
            &format!("{ROOT}.querySelector('.jiedu-queued')"),
        )
        .await;
    let receipt_shown = browser
        .js(&format!("return {ROOT}.querySelector('.jiedu-receipt');"))
        .await;
    assert_eq!(receipt_shown, Value::Null, "no receipt without the server");

    let (outbox, sent) = stored(browser).await;
    assert_eq!(sent, json!([]), "{sent}");
    let queued = outbox.as_array().unwrap();
    assert_eq!(queued.len(), 1, "{outbox}");
    let pending = queued[0].clone();
    let key = pending["key"].as_str().unwrap();
    assert!(is_uuid_v4(key), "the idempotency key is a UUID: {key}");
    assert_eq!(pending["document"], DRAFT);
    assert_eq!(pending["api"], format!("{}/api/v1", server.base()));
    let body: Value = serde_json::from_str(pending["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&body["target"], &body["stance"], &body["text"]),
        (
            &json!(input.target),
            &json!(input.stance),
            &json!(input.text)
        ),
        "{body}"
    );
    let text = input.text;
    browser
        .wait_js(
            "my comments to show the waiting comment",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-my-comments li.waiting')]
                    .some((li) => li.textContent.includes('{text}'))"
            ),
        )
        .await;
    pending
}

/// The widget delivered the one comment it kept, on `target`: the outbox is empty, the receipt
/// is shown, "my comments" lists it once, and the host page got one `jiedu:comment-submitted`.
/// Returns the receipt.
pub async fn assert_delivered(browser: &Browser, target: &str) -> String {
    wait_outbox_empty(browser).await;
    let receipt = wait_receipt(browser).await;
    let (_, sent) = stored(browser).await;
    assert_eq!(sent.as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(sent[0]["receipt"], receipt.as_str());
    let events = submitted_events(browser).await;
    assert_eq!(
        events,
        [json!({ "type": "jiedu:comment-submitted",
                 "detail": { "documentId": DRAFT, "receipt": receipt, "target": target } })],
    );
    browser
        .wait_js(
            "my comments to list the receipt",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-my-comments li.sent')]
                    .some((li) => li.textContent.includes('{receipt}'))"
            ),
        )
        .await;
    receipt
}

/// The same queued request (`pending`, the outbox entry) sent again, twice, after it arrived
/// (as when the answer was lost on its way back, or another tab sent it too): the page is
/// reloaded each time with the outbox as it was. The server answers with the same `receipt`.
/// The caller checks that nothing new was stored.
pub async fn send_again(browser: &Browser, site: &Site, pending: &Value, receipt: &str) {
    for round in 0..2 {
        browser
            .js(&format!(
                "localStorage.setItem('jiedu-outbox', JSON.stringify([{pending}]));"
            ))
            .await;
        browser.goto(&format!("{}/draft.html", site.origin())).await;
        browser.wait_widget().await;
        wait_outbox_empty(browser).await;
        let again = wait_receipt(browser).await;
        assert_eq!(again, receipt, "round {round}: the same receipt");
        let (_, sent) = stored(browser).await;
        assert_eq!(
            sent.as_array().unwrap().len(),
            1,
            "round {round}: my comments keeps one entry per receipt: {sent}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comment_sent_while_the_server_is_down_is_queued_and_arrives_exactly_once() {
    ensure_widget();
    let site = Site::start().await;
    let mut server = consultation_server("offline", &site);
    let token = server.token("wang.wu");
    add_draft_page(&site, &server);
    let browser = Browser::start("offline").await;
    open_draft(&browser, &site).await;

    // The server goes away after the page has loaded; the citizen submits anyway.
    server.kill();
    let input = CommentInput {
        target: "a5",
        stance: "suggest-change",
        text: "第五条列举的公开内容应当增加政府采购合同的履行情况。",
        wording: "（九）政府采购项目及其合同履行情况；",
        name: "",
        contact: "",
    };
    submit_in_widget(&browser, &input).await;
    let pending = assert_kept(&browser, &server, &input).await;
    browser.screenshot("3-offline-queued").await;

    // The server comes back on the same address with the same database; the browser says it
    // is online again, and the widget sends what it kept.
    server.restart();
    browser
        .js("window.dispatchEvent(new Event('online'));")
        .await;
    let receipt = assert_delivered(&browser, "a5").await;
    browser.screenshot("3-offline-delivered").await;
    let list = stored_comments(&server, &token, "政府采购合同").await;
    assert_eq!(list["total"], 1, "{list}");

    send_again(&browser, &site, &pending, &receipt).await;
    let list = stored_comments(&server, &token, "政府采购合同").await;
    assert_eq!(list["total"], 1, "exactly one comment is stored: {list}");
    let all = stored_comments(&server, &token, "").await;
    assert_eq!(all["total"], 1, "and nothing else: {all}");
    browser.close().await;
}
