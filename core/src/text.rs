//! Text utilities shared by the checks (formalism measures) and the widget's search.
//!
//! Chinese has no spaces between words, so neither word splitting nor stemming works. Both the
//! formalism check and search use character n-grams over a normalised form of the text instead:
//! full-width ASCII folded to half-width, Latin lower-cased, punctuation and spaces dropped.
//!
//! Case folding covers ASCII and Latin-1 (`Ａ`, `A`, `É` → `a`, `a`, `é`) and nothing else, on
//! purpose: `char::to_lowercase` would bring about 11 KB of Unicode case tables into the citizen
//! widget (which searches with these functions), and Chinese and English, the languages of the
//! documents, need no more. Other scripts are compared as written.

/// Folds one character for comparison: full-width ASCII forms to half-width (`Ａ` → `A`), the
/// ideographic space to a space, then ASCII and Latin-1 capitals to lower case.
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    };
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => {
            char::from_u32(c as u32 + 0x20).unwrap_or(c)
        }
        c => c,
    }
}

/// Normalises text for comparison: NFKC-like folding of full-width ASCII forms (`Ａ１` → `a1`),
/// lower case ([`fold`]), and only letters and digits kept (CJK ideographs are letters).
pub fn normalize(text: &str) -> Vec<char> {
    normalized_chars(text).collect()
}

/// [`normalize`] as a string: what a search index keeps of each entry, so that a keystroke
/// compares ([`Query::matches`]) without normalising every entry again.
pub fn normalized(text: &str) -> String {
    normalized_chars(text).collect()
}

fn normalized_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(fold).filter(|c| c.is_alphanumeric())
}

/// A search query's terms, normalised once to be matched against many texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Query(Vec<String>);

impl Query {
    /// The terms of `query`: separated by spaces, each [`normalized`]; empty ones dropped.
    pub fn new(query: &str) -> Query {
        Query(
            query
                .split_whitespace()
                .map(normalized)
                .filter(|term| !term.is_empty())
                .collect(),
        )
    }

    /// True when the query has a term and every term occurs in `haystack`, a [`normalized`] text.
    pub fn matches(&self, haystack: &str) -> bool {
        !self.0.is_empty() && self.0.iter().all(|term| haystack.contains(term.as_str()))
    }
}

/// The distinct character n-grams of normalised text. Text shorter than `n` yields itself.
pub fn ngrams(chars: &[char], n: usize) -> std::collections::HashSet<&[char]> {
    if chars.len() < n {
        return if chars.is_empty() {
            Default::default()
        } else {
            std::iter::once(chars).collect()
        };
    }
    chars.windows(n).collect()
}

/// The share (0.0–1.0) of `text`'s character n-grams that also occur in `source`: how much of
/// `text` is copied from `source`. 0.0 when `text` is empty.
pub fn containment(text: &str, source: &str, n: usize) -> f64 {
    let text = normalize(text);
    let source = normalize(source);
    let text_grams = ngrams(&text, n);
    if text_grams.is_empty() {
        return 0.0;
    }
    let source_grams = ngrams(&source, n);
    let shared = text_grams
        .iter()
        .filter(|g| source_grams.contains(*g))
        .count();
    shared as f64 / text_grams.len() as f64
}

/// True when every term of the query occurs in the text, with the comparison run on normalised
/// text. A query term of CJK characters matches when the text contains it as a substring, so
/// `公开` finds `主动公开`; Latin terms are separated by spaces in the query.
pub fn matches_query(text: &str, query: &str) -> bool {
    Query::new(query).matches(&normalized(text))
}

/// Byte ranges of `text` where a query term occurs, for highlighting. Comparison ignores case
/// and full-width/half-width differences; ranges never overlap and are sorted.
pub fn highlight_ranges(text: &str, query: &str) -> Vec<(usize, usize)> {
    let folded: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold(c))).collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in query.split_whitespace() {
        let term: Vec<char> = normalize(term);
        if term.is_empty() || term.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - term.len() {
            if folded[start..start + term.len()]
                .iter()
                .map(|(_, c)| *c)
                .eq(term.iter().copied())
            {
                let from = folded[start].0;
                let to = folded
                    .get(start + term.len())
                    .map_or(text.len(), |(i, _)| *i);
                ranges.push((from, to));
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (from, to) in ranges {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_measures_copying() {
        let source = "各县（区）人民政府要对照国务院部门制定的标准指引，梳理细化本地区政务公开事项标准目录。";
        assert!(containment(source, source, 3) > 0.99);
        assert!(
            containment(
                "本条旨在回应企业反映的办事难问题，明确由谁负责。",
                source,
                3
            ) < 0.2
        );
        assert_eq!(containment("", source, 3), 0.0);
    }

    #[test]
    fn query_matching_works_without_spaces() {
        assert!(matches_query("哪些信息应当主动公开？", "主动公开"));
        assert!(matches_query(
            "Which information is PUBLISHED?",
            "published which"
        ));
        assert!(!matches_query("依申请公开", "主动"));
        assert!(matches_query("ＡＢＣ文件", "abc"));
        assert!(matches_query("Égalité", "ÉGALITÉ égalité"));
        assert_eq!(
            normalize("Ａ１ Straße×"),
            "a1straße".chars().collect::<Vec<_>>()
        );
        assert_eq!(
            highlight_ranges("主动公开，依申请公开", "公开"),
            vec![(6, 12), (24, 30)]
        );
    }
}
