//! Agents' calendars end to end: the edge on the real runtime against a real CalDAV server
//! (Radicale) and against fake Google and Microsoft servers over HTTP.

use anyhow::{Context, Result, bail, ensure};
use chrono::{DateTime, Utc};
use confab_e2e::radicale::Radicale;
use confab_e2e::{Reply, TestApp};
use std::time::{Duration, Instant};

/// Only agent 1 takes meetings, so one agent's calendar decides which slots exist.
const ONLY_AGENT_1: &str = "UPDATE agents SET active = 0 WHERE id != 'agent-1';";

fn ics_time(rfc3339: &str) -> Result<String> {
    Ok(DateTime::parse_from_rfc3339(rfc3339)?.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string())
}

fn plus_minutes(rfc3339: &str, minutes: i64) -> Result<String> {
    Ok((DateTime::parse_from_rfc3339(rfc3339)? + chrono::Duration::minutes(minutes)).with_timezone(&Utc).to_rfc3339())
}

/// A plain busy event, as another calendar client would write it.
fn busy_event(uid: &str, start: &str, minutes: i64) -> Result<String> {
    Ok(format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n\
         DTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ics_time(start)?,
        ics_time(&plus_minutes(start, minutes)?)?
    ))
}

/// Polls `check` every 200 ms until it holds or `within` passes.
fn eventually(within: Duration, what: &str, mut check: impl FnMut() -> Result<bool>) -> Result<()> {
    let deadline = Instant::now() + within;
    loop {
        if check()? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn meeting(app: &TestApp, cookie: &str, id: &str) -> Result<serde_json::Value> {
    let list = app.get("/api/admin/v1/meetings?limit=500", None, Some(cookie))?;
    list.json["meetings"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["id"] == id).cloned())
        .with_context(|| format!("meeting {id} is not listed: {}", list.json))
}

fn connect_caldav(app: &TestApp, cookie: &str, url: &str, user: &str, password: &str) -> Result<Reply> {
    let body = serde_json::json!({ "provider": "caldav", "url": url, "username": user, "password": password });
    app.call("POST", "/api/admin/v1/agents/agent-1/calendar", Some(&body.to_string()), Some(cookie))
}

/// Book → the event is on the CalDAV server; a busy event created directly on the server
/// removes the slot; cancel → the event is gone. Wrong credentials are refused before
/// anything is stored.
#[test]
fn radicale_holds_the_agents_meetings_and_its_busy_time_removes_slots() -> Result<()> {
    let dav = Radicale::start()?;
    let password = Radicale::password("agent1").context("agent1 has no password")?;
    let calendar = dav.create_calendar("agent1", password, "work")?;
    let app = TestApp::with_vars("caldav", Some(ONLY_AGENT_1), &[("CALENDAR_TIMEOUT_MS", "3000")])?;
    let cookie = app.sign_in()?;

    let refused = connect_caldav(&app, &cookie, &calendar, "agent1", "not-the-password")?;
    ensure!(refused.status == 400, "wrong credentials answered {}: {}", refused.status, refused.json);
    ensure!(refused.error_code() == Some("calendar_error"), "{}", refused.json);
    let listed = app.get("/api/admin/v1/calendars", None, Some(&cookie))?;
    ensure!(
        listed.json["agents"][0]["calendar"]["provider"] == "builtin",
        "refused credentials were stored: {}",
        listed.json
    );
    let bad_site = app.get("/api/admin/v1/calendars?site=..%2Fdemo", None, Some(&cookie))?;
    ensure!(bad_site.error_code() == Some("invalid_site"), "a malformed site id answered {}", bad_site.json);

    let connected = connect_caldav(&app, &cookie, &calendar, "agent1", password)?;
    ensure!(connected.status == 200, "connect answered {}: {}", connected.status, connected.json);

    // A busy event written by another client takes its slot away once the cache is read.
    let before = app.slot_starts(14)?;
    ensure!(before.len() >= 3, "too few slots: {before:?}");
    dav.put_event(&calendar, "agent1", password, "dentist", &busy_event("dentist", &before[0], 30)?)?;
    let check = app.call("POST", "/api/admin/v1/agents/agent-1/calendar/check", None, Some(&cookie))?;
    ensure!(check.status == 200 && check.json["healthy"] == true, "check answered {}: {}", check.status, check.json);
    let after = app.slot_starts(14)?;
    ensure!(!after.contains(&before[0]), "the busy slot {} is still offered", before[0]);
    ensure!(after.contains(&before[1]), "a free slot {} vanished", before[1]);

    // Booking writes the event; the meeting goes from pending_calendar to scheduled.
    let booked = app.book(&before[1], "visitor@example.com")?;
    ensure!(booked.status == 201, "booking answered {}: {}", booked.status, booked.json);
    let id = booked.json["meeting_id"].as_str().context("no meeting id")?.to_owned();
    eventually(Duration::from_secs(15), "the meeting to be scheduled", || {
        Ok(meeting(&app, &cookie, &id)?["status"] == "scheduled")
    })?;
    let uids = dav.event_uids(&calendar, "agent1", password)?;
    ensure!(uids.contains(&id), "the meeting {id} is not on the server: {uids:?}");
    let history = app.get(&format!("/api/admin/v1/meetings/{id}/history"), None, Some(&cookie))?;
    ensure!(history.json.to_string().contains("calendar_written"), "no history entry: {}", history.json);

    // The booked time is busy for the next visitor too.
    ensure!(!app.slot_starts(14)?.contains(&before[1]), "the booked slot is still offered");

    // Canceling removes the event from the server.
    let cancel =
        app.call("PATCH", &format!("/api/admin/v1/meetings/{id}"), Some(r#"{"status":"canceled"}"#), Some(&cookie))?;
    ensure!(cancel.status == 200, "cancel answered {}: {}", cancel.status, cancel.json);
    eventually(Duration::from_secs(15), "the event to leave the server", || {
        Ok(!dav.event_uids(&calendar, "agent1", password)?.contains(&id))
    })?;
    ensure!(dav.event_uids(&calendar, "agent1", password)?.contains(&"dentist".to_owned()), "the other event went too");
    Ok(())
}

use confab_e2e::fake_google::FakeGoogle;
use confab_e2e::fake_microsoft::FakeMicrosoft;
use confab_e2e::fake_oauth::Fault;

/// The agent's address, which is also the account that consents at the fake provider.
const AGENT_EMAIL: &str = "agent1@example.test";

fn agent_setup() -> String {
    format!("{ONLY_AGENT_1} UPDATE agents SET email = '{AGENT_EMAIL}' WHERE id = 'agent-1';")
}

/// The admin's browser through the consent: connect → provider's authorization page (which
/// consents at once) → the edge's callback → the admin's calendar tab. Returns where the
/// edge sent the browser at the end.
fn consent(app: &TestApp, cookie: &str, provider: &str) -> Result<String> {
    let body = serde_json::json!({ "provider": provider }).to_string();
    let started = app.call("POST", "/api/admin/v1/agents/agent-1/calendar", Some(&body), Some(cookie))?;
    ensure!(started.status == 200, "connect answered {}: {}", started.status, started.json);
    let authorize = started.json["authorize_url"].as_str().context("no authorize_url")?.to_owned();
    let browser = ureq::AgentBuilder::new().redirects(0).timeout(Duration::from_secs(20)).build();
    let at_provider = navigate(&browser, &authorize)?;
    ensure!(at_provider.status() == 302, "the consent page answered {}", at_provider.status());
    let callback = at_provider.header("Location").context("no redirect from the consent")?.to_owned();
    ensure!(callback.starts_with(&app.base()), "the provider sent the browser to {callback}");
    // The callback is reached without the session cookie (SameSite=Strict after a cross-site redirect).
    let back = navigate(&browser, &callback)?;
    ensure!(back.status() == 302, "the callback answered {}", back.status());
    Ok(back.header("Location").unwrap_or_default().to_owned())
}

/// A browser's GET without following redirects: any status is an answer.
fn navigate(browser: &ureq::Agent, url: &str) -> Result<ureq::Response> {
    match browser.get(url).call() {
        Ok(r) => Ok(r),
        Err(ureq::Error::Status(_, r)) => Ok(r),
        Err(e) => bail!("GET {url}: {e}"),
    }
}

fn calendar_of_agent_1(app: &TestApp, cookie: &str) -> Result<serde_json::Value> {
    let listed = app.get("/api/admin/v1/calendars", None, Some(cookie))?;
    ensure!(listed.status == 200, "calendars answered {}: {}", listed.status, listed.json);
    Ok(listed.json["agents"][0]["calendar"].clone())
}

/// Google: the OAuth consent connects the agent; busy time from freeBusy removes slots; a
/// booking while Google fails (500, then no answer) is never doubled, stays
/// `pending_calendar`, and becomes `scheduled` with a Meet link once Google answers; a cancel
/// deletes the event; a revoked grant makes the calendar unhealthy and takes the agent out.
#[test]
fn google_calendar_through_consent_failures_and_revocation() -> Result<()> {
    let google = FakeGoogle::start()?;
    google.add_account(AGENT_EMAIL);
    let mut vars: Vec<(String, String)> = google.worker_vars();
    vars.push(("CALENDAR_TIMEOUT_MS".into(), "1500".into()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let setup = agent_setup();
    let app = TestApp::with_vars("google", Some(&setup), &vars)?;
    let cookie = app.sign_in()?;

    let landed = consent(&app, &cookie, "google")?;
    ensure!(landed.ends_with("/admin/#calendar?connect=connected"), "the consent ended at {landed}");
    let calendar = calendar_of_agent_1(&app, &cookie)?;
    ensure!(calendar["provider"] == "google" && calendar["healthy"] == true, "after consent: {calendar}");
    ensure!(!calendar.to_string().contains("ya29"), "an access token leaked into the admin API: {calendar}");

    // Busy time in Google takes the slot away.
    let slots = app.slot_starts(14)?;
    ensure!(slots.len() >= 3, "too few slots: {slots:?}");
    let busy_start = DateTime::parse_from_rfc3339(&slots[0])?.with_timezone(&Utc);
    google.add_busy(AGENT_EMAIL, busy_start, busy_start + chrono::Duration::minutes(30));
    let check = app.call("POST", "/api/admin/v1/agents/agent-1/calendar/check", None, Some(&cookie))?;
    ensure!(check.json["healthy"] == true, "check: {}", check.json);
    ensure!(!app.slot_starts(14)?.contains(&slots[0]), "Google's busy time is still offered");

    // Google fails the insert twice (500, then no answer): the booking still succeeds at once,
    // only one visitor gets the time, and the event arrives with the retries.
    google.fail_next(1, Fault::Status(500));
    google.fail_next(1, Fault::Timeout);
    let racers: Vec<_> = (0..5)
        .map(|i| {
            let (base, start) = (app.base(), slots[1].clone());
            std::thread::spawn(move || -> Result<u16> {
                let body = serde_json::json!({ "start": start, "email": format!("racer{i}@example.com") });
                let r = ureq::post(&format!("{base}/api/v1/sites/demo/bookings"))
                    .set("Origin", confab_e2e::DEMO_ORIGIN)
                    .set("Content-Type", "application/json")
                    .send_string(&body.to_string());
                Ok(match r {
                    Ok(r) => r.status(),
                    Err(ureq::Error::Status(s, _)) => s,
                    Err(e) => bail!("{e}"),
                })
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for r in racers {
        statuses.push(r.join().map_err(|_| anyhow::anyhow!("thread panicked"))??);
    }
    statuses.sort_unstable();
    ensure!(statuses == [201, 409, 409, 409, 409], "one time, one agent: {statuses:?}");
    let list = app.get("/api/admin/v1/meetings?limit=500", None, Some(&cookie))?;
    let booked = list.json["meetings"].as_array().cloned().unwrap_or_default();
    ensure!(booked.len() == 1, "{} meetings stored", booked.len());
    let id = booked[0]["id"].as_str().context("no id")?.to_owned();
    ensure!(
        booked[0]["status"] == "pending_calendar" || booked[0]["status"] == "scheduled",
        "status right after booking: {}",
        booked[0]["status"]
    );
    eventually(Duration::from_secs(30), "the meeting to reach Google", || {
        Ok(meeting(&app, &cookie, &id)?["status"] == "scheduled")
    })?;
    let events: Vec<_> = google.events(AGENT_EMAIL).into_iter().filter(|e| e.status != "cancelled").collect();
    ensure!(events.len() == 1, "Google holds {} events: {events:?}", events.len());
    ensure!(events[0].has_meet_link, "no Meet link: {:?}", events[0]);
    ensure!(events[0].attendees.iter().any(|a| a.starts_with("racer")), "the visitor is not invited: {:?}", events[0]);
    let stored = meeting(&app, &cookie, &id)?;
    ensure!(stored["join_url"] == events[0].join_url.clone().unwrap_or_default().as_str(), "join link: {stored}");

    // Cancel: the event is deleted.
    let cancel =
        app.call("PATCH", &format!("/api/admin/v1/meetings/{id}"), Some(r#"{"status":"canceled"}"#), Some(&cookie))?;
    ensure!(cancel.status == 200, "cancel answered {}: {}", cancel.status, cancel.json);
    eventually(Duration::from_secs(15), "the event to be deleted", || {
        Ok(google.events(AGENT_EMAIL).iter().all(|e| e.status == "cancelled"))
    })?;

    // Revoked access: the calendar turns unhealthy and the agent leaves routing.
    google.revoke(AGENT_EMAIL);
    google.expire_tokens();
    let check = app.call("POST", "/api/admin/v1/agents/agent-1/calendar/check", None, Some(&cookie))?;
    ensure!(check.json["healthy"] == false, "after revocation: {}", check.json);
    let calendar = calendar_of_agent_1(&app, &cookie)?;
    ensure!(calendar["health"]["unhealthy"]["reason"].is_string(), "no reason shown: {calendar}");
    ensure!(app.slot_starts(14)?.is_empty(), "an agent with a revoked calendar still offers slots");
    let refused = app.book(&slots[2], "late@example.com")?;
    ensure!(refused.status == 409, "booking with the only agent unhealthy answered {}", refused.status);
    Ok(())
}

/// Microsoft: consent, a booking written with a Teams link, a cancel.
#[test]
fn microsoft_calendar_gets_a_teams_meeting_and_its_cancellation() -> Result<()> {
    let microsoft = FakeMicrosoft::start()?;
    microsoft.add_account(AGENT_EMAIL);
    let mut vars: Vec<(String, String)> = microsoft.worker_vars();
    vars.push(("CALENDAR_TIMEOUT_MS".into(), "3000".into()));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let setup = agent_setup();
    let app = TestApp::with_vars("microsoft", Some(&setup), &vars)?;
    let cookie = app.sign_in()?;
    let landed = consent(&app, &cookie, "microsoft")?;
    ensure!(landed.ends_with("connect=connected"), "the consent ended at {landed}");
    let slots = app.slot_starts(14)?;
    let booked = app.book(&slots[0], "visitor@example.com")?;
    ensure!(booked.status == 201, "booking answered {}: {}", booked.status, booked.json);
    let id = booked.json["meeting_id"].as_str().context("no id")?.to_owned();
    eventually(Duration::from_secs(15), "the meeting to reach Outlook", || {
        Ok(meeting(&app, &cookie, &id)?["status"] == "scheduled")
    })?;
    let events = microsoft.events(AGENT_EMAIL);
    ensure!(events.len() == 1 && events[0].has_meet_link, "Outlook holds {events:?}");
    ensure!(events[0].transaction_id.as_deref() == Some(id.as_str()), "transactionId: {:?}", events[0].transaction_id);
    let cancel =
        app.call("PATCH", &format!("/api/admin/v1/meetings/{id}"), Some(r#"{"status":"canceled"}"#), Some(&cookie))?;
    ensure!(cancel.status == 200, "cancel answered {}", cancel.status);
    eventually(Duration::from_secs(15), "the event to be cancelled", || {
        Ok(microsoft.events(AGENT_EMAIL).iter().all(|e| e.status == "cancelled"))
    })?;
    Ok(())
}
