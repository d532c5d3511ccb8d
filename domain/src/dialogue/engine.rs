//! The engine: a pure transition `(flow, state, event, context) → (state, effects)`.
//!
//! The conversation stops only at cards that need the visitor (a question, a capture whose
//! field is unknown, a booking) and walks every other card in one step, collecting effects.
//! The state is plain data, serialisable, so a conversation can resume after the visitor
//! navigates; it records the dialogue version it started with, and the caller runs every later
//! event against the flow of that version.

use super::capture::CaptureKind;
use super::flow::{Card, Flow};
use super::tokens;
use crate::ids::CardId;
use crate::targeting::{Group, group_holds};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the engine knows about the visitor besides the conversation itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    /// The lead's attributes by field name (`firstName`, `email`, …); empty for an anonymous
    /// visitor. A blank value counts as unknown.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Whether an agent has a free slot for the rest of the visitor's day, as the edge found
    /// it; `None` when it did not look (branch rules on [`AGENTS_FREE_TODAY`] then take the
    /// branch's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents_free_today: Option<bool>,
}

/// The branch field that tests whether an agent has a free slot today; its values are `yes`
/// and `no`.
pub const AGENTS_FREE_TODAY: &str = "agents.free_today";

/// One input the visitor gave, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The card answered.
    pub card: CardId,
    /// A button's stored value, a captured value (as stored in the lead field), or [`BOOKED`].
    pub value: String,
}

/// The answer recorded for a booking card once the meeting is booked.
pub const BOOKED: &str = "booked";

/// Where a visitor is in a flow. `State::default()` is a conversation not yet started.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct State {
    /// The version of the dialogue the conversation started with; later events must be run
    /// against that version's flow.
    #[serde(default)]
    pub version: u32,
    /// The card waiting for the visitor's input; `None` before the start and after the end.
    #[serde(default)]
    pub waiting_at: Option<CardId>,
    /// Inputs given so far, oldest first.
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// Goal cards already reached in this conversation, so a goal is reported once even when
    /// the visitor goes back or restarts.
    #[serde(default)]
    pub goals: Vec<CardId>,
    /// Whether the conversation reached its end.
    #[serde(default)]
    pub ended: bool,
}

impl State {
    /// Whether the conversation has started (and possibly ended).
    pub fn started(&self) -> bool {
        self.waiting_at.is_some() || self.ended
    }

    /// Whether [`Event::Back`] applies: the last input was an answer to a question or a
    /// capture (a booking cannot be taken back).
    pub fn can_go_back(&self, flow: &Flow) -> bool {
        self.answers.last().and_then(|a| flow.card(&a.card)).is_some_and(Card::takes_answer)
    }

    /// The value captured in this conversation for a lead field, the latest one first.
    pub fn captured<'a>(&'a self, flow: &Flow, field: &str) -> Option<&'a str> {
        captured(flow, &self.answers, field)
    }
}

/// Something that happened in the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The visitor opened the chat on this published version of the dialogue. Starts afresh.
    Start {
        /// The dialogue version the conversation runs on.
        version: u32,
    },
    /// The visitor clicked the button with this stored value.
    Choose(String),
    /// The visitor typed this answer to a capture card.
    Answer(String),
    /// The meeting offered by the current card was booked.
    Booked,
    /// The visitor goes back to the previous question or capture; its answer is taken back.
    Back,
    /// The visitor starts over, on the same version.
    Restart,
}

/// A button as shown: the label is displayed, the value is sent back with [`Event::Choose`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Text on the button.
    pub label: String,
    /// The value to choose.
    pub value: String,
}

/// What the shell must do, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Show a bot message.
    Say(String),
    /// Show a question with buttons and wait for [`Event::Choose`].
    Ask {
        /// The question.
        text: String,
        /// The buttons, in order.
        choices: Vec<Choice>,
    },
    /// Show the prompt and an input for this kind of answer, and wait for [`Event::Answer`].
    Capture {
        /// The prompt.
        text: String,
        /// What to ask for (the input's type).
        kind: CaptureKind,
        /// The lead field the answer goes to.
        field: String,
    },
    /// The visitor's answer was refused; show why. The capture is asked again right after.
    Invalid(String),
    /// Show free slots for a meeting of this many minutes, book one, then send [`Event::Booked`].
    OfferSlots(u32),
    /// Show a link to a document.
    ShowDocument {
        /// The link's text.
        title: String,
        /// The address, `https://`.
        url: String,
    },
    /// The visitor reached a goal (reported once per conversation).
    ReachGoal {
        /// The goal's name.
        name: String,
        /// Its score, 0 to 3.
        score: u8,
    },
    /// Store a captured value in the visitor's lead.
    SetField {
        /// The lead field.
        field: String,
        /// The validated value.
        value: String,
    },
    /// The conversation is over.
    End,
}

