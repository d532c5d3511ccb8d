//! `EditorState`: the signals every part of the dialogue editor shares: the flow being edited,
//! an edit counter (unsaved while it differs from the saved one), the diagnostics to show and
//! the JSON text areas that do not parse.

use super::draft::{FlowDraft, local_diagnostics};
use confab_domain::dialogue::{Card, Diagnostic};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The editor's shared signals. Copy, so components take it by value.
#[derive(Clone, Copy)]
pub struct EditorState {
    /// The flow being edited.
    pub draft: RwSignal<FlowDraft>,
    /// Bumped by every edit (name, priority, audience or flow).
    pub edits: RwSignal<u32>,
    /// The edit count when the draft was last saved or read.
    pub saved_edits: RwSignal<u32>,
    /// The edge's diagnostics at the last save or read.
    pub saved_diagnostics: RwSignal<Vec<Diagnostic>>,
    /// What to show: the edge's diagnostics while nothing is unsaved, the browser's check of
    /// the draft otherwise.
    pub diagnostics: Memo<Vec<Diagnostic>>,
    /// JSON text areas that do not parse, by their id, with the sentence to show. Saving is
    /// held back while any remain, so a half-typed rule is never lost silently.
    pub json_problems: RwSignal<BTreeMap<String, String>>,
}

impl EditorState {
    /// The state of a freshly read draft.
    pub fn new(draft: FlowDraft, diagnostics: Vec<Diagnostic>) -> Self {
        let draft = RwSignal::new(draft);
        let edits = RwSignal::new(0);
        let saved_edits = RwSignal::new(0);
        let saved_diagnostics = RwSignal::new(diagnostics);
        let diagnostics = Memo::new(move |_| {
            if edits.get() == saved_edits.get() {
                saved_diagnostics.get()
            } else {
                saved_diagnostics.with(|saved| draft.with(|d| local_diagnostics(&d.flow, saved)))
            }
        });
        EditorState {
            draft,
            edits,
            saved_edits,
            saved_diagnostics,
            diagnostics,
            json_problems: RwSignal::new(BTreeMap::new()),
        }
    }

    /// Whether there are edits not yet saved.
    pub fn unsaved(self) -> bool {
        self.edits.get() != self.saved_edits.get()
    }

    /// Counts an edit made elsewhere (name, priority, audience).
    pub fn touch(self) {
        self.edits.update(|n| *n = n.wrapping_add(1));
    }

    /// Changes the flow.
    pub fn edit(self, change: impl FnOnce(&mut FlowDraft)) {
        self.draft.update(change);
        self.touch();
    }

    /// Changes the card with `key`.
    pub fn edit_card(self, key: u32, change: impl FnOnce(&mut Card)) {
        self.edit(|d| {
            if let Some(card) = d.card_mut(key) {
                change(card);
            }
        });
    }

    /// Records whether the JSON text area `id` parses.
    pub fn json_problem(self, id: &str, problem: Option<String>) {
        self.json_problems.update(|p| match problem {
            Some(why) => {
                p.insert(id.to_owned(), why);
            }
            None => {
                p.remove(id);
            }
        });
    }
}
