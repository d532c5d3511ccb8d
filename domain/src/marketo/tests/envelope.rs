//! Envelopes, failures and their actions, tokens and record-level results.

use super::*;

/// A failed envelope as the fake (and Marketo) sends it: HTTP 200, one error.
fn failed(code: &str, message: &str) -> String {
    json!({ "requestId": "e42b#14272d07d78", "success": false, "errors": [{ "code": code, "message": message }] })
        .to_string()
}

#[test]
fn success_envelope_keeps_result_and_paging() {
    let envelope = parse_envelope(200, include_str!("../fixtures/leads_get.json")).unwrap();
    assert_eq!(envelope.request_id, "1a#19b0c4f2a40");
    assert_eq!(envelope.result.len(), 2);
    assert_eq!(envelope.next_page_token.as_deref(), Some("FAKEPT0000012C"));
    assert!(!envelope.more_result);
    assert!(envelope.warnings.is_empty());
}

#[test]
fn success_without_result_and_with_warnings() {
    let body = r#"{"requestId":"9#1","success":true,"moreResult":true,"warnings":["Lead not found",{"code":"1004","message":"x"}]}"#;
    let envelope = parse_envelope(200, body).unwrap();
    assert!(envelope.result.is_empty());
    assert!(envelope.more_result);
    assert_eq!(envelope.warnings, vec!["Lead not found".to_owned(), "1004: x".to_owned()]);
    assert_eq!(envelope.next_page_token, None);
}

#[test]
fn every_documented_code_maps_to_its_failure_and_action() {
    let unavailable = |text: &str| Failure::Unavailable(text.to_owned());
    let rejected = |code: &str, message: &str| Failure::Rejected { code: code.to_owned(), message: message.to_owned() };
    let table = [
        ("601", "Access token invalid", Failure::TokenInvalid, Action::RefreshTokenThenRetry),
        ("602", "Access token expired", Failure::TokenExpired, Action::RefreshTokenThenRetry),
        ("606", "Max rate limit '100' exceeded with in '20' secs", Failure::RateLimited, Action::RetryAfterBackoff),
        ("607", "Daily quota reached", Failure::DailyQuota, Action::PauseUntilQuotaReset),
        (
            "608",
            "API Temporarily Unavailable",
            unavailable("608 API Temporarily Unavailable"),
            Action::RetryAfterBackoff,
        ),
        ("611", "System error", unavailable("611 System error"), Action::RetryAfterBackoff),
        ("615", "Concurrent access limit reached", Failure::TooManyConcurrent, Action::RetryAfterBackoff),
        ("713", "Transient Error", unavailable("713 Transient Error"), Action::RetryAfterBackoff),
        ("604", "Request time-out", unavailable("604 Request time-out"), Action::RetryAfterBackoff),
        ("609", "Invalid JSON", rejected("609", "Invalid JSON"), Action::Fail),
        ("610", "Requested resource not found", rejected("610", "Requested resource not found"), Action::Fail),
        ("1003", "Invalid data", rejected("1003", "Invalid data"), Action::Fail),
        ("1006", "Field 'x' not found", rejected("1006", "Field 'x' not found"), Action::Fail),
        ("1029", "Export daily quota exceeded", rejected("1029", "Export daily quota exceeded"), Action::Fail),
    ];
    for (code, message, failure, action) in table {
        let got = parse_envelope(200, &failed(code, message)).unwrap_err();
        assert_eq!(got, failure, "code {code}");
        assert_eq!(got.action(), action, "code {code}");
    }
}

#[test]
fn codes_may_be_numbers() {
    let body = r#"{"requestId":"1#2","success":false,"errors":[{"code":606,"message":"Max rate limit"}]}"#;
    assert_eq!(parse_envelope(200, body), Err(Failure::RateLimited));
    let body = r#"{"requestId":"1#2","success":false,"errors":[{"code":1003,"message":"Invalid data"}]}"#;
    assert_eq!(
        parse_envelope(200, body),
        Err(Failure::Rejected { code: "1003".to_owned(), message: "Invalid data".to_owned() })
    );
}

