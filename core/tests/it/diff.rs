//! Provision-level comparison of two versions (修改前后对照) and the character diff inside a clause.
//!
//! `check_docs(old, new, expect)` compiles two authoring sources and prints the comparison one row
//! per provision: change, id, flags, and for a changed clause its text with `[-deleted-]` and
//! `{+inserted+}` marks. `check_text(old, new, expect)` prints the character diff of two strings.

use std::fmt::Write as _;

use expect_test::{Expect, expect};
use jiedu_core::Document;
use jiedu_core::authoring::compile;
use jiedu_core::diff::{DocumentDiff, Op, Piece, diff_documents, diff_text};

fn doc(id: &str, body: &str) -> Document {
    let source = format!(
        "+++\nid = \"{id}\"\ntitle = \"测试文件\"\nstatus = \"draft\"\ndisclosure = \"public\"\n+++\n{body}"
    );
    let compiled = compile(&source);
    compiled
        .document
        .unwrap_or_else(|| panic!("does not compile: {:?}", compiled.diagnostics))
}

fn marked(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p.op {
            Op::Equal => p.text.clone(),
            Op::Delete => format!("[-{}-]", p.text),
            Op::Insert => format!("{{+{}+}}", p.text),
        })
        .collect::<String>()
        .replace('\n', "⏎")
}

fn render(diff: &DocumentDiff) -> String {
    let c = diff.counts;
    let mut out = format!(
        "{} → {}: added {}, removed {}, changed {}, unchanged {}\n",
        diff.old.id, diff.new.id, c.added, c.removed, c.changed, c.unchanged
    );
    for row in &diff.provisions {
        let side = row.new.as_ref().or(row.old.as_ref()).expect("one side");
        let _ = write!(
            out,
            "{}{} {}",
            "  ".repeat(row.depth as usize),
            row.change,
            row.id
        );
        if row.renumbered {
            let label = |s: &Option<jiedu_core::diff::ProvisionText>| {
                s.as_ref().and_then(|s| s.label.clone()).unwrap_or_default()
            };
            let _ = write!(out, " renumbered {}→{}", label(&row.old), label(&row.new));
        }
        if row.moved {
            out.push_str(" moved");
        }
        if row.title_diff.is_empty() {
            let _ = write!(out, " 「{}」", side.title);
        } else {
            let _ = write!(out, " 「{}」", marked(&row.title_diff));
        }
        if !row.text_diff.is_empty() {
            let _ = write!(out, ": {}", marked(&row.text_diff));
        }
        out.push('\n');
    }
    out
}

fn check_docs(old: &str, new: &str, expected: Expect) {
    let diff = diff_documents(&doc("old", old), &doc("new", new));
    expected.assert_eq(&render(&diff));
}

fn check_text(old: &str, new: &str, expected: Expect) {
    let pieces = diff_text(old, new);
    // The pieces always rebuild both texts.
    let side = |keep: Op| -> String {
        pieces
            .iter()
            .filter(|p| p.op == Op::Equal || p.op == keep)
            .map(|p| p.text.as_str())
            .collect()
    };
    assert_eq!(side(Op::Delete), old, "old text");
    assert_eq!(side(Op::Insert), new, "new text");
    expected.assert_eq(&marked(&pieces));
}

const DRAFT: &str = "\
# 第一条 目的 {#a1}
为了规范政务公开工作，制定本办法。

# 第二条 范围 {#a2}
本办法适用于本市各级行政机关。

# 第三条 公开期限 {#a3}
行政机关应当自信息形成之日起二十个工作日内予以公开。

# 第四条 监督 {#a4}
市政府办公室负责监督检查。
";

