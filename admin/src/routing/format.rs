//! Words, numbers and dates for the routing tab: calendar days and the periods meetings are
//! counted over, the status breakdown and the bar chart's segments, weights, account keys, the
//! simulator's time and answers. The pure functions are tested natively; the few that need
//! the browser's clock say so.

use confab_domain::api::AgentRef;
use confab_domain::ids::AgentId;
use confab_domain::routing::{AccountKey, Fallback, MatchedBy, Stage, Status, Step};
use std::collections::BTreeMap;

/// `n` followed by the noun in singular or plural: "1 rule", "3 rules".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Month abbreviations, January first.
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar day in the admin's own time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Day {
    /// The day `year-month-day`, or `None` when there is no such day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Day> {
        ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day)).then_some(Day {
            year,
            month,
            day,
        })
    }

    /// A day as a date input gives it, `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Day::new(year, month, day)
    }

    /// `YYYY-MM-DD`, as a date input takes it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The day as people read it: "3 Mar 2026".
    pub fn label(self) -> String {
        format!("{} {} {}", self.day, MONTHS[(self.month as usize).saturating_sub(1) % 12], self.year)
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    fn ordinal(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    fn from_ordinal(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// The day `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Day {
        Day::from_ordinal(self.ordinal() + n)
    }

    /// The first day of this day's month, `n` months later (earlier when negative).
    pub fn month_start(self, n: i32) -> Day {
        let months = self.year * 12 + self.month as i32 - 1 + n;
        Day { year: months.div_euclid(12), month: months.rem_euclid(12) as u32 + 1, day: 1 }
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.ordinal() + 3).rem_euclid(7) as u32
    }
}

/// The period meetings are counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// This calendar month.
    ThisMonth,
    /// The calendar month before this one.
    LastMonth,
    /// Today and the six days before.
    Last7Days,
    /// Today and the 29 days before.
    Last30Days,
    /// Every meeting.
    AllTime,
    /// Two chosen days, both included.
    Custom,
}

impl Period {
    /// Every period, in the order offered.
    pub const ALL: [Period; 6] =
        [Period::ThisMonth, Period::LastMonth, Period::Last7Days, Period::Last30Days, Period::AllTime, Period::Custom];

    /// The `<option>` value.
    pub fn slug(self) -> &'static str {
        match self {
            Period::ThisMonth => "this-month",
            Period::LastMonth => "last-month",
            Period::Last7Days => "last-7-days",
            Period::Last30Days => "last-30-days",
            Period::AllTime => "all",
            Period::Custom => "custom",
        }
    }

    /// What the admin reads.
    pub fn label(self) -> &'static str {
        match self {
            Period::ThisMonth => "This month",
            Period::LastMonth => "Last month",
            Period::Last7Days => "Last 7 days",
            Period::Last30Days => "Last 30 days",
            Period::AllTime => "All time",
            Period::Custom => "Custom range",
        }
    }

    /// The period an `<option>` value names; this month for anything else.
    pub fn from_slug(slug: &str) -> Period {
        Period::ALL.into_iter().find(|p| p.slug() == slug).unwrap_or(Period::ThisMonth)
    }
}

/// Where a custom range's problem is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeField {
    /// The first day.
    From,
    /// The last day.
    To,
}

/// The days `[from, until)` a period covers (`until` excluded) as seen `today`, or `None` for
/// all time. A custom range takes `custom` (first and last day as date inputs give them) and
/// says what is wrong with it.
pub fn bounds(period: Period, today: Day, custom: (&str, &str)) -> Result<Option<(Day, Day)>, (RangeField, String)> {
    let tomorrow = today.add_days(1);
    Ok(Some(match period {
        Period::ThisMonth => (today.month_start(0), today.month_start(1)),
        Period::LastMonth => (today.month_start(-1), today.month_start(0)),
        Period::Last7Days => (today.add_days(-6), tomorrow),
        Period::Last30Days => (today.add_days(-29), tomorrow),
        Period::AllTime => return Ok(None),
        Period::Custom => {
            let from = Day::parse(custom.0).ok_or((RangeField::From, "Choose the first day.".to_owned()))?;
            let to = Day::parse(custom.1).ok_or((RangeField::To, "Choose the last day.".to_owned()))?;
            if to < from {
                return Err((RangeField::To, "The last day must not be before the first.".to_owned()));
            }
            (from, to.add_days(1))
        }
    }))
}

