//! Plain-text import tests: whole documents in official style (inputs and expected Markdown in
//! `tests/data/import/`), small cases for each rule, and properties that hold for any input.
//!
//! Update the expectations with `UPDATE_EXPECT=1 cargo test -p jiedu-core --test it import`,
//! then read the diff.

use expect_test::{Expect, ExpectFile, expect, expect_file};
use jiedu_core::Lang;
use jiedu_core::import::{Imported, import};

/// Renders the notes one per line, the way the CLI prints them.
fn notes(imported: &Imported) -> String {
    imported
        .notes
        .iter()
        .map(|n| format!("{}\n", n.render("in.txt", Lang::En)))
        .collect()
}

/// Checks the Markdown, the notes and the summary of a small case.
fn check(input: &str, expected: Expect) {
    let imported = import(input);
    assert_structure(&imported.markdown);
    let actual = format!(
        "{}---\n{}{}",
        imported.markdown,
        notes(&imported),
        imported.summary.render(Lang::En)
    );
    expected.assert_eq(&actual);
}

fn read(name: &str) -> String {
    let path = format!("{}/tests/data/import/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Checks a whole document: the Markdown against a file, the notes and the summary inline.
fn check_document(name: &str, markdown: ExpectFile, expected_notes: Expect) {
    let imported = import(&read(name));
    assert_structure(&imported.markdown);
    markdown.assert_eq(&imported.markdown);
    expected_notes.assert_eq(&format!(
        "{}{}",
        notes(&imported),
        imported.summary.render(Lang::En)
    ));
}

/// Parses the output the way the authoring parser does (pulldown-cmark with front matter and
/// heading attributes) and checks that it has the structure the import meant: front matter that
/// is valid TOML, provision headings with ids, and otherwise only plain paragraphs, so no text
/// turned into a list, a link, emphasis or HTML.
fn assert_structure(markdown: &str) {
    use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

    let options = Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let mut in_front_matter = false;
    let mut front_matter = String::new();
    let mut strong_allowed = true;
    // The closing (结尾) stands after one thematic break, below the last provision.
    let mut rule = false;
    let mut headings = 0;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::PlusesStyle)) => {
                in_front_matter = true;
            }
            Event::End(TagEnd::MetadataBlock(_)) => in_front_matter = false,
            Event::Text(text) if in_front_matter => front_matter.push_str(&text),
            Event::Start(Tag::Heading { id, classes, .. }) => {
                assert!(!rule, "heading after the closing in:\n{markdown}");
                headings += 1;
                strong_allowed = false;
                let id = id.unwrap_or_else(|| panic!("heading without id in:\n{markdown}"));
                assert!(
                    id.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                    "bad id {id}"
                );
                assert!(classes.is_empty(), "heading with classes in:\n{markdown}");
            }
            // The notice title opens the preamble in bold; nothing else is formatted.
            Event::Start(Tag::Strong) if strong_allowed => strong_allowed = false,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {}
            // Lines laid out in columns become tables, or fenced blocks when the columns are not clear.
            Event::Start(
                Tag::Table(_)
                | Tag::TableHead
                | Tag::TableRow
                | Tag::TableCell
                | Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_)),
            )
            | Event::End(
                TagEnd::Table
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => {}
            Event::End(TagEnd::Strong) => {}
            Event::Rule if !rule && headings > 0 => rule = true,
            Event::Text(_) => {}
            other => panic!("unexpected Markdown structure {other:?} in:\n{markdown}"),
        }
    }
    let table: toml::Table = toml::from_str(&front_matter)
        .unwrap_or_else(|e| panic!("front matter is not TOML: {e}\n{front_matter}"));
    for key in ["id", "title", "status", "disclosure", "lang"] {
        assert!(table.contains_key(key), "front matter lacks {key}");
    }
    let id = table["id"].as_str().unwrap_or_default();
    assert!(
        !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "bad document id {id:?}"
    );
}

