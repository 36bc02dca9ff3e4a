//! Scenario 4: hostile input renders as text and runs nothing.
//!
//! Every payload sets `window.__pwned` if it ever runs; the tests assert it stays undefined and
//! that the widget's shadow root holds no element or attribute that could run code (no
//! `<script>`, no `on…` attribute, no `javascript:` URL), while the payloads' text is there for
//! readers to see.
//!
//! Two documents: `tests/fixtures/hostile.md` compiled by the real server (raw HTML, event
//! handlers, bidirectional and invisible characters, a 100 KB paragraph), and its compiled JSON
//! edited afterwards to hold what the compiler refuses (`javascript:` and `data:` links, images
//! and videos, lone surrogates in JSON escapes), served as a static file: the widget must check
//! URLs again when it renders, since a JSON file can be edited by hand.

use crate::commenting::{consultation_server, open_draft};
use serde_json::{Value, json};

use crate::commenting::{
    CommentInput, DRAFT, add_draft_page, decide_in_review, post_comment_js, publish_in_review,
    sign_in_to_review, submit_in_widget, wait_receipt,
};
use crate::harness::{Browser, ROOT, Server, ServerConfig, ensure_widget, http, root, scratch};
use crate::site::{Page, Site, template};

/// The 100 KB paragraph: ordinary text, a few payloads, and one 5,000-character word with no
/// break opportunity.
fn long_paragraph() -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 100_000 {
        text.push_str("政府信息公开是行政机关的法定义务，应当及时、准确。");
        n += 1;
        if n % 500 == 0 {
            text.push_str("<script>window.__pwned = 'long'</script>");
        }
        if n == 1000 {
            text.push_str(&"A".repeat(5000));
        }
    }
    text
}

/// What must be in the widget's text, literally (so: shown as text, not parsed as HTML).
const SHOWN_AS_TEXT: &[&str] = &[
    "<script>window.__pwned = 'title'</script>恶意输入",
    "<script>window.__pwned = 'block-script'</script>",
    "<img src=\"x\" onerror=\"window.__pwned = 'block-img'\">",
    "<style>* { display: none !important }</style>",
    "<span onclick=\"window.__pwned = 'span'\" style=\"position:fixed;inset:0\">覆盖</span>",
    "<iframe src=\"javascript:window.top.__pwned = 'iframe'\"></iframe>",
    "<script>window.__pwned = 'fence'</script>",
    "<img src=x onerror=\"window.__pwned = 'faq'\">怎么办？",
    "\u{202e}txt.exe",
    "a\u{200b}\u{200c}\u{200d}\u{feff}b",
];

/// A JavaScript expression that inspects the widget for anything that could run code and
/// returns what it found.
const INSPECT: &str = r#"(() => {
    const root = ROOT_EXPR;
    const bad = [];
    const forbidden = ['script', 'iframe', 'frame', 'object', 'embed', 'style', 'link', 'meta', 'base',
        'form', 'template', 'foreignobject', 'portal'];
    // The widget's own forms (commenting, receipt check, and the `method="dialog"` bars that
    // close its dialogs), which never have an `action`.
    const ownForms = ['jiedu-comment-form', 'jiedu-receipt-check', 'sheet-bar'];
    const url = (value) => { try { return new URL(value, document.baseURI).protocol; } catch (_) { return 'invalid'; } };
    for (const el of root.querySelectorAll('*')) {
        const tag = el.localName;
        const own = tag === 'form' && ownForms.includes(el.className) && !el.hasAttribute('action');
        if (forbidden.includes(tag) && !own) bad.push(`${tag}.${el.className}`);
        for (const a of el.attributes) {
            if (a.name.startsWith('on') || ['style', 'srcdoc', 'formaction', 'xlink:href'].includes(a.name)) {
                bad.push(`${tag}[${a.name}=${a.value.slice(0, 40)}]`);
            }
        }
        if (el.hasAttribute('href') && !['http:', 'https:', 'mailto:'].includes(url(el.getAttribute('href')))) {
            bad.push(`${tag}[href=${el.getAttribute('href').slice(0, 40)}]`);
        }
        for (const name of ['src', 'poster', 'data', 'action']) {
            if (el.hasAttribute(name) && !['http:', 'https:'].includes(url(el.getAttribute(name)))) {
                bad.push(`${tag}[${name}=${el.getAttribute(name).slice(0, 40)}]`);
            }
        }
    }
    const jiedu = root.querySelector('.jiedu');
    return {
        pwned: window.__pwned === undefined ? null : String(window.__pwned),
        bad,
        errors: window.__e2e.errors,
        text: root.textContent,
        wellFormed: root.textContent.isWellFormed(),
        hostScripts: document.scripts.length,
        overflow: jiedu.scrollWidth - jiedu.clientWidth,
    };
})()"#;

