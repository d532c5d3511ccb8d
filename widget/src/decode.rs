//! Reading the edge's JSON without serde: the browser has already parsed it (`Response.json()`),
//! so the widget walks the JavaScript objects with `Reflect`. This keeps serde's
//! deserialisation machinery out of the widget's wasm, which roughly halves its size.
//! The shapes are those of `confab_domain::api`; the browser journey test exercises them all.

use confab_domain::api::{AgentRef, Booking, Bootstrap, Branding, PublishedDialogue, Slot, Visitor};
use confab_domain::dialogue::{Answer, Button, CaptureKind, Card, Flow, Rule, State};
use confab_domain::ids::{AgentId, CardId, MeetingId, SiteId};
use confab_domain::targeting::{Condition, Group, Mode};
use js_sys::{Array, Reflect};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

/// `v[key]`, `undefined` when absent.
pub fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `v[key]` when it is a string.
pub fn string(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

/// `v[key]` when it is a number that fits a `u32` (fractions dropped).
pub fn number(v: &JsValue, key: &str) -> Option<u32> {
    field(v, key).as_f64().filter(|n| *n >= 0.0 && *n <= f64::from(u32::MAX)).map(|n| n as u32)
}

/// The items of the array `v[key]`; empty when it is not an array.
pub fn list(v: &JsValue, key: &str) -> Vec<JsValue> {
    field(v, key).dyn_into::<Array>().map(|a| a.iter().collect()).unwrap_or_default()
}

/// The items of the array `v[key]`, each read by `read`; `None` when one is unreadable (an
/// absent array has none). A plain loop: collecting into `Option<Vec<_>>` compiles to far
/// more code for each item type.
pub fn items<T>(v: &JsValue, key: &str, read: fn(&JsValue) -> Option<T>) -> Option<Vec<T>> {
    let mut out = Vec::new();
    for item in list(v, key) {
        out.push(read(&item)?);
    }
    Some(out)
}

fn card_id(v: &JsValue, key: &str) -> Option<CardId> {
    string(v, key).map(CardId)
}

fn card(v: &JsValue) -> Option<Card> {
    let id = card_id(v, "id")?;
    Some(match string(v, "type")?.as_str() {
        "message" => Card::Message { id, text: string(v, "text")?, next: card_id(v, "next") },
        "question" => Card::Question {
            id,
            text: string(v, "text")?,
            buttons: items(v, "buttons", |b| {
                Some(Button { label: string(b, "label")?, value: string(b, "value")?, next: card_id(b, "next")? })
            })?,
        },
        "capture" => Card::Capture {
            id,
            text: string(v, "text")?,
            kind: match string(v, "kind")?.as_str() {
                "email" => CaptureKind::Email,
                "phone" => CaptureKind::Phone,
                "text" => CaptureKind::Text,
                _ => return None,
            },
            field: string(v, "field")?,
            next: card_id(v, "next"),
        },
        "branch" => Card::Branch {
            id,
            rules: items(v, "rules", |r| Some(Rule { when: group(&field(r, "when"))?, next: card_id(r, "next")? }))?,
            default: card_id(v, "default"),
        },
        "book_meeting" => {
            Card::BookMeeting { id, duration_minutes: number(v, "duration_minutes")?, next: card_id(v, "next") }
        }
        "goal" => Card::Goal {
            id,
            name: string(v, "name")?,
            score: u8::try_from(number(v, "score")?).ok()?,
            next: card_id(v, "next"),
        },
        "document" => {
            Card::Document { id, title: string(v, "title")?, url: string(v, "url")?, next: card_id(v, "next") }
        }
        "end" => Card::End { id },
        _ => return None,
    })
}

/// A branch rule's conditions; `mode`, `conditions` and `groups` may each be absent.
fn group(v: &JsValue) -> Option<Group> {
    Some(Group {
        mode: if string(v, "mode").as_deref() == Some("any") { Mode::Any } else { Mode::All },
        conditions: items(v, "conditions", condition)?,
        groups: items(v, "groups", group)?,
    })
}

fn condition(v: &JsValue) -> Option<Condition> {
    let field = string(v, "field")?;
    let value = || string(v, "value");
    Some(match string(v, "op")?.as_str() {
        "equals" => Condition::Equals { field, value: value()? },
        "not_equals" => Condition::NotEquals { field, value: value()? },
        "contains" => Condition::Contains { field, value: value()? },
        "starts_with" => Condition::StartsWith { field, value: value()? },
        "in_list" => Condition::InList { field, values: items(v, "values", JsValue::as_string)? },
        "is_empty" => Condition::IsEmpty { field },
        "is_not_empty" => Condition::IsNotEmpty { field },
        "greater_than" => Condition::GreaterThan { field, value: value()? },
        "less_than" => Condition::LessThan { field, value: value()? },
        _ => return None,
    })
}

/// `GET …/bootstrap`. Missing branding fields fall back to the defaults; a malformed dialogue
/// is treated as no dialogue.
pub fn bootstrap(v: &JsValue) -> Option<Bootstrap> {
    let b = field(v, "branding");
    let defaults = Branding::default();
    let branding = Branding {
        bot_name: string(&b, "bot_name").unwrap_or(defaults.bot_name),
        primary_color: string(&b, "primary_color").unwrap_or(defaults.primary_color),
        launcher_position: string(&b, "launcher_position").unwrap_or(defaults.launcher_position),
        typing_delay_ms: number(&b, "typing_delay_ms").unwrap_or(defaults.typing_delay_ms),
        ..Branding {
            bot_name: String::new(),
            primary_color: String::new(),
            launcher_position: String::new(),
            ..defaults
        }
    };
    let dialogue = dialogue(&field(v, "dialogue"));
    Some(Bootstrap {
        site: SiteId(string(v, "site")?),
        branding,
        dialogue,
        visitor: visitor(&field(v, "visitor")),
        agents_free_today: field(v, "agents_free_today").as_bool(),
    })
}

/// [`bootstrap`] with the JSON it was read from (the widget keeps the dialogue as the edge sent
/// it, to resume the conversation on that version after a navigation).
pub fn bootstrap_with_json(v: &JsValue) -> Option<(Bootstrap, JsValue)> {
    Some((bootstrap(v)?, v.clone()))
}

/// A published dialogue: `{id, version, flow: {start, cards}}`; `None` when anything is malformed.
pub fn dialogue(d: &JsValue) -> Option<PublishedDialogue> {
    let flow = field(d, "flow");
    Some(PublishedDialogue {
        id: string(d, "id")?,
        version: number(d, "version")?,
        flow: Flow { start: card_id(&flow, "start")?, cards: items(&flow, "cards", card)? },
    })
}

/// The engine's [`State`] as serde writes it (`{version, waiting_at, answers: [{card, value}],
/// goals, ended}`).
pub fn state(v: &JsValue) -> Option<State> {
    Some(State {
        version: number(v, "version")?,
        waiting_at: card_id(v, "waiting_at"),
        answers: items(v, "answers", |a| Some(Answer { card: card_id(a, "card")?, value: string(a, "value")? }))?,
        goals: items(v, "goals", |g| g.as_string().map(CardId))?,
        ended: field(v, "ended").as_bool()?,
    })
}

/// [`state`]'s inverse: the JSON serde would write for `state`.
pub fn state_json(state: &State) -> JsValue {
    let o = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    };
    set("version", &JsValue::from(state.version));
    set("waiting_at", &state.waiting_at.as_ref().map_or(JsValue::NULL, |c| JsValue::from_str(c.as_str())));
    let answers = Array::new();
    for a in &state.answers {
        answers.push(&object(&[("card", Some(a.card.as_str())), ("value", Some(&a.value))]));
    }
    set("answers", &answers);
    set("goals", &state.goals.iter().map(|g| JsValue::from_str(g.as_str())).collect::<Array>());
    set("ended", &JsValue::from_bool(state.ended));
    o.into()
}

