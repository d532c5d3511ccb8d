//! Google Calendar v3: free/busy, events with a Meet link, and the error envelope.

use super::*;
use crate::calendar::google::*;

const CALENDAR: &str = "agent-1@confab.example";

#[test]
fn freebusy_body_asks_for_one_calendar_in_utc() {
    let body = json(&freebusy_body(CALENDAR, at("2026-12-01T00:00:00Z"), at("2026-12-08T00:00:00Z")));
    assert_eq!(
        body,
        serde_json::json!({
            "timeMin": "2026-12-01T00:00:00Z",
            "timeMax": "2026-12-08T00:00:00Z",
            "timeZone": "UTC",
            "items": [{ "id": CALENDAR }],
        })
    );
}

#[test]
fn freebusy_with_two_busy_periods() {
    let busy = parse_freebusy(200, include_str!("fixtures/google_freebusy.json"), CALENDAR, None).unwrap();
    assert_eq!(
        busy,
        vec![
            span("2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z"),
            span("2026-12-03T09:30:00Z", "2026-12-03T10:15:00Z"),
        ]
    );
    // `primary` is answered under the account's address: the only calendar is taken.
    let busy = parse_freebusy(200, include_str!("fixtures/google_freebusy.json"), "primary", None).unwrap();
    assert_eq!(busy.len(), 2);
}

#[test]
fn freebusy_per_calendar_errors() {
    let error =
        parse_freebusy(200, include_str!("fixtures/google_freebusy_not_found.json"), "gone@confab.example", None)
            .unwrap_err();
    assert!(matches!(&error, CalendarError::Rejected(t) if t.contains("notFound")), "{error:?}");
    let backend = r#"{"calendars":{"a@b.c":{"errors":[{"domain":"global","reason":"backendError"}]}}}"#;
    assert!(matches!(parse_freebusy(200, backend, "a@b.c", None), Err(CalendarError::Transient(_))));
}