async fn inspect(browser: &Browser) -> Value {
    browser
        .js(&format!("return {};", INSPECT.replace("ROOT_EXPR", ROOT)))
        .await
}

/// Opens every fold and FAQ, switches through the layouts and searches for a payload, so that
/// every part of the document has been rendered at least once; then inspects the widget.
async fn exercise(browser: &Browser, name: &str) -> Value {
    let root = ROOT;
    browser
        .screenshot(&format!("4-hostile-{name}-side-by-side"))
        .await;
    browser
        .js(&format!("{root}.querySelectorAll('.faq .question button[aria-expanded=false]').forEach((b) => b.click());"))
        .await;
    browser.click_in_widget(".layouts button.inline").await;
    browser
        .wait_js(
            "the inline layout",
            &format!("{root}.querySelector('div.inline')"),
        )
        .await;
    browser
        .js(&format!(
            "{root}.querySelectorAll('button.fold[aria-expanded=false]').forEach((b) => b.click());"
        ))
        .await;
    browser
        .wait_js(
            "every fold to open",
            &format!("{root}.querySelectorAll('button.fold[aria-expanded=false]').length === 0"),
        )
        .await;
    browser
        .screenshot(&format!("4-hostile-{name}-inline"))
        .await;
    browser.click_in_widget(".layouts button.key-points").await;
    browser
        .wait_js(
            "the key-points layout",
            &format!("{root}.querySelector('div.key-points')"),
        )
        .await;
    let input = browser.widget_element("#jiedu-q").await;
    input.send_keys("script").await.unwrap();
    browser
        .wait_js(
            "search results",
            &format!("{root}.querySelector('.results mark')"),
        )
        .await;
    browser.js("window.scrollTo(0, 0);").await;
    browser
        .screenshot(&format!("4-hostile-{name}-search"))
        .await;
    inspect(browser).await
}

