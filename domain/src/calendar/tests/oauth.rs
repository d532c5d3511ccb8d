//! The authorization URL, the token requests' bodies and the token endpoint's answers.

use super::*;
use crate::calendar::oauth::*;

const GOOGLE: OAuthClient<'static> = OAuthClient {
    authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
    token_url: "https://oauth2.googleapis.com/token",
    client_id: "1234-abc.apps.googleusercontent.com",
    client_secret: "GOCSPX-s3cr3t+/=",
    redirect_uri: "https://confab.example/api/admin/v1/calendar/callback/google",
    scopes: GOOGLE_SCOPES,
};

const MICROSOFT: OAuthClient<'static> = OAuthClient {
    authorize_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    client_id: "00001111-aaaa-2222-bbbb-3333cccc4444",
    client_secret: "qWe8Q~s3cr3t&value",
    redirect_uri: "https://confab.example/api/admin/v1/calendar/callback/microsoft",
    scopes: &["Calendars.ReadWrite", "User.Read"],
};

/// The URL's base and its query pairs, decoded and sorted.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').unwrap();
    let mut pairs = form_pairs(query);
    pairs.sort();
    (base.to_owned(), pairs)
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    pairs.sort();
    pairs
}

#[test]
fn google_authorize_url_asks_for_offline_access_and_consent() {
    let url = authorize_url(&GOOGLE, Provider::Google, "st&te=1", Some("agent-1@confab.example"));
    let (base, query) = split_url(&url);
    assert_eq!(base, GOOGLE.authorize_url);
    let scope = "openid email https://www.googleapis.com/auth/calendar.freebusy https://www.googleapis.com/auth/calendar.events";
    assert_eq!(
        query,
        pairs(&[
            ("client_id", GOOGLE.client_id),
            ("redirect_uri", GOOGLE.redirect_uri),
            ("response_type", "code"),
            ("scope", scope),
            ("state", "st&te=1"),
            ("access_type", "offline"),
            ("prompt", "consent"),
            ("include_granted_scopes", "true"),
            ("login_hint", "agent-1@confab.example"),
        ])
    );
    // The secret never goes into a URL.
    assert!(!url.contains("s3cr3t"));
    // Every reserved character is encoded: the query has exactly its nine pairs.
    assert_eq!(url.matches('&').count(), 8, "{url}");
    assert!(!url.contains(' '));
}

#[test]
fn microsoft_authorize_url_always_asks_for_a_refresh_token() {
    let url = authorize_url(&MICROSOFT, Provider::Microsoft, "xyz", None);
    let (base, query) = split_url(&url);
    assert_eq!(base, MICROSOFT.authorize_url);
    assert_eq!(
        query,
        pairs(&[
            ("client_id", MICROSOFT.client_id),
            ("redirect_uri", MICROSOFT.redirect_uri),
            ("response_type", "code"),
            ("scope", "Calendars.ReadWrite User.Read offline_access"),
            ("state", "xyz"),
            ("response_mode", "query"),
        ])
    );
    // Already there: not added twice.
    let client = OAuthClient { scopes: MICROSOFT_SCOPES, ..MICROSOFT };
    let (_, query) = split_url(&authorize_url(&client, Provider::Microsoft, "xyz", Some(" ")));
    let scope = query.iter().find(|(n, _)| n == "scope").unwrap();
    assert_eq!(scope.1, "openid email offline_access User.Read Calendars.ReadWrite");
    assert!(!query.iter().any(|(n, _)| n == "login_hint"), "a blank hint is left out");
}

#[test]
fn authorize_url_extends_an_existing_query() {
    let client = OAuthClient { authorize_url: "https://login.example/authorize?tenant=abc", ..MICROSOFT };
    let url = authorize_url(&client, Provider::Caldav, "s", None);
    assert!(url.starts_with("https://login.example/authorize?tenant=abc&client_id="), "{url}");
    let (_, query) = split_url(&url);
    // Providers without OAuth get the common parameters only.
    assert_eq!(query.len(), 6);
}

#[test]
fn token_request_bodies() {
    let code = form_pairs(&code_body(&GOOGLE, "4/0Ab_code/with+chars"));
    assert_eq!(
        code,
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("code".to_owned(), "4/0Ab_code/with+chars".to_owned()),
            ("redirect_uri".to_owned(), GOOGLE.redirect_uri.to_owned()),
            ("client_id".to_owned(), GOOGLE.client_id.to_owned()),
            ("client_secret".to_owned(), "GOCSPX-s3cr3t+/=".to_owned()),
        ]
    );
    let refresh = form_pairs(&refresh_body(&MICROSOFT, "1.AXkA-refresh&token"));
    assert_eq!(
        refresh,
        vec![
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("refresh_token".to_owned(), "1.AXkA-refresh&token".to_owned()),
            ("client_id".to_owned(), MICROSOFT.client_id.to_owned()),
            ("client_secret".to_owned(), "qWe8Q~s3cr3t&value".to_owned()),
            ("scope".to_owned(), "Calendars.ReadWrite User.Read".to_owned()),
        ]
    );
    let without_scopes = OAuthClient { scopes: &[], ..GOOGLE };
    assert!(!refresh_body(&without_scopes, "r").contains("scope"));
}

