//! The editors' side and what the public sees of it: tokens, listing, decisions, marks,
//! publishing the feedback report, receipts, exports and the audit log.

use std::io::Read;

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::harness::{TestApp, comment};
use crate::both_backends;

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

both_backends! {
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
        assert_eq!(
            me.json(),
            json!({ "name": "editor-a", "role": "editor", "now": "2026-12-15T02:00:00Z" }),
            "the holder's name and the server's clock"
        );

        // A revoked token stops working at once.
        t.db(|c| {
            jiedu_server::serve::store::revoke_token(c, "editor-a", "cli", "2026-12-16T00:00:00+08:00")
                .map_err(|e| jiedu_server::serve::db::DbError::Task(e.to_string()))
        });
        let revoked = t.editor("GET", "/api/v1/me", None).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert_eq!(revoked.code(), "invalid-token");
    }
}

both_backends! {
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
}

both_backends! {
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
}

both_backends! {
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
        assert_eq!(report["received"], 4, "but it was received");
        assert_eq!(
            report["notListed"],
            json!({ "duplicates": 1, "spam": 1, "hidden": 0, "undecided": 0 }),
            "every comment without a row of its own, by reason"
        );
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
                "set-disposition",
                "seed-revision"
            ]
        );
        assert!(
            audit
                .as_array()
                .unwrap()
                .iter()
                .all(|e| (e["actor"] == "editor-a"
                    || e["action"] == "seed-revision" && e["actor"] == "content-dir")
                    && e["at"] == "2026-12-15T10:00:00+08:00")
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
}

/// A CSV export read back with the `csv` crate, as a spreadsheet would: BOM first, then rows.
fn read_csv(body: &[u8]) -> Vec<Vec<String>> {
    let body = body
        .strip_prefix("\u{feff}".as_bytes())
        .expect("UTF-8 BOM first");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// The first sheet of an XLSX export read back with `calamine`: its name and cells as text
/// (`Float`s as numbers, dates as `date:SERIAL`).
fn read_xlsx(body: &[u8]) -> (String, Vec<Vec<String>>) {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(body.to_vec())).expect("an XLSX");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("the sheet");
    let rows = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => format!("{i}"),
                    Data::DateTime(d) => format!("date:{}", d.as_f64()),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect();
    (name, rows)
}

/// A file of an XLSX package, as text.
fn xlsx_part(body: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body.to_vec())).expect("a zip");
    let mut text = String::new();
    zip.by_name(part)
        .expect("the part")
        .read_to_string(&mut text)
        .unwrap();
    text
}

