//! Reading busy time out of iCalendar (RFC 5545) text: the calendar data a CalDAV server
//! answers with, or any `.ics` file.
//!
//! [`busy_intervals`] never fails and never panics: what cannot be read is skipped, and the
//! work is bounded whatever the input ([`MAX_INSTANCES`], [`MAX_STEPS`]).
//!
//! Decided here, and what the caller should know:
//!
//! - Lines are unfolded (CRLF or LF followed by a space or tab); parameters may be quoted.
//! - A `VEVENT` is busy unless `TRANSP:TRANSPARENT` or `STATUS:CANCELLED` (tentative events are
//!   busy). It lasts from `DTSTART` to `DTEND`, or for `DURATION`; with neither, a date lasts
//!   one day and a date-time is an instant and is skipped. Empty or reversed events are
//!   skipped.
//! - Times in UTC (`…Z`) are taken as they are; times with a `TZID` are converted with the IANA
//!   database (`/mozilla.org/…/Europe/Paris` style prefixes and common Windows zone names are
//!   understood); an unknown `TZID` (such as Outlook's `Customized Time Zone`) and floating
//!   times are read as UTC. `VTIMEZONE` definitions are not read. A local time that falls in a
//!   daylight-saving gap is read with the offset before the gap (RFC 5545 §3.3.5); a repeated
//!   one at its first occurrence.
//! - All-day (`VALUE=DATE`) events are busy for the whole day **in UTC**: the data does not say
//!   whose day it is, and the agent's zone is not known here.
//! - `RRULE` with `FREQ=DAILY` or `FREQ=WEEKLY` is expanded in the event's own zone (a weekly
//!   10:00 Paris meeting stays at 10:00 across daylight-saving changes), honouring `INTERVAL`,
//!   `COUNT`, `UNTIL`, `BYDAY` (ordinals ignored), `WKST`, and `BYMONTH` and `BYMONTHDAY` as
//!   filters; other `BY…` parts are ignored, which can only add busy time (except `BYHOUR` and
//!   its kin, which would add instances at other times of day). `DTSTART` is always the first
//!   instance. `RDATE` adds instances, `EXDATE` removes them, and a `VEVENT` with the same
//!   `UID` and a `RECURRENCE-ID` replaces its instance (a cancelled override removes it).
//!   Overrides without their master (what a server's `expand` sends) stand alone.
//! - Other frequencies (`MONTHLY`, `YEARLY`, `HOURLY`, …) give only the first instance (and
//!   `RDATE`s): the data can claim less busy time than there is.
//! - `VFREEBUSY` `FREEBUSY` periods (`start/end` or `start/duration`) are busy unless
//!   `FBTYPE=FREE`.
//! - Nothing is clipped or merged: every interval is returned as it is when it overlaps
//!   `[from, until)`, sorted, without duplicates.

use crate::availability::Interval;
use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// Most intervals one call returns; further instances are not computed.
pub const MAX_INSTANCES: usize = 10_000;

/// Most recurrence candidates one call examines, across all events: bounds the work a
/// hostile or enormous calendar can cause. Rules without `COUNT` skip ahead to the window, so
/// ordinary calendars stay far below it.
pub const MAX_STEPS: usize = 200_000;

/// Deepest nesting of components read; deeper `BEGIN`s are ignored.
const MAX_DEPTH: usize = 32;

/// Longest duration read, in seconds (about 100 years); longer ones are unreadable.
const MAX_DURATION_S: i64 = 100 * 366 * 86_400;

