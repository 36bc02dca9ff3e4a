//! Plain-text import of official documents (GB/T 9704 style) into the authoring format.
//! (Being written.)

/// Converts pasted plain text of an official document into authoring-format Markdown.
pub fn import(text: &str) -> String {
    text.to_owned()
}
