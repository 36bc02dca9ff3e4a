//! `jiedu serve` and `jiedu token` as the real binary: configuration precedence, tokens, and a
//! request through a real socket.

use std::path::Path;
use std::process::Command;

use super::harness::TempDir;
use super::http::{Conn, Server};

fn jiedu() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jiedu"));
    // The tests decide every setting; none may leak in from the environment running them.
    for (key, _) in std::env::vars() {
        if key.starts_with("JIEDU_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("jiedu runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn setting<'a>(printed: &'a str, key: &str) -> &'a str {
    printed
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in {printed}"))
}

#[test]
fn flags_beat_environment_beat_file_beat_defaults() {
    let dir = TempDir::new("config");
    std::fs::write(
        dir.path().join("jiedu.toml"),
        "bind = \"127.0.0.1:9000\"\ndata_dir = \"file-data\"\nrate_limit_per_minute = 5\n\
         allowed_origins = [\"https://www.example.gov.cn/\"]\nip_hash_secret = \"s3cret\"\n",
    )
    .unwrap();
    let (ok, out, err) = run(jiedu()
        .args(["serve", "--print-config", "--rate-limit-per-minute", "7"])
        .env("JIEDU_DATA_DIR", "env-data")
        .env("JIEDU_RATE_LIMIT_PER_MINUTE", "6")
        .current_dir(dir.path()));
    assert!(ok, "{err}");
    assert_eq!(
        setting(&out, "bind"),
        "\"127.0.0.1:9000\"",
        "file over default"
    );
    assert_eq!(setting(&out, "data_dir"), "\"env-data\"", "env over file");
    assert_eq!(setting(&out, "rate_limit_per_minute"), "7", "flag over env");
    assert_eq!(setting(&out, "content_dir"), "\"content\"", "default");
    assert_eq!(
        setting(&out, "allowed_origins"),
        "[\"https://www.example.gov.cn\"]"
    );
    assert!(!out.contains("s3cret"), "the secret is never printed");

    let (ok, _, err) = run(jiedu()
        .args(["serve", "--print-config"])
        .current_dir(dir.path())
        .env("JIEDU_CONFIG", dir.path().join("missing.toml")));
    assert!(!ok);
    assert!(err.contains("cannot read the configuration file"), "{err}");

    std::fs::write(
        dir.path().join("bad.toml"),
        "bind = \"127.0.0.1:1\"\nport = 80\n",
    )
    .unwrap();
    let (ok, _, err) = run(jiedu()
        .args(["serve", "--print-config", "--config", "bad.toml"])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(err.contains("unknown field `port`"), "{err}");

    let (ok, _, err) = run(jiedu()
        .args([
            "serve",
            "--print-config",
            "--allowed-origin",
            "www.example.gov.cn",
        ])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(err.contains("is not an origin"), "{err}");
}

#[test]
fn serve_help_documents_every_setting() {
    let (ok, out, _) = run(jiedu().args(["serve", "--help"]));
    assert!(ok);
    for flag in [
        "--config",
        "--bind",
        "--content-dir",
        "--data-dir",
        "--dist-dir",
        "--www-dir",
        "--index",
        "--allowed-origin",
        "--rate-limit-per-minute",
        "--rate-limit-burst",
        "--body-limit",
        "--request-timeout",
        "--behind-proxy",
        "--ip-hash-secret",
        "--now",
        "--log",
        "--log-format",
        "JIEDU_DATA_DIR",
        "Precedence",
    ] {
        assert!(out.contains(flag), "{flag} missing from --help");
    }
}

fn token(data: &Path, args: &[&str]) -> (bool, String, String) {
    run(jiedu().arg("token").args(args).arg("--data-dir").arg(data))
}

#[test]
fn tokens_are_created_once_listed_and_revoked() {
    let dir = TempDir::new("tokens");
    let data = dir.path().join("data");
    let (ok, out, err) = token(&data, &["create", "--name", "zhang.san"]);
    assert!(ok, "{err}");
    let secret = out.trim().to_owned();
    assert!(secret.starts_with("jdt_") && secret.len() == 36, "{secret}");
    assert!(err.contains("not shown again"));

    let (ok, _, err) = token(&data, &["create", "--name", "zhang.san"]);
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let (ok, _, err) = token(&data, &["create", "--name", "two words"]);
    assert!(!ok, "{err}");

    // Only the hash is stored.
    let conn = rusqlite::Connection::open(data.join("jiedu.db")).unwrap();
    let stored: String = conn
        .query_row("SELECT token_hash FROM editor_tokens", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, secret);
    assert_eq!(stored, jiedu_server::serve::secrets::token_hash(&secret));

    let (_, list, _) = token(&data, &["list"]);
    assert!(
        list.starts_with("zhang.san\teditor\tcreated ") && list.trim_end().ends_with("active"),
        "{list}"
    );
    assert!(!list.contains(&secret));

    // Roles: given at creation (editor by default), changed with set-role.
    let (ok, _, err) = token(&data, &["create", "--name", "li.si", "--role", "approver"]);
    assert!(ok, "{err}");
    let (ok, _, err) = token(&data, &["create", "--name", "wang.wu", "--role", "boss"]);
    assert!(!ok);
    assert!(err.contains("use editor, approver or admin"), "{err}");
    let (ok, _, err) = token(&data, &["set-role", "zhang.san", "admin"]);
    assert!(ok, "{err}");
    let (_, list, _) = token(&data, &["list"]);
    let roles: Vec<&str> = list
        .lines()
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>()[1])
        .collect();
    assert_eq!(roles, ["admin", "approver"], "{list}");
    let (ok, _, err) = token(&data, &["set-role", "zhang.san", "editor"]);
    assert!(ok, "{err}");

    // The token opens the editor API of a running server until it is revoked.
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let server = Server::start(
        Path::new(env!("CARGO_BIN_EXE_jiedu")),
        dir.path(),
        &["--data-dir", data.to_str().unwrap()],
    );
    let me = |server: &Server| {
        Conn::connect(server.addr)
            .unwrap()
            .request(
                "GET",
                "/api/v1/me",
                &[("Authorization", &format!("Bearer {secret}"))],
                b"",
            )
            .unwrap()
    };
    let reply = me(&server);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["name"], "zhang.san");
    assert_eq!(reply.json()["role"], "editor");

    let (ok, _, err) = token(&data, &["revoke", "zhang.san"]);
    assert!(ok, "{err}");
    assert_eq!(me(&server).status, 401);
    let (_, list, _) = token(&data, &["list"]);
    assert!(list.contains("\trevoked "), "{list}");
    let (ok, _, err) = token(&data, &["revoke", "zhang.san"]);
    assert!(!ok);
    assert!(err.contains("no active token"), "{err}");
}

