//! Tests for slot computation: fixed examples and properties across daylight-saving changes.

use super::*;
use chrono::Timelike;
use proptest::prelude::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn hours(zone: &str, start: &str, end: &str) -> WorkingHours {
    match ScheduleSpec::weekdays(zone, start, end).parse() {
        Ok(h) => h,
        Err(e) => panic!("bad schedule: {e}"),
    }
}

#[test]
fn a_weekday_is_cut_into_half_hours() {
    let h = hours("America/New_York", "09:00", "11:00");
    // Tuesday 2026-11-24, New York is UTC-5.
    let slots = h.slots(utc("2026-11-24T00:00:00Z"), utc("2026-11-25T00:00:00Z"), 30);
    let starts: Vec<String> = slots.iter().map(|s| s.start.to_rfc3339()).collect();
    assert_eq!(
        starts,
        [
            "2026-11-24T14:00:00+00:00",
            "2026-11-24T14:30:00+00:00",
            "2026-11-24T15:00:00+00:00",
            "2026-11-24T15:30:00+00:00"
        ]
    );
}

#[test]
fn weekends_are_free_of_slots() {
    let h = hours("Europe/Paris", "09:00", "17:00");
    // Saturday 2026-11-28 and Sunday 2026-11-29.
    assert!(h.slots(utc("2026-11-28T00:00:00Z"), utc("2026-11-30T00:00:00Z"), 30).is_empty());
}

#[test]
fn several_blocks_a_day() {
    let mut spec = ScheduleSpec::weekdays("UTC", "09:00", "10:00");
    spec.weekly[0].push(BlockSpec { start: "14:00".into(), end: "15:00".into() });
    let h = spec.parse().unwrap_or_else(|e| panic!("{e}"));
    // Monday 2026-11-23.
    let slots = h.slots(utc("2026-11-23T00:00:00Z"), utc("2026-11-24T00:00:00Z"), 60);
    assert_eq!(slots.len(), 2);
    assert!(h.offers(utc("2026-11-23T14:00:00Z"), 60));
    assert!(!h.offers(utc("2026-11-23T14:30:00Z"), 60));
    assert!(!h.offers(utc("2026-11-23T12:00:00Z"), 60));
}

#[test]
fn bad_schedules_are_refused() {
    let mut spec = ScheduleSpec::weekdays("Mars/Olympus", "09:00", "17:00");
    assert_eq!(spec.parse(), Err(ScheduleError::UnknownTimeZone("Mars/Olympus".into())));
    spec.time_zone = "UTC".into();
    spec.weekly[2] = vec![BlockSpec { start: "9am".into(), end: "17:00".into() }];
    assert_eq!(spec.parse(), Err(ScheduleError::BadTime("9am".into())));
    spec.weekly[2] = vec![BlockSpec { start: "17:00".into(), end: "09:00".into() }];
    assert_eq!(spec.parse(), Err(ScheduleError::BadBlocks(Weekday::Wed)));
    spec.weekly[2] = vec![
        BlockSpec { start: "09:00".into(), end: "12:00".into() },
        BlockSpec { start: "11:00".into(), end: "13:00".into() },
    ];
    assert_eq!(spec.parse(), Err(ScheduleError::BadBlocks(Weekday::Wed)));
}

#[test]
fn the_missing_hour_in_spring_is_not_offered() {
    // Europe/Paris jumps from 02:00 to 03:00 on Sunday 2027-03-28.
    let mut spec = ScheduleSpec::weekdays("Europe/Paris", "09:00", "17:00");
    spec.weekly[6] = vec![BlockSpec { start: "01:00".into(), end: "04:00".into() }];
    let h = spec.parse().unwrap_or_else(|e| panic!("{e}"));
    let slots = h.slots(utc("2027-03-27T12:00:00Z"), utc("2027-03-28T12:00:00Z"), 30);
    let local: Vec<String> =
        slots.iter().map(|s| s.start.with_timezone(&h.time_zone()).format("%H:%M").to_string()).collect();
    // 01:30 would end at 03:00 local time, across the jump, so it is not offered either.
    assert_eq!(local, ["01:00", "03:00", "03:30"]);
}

#[test]
fn the_repeated_hour_in_autumn_is_offered_once() {
    // America/New_York repeats 01:00–02:00 on Sunday 2026-11-01.
    let mut spec = ScheduleSpec::weekdays("America/New_York", "09:00", "17:00");
    spec.weekly[6] = vec![BlockSpec { start: "00:00".into(), end: "03:00".into() }];
    let h = spec.parse().unwrap_or_else(|e| panic!("{e}"));
    let slots = h.slots(utc("2026-11-01T00:00:00Z"), utc("2026-11-02T00:00:00Z"), 60);
    let local: Vec<String> =
        slots.iter().map(|s| s.start.with_timezone(&h.time_zone()).format("%H:%M%z").to_string()).collect();
    // 01:00-0400 plus one hour is 01:00-0500: the slot straddles the change and is not offered;
    // the repeated hour itself is never offered twice.
    assert_eq!(local, ["00:00-0400", "02:00-0500"]);
}

