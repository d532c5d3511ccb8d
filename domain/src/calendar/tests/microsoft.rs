//! Microsoft Graph: getSchedule, events with a Teams link, cancel, and the error envelope.

use super::*;
use crate::calendar::microsoft::*;

const MAILBOX: &str = "agent-2@confab.example";

#[test]
fn schedule_body_is_in_utc() {
    let body = json(&get_schedule_body(MAILBOX, at("2026-12-01T00:00:00Z"), at("2026-12-08T00:00:00Z")));
    assert_eq!(
        body,
        serde_json::json!({
            "schedules": [MAILBOX],
            "startTime": { "dateTime": "2026-12-01T00:00:00", "timeZone": "UTC" },
            "endTime": { "dateTime": "2026-12-08T00:00:00", "timeZone": "UTC" },
            "availabilityViewInterval": 15,
        })
    );
    assert_eq!(PREFER_UTC, "outlook.timezone=\"UTC\"");
}

#[test]
fn schedule_items_busy_oof_tentative_count() {
    let busy = parse_schedule(200, include_str!("fixtures/microsoft_schedule.json"), MAILBOX, None).unwrap();
    assert_eq!(
        busy,
        vec![
            span("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z"),
            span("2026-12-01T17:15:00Z", "2026-12-01T18:15:00Z"),
            span("2026-12-01T18:15:00Z", "2026-12-01T19:15:00Z"),
            span("2026-12-03T09:00:00.1234567Z", "2026-12-03T10:00:00Z"),
        ]
    );
}

