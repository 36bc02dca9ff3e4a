//! The revision rule: a revision under consultation keeps every commented provision id.
//! `check(old, new, comments, expect![[…]])` shows the diagnostics rendered like `jiedu check`.

use expect_test::{Expect, expect};
use jiedu_core::authoring::compile;
use jiedu_core::revision::{CommentCounts, check_commented_ids};

const OLD: &str = r#"+++
id = "rules"
title = "办法（征求意见稿）"
status = "consultation"
disclosure = "public"

[consultation]
opens = 2026-12-01T00:00:00+08:00
closes = 2026-12-31T23:59:59+08:00
kind = "normative"
+++

# 第一条 目的 {#s1}

为了规范工作，制定本办法。

# 第二条 范围 {#s2}

本办法适用于本市。

# 第三条 施行 {#s3}

本办法自公布之日起施行。
"#;

fn check(new: &str, comments: &[(&str, usize)], expected: Expect) {
    let old = compile(OLD).document.expect("the old revision compiles");
    let compiled = compile(new);
    let doc = compiled.document.expect("the new revision compiles");
    let counts: CommentCounts = comments
        .iter()
        .map(|(id, n)| (id.to_string(), *n))
        .collect();
    let rendered: String = check_commented_ids(&old, &doc, new, &counts)
        .iter()
        .map(|d| d.render("new.md", new))
        .collect();
    expected.assert_eq(&rendered);
}

#[test]
fn a_revision_that_keeps_every_commented_id_passes() {
    let new = OLD.replace("本办法适用于本市。", "本办法适用于本市各级行政机关。");
    check(&new, &[("s1", 2), ("s2", 1)], expect![""]);
}

#[test]
fn removing_an_uncommented_provision_is_allowed() {
    let new = OLD.replace("# 第三条 施行 {#s3}\n\n本办法自公布之日起施行。\n", "");
    check(&new, &[("s1", 2), ("s3", 0)], expect![""]);
}

#[test]
fn removing_a_commented_provision_is_refused_with_the_count() {
    let new = OLD.replace("# 第二条 范围 {#s2}\n\n本办法适用于本市。\n\n", "");
    check(
        &new,
        &[("s1", 2), ("s2", 3)],
        expect![[r#"
            error[J0201]: the provision `s2` has 3 comment(s) and this revision removes it
             --> new.md:1:1
              |
            1 | +++
              | ^
              = help: keep `{#s2}` on the provision while the consultation has comments on it; to restructure the text, publish the final version as a new document with `replaces = "…"`
        "#]],
    );
}

#[test]
fn changing_the_id_of_a_commented_provision_is_refused_and_names_the_new_id() {
    let new = OLD.replace("{#s2}", "{#scope}");
    check(
        &new,
        &[("s2", 1)],
        expect![[r#"
            error[J0201]: the provision `s2` has 1 comment(s) and this revision changes its id to `scope`
              --> new.md:17:10
               |
            17 | # 第二条 范围 {#scope}
               |               ^^^^^^^^
               = help: keep `{#s2}` on the provision while the consultation has comments on it; to restructure the text, publish the final version as a new document with `replaces = "…"`
        "#]],
    );
}

#[test]
fn the_new_id_is_found_even_where_another_id_starts_with_it() {
    let new = OLD.replace("{#s1}", "{#ab}").replace("{#s3}", "{#a}");
    check(
        &new,
        &[("s3", 1)],
        expect![[r#"
        error[J0201]: the provision `s3` has 1 comment(s) and this revision changes its id to `a`
          --> new.md:21:10
           |
        21 | # 第三条 施行 {#a}
           |               ^^^^
           = help: keep `{#s3}` on the provision while the consultation has comments on it; to restructure the text, publish the final version as a new document with `replaces = "…"`
    "#]],
    );
}
