//! The document as the views walk it: its clauses in reading order with their depth, a clause's
//! heading as one line, the interpretations shown beside a clause, heading levels. Pure functions
//! of the document, shared by the reading views, search and commenting.

use jiedu_core::{Document, InterpretationKind, Provision};

/// Records `id` in `seen`; true the first time (a list: each hash-set type costs bundle bytes).
pub fn first_time<'a>(seen: &mut Vec<&'a str>, id: &'a str) -> bool {
    let first = !seen.contains(&id);
    if first {
        seen.push(id);
    }
    first
}

/// The provisions in reading order with their depth (0 for top level).
pub fn flatten(doc: &Document) -> Vec<(&Provision, usize)> {
    fn walk<'a>(list: &'a [Provision], depth: usize, out: &mut Vec<(&'a Provision, usize)>) {
        for p in list {
            out.push((p, depth));
            walk(&p.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&doc.provisions, 0, &mut out);
    out
}

/// A clause's numbering and title as one line: `一、持续推进…`, `（一）规范…`, and with the
/// full-width space official texts put after a chapter or article number, `第一章　总则`.
pub fn clause_heading(p: &Provision) -> String {
    match &p.label {
        Some(label) if !p.title.is_empty() && label.ends_with(|c: char| c.is_alphanumeric()) => {
            format!("{label}\u{3000}{}", p.title)
        }
        _ => p.heading(),
    }
}

/// The interpretations shown next to a clause: all but follow-ups, which have their timeline.
pub fn clause_interpretations<'a>(
    doc: &'a Document,
    provision_id: &'a str,
) -> impl Iterator<Item = &'a jiedu_core::Interpretation> {
    doc.interpretations_of(provision_id)
        .filter(|i| i.kind != InterpretationKind::FollowUp)
}

/// The heading level for a depth below the widget's section headings (h3), capped at h6.
pub fn heading_level(depth: usize) -> u8 {
    (3 + depth).min(6) as u8
}

/// A heading element of the given level (yew's `html!` needs a literal tag name, `@{}` builds one).
pub fn heading(level: u8, class: &'static str, children: yew::Html) -> yew::Html {
    let tag = format!("h{}", level.clamp(2, 6));
    yew::html! { <@{tag} class={class}>{ children }</@> }
}

/// A comment target as written in the API (`document` or the clause id), without formatting.
pub fn target_str(target: &jiedu_core::Target) -> &str {
    match target {
        jiedu_core::Target::Document => "document",
        jiedu_core::Target::Provision(id) => id,
    }
}
