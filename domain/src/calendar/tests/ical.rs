//! Reading busy time out of iCalendar text: lines, zones, lengths, recurrences, free/busy
//! components, bounds, and properties over arbitrary input.

use super::*;
use crate::calendar::ical::*;
use proptest::prelude::*;

/// A VCALENDAR around `body` (VEVENTs and the like), with CRLF line ends.
fn calendar(body: &str) -> String {
    format!("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//EN\n{body}END:VCALENDAR\n").replace('\n', "\r\n")
}

/// One VEVENT with the given property lines.
fn event(lines: &str) -> String {
    format!("BEGIN:VEVENT\nUID:{}\n{lines}\nEND:VEVENT\n", lines.len())
}

/// Busy time of one event's lines over `[from, until)`.
fn busy(lines: &str, from: &str, until: &str) -> Vec<Interval> {
    busy_intervals(&calendar(&event(lines)), at(from), at(until))
}

const WINTER: (&str, &str) = ("2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z");

#[test]
fn lines_unfold_and_parameters_may_be_quoted() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=\"Europe/Paris\"\n :20261201T100000\nDTE\n\tND;TZID=Europe/Paris:20261201T110000\nATTENDEE;CN=\"Doe; John: the third\":mailto:j@d.example\nEND:VEVENT\nEND:VCALENDAR";
    assert_eq!(
        busy_intervals(text, at(WINTER.0), at(WINTER.1)),
        vec![span("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z")]
    );
    // Lower-case names and CRLF work the same.
    let lower = "begin:vcalendar\r\nbegin:vevent\r\ndtstart:20261201T100000Z\r\nduration:PT30M\r\nend:vevent\r\nend:vcalendar\r\n";
    assert_eq!(
        busy_intervals(lower, at(WINTER.0), at(WINTER.1)),
        vec![span("2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z")]
    );
}

#[test]
fn lengths() {
    let (from, until) = WINTER;
    assert_eq!(
        busy("DTSTART:20261201T100000Z\nDURATION:PT1H30M", from, until),
        vec![span("2026-12-01T10:00:00Z", "2026-12-01T11:30:00Z")]
    );
    assert_eq!(
        busy("DTSTART:20261201T100000Z\nDURATION:P1DT2H", from, until),
        vec![span("2026-12-01T10:00:00Z", "2026-12-02T12:00:00Z")]
    );
    assert_eq!(
        busy("DTSTART:20261201T100000Z\nDURATION:P1W", from, until),
        vec![span("2026-12-01T10:00:00Z", "2026-12-08T10:00:00Z")]
    );
    // A date lasts a day (in UTC); a date-time without an end is an instant and skipped.
    assert_eq!(
        busy("DTSTART;VALUE=DATE:20261224", from, until),
        vec![span("2026-12-24T00:00:00Z", "2026-12-25T00:00:00Z")]
    );
    assert_eq!(busy("DTSTART:20261224", from, until), vec![span("2026-12-24T00:00:00Z", "2026-12-25T00:00:00Z")]);
    assert_eq!(
        busy("DTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261227", from, until),
        vec![span("2026-12-24T00:00:00Z", "2026-12-27T00:00:00Z")]
    );
    assert_eq!(busy("DTSTART:20261201T100000Z", from, until), vec![]);
    // Reversed, empty, negative or unreadable lengths are skipped.
    assert_eq!(busy("DTSTART:20261201T100000Z\nDTEND:20261201T090000Z", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDTEND:20261201T100000Z", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:-PT1H", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:PT", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:P1H", from, until), vec![]);
    assert_eq!(busy("DTSTART:2026-12-01T10:00:00Z\nDURATION:PT1H", from, until), vec![]);
    // No DTSTART: nothing.
    assert_eq!(busy("DTEND:20261201T100000Z", from, until), vec![]);
}

#[test]
fn transparent_and_cancelled_events_are_free() {
    let (from, until) = WINTER;
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:PT1H\nTRANSP:TRANSPARENT", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:PT1H\nSTATUS:CANCELLED", from, until), vec![]);
    assert_eq!(busy("DTSTART:20261201T100000Z\nDURATION:PT1H\nSTATUS:TENTATIVE\nTRANSP:OPAQUE", from, until).len(), 1);
}

