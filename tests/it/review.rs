//! The review console (`/review`) as an editor uses it (issue 13, items 6, 8 and 10): a refused
//! sign-in and then a good one on the same page, messages shown next to the action that caused
//! them in Chinese and in live regions (a refused save, marks, publishing), local times, Chinese
//! status badges, the duplicate's original, the clause text beside its comments, publishing
//! with a confirmation that warns while the consultation is open, and the counts of the
//! published report in the console and in the citizens' widget.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::commenting::{DRAFT, add_draft_page, consultation_server, decide_in_review, open_draft};
use crate::harness::{Browser, ROOT, Server, http};
use crate::site::Site;

/// Posts a comment from outside the browser and returns its number.
async fn post(server: &Server, comment: Value) -> u64 {
    let (status, body) = http(
        "POST",
        &format!("{}/api/v1/documents/{DRAFT}/comments", server.base()),
        &[],
        Some(&comment.to_string()),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["number"].as_u64().unwrap_or_else(|| panic!("{body}"))
}

async fn click(browser: &Browser, locator: Locator<'_>) {
    browser
        .client
        .find(locator)
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Clicks a button of comment `number`'s card by its text.
async fn click_in_card(browser: &Browser, number: u64, text: &str) {
    let xpath = format!("//article[@id='comment-{number}']//button[contains(., '{text}')]");
    click(browser, Locator::XPath(&xpath)).await;
}

/// The text of the element with `id` once it contains `expected`, and whether a person can see
/// it (it takes room on the screen) and a screen reader hears it (it is in a live region).
async fn message(browser: &Browser, id: &str, expected: &str) -> Value {
    browser
        .wait_js(
            &format!("#{id} to say {expected}"),
            &format!("document.getElementById('{id}').textContent.includes('{expected}')"),
        )
        .await;
    browser
        .js(&format!(
            "const m = document.getElementById('{id}');
             const box = m.getBoundingClientRect();
             return {{ text: m.textContent, visible: box.height > 0 && box.width > 0,
                       live: m.closest('[aria-live]')?.getAttribute('aria-live') ?? null,
                       error: m.classList.contains('error') }};"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_sees_every_message_beside_the_action_and_the_report_counts_every_comment() {
    crate::harness::ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("review", &site);
    let token = server.token("li.si");
    add_draft_page(&site, &server);
    let original = post(
        &server,
        json!({ "target": "a3", "stance": "suggest-change", "text": "建议把“便民”写得更具体。",
                "proposedWording": "遵循公正、公平、合法、便民、及时的原则。", "name": "朱小明" }),
    )
    .await;
    let same = post(
        &server,
        json!({ "target": "a3", "stance": "support", "text": "同上，便民原则应当具体化。" }),
    )
    .await;
    let spam = post(
        &server,
        json!({ "target": "document", "stance": "support", "text": "广告：代开发票，低价。" }),
    )
    .await;
    let browser = Browser::start("review").await;

    // The sign-in page is styled, and a wrong token is refused where the editor is looking.
    browser.goto(&format!("{}/review", server.base())).await;
    let card = browser
        .wait_js(
            "the sign-in card",
            "(() => { const s = getComputedStyle(document.getElementById('sign-in'));
                      return s.maxWidth !== 'none' && s.boxShadow !== 'none' && s.maxWidth; })()",
        )
        .await;
    assert_ne!(card, json!(false));
    browser.screenshot("13-review-sign-in").await;
    let field = browser.client.find(Locator::Id("token")).await.unwrap();
    field.send_keys("jdt_not-a-token").await.unwrap();
    click(&browser, Locator::Css("#sign-in-form button[type=submit]")).await;
    let refused = message(&browser, "sign-in-status", "令牌无效").await;
    assert_eq!(
        (&refused["visible"], &refused["live"], &refused["error"]),
        (&json!(true), &json!("polite"), &json!(true)),
        "{refused}"
    );
    browser.screenshot("13-review-sign-in-refused").await;

    // The right token on the same page: the console opens.
    field.clear().await.unwrap();
    field.send_keys(&token).await.unwrap();
    click(&browser, Locator::Css("#sign-in-form button[type=submit]")).await;
    browser
        .wait_for(
            "the console to list the comments",
            "document.querySelectorAll('article.comment').length",
            |n| *n == json!(3),
        )
        .await;

    // Details: Chinese badges, local times, the clause text beside its comments.
    let head = browser
        .js(&format!(
            "const card = document.getElementById('comment-{original}');
             const time = card.querySelector('.head time');
             return {{ badge: card.querySelector('.badge').textContent, time: time.textContent,
                       datetime: time.getAttribute('datetime'), head: card.querySelector('.head').textContent,
                       clause: card.closest('section.group').querySelector('.clause blockquote')?.textContent ?? null }};"
        ))
        .await;
    assert_eq!(head["badge"], "待处理", "{head}");
    assert_eq!(head["datetime"], "2026-12-15T10:00:00+08:00");
    let time = head["time"].as_str().unwrap();
    assert!(
        time.starts_with("2026年12月15日") && !time.contains('T'),
        "a local time, not ISO: {time}"
    );
    assert!(!head["head"].as_str().unwrap().contains("+08:00"), "{head}");
    assert!(
        head["clause"]
            .as_str()
            .is_some_and(|c| c.contains("遵循公正、公平、合法、便民的原则")),
        "the clause text beside its comments: {head}"
    );

    // The clause as the commenter saw it: the revision the comment was made on, fetched when
    // the editor opens it.
    browser
        .js(&format!(
            "document.querySelector('#comment-{original} details.seen').open = true;"
        ))
        .await;
    let seen = browser
        .wait_js(
            "the clause the commenter saw",
            &format!(
                "(() => {{ const d = document.querySelector('#comment-{original} details.seen');
                          return d.dataset.loaded && [d.querySelector('summary').textContent,
                                                      d.querySelector('blockquote').textContent]; }})()"
            ),
        )
        .await;
    assert!(
        seen[0]
            .as_str()
            .unwrap()
            .starts_with("提交时看到的条文（修订 #")
            && seen[1]
                .as_str()
                .unwrap()
                .contains("遵循公正、公平、合法、便民的原则"),
        "{seen}"
    );

    // A refused save says why, next to the button, in Chinese, and focuses the field.
    let decision = format!("#comment-{original} select[aria-label^='决定']");
    browser
        .client
        .find(Locator::Css(&decision))
        .await
        .unwrap()
        .select_by_value("not-adopted")
        .await
        .unwrap();
    click_in_card(&browser, original, "保存").await;
    let refused = message(&browser, &format!("comment-{original}-msg"), "理由").await;
    assert_eq!(
        (
            &refused["text"],
            &refused["visible"],
            &refused["live"],
            &refused["error"]
        ),
        (
            &json!("未保存：理由：此项为必填项。"),
            &json!(true),
            &json!("polite"),
            &json!(true)
        ),
        "{refused}"
    );
    let focus = browser
        .js("return [document.activeElement.getAttribute('aria-label'), document.activeElement.getAttribute('aria-invalid')];")
        .await;
    assert_eq!(focus, json!(["理由 Reason", "true"]));
    browser.screenshot("13-review-refused-save").await;

    // Marks: the duplicate shows its original's number; the spam its badge.
    browser
        .client
        .find(Locator::Id(&format!("comment-{same}-dup")))
        .await
        .unwrap()
        .send_keys(&original.to_string())
        .await
        .unwrap();
    click_in_card(&browser, same, "标为重复").await;
    let marked = message(&browser, &format!("comment-{same}-msg"), "已标为重复意见").await;
    assert_eq!(marked["visible"], true);
    let duplicate = browser
        .js(&format!(
            "const card = document.getElementById('comment-{same}');
             const link = card.querySelector('.head a');
             return [card.querySelector('.badge').textContent, link.textContent, link.getAttribute('href'),
                     card.querySelector('input.dup').value];"
        ))
        .await;
    assert_eq!(
        duplicate,
        json!([
            "重复意见",
            format!("#{original}"),
            format!("#comment-{original}"),
            original.to_string()
        ])
    );
    click_in_card(&browser, spam, "垃圾").await;
    message(&browser, &format!("comment-{spam}-msg"), "已标为垃圾信息").await;
    let badge = browser
        .js(&format!(
            "return document.querySelector('#comment-{spam} .badge').textContent;"
        ))
        .await;
    assert_eq!(badge, "垃圾信息");

    let reason = "“便民”已在第十条的公开方式和时限中具体规定。";
    decide_in_review(&browser, original, "partially-adopted", reason).await;
    browser.screenshot("13-review-marked").await;

    // Publishing asks first, and warns: the consultation is still open.
    click(&browser, Locator::Id("publish")).await;
    let confirm = browser
        .wait_js(
            "the publish confirmation",
            "!document.getElementById('publish-confirm').hidden
                && document.getElementById('publish-warning').textContent",
        )
        .await;
    assert!(
        confirm.as_str().unwrap().contains("征求意见期尚未结束"),
        "{confirm}"
    );
    let (status, _) = http(
        "GET",
        &format!("{}/api/v1/documents/{DRAFT}/feedback", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 204, "nothing is published before the confirmation");
    browser.screenshot("13-review-publish-confirm").await;
    click(&browser, Locator::Id("publish-yes")).await;
    let published = message(&browser, "publish-status", "已公布").await;
    assert_eq!(
        published["text"],
        "已公布：共收到意见 3 条，公开答复 1 条；未单独列出 2 条（1 条重复意见随原意见答复，1 条垃圾信息）。"
    );
    assert_eq!(published["visible"], true);
    browser.screenshot("13-review-published").await;

    // The citizens' widget says the same: three received, two not listed and why.
    open_draft(&browser, &site).await;
    let counts = browser
        .wait_for(
            "the widget's feedback counts",
            &format!(
                "[...({ROOT}?.querySelectorAll('.jiedu-feedback .count') ?? [])].map((p) => p.textContent)"
            ),
            |texts| texts.as_array().is_some_and(|t| t.len() == 2),
        )
        .await;
    assert!(
        counts[0].as_str().unwrap().starts_with("共收到意见 3 条"),
        "{counts}"
    );
    assert_eq!(
        counts[1],
        "其中 2 条未单独列出：1 条为重复意见，随原意见一并答复；1 条为垃圾信息。"
    );
    browser
        .js(&format!(
            "{ROOT}.querySelector('.jiedu-feedback').scrollIntoView();"
        ))
        .await;
    browser.screenshot("13-review-widget-feedback-counts").await;
    browser.close().await;
}
