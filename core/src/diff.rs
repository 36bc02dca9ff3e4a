//! What changed between two versions of a document (修改前后对照): provision by provision, and
//! character by character inside a changed provision.
//!
//! Provisions are matched by their stable id, never by position, so inserting a clause does not
//! make every later clause look changed. What counts as a change: the provision's title or the
//! plain text of its own body (not its sub-clauses, which are rows of their own) differ. Its
//! label (`第三条`) is left out of that comparison: when a clause is inserted the ones after it are
//! renumbered, and a renumbered clause with the same words is reported as `unchanged` with
//! `renumbered` set. Formatting that leaves the plain text alone (bold, a link target) is not a
//! change either: the compare view shows words.
//!
//! The text diff works on characters, so it needs no word splitting and is the same for Chinese
//! and English. It is Myers' O(ND) algorithm, followed by a clean-up pass that turns short runs of
//! equal text between two changes into part of the change (the semantic clean-up of
//! diff-match-patch), so a rewritten sentence reads as "this was replaced by that" rather than as
//! a scatter of single characters that happen to coincide. In Latin text a change is then widened
//! to whole words, so `city` → `county` is not shown as `c[-ity-]{+ounty+}`.
//!
//! The types here are the widget↔server contract of the compare view.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{Document, Provision};

crate::wire_enum! {
    /// How a provision fared between the two versions.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Change {
        /// Only in the new version.
        Added = "added",
        /// Only in the old version.
        Removed = "removed",
        /// In both, with a different title or text.
        Changed = "changed",
        /// In both, with the same title and text (possibly renumbered or moved).
        Unchanged = "unchanged",
    }
}

crate::wire_enum! {
    /// What a piece of a text diff is.
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Op {
        /// In both versions.
        Equal = "equal",
        /// Only in the new version.
        Insert = "insert",
        /// Only in the old version.
        Delete = "delete",
    }
}

/// A run of text with the same fate. The old text is the `equal` and `delete` pieces in order,
/// the new text the `equal` and `insert` pieces.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Piece {
    pub op: Op,
    pub text: String,
}

/// The document a comparison side comes from.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRef {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
}

/// One provision as one version has it: what the comparison looked at.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub title: String,
    /// The plain text of the provision's own body, paragraphs separated by `\n`.
    pub text: String,
}

/// One row of the comparison table.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisionDiff {
    pub id: String,
    pub change: Change,
    /// Nesting depth in the version the row is laid out from (0 for a top-level provision).
    pub depth: u32,
    /// Present unless `added`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<ProvisionText>,
    /// Present unless `removed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<ProvisionText>,
    /// The label differs (`第三条` became `第四条`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub renumbered: bool,
    /// The provision stands in another place relative to the provisions kept in both versions.
    #[serde(default, skip_serializing_if = "is_false")]
    pub moved: bool,
    /// For `changed`: the title, piece by piece (empty when the title is the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_diff: Vec<Piece>,
    /// For `changed`: the text, piece by piece (empty when the text is the same).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text_diff: Vec<Piece>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How many rows of each kind.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffCounts {
    pub added: u32,
    pub removed: u32,
    pub changed: u32,
    pub unchanged: u32,
}

/// The comparison of two versions of a document: the rows in the order of the new text, each
/// removed provision right after the row of the provision that preceded it in the old text.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentDiff {
    pub old: DocumentRef,
    pub new: DocumentRef,
    pub counts: DiffCounts,
    pub provisions: Vec<ProvisionDiff>,
}

impl DocumentDiff {
    /// True when no provision was added, removed or changed (renumbering and moves aside).
    pub fn is_unchanged(&self) -> bool {
        let c = self.counts;
        c.added + c.removed + c.changed == 0
    }
}

/// A provision with its place in a document's reading order.
struct Flat<'a> {
    provision: &'a Provision,
    depth: u32,
}

fn flatten(doc: &Document) -> Vec<Flat<'_>> {
    fn walk<'a>(out: &mut Vec<Flat<'a>>, list: &'a [Provision], depth: u32) {
        for p in list {
            out.push(Flat {
                provision: p,
                depth,
            });
            walk(out, &p.children, depth + 1);
        }
    }
    let mut out = Vec::new();
    walk(&mut out, &doc.provisions, 0);
    out
}

