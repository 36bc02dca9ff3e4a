//! Caching of the widget across visits and upgrades: a repeat visit downloads no widget code,
//! and after an upgrade a browser that cached the previous release loads the new glue and wasm
//! together, never one release's glue with the other's wasm.

use serde_json::Value;

use crate::harness::{Browser, Server, ServerConfig, ensure_widget, root, scratch};
use crate::site::Site;

const DOC: &str = "yc-2021-openness";

/// The `/dist/` files the page fetched: (file name, bytes transferred over the network).
async fn dist_requests(browser: &Browser) -> Vec<(String, u64)> {
    let entries = browser
        .js("return performance.getEntriesByType('resource')
                .filter((r) => new URL(r.name).pathname.startsWith('/dist/'))
                .map((r) => [new URL(r.name).pathname.slice(6), r.transferSize]);")
        .await;
    let mut requests: Vec<(String, u64)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e[0].as_str().unwrap().to_owned(), e[1].as_u64().unwrap()))
        .collect();
    requests.sort();
    requests
}

fn manifest(dist: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dist.join("manifest.json")).unwrap()).unwrap()
}

/// A copy of the built widget that the test may upgrade under the server's feet.
fn copy_of_dist() -> std::path::PathBuf {
    let dist = scratch("caching-dist");
    let built = root().join("dist");
    let names = manifest(&built);
    let mut files = vec!["jiedu.js", "manifest.json"];
    for bundle in ["reading", "commenting"] {
        files.push(names[bundle]["glue"].as_str().unwrap());
        files.push(names[bundle]["wasm"].as_str().unwrap());
    }
    for file in files {
        std::fs::copy(built.join(file), dist.join(file)).unwrap();
    }
    dist
}

