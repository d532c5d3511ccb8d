//! The availability editor's draft: what the admin is typing (times, dates and numbers as
//! text), built from an agent as stored and checked back into a `PATCH` with every problem at
//! once, each attached to the field it concerns. Pure, so it is tested natively; the edge
//! validates again (the time zone against the IANA database among others).

use crate::api::{AgentCalendar, AgentPatch, Block, DateOverride, Rules, Schedule};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

/// Weekday names, Monday first as the schedule stores them.
pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Meeting lengths offered as checkboxes, in minutes (lengths stored besides these are
/// offered too).
pub const LENGTH_PRESETS: [u32; 5] = [15, 30, 45, 60, 90];

/// Longest buffer accepted, in minutes.
const MAX_BUFFER_MINUTES: u32 = 480;
/// Longest minimum notice accepted, in hours.
const MAX_NOTICE_HOURS: u32 = 720;
/// Longest horizon accepted, in days.
const MAX_HORIZON_DAYS: u32 = 365;
/// Highest daily cap accepted.
const MAX_DAILY_CAP: u32 = 100;
/// Highest round-robin weight the edge accepts, in percent.
const MAX_WEIGHT_PERCENT: u32 = 1_000;
/// The last minute of a day a block may end at (blocks do not cross midnight).
const LAST_MINUTE: u32 = 23 * 60 + 59;

static NEXT_KEY: AtomicU32 = AtomicU32::new(1);

/// A key no other row of this page has, so keyed lists keep their rows (and focus) while the
/// rows around them are added or removed.
fn fresh_key() -> u32 {
    NEXT_KEY.fetch_add(1, Ordering::Relaxed)
}

/// One block of working time being edited, `"HH:MM"` as a time input gives it.
#[derive(Debug, Clone)]
pub struct BlockDraft {
    /// Identifies the row; not part of the value.
    pub key: u32,
    /// Start, `"HH:MM"` (empty while the input is cleared).
    pub start: String,
    /// End, `"HH:MM"`.
    pub end: String,
}

impl PartialEq for BlockDraft {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start && self.end == other.end
    }
}

impl BlockDraft {
    /// A new row from `start` to `end`.
    pub fn new(start: impl Into<String>, end: impl Into<String>) -> Self {
        BlockDraft { key: fresh_key(), start: start.into(), end: end.into() }
    }
}

/// One date override being edited.
#[derive(Debug, Clone)]
pub struct OverrideDraft {
    /// Identifies the row; not part of the value.
    pub key: u32,
    /// `"YYYY-MM-DD"` as a date input gives it (empty until chosen).
    pub date: String,
    /// Whether the agent takes the whole day off; otherwise `blocks` are worked.
    pub day_off: bool,
    /// The hours worked that date, when not a day off.
    pub blocks: Vec<BlockDraft>,
}

impl PartialEq for OverrideDraft {
    fn eq(&self, other: &Self) -> bool {
        self.date == other.date && self.day_off == other.day_off && self.blocks == other.blocks
    }
}

/// Which list of blocks an edit concerns: a weekday's (0 = Monday) or a date override's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BlockOwner {
    /// A weekday, 0 = Monday.
    Day(usize),
    /// The override with this key.
    Override(u32),
}

/// Where a problem is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The time zone input.
    TimeZone,
    /// A weekday's blocks, 0 = Monday.
    Day(usize),
    /// The override with this key.
    Override(u32),
    /// The meeting lengths.
    Lengths,
    /// The buffer before meetings.
    BufferBefore,
    /// The buffer after meetings.
    BufferAfter,
    /// The minimum notice.
    MinNotice,
    /// The booking horizon.
    Horizon,
    /// The daily cap.
    DailyCap,
    /// The round-robin weight.
    Weight,
    /// The form as a whole (problems the edge reports that belong to no one field).
    Form,
}

/// Problems found, each with the field it concerns.
pub type Errors = BTreeMap<Field, String>;

