//! Versions for readers: the 修订对照 page the server renders (`/documents/{id}/compare`) for a
//! final version against the draft it `replaces`, or between two published revisions; and a
//! disposition that names the provision of the final version carrying it (见第二条), checked
//! against the final version and carried by the published feedback.

use expect_test::{Expect, expect};
use jiedu_server::serve::store::Role;
use serde_json::{Value, json};

use super::harness::{IN_FORCE_MD, Reply, TestApp, comment};
use crate::both_backends;

/// The final version of the test draft (`draft-rules`): clause s1 changed, s2 changed, s3 new.
const FINAL_MD: &str = r#"+++
id = "final-rules"
title = "中卫市政务公开办法"
status = "in-force"
disclosure = "public"
replaces = "draft-rules"
+++

# 第一条 目的 {#s1}

为了规范和促进政务公开工作，制定本办法。

## （一）适用范围 {#s1-1}

本办法适用于本市各级行政机关。

# 第二条 公开方式 {#s2}

通过政府网站和政务新媒体公开。

# 第三条 施行日期 {#s3}

本办法自印发之日起施行。
"#;

/// A reply as one line: status, content type, error code and fields.
fn show(r: &Reply) -> String {
    let mut line = format!(
        "{} {}",
        r.status.as_u16(),
        r.header("content-type").unwrap_or("-")
    );
    if r.header("content-type") == Some("application/json") {
        let j = r.json();
        if let Some(e) = j.get("error") {
            line.push_str(&format!(" {}", e["code"].as_str().unwrap()));
            for f in e["fields"].as_array().unwrap() {
                line.push_str(&format!(" field={}:{}", f["field"], f["code"]));
            }
        }
    }
    line
}

fn check(r: &Reply, expect: Expect) {
    expect.assert_eq(&show(r));
}

/// Saves `source` as a new revision of document `id` (editor), submits it and has an approver
/// publish it; returns the published revision's id.
async fn publish(
    t: &TestApp,
    approver: &str,
    id: &str,
    source: &str,
    if_match: Option<i64>,
) -> i64 {
    let tag = if_match.map(|m| format!("\"{m}\""));
    let headers: Vec<(&str, &str)> = tag
        .as_deref()
        .map(|m| ("if-match", m))
        .into_iter()
        .collect();
    let saved = t
        .call(
            &t.token,
            "PUT",
            &format!("/api/v1/documents/{id}/source"),
            Some(&json!({ "source": source })),
            &headers,
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text());
    let revision = saved.json()["id"].as_i64().unwrap();
    for (token, step) in [(t.token.as_str(), "submit"), (approver, "approve")] {
        let r = t
            .call(
                token,
                "POST",
                &format!("/api/v1/revisions/{revision}/{step}"),
                None,
                &[],
            )
            .await;
        assert_eq!(r.status, 200, "{step}: {}", r.text());
    }
    revision
}

/// The rows of a compare page: `class id`, with the marks each holds.
fn rows(html: &str) -> String {
    html.split("<tr class=\"")
        .skip(1)
        .map(|row| {
            let (class, rest) = row.split_once('"').unwrap();
            let id = rest
                .split_once("id=\"cmp-")
                .and_then(|(_, r)| r.split_once('"'))
                .map_or("", |(id, _)| id);
            format!(
                "{class} {id} ins={} del={} details={}\n",
                rest.matches("<ins>").count(),
                rest.matches("<del>").count(),
                rest.contains("<details>")
            )
        })
        .collect()
}