#[test]
fn serve_refuses_a_missing_content_directory() {
    let dir = TempDir::new("serve");
    let (ok, _, err) = run(jiedu()
        .args(["serve", "--bind", "127.0.0.1:0", "--content-dir", "nowhere"])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(
        err.contains("content directory nowhere does not exist"),
        "{err}"
    );
}

#[test]
fn the_clock_can_start_at_a_given_instant() {
    let dir = TempDir::new("clock");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/draft.md"),
        super::durability::CONTENT
            .replace("2000-01-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00")
            .replace("2099-12-31T23:59:59+08:00", "2026-12-31T23:59:59+08:00"),
    )
    .unwrap();
    let binary = Path::new(env!("CARGO_BIN_EXE_jiedu"));
    let post = |server: &Server| {
        Conn::connect(server.addr)
            .unwrap()
            .request(
                "POST",
                "/api/v1/documents/durable/comments",
                &[
                    ("Content-Type", "application/json"),
                    ("Accept-Language", "en"),
                ],
                br#"{"target":"s1","stance":"support","text":"agree"}"#,
            )
            .unwrap()
    };
    let early = Server::start(binary, dir.path(), &["--now", "2026-11-30T12:00:00+08:00"]);
    let reply = post(&early);
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json()["error"]["code"], "consultation-upcoming");
    drop(early);

    let during = Server::start(binary, dir.path(), &["--now", "2026-12-15T10:00:00+08:00"]);
    let reply = post(&during);
    assert_eq!(reply.status, 201);
    assert!(
        reply.json()["receivedAt"]
            .as_str()
            .unwrap()
            .starts_with("2026-12-15T10:00"),
        "{:?}",
        reply.json()
    );
}

