//! Top-level headings: what each one is, read from its text and its `{…}` attribute block.
//!
//! A heading is a provision unless its classes make it an `.interpretation` or a `.faq`; its
//! `#id`, and the `kind=`, `for=`, `by=` and `date=` pairs that apply to its role, say the rest.
//! Everything wrong in a block is reported here, with the heading's line, so the assembly of the
//! document only ever sees well-formed roles.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag};

use super::attributes::{self, Attr, AttrKind};
use super::{Cx, body, codes};
use crate::date::Date;
use crate::diagnostic::tr;
use crate::model::InterpretationKind;
use crate::rich::is_safe_url;

/// A top-level heading, read.
#[derive(Debug)]
pub(super) struct Head {
    pub level: u8,
    /// The heading's first line.
    pub span: Range<usize>,
    pub text: String,
    pub role: Role,
}

/// What a heading is, with what its attributes say about it.
#[derive(Debug)]
pub(super) enum Role {
    Provision {
        id: Option<Spanned>,
    },
    Interpretation {
        id: Option<Spanned>,
        kind: InterpretationKind,
        targets: Option<Vec<Spanned>>,
        by: Option<String>,
        date: Option<Date>,
    },
    Faq {
        id: Option<Spanned>,
        targets: Option<Vec<Spanned>>,
    },
}

impl Role {
    /// The id its editor fixed with `{#id}`.
    pub fn id(&self) -> Option<&Spanned> {
        match self {
            Role::Provision { id } | Role::Interpretation { id, .. } | Role::Faq { id, .. } => {
                id.as_ref()
            }
        }
    }

