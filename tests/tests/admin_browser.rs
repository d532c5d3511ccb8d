//! The admin in headless Chromium (Playwright driving Debian's Chromium), each tab as an admin
//! uses it: a dialogue built card by card, refused while a problem remains, published and raised
//! above the demo's so a visitor on the demo host page gets it and books through it; the brand
//! colour in the preview and on the host page; an account-routing CSV with one bad line; a past
//! meeting marked a no-show in Analytics and the routing totals; an agent invited from the Team
//! tab who sees only their own meetings; Marketo connected from the Integrations tab against the
//! fake Marketo; the draft run in the real widget by the live preview; a problem only the edge
//! finds shown next to its field. Each test runs one scenario of `browser/admin.mjs`
//! against its own edge, checks what the edge stored afterwards, and keeps a screenshot of every
//! tab visited as `target/e2e/screenshots/admin-<scenario>-<tab>.png`.

use anyhow::{Context, Result, ensure};
use chrono::{DateTime, Duration, DurationRound, Utc};
use confab_e2e::fake_marketo::{FakeMarketo, FakeMarketoConfig};
use confab_e2e::{DEMO_ORIGIN, TestApp};
use serde_json::Value;

/// Runs `scenario` of `tests/browser/admin.mjs` against `app` (and its demo host site, if it
/// has one), with extra environment variables for the scenario.
fn run(app: &TestApp, scenario: &str, vars: &[(&str, &str)]) -> Result<()> {
    let mut all = vec![("SCENARIO", scenario)];
    all.extend_from_slice(vars);
    app.browse("admin.mjs", &all).map(drop)
}

/// The `email` of each meeting in a meetings answer.
fn emails(meetings: &Value) -> Vec<&str> {
    meetings["meetings"].as_array().map(|a| a.iter().filter_map(|m| m["email"].as_str()).collect()).unwrap_or_default()
}

#[test]
fn an_admin_builds_a_dialogue_fixes_its_problem_publishes_it_and_visitors_get_it() -> Result<()> {
    let app = TestApp::with_demo_host("admin-dialogue")?;
    run(&app, "dialogue", &[])?;
    let cookie = app.sign_in()?;
    let list = app.get("/api/admin/v1/dialogues", None, Some(&cookie))?;
    let made = list.json["dialogues"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["name"] == "Spring launch").cloned())
        .context("no dialogue named Spring launch")?;
    ensure!(made["priority"] == 20 && made["published_version"] == 2 && made["problems"] == 0, "stored as {made}");
    let id = made["id"].as_str().context("no id")?;
    // Version 2 carries the trigger typed in the editor.
    let stored = app.get(&format!("/api/admin/v1/dialogues/{id}"), None, Some(&cookie))?;
    ensure!(
        stored.json["audience"]["triggers"] == serde_json::json!([{ "type": "time_on_page", "seconds": 1 }]),
        "stored triggers: {}",
        stored.json["audience"]
    );
    // The audience built row by row after publishing waits in the draft, as the builder made it
    // (the admin's clock is New York's: 09:00 on 1 January is 14:00 UTC).
    let draft = &stored.json["audience"];
    ensure!(
        draft["attributes"]
            == serde_json::json!({ "mode": "any", "conditions": [
                { "op": "greater_than", "field": "numberOfEmployees", "value": "500" },
                { "op": "in_list", "field": "country", "values": ["US", "CA"] },
            ]})
            && draft["query"] == serde_json::json!([{ "op": "equals", "field": "utm_campaign", "value": "spring" }])
            && draft["referrer"]
                == serde_json::json!([
                    { "match": "contains", "value": "google." },
                    { "match": "pattern", "pattern": "*.linkedin.com/*" },
                ])
            && draft["schedule"] == serde_json::json!({ "start": "2030-01-01T14:00:00Z", "end": null }),
        "the draft audience: {draft}"
    );
    // The visitor's booking went through the new dialogue.
    let booked = app.get(&format!("/api/admin/v1/meetings?dialogue={id}"), None, Some(&cookie))?;
    ensure!(emails(&booked.json) == ["lin@example.com"], "meetings booked from {id}: {}", booked.json);
    Ok(())
}

#[test]
fn an_admin_connects_marketo_from_the_integrations_tab() -> Result<()> {
    let marketo = FakeMarketo::start(FakeMarketoConfig::default())?;
    let app = TestApp::start("admin-integrations")?;
    let (url, id, secret) = (marketo.url(), marketo.client_id(), marketo.client_secret());
    run(
        &app,
        "integrations",
        &[("MARKETO_URL", &url), ("MARKETO_CLIENT_ID", &id), ("MARKETO_CLIENT_SECRET", &secret)],
    )?;
    // Marketo was asked for tokens (the refused secret, the accepted one, the test) and
    // described its fields; the scenario ended disconnected, with nothing kept.
    let tokens = marketo.calls().iter().filter(|c| c.is_identity()).count();
    ensure!(tokens >= 3, "Marketo issued {tokens} token requests, expected at least 3");
    let status = app.get("/api/admin/v1/marketo", None, Some(&app.sign_in()?))?;
    ensure!(status.json["configured"] == false, "after disconnecting: {}", status.json);
    Ok(())
}