/// The days of `[from, until)` as a caption: "1 Mar 2026 – 31 Mar 2026", or one day.
pub fn range_caption(from: Day, until: Day) -> String {
    let last = until.add_days(-1);
    if last <= from { from.label() } else { format!("{} – {}", from.label(), last.label()) }
}

/// Meeting statuses in the order the chart stacks them: (status, label); the status is also
/// the segment's CSS class (`s-<status>`).
pub const STATUSES: [(&str, &str); 6] = [
    ("scheduled", "Scheduled"),
    ("rescheduled", "Rescheduled"),
    ("pending_calendar", "Awaiting calendar"),
    ("completed", "Completed"),
    ("no_show", "No-show"),
    ("canceled", "Canceled"),
];

/// A status as admins read it: "No-show"; an unknown one with its underscores as spaces.
pub fn status_label(status: &str) -> String {
    STATUSES
        .iter()
        .find(|(s, _)| *s == status)
        .map_or_else(|| sentence_case(&status.replace('_', " ")), |(_, label)| (*label).to_owned())
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// An agent's meetings by status, known statuses in chart order, then any other the edge
/// reports; statuses with no meeting left out.
pub fn ordered_statuses(by_status: &BTreeMap<String, u32>) -> Vec<(String, u32)> {
    let known = STATUSES.iter().filter_map(|(s, _)| by_status.get(*s).map(|n| ((*s).to_owned(), *n)));
    let others = by_status.iter().filter(|(s, _)| !STATUSES.iter().any(|(k, _)| k == s)).map(|(s, n)| (s.clone(), *n));
    known.chain(others).filter(|(_, n)| *n > 0).collect()
}

/// The breakdown in words: "3 scheduled, 1 canceled"; "no meetings" when there is none.
pub fn breakdown(by_status: &BTreeMap<String, u32>) -> String {
    let parts: Vec<String> =
        ordered_statuses(by_status).iter().map(|(s, n)| format!("{n} {}", status_label(s).to_lowercase())).collect();
    if parts.is_empty() { "no meetings".to_owned() } else { parts.join(", ") }
}

/// One piece of an agent's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// The status (a CSS class), or `meetings` when the edge gave no breakdown.
    pub status: String,
    /// Meetings with it.
    pub count: u32,
    /// Its width in percent of the chart's width (the largest total fills it).
    pub width: f64,
}

/// The pieces of a bar of `total` meetings broken down by status, against the chart's
/// largest total. Without a breakdown the bar is one piece.
pub fn segments(total: u32, by_status: &BTreeMap<String, u32>, largest: u32) -> Vec<Segment> {
    let largest = f64::from(largest.max(1));
    let width = |n: u32| (f64::from(n) * 1_000.0 / largest).round() / 10.0;
    let mut pieces: Vec<Segment> = ordered_statuses(by_status)
        .into_iter()
        .map(|(status, count)| Segment { status, count, width: width(count) })
        .collect();
    let counted: u32 = pieces.iter().map(|s| s.count).sum();
    if counted < total {
        pieces.push(Segment { status: "meetings".to_owned(), count: total - counted, width: width(total - counted) });
    }
    pieces
}

/// The display name of `id` among `agents`, or the id itself for an agent no longer listed.
pub fn name_of(agents: &[AgentRef], id: &AgentId) -> String {
    agents.iter().find(|a| &a.id == id).map_or_else(|| id.to_string(), |a| a.name.clone())
}

/// Highest round-robin weight the edge accepts, in percent.
pub const MAX_WEIGHT: u32 = 1_000;

/// A weight as typed: a whole number of percent from 0 to 1000 (a trailing `%` allowed).
pub fn parse_weight(text: &str) -> Result<u32, String> {
    let text = text.trim().trim_end_matches('%').trim();
    match text.parse::<u32>() {
        Ok(n) if n <= MAX_WEIGHT => Ok(n),
        _ if text.is_empty() => Err("Enter a weight from 0 to 1000.".to_owned()),
        _ => Err("A weight is a whole number from 0 to 1000.".to_owned()),
    }
}

/// What a weight means, in a few words: "paused: gets no meetings", "ordinary share", "2× an
/// ordinary share", "half an ordinary share".
pub fn weight_meaning(weight: u32) -> String {
    match weight {
        0 => "paused: gets no meetings".to_owned(),
        100 => "an ordinary share".to_owned(),
        50 => "half an ordinary share".to_owned(),
        w if w % 100 == 0 => format!("{}× an ordinary share", w / 100),
        w => format!("{}× an ordinary share", trim_decimal(f64::from(w) / 100.0)),
    }
}