fn side(p: &Provision) -> ProvisionText {
    ProvisionText {
        label: p.label.clone(),
        title: p.title.clone(),
        text: p.body.plain_text(),
    }
}

fn doc_ref(doc: &Document) -> DocumentRef {
    DocumentRef {
        id: doc.id.clone(),
        title: doc.title.clone(),
        doc_number: doc.doc_number.clone(),
    }
}

/// Compares two versions of a document provision by provision.
pub fn diff_documents(old: &Document, new: &Document) -> DocumentDiff {
    let old_flat = flatten(old);
    let new_flat = flatten(new);
    let old_ids: HashMap<&str, usize> = old_flat
        .iter()
        .enumerate()
        .map(|(i, f)| (f.provision.id.as_str(), i))
        .collect();
    let new_ids: HashSet<&str> = new_flat.iter().map(|f| f.provision.id.as_str()).collect();
    let moved = moved_ids(&old_flat, &new_flat, &old_ids, &new_ids);

    // Removed provisions, grouped under the old index of the nearest kept provision before them
    // (`None`: before every kept one).
    let mut removed_after: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    let mut last_kept = None;
    for (i, f) in old_flat.iter().enumerate() {
        if new_ids.contains(f.provision.id.as_str()) {
            last_kept = Some(i);
        } else {
            removed_after.entry(last_kept).or_default().push(i);
        }
    }

    let mut rows = Vec::new();
    let removed_row = |i: usize| {
        let f = &old_flat[i];
        ProvisionDiff {
            id: f.provision.id.clone(),
            change: Change::Removed,
            depth: f.depth,
            old: Some(side(f.provision)),
            new: None,
            renumbered: false,
            moved: false,
            title_diff: Vec::new(),
            text_diff: Vec::new(),
        }
    };
    rows.extend(
        removed_after
            .remove(&None)
            .unwrap_or_default()
            .into_iter()
            .map(removed_row),
    );
    for f in &new_flat {
        let id = f.provision.id.as_str();
        match old_ids.get(id) {
            None => rows.push(ProvisionDiff {
                id: id.to_owned(),
                change: Change::Added,
                depth: f.depth,
                old: None,
                new: Some(side(f.provision)),
                renumbered: false,
                moved: false,
                title_diff: Vec::new(),
                text_diff: Vec::new(),
            }),
            Some(&i) => {
                rows.push(compare(old_flat[i].provision, f, moved.contains(id)));
                let after = removed_after.remove(&Some(i)).unwrap_or_default();
                rows.extend(after.into_iter().map(removed_row));
            }
        }
    }
    DocumentDiff {
        old: doc_ref(old),
        new: doc_ref(new),
        counts: count(&rows),
        provisions: rows,
    }
}

fn compare(old: &Provision, new: &Flat<'_>, moved: bool) -> ProvisionDiff {
    let (old_side, new_side) = (side(old), side(new.provision));
    let title_diff = if old_side.title == new_side.title {
        Vec::new()
    } else {
        diff_text(&old_side.title, &new_side.title)
    };
    let text_diff = if old_side.text == new_side.text {
        Vec::new()
    } else {
        diff_text(&old_side.text, &new_side.text)
    };
    let change = if title_diff.is_empty() && text_diff.is_empty() {
        Change::Unchanged
    } else {
        Change::Changed
    };
    ProvisionDiff {
        id: new.provision.id.clone(),
        change,
        depth: new.depth,
        renumbered: old_side.label != new_side.label,
        old: Some(old_side),
        new: Some(new_side),
        moved,
        title_diff,
        text_diff,
    }
}

