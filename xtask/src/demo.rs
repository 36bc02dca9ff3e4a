//! The demo's history, made through the workflow API of the server `cargo xtask run` started,
//! so that the whole workflow can be tried at once: the in-force document
//! (`content/yc-2021-openness.md`) gets a second published revision with a follow-up
//! interpretation (跟踪解读), signed off by the demo approver, and then a newer draft by the demo
//! editor that waits to be submitted. The consultation draft and its final version
//! (`content/yc-proactive-disclosure.md`, `replaces` the draft) are plain files of `content/`.
//!
//! Done once, on the first run, when the demo tokens are made (their secrets are known only
//! then). Plain HTTP/1.1 over `std::net`: xtask needs no HTTP client for three requests.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

/// The document whose history the demo makes.
const DOCUMENT: &str = "yc-2021-openness";

/// One request; the status and the JSON body (`null` when there is none).
fn call(
    addr: SocketAddr,
    token: &str,
    method: &str,
    path: &str,
    if_match: Option<i64>,
    body: Option<&Value>,
) -> anyhow::Result<(u16, Value)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(revision) = if_match {
        request.push_str(&format!("If-Match: \"{revision}\"\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("no HTTP status in {head:?}"))?;
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        bail!("{method} {path}: a chunked answer (not expected from the workflow API)");
    }
    Ok((status, serde_json::from_str(body).unwrap_or(Value::Null)))
}

/// A request that must answer `want`; returns the body.
fn expect(
    addr: SocketAddr,
    token: &str,
    (method, path): (&str, &str),
    if_match: Option<i64>,
    body: Option<&Value>,
    want: u16,
) -> anyhow::Result<Value> {
    let (status, body) = call(addr, token, method, path, if_match, body)?;
    if status != want {
        bail!("{method} {path}: {status} {body}");
    }
    Ok(body)
}

/// Waits until the server accepts connections.
pub fn wait_for(addr: SocketAddr, timeout: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err() {
        if started.elapsed() > timeout {
            bail!("jiedu serve did not listen on {addr} within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

/// The published revision with a follow-up, then a newer draft (see the module comment).
pub fn seed(root: &Path, addr: SocketAddr, editor: &str, approver: &str) -> anyhow::Result<()> {
    let file = root.join(format!("content/{DOCUMENT}.md"));
    let original = std::fs::read_to_string(&file).with_context(|| file.display().to_string())?;
    let followed_up = format!(
        "{original}\n## 跟踪解读：半年来的落实情况 {{#jd-follow-up-2022 .interpretation kind=follow-up \
         for=document by=\"云川市人民政府办公室\" date=2022-01-10}}\n\n\
         要点印发半年来，各县（区）已全部更新事项目录，市政府网站新增“政策解读”专栏，\
         社保、就业栏目的信息实现按周更新。下一步将把解读材料的发布情况纳入年度考核。\n"
    );
    let draft = followed_up.replace(
        "下一步将把解读材料的发布情况纳入年度考核。",
        "下一步将把解读材料的发布情况纳入年度考核，并在年底开展第三方评估。",
    );
    let source = format!("/api/v1/documents/{DOCUMENT}/source");
    let revisions = expect(
        addr,
        editor,
        ("GET", &format!("/api/v1/documents/{DOCUMENT}/revisions")),
        None,
        None,
        200,
    )?;
    let newest = revisions[0]["id"]
        .as_i64()
        .context("the demo document has no revision")?;
    let saved = expect(
        addr,
        editor,
        ("PUT", &source),
        Some(newest),
        Some(&json!({ "source": followed_up })),
        201,
    )?;
    let revision = saved["id"].as_i64().context("no revision id")?;
    let step = |token: &str, step: &str| {
        expect(
            addr,
            token,
            ("POST", &format!("/api/v1/revisions/{revision}/{step}")),
            None,
            None,
            200,
        )
    };
    step(editor, "submit")?;
    step(approver, "approve")?;
    let saved = expect(
        addr,
        editor,
        ("PUT", &source),
        Some(revision),
        Some(&json!({ "source": draft })),
        201,
    )?;
    eprintln!(
        "demo: `{DOCUMENT}` has revision {revision} published (with a follow-up) by demo-approver \
         and draft revision {} by demo-editor; `yc-proactive-disclosure` replaces the \
         consultation draft (compare: http://{addr}/documents/yc-proactive-disclosure/compare)",
        saved["id"]
    );
    Ok(())
}
