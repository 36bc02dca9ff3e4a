//! Time to content in a real browser: how long after navigation a reader sees a clause, with the
//! widget and with the static page `jiedu build --html` writes, both served (compressed) by
//! `jiedu serve`, unthrottled and on an emulated slow phone.
//!
//! Run with `cargo xtask bench-render` (it builds the widget and a release `jiedu` first). The
//! numbers are medians over `JIEDU_BENCH_RUNS` cold loads (default 5; the browser cache is
//! cleared before each). A script added with CDP `Page.addScriptToEvaluateOnNewDocument`
//! records, on every animation frame, whether the first and the last clause are in the DOM with
//! their text (inside the widget's shadow root, or in the static page), so both kinds of page
//! are measured by the same code, to within a frame. "Repeat" is a second load of the widget
//! page with the cache kept: its time, and the bytes of widget code it downloaded again.
//! "Search" times the widget's search after each cold load: from the `input` event of a keystroke
//! in its search box to the results in the DOM (a `MutationObserver` on the shadow root), for
//! the first keystroke, a common term and a term found nowhere (the whole document scanned).
//! "Scrolling" scrolls each page, once every clause is shown, by 60 px an animation frame for
//! 3 s and records the time between frames: frames over 50 ms are jank a reader sees.
//!
//! This is a benchmark, not a test: it asserts nothing about the numbers.

#[allow(dead_code)]
#[path = "../it/harness.rs"]
mod harness;

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use harness::Browser;
use serde_json::{Value, json};

/// An emulated connection and processor.
struct Profile {
    name: &'static str,
    /// Added to every request, in milliseconds, and the throughputs in bytes per second
    /// (`None`: not throttled).
    network: Option<(u64, u64, u64)>,
    cpu_slowdown: f64,
}

const PROFILES: [Profile; 2] = [
    Profile {
        name: "unthrottled",
        network: None,
        cpu_slowdown: 1.0,
    },
    // 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, a processor 4× slower.
    Profile {
        name: "slow mobile",
        network: Some((150, 200_000, 93_750)),
        cpu_slowdown: 4.0,
    },
];

/// A document measured: its id, and the provision ids of its first and last clause.
struct Case {
    label: &'static str,
    id: &'static str,
    first: &'static str,
    last: &'static str,
}

const CASES: [Case; 3] = [
    Case {
        label: "demo document (10 clauses)",
        id: "yc-proactive-disclosure-draft",
        first: "a1",
        last: "a10",
    },
    Case {
        label: "generated 500 clauses with interpretations",
        id: "bench-500",
        first: "a1",
        last: "a500",
    },
    // The size of the Civil Code (民法典, 1,260 articles).
    Case {
        label: "generated 1,260 clauses with interpretations",
        id: "bench-1260",
        first: "a1",
        last: "a1260",
    },
];

/// The keystrokes timed: the first one, a common term, and one found nowhere.
const QUERIES: [&str; 3] = ["信", "信息", "信息不存在"];

#[derive(Clone, Copy, PartialEq)]
enum Page {
    Static,
    Widget,
}

/// One load: milliseconds from navigation start to the first and the last clause, and the
/// bytes of `/dist/` files transferred.
#[derive(Clone, Copy)]
struct Load {
    first: f64,
    last: f64,
    widget_bytes: f64,
    /// When the document's JSON had arrived (`responseEnd`; NaN for the static page).
    json: f64,
    /// When the widget's wasm had arrived (the latest `responseEnd` of a `.wasm` file).
    wasm: f64,
}

