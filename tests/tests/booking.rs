//! A visitor books a meeting: round-robin order, concurrency, errors, persistence; all over
//! HTTP against the real runtime.

use anyhow::{Result, ensure};
use confab_e2e::{DEMO_ORIGIN, TestApp};
use std::collections::HashMap;
use std::sync::{Arc, Barrier};

fn agent_of(reply: &confab_e2e::Reply) -> String {
    reply.json["agent"]["id"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn ten_sequential_bookings_follow_the_round_robin_order() -> Result<()> {
    let app = TestApp::start("sequential")?;
    let slots = app.slot_starts(14)?;
    ensure!(slots.len() >= 10, "expected at least 10 free slots, got {}", slots.len());
    let mut agents = Vec::new();
    for (i, start) in slots.iter().take(10).enumerate() {
        let r = app.book(start, &format!("visitor{i}@example.com"))?;
        ensure!(r.status == 201, "booking {i} answered {}: {}", r.status, r.json);
        ensure!(r.allow_origin.as_deref() == Some(DEMO_ORIGIN), "CORS header missing");
        agents.push(agent_of(&r));
    }
    let expected: Vec<String> = (0..10).map(|i| format!("agent-{}", i % 5 + 1)).collect();
    assert_eq!(agents, expected);
    let routing = app.get("/api/admin/v1/routing", None, Some(&app.sign_in()?))?;
    assert_eq!(routing.json["next"], "agent-1");
    for i in 1..=5 {
        assert_eq!(routing.json["totals"][format!("agent-{i}")], 2);
    }
    Ok(())
}

#[test]
fn fifty_concurrent_bookings_for_one_time_make_exactly_five_meetings() -> Result<()> {
    let app = Arc::new(TestApp::start("concurrent")?);
    let start = app.slot_starts(14)?.into_iter().nth(2).ok_or_else(|| anyhow::anyhow!("no slots"))?;
    let barrier = Arc::new(Barrier::new(50));
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let (app, barrier, start) = (app.clone(), barrier.clone(), start.clone());
            std::thread::spawn(move || {
                barrier.wait();
                app.book(&start, &format!("racer{i}@example.com"))
            })
        })
        .collect();
    let mut created = Vec::new();
    let mut conflicts = 0;
    for h in handles {
        let r = h.join().map_err(|_| anyhow::anyhow!("thread panicked"))??;
        match r.status {
            201 => created.push(agent_of(&r)),
            409 => {
                assert_eq!(r.error_code(), Some("slot_taken"));
                conflicts += 1;
            }
            other => anyhow::bail!("unexpected status {other}: {}", r.json),
        }
    }
    created.sort();
    assert_eq!(created, ["agent-1", "agent-2", "agent-3", "agent-4", "agent-5"]);
    assert_eq!(conflicts, 45);
    // No agent has overlapping meetings, as stored.
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&app.sign_in()?))?;
    let list = meetings.json["meetings"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 5);
    let mut by_agent: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for m in &list {
        let key = m["agent"]["id"].as_str().unwrap_or_default().to_owned();
        let span =
            (m["start"].as_str().unwrap_or_default().to_owned(), m["end"].as_str().unwrap_or_default().to_owned());
        by_agent.entry(key).or_default().push(span);
    }
    for (agent, spans) in by_agent {
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                assert!(a.1 <= b.0 || b.1 <= a.0, "{agent} has overlapping meetings {a:?} and {b:?}");
            }
        }
    }
    Ok(())
}

