//! Commenting on a draft in the browser: the consultation banner for each state, the comment form
//! and its messages at the fields, the outbox that keeps a comment the server did not get, "my
//! comments", and the published feedback (chart and table).
//!
//! The test runner serves only its own files, so there is no comment server here: the API is an
//! address that refuses connections (`127.0.0.1:9`), which is exactly the "server down" case. The
//! flows against the real server are the end-to-end tests' (`tests/`, jiedu-e2e); what an answer
//! does to the stored comments is unit-tested natively (`commenting::records::tests`).

use std::rc::Rc;

use jiedu_widget::commenting::outbox;
use jiedu_widget::commenting::records::{OUTBOX_KEY, Pending, SENT_KEY, Sent};
use jiedu_widget::commenting::state::CommentingAction;
use jiedu_widget::commenting::views::{FeedbackProps, feedback};
use jiedu_widget::components::Env;
use jiedu_widget::i18n::UiLang;
use jiedu_widget::state::{DocRef, Loaded};
use jiedu_widget::{Options, host};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::support::{Mounted, attr, mount_doc, new_host, reset_page, tick, until};

/// Where the widget sends comments in these tests: nothing listens there.
const DOWN: &str = "http://127.0.0.1:9";

fn clear_storage() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(OUTBOX_KEY).unwrap();
    storage.remove_item(SENT_KEY).unwrap();
}

/// The draft (open 2026-12-01 to 2026-12-31, Beijing time) with "now" at `now`.
fn mount_draft(now: &str) -> Mounted {
    let options = Options::from_lookup(|key| match key {
        "api" => Some(DOWN.into()),
        "now" => Some(now.into()),
        _ => None,
    });
    mount_doc(jiedu_widget::sample::draft(), options)
}

const OPEN: &str = "2026-12-15T10:00:00+08:00";

/// Sets a field's value the way typing does: the value, then an `input` event; then lets the
/// widget render, as a reader's next keystroke or click comes in a later task.
async fn type_into(w: &Mounted, selector: &str, text: &str) {
    let field = w.find(selector).unwrap_or_else(|| panic!("no {selector}"));
    js_sys::Reflect::set(&field, &"value".into(), &JsValue::from_str(text)).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    field.dispatch_event(&event).unwrap();
    tick().await;
}

