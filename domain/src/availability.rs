//! Weekly working hours in an agent's own time zone, and the meeting slots they offer.
//!
//! Invariants: a slot always lies inside one working block of the agent's local day (the
//! date's override blocks when it has an override, its weekday's blocks otherwise), it is
//! exactly `duration` long in absolute time (slots that would straddle a daylight-saving
//! jump are not offered), and an ambiguous local time (the repeated hour in autumn) is
//! offered once, at its first occurrence.
//!
//! Per-agent [`AgentRules`] tighten this for an [`AgentSchedule`]: buffers keep time clear
//! around meetings, a daily cap limits the meetings booked here per local day, and the
//! agent's minimum notice and horizon apply when stricter than the pool's [`SlotRules`].

use std::collections::BTreeMap;

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

/// The working blocks of one calendar date, replacing that date's weekly blocks, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateOverride {
    /// The date in the agent's zone, `"YYYY-MM-DD"`.
    pub date: String,
    /// The blocks worked that day; empty for a day off. They may fall on a day that has no
    /// weekly blocks (extra hours on a weekend).
    pub blocks: Vec<BlockSpec>,
}

/// An agent's working hours as stored and edited: an IANA zone, blocks per weekday and
/// overrides for particular dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ScheduleSpec {
    /// IANA time zone name, e.g. `America/New_York`.
    pub time_zone: String,
    /// Monday to Sunday, each a list of blocks (several per day allowed).
    pub weekly: [Vec<BlockSpec>; 7],
    /// Dates whose blocks differ from the weekly ones, at most one entry per date. Absent in
    /// schedules stored before overrides existed, and left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<DateOverride>,
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
    /// An override's date is not `YYYY-MM-DD`, or is not a day of the calendar.
    #[error("{0:?} is not a date (YYYY-MM-DD)")]
    BadDate(String),
    /// An override's block ends before it starts, or its blocks overlap.
    #[error("working blocks on {0} are empty or overlap")]
    BadDateBlocks(NaiveDate),
    /// Two overrides name the same date.
    #[error("{0} has more than one override")]
    DuplicateDate(NaiveDate),
}

/// Working blocks of one day, sorted and non-overlapping.
type Blocks = Vec<(NaiveTime, NaiveTime)>;

/// Validated working hours: the zone, per weekday sorted non-overlapping blocks, and the
/// dates whose blocks replace their weekday's.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkingHours {
    tz: Tz,
    days: [Blocks; 7],
    overrides: BTreeMap<NaiveDate, Blocks>,
}

fn parse_hhmm(s: &str) -> Result<NaiveTime, ScheduleError> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| ScheduleError::BadTime(s.to_owned()))
}

/// Parses a strict `YYYY-MM-DD`: chrono alone would also take `2026-1-5`, which the admin
/// never writes and which would then not round-trip.
fn parse_date(s: &str) -> Result<NaiveDate, ScheduleError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == s)
        .ok_or_else(|| ScheduleError::BadDate(s.to_owned()))
}

/// Parses one day's blocks, sorted; `bad` is the error for empty or overlapping blocks.
fn parse_blocks(blocks: &[BlockSpec], bad: impl FnOnce() -> ScheduleError) -> Result<Blocks, ScheduleError> {
    let mut parsed = blocks
        .iter()
        .map(|b| Ok((parse_hhmm(&b.start)?, parse_hhmm(&b.end)?)))
        .collect::<Result<Blocks, ScheduleError>>()?;
    parsed.sort();
    let empty = parsed.iter().any(|(s, e)| s >= e);
    let overlapping = parsed.windows(2).any(|w| w[0].1 > w[1].0);
    if empty || overlapping { Err(bad()) } else { Ok(parsed) }
}

impl ScheduleSpec {
    /// Checks the zone, the weekly blocks and the overrides (in that order; the first problem
    /// found is returned).
    pub fn parse(&self) -> Result<WorkingHours, ScheduleError> {
        let tz: Tz = self.time_zone.parse().map_err(|_| ScheduleError::UnknownTimeZone(self.time_zone.clone()))?;
        let mut days: [Blocks; 7] = Default::default();
        for (i, blocks) in self.weekly.iter().enumerate() {
            let weekday = Weekday::try_from(i as u8).unwrap_or(Weekday::Mon);
            days[i] = parse_blocks(blocks, || ScheduleError::BadBlocks(weekday))?;
        }
        let mut overrides = BTreeMap::new();
        for o in &self.overrides {
            let date = parse_date(&o.date)?;
            let blocks = parse_blocks(&o.blocks, || ScheduleError::BadDateBlocks(date))?;
            if overrides.insert(date, blocks).is_some() {
                return Err(ScheduleError::DuplicateDate(date));
            }
        }
        Ok(WorkingHours { tz, days, overrides })
    }

    /// Weekdays `start`–`end` in `time_zone`, nothing at weekends.
    pub fn weekdays(time_zone: &str, start: &str, end: &str) -> Self {
        let block = || vec![BlockSpec { start: start.to_owned(), end: end.to_owned() }];
        Self {
            time_zone: time_zone.to_owned(),
            weekly: [block(), block(), block(), block(), block(), vec![], vec![]],
            overrides: Vec::new(),
        }
    }
}