#[test]
fn zones() {
    let (from, until) = ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    let one = |start: &str| busy(&format!("{start}\nDURATION:PT1H"), from, until).first().map(|i| i.start);
    assert_eq!(one("DTSTART;TZID=Europe/Paris:20260701T100000"), Some(at("2026-07-01T08:00:00Z")));
    assert_eq!(one("DTSTART;TZID=America/New_York:20261201T100000"), Some(at("2026-12-01T15:00:00Z")));
    // Path prefixes and Windows names.
    assert_eq!(
        one("DTSTART;TZID=/mozilla.org/20050126_1/Europe/Paris:20260701T100000"),
        Some(at("2026-07-01T08:00:00Z"))
    );
    assert_eq!(one("DTSTART;TZID=W. Europe Standard Time:20260701T100000"), Some(at("2026-07-01T08:00:00Z")));
    // Unknown zones and floating times are read as UTC.
    assert_eq!(one("DTSTART;TZID=Customized Time Zone:20260701T100000"), Some(at("2026-07-01T10:00:00Z")));
    assert_eq!(one("DTSTART:20260701T100000"), Some(at("2026-07-01T10:00:00Z")));
    // 02:30 does not exist in Paris on 29 March 2026: read with the offset before the gap.
    assert_eq!(one("DTSTART;TZID=Europe/Paris:20260329T023000"), Some(at("2026-03-29T01:30:00Z")));
    // 02:30 happens twice on 25 October 2026: the first one.
    assert_eq!(one("DTSTART;TZID=Europe/Paris:20261025T023000"), Some(at("2026-10-25T00:30:00Z")));
}

#[test]
fn daily_rules() {
    let (from, until) = WINTER;
    let starts = |lines: &str| busy(lines, from, until).into_iter().map(|i| i.start).collect::<Vec<_>>();
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;COUNT=3"),
        vec![at("2026-12-01T09:00:00Z"), at("2026-12-02T09:00:00Z"), at("2026-12-03T09:00:00Z")]
    );
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;INTERVAL=10"),
        vec![at("2026-12-01T09:00:00Z"), at("2026-12-11T09:00:00Z"), at("2026-12-21T09:00:00Z")]
    );
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;UNTIL=20261203T090000Z"),
        vec![at("2026-12-01T09:00:00Z"), at("2026-12-02T09:00:00Z"), at("2026-12-03T09:00:00Z")]
    );
    // Weekdays only: Tuesday 1 December to Monday 7 December.
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261207"),
        vec![
            at("2026-12-01T09:00:00Z"),
            at("2026-12-02T09:00:00Z"),
            at("2026-12-03T09:00:00Z"),
            at("2026-12-04T09:00:00Z"),
            at("2026-12-07T09:00:00Z"),
        ]
    );
    // All-day, every other day, twice.
    assert_eq!(
        busy("DTSTART;VALUE=DATE:20261201\nRRULE:FREQ=DAILY;INTERVAL=2;COUNT=2", from, until),
        vec![
            span("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"),
            span("2026-12-03T00:00:00Z", "2026-12-04T00:00:00Z")
        ]
    );
    // BYMONTHDAY as a filter: the last day of the month.
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;BYMONTHDAY=-1"),
        vec![at("2026-12-01T09:00:00Z")]
    );
    let last = busy(
        "DTSTART:20261101T090000Z\nDURATION:PT30M\nRRULE:FREQ=DAILY;BYMONTHDAY=-1",
        "2026-11-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
    );
    assert_eq!(
        last.iter().map(|i| i.start).collect::<Vec<_>>(),
        vec![at("2026-11-01T09:00:00Z"), at("2026-11-30T09:00:00Z"), at("2026-12-31T09:00:00Z")]
    );
}

