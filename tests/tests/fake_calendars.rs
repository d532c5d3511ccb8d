//! The fake Google and the fake Microsoft behave as the vendors document, over real HTTP on
//! loopback: the authorization-code flow, token refresh, expiry on the fake's clock,
//! revocation, free/busy and schedules, events with Meet and Teams links, transaction ids,
//! cancellation and deletion, and every injected fault. These tests need no wasm build and no
//! network.

use anyhow::{Context, Result, bail, ensure};
use chrono::{DateTime, Utc};
use confab_e2e::fake_google::FakeGoogle;
use confab_e2e::fake_microsoft::{FakeMicrosoft, Show};
use confab_e2e::fake_oauth::{Call, Fault};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// Where the edge would receive the code; nothing listens there, the fakes only redirect to it.
const REDIRECT: &str = "http://127.0.0.1:9/api/admin/v1/calendars/callback";
/// The scopes the edge asks Google for.
const GOOGLE_SCOPES: &str =
    "openid email https://www.googleapis.com/auth/calendar.freebusy https://www.googleapis.com/auth/calendar.events";
/// The scopes the edge asks Microsoft for.
const MICROSOFT_SCOPES: &str = "openid email offline_access User.Read Calendars.ReadWrite";

/// An HTTP answer.
#[derive(Debug)]
struct Reply {
    status: u16,
    text: String,
    json: Value,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A string at a JSON pointer.
    fn str(&self, pointer: &str) -> Option<&str> {
        self.json.pointer(pointer).and_then(Value::as_str)
    }

    /// The decoded query parameters of the `Location` of a redirect.
    fn location_params(&self) -> Vec<(String, String)> {
        let location = self.header("Location").unwrap_or_default();
        let query = location.split_once(['?', '#']).map(|(_, q)| q).unwrap_or_default();
        form_urlencoded::parse(query.as_bytes()).into_owned().collect()
    }

    fn location_param(&self, name: &str) -> Option<String> {
        self.location_params().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// A client that does not follow redirects, with a timeout.
fn agent(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).timeout(timeout).build()
}

fn read(result: Result<ureq::Response, ureq::Error>) -> Result<Reply> {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.into()),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|n| response.header(&n).map(|v| (n.clone(), v.to_owned())))
        .collect();
    let text = response.into_string()?;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Reply { status, text, json, headers })
}

fn get(url: &str, token: Option<&str>, headers: &[(&str, &str)]) -> Result<Reply> {
    let mut request = agent(Duration::from_secs(10)).get(url);
    if let Some(token) = token {
        request = request.set("Authorization", &format!("Bearer {token}"));
    }
    for (name, value) in headers {
        request = request.set(name, value);
    }
    read(request.call())
}

fn send_json(method: &str, url: &str, token: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Result<Reply> {
    let mut request =
        agent(Duration::from_secs(10)).request(method, url).set("Authorization", &format!("Bearer {token}"));
    for (name, value) in headers {
        request = request.set(name, value);
    }
    read(match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    })
}

fn post_form(url: &str, pairs: &[(&str, &str)]) -> Result<Reply> {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    read(
        agent(Duration::from_secs(10))
            .post(url)
            .set("Content-Type", "application/x-www-form-urlencoded")
            .send_string(&body),
    )
}

fn url_with(base: &str, pairs: &[(&str, &str)]) -> String {
    format!("{base}?{}", form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish())
}

/// `pairs` with each of `extra` replacing the pair of the same name, or added.
fn override_pairs<'a>(pairs: &mut Vec<(&'a str, &'a str)>, extra: &[(&'a str, &'a str)]) {
    for (name, value) in extra {
        match pairs.iter_mut().find(|(n, _)| n == name) {
            Some(pair) => pair.1 = value,
            None => pairs.push((name, value)),
        }
    }
}

fn at(text: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc))
}

/// Polls `check` for up to five seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if check() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    bail!("timed out waiting for {what}")
}

// ---------------------------------------------------------------------------------------------
// Google
// ---------------------------------------------------------------------------------------------

