//! Tests for dialogues: transcripts of representative flows (insta snapshots), the validator's
//! table, and properties of the engine over generated flows.

use super::*;
use std::fmt::Write;

mod properties;
mod transcripts;
mod validator;

/// The lead fields of the test site.
const FIELDS: [&str; 9] =
    ["email", "firstName", "lastName", "company", "phone", "country", "employees", "role", "notes"];

/// A flow from its stored JSON.
fn parse(json: &str) -> Flow {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("bad flow JSON: {e}\n{json}"))
}

/// A context with these lead attributes.
fn lead(pairs: &[(&str, &str)]) -> Context {
    Context {
        attributes: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        ..Context::default()
    }
}

fn start(version: u32) -> Event {
    Event::Start { version }
}

fn choose(value: &str) -> Event {
    Event::Choose(value.to_owned())
}

fn answer(text: &str) -> Event {
    Event::Answer(text.to_owned())
}

/// Replays `events` on a flow the validator accepts and writes what happened, one line per bot
/// message, visitor input and effect. Between events the state goes through JSON, as it would
/// when the visitor navigates to another page.
fn replay(flow: &Flow, context: &Context, events: &[Event]) -> String {
    assert_eq!(flow.validate(&FIELDS), vec![], "the flow must be valid");
    let mut out = String::new();
    if context.attributes.is_empty() {
        out.push_str("lead: (anonymous)\n");
    } else {
        let pairs: Vec<String> = context.attributes.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        let _ = writeln!(out, "lead: {}", pairs.join(", "));
    }
    if let Some(free) = context.agents_free_today {
        let _ = writeln!(out, "agents free today: {}", if free { "yes" } else { "no" });
    }
    let mut state = State::default();
    for event in events {
        let _ = writeln!(out, "{}", describe_event(event));
        match step(flow, &state, event, context) {
            Ok((next, effects)) => {
                for effect in &effects {
                    out.push_str(&describe_effect(effect));
                }
                let json = serde_json::to_string(&next).unwrap_or_default();
                state = serde_json::from_str(&json).unwrap_or_else(|e| panic!("state does not resume: {e}"));
                assert_eq!(state, next, "state changed through JSON");
                match &state.waiting_at {
                    Some(id) => {
                        let _ = writeln!(out, "   … waiting at {id}");
                    }
                    None if state.ended => out.push_str("   … ended\n"),
                    None => out.push_str("   … not started\n"),
                }
            }
            Err(e) => {
                let _ = writeln!(out, "   ! {e} ({e:?}); state unchanged");
            }
        }
    }
    let answers: Vec<String> = state.answers.iter().map(|a| format!("{}={:?}", a.card, a.value)).collect();
    let _ = writeln!(out, "answers: {}", if answers.is_empty() { "(none)".into() } else { answers.join(", ") });
    let _ = write!(out, "state: {}", serde_json::to_string(&state).unwrap_or_default());
    out
}

