//! What the widget keeps about comments, as plain records: a comment waiting in the outbox
//! ([`Pending`]), one the server acknowledged ([`Sent`]), their JSON in `localStorage`, and what
//! an answer of the server does to the stored lists ([`settle`]). No browser calls: unit-tested
//! natively. The outbox module reads and writes them, and sends.

use jiedu_core::Target;
use jiedu_core::comment::{FieldError, Stance};

use super::json::Object;
use super::protocol::{self, Answer};
use crate::decode::{Json, defaulted, field, integer, optional, string};
use crate::i18n::UiLang;

pub const OUTBOX_KEY: &str = "jiedu-outbox";
pub const SENT_KEY: &str = "jiedu-my-comments";
/// The most comments "my comments" remembers (the oldest are forgotten first).
pub const SENT_MAX: usize = 200;

/// A comment waiting to be acknowledged by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The idempotency key, made once for this comment.
    pub key: String,
    /// The API base it goes to (`https://host/api/v1`) and the document it is about.
    pub api: String,
    pub document: String,
    /// The request body, sent byte for byte the same on every attempt.
    pub body: String,
    /// Attempts that got no usable answer so far.
    pub failures: u32,
    /// The server's reason when it refused the comment for good while it waited.
    pub refused: Option<String>,
    /// When it was saved (milliseconds since the epoch).
    pub saved: i64,
}

/// A comment the server acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    pub receipt: String,
    pub api: String,
    pub document: String,
    pub target: Target,
    /// `None` in a record whose stance was lost or unknown.
    pub stance: Option<Stance>,
    pub text: String,
    /// Milliseconds since the epoch.
    pub sent: i64,
}

/// What the reader wrote, read back from a request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub target: Target,
    pub stance: Option<Stance>,
    pub text: String,
}

impl Written {
    pub fn read<J: Json>(body: &J) -> Written {
        let get = |key: &str| body.get(key).and_then(|v| v.string()).unwrap_or_default();
        Written {
            target: target(get("target")),
            stance: Stance::parse(&get("stance")),
            text: get("text"),
        }
    }
}

impl Default for Written {
    fn default() -> Written {
        Written {
            target: Target::Document,
            stance: None,
            text: String::new(),
        }
    }
}

/// A target as the API writes it: `document` or a provision id.
fn target(s: String) -> Target {
    if s == "document" || s.is_empty() {
        Target::Document
    } else {
        Target::Provision(s)
    }
}

fn millis<J: Json>(v: &J) -> crate::decode::R<i64> {
    integer(v, 9.007_199_254_740_991e15).map(|n| n as i64)
}

impl Pending {
    pub fn to_json(&self) -> String {
        Object::new()
            .str("key", &self.key)
            .str("api", &self.api)
            .str("document", &self.document)
            .str("body", &self.body)
            .num("failures", self.failures.into())
            .opt("refused", self.refused.as_deref())
            .num("saved", self.saved)
            .finish()
    }

    pub fn read<J: Json>(v: &J) -> crate::decode::R<Pending> {
        Ok(Pending {
            key: field(v, "key", string)?,
            api: field(v, "api", string)?,
            document: field(v, "document", string)?,
            body: field(v, "body", string)?,
            failures: defaulted(v, "failures", |n| integer(n, 1e6))? as u32,
            refused: optional(v, "refused", string)?,
            saved: defaulted(v, "saved", millis)?,
        })
    }
}

impl Sent {
    pub fn new(pending: &Pending, written: Written, receipt: String, now: i64) -> Sent {
        Sent {
            receipt,
            api: pending.api.clone(),
            document: pending.document.clone(),
            target: written.target,
            stance: written.stance,
            text: written.text,
            sent: now,
        }
    }

    pub fn to_json(&self) -> String {
        Object::new()
            .str("receipt", &self.receipt)
            .str("api", &self.api)
            .str("document", &self.document)
            .str("target", &self.target.to_string())
            .opt("stance", self.stance.map(Stance::as_str))
            .str("text", &self.text)
            .num("sent", self.sent)
            .finish()
    }

