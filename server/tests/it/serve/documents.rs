//! Documents in the database: seeding from the content directory, what survives a restart.

use std::path::Path;

use expect_test::{Expect, expect};
use jiedu_server::serve::{AppState, Clock, Config, Seed, app};

use super::harness::{
    DRAFT_MD, DURING, IN_FORCE_MD, TempDir, TestApp, comment, database_for, ip_secret_for_backend,
    seed, unix,
};
use crate::both_backends;
use jiedu_server::serve::sql::params;

/// A server over the database in `dir`, seeded with `seeds`, as `jiedu serve` starts.
pub fn start(dir: &Path, seeds: Vec<Seed>) -> TestApp {
    let config = Config {
        data_dir: dir.join("data"),
        database_url: Some(database_for(dir)),
        ip_hash_secret: ip_secret_for_backend(),
        content_dir: dir.join("content"),
        dist_dir: dir.join("dist"),
        www_dir: dir.join("www"),
        index: dir.join("index.html"),
        rate_limit_per_minute: 0,
        ..Config::default()
    };
    let clock = Clock::manual(unix(DURING));
    let state = AppState::open(config, seeds, clock.clone()).expect("the app starts");
    TestApp {
        app: app(state.clone()),
        state,
        clock,
        token: String::new(),
        dir: TempDir::existing(dir),
    }
}

/// Every revision as one line: id, document, state, author, title.
pub fn revisions(t: &TestApp) -> String {
    t.db(|c| {
        c.query_map(
            "SELECT r.id, r.document_id, r.state, r.author, r.title, d.published = r.id
             FROM revisions r JOIN documents d ON d.id = r.document_id ORDER BY r.id",
            params![],
            |r| {
                Ok(format!(
                    "{} {} {} {} {}{}\n",
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<String>(4)?,
                    if r.get::<bool>(5)? { " (served)" } else { "" }
                ))
            },
        )
    })
    .concat()
}

fn check_revisions(t: &TestApp, expect: Expect) {
    expect.assert_eq(&revisions(t));
}

fn retitled(source: &str, title: &str) -> String {
    let old = source
        .lines()
        .find(|l| l.starts_with("title = "))
        .expect("a title line");
    source.replacen(old, &format!("title = \"{title}\""), 1)
}

both_backends! {
    async fn content_files_seed_documents_and_a_changed_file_becomes_a_new_published_revision() {
        let dir = TempDir::new("seed");
        let both = || vec![seed("draft.md", DRAFT_MD), seed("in-force.md", IN_FORCE_MD)];
        let t = start(dir.path(), both());
        check_revisions(
            &t,
            expect![[r#"
                1 draft-rules published content-dir 中卫市政务公开办法（征求意见稿） (served)
                2 in-force published content-dir 政务公开工作要点 (served)
            "#]],
        );
        drop(t);

        // The same files again: nothing new.
        let t = start(dir.path(), both());
        check_revisions(
            &t,
            expect![[r#"
                1 draft-rules published content-dir 中卫市政务公开办法（征求意见稿） (served)
                2 in-force published content-dir 政务公开工作要点 (served)
            "#]],
        );
        drop(t);

        // The operator edited a file: a new revision, served at once; the old one is kept.
        let edited = retitled(IN_FORCE_MD, "政务公开工作要点（修订）");
        let t = start(
            dir.path(),
            vec![seed("draft.md", DRAFT_MD), seed("in-force.md", &edited)],
        );
        check_revisions(
            &t,
            expect![[r#"
                1 draft-rules published content-dir 中卫市政务公开办法（征求意见稿） (served)
                2 in-force published content-dir 政务公开工作要点
                3 in-force published content-dir 政务公开工作要点（修订） (served)
            "#]],
        );
        let served = t.get("/api/v1/documents/in-force").await;
        assert_eq!(served.json()["title"], "政务公开工作要点（修订）");
        let audit: Vec<String> = t.db(|c| {
            c.query_map(
                "SELECT detail FROM audit_log WHERE action = 'seed-revision' ORDER BY id",
                params![],
                |r| r.get(0),
            )
        });
        expect![[r#"
            [
                "{\"file\":\"draft.md\",\"outcome\":\"created\",\"revision\":1}",
                "{\"file\":\"in-force.md\",\"outcome\":\"created\",\"revision\":2}",
                "{\"file\":\"in-force.md\",\"outcome\":\"updated\",\"revision\":3}",
            ]
        "#]]
        .assert_debug_eq(&audit);
    }
}

both_backends! {
    async fn a_restart_without_the_content_files_keeps_documents_and_comments() {
        let dir = TempDir::new("restart");
        let t = start(dir.path(), vec![seed("draft.md", DRAFT_MD)]);
        let receipt = t.submit(&comment("第一条应写明适用范围。")).await;
        let before = t.get("/api/v1/documents/draft-rules").await;
        drop(t);

        let t = start(dir.path(), Vec::new());
        let after = t.get("/api/v1/documents/draft-rules").await;
        assert_eq!(after.status, 200);
        assert_eq!(after.body, before.body);
        assert_eq!(after.header("etag"), before.header("etag"));
        let status = t
            .get(&format!(
                "/api/v1/receipts/{}",
                receipt["receipt"].as_str().unwrap()
            ))
            .await;
        assert_eq!(status.status, 200, "{}", status.text());
        let revision: i64 =
            t.db(|c| c.query_row("SELECT revision FROM comments", params![], |r| r.get(0)));
        assert_eq!(
            revision, 1,
            "the comment records the revision it was made on"
        );
    }
}