#[test]
fn schedule_errors_and_garbage() {
    let error =
        parse_schedule(200, include_str!("fixtures/microsoft_schedule_error.json"), "nobody@confab.example", None)
            .unwrap_err();
    assert!(matches!(&error, CalendarError::Rejected(t) if t.contains("ErrorInvalidUser")), "{error:?}");
    assert_eq!(
        parse_schedule(429, include_str!("fixtures/microsoft_429.json"), MAILBOX, Some("10")),
        Err(CalendarError::Throttled { retry_after_ms: Some(10_000) })
    );
    assert_eq!(
        parse_schedule(401, include_str!("fixtures/microsoft_401.json"), MAILBOX, None),
        Err(CalendarError::TokenExpired)
    );
    let two = r#"{"value":[{"scheduleId":"a@b.c","scheduleItems":[]},{"scheduleId":"d@e.f","scheduleItems":[]}]}"#;
    for body in ["", "{}", r#"{"value":{}}"#, two, r#"{"value":[{"scheduleId":"a@b.c","scheduleItems":{}}]}"#] {
        assert!(matches!(parse_schedule(200, body, MAILBOX, None), Err(CalendarError::Transient(_))), "{body}");
    }
    let bad_time = r#"{"value":[{"scheduleId":"a@b.c","scheduleItems":[{"status":"busy","start":{"dateTime":"soon","timeZone":"UTC"},"end":{"dateTime":"2026-12-01T15:00:00","timeZone":"UTC"}}]}]}"#;
    assert!(matches!(parse_schedule(200, bad_time, "a@b.c", None), Err(CalendarError::Transient(_))));
    // Without the Prefer header Graph answers in the mailbox's Windows zone: refused, loudly.
    let windows = r#"{"value":[{"scheduleId":"a@b.c","scheduleItems":[{"status":"busy","start":{"dateTime":"2026-12-01T15:00:00.0000000","timeZone":"Pacific Standard Time"},"end":{"dateTime":"2026-12-01T16:00:00.0000000","timeZone":"Pacific Standard Time"}}]}]}"#;
    let error = parse_schedule(200, windows, "a@b.c", None).unwrap_err();
    assert!(matches!(&error, CalendarError::Rejected(t) if t.contains("Prefer")), "{error:?}");
    // An IANA zone is converted.
    let iana = windows.replace("Pacific Standard Time", "Europe/Paris");
    assert_eq!(
        parse_schedule(200, &iana, "a@b.c", None),
        Ok(vec![span("2026-12-01T14:00:00Z", "2026-12-01T15:00:00Z")])
    );
    // No items: free.
    assert_eq!(parse_schedule(200, r#"{"value":[{"scheduleId":"a@b.c"}]}"#, "a@b.c", None), Ok(vec![]));
}

#[test]
fn event_body_is_local_in_the_agents_zone_with_teams() {
    let body = json(&event_body(&spec()));
    assert_eq!(body["subject"], "Meeting with Agent 1, Acme");
    assert_eq!(
        body["body"],
        serde_json::json!({ "contentType": "text", "content": "Booked through the chat.\nReply to reschedule; or cancel." })
    );
    // 15:00Z is 16:00 in Paris in December.
    assert_eq!(body["start"], serde_json::json!({ "dateTime": "2026-12-01T16:00:00", "timeZone": "Europe/Paris" }));
    assert_eq!(body["end"], serde_json::json!({ "dateTime": "2026-12-01T16:30:00", "timeZone": "Europe/Paris" }));
    assert_eq!(
        body["attendees"],
        serde_json::json!([{ "emailAddress": { "address": "ada@example.com", "name": "Ada Lovelace, Countess" }, "type": "required" }])
    );
    assert_eq!(body["isOnlineMeeting"], true);
    assert_eq!(body["onlineMeetingProvider"], "teamsForBusiness");
    assert_eq!(body["transactionId"], "m_0123");
    assert!(body.get("organizer").is_none());
}

#[test]
fn zones_graph_does_not_list_are_written_in_utc() {
    for zone in ["Europe/Madrid", "Not/AZone", ""] {
        let body = json(&event_body(&EventSpec { time_zone: zone, ..spec() }));
        assert_eq!(
            body["start"],
            serde_json::json!({ "dateTime": "2026-12-01T15:00:00", "timeZone": "UTC" }),
            "{zone}"
        );
    }
    let body = json(&event_body(&EventSpec { time_zone: "America/New_York", ..spec() }));
    assert_eq!(body["start"], serde_json::json!({ "dateTime": "2026-12-01T10:00:00", "timeZone": "America/New_York" }));
}

#[test]
fn patch_and_cancel_bodies() {
    let moved = EventSpec { start: at("2026-07-01T08:00:00Z"), end: at("2026-07-01T08:30:00Z"), ..spec() };
    assert_eq!(
        json(&patch_event_body(&moved)),
        serde_json::json!({
            "start": { "dateTime": "2026-07-01T10:00:00", "timeZone": "Europe/Paris" },
            "end": { "dateTime": "2026-07-01T10:30:00", "timeZone": "Europe/Paris" },
        })
    );
    assert_eq!(
        json(&cancel_body("The visitor \"cancelled\".")),
        serde_json::json!({ "comment": "The visitor \"cancelled\"." })
    );
}

#[test]
fn paths() {
    assert_eq!(SCHEDULE_PATH, "/me/calendar/getSchedule");
    assert_eq!(EVENTS_PATH, "/me/events");
    assert_eq!(event_path("AAMkAGI1AAAt9AHjAAA="), "/me/events/AAMkAGI1AAAt9AHjAAA%3D");
    assert_eq!(cancel_path("AAMk/+x="), "/me/events/AAMk%2F%2Bx%3D/cancel");
}

#[test]
fn created_events_and_their_teams_link() {
    let event = parse_event(201, include_str!("fixtures/microsoft_event.json"), None).unwrap();
    assert_eq!(event.id, "AAMkAGI1AAAt9AHjAAA=");
    assert!(event.join_url.as_deref().unwrap().starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"));
    let plain = parse_event(201, include_str!("fixtures/microsoft_event_no_teams.json"), None).unwrap();
    assert_eq!(plain, CreatedEvent { id: "AAMkAGI1AAAt9AHkAAA=".to_owned(), join_url: None });
    assert!(matches!(parse_event(201, r#"{"subject":"x"}"#, None), Err(CalendarError::Transient(_))));
    assert_eq!(parse_event(404, include_str!("fixtures/microsoft_404.json"), None), Err(CalendarError::NotFound));
}

#[test]
fn empty_answers() {
    for status in [200, 202, 204] {
        assert_eq!(parse_empty(status, "", None), Ok(()));
    }
    assert_eq!(parse_empty(404, include_str!("fixtures/microsoft_404.json"), None), Ok(()));
    assert_eq!(parse_empty(410, "", None), Ok(()));
    let error = parse_empty(400, include_str!("fixtures/microsoft_cancel_not_organizer.json"), None).unwrap_err();
    assert_eq!(
        error,
        CalendarError::Rejected(
            "Microsoft 365 refused the request (HTTP 400, ErrorInvalidRequest): Your request can't be completed. You need to be an organizer to cancel a meeting.".to_owned()
        )
    );
}

#[test]
fn statuses_and_envelopes_classify() {
    assert_eq!(classify(401, include_str!("fixtures/microsoft_401.json"), None), CalendarError::TokenExpired);
    assert_eq!(
        classify(429, include_str!("fixtures/microsoft_429.json"), Some("10")),
        CalendarError::Throttled { retry_after_ms: Some(10_000) }
    );
    assert_eq!(classify(503, "", None), CalendarError::Throttled { retry_after_ms: None });
    assert_eq!(classify(504, "", Some("2")), CalendarError::Throttled { retry_after_ms: Some(2_000) });
    assert!(matches!(classify(500, "", None), CalendarError::Transient(_)));
    assert!(matches!(classify(502, "<html/>", None), CalendarError::Transient(_)));
    let denied = classify(403, include_str!("fixtures/microsoft_403.json"), None);
    assert!(matches!(&denied, CalendarError::Revoked(t) if t.contains("ErrorAccessDenied")), "{denied:?}");
    // A mailbox Graph cannot reach: reconnecting another account is the only fix.
    let no_mailbox = classify(404, include_str!("fixtures/microsoft_no_mailbox.json"), None);
    assert!(
        matches!(&no_mailbox, CalendarError::Revoked(t) if t.contains("MailboxNotEnabledForRESTAPI")),
        "{no_mailbox:?}"
    );
    assert_eq!(classify(404, include_str!("fixtures/microsoft_404.json"), None), CalendarError::NotFound);
    assert!(matches!(classify(409, "", None), CalendarError::Rejected(_)));
    assert!(matches!(classify(412, "", None), CalendarError::Rejected(_)));
    assert!(matches!(classify(201, "??", None), CalendarError::Transient(_)));
}
