//! `Editor`: the state the availability editor's parts share (the draft, the problems found,
//! the status line) and the element ids that tie each field to its error.

use super::draft::{Draft, Errors, Field};
use leptos::prelude::*;

/// One agent's availability editor, shared by its parts. Every handle is a signal, so it is
/// `Copy` and a part outliving the editor finds them disposed.
#[derive(Clone, Copy)]
pub struct Editor {
    /// What the admin is typing.
    pub draft: RwSignal<Draft>,
    /// Problems found by the last save, each next to its field.
    pub errors: RwSignal<Errors>,
    /// The last save's outcome or an edit's confirmation ("Monday copied…").
    pub status: RwSignal<String>,
    /// Element ids of this editor start with this (one per agent).
    prefix: StoredValue<String>,
}

impl Editor {
    /// An editor over `draft` whose element ids start with `prefix`.
    pub fn new(draft: Draft, prefix: String) -> Self {
        Editor {
            draft: RwSignal::new(draft),
            errors: RwSignal::new(Errors::new()),
            status: RwSignal::new(String::new()),
            prefix: StoredValue::new(prefix),
        }
    }

    /// An element id of this editor: `<prefix>-<name>`.
    pub fn id(&self, name: &str) -> String {
        self.prefix.with_value(|p| format!("{p}-{name}"))
    }

    /// The id of the element that takes focus for `field`'s problem.
    pub fn field_id(&self, field: Field) -> String {
        match field {
            Field::TimeZone => self.id("tz"),
            Field::Day(day) => self.id(&format!("day-{day}")),
            Field::Override(key) => self.id(&format!("date-{key}")),
            Field::Lengths => self.id("any-length"),
            Field::BufferBefore => self.id("buffer-before"),
            Field::BufferAfter => self.id("buffer-after"),
            Field::MinNotice => self.id("notice"),
            Field::Horizon => self.id("horizon"),
            Field::DailyCap => self.id("cap"),
            Field::Weight => self.id("weight"),
            Field::Form => self.id("save"),
        }
    }

    /// The id of the text explaining `field`'s problem.
    pub fn error_id(&self, field: Field) -> String {
        format!("{}-error", self.field_id(field))
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
    pub fn edit(&self, field: Field, change: impl FnOnce(&mut Draft)) {
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
}

pub use crate::team::browser::focus_soon;
