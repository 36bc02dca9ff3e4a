//! The TOML front matter between `+++` lines: the document's metadata and its consultation.
//!
//! The `toml` crate with serde's `deny_unknown_fields` reads it, so a misspelt key is an error at
//! that key's line rather than a silently missing value. Values that TOML accepts but the model
//! does not (a date-time without offset, a document id with capitals) are checked here, each
//! with the span of the offending value.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

mod toml_words;

use super::{Cx, codes};
use crate::date::{Date, Timestamp};
use crate::diagnostic::{Bilingual, tr};
use crate::model::{Consultation, ConsultationKind, Disclosure, Lang, Status};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: Spanned<String>,
    doc_number: Option<String>,
    issuer: Option<String>,
    issued: Option<Spanned<Datetime>>,
    effective: Option<Spanned<Datetime>>,
    status: Spanned<Status>,
    disclosure: Spanned<Disclosure>,
    #[serde(default)]
    lang: Lang,
    summary: Option<String>,
    replaces: Option<Spanned<String>>,
    consultation: Option<RawConsultation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsultation {
    opens: Spanned<Datetime>,
    closes: Spanned<Datetime>,
    kind: Spanned<ConsultationKind>,
    contact: Option<String>,
}

/// The front matter, checked, with the source spans the later checks point at.
#[derive(Debug)]
pub(crate) struct Meta {
    pub id: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub issued: Option<Date>,
    pub effective: Option<Date>,
    pub status: Status,
    pub status_span: Range<usize>,
    pub disclosure: Disclosure,
    pub disclosure_span: Range<usize>,
    pub lang: Lang,
    pub summary: Option<String>,
    pub consultation: Option<Consultation>,
    pub replaces: Option<String>,
    /// The span of `closes`' value, where a short consultation is reported.
    pub closes_span: Range<usize>,
}

/// Where the front matter is: the whole block (`+++` lines included) and the TOML inside it.
pub(crate) struct Located {
    pub block: Range<usize>,
    pub toml: Range<usize>,
}

/// Finds the TOML between the `+++` lines of the metadata block pulldown-cmark reported at `block`.
pub(crate) fn locate(source: &str, block: Range<usize>) -> Located {
    let text = source.get(block.clone()).unwrap_or("");
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let end = text.rfind('\n').map_or(start, |i| i + 1).max(start);
    Located {
        toml: block.start + start..block.start + end,
        block,
    }
}

/// Explains why a file that should open with front matter does not, pointing at its first line.
pub(crate) fn report_missing(cx: &mut Cx<'_>, base: usize) {
    let text = &cx.source[base..];
    let first_line = text.lines().next().unwrap_or("");
    let span = base..base + first_line.len();
    let (message, hint) = if first_line.trim_end() == "+++" {
        let second = text.lines().nth(1).unwrap_or("");
        if second.trim().is_empty() && text.lines().count() > 1 {
            (
                tr(
                    "the front matter opens with an empty line",
                    "前置元数据以空行开头",
                ),
                tr(
                    "put the first key (`id = \"…\"`) on the line right after `+++`",
                    "把第一个键（`id = \"…\"`）写在 `+++` 的下一行",
                ),
            )
        } else {
            (
                tr("the front matter is not closed", "前置元数据没有结束"),
                tr(
                    "end it with a line holding only `+++`",
                    "用只有 `+++` 的一行结束它",
                ),
            )
        }
    } else if first_line.trim_end() == "---" {
        (
            tr(
                "front matter must be TOML between `+++` lines, not YAML between `---` lines",
                "前置元数据应是 `+++` 之间的 TOML，而不是 `---` 之间的 YAML",
            ),
            tr(
                "replace both `---` lines with `+++` and write the keys as TOML (`title = \"…\"`)",
                "把两行 `---` 都换成 `+++`，并按 TOML 写键值（`title = \"…\"`）",
            ),
        )
    } else {
        (
            tr(
                "the file does not start with front matter",
                "文件没有以前置元数据开头",
            ),
            tr(
                "start the file with `+++`, the keys id, title, status and disclosure, and another `+++` line",
                "文件开头先写一行 `+++`，再写 id、title、status 和 disclosure 等键，最后再写一行 `+++`",
            ),
        )
    };
    cx.error(codes::FRONT_MATTER_MISSING, span, message, hint);
}