/// The editor's state: an agent's working hours and rules as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    /// IANA zone name.
    pub time_zone: String,
    /// Monday to Sunday.
    pub weekly: [Vec<BlockDraft>; 7],
    /// Dates with other hours, or days off.
    pub overrides: Vec<OverrideDraft>,
    /// Whether meetings of any length are taken (then `lengths` is ignored).
    pub any_length: bool,
    /// The lengths taken, in minutes, when not any.
    pub lengths: BTreeSet<u32>,
    /// Minutes kept clear before each meeting.
    pub buffer_before: String,
    /// Minutes kept clear after each meeting.
    pub buffer_after: String,
    /// Minimum notice in hours; empty for the pool's.
    pub min_notice_hours: String,
    /// Booking horizon in days; empty for the pool's.
    pub horizon_days: String,
    /// Most meetings a day; empty for no limit.
    pub daily_cap: String,
    /// Round-robin weight in percent.
    pub weight_percent: String,
}

impl Draft {
    /// The draft of `agent` as stored.
    pub fn from_agent(agent: &AgentCalendar) -> Draft {
        let blocks = |list: &[Block]| -> Vec<BlockDraft> {
            list.iter().map(|b| BlockDraft::new(normalize_time(&b.start), normalize_time(&b.end))).collect()
        };
        let rules = &agent.rules;
        Draft {
            time_zone: if agent.schedule.time_zone.is_empty() {
                agent.time_zone.clone()
            } else {
                agent.schedule.time_zone.clone()
            },
            weekly: std::array::from_fn(|day| blocks(&agent.schedule.weekly[day])),
            overrides: agent
                .schedule
                .overrides
                .iter()
                .map(|o| OverrideDraft {
                    key: fresh_key(),
                    date: o.date.clone(),
                    day_off: o.blocks.is_empty(),
                    blocks: blocks(&o.blocks),
                })
                .collect(),
            any_length: rules.durations.is_empty(),
            lengths: rules.durations.iter().copied().collect(),
            buffer_before: rules.buffer_before_minutes.to_string(),
            buffer_after: rules.buffer_after_minutes.to_string(),
            min_notice_hours: rules.min_notice_minutes.map(hours_text).unwrap_or_default(),
            horizon_days: rules.horizon_days.map(|d| d.to_string()).unwrap_or_default(),
            daily_cap: rules.daily_cap.map(|c| c.to_string()).unwrap_or_default(),
            weight_percent: agent.weight_percent.to_string(),
        }
    }

    /// The blocks of `owner`, if it exists.
    pub fn blocks(&self, owner: BlockOwner) -> Option<&Vec<BlockDraft>> {
        match owner {
            BlockOwner::Day(day) => self.weekly.get(day),
            BlockOwner::Override(key) => self.overrides.iter().find(|o| o.key == key).map(|o| &o.blocks),
        }
    }

    /// The blocks of `owner`, to change them.
    pub fn blocks_mut(&mut self, owner: BlockOwner) -> Option<&mut Vec<BlockDraft>> {
        match owner {
            BlockOwner::Day(day) => self.weekly.get_mut(day),
            BlockOwner::Override(key) => self.overrides.iter_mut().find(|o| o.key == key).map(|o| &mut o.blocks),
        }
    }

    /// Adds a block to `owner`: 09:00–17:00 on an empty day, otherwise an hour starting an
    /// hour after the last block (empty times when the day has no room left). Answers its key.
    pub fn add_block(&mut self, owner: BlockOwner) -> Option<u32> {
        let blocks = self.blocks_mut(owner)?;
        let block = match blocks.iter().filter_map(|b| parse_time(&b.end)).max() {
            None if blocks.is_empty() => BlockDraft::new("09:00", "17:00"),
            Some(last) if last + 60 < LAST_MINUTE => {
                BlockDraft::new(time_text(last + 60), time_text((last + 120).min(LAST_MINUTE)))
            }
            _ => BlockDraft::new("", ""),
        };
        let key = block.key;
        blocks.push(block);
        Some(key)
    }

    /// Removes the block `key` of `owner`.
    pub fn remove_block(&mut self, owner: BlockOwner, key: u32) {
        if let Some(blocks) = self.blocks_mut(owner) {
            blocks.retain(|b| b.key != key);
        }
    }

    /// Gives Tuesday to Friday Monday's blocks.
    pub fn copy_monday_to_weekdays(&mut self) {
        let monday = self.weekly[0].clone();
        for day in &mut self.weekly[1..5] {
            *day = monday.iter().map(|b| BlockDraft::new(b.start.clone(), b.end.clone())).collect();
        }
    }

