//! The editorial checks: warnings about documents that build but fall short of the rules for
//! policy interpretation (政策解读) and public consultation (意见征集).
//!
//! The formalism checks compare character n-grams (see [`crate::text`]): Chinese has no spaces,
//! so words cannot be counted, but the share of an interpretation's n-grams that also occur in
//! the provision it interprets measures copying in any script. The measure equals
//! [`crate::text::containment`] (a test checks it). It is computed differently, though: the
//! interpretations' n-grams are hashed and gathered per target, and each target's text is scanned
//! once, so a large document costs time proportional to its size (times the heading depth), never
//! to the number of interpretations times the document.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::front_matter::Meta;
use super::{Cx, codes};
use crate::diagnostic::tr;
use crate::model::{ConsultationKind, Disclosure, Interpretation, Status};

/// The thresholds of the formalism checks. `docs/diagnostics.md` explains how they were chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    /// n-gram length for text that is mostly Chinese (each character carries about half a word).
    pub ngram_cjk: usize,
    /// n-gram length for other text (letters only; spaces and punctuation are dropped).
    pub ngram_latin: usize,
    /// Interpretations with fewer distinct n-grams than this are too short to judge.
    pub min_ngrams: usize,
    /// J1001 when at least this share of the interpretation's n-grams occur in its targets.
    pub copy: f64,
    /// J1002 when at least this share of its n-grams occur in the document's headings.
    pub headings: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            ngram_cjk: 3,
            ngram_latin: 8,
            min_ngrams: 20,
            copy: 0.5,
            headings: 0.4,
        }
    }
}

/// A provision as the checks see it: its heading, its body as plain text, its children.
#[derive(Debug)]
pub(crate) struct NodeText {
    pub heading: String,
    pub body: String,
    pub children: Vec<usize>,
}

/// An interpretation as the checks see it. A target of `None` is the whole document.
#[derive(Debug)]
pub(crate) struct InterpText {
    pub text: String,
    pub targets: Vec<Option<usize>>,
    pub span: Range<usize>,
}

/// Checks that need only the front matter and the list of interpretations.
pub(crate) fn document_checks(
    cx: &mut Cx<'_>,
    meta: &Meta,
    interpretations: &[Interpretation],
    first_interpretation: Option<&Range<usize>>,
) {
    if meta.status == Status::Consultation && meta.consultation.is_none() {
        cx.warning(
            codes::CONSULTATION_MISSING,
            meta.status_span.clone(),
            tr(
                "the status is consultation, but there is no [consultation] table",
                "状态是征求意见（`consultation`），但没有 `[consultation]` 表",
            ),
            tr(
                "add [consultation] with opens, closes and kind, so readers see the period and can comment",
                "添加 [consultation]，写明 opens、closes 和 kind，读者才能看到征求意见期并提出意见",
            ),
        );
    }
    check_consultation_length(cx, meta);
    if meta.disclosure == Disclosure::Public
        && meta.status != Status::Draft
        && interpretations.is_empty()
    {
        cx.warning(
            codes::NO_INTERPRETATION,
            meta.disclosure_span.clone(),
            tr(
                "a public document without any interpretation",
                "主动公开的文件没有任何解读",
            ),
            tr(
                "publish its interpretation with it: add a heading such as `## 出台背景 {.interpretation kind=background for=document}`",
                "解读应与文件同步发布：添加如 `## 出台背景 {.interpretation kind=background for=document}` 的标题",
            ),
        );
    }
    if let Some(span) = first_interpretation
        && !interpretations.iter().any(|i| i.kind.is_explanatory())
    {
        cx.warning(
                codes::NO_EXPLANATION,
                span.clone(),
                tr(
                    "the interpretations never explain background, considerations or impact",
                    "解读没有说明出台背景、主要考虑或影响",
                ),
                tr(
                    "restating provisions point by point is not an interpretation: add kind=background (why now), kind=considerations (what was weighed) or kind=impact (what changes for whom)",
                    "逐条复述条文不是解读：请添加 kind=background（为什么现在出台）、kind=considerations（权衡了什么）或 kind=impact（对谁有什么变化）",
                ),
            );
    }
}

