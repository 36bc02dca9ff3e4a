//! Nothing is lost: what the widget keeps in the reader's `localStorage`.
//!
//! - The **outbox** (`jiedu-outbox`) holds every comment from the moment the reader submits it
//!   until the server has acknowledged it: the exact request body and its idempotency key, so a
//!   retry sends the same bytes under the same key and the server stores it once, whatever
//!   happened to the first attempt (offline, server down, the tab closed mid-request). A comment
//!   the server refuses for good while it waits (the period closed meanwhile) stays there, marked,
//!   so the reader can still copy the text.
//! - **My comments** (`jiedu-my-comments`) lists the comments this browser sent, with their
//!   receipt numbers, so their status can be checked later. It keeps the stance, target and text,
//!   not the name or contact.
//!
//! The records and what an answer does to them are [`super::records`] (pure); here they are
//! loaded, saved and sent: [`submit`] for the form, [`flush`] and the [`Flusher`] for what waits.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::api;
use super::json;
use super::protocol::{self, Answer};
use super::records::{Mode, OUTBOX_KEY, Pending, SENT_KEY, Sent, Written, read_list, settle};
use crate::host::{storage_get, storage_set};
use crate::i18n::UiLang;

fn load<T>(key: &str, read: fn(&wasm_bindgen::JsValue) -> crate::decode::R<T>) -> Vec<T> {
    storage_get(key)
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .map(|value| read_list(&value, read))
        .unwrap_or_default()
}

pub fn load_pending() -> Vec<Pending> {
    load(OUTBOX_KEY, Pending::read)
}

pub fn load_sent() -> Vec<Sent> {
    load(SENT_KEY, Sent::read)
}

pub fn save_pending(list: &[Pending]) {
    storage_set(OUTBOX_KEY, &json::array(list.iter().map(Pending::to_json)));
}

pub fn save_sent(list: &[Sent]) {
    storage_set(SENT_KEY, &json::array(list.iter().map(Sent::to_json)));
}

/// Changes the outbox (read, change, write back at once: other tabs may have changed it).
pub fn update_pending(change: impl FnOnce(&mut Vec<Pending>)) {
    let mut list = load_pending();
    change(&mut list);
    save_pending(&list);
}

/// What the body of a stored comment says.
pub fn written(pending: &Pending) -> Written {
    js_sys::JSON::parse(&pending.body)
        .map(|v| Written::read(&v))
        .unwrap_or_default()
}