    pub fn read<J: Json>(v: &J) -> crate::decode::R<Sent> {
        Ok(Sent {
            receipt: field(v, "receipt", string)?,
            api: field(v, "api", string)?,
            document: field(v, "document", string)?,
            target: target(defaulted(v, "target", string)?),
            stance: Stance::parse(&defaulted(v, "stance", string)?),
            text: defaulted(v, "text", string)?,
            sent: defaulted(v, "sent", millis)?,
        })
    }
}

/// Reads a stored list, skipping entries it cannot read rather than losing the others.
pub fn read_list<J: Json, T>(value: &J, read: fn(&J) -> crate::decode::R<T>) -> Vec<T> {
    value
        .array()
        .unwrap_or_default()
        .iter()
        .filter_map(|item| read(item).ok())
        .collect()
}

/// Adds a sent comment to the front of the list, once per receipt, keeping at most [`SENT_MAX`].
pub fn remember(list: &mut Vec<Sent>, sent: Sent) {
    list.retain(|s| s.receipt != sent.receipt);
    list.insert(0, sent);
    list.truncate(SENT_MAX);
}

/// The field errors of a refused comment as one sentence, for a comment that is no longer in a
/// form to show them at.
pub fn describe_fields(errors: &[FieldError], lang: UiLang) -> String {
    let mut out = String::new();
    for e in errors {
        out.push_str(&e.message(protocol::core_lang(lang)));
    }
    out
}

/// How a refusal is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Just submitted from the form: a refused comment leaves the outbox (the form keeps it).
    Direct,
    /// Waiting in the outbox: a refused comment stays there, marked, for the reader to copy.
    Queued,
}