/// J1005: a consultation shorter than the legal minimum for its kind of document.
fn check_consultation_length(cx: &mut Cx<'_>, meta: &Meta) {
    let Some(c) = &meta.consultation else {
        return;
    };
    let Some(minimum) = c.kind.legal_minimum_days() else {
        return;
    };
    let days = c.period_days();
    if days >= i64::from(minimum) {
        return;
    }
    let (kind, kind_zh) = match c.kind {
        ConsultationKind::Rule => ("a rule (规章)", "规章"),
        ConsultationKind::Normative => ("a normative document (规范性文件)", "规范性文件"),
        ConsultationKind::MajorDecision => (
            "a major administrative decision (重大行政决策)",
            "重大行政决策",
        ),
        ConsultationKind::Other => ("this kind", "此类文件"),
    };
    let latest = c.opens.local_date().add_days(i64::from(minimum) - 1);
    cx.warning(
        codes::SHORT_CONSULTATION,
        meta.closes_span.clone(),
        tr(
            format!(
                "the consultation lasts {days} days; {kind} must be open for at least {minimum}"
            ),
            format!("征求意见期只有 {days} 天；{kind_zh}的征求意见期不少于 {minimum} 天"),
        ),
        tr(
            format!("move `closes` to {latest} or later (both the first and the last day count)"),
            format!("把 `closes` 改到 {latest} 或更晚（首日和末日都计入）"),
        ),
    );
}

/// One character as [`crate::text::normalize`] treats it, with fast paths for ASCII and CJK
/// ideographs, which make up nearly all of a policy document; the Unicode tables are consulted
/// only for the rest. A test checks that both agree on every character.
fn normalize_char(c: char) -> Option<char> {
    match c {
        'a'..='z' | '0'..='9' => Some(c),
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        '\u{0}'..='\u{7f}' => None,
        // General punctuation (“ ” — …) and CJK punctuation (，。、《》) are not letters.
        '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' => None,
        // Full-width ASCII forms fold to ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase()),
        // CJK Unified Ideographs: all assigned, all letters, no case.
        '\u{4E00}'..='\u{9FEF}' => Some(c),
        c if c.is_alphanumeric() => Some(crate::text::fold(c)),
        _ => None,
    }
}

/// An n-gram set keyed by already-mixed 64-bit hashes.
type Grams = HashSet<u64, BuildHasherDefault<Prehashed>>;

