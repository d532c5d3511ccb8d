//! Properties of the engine over generated flows and event sequences: `step` never panics, and
//! on a flow the validator accepts it never finds the flow broken and always leaves the
//! conversation waiting at a card that needs the visitor, or ended.

use super::*;
use crate::ids::CardId;
use crate::targeting::{Condition, Group};
use proptest::prelude::*;
use std::collections::HashSet;

/// Events a visitor (or a confused shell) could send, with values that often fit.
fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        1 => (1u32..3).prop_map(|version| Event::Start { version }),
        1 => Just(Event::Restart),
        2 => Just(Event::Back),
        2 => Just(Event::Booked),
        4 => prop::sample::select(vec!["v0", "v1", "v2", "nope"]).prop_map(|v| Event::Choose(v.into())),
        4 => prop::sample::select(vec!["ada@example.com", "not an email", "+1 555 0100 22", "12", "hello", "", "  "])
            .prop_map(|v| Event::Answer(v.into())),
    ]
}

/// Some of a few lead attributes.
fn context() -> impl Strategy<Value = Context> {
    prop::sample::subsequence(
        vec![
            ("email", "ada@example.com"),
            ("country", "US"),
            ("employees", "500"),
            ("firstName", "Ada"),
            ("notes", " "),
        ],
        0..=5,
    )
    .prop_map(|pairs| lead(&pairs))
}

/// Checks what must hold after every event, and returns the state to continue from.
fn apply(flow: &Flow, state: State, event: &Event, context: &Context, validated: bool) -> Result<State, TestCaseError> {
    match step(flow, &state, event, context) {
        Ok((next, effects)) => {
            match &next.waiting_at {
                Some(id) => {
                    let card = flow.card(id);
                    prop_assert!(card.is_some_and(|c| c.always_waits() || c.takes_answer()), "waiting at {id}");
                    prop_assert!(!next.ended);
                    prop_assert!(
                        matches!(
                            effects.last(),
                            Some(Effect::Ask { .. } | Effect::Capture { .. } | Effect::OfferSlots(_))
                        ),
                        "waiting without asking: {effects:?}"
                    );
                }
                None => {
                    prop_assert!(next.ended, "neither waiting nor ended after {event:?}");
                    prop_assert_eq!(effects.last(), Some(&Effect::End));
                }
            }
            prop_assert!(next.answers.iter().all(|a| flow.card(&a.card).is_some()));
            prop_assert!(next.answers.len() <= state.answers.len() + 1);
            prop_assert!(effects.len() <= flow.cards.len() + 3, "{} effects", effects.len());
            if let Event::Start { version } = event {
                prop_assert_eq!(next.version, *version);
            } else {
                prop_assert_eq!(next.version, state.version);
            }
            let json = serde_json::to_string(&next).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let resumed = serde_json::from_str::<State>(&json).ok();
            prop_assert_eq!(resumed.as_ref(), Some(&next));
            Ok(next)
        }
        Err(EngineError::BrokenFlow) if validated => {
            Err(TestCaseError::fail(format!("a validated flow broke on {event:?} from {state:?}")))
        }
        Err(_) => Ok(state),
    }
}

/// Ids of the arbitrary flows' cards, by position.
const IDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

/// A small flow of any shape: dangling and empty links, loops, unknown fields, invalid texts and
/// now and then a duplicate id or a missing start. Most choices are sound and links favour the
/// next card, so that a fair share of the flows pass the validator.
fn any_flow() -> impl Strategy<Value = Flow> {
    (1usize..=IDS.len()).prop_flat_map(|n| {
        let cards: Vec<BoxedStrategy<Card>> = (0..n).map(|i| any_card(i, n)).collect();
        (cards, prop::option::weighted(0.05, 0..n), prop::bool::weighted(0.03)).prop_map(
            move |(mut cards, duplicate, no_start)| {
                if let (Some(d), Some(last)) = (duplicate, cards.last_mut())
                    && n > 1
                {
                    set_id(last, CardId::from(IDS[d % (n - 1)]));
                }
                Flow { start: CardId::from(if no_start { "zz" } else { "a" }), cards }
            },
        )
    })
}

