//! The Analytics tab's pure decisions: the ranges on offer, custom days checked and turned into
//! a range, the days of a range (so a daily series shows its quiet days too), rates and counts
//! as words, the chart's scale, and each agent's meetings in stacking order. Compiled and
//! tested natively; nothing here touches the browser.

use std::collections::BTreeMap;

/// The counts a dialogue reports per day, in the order tables show them: (key, column title).
pub const METRICS: [(&str, &str); 5] = [
    ("triggered", "Triggered"),
    ("engaged", "Engaged"),
    ("completed", "Completed"),
    ("emails", "Emails"),
    ("meetings", "Meetings"),
];

/// Meeting statuses in stacking order: (status, label); the status is also the segment's CSS
/// class (`as-<status>`).
pub const STATUSES: [(&str, &str); 6] = [
    ("completed", "Completed"),
    ("scheduled", "Scheduled"),
    ("rescheduled", "Rescheduled"),
    ("pending_calendar", "Awaiting calendar"),
    ("no_show", "No-show"),
    ("canceled", "Canceled"),
];

/// The range the numbers cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// The last 7 days, up to now.
    Last7,
    /// The last 30 days, up to now (the edge's default).
    Last30,
    /// The last 90 days, up to now.
    Last90,
    /// Two chosen days, both included, in the admin's time zone.
    Custom,
}

impl Range {
    /// Every range, in the order offered.
    pub const ALL: [Range; 4] = [Range::Last7, Range::Last30, Range::Last90, Range::Custom];

    /// The `<option>` value.
    pub fn slug(self) -> &'static str {
        match self {
            Range::Last7 => "7",
            Range::Last30 => "30",
            Range::Last90 => "90",
            Range::Custom => "custom",
        }
    }

    /// What the option says.
    pub fn label(self) -> &'static str {
        match self {
            Range::Last7 => "Last 7 days",
            Range::Last30 => "Last 30 days",
            Range::Last90 => "Last 90 days",
            Range::Custom => "Custom dates",
        }
    }

    /// The range an `<option>` value names; the last 30 days for anything else.
    pub fn from_slug(slug: &str) -> Range {
        Range::ALL.into_iter().find(|r| r.slug() == slug).unwrap_or(Range::Last30)
    }

    /// How many days back a preset reaches; `None` for custom dates.
    pub fn days(self) -> Option<u32> {
        match self {
            Range::Last7 => Some(7),
            Range::Last30 => Some(30),
            Range::Last90 => Some(90),
            Range::Custom => None,
        }
    }
}

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, from 1.
    pub day: u32,
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Day {
    /// A day as `YYYY-MM-DD` (a date input, or the start of an RFC 3339 time), when it exists.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.get(..10)?;
        let mut parts = text.splitn(3, '-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        let day = Day { year, month, day };
        ((1..=12).contains(&month) && Day::from_ordinal(day.ordinal()) == day).then_some(day)
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// As people read it: "25 Nov".
    pub fn short(self) -> String {
        format!("{} {}", self.day, MONTHS[(self.month as usize).saturating_sub(1) % 12])
    }

    /// As people read it with the year: "25 Nov 2026".
    pub fn long(self) -> String {
        format!("{} {}", self.short(), self.year)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn ordinal(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month = i64::from(self.month);
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(self.day) - 1;
        era * 146_097 + year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year - 719_468
    }

    /// The day `days` after 1970-01-01.
    pub fn from_ordinal(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Day { year: (year_of_era + era * 400 + i64::from(month <= 2)) as i32, month, day }
    }

    /// The day `n` days later.
    pub fn add(self, n: i64) -> Day {
        Day::from_ordinal(self.ordinal() + n)
    }
}

/// Which custom day a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayField {
    /// The first day.
    From,
    /// The last day.
    To,
}

/// Custom dates as date inputs give them, checked: the first and last day (both included), or
/// the field at fault and why. The edge takes at most a year.
pub fn custom_days(from: &str, to: &str) -> Result<(Day, Day), (DayField, String)> {
    let first = Day::parse(from).ok_or((DayField::From, "Choose the first day.".to_owned()))?;
    let last = Day::parse(to).ok_or((DayField::To, "Choose the last day.".to_owned()))?;
    if last < first {
        return Err((DayField::To, "The last day must not be before the first.".to_owned()));
    }
    // 365 days at most, so the range stays within the edge's year even across a clock change.
    if last.ordinal() - first.ordinal() >= 365 {
        return Err((DayField::To, "Choose at most 365 days.".to_owned()));
    }
    Ok((first, last))
}

/// The UTC days a range `[from, to)` of RFC 3339 times touches, as the edge buckets the daily
/// series (by the UTC date of each event); a range ending at midnight UTC stops the day
/// before. At most 367 days; empty when the times do not parse.
pub fn days_of(from: &str, to: &str) -> Vec<Day> {
    let (Some(first), Some(mut last)) = (Day::parse(from), Day::parse(to)) else { return Vec::new() };
    let time = to.get(11..).unwrap_or("");
    let at_midnight = time.starts_with("00:00:00")
        && time[8..].trim_start_matches('.').chars().take_while(char::is_ascii_digit).all(|c| c == '0')
        && (time.ends_with('Z') || time.ends_with("+00:00"));
    if at_midnight && last > first {
        last = last.add(-1);
    }
    let count = (last.ordinal() - first.ordinal() + 1).clamp(0, 367);
    (0..count).map(|n| first.add(n)).collect()
}

/// One day of a dialogue's series, every metric present (0 when the edge gave none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCounts {
    /// The day.
    pub day: Day,
    /// Counts in `METRICS` order.
    pub counts: [u64; 5],
}

