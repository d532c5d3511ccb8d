//! A meeting as every provider writes it ([`EventSpec`]), what a provider answers when it
//! created one ([`CreatedEvent`]), and how long fetched busy time may be trusted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A meeting to write into an agent's calendar, the same for every provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec<'a> {
    /// The meeting's id, stable across reschedules: Google's conference `requestId` and the
    /// `confabMeetingId` private property, Graph's `transactionId`, the CalDAV `UID` and file
    /// name.
    pub uid: &'a str,
    /// Title.
    pub summary: &'a str,
    /// Body text (plain text).
    pub description: &'a str,
    /// Start.
    pub start: DateTime<Utc>,
    /// End, after `start`.
    pub end: DateTime<Utc>,
    /// The agent's IANA time zone (`Europe/Paris`): how Google and Graph show the event. CalDAV
    /// bodies are written in UTC and do not use it.
    pub time_zone: &'a str,
    /// The agent's address, for CalDAV's `ORGANIZER`. Google and Graph make the calendar's owner
    /// the organizer themselves and ignore it.
    pub organizer_email: Option<&'a str>,
    /// The visitor's address.
    pub attendee_email: &'a str,
    /// The visitor's name, if known.
    pub attendee_name: Option<&'a str>,
}

/// What a provider answered when it created (or updated) an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedEvent {
    /// The provider's id of the event, for later updates and deletes (CalDAV has none: its
    /// event is addressed by [`super::caldav::event_href`]).
    pub id: String,
    /// The video-call link the provider attached (Google Meet, Teams), when there is one yet.
    pub join_url: Option<String>,
}

/// How long fetched busy time is trusted, in milliseconds (5 minutes).
pub const BUSY_TTL_MS: i64 = 5 * 60_000;

/// Whether busy time fetched at `fetched_at_ms` must be fetched again at `now_ms`: from
/// [`BUSY_TTL_MS`] after the fetch on, and also when the fetch seems to lie in the future (the
/// clocks disagree, so the copy's age is unknown).
pub fn busy_is_stale(fetched_at_ms: i64, now_ms: i64) -> bool {
    now_ms < fetched_at_ms || now_ms.saturating_sub(fetched_at_ms) >= BUSY_TTL_MS
}
