//! Dialogues: a flow of cards and the pure engine that walks a visitor through it.
//!
//! The engine is a transition `(flow, state, event) → (state, effects)`; effects are data
//! the widget interprets (say, ask, offer slots, end). State is serialisable so a conversation
//! can resume after the visitor navigates.

use crate::ids::CardId;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A visitor-facing choice on a question card. The label is shown; the value is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// Text on the button.
    pub label: String,
    /// Value recorded as the answer.
    pub value: String,
    /// Card that follows this choice.
    pub next: CardId,
}

/// One step of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Card {
    /// A bot message, followed by `next` (or the end of the conversation).
    Message {
        /// Card id.
        id: CardId,
        /// Text shown to the visitor.
        text: String,
        /// The following card.
        next: Option<CardId>,
    },
    /// A question answered with one of its buttons.
    Question {
        /// Card id.
        id: CardId,
        /// The question.
        text: String,
        /// The choices, at least one.
        buttons: Vec<Button>,
    },
    /// Offers slots and books a meeting; continues with `next` once booked.
    BookMeeting {
        /// Card id.
        id: CardId,
        /// Meeting length in minutes.
        duration_minutes: u32,
        /// The card after the booking is confirmed.
        next: Option<CardId>,
    },
    /// Ends the conversation.
    End {
        /// Card id.
        id: CardId,
    },
}

impl Card {
    /// The card's id.
    pub fn id(&self) -> &CardId {
        match self {
            Card::Message { id, .. } | Card::Question { id, .. } | Card::BookMeeting { id, .. } | Card::End { id } => {
                id
            }
        }
    }

    fn links(&self) -> Vec<&CardId> {
        match self {
            Card::Message { next, .. } | Card::BookMeeting { next, .. } => next.iter().collect(),
            Card::Question { buttons, .. } => buttons.iter().map(|b| &b.next).collect(),
            Card::End { .. } => Vec::new(),
        }
    }
}

/// A dialogue's flow: its cards and where it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The first card.
    pub start: CardId,
    /// All cards.
    pub cards: Vec<Card>,
}

/// A problem an author must fix before publishing, with the card it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The card concerned, if any.
    pub card: Option<CardId>,
    /// What is wrong, as a sentence.
    pub message: String,
}

impl Flow {
    /// The card with this id.
    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|c| c.id() == id)
    }

    /// Every problem in the flow at once; empty means publishable.
    pub fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let diag = |card: Option<&CardId>, message: String| Diagnostic { card: card.cloned(), message };
        let mut seen = HashSet::new();
        for card in &self.cards {
            if !seen.insert(card.id()) {
                out.push(diag(Some(card.id()), format!("Card id {:?} is used twice.", card.id().as_str())));
            }
        }
        if self.card(&self.start).is_none() {
            out.push(diag(None, format!("The start card {:?} does not exist.", self.start.as_str())));
        }
        for card in &self.cards {
            for link in card.links() {
                if self.card(link).is_none() {
                    out.push(diag(
                        Some(card.id()),
                        format!("Links to a card {:?} that does not exist.", link.as_str()),
                    ));
                }
            }
            match card {
                Card::Message { text, .. } | Card::Question { text, .. } if text.trim().is_empty() => {
                    out.push(diag(Some(card.id()), "The text is empty.".into()));
                }
                _ => {}
            }
            match card {
                Card::Question { buttons, .. } if buttons.is_empty() => {
                    out.push(diag(Some(card.id()), "A question needs at least one button.".into()));
                }
                Card::BookMeeting { duration_minutes, .. } if !(5..=480).contains(duration_minutes) => {
                    out.push(diag(Some(card.id()), "Meeting length must be between 5 and 480 minutes.".into()));
                }
                _ => {}
            }
        }
        let reachable = self.reachable();
        for card in &self.cards {
            if !reachable.contains(card.id()) {
                out.push(diag(Some(card.id()), "No path from the start reaches this card.".into()));
            }
        }
        out
    }

    fn reachable(&self) -> HashSet<&CardId> {
        let mut seen = HashSet::new();
        let mut todo = vec![&self.start];
        let by_id: HashMap<&CardId, &Card> = self.cards.iter().map(|c| (c.id(), c)).collect();
        while let Some(id) = todo.pop() {
            if seen.insert(id)
                && let Some(card) = by_id.get(id)
            {
                todo.extend(card.links());
            }
        }
        seen
    }
}

/// Where a visitor is in a flow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct State {
    /// The card waiting for the visitor's input; `None` before start and after the end.
    pub waiting_at: Option<CardId>,
    /// Answers given so far, in order: (question card, stored value).
    pub answers: Vec<(CardId, String)>,
    /// Whether the conversation reached its end.
    pub ended: bool,
}