/// The busy time in `ics` that overlaps `[from, until)`, sorted. See the module documentation
/// for what counts as busy and how recurrences are expanded.
pub fn busy_intervals(ics: &str, from: DateTime<Utc>, until: DateTime<Utc>) -> Vec<Interval> {
    if from >= until {
        return Vec::new();
    }
    let window = Interval { start: from, end: until };
    let calendar = Calendar::read(ics);
    let mut out = Collector { window, busy: Vec::new(), steps_left: MAX_STEPS };

    let events: Vec<Event> = calendar.events.iter().filter_map(|props| Event::read(props)).collect();
    // Overrides replace the instance of their series: index both by UID first.
    let mut masters: HashMap<&str, &Event> = HashMap::new();
    let mut replaced: HashMap<&str, Vec<&When>> = HashMap::new();
    for event in &events {
        match &event.recurrence_id {
            Some(id) => replaced.entry(event.uid.as_str()).or_default().push(id),
            None => {
                masters.entry(event.uid.as_str()).or_insert(event);
            }
        }
    }
    for event in &events {
        let same_uid = |uid: &str| !uid.is_empty() && uid == event.uid;
        if event.recurrence_id.is_some() {
            let master = masters.get(event.uid.as_str()).filter(|m| same_uid(&m.uid));
            event.single(master.and_then(|m| m.duration), &mut out);
        } else {
            let none = Vec::new();
            let replaced = if event.uid.is_empty() { &none } else { replaced.get(event.uid.as_str()).unwrap_or(&none) };
            event.expand(replaced, &mut out);
        }
    }
    for props in &calendar.freebusy {
        read_freebusy(props, &mut out);
    }
    let mut busy = out.busy;
    busy.sort();
    busy.dedup();
    busy
}

/// Where instances go: kept when they overlap the window, up to [`MAX_INSTANCES`].
struct Collector {
    window: Interval,
    busy: Vec<Interval>,
    steps_left: usize,
}

impl Collector {
    fn push(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) {
        let interval = Interval { start, end };
        if start < end && interval.overlaps(&self.window) && !self.full() {
            self.busy.push(interval);
        }
    }

    fn full(&self) -> bool {
        self.busy.len() >= MAX_INSTANCES
    }

    /// Takes one step of recurrence work; false once the budget is spent.
    fn step(&mut self) -> bool {
        if self.steps_left == 0 || self.full() {
            return false;
        }
        self.steps_left -= 1;
        true
    }
}

/// One content line: `NAME;PARAM=value:value`.
#[derive(Debug, Clone)]
struct Prop {
    /// Upper case.
    name: String,
    /// Names upper case, values without their quotes.
    params: Vec<(String, String)>,
    value: String,
}

impl Prop {
    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Reads one unfolded content line; `None` when it has no name or no value.
    fn parse(line: &str) -> Option<Prop> {
        let mut in_quotes = false;
        let mut segment_start = 0;
        let mut segments: Vec<&str> = Vec::new();
        let mut value_start = None;
        for (i, c) in line.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ';' if !in_quotes => {
                    segments.push(line.get(segment_start..i)?);
                    segment_start = i + 1;
                }
                ':' if !in_quotes => {
                    segments.push(line.get(segment_start..i)?);
                    value_start = Some(i + 1);
                    break;
                }
                _ => {}
            }
        }
        let value = line.get(value_start?..)?;
        let (name, params) = segments.split_first()?;
        let name = name.trim().to_ascii_uppercase();
        if name.is_empty() {
            return None;
        }
        let params = params
            .iter()
            .filter_map(|p| p.split_once('='))
            .map(|(n, v)| (n.trim().to_ascii_uppercase(), v.trim().replace('"', "")))
            .collect();
        Some(Prop { name, params, value: value.to_owned() })
    }
}

/// The components of interest, each as its list of properties.
struct Calendar {
    events: Vec<Vec<Prop>>,
    freebusy: Vec<Vec<Prop>>,
}

impl Calendar {
    fn read(text: &str) -> Calendar {
        let mut calendar = Calendar { events: Vec::new(), freebusy: Vec::new() };
        let mut stack: Vec<(String, Vec<Prop>)> = Vec::new();
        for line in unfold(text) {
            let Some(prop) = Prop::parse(&line) else { continue };
            match prop.name.as_str() {
                "BEGIN" => {
                    if stack.len() < MAX_DEPTH {
                        stack.push((prop.value.trim().to_ascii_uppercase(), Vec::new()));
                    }
                }
                "END" => {
                    let name = prop.value.trim().to_ascii_uppercase();
                    let Some(at) = stack.iter().rposition(|(n, _)| *n == name) else { continue };
                    // Components left open inside this one are dropped with their properties.
                    stack.truncate(at + 1);
                    let Some((name, props)) = stack.pop() else { continue };
                    match name.as_str() {
                        "VEVENT" => calendar.events.push(props),
                        "VFREEBUSY" => calendar.freebusy.push(props),
                        _ => {}
                    }
                }
                _ => {
                    if let Some((_, props)) = stack.last_mut() {
                        props.push(prop);
                    }
                }
            }
        }
        calendar
    }
}

