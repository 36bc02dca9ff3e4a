//! What citizens stumbled on when they tried the widget as new users would (issue 13, items 1–5
//! and 11; issue 10's clean console on the demo page), each as it happened to them: typing after
//! a form error (also through an input method), writing about a clause on a phone, a comment
//! marked as spam, elder mode, footnotes, the demo page's console and sidebar, and a host page
//! whose origin the server does not allow. Screenshots of the fixed states go to
//! `tests/artifacts/13-*.png`.

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::commenting::{
    CommentInput, DRAFT, add_draft_page, consultation_server, open_draft, submit_in_widget,
    wait_receipt,
};
use crate::harness::{Browser, ROOT, Server, ServerConfig, ensure_widget, http, root};
use crate::site::{Page, Site, template};

/// A phone's viewport (CSS pixels), as the issue was found on.
const PHONE: (u32, u32) = (390, 844);

/// The form inside the open comment sheet.
const FORM: &str = "#jiedu-sheet form.jiedu-comment-form";

/// JavaScript: is the element remembered as `window.__kept[name]` still the one at `css`, in
/// the page, and focused?
fn kept(name: &str, css: &str) -> String {
    format!(
        "(() => {{ const el = window.__kept['{name}'];
                   return {{ same: el === {ROOT}.querySelector('{css}'), connected: el.isConnected,
                             focused: {ROOT}.activeElement === el, value: el.value,
                             checked: el.checked }}; }})()"
    )
}

/// A receipt check's status line once the server has answered (not "checking…").
fn answered(text: &Value) -> bool {
    text.as_str()
        .is_some_and(|t| !t.is_empty() && t != "正在查询…")
}