#[test]
fn identical_documents_are_all_unchanged() {
    check_docs(
        DRAFT,
        DRAFT,
        expect![[r#"
            old → new: added 0, removed 0, changed 0, unchanged 4
            unchanged a1 「目的」
            unchanged a2 「范围」
            unchanged a3 「公开期限」
            unchanged a4 「监督」
        "#]],
    );
}

#[test]
fn final_version_against_its_draft() {
    // 第二条 is inserted, so the old 第二条 and 第三条 are renumbered; the old 第三条 is also
    // reworded, the old 第四条 is dropped.
    let final_text = "\
# 第一条 目的 {#a1}
为了规范政务公开工作，制定本办法。

# 第二条 定义 {#a1b}
本办法所称政务公开，是指行政机关公开其信息的活动。

# 第三条 范围 {#a2}
本办法适用于本市各级行政机关。

# 第四条 公开期限 {#a3}
行政机关应当自信息形成或者变更之日起十五个工作日内予以公开。
";
    check_docs(
        DRAFT,
        final_text,
        expect![[r#"
            old → new: added 1, removed 1, changed 1, unchanged 2
            unchanged a1 「目的」
            added a1b 「定义」
            unchanged a2 renumbered 第二条→第三条 「范围」
            changed a3 renumbered 第三条→第四条 「公开期限」: 行政机关应当自信息形成{+或者变更+}之日起[-二十-]{+十五+}个工作日内予以公开。
            removed a4 「监督」
        "#]],
    );
}

#[test]
fn english_clauses_and_titles() {
    check_docs(
        "# 1. Scope {#scope}\nThese rules apply to all city departments.\n\n# 2. Deadlines {#deadlines}\nAnswer within 20 working days.\n",
        "# 1. Scope and purpose {#scope}\nThese rules apply to all city and district departments.\n\n# 2. Deadlines {#deadlines}\nAnswer within 15 working days.\n",
        expect![[r#"
            old → new: added 0, removed 0, changed 2, unchanged 0
            changed scope 「Scope{+ and purpose+}」: These rules apply to all city {+and district +}departments.
            changed deadlines 「Deadlines」: Answer within [-20-]{+15+} working days.
        "#]],
    );
}

#[test]
fn moved_provisions_keep_their_ids_and_are_flagged() {
    let moved = "\
# 第一条 目的 {#a1}
为了规范政务公开工作，制定本办法。

# 第二条 监督 {#a4}
市政府办公室负责监督检查。

# 第三条 范围 {#a2}
本办法适用于本市各级行政机关。

# 第四条 公开期限 {#a3}
行政机关应当自信息形成之日起二十个工作日内予以公开。
";
    check_docs(
        DRAFT,
        moved,
        expect![[r#"
            old → new: added 0, removed 0, changed 0, unchanged 4
            unchanged a1 「目的」
            unchanged a4 renumbered 第四条→第二条 moved 「监督」
            unchanged a2 renumbered 第二条→第三条 「范围」
            unchanged a3 renumbered 第三条→第四条 「公开期限」
        "#]],
    );
}

#[test]
fn nested_provisions_are_rows_of_their_own() {
    let old = "\
# 一、总体要求 {#s1}
## （一）规范信息管理 {#s1-1}
各县（区）人民政府要对照标准目录。
## （二）加强解读 {#s1-2}
重要政策要同步解读。
# 二、保障措施 {#s2}
加强组织领导。
";
    let new = "\
# 一、总体要求 {#s1}
## （一）规范信息管理 {#s1-1}
各县（区）人民政府要对照标准目录，逐项梳理。
# 二、保障措施 {#s2}
加强组织领导。
## （一）强化考核 {#s2-1}
纳入年度绩效考核。
";
    check_docs(
        old,
        new,
        expect![[r#"
            old → new: added 1, removed 1, changed 1, unchanged 2
            unchanged s1 「总体要求」
              changed s1-1 「规范信息管理」: 各县（区）人民政府要对照标准目录{+，逐项梳理+}。
              removed s1-2 「加强解读」
            unchanged s2 「保障措施」
              added s2-1 「强化考核」
        "#]],
    );
}

#[test]
fn removed_first_provisions_come_first() {
    check_docs(
        "# 甲 {#x}\n原文。\n\n# 乙 {#y}\n原文。\n",
        "# 乙 {#y}\n原文。\n",
        expect![[r#"
            old → new: added 0, removed 1, changed 0, unchanged 1
            removed x 「甲」
            unchanged y 「乙」
        "#]],
    );
}

#[test]
fn empty_documents() {
    check_docs(
        "",
        "",
        expect![[r#"
            old → new: added 0, removed 0, changed 0, unchanged 0
        "#]],
    );
    check_docs(
        "",
        "# 第一条 {#a1}\n新增条文。\n",
        expect![[r#"
            old → new: added 1, removed 0, changed 0, unchanged 0
            added a1 「」
        "#]],
    );
    check_docs(
        "# 第一条 {#a1}\n原有条文。\n",
        "",
        expect![[r#"
            old → new: added 0, removed 1, changed 0, unchanged 0
            removed a1 「」
        "#]],
    );
}

#[test]
fn formatting_alone_is_not_a_change() {
    check_docs(
        "# 第一条 {#a1}\n应当在二十个工作日内答复。\n",
        "# 第一条 {#a1}\n应当在**二十个工作日**内答复。\n",
        expect![[r#"
            old → new: added 0, removed 0, changed 0, unchanged 1
            unchanged a1 「」
        "#]],
    );
}

#[test]
fn character_diff_of_chinese() {
    check_text(
        "行政机关应当自收到申请之日起20个工作日内予以答复。",
        "行政机关应当自收到申请之日起15个工作日内予以答复；需要延长的，应当告知申请人。",
        expect![
            "行政机关应当自收到申请之日起[-20-]{+15+}个工作日内予以答复{+；需要延长的，应当告知申请人+}。"
        ],
    );
    check_text("", "全新条文。", expect!["{+全新条文。+}"]);
    check_text("删除的条文。", "", expect!["[-删除的条文。-]"]);
    check_text("", "", expect![""]);
    check_text("相同。", "相同。", expect!["相同。"]);
}

#[test]
fn no_single_character_islands_between_changes() {
    // A bare character diff of a rewritten phrase keeps coincidences (`的`, `公`, `政`) as equal
    // islands; the clean-up folds every equal run that is no longer than the changes on both
    // sides, so a rewrite reads as one replacement and a kept phrase between edits stays.
    check_text(
        "加强对政府信息公开的监督",
        "完善政务公开的考核评估机制",
        expect!["[-加强对政府信息公开的监督-]{+完善政务公开的考核评估机制+}"],
    );
    check_text(
        "由市人民政府负责解释",
        "由市司法局会同市政府办公室负责解释",
        expect!["由市[-人民政府-]{+司法局会同市政府办公室+}负责解释"],
    );
    check_text(
        "The city shall publish the list.",
        "The county may publish a new list.",
        expect!["The [-city shall-]{+county may+} publish [-the-]{+a new+} list."],
    );
    // Widening one end of a change to a whole word can put the other end inside one: both move.
    check_text("开ba", "开b开ba", expect!["开[-ba-]{+b开ba+}"]);
    check_text("a", "aa", expect!["[-a-]{+aa+}"]);
}

proptest::proptest! {
    /// Whatever the texts, the pieces rebuild both, no change cuts a Latin word, and no
    /// one-character equal piece sits between two changes.
    #[test]
    fn pieces_rebuild_both_texts_without_islands(
        head in "[的公开监督，ab ]{0,12}",
        was in "[的公开监督，ab ]{0,6}",
        now in "[的公开考核，ab ]{0,6}",
        tail in "[的公开监督，ab ]{0,12}",
    ) {
        // Two versions of one text: a shared head and tail around a rewritten middle.
        let (old, new) = (format!("{head}{was}{tail}"), format!("{head}{now}{tail}"));
        let pieces = diff_text(&old, &new);
        let side = |keep: Op| -> String {
            pieces.iter().filter(|p| p.op == Op::Equal || p.op == keep).map(|p| p.text.as_str()).collect()
        };
        proptest::prop_assert_eq!(side(Op::Delete), old);
        proptest::prop_assert_eq!(side(Op::Insert), new);
        // No change starts or ends inside a Latin word.
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        for w in pieces.windows(2) {
            let cut = match (w[0].op, w[1].op) {
                (Op::Equal, Op::Equal) => false,
                (Op::Equal, _) | (_, Op::Equal) => {
                    word(w[0].text.chars().next_back()) && word(w[1].text.chars().next())
                }
                _ => false,
            };
            proptest::prop_assert!(!cut, "{pieces:?}");
        }
        for w in pieces.windows(3) {
            let island = w[1].op == Op::Equal && w[1].text.chars().count() == 1;
            proptest::prop_assert!(!(island && w[0].op != Op::Equal && w[2].op != Op::Equal), "{pieces:?}");
        }
    }
}

#[test]
fn long_rewrites_fall_back_to_replace() {
    let old: String = "甲乙".repeat(3_000);
    let new: String = "丙丁".repeat(3_000);
    let pieces = diff_text(&old, &new);
    let ops: Vec<Op> = pieces.iter().map(|p| p.op).collect();
    assert_eq!(ops, [Op::Delete, Op::Insert]);
}

#[test]
fn the_diff_is_json_for_the_compare_view() {
    let diff = diff_documents(
        &doc("draft", "# 第一条 {#a1}\n二十日。\n"),
        &doc(
            "final",
            "# 第一条 {#a1}\n十五日。\n\n# 第二条 {#a2}\n新增。\n",
        ),
    );
    let json = serde_json::to_string_pretty(&diff).unwrap();
    expect![[r#"
        {
          "old": {
            "id": "draft",
            "title": "测试文件"
          },
          "new": {
            "id": "final",
            "title": "测试文件"
          },
          "counts": {
            "added": 1,
            "removed": 0,
            "changed": 1,
            "unchanged": 0
          },
          "provisions": [
            {
              "id": "a1",
              "change": "changed",
              "depth": 0,
              "old": {
                "label": "第一条",
                "title": "",
                "text": "二十日。"
              },
              "new": {
                "label": "第一条",
                "title": "",
                "text": "十五日。"
              },
              "textDiff": [
                {
                  "op": "delete",
                  "text": "二十"
                },
                {
                  "op": "insert",
                  "text": "十五"
                },
                {
                  "op": "equal",
                  "text": "日。"
                }
              ]
            },
            {
              "id": "a2",
              "change": "added",
              "depth": 0,
              "new": {
                "label": "第二条",
                "title": "",
                "text": "新增。"
              }
            }
          ]
        }"#]]
    .assert_eq(&json);
    let back: DocumentDiff = serde_json::from_str(&json).unwrap();
    assert_eq!(back, diff);
}

#[test]
fn replaces_links_a_final_version_to_its_draft() {
    let source = |replaces: &str| {
        format!(
            "+++\nid = \"rules\"\ntitle = \"办法\"\nstatus = \"in-force\"\ndisclosure = \"public\"\nreplaces = \"{replaces}\"\n+++\n# 第一条 {{#a1}}\n条文。\n"
        )
    };
    let compiled = compile(&source("rules-draft"));
    let doc = compiled.document.expect("compiles");
    assert_eq!(doc.replaces.as_deref(), Some("rules-draft"));
    assert!(
        serde_json::to_string(&doc)
            .unwrap()
            .contains(r#""replaces":"rules-draft""#)
    );
    let codes = |replaces: &str| -> Vec<String> {
        let compiled = compile(&source(replaces));
        assert!(compiled.document.is_none());
        compiled
            .diagnostics
            .into_iter()
            .map(|d| d.code.to_string())
            .collect()
    };
    assert_eq!(codes("rules"), ["J0016"]);
    assert_eq!(codes("Rules Draft"), ["J0006"]);
}
