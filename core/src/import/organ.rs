//! Names of issuing bodies (发文机关): the mark, the signature, joint issuers, the start of a
//! title. Normalisation needs them too (to keep joint issuers apart), so they live here rather
//! than in `layout`.

use super::numbering;

/// Name endings of issuing bodies.
const ORGAN_ENDINGS: &[&str] = &[
    "人民政府",
    "政府",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "厅",
    "部",
    "委",
    "院",
    "办",
    "中心",
    "署",
    "会",
    "处",
    "所",
    "站",
];

/// True for the name of an issuing body: short, ending like one, no sentence punctuation.
pub fn is_organ(text: &str) -> bool {
    let text = text.strip_suffix("文件").unwrap_or(text);
    let len = text.chars().count();
    (2..=30).contains(&len)
        && !text.contains("关于")
        && !text.contains(['。', '，', '；', '：', '！', '？'])
        && numbering::parse(text).is_none()
        && ORGAN_ENDINGS.iter().any(|e| text.ends_with(e))
}

/// True for joint issuers written with `、`: `重庆市粮食局、重庆市财政局`.
pub fn is_organ_list(text: &str) -> bool {
    text.contains('、') && text.split('、').all(is_organ)
}