fn assert_inert(report: &Value) {
    assert_eq!(report["pwned"], Value::Null, "a payload ran");
    assert_eq!(
        report["bad"],
        json!([]),
        "elements or attributes that could run code"
    );
    assert_eq!(report["errors"], json!([]), "script errors in the page");
    assert_eq!(
        report["hostScripts"], 2,
        "only the probe and the loader are scripts of the host page"
    );
    assert!(
        report["overflow"].as_i64().unwrap() <= 1,
        "long words wrap instead of widening the widget: {}",
        report["overflow"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_document_renders_as_text_and_runs_nothing() {
    ensure_widget();
    let content = scratch("hostile-content");
    let source = std::fs::read_to_string(root().join("tests/fixtures/hostile.md")).unwrap();
    let long = long_paragraph();
    std::fs::write(
        content.join("hostile.md"),
        source.replace("{{long}}", &long),
    )
    .unwrap();
    let server = Server::start(
        "hostile",
        ServerConfig {
            content_dir: content,
            ..Default::default()
        },
    );
    let site = Site::start().await;
    let jiedu = server.base();
    let widget = format!("{jiedu}/dist");
    site.add(
        "/compiled.html",
        Page::html(template(
            "plain.html",
            &[
                ("widget", &widget),
                ("src", &format!("{jiedu}/documents/hostile.json")),
            ],
        )),
    );

    // The compiled document, edited to hold what the compiler refuses.
    let (status, mut doc) =
        http("GET", &format!("{jiedu}/documents/hostile.json"), &[], None).await;
    assert_eq!(status, 200, "{doc}");
    let text = |s: &str| json!({ "t": "text", "s": s });
    let link = |href: &str, s: &str| json!({ "t": "link", "href": href, "c": [text(s)] });
    doc["provisions"][0]["body"].as_array_mut().unwrap().push(json!({ "t": "p", "c": [
        link("javascript:window.__pwned = 'json-link'", "脚本链接"),
        link(" JaVaScRiPt:window.__pwned = 'json-link-case'", "大小写链接"),
        link("java\tscript:window.__pwned = 'json-link-tab'", "制表符链接"),
        link("\u{1}javascript:window.__pwned = 'json-link-control'", "控制字符链接"),
        link("vbscript:msgbox(1)", "VB链接"),
        link("data:text/html,<script>window.top.__pwned = 'data-link'</script>", "数据链接"),
        link("https://example.gov.cn/ok", "正常链接"),
        { "t": "image", "src": "javascript:window.__pwned = 'json-img'", "alt": "脚本图片" },
        { "t": "image", "src": "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='top.__pwned=1'/>", "alt": "数据图片" },
        { "t": "video", "src": "javascript:window.__pwned = 'json-video'", "alt": "脚本视频" },
        text("孤立代理项：LONE_HIGH 和 LONE_LOW 结束。"),
    ]}));
    let question = format!("{}LONE_HIGH", doc["faqs"][0]["question"].as_str().unwrap());
    doc["faqs"][0]["question"] = json!(question);
    let raw = serde_json::to_string(&doc)
        .unwrap()
        .replace("LONE_HIGH", "\\ud800")
        .replace("LONE_LOW", "\\udfffx\\udbff");
    site.add(
        "/hostile.json",
        Page {
            body: raw.into_bytes(),
            content_type: "application/json",
            csp: None,
        },
    );
    site.add(
        "/edited.html",
        Page::html(template(
            "plain.html",
            &[("widget", &widget), ("src", "/hostile.json")],
        )),
    );

    let browser = Browser::start("hostile").await;
    for name in ["compiled", "edited"] {
        browser
            .goto(&format!("{}/{name}.html", site.origin()))
            .await;
        let title = browser.wait_widget().await;
        assert!(
            title.starts_with("<script>window.__pwned = 'title'</script>"),
            "{title}"
        );
        let report = exercise(&browser, name).await;
        assert_inert(&report);
        let shown = report["text"].as_str().unwrap();
        for payload in SHOWN_AS_TEXT {
            assert!(
                shown.contains(payload),
                "{name}: `{payload}` is not shown as text"
            );
        }
        assert!(
            shown.contains(&long),
            "{name}: the 100 KB paragraph is shown whole"
        );
        let long_box = browser
            .js(&format!(
                "const p = [...{ROOT}.querySelectorAll('#jiedu-s3 p')].find((p) => p.textContent.length > 30000);
                 return p && {{ height: p.getBoundingClientRect().height, width: p.getBoundingClientRect().width }};"
            ))
            .await;
        assert!(
            long_box["height"].as_f64().unwrap() > 2000.0,
            "{name}: {long_box}"
        );
        assert!(
            long_box["width"].as_f64().unwrap() <= 1280.0,
            "{name}: {long_box}"
        );
    }

    // In the edited JSON, unsafe URLs lose their link and media, keeping the text or alt text;
    // the safe link stays a link; lone surrogates do not break the document.
    let report = inspect(&browser).await;
    let shown = report["text"].as_str().unwrap();
    for words in [
        "脚本链接",
        "大小写链接",
        "制表符链接",
        "控制字符链接",
        "VB链接",
        "数据链接",
        "脚本图片",
        "数据图片",
        "脚本视频",
    ] {
        assert!(shown.contains(words), "`{words}` is shown");
    }
    assert!(
        shown.contains("孤立代理项：\u{fffd} 和 \u{fffd}x\u{fffd} 结束。"),
        "lone surrogates become U+FFFD"
    );
    assert_eq!(
        report["wellFormed"], true,
        "no lone surrogate reaches the DOM"
    );
    let links = browser
        .js(&format!(
            "return [...{ROOT}.querySelectorAll('#jiedu-s1 a')].map((a) => a.href);"
        ))
        .await;
    assert_eq!(links, json!(["https://example.gov.cn/ok"]));
    browser.screenshot("4-hostile-edited-links").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_comment_is_kept_verbatim_and_shown_as_text() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("hostile-comment", &site);
    let token = server.token("li.si");
    add_draft_page(&site, &server);
    let jiedu = server.base();
    let browser = Browser::start("hostile-comment").await;
    open_draft(&browser, &site).await;

    // Broken text gets a clear error and stores nothing: a lone surrogate is not valid JSON
    // text (400), and bidirectional overrides and zero-width characters, which can disguise what
    // a comment says, are refused by name (422).
    let send = |text: &str| {
        format!(
            "const response = await fetch('{jiedu}/api/v1/documents/{DRAFT}/comments', {{
                method: 'POST', headers: {{ 'Content-Type': 'application/json' }},
                body: JSON.stringify({{ target: 'a1', stance: 'oppose', text: '{text}' }}),
            }});
            return {{ status: response.status, body: await response.json() }};"
        )
    };
    let broken = browser.js_async(&send("坏的\\ud800字符")).await;
    assert_eq!(
        (&broken["status"], &broken["body"]["error"]["code"]),
        (&json!(400), &json!("invalid-json")),
        "{broken}"
    );
    let disguised = browser
        .js_async(&send("看起来无害\\u202etxt.exe\\u200b"))
        .await;
    assert_eq!(disguised["status"], 422, "{disguised}");
    assert_eq!(
        disguised["body"]["error"]["fields"][0],
        json!({
            "field": "text", "code": "control-characters",
            "message": disguised["body"]["error"]["fields"][0]["message"],
        })
    );

    // The longest comment allowed (20,000 characters), full of markup.
    let payload = "<script>window.__pwned = 'comment'</script><img src=x onerror=\"window.__pwned = 'comment-img'\">";
    let mut text = String::from(payload);
    while text.chars().count() < 20_000 - 20 {
        text.push_str("意见正文");
    }
    let name = "<img src=x onerror=window.__pwned='name'>";
    let comment = json!({
        "target": "a2", "stance": "oppose", "text": text,
        "proposedWording": "<a href=\"javascript:window.__pwned = 'wording'\">改为</a>",
        "name": name, "submitterType": "individual",
    });
    let created = browser
        .js_async(&post_comment_js(
            &jiedu,
            &comment.to_string(),
            "9a1e4f0a-3b2c-4d5e-8f90-a1b2c3d4e5f6",
        ))
        .await;
    assert_eq!(created["status"], 201, "{}", created["body"]);
    let receipt = created["body"]["receipt"].as_str().unwrap().to_owned();

    // The review console shows it as text.
    sign_in_to_review(&browser, &server, &token, 1).await;
    let reason = "<script>window.__pwned = 'reason'</script>理由：不予采纳。";
    decide_in_review(&browser, 1, "not-adopted", reason).await;
    publish_in_review(&browser).await;
    let console = browser
        .js(
            "const card = document.querySelector('article.comment');
             return {
                 pwned: window.__pwned === undefined ? null : String(window.__pwned),
                 injected: card.querySelectorAll('script, img, a, iframe, [onerror], [onclick]').length,
                 text: card.querySelector('.text').textContent,
                 wording: card.querySelector('.wording').textContent,
                 reason: card.querySelector('textarea').value,
             };",
        )
        .await;
    assert_eq!(console["pwned"], Value::Null);
    assert_eq!(console["injected"], 0);
    assert_eq!(console["text"], text.as_str());
    assert!(
        console["wording"]
            .as_str()
            .unwrap()
            .ends_with("<a href=\"javascript:window.__pwned = 'wording'\">改为</a>")
    );
    assert_eq!(console["reason"], reason);
    browser.screenshot("4-hostile-comment-review-console").await;

    // The public report and the receipt carry it verbatim (as JSON strings), the name masked.
    let (_, report) = http(
        "GET",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"),
        &[],
        None,
    )
    .await;
    let row = &report["rows"][0];
    assert_eq!(row["text"], text.as_str());
    assert_eq!(row["reason"], reason);
    assert_ne!(row["name"], name, "the name is masked");
    assert!(
        !report.to_string().contains("onerror=window.__pwned='name'"),
        "{}",
        row["name"]
    );
    let (_, status) = http(
        "GET",
        &format!("{jiedu}/api/v1/receipts/{receipt}"),
        &[],
        None,
    )
    .await;
    assert_eq!(
        (&status["status"], &status["reason"]),
        (&json!("answered"), &json!(reason))
    );

    // Back on the host page, nothing ran there either.
    open_draft(&browser, &site).await;
    assert_inert(&inspect(&browser).await);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_comment_typed_into_the_widget_is_shown_as_text_in_its_feedback_view() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("hostile-widget-comment", &site);
    let token = server.token("zhao.liu");
    add_draft_page(&site, &server);
    let jiedu = server.base();
    let browser = Browser::start("hostile-widget-comment").await;
    open_draft(&browser, &site).await;

    let text = "<script>window.__pwned = 'w-text'</script><img src=x onerror=\"window.__pwned = 'w-img'\"> \
                javascript:window.__pwned='w-js' <a href=\"javascript:window.__pwned='w-a'\">点我</a> \
                <iframe srcdoc=\"<script>top.__pwned='w-frame'</script>\"></iframe>意见";
    let wording =
        "<svg onload=\"window.__pwned='w-wording'\"></svg><style>*{display:none}</style>改为";
    let name = "<b onmouseover=window.__pwned='w-name'>李</b>";
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a2",
            stance: "suggest-change",
            text,
            wording,
            name,
            contact: "",
        },
    )
    .await;
    let receipt = wait_receipt(&browser).await;
    // "My comments" shows the text it kept (an excerpt of 140 characters), as text.
    let report = inspect(&browser).await;
    assert_inert(&report);
    let excerpt: String = text.chars().take(140).collect();
    assert!(report["text"].as_str().unwrap().contains(&excerpt));

    // Answered with a hostile reason and published (through the editor API).
    let reason = "<script>window.__pwned = 'w-reason'</script><img src=x onerror=\"window.__pwned='w-reason-img'\">不予采纳。";
    let auth = format!("Bearer {token}");
    let (status, decided) = http(
        "PUT",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/comments/1/disposition"),
        &[("authorization", &auth)],
        Some(&json!({ "decision": "not-adopted", "reason": reason }).to_string()),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let (status, published) = http(
        "POST",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, 201, "{published}");

    // The widget's feedback view and the status check show it all as text; nothing runs.
    open_draft(&browser, &site).await;
    let row = browser
        .wait_js(
            "the feedback view's row",
            &format!("{ROOT}.querySelector('.jiedu-feedback-row')?.textContent"),
        )
        .await;
    let row = row.as_str().unwrap();
    for shown in [text, wording, reason] {
        assert!(row.contains(shown), "`{shown}` is shown as text in: {row}");
    }
    browser
        .click_in_widget(".jiedu-my-comments button.check-status")
        .await;
    browser
        .wait_js(
            "the status check",
            &format!(
                "{ROOT}.querySelector('.jiedu-my-comments .jiedu-status')?.textContent.includes('w-reason-img')"
            ),
        )
        .await;
    let report = inspect(&browser).await;
    assert_inert(&report);
    assert!(
        report["text"].as_str().unwrap().contains(&receipt),
        "the receipt is listed"
    );
    browser
        .js(&format!(
            "{ROOT}.querySelector('.jiedu-feedback').scrollIntoView({{ block: 'start' }}); window.scrollBy(0, -90);"
        ))
        .await;
    browser.screenshot("4-hostile-widget-feedback").await;
    browser.close().await;
}
