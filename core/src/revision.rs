//! Rules for a new revision of a document under consultation.
//!
//! Comments point at provisions by their stable id. A revision that drops such a provision, or
//! gives it another id, would leave those comments pointing at nothing, and the feedback report
//! could no longer say what each comment was about. So while comments are attached, a revision
//! must keep every commented id; [`check_commented_ids`] says which ones it loses, how many
//! comments point there, and (when the same heading is still there under a new id) what the id
//! became. A final version that restructures the text is a new document that `replaces` the draft.
//!
//! Pure: the caller (the server) counts the comments and passes them in.

use std::collections::BTreeMap;

use crate::authoring::codes;
use crate::diagnostic::{Diagnostic, tr};
use crate::model::{Document, Provision};

/// For each provision id, how many comments point at it.
pub type CommentCounts = BTreeMap<String, usize>;

/// The errors for commented provisions of `old` that `new` (compiled from `source`) no longer
/// has under the same id. Empty when the revision keeps them all.
pub fn check_commented_ids(
    old: &Document,
    new: &Document,
    source: &str,
    commented: &CommentCounts,
) -> Vec<Diagnostic> {
    commented
        .iter()
        .filter(|(id, count)| **count > 0 && new.provision(id).is_none())
        .map(|(id, &count)| {
            let renamed = old
                .provision(id)
                .and_then(|before| same_heading(before, new))
                .map(|p| p.id.as_str());
            lost(id, count, renamed, source)
        })
        .collect()
}

/// The provision of `new` with the same label and title as `before` (what a re-id looks like).
fn same_heading<'a>(before: &Provision, new: &'a Document) -> Option<&'a Provision> {
    new.all_provisions()
        .find(|p| p.label == before.label && p.title == before.title)
}

fn lost(id: &str, count: usize, renamed: Option<&str>, source: &str) -> Diagnostic {
    let message = match renamed {
        Some(to) => tr(
            format!(
                "the provision `{id}` has {count} comment(s) and this revision changes its id to `{to}`"
            ),
            format!("条款 `{id}` 已收到 {count} 条意见，本修订将其标识改为 `{to}`"),
        ),
        None => tr(
            format!("the provision `{id}` has {count} comment(s) and this revision removes it"),
            format!("条款 `{id}` 已收到 {count} 条意见，本修订删除了该条款"),
        ),
    };
    let span = renamed
        .and_then(|to| heading_span(source, to))
        .unwrap_or(0..0);
    Diagnostic::error(codes::COMMENTED_PROVISION_LOST, source, span, message).with_hint(tr(
        format!(
            "keep `{{#{id}}}` on the provision while the consultation has comments on it; \
             to restructure the text, publish the final version as a new document with \
             `replaces = \"…\"`"
        ),
        format!(
            "征求意见期间请保留已有意见的条款标识 `{{#{id}}}`；如需调整结构，\
             请将正式文本作为新文件发布，并写明 `replaces = \"…\"`"
        ),
    ))
}

/// Where `{#id}` is written in the source, if it is.
fn heading_span(source: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let needle = format!("{{#{id}");
    let (start, _) = source.match_indices(&needle).find(|(at, _)| {
        matches!(
            source[at + needle.len()..].chars().next(),
            Some('}' | ' ' | '\t')
        )
    })?;
    let end = source[start..]
        .find('}')
        .map_or(source.len(), |e| start + e + 1);
    Some(start..end)
}
