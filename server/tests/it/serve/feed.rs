//! Atom feeds, read back with a real feed parser (feed-rs).

use expect_test::expect;
use jiedu_server::serve::store::Role;
use serde_json::json;

use super::harness::{IN_FORCE_MD, TestApp};
use crate::both_backends;

/// The entries of a feed as lines: id, category, updated, title.
fn entries(body: &[u8]) -> String {
    let feed = feed_rs::parser::parse(body).expect("a valid feed");
    feed.entries
        .iter()
        .map(|e| {
            format!(
                "{} [{}] {} {}\n",
                e.id,
                e.categories.first().map_or("", |c| c.term.as_str()),
                e.updated.map(|u| u.to_rfc3339()).unwrap_or_default(),
                e.title.as_ref().map_or("", |t| t.content.as_str())
            )
        })
        .collect()
}

both_backends! {
    async fn the_feeds_carry_publications_new_interpretations_and_feedback_reports() {
        let t = TestApp::new();
        let approver = t.new_token("approver-b", Role::Approver);
        // A follow-up interpretation (with characters XML must escape) goes through sign-off.
        let source = IN_FORCE_MD.to_owned()
            + "\n## 执行情况 & <跟踪> {#follow-up .interpretation kind=follow-up for=document date=2026-12-10}\n\n\
               各地已完成目录编制。\n";
        let saved = t
            .call(
                &t.token,
                "PUT",
                "/api/v1/documents/in-force/source",
                Some(&json!({ "source": source })),
                &[("if-match", "\"2\"")],
            )
            .await;
        assert_eq!(saved.status, 201, "{}", saved.text());
        t.call(&t.token, "POST", "/api/v1/revisions/3/submit", None, &[])
            .await;
        t.clock.set(t.clock.now() + 3600);
        let approved = t
            .call(&approver, "POST", "/api/v1/revisions/3/approve", None, &[])
            .await;
        assert_eq!(approved.status, 200, "{}", approved.text());
        // A feedback report on the draft, a day later.
        t.clock.set(t.clock.now() + 86_400);
        let report = t
            .editor("POST", "/api/v1/documents/draft-rules/feedback", None)
            .await;
        assert_eq!(report.status, 201, "{}", report.text());

        let site = t.get("/api/v1/feed.atom").await;
        assert_eq!(site.status, 200);
        assert_eq!(
            site.header("content-type"),
            Some("application/atom+xml; charset=utf-8")
        );
        expect![[r#"
            urn:jiedu:draft-rules:feedback:1 [feedback] 2026-12-16T03:00:00+00:00 中卫市政务公开办法（征求意见稿）：意见采纳情况（第1版）
            urn:jiedu:in-force:revision:3 [document] 2026-12-15T03:00:00+00:00 政务公开工作要点
            urn:jiedu:draft-rules:revision:1 [document] 2026-12-15T02:00:00+00:00 中卫市政务公开办法（征求意见稿）
            urn:jiedu:in-force:revision:2 [document] 2026-12-15T02:00:00+00:00 政务公开工作要点
            urn:jiedu:in-force:interpretation:follow-up [follow-up] 2026-12-10T00:00:00+00:00 政务公开工作要点：执行情况 & <跟踪>
        "#]]
        .assert_eq(&entries(&site.body));

        let one = t.get("/api/v1/documents/in-force/feed.atom").await;
        let feed = feed_rs::parser::parse(&one.body[..]).expect("a valid feed");
        assert_eq!(feed.title.unwrap().content, "政务公开工作要点");
        expect![[r#"
            urn:jiedu:in-force:revision:3 [document] 2026-12-15T03:00:00+00:00 政务公开工作要点
            urn:jiedu:in-force:revision:2 [document] 2026-12-15T02:00:00+00:00 政务公开工作要点
            urn:jiedu:in-force:interpretation:follow-up [follow-up] 2026-12-10T00:00:00+00:00 政务公开工作要点：执行情况 & <跟踪>
        "#]]
        .assert_eq(&entries(&one.body));

        let gone = t.get("/api/v1/documents/nothing/feed.atom").await;
        assert_eq!(gone.status, 404);
    }
}