/// A dialogue's sparse daily series (days with activity only) laid over every day of the
/// range, quiet days as zeros; days outside the range are kept, in order.
pub fn daily(range: &[Day], series: &[(String, BTreeMap<String, u64>)]) -> Vec<DayCounts> {
    let mut by_day: BTreeMap<Day, [u64; 5]> = range.iter().map(|d| (*d, [0; 5])).collect();
    for (day, counts) in series {
        let Some(day) = Day::parse(day) else { continue };
        let row = by_day.entry(day).or_default();
        for (i, (key, _)) in METRICS.iter().enumerate() {
            row[i] += counts.get(*key).copied().unwrap_or(0);
        }
    }
    by_day.into_iter().map(|(day, counts)| DayCounts { day, counts }).collect()
}

/// A rate in percent with one decimal ("42.5%"), or "—" when there is no base.
pub fn rate(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if !v.is_finite() => "—".to_owned(),
        Some(v) => {
            let tenths = (v.clamp(0.0, 100.0) * 10.0).round() as u64;
            match tenths % 10 {
                0 => format!("{}%", tenths / 10),
                d => format!("{}.{d}%", tenths / 10),
            }
        }
    }
}

/// A count with thousands separators: "12,345".
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` and the noun in singular or plural: "1 meeting", "3 meetings".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", number(n), if n == 1 { one } else { many })
}

/// The top of a chart's axis for a largest value: a round number at least as large (1, 2, 5
/// times a power of ten), and never 0.
pub fn axis_top(largest: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if largest <= step * m {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// An agent's meetings by status in stacking order, known statuses first, then any other the
/// edge reports; statuses with none left out. (status, label, count).
pub fn stacked(by_status: &BTreeMap<String, u64>) -> Vec<(String, String, u64)> {
    let known =
        STATUSES.iter().filter_map(|(s, label)| by_status.get(*s).map(|n| ((*s).to_owned(), (*label).to_owned(), *n)));
    let others = by_status
        .iter()
        .filter(|(s, _)| !STATUSES.iter().any(|(k, _)| k == s))
        .map(|(s, n)| (s.clone(), s.replace('_', " "), *n));
    known.chain(others).filter(|(_, _, n)| *n > 0).collect()
}

/// The breakdown in words: "3 completed, 1 canceled"; "no meetings" when none.
pub fn breakdown(by_status: &BTreeMap<String, u64>) -> String {
    let parts: Vec<String> =
        stacked(by_status).into_iter().map(|(_, label, n)| format!("{} {}", number(n), label.to_lowercase())).collect();
    if parts.is_empty() { "no meetings".to_owned() } else { parts.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap_or(Day { year: 0, month: 0, day: 0 })
    }

    #[test]
    fn ranges_round_trip_through_their_slugs() {
        for r in Range::ALL {
            assert_eq!(Range::from_slug(r.slug()), r);
        }
        assert_eq!(Range::from_slug("nope"), Range::Last30);
        assert_eq!(Range::Last90.days(), Some(90));
        assert_eq!(Range::Custom.days(), None);
    }

    #[test]
    fn days_parse_and_count() {
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(Day::parse("2028-02-29").map(Day::iso), Some("2028-02-29".to_owned()));
        assert_eq!(Day::parse("2026-11-25T10:00:00Z").map(Day::iso), Some("2026-11-25".to_owned()));
        assert_eq!(day("2026-12-31").add(1).iso(), "2027-01-01");
        assert_eq!(day("1970-01-01").ordinal(), 0);
        assert_eq!(day("2026-11-25").short(), "25 Nov");
        assert_eq!(day("2026-11-25").long(), "25 Nov 2026");
    }

    #[test]
    fn custom_days_are_checked() {
        assert_eq!(custom_days("2026-11-01", "2026-11-30"), Ok((day("2026-11-01"), day("2026-11-30"))));
        assert_eq!(custom_days("", "2026-11-30").map_err(|e| e.0), Err(DayField::From));
        assert_eq!(custom_days("2026-11-02", "2026-11-01").map_err(|e| e.0), Err(DayField::To));
        assert!(custom_days("2025-01-01", "2026-01-01").is_err(), "over a year");
        assert!(custom_days("2025-01-02", "2026-01-01").is_ok());
    }

    #[test]
    fn a_range_covers_its_utc_days() {
        let days = days_of("2026-11-20T10:30:00.123+00:00", "2026-11-23T10:30:00.123+00:00");
        assert_eq!(
            days.iter().map(|d| d.iso()).collect::<Vec<_>>(),
            ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
        );
        assert_eq!(days_of("2026-11-20T00:00:00+00:00", "2026-11-22T00:00:00+00:00").len(), 2);
        assert_eq!(days_of("2026-11-20T00:00:00Z", "2026-11-22T00:00:00.000Z").len(), 2);
        assert!(days_of("nope", "2026-11-22T00:00:00Z").is_empty());
        assert!(days_of("2026-11-22T00:00:00Z", "2026-11-20T00:00:00Z").is_empty());
    }

    #[test]
    fn quiet_days_are_zeros() {
        let range = days_of("2026-11-20T08:00:00Z", "2026-11-22T08:00:00Z");
        let counts: BTreeMap<String, u64> = [("triggered".to_owned(), 4), ("meetings".to_owned(), 1)].into();
        let rows = daily(&range, &[("2026-11-21".to_owned(), counts)]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].counts, [0; 5]);
        assert_eq!(rows[1].counts, [4, 0, 0, 0, 1]);
    }

    #[test]
    fn rates_and_numbers_read_well() {
        assert_eq!(rate(None), "—");
        assert_eq!(rate(Some(42.0)), "42%");
        assert_eq!(rate(Some(33.33)), "33.3%");
        assert_eq!(rate(Some(f64::NAN)), "—");
        assert_eq!(number(0), "0");
        assert_eq!(number(1_234_567), "1,234,567");
        assert_eq!(count(1, "meeting", "meetings"), "1 meeting");
        assert_eq!(count(1200, "meeting", "meetings"), "1,200 meetings");
    }

    #[test]
    fn the_axis_ends_on_a_round_number() {
        assert_eq!(axis_top(0), 1);
        assert_eq!(axis_top(1), 1);
        assert_eq!(axis_top(3), 5);
        assert_eq!(axis_top(7), 10);
        assert_eq!(axis_top(11), 20);
        assert_eq!(axis_top(480), 500);
    }

    #[test]
    fn meetings_stack_in_a_fixed_order() {
        let by: BTreeMap<String, u64> = [
            ("canceled".to_owned(), 1),
            ("completed".to_owned(), 3),
            ("scheduled".to_owned(), 0),
            ("odd_one".to_owned(), 2),
        ]
        .into();
        let order: Vec<String> = stacked(&by).into_iter().map(|(s, _, _)| s).collect();
        assert_eq!(order, ["completed", "canceled", "odd_one"]);
        assert_eq!(breakdown(&by), "3 completed, 1 canceled, 2 odd one");
        assert_eq!(breakdown(&BTreeMap::new()), "no meetings");
    }
}
