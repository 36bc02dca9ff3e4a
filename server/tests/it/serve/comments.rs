//! Submitting comments: the happy path, what is stored, and every way a submission is refused.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use expect_test::expect;
use serde_json::json;

use super::harness::{CLOSES, OPENS, TestApp, comment, unix};
use crate::both_backends;
use jiedu_server::serve::sql::{Dialect, params};

fn is_receipt(r: &str) -> bool {
    let b = r.as_bytes();
    r.len() == 17
        && r.starts_with("JD-")
        && b[7] == b'-'
        && b[12] == b'-'
        && r[3..7]
            .chars()
            .chain(r[8..12].chars())
            .chain(r[13..].chars())
            .all(|c| "23456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c))
}

both_backends! {
    async fn a_comment_is_stored_and_answered_with_a_receipt() {
        let t = TestApp::new();
        let mut body = comment("建议将“可以”改为“应当”，明确公开义务。");
        body["contact"] = json!("13800000000");
        body["consent"] = json!(true);
        let reply = t.post_comment("draft-rules", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let receipt = reply.json();
        let r = receipt["receipt"].as_str().unwrap();
        assert!(is_receipt(r), "{r}");
        assert_eq!(receipt["documentId"], "draft-rules");
        assert_eq!(receipt["number"], 1);
        assert_eq!(receipt["receivedAt"], "2026-12-15T10:00:00+08:00");
        assert_eq!(
            reply.header("location"),
            Some(format!("/api/v1/receipts/{r}").as_str())
        );
        assert!(!reply.text().contains("13800000000"));

        let (text, contact, ip_hash, name): (String, Option<String>, String, String) = t.db(|c| {
            c.query_row(
                "SELECT text, contact, ip_hash, name FROM comments WHERE receipt = ?1",
                params![r],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
        });
        assert_eq!(text, "建议将“可以”改为“应当”，明确公开义务。");
        assert_eq!(contact.as_deref(), Some("13800000000"));
        assert_eq!(name, "朱小明");
        // The address is stored as a keyed hash, never in clear.
        assert_eq!(ip_hash.len(), 32);
        assert!(!ip_hash.contains("0.0.0.0"));

        let second = t.submit(&comment("第二条意见。")).await;
        assert_eq!(second["number"], 2);
        assert_ne!(second["receipt"], receipt["receipt"]);
    }
}

both_backends! {
    async fn contact_without_consent_is_refused_and_never_stored() {
        let t = TestApp::new();
        let mut body = comment("意见内容");
        body["contact"] = json!("someone@example.com");
        let reply = t.post_comment("draft-rules", &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.fields(),
            vec![("consent".to_owned(), "consent-required".to_owned())]
        );
        let stored: i64 =
            t.db(|c| c.query_row("SELECT COUNT(*) FROM comments", params![], |r| r.get(0)));
        assert_eq!(stored, 0);
    }
}

both_backends! {
    async fn validation_errors_name_each_field_in_the_requested_language() {
        let t = TestApp::new();
        let body = json!({ "target": "s9", "stance": "suggest-change", "text": " ",
                           "submitterType": "organization" });
        let zh = t.post_comment("draft-rules", &body).await;
        assert_eq!(zh.status, StatusCode::UNPROCESSABLE_ENTITY);
        expect![[r#"
            {
              "error": {
                "code": "validation-failed",
                "fields": [
                  {
                    "code": "unknown-provision",
                    "field": "target",
                    "message": "所选条款不存在。"
                  },
                  {
                    "code": "required",
                    "field": "text",
                    "message": "此项为必填项。"
                  },
                  {
                    "code": "required",
                    "field": "proposedWording",
                    "message": "此项为必填项。"
                  },
                  {
                    "code": "required",
                    "field": "name",
                    "message": "此项为必填项。"
                  }
                ],
                "message": "提交的内容有误，请按提示修改。"
              }
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&zh.json()).unwrap());

        let en = t
            .post_comment_with(
                "draft-rules",
                &json!({ "target": "s1", "stance": "support", "text": "x".repeat(20_001) }),
                &[("accept-language", "fr-FR, en-GB;q=0.8, zh;q=0.5")],
            )
            .await;
        assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            en.json()["error"]["fields"][0]["message"],
            "Too long: at most 20000 characters."
        );
        assert_eq!(en.json()["error"]["fields"][0]["limit"], 20000);
    }
}

both_backends! {
    async fn the_body_must_be_json_of_the_right_shape() {
        let t = TestApp::new();
        let send = |content_type: Option<&'static str>, body: &'static str| {
            let mut request = Request::post("/api/v1/documents/draft-rules/comments");
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            t.send(request.body(Body::from(body)).unwrap())
        };
        let valid = r#"{"target":"document","stance":"support","text":"赞成"}"#;

        let plain = send(Some("text/plain"), valid).await;
        assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(plain.code(), "unsupported-media-type");
        let form = send(Some("application/x-www-form-urlencoded"), valid).await;
        assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let none = send(None, valid).await;
        assert_eq!(none.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let charset = send(Some("application/json; charset=utf-8"), valid).await;
        assert_eq!(charset.status, StatusCode::CREATED, "{}", charset.text());

        let broken = send(Some("application/json"), r#"{"target": "s1", "#).await;
        assert_eq!(broken.status, StatusCode::BAD_REQUEST);
        assert_eq!(broken.code(), "invalid-json");

        let missing = send(
            Some("application/json"),
            r#"{"target":"s1","stance":"support"}"#,
        )
        .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.fields(), vec![("text".into(), "required".into())]);

        let stance = send(
            Some("application/json"),
            r#"{"target":"s1","stance":"maybe","text":"意见"}"#,
        )
        .await;
        assert_eq!(stance.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(stance.fields(), vec![("stance".into(), "invalid".into())]);

        let unknown = send(
            Some("application/json"),
            r#"{"target":"s1","stance":"support","text":"意见","ip":"1.2.3.4"}"#,
        )
        .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unknown.fields(), vec![("ip".into(), "invalid".into())]);

        let array = send(Some("application/json"), "[]").await;
        assert_eq!(array.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

both_backends! {
    async fn an_oversize_body_is_refused() {
        let t = TestApp::with(|c| c.body_limit = 4096);
        let reply = t
            .post_comment("draft-rules", &comment(&"长".repeat(5000)))
            .await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reply.code(), "payload-too-large");
        assert_eq!(
            reply.json()["error"]["message"],
            "请求内容太大，最多 4096 字节。"
        );
    }
}

both_backends! {
    async fn comments_are_accepted_only_while_the_consultation_is_open() {
        let t = TestApp::new();
        t.clock.set(unix(OPENS) - 1);
        let early = t.post_comment("draft-rules", &comment("太早了")).await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        assert_eq!(early.code(), "consultation-upcoming");
        assert_eq!(
            early.json()["error"]["message"],
            format!("意见征集尚未开始：征集期为 {OPENS} 至 {CLOSES}。")
        );

        t.clock.set(unix(OPENS));
        assert_eq!(
            t.post_comment("draft-rules", &comment("刚好开始"))
                .await
                .status,
            StatusCode::CREATED
        );
        t.clock.set(unix(CLOSES));
        assert_eq!(
            t.post_comment("draft-rules", &comment("最后一秒"))
                .await
                .status,
            StatusCode::CREATED
        );

        t.clock.set(unix(CLOSES) + 1);
        let late = t
            .post_comment_with(
                "draft-rules",
                &comment("太晚了"),
                &[("accept-language", "en")],
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert_eq!(late.code(), "consultation-closed");
        assert_eq!(
            late.json()["error"]["message"],
            format!("The consultation closed on {CLOSES}; comments are no longer accepted.")
        );

        let no_consultation = t.post_comment("in-force", &comment("意见")).await;
        assert_eq!(no_consultation.status, StatusCode::CONFLICT);
        assert_eq!(no_consultation.code(), "no-consultation");

        let unknown = t.post_comment("no-such-doc", &comment("意见")).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert_eq!(unknown.code(), "document-not-found");
    }
}

both_backends! {
    async fn a_retry_with_the_same_idempotency_key_returns_the_same_receipt() {
        let t = TestApp::new();
        let key = "3F0C2A9E-8D1B-4C5E-9A7F-1B2C3D4E5F60";
        let body = comment("同一条意见，重试两次。");
        let first = t
            .post_comment_with("draft-rules", &body, &[("idempotency-key", key)])
            .await;
        assert_eq!(first.status, StatusCode::CREATED);
        assert_eq!(first.header("idempotent-replayed"), None);
        let again = t
            .post_comment_with(
                "draft-rules",
                &body,
                &[("idempotency-key", &key.to_ascii_lowercase())],
            )
            .await;
        assert_eq!(again.status, StatusCode::CREATED);
        assert_eq!(again.header("idempotent-replayed"), Some("true"));
        assert_eq!(again.json(), first.json());

        // After the period closed, a retry of a stored comment still gets its receipt.
        t.clock.set(unix(CLOSES) + 60);
        let late_retry = t
            .post_comment_with("draft-rules", &body, &[("idempotency-key", key)])
            .await;
        assert_eq!(late_retry.status, StatusCode::CREATED);
        assert_eq!(late_retry.json(), first.json());
        t.clock.set(unix(CLOSES) - 60);

        let reused = t
            .post_comment_with(
                "draft-rules",
                &comment("另一条意见"),
                &[("idempotency-key", key)],
            )
            .await;
        assert_eq!(reused.status, StatusCode::CONFLICT);
        assert_eq!(reused.code(), "idempotency-key-reused");

        let bad = t
            .post_comment_with("draft-rules", &body, &[("idempotency-key", "retry-1")])
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.code(), "invalid-parameter");

        let stored: i64 =
            t.db(|c| c.query_row("SELECT COUNT(*) FROM comments", params![], |r| r.get(0)));
        assert_eq!(stored, 1);
    }
}

both_backends! {
    async fn concurrent_retries_store_once() {
        let t = TestApp::new();
        let key = jiedu_server::serve::secrets::new_uuid();
        let body = comment("并发重试");
        let headers = [("idempotency-key", key.as_str())];
        let replies = futures_join(
            (0..20)
                .map(|_| t.post_comment_with("draft-rules", &body, &headers))
                .collect(),
        )
        .await;
        let receipts: std::collections::BTreeSet<String> = replies
            .iter()
            .map(|r| {
                assert_eq!(r.status, StatusCode::CREATED);
                r.json()["receipt"].as_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(receipts.len(), 1);
        let stored: i64 =
            t.db(|c| c.query_row("SELECT COUNT(*) FROM comments", params![], |r| r.get(0)));
        assert_eq!(stored, 1);
    }
}

both_backends! {
    /// One comment of a batch fails in the database (here a trigger refuses it): it is answered
    /// with an error and not stored, and every other comment sent with it is stored and
    /// acknowledged. On PostgreSQL the failure spoils the batch's pipelined transaction, and the
    /// writer stores the rest again one by one.
    async fn a_comment_the_database_refuses_does_not_undo_the_others_sent_with_it() {
        let t = TestApp::new();
        t.db(|c| {
            c.execute_batch(match c.dialect() {
                Dialect::Sqlite => {
                    "CREATE TRIGGER refuse BEFORE INSERT ON comments WHEN NEW.text = 'refuse me'
                     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
                }
                Dialect::Postgres => {
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         IF NEW.text = 'refuse me' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                         RETURN NEW;
                     END $$;
                     CREATE TRIGGER refuse BEFORE INSERT ON comments
                     FOR EACH ROW EXECUTE FUNCTION refuse();"
                }
            })
        });
        let texts: Vec<String> = (0..20)
            .map(|i| if i == 10 { "refuse me".into() } else { format!("第 {i} 条意见") })
            .collect();
        let bodies: Vec<_> = texts.iter().map(|text| comment(text)).collect();
        let replies =
            futures_join(bodies.iter().map(|b| t.post_comment("draft-rules", b)).collect()).await;
        let mut receipts = Vec::new();
        for (text, reply) in texts.iter().zip(&replies) {
            if text == "refuse me" {
                assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
            } else {
                assert_eq!(reply.status, StatusCode::CREATED, "{text}");
                receipts.push(reply.json()["receipt"].as_str().unwrap().to_owned());
            }
        }
        let mut stored: Vec<String> =
            t.db(|c| c.query_map("SELECT receipt FROM comments", params![], |r| r.get(0)));
        stored.sort();
        receipts.sort();
        assert_eq!(stored, receipts);
    }
}

/// Runs the futures concurrently on the test's runtime.
async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in pinned.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.expect("ready")).collect()
}

both_backends! {
    async fn submissions_are_rate_limited_per_address() {
        let t = TestApp::with(|c| {
            c.rate_limit_per_minute = 2;
            c.rate_limit_burst = 2;
        });
        let from = |ip: [u8; 4], text: &str| {
            let mut request = Request::post("/api/v1/documents/draft-rules/comments")
                .header("content-type", "application/json")
                .body(Body::from(comment(text).to_string()))
                .unwrap();
            request
                .extensions_mut()
                .insert(ConnectInfo(std::net::SocketAddr::from((ip, 40000))));
            t.send(request)
        };
        assert_eq!(
            from([192, 0, 2, 1], "第一条").await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            from([192, 0, 2, 1], "第二条").await.status,
            StatusCode::CREATED
        );
        let limited = from([192, 0, 2, 1], "第三条").await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.code(), "rate-limited");
        assert_eq!(limited.header("retry-after"), Some("30"));
        assert_eq!(
            limited.json()["error"]["message"],
            "提交过于频繁，请 30 秒后再试。"
        );
        // Another address has its own allowance.
        assert_eq!(
            from([192, 0, 2, 2], "第四条").await.status,
            StatusCode::CREATED
        );
        // Two comments from one address share an IP hash; another address has another.
        let hashes: Vec<String> = t.db(|c| {
            c.query_map(
                "SELECT ip_hash FROM comments ORDER BY number",
                params![],
                |r| r.get(0),
            )
        });
        assert_eq!(hashes[0], hashes[1]);
        assert_ne!(hashes[0], hashes[2]);
    }
}

both_backends! {
    async fn only_configured_origins_may_post_and_preflight_is_answered() {
        let t = TestApp::with(|c| c.allowed_origins = vec!["https://www.example.gov.cn".into()]);
        let post = |origin: &'static str| {
            t.send(
                Request::post("/api/v1/documents/draft-rules/comments")
                    .header("content-type", "application/json")
                    .header("origin", origin)
                    .header("host", "comments.example.gov.cn")
                    .body(Body::from(comment("跨站提交").to_string()))
                    .unwrap(),
            )
        };
        let allowed = post("https://www.example.gov.cn").await;
        assert_eq!(allowed.status, StatusCode::CREATED);
        assert_eq!(
            allowed.header("access-control-allow-origin"),
            Some("https://www.example.gov.cn")
        );
        let same_site = post("https://comments.example.gov.cn").await;
        assert_eq!(same_site.status, StatusCode::CREATED);
        let evil = post("https://evil.example").await;
        assert_eq!(evil.status, StatusCode::FORBIDDEN);
        assert_eq!(evil.code(), "origin-not-allowed");
        assert_eq!(evil.header("access-control-allow-origin"), None);

        let preflight = |origin: &'static str, method: &'static str| {
            t.send(
                Request::options("/api/v1/documents/draft-rules/comments")
                    .header("origin", origin)
                    .header("access-control-request-method", method)
                    .header(
                        "access-control-request-headers",
                        "content-type, idempotency-key",
                    )
                    .body(Body::empty())
                    .unwrap(),
            )
        };
        let ok = preflight("https://www.example.gov.cn", "POST").await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(
            ok.header("access-control-allow-origin"),
            Some("https://www.example.gov.cn")
        );
        let methods = ok.header("access-control-allow-methods").unwrap();
        assert!(methods.contains("POST"), "{methods}");
        let headers = ok.header("access-control-allow-headers").unwrap();
        assert!(headers.contains("idempotency-key"), "{headers}");
        let refused = preflight("https://evil.example", "POST").await;
        assert_eq!(refused.header("access-control-allow-origin"), None);

        // Reading is allowed from anywhere: the documents are public.
        let read = t
            .send(
                Request::get("/api/v1/documents/draft-rules")
                    .header("origin", "https://evil.example")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(
            read.header("access-control-allow-origin"),
            Some("https://evil.example")
        );
    }
}

both_backends! {
    async fn an_unknown_stored_value_is_refused_not_read_as_a_default() {
        let t = TestApp::new();
        let receipt = t.submit(&comment("存储值核对")).await["receipt"]
            .as_str()
            .unwrap()
            .to_owned();
        let ok = t
            .editor("GET", "/api/v1/documents/draft-rules/comments", None)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
        // A value written by a newer server (or by hand) that this one does not know.
        t.db(|c| c.execute("UPDATE comments SET stance = 'neutral'", params![]));
        let list = t
            .editor("GET", "/api/v1/documents/draft-rules/comments", None)
            .await;
        assert_eq!(list.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!list.text().contains("support"), "{}", list.text());
        t.db(|c| {
            c.execute(
                "UPDATE comments SET stance = 'support', status = 'archived'",
                params![],
            )
        });
        let lookup = t.get(&format!("/api/v1/receipts/{receipt}")).await;
        assert_eq!(lookup.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
