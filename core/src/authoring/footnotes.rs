//! Footnotes go with the bodies that cite them.
//!
//! Editors write footnote definitions wherever Markdown allows, usually at the end of the file,
//! but the file compiles to separate bodies (provisions, interpretations, FAQs) that the widget
//! shows one at a time. So each body gets the footnotes it cites, and those they cite in turn;
//! a footnote cited by several bodies is copied into each. A footnote nobody cites stays in the
//! body where it was written, and so does the second text of a label defined twice.

use std::collections::{HashMap, HashSet};

use super::Section;
use super::body::FootnoteDef;
use crate::rich::{Block, RichText};

/// A footnote definition, while it is handed out to the bodies that cite it.
struct Def {
    section: usize,
    def: FootnoteDef,
    /// How many bodies still have to receive it: the last one takes it without a copy.
    uses: usize,
    used: bool,
}

/// Attaches every footnote to the bodies that reference it (a footnote defined at the end of
/// the file belongs to the provision or interpretation that cites it). Footnotes nobody
/// references stay where they were written.
pub(super) fn resolve(sections: &mut [Section]) -> Vec<RichText> {
    let (mut defs, repeated) = footnote_defs(sections);
    let lists: Vec<Vec<String>> = sections
        .iter_mut()
        .map(|section| cited_footnotes(std::mem::take(&mut section.body.refs), &defs))
        .collect();
    for label in lists.iter().flatten() {
        if let Some(d) = defs.get_mut(label) {
            d.uses += 1;
        }
    }
    let mut bodies: Vec<Vec<Block>> = Vec::with_capacity(sections.len());
    for (section, list) in sections.iter_mut().zip(lists) {
        let mut blocks = std::mem::take(&mut section.body.blocks);
        for label in list {
            if let Some(d) = defs.get_mut(&label) {
                blocks.push(Block::Footnote {
                    label,
                    c: hand_out(d),
                });
            }
        }
        bodies.push(blocks);
    }
    let mut unused: Vec<Def> = defs.into_values().filter(|d| !d.used).collect();
    unused.sort_by(|a, b| {
        a.section
            .cmp(&b.section)
            .then_with(|| a.def.label.cmp(&b.def.label))
    });
    for d in unused {
        if let Some(body) = bodies.get_mut(d.section) {
            body.push(Block::Footnote {
                label: d.def.label,
                c: d.def.blocks,
            });
        }
    }
    bodies
        .into_iter()
        .zip(repeated)
        .map(|(mut blocks, repeated)| {
            blocks.extend(repeated);
            RichText(blocks)
        })
        .collect()
}

/// Takes every footnote definition out of the sections, by label. A label defined again keeps
/// its second text where it was written: those are returned per section, as footnote blocks.
fn footnote_defs(sections: &mut [Section]) -> (HashMap<String, Def>, Vec<Vec<Block>>) {
    let mut defs: HashMap<String, Def> = HashMap::new();
    let mut repeated: Vec<Vec<Block>> = vec![Vec::new(); sections.len()];
    for (i, section) in sections.iter_mut().enumerate() {
        for def in std::mem::take(&mut section.body.footnotes) {
            if defs.contains_key(&def.label) {
                repeated[i].push(Block::Footnote {
                    label: def.label,
                    c: def.blocks,
                });
            } else {
                defs.insert(
                    def.label.clone(),
                    Def {
                        section: i,
                        def,
                        uses: 0,
                        used: false,
                    },
                );
            }
        }
    }
    (defs, repeated)
}

/// A body's footnotes: those it cites, then those they cite, in order, each once; labels
/// without a definition are left out.
fn cited_footnotes(mut queue: Vec<String>, defs: &HashMap<String, Def>) -> Vec<String> {
    if queue.is_empty() {
        return queue;
    }
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut i = 0;
    while let Some(label) = queue.get(i) {
        i += 1;
        if let Some(d) = defs.get(label) {
            for r in &d.def.refs {
                if seen.insert(r.clone()) {
                    queue.push(r.clone());
                }
            }
        }
    }
    queue.retain(|label| defs.contains_key(label));
    queue
}

/// The text of a footnote for one more body that cites it: a copy, or the text itself for the
/// last one.
fn hand_out(d: &mut Def) -> Vec<Block> {
    d.uses = d.uses.saturating_sub(1);
    d.used = true;
    if d.uses == 0 {
        std::mem::take(&mut d.def.blocks)
    } else {
        d.def.blocks.clone()
    }
}