/// The content lines of `text`, unfolded: a line starting with a space or tab continues the
/// previous one (RFC 5545 §3.1). CRLF and bare LF both end a line.
fn unfold(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = lines.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if !raw.trim().is_empty() {
            lines.push(raw.to_owned());
        }
    }
    lines
}

/// How a date-time's wall-clock time maps to UTC.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Zone {
    /// `…Z`.
    Utc,
    /// No `Z` and no `TZID`: read as UTC, except an `UNTIL`, read in its event's zone.
    Floating,
    /// A `TZID` the IANA database knows.
    Tz(Tz),
}

/// A `DATE` or `DATE-TIME` value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Date(NaiveDate),
    DateTime(NaiveDateTime, Zone),
}

impl When {
    /// Reads a value with the parameters of its property (`VALUE=DATE`, `TZID=`).
    fn parse(value: &str, value_type: Option<&str>, tzid: Option<&str>) -> Option<When> {
        let value = value.trim();
        let is_date = value_type.is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
            || (value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()));
        if is_date {
            return NaiveDate::parse_from_str(value, "%Y%m%d").ok().map(When::Date);
        }
        let (text, utc) = match value.strip_suffix(['Z', 'z']) {
            Some(text) => (text, true),
            None => (value, false),
        };
        if text.len() != 15 {
            return None;
        }
        let local = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").ok()?;
        let zone = match (utc, tzid) {
            (true, _) => Zone::Utc,
            (false, Some(tzid)) => zone_of(tzid).map_or(Zone::Utc, Zone::Tz),
            (false, None) => Zone::Floating,
        };
        Some(When::DateTime(local, zone))
    }

    /// Reads a property's value.
    fn of(prop: &Prop) -> Option<When> {
        When::parse(&prop.value, prop.param("VALUE"), prop.param("TZID"))
    }

    /// The instant, with all-day dates starting at midnight UTC.
    fn to_utc(self) -> Option<DateTime<Utc>> {
        match self {
            When::Date(date) => Some(date.and_time(NaiveTime::MIN).and_utc()),
            When::DateTime(local, Zone::Utc | Zone::Floating) => Some(local.and_utc()),
            When::DateTime(local, Zone::Tz(tz)) => local_to_utc(tz, local),
        }
    }

    fn date(self) -> NaiveDate {
        match self {
            When::Date(date) => date,
            When::DateTime(local, _) => local.date(),
        }
    }
}

/// Windows zone names Outlook and Exchange write as `TZID`, and their IANA zone.
const WINDOWS_ZONES: [(&str, &str); 24] = [
    ("UTC", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
];

/// The IANA zone a `TZID` names: as it is, after dropping leading path segments
/// (`/mozilla.org/20050126_1/Europe/Paris`), or a Windows name's zone.
fn zone_of(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    if let Some((_, iana)) = WINDOWS_ZONES.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(tzid)) {
        return iana.parse().ok();
    }
    let mut rest = tzid.trim_start_matches('/');
    loop {
        if let Ok(tz) = rest.parse::<Tz>() {
            return Some(tz);
        }
        rest = rest.split_once('/')?.1;
    }
}

/// A wall-clock time in `tz` as UTC: a repeated time at its first occurrence, a time in a
/// daylight-saving gap with the offset in force before the gap.
fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => {
            let a_day_before = local.checked_sub_signed(TimeDelta::try_days(1)?)?;
            let offset = tz.offset_from_utc_datetime(&a_day_before).fix().local_minus_utc();
            Some(local.checked_sub_signed(TimeDelta::try_seconds(i64::from(offset))?)?.and_utc())
        }
    }
}