/// Several replays of one flow, each under its own heading.
fn replays(flow: &Flow, runs: &[(&str, Context, Vec<Event>)]) -> String {
    runs.iter()
        .map(|(name, context, events)| format!("## {name}\n{}", replay(flow, context, events)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn describe_event(event: &Event) -> String {
    match event {
        Event::Start { version } => format!("> start (version {version})"),
        Event::Choose(value) => format!("> choose {value:?}"),
        Event::Answer(text) => format!("> answer {text:?}"),
        Event::Booked => "> booked".into(),
        Event::Back => "> back".into(),
        Event::Restart => "> restart".into(),
    }
}

fn describe_effect(effect: &Effect) -> String {
    match effect {
        Effect::Say(text) => format!("bot: {text}\n"),
        Effect::Ask { text, choices } => {
            let buttons: Vec<String> = choices.iter().map(|c| format!("[{} = {}]", c.label, c.value)).collect();
            format!("bot: {text}\n     buttons: {}\n", buttons.join(" "))
        }
        Effect::Capture { text, kind, field } => {
            let kind = serde_json::to_string(kind).unwrap_or_default();
            format!("bot: {text}\n     input: {} → lead.{field}\n", kind.trim_matches('"'))
        }
        Effect::Invalid(message) => format!("bot (refusing): {message}\n"),
        Effect::OfferSlots(minutes) => format!("   * offer slots of {minutes} minutes\n"),
        Effect::ShowDocument { title, url } => format!("bot: [document] {title} <{url}>\n"),
        Effect::ReachGoal { name, score } => format!("   * goal {name:?} reached, score {score}\n"),
        Effect::SetField { field, value } => format!("   * set lead.{field} = {value:?}\n"),
        Effect::End => "   * end\n".into(),
    }
}

#[test]
fn the_demo_flow_is_valid() {
    // Its greeting personalises with `firstName`, so it is valid where that field is known.
    assert_eq!(crate::demo::flow().validate(&FIELDS), vec![]);
    let without_fields = crate::demo::flow().validate(&[]);
    assert_eq!(without_fields.len(), 1, "{without_fields:?}");
    assert!(without_fields[0].message.contains("firstName"));
}

#[test]
fn flows_stored_before_the_new_cards_still_read() {
    // The demo flow exactly as the first release stored it in D1.
    let stored = r#"{"start":"greeting","cards":[
        {"type":"message","id":"greeting","text":"Hi there! I'm Confab, the demo assistant.","next":"intent"},
        {"type":"question","id":"intent","text":"What brings you here today?","buttons":[
            {"label":"Book a meeting","value":"book","next":"book"},
            {"label":"Just browsing","value":"browse","next":"bye"}]},
        {"type":"book_meeting","id":"book","duration_minutes":30,"next":"thanks"},
        {"type":"message","id":"thanks","text":"Thanks! Your meeting is confirmed. See you then.","next":"end"},
        {"type":"message","id":"bye","text":"No problem. I'm here if you need anything.","next":"end"},
        {"type":"end","id":"end"}]}"#;
    // The greeting has since learned to personalise; everything else is as stored.
    let stored = stored.replace("Hi there!", "Hi {{lead.firstName:\\\"there\\\"}}!");
    let stored = stored.as_str();
    assert_eq!(parse(stored), crate::demo::flow());
    // And the demo flow is still written the same way.
    let written = serde_json::to_value(crate::demo::flow()).unwrap_or_default();
    let read: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
    let with_nulls = |v: &serde_json::Value| v.to_string().replace(",\"next\":null", "");
    assert_eq!(with_nulls(&written), with_nulls(&read));
}

#[test]
fn new_cards_read_from_their_json() {
    let flow = parse(
        r#"{"start":"a","cards":[
        {"type":"capture","id":"a","text":"Email?","kind":"email","field":"email","next":"b"},
        {"type":"branch","id":"b","rules":[{"when":{"mode":"any","conditions":[
            {"op":"equals","field":"lead.country","value":"US"}]},"next":"c"}],"default":"d"},
        {"type":"goal","id":"c","name":"qualified","score":3},
        {"type":"document","id":"d","title":"Guide","url":"https://example.com/guide.pdf","next":"e"},
        {"type":"end","id":"e"}]}"#,
    );
    assert_eq!(flow.validate(&FIELDS), vec![]);
    let capture = &flow.cards[0];
    assert!(
        matches!(capture, Card::Capture { kind: CaptureKind::Email, field, next: Some(_), .. } if field == "email")
    );
    assert!(matches!(&flow.cards[2], Card::Goal { score: 3, next: None, .. }));
    let back: Flow =
        serde_json::from_value(serde_json::to_value(&flow).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, flow);
}

