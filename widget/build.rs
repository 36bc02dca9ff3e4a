//! Minifies `src/style.css` and `src/commenting/style.css` (the commenting bundle's rules) into
//! `OUT_DIR` for `host::CSS`: the stylesheet ships inside the wasm,
//! so its comments and indentation would cost download bytes (about 0.5 KB brotli). Only what
//! is safe for any CSS is done: comments removed, lines trimmed and joined (with a space where a
//! line does not end a declaration, block or selector list).

use std::path::Path;

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() && !out.ends_with(['{', '}', ';', ',']) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for (source, name) in [
        ("src/style.css", "style.css"),
        ("src/commenting/style.css", "commenting.css"),
    ] {
        println!("cargo:rerun-if-changed={source}");
        let css = std::fs::read_to_string(source).expect("the stylesheet is readable");
        std::fs::write(Path::new(&out).join(name), minify(&css)).expect("OUT_DIR is writable");
    }
}
