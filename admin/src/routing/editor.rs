//! `Editor`: the state the rules editor's parts share (the draft, the problems found, the
//! status line, which rules are open, the site's agents) and the element ids that tie each
//! field to its problem.

use super::draft::{ConfigDraft, Errors, Field};
use confab_domain::api::AgentRef;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The routing rules editor, shared by its parts. Every handle is a signal, so it is `Copy`
/// and a part outliving the editor finds them disposed.
#[derive(Clone, Copy)]
pub struct Editor {
    /// What the admin is editing.
    pub draft: RwSignal<ConfigDraft>,
    /// Problems found by the last save, each next to its field.
    pub errors: RwSignal<Errors>,
    /// The last save's outcome or an edit's confirmation ("Rule deleted…").
    pub status: RwSignal<String>,
    /// The rules whose form is open, by key.
    pub open: RwSignal<BTreeSet<u32>>,
    /// The site's agents, in routing order.
    pub agents: Signal<Vec<AgentRef>>,
}

impl Editor {
    /// An editor over `draft` for a site with `agents`.
    pub fn new(draft: ConfigDraft, agents: Signal<Vec<AgentRef>>) -> Self {
        Editor {
            draft: RwSignal::new(draft),
            errors: RwSignal::new(Errors::new()),
            status: RwSignal::new(String::new()),
            open: RwSignal::new(BTreeSet::new()),
            agents,
        }
    }

    /// The id of the element that takes focus for `field`'s problem.
    pub fn field_id(field: Field) -> String {
        match field {
            Field::RuleName(r) => format!("rule-{r}-name"),
            Field::Tested(r, c) => format!("rule-{r}-condition-{c}-field"),
            Field::Compared(r, c) => format!("rule-{r}-condition-{c}-value"),
            Field::RuleAgents(r) => format!("rule-{r}-agents"),
            Field::DefaultAgents => "routing-default-agents".into(),
            Field::FallbackMessage => "routing-fallback-message".into(),
            Field::Form => "routing-save".into(),
        }
    }

    /// The id of the text explaining `field`'s problem.
    pub fn error_id(field: Field) -> String {
        format!("{}-error", Editor::field_id(field))
    }

    /// `field`'s problem, if any (tracked).
    pub fn error(&self, field: Field) -> Option<String> {
        self.errors.with(|e| e.get(&field).cloned())
    }

    /// `"true"` while `field` has a problem, for `aria-invalid` (tracked).
    pub fn invalid(&self, field: Field) -> Option<&'static str> {
        self.errors.with(|e| e.contains_key(&field)).then_some("true")
    }

    /// Changes the draft; the problem shown for `field` and the status line go, since they
    /// were about what is no longer there.
    pub fn edit(&self, field: Field, change: impl FnOnce(&mut ConfigDraft)) {
        self.draft.update(change);
        if self.errors.with_untracked(|e| e.contains_key(&field)) {
            self.errors.update(|e| {
                e.remove(&field);
            });
        }
        if self.status.with_untracked(|s| !s.is_empty()) {
            self.status.set(String::new());
        }
    }

    /// Whether the form of rule `key` is open (tracked).
    pub fn is_open(&self, key: u32) -> bool {
        self.open.with(|o| o.contains(&key))
    }

    /// Opens or closes the form of rule `key`.
    pub fn set_open(&self, key: u32, open: bool) {
        self.open.update(|o| {
            if open {
                o.insert(key);
            } else {
                o.remove(&key);
            }
        });
    }
}

pub use crate::team::browser::focus_soon;