/// Something that happened in the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The visitor opened the chat.
    Start,
    /// The visitor clicked the button with this stored value.
    Choose(String),
    /// The meeting offered by the current card was booked.
    Booked,
}

/// What the widget must do, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Show a bot message.
    Say(String),
    /// Show a question with buttons: (label, value).
    Ask(String, Vec<(String, String)>),
    /// Show free slots for a meeting of this many minutes and ask for an email.
    OfferSlots(u32),
    /// The conversation is over.
    End,
}

/// Why an event could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The event does not fit the card the conversation is waiting at.
    #[error("this answer does not fit the conversation any more")]
    Unexpected,
    /// The flow links to a card it does not have, or loops without input (it was not validated).
    #[error("the dialogue is broken; please try again later")]
    BrokenFlow,
}

/// Longest run of cards shown without visitor input; beyond it the flow is considered looping.
const MAX_AUTOMATIC_STEPS: usize = 64;

/// Applies `event` to `state`, returning the new state and the effects to perform.
pub fn step(flow: &Flow, state: &State, event: &Event) -> Result<(State, Vec<Effect>), EngineError> {
    let mut next_state = state.clone();
    let next = match (event, state.waiting_at.as_ref().and_then(|id| flow.card(id))) {
        (Event::Start, _) => {
            next_state = State::default();
            Some(flow.start.clone())
        }
        (Event::Choose(value), Some(Card::Question { id, buttons, .. })) => {
            let button = buttons.iter().find(|b| &b.value == value).ok_or(EngineError::Unexpected)?;
            next_state.answers.push((id.clone(), value.clone()));
            Some(button.next.clone())
        }
        (Event::Booked, Some(Card::BookMeeting { next, .. })) => next.clone(),
        _ => return Err(EngineError::Unexpected),
    };
    let mut effects = Vec::new();
    let mut cursor = next;
    for _ in 0..MAX_AUTOMATIC_STEPS {
        let Some(id) = cursor else {
            next_state.waiting_at = None;
            next_state.ended = true;
            effects.push(Effect::End);
            return Ok((next_state, effects));
        };
        match flow.card(&id).ok_or(EngineError::BrokenFlow)? {
            Card::Message { text, next, .. } => {
                effects.push(Effect::Say(text.clone()));
                cursor = next.clone();
            }
            Card::Question { text, buttons, .. } => {
                let choices = buttons.iter().map(|b| (b.label.clone(), b.value.clone())).collect();
                effects.push(Effect::Ask(text.clone(), choices));
                next_state.waiting_at = Some(id);
                return Ok((next_state, effects));
            }
            Card::BookMeeting { duration_minutes, .. } => {
                effects.push(Effect::OfferSlots(*duration_minutes));
                next_state.waiting_at = Some(id);
                return Ok((next_state, effects));
            }
            Card::End { .. } => cursor = None,
        }
    }
    Err(EngineError::BrokenFlow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn the_demo_flow_is_valid() {
        assert_eq!(demo::flow().validate(), vec![]);
    }

    #[test]
    fn walking_the_demo_flow_to_a_booking() {
        let flow = demo::flow();
        let (s, fx) = step(&flow, &State::default(), &Event::Start).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(&fx[..], [Effect::Say(_), Effect::Ask(_, buttons)] if buttons.len() == 2));
        let (s, fx) = step(&flow, &s, &Event::Choose("book".into())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fx, vec![Effect::OfferSlots(30)]);
        assert_eq!(step(&flow, &s, &Event::Choose("book".into())), Err(EngineError::Unexpected));
        let (s, fx) = step(&flow, &s, &Event::Booked).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(&fx[..], [Effect::Say(_), Effect::End]));
        assert!(s.ended);
        assert_eq!(s.answers, vec![(CardId::from("intent"), "book".to_owned())]);
    }

    #[test]
    fn the_validator_reports_every_problem_at_once() {
        let flow = Flow {
            start: "a".into(),
            cards: vec![
                Card::Message { id: "a".into(), text: " ".into(), next: Some("missing".into()) },
                Card::Question { id: "q".into(), text: "Pick".into(), buttons: vec![] },
                Card::End { id: "a".into() },
            ],
        };
        let messages: Vec<String> = flow.validate().into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "Card id \"a\" is used twice.",
                "Links to a card \"missing\" that does not exist.",
                "The text is empty.",
                "A question needs at least one button.",
                "No path from the start reaches this card.",
            ]
        );
    }

    #[test]
    fn a_loop_without_input_is_an_error_not_a_hang() {
        let flow = Flow {
            start: "a".into(),
            cards: vec![
                Card::Message { id: "a".into(), text: "x".into(), next: Some("b".into()) },
                Card::Message { id: "b".into(), text: "y".into(), next: Some("a".into()) },
            ],
        };
        assert_eq!(step(&flow, &State::default(), &Event::Start), Err(EngineError::BrokenFlow));
    }
}
