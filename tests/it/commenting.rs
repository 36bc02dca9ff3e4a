//! Scenario 2: a citizen comments on a clause of a draft in the widget's form and gets a
//! receipt; an editor answers "not adopted" with a reason in the review console and publishes;
//! back on the host page, the widget's feedback view and the citizen's receipt check show the
//! answer, with the name masked and no contact.
//!
//! The citizen's side is the widget's own form (real clicks and keystrokes in its shadow root);
//! a cross-origin `fetch()` from a host page the server does not allow checks CORS. The editor's
//! side is the real review console (`/review`). The helpers here (the draft's host page, the
//! form, the review console) serve the other commenting scenarios too.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::harness::{Browser, ROOT, Server, ServerConfig, TIMEOUT, ensure_widget, http};
use crate::site::{Page, Site, template};

pub const DRAFT: &str = "yc-proactive-disclosure-draft";
/// An instant inside the draft's consultation period (2026-11-20 to 2027-01-10).
pub const DURING_CONSULTATION: &str = "2026-12-15T10:00:00+08:00";

/// A server whose clock stands inside the draft's consultation period and which accepts
/// comments from `site`'s origin.
pub fn consultation_server(name: &str, site: &Site) -> Server {
    Server::start(name, consultation_config(site))
}

/// The options of [`consultation_server`].
pub fn consultation_config(site: &Site) -> ServerConfig {
    ServerConfig {
        allowed_origins: vec![site.origin()],
        now: Some(DURING_CONSULTATION.into()),
        ..Default::default()
    }
}

/// Opens the draft's host page (see [`add_draft_page`]) and waits for the widget.
pub async fn open_draft(browser: &Browser, site: &Site) {
    browser.goto(&format!("{}/draft.html", site.origin())).await;
    browser.wait_widget().await;
}

/// The host page of the draft, at `/draft.html` on both of the site's origins. The widget takes
/// the server's `--now` as its own (`data-now`), so both agree the consultation is open whatever
/// the day the tests run.
pub fn add_draft_page(site: &Site, server: &Server) {
    let page = template(
        "plain.html",
        &[
            ("widget", &format!("{}/dist", server.base())),
            ("src", &format!("{}/documents/{DRAFT}.json", server.base())),
        ],
    )
    .replace(
        " async>",
        &format!(" data-now=\"{DURING_CONSULTATION}\" async>"),
    );
    site.add("/draft.html", Page::html(page));
}

/// What a citizen types into the widget's comment form (the default: nothing at all).
#[derive(Default)]
pub struct CommentInput<'a> {
    /// The clause whose "comment on this clause" button opens the form.
    pub target: &'a str,
    /// `support`, `oppose` or `suggest-change`.
    pub stance: &'a str,
    pub text: &'a str,
    /// Typed only with `suggest-change`.
    pub wording: &'a str,
    pub name: &'a str,
    /// With the consent box ticked when not empty.
    pub contact: &'a str,
}

/// Opens the form from the clause's "comment on this clause" button, fills it in with real
/// clicks and keystrokes, and submits it.
pub async fn submit_in_widget(browser: &Browser, input: &CommentInput<'_>) {
    let target = input.target;
    browser
        .click_in_widget(&format!(".jiedu-comment-btn[data-target='{target}']"))
        .await;
    let form = "form.jiedu-comment-form";
    browser
        .wait_for(
            "the comment form to be about the clause",
            &format!("{ROOT}.querySelector('{form} [name=target]')?.value"),
            |v| *v == json!(target),
        )
        .await;
    browser
        .click_in_widget(&format!(
            "{form} input[name=stance][value='{}']",
            input.stance
        ))
        .await;
    let mut typed = vec![("textarea[name=text]", input.text)];
    if input.stance == "suggest-change" {
        typed.push(("textarea[name=proposedWording]", input.wording));
    }
    typed.push(("input[name=name]", input.name));
    typed.push(("input[name=contact]", input.contact));
    for (field, value) in typed {
        if !value.is_empty() {
            let element = browser.widget_element(&format!("{form} {field}")).await;
            element
                .send_keys(value)
                .await
                .unwrap_or_else(|e| panic!("typing into {field}: {e}"));
        }
    }
    if !input.contact.is_empty() {
        browser
            .click_in_widget(&format!("{form} input[name=consent]"))
            .await;
    }
    // What the reader typed is what the form holds (the controlled inputs kept every key).
    let shown = browser
        .js(&format!(
            "const f = {ROOT}.querySelector('{form}');
             return {{ text: f.elements.text.value, name: f.elements.name.value,
                       contact: f.elements.contact.value, consent: f.elements.consent.checked }};"
        ))
        .await;
    assert_eq!(
        shown,
        json!({ "text": input.text, "name": input.name, "contact": input.contact,
                "consent": !input.contact.is_empty() }),
        "the form holds what was typed"
    );
    browser
        .click_in_widget(&format!("{form} button[type=submit]"))
        .await;
}

