//! The trigger builder's pure decisions: a trigger as a row (what fires it, and its number or
//! selector), read back into the domain's [`Trigger`]; a number that is not one holds saving
//! back, a value out of range is the draft's problem (saved, not publishable), as before.
//! Tested natively.

use crate::conditions::fresh_key;
use confab_domain::targeting::trigger::Trigger;

/// What fires a trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The page loads.
    Load,
    /// Seconds on the page.
    Time,
    /// Seconds on the site.
    Site,
    /// Percent scrolled.
    Scroll,
    /// The pointer leaves through the top.
    Exit,
    /// Seconds without input.
    Idle,
    /// An element scrolls into view.
    Visible,
    /// A single-page app changes route.
    Route,
}

/// What a kind takes besides itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    /// Nothing.
    Nothing,
    /// A whole number of this unit.
    Number(&'static str),
    /// A CSS selector.
    Selector,
}

impl Kind {
    /// Every kind, in the order offered.
    pub const ALL: [Kind; 8] =
        [Kind::Time, Kind::Scroll, Kind::Exit, Kind::Idle, Kind::Visible, Kind::Site, Kind::Load, Kind::Route];

    /// The `<option>` value (the loader's name for it).
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Load => "load",
            Kind::Time => "time",
            Kind::Site => "site",
            Kind::Scroll => "scroll",
            Kind::Exit => "exit",
            Kind::Idle => "idle",
            Kind::Visible => "visible",
            Kind::Route => "route",
        }
    }

    /// What the admin reads.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Load => "As soon as the page loads",
            Kind::Time => "After time on the page",
            Kind::Site => "After time on the site",
            Kind::Scroll => "After scrolling down",
            Kind::Exit => "When the visitor is about to leave",
            Kind::Idle => "After a pause without input",
            Kind::Visible => "When an element comes into view",
            Kind::Route => "When a single-page app changes page",
        }
    }

    /// The kind an `<option>` value names; time on page for anything else.
    pub fn from_slug(slug: &str) -> Kind {
        Kind::ALL.into_iter().find(|k| k.slug() == slug).unwrap_or(Kind::Time)
    }

    /// What it takes.
    pub fn takes(self) -> Takes {
        match self {
            Kind::Time | Kind::Site | Kind::Idle => Takes::Number("seconds"),
            Kind::Scroll => Takes::Number("percent"),
            Kind::Visible => Takes::Selector,
            Kind::Load | Kind::Exit | Kind::Route => Takes::Nothing,
        }
    }
}

/// One trigger being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerRow {
    /// Identifies the row on this page.
    pub key: u32,
    /// What fires it.
    pub kind: Kind,
    /// Its number or selector, as typed.
    pub value: String,
}

impl TriggerRow {
    /// A new row: ten seconds on the page.
    pub fn new() -> TriggerRow {
        TriggerRow { key: fresh_key(), kind: Kind::Time, value: "10".to_owned() }
    }

    /// The row of a stored trigger.
    pub fn of(trigger: &Trigger) -> TriggerRow {
        let (kind, value) = match trigger {
            Trigger::Load => (Kind::Load, String::new()),
            Trigger::TimeOnPage { seconds } => (Kind::Time, seconds.to_string()),
            Trigger::TimeOnSite { seconds } => (Kind::Site, seconds.to_string()),
            Trigger::Scroll { percent } => (Kind::Scroll, percent.to_string()),
            Trigger::ExitIntent => (Kind::Exit, String::new()),
            Trigger::Inactivity { seconds } => (Kind::Idle, seconds.to_string()),
            Trigger::ElementVisible { selector } => (Kind::Visible, selector.clone()),
            Trigger::RouteChange => (Kind::Route, String::new()),
        };
        TriggerRow { key: fresh_key(), kind, value }
    }

    /// The trigger, or why it cannot be one yet (which holds saving back).
    pub fn trigger(&self) -> Result<Trigger, String> {
        let value = self.value.trim();
        let number =
            |unit: &str| value.parse::<u32>().map_err(|_| format!("Enter a whole number of {unit}, such as 10."));
        Ok(match self.kind {
            Kind::Load => Trigger::Load,
            Kind::Exit => Trigger::ExitIntent,
            Kind::Route => Trigger::RouteChange,
            Kind::Time => Trigger::TimeOnPage { seconds: number("seconds")? },
            Kind::Site => Trigger::TimeOnSite { seconds: number("seconds")? },
            Kind::Idle => Trigger::Inactivity { seconds: number("seconds")? },
            Kind::Scroll => Trigger::Scroll { percent: number("percent")? },
            Kind::Visible if value.is_empty() => return Err("Enter a CSS selector, such as #pricing.".to_owned()),
            Kind::Visible => Trigger::ElementVisible { selector: value.to_owned() },
        })
    }

    /// What to show under the row: why it is no trigger yet, or what is out of range.
    pub fn problem(&self) -> Option<String> {
        match self.trigger() {
            Ok(trigger) => trigger.problem(),
            Err(why) => Some(why),
        }
    }
}

/// The triggers of the rows, or the first row's reason it is none yet.
pub fn triggers(rows: &[TriggerRow]) -> Result<Vec<Trigger>, String> {
    rows.iter().enumerate().map(|(i, r)| r.trigger().map_err(|why| format!("Trigger {}: {why}", i + 1))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: Kind, value: &str) -> TriggerRow {
        TriggerRow { key: 0, kind, value: value.to_owned() }
    }

    #[test]
    fn rows_become_the_stored_triggers_and_back() {
        let stored = vec![
            Trigger::TimeOnPage { seconds: 10 },
            Trigger::Scroll { percent: 50 },
            Trigger::ExitIntent,
            Trigger::ElementVisible { selector: "#plans".into() },
        ];
        let rows: Vec<TriggerRow> = stored.iter().map(TriggerRow::of).collect();
        assert_eq!(triggers(&rows), Ok(stored));
    }

    #[test]
    fn a_number_that_is_not_one_holds_saving_back_and_a_range_problem_does_not() {
        assert_eq!(
            triggers(&[row(Kind::Time, "1"), row(Kind::Scroll, "half")]),
            Err("Trigger 2: Enter a whole number of percent, such as 10.".to_owned())
        );
        let out_of_range = row(Kind::Scroll, "150");
        assert_eq!(out_of_range.trigger(), Ok(Trigger::Scroll { percent: 150 }));
        assert_eq!(out_of_range.problem().as_deref(), Some("Scroll depth must be 1 to 100 percent."));
        assert_eq!(row(Kind::Visible, "  ").problem().as_deref(), Some("Enter a CSS selector, such as #pricing."));
        assert_eq!(row(Kind::Exit, "ignored").trigger(), Ok(Trigger::ExitIntent));
    }

    #[test]
    fn every_kind_is_offered_once_and_read_back_from_its_option() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_slug(kind.slug()), kind);
        }
        assert_eq!(Kind::ALL.iter().filter(|k| **k == Kind::Load).count(), 1);
    }
}