/// `x` with at most two decimals and no trailing zeros: "1.5", "0.25".
fn trim_decimal(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// An account route's key: its kind ("Domain", "Company") and text.
pub fn account_key(key: &AccountKey) -> (&'static str, &str) {
    match key {
        AccountKey::Domain(domain) => ("Domain", domain),
        AccountKey::Company(company) => ("Company", company),
    }
}

/// The largest CSV file the edge takes, in bytes.
pub const MAX_IMPORT_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// A file's size: "812 bytes", "12 KB", "1.5 MB".
pub fn file_size(bytes: f64) -> String {
    if bytes < 1_024.0 {
        format!("{bytes} bytes")
    } else if bytes < 1_048_576.0 {
        format!("{} KB", (bytes / 1_024.0).round())
    } else {
        format!("{} MB", trim_decimal((bytes / 104_857.6).round() / 10.0))
    }
}

/// A minute in the admin's own time zone, as a `datetime-local` input gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalMinute {
    /// The day.
    pub day: Day,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
}

impl LocalMinute {
    /// `YYYY-MM-DDTHH:MM` (seconds, if any, ignored); `None` when it is no such minute.
    pub fn parse(text: &str) -> Option<LocalMinute> {
        let (day, time) = text.trim().split_once('T')?;
        let mut parts = time.split(':');
        let hour = parts.next()?.parse().ok().filter(|h| *h < 24)?;
        let minute = parts.next()?.parse().ok().filter(|m| *m < 60)?;
        Some(LocalMinute { day: Day::parse(day)?, hour, minute })
    }

    /// `YYYY-MM-DDTHH:MM`, as a `datetime-local` input takes it.
    pub fn input_value(self) -> String {
        format!("{}T{:02}:{:02}", self.day.iso(), self.hour, self.minute)
    }
}

/// The simulator's first time: the next weekday after `today`, at 15:00 (inside office hours
/// both in Europe and on the US east coast, where most pools work).
pub fn default_start(today: Day) -> LocalMinute {
    let mut day = today.add_days(1);
    while day.weekday() >= 5 {
        day = day.add_days(1);
    }
    LocalMinute { day, hour: 15, minute: 0 }
}

/// The simulator's answers as typed, one `(card id, answer)` per row: rows with both cells
/// blank are skipped, `answer.` before a card id dropped. A problem names its row (from 0).
pub fn answers(rows: &[(String, String)]) -> Result<BTreeMap<String, String>, (usize, String)> {
    let mut out = BTreeMap::new();
    for (row, (card, value)) in rows.iter().enumerate() {
        let card = card.trim();
        let card = card.strip_prefix("answer.").unwrap_or(card).trim();
        if card.is_empty() && value.trim().is_empty() {
            continue;
        }
        if card.is_empty() {
            return Err((row, "Enter the card id this answer is for, such as size.".to_owned()));
        }
        if out.insert(card.to_owned(), value.trim().to_owned()).is_some() {
            return Err((row, format!("\u{201c}{card}\u{201d} is answered twice; keep one row for it.")));
        }
    }
    Ok(out)
}

/// A candidate's status in a simulation, as it follows the agent's name.
pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Free => "free",
        Status::Busy => "busy",
        Status::UnhealthyCalendar => "calendar not working",
        Status::DailyCapReached => "daily cap reached",
        Status::NotWorking => "not working then",
        Status::Paused => "paused (0%)",
        Status::NotInPool => "not in the pool",
    }
}

/// Where an agent stands in the round robin: "Next", "2nd", …, or "Paused" for an agent at
/// 0 %, whom the order leaves out.
pub fn place(order: &[AgentId], agent: &AgentId) -> String {
    match order.iter().position(|a| a == agent) {
        None => "Paused".to_owned(),
        Some(0) => "Next".to_owned(),
        Some(at) => ordinal(at + 1),
    }
}