    /// What the heading is, for messages.
    pub fn what(&self) -> &'static str {
        match self {
            Role::Provision { .. } => "provision",
            Role::Interpretation { .. } => "interpretation",
            Role::Faq { .. } => "FAQ",
        }
    }

    /// The ids `for=` names, for an interpretation or FAQ whose heading has one.
    pub fn targets(&self) -> Option<&Vec<Spanned>> {
        match self {
            Role::Interpretation { targets, .. } | Role::Faq { targets, .. } => targets.as_ref(),
            Role::Provision { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
/// A value written in the source, with where.
pub(super) struct Spanned {
    pub value: String,
    pub span: Range<usize>,
}

/// What a heading is, in Chinese (`provision` → `条款`), for messages.
pub(super) fn what_zh(what: &str) -> &'static str {
    match what {
        "provision" => "条款",
        "interpretation" => "解读",
        "FAQ" | "faq" => "问答",
        _ => "标题",
    }
}

/// The plain text of a top-level heading, gathered from its inline events.
#[derive(Debug, Default)]
pub(super) struct HeadingText {
    pub level: u8,
    pub span: Range<usize>,
    pub text: String,
}

impl HeadingText {
    pub fn event(&mut self, cx: &mut Cx<'_>, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                self.text.push_str(&s)
            }
            Event::SoftBreak | Event::HardBreak
                if !self.text.chars().next_back().is_some_and(body::is_wide) =>
            {
                self.text.push(' ');
            }
            Event::InlineHtml(html) | Event::Html(html)
                if !html.trim_start().starts_with("<!--") =>
            {
                cx.warning(
                    codes::RAW_HTML,
                    range,
                    tr(
                        format!(
                            "raw HTML `{}` in a heading is shown as text",
                            body::shorten(&html)
                        ),
                        format!("标题里的 HTML `{}` 会原样显示为文字", body::shorten(&html)),
                    ),
                    tr("write the heading as plain text", "标题请写成纯文字"),
                );
                self.text.push_str(&html);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let href = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.into_string(),
                };
                if !is_safe_url(&href) {
                    cx.error(
                        codes::UNSAFE_URL,
                        range,
                        tr(
                            format!("unsafe link URL `{}`", body::shorten(&href)),
                            format!("不安全的链接地址 `{}`", body::shorten(&href)),
                        ),
                        tr(
                            "use an http, https, mailto or relative URL (links in headings are shown as their text)",
                            "请使用 http、https、mailto 或相对地址（标题中的链接只显示其文字）",
                        ),
                    );
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(&dest_url) => {
                cx.error(
                        codes::UNSAFE_URL,
                        range,
                        tr(
                            format!("unsafe image URL `{}`", body::shorten(&dest_url)),
                            format!("不安全的图片地址 `{}`", body::shorten(&dest_url)),
                        ),
                        tr(
                            "use an http, https or relative URL (images in headings are shown as their alt text)",
                            "请使用 http、https 或相对地址（标题中的图片只显示其替代文字）",
                        ),
                    );
            }
            _ => {}
        }
    }
}

/// Reads a heading's attribute block and decides what the heading is.
pub(super) fn read_heading(cx: &mut Cx<'_>, h: HeadingText) -> Head {
    let span = cx.line_span(&h.span);
    let text = h.text.trim().to_owned();
    let attrs = heading_attributes(cx, &h.span, &text, &span);
    let role_name = role_class(cx, &attrs);
    let (id, pairs) = read_id_and_pairs(cx, &attrs, role_name);
    let targets = pairs.get("for").map(|a| split_targets(a));
    let role = match role_name {
        "interpretation" => interpretation_role(cx, &pairs, id, targets, &span),
        "faq" => Role::Faq { id, targets },
        _ => Role::Provision { id },
    };
    check_targets_named(cx, &role, &pairs);
    Head {
        level: h.level,
        span,
        text,
        role,
    }
}

/// The `key=value` pairs of a heading that apply to it, each given once and with a value.
type Pairs<'a> = HashMap<&'a str, &'a Attr>;

/// The heading's `{…}` attribute block, read again from the source (see [`attributes`]). Without
/// one, a heading whose text ends like a block the parser did not take gets a warning, since
/// its editor meant it as one.
fn heading_attributes(
    cx: &mut Cx<'_>,
    heading: &Range<usize>,
    text: &str,
    line: &Range<usize>,
) -> Vec<Attr> {
    if let Some(block) = attributes::find_block(cx.source, heading.clone()) {
        let (read, errors) = attributes::parse_block(cx.source, block);
        for e in errors {
            cx.error(codes::MALFORMED_ATTRIBUTES, e.span, e.message, e.hint);
        }
        return read;
    }
    if looks_like_attributes(text) {
        cx.warning(
            codes::UNREAD_ATTRIBUTES,
            line.clone(),
            tr(
                "the heading ends with something like an attribute block that is not read as one",
                "标题末尾像是属性块，但没有被识别为属性块",
            ),
            tr(
                "write the block with ASCII braces and punctuation, last on the heading line, without `<`, `>` or `\\`: `{.interpretation kind=background}`",
                "属性块请用半角花括号和半角标点，放在标题行最后，不要含 `<`、`>` 或 `\\`：`{.interpretation kind=background}`",
            ),
        );
    }
    Vec::new()
}

/// What the heading's classes make it: `interpretation`, `faq`, or `provision` when it has
/// neither. Reports unknown classes, a class given twice and a heading given both.
fn role_class(cx: &mut Cx<'_>, attrs: &[Attr]) -> &'static str {
    let mut role: Option<&'static str> = None;
    for a in attrs.iter().filter(|a| a.kind == AttrKind::Class) {
        let name = match a.name.as_str() {
            "interpretation" => "interpretation",
            "faq" => "faq",
            other => {
                report_unknown_class(cx, a, other);
                continue;
            }
        };
        match role {
            None => role = Some(name),
            Some(first) if first == name => cx.error(
                codes::MALFORMED_ATTRIBUTES,
                a.span.clone(),
                tr(
                    format!("`.{name}` is given twice"),
                    format!("`.{name}` 写了两次"),
                ),
                tr("remove the repeated class", "删去重复的类名"),
            ),
            Some(first) => cx.error(
                codes::UNKNOWN_ATTRIBUTE,
                a.span.clone(),
                tr(
                    format!("a heading cannot be both `.{first}` and `.{name}`"),
                    format!("一个标题不能同时是 `.{first}` 和 `.{name}`"),
                ),
                tr(
                    "split it into two headings: one interpretation, one FAQ",
                    "拆成两个标题：一个解读，一个问答",
                ),
            ),
        }
    }
    role.unwrap_or("provision")
}

fn report_unknown_class(cx: &mut Cx<'_>, a: &Attr, class: &str) {
    cx.error(
        codes::UNKNOWN_ATTRIBUTE,
        a.span.clone(),
        tr(
            format!("unknown class `.{class}`"),
            format!("未知的类名 `.{class}`"),
        ),
        tr(
            "a heading is a provision unless it has `.interpretation` or `.faq`; no other class exists",
            "标题默认是条款，加 `.interpretation` 是解读，加 `.faq` 是问答；没有其他类名",
        ),
    );
}

/// The heading's `#id` and the pairs that apply to a heading of `role_name`, in the order they
/// are written, reporting those that cannot be taken.
fn read_id_and_pairs<'a>(
    cx: &mut Cx<'_>,
    attrs: &'a [Attr],
    role_name: &str,
) -> (Option<Spanned>, Pairs<'a>) {
    let mut id: Option<Spanned> = None;
    let mut pairs = Pairs::new();
    for a in attrs {
        match a.kind {
            AttrKind::Class => {}
            AttrKind::Id => read_id(cx, a, &mut id),
            AttrKind::Pair => read_pair(cx, a, role_name, &mut pairs),
        }
    }
    (id, pairs)
}

/// Takes a `#id` when the heading has none yet and it is a valid id.
fn read_id(cx: &mut Cx<'_>, a: &Attr, id: &mut Option<Spanned>) {
    let value = a.value.clone().unwrap_or_default();
    if id.is_some() {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr("the heading has two ids", "这个标题有两个 id"),
            tr("keep one `#id`", "只保留一个 `#id`"),
        );
    } else if !is_heading_id(&value) {
        report_invalid_id(cx, a, &value);
    } else {
        *id = Some(Spanned {
            value,
            span: a.value_span.clone(),
        });
    }
}