    /// Adds an override (a day off until its date and hours are chosen); answers its key.
    pub fn add_override(&mut self) -> u32 {
        let key = fresh_key();
        self.overrides.push(OverrideDraft { key, date: String::new(), day_off: true, blocks: Vec::new() });
        key
    }

    /// Makes the override `key` a day off, or a day with hours (09:00–17:00 when it has none).
    pub fn set_day_off(&mut self, key: u32, day_off: bool) {
        if let Some(o) = self.overrides.iter_mut().find(|o| o.key == key) {
            o.day_off = day_off;
            if !day_off && o.blocks.is_empty() {
                o.blocks.push(BlockDraft::new("09:00", "17:00"));
            }
        }
    }

    /// Removes the override `key`.
    pub fn remove_override(&mut self, key: u32) {
        self.overrides.retain(|o| o.key != key);
    }

    /// The schedule, rules and weight this draft says, or every problem found.
    pub fn validate(&self) -> Result<(Schedule, Rules, u32), Errors> {
        let mut errors = Errors::new();
        let time_zone = self.time_zone.trim();
        if time_zone.is_empty() {
            errors.insert(Field::TimeZone, "Enter the agent's time zone, such as America/New_York.".into());
        } else if time_zone.contains(char::is_whitespace) {
            errors.insert(
                Field::TimeZone,
                "A time zone name has no spaces: use underscores, as in America/New_York.".into(),
            );
        }
        let mut weekly: [Vec<Block>; 7] = Default::default();
        for (day, blocks) in self.weekly.iter().enumerate() {
            match check_blocks(blocks) {
                Ok(list) => weekly[day] = list,
                Err(message) => {
                    errors.insert(Field::Day(day), message);
                }
            }
        }
        let mut overrides = Vec::new();
        let mut seen = BTreeSet::new();
        for o in &self.overrides {
            let date = o.date.trim();
            let blocks = if o.day_off {
                Ok(Vec::new())
            } else if o.blocks.is_empty() {
                Err("Add working hours, or mark the date as a day off.".to_owned())
            } else {
                check_blocks(&o.blocks)
            };
            let problem = if date.is_empty() {
                Some("Choose the date.".to_owned())
            } else if !is_date(date) {
                Some(format!("{date} is not a date; use the YYYY-MM-DD form."))
            } else if !seen.insert(date.to_owned()) {
                Some(format!("{date} is listed twice; keep one entry per date."))
            } else {
                blocks.as_ref().err().cloned()
            };
            match (problem, blocks) {
                (Some(message), _) | (None, Err(message)) => {
                    errors.insert(Field::Override(o.key), message);
                }
                (None, Ok(blocks)) => overrides.push(DateOverride { date: date.to_owned(), blocks }),
            }
        }
        overrides.sort_by(|a, b| a.date.cmp(&b.date));

        let durations: Vec<u32> = if self.any_length { Vec::new() } else { self.lengths.iter().copied().collect() };
        if !self.any_length && durations.is_empty() {
            errors.insert(Field::Lengths, "Choose at least one meeting length, or tick Any length.".into());
        } else if let Some(bad) = durations.iter().find(|m| !(5..=480).contains(*m) || !m.is_multiple_of(5)) {
            errors.insert(Field::Lengths, format!("{bad} minutes is not a length Confab books; use multiples of 5."));
        }
        let buffer = |text: &str, field: Field, errors: &mut Errors| {
            parse_whole(text).filter(|m| *m <= MAX_BUFFER_MINUTES).unwrap_or_else(|| {
                errors.insert(field, format!("Enter whole minutes from 0 to {MAX_BUFFER_MINUTES} (0 for none)."));
                0
            })
        };
        let buffer_before_minutes = buffer(&self.buffer_before, Field::BufferBefore, &mut errors);
        let buffer_after_minutes = buffer(&self.buffer_after, Field::BufferAfter, &mut errors);
        let min_notice_minutes =
            optional(&self.min_notice_hours, |t| parse_hours(t).filter(|m| *m <= MAX_NOTICE_HOURS * 60))
                .unwrap_or_else(|()| {
                    errors.insert(
                        Field::MinNotice,
                        format!("Enter hours from 0 to {MAX_NOTICE_HOURS}, such as 4 or 1.5, or leave it empty."),
                    );
                    None
                });
        let horizon_days =
            optional(&self.horizon_days, |t| parse_whole(t).filter(|d| (1..=MAX_HORIZON_DAYS).contains(d)))
                .unwrap_or_else(|()| {
                    errors.insert(
                        Field::Horizon,
                        format!("Enter whole days from 1 to {MAX_HORIZON_DAYS}, or leave it empty."),
                    );
                    None
                });
        let daily_cap =
            optional(&self.daily_cap, |t| parse_whole(t).filter(|c| *c <= MAX_DAILY_CAP)).unwrap_or_else(|()| {
                errors.insert(
                    Field::DailyCap,
                    format!("Enter a whole number from 0 to {MAX_DAILY_CAP}, or leave it empty for no limit."),
                );
                None
            });
        let weight = parse_whole(&self.weight_percent).filter(|w| *w <= MAX_WEIGHT_PERCENT).unwrap_or_else(|| {
            errors.insert(Field::Weight, format!("Enter a whole percentage from 0 to {MAX_WEIGHT_PERCENT}."));
            0
        });

        if !errors.is_empty() {
            return Err(errors);
        }
        let schedule = Schedule { time_zone: time_zone.to_owned(), weekly, overrides };
        let rules = Rules {
            buffer_before_minutes,
            buffer_after_minutes,
            daily_cap,
            min_notice_minutes,
            horizon_days,
            durations,
        };
        Ok((schedule, rules, weight))
    }

