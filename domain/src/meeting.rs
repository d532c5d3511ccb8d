//! A meeting's lifecycle: its statuses and the changes allowed between them.
//!
//! `pending_calendar` (booked, the event not yet written to the agent's calendar),
//! `scheduled` and `rescheduled` are active (the agent's time is held); `canceled`,
//! `completed` and `no_show` are final. Completed and no-show can only be recorded once the
//! meeting has started; moving and canceling only before it starts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Booked and held here; the event is not in the agent's calendar yet (the write is
    /// queued and retried). Becomes `scheduled` once written.
    PendingCalendar,
    /// Booked, at its original time.
    Scheduled,
    /// Booked, moved at least once.
    Rescheduled,
    /// Called off.
    Canceled,
    /// Took place.
    Completed,
    /// The visitor did not come.
    NoShow,
}

impl MeetingStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [MeetingStatus; 6] =
        [Self::PendingCalendar, Self::Scheduled, Self::Rescheduled, Self::Canceled, Self::Completed, Self::NoShow];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingCalendar => "pending_calendar",
            Self::Scheduled => "scheduled",
            Self::Rescheduled => "rescheduled",
            Self::Canceled => "canceled",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the agent's time is held.
    pub fn is_active(self) -> bool {
        matches!(self, Self::PendingCalendar | Self::Scheduled | Self::Rescheduled)
    }

    /// The status once the agent's calendar has the event: `pending_calendar` becomes
    /// `scheduled`; every other status stays.
    pub fn calendar_written(self) -> Self {
        if self == Self::PendingCalendar { Self::Scheduled } else { self }
    }
}

impl fmt::Display for MeetingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change someone asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Move to another time.
    Reschedule,
    /// Call off.
    Cancel,
    /// Record that it took place.
    Complete,
    /// Record that the visitor did not come.
    NoShow,
}

/// Why a change is refused; the message is fit to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// The meeting is already canceled, completed or a no-show.
    #[error("This meeting is already {} and cannot be changed.", .0.as_str().replace('_', "-"))]
    Final(MeetingStatus),
    /// Moving or canceling after the start.
    #[error("This meeting has already started.")]
    AlreadyStarted,
    /// Completed or no-show before the start.
    #[error("This meeting has not started yet.")]
    NotStarted,
}

/// The status after applying `change` to a meeting in `status` starting at `start`, at `now`.
pub fn apply(
    status: MeetingStatus,
    change: Change,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<MeetingStatus, ChangeError> {
    if !status.is_active() {
        return Err(ChangeError::Final(status));
    }
    let started = now >= start;
    match change {
        Change::Reschedule | Change::Cancel if started => Err(ChangeError::AlreadyStarted),
        Change::Complete | Change::NoShow if !started => Err(ChangeError::NotStarted),
        Change::Reschedule => Ok(MeetingStatus::Rescheduled),
        Change::Cancel => Ok(MeetingStatus::Canceled),
        Change::Complete => Ok(MeetingStatus::Completed),
        Change::NoShow => Ok(MeetingStatus::NoShow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeetingStatus::*;

    fn at(h: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(i64::from(h) * 3600, 0).unwrap_or_default()
    }

    #[test]
    fn names_round_trip() {
        for s in MeetingStatus::ALL {
            assert_eq!(MeetingStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(MeetingStatus::parse("done"), None);
    }

    #[test]
    fn the_lifecycle() {
        let start = at(10);
        let before = at(9);
        let after = at(11);
        let table = [
            (Scheduled, Change::Reschedule, before, Ok(Rescheduled)),
            (Rescheduled, Change::Reschedule, before, Ok(Rescheduled)),
            (Scheduled, Change::Cancel, before, Ok(Canceled)),
            (PendingCalendar, Change::Cancel, before, Ok(Canceled)),
            (PendingCalendar, Change::Reschedule, before, Ok(Rescheduled)),
            (PendingCalendar, Change::NoShow, after, Ok(NoShow)),
            (Rescheduled, Change::Cancel, before, Ok(Canceled)),
            (Scheduled, Change::Cancel, after, Err(ChangeError::AlreadyStarted)),
            (Scheduled, Change::Reschedule, start, Err(ChangeError::AlreadyStarted)),
            (Scheduled, Change::Complete, before, Err(ChangeError::NotStarted)),
            (Scheduled, Change::Complete, after, Ok(Completed)),
            (Rescheduled, Change::NoShow, start, Ok(NoShow)),
            (Canceled, Change::Reschedule, before, Err(ChangeError::Final(Canceled))),
            (Completed, Change::Cancel, before, Err(ChangeError::Final(Completed))),
            (NoShow, Change::Complete, after, Err(ChangeError::Final(NoShow))),
        ];
        for (from, change, now, expected) in table {
            assert_eq!(apply(from, change, start, now), expected, "{from} {change:?} at {now}");
        }
        assert_eq!(PendingCalendar.calendar_written(), Scheduled);
        assert_eq!(Rescheduled.calendar_written(), Rescheduled);
        assert_eq!(Canceled.calendar_written(), Canceled);
        assert_eq!(ChangeError::Final(NoShow).to_string(), "This meeting is already no-show and cannot be changed.");
    }
}