fn report_invalid_id(cx: &mut Cx<'_>, a: &Attr, value: &str) {
    cx.error(
        codes::INVALID_ID,
        a.value_span.clone(),
        if value == "document" {
            tr(
                "`document` is reserved for the whole document and cannot be an id",
                "`document` 专指整个文件，不能用作 id",
            )
        } else {
            tr(
                format!("id `{value}` may only hold A-Z, a-z, 0-9, `.`, `_` and `-`"),
                format!("id `{value}` 只能包含 A-Z、a-z、0-9、`.`、`_` 和 `-`"),
            )
        },
        tr(
            "use a short ASCII id such as `s1-2` or `art-3`",
            "请用简短的英文字母数字 id，如 `s1-2` 或 `art-3`",
        ),
    );
}

/// The pairs each kind of heading takes.
fn allowed_pairs(role_name: &str) -> &'static [&'static str] {
    match role_name {
        "interpretation" => &["kind", "for", "by", "date"],
        "faq" => &["for"],
        _ => &[],
    }
}

/// Takes a `key=value` pair when it applies to a heading of `role_name`, is not given twice
/// and has a value.
fn read_pair<'a>(cx: &mut Cx<'_>, a: &'a Attr, role_name: &str, pairs: &mut Pairs<'a>) {
    if !allowed_pairs(role_name).contains(&a.name.as_str()) {
        report_misplaced_pair(cx, a, role_name);
    } else if pairs.contains_key(a.name.as_str()) {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr(
                format!("`{}` is given twice", a.name),
                format!("`{}` 写了两次", a.name),
            ),
            tr(
                "keep one; list several provisions in one for= with commas: for=s1,s2",
                "只保留一个；多个条款写在同一个 for= 里，用逗号分隔：for=s1,s2",
            ),
        );
    } else if a.value.as_deref().is_none_or(|v| v.trim().is_empty()) {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr(
                format!("`{}` needs a value", a.name),
                format!("`{}` 缺少取值", a.name),
            ),
            tr(
                "write it as key=value, with quotes when the value has spaces: by=\"市政府办公室 张三\"",
                "写成 键=值，值中有空格时加引号：by=\"市政府办公室 张三\"",
            ),
        );
    } else {
        pairs.insert(a.name.as_str(), a);
    }
}

/// Reports a pair the heading does not take: a known one on the wrong kind of heading, or one
/// the format does not know.
fn report_misplaced_pair(cx: &mut Cx<'_>, a: &Attr, role_name: &str) {
    let name = &a.name;
    let known = ["kind", "for", "by", "date"].contains(&name.as_str());
    let (message, hint) = if known {
        (
            tr(
                format!("`{name}=` does not apply to a {role_name} heading"),
                format!("`{name}=` 不能用于{}标题", what_zh(role_name)),
            ),
            if name == "for" {
                tr(
                    "for= links `.interpretation` and `.faq` headings to provisions",
                    "for= 用于把 `.interpretation` 和 `.faq` 标题关联到条款",
                )
            } else {
                tr(
                    "kind=, by= and date= only apply to `.interpretation` headings",
                    "kind=、by= 和 date= 只能用于 `.interpretation` 标题",
                )
            },
        )
    } else {
        (
            tr(
                format!("unknown attribute `{name}`"),
                format!("未知的属性 `{name}`"),
            ),
            tr(
                "the attributes are #id, .interpretation, .faq, kind=, for=, by= and date=",
                "可用的属性有 #id、.interpretation、.faq、kind=、for=、by= 和 date=",
            ),
        )
    };
    cx.error(codes::UNKNOWN_ATTRIBUTE, a.span.clone(), message, hint);
}