#[test]
fn serve_refuses_documents_with_errors_and_names_the_line() {
    let dir = TempDir::new("serve");
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/bad.md"),
        "+++\nid = \"bad\"\ntitle = \"坏文件\"\nstatus = \"in-force\"\ndisclosure = \"public\"\ncolour = \"red\"\n+++\n\n# 第一条 {#a1}\n\n正文。\n",
    )
    .unwrap();
    let (ok, _, err) = run(jiedu()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(
        err.contains("cannot compile the documents in content"),
        "{err}"
    );
    assert!(err.contains("bad.md:6"), "{err}");
}

fn content_files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn export_content_round_trips_and_publish_and_approve_go_through_sign_off() {
    let dir = TempDir::new("remote");
    let repo_content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for (name, text) in content_files(&repo_content) {
        std::fs::write(content.join(name), text).unwrap();
    }
    let data = dir.path().join("data");
    let (_, editor, _) = token(&data, &["create", "--name", "ed", "--role", "editor"]);
    let (_, approver, _) = token(&data, &["create", "--name", "ap", "--role", "approver"]);
    let (editor, approver) = (editor.trim().to_owned(), approver.trim().to_owned());
    let server = Server::start(Path::new(env!("CARGO_BIN_EXE_jiedu")), dir.path(), &[]);
    let url = format!("http://{}", server.addr);

    // The database's published sources are the files it was seeded from, byte for byte.
    let out = dir.path().join("out");
    let (ok, _, err) = run(jiedu()
        .args(["export-content", "out", "--data-dir", "data"])
        .current_dir(dir.path()));
    assert!(ok, "{err}");
    assert_eq!(content_files(&out), content_files(&repo_content));

    // An edited file goes to the server as a submitted revision…
    let file = out.join("yc-2021-openness.md");
    let edited = std::fs::read_to_string(&file).unwrap().replace(
        "title = \"云川市2021年政务公开工作要点\"",
        "title = \"云川市2021年政务公开工作要点（年终跟踪）\"",
    );
    std::fs::write(&file, &edited).unwrap();
    let (ok, out_text, err) = run(jiedu()
        .args(["publish", "out/yc-2021-openness.md", "--server", &url])
        .env("JIEDU_TOKEN", &editor)
        .current_dir(dir.path()));
    assert!(ok, "{err}");
    // Seeding made one revision per file; this is the next.
    let revision = content_files(&repo_content).len() + 1;
    assert_eq!(
        out_text,
        format!(
            "out/yc-2021-openness.md: revision {revision} of `yc-2021-openness` saved and submitted for sign-off\n"
        )
    );
    // …that an editor cannot approve, and an approver can.
    let (ok, _, err) = run(jiedu()
        .args([
            "approve",
            "yc-2021-openness",
            "--server",
            &url,
            "--token",
            &editor,
        ])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(err.contains("role-required"), "{err}");
    let (ok, out_text, err) = run(jiedu()
        .args([
            "approve",
            "yc-2021-openness",
            "--server",
            &url,
            "--token",
            &approver,
        ])
        .current_dir(dir.path()));
    assert!(ok, "{err}");
    assert_eq!(
        out_text,
        format!("revision {revision} of `yc-2021-openness` approved and published\n")
    );
    let served = Conn::connect(server.addr)
        .unwrap()
        .request("GET", "/api/v1/documents/yc-2021-openness", &[], b"")
        .unwrap();
    assert_eq!(
        served.json()["title"],
        "云川市2021年政务公开工作要点（年终跟踪）"
    );
    let (ok, _, err) = run(jiedu()
        .args([
            "approve",
            "yc-2021-openness",
            "--server",
            &url,
            "--token",
            &approver,
        ])
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(err.contains("no revision waiting for sign-off"), "{err}");

    // A file with errors is not sent; the diagnostics are shown as `jiedu check` shows them.
    std::fs::write(
        &file,
        edited.replace("disclosure = \"public\"", "disclosure = \"secret\""),
    )
    .unwrap();
    let (ok, _, err) = run(jiedu()
        .args(["publish", "out/yc-2021-openness.md", "--server", &url])
        .env("JIEDU_TOKEN", &editor)
        .current_dir(dir.path()));
    assert!(!ok);
    assert!(
        err.contains("error[J0005]") && err.contains("nothing was sent"),
        "{err}"
    );

    // The export now carries the approved revision.
    let (ok, _, err) = run(jiedu()
        .args(["export-content", "again", "--data-dir", "data"])
        .current_dir(dir.path()));
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("again/yc-2021-openness.md")).unwrap(),
        edited
    );
}
