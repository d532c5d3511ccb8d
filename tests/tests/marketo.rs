//! Marketo through the real edge against the fake Marketo over HTTP: identity from the
//! Munchkin cookie (local store first, Marketo within 300 ms, upgrade afterwards), email
//! capture (createOrUpdate + associate, blocked domains), activity write-back through the
//! outbox across an outage, and the shared call budget.

use anyhow::{Result, bail, ensure};
use confab_domain::demo;
use confab_e2e::fake_marketo::{FakeMarketo, FakeMarketoConfig, Fault, SYNTHETIC_FIELDS};
use confab_e2e::{DEMO_ORIGIN, Reply, TestApp};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const COOKIE_A: &str = "id:123-ABC-456&token:_mch-example.test-1700000000001-11111";
const COOKIE_B: &str = "id:123-ABC-456&token:_mch-example.test-1700000000002-22222";

/// Compressed backoff and polling so outages resolve within seconds.
const FAST: &[(&str, &str)] = &[("MARKETO_BACKOFF_MS", "100"), ("MARKETO_POLL_MS", "100")];

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn bootstrap(app: &TestApp, cookie: &str) -> Result<Reply> {
    let r = app.get(&format!("/api/v1/sites/demo/bootstrap?url=&mkto={}", encode(cookie)), Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 200, "bootstrap answered {}: {}", r.status, r.json);
    Ok(r)
}

fn identity(app: &TestApp, cookie: &str) -> Result<Value> {
    let r = app.get(&format!("/api/v1/sites/demo/identity?mkto={}", encode(cookie)), Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 200, "identity answered {}: {}", r.status, r.json);
    Ok(r.json)
}

fn identify(app: &TestApp, email: &str, cookie: Option<&str>) -> Result<Reply> {
    let body = json!({ "email": email, "mkto": cookie }).to_string();
    app.post("/api/v1/sites/demo/identify", &body, Some(DEMO_ORIGIN), None)
}

