//! Deep links: the anchors of clauses, interpretations and FAQs in the host page's URL hash.
//!
//! The widget lives in a shadow root, where the browser's own fragment navigation cannot reach, so
//! the widget reads and writes the host page's hash itself. Anchors are namespaced with `jiedu-`
//! so they cannot collide with the host page's own:
//!
//! - `#jiedu-{provisionId}` a clause, `#jiedu-faq-{faqId}` a FAQ, `#jiedu-i-{interpretationId}`
//!   an interpretation;
//! - when more than one widget is on the page, links carry the document id as well:
//!   `#jiedu-{documentId}/{provisionId}` (and `…/faq-{id}`, `…/i-{id}`). Every widget accepts both
//!   forms; the short form opens in every widget whose document has that id.
//!
//! Ids are resolved against the document (provision first), so a provision whose id happens to
//! start with `faq-` still works; a bare FAQ or interpretation id is accepted too.

use jiedu_core::Document;

/// Something inside a document that a link can point at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Provision(String),
    Faq(String),
    Interpretation(String),
}

impl Target {
    /// The part after `jiedu-` (and after `{documentId}/` in the long form).
    pub fn key(&self) -> String {
        match self {
            Target::Provision(id) => id.clone(),
            Target::Faq(id) => format!("faq-{id}"),
            Target::Interpretation(id) => format!("i-{id}"),
        }
    }

    /// The `id` of the element inside the shadow root (unique there: one document per root).
    pub fn element_id(&self) -> String {
        format!("jiedu-{}", self.key())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Target::Provision(_) => "provision",
            Target::Faq(_) => "faq",
            Target::Interpretation(_) => "interpretation",
        }
    }

    /// The raw id within its kind.
    pub fn id(&self) -> &str {
        match self {
            Target::Provision(id) | Target::Faq(id) | Target::Interpretation(id) => id,
        }
    }

    /// The URL hash that links to this target (with `#`).
    pub fn hash(&self, document_id: &str, namespaced: bool) -> String {
        if namespaced {
            format!("#jiedu-{document_id}/{}", self.key())
        } else {
            format!("#jiedu-{}", self.key())
        }
    }
}

/// Reads a (percent-decoded) URL hash: the target in `doc` it names, if any.
pub fn parse_hash(hash: &str, doc: &Document) -> Option<Target> {
    let rest = hash
        .strip_prefix('#')
        .unwrap_or(hash)
        .strip_prefix("jiedu-")?;
    let key = match rest.split_once('/') {
        Some((document, key)) if document == doc.id => key,
        Some(_) => return None,
        None => rest,
    };
    resolve(key, doc)
}

/// The target a key (`s1-1`, `faq-3`, `i-bg`) names in `doc`.
pub fn resolve(key: &str, doc: &Document) -> Option<Target> {
    if doc.provision(key).is_some() {
        return Some(Target::Provision(key.to_owned()));
    }
    if let Some(id) = key.strip_prefix("faq-")
        && doc.faqs.iter().any(|f| f.id == id)
    {
        return Some(Target::Faq(id.to_owned()));
    }
    if let Some(id) = key.strip_prefix("i-")
        && doc.interpretations.iter().any(|i| i.id == id)
    {
        return Some(Target::Interpretation(id.to_owned()));
    }
    // Leniently, a bare FAQ or interpretation id (`#jiedu-faq-budget` for the FAQ whose id is
    // `faq-budget`, which is properly `#jiedu-faq-faq-budget`).
    if doc.faqs.iter().any(|f| f.id == key) {
        return Some(Target::Faq(key.to_owned()));
    }
    if doc.interpretations.iter().any(|i| i.id == key) {
        return Some(Target::Interpretation(key.to_owned()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::sample;

    #[test]
    fn hashes_round_trip() {
        let doc = sample();
        for target in [
            Target::Provision("s1-1".into()),
            Target::Faq("q1".into()),
            Target::Interpretation("bg".into()),
        ] {
            for namespaced in [false, true] {
                let hash = target.hash(&doc.id, namespaced);
                assert_eq!(parse_hash(&hash, &doc), Some(target.clone()), "{hash}");
            }
        }
        assert_eq!(
            Target::Faq("q1".into()).hash("doc", true),
            "#jiedu-doc/faq-q1"
        );
    }

    #[test]
    fn foreign_and_unknown_hashes_are_ignored() {
        let doc = sample();
        assert_eq!(parse_hash("#jiedu-other-doc/s1-1", &doc), None);
        assert_eq!(parse_hash("#jiedu-nope", &doc), None);
        assert_eq!(
            parse_hash("#jiedu-q1", &doc),
            Some(Target::Faq("q1".into())),
            "bare ids are accepted"
        );
        assert_eq!(parse_hash("#s1-1", &doc), None);
        assert_eq!(parse_hash("", &doc), None);
    }
}