#[test]
fn a_token_error_wins_over_others_otherwise_the_first_decides() {
    assert_eq!(parse_envelope(200, include_str!("../fixtures/errors_several.json")), Err(Failure::TokenExpired));
    let body = r#"{"success":false,"errors":[{"code":"606","message":"a"},{"code":"1003","message":"b"}]}"#;
    assert_eq!(parse_envelope(200, body), Err(Failure::RateLimited));
    let body = r#"{"success":false,"errors":[]}"#;
    assert_eq!(parse_envelope(200, body).unwrap_err().action(), Action::Fail);
}

#[test]
fn success_false_with_http_200_is_an_error() {
    let failure = parse_envelope(200, &failed("1004", "Lead not found")).unwrap_err();
    assert_eq!(failure.code(), "1004");
}

#[test]
fn http_statuses_and_bodies_that_are_not_envelopes() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let cases: [(u16, &str, Action); 12] = [
        (500, "", Action::RetryAfterBackoff),
        (502, html, Action::RetryAfterBackoff),
        (503, "Service Unavailable", Action::RetryAfterBackoff),
        (504, "", Action::RetryAfterBackoff),
        (200, html, Action::RetryAfterBackoff),
        (200, "", Action::RetryAfterBackoff),
        (200, r#"{"requestId":"1#2"}"#, Action::RetryAfterBackoff),
        (200, "[1,2]", Action::RetryAfterBackoff),
        (429, "", Action::RetryAfterBackoff),
        (401, "", Action::RefreshTokenThenRetry),
        (400, "Bad Request", Action::Fail),
        (414, "", Action::Fail),
    ];
    for (status, body, action) in cases {
        assert_eq!(parse_envelope(status, body).unwrap_err().action(), action, "HTTP {status} {body:?}");
    }
    assert_eq!(parse_envelope(429, ""), Err(Failure::RateLimited));
    assert_eq!(parse_envelope(404, "Not Found").unwrap_err().code(), "http_404");
    // An error page's text never reaches the description shown to an admin.
    assert!(!parse_envelope(200, html).unwrap_err().describe().contains("nginx"));
}

#[test]
fn descriptions_are_one_line_and_match_display() {
    let failure = parse_envelope(200, &failed("1003", "line one\nline two\r\tend")).unwrap_err();
    assert_eq!(failure.describe(), "Marketo rejected the request (1003): line one line two  end");
    assert_eq!(failure.to_string(), failure.describe());
    let long = "x".repeat(1000);
    let failure = parse_envelope(200, &failed("1003", &long)).unwrap_err();
    assert!(failure.describe().chars().count() < 400);
    for failure in [
        Failure::TokenInvalid,
        Failure::TokenExpired,
        Failure::RateLimited,
        Failure::TooManyConcurrent,
        Failure::DailyQuota,
        Failure::Unavailable("HTTP 503".to_owned()),
        Failure::BadCredentials("Bad client credentials".to_owned()),
    ] {
        let text = failure.describe();
        assert!(!text.is_empty() && !text.contains('\n'), "{text}");
    }
    assert_eq!(Failure::DailyQuota.code(), "607");
    assert_eq!(Failure::TooManyConcurrent.code(), "615");
}

#[test]
fn token_success_sets_expiry_from_now() {
    let now = ms("2026-11-25T10:00:00Z");
    let token = parse_token(200, include_str!("../fixtures/token.json"), now).unwrap();
    assert_eq!(token.access_token, "cdf01657-110d-4155-99a7-f986b2ff13a0:fk");
    assert_eq!(token.expires_at_ms, now + 3_599_000);
    assert!(token.usable(now));
    assert!(token.usable(token.expires_at_ms - TOKEN_MARGIN_MS - 1));
    assert!(!token.usable(token.expires_at_ms - TOKEN_MARGIN_MS));
    assert!(!token.usable(token.expires_at_ms + 1));
}