/// Two hundred bookings at once across twenty start times, half of them for an hour and
/// half for half an hour (so meetings of different lengths compete for overlapping time):
/// every request gets a meeting or a 409, no time gets more than five meetings, and no agent
/// ever has two meetings that overlap.
#[test]
fn two_hundred_concurrent_bookings_across_twenty_times_never_overlap() -> Result<()> {
    let app = Arc::new(TestApp::start("concurrent-200")?);
    let hourly = slot_starts_of(&app, 60)?;
    let halves = slot_starts_of(&app, 30)?;
    // Ten hour slots and the ten half-hour slots inside them: every half-hour meeting overlaps
    // an hour meeting.
    let hours: Vec<String> = hourly.into_iter().take(10).collect();
    let inside: Vec<String> = halves.into_iter().filter(|h| hours.iter().any(|s| same_hour(s, h))).take(10).collect();
    ensure!(
        hours.len() == 10 && inside.len() == 10,
        "not enough slots: {} hours, {} halves",
        hours.len(),
        inside.len()
    );
    let requests: Vec<(String, u32)> = (0..200)
        .map(|i| if i % 2 == 0 { (hours[i / 2 % 10].clone(), 60) } else { (inside[i / 2 % 10].clone(), 30) })
        .collect();
    let barrier = Arc::new(Barrier::new(requests.len()));
    let handles: Vec<_> = requests
        .into_iter()
        .enumerate()
        .map(|(i, (start, minutes))| {
            let (app, barrier) = (app.clone(), barrier.clone());
            std::thread::spawn(move || {
                let body = serde_json::json!({ "start": start, "email": format!("load{i}@example.com"), "duration_minutes": minutes });
                barrier.wait();
                app.post("/api/v1/sites/demo/bookings", &body.to_string(), Some(DEMO_ORIGIN), None)
            })
        })
        .collect();
    let (mut created, mut conflicts) = (0, 0);
    for h in handles {
        let r = h.join().map_err(|_| anyhow::anyhow!("thread panicked"))??;
        match r.status {
            201 => created += 1,
            409 => {
                ensure!(r.error_code() == Some("slot_taken"), "409 without slot_taken: {}", r.json);
                conflicts += 1;
            }
            other => anyhow::bail!("unexpected status {other}: {}", r.json),
        }
    }
    ensure!(created + conflicts == 200, "{created} created + {conflicts} conflicts");
    let meetings = app.get("/api/admin/v1/meetings?limit=500", None, Some(&app.sign_in()?))?;
    let list = meetings.json["meetings"].as_array().cloned().unwrap_or_default();
    ensure!(list.len() == created, "{} stored, {created} created", list.len());
    ensure!(created >= 10, "only {created} meetings were made for 200 requests over 20 times");
    let mut per_start: HashMap<String, usize> = HashMap::new();
    let mut by_agent: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    for m in &list {
        let start = m["start"].as_str().unwrap_or_default();
        *per_start.entry(start.to_owned()).or_default() += 1;
        let span = (millis(start)?, millis(m["end"].as_str().unwrap_or_default())?);
        by_agent.entry(m["agent"]["id"].as_str().unwrap_or_default().to_owned()).or_default().push(span);
    }
    for (start, n) in &per_start {
        ensure!(*n <= 5, "{n} meetings start at {start}");
    }
    for (agent, spans) in by_agent {
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                ensure!(a.1 <= b.0 || b.1 <= a.0, "{agent} has overlapping meetings {a:?} and {b:?}");
            }
        }
    }
    Ok(())
}

