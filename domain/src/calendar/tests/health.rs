//! A connection's health from the outcomes of its calls.

use super::*;
use crate::calendar::health::UNHEALTHY_AFTER;

fn transient() -> CalendarError {
    CalendarError::Transient("Google Calendar failed (HTTP 503)".to_owned())
}

#[test]
fn healthy_by_default_and_after_success() {
    let health = Health::default();
    assert!(health.is_healthy());
    assert_eq!(health.consecutive_failures, 0);
    let sick = Health::default().after_failure(&CalendarError::Revoked("x".to_owned()), 5);
    assert_eq!(sick.after_success(), Health::default());
}

#[test]
fn a_revoked_grant_is_unhealthy_at_once() {
    let error = CalendarError::Revoked("the CalDAV server refused the credentials".to_owned());
    let health = Health::default().after_failure(&error, 1_000);
    assert!(!health.is_healthy());
    assert_eq!(
        health.unhealthy,
        Some(Unhealthy {
            since_ms: 1_000,
            reason: "the calendar connection no longer works and must be reconnected: the CalDAV server refused the credentials"
                .to_owned(),
        })
    );
    assert_eq!(health.consecutive_failures, 1);
}

#[test]
fn three_passing_failures_in_a_row_make_it_unhealthy() {
    let mut health = Health::default();
    let errors = [CalendarError::TokenExpired, CalendarError::Throttled { retry_after_ms: Some(1000) }, transient()];
    for (i, error) in errors.iter().enumerate() {
        assert!(health.is_healthy(), "before failure {}", i + 1);
        health = health.after_failure(error, 1_000 * (i as i64 + 1));
    }
    assert_eq!(health.consecutive_failures, UNHEALTHY_AFTER);
    assert_eq!(
        health.unhealthy,
        Some(Unhealthy {
            since_ms: 3_000,
            reason: "failed 3 times in a row: the calendar provider is unavailable: Google Calendar failed (HTTP 503)"
                .to_owned(),
        })
    );
    // Staying unhealthy keeps the instant it started and takes the latest reason.
    let health = health.after_failure(&CalendarError::TokenExpired, 9_000);
    let unhealthy = health.unhealthy.clone().unwrap();
    assert_eq!(unhealthy.since_ms, 3_000);
    assert!(unhealthy.reason.starts_with("failed 4 times in a row: "), "{}", unhealthy.reason);
    assert!(health.after_success().is_healthy());
}

#[test]
fn a_success_in_between_starts_the_count_again() {
    let health = Health::default().after_failure(&transient(), 1).after_failure(&transient(), 2).after_success();
    let health = health.after_failure(&transient(), 3).after_failure(&transient(), 4);
    assert!(health.is_healthy());
    assert_eq!(health.consecutive_failures, 2);
}

#[test]
fn rejected_requests_and_missing_events_say_nothing_about_the_connection() {
    let health = Health::default().after_failure(&transient(), 1).after_failure(&transient(), 2);
    let same = health.clone().after_failure(&CalendarError::Rejected("HTTP 400".to_owned()), 3);
    assert_eq!(same, health);
    let same = health.clone().after_failure(&CalendarError::NotFound, 3);
    assert_eq!(same, health);
}

#[test]
fn health_is_stored_as_json() {
    let health = Health::default().after_failure(&CalendarError::Revoked("x".to_owned()), 7);
    let stored = serde_json::to_string(&health).unwrap();
    assert_eq!(serde_json::from_str::<Health>(&stored).unwrap(), health);
    assert_eq!(serde_json::from_str::<Health>("{}").unwrap(), Health::default());
    assert_eq!(
        serde_json::to_value(Health::default()).unwrap(),
        serde_json::json!({ "consecutive_failures": 0, "unhealthy": null })
    );
    // The counter saturates instead of overflowing.
    let worn = Health { consecutive_failures: u32::MAX, unhealthy: None }.after_failure(&transient(), 1);
    assert_eq!(worn.consecutive_failures, u32::MAX);
}