/// What an answer of the server does to the stored lists: an acknowledged comment moves from the
/// outbox to "my comments"; a comment without answer stays, with one more failure and the same
/// key and body; a refused one leaves the outbox ([`Mode::Direct`]) or stays there marked
/// ([`Mode::Queued`]). Returns the acknowledged comment.
#[allow(clippy::too_many_arguments)]
pub fn settle(
    outbox: &mut Vec<Pending>,
    sent: &mut Vec<Sent>,
    pending: &Pending,
    written: Written,
    answer: &Answer,
    mode: Mode,
    lang: UiLang,
    now: i64,
) -> Option<Sent> {
    let key = &pending.key;
    let entry = outbox.iter_mut().find(|p| p.key == *key);
    match (answer, entry) {
        (Answer::Created { receipt }, _) => {
            let record = Sent::new(pending, written, receipt.clone(), now);
            remember(sent, record.clone());
            outbox.retain(|p| p.key != *key);
            return Some(record);
        }
        (Answer::Retry { .. }, Some(entry)) => entry.failures += 1,
        (Answer::Invalid(errors), Some(entry)) if mode == Mode::Queued => {
            entry.refused = Some(describe_fields(errors, lang))
        }
        (Answer::Refused { message, .. }, Some(entry)) if mode == Mode::Queued => {
            entry.refused = Some(message.clone())
        }
        (Answer::Invalid(_) | Answer::Refused { .. }, _) => outbox.retain(|p| p.key != *key),
        (Answer::Retry { .. }, None) => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn pending(key: &str) -> Pending {
        Pending {
            key: key.into(),
            api: "https://x.cn/api/v1".into(),
            document: "d".into(),
            body: r#"{"target":"a3","stance":"oppose","text":"不同意\n“引号”","name":"朱"}"#.into(),
            failures: 2,
            refused: None,
            saved: 1_795_000_000_000,
        }
    }

    #[test]
    fn records_round_trip_through_json() {
        let mut list = vec![pending("k1"), pending("k2")];
        list[1].refused = Some("征求意见已结束".into());
        let text = super::super::json::array(list.iter().map(Pending::to_json));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read_list(&value, Pending::read), list);

        let body: Value = serde_json::from_str(&list[0].body).unwrap();
        let written = Written::read(&body);
        assert_eq!(
            written,
            Written {
                target: Target::Provision("a3".into()),
                stance: Some(Stance::Oppose),
                text: "不同意\n“引号”".into()
            }
        );
        let sent = Sent::new(&list[0], written, "JD-7K3Q-9XWM".into(), 5);
        let text = super::super::json::array([sent.to_json()]);
        assert!(!text.contains("朱"), "no name in my comments: {text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(read_list(&value, Sent::read), vec![sent]);
    }

    #[test]
    fn unreadable_entries_are_skipped_not_fatal() {
        let value = json!([{"key": "k"}, pending_json(), 7, null]);
        assert_eq!(read_list(&value, Pending::read), vec![pending("k1")]);
        assert_eq!(read_list(&json!({"not": "a list"}), Pending::read), vec![]);
    }

    fn pending_json() -> Value {
        serde_json::from_str(&pending("k1").to_json()).unwrap()
    }

    #[test]
    fn answers_settle_the_outbox_without_ever_changing_a_key() {
        let p = pending("k1");
        let mut outbox = vec![p.clone(), pending("k2")];
        let mut sent = Vec::new();
        let written = || Written::read(&serde_json::from_str::<Value>(&p.body).unwrap());
        let zh = UiLang::Zh;
        // No answer, twice: still there, same key and body, failures counted.
        for _ in 0..2 {
            let retry = Answer::Retry { after: None };
            assert_eq!(
                settle(
                    &mut outbox,
                    &mut sent,
                    &p,
                    written(),
                    &retry,
                    Mode::Queued,
                    zh,
                    1
                ),
                None
            );
        }
        assert_eq!(outbox[0].failures, p.failures + 2);
        assert_eq!((&outbox[0].key, &outbox[0].body), (&p.key, &p.body));
        // Acknowledged: out of the outbox, into "my comments", once.
        let created = Answer::Created {
            receipt: "JD-7K3Q-9XWM".into(),
        };
        let record = settle(
            &mut outbox,
            &mut sent,
            &p,
            written(),
            &created,
            Mode::Queued,
            zh,
            9,
        );
        assert_eq!(
            record.as_ref().map(|r| r.receipt.as_str()),
            Some("JD-7K3Q-9XWM")
        );
        assert_eq!(
            outbox.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(),
            ["k2"]
        );
        settle(
            &mut outbox,
            &mut sent,
            &p,
            written(),
            &created,
            Mode::Queued,
            zh,
            9,
        );
        assert_eq!(sent.len(), 1, "a replayed receipt is not listed twice");
        assert_eq!(
            (&sent[0].target, sent[0].sent),
            (&Target::Provision("a3".into()), 9)
        );
        // Refused while waiting: kept, marked, for the reader to copy; refused from the form: gone
        // (the form still holds the text).
        let closed = Answer::Refused {
            code: "consultation-closed".into(),
            message: "征求意见已于 2027-01-10 结束。".into(),
        };
        let k2 = pending("k2");
        settle(
            &mut outbox,
            &mut sent,
            &k2,
            written(),
            &closed,
            Mode::Queued,
            zh,
            9,
        );
        assert_eq!(
            outbox[0].refused.as_deref(),
            Some("征求意见已于 2027-01-10 结束。")
        );
        settle(
            &mut outbox,
            &mut sent,
            &k2,
            written(),
            &closed,
            Mode::Direct,
            zh,
            9,
        );
        assert!(outbox.is_empty());
        let mut outbox = vec![k2.clone()];
        let invalid = Answer::Invalid(vec![FieldError {
            field: "text".into(),
            code: jiedu_core::comment::FieldErrorCode::TooShort,
            limit: Some(2),
        }]);
        settle(
            &mut outbox,
            &mut sent,
            &k2,
            written(),
            &invalid,
            Mode::Queued,
            zh,
            9,
        );
        assert_eq!(
            outbox[0].refused.as_deref(),
            Some("内容太短，至少需要 2 个字。")
        );
    }

    #[test]
    fn my_comments_keep_one_entry_per_receipt_newest_first() {
        let sent = |receipt: &str| Sent {
            receipt: receipt.into(),
            api: String::new(),
            document: "d".into(),
            target: Target::Document,
            stance: Some(Stance::Support),
            text: "好".into(),
            sent: 0,
        };
        let mut list = vec![sent("A"), sent("B")];
        remember(&mut list, sent("B"));
        remember(&mut list, sent("C"));
        let receipts: Vec<&str> = list.iter().map(|s| s.receipt.as_str()).collect();
        assert_eq!(receipts, ["C", "B", "A"]);
        for i in 0..SENT_MAX + 5 {
            remember(&mut list, sent(&i.to_string()));
        }
        assert_eq!(list.len(), SENT_MAX);
        assert_eq!(list[0].receipt, (SENT_MAX + 4).to_string());
    }
}