#[test]
fn freebusy_answers_that_cannot_be_read() {
    let two = r#"{"calendars":{"a@b.c":{"busy":[]},"d@e.f":{"busy":[]}}}"#;
    let cases = [
        "",
        "<html>oops</html>",
        "{}",
        r#"{"calendars":[]}"#,
        two,
        r#"{"calendars":{"a@b.c":{"busy":{}}}}"#,
        r#"{"calendars":{"a@b.c":{"busy":[{"start":"yesterday","end":"2026-12-01T16:00:00Z"}]}}}"#,
        r#"{"calendars":{"a@b.c":{"busy":[{"start":"2026-12-01T15:00:00Z"}]}}}"#,
    ];
    for body in cases {
        assert!(matches!(parse_freebusy(200, body, "x@y.z", None), Err(CalendarError::Transient(_))), "{body}");
    }
    // No busy key, an empty or reversed period: free.
    assert_eq!(parse_freebusy(200, r#"{"calendars":{"a@b.c":{}}}"#, "a@b.c", None), Ok(vec![]));
    let reversed =
        r#"{"calendars":{"a@b.c":{"busy":[{"start":"2026-12-01T16:00:00Z","end":"2026-12-01T15:00:00Z"}]}}}"#;
    assert_eq!(parse_freebusy(200, reversed, "a@b.c", None), Ok(vec![]));
    // Offsets other than Z are read too.
    let offset =
        r#"{"calendars":{"a@b.c":{"busy":[{"start":"2026-12-01T16:00:00+01:00","end":"2026-12-01T17:00:00+01:00"}]}}}"#;
    assert_eq!(
        parse_freebusy(200, offset, "a@b.c", None),
        Ok(vec![span("2026-12-01T15:00:00Z", "2026-12-01T16:00:00Z")])
    );
}

#[test]
fn statuses_and_envelopes_classify() {
    let f401 = include_str!("fixtures/google_401.json");
    let f403 = include_str!("fixtures/google_403_rate.json");
    let f403_user = include_str!("fixtures/google_403_user_rate.json");
    let f429 = include_str!("fixtures/google_429.json");
    let f500 = include_str!("fixtures/google_500.json");
    assert_eq!(parse_freebusy(401, f401, CALENDAR, None), Err(CalendarError::TokenExpired));
    assert_eq!(classify(403, f403, Some("30")), CalendarError::Throttled { retry_after_ms: Some(30_000) });
    assert_eq!(classify(403, f403_user, None), CalendarError::Throttled { retry_after_ms: None });
    assert_eq!(classify(429, f429, Some("7")), CalendarError::Throttled { retry_after_ms: Some(7_000) });
    assert_eq!(
        classify(429, "", Some("Wed, 21 Oct 2026 07:28:00 GMT")),
        CalendarError::Throttled { retry_after_ms: None }
    );
    assert_eq!(
        classify(500, f500, None),
        CalendarError::Transient("Google Calendar failed (HTTP 500, backendError): Backend Error".to_owned())
    );
    assert_eq!(classify(503, "", Some("12")), CalendarError::Throttled { retry_after_ms: Some(12_000) });
    assert!(matches!(classify(503, "", None), CalendarError::Transient(_)));
    assert!(matches!(classify(502, "<html>Bad Gateway</html>", None), CalendarError::Transient(_)));
    assert_eq!(classify(404, "", None), CalendarError::NotFound);
    assert_eq!(classify(410, include_str!("fixtures/google_410.json"), None), CalendarError::NotFound);
    assert_eq!(
        classify(400, include_str!("fixtures/google_400.json"), None),
        CalendarError::Rejected(
            "Google Calendar refused the request (HTTP 400, timeRangeEmpty): The specified time range is empty."
                .to_owned()
        )
    );
    let organizer = classify(403, include_str!("fixtures/google_403_organizer.json"), None);
    assert!(
        matches!(&organizer, CalendarError::Rejected(t) if t.contains("forbiddenForNonOrganizer")),
        "{organizer:?}"
    );
    let scopes = classify(403, include_str!("fixtures/google_403_scopes.json"), None);
    assert!(matches!(&scopes, CalendarError::Revoked(t) if t.contains("insufficientPermissions")), "{scopes:?}");
    assert!(matches!(classify(409, "", None), CalendarError::Rejected(_)));
    assert!(matches!(classify(200, "garbage", None), CalendarError::Transient(_)));
    // An error page's text never reaches an admin.
    assert!(!classify(502, "<html>nginx secret</html>", None).to_string().contains("nginx"));
}

#[test]
fn event_paths_encode_ids() {
    assert_eq!(events_path("primary"), "/calendars/primary/events?conferenceDataVersion=1&sendUpdates=all");
    assert_eq!(
        events_path("agent-1@confab.example"),
        "/calendars/agent-1%40confab.example/events?conferenceDataVersion=1&sendUpdates=all"
    );
    assert_eq!(
        event_path("c_abc#x@group.calendar.google.com", "7kq3n1b9/d2"),
        "/calendars/c_abc%23x%40group.calendar.google.com/events/7kq3n1b9%2Fd2?conferenceDataVersion=1&sendUpdates=all"
    );
}

#[test]
fn insert_body_has_times_attendee_meet_and_our_id() {
    let body = json(&insert_event_body(&spec()));
    assert_eq!(body["summary"], "Meeting with Agent 1, Acme");
    assert_eq!(body["description"], "Booked through the chat.\nReply to reschedule; or cancel.");
    assert_eq!(body["start"], serde_json::json!({ "dateTime": "2026-12-01T15:00:00Z", "timeZone": "Europe/Paris" }));
    assert_eq!(body["end"], serde_json::json!({ "dateTime": "2026-12-01T15:30:00Z", "timeZone": "Europe/Paris" }));
    assert_eq!(
        body["attendees"],
        serde_json::json!([{ "email": "ada@example.com", "displayName": "Ada Lovelace, Countess" }])
    );
    assert_eq!(
        body["conferenceData"],
        serde_json::json!({ "createRequest": { "requestId": "m_0123", "conferenceSolutionKey": { "type": "hangoutsMeet" } } })
    );
    assert_eq!(body["extendedProperties"]["private"]["confabMeetingId"], "m_0123");
    // "m_0123" in hex: only base32hex characters, as Google requires of a chosen id.
    assert_eq!(body["id"], "6d5f30313233");
    assert!(body.get("organizer").is_none());
    let anonymous = EventSpec { attendee_name: None, ..spec() };
    assert_eq!(json(&insert_event_body(&anonymous))["attendees"], serde_json::json!([{ "email": "ada@example.com" }]));
}

#[test]
fn event_ids_are_base32hex_and_duplicates_are_recognised() {
    for uid in ["m_0123", "a", "m_Zz-9_\u{e9}"] {
        let id = event_id(uid);
        assert!(id.len() >= 5 && id.chars().all(|c| c.is_ascii_digit() || ('a'..='v').contains(&c)), "{uid} → {id}");
    }
    assert_ne!(event_id("m_1"), event_id("m_2"));
    let duplicate = r#"{"error":{"code":409,"message":"The requested identifier already exists.","errors":[{"domain":"global","reason":"duplicate"}]}}"#;
    assert!(is_duplicate(409, duplicate));
    assert!(!is_duplicate(409, r#"{"error":{"code":409,"errors":[{"reason":"conflict"}]}}"#));
    assert!(!is_duplicate(200, duplicate));
}

#[test]
fn patch_body_has_new_times_only() {
    let moved = EventSpec { start: at("2026-12-02T09:00:00Z"), end: at("2026-12-02T09:30:00Z"), ..spec() };
    assert_eq!(
        json(&patch_event_body(&moved)),
        serde_json::json!({
            "start": { "dateTime": "2026-12-02T09:00:00Z", "timeZone": "Europe/Paris" },
            "end": { "dateTime": "2026-12-02T09:30:00Z", "timeZone": "Europe/Paris" },
        })
    );
}

#[test]
fn created_events_and_their_meet_link() {
    let event = parse_event(200, include_str!("fixtures/google_event.json"), None).unwrap();
    assert_eq!(
        event,
        CreatedEvent {
            id: "7kq3n1b9d2f4h6j8l0n2p4r6t8".to_owned(),
            join_url: Some("https://meet.google.com/abc-defg-hij".to_owned()),
        }
    );
    let event = parse_event(200, include_str!("fixtures/google_event_entry_points.json"), None).unwrap();
    assert_eq!(event.join_url.as_deref(), Some("https://meet.google.com/xyz-abcd-efg"));
    let pending = parse_event(200, include_str!("fixtures/google_event_pending.json"), None).unwrap();
    assert_eq!(pending, CreatedEvent { id: "pendingevent0001".to_owned(), join_url: None });
    assert!(matches!(parse_event(200, "{}", None), Err(CalendarError::Transient(_))));
    assert!(matches!(parse_event(200, "", None), Err(CalendarError::Transient(_))));
    assert_eq!(parse_event(401, include_str!("fixtures/google_401.json"), None), Err(CalendarError::TokenExpired));
    assert_eq!(parse_event(404, "", None), Err(CalendarError::NotFound));
}

#[test]
fn deleting_a_missing_event_is_done() {
    assert_eq!(parse_delete(204, "", None), Ok(()));
    assert_eq!(parse_delete(200, "", None), Ok(()));
    assert_eq!(parse_delete(404, "", None), Ok(()));
    assert_eq!(parse_delete(410, include_str!("fixtures/google_410.json"), None), Ok(()));
    assert_eq!(parse_delete(429, "", Some("3")), Err(CalendarError::Throttled { retry_after_ms: Some(3000) }));
    assert_eq!(parse_delete(401, "", None), Err(CalendarError::TokenExpired));
}