/// The authorization request the edge sends, with `extra` parameters.
fn google_authorize(google: &FakeGoogle, extra: &[(&str, &str)]) -> Result<Reply> {
    let client_id = google.client_id();
    let mut pairs = vec![
        ("client_id", client_id.as_str()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", GOOGLE_SCOPES),
        ("state", "state-123"),
    ];
    override_pairs(&mut pairs, extra);
    get(&url_with(&google.auth_url(), &pairs), None, &[])
}

/// A code for `account`, asked for as the edge does (offline, forced consent).
fn google_code(google: &FakeGoogle, account: &str) -> Result<String> {
    let reply =
        google_authorize(google, &[("access_type", "offline"), ("prompt", "consent"), ("login_hint", account)])?;
    ensure!(reply.status == 302, "authorize answered {}: {}", reply.status, reply.text);
    reply.location_param("code").context("no code in the redirect")
}

fn google_exchange(google: &FakeGoogle, code: &str) -> Result<Reply> {
    let (id, secret) = (google.client_id(), google.client_secret());
    post_form(
        &google.token_url(),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )
}

fn google_refresh(google: &FakeGoogle, refresh: &str) -> Result<Reply> {
    let (id, secret) = (google.client_id(), google.client_secret());
    post_form(
        &google.token_url(),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", &id), ("client_secret", &secret)],
    )
}

/// Connects `account`: its access and refresh tokens.
fn google_connect(google: &FakeGoogle, account: &str) -> Result<(String, String)> {
    let reply = google_exchange(google, &google_code(google, account)?)?;
    ensure!(reply.status == 200, "token answered {}: {}", reply.status, reply.text);
    Ok((
        reply.str("/access_token").context("no access token")?.to_owned(),
        reply.str("/refresh_token").context("no refresh token")?.to_owned(),
    ))
}

fn free_busy(google: &FakeGoogle, token: &str, min: &str, max: &str, ids: &[&str]) -> Result<Reply> {
    let items: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
    let body = json!({ "timeMin": min, "timeMax": max, "items": items });
    send_json("POST", &format!("{}/freeBusy", google.api_base()), token, Some(&body), &[])
}

fn google_insert(google: &FakeGoogle, token: &str, query: &str, body: &Value) -> Result<Reply> {
    send_json("POST", &format!("{}/calendars/primary/events?{query}", google.api_base()), token, Some(body), &[])
}

/// An event as the edge writes one: a meeting with a visitor, with a Meet link asked for.
fn google_meeting(start: &str, end: &str) -> Value {
    json!({
        "summary": "Meeting with Ada",
        "description": "Booked through Confab",
        "start": { "dateTime": start, "timeZone": "UTC" },
        "end": { "dateTime": end, "timeZone": "UTC" },
        "attendees": [{ "email": "ada@example.test" }],
        "conferenceData": {
            "createRequest": { "requestId": "booking-1", "conferenceSolutionKey": { "type": "hangoutsMeet" } }
        },
    })
}

/// The payload of a JWT, decoded.
fn jwt_claims(token: &str) -> Result<Value> {
    let payload = token.split('.').nth(1).context("not a JWT")?;
    let bytes = base64_url_decode(payload).context("the payload is not base64url")?;
    Ok(serde_json::from_slice(&bytes)?)
}

fn base64_url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut n, mut bits) = (0u32, 0);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        n = (n << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((n >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn base64_url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn paths(calls: &[Call]) -> Vec<String> {
    calls.iter().map(|c| format!("{} {} {}", c.method, c.path, c.status.unwrap_or(0))).collect()
}

#[test]
fn google_code_token_refresh_and_api_flow() -> Result<()> {
    let google = FakeGoogle::start()?;
    let reply = google_authorize(
        &google,
        &[("access_type", "offline"), ("prompt", "consent"), ("login_hint", "Agent2@Example.test")],
    )?;
    assert_eq!(reply.status, 302);
    let location = reply.header("Location").unwrap_or_default();
    assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
    assert_eq!(reply.location_param("state").as_deref(), Some("state-123"));
    let code = reply.location_param("code").context("no code")?;
    assert!(code.starts_with("4/0A"), "{code}");
    assert!(location.contains("code=4%2F0A"), "the code's slash is encoded in the redirect: {location}");

    let token = google_exchange(&google, &code)?;
    assert_eq!(token.status, 200, "{}", token.text);
    assert_eq!(token.str("/token_type"), Some("Bearer"));
    assert_eq!(token.json["expires_in"], 3599);
    assert_eq!(
        token.str("/scope"),
        Some(
            "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/calendar.freebusy \
             https://www.googleapis.com/auth/calendar.events"
        )
    );
    let access = token.str("/access_token").context("no access token")?.to_owned();
    let refresh = token.str("/refresh_token").context("no refresh token")?.to_owned();
    assert!(access.starts_with("ya29.") && refresh.starts_with("1//"), "{access} {refresh}");
    let claims = jwt_claims(token.str("/id_token").context("no id token")?)?;
    assert_eq!(claims["email"], "agent2@example.test");
    assert_eq!(claims["aud"], google.client_id());
    assert_eq!(claims["iss"], "https://accounts.google.com");

    let busy = free_busy(&google, &access, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["primary"])?;
    assert_eq!(busy.status, 200, "{}", busy.text);
    assert_eq!(busy.json["calendars"]["primary"]["busy"], json!([]));
    let userinfo = get(&format!("{}/oauth2/v3/userinfo", google.base()), Some(&access), &[])?;
    assert_eq!(userinfo.str("/email"), Some("agent2@example.test"));

    let renewed = google_refresh(&google, &refresh)?;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    assert!(renewed.json.get("refresh_token").is_none(), "Google never rotates refresh tokens: {}", renewed.text);
    let access2 = renewed.str("/access_token").context("no access token")?.to_owned();
    assert_ne!(access2, access);
    assert_eq!(renewed.json["expires_in"], 3599);
    let calendar = get(&format!("{}/calendars/primary", google.api_base()), Some(&access2), &[])?;
    assert_eq!(calendar.status, 403, "calendars.get needs a calendar scope the edge does not ask for");
    let busy = free_busy(&google, &access2, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["agent2@example.test"])?;
    assert_eq!(busy.status, 200);
    assert_eq!(google.tokens_issued(), 2);

    let calls = paths(&google.calls());
    assert_eq!(
        calls,
        [
            "GET /o/oauth2/v2/auth 302",
            "POST /token 200",
            "POST /calendar/v3/freeBusy 200",
            "GET /oauth2/v3/userinfo 200",
            "POST /token 200",
            "GET /calendar/v3/calendars/primary 403",
            "POST /calendar/v3/freeBusy 200",
        ]
    );
    assert_eq!(google.calls()[2].bearer.as_deref(), Some(access.as_str()));
    Ok(())
}

#[test]
fn google_codes_are_single_use_and_bound_to_their_redirect_uri() -> Result<()> {
    let google = FakeGoogle::start()?;
    let code = google_code(&google, "agent1@example.test")?;
    assert_eq!(google_exchange(&google, &code)?.status, 200);
    let again = google_exchange(&google, &code)?;
    assert_eq!(again.status, 400);
    assert_eq!(
        again.json,
        json!({ "error": "invalid_grant", "error_description": "Token has been expired or revoked." })
    );
    let unknown = google_exchange(&google, "4/0Anot-a-code")?;
    assert_eq!((unknown.status, unknown.str("/error")), (400, Some("invalid_grant")));

    let code = google_code(&google, "agent1@example.test")?;
    let (id, secret) = (google.client_id(), google.client_secret());
    let elsewhere = post_form(
        &google.token_url(),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/elsewhere"),
            ("client_id", &id),
            ("client_secret", &secret),
        ],
    )?;
    assert_eq!((elsewhere.status, elsewhere.str("/error")), (400, Some("redirect_uri_mismatch")));
    // A code lives ten minutes.
    google.advance(Duration::from_secs(601));
    assert_eq!(google_exchange(&google, &code)?.str("/error"), Some("invalid_grant"));

    // PKCE: the verifier must match the S256 challenge.
    let verifier = "a-verifier-of-at-least-43-characters-0123456789abcdef";
    let challenge = base64_url_encode(&Sha256::digest(verifier.as_bytes()));
    let pkce = |extra: &[(&str, &str)]| -> Result<String> {
        let mut params = vec![("code_challenge", challenge.as_str()), ("code_challenge_method", "S256")];
        params.extend(extra);
        google_authorize(&google, &params)?.location_param("code").context("no code")
    };
    let with = |code: &str, verifier: &str| {
        post_form(
            &google.token_url(),
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", REDIRECT),
                ("client_id", &id),
                ("client_secret", &secret),
                ("code_verifier", verifier),
            ],
        )
    };
    let wrong = with(&pkce(&[])?, "another-verifier")?;
    assert_eq!((wrong.status, wrong.str("/error_description")), (400, Some("Invalid code verifier.")));
    assert_eq!(with(&pkce(&[])?, verifier)?.status, 200);
    Ok(())
}

#[test]
fn google_token_endpoint_checks_the_client() -> Result<()> {
    let google = FakeGoogle::start()?;
    let code = google_code(&google, "agent1@example.test")?;
    let id = google.client_id();
    let call = |id: &str, secret: &str| {
        post_form(
            &google.token_url(),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("client_id", id),
                ("client_secret", secret),
            ],
        )
    };
    let wrong = call(&id, "not-the-secret")?;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.json, json!({ "error": "invalid_client", "error_description": "Unauthorized" }));
    let unknown = call("someone-else.apps.googleusercontent.com", &google.client_secret())?;
    assert_eq!((unknown.status, unknown.str("/error")), (401, Some("invalid_client")));
    // The code survived the failed attempts.
    assert_eq!(call(&id, &google.client_secret())?.status, 200);

    // HTTP Basic client authentication works too.
    let code = google_code(&google, "agent1@example.test")?;
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", REDIRECT)])
        .finish();
    let basic = format!("{id}:{}", google.client_secret());
    let reply = read(
        agent(Duration::from_secs(10))
            .post(&google.token_url())
            .set("Content-Type", "application/x-www-form-urlencoded")
            .set("Authorization", &format!("Basic {}", standard_base64(basic.as_bytes())))
            .send_string(&body),
    )?;
    assert_eq!(reply.status, 200, "{}", reply.text);

    let grant = post_form(&google.token_url(), &[("grant_type", "password")])?;
    assert_eq!((grant.status, grant.str("/error")), (400, Some("unsupported_grant_type")));
    Ok(())
}

fn standard_base64(bytes: &[u8]) -> String {
    let url = base64_url_encode(bytes).replace('-', "+").replace('_', "/");
    let pad = (4 - url.len() % 4) % 4;
    format!("{url}{}", "=".repeat(pad))
}

#[test]
fn google_authorization_page_refuses_unknown_clients_and_reports_declines() -> Result<()> {
    let google = FakeGoogle::start()?;
    let page = get(
        &url_with(
            &google.auth_url(),
            &[
                ("client_id", "unknown.apps.googleusercontent.com"),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", GOOGLE_SCOPES),
            ],
        ),
        None,
        &[],
    )?;
    assert_eq!(page.status, 400);
    assert!(page.text.contains("invalid_client") && page.header("Location").is_none(), "{}", page.text);
    let no_scope = google_authorize(&google, &[("scope", "")])?;
    assert_eq!(no_scope.status, 400, "an empty scope: {}", no_scope.text);

    google.register_redirect_uri("https://confab.example/callback");
    let unregistered = google_authorize(&google, &[])?;
    assert_eq!(unregistered.status, 400);
    assert!(unregistered.text.contains("redirect_uri_mismatch"), "{}", unregistered.text);
    google.register_redirect_uri(REDIRECT);

    google.decline_next_consent(1);
    let declined = google_authorize(&google, &[])?;
    assert_eq!(declined.status, 302);
    assert_eq!(declined.location_param("error").as_deref(), Some("access_denied"));
    assert_eq!(declined.location_param("state").as_deref(), Some("state-123"));
    assert_eq!(declined.location_param("code"), None);
    // Without a login_hint, the default account signs in.
    let code = google_authorize(&google, &[])?.location_param("code").context("no code")?;
    let token = google_exchange(&google, &code)?;
    assert_eq!(jwt_claims(token.str("/id_token").context("no id token")?)?["email"], google.default_account());
    assert_eq!(google.default_account(), "agent1@example.test");
    Ok(())
}