#[test]
fn google_tokens() {
    let now = ms("2026-11-25T10:00:00Z");
    let tokens = parse_tokens(200, include_str!("fixtures/google_token.json"), now).unwrap();
    assert!(tokens.access_token.starts_with("ya29."));
    assert_eq!(tokens.refresh_token.as_deref(), Some("1//0gFAKEFAKEFAKEFAKECgYIARAAGBASNwF-L9IrFAKE"));
    assert_eq!(tokens.expires_at_ms, now + 3_599_000);
    // A refresh answer has no refresh token: the caller keeps the one it has.
    let refreshed = parse_tokens(200, include_str!("fixtures/google_token_refreshed.json"), now).unwrap();
    assert_eq!(refreshed.refresh_token, None);
    assert!(refreshed.access_token.ends_with("REFRESHED"));
}

#[test]
fn microsoft_tokens() {
    let now = ms("2026-11-25T10:00:00Z");
    let tokens = parse_tokens(200, include_str!("fixtures/microsoft_token.json"), now).unwrap();
    assert!(tokens.access_token.starts_with("eyJ0eXAi"));
    assert!(tokens.refresh_token.as_deref().unwrap().starts_with("1.AXkA"));
    assert_eq!(tokens.expires_at_ms, now + 4_451_000);
    // The v1 endpoint's string numbers, and a missing expiry (an hour).
    let tokens = parse_tokens(200, r#"{"access_token":"a","expires_in":"3600"}"#, now).unwrap();
    assert_eq!(tokens.expires_at_ms, now + 3_600_000);
    let tokens = parse_tokens(200, r#"{"access_token":"a","token_type":"Bearer"}"#, now).unwrap();
    assert_eq!(tokens.expires_at_ms, now + 3_600_000);
    assert_eq!(tokens.refresh_token, None);
}

#[test]
fn a_revoked_grant_means_reconnecting() {
    let error = parse_tokens(400, include_str!("fixtures/google_token_invalid_grant.json"), 0).unwrap_err();
    assert_eq!(
        error,
        CalendarError::Revoked(
            "the provider no longer accepts Confab's authorization (invalid_grant: Token has been expired or revoked.)"
                .to_owned()
        )
    );
    for (fixture, code) in [
        (include_str!("fixtures/microsoft_token_invalid_grant_70000.json"), "AADSTS70000:"),
        (include_str!("fixtures/microsoft_token_invalid_grant_700082.json"), "AADSTS700082:"),
    ] {
        let error = parse_tokens(400, fixture, 0).unwrap_err();
        let CalendarError::Revoked(text) = &error else { panic!("{error:?}") };
        assert!(text.contains(code), "{text}");
        // Trace and correlation ids stay out of what an admin sees.
        assert!(!text.contains("Trace ID") && !text.contains("Correlation"), "{text}");
        assert!(!error.is_retryable());
    }
    let consent = r#"{"error":"interaction_required","error_description":"AADSTS65001: The user or administrator has not consented."}"#;
    assert!(matches!(parse_tokens(400, consent, 0), Err(CalendarError::Revoked(_))));
}

#[test]
fn client_and_server_failures() {
    for fixture in [
        include_str!("fixtures/google_token_invalid_client.json"),
        include_str!("fixtures/microsoft_token_invalid_client.json"),
    ] {
        let error = parse_tokens(401, fixture, 0).unwrap_err();
        assert!(matches!(&error, CalendarError::Rejected(t) if t.contains("invalid_client")), "{error:?}");
        // The app id (a GUID) may be quoted; nothing secret-looking is.
        assert!(!error.to_string().contains("Trace ID"));
    }
    assert_eq!(parse_tokens(429, "", 0), Err(CalendarError::Throttled { retry_after_ms: None }));
    assert!(matches!(parse_tokens(503, "<html>down</html>", 0), Err(CalendarError::Transient(_))));
    assert!(matches!(parse_tokens(400, r#"{"error":"temporarily_unavailable"}"#, 0), Err(CalendarError::Transient(_))));
    assert!(matches!(parse_tokens(400, "", 0), Err(CalendarError::Rejected(_))));
    assert!(matches!(parse_tokens(401, "Unauthorized", 0), Err(CalendarError::Rejected(_))));
    assert!(matches!(parse_tokens(400, r#"{"error":"something_new"}"#, 0), Err(CalendarError::Rejected(_))));
    for garbage in
        ["", "<html></html>", "{}", r#"{"access_token":""}"#, r#"{"access_token":"a","expires_in":[]}"#, "null"]
    {
        assert!(matches!(parse_tokens(200, garbage, 0), Err(CalendarError::Transient(_))), "{garbage:?}");
    }
}

#[test]
fn error_texts_never_quote_tokens() {
    let token = "ya29.a0AfB_byC-FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE";
    let body = format!(r#"{{"error":"invalid_grant","error_description":"Bad token {token} given"}}"#);
    let text = parse_tokens(400, &body, 0).unwrap_err().to_string();
    assert!(!text.contains(token), "{text}");
    assert!(text.contains("Bad token [redacted] given"), "{text}");
}

#[test]
fn tokens_never_print() {
    let tokens = parse_tokens(200, include_str!("fixtures/google_token.json"), 0).unwrap();
    let debug = format!("{tokens:?}");
    assert!(!debug.contains("ya29") && !debug.contains("1//0g"), "{debug}");
    assert!(debug.contains("expires_at_ms"));
}

#[test]
fn tokens_are_refreshed_a_minute_early() {
    let expires = ms("2026-11-25T11:00:00Z");
    assert!(!needs_refresh(expires, expires - REFRESH_MARGIN_MS - 1));
    assert!(needs_refresh(expires, expires - REFRESH_MARGIN_MS));
    assert!(needs_refresh(expires, expires + 1));
    assert!(needs_refresh(i64::MIN, 0));
    assert!(!needs_refresh(i64::MAX, 0));
}