fn main() {
    let runs: usize = std::env::var("JIEDU_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(bench(runs));
    let out = harness::root().join("target/bench-render/report.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &report).unwrap();
    println!("{report}\n(written to {})", out.display());
}

async fn bench(runs: usize) -> String {
    harness::ensure_widget();
    let dir = harness::scratch("bench-render");
    let site = prepare_site(&dir);
    let mut server = Serve::start(&dir, &site);
    let browser = Browser::start("bench-render").await;
    let mut report = format!(
        "Time to content, medians of {runs} cold loads (ms from navigation start).\n\n\
         | document | clause | profile | static page | widget | ratio | widget: JSON received | widget: wasm received |\n|---|---|---|---|---|---|---|---|\n"
    );
    let mut searches = String::from(
        "\nSearch in the widget: ms from a keystroke's `input` event to its results in the DOM.\n\n\
         | document | profile | first keystroke | common term | term found nowhere |\n|---|---|---|---|---|\n",
    );
    let mut scrolls = String::from(
        "\nScrolling, 60 px a frame for 3 s after every clause is shown: frames drawn, frames over 50 ms, longest frame (ms); medians.\n\n\
         | document | profile | static: frames | over 50 ms | longest | widget: frames | over 50 ms | longest |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut repeats = String::from(
        "\nRepeat visit of the widget page (cache kept): first clause, and widget code downloaded again.\n\n\
         | document | profile | cold | repeat | widget bytes cold | widget bytes repeat |\n|---|---|---|---|---|---|\n",
    );
    // `JIEDU_BENCH_CASES=bench-1260,…` measures only the documents with these ids.
    let only = std::env::var("JIEDU_BENCH_CASES").unwrap_or_default();
    let cases = CASES
        .iter()
        .filter(|c| only.is_empty() || only.split(',').any(|id| id == c.id));
    for case in cases {
        for profile in &PROFILES {
            eprintln!("measuring {}, {}", case.label, profile.name);
            let base = server.base();
            let stat = measure(&browser, &base, case, profile, Page::Static, runs).await;
            let widget = measure(&browser, &base, case, profile, Page::Widget, runs).await;
            for (clause, pick) in [("first", 0), ("last", 1)] {
                let of = |loads: &[Load]| median(loads.iter().map(|l| [l.first, l.last][pick]));
                let (s, w) = (of(&stat.cold), of(&widget.cold));
                let _ = writeln!(
                    report,
                    "| {} | {clause} | {} | {s:.0} | {w:.0} | {:.2}× | {:.0} | {:.0} |",
                    case.label,
                    profile.name,
                    w / s,
                    median(widget.cold.iter().map(|l| l.json)),
                    median(widget.cold.iter().map(|l| l.wasm)),
                );
            }
            let search = |k: usize| median(widget.search.iter().map(|s| s[k]));
            let _ = writeln!(
                searches,
                "| {} | {} | {:.1} | {:.1} | {:.1} |",
                case.label,
                profile.name,
                search(0),
                search(1),
                search(2),
            );
            let of = |loads: &Loads, k: usize| median(loads.scroll.iter().map(|s| s[k]));
            let _ = writeln!(
                scrolls,
                "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
                case.label,
                profile.name,
                of(&stat, 0),
                of(&stat, 1),
                of(&stat, 2),
                of(&widget, 0),
                of(&widget, 1),
                of(&widget, 2),
            );
            let _ = writeln!(
                repeats,
                "| {} | {} | {:.0} | {:.0} | {:.0} | {:.0} |",
                case.label,
                profile.name,
                median(widget.cold.iter().map(|l| l.first)),
                median(widget.repeat.iter().map(|l| l.first)),
                median(widget.cold.iter().map(|l| l.widget_bytes)),
                median(widget.repeat.iter().map(|l| l.widget_bytes)),
            );
        }
    }
    browser.close().await;
    server.stop();
    report + &searches + &scrolls + &repeats
}

/// Loads of one page kind: cold ones, and (for the widget) a repeat right after each.
struct Loads {
    cold: Vec<Load>,
    repeat: Vec<Load>,
    /// The widget's search times of [`QUERIES`], after each cold load.
    search: Vec<[f64; 3]>,
    /// Frames drawn, frames over 50 ms and the longest frame while scrolling, after each cold load.
    scroll: Vec<[f64; 3]>,
}

async fn measure(
    browser: &Browser,
    base: &str,
    case: &Case,
    profile: &Profile,
    page: Page,
    runs: usize,
) -> Loads {
    let url = match page {
        Page::Static => format!("{base}/www/{}.html", case.id),
        Page::Widget => format!("{base}/www/host-{}.html", case.id),
    };
    let mut loads = Loads {
        cold: Vec::new(),
        repeat: Vec::new(),
        search: Vec::new(),
        scroll: Vec::new(),
    };
    for _ in 0..runs {
        // A page of the same origin first, so the throttles apply to the renderer that loads
        // the measured page.
        browser.goto(&format!("{base}/healthz")).await;
        throttle(browser, profile).await;
        cdp(browser, "Network.clearBrowserCache", json!({})).await;
        loads.cold.push(load(browser, &url, case, page).await);
        loads.scroll.push(scroll_frames(browser).await);
        if page == Page::Widget {
            loads.search.push(search_times(browser).await);
            loads.repeat.push(load(browser, &url, case, page).await);
        }
    }
    throttle(browser, &PROFILES[0]).await;
    loads
}

/// Navigates to `url` with the clause watcher installed and waits for both clauses.
async fn load(browser: &Browser, url: &str, case: &Case, page: Page) -> Load {
    let (first, last) = match page {
        Page::Static => (case.first.to_owned(), case.last.to_owned()),
        Page::Widget => (
            format!("jiedu-{}", case.first),
            format!("jiedu-{}", case.last),
        ),
    };
    let script = format!(
        "(() => {{
            const ids = {ids};
            const found = window.__jdFound = [null, null];
            const el = (id) => {{
                const host = document.querySelector('jiedu-widget');
                const root = host && host.shadowRoot;
                return (root && root.getElementById(id)) || document.getElementById(id);
            }};
            const tick = () => {{
                ids.forEach((id, i) => {{
                    const e = found[i] === null && el(id);
                    if (e && e.textContent.trim().length > 20) found[i] = performance.now();
                }});
                if (found.includes(null)) requestAnimationFrame(tick);
            }};
            tick();
        }})();",
        ids = json!([first, last])
    );
    let added = cdp(
        browser,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": script }),
    )
    .await;
    browser.goto(url).await;
    let found = browser
        .wait_for(
            "both clauses to be shown",
            "window.__jdFound && !window.__jdFound.includes(null) && window.__jdFound",
            Value::is_array,
        )
        .await;
    let bytes = browser
        .js("return performance.getEntriesByType('resource')
                .filter((r) => new URL(r.name).pathname.startsWith('/dist/'))
                .reduce((sum, r) => sum + r.transferSize, 0);")
        .await;
    let json = browser
        .js("const r = performance.getEntriesByType('resource')
                .find((r) => new URL(r.name).pathname.startsWith('/documents/'));
             return r ? r.responseEnd : null;")
        .await;
    let wasm = browser
        .js("const ends = performance.getEntriesByType('resource')
                .filter((r) => r.name.endsWith('.wasm')).map((r) => r.responseEnd);
             return ends.length ? Math.max(...ends) : null;")
        .await;
    cdp(
        browser,
        "Page.removeScriptToEvaluateOnNewDocument",
        json!({ "identifier": added["identifier"] }),
    )
    .await;
    Load {
        first: found[0].as_f64().unwrap(),
        last: found[1].as_f64().unwrap(),
        widget_bytes: bytes.as_f64().unwrap_or(0.0),
        json: json.as_f64().unwrap_or(f64::NAN),
        wasm: wasm.as_f64().unwrap_or(f64::NAN),
    }
}

/// Types each of [`QUERIES`] into the widget's search box (as a keyboard does: value, then
/// `input`) and times each until its results are in the DOM: a `<mark>` holding the term, or the
/// "nothing found" line quoting it.
async fn search_times(browser: &Browser) -> [f64; 3] {
    let body = format!(
        "const root = document.querySelector('jiedu-widget').shadowRoot;
         const input = root.querySelector('input[type=search]');
         const shown = (q) => {{
             const mark = root.querySelector('.results mark');
             const count = root.querySelector('.results .count');
             return (mark && mark.textContent === q) || (count && count.textContent.includes(q));
         }};
         const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
         const times = [];
         for (const q of {queries}) {{
             await frame();
             times.push(await new Promise((resolve, reject) => {{
                 let start;
                 const observer = new MutationObserver(() => {{
                     if (shown(q)) {{ observer.disconnect(); resolve(performance.now() - start); }}
                 }});
                 observer.observe(root, {{ childList: true, subtree: true, characterData: true }});
                 setTimeout(() => reject(new Error('no results for ' + q)), 20000);
                 input.value = q;
                 start = performance.now();
                 input.dispatchEvent(new Event('input', {{ bubbles: true }}));
             }}));
         }}
         input.value = '';
         input.dispatchEvent(new Event('input', {{ bubbles: true }}));
         return times;",
        queries = json!(QUERIES)
    );
    let times = browser.js_async(&body).await;
    std::array::from_fn(|k| times[k].as_f64().unwrap())
}

/// Scrolls the page from the top by 60 px an animation frame for 3 s (or to the end) and returns
/// the frames drawn, the frames that took over 50 ms, and the longest frame, in ms.
async fn scroll_frames(browser: &Browser) -> [f64; 3] {
    let frames = browser
        .js_async(
            "window.scrollTo(0, 0);
             await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
             const gaps = [];
             await new Promise((resolve) => {
                 const start = performance.now();
                 let previous = start;
                 const step = (now) => {
                     gaps.push(now - previous);
                     previous = now;
                     window.scrollBy(0, 60);
                     const end = window.scrollY + innerHeight >= document.scrollingElement.scrollHeight;
                     if (now - start < 3000 && !end) requestAnimationFrame(step); else resolve();
                 };
                 requestAnimationFrame(step);
             });
             window.scrollTo(0, 0);
             return [gaps.length, gaps.filter((g) => g > 50).length, Math.max(...gaps)];",
        )
        .await;
    std::array::from_fn(|k| frames[k].as_f64().unwrap())
}

async fn throttle(browser: &Browser, profile: &Profile) {
    let (latency, down, up) = profile.network.unwrap_or((0, 0, 0));
    let throttled = profile.network.is_some();
    cdp(browser, "Network.enable", json!({})).await;
    cdp(
        browser,
        "Network.emulateNetworkConditions",
        json!({
            "offline": false,
            "latency": latency,
            "downloadThroughput": if throttled { down as f64 } else { -1.0 },
            "uploadThroughput": if throttled { up as f64 } else { -1.0 },
        }),
    )
    .await;
    cdp(
        browser,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": profile.cpu_slowdown }),
    )
    .await;
}

/// A Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`.
async fn cdp(browser: &Browser, cmd: &'static str, params: Value) -> Value {
    browser
        .client
        .issue_cmd(Cdp { cmd, params })
        .await
        .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
}

#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The folder `jiedu serve` gets as `--content-dir` (the demo draft and a generated long
/// document) and as `--www-dir` (their static pages and a host page for each).
struct Site {
    content: PathBuf,
    www: PathBuf,
}

fn prepare_site(dir: &Path) -> Site {
    let content = dir.join("content");
    let www = dir.join("www");
    std::fs::create_dir_all(content.join("media")).unwrap();
    let repo_content = harness::root().join("content");
    std::fs::copy(
        repo_content.join("yc-proactive-disclosure-draft.md"),
        content.join("yc-proactive-disclosure-draft.md"),
    )
    .unwrap();
    for media in std::fs::read_dir(repo_content.join("media")).unwrap() {
        let media = media.unwrap();
        std::fs::copy(media.path(), content.join("media").join(media.file_name())).unwrap();
    }
    for n in [500, 1260] {
        std::fs::write(content.join(format!("bench-{n}.md")), generated_document(n)).unwrap();
    }
    let status = Command::new(binary())
        .args(["build", "--html", "--out"])
        .arg(&www)
        .arg(&content)
        .status()
        .unwrap();
    assert!(status.success(), "jiedu build --html failed");
    for case in &CASES {
        std::fs::write(
            www.join(format!("host-{}.html", case.id)),
            format!(
                "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>{id}</title><main><script src=\"/dist/jiedu.js\" \
                 data-src=\"/documents/{id}.json\" async></script></main>",
                id = case.id
            ),
        )
        .unwrap();
    }
    Site { content, www }
}

/// An in-force regulation of `n` articles, each with a paragraph and an interpretation, in
/// chapters of 20: text made of ordinary characters in an order that repeats no phrase, so the
/// authoring checks (copying, formalism) pass as they would for real text.
fn generated_document(n: usize) -> String {
    const CHARS: &str = "国家机关部门应当依法公开政府信息保障公民法人和其他组织获取权利提高工作透明度\
        促进服务建设市场主体群众办事便利监督管理制度规定程序范围时限方式渠道平台数据开放共享\
        安全保密审查责任考核评议投诉举报答复处理结果反馈意见建议征集解读回应关切社会公众参与";
    let chars: Vec<char> = CHARS.chars().collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut text = |len: usize| -> String {
        (0..len)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if i > 0 && i % 23 == 0 {
                    '，'
                } else {
                    chars[(state % chars.len() as u64) as usize]
                }
            })
            .collect::<String>()
            + "。"
    };
    let mut doc = format!(
        "+++\nid = \"bench-{n}\"\ntitle = \"云川市政府信息公开管理规定（基准测试用）\"\n\
         doc_number = \"云政发〔2026〕1号\"\nissuer = \"云川市人民政府\"\nissued = 2026-01-05\n\
         effective = 2026-02-01\nstatus = \"in-force\"\ndisclosure = \"public\"\n+++\n\n",
    );
    doc += &text(60);
    doc += "\n\n";
    for i in 1..=n {
        if i % 20 == 1 {
            let _ = write!(
                doc,
                "# 第{}章 {} {{#ch{}}}\n\n",
                i / 20 + 1,
                &text(6)[..],
                i / 20 + 1
            );
        }
        let _ = write!(doc, "## 第{i}条 {{#a{i}}}\n\n{}\n\n", text(90));
        let _ = write!(
            doc,
            "### 解读 {{#jd-a{i} .interpretation kind=considerations for=a{i}}}\n\n{}\n\n",
            text(110)
        );
    }
    doc
}

/// The `jiedu` binary: `JIEDU_BENCH_BINARY` (xtask passes a release build), else the debug one.
fn binary() -> PathBuf {
    std::env::var_os("JIEDU_BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(harness::jiedu_binary)
}

/// `jiedu serve` over the prepared site, on a port of its choosing.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(dir: &Path, site: &Site) -> Serve {
        let mut child = Command::new(binary())
            .current_dir(dir)
            .args(["serve", "--bind", "127.0.0.1:0", "--log", "warn"])
            .arg("--content-dir")
            .arg(&site.content)
            .arg("--www-dir")
            .arg(&site.www)
            .arg("--data-dir")
            .arg(dir.join("data"))
            .arg("--dist-dir")
            .arg(harness::root().join("dist"))
            .arg("--index")
            .arg(dir.join("no-index.html"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("jiedu starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("listening on http://127.0.0.1:")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("jiedu serve did not start: {line:?}"));
        Serve { child, port }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
