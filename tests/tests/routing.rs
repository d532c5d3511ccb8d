//! Routing over HTTP: account owners imported from CSV (all or nothing), custom rules on the
//! visitor's answers, weights, credit back, the simulator and the explanation kept on each
//! meeting.

use anyhow::{Context, Result, ensure};
use confab_e2e::{DEMO_ORIGIN, Reply, TestApp};

fn book(app: &TestApp, start: &str, email: &str, answers: serde_json::Value) -> Result<Reply> {
    let body = serde_json::json!({ "start": start, "email": email, "answers": answers });
    app.post("/api/v1/sites/demo/bookings", &body.to_string(), Some(DEMO_ORIGIN), None)
}

fn put_csv(app: &TestApp, cookie: &str, csv: &str) -> Result<Reply> {
    let resp = ureq::put(&format!("{}/api/admin/v1/routing/accounts", app.base()))
        .set("Content-Type", "text/csv")
        .set("Cookie", cookie)
        .send_string(csv);
    confab_e2e::reply(resp)
}

fn agent(reply: &Reply) -> String {
    reply.json["agent"]["id"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn accounts_rules_and_the_simulator_decide_and_explain() -> Result<()> {
    let app = TestApp::start("routing-rules")?;
    let cookie = app.sign_in()?;
    let slots = app.slot_starts(14)?;
    ensure!(slots.len() >= 6, "too few slots: {}", slots.len());

    // One bad line: nothing is imported, and the answer names the line and why.
    let bad = "domain,owner_email\nacme.com,agent-3@demo.test\nglobex.com,nobody@demo.test\n";
    let refused = put_csv(&app, &cookie, bad)?;
    ensure!(refused.status == 400, "a bad file answered {}: {}", refused.status, refused.json);
    let lines = refused.json["error"]["lines"].as_array().cloned().unwrap_or_default();
    ensure!(lines.len() == 1 && lines[0]["line"] == 3, "line errors: {}", refused.json);
    let stored = app.get("/api/admin/v1/routing/accounts", None, Some(&cookie))?;
    ensure!(stored.json["total"] == 0, "a refused import stored something: {}", stored.json);

    let good = "domain,owner_email\nacme.com,agent-3@demo.test\n\"globex.com\",AGENT-2@demo.test\n";
    let imported = put_csv(&app, &cookie, good)?;
    ensure!(imported.status == 200 && imported.json["imported"] == 2, "import: {}", imported.json);

    // A rule on an answer sends large companies to agents 4 and 5.
    let config = serde_json::json!({
        "rules": [{
            "id": "enterprise", "name": "Enterprise", "priority": 1,
            "when": { "mode": "all", "conditions": [{ "op": "equals", "field": "answer.size", "value": "500+" }] },
            "agents": ["agent-4", "agent-5"]
        }],
        "fallback": { "message": "Everyone is busy; we will email you." },
        "credit_back": true,
        "reset": "monthly"
    });
    let wrong = serde_json::json!({ "rules": [{ "id": "x", "name": "X", "priority": 1, "agents": ["agent-9"] }] });
    let refused = app.put("/api/admin/v1/routing/config", &wrong.to_string(), Some(&cookie))?;
    ensure!(refused.error_code() == Some("invalid_routing"), "a rule with an unknown agent: {}", refused.json);
    let saved = app.put("/api/admin/v1/routing/config", &config.to_string(), Some(&cookie))?;
    ensure!(saved.status == 200, "saving the rules answered {}: {}", saved.status, saved.json);

    // The simulator says who and why, and books nothing.
    let simulate = |email: &str, answers: serde_json::Value| -> Result<Reply> {
        let body = serde_json::json!({ "start": slots[0], "email": email, "answers": answers });
        app.post("/api/admin/v1/routing/simulate", &body.to_string(), None, Some(&cookie))
    };
    let owner = simulate("jo@acme.com", serde_json::json!({}))?;
    ensure!(agent(&owner) == "agent-3", "acme.com's owner: {}", owner.json);
    ensure!(owner.json["explanation"].as_str().unwrap_or_default().contains("Agent 3"), "{}", owner.json);
    let enterprise = simulate("jo@initech.com", serde_json::json!({ "size": "500+" }))?;
    ensure!(agent(&enterprise) == "agent-4", "the enterprise rule: {}", enterprise.json);
    ensure!(enterprise.json["explanation"].as_str().unwrap_or_default().contains("Enterprise"), "{}", enterprise.json);
    let plain = simulate("jo@initech.com", serde_json::json!({ "size": "1-10" }))?;
    ensure!(agent(&plain) == "agent-1", "the default pool: {}", plain.json);
    let list = app.get("/api/admin/v1/meetings", None, Some(&cookie))?;
    ensure!(list.json["total"] == 0, "the simulator booked: {}", list.json);

    // Bookings follow the same decisions, and the meeting keeps the explanation.
    let a = book(&app, &slots[0], "jo@acme.com", serde_json::json!({}))?;
    ensure!(agent(&a) == "agent-3", "acme.com booked with {}", a.json);
    let b = book(&app, &slots[0], "kim@initech.com", serde_json::json!({ "size": "500+" }))?;
    ensure!(agent(&b) == "agent-4", "enterprise booked with {}", b.json);
    let c = book(&app, &slots[0], "lee@initech.com", serde_json::json!({ "size": "500+" }))?;
    ensure!(agent(&c) == "agent-5", "second enterprise booked with {}", c.json);
    // Agents 4 and 5 are both taken at that time: the rule finds nobody, the default pool does.
    let d = book(&app, &slots[0], "max@initech.com", serde_json::json!({ "size": "500+" }))?;
    ensure!(["agent-1", "agent-2"].contains(&agent(&d).as_str()), "overflow booked with {}", d.json);
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&cookie))?;
    let why = meetings.json["meetings"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["email"] == "max@initech.com"))
        .map(|m| m["explanation"].as_str().unwrap_or_default().to_owned())
        .context("the overflow meeting is not listed")?;
    ensure!(why.contains("Enterprise") && why.contains("Agent 4"), "the explanation does not say why: {why}");
    ensure!(!why.contains("max@initech.com"), "the explanation quotes the visitor: {why}");
    Ok(())
}

