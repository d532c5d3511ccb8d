//! The dialogue editor's pure decisions: the flow being edited with a stable key per card (so
//! the view keeps each card's inputs while cards move), adding, removing, moving and renaming
//! cards, the diagnostics shown while edits are unsaved, and the labels of the list. Tested
//! natively.

use confab_domain::dialogue::{Button, CaptureKind, Card, Diagnostic, Flow};
use confab_domain::ids::{CardId, is_valid_slug};
use confab_domain::targeting::{Condition, Group};

/// The lead fields every site has; the edge accepts these and those synced from Marketo.
pub const STANDARD_FIELDS: [&str; 8] =
    ["email", "firstName", "lastName", "company", "phone", "title", "country", "industry"];

/// The part of a validator message that says a lead field is unknown. The browser does not know
/// the site's synced fields, so it leaves that check to the edge.
const UNKNOWN_FIELD: &str = "which is not a known lead field";

/// A card's type, as the type picker offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardType {
    /// A bot message.
    Message,
    /// A question with buttons.
    Question,
    /// Asks for an email, a phone number or a text.
    Capture,
    /// Chooses the next card by rules.
    Branch,
    /// Books a meeting.
    BookMeeting,
    /// Records a goal.
    Goal,
    /// Shows a document link.
    Document,
    /// Ends the conversation.
    End,
}

impl CardType {
    /// Every type, in the picker's order.
    pub const ALL: [CardType; 8] = [
        CardType::Message,
        CardType::Question,
        CardType::Capture,
        CardType::Branch,
        CardType::BookMeeting,
        CardType::Goal,
        CardType::Document,
        CardType::End,
    ];

    /// The type of a card.
    pub fn of(card: &Card) -> CardType {
        match card {
            Card::Message { .. } => CardType::Message,
            Card::Question { .. } => CardType::Question,
            Card::Capture { .. } => CardType::Capture,
            Card::Branch { .. } => CardType::Branch,
            Card::BookMeeting { .. } => CardType::BookMeeting,
            Card::Goal { .. } => CardType::Goal,
            Card::Document { .. } => CardType::Document,
            Card::End { .. } => CardType::End,
        }
    }

    /// The stored tag (`book_meeting`), also the prefix of new cards' ids.
    pub fn slug(self) -> &'static str {
        match self {
            CardType::Message => "message",
            CardType::Question => "question",
            CardType::Capture => "capture",
            CardType::Branch => "branch",
            CardType::BookMeeting => "book_meeting",
            CardType::Goal => "goal",
            CardType::Document => "document",
            CardType::End => "end",
        }
    }

    /// The type a slug names.
    pub fn from_slug(slug: &str) -> Option<CardType> {
        CardType::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            CardType::Message => "Message",
            CardType::Question => "Question",
            CardType::Capture => "Capture",
            CardType::Branch => "Branch",
            CardType::BookMeeting => "Book a meeting",
            CardType::Goal => "Goal",
            CardType::Document => "Document",
            CardType::End => "End",
        }
    }

    /// A new card of this type, to be filled in.
    pub fn blank(self, id: CardId) -> Card {
        match self {
            CardType::Message => Card::Message { id, text: String::new(), next: None },
            CardType::Question => Card::Question {
                id,
                text: String::new(),
                buttons: vec![Button { label: String::new(), value: String::new(), next: CardId::from("") }],
            },
            CardType::Capture => {
                Card::Capture { id, text: String::new(), kind: CaptureKind::Email, field: "email".into(), next: None }
            }
            CardType::Branch => Card::Branch { id, rules: Vec::new(), default: None },
            CardType::BookMeeting => Card::BookMeeting { id, duration_minutes: 30, next: None },
            CardType::Goal => Card::Goal { id, name: String::new(), score: 1, next: None },
            CardType::Document => Card::Document { id, title: String::new(), url: "https://".into(), next: None },
            CardType::End => Card::End { id },
        }
    }
}

/// The flow being edited, each card with a key that stays with it while it moves or is renamed.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowDraft {
    /// The flow as it will be saved.
    pub flow: Flow,
    /// One key per card, in the same order.
    keys: Vec<u32>,
    /// The next key to hand out.
    next_key: u32,
}

impl FlowDraft {
    /// A draft of `flow`.
    pub fn new(flow: Flow) -> Self {
        let count = u32::try_from(flow.cards.len()).unwrap_or(u32::MAX);
        FlowDraft { flow, keys: (0..count).collect(), next_key: count }
    }

    /// The cards' keys, in order.
    pub fn keys(&self) -> Vec<u32> {
        self.keys.clone()
    }

    /// Where the card with `key` is.
    pub fn index_of(&self, key: u32) -> Option<usize> {
        self.keys.iter().position(|k| *k == key)
    }

