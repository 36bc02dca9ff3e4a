//! The sign-off workflow: drafts, `If-Match`, submit, approve, send back, withdraw, repeal, roles
//! and sign-off, the forbidden steps included; and publishing under concurrent reads.

use expect_test::{Expect, expect};
use jiedu_server::serve::state::etag_of;
use jiedu_server::serve::store::Role;
use serde_json::{Value, json};

use super::documents::{revisions, start};
use super::harness::{DRAFT_MD, IN_FORCE_MD, Reply, TempDir, TestApp, seed};
use crate::both_backends;
use jiedu_server::serve::sql::params;

/// A reply as one line: status, then the error code and what goes with it, or the revision.
fn show(r: &Reply) -> String {
    let status = r.status.as_u16();
    if r.body.is_empty() {
        return status.to_string();
    }
    let j = r.json();
    if let Some(e) = j.get("error") {
        let mut line = format!("{status} {}", e["code"].as_str().unwrap());
        if let Some(c) = e.get("currentRevision") {
            line.push_str(&format!(" currentRevision={c}"));
        }
        for f in e["fields"].as_array().unwrap() {
            line.push_str(&format!(" field={}:{}", f["field"], f["code"]));
        }
        for d in e
            .get("diagnostics")
            .and_then(Value::as_array)
            .unwrap_or(&vec![])
        {
            line.push_str(&format!(
                " {}@{}:{}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"]
            ));
        }
        return line;
    }
    match (j.get("id"), j.get("state")) {
        (Some(id), Some(state)) => format!(
            "{status} revision {id} {} by {}{}",
            state.as_str().unwrap(),
            j["author"].as_str().unwrap(),
            j.get("reason")
                .map(|r| format!(" reason={r}"))
                .unwrap_or_default()
        ),
        _ => format!("{status} {j}"),
    }
}

fn check(r: &Reply, expect: Expect) {
    expect.assert_eq(&show(r));
}

/// The in-force document with a follow-up interpretation (跟踪解读) added.
fn with_follow_up(title: &str) -> String {
    IN_FORCE_MD.replace("政务公开工作要点", title)
        + "\n## 跟踪解读 {#follow-up .interpretation kind=follow-up for=document date=2026-12-15}\n\n\
           施行半年来，各地已完成目录编制。\n"
}

struct People {
    t: TestApp,
    editor: String,
    approver: String,
    second_approver: String,
}

fn people(t: TestApp) -> People {
    People {
        editor: t.token.clone(),
        approver: t.new_token("approver-b", Role::Approver),
        second_approver: t.new_token("approver-c", Role::Approver),
        t,
    }
}

impl People {
    async fn save(&self, token: &str, source: &str, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|m| ("if-match", m)).into_iter().collect();
        self.t
            .call(
                token,
                "PUT",
                "/api/v1/documents/in-force/source",
                Some(&json!({ "source": source })),
                &headers,
            )
            .await
    }

    async fn step(&self, token: &str, revision: i64, step: &str, body: Option<&Value>) -> Reply {
        self.t
            .call(
                token,
                "POST",
                &format!("/api/v1/revisions/{revision}/{step}"),
                body,
                &[],
            )
            .await
    }
}