/// Parses and checks the front matter. `None` when it has errors (they are reported).
pub(crate) fn parse(cx: &mut Cx<'_>, located: &Located) -> Option<Meta> {
    let toml_text = cx.source.get(located.toml.clone()).unwrap_or("");
    let spans = Spans {
        base: located.toml.start,
        opening: located.block.start..located.block.start + 3,
    };
    if let Err(e) = toml_text.parse::<toml::Table>() {
        report_syntax(cx, &e, &spans);
        return None;
    }
    let raw: Raw = match toml::from_str(toml_text) {
        Ok(raw) => raw,
        Err(e) => {
            report_unreadable(cx, &e, toml_text, &spans);
            return None;
        }
    };
    // Diagnostics are shown in the document's language.
    cx.lang = raw.lang;
    Checker {
        cx,
        spans,
        ok: true,
    }
    .check(raw)
}

/// Where spans of the TOML text are in the whole source.
struct Spans {
    /// Where the TOML text starts.
    base: usize,
    /// The opening `+++`: where a problem without a span of its own is reported.
    opening: Range<usize>,
}

impl Spans {
    /// A span inside the TOML text moved to a span of the whole source.
    fn at(&self, span: Option<Range<usize>>) -> Range<usize> {
        match span {
            Some(s) => self.base + s.start..self.base + s.end.max(s.start),
            None => self.opening.clone(),
        }
    }
}

/// Reports TOML that does not parse at all.
fn report_syntax(cx: &mut Cx<'_>, e: &toml::de::Error, spans: &Spans) {
    cx.error(
        codes::FRONT_MATTER_SYNTAX,
        spans.at(e.span()),
        tr(
            format!("front matter is not valid TOML: {}", e.message()),
            format!(
                "前置元数据不是有效的 TOML：{}",
                toml_words::syntax_zh(e.message())
            ),
        ),
        tr(
            "write one `key = value` per line; text values need double quotes, dates do not (`issued = 2021-06-02`)",
            "每行写一个 `键 = 值`；文字要加双引号，日期不加（`issued = 2021-06-02`）",
        ),
    );
}

/// Reports valid TOML that is not front matter: an unknown or missing key, a value of the
/// wrong type or not one of the allowed ones.
fn report_unreadable(cx: &mut Cx<'_>, e: &toml::de::Error, toml_text: &str, spans: &Spans) {
    let message = e.message();
    // A key missing at the top level is reported at the opening `+++`, not at the
    // first key (toml points at the start of the table it is missing from).
    let whole = e.span().is_none_or(|s| {
        s == (0..toml_text.len()) || (message.starts_with("missing field") && s.end <= 1)
    });
    let span = if whole {
        spans.opening.clone()
    } else {
        spans.at(e.span())
    };
    let (code, hint) = unreadable_hint(message);
    cx.error(
        code,
        span,
        tr(
            format!("front matter: {message}"),
            format!("前置元数据：{}", toml_words::value_zh(message)),
        ),
        hint,
    );
}

/// The code and the hint for a message of serde's about the front matter.
fn unreadable_hint(message: &str) -> (&'static str, Bilingual) {
    if message.starts_with("unknown field") {
        (
            codes::FRONT_MATTER_UNKNOWN_KEY,
            tr(
                "check the spelling; the keys are id, title, doc_number, issuer, issued, effective, status, disclosure, lang, summary, replaces and the [consultation] table (opens, closes, kind, contact)",
                "请检查拼写；可用的键有 id、title、doc_number、issuer、issued、effective、status、disclosure、lang、summary、replaces 和 [consultation] 表（opens、closes、kind、contact）",
            ),
        )
    } else if message.starts_with("missing field") {
        (
            codes::FRONT_MATTER_MISSING_KEY,
            tr(
                "every document needs id, title, status and disclosure; a [consultation] table needs opens, closes and kind",
                "每个文件都要有 id、title、status 和 disclosure；[consultation] 表要有 opens、closes 和 kind",
            ),
        )
    } else if message.contains("expected a TOML datetime") {
        (
            codes::FRONT_MATTER_BAD_VALUE,
            tr(
                "write dates without quotes: `issued = 2021-06-02`, `opens = 2026-12-01T00:00:00+08:00`",
                "日期不加引号：`issued = 2021-06-02`，`opens = 2026-12-01T00:00:00+08:00`",
            ),
        )
    } else {
        (
            codes::FRONT_MATTER_BAD_VALUE,
            tr(
                "status is draft, consultation, in-force, revised or repealed; disclosure is public, on-request or restricted; lang is zh-CN or en; kind is rule, normative, major-decision or other",
                "status 可取 draft、consultation、in-force、revised 或 repealed；disclosure 可取 public、on-request 或 restricted；lang 可取 zh-CN 或 en；kind 可取 rule、normative、major-decision 或 other",
            ),
        )
    }
}

