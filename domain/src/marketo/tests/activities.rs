//! The custom-activity body and the outbox's JSON.

use super::*;

fn activity(key: &str, lead_id: i64, kind: ActivityKind) -> OutboxActivity {
    OutboxActivity { key: key.to_owned(), lead_id, at: "2026-11-25T10:00:00Z".to_owned(), kind }
}

#[test]
fn external_activities_body_shape() {
    let batch = vec![
        activity(
            "evt-1",
            1001,
            ActivityKind::MeetingScheduled { agent: "Agent 2".to_owned(), start: "2026-11-26T15:00:00Z".to_owned() },
        ),
        activity(
            "evt-2",
            1002,
            ActivityKind::ReachedGoal { dialogue: "Pricing".to_owned(), goal: "Demo booked".to_owned(), score: 40 },
        ),
    ];
    assert_eq!(
        external_activities_body(100_001, &batch),
        json!({ "input": [
            {
                "leadId": 1001,
                "activityDate": "2026-11-25T10:00:00Z",
                "activityTypeId": 100_001,
                "primaryAttributeValue": "Meeting scheduled with Agent 2",
                "attributes": [
                    { "apiName": "confabEventId", "value": "evt-1" },
                    { "apiName": "event", "value": "meeting_scheduled" },
                    { "apiName": "agent", "value": "Agent 2" },
                    { "apiName": "start", "value": "2026-11-26T15:00:00Z" },
                ],
            },
            {
                "leadId": 1002,
                "activityDate": "2026-11-25T10:00:00Z",
                "activityTypeId": 100_001,
                "primaryAttributeValue": "Reached goal Demo booked (score 40) in dialogue Pricing",
                "attributes": [
                    { "apiName": "confabEventId", "value": "evt-2" },
                    { "apiName": "event", "value": "reached_goal" },
                    { "apiName": "dialogue", "value": "Pricing" },
                    { "apiName": "goal", "value": "Demo booked" },
                    { "apiName": "score", "value": 40 },
                ],
            },
        ]})
    );
    assert_eq!(external_activities_body(1, &[]), json!({ "input": [] }));
    assert_eq!(ACTIVITY_BATCH, 300);
}

#[test]
fn every_kind_has_its_name_summary_and_event_attribute() {
    let meeting =
        |make: fn(String, String) -> ActivityKind| make("Agent 2".to_owned(), "2026-11-26T15:00:00Z".to_owned());
    let kinds = [
        (ActivityKind::Triggered { dialogue: "Welcome".to_owned() }, "triggered", "Dialogue Welcome triggered"),
        (ActivityKind::Engaged { dialogue: "Welcome".to_owned() }, "engaged", "Engaged in dialogue Welcome"),
        (
            meeting(|agent, start| ActivityKind::MeetingRescheduled { agent, start }),
            "meeting_rescheduled",
            "Meeting rescheduled with Agent 2",
        ),
        (
            meeting(|agent, start| ActivityKind::MeetingCanceled { agent, start }),
            "meeting_canceled",
            "Meeting canceled with Agent 2",
        ),
        (
            meeting(|agent, start| ActivityKind::MeetingNoShow { agent, start }),
            "meeting_no_show",
            "No-show for meeting with Agent 2",
        ),
        (
            meeting(|agent, start| ActivityKind::MeetingCompleted { agent, start }),
            "meeting_completed",
            "Meeting completed with Agent 2",
        ),
    ];
    for (kind, name, summary) in kinds {
        assert_eq!(kind.name(), name);
        assert_eq!(kind.summary(), summary);
        // The name is the serde tag too.
        assert_eq!(serde_json::to_value(&kind).unwrap()["kind"], json!(name));
        let body = external_activities_body(7, &[activity("k", 1, kind)]);
        assert_eq!(body["input"][0]["attributes"][1], json!({ "apiName": "event", "value": name }));
    }
}

#[test]
fn summaries_are_capped_and_on_one_line() {
    let kind = ActivityKind::Triggered { dialogue: format!("a\nb{}", "x".repeat(400)) };
    let summary = kind.summary();
    assert_eq!(summary.chars().count(), 255);
    assert!(summary.starts_with("Dialogue a b"));
}

#[test]
fn outbox_activity_json_round_trips() {
    let outbox =
        activity("evt-9", 5, ActivityKind::ReachedGoal { dialogue: "D".to_owned(), goal: "G".to_owned(), score: 3 });
    let json = serde_json::to_value(&outbox).unwrap();
    assert_eq!(json["kind"], json!({ "kind": "reached_goal", "dialogue": "D", "goal": "G", "score": 3 }));
    assert_eq!(serde_json::from_value::<OutboxActivity>(json).unwrap(), outbox);
}
