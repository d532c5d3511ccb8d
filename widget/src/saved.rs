//! The conversation as it is kept between pages of the site in one tab: the widget gives it
//! to the loader (the `keep` message) each time the chat waits for the visitor, once the
//! visitor has interacted, and the loader keeps it in the tab's `sessionStorage` and hands
//! it back when it mounts the chat on the next page.
//!
//! Its shape: `{dialogue, state, lines, documents, engaged, slot}`: the published dialogue as
//! the edge sent it (so the conversation resumes on the version it started with), the
//! engine's state as serde writes it, the transcript as `[speaker, text]` pairs (1 for the
//! visitor), documents as `[title, address]`, whether the visitor engaged, and the slot picked
//! while the email is asked.

use crate::decode::{self, field, list, string};
use crate::transcript::{Line, Speaker};
use confab_domain::api::{PublishedDialogue, Slot};
use confab_domain::dialogue::State;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// A conversation as kept between pages.
pub struct Conversation {
    /// The dialogue running, as the edge sent it (`{id, version, flow}`).
    pub dialogue: JsValue,
    /// Where the visitor is in it.
    pub state: State,
    /// The transcript, oldest first.
    pub lines: Vec<Line>,
    /// Documents shown: (title, address).
    pub documents: Vec<(String, String)>,
    /// Whether the visitor has engaged (so `engaged` is reported once).
    pub engaged: bool,
    /// The slot picked while the visitor is asked for their email.
    pub slot: Option<Slot>,
}

fn pair(v: &JsValue) -> (JsValue, Option<String>) {
    let a = Array::from(v);
    (a.get(0), a.get(1).as_string())
}

/// Reads a kept conversation; `None` when there is none or it is unreadable.
pub fn read(kept: &JsValue) -> Option<(PublishedDialogue, Conversation)> {
    let json = field(kept, "dialogue");
    let dialogue = decode::dialogue(&json)?;
    let state = decode::state(&field(kept, "state"))?;
    // Plain loops, smaller in the wasm than iterator chains; an unreadable entry is skipped.
    let mut lines = Vec::new();
    for line in &list(kept, "lines") {
        let (from, text) = pair(line);
        let from = if from.as_f64() == Some(1.0) { Speaker::Visitor } else { Speaker::Bot };
        if let Some(text) = text {
            lines.push(Line { from, text });
        }
    }
    let mut documents = Vec::new();
    for d in &list(kept, "documents") {
        let (title, url) = pair(d);
        if let (Some(title), Some(url)) = (title.as_string(), url) {
            documents.push((title, url));
        }
    }
    let slot = field(kept, "slot");
    let slot = string(&slot, "start").zip(string(&slot, "end")).map(|(start, end)| Slot { start, end });
    let engaged = field(kept, "engaged").as_bool().unwrap_or(false);
    Some((dialogue, Conversation { dialogue: json, state, lines, documents, engaged, slot }))
}

/// `conversation` in the kept shape.
pub fn write(conversation: &Conversation) -> JsValue {
    let o: JsValue = Object::new().into();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&o, &key.into(), value);
    };
    set("dialogue", &conversation.dialogue);
    set("state", &decode::state_json(&conversation.state));
    let pair = |a: JsValue, b: &str| Array::of2(&a, &b.into());
    let lines: Array =
        conversation.lines.iter().map(|l| pair(u32::from(l.from == Speaker::Visitor).into(), &l.text)).collect();
    set("lines", &lines);
    let documents: Array = conversation.documents.iter().map(|(t, u)| pair(t.into(), u)).collect();
    set("documents", &documents);
    set("engaged", &conversation.engaged.into());
    if let Some(slot) = &conversation.slot {
        set("slot", &decode::object(&[("start", Some(&slot.start)), ("end", Some(&slot.end))]));
    }
    o
}
