//! Scenario 2: a citizen comments on a clause of a draft and gets a receipt; an editor answers
//! "not adopted" with a reason in the review console and publishes; the citizen's receipt check
//! and the public feedback report show the answer, with the name masked and no contact.
//!
//! The widget has no comment form yet (issue 5), so the citizen's side is what that form will
//! do: a cross-origin `fetch()` from the host page, with JSON and an idempotency key, which
//! exercises the server's CORS and `--allowed-origin` with a real browser. The editor's side is
//! the real review console (`/review`).

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::harness::{Browser, Server, ServerConfig, TIMEOUT, ensure_widget, http};
use crate::site::{Page, Site, template};

pub const DRAFT: &str = "yc-proactive-disclosure-draft";
/// An instant inside the draft's consultation period (2026-11-20 to 2027-01-10).
pub const DURING_CONSULTATION: &str = "2026-12-15T10:00:00+08:00";

/// The host page of the draft, at `/draft.html` on both of the site's origins.
pub fn add_draft_page(site: &Site, server: &Server) {
    let page = template(
        "plain.html",
        &[
            ("widget", &format!("{}/dist", server.base())),
            ("src", &format!("{}/documents/{DRAFT}.json", server.base())),
        ],
    );
    site.add("/draft.html", Page::html(page));
}

/// JavaScript for the host page: posts `comment` (a JSON object literal) with `key` as its
/// idempotency key, and returns status, body and the exposed `Location` header. What the
/// widget's form will send.
pub fn post_comment_js(jiedu: &str, comment: &str, key: &str) -> String {
    format!(
        "const response = await fetch('{jiedu}/api/v1/documents/{DRAFT}/comments', {{
            method: 'POST',
            headers: {{ 'Content-Type': 'application/json', 'Idempotency-Key': '{key}' }},
            body: JSON.stringify({comment}),
        }});
        return {{ status: response.status, location: response.headers.get('location'), body: await response.json() }};"
    )
}