#[test]
fn notice_wrapping_its_attachment() {
    check_document(
        "tongzhi-fujian.txt",
        expect_file!["../data/import/tongzhi-fujian.md"],
        expect![[r#"
            in.txt:9: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 9, 24, 27, 28, 33, 34, 35, 39
            in.txt:20: note[I010]: the notice wraps its attachment: the attachment was imported as the document; the notice's number, issuer and date are in the front matter and its text is the preamble
            in.txt:26: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 26, 27, 28, 32, 33, 34, 35, 37 … (15)
            in.txt:53: note[I009]: the imprint (版记) on lines 53–55 is not part of the document and was left out: 抄送：市委各部门，市人大常委会办公室，市政协办公室， / 市中级人民法院，市人民检察院。 / 云溪市人民政府办公室2021年6月3日印发
            import summary:
              provisions: 一、 4, （一） 10, 1. 5
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: none
              attachments: none
              notes: 4
        "#]],
    );
}

/// The same notice copied out of a PDF viewer (hard-wrapped at 28 characters, paginated anew)
/// imports to the same Markdown as the Word copy.
#[test]
fn pdf_copy_imports_like_the_word_copy() {
    let word = import(&read("tongzhi-fujian.txt"));
    let pdf = import(&read("tongzhi-fujian-pdf.txt"));
    assert_eq!(pdf.markdown, word.markdown);
    let codes = |i: &Imported| i.notes.iter().map(|n| n.code).collect::<Vec<_>>();
    assert_eq!(codes(&pdf), codes(&word));
}

#[test]
fn opinion_with_four_numbering_levels() {
    check_document(
        "shishi-yijian.txt",
        expect_file!["../data/import/shishi-yijian.md"],
        expect![[r#"
            in.txt:8: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 8, 10, 14, 18, 20, 22, 24, 26 … (20)
            in.txt:14: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 14
            in.txt:18: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 18, 20, 28, 30, 32, 34, 36, 44 … (13)
            in.txt:52: note[I005]: numbering skips a level: 1. sits directly under 三、; it and its siblings were imported one level below it
            in.txt:64: note[I014]: contact details were left out of the document: （联系人：李明，联系电话：0951-5012345）
            in.txt:66: note[I009]: the imprint (版记) on lines 66–68 is not part of the document and was left out: 抄送：县委办公室，县人大常委会办公室，县政协办公室。 / 云溪县人民政府办公室2021年7月16日印发
            import summary:
              provisions: 一、 3, （一） 3, 1. 10, （1） 3
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: signature, date, annotation
              attachments: none
              notes: 6
        "#]],
    );
}

#[test]
fn measures_with_chapters_and_articles_from_a_pdf() {
    check_document(
        "guanli-banfa.txt",
        expect_file!["../data/import/guanli-banfa.md"],
        expect![[r#"
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210720-799eb9" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:4: note[I012]: no signature date was found; issued = 2021-07-20 was taken from the note under the title
            in.txt:6: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 6, 34, 64, 102
            in.txt:104: note[I016]: effective = 2021-09-01 was read from this sentence; check it
            import summary:
              provisions: 第X章 6, 第X节 3, 第X条 23
              found: title, issued, effective
              missing: doc_number, issuer, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

// The shapes real copies come in (issue 12): each pattern as the editors paste it.

/// Pattern 3 and 5: an issuing notice of two issuers on one line, whose issued rules follow the
/// date directly with their title wrapped over two lines, and a form attached after them. The
/// rules are the document (15 articles), the form is kept as an attachment with its table.
#[test]
fn issuing_notice_with_rules_after_the_date_and_a_form() {
    check_document(
        "jubao-xize.txt",
        expect_file!["../data/import/jubao-xize.md"],
        expect![[r#"
            in.txt:12: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:13: note[I010]: the notice wraps its attachment: the attachment was imported as the document; the notice's number, issuer and date are in the front matter and its text is the preamble
            in.txt:33: note[I016]: effective = 2023-05-10 was read from this sentence; check it
            in.txt:35: note[I019]: 附件1 云溪市粮食购销领域违法违规行为举报奖励审批表 was kept at the end as a section of its own (`{#att1}`); import it as a document of its own if it is one
            in.txt:39: note[I022]: lines 39–40 are laid out in columns: they were written as a Markdown table; check it
            import summary:
              provisions: 第X条 15
              found: title, doc_number, issuer, issued, effective
              missing: disclosure
              closing: none
              attachments: kept 1 (附件1 云溪市粮食购销领域违法违规行为举报奖励审批表)
              notes: 5
        "#]],
    );
}

/// The same notice as a PDF viewer copies it: hard-wrapped at 28 characters, `— N —` page
/// numbers, a line ending in `；` where the sentence goes on, and the form's cells one per line.
#[test]
fn issuing_notice_from_a_pdf() {
    check_document(
        "jubao-xize-pdf.txt",
        expect_file!["../data/import/jubao-xize-pdf.md"],
        expect![[r#"
            in.txt:11: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:12: note[I010]: the notice wraps its attachment: the attachment was imported as the document; the notice's number, issuer and date are in the front matter and its text is the preamble
            in.txt:45: note[I016]: effective = 2023-05-10 was read from this sentence; check it
            in.txt:46: note[I019]: 附件1 云溪市粮食购销领域违法违规行为举报奖励审批表 was kept at the end as a section of its own (`{#att1}`); import it as a document of its own if it is one
            in.txt:46: note[I022]: 附件1 云溪市粮食购销领域违法违规行为举报奖励审批表 is a form whose columns the text does not show (lines 46–59); its lines were kept as they are in a fenced block: rebuild it as a table if needed
            import summary:
              provisions: 第X条 15
              found: title, doc_number, issuer, issued, effective
              missing: disclosure
              closing: none
              attachments: kept 1 (附件1 云溪市粮食购销领域违法违规行为举报奖励审批表)
              notes: 5
        "#]],
    );
}

/// The PDF copy again, double-spaced and without indentation (as some viewers copy it): blank
/// lines that fall in mid-sentence say nothing, and the import is the same but for one known
/// limit: its line widths vary too much for the wrap width to be detected, so the full line
/// ending in `；` (第九条) ends its paragraph, as it would in a Word copy.
#[test]
fn double_spaced_hard_wrapped_copy_imports_like_the_pdf_copy() {
    let pdf = read("jubao-xize-pdf.txt");
    let spaced: Vec<&str> = pdf
        .lines()
        .map(|l| l.strip_prefix("　　").unwrap_or(l))
        .collect();
    let spaced = import(&spaced.join("\n\n")).markdown;
    let seam = "实行专款专用管理；\n\n任何单位";
    assert!(spaced.contains(seam));
    assert_eq!(
        spaced.replace(seam, "实行专款专用管理；任何单位"),
        import(&pdf).markdown
    );
}

/// Pattern 1 and 2: a regulation whose header lines record its decrees and its effective date,
/// separated by blank lines.
#[test]
fn regulation_header_lines_give_number_date_and_issuer() {
    check_document(
        "regulation-header.txt",
        expect_file!["../data/import/regulation-header.md"],
        expect![[r#"
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20190403-77850d" was derived from the document number (issue date and a hash); choose a readable unique id
            in.txt:5: note[I012]: issued = 2019-04-03 and doc_number = 云溪市人民政府令第71号 were read from the line recording the latest decree; check them
            in.txt:7: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 7, 9
            in.txt:19: note[I016]: effective = 2019-05-15 was read from this sentence; check it
            import summary:
              provisions: 第X章 2, 第X条 4
              found: title, doc_number, issuer, issued, effective
              missing: disclosure
              closing: none
              attachments: none
              notes: 5
        "#]],
    );
}

/// Pattern 6: a web copy of measures that lost every line break.
#[test]
fn measures_that_lost_every_line_break() {
    check_document(
        "tiaoli-flat.txt",
        expect_file!["../data/import/tiaoli-flat.md"],
        expect![[r#"
            in.txt:1: note[I021]: this line had lost its line breaks: it was cut into 13 paragraphs at the numbering (第X条, 一、 …), after the title and addressees and before the signature and date; check the structure
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I016]: effective = 2021-10-01 was read from this sentence; check it
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210901-18889e" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:1: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 1
            import summary:
              provisions: 第X章 3, 第X条 6
              found: title, issuer, issued, effective, disclosure
              missing: doc_number
              closing: signature, date, annotation
              attachments: none
              notes: 5
        "#]],
    );
}

/// Pattern 6: a notice that lost every line break: title, number, addressees, points, signature,
/// date and annotation recovered.
#[test]
fn notice_that_lost_every_line_break() {
    check_document(
        "tongzhi-flat.txt",
        expect_file!["../data/import/tongzhi-flat.md"],
        expect![[r#"
            in.txt:1: note[I021]: this line had lost its line breaks: it was cut into 14 paragraphs at the numbering (第X条, 一、 …), after the title and addressees and before the signature and date; check the structure
            in.txt:1: note[I013]: 三、 does not open with a short title sentence (up to 30 characters, ending in 。, without commas), unlike its siblings; its heading has no title and all its text is the body
            in.txt:1: note[I013]: the points （一）–（二） under 一、 do not open with short title sentences (up to 30 characters, ending in 。, without commas), so none of them got a title and their text is the body; write titles into the headings if they have them
            in.txt:1: note[I013]: the points （一）–（二） under 二、 do not open with short title sentences (up to 30 characters, ending in 。, without commas), so none of them got a title and their text is the body; write titles into the headings if they have them
            import summary:
              provisions: 一、 3, （一） 4
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: signature, date, annotation
              attachments: none
              notes: 4
        "#]],
    );
}

/// Pattern 1: a decree line with a space, `自公布之日起施行`, and the issuer at the start of a
/// title when there is neither mark nor signature.
#[test]
fn decree_line_and_issuer_in_the_title() {
    check(
        "反间谍安全防范工作规定\n\
         2021年4月26日 中华人民共和国国家安全部令第1号公布\n\
         第一条 为了加强反间谍安全防范工作，制定本规定。\n\
         第二条 本规定自公布之日起施行。\n",
        expect![[r#"
            +++
            id = "doc-20210426-27c3d8"
            title = "反间谍安全防范工作规定"
            doc_number = "中华人民共和国国家安全部令第1号"
            issuer = "中华人民共和国国家安全部"
            issued = 2021-04-26
            effective = 2021-04-26
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            2021年4月26日中华人民共和国国家安全部令第1号公布

            # 第一条 {#a1}

            为了加强反间谍安全防范工作，制定本规定。

            # 第二条 {#a2}

            本规定自公布之日起施行。
            ---
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210426-27c3d8" was derived from the document number (issue date and a hash); choose a readable unique id
            in.txt:2: note[I012]: issued = 2021-04-26 and doc_number = 中华人民共和国国家安全部令第1号 were read from the line recording the latest decree; check them
            in.txt:2: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 2
            in.txt:4: note[I016]: effective = 2021-04-26 was read from this sentence; check it
            import summary:
              provisions: 第X条 2
              found: title, doc_number, issuer, issued, effective
              missing: disclosure
              closing: none
              attachments: none
              notes: 5
        "#]],
    );
    check(
        "国务院办公厅关于加强政务公开工作的通知\n\
         各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\
         一、总体要求\n\
         以公开为常态、不公开为例外。\n",
        expect![[r#"
            +++
            id = "doc-e584d9"
            title = "国务院办公厅关于加强政务公开工作的通知"
            issuer = "国务院办公厅"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

            # 一、总体要求 {#s1}

            以公开为常态、不公开为例外。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-e584d9" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            import summary:
              provisions: 一、 1
              found: title, issuer
              missing: doc_number, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 4
        "#]],
    );
}

/// Pattern 2: in a web copy a blank line ends a paragraph, even without closing punctuation.
#[test]
fn blank_line_ends_a_paragraph() {
    check(
        "关于全年工作日计算方法的通知\n\
         \n\
         各区人民政府：\n\
         \n\
         现将有关计算方法通知如下。\n\
         \n\
         年工作日：365天-104天-11天＝250天\n\
         \n\
         季工作日：250天÷4季＝62.5天/季\n\
         \n\
         月工作日：250天÷12月＝20.83天/月\n\
         \n\
         一、计算方法自发布之日起执行。\n",
        expect![[r#"
            +++
            id = "doc-c83eb9"
            title = "关于全年工作日计算方法的通知"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各区人民政府：

            现将有关计算方法通知如下。

            年工作日：365天-104天-11天＝250天

            季工作日：250天÷4季＝62.5天/季

            月工作日：250天÷12月＝20.83天/月

            # 一、 {#s1}

            计算方法自发布之日起执行。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-c83eb9" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:3: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:13: note[I013]: 一、 does not open with a short title sentence (up to 30 characters, ending in 。, without commas); its heading has no title and all its text is the body
            import summary:
              provisions: 一、 1
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 6
        "#]],
    );
}

/// Pattern 4: `X：` opens a point with its title; the closing paragraph after the last point is
/// reported.
#[test]
fn titles_before_a_colon() {
    check(
        "国务院办公厅关于2025年部分节假日安排的通知\n\
         国办发明电〔2024〕12号\n\
         各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\
         经国务院批准，现将2025年放假调休日期的具体安排通知如下。\n\
         一、元旦：1月1日（周三）放假1天，不调休。\n\
         二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。\n\
         三、清明节：4月4日（周五）至6日（周日）放假，共3天。\n\
         四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。\n\
         五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。\n\
         六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。\n\
         节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。\n\
         国务院办公厅\n\
         2024年11月12日\n\
         （此件公开发布）\n",
        expect![[r#"
            +++
            id = "doc-2024-12"
            title = "国务院办公厅关于2025年部分节假日安排的通知"
            doc_number = "国办发明电〔2024〕12号"
            issuer = "国务院办公厅"
            issued = 2024-11-12
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

            经国务院批准，现将2025年放假调休日期的具体安排通知如下。

            # 一、元旦 {#s1}

            1月1日（周三）放假1天，不调休。

            # 二、春节 {#s2}

            1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

            # 三、清明节 {#s3}

            4月4日（周五）至6日（周日）放假，共3天。

            # 四、劳动节 {#s4}

            5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。

            # 五、端午节 {#s5}

            5月31日（周六）至6月2日（周一）放假，共3天。

            # 六、国庆节、中秋节 {#s6}

            10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。

            ---

            节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。

            国务院办公厅

            2024年11月12日

            （此件公开发布）
            ---
            in.txt:5: note[I020]: the colon after a heading's title was left out (一、元旦：1月1日…… → heading 一、元旦): line 5, 6, 7, 8, 9, 10
            in.txt:11: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 六、: it was set apart after the provisions, behind `---`; move it into 六、's body if it belongs there
            import summary:
              provisions: 一、 6
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: 1 paragraph, signature, date, annotation
              attachments: none
              notes: 2
        "#]],
    );
}

/// Pattern 4, PDF-like: the same notice hard-wrapped, a page number in mid-point; the closing
/// paragraph, indented like a paragraph of its own, is noted.
#[test]
fn titles_before_a_colon_from_a_pdf() {
    check_document(
        "jiari-pdf.txt",
        expect_file!["../data/import/jiari-pdf.md"],
        expect![[r#"
            in.txt:6: note[I020]: the colon after a heading's title was left out (一、元旦：1月1日…… → heading 一、元旦): line 6, 7, 10, 11, 13, 17
            in.txt:19: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 六、: it was set apart after the provisions, behind `---`; move it into 六、's body if it belongs there
            import summary:
              provisions: 一、 6
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: 1 paragraph, signature, date, annotation
              attachments: none
              notes: 2
        "#]],
    );
}

/// Pattern 4, flat: the same notice as one line. The points and their colon titles are found;
/// the closing paragraph cannot be told from the last point's text without a line break.
#[test]
fn titles_before_a_colon_in_text_that_lost_its_line_breaks() {
    check(
        "国务院办公厅关于2025年部分节假日安排的通知国办发明电〔2024〕12号各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\
         经国务院批准，现将2025年放假调休日期的具体安排通知如下。一、元旦：1月1日（周三）放假1天，不调休。\
         二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。\
         三、清明节：4月4日（周五）至6日（周日）放假，共3天。\
         四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。\
         五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。\
         六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。\
         节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。\
         国务院办公厅2024年11月12日（此件公开发布）\n",
        expect![[r#"
            +++
            id = "doc-2024-12"
            title = "国务院办公厅关于2025年部分节假日安排的通知"
            doc_number = "国办发明电〔2024〕12号"
            issuer = "国务院办公厅"
            issued = 2024-11-12
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

            经国务院批准，现将2025年放假调休日期的具体安排通知如下。

            # 一、元旦 {#s1}

            1月1日（周三）放假1天，不调休。

            # 二、春节 {#s2}

            1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

            # 三、清明节 {#s3}

            4月4日（周五）至6日（周日）放假，共3天。

            # 四、劳动节 {#s4}

            5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。

            # 五、端午节 {#s5}

            5月31日（周六）至6月2日（周一）放假，共3天。

            # 六、国庆节、中秋节 {#s6}

            10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，确保人民群众祥和平安度过节日假期。

            ---

            国务院办公厅

            2024年11月12日

            （此件公开发布）
            ---
            in.txt:1: note[I021]: this line had lost its line breaks: it was cut into 13 paragraphs at the numbering (第X条, 一、 …), after the title and addressees and before the signature and date; check the structure
            in.txt:1: note[I020]: the colon after a heading's title was left out (一、元旦：1月1日…… → heading 一、元旦): line 1
            import summary:
              provisions: 一、 6
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: signature, date, annotation
              attachments: none
              notes: 2
        "#]],
    );
}

/// Pattern 8: siblings are treated alike; a one-sentence point is body, not a title, and keeps
/// its full stop.
#[test]
fn siblings_alike_and_one_sentence_points_keep_their_words() {
    check(
        "关于做好供热工作的通知\n\
         各供热企业：\n\
         一、做好供热准备\n\
         （一）供热企业应当在11月1日前完成设备检修和试运行。\n\
         （二）供热企业应当储备足够燃料，储备量不少于15天用量。\n\
         （三）各区主管部门要加强监督检查，发现问题及时督促整改。\n\
         二、保障供热质量\n\
         （一）室温达标。居民室内温度不得低于18摄氏度。\n\
         （二）热线畅通。供热企业要设立24小时服务热线。\n",
        expect![[r#"
            +++
            id = "doc-83ca46"
            title = "关于做好供热工作的通知"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各供热企业：

            # 一、做好供热准备 {#s1}

            ## （一） {#s1-1}

            供热企业应当在11月1日前完成设备检修和试运行。

            ## （二） {#s1-2}

            供热企业应当储备足够燃料，储备量不少于15天用量。

            ## （三） {#s1-3}

            各区主管部门要加强监督检查，发现问题及时督促整改。

            # 二、保障供热质量 {#s2}

            ## （一）室温达标 {#s2-1}

            居民室内温度不得低于18摄氏度。

            ## （二）热线畅通 {#s2-2}

            供热企业要设立24小时服务热线。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-83ca46" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:4: note[I013]: the points （一）–（三） under 一、 do not open with short title sentences (up to 30 characters, ending in 。, without commas), so none of them got a title and their text is the body; write titles into the headings if they have them
            in.txt:8: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 8, 9
            import summary:
              provisions: 一、 2, （一） 5
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

/// Pattern 7: lines laid out in columns become a Markdown table; rows with different cells are
/// kept as they are in a fenced block; justified lines with gaps inside sentences stay text.
#[test]
fn tables_in_the_text() {
    check(
        "关于公布收费标准的通知\n\
         一、收费标准如下。\n\
         项目\t单位\t标准\n\
         供暖费\t元/平方米\t25\n\
         管理费\t元/月\t3|5\n\
         二、其他事项如下。\n\
         名称    说明\n\
         备注    另行    通知\n\
         三、其他要求如下。\n\
         各县（区）要对照国务院部门制定的标准指引，  梳理细化本地区政务公开\n\
         事项标准目录，  并于年底前在政府网站  集中发布。\n",
        expect![[r#"
            +++
            id = "doc-3670f5"
            title = "关于公布收费标准的通知"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、 {#s1}

            收费标准如下。

            | 项目 | 单位 | 标准 |
            | --- | --- | --- |
            | 供暖费 | 元/平方米 | 25 |
            | 管理费 | 元/月 | 3\|5 |

            # 二、 {#s2}

            其他事项如下。

            ```text
            名称  说明
            备注  另行  通知
            ```

            # 三、 {#s3}

            其他要求如下。

            各县（区）要对照国务院部门制定的标准指引，梳理细化本地区政务公开事项标准目录，并于年底前在政府网站集中发布。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-3670f5" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I013]: the points 一、–三、 do not open with short title sentences (up to 30 characters, ending in 。, without commas), so none of them got a title and their text is the body; write titles into the headings if they have them
            in.txt:3: note[I022]: lines 3–5 are laid out in columns: they were written as a Markdown table; check it
            in.txt:7: note[I022]: lines 7–8 are laid out in columns, but not all rows have the same cells: they were kept as they are in a fenced block; rebuild the table if needed
            in.txt:10: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 10, 11
            import summary:
              provisions: 一、 3
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 9
        "#]],
    );
}

/// The items of an attachment note (`附件：1.检查表` ⏎ `2.联系人回执`) stay text, not points;
/// every attachment is kept, a reply slip titled `联系人回执` too (it is no contact line), and a
/// form whose rows do not line up is kept in a fenced block.
#[test]
fn attachment_note_items_and_every_attachment_kept() {
    check(
        "关于开展安全生产检查的通知\n\
         \n\
         各有关单位：\n\
         \n\
         一、检查内容\n\
         \n\
         （一）安全生产责任制落实情况；\n\
         \n\
         （二）隐患排查治理情况。\n\
         \n\
         附件：1．安全生产检查表\n\
         \n\
         2．联系人回执\n\
         \n\
         云溪市应急管理局\n\
         2025年2月20日\n\
         \n\
         附件1\n\
         安全生产检查表\n\
         序号  检查项目  检查结果\n\
         1  责任制落实\n\
         附件2\n\
         联系人回执\n\
         联系人：\n",
        expect![[r#"
            +++
            id = "doc-20250220-453e43"
            title = "关于开展安全生产检查的通知"
            issuer = "云溪市应急管理局"
            issued = 2025-02-20
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各有关单位：

            # 一、检查内容 {#s1}

            ## （一） {#s1-1}

            安全生产责任制落实情况；

            ## （二） {#s1-2}

            隐患排查治理情况。

            附件：1.安全生产检查表

            2\.联系人回执

            # 附件1 安全生产检查表 {#att1}

            ```text
            序号  检查项目  检查结果
            1  责任制落实
            ```

            # 附件2 联系人回执 {#att2}

            联系人：
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20250220-453e43" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:11: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 11, 13
            in.txt:16: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:18: note[I019]: 附件1 安全生产检查表 was kept at the end as a section of its own (`{#att1}`); import it as a document of its own if it is one
            in.txt:20: note[I022]: lines 20–21 are laid out in columns, but not all rows have the same cells: they were kept as they are in a fenced block; rebuild the table if needed
            in.txt:22: note[I019]: 附件2 联系人回执 was kept at the end as a section of its own (`{#att2}`); import it as a document of its own if it is one
            import summary:
              provisions: 一、 1, （一） 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: none
              attachments: kept 2 (附件1 安全生产检查表; 附件2 联系人回执)
              notes: 7
        "#]],
    );
}

/// Every note has a Chinese message too; the summary reads in Chinese.
#[test]
fn notes_and_summary_in_chinese() {
    let imported = import(&read("jubao-xize.txt"));
    let text: String = imported
        .notes
        .iter()
        .map(|n| format!("{}\n", n.render("in.txt", Lang::ZhCn)))
        .collect();
    expect![[r#"
        in.txt:12: note[I008]: 未找到公开属性附注（如 （此件公开发布））；按 disclosure = "public" 处理
        in.txt:13: note[I010]: 此通知印发（转发）附件：导入的是附件这份文件；通知的文号、发文机关和日期写入前置信息，通知正文作为导语
        in.txt:33: note[I016]: effective = 2023-05-10 取自此句；请核对
        in.txt:35: note[I019]: 附件1 云溪市粮食购销领域违法违规行为举报奖励审批表作为单独一节保留在文件末尾（`{#att1}`）；如它本身是一份文件，请另行导入
        in.txt:39: note[I022]: 第 39–40 行按列排布：已写成 Markdown 表格，请核对
        导入摘要：
          条款：第X条 15
          已识别：标题、文号、发文机关、成文日期、施行日期
          未找到：公开属性
          结尾：无
          附件：保留 1 件（附件1 云溪市粮食购销领域违法违规行为举报奖励审批表）
          备注：5 条
    "#]]
    .assert_eq(&format!("{text}{}", imported.summary.render(Lang::ZhCn)));
}

// Header and closing.

#[test]
fn header_mark_number_wrapped_title_addressee_signature_date() {
    check(
        "云溪市人民政府办公室文件\n\
         云政办发【 2021 】7 号\n\
         云溪市人民政府办公室关于做好\n\
         2021年度政府信息公开工作年度报告\n\
         编制发布工作的通知\n\
         各县（区）人民政府，\n\
         市政府各部门：\n\
         一、按时发布。各单位应于1月31日前发布年度报告。\n\
         云溪市人民政府办公室\n\
         2021 年 1 月 8 日\n\
         （此件依申请公开）\n",
        expect![[r#"
            +++
            id = "doc-2021-7"
            title = "云溪市人民政府办公室关于做好2021年度政府信息公开工作年度报告编制发布工作的通知"
            doc_number = "云政办发〔2021〕7号"
            issuer = "云溪市人民政府办公室"
            issued = 2021-01-08
            status = "in-force"
            disclosure = "on-request"
            lang = "zh-CN"
            +++

            各县（区）人民政府，市政府各部门：

            # 一、按时发布 {#s1}

            各单位应于1月31日前发布年度报告。

            ---

            云溪市人民政府办公室

            2021年1月8日

            （此件依申请公开）
            ---
            in.txt:8: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 8
            in.txt:10: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 10
            import summary:
              provisions: 一、 1
              found: title, doc_number, issuer, issued, disclosure
              missing: effective
              closing: signature, date, annotation
              attachments: none
              notes: 2
        "#]],
    );
}

#[test]
fn website_copy_with_the_number_under_the_title() {
    check(
        "云溪市人民政府关于调整市政府领导工作分工的通知\n\
         云政发〔2021〕3号    签发人：王某某\n\
         各县（区）人民政府，市政府各部门：\n\
         现将调整后的市政府领导工作分工通知如下。\n\
         云溪市人民政府 2021年3月1日\n",
        expect![[r#"
            +++
            id = "doc-2021-3"
            title = "云溪市人民政府关于调整市政府领导工作分工的通知"
            doc_number = "云政发〔2021〕3号"
            issuer = "云溪市人民政府"
            issued = 2021-03-01
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各县（区）人民政府，市政府各部门：

            现将调整后的市政府领导工作分工通知如下。
            ---
            in.txt:4: note[I015]: no numbered point (一、, （一）, 1., 第一条 …) was found: all the text is in the preamble; add provision headings by hand
            in.txt:5: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            import summary:
              provisions: none
              found: title, doc_number, issuer, issued
              missing: effective, disclosure
              closing: none
              attachments: none
              notes: 2
        "#]],
    );
}

#[test]
fn dates_in_chinese_numerals_and_impossible_dates() {
    check(
        "关于某事项的通知\n一、事项。内容。\n云溪市人民政府\n二〇二一年十二月二十三日\n",
        expect![[r#"
            +++
            id = "doc-20211223-b1bff6"
            title = "关于某事项的通知"
            issuer = "云溪市人民政府"
            issued = 2021-12-23
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、事项 {#s1}

            内容。

            ---

            云溪市人民政府

            二〇二一年十二月二十三日
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20211223-b1bff6" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 2
            in.txt:4: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            import summary:
              provisions: 一、 1
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: signature, date
              attachments: none
              notes: 4
        "#]],
    );
    check(
        "关于某事项的通知\n一、事项。内容。\n云溪市人民政府\n2021年2月30日\n",
        expect![[r#"
            +++
            id = "doc-b1bff6"
            title = "关于某事项的通知"
            issuer = "云溪市人民政府"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、事项 {#s1}

            内容。

            ---

            云溪市人民政府

            2021年2月30日
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-b1bff6" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 2
            in.txt:4: note[I003]: the date 2021年2月30日 is not a calendar date; issued was left out
            in.txt:4: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            import summary:
              provisions: 一、 1
              found: title, issuer
              missing: doc_number, issued, effective, disclosure
              closing: signature, date
              attachments: none
              notes: 5
        "#]],
    );
}

#[test]
fn decree_number_and_ascii_prefix_give_the_id() {
    check(
        "云溪市人民政府令\n第 5 号\n云溪市档案管理办法\n第一条 为了加强档案管理，制定本办法。\n\
         第二条 本办法自印发之日起施行。\n市长 王某某\n2021年8月2日\n",
        expect![[r#"
            +++
            id = "doc-20210802-cec710"
            title = "云溪市档案管理办法"
            doc_number = "云溪市人民政府令第5号"
            issuer = "云溪市人民政府"
            issued = 2021-08-02
            effective = 2021-08-02
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 第一条 {#a1}

            为了加强档案管理，制定本办法。

            # 第二条 {#a2}

            本办法自印发之日起施行。

            ---

            市长王某某

            2021年8月2日
            ---
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210802-cec710" was derived from the document number (issue date and a hash); choose a readable unique id
            in.txt:5: note[I016]: effective = 2021-08-02 was read from this sentence; check it
            in.txt:6: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 6
            in.txt:7: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            import summary:
              provisions: 第X条 2
              found: title, doc_number, issuer, issued, effective
              missing: disclosure
              closing: signature, date
              attachments: none
              notes: 4
        "#]],
    );
    check(
        "ZWGK〔2021〕3号\n政务公开工作要点\n一、总体要求\n",
        expect![[r#"
            +++
            id = "zwgk-2021-3"
            title = "政务公开工作要点"
            doc_number = "ZWGK〔2021〕3号"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、总体要求 {#s1}
            ---
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:2: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            import summary:
              provisions: 一、 1
              found: title, doc_number
              missing: issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 3
        "#]],
    );
}

#[test]
fn draft_title_sets_draft_status() {
    check(
        "云溪市养犬管理办法\n（征求意见稿）\n第一条 为了规范养犬行为，制定本办法。\n第二条 本办法适用于本市。\n",
        expect![[r#"
            +++
            id = "doc-7f4c64"
            title = "云溪市养犬管理办法（征求意见稿）"
            status = "draft"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 第一条 {#a1}

            为了规范养犬行为，制定本办法。

            # 第二条 {#a2}

            本办法适用于本市。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I017]: the title marks a draft: status = "draft"; add a [consultation] table to open it for comments
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-7f4c64" was derived from the title (issue date and a hash); choose a readable unique id
            import summary:
              provisions: 第X条 2
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 6
        "#]],
    );
}

#[test]
fn notice_that_does_not_issue_its_attachment_stays_the_document() {
    check(
        "关于召开政务公开工作会议的通知\n\
         各县（区）人民政府：\n\
         一、会议时间。2021年6月10日上午9时。\n\
         二、参会人员。各县（区）分管负责同志。请填写报名表。\n\
         附件：参会回执\n\
         云溪市人民政府办公室\n\
         2021年6月2日\n\
         附件\n\
         参会回执\n\
         单位名称、姓名、职务、联系电话\n",
        expect![[r#"
            +++
            id = "doc-20210602-1f5da8"
            title = "关于召开政务公开工作会议的通知"
            issuer = "云溪市人民政府办公室"
            issued = 2021-06-02
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各县（区）人民政府：

            # 一、会议时间 {#s1}

            2021年6月10日上午9时。

            # 二、参会人员 {#s2}

            各县（区）分管负责同志。请填写报名表。

            附件：参会回执

            # 附件 参会回执 {#att1}

            单位名称、姓名、职务、联系电话
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210602-1f5da8" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:3: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 3, 4
            in.txt:7: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:8: note[I019]: 附件 参会回执 was kept at the end as a section of its own (`{#att1}`); import it as a document of its own if it is one
            import summary:
              provisions: 一、 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: none
              attachments: kept 1 (附件 参会回执)
              notes: 5
        "#]],
    );
}

#[test]
fn attachment_found_by_its_name_without_a_marker_line() {
    check(
        "云溪市人民政府办公室关于印发《云溪市政务公开考核办法》的通知\n\
         各县（区）人民政府：\n\
         现将《云溪市政务公开考核办法》印发给你们，请遵照执行。\n\
         云溪市人民政府办公室\n\
         2021年6月2日\n\
         云溪市政务公开考核办法\n\
         第一条 为了做好考核工作，制定本办法。\n\
         第二条 考核每年进行一次。\n",
        expect![[r#"
            +++
            id = "doc-20210602-98ed05"
            title = "云溪市政务公开考核办法"
            issuer = "云溪市人民政府办公室"
            issued = 2021-06-02
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            **云溪市人民政府办公室关于印发《云溪市政务公开考核办法》的通知**

            各县（区）人民政府：

            现将《云溪市政务公开考核办法》印发给你们，请遵照执行。

            # 第一条 {#a1}

            为了做好考核工作，制定本办法。

            # 第二条 {#a2}

            考核每年进行一次。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210602-98ed05" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:5: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:6: note[I010]: the notice wraps its attachment: the attachment was imported as the document; the notice's number, issuer and date are in the front matter and its text is the preamble
            import summary:
              provisions: 第X条 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: none
              attachments: none
              notes: 4
        "#]],
    );
}

#[test]
fn attachment_marker_with_its_title_and_closing_formula() {
    check(
        "云溪市人民政府办公室关于印发政务公开考核办法的通知\n\
         各县（区）人民政府：\n\
         现将《云溪市政务公开考核办法》印发给你们，请遵照执行。\n\
         特此通知\n\
         附件：云溪市政务公开考核办法\n\
         云溪市人民政府办公室\n\
         2021年6月2日\n\
         附件：云溪市政务公开考核办法\n\
         第一条 为了做好考核工作，制定本办法。\n\
         第二条 考核每年进行一次。\n",
        expect![[r#"
            +++
            id = "doc-20210602-98ed05"
            title = "云溪市政务公开考核办法"
            issuer = "云溪市人民政府办公室"
            issued = 2021-06-02
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            **云溪市人民政府办公室关于印发政务公开考核办法的通知**

            各县（区）人民政府：

            现将《云溪市政务公开考核办法》印发给你们，请遵照执行。

            特此通知

            附件：云溪市政务公开考核办法

            # 第一条 {#a1}

            为了做好考核工作，制定本办法。

            # 第二条 {#a2}

            考核每年进行一次。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20210602-98ed05" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:7: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:8: note[I010]: the notice wraps its attachment: the attachment was imported as the document; the notice's number, issuer and date are in the front matter and its text is the preamble
            import summary:
              provisions: 第X条 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: none
              attachments: none
              notes: 4
        "#]],
    );
}

// Numbering.

#[test]
fn chinese_numerals_full_width_digits_and_sequence_checks() {
    check(
        "十一、第十一项\n二十三、第二十三项\n（１）全角数字\n１．全角标签\n1．全角句点\n1.重复编号\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 十一、第十一项 {#s11}

            # 二十三、第二十三项 {#s23}

            ## （1）全角数字 {#s23-1}

            ## 1.全角标签 {#s23-1_2}

            ## 1.全角句点 {#s23-1_3}

            ## 1.重复编号 {#s23-1_4}
            ---
            in.txt:1: note[I006]: numbering is out of sequence: 十一、 where 一、 was expected; an item may be missing, or a line break may have been lost in the text above
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            in.txt:2: note[I006]: numbering is out of sequence: 二十三、 where 十二、 was expected; an item may be missing, or a line break may have been lost in the text above
            in.txt:3: note[I005]: numbering skips a level: （1） sits directly under 二十三、; it and its siblings were imported one level below it
            in.txt:3: note[I020]: full-width letters and digits were made ASCII (２０２１ → 2021): line 3, 4
            in.txt:4: note[I007]: 1. repeats a number already used at this level; its id is `s23-1_2` instead of `s23-1`
            in.txt:4: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 4, 5
            in.txt:5: note[I006]: numbering is out of sequence: 1. where 2. was expected; an item may be missing, or a line break may have been lost in the text above
            in.txt:5: note[I007]: 1. repeats a number already used at this level; its id is `s23-1_3` instead of `s23-1`
            in.txt:6: note[I006]: numbering is out of sequence: 1. where 2. was expected; an item may be missing, or a line break may have been lost in the text above
            in.txt:6: note[I007]: 1. repeats a number already used at this level; its id is `s23-1_4` instead of `s23-1`
            import summary:
              provisions: 一、 2, 1. 3, （1） 1
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 16
        "#]],
    );
}

#[test]
fn articles_are_headings_without_titles_and_citations_are_not() {
    check(
        "第一条 为了规范管理，制定本办法。\n\
         第二条　本办法所称政务公开，是指行政机关公开政府信息的活动。\n\
         第三条规定的事项，按照下列规定办理：\n\
         1.涉及国家秘密的，不予公开；\n\
         2.其他事项依法公开。\n\
         第十二条 本办法自发布之日起施行。\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 第一条 {#a1}

            为了规范管理，制定本办法。

            # 第二条 {#a2}

            本办法所称政务公开，是指行政机关公开政府信息的活动。

            第三条规定的事项，按照下列规定办理：

            1\.涉及国家秘密的，不予公开；

            2\.其他事项依法公开。

            # 第十二条 {#a12}

            本办法自发布之日起施行。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            in.txt:6: note[I006]: numbering is out of sequence: 第十二条 where 第三条 was expected; an item may be missing, or a line break may have been lost in the text above
            import summary:
              provisions: 第X条 3
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

#[test]
fn sections_and_chapters_nest() {
    check(
        "第一章 总则\n第一条 目的。\n第二章 程序\n第一节 起草\n第二条 起草。\n第二节 审查\n第三条 审查。\n\
         第三章 附则\n第四条 施行。\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 第一章 总则 {#c1}

            ## 第一条 {#a1}

            目的。

            # 第二章 程序 {#c2}

            ## 第一节 起草 {#c2-1}

            ### 第二条 {#a2}

            起草。

            ## 第二节 审查 {#c2-2}

            ### 第三条 {#a3}

            审查。

            # 第三章 附则 {#c3}

            ## 第四条 {#a4}

            施行。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            import summary:
              provisions: 第X章 3, 第X节 2, 第X条 4
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 6
        "#]],
    );
}

#[test]
fn title_sentence_split_only_when_short_and_without_commas() {
    check(
        "一、总体要求\n\
         （一）规范政务信息管理。各县要对照标准指引梳理事项。\n\
         （二）这一句话虽然没有逗号但是已经明显超过了三十个汉字的长度限制所以不是标题。后文。\n\
         （三）加强管理，提升水平。后文。\n\
         （四）主要目标：\n\
         1.以“一网通办”为抓手。推进政务服务。\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、总体要求 {#s1}

            ## （一）规范政务信息管理 {#s1-1}

            各县要对照标准指引梳理事项。

            ## （二） {#s1-2}

            这一句话虽然没有逗号但是已经明显超过了三十个汉字的长度限制所以不是标题。后文。

            ## （三） {#s1-3}

            加强管理，提升水平。后文。

            ## （四）主要目标 {#s1-4}

            ### 1.以“一网通办”为抓手 {#s1-4-1}

            推进政务服务。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            in.txt:2: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 2, 6
            in.txt:3: note[I013]: （二） does not open with a short title sentence (up to 30 characters, ending in 。, without commas), unlike its siblings; its heading has no title and all its text is the body
            in.txt:4: note[I013]: （三） does not open with a short title sentence (up to 30 characters, ending in 。, without commas), unlike its siblings; its heading has no title and all its text is the body
            in.txt:5: note[I020]: the colon after a heading's title was left out (一、元旦：1月1日…… → heading 一、元旦): line 5
            import summary:
              provisions: 一、 1, （一） 4, 1. 1
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 10
        "#]],
    );
}

// Page breaks, normalisation, escaping.

#[test]
fn page_breaks_inside_sentences_are_joined() {
    check(
        "一、推进公开\n\
         （一）规范管理。各县（区）要对照国务院部门制定的标准指引，梳理细化本地\n\
         \n\
         — 3 —\n\
         \u{c}\n\
         区政务公开事项标准目录，并于年底前\n\
         -4-\n\
         完成发布工作。\n\
         （二）加强监督。各部门要定期检查，及时\n\
         第 5 页 共 8 页\n\
         整改。\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、推进公开 {#s1}

            ## （一）规范管理 {#s1-1}

            各县（区）要对照国务院部门制定的标准指引，梳理细化本地区政务公开事项标准目录，并于年底前完成发布工作。

            ## （二）加强监督 {#s1-2}

            各部门要定期检查，及时整改。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            in.txt:2: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 2, 9
            import summary:
              provisions: 一、 1, （一） 2
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

#[test]
fn crlf_tabs_and_ideographic_spaces_are_normalised() {
    check(
        "\u{feff}关于 某事 的通知\r\n\r\n\u{3000}\u{3000}一、总体要求\r\n\t以人民为中心 , 推进公开 .\r\n",
        expect![[r#"
            +++
            id = "doc-0c2b89"
            title = "关于某事的通知"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            # 一、总体要求 {#s1}

            以人民为中心，推进公开。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-0c2b89" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:1: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 1, 4
            in.txt:4: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 4
            import summary:
              provisions: 一、 1
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

#[test]
fn markdown_characters_in_the_text_stay_text() {
    check(
        "通知\n\
         # 不是标题。\n\
         - 不是列表。\n\
         > 不是引用。\n\
         <script>alert(1)</script> &amp; [链接](javascript:x) `代码` ~~删除~~ | 表格 | *强调* _下划线_ {#id} \\ ![图](a.png)。\n\
         +++\n\
         一、标题里的*星号*和{花括号}\n\
         第一条 正文。\n\
         第二条 款项如下：\n\
         1.第一项；\n\
         2) 第二项。\n",
        expect![[r#"
            +++
            id = "doc-fcfdbf"
            title = "通知"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            \#不是标题。

            \-不是列表。

            \>不是引用。

            \<script\>alert(1)\</script\> \&amp; \[链接\](javascript:x) \`代码\` \~\~删除\~\~ \|表格\| \*强调\* \_下划线\_ \{\#id\} \\ \!\[图\]（a.png）。

            \+++

            一、标题里的\*星号\*和\{花括号\}

            # 第一条 {#a1}

            正文。

            # 第二条 {#a2}

            款项如下：

            1\.第一项；

            2）第二项。
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-fcfdbf" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:2: note[I020]: spaces inside the text were removed (2021 年 → 2021年): line 2, 3, 4, 5, 11
            in.txt:5: note[I020]: punctuation was made full-width in Chinese text (, → ，, ( ) → （ ）, " → “ ”) and half-width after digits (１． → 1.): line 5, 11
            import summary:
              provisions: 第X条 2
              found: title
              missing: doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

#[test]
fn no_structure_at_all() {
    check(
        "",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++
            ---
            in.txt:1: note[I015]: no numbered point (一、, （一）, 1., 第一条 …) was found: all the text is in the preamble; add provision headings by hand
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            import summary:
              provisions: none
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
    check(
        "为了做好工作，现就有关事项说明如下。\n",
        expect![[r#"
            +++
            id = "doc-import"
            title = "（未识别标题）"
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            为了做好工作，现就有关事项说明如下。
            ---
            in.txt:1: note[I015]: no numbered point (一、, （一）, 1., 第一条 …) was found: all the text is in the preamble; add provision headings by hand
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I003]: no date (成文日期, like 2021年6月2日) was found; add issued by hand
            in.txt:1: note[I004]: no issuing body (发文机关) was found, neither above the number nor above the date; add issuer by hand
            in.txt:1: note[I001]: no title was recognised; `（未识别标题）` was written: put the title in the front matter
            in.txt:1: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:1: note[I018]: neither a document number nor a title to derive the id from: id = "doc-import"; choose a unique id
            import summary:
              provisions: none
              found: none
              missing: title, doc_number, issuer, issued, effective, disclosure
              closing: none
              attachments: none
              notes: 7
        "#]],
    );
}

// Properties: whatever the input, the import returns, and its output has the intended structure.

mod properties {
    use proptest::prelude::*;

    use super::assert_structure;
    use jiedu_core::import::import;

    /// Pieces of official documents and of Markdown, so that random inputs reach every rule.
    const FRAGMENTS: &[&str] = &[
        "一、",
        "十一、",
        "（一）",
        "(二)",
        "（二十三）",
        "1.",
        "1．",
        "１．",
        "2、",
        "（1）",
        "3)",
        "第一章 ",
        "第二节 ",
        "第三条 ",
        "第二十三条",
        "第三条规定",
        "。",
        "，",
        ",",
        "：",
        ":",
        "；",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "\u{c}",
        "— 3 —\n",
        "-4-\n",
        "第 5 页 共 8 页\n",
        "附件\n",
        "附件2\n",
        "附件：",
        "2021 年 6 月 2 日\n",
        "二〇二一年六月二日\n",
        "2021年2月30日\n",
        "（此件公开发布）\n",
        "（联系人：张三）\n",
        "抄送：",
        "2021年6月3日印发\n",
        "云溪市人民政府办公室文件\n",
        "云溪市人民政府办公室\n",
        "云政办发[2021]39号\n",
        "ZWGK〔2021〕3号\n",
        "云溪市人民政府令\n",
        "第5号\n",
        "关于印发",
        "的通知\n",
        "办法\n",
        "（征求意见稿）\n",
        "各县（区）人民政府：\n",
        "自2021年9月1日起施行",
        "自印发之日起施行",
        "*",
        "#",
        "<",
        ">",
        "[",
        "]",
        "(",
        ")",
        "`",
        "\\",
        "&",
        "|",
        "~",
        "{",
        "}",
        "-",
        "+",
        "=",
        "_",
        "!",
        "\"",
        " ",
        "  ",
        "\u{3000}",
        "\t",
        "\u{a0}",
        "\u{200b}",
        "\u{feff}",
        "\u{E000}",
        "规范政务信息管理",
        "各县要对照标准指引",
        "ab",
        "12",
        "2021",
        "—",
        "+++\n",
        "---\n",
        // Text that lost its line breaks, record lines, attachments, tables.
        "。第一条",
        "。第二条",
        "第一章总则",
        "。一、",
        "：（一）",
        "。（二）",
        "为了规范政务数据共享提高行政效率根据有关法律法规结合本市实际制定本办法",
        "2019年4月3日云溪市人民政府令第71号修订\n",
        "2019年5月15日 施行\n",
        "附件1\n",
        "附件2：报名表\n",
        "联系人回执\n",
        "审批表\n",
        "项目\t单位\t标准\n",
        "名称    说明\n",
        "云溪市粮食局 云溪市财政局\n",
        "国务院办公厅关于",
        "元旦：",
    ];

    fn official_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn document_like_text_imports_to_the_intended_structure(text in official_text()) {
            assert_structure(&import(&text).markdown);
        }

        #[test]
        fn arbitrary_text_imports_to_the_intended_structure(text in any::<String>()) {
            assert_structure(&import(&text).markdown);
        }
    }
}

/// Every import output compiles with the authoring compiler without errors, and the provisions
/// it finds are the headings the import wrote, with the same ids.
#[test]
fn outputs_compile_without_errors() {
    let dir = format!("{}/tests/data/import", env!("CARGO_MANIFEST_DIR"));
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            inputs += 1;
            let imported = import(&std::fs::read_to_string(&path).unwrap());
            assert_compiles(&path.display().to_string(), &imported.markdown);
        }
    }
    assert!(inputs >= 3, "no test documents in {dir}");
}

fn assert_compiles(name: &str, markdown: &str) {
    use jiedu_core::diagnostic::Severity;

    let compiled = jiedu_core::authoring::compile(markdown);
    let errors: Vec<String> = compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.render(name, markdown))
        .collect();
    assert!(errors.is_empty(), "{}", errors.concat());
    let document = compiled.document.expect("a document without errors");
    let compiled_ids: Vec<&str> = document.all_provisions().map(|p| p.id.as_str()).collect();
    let written_ids: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.rsplit_once("{#")?.1.strip_suffix('}'))
        .collect();
    assert_eq!(compiled_ids, written_ids);
    // The text after `---` is the closing, not part of the last provision.
    assert_eq!(
        markdown.contains("\n---\n"),
        !document.closing.is_empty(),
        "{name}"
    );
}

/// The closing (结尾): a closing formula after the last point, the signature, the date and the
/// disclosure annotation stand after the provisions, behind `---`, in a Word copy, a PDF copy
/// (hard wraps, indented paragraphs, a page number) and a copy that lost its line breaks (whose
/// point titles end in `。`: a title run into its text cannot be told apart). The points have two
/// paragraphs each, so only the formula tells the closing apart.
#[test]
fn closing_formula_signature_and_date_stand_after_the_provisions() {
    let word = "云溪市人民政府办公室关于做好冬季供热工作的通知\n\
                云政办发〔2025〕8号\n\
                各区人民政府，市政府各部门：\n\
                为保障群众温暖过冬，现就做好今冬供热工作通知如下。\n\
                一、做好供热准备\n\
                各供热企业要在10月31日前完成设备检修和试运行。\n\
                各区要对辖区供热准备情况进行检查。\n\
                二、加强运行保障\n\
                供热期间，各供热企业要保证居民室温不低于18℃。\n\
                遇有故障，要在24小时内修复并告知用户。\n\
                以上通知，请认真贯彻执行。\n\
                云溪市人民政府办公室\n\
                2025年10月8日\n\
                （此件公开发布）\n";
    let expected = expect![[r#"
        +++
        id = "doc-2025-8"
        title = "云溪市人民政府办公室关于做好冬季供热工作的通知"
        doc_number = "云政办发〔2025〕8号"
        issuer = "云溪市人民政府办公室"
        issued = 2025-10-08
        status = "in-force"
        disclosure = "public"
        lang = "zh-CN"
        +++

        各区人民政府，市政府各部门：

        为保障群众温暖过冬，现就做好今冬供热工作通知如下。

        # 一、做好供热准备 {#s1}

        各供热企业要在10月31日前完成设备检修和试运行。

        各区要对辖区供热准备情况进行检查。

        # 二、加强运行保障 {#s2}

        供热期间，各供热企业要保证居民室温不低于18℃。

        遇有故障，要在24小时内修复并告知用户。

        ---

        以上通知，请认真贯彻执行。

        云溪市人民政府办公室

        2025年10月8日

        （此件公开发布）
        ---
        in.txt:11: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 二、: it was set apart after the provisions, behind `---`; move it into 二、's body if it belongs there
        import summary:
          provisions: 一、 2
          found: title, doc_number, issuer, issued, disclosure
          missing: effective
          closing: 1 paragraph, signature, date, annotation
          attachments: none
          notes: 1
    "#]];
    check(word, expected);
    let pdf = [
        "云溪市人民政府办公室关于做好冬季供热工作的通知",
        "云政办发〔2025〕8号",
        "各区人民政府，市政府各部门：",
        "　　为保障群众温暖过冬，现就做好今冬供热工作通知如下。",
        "　　一、做好供热准备",
        "　　各供热企业要在10月31日前完成设备检修和试运行，检修",
        "情况报各区供热主管部门备案。",
        "　　各区要对辖区供热准备情况进行检查。",
        "　　二、加强运行保障",
        "　　供热期间，各供热企业要保证居民室温不低于18℃，并公",
        "　　　　　　　　　　　— 1 —",
        "开服务电话。",
        "　　遇有故障，要在24小时内修复并告知用户。",
        "　　以上通知，请认真贯彻执行。",
        "云溪市人民政府办公室",
        "2025年10月8日",
        "（此件公开发布）",
        "",
    ]
    .join("\n");
    check(
        &pdf,
        expect![[r#"
        +++
        id = "doc-2025-8"
        title = "云溪市人民政府办公室关于做好冬季供热工作的通知"
        doc_number = "云政办发〔2025〕8号"
        issuer = "云溪市人民政府办公室"
        issued = 2025-10-08
        status = "in-force"
        disclosure = "public"
        lang = "zh-CN"
        +++

        各区人民政府，市政府各部门：

        为保障群众温暖过冬，现就做好今冬供热工作通知如下。

        # 一、做好供热准备 {#s1}

        各供热企业要在10月31日前完成设备检修和试运行，检修情况报各区供热主管部门备案。

        各区要对辖区供热准备情况进行检查。

        # 二、加强运行保障 {#s2}

        供热期间，各供热企业要保证居民室温不低于18℃，并公开服务电话。

        遇有故障，要在24小时内修复并告知用户。

        ---

        以上通知，请认真贯彻执行。

        云溪市人民政府办公室

        2025年10月8日

        （此件公开发布）
        ---
        in.txt:14: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 二、: it was set apart after the provisions, behind `---`; move it into 二、's body if it belongs there
        import summary:
          provisions: 一、 2
          found: title, doc_number, issuer, issued, disclosure
          missing: effective
          closing: 1 paragraph, signature, date, annotation
          attachments: none
          notes: 1
    "#]],
    );
    let flat = "云溪市人民政府办公室关于做好冬季供热工作的通知云政办发〔2025〕8号各区人民政府，市政府各部门：\
                为保障群众温暖过冬，现就做好今冬供热工作通知如下。一、做好供热准备。各供热企业要在10月31日前完成设备检修和试运行。\
                各区要对辖区供热准备情况进行检查。二、加强运行保障。供热期间，各供热企业要保证居民室温不低于18℃。\
                遇有故障，要在24小时内修复并告知用户。以上通知，请认真贯彻执行。云溪市人民政府办公室2025年10月8日（此件公开发布）\n";
    check(
        flat,
        expect![[r#"
        +++
        id = "doc-2025-8"
        title = "云溪市人民政府办公室关于做好冬季供热工作的通知"
        doc_number = "云政办发〔2025〕8号"
        issuer = "云溪市人民政府办公室"
        issued = 2025-10-08
        status = "in-force"
        disclosure = "public"
        lang = "zh-CN"
        +++

        各区人民政府，市政府各部门：

        为保障群众温暖过冬，现就做好今冬供热工作通知如下。

        # 一、做好供热准备 {#s1}

        各供热企业要在10月31日前完成设备检修和试运行。各区要对辖区供热准备情况进行检查。

        # 二、加强运行保障 {#s2}

        供热期间，各供热企业要保证居民室温不低于18℃。遇有故障，要在24小时内修复并告知用户。

        ---

        以上通知，请认真贯彻执行。

        云溪市人民政府办公室

        2025年10月8日

        （此件公开发布）
        ---
        in.txt:1: note[I021]: this line had lost its line breaks: it was cut into 9 paragraphs at the numbering (第X条, 一、 …), after the title and addressees and before the signature and date; check the structure
        in.txt:1: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 二、: it was set apart after the provisions, behind `---`; move it into 二、's body if it belongs there
        in.txt:1: note[I020]: the full stop after a heading's title sentence was left out (（一）规范管理。各县…… → heading （一）规范管理): line 1
        import summary:
          provisions: 一、 2
          found: title, doc_number, issuer, issued, disclosure
          missing: effective
          closing: 1 paragraph, signature, date, annotation
          attachments: none
          notes: 3
    "#]],
    );
}

/// `特此通知。` alone after the last point is the closing; with attachments kept after the
/// provisions there is no place for a closing, and the note says so.
#[test]
fn closing_formula_alone_and_no_closing_before_attachments() {
    check(
        "关于开展安全检查的通知\n\
         各单位：\n\
         一、检查范围\n\
         各单位办公场所。\n\
         二、检查时间\n\
         2025年11月。\n\
         特此通知。\n\
         云溪市应急管理局\n\
         2025年10月8日\n",
        expect![[r#"
            +++
            id = "doc-20251008-f5c712"
            title = "关于开展安全检查的通知"
            issuer = "云溪市应急管理局"
            issued = 2025-10-08
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各单位：

            # 一、检查范围 {#s1}

            各单位办公场所。

            # 二、检查时间 {#s2}

            2025年11月。

            ---

            特此通知。

            云溪市应急管理局

            2025年10月8日
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20251008-f5c712" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:7: note[I023]: the text from here reads like the document's closing (结尾) rather than part of 二、: it was set apart after the provisions, behind `---`; move it into 二、's body if it belongs there
            in.txt:9: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            import summary:
              provisions: 一、 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: 1 paragraph, signature, date
              attachments: none
              notes: 4
        "#]],
    );
    check(
        "关于开展安全检查的通知\n\
         各单位：\n\
         一、检查范围\n\
         各单位办公场所。\n\
         二、检查时间\n\
         2025年11月。\n\
         特此通知。\n\
         附件：安全检查表\n\
         云溪市应急管理局\n\
         2025年10月8日\n\
         附件\n\
         安全检查表\n\
         单位名称  检查人  检查日期\n\
         甲单位  张三  11月3日\n",
        expect![[r#"
            +++
            id = "doc-20251008-f5c712"
            title = "关于开展安全检查的通知"
            issuer = "云溪市应急管理局"
            issued = 2025-10-08
            status = "in-force"
            disclosure = "public"
            lang = "zh-CN"
            +++

            各单位：

            # 一、检查范围 {#s1}

            各单位办公场所。

            # 二、检查时间 {#s2}

            2025年11月。

            特此通知。

            附件：安全检查表

            # 附件 安全检查表 {#att1}

            | 单位名称 | 检查人 | 检查日期 |
            | --- | --- | --- |
            | 甲单位 | 张三 | 11月3日 |
            ---
            in.txt:1: note[I002]: no document number (文号, like 云政办发〔2021〕39号) was found; add doc_number if the document has one
            in.txt:1: note[I018]: no dated document number to derive the id from: id = "doc-20251008-f5c712" was derived from the title (issue date and a hash); choose a readable unique id
            in.txt:7: note[I011]: the text from here reads like the document's closing (结尾) rather than part of 二、; attachments follow the provisions as sections, so there is no place for a closing and it is in 二、's body: move it if it belongs elsewhere
            in.txt:10: note[I008]: no disclosure annotation like （此件公开发布） was found; disclosure = "public" was assumed
            in.txt:11: note[I019]: 附件 安全检查表 was kept at the end as a section of its own (`{#att1}`); import it as a document of its own if it is one
            in.txt:13: note[I022]: lines 13–14 are laid out in columns: they were written as a Markdown table; check it
            import summary:
              provisions: 一、 2
              found: title, issuer, issued
              missing: doc_number, effective, disclosure
              closing: none
              attachments: kept 1 (附件 安全检查表)
              notes: 6
        "#]],
    );
}