/// Why an event could not be applied. The state is then unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The event does not fit where the conversation is (a stale click, going back with
    /// nothing to go back to, going back past a booking).
    #[error("this answer does not fit the conversation any more")]
    Unexpected,
    /// The flow links to a card it does not have, a branch has no default, or cards loop
    /// without input (it was not validated, or the state belongs to another version).
    #[error("the dialogue is broken; please try again later")]
    BrokenFlow,
}

/// Applies `event` to `state`, returning the new state and the effects to perform in order.
///
/// `context` holds what is known about the visitor's lead; it decides which captures are
/// skipped, how branches go and what personalisation tokens show.
pub fn step(flow: &Flow, state: &State, event: &Event, context: &Context) -> Result<(State, Vec<Effect>), EngineError> {
    let waiting = state.waiting_at.as_ref().and_then(|id| flow.card(id));
    let mut next = state.clone();
    let mut effects = Vec::new();
    let cursor = match (event, waiting) {
        (Event::Start { version }, _) => {
            next = State { version: *version, ..State::default() };
            Some(flow.start.clone())
        }
        (Event::Restart, _) if state.started() => {
            next = State { version: state.version, goals: state.goals.clone(), ..State::default() };
            Some(flow.start.clone())
        }
        (Event::Back, _) => {
            let last = state.answers.last().ok_or(EngineError::Unexpected)?;
            let card = flow.card(&last.card).ok_or(EngineError::BrokenFlow)?;
            if !card.takes_answer() {
                return Err(EngineError::Unexpected);
            }
            next.answers.pop();
            next.ended = false;
            next.waiting_at = Some(card.id().clone());
            let lead = Lead { flow, answers: &next.answers, context };
            effects.extend(lead.prompt(card));
            return Ok((next, effects));
        }
        (Event::Choose(value), Some(Card::Question { id, buttons, .. })) => {
            let button = buttons.iter().find(|b| &b.value == value).ok_or(EngineError::Unexpected)?;
            next.answers.push(Answer { card: id.clone(), value: value.clone() });
            Some(button.next.clone())
        }
        (Event::Answer(input), Some(card @ Card::Capture { id, kind, field, next: after, .. })) => {
            match kind.check(input) {
                Ok(value) => {
                    effects.push(Effect::SetField { field: field.clone(), value: value.clone() });
                    next.answers.push(Answer { card: id.clone(), value });
                    after.clone()
                }
                Err(why) => {
                    effects.push(Effect::Invalid(why.to_string()));
                    let lead = Lead { flow, answers: &state.answers, context };
                    effects.extend(lead.prompt(card));
                    return Ok((next, effects));
                }
            }
        }
        (Event::Booked, Some(Card::BookMeeting { id, next: after, .. })) => {
            next.answers.push(Answer { card: id.clone(), value: BOOKED.to_owned() });
            after.clone()
        }
        _ => return Err(EngineError::Unexpected),
    };
    walk(flow, next, effects, cursor, context)
}

/// Shows cards from `cursor` until one needs the visitor or the conversation ends.
fn walk(
    flow: &Flow,
    mut state: State,
    mut effects: Vec<Effect>,
    mut cursor: Option<CardId>,
    context: &Context,
) -> Result<(State, Vec<Effect>), EngineError> {
    state.waiting_at = None;
    state.ended = false;
    // Without a loop that needs no input (the validator refuses those), a walk visits each card
    // at most once, then ends.
    for _ in 0..=flow.cards.len() {
        let Some(id) = cursor else {
            state.ended = true;
            effects.push(Effect::End);
            return Ok((state, effects));
        };
        let card = flow.card(&id).ok_or(EngineError::BrokenFlow)?;
        let lead = Lead { flow, answers: &state.answers, context };
        cursor = match card {
            Card::Message { text, next, .. } => {
                effects.push(Effect::Say(lead.render(text)));
                next.clone()
            }
            Card::Capture { field, next, .. } if lead.get(field).is_some() => next.clone(),
            Card::Question { .. } | Card::Capture { .. } | Card::BookMeeting { .. } => {
                effects.extend(lead.prompt(card));
                state.waiting_at = Some(id);
                return Ok((state, effects));
            }
            Card::Branch { rules, default, .. } => {
                let visitor = lead.visitor();
                let chosen = rules.iter().find(|r| holds(&r.when, &visitor)).map(|r| &r.next);
                Some(chosen.or(default.as_ref()).ok_or(EngineError::BrokenFlow)?.clone())
            }
            Card::Goal { name, score, next, .. } => {
                if !state.goals.contains(&id) {
                    effects.push(Effect::ReachGoal { name: name.clone(), score: *score });
                    state.goals.push(id);
                }
                next.clone()
            }
            Card::Document { title, url, next, .. } => {
                effects.push(Effect::ShowDocument { title: lead.render(title), url: url.clone() });
                next.clone()
            }
            Card::End { .. } => None,
        };
    }
    Err(EngineError::BrokenFlow)
}

