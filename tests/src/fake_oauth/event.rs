//! What tests read and add: [`FakeEvent`], an event as a fake holds it, whatever the vendor;
//! [`Show`], how a stretch of time shows in free/busy answers; and the busy blocks tests add.

use chrono::{DateTime, Utc};

/// An event a fake holds, as tests read it ([`crate::fake_google::FakeGoogle::events`],
/// [`crate::fake_microsoft::FakeMicrosoft::events`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeEvent {
    /// The vendor's event id.
    pub id: String,
    /// Google's `summary`, Graph's `subject`.
    pub summary: String,
    /// Google's `description`, Graph's `body.content`.
    pub description: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Attendees' email addresses, in order.
    pub attendees: Vec<String>,
    /// `confirmed`, `tentative` (Google only) or `cancelled` (deleted on Google, cancelled or
    /// deleted on Graph).
    pub status: String,
    /// Whether it counts as busy time (Google: not `transparent`; Graph: `showAs` other than
    /// `free`), cancellation aside.
    pub busy: bool,
    /// Whether it carries a video meeting: a Google Meet link, or a Teams join URL.
    pub has_meet_link: bool,
    /// The Meet link or Teams join URL.
    pub join_url: Option<String>,
    /// Google's `sendUpdates` of the last call that wrote it (`all`, `externalOnly`, `none`).
    pub send_updates: Option<String>,
    /// Graph's `transactionId`.
    pub transaction_id: Option<String>,
}

/// How a stretch of time shows in free/busy answers (Graph's `freeBusyStatus`; Google only
/// knows busy, and counts everything but [`Show::Free`] as busy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Show {
    /// `free`: listed by Graph, not busy.
    Free,
    /// `workingElsewhere`.
    WorkingElsewhere,
    /// `tentative`.
    Tentative,
    /// `busy`.
    Busy,
    /// `oof` (out of office).
    OutOfOffice,
}

impl Show {
    /// Graph's name for it.
    pub fn graph_name(self) -> &'static str {
        match self {
            Show::Free => "free",
            Show::WorkingElsewhere => "workingElsewhere",
            Show::Tentative => "tentative",
            Show::Busy => "busy",
            Show::OutOfOffice => "oof",
        }
    }

    /// From Graph's name (`showAs`), case-insensitive.
    pub fn from_graph(name: &str) -> Option<Show> {
        [Show::Free, Show::WorkingElsewhere, Show::Tentative, Show::Busy, Show::OutOfOffice]
            .into_iter()
            .find(|s| s.graph_name().eq_ignore_ascii_case(name))
    }

    /// Graph's `availabilityView` digit.
    pub fn digit(self) -> char {
        match self {
            Show::Free => '0',
            Show::Tentative => '1',
            Show::Busy => '2',
            Show::OutOfOffice => '3',
            Show::WorkingElsewhere => '4',
        }
    }
}

/// Time a test marked directly on an account's calendar, outside any event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    pub account: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub show: Show,
}

/// `intervals` cut to `[from, to)`, sorted, with overlapping or touching ones merged.
pub(crate) fn merge(
    mut intervals: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    intervals.retain(|(s, e)| s < e && *e > from && *s < to);
    intervals.sort();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (start, end) in intervals {
        let (start, end) = (start.max(from), end.min(to));
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}