/// A hasher for keys that are already uniformly mixed hashes.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a over the code points, then a SplitMix64 finaliser to spread the bits.
fn hash_chars<'a>(len: usize, chars: impl Iterator<Item = &'a char>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ len as u64;
    for &c in chars {
        h = (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Calls `f` with the hash of every character n-gram of the normalised `text`, streaming (no
/// copy of the text is made). Like [`crate::text::ngrams`], normalised text shorter than `n` is
/// one n-gram of its own. Repeated n-grams are passed again; sets remove them.
fn for_each_gram(text: impl Iterator<Item = char>, n: usize, mut f: impl FnMut(u64)) {
    const KEEP: usize = 1024;
    let n = n.max(1);
    let mut buf: Vec<char> = Vec::with_capacity(KEEP + n);
    for c in text.filter_map(normalize_char) {
        if buf.len() >= KEEP + n {
            buf.drain(..buf.len() - (n - 1));
        }
        buf.push(c);
        if buf.len() >= n {
            f(hash_chars(n, buf[buf.len() - n..].iter()));
        }
    }
    if !buf.is_empty() && buf.len() < n {
        f(hash_chars(buf.len(), buf.iter()));
    }
}

fn gram_set(text: &str, n: usize) -> Grams {
    let mut set = Grams::with_capacity_and_hasher(text.len() / 3, Default::default());
    for_each_gram(text.chars(), n, |g| {
        set.insert(g);
    });
    set
}

/// The share of `text`'s n-grams found in any of `sets`, as [`crate::text::containment`] measures it.
fn share(text: &Grams, sets: &[&Grams]) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let shared = text
        .iter()
        .filter(|g| sets.iter().any(|s| s.contains(*g)))
        .count();
    shared as f64 / text.len() as f64
}

/// The n-gram length for a document: Chinese-length grams when most of its letters are CJK.
fn choose_n(nodes: &[NodeText], thresholds: &Thresholds) -> usize {
    let (mut wide, mut all) = (0usize, 0usize);
    for node in nodes {
        for c in node.heading.chars().chain(node.body.chars()) {
            if c.is_ascii() {
                all += usize::from(c.is_ascii_alphanumeric());
            } else if super::body::is_wide(c) {
                wide += usize::from(normalize_char(c).is_some());
                all += 1;
            } else if c.is_alphanumeric() {
                all += 1;
            }
        }
    }
    if wide * 2 >= all {
        thresholds.ngram_cjk
    } else {
        thresholds.ngram_latin
    }
}

/// Interpretations with more targets than this are measured against the whole document.
const MAX_TARGETS: usize = 16;

/// J1001 and J1002: interpretations that copy their provisions or list the headings.
///
/// Instead of building an n-gram set of every interpreted text, which for `for=document` would
/// be the whole document, the n-grams of the interpretations are gathered per target and each
/// target's text is scanned once for them. A provision is scanned at most once per target that
/// contains it (itself, its ancestors, the document), so the cost is linear in the document's
/// size times its heading depth.
pub(crate) fn formalism(
    cx: &mut Cx<'_>,
    nodes: &[NodeText],
    interps: &[InterpText],
    thresholds: &Thresholds,
) {
    if interps.is_empty() {
        return;
    }
    let n = choose_n(nodes, thresholds).max(1);
    let mut headings = Grams::default();
    for node in nodes {
        for_each_gram(node.heading.chars(), n, |g| {
            headings.insert(g);
        });
    }
    let (measured, wanted) = gather(cx, interps, &headings, n, thresholds);
    let found = scan_targets(nodes, &wanted, n);
    for m in measured {
        let sets: Vec<&Grams> = m.targets.iter().filter_map(|t| found.get(t)).collect();
        let copy_share = share(&m.grams, &sets);
        if copy_share >= thresholds.copy {
            report_copy(cx, m.interp, copy_share);
        }
    }
}

/// An interpretation long enough to judge, with the targets it is measured against (`None`:
/// the whole document) and its n-grams.
struct Measured<'a> {
    interp: &'a InterpText,
    targets: Vec<Option<usize>>,
    grams: Grams,
}

/// The interpretations long enough to judge, and for each target the n-grams wanted from its
/// text. Heading lists are reported right away and not measured further.
fn gather<'a>(
    cx: &mut Cx<'_>,
    interps: &'a [InterpText],
    headings: &Grams,
    n: usize,
    thresholds: &Thresholds,
) -> (Vec<Measured<'a>>, HashMap<Option<usize>, Grams>) {
    let mut measured: Vec<Measured<'a>> = Vec::new();
    let mut wanted: HashMap<Option<usize>, Grams> = HashMap::new();
    for interp in interps {
        let own = gram_set(&interp.text, n);
        if own.len() < thresholds.min_ngrams {
            continue;
        }
        let heading_share = share(&own, &[headings]);
        if heading_share >= thresholds.headings {
            report_heading_list(cx, interp, heading_share);
            continue;
        }
        // An interpretation of many provisions is measured against the whole document (a
        // superset), so a `for=` listing thousands of ids cannot multiply the work.
        let targets: Vec<Option<usize>> = if interp.targets.len() > MAX_TARGETS {
            vec![None]
        } else {
            interp.targets.clone()
        };
        for target in &targets {
            wanted
                .entry(*target)
                .or_default()
                .extend(own.iter().copied());
        }
        measured.push(Measured {
            interp,
            targets,
            grams: own,
        });
    }
    (measured, wanted)
}

