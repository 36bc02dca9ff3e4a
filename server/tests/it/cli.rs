//! CLI tests: `jiedu check`, `build`, `import`, `schema` run as the real binary on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use expect_test::{Expect, expect, expect_file};

fn jiedu(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jiedu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("jiedu runs")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// A fresh directory under the target dir, removed and recreated for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs jiedu and renders exit code, stdout and stderr for an expect-test snapshot.
fn check(args: &[&str], cwd: &Path, expect: Expect) {
    let out = jiedu(args, cwd);
    let text = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    expect.assert_eq(&text);
}

#[test]
fn schema_is_committed_and_fresh() {
    for (kind, file) in [
        ("document", "document.schema.json"),
        ("index", "index.schema.json"),
        ("comment", "comment.schema.json"),
    ] {
        let out = jiedu(&["schema", kind], &root());
        assert!(out.status.success());
        // Run with UPDATE_EXPECT=1 to refresh docs/schema/ after a deliberate format change.
        expect_file![root().join("docs/schema").join(file)]
            .assert_eq(&String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn missing_file_is_named() {
    let dir = scratch("missing");
    check(
        &["check", "nope.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error: cannot read nope.md: No such file or directory (os error 2)
        "#]],
    );
}

#[test]
fn gbk_file_is_detected_and_converted_on_request() {
    let dir = scratch("gbk");
    let text = "关于印发中卫市政务公开工作要点的通知\n\n一、总体要求\n各县（区）人民政府要对照标准目录。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(dir.join("notice.txt"), &gbk).unwrap();
    check(
        &["import", "notice.txt"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error: notice.txt is not UTF-8 text; it looks like GBK (GB18030), as saved by Chinese Word/WPS. Convert it with `--encoding gbk`, or save it as UTF-8
        "#]],
    );
    let out = jiedu(&["import", "--encoding", "gbk", "notice.txt"], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let markdown = String::from_utf8(out.stdout).unwrap();
    assert!(markdown.contains("总体要求"), "{markdown}");
}

#[test]
fn empty_and_binary_inputs_are_refused() {
    let dir = scratch("empty");
    std::fs::write(dir.join("empty.md"), "  \n\n").unwrap();
    std::fs::write(dir.join("binary.md"), [0xff, 0xfe, 0x00, 0x81, 0xff]).unwrap();
    check(
        &["check", "empty.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error: empty.md is empty
        "#]],
    );
    check(
        &["check", "binary.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error: binary.md is not UTF-8 text (invalid byte at offset 0); save it as UTF-8
        "#]],
    );
}

#[test]
fn sample_content_checks_clean_and_builds() {
    let out = jiedu(&["check", "--deny-warnings", "content"], &root());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = scratch("build");
    let out = jiedu(
        &["build", "content", "--html", "--out", dir.to_str().unwrap()],
        &root(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index: jiedu_core::DocumentIndex =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    assert!(index.documents.len() >= 2);
    assert!(
        dir.join("media/yc-2021-openness-interview.mp4").is_file(),
        "media are copied beside the documents"
    );
    for summary in &index.documents {
        let json = std::fs::read_to_string(dir.join(format!("{}.json", summary.id))).unwrap();
        let doc: jiedu_core::Document = serde_json::from_str(&json).unwrap();
        assert_eq!(doc.summary(), *summary);
        let html = std::fs::read_to_string(dir.join(format!("{}.html", summary.id))).unwrap();
        assert!(html.contains(&format!("<h1>{}</h1>", doc.title)), "{html}");
    }
}

#[test]
fn check_speaks_the_documents_language_or_the_one_asked_for() {
    let dir = scratch("lang");
    let doc = |lang: &str| {
        format!(
            "+++\nid = \"bad\"\ntitle = \"坏文件\"\nstatus = \"in-force\"\ndisclosure = \"public\"\nlang = \"{lang}\"\n+++\n# 一、总则 {{#s1}}\n## 解读 {{.interpretation kind=background for=s2}}\n正文。\n"
        )
    };
    std::fs::write(dir.join("zh.md"), doc("zh-CN")).unwrap();
    std::fs::write(dir.join("en.md"), doc("en")).unwrap();
    check(
        &["check", "zh.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error[J0008]: 没有 id 为 `s2` 的条款
             --> zh.md:9:44
              |
            9 | ## 解读 {.interpretation kind=background for=s2}
              |                                              ^^
              = help: 最接近的条款 id：`s1`。for= 填条款标题的 id（标题里的 `{#id}`，或 `1.2` 这样的位置编号），多个用逗号分隔，或填 `document`

            checked 1 file(s): 1 error(s), 0 warning(s)
        "#]],
    );
    check(
        &["check", "--lang", "en", "zh.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error[J0008]: no provision has the id `s2`
             --> zh.md:9:44
              |
            9 | ## 解读 {.interpretation kind=background for=s2}
              |                                              ^^
              = help: did you mean `s1`? for= takes the ids of provision headings (their `{#id}`, or the position such as `1.2`), comma-separated, or `document`

            checked 1 file(s): 1 error(s), 0 warning(s)
        "#]],
    );
    check(
        &["check", "en.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error[J0008]: no provision has the id `s2`
             --> en.md:9:44
              |
            9 | ## 解读 {.interpretation kind=background for=s2}
              |                                              ^^
              = help: did you mean `s1`? for= takes the ids of provision headings (their `{#id}`, or the position such as `1.2`), comma-separated, or `document`

            checked 1 file(s): 1 error(s), 0 warning(s)
        "#]],
    );
    check(
        &["check", "--lang", "zh-CN", "en.md"],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error[J0008]: 没有 id 为 `s2` 的条款
             --> en.md:9:44
              |
            9 | ## 解读 {.interpretation kind=background for=s2}
              |                                              ^^
              = help: 最接近的条款 id：`s1`。for= 填条款标题的 id（标题里的 `{#id}`，或 `1.2` 这样的位置编号），多个用逗号分隔，或填 `document`

            checked 1 file(s): 1 error(s), 0 warning(s)
        "#]],
    );
}

#[test]
fn build_with_errors_writes_nothing_and_check_points_at_the_line() {
    let dir = scratch("bad");
    std::fs::write(
        dir.join("bad.md"),
        "+++\nid = \"bad\"\ntitle = \"坏文件\"\nstatus = \"in-force\"\ndisclosure = \"public\"\ncolour = \"red\"\n+++\n# 一、总则 {#s1}\n正文。\n",
    )
    .unwrap();
    let out = jiedu(&["build", "bad.md", "--out", "out"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !dir.join("out").exists(),
        "a failed build must not write anything"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.md:6:"), "{stderr}");

    let out = jiedu(&["check", "--json", "bad.md"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["file"], "bad.md");
    assert_eq!(first["line"], 6);
    assert_eq!(first["severity"], "error");
}
