//! Media uploads: typed by content (never by name or `Content-Type`), limited by type,
//! content-addressed, audited, and served immutable with `nosniff`, a sandboxing CSP and ranges.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use expect_test::{Expect, expect};
use jiedu_server::serve::secrets::body_hash;
use jiedu_server::serve::store::Role;
use serde_json::json;

use super::harness::{IN_FORCE_MD, Reply, TestApp};
use crate::both_backends;
use jiedu_server::serve::sql::params;

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
const WEBP: &[u8] = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
const WEBM: &[u8] = &[
    0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81,
    0x04, 0x42, 0xf3, 0x81, 0x08, 0x42, 0x82, 0x84, b'w', b'e', b'b', b'm', 0x42, 0x87, 0x81, 0x04,
    0x42, 0x85, 0x81, 0x02,
];
const MP4: &[u8] = include_bytes!("../../../../content/media/yc-2021-openness-interview.mp4");
const SVG: &[u8] = include_bytes!("../../../../content/media/yc-2021-openness-tasks.svg");
const VTT: &[u8] = include_bytes!("../../../../content/media/yc-2021-openness-interview.vtt");

/// Uploads `bytes` with `token` and extra headers.
async fn upload_as(
    t: &TestApp,
    token: Option<&str>,
    bytes: &[u8],
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = Request::post("/api/v1/media");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    t.send(request.body(Body::from(bytes.to_vec())).unwrap())
        .await
}

async fn upload(t: &TestApp, bytes: &[u8]) -> Reply {
    upload_as(t, Some(&t.token), bytes, &[]).await
}

/// A reply as one line: status, then the error (code, fields with limits) or what was stored,
/// with the url checked against the SHA-256 of `bytes` and shown as its extension.
fn show(r: &Reply, bytes: &[u8]) -> String {
    let status = r.status.as_u16();
    let j = r.json();
    if let Some(e) = j.get("error") {
        let mut line = format!("{status} {}", e["code"].as_str().unwrap());
        for f in e["fields"].as_array().unwrap() {
            line.push_str(&format!(
                " {}:{} limit={}",
                f["field"].as_str().unwrap(),
                f["code"].as_str().unwrap(),
                f["limit"]
            ));
        }
        return line;
    }
    let url = j["url"].as_str().unwrap();
    let ext = url
        .strip_prefix(&format!("media/{}.", body_hash(bytes)))
        .unwrap_or_else(|| panic!("{url} is not named by the hash of its bytes"));
    assert_eq!(j["bytes"], bytes.len(), "{j}");
    format!("{status} .{ext} {}", j["contentType"].as_str().unwrap())
}

fn check(r: &Reply, bytes: &[u8], expect: Expect) {
    expect.assert_eq(&show(r, bytes));
}