    /// The card with `key`.
    pub fn card(&self, key: u32) -> Option<&Card> {
        self.index_of(key).and_then(|i| self.flow.cards.get(i))
    }

    /// The card with `key`, to change it.
    pub fn card_mut(&mut self, key: u32) -> Option<&mut Card> {
        self.index_of(key).and_then(|i| self.flow.cards.get_mut(i))
    }

    /// Every card id, in order (for the "next" pickers).
    pub fn ids(&self) -> Vec<String> {
        self.flow.cards.iter().map(|c| c.id().as_str().to_owned()).collect()
    }

    /// Adds a card of `kind` at the end with a fresh id; it becomes the start when the flow has
    /// none. Answers its key.
    pub fn add(&mut self, kind: CardType) -> u32 {
        let id = self.fresh_id(kind);
        if self.flow.start.as_str().is_empty() || self.flow.card(&self.flow.start).is_none() {
            self.flow.start = id.clone();
        }
        self.flow.cards.push(kind.blank(id));
        let key = self.next_key;
        self.next_key += 1;
        self.keys.push(key);
        key
    }

    /// `book_meeting-1`, `book_meeting-2`, …: the first not taken.
    fn fresh_id(&self, kind: CardType) -> CardId {
        (1..)
            .map(|n| format!("{}-{n}", kind.slug().replace('_', "-")))
            .find(|id| !self.flow.cards.iter().any(|c| c.id().as_str() == id))
            .map(CardId)
            .unwrap_or_else(|| CardId::from(""))
    }

    /// Removes the card with `key`. Links to it stay, so the validator points at each card that
    /// must be relinked; when it was the start, the first remaining card becomes the start.
    pub fn remove(&mut self, key: u32) {
        let Some(index) = self.index_of(key) else { return };
        let removed = self.flow.cards.remove(index);
        self.keys.remove(index);
        if *removed.id() == self.flow.start {
            self.flow.start = self.flow.cards.first().map(|c| c.id().clone()).unwrap_or_else(|| CardId::from(""));
        }
    }

    /// Moves the card with `key` one place up (`-1`) or down (`1`); answers whether it moved.
    pub fn shift(&mut self, key: u32, by: isize) -> bool {
        let Some(index) = self.index_of(key) else { return false };
        let Some(target) = index.checked_add_signed(by).filter(|t| *t < self.keys.len()) else { return false };
        self.flow.cards.swap(index, target);
        self.keys.swap(index, target);
        true
    }

    /// Makes the card with `key` the start.
    pub fn set_start(&mut self, key: u32) {
        if let Some(id) = self.card(key).map(|c| c.id().clone()) {
            self.flow.start = id;
        }
    }

    /// Renames the card with `key`, and every link, the start and every branch condition on its
    /// answer with it. Refused (with the sentence to show) when the id is not valid or taken.
    pub fn rename(&mut self, key: u32, new: &str) -> Result<(), String> {
        let new = new.trim();
        let Some(old) = self.card(key).map(|c| c.id().clone()) else { return Ok(()) };
        if old.as_str() == new {
            return Ok(());
        }
        if !is_valid_slug(new) {
            return Err("Use 1 to 64 letters, digits, - and _.".into());
        }
        if self.flow.cards.iter().any(|c| c.id().as_str() == new) {
            return Err(format!("Another card is already called {new:?}."));
        }
        let new = CardId::from(new);
        if self.flow.start == old {
            self.flow.start = new.clone();
        }
        for card in &mut self.flow.cards {
            relink(card, &old, &new);
        }
        if let Some(card) = self.card_mut(key) {
            *id_mut(card) = new;
        }
        Ok(())
    }
}