/// Reads an RFC 5545 duration (`P1W`, `P1DT2H`, `PT15M`, `-PT5M`); `None` when unreadable or
/// longer than [`MAX_DURATION_S`].
fn parse_duration(text: &str) -> Option<TimeDelta> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut rest = text.strip_prefix(['P', 'p'])?;
    let mut seconds: i64 = 0;
    let mut in_time = false;
    let mut any = false;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(['T', 't']) {
            in_time = true;
            rest = after;
            continue;
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 12 {
            return None;
        }
        let number: i64 = rest.get(..digits)?.parse().ok()?;
        let unit = rest.get(digits..)?.chars().next()?.to_ascii_uppercase();
        let scale = match (unit, in_time) {
            ('W', false) => 7 * 86_400,
            ('D', false) => 86_400,
            ('H', true) => 3600,
            ('M', true) => 60,
            ('S', true) => 1,
            _ => return None,
        };
        seconds = seconds.checked_add(number.checked_mul(scale)?)?;
        if seconds > MAX_DURATION_S {
            return None;
        }
        any = true;
        rest = rest.get(digits + 1..)?;
    }
    if !any {
        return None;
    }
    TimeDelta::try_seconds(if negative { -seconds } else { seconds })
}

/// A `VEVENT` as far as busy time is concerned.
#[derive(Debug)]
struct Event {
    uid: String,
    start: When,
    /// Absolute length; `None` when the event has no length (and is skipped).
    duration: Option<TimeDelta>,
    /// Whether `DTEND`/`DURATION` was given, so an override without them borrows its
    /// master's length.
    has_length: bool,
    busy: bool,
    rule: Option<Rule>,
    exdates: Vec<When>,
    rdates: Vec<Rdate>,
    recurrence_id: Option<When>,
}

/// An `RDATE` value: an instant (lasting as long as its event) or a period.
#[derive(Debug)]
enum Rdate {
    At(When),
    Period(DateTime<Utc>, DateTime<Utc>),
}

impl Event {
    fn read(props: &[Prop]) -> Option<Event> {
        let first = |name: &str| props.iter().find(|p| p.name == name);
        let recurrence_id = first("RECURRENCE-ID").and_then(When::of);
        let start = first("DTSTART").and_then(When::of).or(recurrence_id)?;
        let start_utc = start.to_utc()?;
        let dtend = first("DTEND").and_then(When::of).and_then(When::to_utc);
        let duration_prop = first("DURATION").and_then(|p| parse_duration(&p.value));
        let has_length = dtend.is_some() || duration_prop.is_some();
        let duration = match (dtend, duration_prop, start) {
            (Some(end), _, _) => Some(end.signed_duration_since(start_utc)),
            (None, Some(duration), _) => Some(duration),
            (None, None, When::Date(_)) => TimeDelta::try_days(1),
            (None, None, When::DateTime(..)) => None,
        }
        .filter(|d| *d > TimeDelta::zero());
        let value_of = |name: &str| first(name).map(|p| p.value.trim().to_ascii_uppercase()).unwrap_or_default();
        let busy = value_of("TRANSP") != "TRANSPARENT" && value_of("STATUS") != "CANCELLED";
        let exdates = props
            .iter()
            .filter(|p| p.name == "EXDATE")
            .flat_map(|p| {
                p.value.split(',').filter_map(|v| When::parse(v, p.param("VALUE"), p.param("TZID"))).collect::<Vec<_>>()
            })
            .collect();
        let rdates = props
            .iter()
            .filter(|p| p.name == "RDATE")
            .flat_map(|p| p.value.split(',').filter_map(|v| read_rdate(v, p)).collect::<Vec<_>>())
            .collect();
        Some(Event {
            uid: first("UID").map(|p| p.value.trim().to_owned()).unwrap_or_default(),
            start,
            duration,
            has_length,
            busy,
            rule: first("RRULE").and_then(|p| Rule::parse(&p.value)),
            exdates,
            rdates,
            recurrence_id,
        })
    }

    /// An event's single occurrence (an override, or an event with no recurrence), lasting
    /// `fallback` when it says nothing of its own length.
    fn single(&self, fallback: Option<TimeDelta>, out: &mut Collector) {
        if !self.busy {
            return;
        }
        let duration = if self.has_length { self.duration } else { fallback.or(self.duration) };
        let (Some(start), Some(duration)) = (self.start.to_utc(), duration) else { return };
        if let Some(end) = start.checked_add_signed(duration) {
            out.push(start, end);
        }
    }

