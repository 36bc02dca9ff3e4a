//! The editor page (`/editor`).
//!
//! Its plain-text import (issue 12): an editor pastes an official document, and the page shows
//! the import's summary (provisions per level, metadata found and missing, attachments kept)
//! above its notes, in Chinese, the same as `jiedu import` prints, and loads the Markdown into the
//! editor. Everything is text: what the pasted document says never reaches the page as HTML.
//!
//! Documents living in the server (issue 8): an editor signs in, opens the in-force demo document,
//! adds a follow-up interpretation, saves and submits; an approver approves on the same page and
//! the public API and the demo host page's widget show it without a restart. A save over a
//! colleague's newer revision is refused (412) and the page offers to compare and load theirs;
//! the revision history compares two revisions with `<ins>`/`<del>`; a local draft newer than the
//! server's is offered back on reopening; self-approval is refused with the server's message.

use std::sync::OnceLock;
use std::time::SystemTime;

use fantoccini::Locator;
use serde_json::json;

use crate::harness::{
    Browser, ROOT, Server, ServerConfig, cargo, ensure_widget, http, newest_under, root,
};

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

const DEMO: &str = "yc-2021-openness";

async fn click(browser: &Browser, css: &str) {
    browser
        .wait_js(
            &format!("`{css}` to be there and enabled"),
            &format!("(() => {{ const b = document.querySelector(\"{css}\"); return b && !b.disabled && b.offsetParent !== null; }})()"),
        )
        .await;
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
}

/// Waits until the element `css` says `expected`; returns its text and whether it is announced
/// (inside an `aria-live` region) and shown as an error.
async fn says(browser: &Browser, css: &str, expected: &str) -> serde_json::Value {
    browser
        .wait_js(
            &format!("`{css}` to say {expected}"),
            &format!(
                "document.querySelector(\"{css}\")?.textContent.includes({})",
                json!(expected)
            ),
        )
        .await;
    browser
        .js(&format!(
            "const m = document.querySelector(\"{css}\");
             return {{ text: m.textContent, live: m.closest('[aria-live]')?.getAttribute('aria-live') ?? null,
                       error: m.classList.contains('error') }};"
        ))
        .await
}

/// Opens `/editor` (once the bundle has loaded) and signs in with `token`.
async fn sign_in(browser: &Browser, server: &Server, token: &str) {
    if !browser
        .js("return location.pathname === '/editor';")
        .await
        .as_bool()
        .unwrap_or(false)
    {
        browser.goto(&format!("{}/editor", server.base())).await;
    }
    browser
        .wait_js(
            "the editor bundle to load (its samples listed)",
            "document.getElementById('sample').options.length",
        )
        .await;
    let field = browser.client.find(Locator::Id("token")).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(token).await.unwrap();
    click(browser, "#sign-in-form button[type=submit]").await;
    browser
        .wait_js(
            "the signed-in bar",
            "!document.getElementById('signed-in').hidden",
        )
        .await;
}

/// Opens the document `id` from the list of documents on the server.
async fn open_from_list(browser: &Browser, id: &str) {
    click(browser, "#show-documents").await;
    click(
        browser,
        &format!("#documents-rows tr[data-id='{id}'] button.open"),
    )
    .await;
    says(browser, "#server-status", "已打开").await;
}

/// Types `text` into the source at the start of the line that begins with `before`.
async fn type_before(browser: &Browser, before: &str, text: &str) {
    browser
        .client
        .execute(
            "const s = document.getElementById('source');
             const at = s.value.indexOf(arguments[0]);
             if (at < 0) throw new Error('not in the source: ' + arguments[0]);
             s.focus();
             s.setSelectionRange(at, at);",
            vec![json!(before)],
        )
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Id("source"))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// GET over plain HTTP/1.1: the status, the Content-Type and the length of the body.
async fn get_file(url: &str) -> (u16, String, usize) {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read as _, Write as _};
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
        let status = head[9..12].parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-type")
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default();
        (status, content_type, bytes.len() - end - 4)
    })
    .await
    .unwrap()
}

/// A real two-by-two PNG: what the server checks is the content, not the name.
const TWO_PIXEL_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 253, 212, 154, 115, 0, 0, 0, 15, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0, 68, 80,
    0, 0, 22, 247, 1, 255, 252, 187, 15, 55, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