    /// The `PATCH` that turns `original` into this draft (only the parts that differ), or
    /// every problem found.
    pub fn patch(&self, original: &AgentCalendar) -> Result<AgentPatch, Errors> {
        let (schedule, rules, weight) = self.validate()?;
        Ok(AgentPatch {
            weight_percent: (weight != original.weight_percent).then_some(weight),
            rules: (rules != original.rules).then_some(rules),
            schedule: (schedule != original.schedule).then_some(schedule),
        })
    }
}

/// The meeting lengths to offer as checkboxes: the presets and any other length stored.
pub fn length_options(stored: &[u32]) -> Vec<u32> {
    let mut all: BTreeSet<u32> = LENGTH_PRESETS.into_iter().collect();
    all.extend(stored.iter().copied());
    all.into_iter().collect()
}

/// Where a problem the edge reported on save belongs: `invalid_weight` by the weight, an
/// unknown time zone by the time zone, anything else under the form.
pub fn server_field(code: &str, message: &str) -> Field {
    match code {
        "invalid_weight" => Field::Weight,
        "invalid_schedule" if message.to_lowercase().contains("time zone") => Field::TimeZone,
        _ => Field::Form,
    }
}

/// The blocks of one day as stored (sorted by start), or why they cannot be.
fn check_blocks(blocks: &[BlockDraft]) -> Result<Vec<Block>, String> {
    let mut spans = Vec::with_capacity(blocks.len());
    for b in blocks {
        let (Some(start), Some(end)) = (parse_time(&b.start), parse_time(&b.end)) else {
            return Err("Enter a start and an end time for every block.".into());
        };
        if end <= start {
            return Err(format!("A block must end after it starts ({}–{}).", time_text(start), time_text(end)));
        }
        spans.push((start, end));
    }
    spans.sort_unstable();
    if let Some(pair) = spans.windows(2).find(|w| w[1].0 < w[0].1) {
        let (a, b) = (pair[0], pair[1]);
        return Err(format!(
            "{}–{} and {}–{} overlap; make them separate or merge them.",
            time_text(a.0),
            time_text(a.1),
            time_text(b.0),
            time_text(b.1)
        ));
    }
    Ok(spans.into_iter().map(|(s, e)| Block { start: time_text(s), end: time_text(e) }).collect())
}

