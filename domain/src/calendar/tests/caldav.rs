//! CalDAV: the calendar-query, reading multistatus answers, event resources and statuses.

use super::*;
use crate::calendar::caldav::*;
use crate::calendar::ical::busy_intervals;
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// Every element of `xml` as `namespace|local attr=value …`, in document order.
fn elements(xml: &str) -> Vec<String> {
    let mut reader = NsReader::from_str(xml);
    let mut out = Vec::new();
    loop {
        let (ns, event) = reader.read_resolved_event().unwrap();
        let ns = match ns {
            ResolveResult::Bound(ns) => ns.into_inner().to_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let mut line = format!("{ns}|{}", e.local_name().into_inner());
                for attr in e.attributes() {
                    let attr = attr.unwrap();
                    let key = attr.key.local_name().into_inner().to_owned();
                    if !attr.key.into_inner().starts_with("xmlns") {
                        line.push_str(&format!(
                            " {key}={}",
                            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap()
                        ));
                    }
                }
                out.push(line);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn calendar_query_asks_for_expanded_events_in_the_range() {
    let body = calendar_query_body(at("2026-12-01T15:00:00Z"), at("2026-12-08T15:00:00Z"));
    assert!(body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    let caldav = "urn:ietf:params:xml:ns:caldav";
    assert_eq!(
        elements(&body),
        vec![
            format!("{caldav}|calendar-query"),
            "DAV:|prop".to_owned(),
            "DAV:|getetag".to_owned(),
            format!("{caldav}|calendar-data"),
            format!("{caldav}|expand start=20261201T150000Z end=20261208T150000Z"),
            format!("{caldav}|filter"),
            format!("{caldav}|comp-filter name=VCALENDAR"),
            format!("{caldav}|comp-filter name=VEVENT"),
            format!("{caldav}|time-range start=20261201T150000Z end=20261208T150000Z"),
        ]
    );
}

#[test]
fn two_events_one_across_the_dst_change_one_all_day() {
    let (from, until) = (at("2026-10-20T00:00:00Z"), at("2026-11-01T00:00:00Z"));
    let busy = parse_multistatus(207, include_str!("fixtures/caldav_multistatus.xml"), from, until).unwrap();
    assert_eq!(
        busy,
        vec![
            // 01:30 summer time to 03:30 winter time in Paris: three hours, not two.
            span("2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z"),
            // All day in UTC.
            span("2026-10-26T00:00:00Z", "2026-10-27T00:00:00Z"),
        ]
    );
}

/// What the weekly series of `caldav_recurring.xml` and `caldav_expanded.xml` holds in the
/// window: 13 Oct (summer time), not 20 Oct (EXDATE), 27 Oct (winter time), 3 Nov moved to the
/// afternoon, 10 Nov; the cancelled and transparent events add nothing.
fn weekly_series() -> Vec<Interval> {
    vec![
        span("2026-10-13T08:00:00Z", "2026-10-13T09:00:00Z"),
        span("2026-10-27T09:00:00Z", "2026-10-27T10:00:00Z"),
        span("2026-11-03T13:00:00Z", "2026-11-03T14:00:00Z"),
        span("2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z"),
    ]
}

#[test]
fn a_weekly_series_with_an_exception_and_an_override() {
    let (from, until) = (at("2026-10-12T00:00:00Z"), at("2026-11-12T00:00:00Z"));
    let busy = parse_multistatus(207, include_str!("fixtures/caldav_recurring.xml"), from, until).unwrap();
    assert_eq!(busy, weekly_series());
    // A window after COUNT ran out (the sixth and last instance is 17 Nov).
    let later = parse_multistatus(
        207,
        include_str!("fixtures/caldav_recurring.xml"),
        at("2026-11-12T00:00:00Z"),
        at("2027-01-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(later, vec![span("2026-11-17T09:00:00Z", "2026-11-17T10:00:00Z")]);
}

#[test]
fn a_series_the_server_expanded_reads_the_same() {
    let (from, until) = (at("2026-10-12T00:00:00Z"), at("2026-11-12T00:00:00Z"));
    let busy = parse_multistatus(207, include_str!("fixtures/caldav_expanded.xml"), from, until).unwrap();
    assert_eq!(busy, weekly_series());
}

#[test]
fn namespaces_are_matched_by_uri_not_prefix() {
    // The prefixes are swapped: C is DAV, D is CalDAV.
    let body = "<C:multistatus xmlns:C=\"DAV:\" xmlns:D=\"urn:ietf:params:xml:ns:caldav\"><C:response><C:propstat><C:prop>\
<D:calendar-data>BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20261201T150000Z\nDTEND:20261201T160000Z\nEND:VEVENT\nEND:VCALENDAR\n</D:calendar-data>\
</C:prop><C:status>HTTP/1.1 200 OK</C:status></C:propstat></C:response></C:multistatus>";
    let window = (at("2026-12-01T00:00:00Z"), at("2026-12-02T00:00:00Z"));
    assert_eq!(
        parse_multistatus(207, body, window.0, window.1),
        Ok(vec![span("2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z")])
    );
    // A calendar-data element in another namespace is not CalDAV's.
    let foreign = body.replace("urn:ietf:params:xml:ns:caldav", "urn:example:other");
    assert_eq!(parse_multistatus(207, &foreign, window.0, window.1), Ok(vec![]));
    // Nor is a propstat whose status is not 2xx.
    let missing = body.replace("HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found");
    assert_eq!(parse_multistatus(207, &missing, window.0, window.1), Ok(vec![]));
}

#[test]
fn empty_and_unreadable_answers() {
    let (from, until) = (at("2026-10-12T00:00:00Z"), at("2026-11-12T00:00:00Z"));
    assert_eq!(parse_multistatus(207, include_str!("fixtures/caldav_empty.xml"), from, until), Ok(vec![]));
    assert_eq!(parse_multistatus(207, "<multistatus xmlns=\"DAV:\"></multistatus>", from, until), Ok(vec![]));
    for body in [
        "",
        "<html><body>Bad gateway</body></html>",
        "<D:multistatus xmlns:D=\"DAV:\"><D:response>",
        "<multistatus xmlns=\"urn:not-dav\"/>",
        "<multistatus/>",
        "<D:multistatus xmlns:D=\"DAV:\"><D:response></D:multistatus>",
        "<D:multistatus xmlns:D=\"DAV:\">&custom;</D:multistatus>",
        include_str!("fixtures/caldav_error_uid_conflict.xml"),
    ] {
        assert!(matches!(parse_multistatus(207, body, from, until), Err(CalendarError::Transient(_))), "{body}");
    }
}

#[test]
fn statuses_classify() {
    let revoked = CalendarError::Revoked("the CalDAV server refused the credentials".to_owned());
    assert_eq!(classify(401, "", None), revoked);
    assert_eq!(classify(403, "<html>Forbidden</html>", None), revoked);
    let (from, until) = (at("2026-10-12T00:00:00Z"), at("2026-11-12T00:00:00Z"));
    assert_eq!(parse_multistatus(401, "", from, until), Err(revoked));
    let conflict = classify(403, include_str!("fixtures/caldav_error_uid_conflict.xml"), None);
    assert_eq!(
        conflict,
        CalendarError::Rejected(
            "the CalDAV server refused the event (HTTP 403, precondition no-uid-conflict)".to_owned()
        )
    );
    assert_eq!(classify(404, "", None), CalendarError::NotFound);
    assert_eq!(classify(410, "", None), CalendarError::NotFound);
    assert!(matches!(classify(412, "", None), CalendarError::Rejected(t) if t.contains("412")));
    assert_eq!(classify(429, "", Some("60")), CalendarError::Throttled { retry_after_ms: Some(60_000) });
    assert_eq!(classify(503, "", None), CalendarError::Throttled { retry_after_ms: None });
    assert!(matches!(classify(500, "Traceback…", None), CalendarError::Transient(_)));
    assert!(matches!(classify(507, "", None), CalendarError::Transient(_)));
    assert!(matches!(classify(400, "", None), CalendarError::Rejected(_)));
    assert!(matches!(classify(415, "", None), CalendarError::Rejected(_)));
    assert!(matches!(classify(207, "", None), CalendarError::Transient(_)));
}

#[test]
fn puts_and_deletes() {
    assert_eq!(parse_put(201, "", None), Ok(()));
    assert_eq!(parse_put(204, "", None), Ok(()));
    assert_eq!(parse_put(200, "", None), Ok(()));
    assert!(matches!(parse_put(412, "", None), Err(CalendarError::Rejected(_))));
    assert!(matches!(parse_put(401, "", None), Err(CalendarError::Revoked(_))));
    assert!(matches!(
        parse_put(403, include_str!("fixtures/caldav_error_uid_conflict.xml"), None),
        Err(CalendarError::Rejected(_))
    ));
    assert_eq!(parse_put(404, "", None), Err(CalendarError::NotFound));
    assert_eq!(parse_delete(204, "", None), Ok(()));
    assert_eq!(parse_delete(200, "", None), Ok(()));
    assert_eq!(parse_delete(404, "", None), Ok(()));
    assert_eq!(parse_delete(503, "", Some("5")), Err(CalendarError::Throttled { retry_after_ms: Some(5_000) }));
}

#[test]
fn event_hrefs() {
    assert_eq!(
        event_href("https://dav.example/agent/calendar/", "m_0123"),
        "https://dav.example/agent/calendar/m_0123.ics"
    );
    assert_eq!(
        event_href("https://dav.example/agent/calendar", "m_0123"),
        "https://dav.example/agent/calendar/m_0123.ics"
    );
    assert_eq!(event_href("https://dav.example/c//", "a b/c@d"), "https://dav.example/c/a%20b%2Fc%40d.ics");
}

#[test]
fn event_resource() {
    let ics = event_ics(&spec());
    let expected = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Confab//Confab meetings//EN\r\nCALSCALE:GREGORIAN\r\n\
BEGIN:VEVENT\r\nUID:m_0123\r\nSEQUENCE:0\r\nDTSTAMP:20261201T150000Z\r\nDTSTART:20261201T150000Z\r\n\
DTEND:20261201T153000Z\r\nSUMMARY:Meeting with Agent 1\\, Acme\r\n\
DESCRIPTION:Booked through the chat.\\nReply to reschedule\\; or cancel.\r\n\
ORGANIZER:mailto:agent-1@confab.example\r\n\
ATTENDEE;CN=\"Ada Lovelace, Countess\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED\r\n ;SCHEDULE-AGENT=CLIENT:mailto:ada@example.com\r\n\
STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(ics, expected);
    assert!(!ics.contains("METHOD"), "stored resources carry no METHOD");
    let stamped = event_ics_stamped(&spec(), at("2026-11-24T12:00:00Z"), 3);
    assert!(stamped.contains("\r\nDTSTAMP:20261124T120000Z\r\n") && stamped.contains("\r\nSEQUENCE:3\r\n"));
    let no_organizer = event_ics(&EventSpec { organizer_email: None, attendee_name: None, ..spec() });
    assert!(!no_organizer.contains("ORGANIZER"));
    assert!(no_organizer.replace("\r\n ", "").contains(
        "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;SCHEDULE-AGENT=CLIENT:mailto:ada@example.com\r\n"
    ));
}

#[test]
fn visitor_text_cannot_inject_lines() {
    let evil = EventSpec {
        summary: "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20261201T000000Z",
        attendee_name: Some("x\r\nATTENDEE:mailto:evil@example.com"),
        ..spec()
    };
    let ics = event_ics(&evil);
    let lines: Vec<&str> = ics.split("\r\n").collect();
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 1, "{ics}");
    assert!(!lines.iter().any(|l| l.starts_with("ATTENDEE:mailto:evil")), "{ics}");
    // And it still reads back as one event at the meeting's time.
    let busy = busy_intervals(&ics, at("2026-11-30T00:00:00Z"), at("2026-12-03T00:00:00Z"));
    assert_eq!(busy, vec![span("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z")]);
}

#[test]
fn event_resources_round_trip_through_the_reader() {
    let long = EventSpec { summary: &"Réunion très longue ".repeat(20), ..spec() };
    for spec in [spec(), long] {
        let ics = event_ics(&spec);
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let busy = busy_intervals(&ics, spec.start - chrono::TimeDelta::days(1), spec.end + chrono::TimeDelta::days(1));
        assert_eq!(busy, vec![Interval { start: spec.start, end: spec.end }]);
        // Just outside the window: nothing.
        assert_eq!(busy_intervals(&ics, spec.end, spec.end + chrono::TimeDelta::days(1)), vec![]);
    }
}
