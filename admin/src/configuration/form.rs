//! `Form`: the Configuration tab's editing state, shared by its parts: the draft, which fields
//! were edited, whether a save was attempted, and each field's problem. A field shows its
//! problem once it was edited (and left) or a save was attempted, so nobody is scolded for a
//! form they have not touched. Problems the edge found that the form's own checks did not
//! (its `error.fields`) are shown the same way, next to their field, until that field is
//! edited again.

use super::draft::{Draft, NumberField, problems};
use confab_domain::api::Branding;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// One of the four branding colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// The accent colour.
    Primary,
    /// Text on the accent colour.
    OnPrimary,
    /// The panel's background.
    Background,
    /// Text on the background.
    Text,
}

impl Color {
    /// The field's name in `Branding`.
    pub fn field(self) -> &'static str {
        match self {
            Color::Primary => "primary_color",
            Color::OnPrimary => "on_primary_color",
            Color::Background => "background_color",
            Color::Text => "text_color",
        }
    }

    /// The problem key, `branding.<field>`.
    pub fn key(self) -> String {
        format!("branding.{}", self.field())
    }

    /// The colour in `branding`.
    pub fn get(self, branding: &Branding) -> &str {
        match self {
            Color::Primary => &branding.primary_color,
            Color::OnPrimary => &branding.on_primary_color,
            Color::Background => &branding.background_color,
            Color::Text => &branding.text_color,
        }
    }

    /// Sets the colour in `branding`.
    pub fn set(self, branding: &mut Branding, value: String) {
        match self {
            Color::Primary => branding.primary_color = value,
            Color::OnPrimary => branding.on_primary_color = value,
            Color::Background => branding.background_color = value,
            Color::Text => branding.text_color = value,
        }
    }

    /// The default, shown while the field holds something that is not a colour.
    pub fn fallback(self) -> String {
        self.get(&Branding::default()).to_owned()
    }
}

/// The editing state of the Configuration tab. Copy: every part is a signal.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    /// What is being edited.
    pub draft: RwSignal<Draft>,
    /// Number inputs that do not hold a whole number in range.
    pub unparsed: RwSignal<Vec<NumberField>>,
    /// Problem keys of the fields edited since the last load or save.
    pub touched: RwSignal<BTreeSet<String>>,
    /// Whether a save was attempted with problems left.
    pub attempted: RwSignal<bool>,
    /// The edge's problems from the last refused save, keyed by field; a field's entry goes
    /// when the field is edited.
    pub server: RwSignal<BTreeMap<String, String>>,
    /// Every problem of the draft, keyed as the edge keys them: the form's own, then the
    /// edge's for fields the form found nothing wrong with.
    pub problems: Memo<BTreeMap<String, String>>,
}

impl Form {
    /// A form editing `draft`.
    pub fn new(draft: Draft) -> Form {
        let draft = RwSignal::new(draft);
        let unparsed = RwSignal::new(Vec::new());
        let server = RwSignal::new(BTreeMap::new());
        let problems = Memo::new(move |_| {
            let mut all = draft.with(|d| unparsed.with(|u| problems(d, u)));
            server.with(|s| merge_server(&mut all, s));
            all
        });
        Form {
            draft,
            unparsed,
            touched: RwSignal::new(BTreeSet::new()),
            attempted: RwSignal::new(false),
            server,
            problems,
        }
    }

    /// Starts over from `draft` (after a load, a save or a discard).
    pub fn reset(self, draft: Draft) {
        self.draft.set(draft);
        self.unparsed.set(Vec::new());
        self.touched.set(BTreeSet::new());
        self.attempted.set(false);
        self.server.set(BTreeMap::new());
    }

    /// Shows the edge's refusal of a save: each of its `fields` next to its input.
    pub fn refused(self, fields: BTreeMap<String, String>) {
        self.server.set(fields);
        self.attempted.set(true);
    }

    /// The problem to show for `key` now: empty until the field was edited or a save was
    /// attempted.
    pub fn error(self, key: impl Into<String>) -> Signal<String> {
        let key = key.into();
        Signal::derive(move || {
            let shown = self.attempted.get() || self.touched.with(|t| t.contains(&key));
            if !shown {
                return String::new();
            }
            self.problems.with(|p| p.get(&key).cloned().unwrap_or_default())
        })
    }

    /// Marks `key` as edited, so its problem shows.
    pub fn touch(self, key: impl Into<String>) {
        let key = key.into();
        if self.server.with_untracked(|s| s.contains_key(&key)) {
            self.server.update(|s| {
                s.remove(&key);
            });
        }
        if !self.touched.with_untracked(|t| t.contains(&key)) {
            self.touched.update(|t| {
                t.insert(key);
            });
        }
    }

    /// Changes the branding.
    pub fn brand(self, change: impl FnOnce(&mut Branding)) {
        self.draft.update(|d| change(&mut d.branding));
    }

    /// Reads the branding.
    pub fn branding<T>(self, read: impl FnOnce(&Branding) -> T) -> T {
        self.draft.with(|d| read(&d.branding))
    }

    /// Records whether a number input holds a usable number.
    pub fn set_unparsed(self, field: NumberField, unparsed: bool) {
        let listed = self.unparsed.with_untracked(|u| u.contains(&field));
        if unparsed != listed {
            self.unparsed.update(|u| {
                u.retain(|f| *f != field);
                if unparsed {
                    u.push(field);
                }
            });
        }
    }
}

/// Adds the edge's problems to the form's own; where both name a field, the form's sentence
/// stays (it describes the value as it is now).
pub fn merge_server(all: &mut BTreeMap<String, String>, server: &BTreeMap<String, String>) {
    for (key, message) in server {
        all.entry(key.clone()).or_insert_with(|| message.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::merge_server;
    use std::collections::BTreeMap;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn the_edges_problems_join_the_forms_own_without_replacing_them() {
        let mut all = map(&[("name", "Give the site a name.")]);
        let server = map(&[("name", "Edge wording."), ("allowed_origins", "\"ftp://x\" is not an origin.")]);
        merge_server(&mut all, &server);
        assert_eq!(
            all,
            map(&[("name", "Give the site a name."), ("allowed_origins", "\"ftp://x\" is not an origin.")])
        );
    }
}