both_backends! {
    async fn every_accepted_type_is_recognised_by_its_content() {
        let t = TestApp::new();
        let mut lines = String::new();
        for (name, bytes) in [
            ("png", PNG),
            ("jpeg", JPEG),
            ("webp", WEBP),
            ("svg", SVG),
            ("mp4", MP4),
            ("webm", WEBM),
            ("vtt", VTT),
        ] {
            let r = upload(&t, bytes).await;
            lines.push_str(&format!("{name}: {}\n", show(&r, bytes)));
        }
        expect![[r#"
            png: 201 .png image/png
            jpeg: 201 .jpg image/jpeg
            webp: 201 .webp image/webp
            svg: 201 .svg image/svg+xml
            mp4: 201 .mp4 video/mp4
            webm: 201 .webm video/webm
            vtt: 201 .vtt text/vtt; charset=utf-8
        "#]]
        .assert_eq(&lines);
    }
}

both_backends! {
    async fn the_name_and_content_type_of_an_upload_are_never_believed() {
        let t = TestApp::new();
        let png_as_svg = upload_as(
            &t,
            Some(&t.token),
            PNG,
            &[
                ("content-type", "image/svg+xml"),
                ("content-disposition", "attachment; filename=\"chart.svg\""),
            ],
        )
        .await;
        check(&png_as_svg, PNG, expect!["201 .png image/png"]);
        let png_as_mp4 = upload_as(&t, Some(&t.token), PNG, &[("content-type", "video/mp4")]).await;
        check(&png_as_mp4, PNG, expect!["200 .png image/png"]);

        let html = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>";
        let html_as_png = upload_as(
            &t,
            Some(&t.token),
            html,
            &[
                ("content-type", "image/png"),
                ("content-disposition", "attachment; filename=\"photo.png\""),
            ],
        )
        .await;
        check(&html_as_png, html, expect!["415 unsupported-media-type"]);
        // An SVG element inside an HTML page is not an SVG file; a text that only mentions WEBVTT is
        // no caption file; Matroska is not WebM; an empty body is nothing.
        let mut mkv = WEBM.to_vec();
        mkv[24..28].copy_from_slice(b"mkv ");
        for bytes in [
            &b"<html><svg></svg></html>"[..],
            b"Notes on WEBVTT",
            &mkv,
            b"",
        ] {
            check(
                &upload(&t, bytes).await,
                bytes,
                expect!["415 unsupported-media-type"],
            );
        }
        let count: i64 = t.db(|c| c.query_row("SELECT count(*) FROM media", params![], |r| r.get(0)));
        assert_eq!(count, 1, "only the PNG is stored");
    }
}

both_backends! {
    async fn each_type_has_its_limit_and_a_413_names_the_setting() {
        let t = TestApp::with(|c| {
            c.max_image_bytes = 50;
            c.max_video_bytes = 100;
            c.max_captions_bytes = 200;
        });
        check(
            &upload(&t, PNG).await,
            PNG,
            expect!["413 payload-too-large max_image_bytes:too-long limit=50"],
        );
        check(
            &upload(&t, MP4).await,
            MP4,
            expect!["413 payload-too-large max_video_bytes:too-long limit=100"],
        );
        check(
            &upload(&t, VTT).await,
            VTT,
            expect!["413 payload-too-large max_captions_bytes:too-long limit=200"],
        );
        check(
            &upload(&t, WEBM).await,
            WEBM,
            expect!["201 .webm video/webm"],
        );
        // Within the captions limit but over the comment body limit: media have their own limits.
        let t = TestApp::with(|c| c.body_limit = 10);
        check(
            &upload(&t, VTT).await,
            VTT,
            expect!["201 .vtt text/vtt; charset=utf-8"],
        );
    }
}

both_backends! {
    async fn uploads_need_a_token_and_a_page_of_an_allowed_origin() {
        let t = TestApp::new();
        let none = upload_as(&t, None, PNG, &[]).await;
        check(&none, PNG, expect!["401 missing-token"]);
        let wrong = upload_as(&t, Some("not-a-token"), PNG, &[]).await;
        check(&wrong, PNG, expect!["401 invalid-token"]);
        let elsewhere = upload_as(
            &t,
            Some(&t.token),
            PNG,
            &[
                ("origin", "https://evil.example"),
                ("host", "jiedu.example"),
            ],
        )
        .await;
        check(&elsewhere, PNG, expect!["403 origin-not-allowed"]);
    }
}

both_backends! {
    async fn the_same_bytes_twice_are_one_file_and_each_upload_is_audited() {
        let t = TestApp::new();
        let first = upload(&t, SVG).await;
        let again = upload(&t, SVG).await;
        check(&first, SVG, expect!["201 .svg image/svg+xml"]);
        check(&again, SVG, expect!["200 .svg image/svg+xml"]);
        assert_eq!(first.json()["url"], again.json()["url"]);
        let url = first.json()["url"].as_str().unwrap().to_owned();
        assert_eq!(first.header("location"), Some(format!("/{url}").as_str()));
        let (rows, by): (i64, String) = t.db(|c| {
            c.query_row(
                "SELECT count(*), max(created_by) FROM media",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        });
        assert_eq!((rows, by.as_str()), (1, "editor-a"));
        let audit = t.editor("GET", "/api/v1/audit", None).await.json();
        let uploads: Vec<String> = audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "upload-media")
            .map(|e| {
                format!(
                    "{} {} new={}",
                    e["actor"].as_str().unwrap(),
                    e["detail"]["contentType"].as_str().unwrap(),
                    e["detail"]["new"]
                )
            })
            .collect();
        expect![[r#"
            [
                "editor-a image/svg+xml new=false",
                "editor-a image/svg+xml new=true",
            ]
        "#]]
        .assert_debug_eq(&uploads);
    }
}

/// The headers that matter of a served file, one per line.
fn served(r: &Reply) -> String {
    let mut out = format!("{}\n", r.status.as_u16());
    for name in [
        "content-type",
        "content-length",
        "content-range",
        "accept-ranges",
        "cache-control",
        "x-content-type-options",
        "content-security-policy",
        "content-encoding",
    ] {
        if let Some(v) = r.header(name) {
            out.push_str(&format!("{name}: {v}\n"));
        }
    }
    out
}

both_backends! {
    async fn uploads_are_served_immutable_unsniffed_and_sandboxed_under_every_media_path() {
        let t = TestApp::new();
        let url = upload(&t, SVG).await.json()["url"]
            .as_str()
            .unwrap()
            .to_owned();
        let hash = body_hash(SVG);
        for prefix in ["/", "/documents/", "/api/v1/documents/"] {
            let r = t.get(&format!("{prefix}{url}")).await;
            assert_eq!(r.body.as_ref(), SVG, "{prefix}");
            assert_eq!(r.header("etag"), Some(format!("\"{hash}\"").as_str()));
        }
        let r = t.get(&format!("/{url}")).await;
        expect![[r#"
            200
            content-type: image/svg+xml
            content-length: 3356
            accept-ranges: bytes
            cache-control: public, max-age=31536000, immutable
            x-content-type-options: nosniff
            content-security-policy: sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'
        "#]]
        .assert_eq(&served(&r));

        let revalidate = t
            .send(
                Request::get(format!("/{url}"))
                    .header("if-none-match", format!("\"{hash}\""))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(revalidate.status, StatusCode::NOT_MODIFIED);
        assert!(revalidate.body.is_empty());

        let missing = t.get(&format!("/media/{}.png", "0".repeat(64))).await;
        assert_eq!(
            (missing.status, missing.code().as_str()),
            (StatusCode::NOT_FOUND, "media-not-found")
        );
    }
}

both_backends! {
    async fn a_video_is_served_in_ranges_and_never_compressed() {
        let t = TestApp::new();
        let url = upload(&t, MP4).await.json()["url"]
            .as_str()
            .unwrap()
            .to_owned();
        let range = |spec: &'static str| {
            Request::get(format!("/{url}"))
                .header("range", spec)
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .unwrap()
        };
        let head = t.send(range("bytes=0-99")).await;
        assert_eq!(head.body.as_ref(), &MP4[..100]);
        let tail = t.send(range("bytes=-10")).await;
        assert_eq!(tail.body.as_ref(), &MP4[MP4.len() - 10..]);
        let outside = t.send(range("bytes=99999-")).await;
        expect![[r#"
            206
            content-type: video/mp4
            content-length: 100
            content-range: bytes 0-99/11279
            accept-ranges: bytes
            cache-control: public, max-age=31536000, immutable
            x-content-type-options: nosniff
            content-security-policy: sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'
            ---
            416
            content-type: video/mp4
            content-length: 0
            content-range: bytes */11279
            accept-ranges: bytes
            cache-control: public, max-age=31536000, immutable
            x-content-type-options: nosniff
            content-security-policy: sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'
        "#]]
        .assert_eq(&format!("{}---\n{}", served(&head), served(&outside)));
        let whole = t.send(range("bytes=0-")).await;
        assert_eq!(whole.body.as_ref(), MP4);
        assert_eq!(whole.header("content-encoding"), None);
    }
}

both_backends! {
    async fn files_of_the_content_folder_are_still_served_beside_the_uploads() {
        let t = TestApp::new();
        let media = t.dir.path().join("content/media");
        std::fs::create_dir_all(&media).unwrap();
        std::fs::write(media.join("flow.svg"), SVG).unwrap();
        for uri in [
            "/media/flow.svg",
            "/documents/media/flow.svg",
            "/api/v1/documents/media/flow.svg",
        ] {
            let r = t.get(uri).await;
            assert_eq!((r.status, r.body.as_ref()), (StatusCode::OK, SVG), "{uri}");
            assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{uri}");
            assert!(
                r.header("content-security-policy")
                    .unwrap()
                    .starts_with("sandbox"),
                "{uri}"
            );
        }
        let r = t.get("/media/../jiedu.db").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

both_backends! {
    async fn a_document_referring_to_an_uploaded_image_compiles_and_its_image_is_served() {
        let t = TestApp::new();
        let approver = t.new_token("approver-b", Role::Approver);
        let url = upload(&t, PNG).await.json()["url"]
            .as_str()
            .unwrap()
            .to_owned();
        let source = IN_FORCE_MD.replace("id = \"in-force\"", "id = \"with-image\"")
            + &format!("\n## 一图读懂 {{.interpretation kind=graphic}}\n\n![办事流程图]({url})\n");
        let saved = t
            .editor(
                "PUT",
                "/api/v1/documents/with-image/source",
                Some(&json!({ "source": source })),
            )
            .await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.text());
        let revision = saved.json()["id"].as_i64().unwrap();
        let submitted = t
            .editor(
                "POST",
                &format!("/api/v1/revisions/{revision}/submit"),
                None,
            )
            .await;
        assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text());
        let approved = t
            .call(
                &approver,
                "POST",
                &format!("/api/v1/revisions/{revision}/approve"),
                None,
                &[],
            )
            .await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());

        let doc = t.get("/api/v1/documents/with-image").await.json();
        let src = doc["interpretations"][0]["media"][0]["src"]
            .as_str()
            .unwrap();
        assert_eq!(src, url);
        // Resolved as the widget does against where the document came from: the API, the static
        // JSON, the host page.
        for base in ["/api/v1/documents/", "/documents/", "/"] {
            let r = t.get(&format!("{base}{src}")).await;
            assert_eq!((r.status, r.body.as_ref()), (StatusCode::OK, PNG), "{base}");
            assert_eq!(r.header("content-type"), Some("image/png"));
        }
    }
}
