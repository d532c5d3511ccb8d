//! When a dialogue shows itself: the moments that pop its teaser beside the launcher.
//!
//! A dialogue's triggers travel to the loader (`widget.js`) as the short specs of its
//! `data-trigger` grammar (`time:10`, `scroll:50`, …, see [`Trigger::spec`]); the first to
//! fire wins, once per page. A dialogue without triggers waits for the visitor's click (or the
//! site's own `data-trigger`, which takes precedence over the dialogue's).

use serde::{Deserialize, Serialize};

/// Longest time a timed trigger may wait, in seconds (an hour).
pub const MAX_SECONDS: u32 = 3600;
/// Longest CSS selector of an element trigger.
pub const MAX_SELECTOR: usize = 200;
/// Most triggers of one dialogue.
pub const MAX_TRIGGERS: usize = 8;

/// One moment at which a dialogue shows itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Trigger {
    /// As soon as the page has loaded.
    Load,
    /// After some seconds on this page.
    TimeOnPage {
        /// Seconds, 1 to [`MAX_SECONDS`].
        seconds: u32,
    },
    /// After some seconds on the site, counted from the tab's first page with the chat.
    TimeOnSite {
        /// Seconds, 1 to [`MAX_SECONDS`].
        seconds: u32,
    },
    /// Once the page is scrolled this far down.
    Scroll {
        /// Percent of the page, 1 to 100.
        percent: u32,
    },
    /// When the pointer leaves through the top of the window.
    ExitIntent,
    /// After some seconds without pointer, key, scroll or touch input.
    Inactivity {
        /// Seconds, 1 to [`MAX_SECONDS`].
        seconds: u32,
    },
    /// When the first element matching a CSS selector becomes visible.
    ElementVisible {
        /// A CSS selector such as `#pricing-table`.
        selector: String,
    },
    /// On a single-page app's route change.
    RouteChange,
}

impl Trigger {
    /// What is wrong with this trigger, as a sentence; `None` when it is fine.
    pub fn problem(&self) -> Option<String> {
        let seconds = |what: &str, s: u32| {
            (!(1..=MAX_SECONDS).contains(&s)).then(|| format!("{what} must be 1 to {MAX_SECONDS} seconds."))
        };
        match self {
            Trigger::TimeOnPage { seconds: s } => seconds("Time on page", *s),
            Trigger::TimeOnSite { seconds: s } => seconds("Time on site", *s),
            Trigger::Inactivity { seconds: s } => seconds("Inactivity", *s),
            Trigger::Scroll { percent } => {
                (!(1..=100).contains(percent)).then(|| "Scroll depth must be 1 to 100 percent.".to_owned())
            }
            Trigger::ElementVisible { selector } => {
                let selector = selector.trim();
                if selector.is_empty() || selector.chars().count() > MAX_SELECTOR {
                    Some(format!("The element's CSS selector must be 1 to {MAX_SELECTOR} characters."))
                } else if selector.contains(';') || selector.chars().any(char::is_control) {
                    Some("The element's CSS selector may not contain `;` or control characters.".to_owned())
                } else {
                    None
                }
            }
            Trigger::Load | Trigger::ExitIntent | Trigger::RouteChange => None,
        }
    }

    /// Reads one spec of the loader's grammar (`time:10`, `scroll:50`, `visible:#plans`, …), as
    /// an admin types it; the error says what was expected. Range checks are [`Trigger::problem`]'s.
    pub fn from_spec(spec: &str) -> Result<Trigger, String> {
        let spec = spec.trim();
        let (kind, arg) = match spec.split_once(':') {
            Some((kind, arg)) => (kind.trim(), Some(arg.trim())),
            None => (spec, None),
        };
        let number = |unit: &str| {
            arg.and_then(|a| a.parse::<u32>().ok())
                .ok_or_else(|| format!("`{kind}` needs a whole number of {unit}, as in `{kind}:10`."))
        };
        let bare = |trigger: Trigger| match arg {
            None => Ok(trigger),
            Some(_) => Err(format!("`{kind}` takes no value.")),
        };
        match kind {
            "load" => bare(Trigger::Load),
            "exit" => bare(Trigger::ExitIntent),
            "route" => bare(Trigger::RouteChange),
            "time" => Ok(Trigger::TimeOnPage { seconds: number("seconds")? }),
            "site" => Ok(Trigger::TimeOnSite { seconds: number("seconds")? }),
            "idle" => Ok(Trigger::Inactivity { seconds: number("seconds")? }),
            "scroll" => Ok(Trigger::Scroll { percent: number("percent")? }),
            "visible" => match arg.filter(|a| !a.is_empty()) {
                Some(selector) => Ok(Trigger::ElementVisible { selector: selector.to_owned() }),
                None => Err("`visible` needs a CSS selector, as in `visible:#pricing`.".to_owned()),
            },
            _ => Err(format!(
                "`{spec}` is not a trigger: use load, time:N, site:N, scroll:P, exit, idle:N, visible:SELECTOR or route."
            )),
        }
    }