#[test]
fn a_series_started_long_ago_keeps_its_local_time() {
    // Every day at 09:00 New York time since 2000, no COUNT: skipped ahead to the window, and
    // 09:00 local on both sides of the November change.
    let lines =
        "DTSTART;TZID=America/New_York:20000103T090000\nDTEND;TZID=America/New_York:20000103T093000\nRRULE:FREQ=DAILY";
    let got = busy(lines, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z");
    assert_eq!(
        got,
        vec![
            span("2026-10-31T13:00:00Z", "2026-10-31T13:30:00Z"),
            span("2026-11-01T14:00:00Z", "2026-11-01T14:30:00Z"),
            span("2026-11-02T14:00:00Z", "2026-11-02T14:30:00Z"),
        ]
    );
    // With COUNT the series is counted from its start: 10,000 days from 2000 end in 2027.
    let counted = format!("{lines};COUNT=10000");
    assert_eq!(busy(&counted, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z").len(), 3);
    let ended = format!("{lines};COUNT=1000");
    assert_eq!(busy(&ended, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"), vec![]);
}

#[test]
fn weekly_rules() {
    let (from, until) = WINTER;
    let starts = |lines: &str| busy(lines, from, until).into_iter().map(|i| i.start).collect::<Vec<_>>();
    // Tuesdays and Thursdays, every other week (weeks start on Monday).
    assert_eq!(
        starts("DTSTART:20261201T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH"),
        vec![
            at("2026-12-01T09:00:00Z"),
            at("2026-12-03T09:00:00Z"),
            at("2026-12-15T09:00:00Z"),
            at("2026-12-17T09:00:00Z"),
            at("2026-12-29T09:00:00Z")
        ]
    );
    // Without BYDAY: DTSTART's weekday. UNTIL as a date is inclusive.
    assert_eq!(
        starts("DTSTART:20261202T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;UNTIL=20261216"),
        vec![at("2026-12-02T09:00:00Z"), at("2026-12-09T09:00:00Z"), at("2026-12-16T09:00:00Z")]
    );
    // COUNT counts DTSTART; days of DTSTART's week before it are not instances.
    assert_eq!(
        starts("DTSTART:20261202T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=3"),
        vec![at("2026-12-02T09:00:00Z"), at("2026-12-07T09:00:00Z"), at("2026-12-09T09:00:00Z")]
    );
    // WKST changes which weeks an INTERVAL skips (RFC 5545's own example).
    let mo = "DTSTART:19970805T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO";
    let su = "DTSTART:19970805T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU";
    let dates = |lines: &str| {
        busy(lines, "1997-08-01T00:00:00Z", "1997-09-01T00:00:00Z")
            .iter()
            .map(|i| i.start.format("%d").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(dates(mo), vec!["05", "10", "19", "24"]);
    assert_eq!(dates(su), vec!["05", "17", "19", "31"]);
}

#[test]
fn exceptions_additions_and_overrides() {
    let (from, until) = WINTER;
    let series = "DTSTART;TZID=Europe/Paris:20261201T100000\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=4";
    let starts = |ics: &str| busy_intervals(ics, at(from), at(until)).into_iter().map(|i| i.start).collect::<Vec<_>>();
    // EXDATE in the event's zone, as a list, and as a date (the whole day).
    let excluded = calendar(&event(&format!("{series}\nEXDATE;TZID=Europe/Paris:20261202T100000,20261203T100000")));
    assert_eq!(starts(&excluded), vec![at("2026-12-01T09:00:00Z"), at("2026-12-04T09:00:00Z")]);
    let by_date = calendar(&event(&format!("{series}\nEXDATE;VALUE=DATE:20261201\nEXDATE:20261204T090000Z")));
    assert_eq!(starts(&by_date), vec![at("2026-12-02T09:00:00Z"), at("2026-12-03T09:00:00Z")]);
    // RDATE adds an instance (and a period).
    let added = calendar(&event(
        "DTSTART:20261201T100000Z\nDURATION:PT1H\nRDATE:20261210T150000Z\nRDATE;VALUE=PERIOD:20261211T080000Z/PT2H",
    ));
    assert_eq!(
        busy_intervals(&added, at(from), at(until)),
        vec![
            span("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"),
            span("2026-12-10T15:00:00Z", "2026-12-10T16:00:00Z"),
            span("2026-12-11T08:00:00Z", "2026-12-11T10:00:00Z"),
        ]
    );
    // A cancelled override removes its instance; a moved one replaces it, keeping the
    // series' length when it gives none.
    let overridden = calendar(
        "BEGIN:VEVENT\nUID:s\nDTSTART:20261201T100000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=3\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20261202T100000Z\nDTSTART:20261202T100000Z\nDURATION:PT1H\nSTATUS:CANCELLED\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:s\nRECURRENCE-ID:20261203T100000Z\nDTSTART:20261203T160000Z\nEND:VEVENT\n",
    );
    assert_eq!(
        busy_intervals(&overridden, at(from), at(until)),
        vec![
            span("2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"),
            span("2026-12-03T16:00:00Z", "2026-12-03T17:00:00Z")
        ]
    );
    // An override moved into the window counts even when its instance lies outside.
    let moved_in = busy_intervals(&overridden, at("2026-12-03T12:00:00Z"), at("2026-12-04T00:00:00Z"));
    assert_eq!(moved_in, vec![span("2026-12-03T16:00:00Z", "2026-12-03T17:00:00Z")]);
    // Overrides of another UID replace nothing.
    let other = overridden.replacen("UID:s\r\nRECURRENCE-ID:20261202", "UID:t\r\nRECURRENCE-ID:20261202", 1);
    assert_eq!(busy_intervals(&other, at(from), at(until)).len(), 3);
}

#[test]
fn other_frequencies_give_their_first_instance() {
    let (from, until) = ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
    for freq in ["MONTHLY", "YEARLY", "HOURLY", "SOMETIMES"] {
        let lines = format!("DTSTART:20260105T090000Z\nDURATION:PT1H\nRRULE:FREQ={freq};COUNT=5");
        assert_eq!(busy(&lines, from, until), vec![span("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")], "{freq}");
    }
    // A rule without FREQ is no rule.
    assert_eq!(busy("DTSTART:20260105T090000Z\nDURATION:PT1H\nRRULE:COUNT=5", from, until).len(), 1);
}

#[test]
fn free_busy_components() {
    let text = calendar(
        "BEGIN:VFREEBUSY\nUID:fb\nDTSTART:20261201T000000Z\nDTEND:20261208T000000Z\n\
FREEBUSY:20261201T090000Z/20261201T100000Z,20261202T090000Z/PT30M\n\
FREEBUSY;FBTYPE=BUSY-TENTATIVE:20261203T090000Z/PT1H\n\
FREEBUSY;FBTYPE=FREE:20261204T090000Z/PT1H\n\
FREEBUSY:garbage,20261205T090000Z/20261205T080000Z\nEND:VFREEBUSY\n",
    );
    assert_eq!(
        busy_intervals(&text, at(WINTER.0), at(WINTER.1)),
        vec![
            span("2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"),
            span("2026-12-02T09:00:00Z", "2026-12-02T09:30:00Z"),
            span("2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z"),
        ]
    );
}

#[test]
fn intervals_are_kept_whole_when_they_overlap_the_window() {
    let lines = "DTSTART:20261201T090000Z\nDTEND:20261201T120000Z";
    assert_eq!(
        busy(lines, "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"),
        vec![span("2026-12-01T09:00:00Z", "2026-12-01T12:00:00Z")]
    );
    assert_eq!(busy(lines, "2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z"), vec![], "the window is half-open");
    assert_eq!(busy(lines, "2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z"), vec![]);
    assert_eq!(busy(lines, "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z"), vec![], "an empty window");
}

#[test]
fn nesting_and_broken_structure() {
    let (from, until) = WINTER;
    // A VALARM's DURATION is not the event's; an unclosed VEVENT is dropped; stray ENDs and
    // properties outside components are ignored.
    let text = "END:VEVENT\nDTSTART:20261201T090000Z\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261201T090000Z\nBEGIN:VALARM\nDURATION:PT1H\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT\n\
BEGIN:VEVENT\nDTSTART:20261202T090000Z\nDURATION:PT1H\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20261203T090000Z\nDURATION:PT1H\nEND:VCALENDAR\n";
    assert_eq!(busy_intervals(text, at(from), at(until)), vec![span("2026-12-02T09:00:00Z", "2026-12-02T10:00:00Z")]);
    // Events without a VCALENDAR around them are read too.
    assert_eq!(
        busy_intervals("BEGIN:VEVENT\nDTSTART:20261202T090000Z\nDURATION:PT1H\nEND:VEVENT", at(from), at(until)).len(),
        1
    );
    // Very deep nesting is bounded.
    let deep =
        format!("{}BEGIN:VEVENT\nDTSTART:20261202T090000Z\nDURATION:PT1H\nEND:VEVENT\n", "BEGIN:X\n".repeat(10_000));
    assert_eq!(busy_intervals(&deep, at(from), at(until)), vec![]);
}

#[test]
fn work_is_bounded() {
    // A daily rule over a century-long window stops at MAX_INSTANCES.
    let lines = "DTSTART:20000101T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY";
    let got = busy(lines, "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    assert_eq!(got.len(), MAX_INSTANCES);
    // Rules that never match, COUNTs in the billions, and thousands of them: quick, and every
    // answer is within the window.
    let mut body = String::new();
    for i in 0..2_000 {
        body.push_str(&format!(
            "BEGIN:VEVENT\nUID:{i}\nDTSTART:19000101T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=4000000000\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:w{i}\nDTSTART:19000101T090000Z\nDURATION:PT1H\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR,SA,SU;COUNT=4000000000\nEND:VEVENT\n"
        ));
    }
    let started = std::time::Instant::now();
    let got = busy_intervals(&calendar(&body), at(WINTER.0), at(WINTER.1));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    assert!(got.len() <= MAX_INSTANCES);
}

/// Lines that look like iCalendar, mixed with noise: what the reader must survive.
fn ical_line() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("BEGIN"),
        Just("END"),
        Just("DTSTART"),
        Just("DTEND"),
        Just("DURATION"),
        Just("RRULE"),
        Just("EXDATE"),
        Just("RDATE"),
        Just("RECURRENCE-ID"),
        Just("UID"),
        Just("STATUS"),
        Just("TRANSP"),
        Just("FREEBUSY"),
    ];
    let param = prop_oneof![
        Just(""),
        Just(";VALUE=DATE"),
        Just(";TZID=Europe/Paris"),
        Just(";TZID=America/New_York"),
        Just(";TZID=\"Nowhere\""),
        Just(";VALUE=PERIOD"),
        Just(";FBTYPE=FREE"),
    ];
    let value = prop_oneof![
        Just("VEVENT".to_owned()),
        Just("VCALENDAR".to_owned()),
        Just("VFREEBUSY".to_owned()),
        Just("VALARM".to_owned()),
        (2020u32..2030, 1u32..13, 1u32..29, 0u32..24, 0u32..60)
            .prop_map(|(y, m, d, h, mi)| format!("{y}{m:02}{d:02}T{h:02}{mi:02}00Z")),
        (2020u32..2030, 1u32..13, 1u32..32, 0u32..25).prop_map(|(y, m, d, h)| format!("{y}{m:02}{d:02}T{h:02}3000")),
        (2020u32..2030, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}{m:02}{d:02}")),
        prop_oneof![Just("PT1H"), Just("P1D"), Just("-PT5M"), Just("P1W"), Just("PT0S"), Just("P99999999999D")]
            .prop_map(str::to_owned),
        prop_oneof![
            Just("FREQ=DAILY"),
            Just("FREQ=WEEKLY;BYDAY=MO,WE"),
            Just("FREQ=DAILY;INTERVAL=0;COUNT=0"),
            Just("FREQ=WEEKLY;INTERVAL=3;UNTIL=20270101T000000Z"),
            Just("FREQ=DAILY;BYMONTHDAY=-1,31;BYMONTH=2"),
            Just("FREQ=WEEKLY;COUNT=99999999999;WKST=SU;BYDAY=-1FR"),
            Just("FREQ=MONTHLY;COUNT=3"),
            Just("FREQ=DAILY;UNTIL=20260101"),
        ]
        .prop_map(str::to_owned),
        Just("CANCELLED".to_owned()),
        Just("TRANSPARENT".to_owned()),
        Just("20261201T090000Z/20261201T100000Z,20261202T090000Z/PT1H".to_owned()),
        "\\PC{0,20}",
    ];
    prop_oneof![
        8 => (name, param, value).prop_map(|(n, p, v)| format!("{n}{p}:{v}")),
        1 => "\\PC{0,40}",
        1 => Just(" folded".to_owned()),
    ]
}

fn ical_text() -> impl Strategy<Value = String> {
    prop::collection::vec(ical_line(), 0..60).prop_map(|lines| lines.join("\r\n"))
}

fn window() -> impl Strategy<Value = (DateTime<Utc>, DateTime<Utc>)> {
    (1_700_000_000i64..1_900_000_000, 0i64..100_000_000).prop_map(|(start, len)| {
        let from = DateTime::from_timestamp(start, 0).unwrap();
        (from, from + chrono::TimeDelta::seconds(len))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>(), (from, until) in window()) {
        let _ = busy_intervals(&text, from, until);
    }

    #[test]
    fn intervals_are_non_empty_and_overlap_the_window(text in ical_text(), (from, until) in window()) {
        let window = Interval { start: from, end: until };
        let busy = busy_intervals(&text, from, until);
        prop_assert!(busy.len() <= MAX_INSTANCES);
        for interval in &busy {
            prop_assert!(interval.start < interval.end, "{interval:?}");
            prop_assert!(interval.overlaps(&window), "{interval:?} outside {window:?}");
        }
        prop_assert!(busy.windows(2).all(|w| w[0] < w[1]), "sorted without duplicates");
    }

    #[test]
    fn event_resources_read_back(
        start in 1_700_000_000i64..1_900_000_000,
        minutes in 1i64..600,
        summary in "\\PC{0,200}",
        name in proptest::option::of("\\PC{0,40}"),
    ) {
        let start = DateTime::from_timestamp(start, 0).unwrap();
        let end = start + chrono::TimeDelta::minutes(minutes);
        let spec = EventSpec { summary: &summary, description: &summary, start, end, attendee_name: name.as_deref(), ..spec() };
        let ics = crate::calendar::caldav::event_ics(&spec);
        let busy = busy_intervals(&ics, start - chrono::TimeDelta::hours(1), end + chrono::TimeDelta::hours(1));
        prop_assert_eq!(busy, vec![Interval { start, end }]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Skipping ahead to a late window gives the instances a walk from the series' start finds
    /// there, with and without COUNT.
    #[test]
    fn skipping_ahead_changes_nothing(
        start_day in 0i64..400,
        hour in 0u32..24,
        weekly in any::<bool>(),
        interval in 1u32..4,
        days in proptest::sample::subsequence(vec!["MO", "TU", "WE", "TH", "FR", "SA", "SU"], 0..4),
        count in proptest::option::of(1u32..400),
        late_start in 300i64..900,
        zone in prop_oneof![Just(""), Just(";TZID=Europe/Paris"), Just(";TZID=America/New_York")],
    ) {
        let dtstart = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::TimeDelta::days(start_day);
        let freq = if weekly { "WEEKLY" } else { "DAILY" };
        let mut rule = format!("FREQ={freq};INTERVAL={interval}");
        if !days.is_empty() {
            rule.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        if let Some(count) = count {
            rule.push_str(&format!(";COUNT={count}"));
        }
        let z = if zone.is_empty() { "Z" } else { "" };
        let lines = format!("DTSTART{zone}:{}T{hour:02}0000{z}\nDURATION:PT45M\nRRULE:{rule}", dtstart.format("%Y%m%d"));
        let text = calendar(&event(&lines));
        let early = at("2023-12-01T00:00:00Z");
        let until = at("2027-06-01T00:00:00Z");
        let late = early + chrono::TimeDelta::days(late_start);
        let window = Interval { start: late, end: until };
        let walked: Vec<Interval> = busy_intervals(&text, early, until).into_iter().filter(|i| i.overlaps(&window)).collect();
        prop_assert_eq!(busy_intervals(&text, late, until), walked);
    }
}
