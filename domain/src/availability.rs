//! Weekly working hours in an agent's own time zone, and the meeting slots they offer.
//!
//! Invariants: a slot always lies inside one working block of the agent's local day, it is
//! exactly `duration` long in absolute time (slots that would straddle a daylight-saving
//! jump are not offered), and an ambiguous local time (the repeated hour in autumn) is
//! offered once, at its first occurrence.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A half-open span of absolute time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    /// First instant inside the interval.
    pub start: DateTime<Utc>,
    /// First instant after the interval.
    pub end: DateTime<Utc>,
}

impl Interval {
    /// An interval of `minutes` starting at `start`.
    pub fn starting_at(start: DateTime<Utc>, minutes: u32) -> Self {
        Self { start, end: start + Duration::minutes(i64::from(minutes)) }
    }

    /// Whether the two intervals share at least one instant.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// One block of working time on a weekday, `"HH:MM"` to `"HH:MM"` local time, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockSpec {
    /// Start, local time, `"HH:MM"`.
    pub start: String,
    /// End, local time, `"HH:MM"`; after `start` (blocks do not cross midnight).
    pub end: String,
}

/// An agent's working hours as stored and edited: an IANA zone and blocks per weekday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScheduleSpec {
    /// IANA time zone name, e.g. `America/New_York`.
    pub time_zone: String,
    /// Monday to Sunday, each a list of blocks (several per day allowed).
    pub weekly: [Vec<BlockSpec>; 7],
}

/// Why stored working hours could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The zone is not in the IANA database.
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    /// A time is not `HH:MM`.
    #[error("{0:?} is not a time of day (HH:MM)")]
    BadTime(String),
    /// A block ends before it starts, or blocks of one day overlap.
    #[error("working blocks on {0} are empty or overlap")]
    BadBlocks(Weekday),
}

/// Validated working hours: the zone and, per weekday, sorted non-overlapping blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    tz: Tz,
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

fn parse_hhmm(s: &str) -> Result<NaiveTime, ScheduleError> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| ScheduleError::BadTime(s.to_owned()))
}

impl ScheduleSpec {
    /// Checks the zone and the blocks.
    pub fn parse(&self) -> Result<WorkingHours, ScheduleError> {
        let tz: Tz = self.time_zone.parse().map_err(|_| ScheduleError::UnknownTimeZone(self.time_zone.clone()))?;
        let mut days: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        for (i, blocks) in self.weekly.iter().enumerate() {
            let mut parsed = blocks
                .iter()
                .map(|b| Ok((parse_hhmm(&b.start)?, parse_hhmm(&b.end)?)))
                .collect::<Result<Vec<_>, ScheduleError>>()?;
            parsed.sort();
            let weekday = Weekday::try_from(i as u8).unwrap_or(Weekday::Mon);
            let empty = parsed.iter().any(|(s, e)| s >= e);
            let overlapping = parsed.windows(2).any(|w| w[0].1 > w[1].0);
            if empty || overlapping {
                return Err(ScheduleError::BadBlocks(weekday));
            }
            days[i] = parsed;
        }
        Ok(WorkingHours { tz, days })
    }

    /// Weekdays `start`–`end` in `time_zone`, nothing at weekends.
    pub fn weekdays(time_zone: &str, start: &str, end: &str) -> Self {
        let block = || vec![BlockSpec { start: start.to_owned(), end: end.to_owned() }];
        Self { time_zone: time_zone.to_owned(), weekly: [block(), block(), block(), block(), block(), vec![], vec![]] }
    }
}

impl WorkingHours {
    /// The agent's zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The slot of `minutes` starting at local `date` + `time`, if that local time exists and
    /// the slot does not straddle a clock change.
    fn local_slot(&self, date: NaiveDate, time: NaiveTime, minutes: u32) -> Option<Interval> {
        let naive = date.and_time(time);
        let start = match self.tz.from_local_datetime(&naive) {
            LocalResult::Single(t) => t,
            LocalResult::Ambiguous(first, _) => first,
            LocalResult::None => return None,
        };
        let slot = Interval::starting_at(start.with_timezone(&Utc), minutes);
        let local_end = slot.end.with_timezone(&self.tz).naive_local();
        (local_end - naive == Duration::minutes(i64::from(minutes))).then_some(slot)
    }