/// Polls `check` every 100 ms until it returns `Some`, for at most `limit`.
fn eventually<T>(limit: Duration, what: &str, mut check: impl FnMut() -> Result<Option<T>>) -> Result<T> {
    let start = Instant::now();
    loop {
        if let Some(found) = check()? {
            return Ok(found);
        }
        if start.elapsed() > limit {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_cookie_the_edge_knows_is_answered_from_the_local_store_without_marketo() -> Result<()> {
    let app = TestApp::start("marketo-local-cookie")?;
    let r = bootstrap(&app, demo::KNOWN_COOKIE)?;
    assert_eq!(r.json["visitor"]["known"], true, "{}", r.json);
    assert_eq!(r.json["visitor"]["attributes"]["firstName"], "Ada");
    assert_eq!(r.json["visitor"]["pending"], false);
    // Unknown and malformed cookies are anonymous, never an error.
    for cookie in [COOKIE_A, "garbage", ""] {
        let r = bootstrap(&app, cookie)?;
        assert_eq!(r.json["visitor"]["known"], false, "{cookie}: {}", r.json);
    }
    // Marketo is not configured: the admin is told so.
    let session = app.sign_in()?;
    let status = app.get("/api/admin/v1/marketo", None, Some(&session))?;
    assert_eq!(status.json["configured"], false, "{}", status.json);
    Ok(())
}

#[test]
fn a_cookie_marketo_knows_is_looked_up_once_then_answered_locally() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    marketo.insert_lead(json!({ "email": "grace@marketo.test", "firstName": "Grace", "cookies": COOKIE_A }))?;
    let app = TestApp::with_marketo("marketo-cookie-lookup", &marketo, FAST)?;
    let first = bootstrap(&app, COOKIE_A)?;
    // Within 300 ms Marketo's answer makes the visitor known; if the machine was slower the
    // bootstrap says "pending" and the identity endpoint has the answer shortly after.
    let visitor = if first.json["visitor"]["known"] == true {
        first.json["visitor"].clone()
    } else {
        assert_eq!(first.json["visitor"]["pending"], true, "{}", first.json);
        eventually(Duration::from_secs(10), "the cookie lookup", || {
            let v = identity(&app, COOKIE_A)?;
            Ok((v["known"] == true).then_some(v))
        })?
    };
    assert_eq!(visitor["attributes"]["firstName"], "Grace", "{visitor}");
    let lookups = |m: &FakeMarketo| m.calls().iter().filter(|c| c.param("filterType") == Some("cookies")).count();
    let asked = lookups(&marketo);
    assert!(asked >= 1, "Marketo was never asked");
    for _ in 0..3 {
        let again = bootstrap(&app, COOKIE_A)?;
        assert_eq!(again.json["visitor"]["attributes"]["firstName"], "Grace");
    }
    assert_eq!(lookups(&marketo), asked, "known cookies must be answered from D1");
    // A cookie Marketo does not know is asked once, then remembered as anonymous.
    bootstrap(&app, COOKIE_B)?;
    let before = lookups(&marketo);
    eventually(Duration::from_secs(10), "the unknown cookie to be settled", || {
        Ok((identity(&app, COOKIE_B)?["pending"] == false).then_some(()))
    })?;
    bootstrap(&app, COOKIE_B)?;
    assert!(lookups(&marketo) <= before + 1, "an unknown cookie is not asked about on every page");
    Ok(())
}

#[test]
fn a_slow_marketo_never_holds_the_visitor_and_the_answer_upgrades_them() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    marketo.insert_lead(json!({ "email": "slow@marketo.test", "firstName": "Slow", "cookies": COOKIE_A }))?;
    let app = TestApp::with_marketo("marketo-slow", &marketo, FAST)?;
    marketo.set_delay(Duration::from_secs(2));
    let first = bootstrap(&app, COOKIE_A)?;
    // Marketo takes 2 s; the bootstrap gave up after 300 ms and says the answer is pending.
    assert_eq!(first.json["visitor"]["known"], false, "{}", first.json);
    assert_eq!(first.json["visitor"]["pending"], true, "{}", first.json);
    assert!(first.json["dialogue"].is_object(), "the anonymous dialogue starts at once");
    let upgraded = eventually(Duration::from_secs(15), "the background lookup", || {
        let v = identity(&app, COOKIE_A)?;
        Ok((v["known"] == true).then_some(v))
    })?;
    assert_eq!(upgraded["attributes"]["firstName"], "Slow");
    Ok(())
}

#[test]
fn an_email_makes_an_anonymous_visitor_known_here_and_in_marketo() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    let app = TestApp::with_marketo("marketo-identify", &marketo, FAST)?;
    let r = bootstrap(&app, COOKIE_B)?;
    assert_eq!(r.json["visitor"]["known"], false);

    // Marketo is unavailable when the visitor types their email: the visitor does not notice,
    // and the lead and cookie reach Marketo from the outbox once it is back.
    marketo.inject(Fault::Marketo(608), 4);
    marketo.inject(Fault::Http(503), 4);
    let r = identify(&app, "New.Person@Acme.test", Some(COOKIE_B))?;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["known"], true);
    assert_eq!(r.json["attributes"]["email"], "new.person@acme.test");
    // Next page, same cookie: known at once, from the local store.
    let next = bootstrap(&app, COOKIE_B)?;
    assert_eq!(next.json["visitor"]["known"], true, "{}", next.json);
    assert_eq!(next.json["visitor"]["attributes"]["email"], "new.person@acme.test");
    // Marketo got the lead (createOrUpdate) and the cookie (associate).
    let lead = eventually(Duration::from_secs(30), "the lead in Marketo", || {
        Ok(marketo.leads().into_iter().find(|l| l["email"] == "new.person@acme.test"))
    })?;
    let id = lead["id"].as_i64().unwrap_or_default();
    eventually(Duration::from_secs(10), "the cookie association", || {
        Ok(marketo.calls().iter().any(|c| c.path == format!("/rest/v1/leads/{id}/associate.json")).then_some(()))
    })?;
    // Marketo now resolves that cookie to the lead too.
    let by_cookie = marketo
        .calls()
        .iter()
        .filter(|c| c.path.ends_with("associate.json"))
        .filter_map(|c| c.param("cookie").map(str::to_owned))
        .collect::<Vec<_>>();
    assert_eq!(by_cookie, vec![COOKIE_B.to_owned()]);

    // Bad emails are refused with the reason.
    let r = identify(&app, "not an email", None)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_email")));
    Ok(())
}