/// Signs in to the review console of `server` with `token` and waits for the comments.
pub async fn sign_in_to_review(browser: &Browser, server: &Server, token: &str, comments: usize) {
    browser.goto(&format!("{}/review", server.base())).await;
    let field = browser
        .client
        .wait()
        .at_most(TIMEOUT)
        .for_element(Locator::Id("token"))
        .await
        .unwrap();
    field.send_keys(token).await.unwrap();
    browser
        .client
        .find(Locator::Css("#sign-in-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for(
            "the review console to list the comments",
            "document.querySelectorAll('article.comment').length",
            |n| *n == json!(comments),
        )
        .await;
}

/// Sets a decision and reason on comment `number` in the review console and saves it.
pub async fn decide_in_review(browser: &Browser, number: u64, decision: &str, reason: &str) {
    let card = format!("article.comment[aria-label='意见 #{number}']");
    let select = browser
        .client
        .find(Locator::Css(&format!("{card} select[aria-label^='决定']")))
        .await
        .unwrap();
    select.select_by_value(decision).await.unwrap();
    let textarea = browser
        .client
        .find(Locator::Css(&format!("{card} textarea")))
        .await
        .unwrap();
    textarea.send_keys(reason).await.unwrap();
    let save = format!("//article[@aria-label='意见 #{number}']//button[contains(., '保存')]");
    browser
        .client
        .find(Locator::XPath(&save))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_js(
            &format!("comment #{number} to be saved"),
            &format!("document.getElementById('status').textContent.includes('#{number} 已保存')"),
        )
        .await;
}

/// Publishes the feedback report from the review console.
pub async fn publish_in_review(browser: &Browser) {
    browser
        .client
        .find(Locator::Id("publish"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_js(
            "the report to be published",
            "document.getElementById('status').textContent.includes('已公布')",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_comments_an_editor_answers_and_the_answer_is_public_with_the_name_masked() {
    ensure_widget();
    let site = Site::start().await;
    let server = Server::start(
        "commenting",
        ServerConfig {
            allowed_origins: vec![site.origin()],
            now: Some(DURING_CONSULTATION.into()),
            ..Default::default()
        },
    );
    let token = server.token("zhang.san");
    add_draft_page(&site, &server);
    let jiedu = server.base();
    let browser = Browser::start("commenting").await;

    // The citizen, on the government site, comments on 第三条 (a3).
    browser.goto(&format!("{}/draft.html", site.origin())).await;
    browser.wait_widget().await;
    let text = "建议明确“便民”原则的具体要求，例如信息公开后应当在政府网站首页可以直接找到。";
    let comment = format!(
        "{{ target: 'a3', stance: 'suggest-change', text: '{text}',
            proposedWording: '主动公开工作坚持以公开为常态、不公开为例外，遵循公正、公平、合法、便民、及时的原则。',
            name: '朱小明', contact: '13800138000', consent: true, submitterType: 'individual' }}"
    );
    let key = "7d1e4f0a-3b2c-4d5e-8f90-a1b2c3d4e5f6";
    let created = browser
        .js_async(&post_comment_js(&jiedu, &comment, key))
        .await;
    assert_eq!(created["status"], 201, "{created}");
    let receipt = created["body"]["receipt"].as_str().unwrap().to_owned();
    assert!(
        receipt.len() == 12
            && receipt.starts_with("JD-")
            && receipt[3..]
                .chars()
                .all(|c| c == '-' || "23456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
        "{receipt}"
    );
    assert_eq!(created["body"]["number"], 1);
    assert_eq!(created["location"], format!("/api/v1/receipts/{receipt}"));
    // A retry of the same submission (a lost answer) returns the same receipt and stores nothing.
    let again = browser
        .js_async(&post_comment_js(&jiedu, &comment, key))
        .await;
    assert_eq!(again["body"]["receipt"], receipt.as_str(), "{again}");

    let check_receipt = format!(
        "const response = await fetch('{jiedu}/api/v1/receipts/{}');
         return {{ status: response.status, body: await response.json() }};",
        receipt.to_lowercase().replace('-', "")
    );
    let status = browser.js_async(&check_receipt).await;
    assert_eq!(status["status"], 200, "{status}");
    assert_eq!(status["body"]["status"], "received", "{status}");
    browser.screenshot("2-commenting-host-page").await;

    // The same page from a site the server does not allow: the browser's preflight fails and
    // nothing reaches the database.
    browser
        .goto(&format!("{}/draft.html", site.other_origin()))
        .await;
    browser.wait_widget().await;
    let refused = browser
        .js_async(&format!(
            "try {{ {} }} catch (error) {{ return {{ refused: error.name }}; }}",
            post_comment_js(
                &jiedu,
                &comment.replace("便民", "利民"),
                "0d1e4f0a-3b2c-4d5e-8f90-a1b2c3d4e5f6"
            )
        ))
        .await;
    assert_eq!(
        refused,
        json!({ "refused": "TypeError" }),
        "a disallowed origin cannot post"
    );

    // The editor answers in the review console and publishes.
    sign_in_to_review(&browser, &server, &token, 1).await;
    let card = browser
        .js("return document.querySelector('article.comment').textContent;")
        .await;
    let card = card.as_str().unwrap();
    assert!(
        card.contains(text) && card.contains("朱小明"),
        "editors see the comment and the name: {card}"
    );
    assert!(
        !card.contains("13800138000"),
        "not the contact unless asked for: {card}"
    );
    let reason = "“便民”原则已在第七条、第八条的公开方式和时限中具体规定，不再重复。";
    decide_in_review(&browser, 1, "not-adopted", reason).await;
    publish_in_review(&browser).await;
    browser.screenshot("2-commenting-review-console").await;

    // The citizen checks the receipt: answered, with the decision and the reason.
    browser.goto(&format!("{}/draft.html", site.origin())).await;
    browser.wait_widget().await;
    let status = browser.js_async(&check_receipt).await;
    assert_eq!(status["body"]["status"], "answered", "{status}");
    assert_eq!(status["body"]["decision"], "not-adopted");
    assert_eq!(status["body"]["reason"], reason);
    assert_eq!(status["body"]["target"], "a3");

    // The public feedback report: the answer, the name masked, no contact anywhere.
    let feedback = browser
        .js_async(&format!(
            "const response = await fetch('{jiedu}/api/v1/documents/{DRAFT}/feedback');
             return {{ status: response.status, text: await response.text() }};"
        ))
        .await;
    assert_eq!(feedback["status"], 200);
    let raw = feedback["text"].as_str().unwrap();
    assert!(
        !raw.contains("13800138000") && !raw.contains("朱小明"),
        "no contact and no clear name: {raw}"
    );
    let report: Value = serde_json::from_str(raw).unwrap();
    assert_eq!(report["total"], 1);
    let row = &report["rows"][0];
    assert_eq!(
        (
            &row["number"],
            &row["target"],
            &row["name"],
            &row["decision"],
            &row["reason"],
            &row["text"]
        ),
        (
            &json!(1),
            &json!("a3"),
            &json!("朱**"),
            &json!("not-adopted"),
            &json!(reason),
            &json!(text)
        )
    );
    assert!(
        report["byDecision"]
            .as_array()
            .unwrap()
            .contains(&json!({ "decision": "not-adopted", "count": 1 })),
        "{report}"
    );
    // The review console links to that same public report.
    browser
        .goto(&format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"))
        .await;
    browser.screenshot("2-commenting-public-feedback").await;

    // Exactly one comment was stored: the retry and the refused origin added nothing.
    let (status, list) = http(
        "GET",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/comments"),
        &[("authorization", &format!("Bearer {token}"))],
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1, "{list}");
    // The same numbers from outside the browser (no Origin header): nothing private either.
    let (_, public) = http(
        "GET",
        &format!("{jiedu}/api/v1/receipts/{receipt}"),
        &[],
        None,
    )
    .await;
    assert_eq!(public["status"], "answered");
    assert!(!public.to_string().contains("朱小明"), "{public}");
    browser.close().await;
}
