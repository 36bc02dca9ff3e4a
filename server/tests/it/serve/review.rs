//! The editors' side and what the public sees of it: tokens, listing, decisions, marks,
//! publishing the feedback report, receipts, exports and the audit log.

use std::io::Read;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::harness::{TestApp, comment};

/// Four comments: two individuals (one with contact), an organisation, one to mark as spam.
async fn seeded() -> (TestApp, Vec<String>) {
    let t = TestApp::new();
    let mut with_contact = comment("建议把第一条的“可以”改为“应当”。");
    with_contact["contact"] = json!("zhu@example.com");
    with_contact["consent"] = json!(true);
    let bodies = [
        with_contact,
        json!({ "target": "s1", "stance": "support", "text": "同意，把可以改为应当。", "name": "李四" }),
        json!({ "target": "s2", "stance": "oppose", "text": "公开方式应增加政务新媒体。",
                "name": "中卫市律师协会", "submitterType": "organization" }),
        json!({ "target": "document", "stance": "support", "text": "广告：低价出售……" }),
    ];
    let mut receipts = Vec::new();
    for body in &bodies {
        receipts.push(t.submit(body).await["receipt"].as_str().unwrap().to_owned());
    }
    (t, receipts)
}

fn numbers(page: &Value) -> Vec<u64> {
    page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn editor_routes_need_a_valid_token() {
    let (t, _) = seeded().await;
    let missing = t.get("/api/v1/documents/draft-rules/comments").await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), "missing-token");
    assert_eq!(
        missing.header("www-authenticate"),
        Some("Bearer realm=\"jiedu\"")
    );

    let wrong = t
        .send(
            axum::http::Request::get("/api/v1/documents/draft-rules/comments")
                .header("authorization", "Bearer jdt_not-a-real-token")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.code(), "invalid-token");
    let basic = t
        .send(
            axum::http::Request::get("/api/v1/me")
                .header("authorization", format!("Basic {}", t.token))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);

    let me = t.editor("GET", "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json(), json!({ "name": "editor-a" }));

    // A revoked token stops working at once.
    let conn = jiedu_server::serve::db::open(&t.dir.path().join("data"))
        .unwrap()
        .0;
    jiedu_server::serve::store::revoke_token(&conn, "editor-a", "2026-12-16T00:00:00+08:00")
        .unwrap();
    let revoked = t.editor("GET", "/api/v1/me", None).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.code(), "invalid-token");
}

