//! Scenario 1: a plain host page with nothing but the script tag shows the document with its
//! interpretations and FAQs; Chinese search highlights its matches; the three layouts switch;
//! deep links open and scroll to their clause, and Back and Forward follow them.

use serde_json::{Value, json};

use crate::harness::{Browser, ROOT, Server, ServerConfig, ensure_widget, http};
use crate::site::{Page, Site, template};

const DOC: &str = "yc-2021-openness";

fn provision_ids(list: &Value, out: &mut Vec<String>) {
    for p in list.as_array().into_iter().flatten() {
        out.push(p["id"].as_str().unwrap().to_owned());
        provision_ids(&p["children"], out);
    }
}

/// A JavaScript expression evaluated with `root` bound to the widget's shadow root, and
/// `scrolledTo(element)`: whether the page is scrolled so that the element is at the top of the
/// viewport (below the sticky toolbar), or as near as the page's end allows.
fn in_root(expression: &str) -> String {
    format!(
        "(() => {{
            const root = {ROOT};
            if (!root) return null;
            const scrolledTo = (el) => {{
                const top = el.getBoundingClientRect().top;
                const atEnd = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
                return top >= -1 && (top < 150 || (atEnd && top < innerHeight - 50));
            }};
            return ({expression});
        }})()"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plain_host_page_shows_the_document_and_search_layouts_and_deep_links_work() {
    ensure_widget();
    let server = Server::start("reading", ServerConfig::default());
    let site = Site::start().await;
    let page = template(
        "plain.html",
        &[
            ("widget", &format!("{}/dist", server.base())),
            ("src", &format!("{}/documents/{DOC}.json", server.base())),
        ],
    );
    site.add("/policy.html", Page::html(page));
    let (status, doc) = http(
        "GET",
        &format!("{}/api/v1/documents/{DOC}", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200);
    let mut provisions = Vec::new();
    provision_ids(&doc["provisions"], &mut provisions);

    let browser = Browser::start("reading").await;
    let url = format!("{}/policy.html", site.origin());
    browser.goto(&url).await;

    // The document: header, every clause, every interpretation, every FAQ, in the place of the
    // script tag, in the default side-by-side layout.
    assert_eq!(browser.wait_widget().await, doc["title"].as_str().unwrap());
    let shown = browser
        .js(&format!(
            "return {};",
            in_root(
                "({
                    placed: document.querySelector('main > script[data-src] + jiedu-widget') !== null,
                    clauses: [...root.querySelectorAll('.clause')].map((e) => e.id),
                    interpretations: [...root.querySelectorAll('[id^=\"jiedu-i-\"]')].map((e) => e.id),
                    faqs: [...root.querySelectorAll('.faq .question')].map((e) => e.textContent),
                    layout: root.querySelector('.layouts [aria-pressed=true]').className,
                    sideBySide: root.querySelectorAll('.side-by-side .row .original .clause').length,
                    facts: root.querySelector('.facts').textContent,
                })"
            )
        ))
        .await;
    assert_eq!(
        shown["placed"], true,
        "the widget stands where its script tag is"
    );
    let expected: Vec<String> = provisions.iter().map(|id| format!("jiedu-{id}")).collect();
    assert_eq!(shown["clauses"], json!(expected));
    let mut interpretations: Vec<String> = doc["interpretations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("jiedu-i-{}", i["id"].as_str().unwrap()))
        .collect();
    let mut shown_interpretations: Vec<String> =
        serde_json::from_value(shown["interpretations"].clone()).unwrap();
    interpretations.sort();
    shown_interpretations.sort();
    assert_eq!(
        shown_interpretations, interpretations,
        "every interpretation has its anchored card"
    );
    let questions: Vec<&str> = doc["faqs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["question"].as_str().unwrap())
        .collect();
    assert_eq!(shown["faqs"], json!(questions));
    assert_eq!(shown["layout"], "side-by-side");
    assert_eq!(shown["sideBySide"], json!(provisions.len()));
    assert!(
        shown["facts"]
            .as_str()
            .unwrap()
            .contains(doc["docNumber"].as_str().unwrap()),
        "{shown}"
    );
    let probe = browser.probe().await;
    assert_eq!(probe["events"][0]["type"], "jiedu:ready", "{probe}");
    assert_eq!(probe["events"][0]["detail"]["id"], DOC);
    assert_eq!(probe["errors"], json!([]), "no script errors");
    browser.screenshot("1-reading-side-by-side").await;

    // Search in Chinese: a term of one FAQ, highlighted with <mark> in the results.
    let input = browser.widget_element("#jiedu-q").await;
    input.send_keys("预算").await.unwrap();
    let results = browser
        .wait_js(
            "search results for 预算",
            &in_root(
                "root.querySelector('.results li') && {
                    count: root.querySelector('.results .count').textContent,
                    links: [...root.querySelectorAll('.results li a')].map((a) => a.getAttribute('href')),
                    marks: [...root.querySelectorAll('.results mark')].map((m) => m.textContent),
                }",
            ),
        )
        .await;
    let links: Vec<String> = serde_json::from_value(results["links"].clone()).unwrap();
    assert_eq!(
        links.first().map(String::as_str),
        Some("#jiedu-faq-faq-budget"),
        "FAQs come first: {results}"
    );
    assert!(
        links.contains(&"#jiedu-s3-1".to_owned()),
        "the clause on budgets is found too: {results}"
    );
    let marks: Vec<String> = serde_json::from_value(results["marks"].clone()).unwrap();
    assert!(
        !marks.is_empty() && marks.iter().all(|m| m == "预算"),
        "{results}"
    );
    browser.screenshot("1-reading-search").await;

    // A result opens its FAQ, scrolled into view, and puts its anchor in the address bar.
    let before = browser
        .js(&format!(
            "return {};",
            in_root("scrolledTo(root.getElementById('jiedu-faq-faq-budget'))")
        ))
        .await;
    assert_eq!(before, false, "the FAQ starts out of view");
    browser
        .click_in_widget(".results a[href='#jiedu-faq-faq-budget']")
        .await;
    let faq = browser
        .wait_for(
            "the FAQ to open in view",
            &in_root(
                "(() => {
                    const faq = root.getElementById('jiedu-faq-faq-budget');
                    return {
                        open: faq.querySelector('.question button').getAttribute('aria-expanded') === 'true'
                            && !faq.querySelector('.answer').classList.contains('closed'),
                        inView: scrolledTo(faq),
                        top: faq.getBoundingClientRect().top,
                        hash: location.hash,
                        focused: root.activeElement && root.activeElement.id,
                        answer: faq.querySelector('.answer').textContent,
                    };
                })()",
            ),
            |v| v["open"] == true && v["inView"] == true && v["hash"] == "#jiedu-faq-faq-budget" && v["focused"] == "jiedu-faq-faq-budget",
        )
        .await;
    let faq = faq["answer"].clone();
    assert!(faq.as_str().unwrap().contains("预决算公开"), "{faq}");
    browser.screenshot("1-reading-search-result-opened").await;

    // Layouts: inline (interpretations folded under their clause), then key points (cards by
    // kind), then back to side by side.
    browser.click_in_widget(".layouts button.inline").await;
    browser
        .wait_js(
            "the inline layout",
            &in_root(
                "root.querySelector('div.inline') && !root.querySelector('div.side-by-side')
                 && root.querySelector('.layouts button.inline').getAttribute('aria-pressed') === 'true'",
            ),
        )
        .await;
    let fold = browser.widget_element("#jiedu-s1-1 ~ button.fold").await;
    assert_eq!(
        fold.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    browser.click_in_widget("#jiedu-s1-1 ~ button.fold").await;
    let panel = browser
        .wait_js(
            "the fold under （一） to open",
            &in_root(
                "root.querySelector('#jiedu-s1-1 ~ button.fold').getAttribute('aria-expanded') === 'true'
                 && root.querySelector('#jiedu-s1-1-panel:not(.closed) .card') && root.querySelector('#jiedu-s1-1-panel').textContent",
            ),
        )
        .await;
    assert!(panel.as_str().unwrap().contains("主要考虑"), "{panel}");
    browser.screenshot("1-reading-inline").await;

    browser.click_in_widget(".layouts button.key-points").await;
    let groups = browser
        .wait_js(
            "the key-points layout",
            &in_root(
                "root.querySelector('div.key-points') && !root.querySelector('div.inline')
                 && [...root.querySelectorAll('.key-points .group')].map((g) => [...g.classList].join(' '))",
            ),
        )
        .await;
    let mut kinds: Vec<String> = doc["interpretations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .filter(|k| k != "follow-up")
        .collect();
    kinds.sort();
    kinds.dedup();
    let groups: Vec<String> = serde_json::from_value(groups).unwrap();
    assert_eq!(groups.len(), kinds.len(), "one group per kind: {groups:?}");
    for kind in &kinds {
        assert!(
            groups.iter().any(|g| g.split(' ').any(|c| c == kind)),
            "{kind} in {groups:?}"
        );
    }
    browser.screenshot("1-reading-key-points").await;
    browser
        .click_in_widget(".layouts button.side-by-side")
        .await;
    browser
        .wait_js(
            "side by side again",
            &in_root(
                "root.querySelector('div.side-by-side') && !root.querySelector('div.key-points')",
            ),
        )
        .await;

    // A deep link opens the page at its clause.
    browser.goto(&format!("{url}?fresh#jiedu-s3-1")).await;
    browser.wait_widget().await;
    let in_view = |id: &str| {
        in_root(&format!(
            "(() => {{
                const el = root.getElementById('jiedu-{id}');
                return el && el.classList.contains('target') && scrolledTo(el)
                    && location.hash === '#jiedu-{id}';
            }})()"
        ))
    };
    browser
        .wait_js(
            "the deep link to open （一）财政预决算公开",
            &in_view("s3-1"),
        )
        .await;
    let probe = browser.probe().await;
    let navigate = probe["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "jiedu:navigate");
    assert_eq!(
        navigate.map(|e| e["detail"]["target"].clone()),
        Some(json!("s3-1")),
        "{probe}"
    );
    browser.screenshot("1-reading-deep-link").await;

    // A link inside the widget adds a history entry; Back and Forward follow it. The link is
    // clicked where it is, without scrolling the page first: the browser restores an entry's
    // scroll position on Back, and here that position is the clause's, as the widget's own
    // scrolling has it. (Had the reader scrolled away before clicking, the two would race; see
    // the report of this test crate.)
    browser
        .js(&format!(
            "{ROOT}.querySelector(\".toc a[href='#jiedu-s2-1']\").click();"
        ))
        .await;
    browser
        .wait_js("the table of contents to lead to s2-1", &in_view("s2-1"))
        .await;
    browser.client.back().await.unwrap();
    browser
        .wait_js("Back to return to s3-1", &in_view("s3-1"))
        .await;
    browser.client.forward().await.unwrap();
    browser
        .wait_js("Forward to go to s2-1 again", &in_view("s2-1"))
        .await;

    // A deep link to a FAQ opens its answer.
    browser
        .goto(&format!("{url}?again#jiedu-faq-faq-ask"))
        .await;
    browser.wait_widget().await;
    browser
        .wait_js(
            "the deep link to open the FAQ",
            &in_root(
                "root.querySelector('#jiedu-faq-faq-ask .question button').getAttribute('aria-expanded') === 'true'
                 && scrolledTo(root.getElementById('jiedu-faq-faq-ask'))",
            ),
        )
        .await;
    browser.screenshot("1-reading-faq-deep-link").await;
    assert_eq!(
        browser.probe().await["errors"],
        json!([]),
        "no script errors"
    );
    browser.close().await;
}

