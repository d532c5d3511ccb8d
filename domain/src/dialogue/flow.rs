//! The flow model: cards as stored (JSON tagged by `type`), links between them, and lookups.

use super::capture::CaptureKind;
use crate::ids::CardId;
use crate::targeting::Group;
use serde::{Deserialize, Serialize};

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

/// One rule of a branch: when `when` holds, the conversation continues at `next`.
///
/// Condition fields name what they test: `lead.<field>` for a lead attribute (as known from the
/// context or captured earlier in the conversation) and `answer.<card id>` for the latest
/// answer given on that card (a button's value, a captured text, or `booked`). Conditions are
/// those of audiences ([`crate::targeting::Condition`]) and are evaluated by targeting itself,
/// so a branch and an audience never disagree about what `equals` or `is_empty` means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The conditions, combined all / any.
    pub when: Group,
    /// The card to continue at when they hold.
    pub next: CardId,
}

/// One step of a flow. Stored as JSON tagged by `type` (`message`, `question`, …).
///
/// A card whose `next` is absent ends the conversation after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Card {
    /// A bot message. Its text may hold personalisation tokens such as
    /// `{{lead.firstName:"there"}}`.
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
        /// The question; may hold personalisation tokens.
        text: String,
        /// The choices, at least one.
        buttons: Vec<Button>,
    },
    /// Asks the visitor for an email address, a phone number or a free text and stores it in a
    /// lead field. Skipped when that field is already known.
    Capture {
        /// Card id.
        id: CardId,
        /// The prompt; may hold personalisation tokens.
        text: String,
        /// What is asked for, which decides how the answer is validated.
        kind: CaptureKind,
        /// The lead field the answer is stored in.
        field: String,
        /// The following card.
        next: Option<CardId>,
    },
    /// Chooses the next card from the first rule that holds, or `default` when none does.
    /// Invisible to the visitor.
    Branch {
        /// Card id.
        id: CardId,
        /// The rules, tried in order.
        rules: Vec<Rule>,
        /// The card when no rule holds; required (the validator reports its absence).
        #[serde(default)]
        default: Option<CardId>,
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
    /// Records that the visitor reached a goal, with a score from 0 to 3. Invisible to the visitor.
    Goal {
        /// Card id.
        id: CardId,
        /// The goal's name, as reported to analytics and Marketo.
        name: String,
        /// How much reaching the goal is worth, 0 to 3.
        score: u8,
        /// The following card.
        next: Option<CardId>,
    },
    /// Shows a link to a document.
    Document {
        /// Card id.
        id: CardId,
        /// The link's text; may hold personalisation tokens.
        title: String,
        /// The document's address; `https://` only.
        url: String,
        /// The following card.
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
            Card::Message { id, .. }
            | Card::Question { id, .. }
            | Card::Capture { id, .. }
            | Card::Branch { id, .. }
            | Card::BookMeeting { id, .. }
            | Card::Goal { id, .. }
            | Card::Document { id, .. }
            | Card::End { id } => id,
        }
    }

    /// Every card this one can lead to, in the order the author wrote them.
    pub fn links(&self) -> Vec<&CardId> {
        match self {
            Card::Message { next, .. }
            | Card::Capture { next, .. }
            | Card::BookMeeting { next, .. }
            | Card::Goal { next, .. }
            | Card::Document { next, .. } => next.iter().collect(),
            Card::Question { buttons, .. } => buttons.iter().map(|b| &b.next).collect(),
            Card::Branch { rules, default, .. } => rules.iter().map(|r| &r.next).chain(default).collect(),
            Card::End { .. } => Vec::new(),
        }
    }

    /// Whether the conversation always stops at this card until the visitor acts (a question or
    /// a booking). A capture does not count: it is skipped when its field is already known.
    pub fn always_waits(&self) -> bool {
        matches!(self, Card::Question { .. } | Card::BookMeeting { .. })
    }

    /// Whether the visitor answers on this card, so that `Back` can return to it.
    pub fn takes_answer(&self) -> bool {
        matches!(self, Card::Question { .. } | Card::Capture { .. })
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

impl Flow {
    /// The card with this id (the first one, should two share it).
    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|c| c.id() == id)
    }

    /// Whether a branch tests [`super::AGENTS_FREE_TODAY`], so the edge must look at the
    /// agents' free time before the conversation starts.
    pub fn tests_agents_free_today(&self) -> bool {
        fn tests(group: &Group) -> bool {
            group.conditions.iter().any(|c| c.field() == super::AGENTS_FREE_TODAY) || group.groups.iter().any(tests)
        }
        self.cards.iter().any(|card| match card {
            Card::Branch { rules, .. } => rules.iter().any(|r| tests(&r.when)),
            _ => false,
        })
    }
}