#[test]
fn google_refresh_tokens_need_offline_access_and_a_first_or_forced_consent() -> Result<()> {
    let google = FakeGoogle::start()?;
    let exchange = |extra: &[(&str, &str)]| -> Result<Reply> {
        let code = google_authorize(&google, extra)?.location_param("code").context("no code")?;
        google_exchange(&google, &code)
    };
    let online = exchange(&[("login_hint", "agent3@example.test")])?;
    assert_eq!(online.status, 200);
    assert!(online.json.get("refresh_token").is_none(), "online access: {}", online.text);
    let first = exchange(&[("login_hint", "agent3@example.test"), ("access_type", "offline")])?;
    assert!(first.str("/refresh_token").is_some(), "first offline consent: {}", first.text);
    let second = exchange(&[("login_hint", "agent3@example.test"), ("access_type", "offline")])?;
    assert!(second.json.get("refresh_token").is_none(), "a second consent without prompt=consent: {}", second.text);
    let forced = exchange(&[("login_hint", "agent3@example.test"), ("access_type", "offline"), ("prompt", "consent")])?;
    assert!(forced.str("/refresh_token").is_some(), "prompt=consent: {}", forced.text);
    Ok(())
}

#[test]
fn google_access_tokens_expire_on_the_advanced_clock() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, refresh) = google_connect(&google, "agent1@example.test")?;
    let window = ("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z");
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 200);
    google.advance(Duration::from_secs(3598));
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 200);
    google.advance(Duration::from_secs(2));
    let expired = free_busy(&google, &access, window.0, window.1, &["primary"])?;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json["error"]["code"], 401);
    assert_eq!(expired.str("/error/status"), Some("UNAUTHENTICATED"));
    assert_eq!(expired.str("/error/errors/0/reason"), Some("authError"));
    assert_eq!(expired.str("/error/errors/0/domain"), Some("global"));
    assert!(
        expired.str("/error/message").is_some_and(|m| m.starts_with("Request had invalid authentication credentials"))
    );
    assert!(expired.header("WWW-Authenticate").is_some_and(|h| h.contains("invalid_token")));

    let access = google_refresh(&google, &refresh)?.str("/access_token").context("no token")?.to_owned();
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 200);
    // A shorter lifetime applies to tokens issued afterwards.
    google.set_token_lifetime(Duration::from_secs(60));
    let short = google_refresh(&google, &refresh)?;
    assert_eq!(short.json["expires_in"], 60);
    let short = short.str("/access_token").context("no token")?.to_owned();
    google.advance(Duration::from_secs(61));
    assert_eq!(free_busy(&google, &short, window.0, window.1, &["primary"])?.status, 401);
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 200);
    google.expire_tokens();
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 401);
    assert_eq!(free_busy(&google, "ya29.made-up", window.0, window.1, &["primary"])?.status, 401);
    Ok(())
}

#[test]
fn google_revoked_accounts_get_invalid_grant_and_401() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, refresh) = google_connect(&google, "agent1@example.test")?;
    let (other_access, _) = google_connect(&google, "agent2@example.test")?;
    google.revoke("AGENT1@example.test");
    let refused = google_refresh(&google, &refresh)?;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.json,
        json!({ "error": "invalid_grant", "error_description": "Token has been expired or revoked." })
    );
    let window = ("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z");
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 401);
    assert_eq!(free_busy(&google, &other_access, window.0, window.1, &["primary"])?.status, 200);
    // The admin connects again.
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 200);

    // The revocation endpoint revokes the grant a token belongs to.
    let (access, refresh) = google_connect(&google, "agent3@example.test")?;
    let revoked = post_form(&google.revoke_url(), &[("token", &refresh)])?;
    assert_eq!(revoked.status, 200);
    assert_eq!(free_busy(&google, &access, window.0, window.1, &["primary"])?.status, 401);
    assert_eq!(post_form(&google.revoke_url(), &[("token", &refresh)])?.str("/error"), Some("invalid_token"));
    Ok(())
}

#[test]
fn google_free_busy_merges_events_and_added_busy() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    google.add_busy("agent1@example.test", at("2026-12-01T09:00:00Z")?, at("2026-12-01T10:00:00Z")?);
    google.add_busy("agent1@example.test", at("2026-12-01T09:30:00Z")?, at("2026-12-01T10:30:00Z")?);
    google.add_busy("agent1@example.test", at("2026-11-30T23:00:00Z")?, at("2026-12-01T01:00:00Z")?);
    let insert = |body: Value| google_insert(&google, &access, "", &body);
    assert_eq!(insert(google_meeting("2026-12-01T15:00:00+01:00", "2026-12-01T15:30:00+01:00"))?.status, 200);
    let mut free = google_meeting("2026-12-01T16:00:00Z", "2026-12-01T17:00:00Z");
    free["transparency"] = json!("transparent");
    assert_eq!(insert(free)?.status, 200);
    let deleted = insert(google_meeting("2026-12-01T18:00:00Z", "2026-12-01T19:00:00Z"))?;
    let id = deleted.str("/id").context("no id")?.to_owned();
    let url = format!("{}/calendars/primary/events/{id}", google.api_base());
    assert_eq!(send_json("DELETE", &url, &access, None, &[])?.status, 204);
    // Local time with a zone name is understood.
    let mut paris = google_meeting("2026-12-01T21:00:00", "2026-12-01T22:00:00");
    paris["start"]["timeZone"] = json!("Europe/Paris");
    paris["end"]["timeZone"] = json!("Europe/Paris");
    assert_eq!(insert(paris)?.status, 200);
    // Another account's busy time does not leak in.
    google.add_busy("agent2@example.test", at("2026-12-01T12:00:00Z")?, at("2026-12-01T13:00:00Z")?);

    let reply = free_busy(
        &google,
        &access,
        "2026-12-01T00:00:00Z",
        "2026-12-02T00:00:00Z",
        &["primary", "agent2@example.test"],
    )?;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.str("/kind"), Some("calendar#freeBusy"));
    assert_eq!(reply.str("/timeMin"), Some("2026-12-01T00:00:00.000Z"));
    assert_eq!(
        reply.json["calendars"]["primary"]["busy"],
        json!([
            { "start": "2026-12-01T00:00:00Z", "end": "2026-12-01T01:00:00Z" },
            { "start": "2026-12-01T09:00:00Z", "end": "2026-12-01T10:30:00Z" },
            { "start": "2026-12-01T14:00:00Z", "end": "2026-12-01T14:30:00Z" },
            { "start": "2026-12-01T20:00:00Z", "end": "2026-12-01T21:00:00Z" },
        ])
    );
    assert_eq!(
        reply.json["calendars"]["agent2@example.test"],
        json!({ "busy": [{ "start": "2026-12-01T12:00:00Z", "end": "2026-12-01T13:00:00Z" }] })
    );
    let zoned = send_json(
        "POST",
        &format!("{}/freeBusy", google.api_base()),
        &access,
        Some(&json!({
            "timeMin": "2026-12-01T08:00:00Z", "timeMax": "2026-12-01T12:00:00Z",
            "timeZone": "Europe/Paris", "items": [{ "id": "agent1@example.test" }],
        })),
        &[],
    )?;
    assert_eq!(
        zoned.json["calendars"]["agent1@example.test"]["busy"],
        json!([{ "start": "2026-12-01T10:00:00+01:00", "end": "2026-12-01T11:30:00+01:00" }])
    );
    let empty = free_busy(&google, &access, "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z", &["primary"])?;
    assert_eq!((empty.status, empty.str("/error/errors/0/reason")), (400, Some("timeRangeEmpty")));
    let missing =
        send_json("POST", &format!("{}/freeBusy", google.api_base()), &access, Some(&json!({ "items": [] })), &[])?;
    assert_eq!((missing.status, missing.str("/error/errors/0/reason")), (400, Some("required")));
    Ok(())
}

#[test]
fn google_free_busy_reports_unknown_calendars_as_not_found() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    let reply = free_busy(&google, &access, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["nobody@example.test"])?;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json["calendars"]["nobody@example.test"],
        json!({ "errors": [{ "domain": "global", "reason": "notFound" }], "busy": [] })
    );
    google.add_account("nobody@example.test");
    let reply = free_busy(&google, &access, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["nobody@example.test"])?;
    assert_eq!(reply.json["calendars"]["nobody@example.test"], json!({ "busy": [] }));
    Ok(())
}

