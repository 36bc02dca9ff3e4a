//! Documents, the static site, health, unknown routes, and the OpenAPI document against the
//! router.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use crate::both_backends;
use crate::serve::harness::TestApp;

both_backends! {
    async fn documents_are_served_with_etags_and_compression() {
        let t = TestApp::new();
        let list = t.get("/api/v1/documents").await;
        assert_eq!(list.status, StatusCode::OK);
        let index = list.json();
        assert_eq!(index["formatVersion"], 1);
        let ids: Vec<&str> = index["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["draft-rules", "in-force"]);
        assert_eq!(t.get("/documents/index.json").await.json(), index);

        let doc = t.get("/api/v1/documents/draft-rules").await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.header("content-type"), Some("application/json"));
        assert_eq!(doc.header("cache-control"), Some("no-cache"));
        assert_eq!(doc.json()["title"], "中卫市政务公开办法（征求意见稿）");
        let etag = doc.header("etag").unwrap().to_owned();
        assert!(etag.starts_with("W/\""), "{etag}");

        // The static file is the same document with the same entity tag.
        let file = t.get("/documents/draft-rules.json").await;
        assert_eq!(file.body, doc.body);
        assert_eq!(file.header("etag"), Some(etag.as_str()));

        let conditional = |tag: String| {
            t.send(
                Request::get("/api/v1/documents/draft-rules")
                    .header("if-none-match", tag)
                    .body(Body::empty())
                    .unwrap(),
            )
        };
        let not_modified = conditional(etag.clone()).await;
        assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
        assert!(not_modified.body.is_empty());
        assert_eq!(
            conditional(format!("\"other\", {etag}")).await.status,
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(conditional("\"other\"".into()).await.status, StatusCode::OK);

        let gzip = t
            .send(
                Request::get("/api/v1/documents/draft-rules")
                    .header("accept-encoding", "gzip")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(gzip.header("content-encoding"), Some("gzip"));
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gzip.body[..]), &mut text)
            .unwrap();
        assert_eq!(text.as_bytes(), &doc.body[..]);

        let missing = t.get("/api/v1/documents/nope").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.code(), "document-not-found");
        assert_eq!(
            missing.json()["error"]["message"],
            "没有编号为“nope”的文件。"
        );
        assert_eq!(
            t.get("/documents/draft-rules.txt").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

both_backends! {
    async fn the_static_site_is_served_with_the_right_types() {
        let t = TestApp::new();
        // No index.html yet: a plain list of the documents.
        let generated = t.get("/").await;
        assert_eq!(generated.status, StatusCode::OK);
        assert!(generated.text().contains("/documents/draft-rules.json"));

        let root = t.dir.path();
        std::fs::write(
            root.join("index.html"),
            "<!doctype html><title>host</title>",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("dist")).unwrap();
        std::fs::write(root.join("dist/jiedu_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(root.join("dist/jiedu.js"), "export default 1;").unwrap();
        std::fs::write(root.join("dist/jiedu.css"), "body{}").unwrap();
        std::fs::create_dir_all(root.join("www")).unwrap();
        std::fs::write(root.join("www/editor.html"), "<title>editor</title>").unwrap();
        std::fs::write(root.join("www/review.html"), "<title>review</title>").unwrap();

        let index = t.get("/").await;
        assert_eq!(index.text(), "<!doctype html><title>host</title>");
        assert_eq!(
            index.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(index.header("x-content-type-options"), Some("nosniff"));

        let wasm = t.get("/dist/jiedu_bg.wasm").await;
        assert_eq!(wasm.status, StatusCode::OK);
        assert_eq!(wasm.header("content-type"), Some("application/wasm"));
        assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");
        let js = t.get("/dist/jiedu.js").await;
        assert_eq!(js.header("content-type"), Some("text/javascript"));
        assert_eq!(
            t.get("/dist/jiedu.css").await.header("content-type"),
            Some("text/css")
        );
        assert_eq!(
            t.get("/dist/missing.js").await.status,
            StatusCode::NOT_FOUND
        );

        assert_eq!(t.get("/editor").await.text(), "<title>editor</title>");
        assert_eq!(t.get("/review").await.text(), "<title>review</title>");
        assert_eq!(
            t.get("/www/review.html").await.text(),
            "<title>review</title>"
        );
    }
}

both_backends! {
    async fn health_unknown_routes_and_wrong_methods() {
        let t = TestApp::new();
        let health = t.get("/healthz").await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.json()["status"], "ok");
        assert_eq!(health.json()["documents"], 2);

        let nowhere = t.get("/api/v1/nowhere").await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(nowhere.code(), "not-found");

        let wrong = t
            .send(
                Request::delete("/api/v1/documents/draft-rules")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(wrong.code(), "method-not-allowed");
    }
}

/// The OpenAPI paths in axum's syntax: `{id}` is the same in both.
fn openapi_operations(doc: &Value) -> Vec<(Method, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.push((
                Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap(),
                path.clone(),
            ));
        }
    }
    ops.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    ops
}

both_backends! {
    async fn the_openapi_document_describes_exactly_the_routes() {
        let t = TestApp::new();
        let reply = t.get("/api/v1/openapi.json").await;
        assert_eq!(reply.status, StatusCode::OK);
        let doc = reply.json();
        assert_eq!(doc["openapi"], "3.1.0");

        let mut routes: Vec<(Method, String)> = jiedu_server::serve::api_routes()
            .into_iter()
            .map(|(m, p)| (m, p.to_owned()))
            .collect();
        routes.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
        assert_eq!(routes, openapi_operations(&doc));

        // And every documented operation is really routed: no "not found" or "method not allowed".
        for (method, path) in openapi_operations(&doc) {
            let uri = path
                .replace("{id}", "draft-rules")
                .replace("{number}", "1")
                .replace("{receipt}", "JD-2222-2222")
                .replace("{file}", "none.png");
            let reply = t
                .send(
                    Request::builder()
                        .method(method.clone())
                        .uri(&uri)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_ne!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}"
            );
            if reply.status == StatusCode::NOT_FOUND {
                assert_ne!(reply.code(), "not-found", "{method} {uri} is not routed");
            }
        }

        // Every schema reference resolves.
        let text = reply.text();
        for part in text.split("\"$ref\": \"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "dangling $ref {name}"
            );
        }
        for schema in [
            "Document",
            "NewComment",
            "Receipt",
            "ReceiptStatus",
            "FeedbackReport",
            "ErrorBody",
        ] {
            assert!(
                doc["components"]["schemas"].get(schema).is_some(),
                "{schema}"
            );
        }
    }
}

both_backends! {
    /// The widget's content-hashed files may be kept a year; the loader that names them, and
    /// anything else in `dist/`, is revalidated on every use (so an upgrade reaches readers at once).
    async fn dist_files_are_cached_by_their_names() {
        let t = TestApp::new();
        let dist = t.dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        for file in [
            "jiedu.js",
            "jiedu_widget-0123456789abcdef.js",
            "jiedu_widget_bg-fedcba9876543210.wasm",
            "jiedu_widget-notahash.js",
        ] {
            std::fs::write(dist.join(file), "x").unwrap();
        }
        let policy = |reply: crate::serve::harness::Reply| {
            format!(
                "{} {}",
                reply.status.as_u16(),
                reply.header("cache-control").unwrap_or("-")
            )
        };
        let mut seen = String::new();
        for file in [
            "jiedu.js",
            "jiedu_widget-0123456789abcdef.js",
            "jiedu_widget_bg-fedcba9876543210.wasm",
            "jiedu_widget-notahash.js",
            "jiedu_widget-0000000000000000.js",
        ] {
            seen += &format!(
                "{file}: {}\n",
                policy(t.get(&format!("/dist/{file}")).await)
            );
        }
        // A revalidation of the loader is answered 304 and keeps its policy.
        let modified = t
            .get("/dist/jiedu.js")
            .await
            .header("last-modified")
            .unwrap()
            .to_owned();
        let again = t
            .send(
                Request::get("/dist/jiedu.js")
                    .header("if-modified-since", modified)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        seen += &format!("jiedu.js revalidated: {}\n", policy(again));
        expect_test::expect![[r#"
            jiedu.js: 200 no-cache
            jiedu_widget-0123456789abcdef.js: 200 public, max-age=31536000, immutable
            jiedu_widget_bg-fedcba9876543210.wasm: 200 public, max-age=31536000, immutable
            jiedu_widget-notahash.js: 200 no-cache
            jiedu_widget-0000000000000000.js: 404 -
            jiedu.js revalidated: 304 no-cache
        "#]]
        .assert_eq(&seen);
    }
}
