//! The TOML parser's English, said in Chinese.
//!
//! Front matter errors come from the `toml` crate as English sentences. A Chinese editor's
//! diagnostic must not carry them, so the shapes that serde and the parser use are recognised
//! here and said again in Chinese with the names they quote (keys, values). A sentence of an
//! unknown shape gets a general Chinese one: the diagnostic's span already shows where.

/// A value-level error (`unknown field`, `missing field`, `unknown variant`, `invalid type`).
pub(super) fn value_zh(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, allowed) = quoted_and_list(rest);
        return match allowed {
            Some(allowed) => format!("没有名为 {name} 的键（这里可用的键：{allowed}）"),
            None => format!("没有名为 {name} 的键"),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少必需的键 {}", rest.trim());
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return format!("键 {} 写了两次", rest.trim());
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, allowed) = quoted_and_list(rest);
        return match allowed {
            Some(allowed) => format!("{value} 不是可选的值（可选：{allowed}）"),
            None => format!("{value} 不是可选的值"),
        };
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "这里应当是{}，写的却是{}",
            kind_zh(expected),
            kind_zh(found)
        );
    }
    "值的类型不对或不在可选范围内".to_owned()
}

/// A syntax error of the TOML text itself.
pub(super) fn syntax_zh(message: &str) -> &'static str {
    const SHAPES: [(&str, &str); 9] = [
        ("must be quoted", "文字要加双引号"),
        ("duplicate key", "同一个键写了两次"),
        ("expected `=`", "键和值之间缺少 `=`"),
        ("expected `]`", "缺少右方括号 `]`"),
        ("expected `}`", "缺少右花括号 `}`"),
        ("unclosed", "括号或引号没有闭合"),
        ("invalid string", "字符串的引号不成对或含有不允许的字符"),
        (
            "invalid unquoted key",
            "键名只能用英文字母、数字、`-` 和 `_`",
        ),
        ("invalid key", "键名只能用英文字母、数字、`-` 和 `_`"),
    ];
    SHAPES
        .iter()
        .find(|(shape, _)| message.contains(shape))
        .map_or("这一处的写法不对", |(_, zh)| zh)
}

/// Splits "`name`, expected one of `a`, `b`" into "`name`" and "`a`、`b`".
fn quoted_and_list(rest: &str) -> (&str, Option<String>) {
    let (name, tail) = rest.split_once(", ").unwrap_or((rest, ""));
    let list = tail
        .strip_prefix("expected one of ")
        .or_else(|| tail.strip_prefix("expected "))
        .map(|list| list.split(", ").collect::<Vec<_>>().join("、"));
    (name.trim(), list)
}

/// serde's names of value kinds ("a TOML datetime", `string "x"`, "integer `5`").
fn kind_zh(kind: &str) -> String {
    let kind = kind.trim();
    const KINDS: [(&str, &str); 8] = [
        ("a TOML datetime", "不加引号的日期"),
        ("a string", "加双引号的文字"),
        ("a boolean", "true 或 false"),
        ("an integer", "整数"),
        ("a sequence", "用 [ ] 括起的列表"),
        ("a map", "表"),
        ("struct", "表"),
        ("a table", "表"),
    ];
    if let Some((_, zh)) = KINDS.iter().find(|(en, _)| kind.starts_with(en)) {
        return (*zh).to_owned();
    }
    for (en, zh) in [
        ("string ", "文字 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("boolean ", "布尔值 "),
    ] {
        if let Some(value) = kind.strip_prefix(en) {
            return format!("{zh}{value}");
        }
    }
    match kind {
        "sequence" => "列表".to_owned(),
        "map" => "表".to_owned(),
        _ => "另一种类型的值".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_serde_and_toml_use() {
        let cases = [
            value_zh("unknown field `isued`, expected one of `id`, `title`"),
            value_zh("unknown field `x`, expected `opens`"),
            value_zh("unknown field `x`, there are no fields"),
            value_zh("missing field `disclosure`"),
            value_zh("unknown variant `in_force`, expected one of `draft`, `in-force`"),
            value_zh("invalid type: string \"2021-06-02\", expected a TOML datetime"),
            value_zh("invalid type: integer `5`, expected a string"),
            value_zh("something new"),
            syntax_zh("string values must be quoted, expected literal string").to_owned(),
            syntax_zh("a brand new complaint").to_owned(),
        ];
        expect_test::expect![[r#"
            [
                "没有名为 `isued` 的键（这里可用的键：`id`、`title`）",
                "没有名为 `x` 的键（这里可用的键：`opens`）",
                "没有名为 `x` 的键",
                "缺少必需的键 `disclosure`",
                "`in_force` 不是可选的值（可选：`draft`、`in-force`）",
                "这里应当是不加引号的日期，写的却是文字 \"2021-06-02\"",
                "这里应当是加双引号的文字，写的却是整数 `5`",
                "值的类型不对或不在可选范围内",
                "文字要加双引号",
                "这一处的写法不对",
            ]
        "#]]
        .assert_debug_eq(&cases);
    }
}