/// The first thing the bot says when the conversation starts, as the engine would say it
/// (tokens rendered from `context`, their defaults otherwise): for the teaser beside the
/// launcher. `None` when the flow opens with neither a message nor a prompt.
pub fn opening(flow: &Flow, context: &Context) -> Option<String> {
    let (_, effects) = step(flow, &State::default(), &Event::Start { version: 0 }, context).ok()?;
    effects.into_iter().find_map(|e| match e {
        Effect::Say(text) | Effect::Ask { text, .. } | Effect::Capture { text, .. } => {
            Some(text).filter(|t| !t.trim().is_empty())
        }
        _ => None,
    })
}

/// The latest value captured for a lead field among `answers`.
fn captured<'a>(flow: &Flow, answers: &'a [Answer], field: &str) -> Option<&'a str> {
    answers.iter().rev().find_map(|a| match flow.card(&a.card) {
        Some(Card::Capture { field: f, .. }) if f == field => Some(a.value.as_str()),
        _ => None,
    })
}

/// What is known about the visitor's lead: captured in this conversation, else from the context.
struct Lead<'a> {
    flow: &'a Flow,
    answers: &'a [Answer],
    context: &'a Context,
}

impl<'a> Lead<'a> {
    /// A lead field's value, when known and not blank; the latest capture wins over the context.
    fn get(&self, field: &str) -> Option<&'a str> {
        captured(self.flow, self.answers, field)
            .or_else(|| self.context.attributes.get(field).map(String::as_str))
            .filter(|v| !v.trim().is_empty())
    }

    fn render(&self, text: &str) -> String {
        tokens::render(text, |field| self.get(field))
    }

    /// The effect that asks for a card's input; `None` for cards that take none.
    fn prompt(&self, card: &Card) -> Option<Effect> {
        Some(match card {
            Card::Question { text, buttons, .. } => Effect::Ask {
                text: self.render(text),
                choices: buttons.iter().map(|b| Choice { label: b.label.clone(), value: b.value.clone() }).collect(),
            },
            Card::Capture { text, kind, field, .. } => {
                Effect::Capture { text: self.render(text), kind: *kind, field: field.clone() }
            }
            Card::BookMeeting { duration_minutes, .. } => Effect::OfferSlots(*duration_minutes),
            _ => return None,
        })
    }

    /// The visitor as branch rules see them: `lead.<field>` and `answer.<card id>` values, and
    /// `agents.free_today` when the edge said.
    fn visitor(&self) -> BTreeMap<String, String> {
        // Inserted one by one rather than collected, which would sort them again (and bring a
        // sort into the widget's wasm).
        let mut values = BTreeMap::new();
        for (k, v) in &self.context.attributes {
            values.insert(format!("lead.{k}"), v.clone());
        }
        for answer in self.answers {
            if let Some(Card::Capture { field, .. }) = self.flow.card(&answer.card) {
                values.insert(format!("lead.{field}"), answer.value.clone());
            }
            values.insert(format!("answer.{}", answer.card), answer.value.clone());
        }
        if let Some(free) = self.context.agents_free_today {
            values.insert(AGENTS_FREE_TODAY.to_owned(), if free { "yes" } else { "no" }.to_owned());
        }
        values
    }
}

/// Whether a rule's conditions hold, decided by targeting so that branches and audiences agree
/// (as the attribute conditions of an audience that admits everyone otherwise).
fn holds(when: &Group, visitor: &BTreeMap<String, String>) -> bool {
    group_holds(when, visitor)
}