#[test]
fn google_inserted_event_gets_a_meet_link_and_can_be_patched_and_deleted() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    let created = google_insert(
        &google,
        &access,
        "conferenceDataVersion=1&sendUpdates=all",
        &google_meeting("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z"),
    )?;
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.str("/id").context("no id")?.to_owned();
    assert!(id.len() >= 5 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'v').contains(&b)), "{id}");
    assert_eq!(created.str("/status"), Some("confirmed"));
    assert_eq!(created.str("/kind"), Some("calendar#event"));
    assert!(created.str("/htmlLink").is_some_and(|l| l.starts_with("https://www.google.com/calendar/event?eid=")));
    assert_eq!(created.str("/organizer/email"), Some("agent1@example.test"));
    assert_eq!(created.str("/attendees/0/responseStatus"), Some("needsAction"));
    let meet = created.str("/hangoutLink").context("no Meet link")?.to_owned();
    let code = meet.strip_prefix("https://meet.google.com/").context("not a Meet link")?;
    let parts: Vec<usize> = code.split('-').map(str::len).collect();
    assert_eq!(parts, [3, 4, 3], "{meet}");
    assert!(code.bytes().all(|b| b == b'-' || b.is_ascii_lowercase()), "{meet}");
    assert_eq!(created.str("/conferenceData/entryPoints/0/entryPointType"), Some("video"));
    assert_eq!(created.str("/conferenceData/entryPoints/0/uri"), Some(meet.as_str()));
    assert_eq!(created.str("/conferenceData/createRequest/status/statusCode"), Some("success"));
    assert_eq!(created.str("/conferenceData/conferenceSolution/key/type"), Some("hangoutsMeet"));

    let events = google.events("agent1@example.test");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(
        (event.id.as_str(), event.summary.as_str(), event.status.as_str()),
        (id.as_str(), "Meeting with Ada", "confirmed")
    );
    assert_eq!((event.start, event.end), (at("2026-12-01T15:00:00Z")?, at("2026-12-01T15:30:00Z")?));
    assert_eq!(event.attendees, ["ada@example.test"]);
    assert!(event.has_meet_link && event.busy);
    assert_eq!(event.join_url.as_deref(), Some(meet.as_str()));
    assert_eq!(event.send_updates.as_deref(), Some("all"));

    let url = format!("{}/calendars/primary/events/{id}", google.api_base());
    let moved = send_json(
        "PATCH",
        &format!("{url}?sendUpdates=all"),
        &access,
        Some(
            &json!({ "start": { "dateTime": "2026-12-02T10:00:00Z" }, "end": { "dateTime": "2026-12-02T10:30:00Z" } }),
        ),
        &[],
    )?;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(moved.str("/start/dateTime"), Some("2026-12-02T10:00:00Z"));
    assert_eq!(moved.json["sequence"], 1);
    assert_eq!(moved.str("/hangoutLink"), Some(meet.as_str()), "the Meet link survives a move");
    assert_eq!(moved.str("/summary"), Some("Meeting with Ada"));
    let event = &google.events("agent1@example.test")[0];
    assert_eq!((event.start, event.end), (at("2026-12-02T10:00:00Z")?, at("2026-12-02T10:30:00Z")?));
    let backwards =
        send_json("PATCH", &url, &access, Some(&json!({ "end": { "dateTime": "2026-12-01T00:00:00Z" } })), &[])?;
    assert_eq!((backwards.status, backwards.str("/error/errors/0/reason")), (400, Some("timeRangeEmpty")));
    assert_eq!(
        google.events("agent1@example.test")[0].end,
        at("2026-12-02T10:30:00Z")?,
        "a refused patch changed nothing"
    );

    let deleted = send_json("DELETE", &format!("{url}?sendUpdates=all"), &access, None, &[])?;
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    let again = send_json("DELETE", &url, &access, None, &[])?;
    assert_eq!(again.status, 410);
    assert_eq!(again.str("/error/errors/0/reason"), Some("deleted"));
    let fetched = get(&url, Some(&access), &[])?;
    assert_eq!((fetched.status, fetched.str("/status")), (200, Some("cancelled")));
    assert_eq!(google.events("agent1@example.test")[0].status, "cancelled");
    let unknown = send_json(
        "DELETE",
        &format!("{}/calendars/primary/events/nosuchevent", google.api_base()),
        &access,
        None,
        &[],
    )?;
    assert_eq!((unknown.status, unknown.str("/error/errors/0/reason")), (404, Some("notFound")));
    let foreign = google_insert(&google, &access, "", &google_meeting("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z"));
    assert_eq!(foreign?.status, 200);
    let other = send_json(
        "POST",
        &format!("{}/calendars/agent2%40example.test/events", google.api_base()),
        &access,
        Some(&google_meeting("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z")),
        &[],
    )?;
    assert_eq!(other.status, 404, "another account's calendar");
    Ok(())
}

#[test]
fn google_conference_data_needs_version_1_and_client_ids_are_unique() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    let plain = google_insert(&google, &access, "", &google_meeting("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z"))?;
    assert_eq!(plain.status, 200);
    assert!(plain.json.get("hangoutLink").is_none() && plain.json.get("conferenceData").is_none(), "{}", plain.text);
    assert!(!google.events("agent1@example.test")[0].has_meet_link);

    let mut body = google_meeting("2026-12-01T16:00:00Z", "2026-12-01T16:30:00Z");
    body["id"] = json!("confabbooking0001");
    assert_eq!(
        google_insert(&google, &access, "conferenceDataVersion=1", &body)?.str("/id"),
        Some("confabbooking0001")
    );
    let duplicate = google_insert(&google, &access, "conferenceDataVersion=1", &body)?;
    assert_eq!((duplicate.status, duplicate.str("/error/errors/0/reason")), (409, Some("duplicate")));
    body["id"] = json!("Not-Base32hex!");
    assert_eq!(google_insert(&google, &access, "", &body)?.status, 400);
    let mut zoom = google_meeting("2026-12-01T16:00:00Z", "2026-12-01T16:30:00Z");
    zoom["conferenceData"]["createRequest"]["conferenceSolutionKey"]["type"] = json!("addOn");
    assert_eq!(
        google_insert(&google, &access, "conferenceDataVersion=1", &zoom)?.str("/error/message"),
        Some("Invalid conference type value.")
    );
    assert_eq!(google_insert(&google, &access, "sendUpdates=sometimes", &body)?.status, 400);
    assert_eq!(google.events("agent1@example.test").len(), 2);

    // A token without a calendar scope may not write events.
    let code = google_authorize(
        &google,
        &[("scope", "openid https://www.googleapis.com/auth/calendar.freebusy"), ("login_hint", "agent1@example.test")],
    )?
    .location_param("code")
    .context("no code")?;
    let narrow = google_exchange(&google, &code)?.str("/access_token").context("no token")?.to_owned();
    let refused = google_insert(&google, &narrow, "", &google_meeting("2026-12-01T15:00:00Z", "2026-12-01T15:30:00Z"))?;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.str("/error/errors/0/reason"), Some("insufficientPermissions"));
    assert_eq!(free_busy(&google, &narrow, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["primary"])?.status, 200);
    Ok(())
}

#[test]
fn google_event_lists_page_filter_and_hide_deleted_events() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    let mut ids = Vec::new();
    for (day, hour) in [(3, 9), (1, 9), (2, 9)] {
        let start = format!("2026-12-0{day}T{hour:02}:00:00Z");
        let end = format!("2026-12-0{day}T{hour:02}:30:00Z");
        let reply = google_insert(&google, &access, "", &google_meeting(&start, &end))?;
        ids.push(reply.str("/id").context("no id")?.to_owned());
    }
    let base = format!("{}/calendars/primary/events", google.api_base());
    assert_eq!(send_json("DELETE", &format!("{base}/{}", ids[0]), &access, None, &[])?.status, 204);
    let list = get(&url_with(&base, &[("singleEvents", "true"), ("orderBy", "startTime")]), Some(&access), &[])?;
    assert_eq!(list.str("/kind"), Some("calendar#events"));
    let starts: Vec<&str> =
        list.json["items"].as_array().into_iter().flatten().filter_map(|i| i["start"]["dateTime"].as_str()).collect();
    assert_eq!(starts, ["2026-12-01T09:00:00Z", "2026-12-02T09:00:00Z"]);
    let deleted = get(&url_with(&base, &[("showDeleted", "true")]), Some(&access), &[])?;
    assert_eq!(deleted.json["items"].as_array().map(Vec::len), Some(3));
    let window = get(
        &url_with(&base, &[("timeMin", "2026-12-01T09:15:00Z"), ("timeMax", "2026-12-02T09:00:00Z")]),
        Some(&access),
        &[],
    )?;
    assert_eq!(window.json["items"].as_array().map(Vec::len), Some(1), "{}", window.text);
    let page = get(&url_with(&base, &[("maxResults", "1")]), Some(&access), &[])?;
    let token = page.str("/nextPageToken").context("no next page")?.to_owned();
    let next = get(&url_with(&base, &[("maxResults", "1"), ("pageToken", &token)]), Some(&access), &[])?;
    assert_eq!(next.json["items"].as_array().map(Vec::len), Some(1));
    assert!(next.json.get("nextPageToken").is_none());
    assert_ne!(page.json["items"][0]["id"], next.json["items"][0]["id"]);
    let unordered = get(&url_with(&base, &[("orderBy", "startTime")]), Some(&access), &[])?;
    assert_eq!(unordered.status, 400, "orderBy=startTime needs singleEvents=true");
    Ok(())
}