/// Checks the values TOML accepted but the model may not; `ok` turns false at the first
/// problem reported.
struct Checker<'c, 's> {
    cx: &'c mut Cx<'s>,
    spans: Spans,
    ok: bool,
}

impl Checker<'_, '_> {
    fn check(mut self, raw: Raw) -> Option<Meta> {
        let id = self.id(raw.id);
        let title = self.title(raw.title);
        let issued = self.date(raw.issued, "issued");
        let effective = self.date(raw.effective, "effective");
        let replaces = raw.replaces.map(|r| {
            let span = self.spans.at(Some(r.span()));
            let other = r.into_inner();
            self.ok &= replaces_ok(self.cx, &id, &other, span);
            other
        });
        let mut closes_span = self.spans.opening.clone();
        let consultation = raw.consultation.and_then(|c| {
            closes_span = self.spans.at(Some(c.closes.span()));
            self.consultation(c, &closes_span)
        });
        if !self.ok {
            return None;
        }
        Some(Meta {
            id,
            title,
            doc_number: raw.doc_number.filter(|s| !s.trim().is_empty()),
            issuer: raw.issuer.filter(|s| !s.trim().is_empty()),
            issued,
            effective,
            status_span: self.spans.at(Some(raw.status.span())),
            status: raw.status.into_inner(),
            disclosure_span: self.spans.at(Some(raw.disclosure.span())),
            disclosure: raw.disclosure.into_inner(),
            lang: raw.lang,
            summary: raw.summary.filter(|s| !s.trim().is_empty()),
            consultation,
            replaces,
            closes_span,
        })
    }

    fn error(&mut self, code: &str, span: Range<usize>, message: Bilingual, hint: Bilingual) {
        self.cx.error(code, span, message, hint);
        self.ok = false;
    }

    /// The document id: `[a-z0-9-]+`, and not the reserved `media`.
    fn id(&mut self, raw: Spanned<String>) -> String {
        let span = self.spans.at(Some(raw.span()));
        let id = raw.into_inner();
        if !is_document_id(&id) {
            self.error(
                codes::INVALID_ID,
                span,
                tr(
                    format!("document id `{id}` may only hold a-z, 0-9 and `-`"),
                    format!("文件 id `{id}` 只能包含 a-z、0-9 和 `-`"),
                ),
                tr(
                    "use lower-case ASCII letters, digits and hyphens, e.g. `zw-2021-openness`",
                    "请用小写英文字母、数字和连字符，如 `zw-2021-openness`",
                ),
            );
        } else if id == RESERVED_ID {
            self.error(
                codes::INVALID_ID,
                span,
                tr(
                    "the document id `media` is reserved",
                    "文件 id `media` 为保留名称",
                ),
                tr(
                    "`media/` is the folder of images and videos beside the documents; choose another id",
                    "`media/` 是与文件并列的图片和视频目录，请换一个 id",
                ),
            );
        }
        id
    }

    fn title(&mut self, raw: Spanned<String>) -> String {
        let span = self.spans.at(Some(raw.span()));
        let title = raw.into_inner().trim().to_owned();
        if title.is_empty() {
            self.error(
                codes::FRONT_MATTER_BAD_VALUE,
                span,
                tr("the title is empty", "标题为空"),
                tr(
                    "write the document's official title",
                    "请填写文件的正式标题",
                ),
            );
        }
        title
    }

    /// A calendar date (`issued`, `effective`), without a time.
    fn date(&mut self, value: Option<Spanned<Datetime>>, key: &str) -> Option<Date> {
        let value = value?;
        let span = self.spans.at(Some(value.span()));
        match to_date(value.get_ref()) {
            Ok(d) => Some(d),
            Err(problem) => {
                self.error(
                    codes::BAD_DATE,
                    span,
                    tr(
                        format!("{key}: {}", problem.en),
                        format!("`{key}`：{}", problem.zh),
                    ),
                    tr(
                        "write a calendar date without quotes: `2021-06-02`",
                        "日期不加引号：`2021-06-02`",
                    ),
                );
                None
            }
        }
    }