/// The ids in both versions that are not part of the longest run of kept provisions in the same
/// relative order: the ones a reader would say were moved.
fn moved_ids<'a>(
    old_flat: &[Flat<'a>],
    new_flat: &[Flat<'a>],
    old_ids: &HashMap<&str, usize>,
    new_ids: &HashSet<&str>,
) -> HashSet<&'a str> {
    let kept_old: Vec<&str> = old_flat
        .iter()
        .map(|f| f.provision.id.as_str())
        .filter(|id| new_ids.contains(id))
        .collect();
    let kept_new: Vec<&str> = new_flat
        .iter()
        .map(|f| f.provision.id.as_str())
        .filter(|id| old_ids.contains_key(id))
        .collect();
    // Too scrambled to say what moved: say nothing rather than call everything moved.
    let Some(script) = myers(&kept_old, &kept_new) else {
        return HashSet::new();
    };
    let in_order: HashSet<&str> = script
        .iter()
        .filter(|(op, _)| *op == Op::Equal)
        .map(|&(_, i)| kept_old[i])
        .collect();
    kept_new
        .into_iter()
        .filter(|id| !in_order.contains(id))
        .collect()
}

fn count(rows: &[ProvisionDiff]) -> DiffCounts {
    let mut c = DiffCounts::default();
    for row in rows {
        *match row.change {
            Change::Added => &mut c.added,
            Change::Removed => &mut c.removed,
            Change::Changed => &mut c.changed,
            Change::Unchanged => &mut c.unchanged,
        } += 1;
    }
    c
}

/// Beyond this many differences the two texts have little in common, and the diff is shown as
/// the whole old text deleted and the whole new text inserted (it also bounds the time and the
/// memory of the search: both grow with the square of this number).
const MAX_EDITS: usize = 1_000;

/// The character-level diff of two texts, cleaned up for reading. Empty when both are empty.
pub fn diff_text(old: &str, new: &str) -> Vec<Piece> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut pieces = Vec::new();
    push(&mut pieces, Op::Equal, &a[..prefix]);
    match myers(a_mid, b_mid) {
        Some(script) => {
            for (op, i) in script {
                let c = match op {
                    Op::Insert => b_mid[i],
                    _ => a_mid[i],
                };
                push(&mut pieces, op, &[c]);
            }
        }
        None => {
            push(&mut pieces, Op::Delete, a_mid);
            push(&mut pieces, Op::Insert, b_mid);
        }
    }
    push(&mut pieces, Op::Equal, &a[a.len() - suffix..]);
    // Widening a change at one end can put its other end inside a word, and can leave a short
    // equal run (a space) between two changes: repeat both until nothing moves. Each round that
    // changes something takes characters out of equal runs, so this ends.
    let mut pieces = cleanup(normalize(pieces));
    loop {
        let next = cleanup(whole_words(pieces.clone()));
        if next == pieces {
            return pieces;
        }
        pieces = next;
    }
}

/// Latin letters and digits: the characters of a word that a change should not cut in two.
/// Chinese has no such boundary (a character is a word or part of one), so it is left alone.
fn in_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Widens each change to whole words where it starts or ends inside one, so `city` → `county`
/// reads `[-city-]{+county+}` rather than `c[-ity-]{+ounty+}`.
fn whole_words(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if pieces[i].op == Op::Equal {
            out.push(pieces[i].clone());
            i += 1;
            continue;
        }
        let start = i;
        while i < pieces.len() && pieces[i].op != Op::Equal {
            i += 1;
        }
        let change = &pieces[start..i];
        let (mut head, mut tail) = (String::new(), String::new());
        let starts_in_word = change.iter().any(|p| p.text.starts_with(in_word));
        if let Some(prev) = out
            .last_mut()
            .filter(|p| p.op == Op::Equal && starts_in_word)
        {
            let keep = prev.text.trim_end_matches(in_word).len();
            head = prev.text.split_off(keep);
        }
        let ends_in_word = change.iter().any(|p| p.text.ends_with(in_word));
        let mut next = pieces.get(i).cloned();
        if let Some(next) = next.as_mut().filter(|_| ends_in_word) {
            let cut = next.text.len() - next.text.trim_start_matches(in_word).len();
            tail = next.text[..cut].to_owned();
            next.text.replace_range(..cut, "");
        }
        // The equal text taken in is now both deleted and inserted, whatever the change was.
        for op in [Op::Delete, Op::Insert] {
            let text: String = change
                .iter()
                .filter(|p| p.op == op)
                .map(|p| p.text.as_str())
                .collect();
            let text = format!("{head}{text}{tail}");
            if !text.is_empty() {
                out.push(Piece { op, text });
            }
        }
        if let Some(next) = next {
            out.push(next);
            i += 1;
        }
    }
    normalize(out)
}

