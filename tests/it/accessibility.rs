//! Scenario 6: an axe-core scan of the rendered widget (inside its shadow root) in each layout,
//! with search results and open FAQs, in large-text and dark modes, in Chinese and English, and
//! on a draft's commenting parts (the open comment form, its validation messages, the receipt,
//! the published feedback view), finds no serious or critical violation. Every finding, of any
//! impact, is printed.
//!
//! axe-core comes from npm (`axe-core@4`), installed into `target/e2e-node` on first use, and is
//! injected into the page through WebDriver.

use crate::commenting::{consultation_server, open_draft};
use crate::harness::open_faqs_and_search;
use serde_json::{Value, json};

use crate::commenting::{CommentInput, DRAFT, add_draft_page, submit_in_widget, wait_receipt};
use crate::harness::{Browser, ROOT, Server, ServerConfig, axe_source, ensure_widget, http};
use crate::site::{Page, Site, template};

/// Scans the first widget of the page; returns its violations (rule, impact, help, nodes).
async fn scan(browser: &Browser) -> Vec<Value> {
    let injected = browser
        .js(&format!("{}\nreturn typeof window.axe;", axe_source()))
        .await;
    assert_eq!(injected, "object", "axe-core is loaded");
    let violations = browser
        .js_async(
            "const result = await axe.run({ include: [['jiedu-widget']] }, { resultTypes: ['violations'] });
             return result.violations.map((v) => ({
                 rule: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 160), why: n.failureSummary })),
             }));",
        )
        .await;
    violations.as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_serious_or_critical_violation_in_the_widget() {
    ensure_widget();
    axe_source();
    let server = Server::start("accessibility", ServerConfig::default());
    let site = Site::start().await;
    let jiedu = server.base();
    for (page, doc, extra) in [
        ("zh", "yc-2021-openness", ""),
        ("draft", "yc-proactive-disclosure-draft", ""),
        ("en", "yc-service-lists-en", " data-lang=\"en\""),
        ("dark", "yc-2021-openness", " data-theme=\"dark\""),
    ] {
        let html = template(
            "plain.html",
            &[
                ("widget", &format!("{jiedu}/dist")),
                ("src", &format!("{jiedu}/documents/{doc}.json")),
            ],
        )
        .replace(" async>", &format!("{extra} async>"));
        site.add(&format!("/{page}.html"), Page::html(html));
    }
    let browser = Browser::start("accessibility").await;
    let mut findings: Vec<(String, Value)> = Vec::new();
    let mut record = |state: &str, violations: Vec<Value>| {
        for v in violations {
            findings.push((state.to_owned(), v));
        }
    };

    for page in ["zh", "draft", "en", "dark"] {
        browser
            .goto(&format!("{}/{page}.html", site.origin()))
            .await;
        browser.wait_widget().await;
        for layout in ["side-by-side", "inline", "key-points"] {
            browser
                .click_in_widget(&format!(".layouts button.{layout}"))
                .await;
            browser
                .wait_js(layout, &format!("{ROOT}.querySelector('div.{layout}')"))
                .await;
            if layout == "inline" {
                browser
                    .js(&format!(
                        "{ROOT}.querySelectorAll('button.fold').forEach((b) => b.click());"
                    ))
                    .await;
            }
            record(&format!("{page}/{layout}"), scan(&browser).await);
            browser
                .screenshot(&format!("6-accessibility-{page}-{layout}"))
                .await;
        }
        if page == "zh" {
            // Search results and every FAQ open.
            open_faqs_and_search(&browser, "公开").await;
            record("zh/search-and-faqs", scan(&browser).await);
            // Large text (elderly) mode.
            browser.click_in_widget("button.elder-toggle").await;
            browser
                .wait_js(
                    "large-text mode",
                    &format!("{ROOT}.querySelector('.jiedu.elder')"),
                )
                .await;
            record("zh/elder", scan(&browser).await);
            browser.js("window.scrollTo(0, 0);").await;
            browser.screenshot("6-accessibility-zh-elder").await;
            browser.click_in_widget("button.elder-toggle").await;
        }
    }
    browser.close().await;
    assert_no_serious(&findings);
}