/// Card `i` of `n`.
fn any_card(i: usize, n: usize) -> BoxedStrategy<Card> {
    let id = CardId::from(IDS[i]);
    let ids: Vec<&'static str> = IDS[..n].to_vec();
    let following = IDS.get(i + 1).filter(|_| i + 1 < n).copied().unwrap_or("a");
    let link = move || {
        prop_oneof![
            24 => Just(following),
            6 => prop::sample::select(ids.clone()),
            1 => prop::sample::select(vec!["zz", ""]),
        ]
        .prop_map(CardId::from)
    };
    let next = {
        let link = link.clone();
        move || prop::option::weighted(0.8, link())
    };
    let text = || {
        prop_oneof![
            12 => prop::sample::select(vec!["Hi", "Hi {{lead.firstName:\"you\"}}"]),
            1 => prop::sample::select(vec!["", "{{lead.unknown}}", "{{oops"]),
        ]
        .prop_map(str::to_owned)
    };
    let field = || {
        prop_oneof![12 => prop::sample::select(vec!["email", "phone", "notes", "firstName"]), 1 => Just("unknown")]
            .prop_map(str::to_owned)
    };
    let kind = || prop::sample::select(vec![CaptureKind::Email, CaptureKind::Phone, CaptureKind::Text]);
    let buttons = prop::collection::vec((prop::bool::weighted(0.95), link()), 0..4).prop_map(|buttons| {
        let button = |(k, (distinct, next)): (usize, (bool, CardId))| {
            let value = if distinct { format!("v{k}") } else { "v0".to_owned() };
            Button { label: format!("Option {k}"), value, next }
        };
        buttons.into_iter().enumerate().map(button).collect()
    });
    let condition = (
        prop_oneof![
            12 => prop::sample::select(vec!["lead.country", "lead.employees", "lead.email"]),
            2 => prop::sample::select(vec!["answer.a", "answer.b"]),
            1 => Just("x"),
        ],
        0u8..3,
    )
        .prop_map(|(field, op)| {
            let field = field.to_owned();
            match op {
                0 => Condition::Equals { field, value: "US".into() },
                1 => Condition::GreaterThan { field, value: "10".into() },
                _ => Condition::IsEmpty { field },
            }
        });
    let rule = (prop::collection::vec(condition, 0..3), link())
        .prop_map(|(conditions, next)| Rule { when: Group { conditions, ..Group::default() }, next });
    let url = prop_oneof![12 => Just("https://x.test/doc"), 1 => Just("http://x.test")];
    let card = prop_oneof![
        3 => (text(), next()).prop_map(|(text, next)| Card::Message { id: CardId::from(""), text, next }),
        3 => (text(), buttons)
            .prop_map(|(text, buttons)| Card::Question { id: CardId::from(""), text, buttons }),
        2 => (text(), kind(), field(), next())
            .prop_map(|(text, kind, field, next)| Card::Capture { id: CardId::from(""), text, kind, field, next }),
        2 => (prop::collection::vec(rule, 0..3), prop::option::weighted(0.95, link()))
            .prop_map(|(rules, default)| Card::Branch { id: CardId::from(""), rules, default }),
        2 => (prop_oneof![12 => Just(30u32), 1 => Just(0), 1 => Just(600)], next())
            .prop_map(|(duration_minutes, next)| Card::BookMeeting { id: CardId::from(""), duration_minutes, next }),
        1 => (prop_oneof![12 => 0u8..=3, 1 => Just(9)], next())
            .prop_map(|(score, next)| Card::Goal { id: CardId::from(""), name: "g".into(), score, next }),
        1 => (url, next()).prop_map(|(url, next)| {
            Card::Document { id: CardId::from(""), title: "Doc".into(), url: url.to_owned(), next }
        }),
        1 => Just(Card::End { id: CardId::from("") }),
    ];
    card.prop_map(move |mut card| {
        set_id(&mut card, id.clone());
        card
    })
    .boxed()
}

