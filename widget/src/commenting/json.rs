//! Writes JSON without serde_json (see [`crate::decode`] for why the widget carries no serde_json):
//! the body of a comment and the records the widget keeps in `localStorage`. Only what those
//! need: objects of strings, whole numbers, booleans and nested values, in the order written.

/// A JSON object under construction: `Object::new().str("a", "x").num("n", 1).finish()`.
#[derive(Debug)]
pub struct Object(String);

impl Default for Object {
    fn default() -> Self {
        Object::new()
    }
}

impl Object {
    pub fn new() -> Object {
        Object(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        string_into(&mut self.0, key);
        self.0.push(':');
    }

    pub fn str(mut self, key: &str, value: &str) -> Object {
        self.key(key);
        string_into(&mut self.0, value);
        self
    }

    /// A string member only when there is a value (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn opt(self, key: &str, value: Option<&str>) -> Object {
        match value {
            Some(value) => self.str(key, value),
            None => self,
        }
    }

    pub fn num(mut self, key: &str, value: i64) -> Object {
        self.key(key);
        self.0.push_str(&value.to_string());
        self
    }

    pub fn bool(mut self, key: &str, value: bool) -> Object {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
        self
    }

    /// A member whose value is already JSON text (a nested object or array).
    pub fn raw(mut self, key: &str, json: &str) -> Object {
        self.key(key);
        self.0.push_str(json);
        self
    }

    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A JSON array of values that are already JSON text.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&item);
    }
    out.push(']');
    out
}

/// Appends `s` as a JSON string literal. Control characters are escaped; everything else,
/// including non-ASCII text, is written as it is (JSON text is UTF-8).
fn string_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_reads_back() {
        let hostile = "引号\"反斜杠\\换行\n\t\r\u{0}\u{1f}</script>\u{2028}😀";
        let text = Object::new()
            .str("s", hostile)
            .opt("none", None)
            .opt("some", Some("x"))
            .num("n", -42)
            .bool("b", true)
            .raw("list", &array(["1".into(), Object::new().finish()]))
            .finish();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"s": hostile, "some": "x", "n": -42, "b": true, "list": [1, {}]})
        );
        assert_eq!(array([]), "[]");
    }
}