/// `n` as an English ordinal: "2nd", "11th", "23rd".
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// How the order is decided, for the agents in it and their weights: the rotation at equal
/// weights, fewest meetings for their weight otherwise (as `routing::is_weighted` decides).
pub fn order_rule(order: &[AgentId], weights: &BTreeMap<AgentId, u32>) -> &'static str {
    let weight = |a: &AgentId| weights.get(a).copied().unwrap_or(100);
    let weighted = order.first().is_some_and(|first| order.iter().any(|a| weight(a) != weight(first)));
    if weighted {
        "Weights differ, so the agent with the fewest meetings this period for their weight goes first; \
         an agent at 200% gets about twice the meetings of one at 100%."
    } else {
        "The agent who has waited longest since their last meeting goes first. An agent who is not free \
         at the visitor's time is skipped and keeps their place."
    }
}

/// One step of a simulated decision as a heading: "Rule “Enterprise” (priority 1) matched",
/// "Round robin of the default pool", …
pub fn step_title(step: &Step) -> String {
    match step {
        Step::NoAccount => "Account routing: no account route matched".to_owned(),
        Step::Account { matched_by, owner } => {
            let by = match matched_by {
                MatchedBy::Domain => "email domain",
                MatchedBy::Company => "company",
            };
            format!("Account routing: the {by} matched an account owned by {}", owner.name)
        }
        Step::Rule { name, priority, matched: true, .. } => {
            format!("Rule \u{201c}{name}\u{201d} (priority {priority}) matched")
        }
        Step::Rule { name, priority, reason, .. } => match reason {
            Some(reason) => format!("Rule \u{201c}{name}\u{201d} (priority {priority}) did not match: {reason}"),
            None => format!("Rule \u{201c}{name}\u{201d} (priority {priority}) did not match"),
        },
        Step::RoundRobin { stage, weighted, .. } => {
            let kind = if *weighted { "Weighted round robin" } else { "Round robin" };
            match stage {
                Stage::Account => format!("{kind} of the account's owner"),
                Stage::Rule { name, .. } => format!("{kind} of rule \u{201c}{name}\u{201d}"),
                Stage::Default => format!("{kind} of the default pool"),
                Stage::AnyAgent => format!("{kind} of the whole pool (fallback)"),
            }
        }
        Step::Fallback { fallback: Fallback::Message(_) } => {
            "Fallback: nobody was free, so the visitor sees a message".to_owned()
        }
        Step::Fallback { fallback: Fallback::AnyAgent } => "Fallback: any free agent of the pool".to_owned(),
    }
}

/// The agents a step considered, in order: (name, status, whether picked).
pub fn step_candidates(step: &Step) -> Vec<(String, Status, bool)> {
    match step {
        Step::Account { owner, .. } => vec![(owner.name.clone(), owner.status, owner.status == Status::Free)],
        Step::RoundRobin { candidates, picked, .. } => {
            candidates.iter().map(|c| (c.name.clone(), c.status, picked.as_ref() == Some(&c.agent))).collect()
        }
        _ => Vec::new(),
    }
}

/// Today in the admin's time zone (browser clock).
pub fn today() -> Day {
    let now = js_sys::Date::new_0();
    Day::new(now.get_full_year() as i32, now.get_month() + 1, now.get_date()).unwrap_or(Day {
        year: 1970,
        month: 1,
        day: 1,
    })
}

/// The admin's local midnight starting `day`, as an RFC 3339 instant (browser time zone).
pub fn local_midnight(day: Day) -> Option<String> {
    crate::integrations::format::local_midnight(&day.iso())
}

/// A local minute as an RFC 3339 instant in UTC (browser time zone); `None` when the browser
/// cannot place it.
pub fn local_instant(at: LocalMinute) -> Option<String> {
    let date = js_sys::Date::new_with_year_month_day_hr_min(
        at.day.year as u32,
        at.day.month as i32 - 1,
        at.day.day as i32,
        at.hour as i32,
        at.minute as i32,
    );
    (!date.get_time().is_nan()).then(|| date.to_iso_string().into())
}