fn set_id(card: &mut Card, new: CardId) {
    match card {
        Card::Message { id, .. }
        | Card::Question { id, .. }
        | Card::Capture { id, .. }
        | Card::Branch { id, .. }
        | Card::BookMeeting { id, .. }
        | Card::Goal { id, .. }
        | Card::Document { id, .. }
        | Card::End { id } => *id = new,
    }
}

/// A card as random numbers, which [`valid_flow`] turns into a card that fits its place.
type RawCard = (u8, [u16; 8]);

/// A flow the validator accepts, built so: cards that do not wait (everything but questions
/// and bookings) link only to later cards, so they cannot loop; every field and token is known;
/// cards no path reaches are dropped.
fn valid_flow(raw: &[RawCard]) -> Flow {
    let n = raw.len();
    let id = |i: usize| CardId(format!("c{i}"));
    // A later card, or the end of the conversation.
    let forward = |i: usize, p: u16| {
        let r = usize::from(p) % (n - i);
        (r > 0).then(|| id(i + r))
    };
    let anywhere = |p: u16| id(usize::from(p) % n);
    let kinds: Vec<u8> =
        raw.iter().enumerate().map(|(i, (k, _))| if i + 1 == n && *k == 3 { 7 } else { k % 8 }).collect();
    let answered: Vec<usize> = (0..n).filter(|&j| matches!(kinds[j], 1 | 2 | 4)).collect();
    let texts = ["Hello", "Hi {{lead.firstName:\"there\"}}", "{{ lead.company }} rocks", "Plain {text}"];
    let mut cards: Vec<Card> = raw
        .iter()
        .enumerate()
        .map(|(i, (_, p))| {
            let text = texts[usize::from(p[0]) % texts.len()].to_owned();
            match kinds[i] {
                0 => Card::Message { id: id(i), text, next: forward(i, p[1]) },
                1 => Card::Question {
                    id: id(i),
                    text,
                    buttons: (0..=usize::from(p[1]) % 3)
                        .map(|k| Button {
                            label: format!("Option {k}"),
                            value: format!("v{k}"),
                            next: anywhere(p[2 + k]),
                        })
                        .collect(),
                },
                2 => Card::Capture {
                    id: id(i),
                    text,
                    kind: [CaptureKind::Email, CaptureKind::Phone, CaptureKind::Text][usize::from(p[1]) % 3],
                    field: ["email", "phone", "notes", "company"][usize::from(p[2]) % 4].to_owned(),
                    next: forward(i, p[3]),
                },
                3 => {
                    let later = |p: u16| id(i + 1 + usize::from(p) % (n - i - 1));
                    let rules = (0..usize::from(p[1]) % 3)
                        .map(|k| {
                            let field = match answered.get(usize::from(p[2 + k]) % (answered.len() + 2)) {
                                Some(j) => format!("answer.{}", id(*j)),
                                None if p[2 + k] % 2 == 0 => "lead.country".to_owned(),
                                None => "lead.employees".to_owned(),
                            };
                            let condition = match p[5 + k] % 3 {
                                0 => Condition::Equals { field, value: "v1".into() },
                                1 => Condition::GreaterThan { field, value: "100".into() },
                                _ => Condition::IsEmpty { field },
                            };
                            Rule {
                                when: Group { conditions: vec![condition], ..Group::default() },
                                next: later(p[4 + k]),
                            }
                        })
                        .collect();
                    Card::Branch { id: id(i), rules, default: Some(later(p[7])) }
                }
                4 => {
                    Card::BookMeeting { id: id(i), duration_minutes: 30, next: (p[1] % 4 != 0).then(|| anywhere(p[2])) }
                }
                5 => {
                    Card::Goal { id: id(i), name: format!("goal {i}"), score: (p[1] % 4) as u8, next: forward(i, p[2]) }
                }
                6 => Card::Document {
                    id: id(i),
                    title: text,
                    url: "https://example.com/doc.pdf".into(),
                    next: forward(i, p[1]),
                },
                _ => Card::End { id: id(i) },
            }
        })
        .collect();
    let mut flow = Flow { start: id(0), cards: cards.clone() };
    let mut reachable = HashSet::new();
    let mut todo = vec![id(0)];
    while let Some(at) = todo.pop() {
        if reachable.insert(at.clone())
            && let Some(card) = flow.card(&at)
        {
            todo.extend(card.links().into_iter().cloned());
        }
    }
    cards.retain(|c| reachable.contains(c.id()));
    // A rule on the answer to a dropped card tests a lead field instead.
    for card in &mut cards {
        if let Card::Branch { rules, .. } = card {
            for rule in rules {
                for condition in &mut rule.when.conditions {
                    if let Condition::Equals { field, .. }
                    | Condition::GreaterThan { field, .. }
                    | Condition::IsEmpty { field } = condition
                        && let Some(card) = field.strip_prefix("answer.")
                        && !reachable.contains(&CardId::from(card))
                    {
                        *field = "lead.country".into();
                    }
                }
            }
        }
    }
    flow.cards = cards;
    flow
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Whatever the flow, validating it and stepping through it never panics, and the state
    /// always points at an existing card that needs the visitor, or is ended. When the validator
    /// accepts the flow, the engine never finds it broken.
    #[test]
    fn any_flow_and_any_events(
        flow in any_flow(),
        events in prop::collection::vec(event(), 0..30),
        context in context(),
    ) {
        let validated = flow.validate(&FIELDS).is_empty();
        let mut state = State::default();
        for event in &events {
            state = apply(&flow, state, event, &context, validated)?;
        }
    }

    /// Flows built to be valid pass the validator, and no sequence of events breaks them.
    #[test]
    fn valid_flows_never_break(
        raw in prop::collection::vec((0u8..8, prop::array::uniform8(any::<u16>())), 1..9),
        events in prop::collection::vec(event(), 0..40),
        context in context(),
    ) {
        let flow = valid_flow(&raw);
        prop_assert_eq!(flow.validate(&FIELDS), vec![]);
        let mut state = State::default();
        for event in std::iter::once(&Event::Start { version: 1 }).chain(&events) {
            state = apply(&flow, state, event, &context, true)?;
        }
    }

    /// Going back after an answer returns to the card answered and takes that answer back.
    #[test]
    fn back_undoes_the_last_answer(
        raw in prop::collection::vec((0u8..8, prop::array::uniform8(any::<u16>())), 1..9),
        events in prop::collection::vec(event(), 0..40),
        context in context(),
    ) {
        let flow = valid_flow(&raw);
        let mut state = State::default();
        for event in std::iter::once(&Event::Start { version: 1 }).chain(&events) {
            let can_go_back = state.can_go_back(&flow);
            let back = step(&flow, &state, &Event::Back, &context);
            prop_assert_eq!(back.is_ok(), can_go_back);
            if let Ok((previous, effects)) = back {
                let mut expected = state.answers.clone();
                let undone = expected.pop().map(|a| a.card);
                prop_assert_eq!(&previous.answers, &expected);
                prop_assert_eq!(&previous.waiting_at, &undone);
                prop_assert_eq!(effects.len(), 1);
            }
            state = apply(&flow, state, event, &context, true)?;
        }
    }
}

/// The generator of arbitrary flows yields valid ones often enough for the first property to
/// say something about validated flows.
#[test]
fn some_arbitrary_flows_are_valid() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = any_flow();
    let valid = (0..2000)
        .filter_map(|_| strategy.new_tree(&mut runner).ok())
        .filter(|tree| {
            let flow = tree.current();
            flow.cards.len() > 1 && flow.validate(&FIELDS).is_empty()
        })
        .count();
    assert!(valid >= 150, "only {valid} of 2000 generated flows with several cards are valid");
}