    /// Every instance of a master event that overlaps the window, except those `EXDATE`
    /// removes and those `replaced` by an override.
    fn expand(&self, replaced: &[&When], out: &mut Collector) {
        if !self.busy {
            return;
        }
        let Some(duration) = self.duration else { return };
        let excluded = Exclusions::new(self.exdates.iter().chain(replaced.iter().copied()));
        let mut emit = |local_date: NaiveDate, start: DateTime<Utc>, out: &mut Collector| {
            if !excluded.contains(local_date, start, &self.start)
                && let Some(end) = start.checked_add_signed(duration)
            {
                out.push(start, end);
            }
        };
        let Some(first) = self.start.to_utc() else { return };
        emit(self.start.date(), first, out);
        if let Some(rule) = &self.rule {
            rule.expand(self.start, first, duration, out, &mut emit);
        }
        for rdate in &self.rdates {
            match rdate {
                Rdate::At(when) => {
                    if let Some(start) = when.to_utc() {
                        emit(when.date(), start, out);
                    }
                }
                Rdate::Period(start, end) => {
                    if !excluded.contains(start.date_naive(), *start, &self.start) {
                        out.push(*start, *end);
                    }
                }
            }
        }
    }
}

/// One `RDATE` value, an instant or a period (`start/end`, `start/duration`).
fn read_rdate(value: &str, prop: &Prop) -> Option<Rdate> {
    if value.contains('/') {
        let (start, end) = read_period(value)?;
        return Some(Rdate::Period(start, end));
    }
    When::parse(value, prop.param("VALUE"), prop.param("TZID")).map(Rdate::At)
}

/// A period, `start/end` or `start/duration`, as instants.
fn read_period(value: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (start, end) = value.trim().split_once('/')?;
    let start = When::parse(start, None, None)?.to_utc()?;
    let end = if end.trim_start().starts_with(['P', 'p', '+', '-']) {
        start.checked_add_signed(parse_duration(end)?)?
    } else {
        When::parse(end, None, None)?.to_utc()?
    };
    Some((start, end))
}

/// Instances removed from a series: by `EXDATE` or by an override's `RECURRENCE-ID`.
struct Exclusions {
    instants: HashSet<DateTime<Utc>>,
    /// Date values, which remove every instance on that local date when the series has times.
    dates: HashSet<NaiveDate>,
}

impl Exclusions {
    fn new<'a>(whens: impl Iterator<Item = &'a When>) -> Exclusions {
        let mut instants = HashSet::new();
        let mut dates = HashSet::new();
        for when in whens {
            if let When::Date(date) = when {
                dates.insert(*date);
            }
            if let Some(instant) = when.to_utc() {
                instants.insert(instant);
            }
        }
        Exclusions { instants, dates }
    }

    fn contains(&self, local_date: NaiveDate, start: DateTime<Utc>, series_start: &When) -> bool {
        self.instants.contains(&start)
            || (matches!(series_start, When::DateTime(..)) && self.dates.contains(&local_date))
    }
}

/// How often a rule repeats; only the first two are expanded.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Freq {
    Daily,
    Weekly,
    Other,
}

/// The end a rule's `UNTIL` sets.
#[derive(Debug, Clone, Copy)]
enum Until {
    /// No instance starts after this instant.
    Instant(DateTime<Utc>),
    /// No instance falls on a later (local) date.
    Date(NaiveDate),
    /// A floating date-time, read in the event's own zone.
    Local(NaiveDateTime),
}

/// An `RRULE`, as far as it is understood.
#[derive(Debug)]
struct Rule {
    freq: Freq,
    interval: i64,
    count: Option<u64>,
    until: Option<Until>,
    by_day: Vec<Weekday>,
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    week_start: Weekday,
}

fn weekday(code: &str) -> Option<Weekday> {
    match code {
        "MO" => Some(Weekday::Mon),
        "TU" => Some(Weekday::Tue),
        "WE" => Some(Weekday::Wed),
        "TH" => Some(Weekday::Thu),
        "FR" => Some(Weekday::Fri),
        "SA" => Some(Weekday::Sat),
        "SU" => Some(Weekday::Sun),
        _ => None,
    }
}