    /// The consultation: two instants with their offsets, the second after the first.
    fn consultation(
        &mut self,
        c: RawConsultation,
        closes_span: &Range<usize>,
    ) -> Option<Consultation> {
        let opens_span = self.spans.at(Some(c.opens.span()));
        let opens = to_timestamp(self.cx, c.opens.get_ref(), "opens", opens_span);
        let closes = to_timestamp(self.cx, c.closes.get_ref(), "closes", closes_span.clone());
        let (Some(opens), Some(closes)) = (opens, closes) else {
            self.ok = false;
            return None;
        };
        if closes <= opens {
            self.error(
                codes::CLOSES_BEFORE_OPENS,
                closes_span.clone(),
                tr(
                    format!("the consultation closes ({closes}) before it opens ({opens})"),
                    format!("征求意见截止时间（{closes}）早于开始时间（{opens}）"),
                ),
                tr(
                    "check both dates: `closes` must come after `opens`",
                    "请核对两个时间：`closes` 必须晚于 `opens`",
                ),
            );
        }
        Some(Consultation {
            opens,
            closes,
            kind: c.kind.into_inner(),
            contact: c.contact.filter(|s| !s.trim().is_empty()),
        })
    }
}

/// `replaces` must name another document by its id.
fn replaces_ok(cx: &mut Cx<'_>, id: &str, other: &str, span: Range<usize>) -> bool {
    if !is_document_id(other) {
        cx.error(
            codes::INVALID_ID,
            span,
            tr(
                format!("replaces: document id `{other}` may only hold a-z, 0-9 and `-`"),
                format!("replaces：文件标识 `{other}` 只能由 a-z、0-9 和 `-` 组成"),
            ),
            tr(
                "write the id of the document this one replaces, as in its front matter",
                "请填写被替代文件的标识，与该文件前置信息中的 id 一致",
            ),
        );
        false
    } else if other == id {
        cx.error(
            codes::REPLACES_ITSELF,
            span,
            tr(
                format!("document `{id}` names itself in `replaces`"),
                format!("文件 `{id}` 在 `replaces` 中写了自己的标识"),
            ),
            tr(
                "`replaces` takes the id of another document: the consultation draft this final version replaces, or the policy it supersedes",
                "`replaces` 应填写另一份文件的标识：本正式文本所替代的征求意见稿，或被新政策取代的旧政策",
            ),
        );
        false
    } else {
        true
    }
}

/// The id no document may have: `/documents/media/…` and `/api/v1/documents/media/…` are the
/// media beside the documents.
const RESERVED_ID: &str = "media";

fn is_document_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn to_date(value: &Datetime) -> Result<Date, Bilingual> {
    match (value.date, value.time) {
        (Some(d), None) => {
            Date::new(i32::from(d.year), d.month, d.day).map_err(|e| tr(e.to_string(), e.zh()))
        }
        _ => Err(tr(
            format!("`{value}` is not a date; write YYYY-MM-DD"),
            format!("`{value}` 不是日期，请写成 YYYY-MM-DD"),
        )),
    }
}

fn to_timestamp(
    cx: &mut Cx<'_>,
    value: &Datetime,
    key: &str,
    span: Range<usize>,
) -> Option<Timestamp> {
    let problem = match (value.date, value.time, value.offset) {
        (Some(_), Some(_), Some(_)) => match value.to_string().parse::<Timestamp>() {
            Ok(t) => return Some(t),
            Err(e) => tr(e.to_string(), e.zh()),
        },
        (Some(_), Some(_), None) => tr(
            format!("`{value}` has no UTC offset"),
            format!("`{value}` 没有写时区"),
        ),
        _ => tr(
            format!("`{value}` is not a date-time"),
            format!("`{value}` 不是日期时间"),
        ),
    };
    cx.error(
        codes::BAD_DATE,
        span,
        tr(
            format!("{key}: {}", problem.en),
            format!("`{key}`：{}", problem.zh),
        ),
        tr(
            "write the instant with its offset, e.g. `2026-12-01T00:00:00+08:00`",
            "写出带时区的时间，如 `2026-12-01T00:00:00+08:00`",
        ),
    );
    None
}