#[test]
fn blocked_email_domains_are_refused_with_a_clear_message() -> Result<()> {
    let app = TestApp::start("marketo-blocked-domains")?;
    let session = app.sign_in()?;
    let r = app.put("/api/admin/v1/settings/blocked-domains", r#"{"domains":["nope"]}"#, Some(&session))?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_domain")));
    let r =
        app.put("/api/admin/v1/settings/blocked-domains", r#"{"domains":["Gmail.com","@yahoo.com"]}"#, Some(&session))?;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["domains"], json!(["gmail.com", "yahoo.com"]));
    for email in ["someone@gmail.com", "someone@mail.yahoo.com"] {
        let r = identify(&app, email, None)?;
        assert_eq!((r.status, r.error_code()), (400, Some("blocked_domain")), "{email}");
        let message = r.json["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("work email"), "{message}");
    }
    let r = identify(&app, "someone@notgmail.com", None)?;
    assert_eq!(r.status, 200, "{}", r.json);
    // Without a session the setting is not readable.
    assert_eq!(app.get("/api/admin/v1/settings/blocked-domains", None, None)?.status, 401);
    Ok(())
}

#[test]
fn activities_survive_an_outage_and_are_delivered_exactly_once_within_the_budget() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    // The budget's window is compressed to 2 s (a 606 holds calls back for a whole window).
    let tuning = [FAST, &[("MARKETO_WINDOW_MS", "2000")]].concat();
    let app = TestApp::with_marketo("marketo-outbox", &marketo, &tuning)?;
    // Marketo is down for the next calls: "temporarily unavailable", then gateway errors,
    // then a rate-limit storm.
    marketo.inject(Fault::Marketo(608), 3);
    marketo.inject(Fault::Http(502), 3);
    marketo.inject(Fault::Marketo(606), 3);
    let slots = app.slot_starts(14)?;
    let mut booked = Vec::new();
    for (i, start) in slots.iter().take(4).enumerate() {
        let r = app.book(start, &format!("visitor{i}@outbox.test"))?;
        ensure!(r.status == 201, "{}", r.json);
        booked.push(r.json["meeting_id"].as_str().unwrap_or_default().to_owned());
    }
    // One of them is canceled: a second activity for that meeting.
    let session = app.sign_in()?;
    let patch = ureq::request("PATCH", &format!("{}/api/admin/v1/meetings/{}", app.base(), booked[0]))
        .set("Cookie", &session)
        .set("Content-Type", "application/json")
        .send_string(r#"{"status":"canceled"}"#);
    ensure!(patch.is_ok(), "cancel failed: {patch:?}");

    let activities = eventually(Duration::from_secs(60), "five activities in Marketo", || {
        let got = marketo.activities();
        Ok((got.len() >= 5).then_some(got))
    })?;
    // Give a duplicate the chance to arrive, then check.
    std::thread::sleep(Duration::from_secs(1));
    let activities = if marketo.activities().len() > activities.len() { marketo.activities() } else { activities };
    let mut keys: Vec<String> = activities
        .iter()
        .map(|a| a.attribute("confabEventId").and_then(Value::as_str).unwrap_or_default().to_owned())
        .collect();
    keys.sort();
    let total = keys.len();
    keys.dedup();
    assert_eq!((total, keys.len()), (5, 5), "each activity exactly once: {keys:?}");
    let canceled =
        activities.iter().filter(|a| a.attribute("event").and_then(Value::as_str) == Some("meeting_canceled"));
    assert_eq!(canceled.count(), 1);
    // Every activity names the lead Marketo created for its visitor.
    for activity in &activities {
        let lead = marketo.lead(activity.lead_id).unwrap_or(Value::Null);
        assert!(lead["email"].as_str().is_some_and(|e| e.ends_with("@outbox.test")), "{lead}");
    }
    let status = app.get("/api/admin/v1/marketo", None, Some(&session))?;
    let outbox = &status.json["outbox"];
    assert_eq!((outbox["delivered"].as_u64(), outbox["pending"].as_u64()), (Some(5), Some(0)), "{}", status.json);
    // The limits were respected throughout: the configured 80 calls per (compressed) window,
    // Marketo's 100 per 20 s, 5 at once.
    assert!(marketo.max_calls_in(Duration::from_secs(2)) <= 80);
    assert!(marketo.max_calls_in(Duration::from_secs(20)) <= 100);
    assert!(marketo.max_in_flight() <= 5);
    Ok(())
}

/// The fields a sync of every synthetic field exports, in the order the edge asks for them
/// (`id`, `email`, `updatedAt` first).
fn exported_fields() -> Vec<&'static str> {
    let mut fields = vec!["id", "email", "updatedAt"];
    fields.extend(SYNTHETIC_FIELDS.iter().filter(|f| !fields.contains(f)).collect::<Vec<_>>());
    fields
}

fn marketo_status(app: &TestApp, session: &str) -> Result<Value> {
    let r = app.get("/api/admin/v1/marketo", None, Some(session))?;
    ensure!(r.status == 200, "status answered {}: {}", r.status, r.json);
    Ok(r.json)
}

fn start_sync(app: &TestApp, session: &str, marketo: &FakeMarketo) -> Result<()> {
    let since = marketo.now() - chrono::Duration::days(2 * 366);
    let body = json!({ "fields": SYNTHETIC_FIELDS, "since": since.to_rfc3339() }).to_string();
    let r = app.post("/api/admin/v1/marketo/sync", &body, None, Some(session))?;
    ensure!(r.status == 202, "sync answered {}: {}", r.status, r.json);
    assert_eq!(r.json["phase"], "initial");
    Ok(())
}

/// A fake and an edge whose rate windows are both compressed to 2 s, so limits, penalties and
/// backoff play out within seconds.
fn compressed(name: &str, config: FakeMarketoConfig) -> Result<(FakeMarketo, TestApp)> {
    let marketo = FakeMarketo::start(config.rate_limit(100, Duration::from_secs(2)))?;
    let tuning = [FAST, &[("MARKETO_WINDOW_MS", "2000")]].concat();
    let app = TestApp::with_marketo(name, &marketo, &tuning)?;
    Ok((marketo, app))
}

#[test]
fn a_full_sync_stores_exactly_the_fakes_leads_through_token_expiry_606s_and_bad_rows() -> Result<()> {
    let config = FakeMarketoConfig::default().synthetic_leads(20_000).corrupt_rows(997);
    let (marketo, app) = compressed("marketo-sync", config)?;
    let expected = marketo.export_expectation(&exported_fields());
    ensure!(expected.corrupt > 0 && expected.tricky > 0, "{expected:?}");
    let session = app.sign_in()?;

    // A field Marketo does not have is refused before any export is created.
    let r = app.post("/api/admin/v1/marketo/sync", r#"{"fields":["noSuchField"]}"#, None, Some(&session))?;
    assert_eq!((r.status, r.error_code()), (400, Some("sync_refused")), "{}", r.json);
    let fields = app.get("/api/admin/v1/marketo/fields", None, Some(&session))?;
    assert!(fields.json["fields"].as_array().is_some_and(|f| f.len() >= 20), "{}", fields.json);

    start_sync(&app, &session, &marketo)?;
    let mut disturbed = false;
    let status = eventually(Duration::from_secs(240), "the initial sync to finish", || {
        let status = marketo_status(&app, &session)?;
        if !disturbed && status["sync"]["rows"].as_u64().unwrap_or(0) > 0 {
            // Mid-sync: every token dies and Marketo answers a storm of 606s.
            marketo.expire_tokens();
            marketo.inject(Fault::Marketo(606), 4);
            marketo.inject(Fault::Marketo(615), 1);
            disturbed = true;
        }
        Ok((status["sync"]["phase"] == "incremental").then_some(status))
    })?;
    ensure!(disturbed, "the sync finished before it could be disturbed");
    let sync = &status["sync"];
    assert_eq!(status["leads"].as_u64(), Some(expected.valid), "{status}");
    assert_eq!(sync["skipped"].as_u64(), Some(expected.corrupt), "{status}");
    assert!(sync["skipped_reasons"].as_array().is_some_and(|r| !r.is_empty()), "{status}");
    assert_eq!(sync["percent"].as_f64(), Some(100.0));
    assert!(marketo.tokens_issued() >= 2, "the token was renewed after it expired");
    assert!(marketo.max_calls_in(Duration::from_secs(2)) <= 80, "budget exceeded");
    assert!(marketo.max_in_flight() <= 5);
    // Synced leads personalise. Identifying answers only what the visitor typed (an email
    // must not reveal what is stored about its owner); the browser whose cookie is now tied
    // to the lead is greeted with the synced fields on its next page.
    let r = identify(&app, "lead42@example42.test", Some(COOKIE_B))?;
    assert_eq!(r.status, 200, "{}", r.json);
    assert!(r.json["attributes"].get("firstName").is_none(), "{}", r.json);
    let in_marketo = marketo.lead(42).unwrap_or(Value::Null);
    let next = bootstrap(&app, COOKIE_B)?;
    assert_eq!(next.json["visitor"]["attributes"]["firstName"], in_marketo["firstName"], "{}", next.json);
    assert_eq!(next.json["visitor"]["attributes"]["email"], in_marketo["email"]);
    Ok(())
}

#[test]
fn a_sync_interrupted_by_a_restart_resumes_without_losing_or_duplicating_leads() -> Result<()> {
    let config = FakeMarketoConfig::default().synthetic_leads(30_000);
    let (marketo, mut app) = compressed("marketo-sync-restart", config)?;
    let expected = marketo.export_expectation(&exported_fields());
    let session = app.sign_in()?;
    start_sync(&app, &session, &marketo)?;
    eventually(Duration::from_secs(120), "the first rows", || {
        Ok((marketo_status(&app, &session)?["sync"]["rows"].as_u64().unwrap_or(0) > 0).then_some(()))
    })?;
    app.restart()?;
    let session = app.sign_in()?;
    let before = marketo_status(&app, &session)?;
    assert_eq!(before["sync"]["phase"], "initial", "the restart came too late to test anything: {before}");
    let status = eventually(Duration::from_secs(240), "the resumed sync to finish", || {
        let status = marketo_status(&app, &session)?;
        Ok((status["sync"]["phase"] == "incremental").then_some(status))
    })?;
    assert_eq!(status["leads"].as_u64(), Some(expected.valid), "{status}");
    assert_eq!(status["sync"]["skipped"].as_u64(), Some(0), "{status}");
    Ok(())
}

fn event(
    app: &TestApp,
    visitor: &str,
    session: &str,
    kind: &str,
    card: Option<&str>,
    value: Option<&str>,
) -> Result<Reply> {
    event_with_id(app, visitor, session, kind, card, value, None)
}

/// [`event`] with the widget's id for it.
fn event_with_id(
    app: &TestApp,
    visitor: &str,
    session: &str,
    kind: &str,
    card: Option<&str>,
    value: Option<&str>,
    id: Option<&str>,
) -> Result<Reply> {
    let body = json!({
        "visitor_id": visitor, "session_id": session, "dialogue": "welcome", "version": 1,
        "kind": kind, "card": card, "value": value, "id": id,
    });
    app.post("/api/v1/sites/demo/events", &body.to_string(), Some(DEMO_ORIGIN), None)
}

fn counted(r: &Reply) -> Option<bool> {
    (r.status == 202).then(|| r.json["counted"] == true)
}

#[test]
fn chat_events_count_once_per_visitor_session_and_dialogue_and_keep_every_answer() -> Result<()> {
    let app = TestApp::start("chat-events")?;
    assert_eq!(counted(&event(&app, "v1", "s1", "triggered", None, None)?), Some(true));
    assert_eq!(counted(&event(&app, "v1", "s1", "triggered", None, None)?), Some(false));
    assert_eq!(counted(&event(&app, "v1", "s1", "engaged", Some("greeting"), None)?), Some(true));
    assert_eq!(counted(&event(&app, "v1", "s1", "engaged", Some("greeting"), None)?), Some(false));
    // A new session counts again; so does another visitor.
    assert_eq!(counted(&event(&app, "v1", "s2", "engaged", None, None)?), Some(true));
    assert_eq!(counted(&event(&app, "v2", "s3", "engaged", None, None)?), Some(true));
    // Answers are all kept; a goal counts once per session.
    for _ in 0..2 {
        assert_eq!(counted(&event(&app, "v1", "s1", "answer", Some("greeting"), Some("book"))?), Some(true));
    }
    // An answer the widget sends again with its id (only the response was lost) is kept once;
    // another answer, with its own id, is kept too.
    let with_id = |id| event_with_id(&app, "v1", "s1", "capture", Some("email"), Some("ada@example.com"), Some(id));
    let first = "0f8e4a52-3c1b-4d7e-9a60-5b2c8d1e7f43";
    assert_eq!(counted(&with_id(first)?), Some(true));
    assert_eq!(counted(&with_id(first)?), Some(false));
    assert_eq!(counted(&with_id("5d9c2b71-8e4f-4a3d-b1c6-0e7a9f2d4b58")?), Some(true));
    let r = with_id("not an id")?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_event")));
    assert_eq!(counted(&event(&app, "v1", "s1", "goal", Some("qualified"), Some("2"))?), Some(true));
    assert_eq!(counted(&event(&app, "v1", "s1", "goal", Some("qualified"), Some("2"))?), Some(false));
    // Bad input is refused with the reason.
    let r = event(&app, "v1", "s1", "exploded", None, None)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_event")));
    let r = event(&app, "not a slug", "s1", "engaged", None, None)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_event")));
    let long = "x".repeat(1001);
    let r = event(&app, "v1", "s1", "capture", Some("email"), Some(&long))?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_event")));
    Ok(())
}

#[test]
fn a_visitors_chat_activities_reach_marketo_once_they_are_known() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    let app = TestApp::with_marketo("marketo-chat-activities", &marketo, FAST)?;
    // Anonymous: nothing can go to Marketo yet.
    for (kind, card, value) in
        [("triggered", None, None), ("engaged", Some("greeting"), None), ("goal", Some("qualified"), Some("2"))]
    {
        assert_eq!(counted(&event(&app, "v9", "s9", kind, card, value)?), Some(true));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(marketo.activities().is_empty());
    // The visitor types their email: their chat so far joins the lead and goes to Marketo.
    let body = json!({ "email": "known@chat.test", "mkto": COOKIE_A, "visitor_id": "v9" }).to_string();
    let r = app.post("/api/v1/sites/demo/identify", &body, Some(DEMO_ORIGIN), None)?;
    assert_eq!(r.status, 200, "{}", r.json);
    let activities = eventually(Duration::from_secs(20), "three chat activities", || {
        let got = marketo.activities();
        Ok((got.len() >= 3).then_some(got))
    })?;
    let mut events: Vec<&str> =
        activities.iter().filter_map(|a| a.attribute("event").and_then(Value::as_str)).collect();
    events.sort_unstable();
    assert_eq!(events, ["engaged", "reached_goal", "triggered"]);
    let goal = activities.iter().find(|a| a.attribute("event").and_then(Value::as_str) == Some("reached_goal"));
    assert_eq!(goal.and_then(|g| g.attribute("score")).and_then(Value::as_i64), Some(2));
    // Known now (same cookie): the next counted event goes straight to the outbox; a repeat does not.
    let base = json!({ "visitor_id": "v9", "session_id": "s10", "dialogue": "welcome", "version": 1, "kind": "triggered", "mkto": COOKIE_A });
    for expected in [true, false] {
        let r = app.post("/api/v1/sites/demo/events", &base.to_string(), Some(DEMO_ORIGIN), None)?;
        assert_eq!(counted(&r), Some(expected));
    }
    eventually(Duration::from_secs(20), "the fourth activity", || Ok((marketo.activities().len() >= 4).then_some(())))?;
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(marketo.activities().len(), 4, "each counted event is written once");
    Ok(())
}

#[test]
fn restarting_a_running_sync_replaces_it_and_frees_its_export() -> Result<()> {
    let config = FakeMarketoConfig::default().synthetic_leads(10_000);
    let (marketo, app) = compressed("marketo-sync-again", config)?;
    let session = app.sign_in()?;
    start_sync(&app, &session, &marketo)?;
    eventually(Duration::from_secs(120), "the first rows", || {
        Ok((marketo_status(&app, &session)?["sync"]["rows"].as_u64().unwrap_or(0) > 0).then_some(()))
    })?;
    // The admin changes their mind: fewer fields, from the start.
    let since = marketo.now() - chrono::Duration::days(2 * 366);
    let body = json!({ "fields": ["firstName", "company"], "since": since.to_rfc3339() }).to_string();
    let r = app.post("/api/admin/v1/marketo/sync", &body, None, Some(&session))?;
    assert_eq!(r.status, 202, "{}", r.json);
    let status = eventually(Duration::from_secs(240), "the new sync to finish", || {
        let status = marketo_status(&app, &session)?;
        Ok((status["sync"]["phase"] == "incremental").then_some(status))
    })?;
    assert_eq!(status["sync"]["fields"], json!(["id", "email", "updatedAt", "firstName", "company"]), "{status}");
    assert_eq!(status["leads"].as_u64(), Some(10_000), "{status}");
    // The first sync's running export was cancelled, not left holding one of Marketo's two slots.
    let cancels = marketo.calls().iter().filter(|c| c.path.ends_with("/cancel.json")).count();
    assert!(cancels >= 1, "the replaced export was not cancelled");
    Ok(())
}

#[test]
fn an_admin_connects_marketo_with_checked_credentials_that_are_never_shown_again() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    marketo.insert_lead(json!({ "email": "grace@marketo.test", "firstName": "Grace", "cookies": COOKIE_A }))?;
    let app = TestApp::start("marketo-connect-in-admin")?;
    let session = app.sign_in()?;
    let connect = |endpoint: &str, id: &str, secret: &str| -> Result<Reply> {
        let body = json!({ "endpoint": endpoint, "client_id": id, "client_secret": secret }).to_string();
        app.call("PUT", "/api/admin/v1/marketo/connection", Some(&body), Some(&session))
    };
    let status = || app.get("/api/admin/v1/marketo", None, Some(&session));

    // What was typed is checked field by field before Marketo is asked.
    let r = connect("ftp://marketo.example", "", "")?;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.error_code(), Some("invalid_connection"));
    for field in ["endpoint", "client_id", "client_secret"] {
        assert!(r.json["error"]["fields"][field].is_string(), "{field} not named: {}", r.json);
    }
    // A wrong secret is refused by Marketo, and nothing is kept.
    let wrong_secret = format!("{}-wrong", marketo.client_secret());
    let r = connect(&marketo.url(), &marketo.client_id(), &wrong_secret)?;
    assert_eq!(r.status, 400, "{}", r.json);
    assert_eq!(r.error_code(), Some("connection_failed"));
    assert!(r.json["error"]["fields"]["client_secret"].is_string(), "the secret is not named: {}", r.json);
    assert!(!r.json.to_string().contains(&wrong_secret), "the secret came back: {}", r.json);
    assert_eq!(status()?.json["configured"], false, "a refused connection was kept");
    // An endpoint where nothing answers is refused the same way.
    let r = connect("http://127.0.0.1:9", &marketo.client_id(), &marketo.client_secret())?;
    assert_eq!(r.error_code(), Some("connection_failed"), "{}", r.json);
    assert!(r.json["error"]["fields"]["endpoint"].is_string(), "the endpoint is not named: {}", r.json);

    // The right credentials connect; no answer ever carries the secret.
    let r = connect(&marketo.url(), &marketo.client_id(), &marketo.client_secret())?;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["configured"], true, "{}", r.json);
    assert_eq!(r.json["managed_by_environment"], false);
    assert_eq!(r.json["client_id"], marketo.client_id());
    let now = status()?;
    assert_eq!(now.json["configured"], true);
    for answer in [&r.json, &now.json] {
        assert!(!answer.to_string().contains(&marketo.client_secret()), "the secret came back: {answer}");
    }
    // Testing asks Marketo for a fresh token and describes the leads.
    let tokens_before = marketo.calls().iter().filter(|c| c.is_identity()).count();
    let test = app.call("POST", "/api/admin/v1/marketo/test", None, Some(&session))?;
    assert_eq!(test.status, 200, "{}", test.json);
    assert_eq!(test.json["ok"], true, "{}", test.json);
    assert!(test.json["message"].as_str().is_some_and(|m| m.contains("lead fields")), "{}", test.json);
    assert!(marketo.calls().iter().filter(|c| c.is_identity()).count() > tokens_before, "no fresh token was asked");
    // The stored connection is the one visitors' lookups use.
    let visitor = eventually(Duration::from_secs(10), "the cookie lookup", || {
        let b = bootstrap(&app, COOKIE_A)?;
        if b.json["visitor"]["known"] == true {
            return Ok(Some(b.json["visitor"].clone()));
        }
        let v = identity(&app, COOKIE_A)?;
        Ok((v["known"] == true).then_some(v))
    })?;
    assert_eq!(visitor["attributes"]["firstName"], "Grace", "{visitor}");
    // The field picker reads Marketo's describe through the stored connection.
    let fields = app.get("/api/admin/v1/marketo/fields", None, Some(&session))?;
    assert_eq!(fields.status, 200, "{}", fields.json);
    assert!(fields.json["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["name"] == "firstName")));

    // Disconnecting forgets the credentials and keeps the leads.
    let r = app.delete("/api/admin/v1/marketo/connection", Some(&session))?;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["configured"], false, "{}", r.json);
    let test = app.call("POST", "/api/admin/v1/marketo/test", None, Some(&session))?;
    assert_eq!(test.error_code(), Some("marketo_not_configured"), "{}", test.json);
    let again = bootstrap(&app, COOKIE_A)?;
    assert_eq!(again.json["visitor"]["attributes"]["firstName"], "Grace", "a stored lead was lost: {}", again.json);
    Ok(())
}

#[test]
fn a_connection_set_by_worker_variables_cannot_be_changed_in_the_admin() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    let app = TestApp::with_marketo("marketo-connect-managed", &marketo, FAST)?;
    let session = app.sign_in()?;
    let status = app.get("/api/admin/v1/marketo", None, Some(&session))?;
    assert_eq!(status.json["managed_by_environment"], true, "{}", status.json);
    let body = json!({ "endpoint": marketo.url(), "client_id": "other", "client_secret": "other" }).to_string();
    let r = app.call("PUT", "/api/admin/v1/marketo/connection", Some(&body), Some(&session))?;
    assert_eq!(r.status, 409, "{}", r.json);
    assert_eq!(r.error_code(), Some("managed_by_environment"));
    let r = app.delete("/api/admin/v1/marketo/connection", Some(&session))?;
    assert_eq!(r.status, 409, "{}", r.json);
    let status = app.get("/api/admin/v1/marketo", None, Some(&session))?;
    assert_eq!(status.json["client_id"], marketo.client_id(), "{}", status.json);
    Ok(())
}
