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
        ("diff", "diff.schema.json"),
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
          结尾：署名、日期、公开属性附注
          附件：无
          备注：1 条
    "#]].assert_eq(&stderr(&["import", "notice.txt"]));
    expect![[r#"
        notice.txt:5: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 5, 6
        import summary:
          provisions: 一、 1, （一） 2
          found: title, doc_number, issuer, issued, disclosure
          missing: effective
          closing: signature, date, annotation
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

            已检查 1 个文件：1 个错误，0 个警告
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

            已检查 1 个文件：1 个错误，0 个警告
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

/// A consultation draft and the final version that replaces it, as two files of one build.
const DRAFT: &str = r#"+++
id = "rules-draft"
title = "中卫市政务公开办法（征求意见稿）"
status = "consultation"
disclosure = "public"

[consultation]
opens = 2026-11-01T00:00:00+08:00
closes = 2026-11-30T23:59:59+08:00
kind = "normative"
+++
# 第一条 目的 {#a1}
为了规范政务公开工作，制定本办法。

# 第二条 公开期限 {#a2}
行政机关应当自信息形成之日起二十个工作日内予以公开。

# 第三条 监督 {#a3}
市政府办公室负责<监督>检查。
"#;

const FINAL: &str = r#"+++
id = "rules"
title = "中卫市政务公开办法"
doc_number = "卫政规发〔2026〕1号"
status = "in-force"
disclosure = "public"
replaces = "rules-draft"
+++
# 第一条 目的 {#a1}
为了规范政务公开工作，制定本办法。

# 第二条 定义 {#a1b}
本办法所称政务公开，是指行政机关公开<script>alert(1)</script>其信息的活动。

# 第三条 公开期限 {#a2}
行政机关应当自信息形成或者变更之日起十五个工作日内予以公开。
"#;

/// The closing (结尾) is on the static page after the last provision, escaped like every body.
#[test]
fn build_html_shows_the_closing_after_the_provisions() {
    let dir = scratch("closing");
    std::fs::write(
        dir.join("notice.md"),
        "+++\nid = \"notice\"\ntitle = \"通知\"\nstatus = \"in-force\"\ndisclosure = \"public\"\n+++\n\
         # 一、范围 {#s1}\n全市。\n# 二、时间 {#s2}\n全年。\n\n---\n\n以上通知，请<b>认真</b>贯彻执行。\n\n中卫市人民政府\n",
    )
    .unwrap();
    let out = jiedu(&["build", ".", "--html", "--out", "out"], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(dir.join("out/notice.html")).unwrap();
    let closing = page.find("<div class=\"closing\">").expect("a closing");
    assert!(page.find("全年。").unwrap() < closing, "{page}");
    expect![[r#"<div class="closing"><p>以上通知，请&lt;b&gt;认真&lt;/b&gt;贯彻执行。</p>"#]]
        .assert_eq(page[closing..].lines().next().unwrap());
}

#[test]
fn build_html_writes_the_comparison_of_a_final_version_with_its_draft() {
    let dir = scratch("compare");
    std::fs::write(dir.join("rules-draft.md"), DRAFT).unwrap();
    std::fs::write(dir.join("rules.md"), FINAL).unwrap();
    let out = jiedu(&["build", ".", "--html", "--out", "out"], &dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();
    assert!(
        !dir.join("out/rules-draft.compare.html").exists(),
        "the draft replaces nothing"
    );
    let page = read("rules.html");
    expect![[r#"<p class="replaces"><a href="rules.compare.html">修改前后对照表（与《中卫市政务公开办法（征求意见稿）》对照）</a></p>"#]]
        .assert_eq(page.lines().find(|l| l.contains("replaces")).unwrap());

    let draft_page = read("rules-draft.html");
    expect![[r#"<p class="replaced-by">本文件已被《<a href="rules.html">中卫市政务公开办法</a>》替代，见<a href="rules.compare.html">修改前后对照表</a></p>"#]].assert_eq(
        draft_page
            .lines()
            .find(|l| l.contains("replaced-by"))
            .unwrap(),
    );

    let compare = read("rules.compare.html");
    assert!(!compare.contains("<script>"), "authored text is escaped");
    let body = &compare[compare.find("<h1>").unwrap()..];
    expect![[r#"
        <h1>《中卫市政务公开办法》修改前后对照表</h1>
        <p class="meta">修改前：<a href="rules-draft.html">中卫市政务公开办法（征求意见稿）</a><br>修改后：<a href="rules.html">中卫市政务公开办法</a> 卫政规发〔2026〕1号</p>
        <p>新增 1 条，删除 1 条，修改 1 条，未修改 1 条。</p>
        <p class="meta">删除的文字加删除线，新增的文字加下划线；未修改的条款已折叠，点击可展开。</p>
        <table class="compare">
        <thead><tr><th scope="col">修改前</th><th scope="col">修改后</th></tr></thead>
        <tbody>
        <tr class="unchanged" id="cmp-a1"><td colspan="2" class="d0"><details><summary>第一条目的（未修改）</summary><p>为了规范政务公开工作，制定本办法。</p></details></td></tr>
        <tr class="added" id="cmp-a1b"><td class="none">（无）</td><td class="d0"><p><strong>第二条<ins><span class="vh">新增：</span>定义</ins></strong></p><p><ins><span class="vh">新增：</span>本办法所称政务公开，是指行政机关公开&lt;script&gt;alert(1)&lt;/script&gt;其信息的活动。</ins></p></td></tr>
        <tr class="changed" id="cmp-a2"><td class="d0"><p><strong>第二条公开期限</strong></p><p>行政机关应当自信息形成之日起<del><span class="vh">删除：</span>二十</del>个工作日内予以公开。</p></td><td class="d0"><p><strong>第三条公开期限</strong></p><p>行政机关应当自信息形成<ins><span class="vh">新增：</span>或者变更</ins>之日起<ins><span class="vh">新增：</span>十五</ins>个工作日内予以公开。</p></td></tr>
        <tr class="removed" id="cmp-a3"><td class="d0"><p><strong>第三条<del><span class="vh">删除：</span>监督</del></strong></p><p><del><span class="vh">删除：</span>市政府办公室负责&lt;监督&gt;检查。</del></p></td><td class="none">（无）</td></tr>
        </tbody>
        </table>
        </main>
        </body>
        </html>
    "#]]
    .assert_eq(body);
}

/// `www/labels.js` carries jiedu-core's names for the codes the editor API sends, so the review
/// console calls a decision, stance or status what the widget and the pages call it. It is
/// generated here from the `wire_enum!` tables; run with UPDATE_EXPECT=1 after changing them.
#[test]
fn review_labels_are_generated_from_core() {
    use jiedu_core::comment::{CommentStatus, Decision, Stance, SubmitterType};
    use jiedu_core::{InterpretationKind, Lang, LapseKind, Status};
    fn table<T: Copy>(
        all: &[T],
        wire: fn(T) -> &'static str,
        label: fn(T, Lang) -> &'static str,
    ) -> String {
        all.iter()
            .map(|&v| {
                let row = [wire(v), label(v, Lang::ZhCn), label(v, Lang::En)];
                format!("    {},\n", serde_json::to_string(&row).unwrap())
            })
            .collect()
    }
    let tables = [
        (
            "commentStatus",
            table(
                &CommentStatus::ALL,
                CommentStatus::as_str,
                CommentStatus::label,
            ),
        ),
        (
            "decision",
            table(&Decision::ALL, Decision::as_str, Decision::label),
        ),
        ("stance", table(&Stance::ALL, Stance::as_str, Stance::label)),
        (
            "submitterType",
            table(
                &SubmitterType::ALL,
                SubmitterType::as_str,
                SubmitterType::label,
            ),
        ),
        ("status", table(&Status::ALL, Status::as_str, Status::label)),
        (
            "lapseKind",
            table(&LapseKind::ALL, LapseKind::as_str, LapseKind::label),
        ),
        (
            "interpretationKind",
            table(
                &InterpretationKind::ALL,
                InterpretationKind::as_str,
                InterpretationKind::label,
            ),
        ),
    ];
    let mut js = String::from(
        "// Generated from jiedu-core's wire_enum! tables: [code, 中文, English] for each code the\n\
         // editor API sends. Do not edit; `UPDATE_EXPECT=1 cargo test -p jiedu-server --test it\n\
         // review_labels` rewrites it, and that test fails while it is stale.\n\
         \"use strict\";\n\
         window.JIEDU_LABELS = Object.freeze({\n",
    );
    for (name, rows) in tables {
        js.push_str(&format!("  {name}: [\n{rows}  ],\n"));
    }
    js.push_str("});\n");
    expect_file![root().join("www/labels.js")].assert_eq(&js);
}

/// A CA file for TLS to PostgreSQL that cannot be read is refused at once, naming the file,
/// instead of being accepted and failing at every request.
#[test]
fn an_unreadable_ca_file_for_postgresql_is_refused_naming_it() {
    let dir = scratch("tls");
    check(
        &[
            "token",
            "list",
            "--database-url",
            "postgres://jiedu@db.internal/jiedu?sslmode=require&sslrootcert=missing-ca.pem",
        ],
        &dir,
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            error: cannot open the database postgres://jiedu@db.internal/jiedu?sslmode=require&sslrootcert=missing-ca.pem: cannot read sslrootcert=missing-ca.pem: No such file or directory (os error 2)
        "#]],
    );
}