/// Prints every finding; fails on the serious and critical ones.
fn assert_no_serious(findings: &[(String, Value)]) {
    let mut serious = Vec::new();
    for (state, v) in findings {
        let impact = v["impact"].as_str().unwrap_or("unknown");
        eprintln!(
            "axe [{state}] {impact} {}: {}",
            v["rule"].as_str().unwrap(),
            v["help"].as_str().unwrap()
        );
        for node in v["nodes"].as_array().unwrap() {
            eprintln!(
                "    at {} {}\n       {}",
                node["target"],
                node["html"],
                node["why"].as_str().unwrap_or("").replace('\n', " ")
            );
        }
        if matches!(impact, "serious" | "critical") {
            serious.push(format!(
                "[{state}] {impact} {} ({} nodes)",
                v["rule"].as_str().unwrap(),
                v["nodes"].as_array().unwrap().len()
            ));
        }
    }
    assert!(
        serious.is_empty(),
        "serious or critical accessibility violations:\n{}",
        serious.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_no_serious_or_critical_violation_in_the_commenting_parts() {
    ensure_widget();
    axe_source();
    let site = Site::start().await;
    let server = consultation_server("accessibility-commenting", &site);
    let token = server.token("qian.qi");
    let jiedu = server.base();
    // A published report with a decision of each kind the table shows, through the API.
    let auth = format!("Bearer {token}");
    for (i, (target, decision)) in [
        ("a1", "adopted"),
        ("a4", "not-adopted"),
        ("document", "partially-adopted"),
    ]
    .into_iter()
    .enumerate()
    {
        let comment = json!({ "target": target, "stance": "support", "text": format!("第{i}条意见：建议写得更具体。"),
            "name": "钱七", "submitterType": "individual" });
        let (status, body) = http(
            "POST",
            &format!("{jiedu}/api/v1/documents/{DRAFT}/comments"),
            &[],
            Some(&comment.to_string()),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = http(
            "PUT",
            &format!(
                "{jiedu}/api/v1/documents/{DRAFT}/comments/{}/disposition",
                i + 1
            ),
            &[("authorization", &auth)],
            Some(&json!({ "decision": decision, "reason": "已研究。" }).to_string()),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = http(
        "POST",
        &format!("{jiedu}/api/v1/documents/{DRAFT}/feedback"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    add_draft_page(&site, &server);

    let browser = Browser::start("accessibility-commenting").await;
    open_draft(&browser, &site).await;
    let mut findings: Vec<(String, Value)> = Vec::new();

    // The feedback view: chart, filter and table.
    browser
        .wait_js(
            "the feedback view",
            &format!("{ROOT}.querySelectorAll('.jiedu-feedback-row').length === 3"),
        )
        .await;
    for v in scan(&browser).await {
        findings.push(("draft/feedback".into(), v));
    }
    browser
        .js(&format!(
            "{ROOT}.querySelector('.jiedu-feedback').scrollIntoView({{ block: 'start' }}); window.scrollBy(0, -90);"
        ))
        .await;
    browser.screenshot("6-accessibility-feedback").await;

    // The open form, then with its validation messages (the proposed wording shown).
    browser
        .click_in_widget(".jiedu-comment-btn[data-target='a1']")
        .await;
    browser.widget_element("form.jiedu-comment-form").await;
    for v in scan(&browser).await {
        findings.push(("draft/form".into(), v));
    }
    browser.screenshot("6-accessibility-form").await;
    browser
        .click_in_widget("form.jiedu-comment-form input[name=stance][value='suggest-change']")
        .await;
    browser
        .click_in_widget("form.jiedu-comment-form button[type=submit]")
        .await;
    browser
        .wait_js(
            "the form's validation messages",
            &format!("{ROOT}.querySelector('form.jiedu-comment-form .field-error:not(:empty)')"),
        )
        .await;
    for v in scan(&browser).await {
        findings.push(("draft/form-errors".into(), v));
    }
    browser.screenshot("6-accessibility-form-errors").await;

    // The receipt and "my comments" after a submission (on a fresh page: a clean form).
    open_draft(&browser, &site).await;
    submit_in_widget(
        &browser,
        &CommentInput {
            target: "a1",
            stance: "support",
            text: "赞成。",
            wording: "",
            name: "",
            contact: "",
        },
    )
    .await;
    wait_receipt(&browser).await;
    for v in scan(&browser).await {
        findings.push(("draft/receipt".into(), v));
    }
    browser.screenshot("6-accessibility-receipt").await;
    browser.close().await;
    assert_no_serious(&findings);
}