/// The role of an `.interpretation` heading: its kind (key points unless `kind=` says), its
/// date, and the follow-up rule that needs one.
fn interpretation_role(
    cx: &mut Cx<'_>,
    pairs: &Pairs<'_>,
    id: Option<Spanned>,
    targets: Option<Vec<Spanned>>,
    line: &Range<usize>,
) -> Role {
    let kind = interpretation_kind(cx, pairs);
    let date = interpretation_date(cx, pairs);
    if kind == InterpretationKind::FollowUp && !pairs.contains_key("date") {
        let at = pairs
            .get("kind")
            .map_or(line.clone(), |a| a.value_span.clone());
        cx.error(
            codes::FOLLOW_UP_WITHOUT_DATE,
            at,
            tr(
                "a follow-up interpretation needs date=",
                "后续解读需要写 `date=`",
            ),
            tr(
                "add the date it was published, e.g. date=2022-03-01: readers must see which interpretation is the latest",
                "加上发布日期，如 date=2022-03-01：读者要能看出哪条解读是最新的",
            ),
        );
    }
    let by = pairs.get("by").and_then(|a| a.value.as_deref());
    Role::Interpretation {
        id,
        kind,
        targets,
        by: by.map(|by| by.trim().to_owned()),
        date,
    }
}

/// `kind=`, or key points when it is missing or not a kind (which is reported).
fn interpretation_kind(cx: &mut Cx<'_>, pairs: &Pairs<'_>) -> InterpretationKind {
    let Some(a) = pairs.get("kind") else {
        return InterpretationKind::KeyPoints;
    };
    let v = a.value.as_deref().unwrap_or("").trim();
    InterpretationKind::parse(v).unwrap_or_else(|| {
        cx.error(
            codes::BAD_KIND,
            a.value_span.clone(),
            tr(
                format!("`{v}` is not an interpretation kind"),
                format!("`{v}` 不是解读类型"),
            ),
            tr(
                "kind is one of background, considerations, key-points, impact, terms, qa, graphic, video, follow-up",
                "kind 可取 background（背景）、considerations（考虑）、key-points（要点）、impact（影响）、terms（名词）、qa（问答）、graphic（图解）、video（视频）、follow-up（后续）",
            ),
        );
        InterpretationKind::KeyPoints
    })
}

/// `date=`, when it is given and is a date (it is reported when it is not).
fn interpretation_date(cx: &mut Cx<'_>, pairs: &Pairs<'_>) -> Option<Date> {
    let a = pairs.get("date")?;
    let v = a.value.as_deref().unwrap_or("").trim();
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(e) => {
            cx.error(
                codes::BAD_DATE,
                a.value_span.clone(),
                tr(format!("date: {e}"), format!("日期：{}", e.zh())),
                tr(
                    "write the date as YYYY-MM-DD, e.g. date=2021-06-10",
                    "日期写成 YYYY-MM-DD，如 date=2021-06-10",
                ),
            );
            None
        }
    }
}

/// Reports a `for=` that names nothing (only commas and spaces).
fn check_targets_named(cx: &mut Cx<'_>, role: &Role, pairs: &Pairs<'_>) {
    if role.targets().is_some_and(|t| t.is_empty())
        && let Some(a) = pairs.get("for")
    {
        cx.error(
            codes::MALFORMED_ATTRIBUTES,
            a.span.clone(),
            tr("for= names no provision", "for= 没有写任何条款"),
            tr(
                "list provision ids separated by commas (for=s1,s2) or write for=document",
                "写出条款 id，用逗号分隔（for=s1,s2），或写 for=document",
            ),
        );
    }
}

/// Splits `for=s1,s2` (ASCII or full-width commas) into ids with their spans.
fn split_targets(a: &Attr) -> Vec<Spanned> {
    let value = a.value.as_deref().unwrap_or("");
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in value
        .char_indices()
        .chain(std::iter::once((value.len(), ',')))
    {
        if c == ',' || c == '，' {
            let part = &value[start..i];
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let lead = part.len() - part.trim_start().len();
                let from = a.value_span.start + start + lead;
                out.push(Spanned {
                    value: trimmed.to_owned(),
                    span: from..from + trimmed.len(),
                });
            }
            start = i + c.len_utf8();
        }
    }
    out
}

fn is_heading_id(id: &str) -> bool {
    !id.is_empty()
        && id != "document"
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// True when a heading's text ends like an attribute block that the parser did not take:
/// full-width braces from a Chinese input method, or a block holding `<`, `>` or `\`.
fn looks_like_attributes(text: &str) -> bool {
    let text = text.trim_end();
    (text.ends_with('｝') && text.contains('｛'))
        || (text.ends_with('}')
            && text
                .rfind('{')
                .is_some_and(|i| text[i..].contains(['#', '.', '='])))
}
