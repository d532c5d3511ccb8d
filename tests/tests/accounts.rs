//! Accounts and roles over HTTP: every admin route walked without a session, as an agent and
//! as an admin; invitations; password change; sign-in throttling; first-run setup.

use anyhow::{Context, Result, ensure};
use confab_e2e::{Reply, TestApp};

fn cookie_of(reply: &Reply) -> Result<String> {
    let raw = reply.set_cookie.as_deref().context("no session cookie")?;
    Ok(raw.split(';').next().unwrap_or_default().to_owned())
}

fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<Reply> {
    let body = serde_json::json!({ "email": email, "password": password }).to_string();
    app.post("/api/admin/v1/session", &body, None, None)
}

/// Invites `email` as the agent `agent_id` and accepts; the new account's session cookie.
fn agent_account(app: &TestApp, admin: &str, email: &str, agent_id: &str, password: &str) -> Result<String> {
    let body = serde_json::json!({ "email": email, "role": "agent", "agent_id": agent_id }).to_string();
    let invite = app.post("/api/admin/v1/invites", &body, None, Some(admin))?;
    ensure!(invite.status == 201, "invite answered {}: {}", invite.status, invite.json);
    let url = invite.json["invite_url"].as_str().context("no invite_url")?;
    let token = url.split("#invite=").nth(1).context("no token in the link")?;
    let accept = serde_json::json!({ "token": token, "password": password }).to_string();
    let accepted = app.post("/api/admin/v1/invites/accept", &accept, None, None)?;
    ensure!(accepted.status == 201, "accept answered {}: {}", accepted.status, accepted.json);
    let again = app.post("/api/admin/v1/invites/accept", &accept, None, None)?;
    ensure!(again.error_code() == Some("invalid_invite"), "an invitation worked twice: {}", again.json);
    cookie_of(&accepted)
}

/// One admin route: method, path, body, and the status expected with no session, with the
/// agent's session (agent 2) and with the admin's.
struct Route {
    method: &'static str,
    path: String,
    body: Option<String>,
    none: u16,
    agent: u16,
    admin: u16,
}

fn route(method: &'static str, path: &str, body: Option<&str>, none: u16, agent: u16, admin: u16) -> Route {
    Route { method, path: path.to_owned(), body: body.map(str::to_owned), none, agent, admin }
}