/// Each target's text, scanned once: which of the wanted n-grams does it hold?
fn scan_targets(
    nodes: &[NodeText],
    wanted: &HashMap<Option<usize>, Grams>,
    n: usize,
) -> HashMap<Option<usize>, Grams> {
    let mut found: HashMap<Option<usize>, Grams> = HashMap::with_capacity(wanted.len());
    for (target, want) in wanted {
        let mut hits = Grams::default();
        let mut scan = |i: usize| {
            let node = &nodes[i];
            for_each_gram(node.heading.chars().chain(node.body.chars()), n, |g| {
                if want.contains(&g) {
                    hits.insert(g);
                }
            });
        };
        match target {
            None => (0..nodes.len()).for_each(&mut scan),
            Some(root) => {
                let mut stack = vec![*root];
                while let Some(i) = stack.pop() {
                    scan(i);
                    stack.extend(nodes[i].children.iter().copied());
                }
            }
        }
        found.insert(*target, hits);
    }
    found
}

fn report_heading_list(cx: &mut Cx<'_>, interp: &InterpText, heading_share: f64) {
    cx.warning(
        codes::LISTS_HEADINGS,
        interp.span.clone(),
        tr(
            format!(
                "{}% of this interpretation repeats the document's own headings",
                percent(heading_share)
            ),
            format!(
                "这条解读有 {}% 的内容是在重复文件自身的标题",
                percent(heading_share)
            ),
        ),
        tr(
            "listing the parts of the document is not an interpretation: say why each measure was chosen and what it changes for readers",
            "罗列文件的各部分不是解读：请说明每项措施为什么这样定、对读者有什么变化",
        ),
    );
}

fn report_copy(cx: &mut Cx<'_>, interp: &InterpText, copy_share: f64) {
    cx.warning(
        codes::COPIES_PROVISION,
        interp.span.clone(),
        tr(
            format!(
                "{}% of this interpretation copies the text it interprets",
                percent(copy_share)
            ),
            format!(
                "这条解读有 {}% 的内容照搬了所解读的条文",
                percent(copy_share)
            ),
        ),
        tr(
            "a formalistic interpretation that repeats the text tells readers nothing new: explain in your own words why the rule exists, what it changes and for whom; quote at most a phrase",
            "照搬条文的形式化解读没有给读者带来新信息：请用自己的话说明为什么有这条规定、改变了什么、影响到谁；引用原文不超过一句",
        ),
    );
}

fn percent(share: f64) -> u32 {
    (share * 100.0).floor() as u32
}

/// The copy share of `text` against `source`, as the checks compute it (for tuning and tests).
pub fn copy_share(text: &str, source: &str, n: usize) -> f64 {
    share(&gram_set(text, n), &[&gram_set(source, n)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(text: &str) -> Vec<char> {
        text.chars().filter_map(normalize_char).collect()
    }

    #[test]
    fn fast_normalize_equals_text_normalize() {
        let samples = [
            "各县（区）人民政府ＡＢＣ１２３，Ｚｚ！　〇々〆ǅÀÉ ΣΑΣ Ⅻ ½ ١٢ 𠀀𪜀 abcXYZ\t\n",
            "\u{9FEF}\u{9FF0}\u{3400}\u{FF10}\u{FF21}\u{FF41}\u{FF5E}\u{FF01}",
        ];
        for text in samples {
            assert_eq!(normalize(text), crate::text::normalize(text), "{text}");
        }
        // Every character of the Basic Multilingual Plane and some beyond.
        let all: String = (0u32..0x3_0000).filter_map(char::from_u32).collect();
        assert_eq!(normalize(&all), crate::text::normalize(&all));
    }

    #[test]
    fn hashed_share_equals_text_containment() {
        let cases = [
            (
                "各县（区）人民政府要对照标准指引，梳理细化政务公开事项标准目录。",
                "各县（区）人民政府要对照国务院部门制定的标准指引，梳理细化本地区政务公开事项标准目录。",
            ),
            (
                "本条旨在回应企业反映的办事难问题。",
                "各县（区）人民政府要对照国务院部门制定的标准指引。",
            ),
            (
                "Publish the list of services within 30 days.",
                "Every department shall publish the list of its services within 30 days of this notice.",
            ),
            ("短", "短文本"),
            ("", "x"),
        ];
        for n in [2, 3, 4, 8] {
            for (text, source) in cases {
                let expected = crate::text::containment(text, source, n);
                assert!(
                    (copy_share(text, source, n) - expected).abs() < 1e-9,
                    "{text} {n}"
                );
            }
        }
    }
}
