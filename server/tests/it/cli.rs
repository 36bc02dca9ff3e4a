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

/// `jiedu import` prints the Markdown on stdout, and on stderr the notes and a summary an editor
/// can judge at once: in Chinese by default, in English with `--lang en`.
#[test]
fn import_prints_notes_and_a_summary_in_either_language() {
    let dir = scratch("import-summary");
    std::fs::write(
        dir.join("notice.txt"),
        "云溪市人民政府办公室关于做好供热工作的通知\n云政办发〔2024〕3号\n各区人民政府：\n\
         一、做好准备\n（一）检修。完成设备检修。\n（二）储备。储备足够燃料。\n\
         云溪市人民政府办公室\n2024年9月20日\n（此件公开发布）\n",
    )
    .unwrap();
    let stderr = |args: &[&str]| {
        let out = jiedu(args, &dir);
        assert!(out.status.success());
        assert!(String::from_utf8(out.stdout).unwrap().starts_with("+++\n"));
        String::from_utf8(out.stderr).unwrap()
    };
    expect![[r#"
        notice.txt:5: note[I020]: 标题句末尾的句号未写入标题（（一）规范管理。各县…… → 标题“（一）规范管理”）：第 5, 6 行
        导入摘要：
          条款：一、 1，（一） 2
          已识别：标题、文号、发文机关、成文日期、公开属性
          未找到：施行日期
          附件：无
          备注：1 条
    "#]].assert_eq(&stderr(&["import", "notice.txt"]));
    expect![[r#"
        notice.txt:5: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 5, 6
        import summary:
          provisions: 一、 1, （一） 2
          found: title, doc_number, issuer, issued, disclosure
          missing: effective
          attachments: none
          notes: 1
    "#]].assert_eq(&stderr(&["import", "--lang", "en", "notice.txt"]));
    check(
        &["import", "--lang", "fr", "notice.txt"],
        &dir,
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: invalid value 'fr' for '--lang <LANG>': `fr` is not a language: use zh-CN or en

            For more information, try '--help'.
        "#]],
    );
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