/// Waits for the receipt number the widget shows after a submission, and returns it.
pub async fn wait_receipt(browser: &Browser) -> String {
    let receipt = browser
        .wait_js(
            "the widget to show a receipt",
            &format!("{ROOT}.querySelector('.jiedu-receipt')?.textContent"),
        )
        .await;
    let receipt = receipt.as_str().unwrap().to_owned();
    assert!(
        receipt.len() == 17
            && receipt.starts_with("JD-")
            && receipt[3..]
                .chars()
                .all(|c| c == '-' || "23456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
        "{receipt}"
    );
    receipt
}

/// The widget's records in the host page's `localStorage`: the outbox and "my comments".
pub async fn stored(browser: &Browser) -> (Value, Value) {
    let stored = browser
        .js(
            "const read = (key) => JSON.parse(localStorage.getItem(key) || '[]');
             return [read('jiedu-outbox'), read('jiedu-my-comments')];",
        )
        .await;
    (stored[0].clone(), stored[1].clone())
}

/// The `jiedu:comment-submitted` events the host page received (recorded by `probe.js`).
pub async fn submitted_events(browser: &Browser) -> Vec<Value> {
    browser
        .js("return window.__e2e.events.filter((e) => e.type === 'jiedu:comment-submitted');")
        .await
        .as_array()
        .unwrap()
        .clone()
}

/// The comments of the draft whose text contains `words`, as the editor API lists them.
pub async fn stored_comments(server: &Server, token: &str, words: &str) -> Value {
    let query: String = words
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let (status, list) = http(
        "GET",
        &format!(
            "{}/api/v1/documents/{DRAFT}/comments?q={query}",
            server.base()
        ),
        &[("authorization", &format!("Bearer {token}"))],
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list
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
            &format!(
                "document.getElementById('comment-{number}-msg').textContent.includes('#{number} 已保存')"
            ),
        )
        .await;
}

/// Publishes the feedback report from the review console, confirming when asked.
pub async fn publish_in_review(browser: &Browser) {
    for button in ["publish", "publish-yes"] {
        browser
            .client
            .find(Locator::Id(button))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    browser
        .wait_js(
            "the report to be published",
            "document.getElementById('publish-status').textContent.includes('已公布')",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_citizen_comments_in_the_widget_an_editor_answers_and_the_widget_shows_the_answer_masked()
{
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("commenting", &site);
    let token = server.token("zhang.san");
    add_draft_page(&site, &server);
    let jiedu = server.base();
    let browser = Browser::start("commenting").await;

    // The citizen, on the government site, opposes 第三条 (a3) in the widget's form.
    open_draft(&browser, &site).await;
    let banner = browser
        .js(&format!(
            "return {ROOT}.querySelector('.jiedu-banner')?.dataset.state;"
        ))
        .await;
    assert_eq!(banner, "open", "the consultation banner says it is open");
    let text = "建议明确“便民”原则的具体要求，例如信息公开后应当在政府网站首页可以直接找到。";
    let (name, contact) = ("朱小明", "13800138000");
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a3",
            stance: "oppose",
            text,
            wording: "",
            name,
            contact,
        },
    )
    .await;
    let receipt = wait_receipt(&browser).await;

    // The host page heard of it, without anything personal.
    let events = submitted_events(&browser).await;
    assert_eq!(
        events,
        [json!({ "type": "jiedu:comment-submitted",
                 "detail": { "documentId": DRAFT, "receipt": receipt, "target": "a3" } })],
        "one event, with the document, the receipt and the clause only"
    );
    // "My comments" lists it; the browser keeps neither the name nor the contact.
    let mine = browser
        .wait_js(
            "my comments to list the receipt",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-my-comments li')].map((li) => li.textContent)
                    .filter((t) => t.includes('{receipt}'))[0]"
            ),
        )
        .await;
    assert!(mine.as_str().unwrap().contains(text), "{mine}");
    let (outbox, sent) = stored(&browser).await;
    assert_eq!(outbox, json!([]), "nothing left waiting");
    assert_eq!(sent.as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(sent[0]["receipt"], receipt.as_str());
    let kept = browser
        .js("return JSON.stringify({ ...localStorage });")
        .await;
    assert!(
        !kept.as_str().unwrap().contains(name) && !kept.as_str().unwrap().contains(contact),
        "no name or contact in localStorage: {kept}"
    );
    browser.screenshot("2-commenting-widget-receipt").await;

    // The same page from a site the server does not allow: the browser's preflight fails and
    // nothing reaches the database.
    browser
        .goto(&format!("{}/draft.html", site.other_origin()))
        .await;
    browser.wait_widget().await;
    let comment = format!(
        "{{ target: 'a3', stance: 'oppose', text: '{text}', name: '{name}', submitterType: 'individual' }}"
    );
    let refused = browser
        .js_async(&format!(
            "try {{ {} }} catch (error) {{ return {{ refused: error.name }}; }}",
            post_comment_js(&jiedu, &comment, "0d1e4f0a-3b2c-4d5e-8f90-a1b2c3d4e5f6")
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
        card.contains(text) && card.contains(name),
        "editors see the comment and the name: {card}"
    );
    assert!(
        !card.contains(contact),
        "not the contact unless asked for: {card}"
    );
    let reason = "“便民”原则已在第七条、第八条的公开方式和时限中具体规定，不再重复。";
    decide_in_review(&browser, 1, "not-adopted", reason).await;
    publish_in_review(&browser).await;
    browser.screenshot("2-commenting-review-console").await;

    // Back on the host page: the widget's feedback view shows the answer, the name masked.
    open_draft(&browser, &site).await;
    let rows = browser
        .wait_for(
            "the widget's feedback view",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-feedback .jiedu-feedback-row')].map((r) => ({{
                    target: r.dataset.target, decision: r.dataset.decision, text: r.textContent }}))"
            ),
            |rows| rows.as_array().is_some_and(|r| !r.is_empty()),
        )
        .await;
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let row = &rows[0];
    assert_eq!(
        (&row["target"], &row["decision"]),
        (&json!("a3"), &json!("not-adopted"))
    );
    let row_text = row["text"].as_str().unwrap();
    for shown in [text, reason, "朱**", "不予采纳"] {
        assert!(row_text.contains(shown), "`{shown}` in the row: {row_text}");
    }
    let banner = browser
        .js(&format!(
            "return {ROOT}.querySelector('.jiedu-banner')?.dataset.state;"
        ))
        .await;
    // The period is still open by the server's clock: the banner keeps saying so (comments are
    // still accepted) while the published answers are shown below it.
    assert_eq!(banner, "open");
    let html = browser.js(&format!("return {ROOT}.innerHTML;")).await;
    let html = html.as_str().unwrap();
    assert!(
        !html.contains(name) && !html.contains(contact),
        "neither the clear name nor the contact anywhere in the widget"
    );
    browser
        .js(&format!(
            "{ROOT}.querySelector('.jiedu-feedback').scrollIntoView({{ block: 'start' }}); window.scrollBy(0, -90);"
        ))
        .await;
    browser.screenshot("2-commenting-widget-feedback").await;

    // The answer is reachable from its clause: the clause's "answers" button filters the view.
    browser
        .click_in_widget(".jiedu-answers-btn[data-target='a3']")
        .await;
    browser
        .wait_for(
            "the feedback view filtered to 第三条",
            &format!("{ROOT}.querySelector('#jiedu-feedback-filter')?.value"),
            |v| *v == json!("a3"),
        )
        .await;

    // The citizen checks the status from "my comments", and by typing the receipt by hand.
    browser
        .click_in_widget(".jiedu-my-comments button.check-status")
        .await;
    let status = browser
        .wait_js(
            "the status check to show the answer",
            &format!(
                "(() => {{ const s = {ROOT}.querySelector('.jiedu-my-comments .mine .jiedu-status');
                          return s && s.textContent.includes('{reason}') && s.textContent; }})()"
            ),
        )
        .await;
    assert!(status.as_str().unwrap().contains("不予采纳"), "{status}");
    let typed = receipt.to_lowercase().replace('-', "");
    browser
        .widget_element("#jiedu-receipt-input")
        .await
        .send_keys(&typed)
        .await
        .unwrap();
    browser.click_in_widget(".jiedu-receipt-check button").await;
    browser
        .wait_js(
            "the typed receipt's status",
            &format!(
                "[...{ROOT}.querySelectorAll('.jiedu-my-comments > .jiedu-status')]
                    .some((s) => s.textContent.includes('{reason}'))"
            ),
        )
        .await;
    browser.screenshot("2-commenting-widget-status").await;

    // The public feedback report: the answer, the name masked, no contact anywhere.
    let (status, report) = http(
        "GET",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200);
    let raw = report.to_string();
    assert!(
        !raw.contains(contact) && !raw.contains(name),
        "no contact and no clear name: {raw}"
    );
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
    // The review console links to that same public report.
    browser
        .goto(&format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"))
        .await;
    browser.screenshot("2-commenting-public-feedback").await;

    // Exactly one comment was stored: the refused origin added nothing.
    let list = stored_comments(&server, &token, "便民").await;
    assert_eq!(list["total"], 1, "{list}");
    let (_, public) = http(
        "GET",
        &format!("{jiedu}/api/v1/receipts/{receipt}"),
        &[],
        None,
    )
    .await;
    assert_eq!(
        (&public["status"], &public["reason"]),
        (&json!("answered"), &json!(reason))
    );
    assert!(!public.to_string().contains(name), "{public}");
    browser.close().await;
}