both_backends! {
    async fn the_compare_page_shows_a_final_version_against_its_draft_and_two_published_revisions() {
        let t = TestApp::new();
        let approver = t.new_token("approver-b", Role::Approver);
        check(
            &t.get("/documents/final-rules/compare").await,
            expect!["404 application/json document-not-found"],
        );
        check(
            &t.get("/documents/in-force/compare").await,
            expect!["404 application/json no-comparison"],
        );
        publish(&t, &approver, "final-rules", FINAL_MD, None).await;

        let page = t.get("/documents/final-rules/compare").await;
        check(&page, expect!["200 text/html; charset=utf-8"]);
        assert_eq!(
            page.header("content-security-policy"),
            Some(jiedu_server::serve::site::HOST_PAGE_CSP)
        );
        let html = page.text();
        assert!(!html.contains("<script"), "no script on the page");
        assert!(html.contains("<th scope=\"col\">修改前</th><th scope=\"col\">修改后</th>"));
        assert!(html.contains("<title>《中卫市政务公开办法》修改前后对照表</title>"));
        expect![[r#"
            changed s1 ins=1 del=0 details=false
            unchanged s1-1 ins=0 del=0 details=true
            changed s2 ins=1 del=0 details=false
            added s3 ins=2 del=0 details=false
        "#]]
        .assert_eq(&rows(&html));

        // Two published revisions of the same document.
        let newer = IN_FORCE_MD
            .replace("不公开为例外。", "不公开为例外，及时回应关切。")
            .replace("坚持", "坚守");
        let second = publish(&t, &approver, "in-force", &newer, Some(2)).await;
        let page = t
            .get(&format!("/documents/in-force/compare?old=2&new={second}"))
            .await;
        check(&page, expect!["200 text/html; charset=utf-8"]);
        assert!(
            page.text()
                .contains("<ins><span class=\"vh\">新增：</span>，及时回应关切</ins>")
        );
        assert!(
            page.text()
                .contains("<del><span class=\"vh\">删除：</span>")
        );
        // A revision of another document, a revision that was never published, half a pair.
        check(
            &t.get(&format!("/documents/in-force/compare?old=1&new={second}"))
                .await,
            expect!["404 application/json revision-not-found"],
        );
        check(
            &t.get("/documents/in-force/compare?old=2").await,
            expect!["400 application/json invalid-parameter"],
        );
        check(
            &t.get("/documents/in-force/compare?old=2&new=x").await,
            expect!["400 application/json invalid-parameter"],
        );
    }
}

both_backends! {
    async fn a_disposition_names_a_provision_of_the_final_version_and_the_report_links_there() {
        let t = TestApp::new();
        let approver = t.new_token("approver-b", Role::Approver);
        let receipt = t.submit(&comment("建议增加政务新媒体。")).await;
        assert!(receipt["receipt"].is_string(), "{receipt}");
        let uri = "/api/v1/documents/draft-rules/comments/1/disposition";
        let adopted = |provision: &str| json!({ "decision": "adopted", "finalProvision": provision });

        // No final version yet: nothing to name.
        check(
            &t.editor("PUT", uri, Some(&adopted("s2"))).await,
            expect![[
                r#"422 application/json validation-failed field="finalProvision":"unknown-provision""#
            ]],
        );
        publish(&t, &approver, "final-rules", FINAL_MD, None).await;
        check(
            &t.editor("PUT", uri, Some(&adopted("s9"))).await,
            expect![[
                r#"422 application/json validation-failed field="finalProvision":"unknown-provision""#
            ]],
        );
        check(
            &t.editor("PUT", uri, Some(&adopted(" "))).await,
            expect![[r#"422 application/json validation-failed field="finalProvision":"invalid""#]],
        );
        let set = t.editor("PUT", uri, Some(&adopted("s2"))).await;
        check(&set, expect!["200 application/json"]);
        assert_eq!(set.json()["disposition"]["finalProvision"], "s2");

        let published = t
            .editor("POST", "/api/v1/documents/draft-rules/feedback", None)
            .await;
        assert_eq!(published.status, 201, "{}", published.text());
        let report: Value = t.get("/api/v1/documents/draft-rules/feedback").await.json();
        assert_eq!(
            report["rows"][0]["see"],
            json!({ "documentId": "final-rules", "provisionId": "s2", "label": "第二条" })
        );
        let comment = t
            .editor("GET", "/api/v1/documents/draft-rules/comments/1", None)
            .await
            .json();
        assert_eq!(comment["published"]["finalProvision"], "s2");
    }
}