    /// The loader's spec of this trigger (its `data-trigger` grammar).
    pub fn spec(&self) -> String {
        match self {
            Trigger::Load => "load".to_owned(),
            Trigger::TimeOnPage { seconds } => format!("time:{seconds}"),
            Trigger::TimeOnSite { seconds } => format!("site:{seconds}"),
            Trigger::Scroll { percent } => format!("scroll:{percent}"),
            Trigger::ExitIntent => "exit".to_owned(),
            Trigger::Inactivity { seconds } => format!("idle:{seconds}"),
            Trigger::ElementVisible { selector } => format!("visible:{}", selector.trim()),
            Trigger::RouteChange => "route".to_owned(),
        }
    }
}

/// Every problem of a dialogue's triggers, each sentence naming the trigger by its place.
pub fn problems(triggers: &[Trigger]) -> Vec<String> {
    let mut out: Vec<String> = triggers
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.problem().map(|p| format!("Trigger {}: {p}", i + 1)))
        .collect();
    if triggers.len() > MAX_TRIGGERS {
        out.push(format!("A dialogue may have at most {MAX_TRIGGERS} triggers."));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Trigger {
        match serde_json::from_str(json) {
            Ok(t) => t,
            Err(e) => panic!("{json}: {e}"),
        }
    }

    #[test]
    fn every_trigger_reads_from_json_and_gives_the_loaders_spec() {
        let table = [
            (r#"{"type":"load"}"#, "load"),
            (r#"{"type":"time_on_page","seconds":10}"#, "time:10"),
            (r#"{"type":"time_on_site","seconds":90}"#, "site:90"),
            (r#"{"type":"scroll","percent":50}"#, "scroll:50"),
            (r#"{"type":"exit_intent"}"#, "exit"),
            (r#"{"type":"inactivity","seconds":30}"#, "idle:30"),
            (r#"{"type":"element_visible","selector":" #pricing .table "}"#, "visible:#pricing .table"),
            (r#"{"type":"route_change"}"#, "route"),
        ];
        for (json, spec) in table {
            let trigger = parse(json);
            assert_eq!(trigger.spec(), spec, "{json}");
            assert_eq!(trigger.problem(), None, "{json}");
        }
    }

    #[test]
    fn out_of_range_and_unsafe_triggers_are_named_by_their_place() {
        let triggers = [
            Trigger::Load,
            Trigger::TimeOnPage { seconds: 0 },
            Trigger::Scroll { percent: 101 },
            Trigger::Inactivity { seconds: MAX_SECONDS + 1 },
            Trigger::ElementVisible { selector: "  ".into() },
            Trigger::ElementVisible { selector: "a; time:1".into() },
            Trigger::ElementVisible { selector: "x".repeat(MAX_SELECTOR + 1) },
            Trigger::TimeOnSite { seconds: MAX_SECONDS },
        ];
        let problems = problems(&triggers);
        let places: Vec<&str> = problems.iter().filter_map(|p| p.split(':').next()).collect();
        assert_eq!(places, ["Trigger 2", "Trigger 3", "Trigger 4", "Trigger 5", "Trigger 6", "Trigger 7"]);
        assert!(problems[1].contains("1 to 100 percent"), "{problems:?}");
        assert!(problems[4].contains("`;`"), "{problems:?}");
        let many = vec![Trigger::Load; MAX_TRIGGERS + 1];
        assert_eq!(super::problems(&many), [format!("A dialogue may have at most {MAX_TRIGGERS} triggers.")]);
    }

    #[test]
    fn specs_read_back_to_the_same_trigger_and_mistakes_are_explained() {
        for spec in ["load", "time:10", "site:90", "scroll:50", "exit", "idle:30", "visible:#pricing .table", "route"] {
            let trigger = Trigger::from_spec(spec);
            assert_eq!(trigger.as_ref().map(Trigger::spec), Ok(spec.to_owned()), "{spec}");
        }
        assert_eq!(Trigger::from_spec(" time : 12 "), Ok(Trigger::TimeOnPage { seconds: 12 }));
        let mistakes = [
            ("time", "`time` needs a whole number of seconds, as in `time:10`."),
            ("scroll:half", "`scroll` needs a whole number of percent, as in `scroll:10`."),
            ("idle:-3", "`idle` needs a whole number of seconds, as in `idle:10`."),
            ("load:5", "`load` takes no value."),
            ("visible:", "`visible` needs a CSS selector, as in `visible:#pricing`."),
        ];
        for (spec, message) in mistakes {
            assert_eq!(Trigger::from_spec(spec), Err(message.to_owned()), "{spec}");
        }
        assert!(Trigger::from_spec("telepathy").is_err_and(|e| e.starts_with("`telepathy` is not a trigger")));
    }

    #[test]
    fn an_unknown_trigger_type_is_refused() {
        assert!(serde_json::from_str::<Trigger>(r#"{"type":"telepathy"}"#).is_err());
        assert!(serde_json::from_str::<Trigger>(r#"{"type":"scroll","percent":-5}"#).is_err());
    }
}
