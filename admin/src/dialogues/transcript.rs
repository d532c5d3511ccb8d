//! The preview's pure part: a conversation walked with the real engine (`dialogue::step`), as
//! the lines of a transcript and what the visitor is asked for now. The preview visitor is
//! anonymous (no lead attributes), so captures are asked and tokens show their defaults.

use confab_domain::dialogue::{CaptureKind, Choice, Context, Effect, Event, Flow, State, step};

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// What the bot says.
    Bot(String),
    /// What the visitor did.
    Visitor(String),
    /// Something invisible to the visitor (a goal, a stored field, the end).
    Note(String),
    /// A document link.
    Link {
        /// The link's text.
        title: String,
        /// The address.
        url: String,
    },
    /// A refused answer or a broken flow.
    Problem(String),
}

/// What the visitor is asked for now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Prompt {
    /// Nothing: not started, or ended.
    #[default]
    Nothing,
    /// One of these buttons.
    Choices(Vec<Choice>),
    /// A typed answer of this kind.
    Input(CaptureKind),
    /// A meeting of this many minutes.
    Slots(u32),
}

/// A conversation in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    /// The engine's state.
    pub state: State,
    /// The transcript so far.
    pub lines: Vec<Line>,
    /// What the visitor is asked for now.
    pub prompt: Prompt,
}

impl Walk {
    /// A conversation started on `flow`.
    pub fn start(flow: &Flow) -> Walk {
        let mut walk = Walk::default();
        walk.apply(flow, &Event::Start { version: 0 });
        walk
    }

    /// Applies what the visitor did; a refused event leaves the state as it was and says why.
    pub fn apply(&mut self, flow: &Flow, event: &Event) {
        let visitor = match event {
            Event::Choose(value) => match &self.prompt {
                Prompt::Choices(choices) => {
                    Some(choices.iter().find(|c| &c.value == value).map_or(value.clone(), |c| c.label.clone()))
                }
                _ => Some(value.clone()),
            },
            Event::Answer(text) => Some(text.clone()),
            Event::Booked => Some("Booked a meeting (simulated).".to_owned()),
            Event::Back => Some("Went back.".to_owned()),
            Event::Start { .. } | Event::Restart => None,
        };
        match step(flow, &self.state, event, &Context::default()) {
            Ok((state, effects)) => {
                if matches!(event, Event::Start { .. } | Event::Restart) {
                    self.lines.clear();
                }
                self.lines.extend(visitor.map(Line::Visitor));
                self.state = state;
                self.prompt = Prompt::Nothing;
                for effect in effects {
                    self.show(effect);
                }
            }
            Err(why) => self.lines.push(Line::Problem(format!("The engine refused this: {why}."))),
        }
    }

    fn show(&mut self, effect: Effect) {
        match effect {
            Effect::Say(text) => self.lines.push(Line::Bot(text)),
            Effect::Ask { text, choices } => {
                self.lines.push(Line::Bot(text));
                self.prompt = Prompt::Choices(choices);
            }
            Effect::Capture { text, kind, .. } => {
                self.lines.push(Line::Bot(text));
                self.prompt = Prompt::Input(kind);
            }
            Effect::Invalid(why) => self.lines.push(Line::Problem(why)),
            Effect::OfferSlots(minutes) => {
                self.lines.push(Line::Bot(format!("Offers {minutes}-minute meeting slots.")));
                self.prompt = Prompt::Slots(minutes);
            }
            Effect::ShowDocument { title, url } => self.lines.push(Line::Link { title, url }),
            Effect::ReachGoal { name, score } => {
                self.lines.push(Line::Note(format!("Goal reached: {name} (score {score}).")))
            }
            Effect::SetField { field, .. } => self.lines.push(Line::Note(format!("The answer is stored in {field}."))),
            Effect::End => self.lines.push(Line::Note("The conversation ended.".into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_domain::dialogue::{Button, Card};

    fn flow() -> Flow {
        Flow {
            start: "hello".into(),
            cards: vec![
                Card::Message {
                    id: "hello".into(),
                    text: "Hi {{lead.firstName:\"there\"}}!".into(),
                    next: Some("ask".into()),
                },
                Card::Question {
                    id: "ask".into(),
                    text: "Email?".into(),
                    buttons: vec![Button { label: "Sure".into(), value: "yes".into(), next: "mail".into() }],
                },
                Card::Capture {
                    id: "mail".into(),
                    text: "Your email?".into(),
                    kind: CaptureKind::Email,
                    field: "email".into(),
                    next: Some("goal".into()),
                },
                Card::Goal { id: "goal".into(), name: "Lead".into(), score: 2, next: None },
            ],
        }
    }

    #[test]
    fn a_conversation_is_walked_with_the_engine() {
        let flow = flow();
        let mut walk = Walk::start(&flow);
        assert_eq!(walk.lines, vec![Line::Bot("Hi there!".into()), Line::Bot("Email?".into())]);
        walk.apply(&flow, &Event::Choose("yes".into()));
        assert_eq!(walk.prompt, Prompt::Input(CaptureKind::Email));
        walk.apply(&flow, &Event::Answer("nope".into()));
        assert!(matches!(walk.lines.iter().rev().nth(1), Some(Line::Problem(_))));
        walk.apply(&flow, &Event::Answer("ada@example.com".into()));
        assert_eq!(walk.prompt, Prompt::Nothing);
        assert_eq!(walk.lines.last(), Some(&Line::Note("The conversation ended.".into())));
        assert!(walk.lines.contains(&Line::Visitor("Sure".into())));
        walk.apply(&flow, &Event::Restart);
        assert_eq!(walk.lines.len(), 2);
    }

    #[test]
    fn a_broken_flow_says_so() {
        let flow = Flow { start: "nowhere".into(), cards: Vec::new() };
        let walk = Walk::start(&flow);
        assert!(matches!(walk.lines.as_slice(), [Line::Problem(_)]));
    }
}
