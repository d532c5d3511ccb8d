//! Words for the calendar tab: provider names, the outcome of a Google or Outlook consent
//! read from the address, the write-back summary, relative times ("read 2 min ago") and ids
//! for elements. The pure functions are tested natively; the few that need the browser's
//! clock or `Intl` say so.

use crate::api::{CalendarLink, Health, Schedule, WriteBack};

/// Weekday abbreviations, Monday first as the schedule stores them.
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub use crate::integrations::format::{iso, local_time, now_ms, relative};

/// When busy times were last read: "read 2 min ago", or "not read yet" (0).
pub fn busy_read(now_ms: f64, fetched_ms: f64) -> String {
    if fetched_ms <= 0.0 { "not read yet".into() } else { format!("read {}", relative(now_ms, fetched_ms)) }
}

/// The IANA time zones the browser knows (`Intl.supportedValuesOf("timeZone")`), for
/// suggestions; empty where the browser cannot list them.
pub fn known_time_zones() -> Vec<String> {
    let Ok(intl) = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()) else { return Vec::new() };
    let Ok(list) = js_sys::Reflect::get(&intl, &"supportedValuesOf".into()) else { return Vec::new() };
    let Ok(list) = wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(list) else { return Vec::new() };
    match list.call1(&intl, &"timeZone".into()) {
        Ok(zones) => js_sys::Array::from(&zones).iter().filter_map(|z| z.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The calendar's name as admins know it: "Google Calendar", "Outlook", "CalDAV", or the
/// built-in calendar.
pub fn provider_label(provider: &str) -> String {
    match provider {
        "builtin" | "" => "Built-in calendar".into(),
        "google" => "Google Calendar".into(),
        "microsoft" => "Outlook (Microsoft 365)".into(),
        "caldav" => "CalDAV".into(),
        other => other.into(),
    }
}

/// The provider's short name, as in "Ada's Google calendar".
pub fn provider_short(provider: &str) -> &str {
    match provider {
        "google" => "Google",
        "microsoft" => "Outlook",
        "caldav" => "CalDAV",
        "builtin" | "" => "built-in",
        other => other,
    }
}

/// The confirmation asked before disconnecting.
pub fn disconnect_question(agent: &str, provider: &str) -> String {
    format!(
        "Disconnect {}'s {} calendar? Meetings already booked stay in it; new ones will only be held in Confab.",
        agent,
        provider_short(provider)
    )
}

/// `text` as a sentence: first letter capitalised, ending with a full stop.
pub fn sentence(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `n` followed by the noun in singular or plural: "1 meeting", "3 meetings".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The write-back queue in one line: whether every meeting is in its agent's calendar and,
/// if not, how many wait and the latest error. `(all written, line, latest error)`.
pub fn write_back_summary(write_back: &WriteBack) -> (bool, String, Option<String>) {
    if write_back.pending == 0 {
        return (true, "All meetings are in agents' calendars.".into(), None);
    }
    let line =
        format!("{} waiting to be written to calendars.", count(write_back.pending, "meeting is", "meetings are"));
    let error = write_back.items.iter().map(|i| i.last_error.trim()).find(|e| !e.is_empty()).map(sentence);
    (false, line, error)
}

/// The weekly hours in one line, consecutive days with the same hours grouped:
/// "Mon–Fri 09:00–17:00", "Mon 09:00–12:00, 13:00–17:00; Tue–Fri 09:00–17:00"; "No working
/// hours" when the week is empty.
pub fn week_summary(schedule: &Schedule) -> String {
    let days: Vec<String> = schedule
        .weekly
        .iter()
        .map(|blocks| blocks.iter().map(|b| format!("{}–{}", b.start, b.end)).collect::<Vec<_>>().join(", "))
        .collect();
    let mut groups: Vec<String> = Vec::new();
    let mut first = 0;
    for day in 1..=days.len() {
        if day < days.len() && days[day] == days[first] {
            continue;
        }
        if !days[first].is_empty() {
            let span =
                if day - 1 == first { DAYS[first].to_owned() } else { format!("{}–{}", DAYS[first], DAYS[day - 1]) };
            groups.push(format!("{span} {}", days[first]));
        }
        first = day;
    }
    if groups.is_empty() { "No working hours".into() } else { groups.join("; ") }
}

/// Whether a calendar works, as the tab shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum HealthState {
    /// No calendar connected: nothing can fail.
    Builtin,
    /// Connected and answering.
    Healthy,
    /// Connected; the latest reads failed but it is not given up on yet.
    Retrying(u64),
    /// Connected but no longer working: the agent is offered no times until it is fixed.
    NeedsAttention {
        /// Since when (Unix ms; 0 when unknown).
        since_ms: f64,
        /// Why, as a sentence.
        reason: String,
    },
}

impl HealthState {
    /// The state of `calendar`.
    pub fn of(calendar: &CalendarLink) -> HealthState {
        if matches!(calendar.provider.as_str(), "builtin" | "") {
            return HealthState::Builtin;
        }
        let health = calendar.health.clone().unwrap_or_default();
        match (calendar.healthy, health.unhealthy) {
            (_, Some(u)) => HealthState::NeedsAttention {
                since_ms: u.since_ms,
                reason: if u.reason.trim().is_empty() {
                    "The calendar stopped answering.".into()
                } else {
                    sentence(&u.reason)
                },
            },
            (false, None) => {
                HealthState::NeedsAttention { since_ms: 0.0, reason: "The calendar stopped answering.".into() }
            }
            (true, None) if health.consecutive_failures >= 1.0 => {
                HealthState::Retrying(health.consecutive_failures as u64)
            }
            (true, None) => HealthState::Healthy,
        }
    }
}

/// What to do to offer Google or Outlook when this deployment cannot connect them; `None`
/// when both can be connected.
pub fn providers_hint(google: bool, microsoft: bool) -> Option<String> {
    const GOOGLE: &str = "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET";
    const MICROSOFT: &str = "MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET";
    match (google, microsoft) {
        (true, true) => None,
        (false, true) => Some(format!("Google is not set up on this deployment: set the Worker variables {GOOGLE}.")),
        (true, false) => {
            Some(format!("Outlook is not set up on this deployment: set the Worker variables {MICROSOFT}."))
        }
        (false, false) => Some(format!(
            "Google and Outlook are not set up on this deployment: set the Worker variables {GOOGLE} (Google) or \
             {MICROSOFT} (Outlook). CalDAV works without them."
        )),
    }
}

/// What "Check now" found: `Ok` with a confirmation when the calendar answered, `Err` with
/// the problem and what to do otherwise.
pub fn check_result(healthy: bool, health: &Health) -> Result<String, String> {
    match (healthy, &health.unhealthy) {
        (_, Some(u)) if !u.reason.trim().is_empty() => {
            Err(format!("The calendar still does not work. {} Reconnect it to fix this.", sentence(&u.reason)))
        }
        (false, _) | (_, Some(_)) => Err("The calendar still does not work. Reconnect it to fix this.".into()),
        (true, None) if health.consecutive_failures >= 1.0 => {
            Err("The calendar did not answer this time; Confab keeps trying and marks it as needing attention if it \
             keeps failing."
                .into())
        }
        (true, None) => Ok("The calendar answered: its busy times were read just now.".into()),
    }
}

/// How a Google or Outlook consent ended, as the edge puts it in the address when it sends
/// the admin back (`#calendar?connect=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The calendar is connected.
    Connected,
    /// The admin (or the account's owner) declined the consent.
    Declined,
    /// The provider did not complete the exchange.
    Failed,
    /// The consent's link expired or was tampered with.
    Invalid,
    /// The provider gave no refresh token, so the calendar cannot be read later.
    NoRefreshToken,
    /// Something this admin does not know.
    Other(String),
}

impl Outcome {
    /// The outcome in `fragment` (`#calendar?connect=connected`), if it carries one.
    pub fn from_fragment(fragment: &str) -> Option<Outcome> {
        let (_, query) = fragment.split_once('?')?;
        let value = query.split('&').find_map(|pair| pair.strip_prefix("connect="))?;
        Some(match value {
            "connected" => Outcome::Connected,
            "declined" => Outcome::Declined,
            "failed" => Outcome::Failed,
            "invalid" => Outcome::Invalid,
            "no_refresh_token" => Outcome::NoRefreshToken,
            other => {
                Outcome::Other(other.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect())
            }
        })
    }

    /// Whether the calendar was connected.
    pub fn succeeded(&self) -> bool {
        *self == Outcome::Connected
    }

    /// What happened and, when it failed, what to do.
    pub fn message(&self) -> String {
        match self {
            Outcome::Connected => {
                "The calendar is connected. Confab now reads its busy times and writes new meetings to it.".into()
            }
            Outcome::Declined => {
                "The calendar was not connected: the permission request was declined. Choose Connect again \
                and allow Confab to see free/busy times and add events."
                    .into()
            }
            Outcome::Failed => {
                "The calendar could not be connected: the provider did not complete the sign-in. Try again; \
                if it keeps failing, check that the Worker's client ID and secret match the provider's app."
                    .into()
            }
            Outcome::Invalid => {
                "The calendar could not be connected: the sign-in link expired or was not valid (it lasts \
                10 minutes). Choose Connect again."
                    .into()
            }
            Outcome::NoRefreshToken => {
                "The calendar could not be connected: the provider did not grant offline access, \
                which Confab needs to read the calendar later. Remove Confab's access in the account's security \
                settings, then choose Connect again."
                    .into()
            }
            Outcome::Other(code) => format!(
                "The calendar connection ended unexpectedly ({code}). Check the agent's calendar below and connect it \
                 again if needed."
            ),
        }
    }
}

/// A piece of an element id made from an agent id (ids may hold any character; these keep
/// letters, digits, `-` and `_`).
pub fn id_part(agent: &str) -> String {
    agent.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Block, Health, Unhealthy, WriteBackItem};

    #[test]
    fn busy_reads_say_when() {
        let now = 1_800_000_000_000.0;
        assert_eq!(busy_read(now, now - 120_000.0), "read 2 min ago");
        assert_eq!(busy_read(now, 0.0), "not read yet");
    }

    #[test]
    fn the_week_is_summarised_by_runs_of_equal_days() {
        let block = |start: &str, end: &str| Block { start: start.into(), end: end.into() };
        let mut schedule = Schedule::default();
        assert_eq!(week_summary(&schedule), "No working hours");
        for day in 0..5 {
            schedule.weekly[day] = vec![block("09:00", "17:00")];
        }
        assert_eq!(week_summary(&schedule), "Mon–Fri 09:00–17:00");
        schedule.weekly[0] = vec![block("09:00", "12:00"), block("13:00", "17:00")];
        schedule.weekly[6] = vec![block("10:00", "12:00")];
        assert_eq!(week_summary(&schedule), "Mon 09:00–12:00, 13:00–17:00; Tue–Fri 09:00–17:00; Sun 10:00–12:00");
    }

    #[test]
    fn health_reads_as_one_of_four_states() {
        let link = |provider: &str, healthy: bool, health: Option<Health>| CalendarLink {
            provider: provider.into(),
            healthy,
            health,
            ..CalendarLink::default()
        };
        assert_eq!(HealthState::of(&link("builtin", true, None)), HealthState::Builtin);
        assert_eq!(HealthState::of(&link("google", true, None)), HealthState::Healthy);
        let retrying = Health { consecutive_failures: 2.0, unhealthy: None };
        assert_eq!(HealthState::of(&link("google", true, Some(retrying))), HealthState::Retrying(2));
        let revoked = Health {
            consecutive_failures: 1.0,
            unhealthy: Some(Unhealthy { since_ms: 5.0, reason: "the grant was revoked".into() }),
        };
        assert_eq!(
            HealthState::of(&link("google", false, Some(revoked))),
            HealthState::NeedsAttention { since_ms: 5.0, reason: "The grant was revoked.".into() }
        );
        assert_eq!(
            HealthState::of(&link("caldav", false, None)),
            HealthState::NeedsAttention { since_ms: 0.0, reason: "The calendar stopped answering.".into() }
        );
    }

    #[test]
    fn providers_and_the_disconnect_question() {
        assert_eq!(provider_label("google"), "Google Calendar");
        assert_eq!(provider_label("builtin"), "Built-in calendar");
        assert_eq!(provider_label("zoho"), "zoho");
        assert_eq!(
            disconnect_question("Ada", "google"),
            "Disconnect Ada's Google calendar? Meetings already booked stay in it; new ones will only be held in Confab."
        );
        assert_eq!(
            disconnect_question("Grace", "microsoft"),
            "Disconnect Grace's Outlook calendar? Meetings already booked stay in it; new ones will only be held in \
             Confab."
        );
    }

    #[test]
    fn sentences_and_counts() {
        assert_eq!(
            sentence("the calendar provider is unavailable: timeout"),
            "The calendar provider is unavailable: timeout."
        );
        assert_eq!(sentence(" Done. "), "Done.");
        assert_eq!(sentence(""), "");
        assert_eq!(count(1, "meeting", "meetings"), "1 meeting");
        assert_eq!(count(3, "meeting", "meetings"), "3 meetings");
    }

    #[test]
    fn the_write_back_line_says_what_waits_and_why() {
        assert_eq!(
            write_back_summary(&WriteBack::default()),
            (true, "All meetings are in agents' calendars.".into(), None)
        );
        let queue = WriteBack {
            pending: 3,
            items: vec![
                WriteBackItem { meeting_id: "m1".into(), attempts: 0.0, last_error: String::new() },
                WriteBackItem {
                    meeting_id: "m2".into(),
                    attempts: 2.0,
                    last_error: "the calendar provider is unavailable: 503".into(),
                },
            ],
        };
        assert_eq!(
            write_back_summary(&queue),
            (
                false,
                "3 meetings are waiting to be written to calendars.".into(),
                Some("The calendar provider is unavailable: 503.".into())
            )
        );
        let one = WriteBack { pending: 1, items: Vec::new() };
        assert_eq!(write_back_summary(&one).1, "1 meeting is waiting to be written to calendars.");
    }

    #[test]
    fn the_consent_outcome_is_read_from_the_fragment() {
        assert_eq!(Outcome::from_fragment("#calendar?connect=connected"), Some(Outcome::Connected));
        assert_eq!(Outcome::from_fragment("#calendar?x=1&connect=no_refresh_token"), Some(Outcome::NoRefreshToken));
        assert_eq!(Outcome::from_fragment("#calendar?connect=declined"), Some(Outcome::Declined));
        assert_eq!(Outcome::from_fragment("#calendar?connect=<b>odd</b>"), Some(Outcome::Other("boddb".into())));
        assert_eq!(Outcome::from_fragment("#calendar"), None);
        assert_eq!(Outcome::from_fragment("#calendar?other=1"), None);
        assert!(Outcome::Connected.succeeded() && !Outcome::Failed.succeeded());
        assert!(Outcome::Invalid.message().contains("Connect again"));
    }

    #[test]
    fn unconfigured_providers_say_which_variables_to_set() {
        assert_eq!(providers_hint(true, true), None);
        assert_eq!(
            providers_hint(false, true).as_deref(),
            Some(
                "Google is not set up on this deployment: set the Worker variables GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET."
            )
        );
        assert!(providers_hint(true, false).is_some_and(|h| h.contains("MICROSOFT_CLIENT_SECRET")));
        assert!(providers_hint(false, false).is_some_and(|h| h.contains("GOOGLE_CLIENT_ID") && h.contains("CalDAV")));
    }

    #[test]
    fn check_now_says_whether_the_calendar_answered() {
        assert_eq!(
            check_result(true, &Health::default()),
            Ok("The calendar answered: its busy times were read just now.".into())
        );
        assert!(check_result(true, &Health { consecutive_failures: 1.0, unhealthy: None }).is_err());
        let revoked = Health {
            consecutive_failures: 3.0,
            unhealthy: Some(Unhealthy { since_ms: 1.0, reason: "the grant was revoked".into() }),
        };
        assert_eq!(
            check_result(false, &revoked),
            Err("The calendar still does not work. The grant was revoked. Reconnect it to fix this.".into())
        );
        assert_eq!(
            check_result(false, &Health::default()),
            Err("The calendar still does not work. Reconnect it to fix this.".into())
        );
    }

    #[test]
    fn ids_keep_only_safe_characters() {
        assert_eq!(id_part("agent-1"), "agent-1");
        assert_eq!(id_part("a b/c"), "a_b_c");
    }
}