/// The document's images and videos, which it names relatively (`media/…`), load whether the
/// widget gets the document as a file (`data-src`) or from the API (`data-document` +
/// `data-api`).
#[tokio::test(flavor = "multi_thread")]
async fn the_documents_media_load_from_a_file_and_from_the_api() {
    ensure_widget();
    let server = Server::start("media", ServerConfig::default());
    let site = Site::start().await;
    let jiedu = server.base();
    let file = template(
        "plain.html",
        &[
            ("widget", &format!("{jiedu}/dist")),
            ("src", &format!("{jiedu}/documents/{DOC}.json")),
        ],
    );
    let api = file.replace(
        &format!("data-src=\"{jiedu}/documents/{DOC}.json\""),
        &format!("data-document=\"{DOC}\" data-api=\"{jiedu}\""),
    );
    assert!(api.contains("data-api"));
    site.add("/file.html", Page::html(file));
    site.add("/api.html", Page::html(api));
    let browser = Browser::start("media").await;
    let mut failures = Vec::new();
    for page in ["file", "api"] {
        browser
            .goto(&format!("{}/{page}.html", site.origin()))
            .await;
        browser.wait_widget().await;
        browser.click_in_widget(".layouts button.key-points").await;
        // Images are lazy: bring each into view, then wait until each has loaded or failed (not
        // the enlarged copies in the closed zoom dialogs: they load when opened).
        browser
            .js(&format!(
                "{ROOT}.querySelectorAll('img:not(dialog img)').forEach((i) => i.scrollIntoView());"
            ))
            .await;
        browser
            .wait_js(
                "the images to load or fail",
                &format!(
                    "[...{ROOT}.querySelectorAll('img:not(dialog img)')].every((i) => i.complete)"
                ),
            )
            .await;
        let media = browser
            .js_async(&format!(
                "const root = {ROOT};
                 const images = [...root.querySelectorAll('img:not(dialog img)')].map((i) => ({{ src: i.src, ok: i.naturalWidth > 0 }}));
                 const videos = await Promise.all([...root.querySelectorAll('video')].map(async (v) =>
                     ({{ src: v.src, ok: (await fetch(v.src, {{ method: 'HEAD' }})).ok }})));
                 return [...images, ...videos];"
            ))
            .await;
        browser.screenshot(&format!("1-reading-media-{page}")).await;
        let media = media.as_array().unwrap();
        assert_eq!(
            media.len(),
            2,
            "{page}: the graphic and the video: {media:?}"
        );
        failures.extend(
            media
                .iter()
                .filter(|m| m["ok"] != true)
                .map(|m| format!("{page}: {} does not load", m["src"])),
        );
    }
    browser.close().await;
    assert!(failures.is_empty(), "{failures:#?}");
}