#[test]
fn token_failures() {
    let now = 0;
    assert_eq!(
        parse_token(401, include_str!("../fixtures/token_bad_client.json"), now),
        Err(Failure::BadCredentials("Bad client credentials".to_owned()))
    );
    // The fake answers unknown clients like this.
    let failure = parse_token(401, include_str!("../fixtures/token_unauthorized.json"), now).unwrap_err();
    assert!(matches!(failure, Failure::BadCredentials(_)));
    assert_eq!(failure.action(), Action::Fail);
    assert!(matches!(parse_token(401, "", now), Err(Failure::BadCredentials(_))));
    let missing_grant = r#"{"error":"invalid_request","error_description":"Missing grant type"}"#;
    assert!(matches!(parse_token(400, missing_grant, now), Err(Failure::BadCredentials(_))));
    for garbage in ["", "<html>oops</html>", "{}", r#"{"access_token":""}"#, r#"{"access_token":"a"}"#, "null"] {
        assert_eq!(parse_token(200, garbage, now).unwrap_err().action(), Action::RetryAfterBackoff, "{garbage:?}");
    }
    assert_eq!(parse_token(503, "", now).unwrap_err().action(), Action::RetryAfterBackoff);
    assert_eq!(parse_token(429, "", now), Err(Failure::RateLimited));
    // A failed envelope on the identity endpoint (the fake injects these) reads as on any call.
    assert_eq!(parse_token(200, &failed("611", "System error"), now).unwrap_err().action(), Action::RetryAfterBackoff);
}

#[test]
fn record_outcomes_of_a_lead_sync() {
    let outcomes = record_outcomes(&result_of(include_str!("../fixtures/leads_sync.json")));
    let skipped =
        |code: &str, message: &str| RecordOutcome::Skipped { code: code.to_owned(), message: message.to_owned() };
    assert_eq!(outcomes.len(), 10, "one outcome per input record");
    assert_eq!(outcomes[0], RecordOutcome::Created(1003));
    assert_eq!(outcomes[1], RecordOutcome::Updated(1001));
    assert_eq!(outcomes[2], skipped("1004", "Lead not found"));
    assert_eq!(outcomes[3], skipped("1012", "Invalid cookie value 'id:561-HYG-937'"));
    assert_eq!(outcomes[4], skipped("1003", "Invalid email address 'not-an-email'"));
    assert!(matches!(&outcomes[5], RecordOutcome::Skipped { code, .. } if code == "unknown"));
    assert_eq!(outcomes[6], RecordOutcome::Updated(1004));
    for malformed in &outcomes[7..] {
        assert!(matches!(malformed, RecordOutcome::Skipped { code, .. } if code == "malformed"), "{malformed:?}");
    }
}

#[test]
fn record_outcomes_of_activities() {
    let outcomes = record_outcomes(&result_of(include_str!("../fixtures/activities_added.json")));
    assert_eq!(
        outcomes,
        vec![
            RecordOutcome::Added(1),
            RecordOutcome::Skipped { code: "1004".to_owned(), message: "Lead not found".to_owned() },
            RecordOutcome::Added(3),
        ]
    );
}

#[test]
fn quota_resets_at_midnight_in_chicago() {
    // Winter (CST, UTC-6) and summer (CDT, UTC-5).
    assert_eq!(quota_resets_at_ms(ms("2026-01-15T12:00:00Z")), ms("2026-01-16T06:00:00Z"));
    assert_eq!(quota_resets_at_ms(ms("2026-07-15T12:00:00Z")), ms("2026-07-16T05:00:00Z"));
    // Just before and exactly at midnight: strictly after now.
    assert_eq!(quota_resets_at_ms(ms("2026-01-16T05:59:59Z")), ms("2026-01-16T06:00:00Z"));
    assert_eq!(quota_resets_at_ms(ms("2026-01-16T06:00:00Z")), ms("2026-01-17T06:00:00Z"));
    // Spring forward on 2026-03-08 at 02:00 CST: the day is 23 hours long.
    assert_eq!(quota_resets_at_ms(ms("2026-03-08T07:00:00Z")), ms("2026-03-09T05:00:00Z"));
    assert_eq!(quota_resets_at_ms(ms("2026-03-08T05:59:00Z")), ms("2026-03-08T06:00:00Z"));
    // Fall back on 2026-11-01 at 02:00 CDT: the day is 25 hours long.
    assert_eq!(quota_resets_at_ms(ms("2026-11-01T04:59:00Z")), ms("2026-11-01T05:00:00Z"));
    assert_eq!(quota_resets_at_ms(ms("2026-11-01T05:00:00Z")), ms("2026-11-02T06:00:00Z"));
    assert_eq!(quota_resets_at_ms(ms("2026-11-01T07:30:00Z")), ms("2026-11-02T06:00:00Z"));
    // Out-of-range instants do not panic.
    assert!(quota_resets_at_ms(i64::MAX) == i64::MAX);
    assert!(quota_resets_at_ms(i64::MIN) > i64::MIN);
}