fn slot_starts_of(app: &TestApp, minutes: u32) -> Result<Vec<String>> {
    let r = app.get(&format!("/api/v1/sites/demo/slots?days=14&tz=UTC&duration={minutes}"), Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 200, "slots answered {}: {}", r.status, r.json);
    Ok(r.json["slots"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["start"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default())
}

fn millis(rfc3339: &str) -> Result<i64> {
    Ok(chrono::DateTime::parse_from_rfc3339(rfc3339)?.timestamp_millis())
}

/// Whether the half-hour slot `half` starts within the hour slot `hour`.
fn same_hour(hour: &str, half: &str) -> bool {
    match (millis(hour), millis(half)) {
        (Ok(h), Ok(x)) => x >= h && x < h + 3_600_000,
        _ => false,
    }
}

#[test]
fn bad_requests_get_the_documented_errors() -> Result<()> {
    let app = TestApp::start("errors")?;
    let slot = app.slot_starts(14)?.into_iter().next().ok_or_else(|| anyhow::anyhow!("no slots"))?;
    let post = |site: &str, body: &str, origin: &str| {
        app.post(&format!("/api/v1/sites/{site}/bookings"), body, Some(origin), None)
    };

    let r = post("demo", "{not json", DEMO_ORIGIN)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_json")));

    let r = post("nope", &serde_json::json!({ "start": slot, "email": "a@example.com" }).to_string(), DEMO_ORIGIN)?;
    assert_eq!((r.status, r.error_code()), (404, Some("not_found")));

    let r = post("demo", &serde_json::json!({ "start": slot, "email": "not-an-email" }).to_string(), DEMO_ORIGIN)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_email")));
    assert!(r.json["error"]["message"].as_str().unwrap_or_default().contains("valid email"));

    // 08:00 UTC is 03:00 or 04:00 in New York, outside every agent's 09:00–17:00.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%dT08:00:00Z").to_string();
    let r = post("demo", &serde_json::json!({ "start": tomorrow, "email": "a@example.com" }).to_string(), DEMO_ORIGIN)?;
    assert_eq!((r.status, r.error_code()), (400, Some("not_a_slot")));

    let r = post(
        "demo",
        &serde_json::json!({ "start": "tomorrow at noon", "email": "a@example.com" }).to_string(),
        DEMO_ORIGIN,
    )?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_start")));

    let r = post(
        "demo",
        &serde_json::json!({ "start": slot, "email": "a@example.com" }).to_string(),
        "https://evil.example",
    )?;
    assert_eq!((r.status, r.error_code()), (403, Some("origin_not_allowed")));
    assert_eq!(r.allow_origin, None);
    let r = app.get("/api/v1/sites/demo/bootstrap", None, None)?;
    assert_eq!((r.status, r.error_code()), (403, Some("origin_not_allowed")));

    let r = app.get("/api/v1/sites/demo/slots?tz=Mars/Base", Some(DEMO_ORIGIN), None)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_time_zone")));

    let big = format!("{{\"start\":\"{slot}\",\"email\":\"a@example.com\",\"name\":\"{}\"}}", "x".repeat(20_000));
    let r = post("demo", &big, DEMO_ORIGIN)?;
    assert_eq!((r.status, r.error_code()), (413, Some("too_large")));

    // None of the refused requests stored anything.
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&app.sign_in()?))?;
    assert_eq!(meetings.json["meetings"].as_array().map(Vec::len), Some(0));
    Ok(())
}

/// A second dialogue, published and of higher priority, for pricing pages only.
const PRICING_DIALOGUE: &str = r#"
INSERT INTO dialogues (id, site_id, name, priority, published_version, audience)
  VALUES ('pricing', 'demo', 'Pricing help', 20, 1, '{"pages":{"include":["*/pricing*"],"exclude":["*/pricing/enterprise"]}}');
INSERT INTO dialogue_versions (dialogue_id, version, flow, published_at)
  VALUES ('pricing', 1, '{"start":"hi","cards":[{"type":"message","id":"hi","text":"Questions about pricing?","next":null}]}', '2026-01-01T00:00:00Z');
"#;

#[test]
fn bootstrap_targets_the_page_and_slots_answer_in_the_visitors_zone() -> Result<()> {
    let app = TestApp::with_sql("bootstrap", PRICING_DIALOGUE)?;
    let bootstrap = |url: &str| -> Result<String> {
        let path = format!("/api/v1/sites/demo/bootstrap?url={}", url.replace(':', "%3A").replace('/', "%2F"));
        let r = app.get(&path, Some(DEMO_ORIGIN), None)?;
        ensure!(r.status == 200, "bootstrap answered {}: {}", r.status, r.json);
        Ok(r.json["dialogue"]["id"].as_str().unwrap_or("none").to_owned())
    };
    assert_eq!(bootstrap("http://127.0.0.1:8080/")?, "welcome");
    assert_eq!(bootstrap("http://127.0.0.1:8080/pricing?utm_source=ad")?, "pricing");
    assert_eq!(bootstrap("http://127.0.0.1:8080/pricing/enterprise")?, "welcome");
    let r = app.get("/api/v1/sites/demo/bootstrap", Some(DEMO_ORIGIN), None)?;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["dialogue"]["flow"]["start"], "greeting");
    assert_eq!(r.json["branding"]["bot_name"], "Confab demo");
    let r = app.get("/api/v1/sites/demo/slots?days=7&tz=Asia/Kolkata", Some(DEMO_ORIGIN), None)?;
    let first = r.json["slots"][0]["start"].as_str().unwrap_or_default().to_owned();
    assert!(first.ends_with("+05:30"), "slot {first} is not in the visitor's zone");
    let widget = ureq::get(&format!("{}/widget.js", app.base())).call()?;
    assert_eq!(widget.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(widget.into_string()?.contains("attachShadow"));
    Ok(())
}