#[test]
fn pool_slots_skip_busy_agents_and_respect_notice() {
    let h = hours("UTC", "09:00", "10:00");
    let busy = [Interval::starting_at(utc("2026-11-24T09:00:00Z"), 30)];
    let rules = SlotRules { duration_minutes: 30, min_notice_minutes: 60, horizon_days: 30 };
    let agents = [AgentAvailability { hours: &h, busy: &busy }];
    let now = utc("2026-11-24T07:45:00Z");
    let slots = pool_slots(&agents, now, utc("2026-11-25T00:00:00Z"), now, &rules);
    assert_eq!(slots, vec![Interval::starting_at(utc("2026-11-24T09:30:00Z"), 30)]);
    // A second, free agent brings the 09:00 slot back.
    let free = AgentAvailability { hours: &h, busy: &[] };
    let slots = pool_slots(&[agents[0], free], now, utc("2026-11-25T00:00:00Z"), now, &rules);
    assert_eq!(slots.len(), 2);
    // Minimum notice hides 09:00 when it is 08:30.
    let later = utc("2026-11-24T08:30:00Z");
    let slots = pool_slots(&[free], later, utc("2026-11-25T00:00:00Z"), later, &rules);
    assert_eq!(slots, vec![Interval::starting_at(utc("2026-11-24T09:30:00Z"), 30)]);
}

const ZONES: [&str; 6] =
    ["America/New_York", "Europe/Paris", "Australia/Sydney", "Australia/Adelaide", "Asia/Kolkata", "UTC"];