async fn click(w: &Mounted, selector: &str) {
    w.find(selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
    tick().await;
}

/// The id of the element that has the keyboard focus inside the widget.
fn focused(w: &Mounted) -> String {
    w.root()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

fn stored(key: &str) -> String {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_banner_follows_the_period() {
    reset_page();
    clear_storage();
    let cases = [
        (
            "2026-11-30T23:59:59+08:00",
            "upcoming",
            "征求意见将于 2026-12-01 开始。",
        ),
        (OPEN, "open", "正在征求意见，还有 17 天截止。"),
        (
            "2026-12-31T10:00:00+08:00",
            "open",
            "正在征求意见，还有 1 天截止。",
        ),
        (
            "2027-01-01T00:00:00+08:00",
            "closed",
            "征求意见已于 2026-12-31 结束。",
        ),
    ];
    for (now, state, message) in cases {
        let w = mount_draft(now);
        let banner = w.wait_for(".jiedu-banner").await;
        assert_eq!(attr(&banner, "data-state"), state, "{now}");
        assert_eq!(w.text(".banner-state"), message, "{now}");
        assert!(
            w.text(".jiedu-banner")
                .contains("征求意见时间：2026-12-01 至 2026-12-31"),
            "{now}"
        );
        // Comments are taken only while open: a button at every clause, and the form.
        let open = state == "open";
        assert_eq!(
            w.all(".jiedu-comment-btn").len(),
            if open { 4 } else { 0 },
            "{now}"
        );
        assert_eq!(w.find("form.jiedu-comment-form").is_some(), open, "{now}");
        // "My comments" and the receipt check stay, before and after.
        assert!(w.find(".jiedu-my-comments").is_some(), "{now}");
        if state == "closed" {
            assert!(
                w.text(".jiedu-banner")
                    .contains("意见采纳情况将在整理后公布")
            );
        }
        w.unmount();
    }
    // Without a consultation there is no banner; without an API no button.
    let w = mount_doc(jiedu_widget::sample::document(), Options::default());
    w.wait_for(".head").await;
    assert!(w.find(".jiedu-banner").is_none());
    let w = mount_doc(jiedu_widget::sample::draft(), Options::default());
    w.wait_for(".jiedu-banner").await;
    assert!(w.find(".jiedu-comment-btn").is_none() && w.find(".jiedu-consult").is_none());
}

#[wasm_bindgen_test]
async fn a_clause_button_opens_the_form_on_that_clause_and_the_fields_say_what_is_wrong() {
    reset_page();
    clear_storage();
    let w = mount_draft(OPEN);
    let button = w.wait_for(".jiedu-comment-btn[data-target='s1-2']").await;
    assert_eq!(
        attr(&button, "aria-label"),
        "对此条提意见：（二）优化政务服务"
    );
    button.unchecked_into::<HtmlElement>().click();
    until("the form to take the clause", || {
        (w.find("#jiedu-f-target")
            .and_then(|s| js_sys::Reflect::get(&s, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .as_deref()
            == Some("s1-2"))
        .then_some(())
    })
    .await;
    until("the focus to move to the form", || {
        (focused(&w) == "jiedu-comment-title").then_some(())
    })
    .await;

    // Sent empty: each field says what is wrong, and the focus goes to the first.
    click(&w, "form.jiedu-comment-form button[type=submit]").await;
    until("the stance message", || {
        (w.text("#jiedu-f-stance-error") == "此项为必填项。").then_some(())
    })
    .await;
    assert_eq!(w.text("#jiedu-f-text-error"), "此项为必填项。");
    assert_eq!(w.text(".form-error"), "请按提示修改后再提交。");
    let text = w.find("#jiedu-f-text").unwrap();
    assert_eq!(attr(&text, "aria-invalid"), "true");
    assert_eq!(
        attr(&text, "aria-describedby"),
        "jiedu-f-text-hint jiedu-f-text-error"
    );
    for radio in w.all("input[name=stance]") {
        assert_eq!(attr(&radio, "aria-invalid"), "true");
        assert_eq!(attr(&radio, "aria-describedby"), "jiedu-f-stance-error");
    }
    until("the focus on the first invalid field", || {
        (focused(&w) == "jiedu-f-stance").then_some(())
    })
    .await;

    // Fixing a field removes its message at once; "suggest a change" asks for the wording.
    click(&w, "input[name=stance][value='suggest-change']").await;
    w.wait_for("#jiedu-f-proposedWording").await;
    until("the stance message to go", || {
        w.text("#jiedu-f-stance-error").is_empty().then_some(())
    })
    .await;
    assert_eq!(w.text("#jiedu-f-proposedWording-error"), "此项为必填项。");
    type_into(&w, "#jiedu-f-text", "好").await;
    until("the live count", || {
        (w.text("#jiedu-f-text-hint") == "1 / 20000 字").then_some(())
    })
    .await;
    assert_eq!(w.text("#jiedu-f-text-error"), "内容太短，至少需要 2 个字。");

    // A contact needs consent; an organisation needs its name. The same rules as the server.
    type_into(&w, "#jiedu-f-contact", "13800138000").await;
    click(&w, "input[name=submitterType][value='organization']").await;
    until("the consent and name messages", || {
        (!w.text("#jiedu-f-consent-error").is_empty() && !w.text("#jiedu-f-name-error").is_empty())
            .then_some(())
    })
    .await;
    assert_eq!(
        w.text("#jiedu-f-consent-error"),
        "留下联系方式需要同意我们保存并用于回访；如不同意，请删除联系方式。"
    );
    assert!(
        w.text(".jiedu-comment-form")
            .contains("联系方式仅用于就您的意见与您联系，不会公开，也不会用于其他用途。")
    );
    assert_eq!(w.text("label[for='jiedu-f-name']"), "单位名称");
    click(&w, "#jiedu-f-consent").await;
    type_into(&w, "#jiedu-f-name", "示例市律师协会").await;
    type_into(&w, "#jiedu-f-proposedWording", "应当在二十个工作日内公开。").await;
    type_into(&w, "#jiedu-f-text", "建议明确公开时限。").await;
    until("every message to go", || {
        w.find(".field-error:not(:empty)").is_none().then_some(())
    })
    .await;
    assert!(w.find(".form-error").is_none());
    assert!(w.find("[aria-invalid=true]").is_none());
    assert!(
        w.find("[style]").is_none(),
        "no style attributes anywhere (CSP)"
    );
}

/// Fills in a valid comment on the whole document.
async fn fill_valid(w: &Mounted, text: &str) {
    w.wait_for("form.jiedu-comment-form").await;
    click(w, "input[name=stance][value='support']").await;
    type_into(w, "#jiedu-f-text", text).await;
    type_into(w, "#jiedu-f-name", "朱小明").await;
}

#[wasm_bindgen_test]
async fn a_comment_the_server_does_not_get_is_kept_with_its_key_and_retried_as_it_was() {
    reset_page();
    clear_storage();
    let w = mount_draft(OPEN);
    fill_valid(&w, "赞成“一网通办”。\n<script>alert(1)</script>").await;
    click(&w, "form.jiedu-comment-form button[type=submit]").await;
    let queued = w.wait_for(".jiedu-queued").await;
    assert_eq!(
        queued.text_content().unwrap(),
        "已保存在本机，网络恢复后将自动提交"
    );
    assert_eq!(attr(&queued, "role"), "status");
    until("the focus on the notice", || {
        (focused(&w) == "jiedu-notice").then_some(())
    })
    .await;

    // In localStorage: the exact body and a version 4 UUID as idempotency key.
    let stored_outbox = outbox::load_pending();
    assert_eq!(stored_outbox.len(), 1, "{}", stored(OUTBOX_KEY));
    let kept: Pending = stored_outbox[0].clone();
    assert_eq!(
        kept.body,
        r#"{"target":"document","stance":"support","text":"赞成“一网通办”。\n<script>alert(1)</script>","name":"朱小明","submitterType":"individual","consent":false}"#
    );
    assert_eq!(
        (kept.api.as_str(), kept.document.as_str()),
        ("http://127.0.0.1:9/api/v1", "sample-draft")
    );
    let key: Vec<char> = kept.key.chars().collect();
    assert_eq!(key.len(), 36, "{}", kept.key);
    assert_eq!(
        (key[8], key[13], key[14], key[18], key[23]),
        ('-', '-', '4', '-', '-')
    );
    assert!("89ab".contains(key[19]), "{}", kept.key);
    assert!(kept.failures >= 1);

    // The form is emptied for the next comment (the name stays); "my comments" lists it as waiting.
    assert_eq!(
        js_sys::Reflect::get(&w.find("#jiedu-f-text").unwrap(), &"value".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("")
    );
    let item = w.wait_for(".jiedu-my-comments li.waiting").await;
    let item_text = item.text_content().unwrap();
    assert!(item_text.contains("待提交（已保存在本机）"), "{item_text}");
    assert!(
        item.inner_html().contains("&lt;script&gt;"),
        "text, not markup"
    );

    // The page is opened again: the comment is sent again with the same key and body, and is
    // still kept while the server stays away. Nothing is duplicated.
    w.unmount();
    let failures = outbox::load_pending()[0].failures;
    let w = mount_draft(OPEN);
    w.wait_for(".jiedu-my-comments li.waiting").await;
    until("the retry on mount", || {
        let list = outbox::load_pending();
        (list.len() == 1 && list[0].failures > failures).then_some(())
    })
    .await;
    let again = &outbox::load_pending()[0];
    assert_eq!((&again.key, &again.body), (&kept.key, &kept.body));
    assert_eq!(w.all(".jiedu-my-comments li.waiting").len(), 1);
    w.unmount();
    clear_storage();
}

#[wasm_bindgen_test]
async fn my_comments_list_sent_and_refused_ones_and_check_receipts() {
    reset_page();
    clear_storage();
    let api = "http://127.0.0.1:9/api/v1";
    outbox::save_sent(&[Sent {
        receipt: "JD-7K3Q-9XWM".into(),
        api: api.into(),
        document: "sample-draft".into(),
        target: jiedu_core::Target::Provision("s1-1".into()),
        stance: Some(jiedu_core::comment::Stance::Oppose),
        text: "<b>不同意</b>".repeat(30),
        sent: 0,
    }]);
    outbox::save_pending(&[Pending {
        key: "0d1e4f0a-3b2c-4d5e-8f90-a1b2c3d4e5f6".into(),
        api: api.into(),
        document: "sample-draft".into(),
        body: r#"{"target":"s2","stance":"support","text":"期间结束后才送达的意见"}"#.into(),
        failures: 3,
        refused: Some("征求意见已于 2026-12-31 结束。".into()),
        saved: 0,
    }]);
    let w = mount_draft("2027-01-05T10:00:00+08:00");
    let sent = w
        .wait_for(".jiedu-my-comments li.sent[data-receipt='JD-7K3Q-9XWM']")
        .await;
    let sent_text = sent.text_content().unwrap();
    assert!(sent_text.contains("（一）规范政务信息管理"), "{sent_text}");
    assert!(sent_text.contains("回执号：JD-7K3Q-9XWM"), "{sent_text}");
    assert!(
        sent_text.contains("…"),
        "long text is shortened: {sent_text}"
    );
    assert!(w.find(".jiedu-my-comments b").is_none(), "text, not markup");
    let refused = w.find(".jiedu-my-comments li.refused").unwrap();
    let refused_text = refused.text_content().unwrap();
    assert!(
        refused_text.contains("未能提交：征求意见已于 2026-12-31 结束。")
            && refused_text.contains("期间结束后才送达的意见")
            && refused_text.contains("二、加强组织保障"),
        "{refused_text}"
    );

    // Checking a receipt while the server is away says so, for a listed one and a typed one.
    click(&w, "li.sent .check-status").await;
    until("the failed check", || {
        (w.text("li.sent .jiedu-status") == "暂时无法查询，请稍后重试。").then_some(())
    })
    .await;
    type_into(&w, "#jiedu-receipt-input", "jd-2222-3333").await;
    click(&w, ".jiedu-receipt-check button").await;
    until("the typed receipt's check", || {
        (w.text(".jiedu-my-comments > .jiedu-status") == "暂时无法查询，请稍后重试。").then_some(())
    })
    .await;

    // A refused comment can be removed once copied elsewhere.
    click(&w, "li.refused button:last-child").await;
    until("the refused comment to go", || {
        w.find("li.refused").is_none().then_some(())
    })
    .await;
    assert!(outbox::load_pending().is_empty());
    clear_storage();
}

#[derive(Properties, PartialEq)]
struct FeedbackHarnessProps {
    doc: DocRef,
    report: Rc<jiedu_core::comment::FeedbackReport>,
}

/// Renders the feedback section the way the widget does, with its filter in a state of its own.
#[function_component]
fn FeedbackHarness(props: &FeedbackHarnessProps) -> Html {
    let filter = use_state(|| None::<String>);
    let act = {
        let filter = filter.clone();
        Callback::from(move |action: CommentingAction| {
            if let CommentingAction::FilterFeedback(f) | CommentingAction::ShowFeedback(f) = action
            {
                filter.set(f);
            }
        })
    };
    let env = Env {
        lang: UiLang::Zh,
        t: UiLang::Zh.strings(),
        doc_id: Rc::from(props.doc.doc.id.as_str()),
        namespaced: false,
        media_base: Rc::from(""),
    };
    html! {
        <ContextProvider<Env> context={env}>
            <div class="jiedu">
                { feedback(&FeedbackProps { doc: &props.doc, report: &props.report,
                    filter: filter.as_deref(), act: &act, on_navigate: &Callback::noop(),
                    server: Some("https://zwgk.example.gov.cn/") },
                    UiLang::Zh.strings(), UiLang::Zh) }
            </div>
        </ContextProvider<Env>>
    }
}

#[wasm_bindgen_test]
async fn the_feedback_shows_a_chart_and_a_table_filtered_by_clause() {
    reset_page();
    let host = new_host();
    let container = host::prepare(&host).unwrap();
    let app = yew::Renderer::<FeedbackHarness>::with_root_and_props(
        container,
        FeedbackHarnessProps {
            doc: DocRef(Rc::new(Loaded::new(jiedu_widget::sample::draft()))),
            report: Rc::new(jiedu_widget::sample::feedback()),
        },
    )
    .render();
    let w = Mounted { host, handle: None };
    let chart = w.wait_for("svg.jiedu-chart").await;
    assert_eq!(attr(&chart, "role"), "img");
    assert_eq!(
        attr(&chart, "aria-label"),
        "各处理结果的意见数：采纳 2, 部分采纳 1, 不予采纳 1, 已体现 1, 不属于征求范围 1"
    );
    let bars: Vec<String> = w
        .all("svg.jiedu-chart g.bar")
        .iter()
        .map(|g| g.text_content().unwrap())
        .collect();
    assert_eq!(
        bars,
        [
            "采纳2",
            "部分采纳1",
            "不予采纳1",
            "已体现1",
            "不属于征求范围1"
        ]
    );
    assert_eq!(
        attr(&w.find("g.bar.adopted rect").unwrap(), "width"),
        "80%",
        "the largest count has the longest bar"
    );
    assert_eq!(
        w.text(".jiedu-feedback .count"),
        "共收到意见 7 条，2027-01-20 公布。"
    );

    let rows = w.all(".jiedu-feedback-row");
    assert_eq!(rows.len(), 5);
    let first = rows[0].text_content().unwrap();
    assert!(
        first.contains("#1")
            && first.contains("（一）规范政务信息管理")
            && first.contains("建议修改建议明确目录的更新时限。")
            && first.contains("朱**")
            && first.contains("采纳")
            && first.contains("相同意见： #6"),
        "{first}"
    );
    // Hostile comment text is text.
    assert!(
        rows[1]
            .text_content()
            .unwrap()
            .contains("<img src=x onerror=alert(1)>")
    );
    assert!(w.find(".jiedu-feedback img").is_none());
    assert!(rows[1].text_content().unwrap().contains("匿名"));
    assert!(rows[2].text_content().unwrap().contains("示例市律师协会"));
    // Each answer links back to its clause.
    assert_eq!(
        attr(&rows[0].query_selector("a").unwrap().unwrap(), "href"),
        "#jiedu-s1-1"
    );
    // An answer that names the provision of the final version links to it on the compare page.
    let see = rows[0].query_selector(".see a").unwrap().unwrap();
    assert_eq!(see.text_content().unwrap(), "见定稿第一条");
    assert_eq!(
        attr(&see, "href"),
        "https://zwgk.example.gov.cn/documents/sample/compare#cmp-s1-1"
    );
    assert!(rows[1].query_selector(".see").unwrap().is_none());

    // The filter: by clause, with counts.
    let options: Vec<String> = w
        .all("#jiedu-feedback-filter option")
        .iter()
        .map(|o| o.text_content().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "全部（5）",
            "全文（1）",
            "（一）规范政务信息管理（2）",
            "（二）优化政务服务（1）",
            "二、加强组织保障（1）"
        ]
    );
    let select = w.find("#jiedu-feedback-filter").unwrap();
    js_sys::Reflect::set(&select, &"value".into(), &"s1-1".into()).unwrap();
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("the filtered rows", || {
        (w.all(".jiedu-feedback-row").len() == 2).then_some(())
    })
    .await;
    assert!(
        w.all(".jiedu-feedback-row")
            .iter()
            .all(|r| attr(r, "data-target") == "s1-1")
    );
    app.destroy();
}