#[test]
fn data_survives_a_restart() -> Result<()> {
    let mut app = TestApp::start("restart")?;
    let slots = app.slot_starts(14)?;
    for (i, start) in slots.iter().take(3).enumerate() {
        ensure!(app.book(start, &format!("keep{i}@example.com"))?.status == 201);
    }
    app.restart()?;
    let cookie = app.sign_in()?;
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&cookie))?;
    let emails: Vec<&str> = meetings.json["meetings"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(emails, ["keep0@example.com", "keep1@example.com", "keep2@example.com"]);
    // The round robin continues where it was: agents 1–3 took the first three, 4 is next.
    let routing = app.get("/api/admin/v1/routing", None, Some(&cookie))?;
    assert_eq!(routing.json["next"], "agent-4");
    let r = app.book(&slots[3], "after@example.com")?;
    assert_eq!(agent_of(&r), "agent-4");
    Ok(())
}

#[test]
fn an_agents_daily_cap_holds_for_slots_and_bookings() -> Result<()> {
    let app = TestApp::with_sql("daily-cap", "UPDATE agents SET rules = '{\"daily_cap\":1}';")?;
    let local = |days: u32| -> Result<Vec<String>> {
        let r =
            app.get(&format!("/api/v1/sites/demo/slots?days={days}&tz=America/New_York"), Some(DEMO_ORIGIN), None)?;
        Ok(r.json["slots"]
            .as_array()
            .map(|a| a.iter().filter_map(|s| s["start"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default())
    };
    let before = local(14)?;
    // The first day with at least two free slots (today may have only one left).
    let (first, other) = before
        .windows(2)
        .find(|w| w[0][..10] == w[1][..10])
        .map(|w| (w[0].clone(), w[1].clone()))
        .ok_or_else(|| anyhow::anyhow!("no day with two slots"))?;
    let day = first[..10].to_owned();
    for i in 0..5 {
        let r = app.book(&first, &format!("cap{i}@example.com"))?;
        ensure!(r.status == 201, "booking {i} answered {}: {}", r.status, r.json);
    }
    // Every agent has had their one meeting of that day: the day disappears from the slots …
    let after = local(14)?;
    assert!(
        after.iter().all(|s| !s.starts_with(&day)),
        "{day} still offers {:?}",
        after.iter().find(|s| s.starts_with(&day))
    );
    assert!(after.len() < before.len());
    // … and a booking at another free-looking time that day is refused by the routing pool.
    let r = app.book(&other, "sixth@example.com")?;
    assert_eq!((r.status, r.error_code()), (409, Some("slot_taken")));
    Ok(())
}

#[test]
fn a_retried_booking_returns_the_same_meeting_and_its_invitation() -> Result<()> {
    let app = Arc::new(TestApp::start("idempotency")?);
    let slots = app.slot_starts(14)?;
    // Ten racing copies of one request (same key) make one meeting.
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let (app, start) = (app.clone(), slots[0].clone());
            std::thread::spawn(move || app.book_with_key(&start, "retry@example.com", "attempt-1"))
        })
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        let r = h.join().map_err(|_| anyhow::anyhow!("thread panicked"))??;
        ensure!(r.status == 201, "answered {}: {}", r.status, r.json);
        ids.push(r.json["meeting_id"].as_str().unwrap_or_default().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one key, one meeting: {ids:?}");
    // Later, the same key still answers with that meeting; a new key books anew.
    let again = app.book_with_key(&slots[0], "retry@example.com", "attempt-1")?;
    assert_eq!(again.json["meeting_id"], ids[0].as_str());
    let other = app.book_with_key(&slots[0], "retry@example.com", "attempt-2")?;
    assert_eq!(other.status, 201);
    assert_ne!(other.json["meeting_id"], ids[0].as_str());
    let bad = app.book_with_key(&slots[0], "retry@example.com", "not a key!")?;
    assert_eq!((bad.status, bad.error_code()), (400, Some("invalid_idempotency_key")));
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&app.sign_in()?))?;
    assert_eq!(meetings.json["meetings"].as_array().map(Vec::len), Some(2));

    // The signed invitation: an RFC 5545 request naming the agent and the visitor.
    let first = app.book(&slots[1], "ics@example.com")?;
    let url = first.json["invite_url"].as_str().unwrap_or_default().to_owned();
    ensure!(url.contains("/api/v1/invites/demo/") && url.contains("sig="), "invite_url {url}");
    let ics = ureq::get(&url).call()?;
    assert!(ics.content_type().starts_with("text/calendar"));
    // Unfold (RFC 5545 §3.1) before looking for values.
    let body = ics.into_string()?.replace("\r\n ", "");
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert!(body.contains("\r\nMETHOD:REQUEST\r\n"));
    assert!(body.contains("mailto:ics@example.com"));
    assert!(
        body.contains(&format!("SUMMARY:Meeting with {}", first.json["agent"]["name"].as_str().unwrap_or_default()))
    );
    // A tampered signature, or another meeting's id under this signature, finds nothing.
    let flipped = if url.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{flipped}", &url[..url.len() - 1]);
    let r = app.get(&tampered[app.base().len()..], None, None)?;
    assert_eq!(r.status, 404);
    let other_id = other.json["meeting_id"].as_str().unwrap_or_default();
    let swapped = url.replace(first.json["meeting_id"].as_str().unwrap_or_default(), other_id);
    assert_eq!(app.get(&swapped[app.base().len()..], None, None)?.status, 404);
    Ok(())
}