#[test]
fn google_injected_faults_answer_500_403_rate_limit_and_429() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, refresh) = google_connect(&google, "agent1@example.test")?;
    let call = || free_busy(&google, &access, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["primary"]);
    google.fail_next(1, Fault::Status(500));
    google.fail_next(1, Fault::RateLimit);
    google.fail_next(2, Fault::TooManyRequests);
    google.fail_next(1, Fault::Status(503));
    // Faults without a prefix leave the OAuth endpoints alone.
    assert_eq!(google_refresh(&google, &refresh)?.status, 200);
    let failed = call()?;
    assert_eq!(failed.status, 500);
    assert_eq!(failed.str("/error/errors/0/reason"), Some("backendError"));
    assert_eq!(failed.json["error"]["code"], 500);
    let limited = call()?;
    assert_eq!(limited.status, 403);
    assert_eq!(
        limited.json,
        json!({ "error": { "errors": [{ "domain": "usageLimits", "reason": "rateLimitExceeded", "message": "Rate Limit Exceeded" }], "code": 403, "message": "Rate Limit Exceeded" } })
    );
    for _ in 0..2 {
        let busy = call()?;
        assert_eq!(busy.status, 429);
        assert_eq!(busy.header("Retry-After"), Some("1"));
        assert_eq!(busy.str("/error/errors/0/reason"), Some("rateLimitExceeded"));
    }
    assert_eq!(call()?.status, 503);
    assert_eq!(call()?.status, 200);
    let faults: Vec<Option<Fault>> = google.calls().iter().map(|c| c.fault).collect();
    assert_eq!(
        faults,
        [
            None,
            None,
            None,
            Some(Fault::Status(500)),
            Some(Fault::RateLimit),
            Some(Fault::TooManyRequests),
            Some(Fault::TooManyRequests),
            Some(Fault::Status(503)),
            None,
        ]
    );

    // A prefix aims at one endpoint, the token endpoint included.
    google.fail_next_on("/token", 1, Fault::Status(503));
    google.fail_next_on("/calendar/v3/calendars", 1, Fault::Status(500));
    assert_eq!(call()?.status, 200, "freeBusy is not under the prefix");
    let token = google_refresh(&google, &refresh)?;
    assert_eq!((token.status, token.str("/error")), (503, Some("internal_failure")));
    assert_eq!(google_refresh(&google, &refresh)?.status, 200);
    let events = get(&format!("{}/calendars/primary/events", google.api_base()), Some(&access), &[])?;
    assert_eq!(events.status, 500);
    google.fail_next(3, Fault::Status(500));
    google.clear_faults();
    assert_eq!(call()?.status, 200);
    Ok(())
}

