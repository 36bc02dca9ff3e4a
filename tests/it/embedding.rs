//! Scenario 5: the widget on a host page with a strict Content-Security-Policy, and on a host
//! page whose own stylesheet is hostile.
//!
//! The policies are the strictest an operator could write for the widget: nothing inline, no
//! `eval` (only `'wasm-unsafe-eval'`, without which no browser compiles wasm under a CSP), and
//! Trusted Types enforced with no policy allowed, so that any HTML string reaching an
//! `innerHTML`-like sink would be refused and reported. A page whose policy lacks
//! `'wasm-unsafe-eval'` shows that violations are caught at all, and that the widget then says it
//! could not load instead of leaving an empty box.
//!
//! When the widget's code fails at run time (a panic, which the release build turns into a wasm
//! trap), the loader replaces every widget running on that code with a message and a reload
//! button.

use crate::harness::open_faqs_and_search;
use serde_json::{Value, json};

use crate::harness::{Browser, ROOT, Server, ServerConfig, ensure_widget};
use crate::site::{Page, Site, template};

const DOC: &str = "yc-2021-openness";

/// The CSP of a host page that loads the widget's code from `script_origin` and its data from
/// the Jiedu server.
fn strict_csp(script_origin: &str, jiedu: &str, wasm: bool) -> String {
    let wasm = if wasm { " 'wasm-unsafe-eval'" } else { "" };
    format!(
        "default-src 'none'; script-src {script_origin}{wasm}; connect-src {script_origin} {jiedu}; \
         img-src 'self' {jiedu}; media-src {jiedu}; style-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
         require-trusted-types-for 'script'; trusted-types 'none'"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_widget_works_under_a_strict_content_security_policy() {
    ensure_widget();
    let server = Server::start("csp", ServerConfig::default());
    let site = Site::start().await;
    let jiedu = server.base();
    let src = format!("{jiedu}/documents/{DOC}.json");
    // The widget loaded from the Jiedu server, as the embedding guide's script tag does.
    let cross = template(
        "csp.html",
        &[("widget", &format!("{jiedu}/dist")), ("src", &src)],
    );
    site.add(
        "/csp-cross.html",
        Page::html(cross.clone()).with_csp(strict_csp(&format!("'self' {jiedu}"), &jiedu, true)),
    );
    // The widget copied onto the host's own site (`script-src 'self'`), the data from Jiedu.
    let own = template("csp.html", &[("widget", "/dist"), ("src", &src)]);
    site.add(
        "/csp-self.html",
        Page::html(own).with_csp(strict_csp("'self'", &jiedu, true)),
    );
    // A policy without 'wasm-unsafe-eval': the browser refuses to compile the wasm.
    site.add(
        "/csp-no-wasm.html",
        Page::html(cross).with_csp(strict_csp(&format!("'self' {jiedu}"), &jiedu, false)),
    );

    let browser = Browser::start("csp").await;
    for page in ["csp-cross", "csp-self"] {
        browser
            .goto(&format!("{}/{page}.html", site.origin()))
            .await;
        browser.wait_widget().await;
        // Use it a little: another layout, a fold, a search, every FAQ, so that every component
        // has rendered under the policy.
        browser.click_in_widget(".layouts button.inline").await;
        browser.click_in_widget("#jiedu-s2-1 ~ button.fold").await;
        browser
            .wait_js(
                "the fold to open",
                &format!("{ROOT}.querySelector('#jiedu-s2-1-panel:not(.closed) video')"),
            )
            .await;
        open_faqs_and_search(&browser, "公开").await;
        browser.js("window.scrollTo(0, 0);").await;
        // The document's images load (from the Jiedu server, under img-src). A broken one
        // shows its URL in the failure. (The enlarged copies in closed dialogs load when opened.)
        browser
            .wait_for(
                "the document's images to load",
                &format!("[...{ROOT}.querySelectorAll('img:not(dialog img)')].map((i) => ({{ src: i.src, loaded: i.complete && i.naturalWidth > 0 }}))"),
                |images| {
                    images.as_array().is_some_and(|list| !list.is_empty() && list.iter().all(|i| i["loaded"] == true))
                },
            )
            .await;
        browser.screenshot(&format!("5-{page}")).await;
        let probe = browser.probe().await;
        assert_eq!(probe["violations"], json!([]), "{page}: no CSP violation");
        assert_eq!(probe["errors"], json!([]), "{page}: no script error");
        assert_eq!(probe["events"][0]["type"], "jiedu:ready", "{page}: {probe}");
    }

    // Without 'wasm-unsafe-eval' the violation is reported, and the widget says it could not
    // load, with a retry button, instead of staying a blank box.
    browser
        .goto(&format!("{}/csp-no-wasm.html", site.origin()))
        .await;
    let message = browser
        .wait_js(
            "the widget's load error",
            &format!("{ROOT} && {ROOT}.querySelector('[role=alert]')?.textContent"),
        )
        .await;
    assert!(message.as_str().unwrap().contains("加载失败"), "{message}");
    let probe = browser.probe().await;
    let directives: Vec<&str> = probe["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["directive"].as_str())
        .collect();
    assert!(
        directives.contains(&"script-src"),
        "the refused wasm compilation is a CSP violation: {probe}"
    );
    assert!(
        probe["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "jiedu:error"),
        "{probe}"
    );
    browser.screenshot("5-csp-without-wasm-unsafe-eval").await;
    browser.close().await;
}

/// Elements of the widget and the computed properties that host CSS must not change.
const LAYOUT_PROBE: &str = r#"(() => {
    const root = ROOT_EXPR;
    const selectors = ['.jiedu', '.head .title', '.facts', '.toolbar', '.layouts button.inline', '#jiedu-q',
        '.toc', '.side-by-side .row', '#jiedu-s1-1', '#jiedu-s1-1 p', '#jiedu-i-jd-considerations', '.faq .question button',
        '.faq .answer', '.copy'];
    const properties = ['display', 'visibility', 'position', 'float', 'color', 'background-color', 'font-size',
        'font-family', 'font-weight', 'line-height', 'letter-spacing', 'word-spacing', 'text-align', 'text-indent',
        'text-transform', 'white-space', 'writing-mode', 'direction', 'margin-top', 'padding-left', 'border-top-width',
        'box-sizing', 'top', 'cursor', 'opacity'];
    const out = {};
    for (const selector of selectors) {
        const el = root.querySelector(selector);
        if (!el) { out[selector] = null; continue; }
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        out[selector] = {
            style: Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
            width: Math.round(box.width), height: Math.round(box.height),
        };
    }
    const clauses = [...root.querySelectorAll('.clause')].map((c) => c.getBoundingClientRect());
    out.stacked = clauses.every((box, i) => i === 0 || box.top >= clauses[i - 1].bottom - 1);
    out.widgetWidth = Math.round(root.querySelector('.jiedu').getBoundingClientRect().width);
    return out;
})()"#;

async fn layout(browser: &Browser) -> Value {
    browser
        .js(&format!(
            "return {};",
            LAYOUT_PROBE.replace("ROOT_EXPR", ROOT)
        ))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_host_css_does_not_reach_the_widget() {
    ensure_widget();
    let server = Server::start("hostile-css", ServerConfig::default());
    let site = Site::start().await;
    let vars = [
        ("widget", format!("{}/dist", server.base())),
        ("src", format!("{}/documents/{DOC}.json", server.base())),
    ];
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    site.add("/plain.html", Page::html(template("plain.html", &vars)));
    site.add(
        "/hostile.html",
        Page::html(template("hostile-css.html", &vars)),
    );
    let browser = Browser::start("hostile-css").await;

    browser.goto(&format!("{}/plain.html", site.origin())).await;
    browser.wait_widget().await;
    let reference = layout(&browser).await;

    browser
        .goto(&format!("{}/hostile.html", site.origin()))
        .await;
    browser.wait_widget().await;
    browser.screenshot("5-hostile-css").await;
    let hostile = layout(&browser).await;
    for (selector, expected) in reference.as_object().unwrap() {
        if selector == "stacked" || selector == "widgetWidth" {
            continue;
        }
        let expected = expected
            .get("style")
            .unwrap_or_else(|| panic!("`{selector}` is in the plain page"));
        let actual = &hostile[selector]["style"];
        for (property, value) in expected.as_object().unwrap() {
            assert_eq!(
                &actual[property], value,
                "`{property}` of `{selector}` changed by the host page's CSS"
            );
        }
        // Sizes may differ a little (the reset removed the body's margin), but what has a size
        // in the plain page has one here.
        let (width, height) = (&hostile[selector]["width"], &hostile[selector]["height"]);
        if reference[selector]["height"] != 0 {
            assert!(
                width.as_f64().unwrap() >= 10.0 && height.as_f64().unwrap() >= 10.0,
                "`{selector}` is {width}×{height}"
            );
        }
    }
    assert_eq!(hostile["stacked"], true, "clauses stay stacked blocks");
    assert!(
        hostile["widgetWidth"].as_f64().unwrap() >= 1000.0,
        "{}",
        hostile["widgetWidth"]
    );

    // And it still works: a layout switch and a search with its highlight.
    browser.click_in_widget(".layouts button.key-points").await;
    browser
        .wait_js(
            "the key-points layout",
            &format!("{ROOT}.querySelector('div.key-points')"),
        )
        .await;
    browser
        .widget_element("#jiedu-q")
        .await
        .send_keys("公开")
        .await
        .unwrap();
    let mark = browser
        .wait_js("a highlighted match", &format!("{ROOT}.querySelector('.results mark') && getComputedStyle({ROOT}.querySelector('.results mark')).backgroundColor"))
        .await;
    assert_ne!(
        mark, "rgb(255, 0, 0)",
        "the host's `mark` style does not reach the widget"
    );
    browser.js("window.scrollTo(0, 0);").await;
    browser.screenshot("5-hostile-css-key-points-search").await;
    let probe = browser.probe().await;
    assert_eq!(probe["errors"], json!([]));
    browser.close().await;
}

/// The widget's code fails at run time (here it runs out of memory: an allocation as large as
/// wasm's whole address space, asked of the instance the widget runs on). The release build
/// aborts at once, with a wasm trap and no panic hook; the loader shows the reader what happened
/// instead of a dead box, and the host page gets `jiedu:error` with code `crash`.
#[tokio::test(flavor = "multi_thread")]
async fn a_widget_whose_code_fails_says_so_and_offers_a_reload() {
    ensure_widget();
    let server = Server::start("crash", ServerConfig::default());
    let site = Site::start().await;
    let url = site.add_plain(&server.base(), DOC);
    let browser = Browser::start("crash").await;
    browser.goto(&url).await;
    browser.wait_widget().await;
    // The glue hands out the running instance's exports; the failing call runs from a timer, as
    // an event handler would, so the trap is an uncaught error of the page.
    browser
        .js_async(
            "const glue = performance.getEntriesByType('resource')
                 .map((e) => e.name).find((n) => /jiedu_widget-[0-9a-f]+[.]js$/.test(n));
             const wasm = await (await import(glue)).default();
             setTimeout(() => wasm.__wbindgen_malloc(0xfffffff0, 8));
             return true;",
        )
        .await;
    let message = browser
        .wait_js(
            "the widget's crash message",
            &format!("{ROOT} && {ROOT}.querySelector('[role=alert]')?.textContent"),
        )
        .await;
    assert_eq!(message, "组件运行出错。重新加载页面");
    let probe = browser.probe().await;
    let crash = probe["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "jiedu:error")
        .unwrap_or_else(|| panic!("a jiedu:error event: {probe}"));
    assert_eq!(crash["detail"]["code"], "crash", "{probe}");
    assert!(
        crash["detail"]["message"]
            .as_str()
            .unwrap()
            .contains("RuntimeError"),
        "{probe}"
    );
    browser.screenshot("5-crashed").await;

    // The button reloads the page, and the widget works again.
    browser.click_in_widget("[role=alert] button").await;
    browser.wait_widget().await;
    assert_eq!(browser.probe().await["errors"], json!([]));
    browser.close().await;
}