#[test]
fn weights_and_credit_back_change_who_is_next() -> Result<()> {
    let app = TestApp::start("routing-weights")?;
    let cookie = app.sign_in()?;
    let slots = app.slot_starts(14)?;
    // Agent 1 takes no meetings at 0 %.
    let patch = app.call("PATCH", "/api/admin/v1/agents/agent-1", Some(r#"{"weight_percent":0}"#), Some(&cookie))?;
    ensure!(patch.status == 200, "weight answered {}: {}", patch.status, patch.json);
    let first = book(&app, &slots[0], "a@example.com", serde_json::json!({}))?;
    ensure!(agent(&first) == "agent-2", "with agent 1 at 0 %: {}", first.json);
    let config = serde_json::json!({ "credit_back": true, "reset": "monthly" });
    ensure!(app.put("/api/admin/v1/routing/config", &config.to_string(), Some(&cookie))?.status == 200);
    let second = book(&app, &slots[1], "b@example.com", serde_json::json!({}))?;
    ensure!(agent(&second) == "agent-3", "{}", second.json);
    let routing = app.get("/api/admin/v1/routing", None, Some(&cookie))?;
    ensure!(routing.json["next"] == "agent-4", "before the cancel: {}", routing.json);
    // Agent 3's meeting is canceled and credited back: agent 3 is next again.
    let id = second.json["meeting_id"].as_str().context("no id")?;
    let cancel =
        app.call("PATCH", &format!("/api/admin/v1/meetings/{id}"), Some(r#"{"status":"canceled"}"#), Some(&cookie))?;
    ensure!(cancel.status == 200, "cancel answered {}", cancel.status);
    let routing = app.get("/api/admin/v1/routing", None, Some(&cookie))?;
    ensure!(routing.json["next"] == "agent-3", "after the credit back: {}", routing.json);
    let third = book(&app, &slots[2], "c@example.com", serde_json::json!({}))?;
    ensure!(agent(&third) == "agent-3", "{}", third.json);
    Ok(())
}
