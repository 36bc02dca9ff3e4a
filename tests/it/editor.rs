//! The editor page's plain-text import (issue 12): an editor pastes an official document into
//! `/editor`, and the page shows the import's summary (provisions per level, metadata found and
//! missing, attachments kept) above its notes, in Chinese, the same as `jiedu import` prints, and
//! loads the Markdown into the editor. Everything is text: what the pasted document says never
//! reaches the page as HTML.

use std::sync::OnceLock;
use std::time::SystemTime;

use fantoccini::Locator;
use serde_json::json;

use crate::harness::{Browser, Server, ServerConfig, cargo, ensure_widget, newest_under, root};

/// Makes sure `dist/editor/` holds a bundle built from the current sources (of the editor, the
/// widget it renders the preview with, and jiedu-core): runs `cargo xtask editor` once per test
/// run when it is missing or older.
fn ensure_editor() {
    static BUILT: OnceLock<bool> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let bundle = || {
            std::fs::metadata(root().join("dist/editor/jiedu_editor_bg.wasm"))
                .and_then(|m| m.modified())
                .ok()
        };
        let sources = ["editor/src", "widget/src", "core/src"]
            .iter()
            .map(|p| newest_under(&root().join(p)))
            .max()
            .unwrap_or(SystemTime::UNIX_EPOCH);
        if bundle().is_some_and(|b| b >= sources) {
            return true;
        }
        let status = cargo()
            .args(["xtask", "editor"])
            .current_dir(root())
            .status()
            .expect("cargo runs");
        status.success() && bundle().is_some()
    });
    assert!(
        built,
        "`cargo xtask editor` did not build dist/editor/ (its output is above)"
    );
}

/// A notice of two issuers whose rules follow the date, a form attached after them whose title
/// is markup: the summary must count 3 articles, find the metadata, keep the form, and show the
/// title as text.
const PASTED: &str = "云溪市粮食局 云溪市财政局
关于印发《云溪市举报奖励实施细则》的通知
云粮发〔2023〕15号
各区县粮食部门：
现将《云溪市举报奖励实施细则》印发给你们，请认真贯彻执行。
云溪市粮食局　　　　云溪市财政局
2023年5月10日
云溪市举报奖励实施细则
第一条　为鼓励举报，制定本细则。
第二条　举报奖励由粮食部门实施。
第三条　本细则自公布之日起施行。
附件1
<b>举报奖励审批表</b>
举报人\t举报事项
张某\t违规收购
";

#[tokio::test(flavor = "multi_thread")]
async fn pasting_a_document_shows_the_import_summary_and_notes() {
    ensure_widget();
    ensure_editor();
    let server = Server::start("editor-import", ServerConfig::default());
    let browser = Browser::start("editor-import").await;
    browser.goto(&format!("{}/editor", server.base())).await;
    browser
        .wait_js(
            "the editor bundle to load (its samples listed)",
            "document.getElementById('sample').options.length",
        )
        .await;

    browser
        .client
        .find(Locator::Id("open-import"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // A paste puts the whole text into the field at once.
    browser
        .client
        .execute(
            "document.getElementById('import-text').value = arguments[0];",
            vec![json!(PASTED)],
        )
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("import-run"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let summary = browser
        .wait_js(
            "the import summary",
            "!document.getElementById('import-notes-box').hidden \
             && document.getElementById('import-summary').textContent",
        )
        .await;
    assert_eq!(
        summary,
        json!(
            "导入摘要：\n  条款：第X条 3\n  已识别：标题、文号、发文机关、成文日期、施行日期\n  \
             未找到：公开属性\n  结尾：无\n  附件：保留 1 件（附件1 <b>举报奖励审批表</b>）\n  备注：5 条\n"
        )
    );
    let page = browser
        .js(
            "return {
                notes: [...document.querySelectorAll('#import-notes li')].map((li) => li.textContent),
                markup: document.querySelectorAll('#import-notes-box b').length,
                source: document.getElementById('source').value,
            };",
        )
        .await;
    let notes: Vec<&str> = page["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 5, "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("I019") && n.contains("作为单独一节保留在文件末尾")),
        "{notes:?}"
    );
    assert_eq!(
        page["markup"],
        json!(0),
        "pasted markup reached the page as HTML"
    );
    let source = page["source"].as_str().unwrap();
    assert!(
        source.starts_with("+++\nid = \"doc-2023-15\"\n"),
        "{source}"
    );
    assert!(
        source.contains("\n# 附件1 \\<b\\>举报奖励审批表\\</b\\> {#att1}\n"),
        "{source}"
    );
    browser.screenshot("editor-import").await;
    browser.close().await;
}