#[test]
fn google_timeout_holds_one_call_without_blocking_others_and_drop_stops_promptly() -> Result<()> {
    let google = FakeGoogle::start()?;
    let (access, _) = google_connect(&google, "agent1@example.test")?;
    let url = format!("{}/freeBusy", google.api_base());
    let body =
        json!({ "timeMin": "2026-12-01T00:00:00Z", "timeMax": "2026-12-02T00:00:00Z", "items": [{ "id": "primary" }] });
    google.fail_next(1, Fault::Timeout);
    let started = Instant::now();
    let held =
        agent(Duration::from_secs(1)).post(&url).set("Authorization", &format!("Bearer {access}")).send_json(&body);
    let waited = started.elapsed();
    assert!(matches!(held, Err(ureq::Error::Transport(_))), "the client should time out: {held:?}");
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(5), "{waited:?}");
    // The held connection (still open for 30 s) blocks nobody.
    let started = Instant::now();
    assert_eq!(free_busy(&google, &access, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", &["primary"])?.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    let calls = google.calls();
    let timed_out = calls.iter().find(|c| c.fault == Some(Fault::Timeout)).context("the held call is not logged")?;
    assert_eq!((timed_out.path.as_str(), timed_out.status), ("/calendar/v3/freeBusy", None));

    // A client without a short timeout waits until the fake is dropped, then sees the
    // connection close; dropping does not wait for the hold.
    google.fail_next(1, Fault::Timeout);
    let token = access.clone();
    let patient = std::thread::spawn(move || {
        let started = Instant::now();
        let result =
            agent(Duration::from_secs(60)).post(&url).set("Authorization", &format!("Bearer {token}")).send_json(&body);
        (result.is_err(), started.elapsed())
    });
    eventually("the second held call", || {
        google.calls().iter().filter(|c| c.fault == Some(Fault::Timeout)).count() == 2
    })?;
    let started = Instant::now();
    drop(google);
    assert!(started.elapsed() < Duration::from_secs(2), "drop took {:?}", started.elapsed());
    let (failed, waited) = patient.join().map_err(|_| anyhow::anyhow!("the client thread panicked"))?;
    assert!(failed, "the held call got an answer");
    assert!(waited < Duration::from_secs(10), "the client waited {waited:?}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Microsoft
// ---------------------------------------------------------------------------------------------

fn microsoft_authorize(microsoft: &FakeMicrosoft, extra: &[(&str, &str)]) -> Result<Reply> {
    let client_id = microsoft.client_id();
    let mut pairs = vec![
        ("client_id", client_id.as_str()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("response_mode", "query"),
        ("scope", MICROSOFT_SCOPES),
        ("state", "state-456"),
    ];
    override_pairs(&mut pairs, extra);
    get(&url_with(&microsoft.auth_url("common"), &pairs), None, &[])
}

fn microsoft_code(microsoft: &FakeMicrosoft, account: &str) -> Result<String> {
    let reply = microsoft_authorize(microsoft, &[("login_hint", account)])?;
    ensure!(reply.status == 302, "authorize answered {}: {}", reply.status, reply.text);
    reply.location_param("code").context("no code in the redirect")
}

fn microsoft_token(microsoft: &FakeMicrosoft, pairs: &[(&str, &str)]) -> Result<Reply> {
    let (id, secret) = (microsoft.client_id(), microsoft.client_secret());
    let mut all = vec![("client_id", id.as_str()), ("client_secret", secret.as_str())];
    all.extend(pairs);
    post_form(&microsoft.token_url("common"), &all)
}

fn microsoft_exchange(microsoft: &FakeMicrosoft, code: &str) -> Result<Reply> {
    microsoft_token(
        microsoft,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("scope", MICROSOFT_SCOPES),
        ],
    )
}

fn microsoft_refresh(microsoft: &FakeMicrosoft, refresh: &str) -> Result<Reply> {
    microsoft_token(
        microsoft,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh), ("scope", MICROSOFT_SCOPES)],
    )
}

fn microsoft_connect(microsoft: &FakeMicrosoft, account: &str) -> Result<(String, String)> {
    let reply = microsoft_exchange(microsoft, &microsoft_code(microsoft, account)?)?;
    ensure!(reply.status == 200, "token answered {}: {}", reply.status, reply.text);
    Ok((
        reply.str("/access_token").context("no access token")?.to_owned(),
        reply.str("/refresh_token").context("no refresh token")?.to_owned(),
    ))
}

const UTC_PREFERRED: (&str, &str) = ("Prefer", "outlook.timezone=\"UTC\"");

fn get_schedule(microsoft: &FakeMicrosoft, token: &str, body: &Value, prefer: Option<&str>) -> Result<Reply> {
    let prefer = prefer.map(|zone| format!("outlook.timezone=\"{zone}\""));
    let headers: Vec<(&str, &str)> = prefer.iter().map(|p| ("Prefer", p.as_str())).collect();
    send_json("POST", &format!("{}/me/calendar/getSchedule", microsoft.api_base()), token, Some(body), &headers)
}

fn schedule_body(schedules: &[&str], start: &str, end: &str) -> Value {
    json!({
        "schedules": schedules,
        "startTime": { "dateTime": start, "timeZone": "UTC" },
        "endTime": { "dateTime": end, "timeZone": "UTC" },
        "availabilityViewInterval": 60,
    })
}

/// An event as the edge writes one: a meeting with a visitor, online on Teams.
fn graph_meeting(start: &str, end: &str, transaction: &str) -> Value {
    json!({
        "subject": "Meeting with Ada",
        "body": { "contentType": "HTML", "content": "Booked through Confab" },
        "start": { "dateTime": start, "timeZone": "UTC" },
        "end": { "dateTime": end, "timeZone": "UTC" },
        "attendees": [{ "emailAddress": { "address": "ada@example.test", "name": "Ada" }, "type": "required" }],
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness",
        "transactionId": transaction,
    })
}

fn create_event(microsoft: &FakeMicrosoft, token: &str, body: &Value) -> Result<Reply> {
    send_json("POST", &format!("{}/me/events", microsoft.api_base()), token, Some(body), &[UTC_PREFERRED])
}

#[test]
fn microsoft_code_token_refresh_and_graph_flow() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let reply = microsoft_authorize(&microsoft, &[("login_hint", "agent2@example.test")])?;
    assert_eq!(reply.status, 302);
    assert!(reply.header("Location").is_some_and(|l| l.starts_with(&format!("{REDIRECT}?code="))));
    assert_eq!(reply.location_param("state").as_deref(), Some("state-456"));
    assert!(reply.location_param("session_state").is_some());
    let code = reply.location_param("code").context("no code")?;

    let token = microsoft_exchange(&microsoft, &code)?;
    assert_eq!(token.status, 200, "{}", token.text);
    assert_eq!(token.str("/token_type"), Some("Bearer"));
    assert_eq!((token.json["expires_in"].as_u64(), token.json["ext_expires_in"].as_u64()), (Some(3599), Some(3599)));
    assert_eq!(
        token.str("/scope"),
        Some(
            "openid email offline_access https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.ReadWrite"
        )
    );
    let access = token.str("/access_token").context("no access token")?.to_owned();
    let refresh = token.str("/refresh_token").context("no refresh token")?.to_owned();
    assert!(access.starts_with("eyJ"), "{access}");
    let claims = jwt_claims(token.str("/id_token").context("no id token")?)?;
    assert_eq!(claims["preferred_username"], "agent2@example.test");
    assert_eq!(claims["aud"], microsoft.client_id());

    let me = get(&format!("{}/me", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(
        (me.str("/mail"), me.str("/userPrincipalName")),
        (Some("agent2@example.test"), Some("agent2@example.test"))
    );

    let renewed = microsoft_refresh(&microsoft, &refresh)?;
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    let rotated = renewed.str("/refresh_token").context("Microsoft rotates refresh tokens")?.to_owned();
    assert_ne!(rotated, refresh);
    let access2 = renewed.str("/access_token").context("no access token")?.to_owned();
    let schedule = get_schedule(
        &microsoft,
        &access2,
        &schedule_body(&["agent2@example.test"], "2026-12-01T09:00:00", "2026-12-01T12:00:00"),
        Some("UTC"),
    )?;
    assert_eq!(schedule.status, 200, "{}", schedule.text);
    // The old refresh token stays valid too (documented choice), and so does the new one.
    assert_eq!(microsoft_refresh(&microsoft, &refresh)?.status, 200);
    assert_eq!(microsoft_refresh(&microsoft, &rotated)?.status, 200);
    assert_eq!(
        paths(&microsoft.calls()),
        [
            "GET /common/oauth2/v2.0/authorize 302",
            "POST /common/oauth2/v2.0/token 200",
            "GET /v1.0/me 200",
            "POST /common/oauth2/v2.0/token 200",
            "POST /v1.0/me/calendar/getSchedule 200",
            "POST /common/oauth2/v2.0/token 200",
            "POST /common/oauth2/v2.0/token 200",
        ]
    );
    // Any tenant works.
    let code = microsoft_code(&microsoft, "agent1@example.test")?;
    let (id, secret) = (microsoft.client_id(), microsoft.client_secret());
    let tenant = post_form(
        &microsoft.token_url("organizations"),
        &[
            ("client_id", &id),
            ("client_secret", &secret),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )?;
    assert_eq!(tenant.status, 200);
    Ok(())
}

#[test]
fn microsoft_codes_are_single_use_and_errors_carry_aadsts_codes() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let code = microsoft_code(&microsoft, "agent1@example.test")?;
    assert_eq!(microsoft_exchange(&microsoft, &code)?.status, 200);
    let again = microsoft_exchange(&microsoft, &code)?;
    assert_eq!(again.status, 400);
    assert_eq!(again.str("/error"), Some("invalid_grant"));
    assert_eq!(again.json["error_codes"], json!([54005]));
    assert!(again.str("/error_description").is_some_and(|d| d.starts_with("AADSTS54005: ")), "{}", again.text);
    for key in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(again.json.get(key).is_some(), "{key} missing: {}", again.text);
    }
    let unknown = microsoft_exchange(&microsoft, "0.AXoAnot-a-code")?;
    assert_eq!((unknown.str("/error"), unknown.json["error_codes"][0].as_u64()), (Some("invalid_grant"), Some(70000)));

    let code = microsoft_code(&microsoft, "agent1@example.test")?;
    let elsewhere = microsoft_token(
        &microsoft,
        &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", "http://127.0.0.1:9/elsewhere")],
    )?;
    assert_eq!(
        (elsewhere.str("/error"), elsewhere.json["error_codes"][0].as_u64()),
        (Some("invalid_grant"), Some(500112))
    );
    microsoft.advance(Duration::from_secs(601));
    assert_eq!(microsoft_exchange(&microsoft, &code)?.json["error_codes"][0], 70008);

    let code = microsoft_code(&microsoft, "agent1@example.test")?;
    let (id, _) = (microsoft.client_id(), ());
    let wrong = post_form(
        &microsoft.token_url("common"),
        &[
            ("client_id", &id),
            ("client_secret", "not-the-secret"),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )?;
    assert_eq!((wrong.status, wrong.str("/error")), (401, Some("invalid_client")));
    assert_eq!(wrong.json["error_codes"], json!([7000215]));
    let stranger = post_form(
        &microsoft.token_url("common"),
        &[
            ("client_id", "00000000-0000-0000-0000-000000000000"),
            ("client_secret", "x"),
            ("grant_type", "authorization_code"),
            ("code", &code),
        ],
    )?;
    assert_eq!((stranger.status, stranger.str("/error")), (400, Some("unauthorized_client")));
    assert_eq!(stranger.json["error_codes"], json!([700016]));
    assert_eq!(microsoft_exchange(&microsoft, &code)?.status, 200, "failed attempts leave the code usable");

    let page = get(
        &url_with(
            &microsoft.auth_url("common"),
            &[
                ("client_id", "00000000-0000-0000-0000-000000000000"),
                ("redirect_uri", REDIRECT),
                ("response_type", "code"),
                ("scope", "openid"),
            ],
        ),
        None,
        &[],
    )?;
    assert_eq!(page.status, 400);
    assert!(page.text.contains("AADSTS700016"), "{}", page.text);
    microsoft.decline_next_consent(1);
    let declined = microsoft_authorize(&microsoft, &[])?;
    assert_eq!(declined.location_param("error").as_deref(), Some("access_denied"));
    assert!(declined.location_param("error_description").is_some_and(|d| d.starts_with("AADSTS65004")));
    Ok(())
}

#[test]
fn microsoft_refresh_tokens_need_offline_access_and_expire_after_90_idle_days() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let code = microsoft_authorize(&microsoft, &[("scope", "openid User.Read Calendars.ReadWrite")])?
        .location_param("code")
        .context("no code")?;
    let online = microsoft_exchange(&microsoft, &code)?;
    assert_eq!(online.status, 200);
    assert!(online.json.get("refresh_token").is_none(), "no offline_access: {}", online.text);

    let (access, refresh) = microsoft_connect(&microsoft, "agent1@example.test")?;
    microsoft.advance(Duration::from_secs(3600));
    let expired = get(&format!("{}/me", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.str("/error/code"), Some("InvalidAuthenticationToken"));
    assert_eq!(expired.str("/error/message"), Some("Access token has expired or is not yet valid."));
    assert!(expired.header("WWW-Authenticate").is_some_and(|h| h.starts_with("Bearer")));
    let renewed = microsoft_refresh(&microsoft, &refresh)?;
    assert_eq!(renewed.status, 200);
    let newest = renewed.str("/refresh_token").context("no refresh token")?.to_owned();
    microsoft.advance(Duration::from_secs(91 * 24 * 3600));
    let idle = microsoft_refresh(&microsoft, &newest)?;
    assert_eq!((idle.status, idle.str("/error")), (400, Some("invalid_grant")));
    assert_eq!(idle.json["error_codes"], json!([700082]));
    Ok(())
}

#[test]
fn microsoft_revoked_accounts_get_invalid_grant_and_401() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, refresh) = microsoft_connect(&microsoft, "agent1@example.test")?;
    microsoft.revoke("agent1@example.test");
    let refused = microsoft_refresh(&microsoft, &refresh)?;
    assert_eq!((refused.status, refused.str("/error")), (400, Some("invalid_grant")));
    assert_eq!(refused.json["error_codes"], json!([50173]));
    let rejected = get(&format!("{}/me/events", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!((rejected.status, rejected.str("/error/code")), (401, Some("InvalidAuthenticationToken")));
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    assert_eq!(get(&format!("{}/me/events", microsoft.api_base()), Some(&access), &[])?.status, 200);
    Ok(())
}

#[test]
fn microsoft_get_schedule_answers_in_utc_with_seven_fraction_digits() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    let created =
        create_event(&microsoft, &access, &graph_meeting("2026-12-01T15:00:00", "2026-12-01T15:30:00", "t-1"))?;
    assert_eq!(created.status, 201);
    microsoft.add_busy_as(
        "agent1@example.test",
        at("2026-12-01T13:00:00Z")?,
        at("2026-12-01T14:00:00Z")?,
        Show::Tentative,
    );
    microsoft.add_busy_as(
        "agent1@example.test",
        at("2026-12-01T09:00:00Z")?,
        at("2026-12-01T10:00:00Z")?,
        Show::OutOfOffice,
    );
    microsoft.add_busy("agent2@example.test", at("2026-12-01T10:00:00Z")?, at("2026-12-01T11:00:00Z")?);
    let mut free = graph_meeting("2026-12-01T16:00:00", "2026-12-01T17:00:00", "t-2");
    free["showAs"] = json!("free");
    assert_eq!(create_event(&microsoft, &access, &free)?.status, 201);

    let body = schedule_body(
        &["agent1@example.test", "agent2@example.test", "nobody@example.test"],
        "2026-12-01T09:00:00",
        "2026-12-01T17:00:00",
    );
    let reply = get_schedule(&microsoft, &access, &body, Some("UTC"))?;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("Preference-Applied"), Some("outlook.timezone=\"UTC\""));
    let value = reply.json["value"].as_array().context("no value")?;
    assert_eq!(value.len(), 3);
    assert_eq!(value[0]["scheduleId"], "agent1@example.test");
    // 09:00 out of office, 13:00 tentative, 15:00 busy (until 15:30), 16:00 free.
    assert_eq!(value[0]["availabilityView"], "30001020");
    let items: Vec<(String, String, String)> = value[0]["scheduleItems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["status"].as_str().unwrap_or_default().to_owned(),
                i["start"]["dateTime"].as_str().unwrap_or_default().to_owned(),
                i["end"]["timeZone"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("oof", "2026-12-01T09:00:00.0000000", "UTC"),
        ("tentative", "2026-12-01T13:00:00.0000000", "UTC"),
        ("busy", "2026-12-01T15:00:00.0000000", "UTC"),
        ("free", "2026-12-01T16:00:00.0000000", "UTC"),
    ];
    assert_eq!(items, expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())));
    let meeting = &value[0]["scheduleItems"][2];
    assert_eq!((meeting["subject"].as_str(), meeting["isPrivate"].as_bool()), (Some("Meeting with Ada"), Some(false)));
    assert_eq!(meeting["end"], json!({ "dateTime": "2026-12-01T15:30:00.0000000", "timeZone": "UTC" }));
    assert_eq!(value[0]["workingHours"]["startTime"], "08:00:00.0000000");
    assert_eq!(value[1]["availabilityView"], "02000000");
    assert_eq!(value[2]["error"]["responseCode"], "ErrorMailRecipientNotFound");
    assert_eq!(value[2]["availabilityView"], "");
    Ok(())
}