/// Appends characters to the last piece when it has the same op, or as a new piece.
fn push(pieces: &mut Vec<Piece>, op: Op, chars: &[char]) {
    if chars.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(last) if last.op == op => last.text.extend(chars),
        _ => pieces.push(Piece {
            op,
            text: chars.iter().collect(),
        }),
    }
}

/// Myers' shortest edit script from `a` to `b`: `(Equal, index in a)`, `(Delete, index in a)`,
/// `(Insert, index in b)` in order. `None` when it needs more than [`MAX_EDITS`] edits.
fn myers<T: PartialEq>(a: &[T], b: &[T]) -> Option<Vec<(Op, usize)>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDITS) as isize;
    let offset = max + 1;
    let mut v = vec![0isize; 2 * max as usize + 3];
    // trace[d] holds v for k in -d..=d after step d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max {
        for k in (-d..=d).step_by(2) {
            let down =
                k == -d || (k != d && v[(offset + k - 1) as usize] < v[(offset + k + 1) as usize]);
            let mut x = if down {
                v[(offset + k + 1) as usize]
            } else {
                v[(offset + k - 1) as usize] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(offset + k) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                trace.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
                break 'search;
            }
        }
        trace.push(v[(offset - d) as usize..=(offset + d) as usize].to_vec());
    }
    let depth = found?;
    let mut script = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=depth).rev() {
        let prev = &trace[d as usize - 1];
        let at = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            script.push((Op::Equal, x as usize));
        }
        if down {
            script.push((Op::Insert, prev_y as usize));
        } else {
            script.push((Op::Delete, prev_x as usize));
        }
        (x, y) = (prev_x, prev_y);
    }
    while x > 0 {
        x -= 1;
        script.push((Op::Equal, x as usize));
    }
    script.reverse();
    Some(script)
}

/// Merges neighbours: between two equal pieces at most one delete, then at most one insert.
fn normalize(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    let flush = |out: &mut Vec<Piece>, deleted: &mut String, inserted: &mut String| {
        for (op, text) in [(Op::Delete, deleted), (Op::Insert, inserted)] {
            if !text.is_empty() {
                out.push(Piece {
                    op,
                    text: std::mem::take(text),
                });
            }
        }
    };
    for piece in pieces.into_iter().filter(|p| !p.text.is_empty()) {
        match piece.op {
            Op::Delete => deleted.push_str(&piece.text),
            Op::Insert => inserted.push_str(&piece.text),
            Op::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                match out.last_mut() {
                    Some(last) if last.op == Op::Equal => last.text.push_str(&piece.text),
                    _ => out.push(piece),
                }
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

/// Folds an equal piece into the changes around it when it is no longer than the larger side
/// of the change before it and of the change after it: such a coincidence (`的`, `，`, `the`)
/// splits one replacement into fragments without telling the reader anything.
fn cleanup(mut pieces: Vec<Piece>) -> Vec<Piece> {
    while let Some(i) = (1..pieces.len().saturating_sub(1)).find(|&i| foldable(&pieces, i)) {
        let text = std::mem::take(&mut pieces[i].text);
        pieces.splice(
            i..=i,
            [
                Piece {
                    op: Op::Delete,
                    text: text.clone(),
                },
                Piece {
                    op: Op::Insert,
                    text,
                },
            ],
        );
        pieces = normalize(pieces);
    }
    pieces
}

fn foldable(pieces: &[Piece], i: usize) -> bool {
    if pieces[i].op != Op::Equal {
        return false;
    }
    let len = pieces[i].text.chars().count();
    let change = |range: &mut dyn Iterator<Item = &Piece>| {
        range
            .take_while(|p| p.op != Op::Equal)
            .map(|p| p.text.chars().count())
            .max()
            .unwrap_or(0)
    };
    let before = change(&mut pieces[..i].iter().rev());
    let after = change(&mut pieces[i + 1..].iter());
    before > 0 && after > 0 && len <= before && len <= after
}