fn schedule() -> impl Strategy<Value = (usize, u32, u32, u32)> {
    // zone, start hour, block length in hours, duration index
    (0..ZONES.len(), 0u32..20, 1u32..5, 0u32..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every slot lies inside working hours in the agent's zone, is exactly as long as asked,
    /// and is offered; this holds on the days clocks change (the window covers them).
    #[test]
    fn slots_lie_inside_working_hours((zone, start_h, len_h, d) in schedule(), day in 0i64..400) {
        let minutes = [15u32, 30, 60][d as usize];
        let end_h = (start_h + len_h).min(23);
        let spec = ScheduleSpec::weekdays(ZONES[zone], &format!("{start_h:02}:00"), &format!("{end_h:02}:00"));
        let h = spec.parse().unwrap_or_else(|e| panic!("{e}"));
        let from = utc("2026-01-01T00:00:00Z") + Duration::days(day);
        let until = from + Duration::days(9);
        for slot in h.slots(from, until, minutes) {
            prop_assert_eq!(slot.end - slot.start, Duration::minutes(i64::from(minutes)));
            let ls = slot.start.with_timezone(&h.time_zone());
            let le = slot.end.with_timezone(&h.time_zone());
            prop_assert!(ls.weekday().num_days_from_monday() < 5, "weekend slot {}", ls);
            prop_assert!(ls.hour() >= start_h, "slot {} before {}", ls, start_h);
            prop_assert_eq!(ls.date_naive(), le.date_naive() - Duration::days(i64::from(le.hour() == 0 && le.minute() == 0)));
            prop_assert!(le.time() <= NaiveTime::from_hms_opt(end_h, 0, 0).unwrap_or_default() || (le.hour() == 0 && le.minute() == 0));
            prop_assert!(h.offers(slot.start, minutes));
            prop_assert!(slot.start >= from && slot.start < until);
        }
    }

    /// No offered pool slot overlaps a busy interval of every agent, and each slot has a free
    /// agent that passes the notice and horizon rules.
    #[test]
    fn pool_slots_never_overlap_busy_time(
        (zone, start_h, len_h, _) in schedule(),
        busy_offsets in proptest::collection::vec((0i64..(14 * 24 * 4), 1u32..8), 0..20),
        notice in 0u32..600,
    ) {
        let spec = ScheduleSpec::weekdays(ZONES[zone], &format!("{start_h:02}:00"), &format!("{:02}:00", (start_h + len_h).min(23)));
        let h = spec.parse().unwrap_or_else(|e| panic!("{e}"));
        let now = utc("2027-03-20T10:07:00Z");
        let busy: Vec<Interval> = busy_offsets
            .iter()
            .map(|&(q, n)| Interval::starting_at(now + Duration::minutes(q * 15), n * 15))
            .collect();
        let rules = SlotRules { duration_minutes: 30, min_notice_minutes: notice, horizon_days: 10 };
        let agent = AgentAvailability { hours: &h, busy: &busy };
        let slots = pool_slots(&[agent], now, now + Duration::days(14), now, &rules);
        for slot in &slots {
            prop_assert!(!busy.iter().any(|b| b.overlaps(slot)));
            prop_assert!(slot.start >= now + Duration::minutes(i64::from(notice)));
            prop_assert!(slot.start < now + Duration::days(10));
            prop_assert!(agent.is_free(slot, now, &rules));
        }
    }
}

// Date overrides, agent rules and meeting lengths.

/// Meeting lengths the product offers.
const DURATIONS: [u32; 5] = [15, 30, 45, 60, 90];

/// Local dates on which clocks change, 2026–2027: New York, Paris, then Sydney and Adelaide.
const CLOCK_CHANGES: [&str; 12] = [
    "2026-03-08",
    "2026-11-01",
    "2027-03-14",
    "2027-11-07",
    "2026-03-29",
    "2026-10-25",
    "2027-03-28",
    "2027-10-31",
    "2026-04-05",
    "2026-10-04",
    "2027-04-04",
    "2027-10-03",
];

fn parsed(spec: &ScheduleSpec) -> WorkingHours {
    spec.parse().unwrap_or_else(|e| panic!("bad schedule: {e}"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn block(start: &str, end: &str) -> BlockSpec {
    BlockSpec { start: start.into(), end: end.into() }
}

fn day(date: &str, blocks: Vec<BlockSpec>) -> DateOverride {
    DateOverride { date: date.into(), blocks }
}

/// Slot starts as `"Sat 10:00"` in the agent's zone.
fn local_starts(h: &WorkingHours, slots: &[Interval]) -> Vec<String> {
    slots.iter().map(|s| s.start.with_timezone(&h.time_zone()).format("%a %H:%M").to_string()).collect()
}

/// Pool rules that leave the agent's own rules to decide: no notice, a long horizon.
fn open_rules(minutes: u32) -> SlotRules {
    SlotRules { duration_minutes: minutes, min_notice_minutes: 0, horizon_days: 365 }
}

/// The slots of one agent whose start lies in `[from, until)`, asked at `from`.
fn agent_slots(agent: AgentSchedule<'_>, from: &str, until: &str, minutes: u32) -> Vec<String> {
    local_starts(agent.hours, &pool_slots_with_rules(&[agent], utc(from), utc(until), utc(from), &open_rules(minutes)))
}

#[test]
fn a_day_off_offers_nothing() {
    let mut spec = ScheduleSpec::weekdays("Europe/Paris", "09:00", "17:00");
    // Thursday 2026-12-24; Paris is UTC+1.
    spec.overrides.push(day("2026-12-24", vec![]));
    let h = parsed(&spec);
    let slots = local_starts(&h, &h.slots(utc("2026-12-22T23:00:00Z"), utc("2026-12-25T23:00:00Z"), 60));
    assert_eq!(slots.len(), 16);
    assert!(slots.iter().all(|s| !s.starts_with("Thu")), "{slots:?}");
    assert!(h.blocks_on(date("2026-12-24")).is_empty());
    assert!(!h.offers(utc("2026-12-24T08:00:00Z"), 60));
    assert!(h.offers(utc("2026-12-23T08:00:00Z"), 60));
}

#[test]
fn extra_hours_replace_the_weekly_blocks() {
    let mut spec = ScheduleSpec::weekdays("Europe/Paris", "09:00", "17:00");
    // Saturday 2026-11-28 gets a morning; Monday 2026-11-30 only an hour after lunch.
    spec.overrides =
        vec![day("2026-11-28", vec![block("10:00", "12:00")]), day("2026-11-30", vec![block("13:00", "14:00")])];
    let h = parsed(&spec);
    let slots = h.slots(utc("2026-11-27T23:00:00Z"), utc("2026-11-30T23:00:00Z"), 30);
    assert_eq!(
        local_starts(&h, &slots),
        ["Sat 10:00", "Sat 10:30", "Sat 11:00", "Sat 11:30", "Mon 13:00", "Mon 13:30"]
    );
    assert!(h.offers(utc("2026-11-28T09:00:00Z"), 30));
    assert!(!h.offers(utc("2026-11-30T08:00:00Z"), 30));
    // Tuesday is back to the weekly hours.
    assert!(h.offers(utc("2026-12-01T08:00:00Z"), 30));
}

#[test]
fn overrides_on_a_clock_change_keep_the_invariants() {
    // Australia/Adelaide jumps from 02:00 to 03:00 on Sunday 2026-10-04, a night the agent works.
    let mut spec = ScheduleSpec::weekdays("Australia/Adelaide", "09:00", "17:00");
    spec.overrides.push(day("2026-10-04", vec![block("01:00", "04:00")]));
    let h = parsed(&spec);
    let slots = h.slots(utc("2026-10-03T12:00:00Z"), utc("2026-10-04T12:00:00Z"), 30);
    // 01:30 would end at 03:00 local time, across the jump.
    assert_eq!(local_starts(&h, &slots), ["Sun 01:00", "Sun 03:00", "Sun 03:30"]);

    // Australia/Sydney repeats 02:00–03:00 on Sunday 2026-04-05.
    let mut spec = ScheduleSpec::weekdays("Australia/Sydney", "09:00", "17:00");
    spec.overrides.push(day("2026-04-05", vec![block("01:00", "04:00")]));
    let h = parsed(&spec);
    let slots = h.slots(utc("2026-04-04T12:00:00Z"), utc("2026-04-05T12:00:00Z"), 60);
    let local: Vec<String> =
        slots.iter().map(|s| s.start.with_timezone(&h.time_zone()).format("%H:%M%z").to_string()).collect();
    // 02:00+1100 plus one hour is 02:00+1000: that slot straddles the change.
    assert_eq!(local, ["01:00+1100", "03:00+1000"]);
}

#[test]
fn bad_overrides_are_refused() {
    let mut spec = ScheduleSpec::weekdays("UTC", "09:00", "17:00");
    for bad in ["2026-13-01", "2026-02-30", "2026-1-5", "24/12/2026", ""] {
        spec.overrides = vec![day(bad, vec![block("09:00", "17:00")])];
        assert_eq!(spec.parse(), Err(ScheduleError::BadDate(bad.into())));
    }
    let christmas_eve = date("2026-12-24");
    spec.overrides = vec![day("2026-12-24", vec![block("9am", "12:00")])];
    assert_eq!(spec.parse(), Err(ScheduleError::BadTime("9am".into())));
    for blocks in [
        vec![block("12:00", "09:00")],
        vec![block("10:00", "10:00")],
        vec![block("09:00", "12:00"), block("11:00", "13:00")],
    ] {
        spec.overrides = vec![day("2026-12-24", blocks)];
        assert_eq!(spec.parse(), Err(ScheduleError::BadDateBlocks(christmas_eve)));
    }
    spec.overrides = vec![day("2026-12-24", vec![]), day("2026-12-24", vec![block("09:00", "12:00")])];
    assert_eq!(spec.parse(), Err(ScheduleError::DuplicateDate(christmas_eve)));
    // Blocks that touch are fine, as on weekdays.
    spec.overrides = vec![day("2026-12-24", vec![block("12:00", "13:00"), block("09:00", "12:00")])];
    assert!(spec.parse().is_ok());

    assert_eq!(ScheduleError::BadDate("2026-1-5".into()).to_string(), r#""2026-1-5" is not a date (YYYY-MM-DD)"#);
    assert_eq!(
        ScheduleError::BadDateBlocks(christmas_eve).to_string(),
        "working blocks on 2026-12-24 are empty or overlap"
    );
    assert_eq!(ScheduleError::DuplicateDate(christmas_eve).to_string(), "2026-12-24 has more than one override");
}

#[test]
fn stored_json_keeps_its_shape() {
    // Working hours stored before overrides existed still parse, and are written back unchanged.
    let old = r#"{"time_zone":"UTC","weekly":[[{"start":"09:00","end":"17:00"}],[],[],[],[],[],[]]}"#;
    let spec: ScheduleSpec = serde_json::from_str(old).unwrap_or_else(|e| panic!("{e}"));
    assert!(spec.overrides.is_empty());
    assert_eq!(serde_json::to_string(&spec).unwrap_or_default(), old);

    let new = r#"{"time_zone":"Europe/Paris","weekly":[[],[],[],[],[],[],[]],"overrides":[{"date":"2026-12-24","blocks":[]},{"date":"2026-12-26","blocks":[{"start":"10:00","end":"12:00"}]}]}"#;
    let spec: ScheduleSpec = serde_json::from_str(new).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.overrides[1], day("2026-12-26", vec![block("10:00", "12:00")]));
    assert_eq!(serde_json::to_string(&spec).unwrap_or_default(), new);
    assert!(spec.parse().is_ok());

    // Every agent rule may be left out.
    let rules: AgentRules = serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules, AgentRules::default());
    assert_eq!(
        serde_json::to_string(&rules).unwrap_or_default(),
        r#"{"buffer_before_minutes":0,"buffer_after_minutes":0}"#
    );
    let full = r#"{"buffer_before_minutes":10,"buffer_after_minutes":5,"daily_cap":4,"min_notice_minutes":120,"horizon_days":14}"#;
    let rules: AgentRules = serde_json::from_str(full).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rules,
        AgentRules {
            buffer_before_minutes: 10,
            buffer_after_minutes: 5,
            daily_cap: Some(4),
            min_notice_minutes: Some(120),
            horizon_days: Some(14),
            durations: Durations::default(),
        }
    );
    assert_eq!(serde_json::to_string(&rules).unwrap_or_default(), full);
}

#[test]
fn every_meeting_length_is_cut_on_its_own_grid() {
    let h = hours("UTC", "09:00", "12:00");
    // Monday 2026-11-23.
    let starts = |minutes| -> Vec<String> {
        let slots = h.slots(utc("2026-11-23T00:00:00Z"), utc("2026-11-24T00:00:00Z"), minutes);
        slots.iter().map(|s| s.start.format("%H:%M").to_string()).collect()
    };
    assert_eq!(starts(15).len(), 12);
    assert_eq!(starts(30).len(), 6);
    assert_eq!(starts(45), ["09:00", "09:45", "10:30", "11:15"]);
    assert_eq!(starts(60), ["09:00", "10:00", "11:00"]);
    assert_eq!(starts(90), ["09:00", "10:30"]);
    assert!(h.offers(utc("2026-11-23T10:30:00Z"), 90));
    assert!(!h.offers(utc("2026-11-23T10:00:00Z"), 90));
    // A slot is free only when it is exactly as long as the meeting.
    let agent = AgentSchedule { hours: &h, rules: AgentRules::default(), meetings: &[], busy: &[] };
    let now = utc("2026-11-22T00:00:00Z");
    assert!(agent.is_free(&Interval::starting_at(utc("2026-11-23T10:30:00Z"), 90), now, &open_rules(90)));
    assert!(!agent.is_free(&Interval::starting_at(utc("2026-11-23T10:30:00Z"), 60), now, &open_rules(90)));
    assert_eq!(agent_slots(agent, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", 45).len(), 4);
}

#[test]
fn buffers_keep_calendar_events_clear() {
    let h = hours("UTC", "09:00", "12:00");
    // Monday 2026-11-23, an event from 10:00 to 10:30.
    let busy = [Interval::starting_at(utc("2026-11-23T10:00:00Z"), 30)];
    let both = AgentRules { buffer_before_minutes: 15, buffer_after_minutes: 15, ..AgentRules::default() };
    let agent = AgentSchedule { hours: &h, rules: both, meetings: &[], busy: &busy };
    let monday = |agent| agent_slots(agent, "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", 30);
    // 09:30 would leave no wrap-up time before the event, 10:30 no preparation time after it.
    assert_eq!(monday(agent), ["Mon 09:00", "Mon 11:00", "Mon 11:30"]);
    let after_only = AgentRules { buffer_after_minutes: 15, ..AgentRules::default() };
    assert_eq!(
        monday(AgentSchedule { rules: after_only, ..agent }),
        ["Mon 09:00", "Mon 10:30", "Mon 11:00", "Mon 11:30"]
    );
    assert_eq!(both.reserved(&busy[0]), Interval::starting_at(utc("2026-11-23T09:45:00Z"), 60));
}

#[test]
fn meetings_booked_here_keep_their_own_buffers() {
    // Fifteen minutes of wrap-up after every meeting: whichever of two neighbours is booked
    // first, the other cannot follow it straight away.
    let h = hours("UTC", "09:00", "12:00");
    let rules = AgentRules { buffer_after_minutes: 15, ..AgentRules::default() };
    let at_ten = [Interval::starting_at(utc("2026-11-23T10:00:00Z"), 30)];
    let at_half_past_ten = [Interval::starting_at(utc("2026-11-23T10:30:00Z"), 30)];
    let monday = |meetings: &[Interval], busy: &[Interval]| {
        agent_slots(
            AgentSchedule { hours: &h, rules, meetings, busy },
            "2026-11-23T00:00:00Z",
            "2026-11-24T00:00:00Z",
            30,
        )
    };
    assert_eq!(monday(&at_ten, &[]), ["Mon 09:00", "Mon 11:00", "Mon 11:30"]);
    assert_eq!(monday(&at_half_past_ten, &[]), ["Mon 09:00", "Mon 09:30", "Mon 11:30"]);
    // The same time as a calendar event only keeps the new meeting's buffers clear.
    assert_eq!(monday(&[], &at_ten), ["Mon 09:00", "Mon 10:30", "Mon 11:00", "Mon 11:30"]);
    // A meeting listed both ways blocks as a meeting.
    assert_eq!(monday(&at_ten, &at_ten), monday(&at_ten, &[]));
}

#[test]
fn the_daily_cap_counts_meetings_per_local_day() {
    let h = hours("America/New_York", "09:00", "17:00");
    // Tuesday 2026-11-24 at 09:00 and 21:00 in New York; the second is already Wednesday in UTC.
    let meetings = [
        Interval::starting_at(utc("2026-11-24T14:00:00Z"), 60),
        Interval::starting_at(utc("2026-11-25T02:00:00Z"), 60),
    ];
    // Calendar events on Wednesday 09:00 and 10:00 block time but never count toward the cap.
    let busy = [
        Interval::starting_at(utc("2026-11-25T14:00:00Z"), 60),
        Interval::starting_at(utc("2026-11-25T15:00:00Z"), 60),
    ];
    let with_cap = |daily_cap| {
        let rules = AgentRules { daily_cap, ..AgentRules::default() };
        let agent = AgentSchedule { hours: &h, rules, meetings: &meetings, busy: &busy };
        // Tuesday and Wednesday, local time.
        agent_slots(agent, "2026-11-24T05:00:00Z", "2026-11-26T05:00:00Z", 60)
    };
    assert_eq!(with_cap(Some(2)), ["Wed 11:00", "Wed 12:00", "Wed 13:00", "Wed 14:00", "Wed 15:00", "Wed 16:00"]);
    // Room for a third meeting opens Tuesday again, around its 09:00 meeting.
    let three = with_cap(Some(3));
    assert_eq!(three.len(), 7 + 6);
    assert!(!three.contains(&"Tue 09:00".to_owned()));
    assert_eq!(with_cap(None), three);
    assert!(with_cap(Some(0)).is_empty());
}

#[test]
fn the_agent_notice_and_horizon_apply_when_stricter() {
    let h = hours("UTC", "09:00", "17:00");
    let pool = SlotRules { duration_minutes: 30, min_notice_minutes: 60, horizon_days: 30 };
    // Monday 2026-11-23.
    let now = utc("2026-11-23T08:00:00Z");
    let first_and_last = |rules| {
        let agent = AgentSchedule { hours: &h, rules, meetings: &[], busy: &[] };
        let slots = pool_slots_with_rules(&[agent], now, now + Duration::days(40), now, &pool);
        (slots.first().map(|s| s.start), slots.last().map(|s| s.start))
    };
    let pools_own = (Some(utc("2026-11-23T09:00:00Z")), Some(utc("2026-12-22T16:30:00Z")));
    assert_eq!(first_and_last(AgentRules::default()), pools_own);
    // A day's notice and a two-day horizon leave Tuesday only.
    let strict = AgentRules { min_notice_minutes: Some(24 * 60), horizon_days: Some(2), ..AgentRules::default() };
    assert_eq!(first_and_last(strict), (Some(utc("2026-11-24T09:00:00Z")), Some(utc("2026-11-24T16:30:00Z"))));
    assert_eq!(strict.tighten(&pool), SlotRules { duration_minutes: 30, min_notice_minutes: 24 * 60, horizon_days: 2 });
    // Looser values never widen the pool's rules.
    let loose = AgentRules { min_notice_minutes: Some(0), horizon_days: Some(365), ..AgentRules::default() };
    assert_eq!(first_and_last(loose), pools_own);
    assert_eq!(loose.tighten(&pool), pool);
}

/// A first local day for a test window: a week or less before a clock change, or any day of
/// 2026–2027.
fn first_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (0..CLOCK_CHANGES.len(), 0i64..8).prop_map(|(i, back)| date(CLOCK_CHANGES[i]) - Duration::days(back)),
        (0i64..730).prop_map(|d| date("2026-01-01") + Duration::days(d)),
    ]
}

/// One day's blocks as quarter-hour marks: sorted, apart, possibly none (a day off).
fn day_blocks() -> impl Strategy<Value = Vec<(u32, u32)>> {
    proptest::collection::btree_set(0u32..96, 0..7).prop_map(|marks| {
        let marks: Vec<u32> = marks.into_iter().collect();
        marks.chunks_exact(2).map(|p| (p[0], p[1])).collect()
    })
}

/// Overrides keyed by days after the window's first day.
fn overrides() -> impl Strategy<Value = BTreeMap<i64, Vec<(u32, u32)>>> {
    proptest::collection::btree_map(0i64..10, day_blocks(), 0..5)
}

fn quarter_time(q: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(q / 4, q % 4 * 15, 0).unwrap_or_default()
}

/// Weekdays `start_h`–`end_h` in `zone`, with `days` (keyed by days after `first`) as overrides.
fn spec_with(
    zone: &str,
    start_h: u32,
    end_h: u32,
    first: NaiveDate,
    days: &BTreeMap<i64, Vec<(u32, u32)>>,
) -> ScheduleSpec {
    let mut spec = ScheduleSpec::weekdays(zone, &format!("{start_h:02}:00"), &format!("{end_h:02}:00"));
    let hhmm = |q: u32| quarter_time(q).format("%H:%M").to_string();
    spec.overrides = days
        .iter()
        .map(|(&i, blocks)| DateOverride {
            date: (first + Duration::days(i)).format("%Y-%m-%d").to_string(),
            blocks: blocks.iter().map(|&(s, e)| BlockSpec { start: hhmm(s), end: hhmm(e) }).collect(),
        })
        .collect();
    spec
}

fn agent_rules() -> impl Strategy<Value = AgentRules> {
    use proptest::option::of;
    (0u32..61, 0u32..61, of(0u32..5), of(0u32..3000), of(0u32..20)).prop_map(
        |(buffer_before_minutes, buffer_after_minutes, daily_cap, min_notice_minutes, horizon_days)| AgentRules {
            buffer_before_minutes,
            buffer_after_minutes,
            daily_cap,
            min_notice_minutes,
            horizon_days,
            durations: Durations::default(),
        },
    )
}

#[test]
fn meeting_lengths_an_agent_takes() {
    let set = Durations::from_minutes(&[60, 15, 30]);
    assert_eq!(set.as_ref().map(Durations::minutes), Ok(vec![15, 30, 60]));
    let set = set.unwrap_or_default();
    assert!(set.allows(30) && set.allows(60) && !set.allows(45) && !set.allows(7));
    assert!(Durations::default().allows(45), "no lengths set means any length");
    assert_eq!(Durations::from_minutes(&[7]), Err(DurationError(7)));
    assert_eq!(Durations::from_minutes(&[485]), Err(DurationError(485)));
    assert!(Durations::from_minutes(&[5, 480]).is_ok_and(|d| d.allows(5) && d.allows(480)));
    let json = serde_json::to_string(&AgentRules { durations: set, ..AgentRules::default() }).unwrap_or_default();
    assert_eq!(json, r#"{"buffer_before_minutes":0,"buffer_after_minutes":0,"durations":[15,30,60]}"#);
    let back: AgentRules = serde_json::from_str(&json).unwrap_or_default();
    assert_eq!(back.durations, set);
    assert!(serde_json::from_str::<AgentRules>(r#"{"durations":[31]}"#).is_err());
}

#[test]
fn an_agent_is_not_free_for_a_length_they_do_not_take() {
    let hours = ScheduleSpec::weekdays("UTC", "09:00", "17:00").parse().unwrap_or_else(|_| unreachable!());
    let rules = AgentRules { durations: Durations::from_minutes(&[30]).unwrap_or_default(), ..AgentRules::default() };
    let agent = AgentSchedule { hours: &hours, rules, meetings: &[], busy: &[] };
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().unwrap_or_default();
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).single().unwrap_or_default();
    let thirty = SlotRules { duration_minutes: 30, ..SlotRules::default() };
    let hour = SlotRules { duration_minutes: 60, ..SlotRules::default() };
    assert!(agent.is_free(&Interval::starting_at(start, 30), now, &thirty));
    assert!(!agent.is_free(&Interval::starting_at(start, 60), now, &hour));
}

/// One generated agent: zone, weekday hours, overrides, rules, and meetings booked here and
/// calendar events as (quarter hours after `now`, length in quarter hours).
#[derive(Debug, Clone)]
struct AgentInput {
    zone: usize,
    start_h: u32,
    end_h: u32,
    days: BTreeMap<i64, Vec<(u32, u32)>>,
    rules: AgentRules,
    meetings: Vec<(i64, u32)>,
    busy: Vec<(i64, u32)>,
}

fn agent_input() -> impl Strategy<Value = AgentInput> {
    use proptest::collection::vec;
    // Meetings crowd the first week so that the cap bites; events spread over the window.
    let meetings = vec((-96i64..(6 * 96), 1u32..9), 0..12);
    let busy = vec((-(2 * 96)..(16 * 96i64), 1u32..9), 0..12);
    (schedule(), overrides(), agent_rules(), meetings, busy).prop_map(
        |((zone, start_h, len_h, _), days, rules, meetings, busy)| AgentInput {
            zone,
            start_h,
            end_h: (start_h + len_h).min(23),
            days,
            rules,
            meetings,
            busy,
        },
    )
}

/// An agent built from its input, owning what its `AgentSchedule` borrows.
struct Built {
    hours: WorkingHours,
    rules: AgentRules,
    meetings: Vec<Interval>,
    busy: Vec<Interval>,
}

impl AgentInput {
    fn build(&self, first: NaiveDate, now: DateTime<Utc>) -> Built {
        let at = |&(q, n): &(i64, u32)| Interval::starting_at(now + Duration::minutes(q * 15), n * 15);
        Built {
            hours: parsed(&spec_with(ZONES[self.zone], self.start_h, self.end_h, first, &self.days)),
            rules: self.rules,
            meetings: self.meetings.iter().map(at).collect(),
            busy: self.busy.iter().map(at).collect(),
        }
    }
}

impl Built {
    fn schedule(&self) -> AgentSchedule<'_> {
        AgentSchedule { hours: &self.hours, rules: self.rules, meetings: &self.meetings, busy: &self.busy }
    }
}

/// The agent rules as the product states them, written apart from `is_free`: notice and
/// horizon are the stricter of pool and agent; no calendar event widened by the buffers
/// overlaps the slot; no meeting booked here, with its buffers, overlaps the slot with its
/// buffers; fewer meetings than the cap start on the slot's day in the agent's zone.
fn obeys(a: &AgentSchedule<'_>, slot: &Interval, now: DateTime<Utc>, pool: &SlotRules) -> bool {
    let notice = pool.min_notice_minutes.max(a.rules.min_notice_minutes.unwrap_or(0));
    let horizon = pool.horizon_days.min(a.rules.horizon_days.unwrap_or(u32::MAX));
    let before = Duration::minutes(i64::from(a.rules.buffer_before_minutes));
    let after = Duration::minutes(i64::from(a.rules.buffer_after_minutes));
    let widened = |i: &Interval| Interval { start: i.start - before, end: i.end + after };
    let tz = a.hours.time_zone();
    let local_day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let same_day = a.meetings.iter().filter(|m| local_day(m.start) == local_day(slot.start)).count();
    slot.start >= now + Duration::minutes(i64::from(notice))
        && slot.start < now + Duration::days(i64::from(horizon))
        && !a.busy.iter().any(|b| Interval { start: b.start - after, end: b.end + before }.overlaps(slot))
        && !a.meetings.iter().any(|m| widened(m).overlaps(&widened(slot)))
        && a.rules.daily_cap.is_none_or(|cap| same_day < cap as usize)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every slot lies inside one block of its local date (the date's override blocks when it
    /// has them), on that block's grid, exactly as long as asked in absolute and local time, and
    /// is offered; on whole days without a clock change every block is cut completely. Windows
    /// often hold a clock change, and blocks often start in the small hours when clocks move.
    #[test]
    fn slots_lie_inside_the_blocks_of_their_local_date(
        (zone, start_h, len_h, _) in schedule(),
        d in 0..DURATIONS.len(),
        first in first_day(),
        days in overrides(),
    ) {
        let minutes = DURATIONS[d];
        let end_h = (start_h + len_h).min(23);
        let h = parsed(&spec_with(ZONES[zone], start_h, end_h, first, &days));
        let tz = h.time_zone();
        let from = first.and_time(NaiveTime::MIN).and_utc() - Duration::days(1);
        let until = from + Duration::days(11);
        let blocks_of = |date: NaiveDate| -> Vec<(NaiveTime, NaiveTime)> {
            match days.get(&(date - first).num_days()) {
                Some(blocks) => blocks.iter().map(|&(s, e)| (quarter_time(s), quarter_time(e))).collect(),
                None if date.weekday().num_days_from_monday() < 5 => vec![(quarter_time(start_h * 4), quarter_time(end_h * 4))],
                None => vec![],
            }
        };
        let step = Duration::minutes(i64::from(minutes));
        let slots = h.slots(from, until, minutes);
        for slot in &slots {
            prop_assert_eq!(slot.end - slot.start, step);
            prop_assert!(slot.start >= from && slot.start < until);
            let (ls, le) = (slot.start.with_timezone(&tz).naive_local(), slot.end.with_timezone(&tz).naive_local());
            prop_assert_eq!(le - ls, step, "slot {} straddles a clock change", ls);
            let date = ls.date();
            let blocks = blocks_of(date);
            let inside = blocks.iter().any(|&(bs, be)| {
                date.and_time(bs) <= ls && le <= date.and_time(be) && (ls - date.and_time(bs)).num_minutes() % i64::from(minutes) == 0
            });
            prop_assert!(inside, "slot {} is not on a block of {:?}", ls, blocks);
            prop_assert_eq!(h.blocks_on(date), blocks.as_slice());
            prop_assert!(h.offers(slot.start, minutes));
        }
        for date in (0..9).map(|i| first + Duration::days(i)) {
            let midnight = |d: NaiveDate| tz.from_local_datetime(&d.and_time(NaiveTime::MIN)).single();
            if let (Some(start), Some(end)) = (midnight(date), midnight(date + Duration::days(1)))
                && end - start == Duration::days(1)
            {
                let expected: i64 = blocks_of(date).iter().map(|&(bs, be)| (be - bs).num_minutes() / i64::from(minutes)).sum();
                let offered = slots.iter().filter(|s| s.start.with_timezone(&tz).date_naive() == date).count();
                prop_assert_eq!(offered as i64, expected, "on {}", date);
            }
        }
    }

    /// The pool offers exactly the slots of working hours for which some agent obeys every rule
    /// (see `obeys`): no slot overlaps a calendar event widened by the buffers, minimum notice,
    /// horizon and the daily cap hold, in every zone and across clock changes.
    #[test]
    fn pool_slots_obey_every_agent_rule(
        agents in proptest::collection::vec(agent_input(), 1..3),
        d in 0..DURATIONS.len(),
        first in first_day(),
        minute in 0i64..(24 * 60),
        notice in 0u32..600,
        horizon in 1u32..15,
    ) {
        let now = first.and_time(NaiveTime::MIN).and_utc() + Duration::minutes(minute);
        let pool = SlotRules { duration_minutes: DURATIONS[d], min_notice_minutes: notice, horizon_days: horizon };
        let built: Vec<Built> = agents.iter().map(|a| a.build(first, now)).collect();
        let schedules: Vec<AgentSchedule<'_>> = built.iter().map(Built::schedule).collect();
        let until = now + Duration::days(14);
        let slots = pool_slots_with_rules(&schedules, now, until, now, &pool);
        let mut expected: Vec<Interval> = schedules
            .iter()
            .flat_map(|a| a.hours.slots(now, until, pool.duration_minutes).into_iter().filter(|s| obeys(a, s, now, &pool)))
            .collect();
        expected.sort();
        expected.dedup();
        prop_assert_eq!(&slots, &expected);
        for slot in &slots {
            prop_assert!(schedules.iter().any(|a| a.is_free(slot, now, &pool)));
        }
    }

    /// Without rules, meetings or overrides the computation is the old one, and listing the
    /// calendar events also as meetings booked here changes nothing.
    #[test]
    fn without_rules_nothing_changes(
        (zone, start_h, len_h, _) in schedule(),
        d in 0..DURATIONS.len(),
        busy_offsets in proptest::collection::vec((0i64..(14 * 24 * 4), 1u32..8), 0..20),
        notice in 0u32..600,
    ) {
        let spec = ScheduleSpec::weekdays(ZONES[zone], &format!("{start_h:02}:00"), &format!("{:02}:00", (start_h + len_h).min(23)));
        let h = parsed(&spec);
        let now = utc("2026-10-01T10:07:00Z");
        let busy: Vec<Interval> =
            busy_offsets.iter().map(|&(q, n)| Interval::starting_at(now + Duration::minutes(q * 15), n * 15)).collect();
        let rules = SlotRules { duration_minutes: DURATIONS[d], min_notice_minutes: notice, horizon_days: 10 };
        let old = AgentAvailability { hours: &h, busy: &busy };
        let new = AgentSchedule::from(old);
        let until = now + Duration::days(14);
        let expected = pool_slots(&[old], now, until, now, &rules);
        prop_assert_eq!(&pool_slots_with_rules(&[new], now, until, now, &rules), &expected);
        prop_assert_eq!(&pool_slots_with_rules(&[AgentSchedule { meetings: &busy, ..new }], now, until, now, &rules), &expected);
        for slot in h.slots(now, until, rules.duration_minutes) {
            prop_assert_eq!(old.is_free(&slot, now, &rules), new.is_free(&slot, now, &rules));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Booking offered slots one after another, as visitors would, never puts more meetings on
    /// one local day than the cap, never lets the buffers of two meetings overlap or a meeting's
    /// buffers cover a calendar event, and keeps every meeting on the agent's working blocks.
    #[test]
    fn booking_offered_slots_keeps_every_rule(
        agent in agent_input(),
        d in 1..DURATIONS.len(),
        first in first_day(),
        picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..40),
    ) {
        let now = first.and_time(NaiveTime::MIN).and_utc();
        let pool = SlotRules { duration_minutes: DURATIONS[d], min_notice_minutes: 0, horizon_days: 4 };
        let built = agent.build(first, now);
        let mut meetings: Vec<Interval> = Vec::new();
        for pick in &picks {
            let a = AgentSchedule { meetings: &meetings, ..built.schedule() };
            let slots = pool_slots_with_rules(&[a], now, now + Duration::days(5), now, &pool);
            let Some(&slot) = slots.get(pick.index(slots.len().max(1))) else { break };
            meetings.push(slot);
        }
        let tz = built.hours.time_zone();
        let reserved: Vec<Interval> = meetings.iter().map(|m| built.rules.reserved(m)).collect();
        for (i, m) in meetings.iter().enumerate() {
            prop_assert!(built.hours.offers(m.start, pool.duration_minutes));
            prop_assert!(!built.busy.iter().any(|b| b.overlaps(&reserved[i])), "{:?} covers an event", reserved[i]);
            prop_assert!(!reserved.iter().enumerate().any(|(j, r)| i != j && r.overlaps(&reserved[i])));
            let day = m.start.with_timezone(&tz).date_naive();
            let same_day = meetings.iter().filter(|n| n.start.with_timezone(&tz).date_naive() == day).count();
            prop_assert!(built.rules.daily_cap.is_none_or(|cap| same_day <= cap as usize), "{} meetings on {}", same_day, day);
        }
    }
}