#[test]
fn microsoft_get_schedule_reads_and_writes_other_time_zones() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    microsoft.add_busy("agent1@example.test", at("2026-12-01T17:00:00Z")?, at("2026-12-01T18:00:00Z")?);
    let body = json!({
        "schedules": ["agent1@example.test"],
        "startTime": { "dateTime": "2026-12-01T08:00:00", "timeZone": "Pacific Standard Time" },
        "endTime": { "dateTime": "2026-12-01T12:00:00", "timeZone": "Pacific Standard Time" },
    });
    let reply = get_schedule(&microsoft, &access, &body, Some("Pacific Standard Time"))?;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let item = &reply.json["value"][0]["scheduleItems"][0];
    assert_eq!(
        item["start"],
        json!({ "dateTime": "2026-12-01T09:00:00.0000000", "timeZone": "Pacific Standard Time" })
    );
    assert_eq!(reply.json["value"][0]["availabilityView"], "00220000", "30-minute intervals by default");
    // Without a Prefer header, times are in UTC.
    let reply = get_schedule(&microsoft, &access, &body, None)?;
    assert_eq!(reply.json["value"][0]["scheduleItems"][0]["start"]["dateTime"], "2026-12-01T17:00:00.0000000");
    assert_eq!(reply.header("Preference-Applied"), None);
    let mut bad = body.clone();
    bad["startTime"]["timeZone"] = json!("Mars Standard Time");
    let refused = get_schedule(&microsoft, &access, &bad, None)?;
    assert_eq!((refused.status, refused.str("/error/code")), (400, Some("TimeZoneNotSupportedException")));
    Ok(())
}

#[test]
fn microsoft_events_get_a_teams_link_and_transaction_ids_are_idempotent() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    let first =
        create_event(&microsoft, &access, &graph_meeting("2026-12-01T15:00:00", "2026-12-01T15:30:00", "booking-7"))?;
    assert_eq!(first.status, 201, "{}", first.text);
    let id = first.str("/id").context("no id")?.to_owned();
    let join = first.str("/onlineMeeting/joinUrl").context("no join URL")?.to_owned();
    assert!(join.starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"), "{join}");
    assert_eq!(first.json["isOnlineMeeting"], true);
    assert_eq!(first.str("/onlineMeetingProvider"), Some("teamsForBusiness"));
    assert_eq!(first.json["start"], json!({ "dateTime": "2026-12-01T15:00:00.0000000", "timeZone": "UTC" }));
    assert_eq!(first.str("/organizer/emailAddress/address"), Some("agent1@example.test"));
    assert_eq!(first.str("/attendees/0/status/response"), Some("none"));
    assert_eq!((first.json["isCancelled"].as_bool(), first.str("/transactionId")), (Some(false), Some("booking-7")));

    let retry =
        create_event(&microsoft, &access, &graph_meeting("2026-12-01T15:00:00", "2026-12-01T15:30:00", "booking-7"))?;
    assert_eq!(retry.status, 201);
    assert_eq!(retry.str("/id"), Some(id.as_str()));
    assert_eq!(retry.str("/onlineMeeting/joinUrl"), Some(join.as_str()));
    let other =
        create_event(&microsoft, &access, &graph_meeting("2026-12-01T15:00:00", "2026-12-01T15:30:00", "booking-8"))?;
    assert_ne!(other.str("/id"), Some(id.as_str()));
    let events = microsoft.events("agent1@example.test");
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.has_meet_link && e.status == "confirmed"));
    assert_eq!(events[0].transaction_id.as_deref(), Some("booking-7"));
    assert_eq!(events[0].join_url.as_deref(), Some(join.as_str()));
    assert_eq!(events[0].attendees, ["ada@example.test"]);
    assert_eq!(events[0].summary, "Meeting with Ada");

    let mut offline = graph_meeting("2026-12-02T15:00:00", "2026-12-02T15:30:00", "booking-9");
    offline["isOnlineMeeting"] = json!(false);
    let offline = create_event(&microsoft, &access, &offline)?;
    assert_eq!(offline.json["onlineMeeting"], Value::Null);
    let backwards =
        create_event(&microsoft, &access, &graph_meeting("2026-12-02T15:00:00", "2026-12-02T14:00:00", "booking-10"))?;
    assert_eq!(
        (backwards.status, backwards.str("/error/code")),
        (400, Some("ErrorCalendarEndDateIsEarlierThanStartDate"))
    );
    let garbage = send_json("POST", &format!("{}/me/events", microsoft.api_base()), &access, None, &[])?;
    assert_eq!(garbage.status, 400);
    Ok(())
}