impl WorkingHours {
    /// The agent's zone.
    pub fn time_zone(&self) -> Tz {
        self.tz
    }

    /// The working blocks of local `date`, sorted: its override's blocks if it has one (none
    /// on a day off), its weekday's blocks otherwise.
    pub fn blocks_on(&self, date: NaiveDate) -> &[(NaiveTime, NaiveTime)] {
        match self.overrides.get(&date) {
            Some(blocks) => blocks,
            None => &self.days[date.weekday().num_days_from_monday() as usize],
        }
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
            for &(block_start, block_end) in self.blocks_on(date) {
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
        self.blocks_on(date).iter().any(|&(block_start, block_end)| {
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
    free_slots(agents, |a| a.hours, |a, s| a.is_free(s, now, rules), from, until, rules.duration_minutes)
}

/// The meeting lengths an agent takes: multiples of 5 minutes from 5 to 480, stored as a
/// list of minutes. Empty means any length (the default), so agents stored before lengths
/// existed take every meeting as before. A set of bits, so [`AgentRules`] stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Durations(u128);

/// Why a list of meeting lengths was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Meeting lengths must be multiples of 5 minutes from 5 to 480; {0} is not.")]
pub struct DurationError(pub u32);

impl Durations {
    /// The set of `minutes`, each a multiple of 5 from 5 to 480.
    pub fn from_minutes(minutes: &[u32]) -> Result<Self, DurationError> {
        minutes.iter().try_fold(Self(0), |set, &m| match Self::bit(m) {
            Some(bit) => Ok(Self(set.0 | bit)),
            None => Err(DurationError(m)),
        })
    }

    fn bit(minutes: u32) -> Option<u128> {
        (minutes.is_multiple_of(5) && (5..=480).contains(&minutes)).then(|| 1u128 << (minutes / 5 - 1))
    }

    /// Whether no length is set (any length is taken).
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// Whether a meeting of `minutes` may be booked with this agent.
    pub fn allows(&self, minutes: u32) -> bool {
        self.is_empty() || Self::bit(minutes).is_some_and(|bit| self.0 & bit != 0)
    }

    /// The lengths, shortest first.
    pub fn minutes(&self) -> Vec<u32> {
        (1..=96u32).filter(|i| self.0 & (1u128 << (i - 1)) != 0).map(|i| i * 5).collect()
    }
}

impl Serialize for Durations {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.minutes().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Durations {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let minutes = Vec::<u32>::deserialize(deserializer)?;
        Self::from_minutes(&minutes).map_err(serde::de::Error::custom)
    }
}

/// An agent's own booking rules, as stored. Every field may be left out: the defaults keep
/// no buffers, set no cap and leave notice and horizon to the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AgentRules {
    /// Minutes kept clear before each meeting booked here (preparation).
    pub buffer_before_minutes: u32,
    /// Minutes kept clear after each meeting booked here (wrap-up).
    pub buffer_after_minutes: u32,
    /// The most meetings booked here that may start on one day in the agent's zone; `None`
    /// for no limit, `Some(0)` to take no bookings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
    /// Minimum notice in minutes; used only when longer than the pool's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_notice_minutes: Option<u32>,
    /// Booking horizon in days; used only when shorter than the pool's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// The meeting lengths this agent takes; empty for any.
    #[serde(skip_serializing_if = "Durations::is_empty")]
    pub durations: Durations,
}

impl AgentRules {
    /// The pool's `rules` with this agent's notice and horizon where they are stricter: the
    /// longer notice and the shorter horizon. The duration stays the pool's.
    pub fn tighten(&self, pool: &SlotRules) -> SlotRules {
        SlotRules {
            duration_minutes: pool.duration_minutes,
            min_notice_minutes: self
                .min_notice_minutes
                .map_or(pool.min_notice_minutes, |m| m.max(pool.min_notice_minutes)),
            horizon_days: self.horizon_days.map_or(pool.horizon_days, |d| d.min(pool.horizon_days)),
        }
    }

    /// The time a meeting booked here takes from the agent's calendar: `meeting` widened by
    /// the buffers before and after.
    pub fn reserved(&self, meeting: &Interval) -> Interval {
        // Saturating rather than panicking: buffers come from stored data, and a request path
        // must not panic (a buffer of u32::MAX minutes is some 8,000 years, so this is
        // theoretical).
        let before = Duration::minutes(i64::from(self.buffer_before_minutes));
        let after = Duration::minutes(i64::from(self.buffer_after_minutes));
        Interval {
            start: meeting.start.checked_sub_signed(before).unwrap_or(DateTime::<Utc>::MIN_UTC),
            end: meeting.end.checked_add_signed(after).unwrap_or(DateTime::<Utc>::MAX_UTC),
        }
    }
}

/// Why an agent cannot take a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// The agent does not take meetings of this length.
    Length,
    /// Outside their working hours, or too soon or too far ahead.
    NotWorking,
    /// A meeting or a calendar event (with buffers) is in the way.
    Busy,
    /// The daily cap is reached on that local day.
    DailyCap,
}

/// One agent with everything that decides whether they can take a meeting: working hours
/// (with date overrides), their own rules, the meetings already booked with them here, and
/// other busy time.
///
/// Meetings booked here and calendar busy time are passed apart because they count
/// differently. A meeting booked here reserves its own buffers (see [`AgentRules::reserved`])
/// and counts toward the daily cap. A calendar event only has to stay clear of the new
/// meeting's buffers and never counts toward the cap, since Confab cannot tell a meeting from
/// a dentist appointment. A meeting booked here usually also shows up in the calendar's busy
/// time (booking writes it there); it then blocks the same time and still counts once.
#[derive(Debug, Clone, Copy)]
pub struct AgentSchedule<'a> {
    /// The agent's working hours.
    pub hours: &'a WorkingHours,
    /// The agent's buffers, daily cap, notice and horizon.
    pub rules: AgentRules,
    /// Meetings booked with this agent through Confab and still on (canceled ones left out), in
    /// any order. For the cap to be exact they must cover the whole local days of the slots
    /// asked about, in the agent's zone; for the buffers, the window widened by the buffers.
    pub meetings: &'a [Interval],
    /// Other busy time: events read from the agent's calendar.
    pub busy: &'a [Interval],
}

impl<'a> From<AgentAvailability<'a>> for AgentSchedule<'a> {
    /// Working hours and busy time without rules: no buffers, no cap, the pool's notice and
    /// horizon, no meetings counted.
    fn from(a: AgentAvailability<'a>) -> Self {
        Self { hours: a.hours, rules: AgentRules::default(), meetings: &[], busy: a.busy }
    }
}