both_backends! {
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
        assert!(csv.text().contains("\r\n"), "CRLF line ends");
        let rows = read_csv(&csv.body);
        assert_eq!(
            rows[0].join(","),
            "编号,回执号,收到时间,条款,态度,提交人类型,姓名或单位,意见内容,建议修改为,处理状态,\
             处理结果,理由,处理人,处理时间,重复于编号,已公布的处理结果",
            "Chinese headers for clerks"
        );
        assert_eq!(rows.len(), 5, "a header and four comments");
        assert_eq!(
            rows[1][..7].join("|").replace(&rows[1][1], "RECEIPT"),
            "1|RECEIPT|2026-12-15 10:00:00|第一条目的|修改建议|个人|朱小明",
            "labels, not codes; the time as a spreadsheet reads a date"
        );
        assert_eq!(rows[3][5], "单位");
        assert_eq!(rows[1][9], "待处理");
        assert!(!csv.text().contains("zhu@example.com"));

        let codes = t
            .editor(
                "GET",
                "/api/v1/documents/draft-rules/export.csv?codes=true&include_contact=true",
                None,
            )
            .await;
        let rows = read_csv(&codes.body);
        assert_eq!(
            rows[0].join(","),
            "number,receipt,received_at,target,provision,stance,submitter_type,name,text,\
             proposed_wording,status,decision,decision_label,reason,decided_by,decided_at,\
             duplicate_of,published_decision,consent,contact,ip_hash",
            "the machine-readable table"
        );
        assert_eq!(
            [&rows[1][2], &rows[1][3], &rows[1][5], &rows[1][10]],
            [
                "2026-12-15T10:00:00+08:00",
                "s1",
                "suggest-change",
                "received"
            ]
        );
        assert_eq!([&rows[1][18], &rows[1][19]], ["true", "zhu@example.com"]);

        let xlsx = t
            .editor("GET", "/api/v1/documents/draft-rules/export.xlsx", None)
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert_eq!(
            xlsx.header("content-type"),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        let (sheet, rows) = read_xlsx(&xlsx.body);
        assert_eq!(sheet, "意见");
        assert_eq!(rows[0][..4], ["编号", "回执号", "收到时间", "条款"]);
        // 2026-12-15 10:00 is Excel's day 46371 and 10/24 of a day.
        assert_eq!(
            rows[1][..6].join("|").replace(&rows[1][1], "RECEIPT"),
            format!(
                "1|RECEIPT|date:{}|第一条目的|修改建议|个人",
                46371.0 + 10.0 / 24.0
            ),
            "numbers are numbers, times are real dates"
        );
        assert_eq!(rows[3][6], "中卫市律师协会");
        assert!(!rows.concat().iter().any(|c| c.contains("zhu@example.com")));
        let sheet_xml = xlsx_part(&xlsx.body, "xl/worksheets/sheet1.xml");
        for part in [
            r#"state="frozen""#,
            r#"<autoFilter ref="A1:P5"/>"#,
            r#"width="60.7109375""#,
        ] {
            assert!(sheet_xml.contains(part), "{part} in {sheet_xml}");
        }
        let (_, coded) = read_xlsx(
            &t.editor(
                "GET",
                "/api/v1/documents/draft-rules/export.xlsx?codes=true",
                None,
            )
            .await
            .body,
        );
        assert_eq!(coded[0][..3], ["number", "receipt", "received_at"]);
        assert_eq!(coded[1][2], "2026-12-15T10:00:00+08:00");

        let audit = t.editor("GET", "/api/v1/audit", None).await.json();
        assert_eq!(audit[0]["action"], "export");
        assert_eq!(
            audit[0]["detail"],
            json!({ "format": "xlsx", "includeContact": false })
        );
        assert_eq!(
            audit[2]["detail"],
            json!({ "format": "csv", "includeContact": true })
        );

        let anonymous = t.get("/api/v1/documents/draft-rules/export.csv").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
}

both_backends! {
    async fn csv_exports_defuse_formulas_and_keep_semicolons_in_their_cell() {
        let t = TestApp::new();
        let texts = [
            "=HYPERLINK(\"http://evil.example\",\"点击\")",
            "＝1+1 全角等号",
            "  @SUM(A1:A9) 前有空格",
            "同意;=1+1 分号后面的公式",
            "-2+3 开头是减号",
        ];
        for text in texts {
            t.submit(&json!({ "target": "s1", "stance": "support", "text": text }))
                .await;
        }
        let csv = t
            .editor("GET", "/api/v1/documents/draft-rules/export.csv", None)
            .await;
        let raw = csv.text();
        assert!(
            raw.contains("\"同意;'=1+1 分号后面的公式\""),
            "a cell with `;` is quoted, so a `;`-separated locale keeps it whole: {raw}"
        );
        let rows = read_csv(&csv.body);
        let read: Vec<&str> = rows[1..].iter().map(|r| r[7].as_str()).collect();
        assert_eq!(
            read,
            [
                "'=HYPERLINK(\"http://evil.example\",\"点击\")",
                "'＝1+1 全角等号",
                "'  @SUM(A1:A9) 前有空格",
                "同意;'=1+1 分号后面的公式",
                "'-2+3 开头是减号",
            ]
        );
        // Read as a `;`-separated file (German or French Excel), even by a reader that does not
        // keep quoted cells whole, no cell starts with a formula.
        let semicolon = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b';')
            .from_reader(&csv.body[3..])
            .records()
            .map(|r| {
                r.expect("valid CSV")
                    .iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>();
        for cell in semicolon.concat() {
            assert!(
                !cell
                    .trim_start_matches([' ', '"'])
                    .starts_with(['=', '+', '-', '@', '＝']),
                "{cell:?} would run as a formula"
            );
        }
    }
}