thread_local! {
    /// Idempotency keys being sent right now by this page, so that the form and a flush (or two
    /// widgets) never send the same comment at once.
    static IN_FLIGHT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Sends one stored comment and records the outcome: acknowledged comments move from the outbox
/// to "my comments"; failures count for the back-off. `None` when it is being sent already.
pub async fn deliver(
    pending: &Pending,
    lang: UiLang,
    mode: Mode,
) -> Option<(Answer, Option<Sent>)> {
    let busy = IN_FLIGHT.with(|f| {
        let mut f = f.borrow_mut();
        let busy = f.contains(&pending.key);
        if !busy {
            f.push(pending.key.clone());
        }
        busy
    });
    if busy {
        return None;
    }
    let answer = api::post_comment(
        &pending.api,
        &pending.document,
        &pending.key,
        &pending.body,
        lang,
    )
    .await;
    IN_FLIGHT.with(|f| f.borrow_mut().retain(|k| *k != pending.key));
    let mut outbox = load_pending();
    let mut sent = load_sent();
    let record = settle(
        &mut outbox,
        &mut sent,
        pending,
        written(pending),
        &answer,
        mode,
        lang,
        js_sys::Date::now() as i64,
    );
    if record.is_some() {
        save_sent(&sent);
    }
    save_pending(&outbox);
    Some((answer, record))
}

/// What a flush achieved.
#[derive(Debug, Default)]
pub struct Flushed {
    pub delivered: Vec<Sent>,
    /// The server did not answer: try again after this many milliseconds.
    pub retry_in: Option<u32>,
    /// Something in the outbox changed (delivered, or refused for good).
    pub changed: bool,
}

/// Sends the waiting comments of one document to one API, oldest first. Stops at the first one
/// that gets no answer (the server is still away) and says when to try again.
pub async fn flush(api: &str, document: &str, lang: UiLang) -> Flushed {
    let mut out = Flushed::default();
    let waiting: Vec<Pending> = load_pending()
        .into_iter()
        .filter(|p| p.api == api && p.document == document && p.refused.is_none())
        .collect();
    for pending in waiting {
        match deliver(&pending, lang, Mode::Queued).await {
            None => {}
            Some((Answer::Retry { after }, _)) => {
                out.retry_in = Some(protocol::retry_delay_ms(
                    pending.failures + 1,
                    after,
                    js_sys::Math::random(),
                ));
                break;
            }
            Some((_, sent)) => {
                out.changed = true;
                out.delivered.extend(sent);
            }
        }
    }
    out
}

/// Sends the outbox of one document until it is empty: once at once ([`Flusher::run`], on mount
/// and when the browser comes back online), then again after a back-off while the server does
/// not answer. Timers only: nothing waits in a loop. [`Flusher::stop`] ends it with the widget.
#[derive(Clone)]
pub struct Flusher(Rc<FlusherState>);

struct FlusherState {
    api: String,
    document: String,
    lang: UiLang,
    timer: RefCell<Option<gloo::timers::callback::Timeout>>,
    stopped: Cell<bool>,
    on_result: Box<dyn Fn(Flushed)>,
}

impl Flusher {
    pub fn new(
        api: &str,
        document: &str,
        lang: UiLang,
        on_result: impl Fn(Flushed) + 'static,
    ) -> Flusher {
        Flusher(Rc::new(FlusherState {
            api: api.to_owned(),
            document: document.to_owned(),
            lang,
            timer: RefCell::new(None),
            stopped: Cell::new(false),
            on_result: Box::new(on_result),
        }))
    }

    /// Sends what waits now (a scheduled attempt is replaced by this one).
    pub fn run(&self) {
        self.0.timer.borrow_mut().take();
        if self.0.stopped.get() {
            return;
        }
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let s = &this.0;
            let result = flush(&s.api, &s.document, s.lang).await;
            if s.stopped.get() {
                return;
            }
            if let Some(ms) = result.retry_in {
                this.schedule(ms);
            }
            (s.on_result)(result);
        });
    }

    /// Sends what waits after `ms` milliseconds.
    pub fn schedule(&self, ms: u32) {
        let weak = Rc::downgrade(&self.0);
        *self.0.timer.borrow_mut() = Some(gloo::timers::callback::Timeout::new(ms, move || {
            if let Some(state) = weak.upgrade() {
                Flusher(state).run();
            }
        }));
    }

    pub fn stop(&self) {
        self.0.stopped.set(true);
        self.0.timer.borrow_mut().take();
    }
}

/// What came of a comment submitted from the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Submitted {
    Sent(Sent),
    /// Kept in the outbox; the server asked to wait this many seconds, if it answered at all.
    Queued(Option<u32>),
    /// The server found these fields wrong (`422`).
    Invalid(Vec<jiedu_core::comment::FieldError>),
    /// The server refused it for good, with its message.
    Refused(String),
    /// The same comment is being sent already.
    Busy,
}

/// Keeps a new comment's request body in the outbox, then sends it. Saved before it is sent: a
/// tab closed mid-request loses nothing either.
pub async fn submit(api: &str, document: &str, body: &str, lang: UiLang) -> Submitted {
    let pending = Pending {
        key: api::new_key(),
        api: api.to_owned(),
        document: document.to_owned(),
        body: body.to_owned(),
        failures: 0,
        refused: None,
        saved: js_sys::Date::now() as i64,
    };
    update_pending(|list| list.push(pending.clone()));
    match deliver(&pending, lang, Mode::Direct).await {
        Some((_, Some(sent))) => Submitted::Sent(sent),
        Some((Answer::Retry { after }, _)) => Submitted::Queued(after),
        Some((Answer::Invalid(errors), _)) => Submitted::Invalid(errors),
        Some((Answer::Refused { message, .. }, _)) => Submitted::Refused(message),
        _ => Submitted::Busy,
    }
}
