//! Chinese text renders with real glyphs: on a machine without a CJK font Chromium draws every
//! Chinese character as the same empty box, and screenshots show nothing readable.
//! `cargo xtask setup` installs one (fonts-wqy-microhei).

use crate::harness::Browser;

#[tokio::test]
async fn chinese_renders_with_real_glyphs() {
    let browser = Browser::start("fonts").await;
    browser.goto("about:blank").await;
    let measured = browser
        .js(r#"
            const canvas = document.createElement('canvas');
            canvas.width = 120; canvas.height = 80;
            const g = canvas.getContext('2d', { willReadFrequently: true });
            const px = 48;
            g.font = `${px}px sans-serif`;
            const draw = (text) => {
                g.clearRect(0, 0, 120, 80);
                g.fillText(text, 0, 60);
                return Array.from(g.getImageData(0, 0, 120, 80).data).join(',');
            };
            const zhong = draw('中'), guo = draw('国'), blank = draw(' ');
            return {
                em: g.measureText('中').width / px,
                distinct: zhong !== guo,
                inked: zhong !== blank,
            };
        "#)
        .await;
    browser.close().await;
    let em = measured["em"].as_f64().unwrap();
    assert!(
        (0.9..=1.1).contains(&em),
        "a CJK glyph is one em wide, got {em} em: {measured}"
    );
    assert_eq!(
        (measured["distinct"].as_bool(), measured["inked"].as_bool()),
        (Some(true), Some(true)),
        "中 and 国 are drawn as the same box: no Chinese font (cargo xtask setup): {measured}"
    );
}