const FOLLOW_UP: &str = "### 2026年执行情况 {#jd-follow-up-2026 .interpretation kind=follow-up for=s1-1 by=\"云川市人民政府办公室\" date=2026-11-30}\n\n截至2026年11月底，全市事项标准目录已按季度更新，共调整事项412项。\n\n";

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_adds_a_follow_up_and_an_approver_publishes_it_without_a_restart() {
    ensure_widget();
    ensure_editor();
    let server = Server::start(
        "editor-follow-up",
        ServerConfig {
            index: Some(root().join("index.html")),
            ..Default::default()
        },
    );
    let editor = server.token("zhang.san");
    let approver = server.token_with_role("li.si", "approver");
    let browser = Browser::start("editor-follow-up").await;

    // The editor signs in and sees the documents of the server, with their state.
    sign_in(&browser, &server, &editor).await;
    click(&browser, "#show-documents").await;
    let row = browser
        .wait_js(
            "the demo document in the list",
            &format!(
                "document.querySelector(\"#documents-rows tr[data-id='{DEMO}']\")?.textContent"
            ),
        )
        .await;
    let row = row.as_str().unwrap();
    assert!(
        row.contains("云川市2021年政务公开工作要点") && row.contains("已发布 #"),
        "{row}"
    );
    assert!(
        row.contains("content-dir"),
        "the author of the seeded revision: {row}"
    );
    browser.screenshot("8-editor-documents").await;
    click(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] button.open"),
    )
    .await;
    says(&browser, "#server-status", "已打开").await;

    // A follow-up interpretation after the first one, under clause s1-1.
    type_before(&browser, "## （二）健全政务公开平台 {#s1-2}", FOLLOW_UP).await;
    browser
        .wait_js(
            "the preview to show the new follow-up",
            "(() => { const r = document.querySelector('#preview').shadowRoot;
                      return r && r.textContent.includes('2026年执行情况'); })()",
        )
        .await;
    // With an image, uploaded through the file picker: the page inserts `![描述](media/…)` at
    // the cursor (the end of the follow-up) and the editor writes its description over 描述.
    let chart = std::env::temp_dir().join(format!("jiedu-e2e-chart-{}.png", std::process::id()));
    std::fs::write(&chart, TWO_PIXEL_PNG).unwrap();
    browser
        .js("document.getElementById('media-file').hidden = false;")
        .await;
    browser
        .client
        .find(Locator::Id("media-file"))
        .await
        .unwrap()
        .send_keys(chart.to_str().unwrap())
        .await
        .unwrap();
    let uploaded = says(&browser, "#server-status", "已上传").await;
    assert_eq!(uploaded["error"], json!(false), "{uploaded}");
    let image = browser
        .wait_js(
            "the image's Markdown at the cursor",
            "(document.getElementById('source').value.match(/!\\[描述\\]\\((media\\/[0-9a-f]{64}\\.png)\\)/) || [])[1]",
        )
        .await;
    let image = image.as_str().unwrap().to_owned();
    browser
        .client
        .execute(
            "const s = document.getElementById('source');
             s.value = s.value.replace('![描述](' + arguments[0], '![2026年调整事项统计图](' + arguments[0]);
             s.dispatchEvent(new Event('input'));",
            vec![json!(image)],
        )
        .await
        .unwrap();
    let errors = browser
        .js("return document.querySelectorAll('#diagnostics li.error').length;")
        .await;
    assert_eq!(errors, json!(0));
    click(&browser, "#save-server").await;
    let saved = says(&browser, "#server-status", "已保存为修订").await;
    assert_eq!(
        (&saved["live"], &saved["error"]),
        (&json!("polite"), &json!(false)),
        "{saved}"
    );
    click(&browser, "#submit-revision").await;
    let submitted = says(&browser, "#server-status", "已提交审签").await;
    assert!(
        submitted["text"].as_str().unwrap().contains("待审签"),
        "{submitted}"
    );
    browser.screenshot("8-editor-submitted").await;
    // Not yet public.
    let (_, public) = http(
        "GET",
        &format!("{}/api/v1/documents/{DEMO}", server.base()),
        &[],
        None,
    )
    .await;
    assert!(!public.to_string().contains("jd-follow-up-2026"));

    // The approver signs in on the same page and approves it from the list.
    click(&browser, "#sign-out").await;
    sign_in(&browser, &server, &approver).await;
    click(&browser, "#show-documents").await;
    let waiting = says(&browser, "#documents-summary", "待审签 1 件").await;
    assert!(
        waiting["text"].as_str().unwrap().contains("审签人"),
        "{waiting}"
    );
    let state = browser
        .wait_js(
            "the submitted revision in the list",
            &format!(
                "document.querySelector(\"#documents-rows tr[data-id='{DEMO}']\")?.dataset.state"
            ),
        )
        .await;
    assert_eq!(state, "submitted");
    browser.screenshot("8-approver-documents").await;
    click(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] button.approve"),
    )
    .await;
    let approved = says(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] .msg"),
        "已批准",
    )
    .await;
    assert_eq!(approved["live"], "polite", "{approved}");
    browser.screenshot("8-approver-approved").await;

    // Published: the public API and the demo host page's widget have it, no restart.
    let (status, public) = http(
        "GET",
        &format!("{}/api/v1/documents/{DEMO}", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 200);
    let follow_up = public["interpretations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "jd-follow-up-2026")
        .unwrap_or_else(|| panic!("the follow-up is public: {public}"));
    assert_eq!(
        (&follow_up["kind"], &follow_up["date"]),
        (&json!("follow-up"), &json!("2026-11-30"))
    );
    assert!(
        follow_up.to_string().contains(&image),
        "the uploaded image is in the follow-up: {follow_up}"
    );
    let served = get_file(&format!("{}/{image}", server.base())).await;
    assert_eq!(served, (200, "image/png".to_owned(), TWO_PIXEL_PNG.len()));
    browser.goto(&format!("{}/", server.base())).await;
    browser.wait_widget().await;
    let timeline = browser
        .wait_js(
            "the follow-up on the widget's timeline",
            &format!(
                "[...({ROOT}?.querySelectorAll('.timeline li') ?? [])].map((li) => li.textContent).join('|').includes('2026年执行情况')
                 && [...{ROOT}.querySelectorAll('.timeline li')].map((li) => li.textContent.slice(0, 40))"
            ),
        )
        .await;
    assert_eq!(timeline.as_array().unwrap().len(), 2, "{timeline}");
    browser
        .js(&format!(
            "{ROOT}.querySelector('.timeline').scrollIntoView();"
        ))
        .await;
    browser.screenshot("8-widget-timeline-follow-up").await;

    // Later the approver marks it repealed, with a date: the public document says so.
    sign_in_again(&browser, &server).await;
    click(&browser, "#show-documents").await;
    click(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] button.lapse"),
    )
    .await;
    browser
        .js(&format!(
            "document.querySelector(\"#documents-rows tr[data-id='{DEMO}'] input[type=date]\").value = '2026-12-20';"
        ))
        .await;
    click(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] button.confirm-lapse"),
    )
    .await;
    says(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] .msg"),
        "已标记为已废止（2026-12-20）",
    )
    .await;
    let (_, public) = http(
        "GET",
        &format!("{}/api/v1/documents/{DEMO}", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(
        public["lapsed"],
        json!({ "kind": "repealed", "on": "2026-12-20" })
    );
    browser.screenshot("8-approver-repealed").await;
    browser.close().await;
}

/// Back at `/editor` in the same tab: the token of this tab signs in by itself.
async fn sign_in_again(browser: &Browser, server: &Server) {
    browser.goto(&format!("{}/editor", server.base())).await;
    browser
        .wait_js(
            "the signed-in bar",
            "!document.getElementById('signed-in').hidden",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_save_is_refused_and_offered_for_comparison_and_history_marks_changes() {
    ensure_widget();
    ensure_editor();
    let server = Server::start("editor-stale", ServerConfig::default());
    let editor = server.token("zhang.san");
    let approver = server.token_with_role("li.si", "approver");
    let browser = Browser::start("editor-stale").await;
    sign_in(&browser, &server, &editor).await;
    open_from_list(&browser, DEMO).await;
    let base = browser
        .js("return document.getElementById('open-doc').textContent;")
        .await;
    assert!(base.as_str().unwrap().contains("基于修订 #"), "{base}");

    // A source with an error is refused (422) and the server's findings are listed like the
    // local check's.
    const BROKEN: &str = "### 名词 {#jd-broken .interpretation kind=terms for=s99}\n\n正文。\n\n";
    type_before(&browser, "## （二）健全政务公开平台 {#s1-2}", BROKEN).await;
    click(&browser, "#save-server").await;
    let refused = says(&browser, "#server-status", "服务器拒绝保存的原因").await;
    assert_eq!(refused["error"], true, "{refused}");
    let listed = browser
        .wait_js(
            "the server's diagnostics",
            "!document.getElementById('server-diagnostics-box').hidden
                && [...document.querySelectorAll('#server-diagnostics li')].map((li) => li.textContent)",
        )
        .await;
    assert!(
        listed[0].as_str().unwrap().contains("J0008")
            && listed[0].as_str().unwrap().contains("s99"),
        "{listed}"
    );
    browser.screenshot("8-editor-refused-source").await;
    browser
        .client
        .execute(
            "const s = document.getElementById('source');
             s.value = s.value.replace(arguments[0], '');
             s.dispatchEvent(new Event('input'));",
            vec![json!(BROKEN)],
        )
        .await
        .unwrap();

    // Meanwhile a colleague saves a newer revision (through the API, as `jiedu publish` would).
    let auth = format!("Bearer {approver}");
    let (_, revisions) = http(
        "GET",
        &format!("{}/api/v1/documents/{DEMO}/revisions", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    let current = revisions[0]["id"].as_i64().unwrap();
    let (_, revision) = http(
        "GET",
        &format!("{}/api/v1/revisions/{current}", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    let theirs = revision["source"].as_str().unwrap().replace(
        "推进政府网站集约化建设",
        "推进政府网站集约化建设和适老化改造",
    );
    let if_match = format!("\"{current}\"");
    let (status, saved) = http(
        "PUT",
        &format!("{}/api/v1/documents/{DEMO}/source", server.base()),
        &[("authorization", &auth), ("if-match", &if_match)],
        Some(&json!({ "source": theirs }).to_string()),
    )
    .await;
    assert_eq!(status, 201, "{saved}");
    let newer = saved["id"].as_i64().unwrap();

    // The editor's own change, saved on the old base: refused, never overwritten.
    type_before(&browser, "及时公开稳就业", "【本地修改】").await;
    click(&browser, "#save-server").await;
    let refused = says(&browser, "#server-status", "未保存").await;
    assert_eq!(
        (&refused["live"], &refused["error"]),
        (&json!("polite"), &json!(true)),
        "{refused}"
    );
    let conflict = browser
        .wait_js(
            "the conflict notice",
            "!document.getElementById('conflict').hidden && document.getElementById('conflict-text').textContent",
        )
        .await;
    let conflict = conflict.as_str().unwrap();
    assert!(
        conflict.contains("li.si")
            && conflict.contains(&format!("#{newer}"))
            && conflict.contains("保存在本浏览器"),
        "{conflict}"
    );
    let kept = browser
        .js(&format!(
            "return localStorage.getItem('jiedu-editor:kept:{DEMO}');"
        ))
        .await;
    assert!(kept.as_str().unwrap().contains("【本地修改】"), "{kept}");
    let (_, public) = http(
        "GET",
        &format!("{}/api/v1/revisions/{newer}", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert!(!public["source"].as_str().unwrap().contains("【本地修改】"));
    browser.screenshot("8-editor-conflict").await;

    // Their revision against the editor's text: what theirs has that the text lacks is deleted,
    // the editor's words are added; each change says so in words, unchanged clauses are folded.
    click(&browser, "#conflict-view").await;
    let compare = browser
        .wait_js(
            "the comparison with their revision",
            "document.querySelector('#compare del') && document.querySelector('#compare ins') && {
                 del: [...document.querySelectorAll('#compare del')].map((d) => d.textContent),
                 ins: [...document.querySelectorAll('#compare ins')].map((d) => d.textContent),
                 folded: document.querySelectorAll('#compare tr.unchanged details:not([open])').length,
                 heads: [...document.querySelectorAll('#compare table:first-of-type thead th')].map((t) => t.textContent),
             }",
        )
        .await;
    assert_eq!(compare["del"], json!(["删除：和适老化改造"]), "{compare}");
    assert_eq!(compare["ins"], json!(["新增：【本地修改】"]), "{compare}");
    assert!(compare["folded"].as_u64().unwrap() > 5, "{compare}");
    let heads = compare["heads"].to_string();
    assert!(
        heads.contains("修改前") && heads.contains("修改后"),
        "{heads}"
    );
    browser.screenshot("8-editor-conflict-compare").await;
    click(&browser, "#history-close").await;

    // Loading theirs: the text becomes their revision, the editor's is kept.
    click(&browser, "#conflict-load").await;
    says(&browser, "#server-status", &format!("已载入修订 #{newer}")).await;
    let text = browser
        .js("return document.getElementById('source').value;")
        .await;
    assert!(
        text.as_str().unwrap().contains("和适老化改造")
            && !text.as_str().unwrap().contains("【本地修改】")
    );

    // The history lists both revisions; comparing the published one with theirs marks the words.
    click(&browser, "#show-history").await;
    let history = browser
        .wait_js(
            "the history's comparison",
            "document.querySelectorAll('#history-rows tr').length >= 2 && document.querySelector('#compare ins') && {
                 rows: [...document.querySelectorAll('#history-rows tr')].map((r) => r.textContent),
                 ins: [...document.querySelectorAll('#compare ins')].map((d) => d.textContent),
                 del: document.querySelectorAll('#compare del').length,
             }",
        )
        .await;
    assert_eq!(history["ins"], json!(["新增：和适老化改造"]), "{history}");
    assert_eq!(history["del"], json!(0), "{history}");
    let rows = history["rows"].to_string();
    assert!(
        rows.contains("li.si") && rows.contains("草稿") && rows.contains("已发布"),
        "{rows}"
    );
    browser.screenshot("8-editor-history-compare").await;
    click(&browser, "#history-close").await;

    // A local draft survives a reload and is offered back, newer than the server's revision.
    type_before(&browser, "及时公开稳就业", "【断网时写的】").await;
    browser
        .wait_js(
            "the local draft of the document",
            &format!(
                "(localStorage.getItem('jiedu-editor:doc:{DEMO}') || '').includes('断网时写的')"
            ),
        )
        .await;
    browser.goto(&format!("{}/editor", server.base())).await;
    let offer = browser
        .wait_js(
            "the offer to restore the local draft",
            "!document.getElementById('restore').hidden && document.getElementById('restore-text').textContent",
        )
        .await;
    assert!(offer.as_str().unwrap().contains("本地草稿"), "{offer}");
    click(&browser, "#restore-local").await;
    let text = browser
        .js("return document.getElementById('source').value;")
        .await;
    assert!(text.as_str().unwrap().contains("【断网时写的】"));

    // The colleague's revision, submitted, cannot be approved by its own author.
    let (status, _) = http(
        "POST",
        &format!("{}/api/v1/revisions/{newer}/submit", server.base()),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, 200);
    click(&browser, "#sign-out").await;
    sign_in(&browser, &server, &approver).await;
    click(&browser, "#show-documents").await;
    click(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] button.approve"),
    )
    .await;
    let refused = says(
        &browser,
        &format!("#documents-rows tr[data-id='{DEMO}'] .msg"),
        "未能批准",
    )
    .await;
    assert!(
        refused["text"]
            .as_str()
            .unwrap()
            .contains("不能批准自己起草的修订版本")
            && refused["error"] == json!(true),
        "{refused}"
    );
    browser.screenshot("8-approver-self-approval-refused").await;

    // Sending back needs a reason, said next to the button; with one it is sent back.
    let row = format!("#documents-rows tr[data-id='{DEMO}']");
    click(&browser, &format!("{row} button.send-back")).await;
    click(&browser, &format!("{row} button.confirm-send-back")).await;
    let refused = says(&browser, &format!("{row} .msg"), "未能退回").await;
    assert!(
        refused["text"].as_str().unwrap().contains("理由"),
        "{refused}"
    );
    click(&browser, &format!("{row} button.send-back")).await;
    browser
        .client
        .find(Locator::Css(&format!("{row} textarea")))
        .await
        .unwrap()
        .send_keys("第三条的表述请与上位法一致。")
        .await
        .unwrap();
    click(&browser, &format!("{row} button.confirm-send-back")).await;
    says(&browser, &format!("{row} .msg"), "已退回修订").await;
    let reason = says(
        &browser,
        &format!("{row} .reason"),
        "第三条的表述请与上位法一致",
    )
    .await;
    assert_eq!(reason["text"], "退回理由：第三条的表述请与上位法一致。");

    // Withdrawing asks first; then the public API answers 410.
    click(&browser, &format!("{row} button.withdraw")).await;
    click(&browser, &format!("{row} button.confirm-withdraw")).await;
    says(&browser, &format!("{row} .msg"), "已撤回").await;
    let (status, _) = http(
        "GET",
        &format!("{}/api/v1/documents/{DEMO}", server.base()),
        &[],
        None,
    )
    .await;
    assert_eq!(status, 410);
    browser.screenshot("8-approver-withdrawn").await;
    browser.close().await;
}