/// The admin's time zone's name, e.g. `Europe/Paris` (empty when the browser does not say).
pub fn time_zone_name() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    #[test]
    fn days_count_across_months_years_and_leap_days() {
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("2024-02-29").map(Day::iso).as_deref(), Some("2024-02-29"));
        assert_eq!(Day::parse("2026-13-01"), None);
        assert_eq!(Day::parse("nope"), None);
        assert_eq!(day("2026-03-01").add_days(-1), day("2026-02-28"));
        assert_eq!(day("2024-03-01").add_days(-1), day("2024-02-29"));
        assert_eq!(day("2025-12-31").add_days(1), day("2026-01-01"));
        assert_eq!(day("1970-01-01").add_days(20_000).add_days(-20_000), day("1970-01-01"));
        assert_eq!(day("2026-01-15").month_start(-1), day("2025-12-01"));
        assert_eq!(day("2026-12-15").month_start(1), day("2027-01-01"));
        // 2026-03-02 is a Monday.
        assert_eq!(day("2026-03-02").weekday(), 0);
        assert_eq!(day("2026-03-08").weekday(), 6);
        assert_eq!(day("2026-03-02").label(), "2 Mar 2026");
    }

    #[test]
    fn periods_cover_whole_days_ending_with_today() {
        let today = day("2026-03-10");
        let check = |period, custom: (&str, &str)| {
            bounds(period, today, custom).map(|b| b.map(|(from, until)| (from.iso(), until.iso())))
        };
        let range = |a: &str, b: &str| Ok(Some((a.to_owned(), b.to_owned())));
        assert_eq!(check(Period::ThisMonth, ("", "")), range("2026-03-01", "2026-04-01"));
        assert_eq!(check(Period::LastMonth, ("", "")), range("2026-02-01", "2026-03-01"));
        assert_eq!(check(Period::Last7Days, ("", "")), range("2026-03-04", "2026-03-11"));
        assert_eq!(check(Period::Last30Days, ("", "")), range("2026-02-09", "2026-03-11"));
        assert_eq!(check(Period::AllTime, ("", "")), Ok(None));
        assert_eq!(check(Period::Custom, ("2026-01-05", "2026-01-05")), range("2026-01-05", "2026-01-06"));
        assert_eq!(check(Period::Custom, ("", "2026-01-05")).map_err(|e| e.0), Err(RangeField::From));
        assert_eq!(check(Period::Custom, ("2026-01-05", "")).map_err(|e| e.0), Err(RangeField::To));
        assert_eq!(check(Period::Custom, ("2026-01-05", "2026-01-04")).map_err(|e| e.0), Err(RangeField::To));
        assert_eq!(range_caption(day("2026-03-01"), day("2026-04-01")), "1 Mar 2026 – 31 Mar 2026");
        assert_eq!(range_caption(day("2026-03-01"), day("2026-03-02")), "1 Mar 2026");
        assert_eq!(Period::ALL.map(|p| Period::from_slug(p.slug())), Period::ALL);
        assert_eq!(Period::from_slug("?"), Period::ThisMonth);
    }

    #[test]
    fn statuses_are_broken_down_in_chart_order() {
        let by: BTreeMap<String, u32> = [("canceled", 1), ("scheduled", 3), ("no_show", 0), ("tentative", 2)]
            .map(|(s, n)| (s.to_owned(), n))
            .into();
        assert_eq!(breakdown(&by), "3 scheduled, 1 canceled, 2 tentative");
        assert_eq!(breakdown(&BTreeMap::new()), "no meetings");
        assert_eq!(status_label("no_show"), "No-show");
        assert_eq!(status_label("on_hold"), "On hold");
        let pieces = segments(6, &by, 12);
        assert_eq!(
            pieces.iter().map(|s| (s.status.as_str(), s.count, s.width)).collect::<Vec<_>>(),
            [("scheduled", 3, 25.0), ("canceled", 1, 8.3), ("tentative", 2, 16.7)]
        );
        // Meetings the breakdown misses still show, as one plain piece.
        let plain = segments(4, &BTreeMap::new(), 4);
        assert_eq!(plain, [Segment { status: "meetings".into(), count: 4, width: 100.0 }]);
        assert!(segments(0, &BTreeMap::new(), 0).is_empty());
    }

    #[test]
    fn weights_are_whole_percentages_up_to_a_thousand() {
        assert_eq!(parse_weight(" 150 "), Ok(150));
        assert_eq!(parse_weight("0%"), Ok(0));
        assert_eq!(parse_weight("1000"), Ok(1000));
        assert!(parse_weight("1001").is_err());
        assert!(parse_weight("1.5").is_err());
        assert!(parse_weight("-1").is_err());
        assert_eq!(parse_weight(""), Err("Enter a weight from 0 to 1000.".into()));
        assert_eq!(weight_meaning(0), "paused: gets no meetings");
        assert_eq!(weight_meaning(100), "an ordinary share");
        assert_eq!(weight_meaning(200), "2× an ordinary share");
        assert_eq!(weight_meaning(150), "1.5× an ordinary share");
        assert_eq!(weight_meaning(25), "0.25× an ordinary share");
    }

    #[test]
    fn sizes_keys_and_names_read_naturally() {
        assert_eq!(file_size(812.0), "812 bytes");
        assert_eq!(file_size(12_400.0), "12 KB");
        assert_eq!(file_size(1_572_864.0), "1.5 MB");
        assert_eq!(file_size(2_097_152.0), "2 MB");
        assert_eq!(account_key(&AccountKey::Domain("acme.com".into())), ("Domain", "acme.com"));
        assert_eq!(account_key(&AccountKey::Company("Acme".into())), ("Company", "Acme"));
        let agents = [AgentRef { id: AgentId::from("agent-1"), name: "Ada".into() }];
        assert_eq!(name_of(&agents, &AgentId::from("agent-1")), "Ada");
        assert_eq!(name_of(&agents, &AgentId::from("agent-9")), "agent-9");
    }

    #[test]
    fn simulator_times_and_answers() {
        let at = LocalMinute::parse("2026-03-06T09:30").expect("a minute");
        assert_eq!(at.input_value(), "2026-03-06T09:30");
        assert_eq!(LocalMinute::parse("2026-03-06T09:30:15").map(|m| m.minute), Some(30));
        assert_eq!(LocalMinute::parse("2026-03-06T24:00"), None);
        assert_eq!(LocalMinute::parse("2026-03-06"), None);
        // Friday → Monday; Monday → Tuesday.
        assert_eq!(default_start(day("2026-03-06")).input_value(), "2026-03-09T15:00");
        assert_eq!(default_start(day("2026-03-09")).input_value(), "2026-03-10T15:00");
        let row = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(
            answers(&[row(" answer.size ", "500+ "), row("", ""), row("intent", "book")]),
            Ok([("intent".to_owned(), "book".to_owned()), ("size".to_owned(), "500+".to_owned())].into())
        );
        assert_eq!(answers(&[row("", "x")]).map_err(|e| e.0), Err(0));
        assert_eq!(answers(&[row("size", "1"), row("answer.size", "2")]).map_err(|e| e.0), Err(1));
    }
    #[test]
    fn places_and_the_order_rule() {
        let order = [AgentId::from("a"), AgentId::from("b"), AgentId::from("c")];
        assert_eq!(place(&order, &AgentId::from("a")), "Next");
        assert_eq!(place(&order, &AgentId::from("c")), "3rd");
        assert_eq!(place(&order, &AgentId::from("z")), "Paused");
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
        );
        let mut weights: BTreeMap<AgentId, u32> = order.iter().map(|a| (a.clone(), 100)).collect();
        assert!(order_rule(&order, &weights).starts_with("The agent who has waited longest"));
        // A paused agent is not in the order and does not make it weighted.
        weights.insert(AgentId::from("z"), 0);
        assert!(order_rule(&order, &weights).starts_with("The agent who has waited longest"));
        weights.insert(AgentId::from("b"), 200);
        assert!(order_rule(&order, &weights).starts_with("Weights differ"));
    }

    #[test]
    fn simulated_steps_read_as_headings() {
        use confab_domain::routing::Candidate;
        let candidate = |name: &str, status| Candidate {
            agent: AgentId::from(name),
            name: name.to_owned(),
            status,
            count: 0,
            weight_percent: 100,
        };
        let rule = Step::Rule {
            id: "ent".into(),
            name: "Enterprise".into(),
            priority: 1,
            matched: false,
            reason: Some("answer.size is not 500+.".into()),
        };
        assert_eq!(step_title(&rule), "Rule “Enterprise” (priority 1) did not match: answer.size is not 500+.");
        let round = Step::RoundRobin {
            stage: Stage::Default,
            weighted: false,
            candidates: vec![candidate("Ann", Status::Busy), candidate("Bob", Status::Free)],
            picked: Some(AgentId::from("Bob")),
        };
        assert_eq!(step_title(&round), "Round robin of the default pool");
        assert_eq!(
            step_candidates(&round),
            [("Ann".to_owned(), Status::Busy, false), ("Bob".to_owned(), Status::Free, true)]
        );
        assert!(step_candidates(&Step::NoAccount).is_empty());
        assert_eq!(
            step_title(&Step::Fallback { fallback: Fallback::AnyAgent }),
            "Fallback: any free agent of the pool"
        );
    }
}