fn id_mut(card: &mut Card) -> &mut CardId {
    match card {
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

/// Points `card`'s links to `old` at `new`, and its branch conditions on `answer.<old>` too.
fn relink(card: &mut Card, old: &CardId, new: &CardId) {
    let swap = |link: &mut CardId| {
        if link == old {
            *link = new.clone();
        }
    };
    match card {
        Card::Message { next, .. }
        | Card::Capture { next, .. }
        | Card::BookMeeting { next, .. }
        | Card::Goal { next, .. }
        | Card::Document { next, .. } => next.iter_mut().for_each(swap),
        Card::Question { buttons, .. } => buttons.iter_mut().for_each(|b| swap(&mut b.next)),
        Card::Branch { rules, default, .. } => {
            default.iter_mut().for_each(swap);
            for rule in rules {
                swap(&mut rule.next);
                rename_answer(&mut rule.when, old.as_str(), new.as_str());
            }
        }
        Card::End { .. } => {}
    }
}

fn rename_answer(group: &mut Group, old: &str, new: &str) {
    let (from, to) = (format!("answer.{old}"), format!("answer.{new}"));
    for condition in &mut group.conditions {
        let field = match condition {
            Condition::Equals { field, .. }
            | Condition::NotEquals { field, .. }
            | Condition::Contains { field, .. }
            | Condition::StartsWith { field, .. }
            | Condition::InList { field, .. }
            | Condition::IsEmpty { field }
            | Condition::IsNotEmpty { field }
            | Condition::GreaterThan { field, .. }
            | Condition::LessThan { field, .. } => field,
        };
        if *field == from {
            field.clone_from(&to);
        }
    }
    for nested in &mut group.groups {
        rename_answer(nested, old, new);
    }
}

/// The diagnostics to show for a flow with unsaved edits: the validator's, run here, except
/// that a lead field counts as unknown only when the edge said so at the last save (the
/// browser does not know the site's synced fields).
pub fn local_diagnostics(flow: &Flow, saved: &[Diagnostic]) -> Vec<Diagnostic> {
    flow.validate(&STANDARD_FIELDS)
        .into_iter()
        .filter(|d| !d.message.contains(UNKNOWN_FIELD) || saved.contains(d))
        .collect()
}

/// The messages about the card `id`.
pub fn messages_for(diagnostics: &[Diagnostic], id: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.card.as_ref().is_some_and(|c| c.as_str() == id))
        .map(|d| d.message.clone())
        .collect()
}

/// The messages about the flow as a whole, and those about cards that no longer exist.
pub fn flow_messages(diagnostics: &[Diagnostic], flow: &Flow) -> Vec<String> {
    diagnostics
        .iter()
        .filter_map(|d| match &d.card {
            None => Some(d.message.clone()),
            Some(id) if flow.card(id).is_none() => Some(format!("{}: {}", id.as_str(), d.message)),
            Some(_) => None,
        })
        .collect()
}

/// The page patterns typed one per line, blank lines dropped.
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// A name as the edge accepts it, or the sentence to show.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err("Give the dialogue a name of 1 to 100 characters.".into());
    }
    Ok(name.to_owned())
}

/// A priority as the edge accepts it (a whole number from -1000 to 1000; blank is 0), or the
/// sentence to show.
pub fn parse_priority(text: &str) -> Result<i32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<i32>()
        .ok()
        .filter(|p| (-1000..=1000).contains(p))
        .ok_or_else(|| "Priority is a whole number from -1000 to 1000.".into())
}

/// A status as people read it.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "published" => "Published",
        "published_with_changes" => "Published, with unpublished changes",
        "unpublished" => "Unpublished",
        _ => "Draft",
    }
}

/// "No problems", "1 problem", "3 problems".
pub fn problems_label(n: usize) -> String {
    match n {
        0 => "No problems".into(),
        1 => "1 problem".into(),
        n => format!("{n} problems"),
    }
}

/// Why publishing is not possible now, or `None` when it is.
pub fn publish_blocked(unsaved: bool, problems: usize, status: &str) -> Option<String> {
    if problems > 0 {
        let what = if problems == 1 { "the problem".to_owned() } else { format!("the {problems} problems") };
        return Some(format!("Fix {what} before publishing."));
    }
    if unsaved {
        return Some("Save the draft before publishing.".into());
    }
    (status == "published").then(|| "This draft is already the published version.".into())
}

/// A file name for an export: the dialogue's name in lowercase letters, digits and dashes.
pub fn export_file_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{}.dialogue.json", if slug.is_empty() { "dialogue" } else { slug })
}

#[cfg(test)]
mod tests {
    use super::*;
    use confab_domain::dialogue::Rule;
    use confab_domain::targeting::Mode;

    fn flow() -> Flow {
        Flow {
            start: "hello".into(),
            cards: vec![
                Card::Message { id: "hello".into(), text: "Hi".into(), next: Some("ask".into()) },
                Card::Question {
                    id: "ask".into(),
                    text: "Why?".into(),
                    buttons: vec![Button { label: "Sales".into(), value: "sales".into(), next: "route".into() }],
                },
                Card::Branch {
                    id: "route".into(),
                    rules: vec![Rule {
                        when: Group {
                            mode: Mode::All,
                            conditions: vec![Condition::Equals { field: "answer.ask".into(), value: "sales".into() }],
                            groups: Vec::new(),
                        },
                        next: "end".into(),
                    }],
                    default: Some("end".into()),
                },
                Card::End { id: "end".into() },
            ],
        }
    }

    fn ids(draft: &FlowDraft) -> Vec<String> {
        draft.ids()
    }

    #[test]
    fn adding_a_card_gives_it_a_fresh_id_and_a_new_key() {
        let mut draft = FlowDraft::new(flow());
        let a = draft.add(CardType::BookMeeting);
        let b = draft.add(CardType::BookMeeting);
        assert_ne!(a, b);
        assert_eq!(ids(&draft)[4..], ["book-meeting-1".to_owned(), "book-meeting-2".to_owned()]);
        assert_eq!(draft.card(b).map(CardType::of), Some(CardType::BookMeeting));
    }