/// Clicks into the element at `css` and types `keys` with real key events, one by one.
async fn type_keys(browser: &Browser, css: &str, keys: &str) {
    browser.click_in_widget(css).await;
    browser
        .widget_element(css)
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

/// Types `text` into the focused field through the browser's input-method path (what a pinyin
/// keyboard does): a composition that shows `pinyin`, then commits `text` at once.
async fn type_with_ime(browser: &Browser, pinyin: &str, text: &str) {
    let end = pinyin.chars().count();
    browser
        .cdp(
            "Input.imeSetComposition",
            json!({ "text": pinyin, "selectionStart": end, "selectionEnd": end }),
        )
        .await;
    browser
        .cdp("Input.insertText", json!({ "text": text }))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn typing_after_a_form_error_keeps_the_fields_the_focus_and_every_key() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("citizens-typing", &site);
    add_draft_page(&site, &server);
    let browser = Browser::start("citizens-typing").await;
    open_draft(&browser, &site).await;

    // Sent empty: the fields say what is wrong.
    browser
        .click_in_widget(".jiedu-comment-btn[data-target='a3']")
        .await;
    browser
        .click_in_widget(&format!("{FORM} button[type=submit]"))
        .await;
    browser
        .wait_js(
            "the messages at the fields",
            &format!("{ROOT}.querySelector('#jiedu-f-text-error')?.textContent"),
        )
        .await;
    browser
        .js(&format!(
            "window.__kept = {{ text: {ROOT}.querySelector('#jiedu-f-text'),
                                contact: {ROOT}.querySelector('#jiedu-f-contact'),
                                consent: {ROOT}.querySelector('#jiedu-f-consent'),
                                stance: {ROOT}.querySelector('input[name=stance][value=oppose]') }};
             window.__ime = [];
             for (const type of ['compositionstart', 'compositionupdate', 'compositionend', 'input'])
                 window.__kept.text.addEventListener(type, (e) => window.__ime.push(type + (e.isComposing ? '*' : '')));"
        ))
        .await;

    // Typing: the message goes away after the second character, and nothing is lost.
    type_keys(&browser, "#jiedu-f-text", "建议明确公开时限").await;
    // Then a pinyin input method commits two words at once.
    type_with_ime(&browser, "gongkai", "公开").await;
    let text = browser
        .js(&format!("return {};", kept("text", "#jiedu-f-text")))
        .await;
    assert_eq!(
        text,
        json!({ "same": true, "connected": true, "focused": true,
                "value": "建议明确公开时限公开", "checked": null }),
        "the textarea is the same element, keeps the focus and every key"
    );
    let ime = browser.js("return window.__ime;").await;
    let ime: Vec<&str> = ime
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        ime.contains(&"compositionstart") && ime.contains(&"compositionend"),
        "the text came through an input-method composition: {ime:?}"
    );
    let error = browser
        .js(&format!(
            "return {ROOT}.querySelector('#jiedu-f-text-error').textContent;"
        ))
        .await;
    assert_eq!(error, "", "the message is gone, its region stays");

    // The stance radios while they show an error.
    browser
        .click_in_widget(&format!("{FORM} input[name=stance][value=oppose]"))
        .await;
    let stance = browser
        .js(&format!(
            "return {};",
            kept("stance", "input[name=stance][value=oppose]")
        ))
        .await;
    assert_eq!(
        (
            &stance["same"],
            &stance["connected"],
            &stance["focused"],
            &stance["checked"]
        ),
        (&json!(true), &json!(true), &json!(true), &json!(true)),
        "{stance}"
    );

    // A contact asks for consent; ticking the box while it shows its error keeps it.
    type_keys(&browser, "#jiedu-f-contact", "13800138000").await;
    browser
        .wait_js(
            "the consent message",
            &format!("{ROOT}.querySelector('#jiedu-f-consent-error').textContent"),
        )
        .await;
    let contact = browser
        .js(&format!("return {};", kept("contact", "#jiedu-f-contact")))
        .await;
    assert_eq!(
        (&contact["same"], &contact["focused"], &contact["value"]),
        (&json!(true), &json!(true), &json!("13800138000"))
    );
    browser.screenshot("13-1-typing-after-errors").await;
    browser.click_in_widget("#jiedu-f-consent").await;
    let consent = browser
        .js(&format!("return {};", kept("consent", "#jiedu-f-consent")))
        .await;
    assert_eq!(
        (
            &consent["same"],
            &consent["connected"],
            &consent["focused"],
            &consent["checked"]
        ),
        (&json!(true), &json!(true), &json!(true), &json!(true)),
        "{consent}"
    );

    // The receipt box once a result is shown: typing on keeps the box and the focus.
    browser
        .click_in_widget("#jiedu-sheet .sheet-bar .back")
        .await;
    type_keys(&browser, "#jiedu-receipt-input", "JD-2345-6789").await;
    browser.click_in_widget(".jiedu-receipt-check button").await;
    browser
        .wait_for(
            "the lookup's result",
            &format!("{ROOT}.querySelector('.jiedu-my-comments > .jiedu-status')?.textContent"),
            answered,
        )
        .await;
    browser
        .js(&format!(
            "window.__kept.receipt = {ROOT}.querySelector('#jiedu-receipt-input');"
        ))
        .await;
    type_keys(&browser, "#jiedu-receipt-input", "AB").await;
    let receipt = browser
        .js(&format!(
            "return {};",
            kept("receipt", "#jiedu-receipt-input")
        ))
        .await;
    assert_eq!(
        (
            &receipt["same"],
            &receipt["connected"],
            &receipt["focused"],
            &receipt["value"]
        ),
        (
            &json!(true),
            &json!(true),
            &json!(true),
            &json!("JD-2345-6789AB")
        ),
        "{receipt}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_a_phone_the_form_opens_at_the_clause_and_sending_returns_there() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("citizens-sheet", &site);
    add_draft_page(&site, &server);
    let browser = Browser::start("citizens-sheet").await;
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    open_draft(&browser, &site).await;

    let button = ".jiedu-comment-btn[data-target='a3']";
    browser
        .js(&format!(
            "{ROOT}.querySelector(\"{button}\").scrollIntoView({{ block: 'center' }});"
        ))
        .await;
    // Where the clause is on the screen (not `scrollY`: a lazy image loading above it moves the
    // page, and the browser's scroll anchoring keeps the clause in place).
    let clause_top = format!("{ROOT}.querySelector('#jiedu-a3').getBoundingClientRect().top");
    let before = browser.js(&format!("return {clause_top};")).await;
    browser.click_in_widget(button).await;
    let sheet = browser
        .wait_for(
            "the comment sheet to open",
            &format!(
                "(() => {{ const d = {ROOT}.querySelector('#jiedu-sheet'); const r = d.getBoundingClientRect();
                   return {{ open: d.open, quote: d.querySelector('.sheet-quote')?.textContent || '',
                             top: r.top, bottom: r.bottom, clause: {clause_top} }}; }})()"
            ),
            |s| s["open"] == json!(true),
        )
        .await;
    let quote = sheet["quote"].as_str().unwrap();
    assert!(
        quote.starts_with("第三条") && quote.chars().count() > 20,
        "the sheet quotes the clause: {quote}"
    );
    assert!(
        sheet["top"].as_f64().unwrap() >= 0.0
            && sheet["bottom"].as_f64().unwrap() <= f64::from(PHONE.1),
        "the sheet is on screen: {sheet}"
    );
    assert!(
        (sheet["clause"].as_f64().unwrap() - before.as_f64().unwrap()).abs() < 2.0,
        "the page did not move the clause (before: {before}): {sheet}"
    );

    // 建议修改 puts the proposed wording after the comment, not above it.
    browser
        .click_in_widget(&format!(
            "{FORM} input[name=stance][value='suggest-change']"
        ))
        .await;
    let order = browser
        .wait_js(
            "the proposed wording",
            &format!(
                "(() => {{ const w = {ROOT}.querySelector('#jiedu-f-proposedWording');
                   return w && [...{ROOT}.querySelectorAll('{FORM} textarea')].map((t) => t.name); }})()"
            ),
        )
        .await;
    assert_eq!(order, json!(["text", "proposedWording"]));
    browser.screenshot("13-2-phone-sheet-at-the-clause").await;

    type_keys(
        &browser,
        "#jiedu-f-text",
        "建议把“可以”改为“应当”，避免选择性公开。",
    )
    .await;
    type_keys(
        &browser,
        "#jiedu-f-proposedWording",
        "行政机关应当主动公开。",
    )
    .await;
    browser
        .click_in_widget(&format!("{FORM} button[type=submit]"))
        .await;
    wait_receipt(&browser).await;
    let in_sheet = browser
        .js(&format!(
            "return !!{ROOT}.querySelector('#jiedu-sheet .jiedu-receipt');"
        ))
        .await;
    assert_eq!(in_sheet, true, "the receipt is shown where the reader is");
    browser.screenshot("13-2-phone-sheet-receipt").await;

    browser
        .click_in_widget("#jiedu-sheet .sheet-bar .back")
        .await;
    let back = browser
        .wait_for(
            "the reader to be back at the clause",
            &format!(
                "(() => {{ const a = {ROOT}.activeElement; const r = a && a.getBoundingClientRect();
                   return {{ open: {ROOT}.querySelector('#jiedu-sheet').open, focused: a && a.id,
                             top: r && r.top, bottom: r && r.bottom }}; }})()"
            ),
            |s| s["focused"] == json!("jiedu-a3"),
        )
        .await;
    assert_eq!(back["open"], false, "{back}");
    assert!(
        back["top"].as_f64().unwrap() < f64::from(PHONE.1)
            && back["bottom"].as_f64().unwrap() > 0.0,
        "the clause is on screen: {back}"
    );
    browser.screenshot("13-2-phone-back-at-the-clause").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comment_marked_as_spam_says_so_in_my_comments_and_on_its_receipt() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("citizens-spam", &site);
    let token = server.token("li.si");
    add_draft_page(&site, &server);
    let browser = Browser::start("citizens-spam").await;
    open_draft(&browser, &site).await;
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a2",
            stance: "support",
            text: "低价代办各类证件，请加微信。",
            wording: "",
            name: "",
            contact: "",
        },
    )
    .await;
    let receipt = wait_receipt(&browser).await;

    // The editors mark it as spam and publish their answers.
    let auth = format!("Bearer {token}");
    let (status, marked) = http(
        "PUT",
        &format!("{}/api/v1/documents/{DRAFT}/comments/1/mark", server.base()),
        &[("authorization", &auth)],
        Some(r#"{"mark":"spam"}"#),
    )
    .await;
    assert_eq!(status, 200, "{marked}");
    let (status, published) = http(
        "POST",
        &format!("{}/api/v1/documents/{DRAFT}/feedback", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, 201, "{published}");
    let (_, public) = http(
        "GET",
        &format!("{}/api/v1/receipts/{receipt}", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(public["status"], "spam", "{public}");

    // "My comments" and the receipt box give the final state, not "under review".
    open_draft(&browser, &site).await;
    browser
        .click_in_widget(".jiedu-my-comments button.check-status")
        .await;
    let status = browser
        .wait_for(
            "the status of the comment",
            &format!("{ROOT}.querySelector('.jiedu-my-comments .mine .jiedu-status')?.textContent"),
            answered,
        )
        .await;
    assert_eq!(status, "未列入公开答复（广告或无关信息）");
    type_keys(&browser, "#jiedu-receipt-input", &receipt).await;
    browser.click_in_widget(".jiedu-receipt-check button").await;
    let typed = browser
        .wait_for(
            "the typed receipt's status",
            &format!("{ROOT}.querySelector('.jiedu-my-comments > .jiedu-status')?.textContent"),
            answered,
        )
        .await;
    assert_eq!(typed, status);
    browser
        .js(&format!(
            "{ROOT}.querySelector('.jiedu-my-comments').scrollIntoView({{ block: 'start' }});"
        ))
        .await;
    browser.screenshot("13-3-spam-final-state").await;
    browser.close().await;
}

/// JavaScript: the visible text of the first widget smaller than 18 px, and its visible controls
/// smaller than 44 × 44 px (as `what: size` lines).
const TOO_SMALL: &str = "(() => {
    const root = (document.querySelector('jiedu-widget') || {}).shadowRoot;
    const out = [];
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1
        && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sr-only'); };
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.textContent.trim() || !el || !visible(el)) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < 18) out.push(`text ${size}px: ${n.textContent.trim().slice(0, 20)}`);
    }
    const controls = 'button, select, input[type=text], textarea, summary, label.choice, .toc a';
    for (const el of root.querySelectorAll(controls)) {
        if (!visible(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width < 44 || r.height < 44)
            out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.width)}x${Math.round(r.height)}: ${el.textContent.trim().slice(0, 20)}`);
    }
    return out;
})()";

#[tokio::test(flavor = "multi_thread")]
async fn elder_mode_has_large_text_and_large_targets_everywhere_and_images_enlarge() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("citizens-elder", &site);
    add_draft_page(&site, &server);
    // A published answer, so that the feedback view is measured too.
    let auth = format!("Bearer {}", server.token("zhao.liu"));
    let comment = json!({ "target": "a1", "stance": "suggest-change", "text": "建议写得更具体。",
        "proposedWording": "应当具体。", "name": "赵六", "submitterType": "individual" });
    let api = format!("{}/api/v1/documents/{DRAFT}", server.base());
    for (method, path, body, auth, want) in [
        ("POST", "/comments", Some(comment), None, 201),
        (
            "PUT",
            "/comments/1/disposition",
            Some(json!({ "decision": "not-adopted", "reason": "已在第八条规定。" })),
            Some(&auth),
            200,
        ),
        ("POST", "/feedback", None, Some(&auth), 201),
    ] {
        let headers: Vec<(&str, &str)> = auth
            .map(|a| ("authorization", a.as_str()))
            .into_iter()
            .collect();
        let body = body.map(|b| b.to_string());
        let (status, answer) =
            http(method, &format!("{api}{path}"), &headers, body.as_deref()).await;
        assert_eq!(status, want, "{method} {path}: {answer}");
    }
    let browser = Browser::start("citizens-elder").await;
    browser
        .client
        .set_window_size(PHONE.0, PHONE.1)
        .await
        .unwrap();
    open_draft(&browser, &site).await;
    // The same measurement finds small text and small targets without elder mode.
    let small = browser.js(&format!("return {TOO_SMALL};")).await;
    assert!(
        small.as_array().unwrap().len() > 10,
        "the measurement finds small things in the normal mode: {small}"
    );
    browser
        .click_in_widget(".toolbar button.elder-toggle")
        .await;
    browser
        .wait_js(
            "elder mode",
            &format!("{ROOT}.querySelector('.jiedu.elder')"),
        )
        .await;
    browser
        .wait_js(
            "the published feedback",
            &format!("{ROOT}.querySelector('.jiedu-feedback-row')"),
        )
        .await;
    // Everything open that can be: the contents, the FAQs.
    browser
        .js(&format!(
            "{ROOT}.querySelectorAll('details').forEach((d) => d.open = true);
             {ROOT}.querySelectorAll('.faq .question button').forEach((b) => b.click());"
        ))
        .await;
    let small = browser.js(&format!("return {TOO_SMALL};")).await;
    assert_eq!(small, json!([]), "too small in elder mode");

    // The open form in the sheet too.
    browser
        .click_in_widget(".jiedu-comment-btn[data-target='a1']")
        .await;
    browser.widget_element(&format!("{FORM} textarea")).await;
    browser
        .click_in_widget(&format!("{FORM} button[type=submit]"))
        .await;
    let small = browser.js(&format!("return {TOO_SMALL};")).await;
    assert_eq!(small, json!([]), "too small in the sheet in elder mode");
    browser.screenshot("13-4-elder-sheet").await;
    browser
        .click_in_widget("#jiedu-sheet .sheet-bar .back")
        .await;

    // An infographic enlarges on a tap, with its description as text.
    let image = ".zoom img";
    browser.click_in_widget(".zoom").await;
    let zoomed = browser
        .wait_for(
            "the enlarged image",
            &format!(
                "(() => {{ const d = {ROOT}.querySelector('dialog.zoomed');
                   return {{ open: d.open, small: {ROOT}.querySelector('{image}').getBoundingClientRect().width,
                             large: d.querySelector('img').getBoundingClientRect().width,
                             alt: {ROOT}.querySelector('{image}').alt,
                             text: d.querySelector('p').textContent,
                             visible: d.querySelector('p').getBoundingClientRect().height > 0 }}; }})()"
            ),
            |z| z["open"] == json!(true) && z["large"].as_f64().unwrap_or(0.0) > 0.0,
        )
        .await;
    assert!(
        zoomed["large"].as_f64().unwrap() >= 2.0 * zoomed["small"].as_f64().unwrap(),
        "at least twice as large: {zoomed}"
    );
    assert_eq!(zoomed["text"], zoomed["alt"], "{zoomed}");
    assert_eq!(zoomed["visible"], true, "{zoomed}");
    browser.screenshot("13-4-elder-image-enlarged").await;
    browser.click_in_widget("dialog.zoomed form button").await;
    browser
        .wait_js(
            "the image to close",
            &format!("!{ROOT}.querySelector('dialog.zoomed').open"),
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn footnotes_are_numbered_and_link_to_the_note_and_back() {
    ensure_widget();
    let site = Site::start().await;
    let server = Server::start("citizens-footnotes", ServerConfig::default());
    let page = template(
        "plain.html",
        &[
            ("widget", &format!("{}/dist", server.base())),
            (
                "src",
                &format!("{}/documents/yc-2021-openness.json", server.base()),
            ),
        ],
    );
    site.add("/openness.html", Page::html(page));
    let browser = Browser::start("citizens-footnotes").await;
    browser
        .goto(&format!("{}/openness.html", site.origin()))
        .await;
    browser.wait_widget().await;

    let shown = browser
        .js(&format!(
            "return {{ refs: [...{ROOT}.querySelectorAll('.fnref')].map((r) => r.textContent),
                       notes: [...{ROOT}.querySelectorAll('.footnote')]
                           .map((n) => getComputedStyle(n, '::before').content),
                       label: {ROOT}.textContent.includes('tiaoli') }};"
        ))
        .await;
    assert_eq!(
        shown,
        json!({ "refs": ["[1]"], "notes": ["\"1\""], "label": false }),
        "numbers, never the author's label"
    );
    browser.click_in_widget(".fnref a").await;
    let at_note = browser
        .wait_js(
            "the focus on the note",
            &format!("{ROOT}.activeElement?.matches('.footnote[data-n=\"1\"]') && {ROOT}.activeElement.textContent"),
        )
        .await;
    assert!(
        at_note.as_str().unwrap().contains("国务院令第492号"),
        "{at_note}"
    );
    browser.screenshot("13-5-footnote-note").await;
    browser.click_in_widget(".footnote .fnback").await;
    browser
        .wait_js(
            "the focus back at the reference",
            &format!("{ROOT}.activeElement?.matches('.fnref[data-n=\"1\"] a')"),
        )
        .await;
    let hash = browser.js("return location.hash;").await;
    assert_eq!(
        hash, "",
        "the footnote links do not touch the host page's URL"
    );
    browser.screenshot("13-5-footnote-back").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_page_has_a_clean_console_and_sidebar_links_a_person_reads() {
    ensure_widget();
    let server = Server::start(
        "citizens-demo",
        ServerConfig {
            index: Some(root().join("index.html")),
            ..Default::default()
        },
    );
    let browser = Browser::start("citizens-demo").await;
    browser.goto(&format!("{}/", server.base())).await;
    browser.wait_widget().await;
    // Every widget of the page (three), each loaded when scrolled near.
    browser
        .wait_for(
            "every widget to render its document",
            "(() => { const all = [...document.querySelectorAll('jiedu-widget')];
                      const done = all.map((w) => !!w.shadowRoot?.querySelector('.head'));
                      all[done.indexOf(false)]?.scrollIntoView();
                      return done; })()",
            |done| {
                done.as_array()
                    .is_some_and(|d| d.len() == 3 && d.iter().all(|v| *v == json!(true)))
            },
        )
        .await;
    // The draft's widget has asked for published feedback (there is none yet).
    browser
        .wait_js(
            "the feedback probe",
            "performance.getEntriesByType('resource').some((e) => e.name.endsWith('/feedback'))",
        )
        .await;
    let icon = browser
        .js_async(
            "const link = document.querySelector('link[rel=icon]');
             const r = await fetch(link.href);
             return { status: r.status, type: r.headers.get('content-type') };",
        )
        .await;
    assert_eq!(icon["status"], 200, "{icon}");
    let log = browser.console_log().await;
    assert_eq!(log, Vec::<Value>::new(), "the console of the demo page");

    // The sidebar's documents open where a person reads them, not as JSON: each link goes to a
    // place on this page followed by the widget that shows that document.
    let links = browser
        .js(
            "return [...document.querySelectorAll('aside section:first-child a')].map((a) => {
                 const target = a.hash && document.getElementById(a.hash.slice(1));
                 const widget = target && [...document.querySelectorAll('jiedu-widget')]
                     .find((w) => target.compareDocumentPosition(w) & Node.DOCUMENT_POSITION_FOLLOWING);
                 return { href: a.getAttribute('href'), text: a.textContent,
                          title: widget?.shadowRoot?.querySelector('.head .title')?.textContent || null };
             });",
        )
        .await;
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 3, "{links:?}");
    for link in links {
        let (text, title) = (link["text"].as_str().unwrap(), link["title"].as_str());
        assert!(
            title.is_some_and(|title| text.starts_with(title)),
            "the link leads to its document's widget: {link}"
        );
    }
    browser
        .client
        .find(Locator::Css("aside section:first-child li:nth-child(2) a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hash = browser.js("return location.hash;").await;
    assert_eq!(hash, "#consultation");
    browser.screenshot("13-11-demo-sidebar-link").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_page_the_server_does_not_allow_gets_a_clear_message_not_a_queue() {
    ensure_widget();
    let site = Site::start().await;
    let server = consultation_server("citizens-origin", &site);
    add_draft_page(&site, &server);
    let browser = Browser::start("citizens-origin").await;
    // The same page from the site's other origin, which the server was not told to allow.
    browser
        .goto(&format!("{}/draft.html", site.other_origin()))
        .await;
    browser.wait_widget().await;
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a2",
            stance: "support",
            text: "赞成第二条的规定。",
            wording: "",
            name: "",
            contact: "",
        },
    )
    .await;
    let refused = browser
        .wait_js(
            "the refusal at the form",
            &format!("{ROOT}.querySelector('.notice.refused')?.textContent"),
        )
        .await;
    assert!(
        refused.as_str().unwrap().contains("本网站尚未获准提交意见"),
        "{refused}"
    );
    let queued = browser
        .js(&format!("return !!{ROOT}.querySelector('.jiedu-queued');"))
        .await;
    assert_eq!(queued, false, "not kept for a retry that cannot succeed");
    let (outbox, _) = crate::commenting::stored(&browser).await;
    assert_eq!(outbox, json!([]), "nothing waits for a retry");
    let kept_text = browser
        .js(&format!(
            "return {ROOT}.querySelector('{FORM} #jiedu-f-text').value;"
        ))
        .await;
    assert_eq!(
        kept_text, "赞成第二条的规定。",
        "the text stays in the form to copy"
    );
    browser.screenshot("13-origin-not-allowed").await;
    browser.close().await;
}
