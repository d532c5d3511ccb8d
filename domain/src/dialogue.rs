//! Dialogues: a flow of cards, the validator and the pure engine that walks a visitor through it.
//!
//! A [`Flow`] is data, stored as JSON with each published version of a dialogue. Its cards are
//! those of Adobe Dynamic Chat: message (with personalisation tokens such as
//! `{{lead.firstName:"there"}}`), question with buttons, capture (email, phone, text) into a lead
//! field, branch on lead attributes or earlier answers, book a meeting, goal, document link and
//! end. [`Flow::validate`] returns every problem at once. The engine, [`step`], is a transition
//! `(flow, state, event, context) → (state, effects)`: effects are data the widget and the edge
//! interpret, and the [`State`] is serialisable so a conversation resumes after the visitor
//! navigates, on the version it started with.

mod capture;
mod engine;
mod flow;
mod tokens;
mod validate;

#[cfg(test)]
mod tests;

pub use capture::{AnswerError, CaptureKind};
pub use engine::{
    AGENTS_FREE_TODAY, Answer, BOOKED, Choice, Context, Effect, EngineError, Event, State, opening, step,
};
pub use flow::{Button, Card, Flow, Rule};
pub use validate::Diagnostic;