/// Deploys a "new release" into `dist`: glue and wasm under new content-hashed names (the glue's
/// bytes changed), the loader naming them, the old files gone, as `cargo xtask widget` and a
/// copy onto the server would leave it.
fn upgrade(dist: &std::path::Path) -> (String, String) {
    let old = manifest(dist);
    let old = &old["reading"];
    let (old_glue, old_wasm) = (old["glue"].as_str().unwrap(), old["wasm"].as_str().unwrap());
    let (glue, wasm) = (
        "jiedu_widget-00000000000000b2.js".to_owned(),
        "jiedu_widget_bg-00000000000000b2.wasm".to_owned(),
    );
    let mut code = std::fs::read_to_string(dist.join(old_glue)).unwrap();
    code.push_str("\n// release 2\n");
    std::fs::write(dist.join(&glue), code).unwrap();
    std::fs::rename(dist.join(old_wasm), dist.join(&wasm)).unwrap();
    std::fs::remove_file(dist.join(old_glue)).unwrap();
    let loader = std::fs::read_to_string(dist.join("jiedu.js"))
        .unwrap()
        .replace(old_glue, &glue)
        .replace(old_wasm, &wasm);
    std::fs::write(dist.join("jiedu.js"), loader).unwrap();
    (glue, wasm)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_visit_downloads_no_widget_code_and_an_upgrade_loads_the_new_release_whole() {
    ensure_widget();
    let dist = copy_of_dist();
    let names = manifest(&dist);
    let server = Server::start(
        "caching",
        ServerConfig {
            dist_dir: dist.clone(),
            ..ServerConfig::default()
        },
    );
    let site = Site::start().await;
    let url = site.add_plain(&server.base(), DOC);
    let browser = Browser::start("caching").await;

    browser.goto(&url).await;
    browser.wait_widget().await;
    let first: Vec<String> = dist_requests(&browser)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(
        first,
        [
            "jiedu.js",
            names["reading"]["glue"].as_str().unwrap(),
            names["reading"]["wasm"].as_str().unwrap()
        ],
        "the first visit loads the loader and the hashed glue and wasm of the reading bundle"
    );
    // Not one after the other: the wasm is requested before the glue has arrived.
    let parallel = browser
        .js("const all = performance.getEntriesByType('resource');
             const glue = all.find((r) => r.name.includes('/dist/jiedu_widget-'));
             const wasm = all.find((r) => r.name.includes('/dist/jiedu_widget_bg-'));
             return wasm.startTime < glue.responseEnd;")
        .await;
    assert_eq!(parallel, true, "the wasm waited for the glue");

    // A repeat visit: the hashed files come from the cache without a request.
    browser.goto(&url).await;
    browser.wait_widget().await;
    let repeat = dist_requests(&browser).await;
    for (file, transferred) in &repeat {
        if file != "jiedu.js" {
            assert_eq!(*transferred, 0, "{file} was downloaded again: {repeat:?}");
        }
    }

    // An upgrade while the browser holds the old release: the revalidated loader names the new
    // files, and the widget still renders.
    let (glue, wasm) = upgrade(&dist);
    browser.goto(&url).await;
    browser.wait_widget().await;
    let after: Vec<String> = dist_requests(&browser)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(after, ["jiedu.js".to_owned(), glue, wasm]);
    browser.close().await;
}

/// The names of the `/dist/` files the page fetched.
async fn dist_files(browser: &Browser) -> Vec<String> {
    dist_requests(browser)
        .await
        .into_iter()
        .map(|r| r.0)
        .collect()
}

/// The files of a bundle named in the manifest.
fn bundle(names: &Value, kind: &str) -> [String; 2] {
    ["glue", "wasm"].map(|f| names[kind][f].as_str().unwrap().to_owned())
}

/// Asserts that `page` fetched both files of the `kind` bundle.
fn assert_fetched_bundle(fetched: &[String], names: &Value, kind: &str, page: &str) {
    for file in bundle(names, kind) {
        assert!(
            fetched.contains(&file),
            "{page} did not load {file}: {fetched:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_downloads_no_commenting_code_and_a_draft_gets_the_bundle_that_comments() {
    ensure_widget();
    let names = manifest(&root().join("dist"));
    let site = Site::start().await;
    let server = crate::commenting::consultation_server("bundles", &site);
    crate::commenting::add_draft_page(&site, &server);
    let plain = site.add_plain(&server.base(), DOC);
    let browser = Browser::start("bundles").await;

    browser.goto(&plain).await;
    browser.wait_widget().await;
    let fetched = dist_files(&browser).await;
    for file in bundle(&names, "commenting") {
        assert!(
            !fetched.contains(&file),
            "a reader downloaded {file}: {fetched:?}"
        );
    }
    assert_fetched_bundle(&fetched, &names, "reading", "the reader's page");

    // The same widget pointed at the draft: it starts again with the commenting bundle.
    let draft = format!(
        "{}/documents/{}.json",
        server.base(),
        crate::commenting::DRAFT
    );
    browser
        .js(&format!(
            "const w = document.querySelector('jiedu-widget');
             w.setAttribute('data-now', '{}');
             w.setAttribute('data-src', '{draft}');",
            crate::commenting::DURING_CONSULTATION
        ))
        .await;
    browser.widget_element(".jiedu-comment-btn").await;
    let fetched = dist_files(&browser).await;
    assert_fetched_bundle(&fetched, &names, "commenting", "the changed widget");

    // A draft page: the commenting bundle, and the form works (its button is there).
    crate::commenting::open_draft(&browser, &site).await;
    browser.widget_element(".jiedu-comment-btn").await;
    let fetched = dist_files(&browser).await;
    assert_fetched_bundle(&fetched, &names, "commenting", "the draft");
    // The browser remembers that this document needs the commenting bundle: the draft page
    // does not start the reading one at all.
    let reading_wasm = &bundle(&names, "reading")[1];
    assert!(
        !fetched.contains(reading_wasm),
        "a draft seen before started the reading bundle again: {fetched:?}"
    );
    browser.close().await;
}