impl Rule {
    /// Reads an `RRULE` value; `None` without a `FREQ`.
    fn parse(value: &str) -> Option<Rule> {
        let mut rule = Rule {
            freq: Freq::Other,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month: Vec::new(),
            by_month_day: Vec::new(),
            week_start: Weekday::Mon,
        };
        let mut has_freq = false;
        for part in value.trim().split(';') {
            let Some((key, val)) = part.split_once('=') else { continue };
            let val = val.trim().to_ascii_uppercase();
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    has_freq = true;
                    rule.freq = match val.as_str() {
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        _ => Freq::Other,
                    };
                }
                "INTERVAL" => {
                    rule.interval = val.parse::<i64>().ok().filter(|i| (1..=100_000).contains(i)).unwrap_or(1)
                }
                "COUNT" => rule.count = val.parse::<u64>().ok().map(|c| c.max(1)),
                "UNTIL" => {
                    rule.until = match When::parse(&val, None, None) {
                        Some(When::Date(date)) => Some(Until::Date(date)),
                        Some(When::DateTime(local, Zone::Floating)) => Some(Until::Local(local)),
                        Some(when) => when.to_utc().map(Until::Instant),
                        None => None,
                    }
                }
                "BYDAY" => {
                    // Ordinals (`1MO`, `-1FR`) only mean something monthly or yearly.
                    rule.by_day = val
                        .split(',')
                        .filter_map(|d| d.trim().get(d.trim().len().saturating_sub(2)..).and_then(weekday))
                        .collect();
                }
                "BYMONTH" => {
                    rule.by_month =
                        val.split(',').filter_map(|m| m.trim().parse().ok()).filter(|m| (1..=12).contains(m)).collect();
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = val
                        .split(',')
                        .filter_map(|d| d.trim().parse().ok())
                        .filter(|d: &i32| *d != 0 && (-31..=31).contains(d))
                        .collect();
                }
                "WKST" => rule.week_start = weekday(&val).unwrap_or(Weekday::Mon),
                _ => {}
            }
        }
        has_freq.then_some(rule)
    }

    /// Whether `date` passes the `BY…` filters (`BYDAY` only for daily rules: weekly ones
    /// generate from it).
    fn accepts(&self, date: NaiveDate) -> bool {
        let day_ok = self.freq != Freq::Daily || self.by_day.is_empty() || self.by_day.contains(&date.weekday());
        let month_ok = self.by_month.is_empty() || self.by_month.contains(&date.month());
        let month_day_ok = self.by_month_day.is_empty() || self.by_month_day.iter().any(|d| month_day_is(date, *d));
        day_ok && month_ok && month_day_ok
    }

    /// Calls `emit` for every instance after `start` (which the caller emitted) that starts
    /// before the window's end, within `COUNT` and `UNTIL` and the step budget.
    fn expand(
        &self,
        start: When,
        first: DateTime<Utc>,
        duration: TimeDelta,
        out: &mut Collector,
        emit: &mut impl FnMut(NaiveDate, DateTime<Utc>, &mut Collector),
    ) {
        if self.freq == Freq::Other {
            return;
        }
        let (start_date, time, zone) = match start {
            When::Date(date) => (date, NaiveTime::MIN, Zone::Utc),
            When::DateTime(local, zone) => (local.date(), local.time(), zone),
        };
        let until = self.until.and_then(|until| match until {
            Until::Local(local) => When::DateTime(local, zone).to_utc().map(Until::Instant),
            other => Some(other),
        });
        let period_days = match self.freq {
            Freq::Weekly => 7 * self.interval,
            _ => self.interval,
        };
        let Some(period) = TimeDelta::try_days(period_days) else { return };
        // Weekly periods start on the rule's week start, daily ones on the first date.
        let back = i64::from(start_date.weekday().days_since(self.week_start));
        let period_start = match self.freq {
            Freq::Weekly => TimeDelta::try_days(back).and_then(|b| start_date.checked_sub_signed(b)),
            _ => Some(start_date),
        };
        let Some(mut period_start) = period_start else { return };
        let mut offsets: Vec<i64> = match self.freq {
            Freq::Weekly if !self.by_day.is_empty() => {
                self.by_day.iter().map(|d| i64::from(d.days_since(self.week_start))).collect()
            }
            Freq::Weekly => vec![back],
            _ => vec![0],
        };
        offsets.sort_unstable();
        offsets.dedup();
        // DTSTART is the first instance.
        let mut emitted: u64 = 1;
        // Periods wholly before the window are skipped (two days of margin cover any zone's
        // offset). Without COUNT they do not matter; with COUNT they are counted, which is
        // arithmetic when no filter can reject a date of the rule's own pattern.
        let unfiltered = self.by_month.is_empty()
            && self.by_month_day.is_empty()
            && (self.freq == Freq::Weekly || self.by_day.is_empty());
        let margin = TimeDelta::try_days(2).and_then(|m| m.checked_add(&duration));
        let target = margin.and_then(|m| out.window.start.checked_sub_signed(m)).map(|t| t.date_naive());
        if let Some(target) = target.filter(|t| *t > period_start)
            && (self.count.is_none() || unfiltered)
        {
            let skip = target.signed_duration_since(period_start).num_days() / period_days;
            if skip >= 1 {
                let in_first = offsets
                    .iter()
                    .filter(|o| {
                        TimeDelta::try_days(**o)
                            .and_then(|o| period_start.checked_add_signed(o))
                            .is_some_and(|date| date > start_date)
                    })
                    .count();
                let per_period = offsets.len() as u64;
                let skipped = (in_first as u64).saturating_add(per_period.saturating_mul(skip.unsigned_abs() - 1));
                emitted = emitted.saturating_add(skipped);
                let jumped = TimeDelta::try_days(skip.saturating_mul(period_days))
                    .and_then(|d| period_start.checked_add_signed(d));
                match jumped {
                    Some(jumped) => period_start = jumped,
                    None => return,
                }
            }
        }
        // Past this date no period can hold an instance before the window's end or `UNTIL`,
        // even when the filters accept none (two days of margin cover any zone's offset).
        let last_date = match until {
            Some(Until::Date(date)) => Some(date.min(out.window.end.date_naive())),
            Some(Until::Instant(instant)) => Some(instant.date_naive().min(out.window.end.date_naive())),
            Some(Until::Local(_)) | None => Some(out.window.end.date_naive()),
        }
        .and_then(|d| TimeDelta::try_days(2).and_then(|m| d.checked_add_signed(m)));
        let Some(last_date) = last_date else { return };
        loop {
            if period_start > last_date || !out.step() {
                return;
            }
            for offset in &offsets {
                let Some(date) = TimeDelta::try_days(*offset).and_then(|o| period_start.checked_add_signed(o)) else {
                    return;
                };
                if date <= start_date || !self.accepts(date) {
                    continue;
                }
                if self.count.is_some_and(|count| emitted >= count) {
                    return;
                }
                let Some(instant) = When::DateTime(date.and_time(time), zone).to_utc() else { continue };
                let past_until = match until {
                    Some(Until::Instant(until)) => instant > until,
                    Some(Until::Date(until)) => date > until,
                    Some(Until::Local(_)) | None => false,
                };
                if past_until || instant >= out.window.end {
                    return;
                }
                emitted += 1;
                if instant >= first {
                    emit(date, instant, out);
                }
            }
            match period_start.checked_add_signed(period) {
                Some(next) => period_start = next,
                None => return,
            }
        }
    }
}

/// Whether `date` is the `day`th day of its month (negative: counted from the end).
fn month_day_is(date: NaiveDate, day: i32) -> bool {
    if day > 0 {
        return i64::from(date.day()) == i64::from(day);
    }
    let days_in_month = date
        .with_day(1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .map(|next| next.signed_duration_since(date).num_days());
    // `days_in_month` here is the number of days from `date` to the next month's first day:
    // 1 on the last day, which is day -1.
    days_in_month.is_some_and(|left| left == i64::from(-day))
}

/// The busy periods of a `VFREEBUSY`'s `FREEBUSY` properties.
fn read_freebusy(props: &[Prop], out: &mut Collector) {
    for prop in props.iter().filter(|p| p.name == "FREEBUSY") {
        if prop.param("FBTYPE").is_some_and(|t| t.eq_ignore_ascii_case("FREE")) {
            continue;
        }
        for value in prop.value.split(',') {
            if let Some((start, end)) = read_period(value) {
                out.push(start, end);
            }
        }
    }
}
