//! The validator: every problem of a flow at once, each with the card it concerns, so an author
//! can fix them all before publishing.

use super::engine::AGENTS_FREE_TODAY;
use super::flow::{Card, Flow};
use super::tokens::{self, Piece};
use crate::ids::{CardId, is_valid_slug};
use crate::targeting::{Condition, Group};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A problem an author must fix before publishing, with the card it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The card concerned, if any.
    pub card: Option<CardId>,
    /// What is wrong, as a sentence.
    pub message: String,
}

/// Shortest and longest bookable meeting, in minutes.
const MEETING_MINUTES: std::ops::RangeInclusive<u32> = 5..=480;
/// Highest goal score.
const MAX_GOAL_SCORE: u8 = 3;

impl Flow {
    /// Every problem in the flow at once, in card order; empty means publishable.
    ///
    /// `known_fields` are the lead fields of the site (`email`, `firstName`, …): captures,
    /// personalisation tokens and branch rules may only name those.
    pub fn validate(&self, known_fields: &[&str]) -> Vec<Diagnostic> {
        let checker = Checker::new(self, known_fields);
        let mut out = Vec::new();
        if self.start.as_str().is_empty() {
            out.push(Diagnostic { card: None, message: "The flow has no start card.".into() });
        } else if self.card(&self.start).is_none() {
            out.push(Diagnostic {
                card: None,
                message: format!("The start card {:?} does not exist.", self.start.as_str()),
            });
        }
        let reachable = self.reachable();
        let mut loops = checker.loops_without_input();
        let mut seen = HashSet::new();
        for (index, card) in self.cards.iter().enumerate() {
            let mut problems = Vec::new();
            if !seen.insert(card.id()) {
                problems.push(format!("Card id {:?} is used twice.", card.id().as_str()));
            } else if !is_valid_slug(card.id().as_str()) {
                problems.push(format!(
                    "Card id {:?} is not valid: use 1 to 64 letters, digits, - and _.",
                    card.id().as_str()
                ));
            }
            checker.links(card, &mut problems);
            checker.content(card, &mut problems);
            if self.card(&self.start).is_some() && !reachable.contains(card.id()) {
                problems.push("No path from the start reaches this card.".into());
            }
            problems.extend(loops.remove(&index));
            out.extend(problems.into_iter().map(|message| Diagnostic { card: Some(card.id().clone()), message }));
        }
        out
    }

    /// Ids of the cards reachable from the start.
    fn reachable(&self) -> HashSet<&CardId> {
        let mut seen = HashSet::new();
        let mut todo = vec![&self.start];
        while let Some(id) = todo.pop() {
            if seen.insert(id)
                && let Some(card) = self.card(id)
            {
                todo.extend(card.links());
            }
        }
        seen
    }
}

/// The flow and the site's lead fields, with the lookups every check needs.
struct Checker<'a> {
    flow: &'a Flow,
    known_fields: HashSet<&'a str>,
    /// Index of the first card with each id.
    index: HashMap<&'a CardId, usize>,
}