#[test]
fn microsoft_events_are_patched_cancelled_and_deleted() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    let created =
        create_event(&microsoft, &access, &graph_meeting("2026-12-01T15:00:00", "2026-12-01T15:30:00", "b-1"))?;
    let id = created.str("/id").context("no id")?.to_owned();
    let url = format!("{}/me/events/{id}", microsoft.api_base());
    let patched = send_json(
        "PATCH",
        &url,
        &access,
        Some(
            &json!({ "start": { "dateTime": "2026-12-02T10:00:00", "timeZone": "UTC" }, "end": { "dateTime": "2026-12-02T10:30:00", "timeZone": "UTC" } }),
        ),
        &[UTC_PREFERRED],
    )?;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.str("/start/dateTime"), Some("2026-12-02T10:00:00.0000000"));
    assert_eq!(patched.str("/subject"), Some("Meeting with Ada"));
    assert_eq!(patched.str("/onlineMeeting/joinUrl"), created.str("/onlineMeeting/joinUrl"), "the Teams link survives");
    assert_ne!(patched.str("/changeKey"), created.str("/changeKey"));
    assert_eq!(microsoft.events("agent1@example.test")[0].start, at("2026-12-02T10:00:00Z")?);

    let window = schedule_body(&["agent1@example.test"], "2026-12-02T09:00:00", "2026-12-02T12:00:00");
    assert_eq!(get_schedule(&microsoft, &access, &window, Some("UTC"))?.json["value"][0]["availabilityView"], "020");
    let cancelled = send_json("POST", &format!("{url}/cancel"), &access, Some(&json!({ "comment": "Sorry" })), &[])?;
    assert_eq!((cancelled.status, cancelled.text.as_str()), (202, ""));
    assert_eq!(microsoft.events("agent1@example.test")[0].status, "cancelled");
    assert_eq!(get_schedule(&microsoft, &access, &window, Some("UTC"))?.json["value"][0]["availabilityView"], "000");
    let fetched = get(&url, Some(&access), &[])?;
    assert_eq!((fetched.status, fetched.json["isCancelled"].as_bool()), (200, Some(true)));
    let list = get(&format!("{}/me/events", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!(list.json["value"], json!([]));

    assert_eq!(send_json("DELETE", &url, &access, None, &[])?.status, 204);
    let gone = get(&url, Some(&access), &[])?;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.str("/error/code"), Some("ErrorItemNotFound"));
    assert!(gone.json["error"]["innerError"].get("request-id").is_some());
    assert_eq!(send_json("DELETE", &url, &access, None, &[])?.status, 404);
    assert_eq!(send_json("POST", &format!("{url}/cancel"), &access, None, &[])?.status, 404);
    Ok(())
}

#[test]
fn microsoft_event_lists_page_by_ten_and_calendar_views_filter() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    for day in 1..=12 {
        let start = format!("2026-12-{day:02}T10:00:00");
        let end = format!("2026-12-{day:02}T11:00:00");
        assert_eq!(create_event(&microsoft, &access, &graph_meeting(&start, &end, &format!("t-{day}")))?.status, 201);
    }
    let first = get(&format!("{}/me/events", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!(first.json["value"].as_array().map(Vec::len), Some(10));
    let next = first.str("/@odata.nextLink").context("no next link")?.to_owned();
    assert!(next.starts_with(&microsoft.api_base()), "{next}");
    let second = get(&next, Some(&access), &[])?;
    assert_eq!(second.json["value"].as_array().map(Vec::len), Some(2));
    assert!(second.json.get("@odata.nextLink").is_none());

    let view = get(
        &url_with(
            &format!("{}/me/calendarView", microsoft.api_base()),
            &[("startDateTime", "2026-12-03T00:00:00Z"), ("endDateTime", "2026-12-05T10:30:00Z")],
        ),
        Some(&access),
        &[],
    )?;
    let starts: Vec<&str> =
        view.json["value"].as_array().into_iter().flatten().filter_map(|e| e["start"]["dateTime"].as_str()).collect();
    assert_eq!(starts, ["2026-12-03T10:00:00.0000000", "2026-12-04T10:00:00.0000000", "2026-12-05T10:00:00.0000000"]);
    let no_window = get(&format!("{}/me/calendarView", microsoft.api_base()), Some(&access), &[])?;
    assert_eq!((no_window.status, no_window.str("/error/code")), (400, Some("ErrorInvalidParameter")));
    Ok(())
}

#[test]
fn microsoft_injected_faults_answer_429_503_504_and_throttling() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, refresh) = microsoft_connect(&microsoft, "agent1@example.test")?;
    let call = || get(&format!("{}/me/events", microsoft.api_base()), Some(&access), &[]);
    microsoft.fail_next(1, Fault::TooManyRequests);
    microsoft.fail_next(1, Fault::RateLimit);
    microsoft.fail_next(1, Fault::Status(503));
    microsoft.fail_next(1, Fault::Status(504));
    microsoft.fail_next(1, Fault::Status(404));
    let throttled = call()?;
    assert_eq!(throttled.status, 429);
    assert_eq!(throttled.header("Retry-After"), Some("1"));
    assert_eq!(throttled.str("/error/code"), Some("TooManyRequests"));
    let mailbox = call()?;
    assert_eq!(
        (mailbox.status, mailbox.str("/error/code"), mailbox.header("Retry-After")),
        (429, Some("ApplicationThrottled"), Some("1"))
    );
    let unavailable = call()?;
    assert_eq!((unavailable.status, unavailable.str("/error/code")), (503, Some("serviceNotAvailable")));
    let gateway = call()?;
    assert_eq!(gateway.status, 504);
    let missing = call()?;
    assert_eq!((missing.status, missing.str("/error/code")), (404, Some("ErrorItemNotFound")));
    assert_eq!(call()?.status, 200);

    microsoft.fail_next_on("/common/oauth2/v2.0/token", 1, Fault::TooManyRequests);
    let token = microsoft_refresh(&microsoft, &refresh)?;
    assert_eq!(
        (token.status, token.str("/error"), token.header("Retry-After")),
        (429, Some("temporarily_unavailable"), Some("1"))
    );
    microsoft.fail_next_on("/common/oauth2/v2.0/token", 1, Fault::Status(500));
    let token = microsoft_refresh(&microsoft, &refresh)?;
    assert_eq!((token.status, token.json["error_codes"][0].as_u64()), (500, Some(50000)));
    assert_eq!(microsoft_refresh(&microsoft, &refresh)?.status, 200);
    Ok(())
}

#[test]
fn microsoft_timeout_holds_one_call_without_blocking_others_and_drop_stops_promptly() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    let (access, _) = microsoft_connect(&microsoft, "agent1@example.test")?;
    microsoft.set_timeout_hold(Duration::from_secs(3));
    microsoft.fail_next(1, Fault::Timeout);
    let url = format!("{}/me/calendar/getSchedule", microsoft.api_base());
    let body = schedule_body(&["agent1@example.test"], "2026-12-01T09:00:00", "2026-12-01T12:00:00");
    let token = access.clone();
    let (held_url, held_body) = (url.clone(), body.clone());
    let held = std::thread::spawn(move || {
        let started = Instant::now();
        let result = agent(Duration::from_secs(30))
            .post(&held_url)
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(&held_body);
        (result.is_err(), started.elapsed())
    });
    eventually("the held call", || microsoft.calls().iter().any(|c| c.fault == Some(Fault::Timeout)))?;
    let started = Instant::now();
    assert_eq!(get_schedule(&microsoft, &access, &body, Some("UTC"))?.status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    // After the hold the connection closes without an answer.
    let (failed, waited) = held.join().map_err(|_| anyhow::anyhow!("the client thread panicked"))?;
    assert!(failed, "the held call got an answer");
    assert!(waited >= Duration::from_millis(2900) && waited < Duration::from_secs(10), "{waited:?}");

    microsoft.set_timeout_hold(Duration::from_secs(60));
    microsoft.fail_next(1, Fault::Timeout);
    let patient = std::thread::spawn(move || {
        let started = Instant::now();
        let result = agent(Duration::from_secs(60))
            .post(&url)
            .set("Authorization", &format!("Bearer {access}"))
            .send_json(&body);
        (result.is_err(), started.elapsed())
    });
    eventually("the second held call", || {
        microsoft.calls().iter().filter(|c| c.fault == Some(Fault::Timeout)).count() == 2
    })?;
    let started = Instant::now();
    drop(microsoft);
    assert!(started.elapsed() < Duration::from_secs(2), "drop took {:?}", started.elapsed());
    let (failed, waited) = patient.join().map_err(|_| anyhow::anyhow!("the client thread panicked"))?;
    assert!(failed && waited < Duration::from_secs(10), "{failed} {waited:?}");
    Ok(())
}
