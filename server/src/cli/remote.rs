//! `jiedu publish` and `jiedu approve`: the sign-off workflow from scripts, through a running
//! server's API (the same requests `/editor` makes), so a pipeline follows the same rules as a
//! person: `If-Match`, roles, sign-off, the revision rule.

use std::path::PathBuf;

use anyhow::{Context, bail};
use jiedu_core::diagnostic::Diagnostic;
use serde_json::{Value, json};

use crate::content::{Encoding, compile_file};

/// Where the server is and who is asking.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// The server's base URL, e.g. `https://jiedu.example.gov.cn`.
    #[arg(long, env = "JIEDU_SERVER", value_name = "URL")]
    pub server: String,
    /// A token (`jiedu token create`); better given as JIEDU_TOKEN, which stays out of `ps`.
    #[arg(
        long,
        env = "JIEDU_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: String,
}

/// Arguments of `jiedu publish`.
#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// Authoring files; each becomes a new revision of its document and is submitted for sign-off.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// Arguments of `jiedu approve`.
#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// The document id; its newest submitted revision is approved (published).
    pub id: String,
    #[command(flatten)]
    pub server: ServerArgs,
}

/// An answer from the server: status and JSON body (`Null` when empty).
struct Answer {
    status: u16,
    body: Value,
}

impl Answer {
    /// The error body's message, for people.
    fn message(&self) -> String {
        let e = &self.body["error"];
        match (e["code"].as_str(), e["message"].as_str()) {
            (Some(code), Some(message)) => format!("{message} ({}, {code})", self.status),
            _ => format!("HTTP {}", self.status),
        }
    }
}

struct Client {
    base: String,
    token: String,
    agent: ureq::Agent,
}

impl Client {
    fn new(args: &ServerArgs) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            base: args.server.trim_end_matches('/').to_owned(),
            token: args.token.clone(),
            agent,
        }
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        if_match: Option<i64>,
    ) -> anyhow::Result<Answer> {
        let url = format!("{}{path}", self.base);
        let auth = format!("Bearer {}", self.token);
        let mut response = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            (_, Some(body)) => {
                let mut request = self
                    .agent
                    .put(&url)
                    .header("Authorization", &auth)
                    .header("Accept-Language", "en");
                if let Some(rev) = if_match {
                    request = request.header("If-Match", &format!("\"{rev}\""));
                }
                request
                    .content_type("application/json")
                    .send(body.to_string())
            }
            (_, None) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Accept-Language", "en")
                .send_empty(),
        }
        .with_context(|| format!("cannot reach {url}"))?;
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string()?;
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).with_context(|| {
                format!("{url} answered {status} with something other than JSON")
            })?
        };
        Ok(Answer { status, body })
    }

    /// The revisions of a document, newest first (empty for a document the server lacks).
    fn revisions(&self, id: &str) -> anyhow::Result<Vec<Value>> {
        let answer = self.send(
            "GET",
            &format!("/api/v1/documents/{id}/revisions"),
            None,
            None,
        )?;
        match answer.status {
            200 => Ok(answer.body.as_array().cloned().unwrap_or_default()),
            404 => Ok(Vec::new()),
            _ => bail!("cannot list the revisions of `{id}`: {}", answer.message()),
        }
    }
}

/// `jiedu publish FILE…`: each file is saved as a new revision (based on the newest one) and
/// submitted. Exit 1 if any file failed; the others are still sent.
pub fn publish(args: PublishArgs) -> anyhow::Result<std::process::ExitCode> {
    let client = Client::new(&args.server);
    let mut failed = 0;
    for path in &args.files {
        if let Err(e) = publish_one(&client, path) {
            eprintln!("error: {}: {e:#}", path.display());
            failed += 1;
        }
    }
    Ok(if failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

fn publish_one(client: &Client, path: &std::path::Path) -> anyhow::Result<()> {
    let file = compile_file(path, Encoding::Utf8)?;
    let name = path.display().to_string();
    let Some(doc) = &file.document else {
        bail!(
            "the file has errors; nothing was sent\n{}",
            file.render_diagnostics()
        );
    };
    let newest = client
        .revisions(&doc.id)?
        .first()
        .and_then(|r| r["id"].as_i64());
    let saved = client.send(
        "PUT",
        &format!("/api/v1/documents/{}/source", doc.id),
        Some(&json!({ "source": file.source })),
        newest,
    )?;
    if saved.status != 201 {
        let diagnostics: Vec<Diagnostic> =
            serde_json::from_value(saved.body["error"]["diagnostics"].clone()).unwrap_or_default();
        let rendered: String = diagnostics
            .iter()
            .map(|d| d.render(&name, &file.source))
            .collect();
        bail!(
            "the server refused the revision: {}\n{rendered}",
            saved.message()
        );
    }
    let revision = saved.body["id"]
        .as_i64()
        .context("the server sent no revision id")?;
    let submitted = client.send(
        "POST",
        &format!("/api/v1/revisions/{revision}/submit"),
        None,
        None,
    )?;
    if submitted.status != 200 {
        bail!(
            "saved revision {revision} of `{}`, but could not submit it: {}",
            doc.id,
            submitted.message()
        );
    }
    println!(
        "{name}: revision {revision} of `{}` saved and submitted for sign-off",
        doc.id
    );
    Ok(())
}

/// `jiedu approve ID`: approves (publishes) the newest submitted revision of the document.
pub fn approve(args: ApproveArgs) -> anyhow::Result<std::process::ExitCode> {
    let client = Client::new(&args.server);
    let revisions = client.revisions(&args.id)?;
    if revisions.is_empty() {
        bail!("the server has no document `{}`", args.id);
    }
    let Some(revision) = revisions
        .iter()
        .find(|r| r["state"] == "submitted")
        .and_then(|r| r["id"].as_i64())
    else {
        bail!("`{}` has no revision waiting for sign-off", args.id);
    };
    let approved = client.send(
        "POST",
        &format!("/api/v1/revisions/{revision}/approve"),
        None,
        None,
    )?;
    if approved.status != 200 {
        bail!(
            "cannot approve revision {revision} of `{}`: {}",
            args.id,
            approved.message()
        );
    }
    println!(
        "revision {revision} of `{}` approved and published",
        args.id
    );
    Ok(std::process::ExitCode::SUCCESS)
}
