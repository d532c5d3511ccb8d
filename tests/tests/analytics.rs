//! Analytics over HTTP: per dialogue triggered / engaged / completed (counted once per visitor
//! and session), emails captured, meetings booked and the rates; per agent meetings by status.

use anyhow::{Context, Result, ensure};
use confab_e2e::{DEMO_ORIGIN, TestApp};
use serde_json::json;

fn event(app: &TestApp, visitor: &str, kind: &str, card: Option<&str>, value: Option<&str>) -> Result<()> {
    let body = json!({
        "visitor_id": visitor, "session_id": format!("s-{visitor}"), "dialogue": "welcome", "version": 1,
        "kind": kind, "card": card, "value": value,
    });
    let r = app.post("/api/v1/sites/demo/events", &body.to_string(), Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 202, "event {kind} answered {}: {}", r.status, r.json);
    Ok(())
}

#[test]
fn dialogue_funnel_and_agent_outcomes() -> Result<()> {
    let app = TestApp::start("analytics")?;
    let cookie = app.sign_in()?;
    // Four visitors see the dialogue, three engage (one twice: counted once), two leave an
    // email, one completes; one books through the dialogue.
    for v in ["v1", "v2", "v3", "v4"] {
        event(&app, v, "triggered", None, None)?;
    }
    for v in ["v1", "v2", "v3", "v3"] {
        event(&app, v, "engaged", Some("intent"), None)?;
    }
    event(&app, "v1", "capture", Some("email"), Some("ada@example.com"))?;
    event(&app, "v2", "capture", Some("email"), Some("bo@example.com"))?;
    event(&app, "v1", "completed", None, None)?;
    let slots = app.slot_starts(14)?;
    let body = json!({ "start": slots[0], "email": "ada@example.com", "dialogue_id": "welcome" });
    let booked = app.post("/api/v1/sites/demo/bookings", &body.to_string(), Some(DEMO_ORIGIN), None)?;
    ensure!(booked.status == 201, "booking: {}", booked.json);
    // A second meeting, outside the dialogue, later marked a no-show.
    let other = app.book(&slots[1], "cy@example.com")?;
    let other_id = other.json["meeting_id"].as_str().context("no id")?;

    let a = app.get("/api/admin/v1/analytics", None, Some(&cookie))?;
    ensure!(a.status == 200, "analytics: {} {}", a.status, a.json);
    let welcome = a.json["dialogues"].as_array().and_then(|d| d.iter().find(|d| d["id"] == "welcome").cloned());
    let w = welcome.context("no welcome row")?;
    ensure!(
        (
            w["triggered"].as_u64(),
            w["engaged"].as_u64(),
            w["completed"].as_u64(),
            w["emails"].as_u64(),
            w["meetings"].as_u64()
        ) == (Some(4), Some(3), Some(1), Some(2), Some(1)),
        "funnel: {w}"
    );
    ensure!(
        w["engagement_rate"] == 75.0 && w["conversion_rate"].as_f64().is_some_and(|r| (r - 33.3).abs() < 0.05),
        "rates: {w}"
    );
    ensure!(w["days"].as_array().is_some_and(|d| !d.is_empty()), "no daily series: {w}");

    // Meetings by agent and status follow changes (meetings counted by their start time).
    let at = |days: i64| (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let range = format!("/api/admin/v1/analytics?from={}&to={}", at(-1), at(60));
    let skipped = app.call(
        "PATCH",
        &format!("/api/admin/v1/meetings/{other_id}"),
        Some(r#"{"status":"canceled"}"#),
        Some(&cookie),
    )?;
    ensure!(skipped.status == 200, "cancel: {}", skipped.json);
    let a = app.get(&range, None, Some(&cookie))?;
    let agents = a.json["agents"].as_array().cloned().unwrap_or_default();
    let statuses: Vec<String> = agents
        .iter()
        .flat_map(|g| g["by_status"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default())
        .collect();
    ensure!(
        statuses.contains(&"scheduled".to_owned()) && statuses.contains(&"canceled".to_owned()),
        "by status: {}",
        a.json
    );
    let bad =
        app.get("/api/admin/v1/analytics?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", None, Some(&cookie))?;
    ensure!(bad.error_code() == Some("invalid_period"), "{}", bad.json);
    Ok(())
}