    /// Every slot of `minutes` this agent offers whose start lies in `[from, until)`:
    /// each working block is cut into consecutive slots from its start.
    pub fn slots(&self, from: DateTime<Utc>, until: DateTime<Utc>, minutes: u32) -> Vec<Interval> {
        let mut out = Vec::new();
        if minutes == 0 || from >= until {
            return out;
        }
        let step = Duration::minutes(i64::from(minutes));
        let first = from.with_timezone(&self.tz).date_naive() - Duration::days(1);
        let last = until.with_timezone(&self.tz).date_naive() + Duration::days(1);
        let mut date = first;
        while date <= last {
            for &(block_start, block_end) in &self.days[date.weekday().num_days_from_monday() as usize] {
                let mut t = block_start;
                loop {
                    let (end, wrapped) = t.overflowing_add_signed(step);
                    if wrapped != 0 || end > block_end {
                        break;
                    }
                    if let Some(slot) = self.local_slot(date, t, minutes)
                        && slot.start >= from
                        && slot.start < until
                    {
                        out.push(slot);
                    }
                    t = end;
                }
            }
            date += Duration::days(1);
        }
        out.sort();
        out
    }

    /// Whether a slot of `minutes` starting at `start` is one this agent offers (on the grid of
    /// one of its working blocks), regardless of what is already booked.
    pub fn offers(&self, start: DateTime<Utc>, minutes: u32) -> bool {
        if minutes == 0 {
            return false;
        }
        let local = start.with_timezone(&self.tz);
        let (date, time) = (local.date_naive(), local.time());
        let step = i64::from(minutes) * 60;
        self.days[date.weekday().num_days_from_monday() as usize].iter().any(|&(block_start, block_end)| {
            let offset = (time - block_start).num_seconds();
            time >= block_start
                && offset % step == 0
                && time.overflowing_add_signed(Duration::minutes(i64::from(minutes))) <= (block_end, 0)
                && self.local_slot(date, time, minutes).is_some_and(|s| s.start == start)
        })
    }
}

/// Booking rules applied on top of working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotRules {
    /// Meeting length in minutes.
    pub duration_minutes: u32,
    /// No slot starts sooner than this many minutes from now.
    pub min_notice_minutes: u32,
    /// No slot starts later than this many days from now.
    pub horizon_days: u32,
}

impl Default for SlotRules {
    fn default() -> Self {
        Self { duration_minutes: 30, min_notice_minutes: 60, horizon_days: 30 }
    }
}

impl SlotRules {
    /// Whether `start` respects minimum notice and horizon at `now`.
    pub fn allows(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        start >= now + Duration::minutes(i64::from(self.min_notice_minutes))
            && start < now + Duration::days(i64::from(self.horizon_days))
    }
}

/// One agent as slot computation sees them: working hours and what is already busy.
#[derive(Debug, Clone, Copy)]
pub struct AgentAvailability<'a> {
    /// The agent's working hours.
    pub hours: &'a WorkingHours,
    /// Busy intervals (meetings already booked, calendar events).
    pub busy: &'a [Interval],
}

impl AgentAvailability<'_> {
    /// Whether this agent can take `slot` at `now` under `rules`.
    pub fn is_free(&self, slot: &Interval, now: DateTime<Utc>, rules: &SlotRules) -> bool {
        rules.allows(slot.start, now)
            && self.hours.offers(slot.start, rules.duration_minutes)
            && !self.busy.iter().any(|b| b.overlaps(slot))
    }
}

/// The slots of a routing pool whose start lies in `[from, until)`: a slot is offered when at
/// least one agent is free for it. Sorted, without duplicates.
pub fn pool_slots(
    agents: &[AgentAvailability<'_>],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: &SlotRules,
) -> Vec<Interval> {
    let mut out: Vec<Interval> = agents
        .iter()
        .flat_map(|a| {
            a.hours.slots(from, until, rules.duration_minutes).into_iter().filter(|s| a.is_free(s, now, rules))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
