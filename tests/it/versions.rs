//! Versions for readers (issue 8): the final version of the demo's consultation draft links to
//! the server's 修订对照 page and that page compares it with the draft; a repealed document says
//! so with its date; a withdrawn one shows a notice with the server's message, not an error with
//! a retry button. The real server with the repository's `content/`, a host page on another
//! origin.

use serde_json::json;

use crate::harness::{Browser, ROOT, Server, ServerConfig, ensure_widget, http};
use crate::site::{Page, Site, template};

const FINAL: &str = "yc-proactive-disclosure";
const IN_FORCE: &str = "yc-2021-openness";

#[tokio::test(flavor = "multi_thread")]
async fn a_final_version_links_to_its_comparison_and_lapsed_and_withdrawn_documents_say_so() {
    ensure_widget();
    let server = Server::start("versions", ServerConfig::default());
    let approver = server.token_with_role("approver", "approver");
    let auth = format!("Bearer {approver}");
    let site = Site::start().await;
    for id in [FINAL, IN_FORCE] {
        let page = template(
            "plain.html",
            &[
                ("widget", &format!("{}/dist", server.base())),
                ("src", &format!("{}/documents/{id}.json", server.base())),
            ],
        );
        site.add(&format!("/{id}.html"), Page::html(page));
    }
    let (status, _) = http(
        "PUT",
        &format!("{}/api/v1/documents/{FINAL}/lapse", server.base()),
        &[("authorization", &auth)],
        Some(r#"{"kind": "expired", "on": "2031-03-01"}"#),
    )
    .await;
    assert_eq!(status, 200);

    let browser = Browser::start("versions").await;
    browser
        .goto(&format!("{}/{FINAL}.html", site.origin()))
        .await;
    assert_eq!(browser.wait_widget().await, "云川市政府信息主动公开办法");
    let head = browser
        .js(&format!(
            "const root = {ROOT};
             return {{
                 first: root.querySelector('.head > :first-child').className,
                 lapsed: root.querySelector('.lapsed').textContent,
                 link: root.querySelector('.head a.compare')?.href,
             }};"
        ))
        .await;
    assert_eq!(
        head,
        json!({
            "first": "summary lapsed",
            "lapsed": "已失效（自2031-03-01起）",
            "link": format!("{}/documents/{FINAL}/compare", server.base()),
        })
    );
    browser.screenshot("versions-final").await;

    // The link opens the comparison with the consultation draft: a page without script.
    browser.click_in_widget(".head a.compare").await;
    let page = browser
        .wait_js(
            "the compare page",
            "document.querySelector('table.compare') && {
                title: document.title,
                heads: [...document.querySelectorAll('th')].map((th) => th.textContent),
                ins: document.querySelectorAll('ins').length,
                del: document.querySelectorAll('del').length,
                folded: document.querySelectorAll('tr.unchanged details').length,
                added: document.querySelectorAll('tr.added').length,
                scripts: document.scripts.length,
             }",
        )
        .await;
    assert_eq!(
        page["title"],
        "《云川市政府信息主动公开办法》修改前后对照表"
    );
    assert_eq!(page["heads"], json!(["修改前", "修改后"]));
    assert_eq!(page["scripts"], 0);
    for key in ["ins", "del", "folded", "added"] {
        assert!(page[key].as_u64().unwrap() > 0, "{key}: {page}");
    }
    browser.screenshot("versions-compare").await;

    // An ordinary document has no link; once withdrawn, the notice replaces it.
    browser
        .goto(&format!("{}/{IN_FORCE}.html", site.origin()))
        .await;
    browser.wait_widget().await;
    let link = browser
        .js(&format!("return {ROOT}.querySelector('a.compare');"))
        .await;
    assert_eq!(link, json!(null));
    let (status, _) = http(
        "POST",
        &format!("{}/api/v1/documents/{IN_FORCE}/withdraw", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, 204);
    browser
        .goto(&format!("{}/{IN_FORCE}.html?withdrawn", site.origin()))
        .await;
    let notice = browser
        .wait_js(
            "the withdrawn notice",
            &format!(
                "{ROOT} && {ROOT}.querySelector('.error[data-error=withdrawn]') && {{
                    text: {ROOT}.querySelector('.error').textContent,
                    retry: {ROOT}.querySelector('.error .retry') !== null,
                }}"
            ),
        )
        .await;
    let text = notice["text"].as_str().unwrap();
    assert!(text.starts_with("该文件已撤回"), "{text}");
    assert!(text.contains(IN_FORCE), "the server's message: {text}");
    assert_eq!(notice["retry"], false);
    browser.screenshot("versions-withdrawn").await;
    browser.close().await;
}