#[test]
fn events_and_effects_have_stable_json() {
    assert_eq!(json(&start(2)), r#"{"start":{"version":2}}"#);
    assert_eq!(json(&choose("book")), r#"{"choose":"book"}"#);
    assert_eq!(json(&answer("x")), r#"{"answer":"x"}"#);
    assert_eq!(json(&Event::Back), r#""back""#);
    assert_eq!(
        json(&Effect::Ask { text: "Q".into(), choices: vec![Choice { label: "Yes".into(), value: "y".into() }] }),
        r#"{"ask":{"text":"Q","choices":[{"label":"Yes","value":"y"}]}}"#
    );
    assert_eq!(
        json(&Effect::Capture { text: "Email?".into(), kind: CaptureKind::Email, field: "email".into() }),
        r#"{"capture":{"text":"Email?","kind":"email","field":"email"}}"#
    );
    assert_eq!(json(&Effect::OfferSlots(30)), r#"{"offer_slots":30}"#);
    assert_eq!(json(&Effect::ReachGoal { name: "g".into(), score: 2 }), r#"{"reach_goal":{"name":"g","score":2}}"#);
    assert_eq!(json(&Effect::End), r#""end""#);
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[test]
fn captures_check_answers_by_kind() {
    let cases: [(CaptureKind, &str, Result<&str, AnswerError>); 14] = [
        (CaptureKind::Email, " Ada@Example.COM ", Ok("Ada@example.com")),
        (CaptureKind::Email, "", Err(AnswerError::Email(crate::email::EmailError::Empty))),
        (CaptureKind::Email, "ada@example", Err(AnswerError::Email(crate::email::EmailError::Malformed))),
        (CaptureKind::Phone, "+49 (30) 1234-5678", Ok("+49 (30) 1234-5678")),
        (CaptureKind::Phone, "123456", Ok("123456")),
        (CaptureKind::Phone, "12345", Err(AnswerError::PhoneDigits)),
        (CaptureKind::Phone, "123456789012345678901", Err(AnswerError::PhoneDigits)),
        (CaptureKind::Phone, "  ", Err(AnswerError::PhoneEmpty)),
        (CaptureKind::Phone, "555-CALL-NOW", Err(AnswerError::PhoneCharacters)),
        (CaptureKind::Phone, "+1 555 0100 ext. 2", Err(AnswerError::PhoneCharacters)),
        (CaptureKind::Text, "  Hello  ", Ok("Hello")),
        (CaptureKind::Text, " \n ", Err(AnswerError::TextEmpty)),
        (CaptureKind::Text, "<b>bold</b>", Ok("<b>bold</b>")),
        (CaptureKind::Text, &"é".repeat(1001), Err(AnswerError::TextTooLong)),
    ];
    for (kind, input, expected) in cases {
        assert_eq!(kind.check(input), expected.map(str::to_owned), "{kind:?} {input:?}");
    }
    assert_eq!(CaptureKind::Text.check(&"é".repeat(1000)).map(|s| s.chars().count()), Ok(1000));
}

#[test]
fn the_opening_is_the_first_thing_the_bot_says_as_the_engine_renders_it() {
    let demo = crate::demo::flow();
    let anonymous = opening(&demo, &Context::default());
    let known = opening(&demo, &lead(&[("firstName", "Ada")]));
    assert!(anonymous.as_deref().is_some_and(|t| t.starts_with("Hi there!")), "{anonymous:?}");
    assert!(known.as_deref().is_some_and(|t| t.starts_with("Hi Ada!")), "{known:?}");
    // A flow that opens with a question: its text; with a silent goal first, the card after it.
    let asks = parse(
        r#"{"start":"g","cards":[
            {"type":"goal","id":"g","name":"seen","score":0,"next":"q"},
            {"type":"question","id":"q","text":"Pricing or a demo?","buttons":[{"label":"Demo","value":"d","next":"e"}]},
            {"type":"end","id":"e"}]}"#,
    );
    assert_eq!(opening(&asks, &Context::default()).as_deref(), Some("Pricing or a demo?"));
    // A flow that says nothing before it offers times has no opening.
    let books = parse(
        r#"{"start":"b","cards":[{"type":"book_meeting","id":"b","duration_minutes":30,"next":"e"},{"type":"end","id":"e"}]}"#,
    );
    assert_eq!(opening(&books, &Context::default()), None);
}
