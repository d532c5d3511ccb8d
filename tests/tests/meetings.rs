//! After booking: the visitor reschedules and cancels through signed links, the admin changes
//! status, reads the history and exports CSV; held time moves and frees with the meeting.

use anyhow::{Result, ensure};
use confab_e2e::TestApp;

fn post_url(app: &TestApp, url: &str, body: &str) -> Result<confab_e2e::Reply> {
    app.post(&url[app.base().len()..], body, None, None)
}

#[test]
fn a_visitor_moves_then_cancels_and_the_agents_time_follows() -> Result<()> {
    let app = TestApp::start("meeting-lifecycle")?;
    let slots = app.slot_starts(14)?;
    let (a, b) = (slots[0].clone(), slots[1].clone());
    let booked = app.book(&a, "mover@example.com")?;
    ensure!(booked.status == 201, "{}", booked.json);
    assert_eq!(booked.json["agent"]["id"], "agent-1");
    let id = booked.json["meeting_id"].as_str().unwrap_or_default().to_owned();
    let reschedule = booked.json["reschedule_url"].as_str().unwrap_or_default().to_owned();
    let cancel = booked.json["cancel_url"].as_str().unwrap_or_default().to_owned();
    ensure!(reschedule.contains("sig=") && cancel.contains("sig="), "{}", booked.json);

    // A forged link finds nothing; a bad time is refused; a good one moves the meeting.
    let forged = cancel.replace("sig=", "sig=0");
    assert_eq!(post_url(&app, &forged, "")?.status, 404);
    let r = post_url(&app, &reschedule, r#"{"start":"soon"}"#)?;
    assert_eq!((r.status, r.error_code()), (400, Some("invalid_start")));
    let r = post_url(&app, &reschedule, &serde_json::json!({ "start": b }).to_string())?;
    assert_eq!((r.status, r.json["status"].as_str()), (200, Some("rescheduled")), "{}", r.json);

    // Agent 1's time moved from a to b: at b only the four others can still be booked.
    let mut agents_at_b = Vec::new();
    for i in 0..5 {
        let r = app.book(&b, &format!("b{i}@example.com"))?;
        if r.status == 201 {
            agents_at_b.push(r.json["agent"]["id"].as_str().unwrap_or_default().to_owned());
        } else {
            assert_eq!(r.error_code(), Some("slot_taken"));
        }
    }
    agents_at_b.sort();
    assert_eq!(agents_at_b, ["agent-2", "agent-3", "agent-4", "agent-5"]);

    // Canceling frees b for agent 1; canceling twice is refused.
    let r = post_url(&app, &cancel, "")?;
    assert_eq!((r.status, r.json["status"].as_str()), (200, Some("canceled")));
    let r = app.book(&b, "after-cancel@example.com")?;
    assert_eq!((r.status, r.json["agent"]["id"].as_str()), (201, Some("agent-1")), "{}", r.json);
    let r = post_url(&app, &cancel, "")?;
    assert_eq!((r.status, r.error_code()), (409, Some("invalid_change")));

    // The history tells the story, oldest first.
    let cookie = app.sign_in()?;
    let history = app.get(&format!("/api/admin/v1/meetings/{id}/history"), None, Some(&cookie))?;
    let kinds: Vec<&str> = history.json["events"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["booked", "rescheduled", "canceled"]);
    assert_eq!(history.json["events"][1]["actor"], "visitor");
    Ok(())
}

#[test]
fn admins_change_status_filter_and_export() -> Result<()> {
    let app = TestApp::start("meeting-admin")?;
    let slots = app.slot_starts(14)?;
    let first = app.book(&slots[0], "first@example.com")?;
    let second = app.book(&slots[1], "=HYPERLINK(\"x\")@example.com")?;
    // That address is refused as an email, so book a normal one and check CSV defusing on the name.
    assert_eq!(second.status, 400);
    let body = serde_json::json!({ "start": slots[1], "email": "second@example.com", "name": "=cmd|' /C calc'!A0" })
        .to_string();
    let second = app.post("/api/v1/sites/demo/bookings", &body, Some(confab_e2e::DEMO_ORIGIN), None)?;
    ensure!(first.status == 201 && second.status == 201, "{} {}", first.json, second.json);
    let (one, two) =
        (first.json["meeting_id"].as_str().unwrap_or_default(), second.json["meeting_id"].as_str().unwrap_or_default());

    let patch = |id: &str, body: &str, cookie: Option<&str>| -> Result<confab_e2e::Reply> {
        let mut req = ureq::request("PATCH", &format!("{}/api/admin/v1/meetings/{id}", app.base()))
            .set("Content-Type", "application/json");
        if let Some(c) = cookie {
            req = req.set("Cookie", c);
        }
        Ok(match req.send_string(body) {
            Ok(r) | Err(ureq::Error::Status(_, r)) => {
                let status = r.status();
                confab_e2e::Reply {
                    status,
                    json: r.into_json().unwrap_or_default(),
                    set_cookie: None,
                    allow_origin: None,
                    retry_after: None,
                }
            }
            Err(e) => return Err(e.into()),
        })
    };
    assert_eq!(patch(one, r#"{"status":"canceled"}"#, None)?.status, 401);
    let cookie = app.sign_in()?;
    let r = patch(one, r#"{"status":"completed"}"#, Some(&cookie))?;
    assert_eq!((r.status, r.error_code()), (409, Some("invalid_change")), "a future meeting cannot be completed yet");
    assert_eq!(patch(one, r#"{"status":"done"}"#, Some(&cookie))?.error_code(), Some("invalid_change"));
    assert_eq!(patch("m_nope", r#"{"status":"canceled"}"#, Some(&cookie))?.status, 404);
    let r = patch(one, r#"{"status":"canceled"}"#, Some(&cookie))?;
    assert_eq!((r.status, r.json["status"].as_str()), (200, Some("canceled")));
    let history = app.get(&format!("/api/admin/v1/meetings/{one}/history"), None, Some(&cookie))?;
    assert_eq!(history.json["events"][1]["actor"], "admin:admin@demo.test");

    let canceled = app.get("/api/admin/v1/meetings?status=canceled", None, Some(&cookie))?;
    let ids: Vec<&str> = canceled.json["meetings"]
        .as_array()
        .map(|m| m.iter().filter_map(|x| x["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [one]);
    assert_eq!(
        app.get("/api/admin/v1/meetings?status=maybe", None, Some(&cookie))?.error_code(),
        Some("invalid_filter")
    );

    let csv = ureq::get(&format!("{}/api/admin/v1/meetings.csv", app.base())).set("Cookie", &cookie).call()?;
    assert!(csv.content_type().starts_with("text/csv"));
    let text = csv.into_string()?;
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "id,site,agent_id,agent,start,end,email,name,status,booked_at,why");
    assert_eq!(lines.len(), 3, "{text}");
    let row_two = lines.iter().find(|l| l.starts_with(two)).copied().unwrap_or_default();
    assert!(row_two.contains("'=cmd|' /C calc'!A0"), "formula defused: {row_two}");
    assert_eq!(app.get("/api/admin/v1/meetings.csv", None, None)?.status, 401);
    Ok(())
}