impl AgentSchedule<'_> {
    /// Whether this agent can take `slot` at `now` under the pool's `rules` tightened by their
    /// own ([`AgentRules::tighten`]): see [`AgentSchedule::check`].
    pub fn is_free(&self, slot: &Interval, now: DateTime<Utc>, rules: &SlotRules) -> bool {
        self.check(slot, now, rules).is_ok()
    }

    /// Why this agent cannot take `slot` at `now`, if they cannot: the agent takes meetings of
    /// that length and the slot lasts exactly the duration; it is one the agent offers on its
    /// local date (override blocks included) and respects notice and horizon; the slot widened
    /// by the buffers overlaps no busy interval and no meeting booked here widened by the
    /// buffers; and fewer meetings than the daily cap start on its local date.
    pub fn check(&self, slot: &Interval, now: DateTime<Utc>, rules: &SlotRules) -> Result<(), Unavailable> {
        let rules = self.rules.tighten(rules);
        let reserved = self.rules.reserved(slot);
        if !self.rules.durations.allows(rules.duration_minutes) {
            return Err(Unavailable::Length);
        }
        if slot.end - slot.start != Duration::minutes(i64::from(rules.duration_minutes))
            || !rules.allows(slot.start, now)
            || !self.hours.offers(slot.start, rules.duration_minutes)
        {
            return Err(Unavailable::NotWorking);
        }
        if self.busy.iter().any(|b| b.overlaps(&reserved))
            || self.meetings.iter().any(|m| self.rules.reserved(m).overlaps(&reserved))
        {
            return Err(Unavailable::Busy);
        }
        if !self.under_cap(slot.start) {
            return Err(Unavailable::DailyCap);
        }
        Ok(())
    }

    /// Whether one more meeting may start on the agent's local date of `start`.
    fn under_cap(&self, start: DateTime<Utc>) -> bool {
        let Some(cap) = self.rules.daily_cap else { return true };
        let tz = self.hours.time_zone();
        let day = start.with_timezone(&tz).date_naive();
        let booked = self.meetings.iter().filter(|m| m.start.with_timezone(&tz).date_naive() == day).count();
        booked < cap as usize
    }
}

/// The slots of a routing pool of agents with their own rules whose start lies in
/// `[from, until)`: a slot is offered when at least one agent [is free](AgentSchedule::is_free)
/// for it under the pool's `rules`. Sorted, without duplicates. With default [`AgentRules`]
/// and no meetings this is [`pool_slots`].
pub fn pool_slots_with_rules(
    agents: &[AgentSchedule<'_>],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
    rules: &SlotRules,
) -> Vec<Interval> {
    free_slots(agents, |a| a.hours, |a, s| a.is_free(s, now, rules), from, until, rules.duration_minutes)
}

/// Every slot of `minutes` in `[from, until)` that at least one agent offers and is free for,
/// sorted, without duplicates: the one body behind [`pool_slots`] and [`pool_slots_with_rules`].
fn free_slots<A>(
    agents: &[A],
    hours: impl Fn(&A) -> &WorkingHours,
    is_free: impl Fn(&A, &Interval) -> bool,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    minutes: u32,
) -> Vec<Interval> {
    let mut out: Vec<Interval> = agents
        .iter()
        .flat_map(|a| hours(a).slots(from, until, minutes).into_iter().filter(|s| is_free(a, s)).collect::<Vec<_>>())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
