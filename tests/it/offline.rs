//! Scenario 3: nothing is lost when the server is down. A citizen submits a comment in the
//! widget while `jiedu serve` is stopped; the widget says it is kept, and keeps it in
//! `localStorage` with its idempotency key; the server comes back (the same port, the same
//! database); the widget sends it when the browser says it is online again, and the comment is
//! stored exactly once, even when the same queued request is sent again after it arrived (an
//! answer lost on the way back, or two tabs).

use crate::commenting::{consultation_server, open_draft};
use serde_json::{Value, json};

use crate::commenting::{
    CommentInput, DRAFT, add_draft_page, stored, stored_comments, submit_in_widget,
    submitted_events, wait_receipt,
};
use crate::harness::{Browser, ROOT, ensure_widget};
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
    let text = "第五条列举的公开内容应当增加政府采购合同的履行情况。";
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a5",
            stance: "suggest-change",
            text,
            wording: "（九）政府采购项目及其合同履行情况；",
            name: "",
            contact: "",
        },
    )
    .await;
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

    // It is in localStorage with its idempotency key and the exact request body.
    let (outbox, sent) = stored(&browser).await;
    assert_eq!(sent, json!([]), "{sent}");
    let queued = outbox.as_array().unwrap();
    assert_eq!(queued.len(), 1, "{outbox}");
    let pending = queued[0].clone();
    let key = pending["key"].as_str().unwrap().to_owned();
    assert!(is_uuid_v4(&key), "the idempotency key is a UUID: {key}");
    assert_eq!(pending["document"], DRAFT);
    assert_eq!(pending["api"], format!("{}/api/v1", server.base()));
    let body: Value = serde_json::from_str(pending["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&body["target"], &body["stance"], &body["text"]),
        (&json!("a5"), &json!("suggest-change"), &json!(text)),
        "{body}"
    );
    // "My comments" shows it as waiting.
    browser
        .wait_js(
            "my comments to show the waiting comment",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-my-comments li.waiting')]
                    .some((li) => li.textContent.includes('{text}'))"
            ),
        )
        .await;
    browser.screenshot("3-offline-queued").await;

    // The server comes back on the same address with the same database; the browser says it
    // is online again, and the widget sends what it kept.
    server.restart();
    browser
        .js("window.dispatchEvent(new Event('online'));")
        .await;
    wait_outbox_empty(&browser).await;
    let receipt = wait_receipt(&browser).await;
    let (_, sent) = stored(&browser).await;
    assert_eq!(sent.as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(sent[0]["receipt"], receipt.as_str());
    let events = submitted_events(&browser).await;
    assert_eq!(
        events,
        [json!({ "type": "jiedu:comment-submitted",
                 "detail": { "documentId": DRAFT, "receipt": receipt, "target": "a5" } })],
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
    browser.screenshot("3-offline-delivered").await;
    let list = stored_comments(&server, &token, "政府采购合同").await;
    assert_eq!(list["total"], 1, "{list}");

    // The same queued request sent again, twice, after it arrived (as when the answer was
    // lost on its way back, or another tab sent it too): the page is reloaded each time with
    // the outbox as it was. The server answers with the same receipt and stores nothing new.
    for round in 0..2 {
        browser
            .js(&format!(
                "localStorage.setItem('jiedu-outbox', JSON.stringify([{pending}]));"
            ))
            .await;
        browser.goto(&format!("{}/draft.html", site.origin())).await;
        browser.wait_widget().await;
        wait_outbox_empty(&browser).await;
        let again = wait_receipt(&browser).await;
        assert_eq!(again, receipt, "round {round}: the same receipt");
        let (_, sent) = stored(&browser).await;
        assert_eq!(
            sent.as_array().unwrap().len(),
            1,
            "round {round}: my comments keeps one entry per receipt: {sent}"
        );
    }
    let list = stored_comments(&server, &token, "政府采购合同").await;
    assert_eq!(list["total"], 1, "exactly one comment is stored: {list}");
    let all = stored_comments(&server, &token, "").await;
    assert_eq!(all["total"], 1, "and nothing else: {all}");
    browser.close().await;
}