/// `"HH:MM"` (or `"H:MM"`, or with seconds as some time inputs give) as minutes after
/// midnight.
pub fn parse_time(text: &str) -> Option<u32> {
    let mut parts = text.trim().split(':');
    let (hours, minutes) = (parts.next()?, parts.next()?);
    if let Some(seconds) = parts.next()
        && (seconds.len() != 2 || !seconds.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts.next().is_some() || !(1..=2).contains(&hours.len()) || minutes.len() != 2 {
        return None;
    }
    let (h, m) = (parse_whole(hours)?, parse_whole(minutes)?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight as `"HH:MM"`.
pub fn time_text(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A stored time as a time input shows it (`"9:00"` → `"09:00"`); unreadable text is kept.
fn normalize_time(text: &str) -> String {
    parse_time(text).map_or_else(|| text.to_owned(), time_text)
}

/// A whole number typed as digits (surrounding spaces allowed).
fn parse_whole(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Hours typed as `"4"`, `"1.5"` or `"0.25"` (a comma works as the decimal mark too), as whole
/// minutes, rounded.
pub fn parse_hours(text: &str) -> Option<u32> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) || (whole.is_empty() && fraction.is_empty())
    {
        return None;
    }
    let whole = if whole.is_empty() { 0 } else { parse_whole(whole)? };
    let hundredths = match fraction.len() {
        0 => 0,
        1 => parse_whole(fraction)? * 10,
        _ => parse_whole(fraction)?,
    };
    let minutes = whole.checked_mul(60)?.checked_add((hundredths * 60 + 50) / 100)?;
    Some(minutes)
}

/// Minutes as hours to type: `"4"`, `"1.5"`, `"1.67"` (reading it back gives the same
/// minutes).
pub fn hours_text(minutes: u32) -> String {
    let (whole, rest) = (minutes / 60, minutes % 60);
    if rest == 0 {
        return whole.to_string();
    }
    // Rounded to the nearest hundredth, which reads back as the same minute (a hundredth of
    // an hour is 0.6 min). `rest` is at most 59, so this stays below 100.
    let hundredths = (rest * 100 + 30) / 60;
    format!("{whole}.{hundredths:02}").trim_end_matches('0').to_owned()
}

/// An optional number: empty text is `None`, text `parse` reads is `Some`, anything else is
/// an error.
fn optional(text: &str, parse: impl Fn(&str) -> Option<u32>) -> Result<Option<u32>, ()> {
    if text.trim().is_empty() { Ok(None) } else { parse(text).map(Some).ok_or(()) }
}

/// Whether `text` is a calendar date `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else { return false };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (parse_whole(year), parse_whole(month), parse_whole(day)) else {
        return false;
    };
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::AgentName;

    fn block(start: &str, end: &str) -> Block {
        Block { start: start.into(), end: end.into() }
    }

    fn ada() -> AgentCalendar {
        let nine_to_five = vec![block("09:00", "17:00")];
        AgentCalendar {
            agent: AgentName { id: "agent-1".into(), name: "Ada".into() },
            time_zone: "America/New_York".into(),
            schedule: Schedule {
                time_zone: "America/New_York".into(),
                weekly: [
                    vec![block("9:00", "12:00"), block("13:00", "17:00")],
                    nine_to_five.clone(),
                    nine_to_five.clone(),
                    nine_to_five.clone(),
                    nine_to_five,
                    Vec::new(),
                    Vec::new(),
                ],
                overrides: vec![DateOverride { date: "2026-12-24".into(), blocks: Vec::new() }],
            },
            rules: Rules {
                buffer_before_minutes: 5,
                buffer_after_minutes: 10,
                daily_cap: Some(6),
                min_notice_minutes: Some(90),
                horizon_days: None,
                durations: vec![20, 30],
            },
            weight_percent: 100,
            ..AgentCalendar::default()
        }
    }

    #[test]
    fn an_untouched_draft_is_clean_and_patches_nothing_but_normalised_times() {
        let agent = ada();
        let draft = Draft::from_agent(&agent);
        assert_eq!(draft, Draft::from_agent(&agent), "keys are not part of the value");
        assert_eq!(draft.weekly[0][0].start, "09:00");
        assert_eq!(draft.min_notice_hours, "1.5");
        assert!(!draft.any_length);
        assert!(draft.overrides[0].day_off);
        let patch = draft.patch(&agent).map_err(|e| format!("{e:?}"));
        // "9:00" is stored; the draft sends it back as "09:00", the only difference.
        assert_eq!(
            patch,
            Ok(AgentPatch {
                schedule: Some(Schedule {
                    weekly: std::array::from_fn(|d| match d {
                        0 => vec![block("09:00", "12:00"), block("13:00", "17:00")],
                        5 | 6 => Vec::new(),
                        _ => vec![block("09:00", "17:00")],
                    }),
                    ..agent.schedule.clone()
                }),
                ..AgentPatch::default()
            })
        );
    }

    #[test]
    fn changed_rules_and_weight_are_patched_alone() {
        let mut agent = ada();
        agent.schedule.weekly[0] = vec![block("09:00", "12:00"), block("13:00", "17:00")];
        let mut draft = Draft::from_agent(&agent);
        draft.any_length = true;
        draft.min_notice_hours = String::new();
        draft.horizon_days = " 14 ".into();
        draft.weight_percent = "150".into();
        let Ok(patch) = draft.patch(&agent) else { panic!("the draft is valid") };
        assert_eq!(patch.weight_percent, Some(150));
        assert_eq!(patch.schedule, None);
        assert_eq!(
            patch.rules,
            Some(Rules {
                buffer_before_minutes: 5,
                buffer_after_minutes: 10,
                daily_cap: Some(6),
                min_notice_minutes: None,
                horizon_days: Some(14),
                durations: Vec::new(),
            })
        );
    }

    #[test]
    fn every_problem_is_reported_next_to_its_field() {
        let mut draft = Draft::from_agent(&ada());
        draft.time_zone = "  ".into();
        draft.weekly[1] = vec![BlockDraft::new("17:00", "09:00")];
        draft.weekly[2] = vec![BlockDraft::new("09:00", "12:00"), BlockDraft::new("11:00", "13:00")];
        draft.weekly[3] = vec![BlockDraft::new("", "12:00")];
        let (a, b) = (draft.add_override(), draft.add_override());
        draft.overrides.iter_mut().for_each(|o| o.date = "2026-12-24".into());
        draft.set_day_off(b, false);
        draft.remove_block(BlockOwner::Override(b), draft.overrides[2].blocks[0].key);
        let bad = draft.add_override();
        draft.overrides[3].date = "2026-02-30".into();
        draft.any_length = false;
        draft.lengths.clear();
        draft.buffer_before = "-5".into();
        draft.buffer_after = "481".into();
        draft.min_notice_hours = "1.555".into();
        draft.horizon_days = "0".into();
        draft.daily_cap = "lots".into();
        draft.weight_percent = "1001".into();
        let Err(errors) = draft.validate() else { panic!("the draft is invalid") };
        let text = |field| errors.get(&field).map(String::as_str).unwrap_or_default();
        assert_eq!(text(Field::TimeZone), "Enter the agent's time zone, such as America/New_York.");
        assert_eq!(text(Field::Day(1)), "A block must end after it starts (17:00–09:00).");
        assert_eq!(text(Field::Day(2)), "09:00–12:00 and 11:00–13:00 overlap; make them separate or merge them.");
        assert_eq!(text(Field::Day(3)), "Enter a start and an end time for every block.");
        assert_eq!(text(Field::Override(a)), "2026-12-24 is listed twice; keep one entry per date.");
        assert_eq!(text(Field::Override(b)), "2026-12-24 is listed twice; keep one entry per date.");
        assert_eq!(text(Field::Override(bad)), "2026-02-30 is not a date; use the YYYY-MM-DD form.");
        assert_eq!(text(Field::Lengths), "Choose at least one meeting length, or tick Any length.");
        assert!(text(Field::BufferBefore).starts_with("Enter whole minutes from 0 to 480"));
        assert!(text(Field::BufferAfter).starts_with("Enter whole minutes from 0 to 480"));
        assert!(text(Field::MinNotice).starts_with("Enter hours from 0 to 720"));
        assert!(text(Field::Horizon).starts_with("Enter whole days from 1 to 365"));
        assert!(text(Field::DailyCap).starts_with("Enter a whole number from 0 to 100"));
        assert!(text(Field::Weight).starts_with("Enter a whole percentage from 0 to 1000"));
        assert!(!errors.contains_key(&Field::Day(0)) && !errors.contains_key(&Field::Override(draft.overrides[0].key)));
    }

    #[test]
    fn an_override_with_hours_but_no_block_asks_for_hours_or_a_day_off() {
        let mut draft = Draft::from_agent(&ada());
        let key = draft.add_override();
        draft.overrides[1].date = "2026-12-26".into();
        draft.overrides[1].day_off = false;
        let Err(errors) = draft.validate() else { panic!("the override has no hours") };
        assert_eq!(
            errors.get(&Field::Override(key)).map(String::as_str),
            Some("Add working hours, or mark the date as a day off.")
        );
        draft.set_day_off(key, false);
        let Ok((schedule, _, _)) = draft.validate() else { panic!("hours were added") };
        assert_eq!(
            schedule.overrides,
            [
                DateOverride { date: "2026-12-24".into(), blocks: Vec::new() },
                DateOverride { date: "2026-12-26".into(), blocks: vec![block("09:00", "17:00")] },
            ]
        );
    }

    #[test]
    fn blocks_are_added_after_the_last_and_sorted_when_saved() {
        let mut draft = Draft::default();
        draft.add_block(BlockOwner::Day(5));
        assert_eq!(draft.weekly[5], [BlockDraft::new("09:00", "17:00")]);
        draft.add_block(BlockOwner::Day(5));
        assert_eq!(draft.weekly[5][1], BlockDraft::new("18:00", "19:00"));
        draft.weekly[6] = vec![BlockDraft::new("22:00", "23:30")];
        draft.add_block(BlockOwner::Day(6));
        assert_eq!(draft.weekly[6][1], BlockDraft::new("", ""));
        assert_eq!(draft.add_block(BlockOwner::Override(12_345)), None);
        draft.weekly[0] = vec![BlockDraft::new("13:00", "17:00"), BlockDraft::new("09:00", "12:00")];
        assert_eq!(check_blocks(&draft.weekly[0]), Ok(vec![block("09:00", "12:00"), block("13:00", "17:00")]));
        assert_eq!(
            check_blocks(&[BlockDraft::new("09:00", "12:00"), BlockDraft::new("12:00", "13:00")]).map(|b| b.len()),
            Ok(2),
            "blocks that touch do not overlap"
        );
    }

    #[test]
    fn monday_is_copied_to_the_other_weekdays_only() {
        let mut draft = Draft::from_agent(&ada());
        draft.weekly[0] = vec![BlockDraft::new("08:00", "12:00"), BlockDraft::new("13:00", "16:00")];
        draft.weekly[5] = vec![BlockDraft::new("10:00", "12:00")];
        draft.copy_monday_to_weekdays();
        for day in 1..5 {
            assert_eq!(draft.weekly[day], draft.weekly[0]);
            assert_ne!(draft.weekly[day][0].key, draft.weekly[0][0].key, "copies are rows of their own");
        }
        assert_eq!(draft.weekly[5], [BlockDraft::new("10:00", "12:00")]);
    }

    #[test]
    fn times_hours_and_dates_are_read_strictly() {
        assert_eq!(parse_time("09:30"), Some(570));
        assert_eq!(parse_time("9:30"), Some(570));
        assert_eq!(parse_time("09:30:00"), Some(570));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(parse_time("09:60"), None);
        assert_eq!(parse_time("0930"), None);
        assert_eq!(parse_time(""), None);
        assert_eq!(parse_hours("4"), Some(240));
        assert_eq!(parse_hours("1.5"), Some(90));
        assert_eq!(parse_hours("1,25"), Some(75));
        assert_eq!(parse_hours(".5"), Some(30));
        assert_eq!(parse_hours("1."), Some(60));
        assert_eq!(parse_hours("."), None);
        assert_eq!(parse_hours("-1"), None);
        assert_eq!(parse_hours("1.555"), None);
        for minutes in [0, 1, 45, 60, 90, 100, 119, 1_439, 2_880] {
            assert_eq!(parse_hours(&hours_text(minutes)), Some(minutes), "{minutes} min as {}", hours_text(minutes));
        }
        assert_eq!(hours_text(90), "1.5");
        assert_eq!(hours_text(100), "1.67");
        assert_eq!(hours_text(120), "2");
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2026-02-29"));
        assert!(!is_date("2100-02-29"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("26-12-01"));
        assert_eq!(length_options(&[20, 30]), [15, 20, 30, 45, 60, 90]);
    }

    #[test]
    fn server_problems_land_next_to_their_field() {
        assert_eq!(server_field("invalid_schedule", "unknown time zone \"Mars/Base\""), Field::TimeZone);
        assert_eq!(server_field("invalid_weight", "A weight is a percentage from 0 to 1000."), Field::Weight);
        assert_eq!(server_field("invalid_schedule", "working blocks on Mon are empty or overlap"), Field::Form);
        assert_eq!(server_field("", "The server could not be reached."), Field::Form);
    }
}