impl<'a> Checker<'a> {
    fn new(flow: &'a Flow, known_fields: &[&'a str]) -> Self {
        let mut index = HashMap::new();
        for (i, card) in flow.cards.iter().enumerate() {
            index.entry(card.id()).or_insert(i);
        }
        Checker { flow, known_fields: known_fields.iter().copied().collect(), index }
    }

    /// Links that are missing or lead to no card.
    fn links(&self, card: &Card, problems: &mut Vec<String>) {
        if let Card::Branch { default: None, .. } = card {
            problems.push("A branch needs a default card for when no rule holds.".into());
        }
        for link in card.links() {
            if link.as_str().is_empty() {
                problems.push("A link has no card to lead to.".into());
            } else if !self.index.contains_key(link) {
                problems.push(format!("Links to a card {:?} that does not exist.", link.as_str()));
            }
        }
    }

    /// Texts, fields, tokens, scores and addresses.
    fn content(&self, card: &Card, problems: &mut Vec<String>) {
        match card {
            Card::Message { text, .. } => self.text(text, problems),
            Card::Question { text, buttons, .. } => {
                self.text(text, problems);
                if buttons.is_empty() {
                    problems.push("A question needs at least one button.".into());
                }
                let mut values = HashSet::new();
                for (n, button) in buttons.iter().enumerate().map(|(i, b)| (i + 1, b)) {
                    if button.label.trim().is_empty() {
                        problems.push(format!("Button {n} has no label."));
                    }
                    if button.value.trim().is_empty() {
                        problems.push(format!("Button {n} has no value."));
                    } else if !values.insert(button.value.as_str()) {
                        problems.push(format!("Two buttons store the same value {:?}.", button.value));
                    }
                }
            }
            Card::Capture { text, field, .. } => {
                self.text(text, problems);
                if field.trim().is_empty() {
                    problems.push("A capture needs a lead field to store the answer in.".into());
                } else if !self.known_fields.contains(field.as_str()) {
                    problems.push(format!("Captures into {field:?}, which is not a known lead field."));
                }
            }
            Card::Branch { rules, .. } => {
                for (n, rule) in rules.iter().enumerate().map(|(i, r)| (i + 1, r)) {
                    self.group(n, &rule.when, problems);
                }
            }
            Card::BookMeeting { duration_minutes, .. } => {
                if !MEETING_MINUTES.contains(duration_minutes) {
                    problems.push("Meeting length must be between 5 and 480 minutes.".into());
                }
            }
            Card::Goal { name, score, .. } => {
                if name.trim().is_empty() {
                    problems.push("The goal has no name.".into());
                }
                if *score > MAX_GOAL_SCORE {
                    problems.push(format!("A goal's score must be between 0 and 3, not {score}."));
                }
            }
            Card::Document { title, url, .. } => {
                if title.trim().is_empty() {
                    problems.push("The document has no title.".into());
                } else {
                    self.tokens(title, problems);
                }
                if !is_https_url(url) {
                    problems.push("The document link must be an https:// address.".into());
                }
            }
            Card::End { .. } => {}
        }
    }

    /// A bot text: not blank, and its tokens name known lead fields.
    fn text(&self, text: &str, problems: &mut Vec<String>) {
        if text.trim().is_empty() {
            problems.push("The text is empty.".into());
        } else {
            self.tokens(text, problems);
        }
    }

    fn tokens(&self, text: &str, problems: &mut Vec<String>) {
        for piece in tokens::pieces(text) {
            match piece {
                Piece::Text(_) => {}
                Piece::Token { field, .. } if self.known_fields.contains(field) => {}
                Piece::Token { field, .. } => problems.push(format!(
                    "The token {open}lead.{field}{close} names {field:?}, which is not a known lead field.",
                    open = "{{",
                    close = "}}",
                )),
                Piece::Malformed(written) => problems.push(format!(
                    "{written:?} is not a personalisation token; write {example} or {with_default}.",
                    example = "{{lead.field}}",
                    with_default = "{{lead.field:\"default\"}}",
                )),
            }
        }
    }

    /// The conditions of rule `n` of a branch, nested groups included.
    fn group(&self, n: usize, group: &Group, problems: &mut Vec<String>) {
        for condition in &group.conditions {
            self.condition(n, condition, problems);
        }
        for nested in &group.groups {
            self.group(n, nested, problems);
        }
    }

    fn condition(&self, n: usize, condition: &Condition, problems: &mut Vec<String>) {
        let tested = condition.field();
        if let Some(field) = tested.strip_prefix("lead.") {
            if !self.known_fields.contains(field) {
                problems.push(format!("Rule {n} tests {field:?}, which is not a known lead field."));
            }
        } else if let Some(card) = tested.strip_prefix("answer.") {
            match self.index.get(&CardId::from(card)).and_then(|&i| self.flow.cards.get(i)) {
                None => problems.push(format!("Rule {n} tests the answer to a card {card:?} that does not exist.")),
                Some(c) if !(c.takes_answer() || matches!(c, Card::BookMeeting { .. })) => problems.push(format!(
                    "Rule {n} tests the answer to {card:?}, which is not a question, capture or booking."
                )),
                Some(_) => {}
            }
        } else if tested == AGENTS_FREE_TODAY {
            let yes_or_no = |v: &str| matches!(v, "yes" | "no");
            let fine = match condition {
                Condition::Equals { value, .. } | Condition::NotEquals { value, .. } => yes_or_no(value),
                Condition::InList { values, .. } => values.iter().all(|v| yes_or_no(v)),
                _ => false,
            };
            if !fine {
                problems.push(format!(
                    "Rule {n} tests {AGENTS_FREE_TODAY}, which is yes or no: use equals (or not equals) yes or no."
                ));
            }
        } else {
            problems.push(format!(
                "Rule {n} tests {tested:?}; write lead.<field>, answer.<card id> or {AGENTS_FREE_TODAY}."
            ));
        }
        if let Condition::GreaterThan { value, .. } | Condition::LessThan { value, .. } = condition
            && !value.trim().parse::<f64>().is_ok_and(f64::is_finite)
        {
            problems.push(format!("Rule {n} compares with {value:?}, which is not a number."));
        }
    }

    /// For each first card (by index) of a group of cards that loop without waiting for the
    /// visitor, the diagnostic naming the group. A capture counts as not waiting, because it is
    /// skipped once its field is known, which it is the second time round.
    fn loops_without_input(&self) -> BTreeMap<usize, String> {
        let cards = &self.flow.cards;
        let successors = |i: usize| -> Vec<usize> {
            match cards.get(i) {
                Some(card) if !card.always_waits() => card
                    .links()
                    .into_iter()
                    .filter_map(|l| self.index.get(l).copied())
                    .filter(|&j| cards.get(j).is_some_and(|c| !c.always_waits()))
                    .collect(),
                _ => Vec::new(),
            }
        };
        // Cards reachable from each card through at least one step that needs no input.
        let reach: Vec<HashSet<usize>> = (0..cards.len())
            .map(|i| {
                let mut seen = HashSet::new();
                let mut todo = successors(i);
                while let Some(j) = todo.pop() {
                    if seen.insert(j) {
                        todo.extend(successors(j));
                    }
                }
                seen
            })
            .collect();
        let in_loop = |i: usize| reach.get(i).is_some_and(|r| r.contains(&i));
        let mut reported = HashSet::new();
        let mut out = BTreeMap::new();
        for i in 0..cards.len() {
            if !in_loop(i) || reported.contains(&i) {
                continue;
            }
            let members: Vec<usize> = (0..cards.len())
                .filter(|&j| j == i || (reach[i].contains(&j) && reach.get(j).is_some_and(|r| r.contains(&i))))
                .collect();
            let names: Vec<&str> = members.iter().filter_map(|&j| cards.get(j)).map(|c| c.id().as_str()).collect();
            reported.extend(members);
            out.insert(i, format!("These cards loop without waiting for the visitor: {}.", names.join(", ")));
        }
        out
    }
}

/// Whether `url` is an absolute `https://` address with a host and nothing that could break out
/// of an attribute (spaces, quotes, angle brackets, control characters).
fn is_https_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else { return false };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty()
        && !host.starts_with(['.', ':', '@'])
        && url.chars().all(|c| c.is_ascii_graphic() || (!c.is_ascii() && !c.is_control()))
        && !url.contains(['"', '\'', '<', '>', '`', '\\'])
}