    #[test]
    fn the_first_card_of_an_empty_flow_is_the_start() {
        let mut draft = FlowDraft::new(Flow { start: "".into(), cards: Vec::new() });
        draft.add(CardType::Message);
        assert_eq!(draft.flow.start.as_str(), "message-1");
    }

    #[test]
    fn removing_the_start_makes_the_first_card_the_start_and_leaves_links_for_the_validator() {
        let mut draft = FlowDraft::new(flow());
        draft.remove(0);
        assert_eq!(draft.flow.start.as_str(), "ask");
        draft.remove(3);
        let problems = draft.flow.validate(&STANDARD_FIELDS);
        assert!(problems.iter().any(|d| d.card.as_ref().is_some_and(|c| c.as_str() == "route")));
    }

    #[test]
    fn cards_move_with_their_keys_and_not_past_the_ends() {
        let mut draft = FlowDraft::new(flow());
        assert!(!draft.shift(0, -1));
        assert!(draft.shift(0, 1));
        assert_eq!(draft.keys(), vec![1, 0, 2, 3]);
        assert_eq!(draft.card(0).map(|c| c.id().as_str().to_owned()), Some("hello".into()));
        assert!(!draft.shift(3, 1));
    }

    #[test]
    fn renaming_follows_links_start_and_answer_conditions() {
        let mut draft = FlowDraft::new(flow());
        assert_eq!(draft.rename(1, "reason"), Ok(()));
        assert_eq!(draft.rename(0, "welcome"), Ok(()));
        assert_eq!(draft.flow.start.as_str(), "welcome");
        assert!(draft.flow.validate(&STANDARD_FIELDS).is_empty(), "{:?}", draft.flow.validate(&STANDARD_FIELDS));
        assert!(draft.rename(1, "end").is_err());
        assert!(draft.rename(1, "no spaces").is_err());
    }

    #[test]
    fn unknown_fields_are_left_to_the_edge_unless_it_reported_them() {
        let mut f = flow();
        f.cards[0] = Card::Message { id: "hello".into(), text: "Hi {{lead.plan}}".into(), next: Some("ask".into()) };
        assert!(local_diagnostics(&f, &[]).is_empty());
        let saved = f.validate(&STANDARD_FIELDS);
        assert_eq!(local_diagnostics(&f, &saved), saved);
    }

    #[test]
    fn diagnostics_are_split_by_card_and_flow() {
        let f = flow();
        let diagnostics = vec![
            Diagnostic { card: None, message: "No start.".into() },
            Diagnostic { card: Some("ask".into()), message: "Button 1 has no label.".into() },
            Diagnostic { card: Some("gone".into()), message: "Old.".into() },
        ];
        assert_eq!(messages_for(&diagnostics, "ask"), vec!["Button 1 has no label.".to_owned()]);
        assert_eq!(flow_messages(&diagnostics, &f), vec!["No start.".to_owned(), "gone: Old.".to_owned()]);
    }

    #[test]
    fn fields_are_checked_as_the_edge_does() {
        assert_eq!(parse_priority(""), Ok(0));
        assert_eq!(parse_priority(" -20 "), Ok(-20));
        assert!(parse_priority("1001").is_err());
        assert!(parse_priority("1.5").is_err());
        assert!(check_name("  ").is_err());
        assert_eq!(check_name(" Welcome "), Ok("Welcome".into()));
        assert_eq!(lines("/pricing*\n\n  /blog/* \n"), vec!["/pricing*".to_owned(), "/blog/*".to_owned()]);
    }

    #[test]
    fn publishing_says_why_it_is_blocked() {
        assert_eq!(publish_blocked(false, 0, "draft"), None);
        assert_eq!(publish_blocked(true, 2, "draft").as_deref(), Some("Fix the 2 problems before publishing."));
        assert_eq!(publish_blocked(true, 0, "draft").as_deref(), Some("Save the draft before publishing."));
        assert!(publish_blocked(false, 0, "published").is_some());
        assert_eq!(publish_blocked(false, 0, "published_with_changes"), None);
    }

    #[test]
    fn labels() {
        assert_eq!(problems_label(1), "1 problem");
        assert_eq!(problems_label(3), "3 problems");
        assert_eq!(status_label("published_with_changes"), "Published, with unpublished changes");
        assert_eq!(export_file_name("Pricing page – EU!"), "pricing-page-eu.dialogue.json");
        assert_eq!(export_file_name("!!"), "dialogue.dialogue.json");
        assert_eq!(CardType::from_slug("book_meeting"), Some(CardType::BookMeeting));
    }
}