#[tokio::test]
async fn editors_list_filter_and_page_comments_without_contact_unless_asked() {
    let (t, receipts) = seeded().await;
    let tr = &t;
    let list = |query: &str| {
        let uri = format!("/api/v1/documents/draft-rules/comments{query}");
        async move { tr.editor("GET", &uri, None).await }
    };
    let all = list("").await;
    assert_eq!(all.status, StatusCode::OK);
    let page = all.json();
    assert_eq!(page["total"], 4);
    assert_eq!(numbers(&page), vec![1, 2, 3, 4]);
    assert_eq!(page["comments"][0]["receipt"], receipts[0].as_str());
    assert_eq!(page["comments"][0]["name"], "朱小明");
    assert_eq!(page["comments"][0]["consent"], true);
    assert!(!all.text().contains("zhu@example.com"));
    assert!(page["comments"][0].get("ipHash").is_none());

    assert_eq!(numbers(&list("?target=s1").await.json()), vec![1, 2]);
    assert_eq!(numbers(&list("?stance=support").await.json()), vec![2, 4]);
    assert_eq!(numbers(&list("?q=应当").await.json()), vec![1, 2]);
    assert_eq!(numbers(&list("?q=应当%20同意").await.json()), vec![2]);
    assert_eq!(numbers(&list("?q=律师协会").await.json()), vec![3]);
    assert_eq!(numbers(&list("?q=100%25").await.json()), Vec::<u64>::new());
    let paged = list("?per_page=3&page=2").await.json();
    assert_eq!(
        (paged["total"].clone(), numbers(&paged)),
        (json!(4), vec![4])
    );
    assert_eq!(numbers(&list("?status=received").await.json()).len(), 4);

    let bad = list("?stance=maybe").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "invalid-parameter");

    let with_contact = list("?include_contact=true").await;
    assert!(with_contact.text().contains("zhu@example.com"));
    assert_eq!(
        with_contact.json()["comments"][0]["ipHash"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    let audit = t.editor("GET", "/api/v1/audit", None).await.json();
    assert_eq!(audit[0]["action"], "list-with-contact");
    assert_eq!(audit[0]["actor"], "editor-a");

    let one = t
        .editor("GET", "/api/v1/documents/draft-rules/comments/3", None)
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["submitterType"], "organization");
    let none = t
        .editor("GET", "/api/v1/documents/draft-rules/comments/99", None)
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert_eq!(none.code(), "comment-not-found");
    let not_a_number = t
        .editor("GET", "/api/v1/documents/draft-rules/comments/abc", None)
        .await;
    assert_eq!(not_a_number.status, StatusCode::BAD_REQUEST);
    let no_doc = t
        .editor("GET", "/api/v1/documents/nope/comments", None)
        .await;
    assert_eq!(no_doc.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn receipts_tell_the_public_status_and_nothing_personal() {
    let (t, receipts) = seeded().await;
    let reply = t.get(&format!("/api/v1/receipts/{}", receipts[0])).await;
    assert_eq!(reply.status, StatusCode::OK);
    let status = reply.json();
    assert_eq!(status["status"], "received");
    assert_eq!(status["documentId"], "draft-rules");
    assert_eq!(status["target"], "s1");
    for private in ["zhu@example.com", "朱小明", "建议把", "ipHash", "contact"] {
        assert!(!reply.text().contains(private), "{private} leaked");
    }
    // Typed by hand: lower case, no dashes.
    let typed = receipts[0].to_ascii_lowercase().replace('-', "");
    assert_eq!(
        t.get(&format!("/api/v1/receipts/{typed}")).await.json(),
        status
    );
    let unknown = t.get("/api/v1/receipts/JD-2222-2222").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "receipt-not-found");
    let garbage = t.get("/api/v1/receipts/%3Cscript%3E").await;
    assert_eq!(garbage.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn decisions_marks_and_the_published_feedback_report() {
    let (t, receipts) = seeded().await;
    let tr = &t;
    let put = |path: &str, body: Value| {
        let uri = format!("/api/v1/documents/draft-rules/comments/{path}");
        async move { tr.editor("PUT", &uri, Some(&body)).await }
    };

    // Nothing is published yet: no content, and no error for the browser's console.
    let before = t.get("/api/v1/documents/draft-rules/feedback").await;
    assert_eq!(before.status, StatusCode::NO_CONTENT);

    // A reason is required unless adopted.
    let no_reason = put("3/disposition", json!({ "decision": "not-adopted" })).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_reason.fields(),
        vec![("reason".into(), "required".into())]
    );
    let not_json = t
        .send(
            axum::http::Request::put("/api/v1/documents/draft-rules/comments/1/disposition")
                .header("authorization", format!("Bearer {}", t.token))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from(r#"{"decision":"adopted"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let adopted = put("1/disposition", json!({ "decision": "adopted" })).await;
    assert_eq!(adopted.status, StatusCode::OK, "{}", adopted.text());
    assert_eq!(adopted.json()["status"], "decided");
    assert_eq!(adopted.json()["decidedBy"], "editor-a");
    let rejected = put(
        "3/disposition",
        json!({ "decision": "not-adopted", "reason": "政务新媒体已在第五条规定。" }),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK);

    // Marks: a duplicate needs an original; the original cannot be itself or marked.
    let no_original = put("2/mark", json!({ "mark": "duplicate" })).await;
    assert_eq!(no_original.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        no_original.fields(),
        vec![("duplicateOf".into(), "required".into())]
    );
    let itself = put("2/mark", json!({ "mark": "duplicate", "duplicateOf": 2 })).await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = put("2/mark", json!({ "mark": "duplicate", "duplicateOf": 42 })).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let dup = put("2/mark", json!({ "mark": "duplicate", "duplicateOf": 1 })).await;
    assert_eq!(dup.status, StatusCode::OK, "{}", dup.text());
    assert_eq!(dup.json()["status"], "duplicate");
    assert_eq!(dup.json()["duplicateOf"], 1);
    let chain = put("1/mark", json!({ "mark": "duplicate", "duplicateOf": 3 })).await;
    assert_eq!(chain.status, StatusCode::UNPROCESSABLE_ENTITY);
    let spam = put("4/mark", json!({ "mark": "spam" })).await;
    assert_eq!(spam.json()["status"], "spam");
    let on_spam = put("4/disposition", json!({ "decision": "adopted" })).await;
    assert_eq!(on_spam.status, StatusCode::CONFLICT);
    assert_eq!(on_spam.code(), "comment-marked");
    let bad_mark = put("4/mark", json!({ "mark": "delete" })).await;
    assert_eq!(bad_mark.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = put("99/mark", json!({ "mark": "spam" })).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // Decided but unpublished: the public sees "under review", not the decision.
    let pending = t
        .get(&format!("/api/v1/receipts/{}", receipts[0]))
        .await
        .json();
    assert_eq!(pending["status"], "under-review");
    assert!(pending.get("decision").is_none());

    let published = t
        .editor("POST", "/api/v1/documents/draft-rules/feedback", None)
        .await;
    assert_eq!(
        published.status,
        StatusCode::CREATED,
        "{}",
        published.text()
    );
    assert_eq!(published.header("feedback-version"), Some("1"));
    let public = t.get("/api/v1/documents/draft-rules/feedback").await;
    assert_eq!(public.status, StatusCode::OK);
    let report = public.json();
    assert_eq!(report, published.json());
    assert_eq!(report["total"], 3, "spam is not counted");
    assert_eq!(
        report["byDecision"],
        json!([{ "decision": "adopted", "count": 2 }, { "decision": "not-adopted", "count": 1 }])
    );
    assert_eq!(report["rows"][0]["name"], "朱**");
    assert_eq!(report["rows"][0]["duplicates"], json!([2]));
    assert_eq!(report["rows"][1]["name"], "中卫市律师协会");
    assert_eq!(report["rows"][1]["reason"], "政务新媒体已在第五条规定。");
    for private in [
        "zhu@example.com",
        "朱小明",
        "李四",
        "广告",
        "ipHash",
        "receipt",
    ] {
        assert!(!public.text().contains(private), "{private} leaked");
    }
    let etag = public.header("etag").unwrap().to_owned();
    let cached = t
        .send(
            axum::http::Request::get("/api/v1/documents/draft-rules/feedback")
                .header("if-none-match", &etag)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);

    // Receipts now carry the published answer; the duplicate shares its original's.
    let answered = t
        .get(&format!("/api/v1/receipts/{}", receipts[0]))
        .await
        .json();
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["decision"], "adopted");
    let duplicate = t
        .get(&format!("/api/v1/receipts/{}", receipts[1]))
        .await
        .json();
    assert_eq!(duplicate["decision"], "adopted");
    let spam = t
        .get(&format!("/api/v1/receipts/{}", receipts[3]))
        .await
        .json();
    assert_eq!(
        (&spam["status"], spam.get("decision")),
        (&json!("spam"), None),
        "a spam comment has a final state of its own: {spam}"
    );

    // A changed decision stays private until the report is published again.
    let changed = put(
        "1/disposition",
        json!({ "decision": "partially-adopted", "reason": "部分采纳：保留“可以”的例外情形。" }),
    )
    .await;
    assert_eq!(changed.json()["status"], "decided");
    assert_eq!(changed.json()["published"]["decision"], "adopted");
    assert_eq!(
        t.get(&format!("/api/v1/receipts/{}", receipts[0]))
            .await
            .json()["decision"],
        "adopted"
    );
    let again = t
        .editor("POST", "/api/v1/documents/draft-rules/feedback", None)
        .await;
    assert_eq!(again.header("feedback-version"), Some("2"));
    let answered = t
        .get(&format!("/api/v1/receipts/{}", receipts[0]))
        .await
        .json();
    assert_eq!(answered["decision"], "partially-adopted");
    assert_eq!(answered["reason"], "部分采纳：保留“可以”的例外情形。");
    let republished = t.get("/api/v1/documents/draft-rules/feedback").await;
    assert_ne!(republished.header("etag").unwrap(), etag);

    // Unmarking brings the spam back to "received".
    let unmarked = put("4/mark", json!({ "mark": "none" })).await;
    assert_eq!(unmarked.json()["status"], "received");

    // Every action is in the audit log, newest first, with who and when.
    let audit = t
        .editor("GET", "/api/v1/audit?document=draft-rules", None)
        .await
        .json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "mark",
            "publish-feedback",
            "set-disposition",
            "publish-feedback",
            "mark",
            "mark",
            "set-disposition",
            "set-disposition"
        ]
    );
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"] == "editor-a" && e["at"] == "2026-12-15T10:00:00+08:00")
    );
    assert_eq!(audit[2]["detail"]["previous"]["decision"], "adopted");
    let limited = t.editor("GET", "/api/v1/audit?limit=2", None).await.json();
    assert_eq!(limited.as_array().unwrap().len(), 2);
    let older = t
        .editor(
            "GET",
            &format!("/api/v1/audit?before={}", limited[1]["id"]),
            None,
        )
        .await
        .json();
    assert!(older[0]["id"].as_u64() < limited[1]["id"].as_u64());
}

#[tokio::test]
async fn exports_open_in_spreadsheets_and_leave_contact_out_unless_asked() {
    let (t, _) = seeded().await;
    let csv = t
        .editor("GET", "/api/v1/documents/draft-rules/export.csv", None)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"draft-rules-comments.csv\"")
    );
    assert!(
        csv.body.starts_with("\u{feff}".as_bytes()),
        "UTF-8 BOM first"
    );
    let text = csv.text();
    let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "number,receipt,received_at,target,provision,stance,submitter_type,name,text,\
         proposed_wording,status,decision,decision_label,reason,decided_by,decided_at,\
         duplicate_of,published_decision"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .contains(",s1,第一条目的,suggest-change,individual,朱小明,")
    );
    assert!(!text.contains("zhu@example.com"));

    let with_contact = t
        .editor(
            "GET",
            "/api/v1/documents/draft-rules/export.csv?include_contact=true",
            None,
        )
        .await
        .text();
    assert!(with_contact.contains(",consent,contact,ip_hash\r\n"));
    assert!(with_contact.contains(",true,zhu@example.com,"));

    let xlsx = t
        .editor("GET", "/api/v1/documents/draft-rules/export.xlsx", None)
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let files = unzip(&xlsx.body);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml"
        ]
    );
    let sheet = &files[5].1;
    assert!(sheet.contains("<t xml:space=\"preserve\">中卫市律师协会</t>"));
    assert!(sheet.contains(r#"<c r="A1" t="inlineStr" s="1">"#));
    assert!(
        sheet.contains(r#"<c r="A2"><v>1</v></c>"#),
        "numbers are numbers"
    );
    assert!(!sheet.contains("zhu@example.com"));

    let audit = t.editor("GET", "/api/v1/audit", None).await.json();
    assert_eq!(audit[0]["action"], "export");
    assert_eq!(
        audit[0]["detail"],
        json!({ "format": "xlsx", "includeContact": false })
    );
    assert_eq!(
        audit[1]["detail"],
        json!({ "format": "csv", "includeContact": true })
    );

    let anonymous = t.get("/api/v1/documents/draft-rules/export.csv").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

/// Reads a zip archive entry by entry from its local headers, checking each CRC.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let mut files = Vec::new();
    let mut at = 0;
    while u32_at(at) == 0x04034b50 {
        assert_eq!(u16_at(at + 8), 8, "deflated");
        let crc = u32_at(at + 14);
        let compressed = u32_at(at + 18) as usize;
        let name_len = u16_at(at + 26);
        let extra_len = u16_at(at + 28);
        let name = String::from_utf8(bytes[at + 30..at + 30 + name_len].to_vec()).unwrap();
        let data_at = at + 30 + name_len + extra_len;
        let mut text = String::new();
        flate2::read::DeflateDecoder::new(&bytes[data_at..data_at + compressed])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(crc32fast::hash(text.as_bytes()), crc, "{name}");
        files.push((name, text));
        at = data_at + compressed;
    }
    assert_eq!(u32_at(at), 0x02014b50, "the central directory follows");
    files
}