#[test]
fn the_brand_colour_shows_in_the_preview_and_on_the_host_page() -> Result<()> {
    let app = TestApp::with_demo_host("admin-branding")?;
    run(&app, "branding", &[])?;
    let bootstrap = app.get("/api/v1/sites/demo/bootstrap", Some(DEMO_ORIGIN), None)?;
    ensure!(bootstrap.json["branding"]["primary_color"] == "#0f766e", "the widget is given {}", bootstrap.json);
    Ok(())
}

#[test]
fn an_account_csv_with_one_bad_line_imports_nothing_until_fixed() -> Result<()> {
    let app = TestApp::start("admin-csv")?;
    run(&app, "csv", &[])?;
    let routes = app.get("/api/admin/v1/routing/accounts", None, Some(&app.sign_in()?))?;
    ensure!(routes.json["total"] == 4, "stored routes: {}", routes.json);
    Ok(())
}

/// Two meetings of Agent 2 that already took place (a booking in the past is refused, so they
/// are written into the database): one still `scheduled`, one `completed`, both booked through
/// the demo's dialogue.
fn past_meetings(now: DateTime<Utc>) -> Result<String> {
    let hour = now.duration_trunc(Duration::hours(1))?;
    let meeting = |id: &str, email: &str, start: DateTime<Utc>, status: &str| {
        let end = start + Duration::minutes(30);
        let booked = start - Duration::days(3);
        format!(
            "INSERT INTO meetings (id, site_id, agent_id, start_at, end_at, start_ms, end_ms, email, status, explanation,
               created_at, dialogue_id)
             VALUES ('{id}', 'demo', 'agent-2', '{}', '{}', {}, {}, '{email}', '{status}',
               'Agent 2 was next in the round robin.', '{}', 'welcome');
             INSERT INTO meeting_events (meeting_id, at, kind, actor) VALUES ('{id}', '{}', 'booked', 'visitor');\n",
            start.to_rfc3339(),
            end.to_rfc3339(),
            start.timestamp_millis(),
            end.timestamp_millis(),
            booked.to_rfc3339(),
            booked.to_rfc3339(),
        )
    };
    Ok(meeting("past-no-show", "pat@example.com", hour - Duration::hours(26), "scheduled")
        + &meeting("past-done", "quinn@example.com", hour - Duration::hours(50), "completed"))
}

#[test]
fn a_meeting_marked_no_show_appears_in_analytics_and_the_routing_totals() -> Result<()> {
    let app = TestApp::with_sql("admin-noshow", &past_meetings(Utc::now())?)?;
    run(&app, "noshow", &[("PAST_MEETING", "past-no-show"), ("OTHER_PAST_MEETING", "past-done")])?;
    let missed = app.get("/api/admin/v1/meetings?status=no_show", None, Some(&app.sign_in()?))?;
    ensure!(emails(&missed.json) == ["pat@example.com"], "no-show meetings: {}", missed.json);
    Ok(())
}

#[test]
fn an_invited_agent_sees_only_their_own_meetings() -> Result<()> {
    let app = TestApp::start("admin-agent")?;
    // The round robin gives the first booking to Agent 1 and the second to Agent 2.
    let slots = app.slot_starts(14)?;
    let first = app.book(slots.first().context("no slot")?, "one@example.com")?;
    let second = app.book(slots.get(1).context("one slot only")?, "two@example.com")?;
    ensure!(
        first.json["agent"]["id"] == "agent-1" && second.json["agent"]["id"] == "agent-2",
        "round robin: {} then {}",
        first.json,
        second.json
    );
    let other = first.json["meeting_id"].as_str().context("no meeting id")?;
    let own = second.json["meeting_id"].as_str().context("no meeting id")?;
    run(&app, "agent", &[("OWN_MEETING", own), ("OTHER_MEETING", other)])?;
    // The password chosen in the browser signs the agent in, as Agent 2.
    let body = serde_json::json!({ "email": "sam@example.com", "password": "agent two pass phrase" }).to_string();
    let signed = app.post("/api/admin/v1/session", &body, None, None)?;
    ensure!(signed.status == 204, "the agent's sign-in answered {}: {}", signed.status, signed.json);
    let cookie = signed.set_cookie.as_deref().and_then(|c| c.split(';').next()).context("no session cookie")?;
    let me = app.get("/api/admin/v1/session", None, Some(cookie))?;
    ensure!(me.json["role"] == "agent" && me.json["agent_id"] == "agent-2", "the agent's session: {}", me.json);
    // The refused cancel changed nothing.
    let scheduled = app.get("/api/admin/v1/meetings?status=scheduled", None, Some(&app.sign_in()?))?;
    ensure!(emails(&scheduled.json).contains(&"one@example.com"), "Agent 1's meeting: {}", scheduled.json);
    Ok(())
}