/// Sends `request` until the edge answers 429 or `max` requests were sent; answers how many
/// succeeded before the first 429, and that 429.
fn until_limited(
    max: usize,
    mut request: impl FnMut(usize) -> Result<confab_e2e::Reply>,
) -> Result<(usize, confab_e2e::Reply)> {
    for i in 0..max {
        let r = request(i)?;
        match r.status {
            429 => return Ok((i, r)),
            s if s < 300 => {}
            s => anyhow::bail!("request {i} answered {s}: {}", r.json),
        }
    }
    anyhow::bail!("{max} requests and never limited")
}

#[test]
fn one_visitor_flooding_the_widget_api_is_limited_and_others_are_not() -> Result<()> {
    let app = TestApp::start("limits-visitor")?;
    let event = |visitor: &str, i: usize| {
        let body = serde_json::json!({
            "visitor_id": visitor, "session_id": "s1", "dialogue": "welcome", "version": 1,
            "kind": "answer", "card": "intent", "value": format!("answer {i}"),
        });
        app.post("/api/v1/sites/demo/events", &body.to_string(), Some(DEMO_ORIGIN), None)
    };
    // 120 writes a minute per visitor (wrangler.toml). The window is fixed, so one that ends
    // during the flood lets up to twice that through before the first refusal.
    let (allowed, refused) = until_limited(300, |i| event("flooder", i))?;
    assert!(allowed >= 120, "refused after only {allowed} events");
    assert_eq!(refused.error_code(), Some("rate_limited"), "{}", refused.json);
    assert_eq!(refused.retry_after.as_deref(), Some("60"));
    // The widget can read the refusal: it carries the page's CORS header.
    assert_eq!(refused.allow_origin.as_deref(), Some(DEMO_ORIGIN));
    // Another visitor (same address) is not affected.
    let other = event("someone-else", 0)?;
    assert_eq!(other.status, 202, "{}", other.json);
    // Bookings by the flooding visitor are refused too, and nothing is booked.
    let slot = app.slot_starts(14)?.into_iter().next().ok_or_else(|| anyhow::anyhow!("no slots"))?;
    let body = serde_json::json!({ "start": slot, "email": "flood@example.com", "visitor_id": "flooder" });
    let r = app.post("/api/v1/sites/demo/bookings", &body.to_string(), Some(DEMO_ORIGIN), None)?;
    assert_eq!((r.status, r.error_code()), (429, Some("rate_limited")), "{}", r.json);
    let session = app.sign_in()?;
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&session))?;
    assert_eq!(meetings.json["total"], 0, "a refused booking was stored: {}", meetings.json);
    Ok(())
}

#[test]
fn one_address_flooding_the_widget_api_is_limited() -> Result<()> {
    let app = TestApp::start("limits-address")?;
    // 1,200 requests a minute per address (wrangler.toml); see above for the fixed window.
    let (allowed, refused) =
        until_limited(3_000, |_| app.get("/api/v1/sites/demo/triggers?url=", Some(DEMO_ORIGIN), None))?;
    assert!(allowed >= 1_200, "refused after only {allowed} requests");
    assert_eq!(refused.error_code(), Some("rate_limited"), "{}", refused.json);
    assert_eq!(refused.retry_after.as_deref(), Some("60"));
    assert!(refused.json["error"]["message"].as_str().is_some_and(|m| m.contains("wait a minute")), "{}", refused.json);
    Ok(())
}