/// `GET …/identity`, `POST …/identify` and the bootstrap's `visitor`: who the visitor is.
/// Anything unreadable means anonymous.
pub fn visitor(v: &JsValue) -> Visitor {
    let mut attributes = BTreeMap::new();
    let attrs = field(v, "attributes");
    if attrs.is_object() {
        for entry in js_sys::Object::entries(attrs.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                attributes.insert(k, value);
            }
        }
    }
    let flag = |name: &str| field(v, name).as_bool().unwrap_or(false);
    Visitor { known: flag("known"), attributes, pending: flag("pending") }
}

/// [`visitor`] for `Api::call`, which wants an `Option`.
pub fn some_visitor(v: &JsValue) -> Option<Visitor> {
    Some(visitor(v))
}

/// `GET …/slots`.
pub fn slots(v: &JsValue) -> Option<Vec<Slot>> {
    items(v, "slots", |s| Some(Slot { start: string(s, "start")?, end: string(s, "end")? }))
}

/// `POST …/bookings` 201.
pub fn booking(v: &JsValue) -> Option<Booking> {
    let agent = field(v, "agent");
    Some(Booking {
        meeting_id: MeetingId(string(v, "meeting_id")?),
        agent: AgentRef { id: AgentId(string(&agent, "id")?), name: string(&agent, "name")? },
        start: string(v, "start")?,
        end: string(v, "end")?,
        invite_url: string(v, "invite_url"),
        cancel_url: string(v, "cancel_url"),
        reschedule_url: string(v, "reschedule_url"),
    })
}

/// The error envelope: (code, message).
pub fn error(v: &JsValue) -> Option<(String, String)> {
    let e = field(v, "error");
    Some((string(&e, "code")?, string(&e, "message")?))
}

/// A JSON object from string pairs (`None` values are left out), for request bodies.
pub fn object(pairs: &[(&str, Option<&str>)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
        }
    }
    o.into()
}
