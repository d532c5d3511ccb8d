//! Providers' names, errors and their retry decision, `Retry-After`, busy-time staleness.

use super::*;

#[test]
fn providers_round_trip_their_names() {
    for provider in Provider::ALL {
        assert_eq!(Provider::parse(provider.as_str()), Some(provider));
        assert_eq!(provider.to_string(), provider.as_str());
        let json = serde_json::to_string(&provider).unwrap();
        assert_eq!(json, format!("\"{}\"", provider.as_str()));
        assert_eq!(serde_json::from_str::<Provider>(&json).unwrap(), provider);
    }
    assert_eq!(Provider::parse("caldav"), Some(Provider::Caldav));
    assert_eq!(Provider::parse("Google"), None);
    assert_eq!(Provider::parse(""), None);
    assert!(Provider::Google.uses_oauth() && Provider::Microsoft.uses_oauth());
    assert!(!Provider::Caldav.uses_oauth() && !Provider::Builtin.uses_oauth());
}

#[test]
fn retryable_errors_are_the_ones_that_may_pass() {
    let retryable = [
        CalendarError::TokenExpired,
        CalendarError::Throttled { retry_after_ms: None },
        CalendarError::Throttled { retry_after_ms: Some(30_000) },
        CalendarError::Transient("HTTP 502".to_owned()),
    ];
    let final_ones =
        [CalendarError::Revoked("x".to_owned()), CalendarError::Rejected("x".to_owned()), CalendarError::NotFound];
    for error in retryable {
        assert!(error.is_retryable(), "{error:?}");
    }
    for error in final_ones {
        assert!(!error.is_retryable(), "{error:?}");
    }
}

#[test]
fn error_texts_are_one_sentence_for_an_admin() {
    let cases = [
        (CalendarError::Revoked("invalid_grant".to_owned()), "revoked"),
        (CalendarError::TokenExpired, "token_expired"),
        (CalendarError::Throttled { retry_after_ms: Some(1500) }, "throttled"),
        (CalendarError::Transient("HTTP 500".to_owned()), "transient"),
        (CalendarError::Rejected("HTTP 400".to_owned()), "rejected"),
        (CalendarError::NotFound, "not_found"),
    ];
    for (error, code) in cases {
        let text = error.to_string();
        assert!(text.starts_with("the calendar"), "{text}");
        assert!(!text.contains('\n'), "{text}");
        assert_eq!(error.code(), code);
    }
    assert_eq!(
        CalendarError::Throttled { retry_after_ms: Some(1500) }.to_string(),
        "the calendar provider is limiting how often Confab may call it (it asked Confab to wait 2 s)"
    );
    assert_eq!(
        CalendarError::Throttled { retry_after_ms: None }.to_string(),
        "the calendar provider is limiting how often Confab may call it"
    );
}

#[test]
fn retry_after_reads_delta_seconds_only() {
    assert_eq!(parse_retry_after("120"), Some(120_000));
    assert_eq!(parse_retry_after(" 0 "), Some(0));
    assert_eq!(parse_retry_after("5"), Some(5_000));
    // Capped at a day, overflow included.
    assert_eq!(parse_retry_after("999999999"), Some(86_400_000));
    assert_eq!(parse_retry_after("99999999999999999999999"), Some(86_400_000));
    for not_seconds in ["Wed, 21 Oct 2015 07:28:00 GMT", "", " ", "-5", "+5", "1.5", "10s", "٣"] {
        assert_eq!(parse_retry_after(not_seconds), None, "{not_seconds:?}");
    }
}

#[test]
fn busy_time_goes_stale_after_five_minutes() {
    let fetched = ms("2026-12-01T10:00:00Z");
    assert!(!busy_is_stale(fetched, fetched));
    assert!(!busy_is_stale(fetched, fetched + BUSY_TTL_MS - 1));
    assert!(busy_is_stale(fetched, fetched + BUSY_TTL_MS));
    assert!(busy_is_stale(fetched, fetched + 3_600_000));
    // A fetch that seems to come from the future is not trusted either.
    assert!(busy_is_stale(fetched, fetched - 1));
    assert!(busy_is_stale(i64::MIN, i64::MAX));
    assert!(busy_is_stale(i64::MAX, i64::MIN));
}