both_backends! {
    async fn a_follow_up_goes_from_draft_through_sign_off_to_the_public_without_a_restart() {
        let p = people(TestApp::new());
        let (ed, ap) = (p.editor.as_str(), p.approver.as_str());
        let before = p.t.get("/api/v1/documents/in-force").await;
        let source = with_follow_up("政务公开工作要点（跟踪解读）");

        // A save must say which revision it changes, and it must be the newest.
        check(
            &p.save(ed, &source, None).await,
            expect!["428 if-match-required currentRevision=2"],
        );
        check(
            &p.save(ed, &source, Some("\"1\"")).await,
            expect!["412 revision-conflict currentRevision=2"],
        );
        let saved = p.save(ed, &source, Some("\"2\"")).await;
        check(&saved, expect![[r#"201 revision 3 draft by editor-a"#]]);
        assert_eq!(saved.header("etag"), Some("\"3\""));
        check(
            &p.save(ed, &source, Some("\"2\"")).await,
            expect!["412 revision-conflict currentRevision=3"],
        );

        // Nothing is published without approval, and only approvers approve.
        check(
            &p.step(ap, 3, "approve", None).await,
            expect!["409 invalid-transition"],
        );
        check(
            &p.step(ed, 3, "submit", None).await,
            expect![[r#"200 revision 3 submitted by editor-a"#]],
        );
        check(
            &p.step(ed, 3, "submit", None).await,
            expect!["409 invalid-transition"],
        );
        check(
            &p.step(ed, 3, "approve", None).await,
            expect!["403 role-required"],
        );
        let unchanged = p.t.get("/api/v1/documents/in-force").await;
        assert_eq!(
            unchanged.body, before.body,
            "a submitted draft is not served"
        );

        check(
            &p.step(ap, 3, "approve", None).await,
            expect![[r#"200 revision 3 published by editor-a"#]],
        );
        let after = p.t.get("/api/v1/documents/in-force").await;
        assert_ne!(after.header("etag"), before.header("etag"));
        assert_eq!(after.json()["title"], "政务公开工作要点（跟踪解读）");
        assert_eq!(
            after.json()["interpretations"][0]["kind"],
            "follow-up",
            "{}",
            after.text()
        );
        let index = p.t.get("/api/v1/documents").await.json();
        assert_eq!(
            index["documents"][1]["title"],
            "政务公开工作要点（跟踪解读）"
        );

        // A new draft of a published document leaves the published one served.
        let next = with_follow_up("政务公开工作要点（再修订）");
        check(
            &p.save(ap, &next, Some("\"3\"")).await,
            expect![[r#"201 revision 4 draft by approver-b"#]],
        );
        check(
            &p.step(ap, 4, "submit", None).await,
            expect![[r#"200 revision 4 submitted by approver-b"#]],
        );
        // Nobody approves their own revision while sign-off is required.
        check(
            &p.step(ap, 4, "approve", None).await,
            expect!["403 sign-off-required"],
        );
        check(
            &p.step(
                p.second_approver.as_str(),
                4,
                "send-back",
                Some(&json!({ "reason": " " })),
            )
            .await,
            expect![[r#"422 validation-failed field="reason":"required""#]],
        );
        check(
            &p.step(
                p.second_approver.as_str(),
                4,
                "send-back",
                Some(&json!({ "reason": "标题不要改。" })),
            )
            .await,
            expect![[r#"200 revision 4 returned by approver-b reason="标题不要改。""#]],
        );
        assert_eq!(p.t.get("/api/v1/documents/in-force").await.body, after.body);

        // Every published revision is kept and listed.
        let published =
            p.t.call(
                ed,
                "GET",
                "/api/v1/documents/in-force/revisions?published=true",
                None,
                &[],
            )
            .await;
        let ids: Vec<i64> = published
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [3, 2]);
        let listed =
            p.t.call(ed, "GET", "/api/v1/workflow/documents", None, &[])
                .await;
        let states: Vec<String> = listed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} published={} latest={} {}",
                    d["id"].as_str().unwrap(),
                    d["published"]["id"],
                    d["latest"]["id"],
                    d["latest"]["state"].as_str().unwrap()
                )
            })
            .collect();
        expect![[r#"
            [
                "draft-rules published=1 latest=1 published",
                "in-force published=3 latest=4 returned",
            ]
        "#]]
        .assert_debug_eq(&states);
        let source = p.t.call(ed, "GET", "/api/v1/revisions/4", None, &[]).await;
        assert_eq!(source.json()["source"], next);
        assert_eq!(source.header("etag"), Some("\"4\""));

        // Every step is in the audit log, with who did it.
        let audit =
            p.t.call(ed, "GET", "/api/v1/audit?document=in-force", None, &[])
                .await;
        let steps: Vec<String> = audit
            .json()
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .map(|e| {
                format!(
                    "{} {}",
                    e["action"].as_str().unwrap(),
                    e["actor"].as_str().unwrap()
                )
            })
            .collect();
        expect![[r#"
            [
                "seed-revision content-dir",
                "save-revision editor-a",
                "submit-revision editor-a",
                "approve-revision approver-b",
                "save-revision approver-b",
                "submit-revision approver-b",
                "send-back-revision approver-c",
            ]
        "#]]
        .assert_debug_eq(&steps);
    }
}

both_backends! {
    /// The diagnostics of a refused source come in the language the editor's page asks for.
    async fn diagnostics_of_a_refused_source_follow_accept_language() {
        let p = people(TestApp::new());
        let broken = IN_FORCE_MD.replace("# 总体要求", "# 总体要求 {#bad id}");
        let mut messages = Vec::new();
        for lang in ["en", "zh-CN"] {
            let reply =
                p.t.call(
                    &p.editor,
                    "PUT",
                    "/api/v1/documents/in-force/source",
                    Some(&json!({ "source": broken })),
                    &[("if-match", "\"2\""), ("accept-language", lang)],
                )
                .await;
            let message = reply.json()["error"]["diagnostics"][0]["message"]
                .as_str()
                .unwrap()
                .to_owned();
            messages.push(message);
        }
        let chinese = |m: &str| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(!chinese(&messages[0]), "English: {}", messages[0]);
        assert!(chinese(&messages[1]), "Chinese: {}", messages[1]);
    }
}

#[tokio::test]
async fn markdown_with_errors_is_refused_with_the_diagnostics_of_jiedu_check_and_nothing_is_saved()
{
    let p = people(TestApp::new());
    let broken = IN_FORCE_MD.replace("# 总体要求", "# 总体要求 {#bad id}");
    check(
        &p.save(&p.editor, &broken, Some("\"2\"")).await,
        expect!["422 invalid-source J1003@5:14 J0012@8:14"],
    );
    let other_id = DRAFT_MD.to_owned();
    check(
        &p.save(&p.editor, &other_id, Some("\"2\"")).await,
        expect![[r#"422 validation-failed field="source":"invalid""#]],
    );
    check(
        &p.t.call(
            &p.editor,
            "PUT",
            "/api/v1/documents/in-force/source",
            None,
            &[("if-match", "\"2\"")],
        )
        .await,
        expect!["415 unsupported-media-type"],
    );
    let count: i64 =
        p.t.db(|c| c.query_row("SELECT COUNT(*) FROM revisions", params![], |r| r.get(0)));
    assert_eq!(count, 2, "nothing was saved");
}

both_backends! {
    async fn withdrawing_answers_410_and_a_repeal_is_carried_in_the_document() {
        let p = people(TestApp::new());
        let lapse = |body: Value| {
            let p = &p;
            async move {
                p.t.call(
                    &p.approver,
                    "PUT",
                    "/api/v1/documents/in-force/lapse",
                    Some(&body),
                    &[],
                )
                .await
            }
        };
        check(
            &lapse(json!({ "kind": "repealed" })).await,
            expect![[r#"422 validation-failed field="on":"required""#]],
        );
        check(
            &lapse(json!({ "kind": "repealed", "on": "2026-12-20" })).await,
            expect![[r#"200 {"kind":"repealed","on":"2026-12-20"}"#]],
        );
        let served = p.t.get("/api/v1/documents/in-force").await.json();
        assert_eq!(
            served["lapsed"],
            json!({ "kind": "repealed", "on": "2026-12-20" })
        );

        check(
            &p.t.call(
                &p.editor,
                "POST",
                "/api/v1/documents/in-force/withdraw",
                None,
                &[],
            )
            .await,
            expect!["403 role-required"],
        );
        check(
            &p.t.call(
                &p.approver,
                "POST",
                "/api/v1/documents/in-force/withdraw",
                None,
                &[],
            )
            .await,
            expect!["204"],
        );
        check(
            &p.t.get("/api/v1/documents/in-force").await,
            expect!["410 document-withdrawn"],
        );
        check(
            &p.t.get("/documents/in-force.json").await,
            expect!["410 document-withdrawn"],
        );
        let index = p.t.get("/api/v1/documents").await.json();
        assert_eq!(index["documents"].as_array().unwrap().len(), 1);
        // Editors still reach a withdrawn document's comments (and exports).
        let comments =
            p.t.editor("GET", "/api/v1/documents/in-force/comments", None)
                .await;
        assert_eq!(comments.status, 200, "{}", comments.text());
        check(
            &p.t.call(
                &p.approver,
                "POST",
                "/api/v1/documents/nothing/withdraw",
                None,
                &[],
            )
            .await,
            expect!["404 document-not-found"],
        );
    }
}

#[tokio::test]
async fn without_required_sign_off_an_approver_may_approve_their_own_revision_and_the_audit_says_so()
 {
    let t = TestApp::with(|c| c.require_sign_off = false);
    let p = people(t);
    let ap = p.approver.as_str();
    p.save(ap, &with_follow_up("独自审签"), Some("\"2\"")).await;
    p.step(ap, 3, "submit", None).await;
    check(
        &p.step(ap, 3, "approve", None).await,
        expect![[r#"200 revision 3 published by approver-b"#]],
    );
    let audit =
        p.t.call(ap, "GET", "/api/v1/audit?limit=1", None, &[])
            .await
            .json();
    assert_eq!(
        audit[0]["detail"],
        json!({ "revision": 3, "author": "approver-b", "requireSignOff": false, "selfApproved": true })
    );
}

both_backends! {
    async fn a_file_changed_on_disk_after_browser_edits_becomes_a_draft_and_overwrites_nothing() {
        let dir = TempDir::new("conflict");
        let t = start(dir.path(), vec![seed("in-force.md", IN_FORCE_MD)]);
        let editor = t.new_token("editor-a", Role::Editor);
        let approver = t.new_token("approver-b", Role::Approver);
        let browser = with_follow_up("浏览器中的修订");
        let saved = t
            .call(
                &editor,
                "PUT",
                "/api/v1/documents/in-force/source",
                Some(&json!({ "source": browser })),
                &[("if-match", "\"1\"")],
            )
            .await;
        assert_eq!(saved.status, 201, "{}", saved.text());
        t.call(&editor, "POST", "/api/v1/revisions/2/submit", None, &[])
            .await;
        let approved = t
            .call(&approver, "POST", "/api/v1/revisions/2/approve", None, &[])
            .await;
        assert_eq!(approved.status, 200, "{}", approved.text());
        drop(t);

        // The old file again: the database is newer, nothing happens.
        let t = start(dir.path(), vec![seed("in-force.md", IN_FORCE_MD)]);
        expect![[r#"
            1 in-force published content-dir 政务公开工作要点
            2 in-force published editor-a 浏览器中的修订 (served)
        "#]]
        .assert_eq(&revisions(&t));
        drop(t);

        // The file was edited on disk too: it becomes a draft; the browser's revision stays served.
        let on_disk = IN_FORCE_MD.replace("政务公开工作要点", "磁盘上的修订");
        let t = start(dir.path(), vec![seed("in-force.md", &on_disk)]);
        expect![[r#"
            1 in-force published content-dir 政务公开工作要点
            2 in-force published editor-a 浏览器中的修订 (served)
            3 in-force draft content-dir 磁盘上的修订
        "#]]
        .assert_eq(&revisions(&t));
        assert_eq!(
            t.get("/api/v1/documents/in-force").await.json()["title"],
            "浏览器中的修订"
        );
        drop(t);
        // Starting again with the same file adds nothing.
        let t = start(dir.path(), vec![seed("in-force.md", &on_disk)]);
        assert_eq!(revisions(&t).lines().count(), 3);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_concurrent_reads_every_answer_is_one_whole_published_version() {
    let p = std::sync::Arc::new(people(TestApp::new()));
    let titles: Vec<String> = (1..=6)
        .map(|i| format!("政务公开工作要点（第{i}版）"))
        .collect();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for _ in 0..4 {
        let (p, stop) = (p.clone(), stop.clone());
        readers.push(tokio::spawn(async move {
            let mut seen = std::collections::BTreeSet::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = p.t.get("/api/v1/documents/in-force").await;
                assert_eq!(r.status, 200);
                let etag = r.header("etag").unwrap().to_owned();
                assert_eq!(
                    etag,
                    etag_of(&r.body).to_str().unwrap(),
                    "ETag and body disagree"
                );
                seen.insert(r.json()["title"].as_str().unwrap().to_owned());
            }
            seen
        }));
    }
    let mut current = 2;
    let mut slowest = std::time::Duration::ZERO;
    for title in &titles {
        let saved = p
            .save(
                &p.editor,
                &with_follow_up(title),
                Some(&format!("\"{current}\"")),
            )
            .await;
        current = saved.json()["id"].as_i64().unwrap();
        p.step(&p.editor, current, "submit", None).await;
        let asked = std::time::Instant::now();
        let approved = p.step(&p.approver, current, "approve", None).await;
        assert_eq!(approved.status, 200, "{}", approved.text());
        // Visible as soon as the approval is answered.
        let now = p.t.get("/api/v1/documents/in-force").await;
        assert_eq!(now.json()["title"], title.as_str());
        slowest = slowest.max(asked.elapsed());
    }
    println!(
        "publish to visible, slowest of {}: {slowest:?}",
        titles.len()
    );
    assert!(slowest < std::time::Duration::from_secs(1), "{slowest:?}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for reader in readers {
        let seen = reader.await.expect("the reader ran");
        for title in &seen {
            assert!(
                title == "政务公开工作要点" || titles.contains(title),
                "a title never published: {title}"
            );
        }
    }
}

both_backends! {
    async fn admins_manage_tokens_and_nobody_else_does() {
        let t = TestApp::new();
        let admin = t.new_token("admin-z", Role::Admin);
        let approver = t.new_token("approver-b", Role::Approver);
        check(
            &t.call(&approver, "GET", "/api/v1/tokens", None, &[]).await,
            expect!["403 role-required"],
        );
        let made = t
            .call(
                &admin,
                "POST",
                "/api/v1/tokens",
                Some(&json!({ "name": "zhao.liu", "role": "approver" })),
                &[],
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        let secret = made.json()["token"].as_str().unwrap().to_owned();
        let me = t.call(&secret, "GET", "/api/v1/me", None, &[]).await;
        assert_eq!(
            me.json(),
            json!({ "name": "zhao.liu", "role": "approver", "now": "2026-12-15T02:00:00Z" })
        );
        check(
            &t.call(
                &admin,
                "POST",
                "/api/v1/tokens",
                Some(&json!({ "name": "zhao.liu", "role": "editor" })),
                &[],
            )
            .await,
            expect!["409 token-name-taken"],
        );
        check(
            &t.call(
                &admin,
                "POST",
                "/api/v1/tokens",
                Some(&json!({ "name": "zhao liu", "role": "boss" })),
                &[],
            )
            .await,
            expect![[r#"422 validation-failed field="role":"invalid""#]],
        );
        check(
            &t.call(
                &admin,
                "PUT",
                "/api/v1/tokens/zhao.liu/role",
                Some(&json!({ "role": "editor" })),
                &[],
            )
            .await,
            expect!["204"],
        );
        check(
            &t.call(&admin, "POST", "/api/v1/tokens/zhao.liu/revoke", None, &[])
                .await,
            expect!["204"],
        );
        check(
            &t.call(&secret, "GET", "/api/v1/me", None, &[]).await,
            expect!["401 invalid-token"],
        );
        let list = t
            .call(&admin, "GET", "/api/v1/tokens", None, &[])
            .await
            .json();
        let rows: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                format!(
                    "{} {} {}",
                    t["name"].as_str().unwrap(),
                    t["role"].as_str().unwrap(),
                    if t.get("revokedAt").is_some() {
                        "revoked"
                    } else {
                        "active"
                    }
                )
            })
            .collect();
        expect![[r#"
            [
                "editor-a editor active",
                "admin-z admin active",
                "approver-b approver active",
                "zhao.liu editor revoked",
            ]
        "#]]
        .assert_debug_eq(&rows);
        let audit = t
            .call(&admin, "GET", "/api/v1/audit?limit=3", None, &[])
            .await
            .json();
        let actions: Vec<String> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["action"].as_str().unwrap(),
                    e["actor"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            actions,
            [
                "revoke-token admin-z",
                "set-role admin-z",
                "create-token admin-z"
            ]
        );
    }
}

#[tokio::test]
async fn a_revision_under_consultation_keeps_commented_provisions_and_comments_show_what_was_seen()
{
    let t = TestApp::new();
    let editor = t.token.clone();
    let approver = t.new_token("approver-b", Role::Approver);
    t.submit(&json!({ "target": "s2", "stance": "oppose", "text": "公开方式应增加政务新媒体。" }))
        .await;
    t.submit(&json!({ "target": "s2", "stance": "support", "text": "同意通过政府网站公开。" }))
        .await;
    let save = |source: String, if_match: &'static str| {
        let (t, editor) = (&t, editor.clone());
        async move {
            t.call(
                &editor,
                "PUT",
                "/api/v1/documents/draft-rules/source",
                Some(&json!({ "source": source })),
                &[("if-match", if_match)],
            )
            .await
        }
    };
    let without_s2 = DRAFT_MD.replace("# 第二条 公开方式 {#s2}\n\n通过政府网站公开。\n", "");
    let refused = save(without_s2, "\"1\"").await;
    check(&refused, expect!["422 invalid-source J0201@1:1"]);
    assert_eq!(
        refused.json()["error"]["diagnostics"][0]["message"],
        "条款 `s2` 已收到 2 条意见，本修订删除了该条款"
    );
    check(
        &save(DRAFT_MD.replace("{#s2}", "{#methods}"), "\"1\"").await,
        expect!["422 invalid-source J0201@22:12"],
    );

    // Rewording keeps the ids: allowed. Removing s1-1 (no comments yet) is allowed when saved…
    let reworded = DRAFT_MD
        .replace("通过政府网站公开。", "通过政府网站和政务新媒体公开。")
        .replace(
            "## （一）适用范围 {#s1-1}\n\n本办法适用于本市各级行政机关。\n\n",
            "",
        );
    check(
        &save(reworded, "\"1\"").await,
        expect![[r#"201 revision 3 draft by editor-a"#]],
    );
    t.call(&editor, "POST", "/api/v1/revisions/3/submit", None, &[])
        .await;
    // …but a comment on s1-1 arrives before the approval, so the approval is refused.
    t.submit(&json!({ "target": "s1-1", "stance": "support", "text": "范围合适。" }))
        .await;
    check(
        &t.call(&approver, "POST", "/api/v1/revisions/3/approve", None, &[])
            .await,
        expect!["422 invalid-source J0201@1:1"],
    );

    // The review API shows each comment with the provision as its commenter read it.
    let first = t
        .editor("GET", "/api/v1/documents/draft-rules/comments/1", None)
        .await
        .json();
    assert_eq!(
        first["seen"],
        json!({ "revision": 1, "heading": "第二条公开方式", "text": "通过政府网站公开。" })
    );
}

both_backends! {
    async fn an_older_submitted_revision_cannot_roll_back_a_newer_published_one() {
        let p = people(TestApp::new());
        let (ed, ap) = (p.editor.as_str(), p.approver.as_str());
        p.save(ed, &with_follow_up("第三版"), Some("\"2\"")).await;
        p.step(ed, 3, "submit", None).await;
        p.save(ed, &with_follow_up("第四版"), Some("\"3\"")).await;
        p.step(ed, 4, "submit", None).await;
        check(
            &p.step(ap, 4, "approve", None).await,
            expect![[r#"200 revision 4 published by editor-a"#]],
        );
        check(
            &p.step(ap, 3, "approve", None).await,
            expect!["412 revision-conflict currentRevision=4"],
        );
        assert_eq!(
            p.t.get("/api/v1/documents/in-force").await.json()["title"],
            "第四版"
        );
    }
}