#[test]
fn every_admin_route_checks_the_role() -> Result<()> {
    let app = TestApp::start("roles")?;
    let admin = app.sign_in()?;
    let agent = agent_account(&app, &admin, "agent2@example.com", "agent-2", "agent two pass phrase")?;
    let slots = app.slot_starts(14)?;
    let first = app.book(&slots[0], "one@example.com")?; // agent 1
    let second = app.book(&slots[1], "two@example.com")?; // agent 2
    ensure!(first.json["agent"]["id"] == "agent-1" && second.json["agent"]["id"] == "agent-2", "round robin");
    let m1 = first.json["meeting_id"].as_str().context("no id")?.to_owned();
    let m2 = second.json["meeting_id"].as_str().context("no id")?.to_owned();
    let pending =
        app.post("/api/admin/v1/invites", r#"{"email":"later@example.com","role":"admin"}"#, None, Some(&admin))?;
    let invite_id = pending.json["invite"]["id"].as_str().context("no invite id")?.to_owned();
    let start = serde_json::json!({ "start": slots[2] }).to_string();

    let routes = vec![
        route("GET", "/api/admin/v1/session", None, 401, 200, 200),
        route("GET", "/api/admin/v1/setup", None, 200, 200, 200),
        route("GET", "/api/admin/v1/meetings", None, 401, 200, 200),
        route("GET", "/api/admin/v1/meetings.csv", None, 401, 200, 200),
        route("GET", &format!("/api/admin/v1/meetings/{m2}/history"), None, 401, 200, 200),
        route("GET", &format!("/api/admin/v1/meetings/{m1}/history"), None, 401, 403, 200),
        route("PATCH", &format!("/api/admin/v1/meetings/{m1}"), Some(r#"{"status":"canceled"}"#), 401, 403, 200),
        route("GET", "/api/admin/v1/calendars", None, 401, 200, 200),
        route("PATCH", "/api/admin/v1/agents/agent-2", Some(r#"{"rules":{"buffer_after_minutes":5}}"#), 401, 200, 200),
        route("PATCH", "/api/admin/v1/agents/agent-1", Some(r#"{"rules":{}}"#), 401, 403, 200),
        route("PATCH", "/api/admin/v1/agents/agent-2", Some(r#"{"weight_percent":100}"#), 401, 403, 200),
        route("DELETE", "/api/admin/v1/agents/agent-2/calendar", None, 401, 200, 200),
        route("DELETE", "/api/admin/v1/agents/agent-1/calendar", None, 401, 403, 200),
        route("POST", "/api/admin/v1/agents/agent-1/calendar", Some(r#"{"provider":"google"}"#), 401, 403, 400),
        route("POST", "/api/admin/v1/agents/agent-1/calendar/check", None, 401, 403, 400),
        route("GET", "/api/admin/v1/routing", None, 401, 403, 200),
        route("GET", "/api/admin/v1/routing/config", None, 401, 403, 200),
        route("PUT", "/api/admin/v1/routing/config", Some("{}"), 401, 403, 200),
        route("GET", "/api/admin/v1/routing/accounts", None, 401, 403, 200),
        route("PUT", "/api/admin/v1/routing/accounts", Some("domain,owner_email\n"), 401, 403, 200),
        route("POST", "/api/admin/v1/routing/simulate", Some(&start), 401, 403, 200),
        route("GET", "/api/admin/v1/accounts", None, 401, 403, 200),
        route("GET", "/api/admin/v1/dialogues", None, 401, 403, 200),
        route("GET", "/api/admin/v1/config", None, 401, 403, 200),
        route("GET", "/api/admin/v1/analytics", None, 401, 403, 200),
        route("GET", "/api/admin/v1/dialogues/welcome", None, 401, 403, 200),
        route("PUT", "/api/admin/v1/dialogues/welcome", Some(r#"{"priority":11}"#), 401, 403, 200),
        route("POST", "/api/admin/v1/dialogues", Some(r#"{"name":"Walk"}"#), 401, 403, 201),
        route("GET", "/api/admin/v1/dialogues/welcome/export", None, 401, 403, 200),
        route("POST", "/api/admin/v1/invites", Some(r#"{"email":"x@example.com","role":"admin"}"#), 401, 403, 201),
        route("DELETE", &format!("/api/admin/v1/invites/{invite_id}"), None, 401, 403, 200),
        route("GET", "/api/admin/v1/marketo", None, 401, 403, 200),
        route("PUT", "/api/admin/v1/marketo/connection", Some(r#"{"endpoint":"ftp://x"}"#), 401, 403, 400),
        route("DELETE", "/api/admin/v1/marketo/connection", None, 401, 403, 200),
        route("POST", "/api/admin/v1/marketo/test", None, 401, 403, 409),
        route("GET", "/api/admin/v1/marketo/fields", None, 401, 403, 409),
        route("GET", "/api/admin/v1/settings/blocked-domains", None, 401, 403, 200),
        route("PUT", "/api/admin/v1/settings/blocked-domains", Some(r#"{"domains":["gmail.com"]}"#), 401, 403, 200),
        route("DELETE", "/api/admin/v1/agents/agent-5", None, 401, 403, 200),
    ];
    let mut wrong = Vec::new();
    for r in &routes {
        for (who, cookie, expected) in [("nobody", None, r.none), ("agent", Some(agent.as_str()), r.agent)] {
            let got = app.call(r.method, &r.path, r.body.as_deref(), cookie)?;
            if got.status != expected {
                wrong.push(format!(
                    "{} {} as {who}: {} (expected {expected}) {}",
                    r.method, r.path, got.status, got.json
                ));
            }
        }
    }
    // Admin last, since some admin calls change what they act on.
    for r in &routes {
        let got = app.call(r.method, &r.path, r.body.as_deref(), Some(&admin))?;
        if got.status != r.admin {
            wrong.push(format!("{} {} as admin: {} (expected {}) {}", r.method, r.path, got.status, r.admin, got.json));
        }
    }
    ensure!(wrong.is_empty(), "routes answering the wrong status:\n{}", wrong.join("\n"));

    // What an agent sees is theirs only.
    let theirs = app.get("/api/admin/v1/meetings", None, Some(&agent))?;
    let ids: Vec<&str> = theirs.json["meetings"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["id"].as_str()).collect())
        .unwrap_or_default();
    ensure!(ids == [m2.as_str()], "agent 2 sees {ids:?}");
    // ...and they may change their own meeting.
    let own =
        app.call("PATCH", &format!("/api/admin/v1/meetings/{m2}"), Some(r#"{"status":"canceled"}"#), Some(&agent))?;
    ensure!(own.status == 200, "agent 2 canceling their own meeting: {} {}", own.status, own.json);
    let after = app.get("/api/admin/v1/meetings?status=canceled&agent=agent-2", None, Some(&agent))?;
    ensure!(after.json["meetings"][0]["id"] == m2.as_str(), "agent 2's canceled meeting: {}", after.json);
    let calendars = app.get("/api/admin/v1/calendars", None, Some(&agent))?;
    let rows = calendars.json["agents"].as_array().cloned().unwrap_or_default();
    ensure!(rows.len() == 1 && rows[0]["agent"]["id"] == "agent-2", "agent 2's calendar list: {}", calendars.json);
    let csv =
        ureq::get(&format!("{}/api/admin/v1/meetings.csv", app.base())).set("Cookie", &agent).call()?.into_string()?;
    ensure!(csv.contains(&m2) && !csv.contains(&m1), "agent 2's CSV holds other meetings");
    // A removed agent leaves routing.
    let routing = app.get("/api/admin/v1/routing", None, Some(&admin))?;
    ensure!(!routing.json["order"].to_string().contains("agent-5"), "agent 5 is still routed: {}", routing.json);
    Ok(())
}

#[test]
fn passwords_invitations_and_throttling() -> Result<()> {
    let app = TestApp::start("accounts")?;
    let admin = app.sign_in()?;

    // A new agent joins routing only once they accept.
    let body = r#"{"email":"six@example.com","role":"agent","name":"Agent Six"}"#;
    let invite = app.post("/api/admin/v1/invites", body, None, Some(&admin))?;
    ensure!(invite.status == 201, "invite: {}", invite.json);
    let agent_id = invite.json["invite"]["agent_id"].as_str().context("no agent id")?.to_owned();
    let routing = app.get("/api/admin/v1/routing", None, Some(&admin))?;
    ensure!(!routing.json["order"].to_string().contains(&agent_id), "an invited agent is routed before joining");
    let token = invite.json["invite_url"].as_str().and_then(|u| u.split("#invite=").nth(1)).context("no token")?;
    let weak = serde_json::json!({ "token": token, "password": "short" }).to_string();
    let refused = app.post("/api/admin/v1/invites/accept", &weak, None, None)?;
    ensure!(refused.error_code() == Some("weak_password"), "weak password: {}", refused.json);
    let accept = serde_json::json!({ "token": token, "password": "agent six pass phrase" }).to_string();
    let accepted = app.post("/api/admin/v1/invites/accept", &accept, None, None)?;
    ensure!(accepted.status == 201, "accept: {}", accepted.json);
    let six = cookie_of(&accepted)?;
    let me = app.get("/api/admin/v1/session", None, Some(&six))?;
    ensure!(me.json["role"] == "agent" && me.json["agent_id"] == agent_id.as_str(), "session: {}", me.json);
    let routing = app.get("/api/admin/v1/routing", None, Some(&admin))?;
    ensure!(routing.json["order"].to_string().contains(&agent_id), "the new agent is not routed: {}", routing.json);

    // Changing a password needs the current one, ends other sessions, and the old one stops working.
    let other = sign_in(&app, "six@example.com", "agent six pass phrase")?;
    let other = cookie_of(&other)?;
    let wrong = app.call(
        "PUT",
        "/api/admin/v1/session/password",
        Some(r#"{"current":"not it at all","new":"a brand new pass phrase"}"#),
        Some(&six),
    )?;
    ensure!(wrong.error_code() == Some("wrong_password"), "{}", wrong.json);
    let changed = app.call(
        "PUT",
        "/api/admin/v1/session/password",
        Some(r#"{"current":"agent six pass phrase","new":"a brand new pass phrase"}"#),
        Some(&six),
    )?;
    ensure!(changed.status == 200, "change: {}", changed.json);
    ensure!(app.get("/api/admin/v1/session", None, Some(&six))?.status == 200, "the changing session ended");
    ensure!(app.get("/api/admin/v1/session", None, Some(&other))?.status == 401, "another session survived");
    ensure!(sign_in(&app, "six@example.com", "agent six pass phrase")?.status == 401, "the old password works");
    ensure!(sign_in(&app, "six@example.com", "a brand new pass phrase")?.status == 204, "the new password fails");

    // Five wrong passwords lock the account for a while, even for the right password.
    for i in 0..5 {
        let r = sign_in(&app, "six@example.com", &format!("guess number {i}"))?;
        ensure!(r.status == 401, "guess {i} answered {}", r.status);
    }
    let locked = sign_in(&app, "six@example.com", "a brand new pass phrase")?;
    ensure!(
        locked.status == 429 && locked.error_code() == Some("too_many_attempts"),
        "{} {}",
        locked.status,
        locked.json
    );
    ensure!(sign_in(&app, "admin@demo.test", &app.admin_password)?.status == 204, "another account was locked too");
    Ok(())
}

#[test]
fn the_first_admin_is_created_with_the_setup_token() -> Result<()> {
    let app = TestApp::with_vars(
        "setup",
        Some("DELETE FROM sessions; DELETE FROM admins;"),
        &[("SETUP_TOKEN", "setup-token-for-tests-0123456789")],
    )?;
    let status = app.get("/api/admin/v1/setup", None, None)?;
    ensure!(status.json["needed"] == true, "setup status: {}", status.json);
    let wrong = r#"{"token":"guess","email":"first@example.com","password":"first admin pass phrase"}"#;
    ensure!(app.post("/api/admin/v1/setup", wrong, None, None)?.error_code() == Some("invalid_setup_token"));
    let right = r#"{"token":"setup-token-for-tests-0123456789","email":"first@example.com","password":"first admin pass phrase"}"#;
    let created = app.post("/api/admin/v1/setup", right, None, None)?;
    ensure!(created.status == 201, "setup: {} {}", created.status, created.json);
    let cookie = cookie_of(&created)?;
    let me = app.get("/api/admin/v1/session", None, Some(&cookie))?;
    ensure!(me.json["role"] == "admin" && me.json["email"] == "first@example.com", "session: {}", me.json);
    let again = app.post("/api/admin/v1/setup", right, None, None)?;
    ensure!(again.error_code() == Some("setup_done"), "a second setup: {}", again.json);
    ensure!(app.get("/api/admin/v1/setup", None, None)?.json["needed"] == false);
    Ok(())
}
