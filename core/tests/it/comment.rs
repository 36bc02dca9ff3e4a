//! Comment validation against invisible text: what a reader cannot see neither counts toward a
//! minimum length nor passes as content, while CJK, emoji sequences and legitimate joiners do.

use expect_test::{Expect, expect};
use jiedu_core::Target;
use jiedu_core::comment::{NewComment, Stance, SubmitterType};

/// Each line: the label, then the errors of a comment whose text (and name) is the sample.
fn check(samples: &[(&str, &str)], expect: Expect) {
    let mut out = String::new();
    for (label, text) in samples {
        let comment = NewComment {
            target: Target::Document,
            stance: Stance::Support,
            text: (*text).into(),
            proposed_wording: None,
            name: Some((*text).into()),
            contact: None,
            submitter_type: SubmitterType::Individual,
            consent: false,
        };
        let errors: Vec<String> = comment
            .validate()
            .iter()
            .map(|e| format!("{}: {:?}", e.field, e.code))
            .collect();
        let errors = if errors.is_empty() {
            "ok".to_owned()
        } else {
            errors.join(", ")
        };
        out.push_str(&format!("{label}: {errors}\n"));
    }
    expect.assert_eq(&out);
}

#[test]
fn real_text_with_its_joiners_and_selectors_passes() {
    check(
        &[
            ("CJK", "建议将第三条中的“十五个工作日”改为“十个工作日”。"),
            ("CJK two characters", "同意"),
            ("emoji ZWJ family", "全家支持👨‍👩‍👧‍👦"),
            ("emoji ZWJ profession", "作为程序员👩🏽‍💻我赞成"),
            ("emoji with VS16 and ZWJ", "❤️‍🔥 非常支持"),
            ("keycap", "第1️⃣条很好"),
            ("flag with tags", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 同意"),
            ("ideographic variation sequence", "葛󠄀洪家属同意"),
            ("Persian ZWNJ", "می‌خواهم موافقم"),
            ("Devanagari ZWJ", "क्‍ष सहमत"),
            ("Uyghur with RLM", "ياخشى \u{200F}123"),
            ("Mongolian FVS", "ᠠ᠋ᠳ᠋ ᠰᠠᠢᠨ"),
        ],
        expect![[r#"
            CJK: ok
            CJK two characters: ok
            emoji ZWJ family: ok
            emoji ZWJ profession: ok
            emoji with VS16 and ZWJ: ok
            keycap: ok
            flag with tags: ok
            ideographic variation sequence: ok
            Persian ZWNJ: ok
            Devanagari ZWJ: ok
            Uyghur with RLM: ok
            Mongolian FVS: ok
        "#]],
    );
}

#[test]
fn invisible_text_is_not_content() {
    check(
        &[
            ("only zero-width spaces", "\u{200B}\u{200B}\u{200B}\u{200B}"),
            ("only joiners", "\u{200D}\u{200C}\u{2060}\u{FEFF}"),
            ("only tag characters", "\u{E0041}\u{E0042}\u{E0043}"),
            ("only Hangul fillers", "\u{3164}\u{3164}\u{3164}"),
            ("one visible character", "好\u{200B}\u{200B}\u{200B}"),
            ("zero-width space inside", "同\u{200B}意"),
            ("word joiner inside", "同意\u{2060}本条"),
            ("BOM inside", "\u{FEFF}同意本条"),
            ("line separator", "同意\u{2028}本条"),
            ("paragraph separator", "同意\u{2029}本条"),
            ("LRM without RTL text", "同意\u{200E}本条"),
            ("RLO override", "同意\u{202E}条本"),
            ("isolate", "同意\u{2066}本条\u{2069}"),
            (
                "tags hiding a message",
                "同意\u{E0069}\u{E0067}\u{E006E}本条",
            ),
            ("stray ZWJ after a space", "同意 \u{200D}本条"),
            ("trailing ZWJ", "同意本条\u{200D}"),
            ("variation selector at the start", "\u{FE0F}同意本条"),
            ("soft hyphen", "同意\u{00AD}本条"),
        ],
        expect![[r#"
            only zero-width spaces: text: Required, name: Required
            only joiners: text: Required, name: Required
            only tag characters: text: Required, name: Required
            only Hangul fillers: text: Required, name: Required
            one visible character: text: TooShort, name: ControlCharacters
            zero-width space inside: text: ControlCharacters, name: ControlCharacters
            word joiner inside: text: ControlCharacters, name: ControlCharacters
            BOM inside: text: ControlCharacters, name: ControlCharacters
            line separator: text: ControlCharacters, name: ControlCharacters
            paragraph separator: text: ControlCharacters, name: ControlCharacters
            LRM without RTL text: text: ControlCharacters, name: ControlCharacters
            RLO override: text: ControlCharacters, name: ControlCharacters
            isolate: text: ControlCharacters, name: ControlCharacters
            tags hiding a message: text: ControlCharacters, name: ControlCharacters
            stray ZWJ after a space: text: ControlCharacters, name: ControlCharacters
            trailing ZWJ: text: ControlCharacters, name: ControlCharacters
            variation selector at the start: text: ControlCharacters, name: ControlCharacters
            soft hyphen: text: ControlCharacters, name: ControlCharacters
        "#]],
    );
}

/// A disposition can name the provision of the final version that carries the answer
/// (「已采纳，见第五条」): the published row links there by the final version's id and the
/// provision's label; a name the final version does not have is dropped, not guessed.
#[test]
fn feedback_rows_name_the_provision_of_the_final_version() {
    use jiedu_core::comment::{
        CommentStatus, Decision, Disposition, FeedbackReport, ReviewedComment,
    };
    let final_version = jiedu_core::authoring::compile(
        "+++\nid = \"final\"\ntitle = \"办法\"\nstatus = \"in-force\"\ndisclosure = \"public\"\nreplaces = \"draft\"\n+++\n\
         ## 第五条 {#a5}\n\n清单每年更新。\n\n## 附则 {#closing}\n\n自印发之日起施行。\n",
    )
    .document
    .expect("compiles");
    let reviewed = |number, final_provision: Option<&str>| ReviewedComment {
        number,
        comment: NewComment {
            target: Target::Document,
            stance: Stance::SuggestChange,
            text: "建议每年更新清单。".into(),
            proposed_wording: Some("每年更新".into()),
            name: None,
            contact: None,
            submitter_type: SubmitterType::Individual,
            consent: false,
        },
        status: CommentStatus::Decided,
        disposition: Some(Disposition {
            decision: Decision::Adopted,
            reason: None,
            final_provision: final_provision.map(Into::into),
        }),
        duplicate_of: None,
    };
    let comments = [
        reviewed(1, Some("a5")),
        reviewed(2, Some("closing")),
        reviewed(3, Some("gone")),
        reviewed(4, None),
    ];
    let rows = |final_version| {
        FeedbackReport::build(
            "draft",
            "2027-02-01T10:00:00+08:00",
            &comments,
            final_version,
        )
        .rows
        .iter()
        .map(|r| format!("{} {:?}\n", r.number, r.see))
        .collect::<String>()
    };
    expect![[r#"
        1 Some(FinalProvision { document_id: "final", provision_id: "a5", label: "第五条" })
        2 Some(FinalProvision { document_id: "final", provision_id: "closing", label: "附则" })
        3 None
        4 None
    "#]]
    .assert_eq(&rows(Some(&final_version)));
    expect![[r#"
        1 None
        2 None
        3 None
        4 None
    "#]]
    .assert_eq(&rows(None));
}
