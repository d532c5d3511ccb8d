//! Dialogues as admins edit them, over HTTP: drafts with the validator's diagnostics,
//! publishing refused while problems remain, immutable versions, unpublish, duplicate,
//! export and import, and what visitors get.

use anyhow::{Context, Result, ensure};
use confab_e2e::{DEMO_ORIGIN, TestApp};
use serde_json::{Value, json};

fn flow_with_link_to(next: &str) -> Value {
    json!({
        "start": "hi",
        "cards": [
            { "type": "message", "id": "hi", "text": "Hello {{lead.firstName:\"there\"}}!", "next": next },
            { "type": "end", "id": "end" }
        ]
    })
}

fn bootstrap_dialogue(app: &TestApp) -> Result<(String, u64)> {
    let r = app.get("/api/v1/sites/demo/bootstrap?url=http%3A%2F%2F127.0.0.1%3A8080%2F", Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 200, "bootstrap answered {}: {}", r.status, r.json);
    Ok((
        r.json["dialogue"]["id"].as_str().unwrap_or_default().to_owned(),
        r.json["dialogue"]["version"].as_u64().unwrap_or_default(),
    ))
}

#[test]
fn drafts_publishing_versions_and_portability() -> Result<()> {
    let app = TestApp::start("dialogues")?;
    let cookie = app.sign_in()?;
    let list = app.get("/api/admin/v1/dialogues", None, Some(&cookie))?;
    ensure!(list.json["dialogues"][0]["status"] == "published", "the demo dialogue: {}", list.json);
    ensure!(bootstrap_dialogue(&app)?.0 == "welcome", "visitors get the demo dialogue first");

    let created = app.post("/api/admin/v1/dialogues", r#"{"name":"Pricing","priority":20}"#, None, Some(&cookie))?;
    ensure!(created.status == 201, "create: {} {}", created.status, created.json);
    let id = created.json["id"].as_str().context("no id")?.to_owned();
    ensure!(created.json["status"] == "draft", "a new dialogue is a draft: {}", created.json);
    ensure!(bootstrap_dialogue(&app)?.0 == "welcome", "a draft reached visitors");

    // A dangling link: saved, reported next to its card, and publishing is refused.
    let broken = json!({ "flow": flow_with_link_to("nowhere") }).to_string();
    let saved = app.put(&format!("/api/admin/v1/dialogues/{id}"), &broken, Some(&cookie))?;
    ensure!(saved.status == 200, "save: {} {}", saved.status, saved.json);
    let diagnostics = saved.json["diagnostics"].as_array().cloned().unwrap_or_default();
    ensure!(diagnostics.iter().any(|d| d["card"] == "hi"), "no diagnostic on card hi: {}", saved.json);
    let refused = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(refused.status == 409 && refused.error_code() == Some("not_publishable"), "{}", refused.json);
    ensure!(refused.json["error"]["diagnostics"].as_array().is_some_and(|d| !d.is_empty()), "{}", refused.json);

    // Fixed: published as version 1 and, with the higher priority, shown to visitors.
    let fixed = json!({ "flow": flow_with_link_to("end") }).to_string();
    let saved = app.put(&format!("/api/admin/v1/dialogues/{id}"), &fixed, Some(&cookie))?;
    ensure!(saved.json["diagnostics"].as_array().is_some_and(Vec::is_empty), "{}", saved.json);
    let published = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(published.status == 200 && published.json["published_version"] == 1, "{}", published.json);
    ensure!(bootstrap_dialogue(&app)? == (id.clone(), 1), "visitors do not get the published dialogue");

    // Version 2 changes the text; version 1 stays as it was for conversations under way.
    let mut v2 = flow_with_link_to("end");
    v2["cards"][0]["text"] = json!("Welcome back!");
    app.put(&format!("/api/admin/v1/dialogues/{id}"), &json!({ "flow": v2 }).to_string(), Some(&cookie))?;
    let listed = app.get("/api/admin/v1/dialogues", None, Some(&cookie))?;
    let row = listed.json["dialogues"].as_array().and_then(|a| a.iter().find(|d| d["id"] == id.as_str()).cloned());
    ensure!(row.is_some_and(|r| r["status"] == "published_with_changes"), "{}", listed.json);
    let again = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(again.json["published_version"] == 2, "{}", again.json);
    let v1 = app.get(&format!("/api/v1/sites/demo/dialogues/{id}/versions/1"), Some(DEMO_ORIGIN), None)?;
    ensure!(
        v1.json["flow"]["cards"][0]["text"] == "Hello {{lead.firstName:\"there\"}}!",
        "version 1 changed: {}",
        v1.json
    );
    let missing = app.get(&format!("/api/v1/sites/demo/dialogues/{id}/versions/9"), Some(DEMO_ORIGIN), None)?;
    ensure!(missing.status == 404, "an unknown version answered {}", missing.status);
    let detail = app.get(&format!("/api/admin/v1/dialogues/{id}"), None, Some(&cookie))?;
    ensure!(detail.json["versions"].as_array().map(Vec::len) == Some(2), "versions: {}", detail.json);

    // `Confab.start(id)` asks for a published dialogue by id, whatever targeting would choose.
    let asked = app.get("/api/v1/sites/demo/bootstrap?dialogue=welcome", Some(DEMO_ORIGIN), None)?;
    ensure!(asked.json["dialogue"]["id"] == "welcome", "an asked-for dialogue: {}", asked.json);
    let unknown = app.get("/api/v1/sites/demo/bootstrap?dialogue=nope", Some(DEMO_ORIGIN), None)?;
    ensure!(unknown.json["dialogue"]["id"] == id.as_str(), "an unknown id falls back to targeting: {}", unknown.json);

    // Unpublished: visitors get the demo dialogue again.
    app.post(&format!("/api/admin/v1/dialogues/{id}/unpublish"), "", None, Some(&cookie))?;
    ensure!(bootstrap_dialogue(&app)?.0 == "welcome", "an unpublished dialogue still reaches visitors");

    // Duplicate, export and import.
    let copy = app.post(&format!("/api/admin/v1/dialogues/{id}/duplicate"), "", None, Some(&cookie))?;
    ensure!(copy.status == 201 && copy.json["name"] == "Copy of Pricing", "{}", copy.json);
    let exported = app.get(&format!("/api/admin/v1/dialogues/{id}/export"), None, Some(&cookie))?;
    ensure!(exported.json["format"] == "confab-dialogue/1", "{}", exported.json);
    let imported = app.post("/api/admin/v1/dialogues/import", &exported.json.to_string(), None, Some(&cookie))?;
    ensure!(imported.status == 201 && imported.json["flow"] == exported.json["flow"], "{}", imported.json);
    let garbage = app.post("/api/admin/v1/dialogues/import", r#"{"format":"other/9"}"#, None, Some(&cookie))?;
    ensure!(garbage.error_code() == Some("invalid_import"), "{}", garbage.json);
    let unnamed = app.post("/api/admin/v1/dialogues", r#"{"name":"  "}"#, None, Some(&cookie))?;
    ensure!(unnamed.error_code() == Some("invalid_name"), "{}", unnamed.json);
    Ok(())
}

fn page_triggers(app: &TestApp, page: &str) -> Result<Value> {
    let url = format!("/api/v1/sites/demo/triggers?url={}&referrer=", urlencode(page));
    let r = app.get(&url, Some(DEMO_ORIGIN), None)?;
    ensure!(r.status == 200, "triggers answered {}: {}", r.status, r.json);
    Ok(r.json)
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn a_dialogues_triggers_and_opening_line_reach_the_loader() -> Result<()> {
    let app = TestApp::start("dialogue-triggers")?;
    let cookie = app.sign_in()?;
    // The demo dialogue has no triggers: the loader learns which dialogue and its opening line.
    let demo = page_triggers(&app, "http://127.0.0.1:8080/")?;
    ensure!(demo["dialogue"] == "welcome" && demo["triggers"] == json!([]), "{demo}");
    ensure!(demo["teaser"].as_str().is_some_and(|t| t.starts_with("Hi there!")), "{demo}");

    let created = app.post("/api/admin/v1/dialogues", r#"{"name":"Pricing","priority":20}"#, None, Some(&cookie))?;
    let id = created.json["id"].as_str().context("no id")?.to_owned();
    // Out-of-range triggers are the draft's problems, named by their place; publishing waits.
    let audience = |scroll: u32| {
        json!({
            "pages": { "include": ["/pricing*"] },
            "triggers": [
                { "type": "time_on_page", "seconds": 12 },
                { "type": "scroll", "percent": scroll },
                { "type": "element_visible", "selector": "#plans" }
            ]
        })
    };
    let body = json!({ "audience": audience(150), "flow": flow_with_link_to("end") }).to_string();
    let saved = app.put(&format!("/api/admin/v1/dialogues/{id}"), &body, Some(&cookie))?;
    let messages: Vec<&str> = saved.json["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["message"].as_str()).collect())
        .unwrap_or_default();
    ensure!(messages == ["Trigger 2: Scroll depth must be 1 to 100 percent."], "{}", saved.json);
    let refused = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(refused.error_code() == Some("not_publishable"), "{}", refused.json);
    // An unknown trigger type is refused outright, and the draft keeps what it had.
    let unknown = json!({ "audience": { "triggers": [{ "type": "telepathy" }] } }).to_string();
    let refused = app.put(&format!("/api/admin/v1/dialogues/{id}"), &unknown, Some(&cookie))?;
    ensure!(refused.status == 400, "an unknown trigger answered {}: {}", refused.status, refused.json);
    let kept = app.get(&format!("/api/admin/v1/dialogues/{id}"), None, Some(&cookie))?;
    ensure!(kept.json["audience"]["triggers"][1]["percent"] == 150, "{}", kept.json);

    let body = json!({ "audience": audience(60) }).to_string();
    let saved = app.put(&format!("/api/admin/v1/dialogues/{id}"), &body, Some(&cookie))?;
    ensure!(saved.json["diagnostics"] == json!([]), "{}", saved.json);
    let published = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(published.status == 200, "{}", published.json);

    // On a pricing page the new dialogue wins, with its triggers in the loader's grammar and
    // its greeting with the token's default; elsewhere the demo dialogue still shows.
    let pricing = page_triggers(&app, "http://127.0.0.1:8080/pricing.html")?;
    ensure!(pricing["dialogue"] == id.as_str(), "{pricing}");
    ensure!(pricing["triggers"] == json!(["time:12", "scroll:60", "visible:#plans"]), "{pricing}");
    ensure!(pricing["teaser"] == "Hello there!", "{pricing}");
    ensure!(page_triggers(&app, "http://127.0.0.1:8080/")?["dialogue"] == "welcome", "the home page changed");
    // Nothing published for the page: nothing to trigger.
    let unpublished = app.post("/api/admin/v1/dialogues/welcome/unpublish", "", None, Some(&cookie))?;
    ensure!(unpublished.status == 200, "{}", unpublished.json);
    let none = page_triggers(&app, "http://127.0.0.1:8080/")?;
    ensure!(none == json!({ "dialogue": null, "triggers": [], "teaser": null }), "{none}");
    // Foreign origins are refused like the rest of the widget API; bad input is named.
    let foreign = app.get("/api/v1/sites/demo/triggers?url=x", Some("https://evil.example"), None)?;
    ensure!(foreign.status == 403, "a foreign origin answered {}", foreign.status);
    let long = format!("/api/v1/sites/demo/triggers?url={}", "a".repeat(3000));
    let refused = app.get(&long, Some(DEMO_ORIGIN), None)?;
    ensure!(refused.error_code() == Some("url_too_long"), "{}", refused.json);
    Ok(())
}

/// A zone where it is now before noon, so the rest of its day is at least twelve hours long.
fn morning_zone() -> Result<&'static str> {
    use chrono::Timelike;
    let zones = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Kolkata", "Europe/Paris", "UTC"];
    let more = ["America/Sao_Paulo", "America/New_York", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu"];
    zones
        .into_iter()
        .chain(more)
        .find(|z| z.parse::<chrono_tz::Tz>().is_ok_and(|tz| chrono::Utc::now().with_timezone(&tz).hour() < 12))
        .context("no zone is in its morning")
}

#[test]
fn a_branch_on_agents_free_today_follows_the_agents_free_time() -> Result<()> {
    // Every agent works all day, every day (UTC), so a visitor in their morning finds a slot.
    let day = r#"[{"start":"00:00","end":"23:59"}]"#;
    let schedule = format!(r#"{{"time_zone":"UTC","weekly":[{day},{day},{day},{day},{day},{day},{day}]}}"#);
    let app = TestApp::with_sql("dialogues-free-today", &format!("UPDATE agents SET schedule = '{schedule}';"))?;
    let cookie = app.sign_in()?;
    let created =
        app.post("/api/admin/v1/dialogues", r#"{"name":"Now or later","priority":50}"#, None, Some(&cookie))?;
    let id = created.json["id"].as_str().context("no id")?.to_owned();
    let flow = json!({ "flow": {
        "start": "route",
        "cards": [
            { "type": "branch", "id": "route", "rules": [
                { "when": { "conditions": [{ "op": "equals", "field": "agents.free_today", "value": "yes" }] }, "next": "now" }
            ], "default": "later" },
            { "type": "message", "id": "now", "text": "Someone can talk to you today.", "next": "end" },
            { "type": "message", "id": "later", "text": "Leave your email and we'll write.", "next": "end" },
            { "type": "end", "id": "end" }
        ]
    }});
    let saved = app.put(&format!("/api/admin/v1/dialogues/{id}"), &flow.to_string(), Some(&cookie))?;
    ensure!(saved.json["diagnostics"].as_array().is_some_and(Vec::is_empty), "{}", saved.json);
    let published = app.post(&format!("/api/admin/v1/dialogues/{id}/publish"), "", None, Some(&cookie))?;
    ensure!(published.status == 200, "{}", published.json);

    let zone = morning_zone()?;
    let boot =
        |tz: &str| app.get(&format!("/api/v1/sites/demo/bootstrap?url=&tz={}", urlencode(tz)), Some(DEMO_ORIGIN), None);
    let r = boot(zone)?;
    ensure!(r.json["dialogue"]["id"] == id.as_str(), "visitors get {}", r.json["dialogue"]["id"]);
    ensure!(r.json["agents_free_today"] == true, "in {zone}'s morning with agents free all day: {}", r.json);
    // A zone that is not one cannot be told: the chat still opens, and the branch takes its
    // default.
    let unknown = boot("Mars/Olympus")?;
    ensure!(unknown.status == 200 && unknown.json.get("agents_free_today").is_none(), "{}", unknown.json);
    // The teaser is not given when the opening depends on the agents' free time.
    let page = app.get("/api/v1/sites/demo/triggers?url=", Some(DEMO_ORIGIN), None)?;
    ensure!(page.json["dialogue"] == id.as_str() && page.json["teaser"].is_null(), "{}", page.json);

    // With every agent removed nobody is free, and the branch takes the other path.
    for n in 1..=5 {
        let removed = app.delete(&format!("/api/admin/v1/agents/agent-{n}"), Some(&cookie))?;
        ensure!(removed.status == 200, "removing agent-{n}: {}", removed.json);
    }
    let r = boot(zone)?;
    ensure!(r.json["agents_free_today"] == false, "with no agent left: {}", r.json);
    // Dialogues that do not branch on it are not given it (no slot computation on their bootstrap).
    let unpublished = app.post(&format!("/api/admin/v1/dialogues/{id}/unpublish"), "", None, Some(&cookie))?;
    ensure!(unpublished.status == 200, "{}", unpublished.json);
    let r = boot(zone)?;
    ensure!(r.json["dialogue"]["id"] == "welcome" && r.json.get("agents_free_today").is_none(), "{}", r.json);
    Ok(())
}

#[test]
fn the_admins_preview_runs_the_draft_and_records_nothing_even_with_the_edges_origin_allowed() -> Result<()> {
    let app = TestApp::start("dialogues-preview")?;
    let cookie = app.sign_in()?;
    let own = app.base();
    // An admin lists the edge's own origin among the allowed ones: a preview must stay one.
    let origins = json!({ "allowed_origins": [DEMO_ORIGIN, own] }).to_string();
    let allowed = app.put("/api/admin/v1/config", &origins, Some(&cookie))?;
    ensure!(allowed.status == 200, "config: {}", allowed.json);
    let created = app.post("/api/admin/v1/dialogues", r#"{"name":"Unpublished"}"#, None, Some(&cookie))?;
    let id = created.json["id"].as_str().context("no id")?.to_owned();

    // The draft, never published, is what the preview runs (as version 0) ...
    let boot = app.get(&format!("/api/v1/sites/demo/bootstrap?url=&dialogue={id}"), None, Some(&cookie))?;
    ensure!(boot.status == 200 && boot.json["dialogue"]["id"] == id.as_str(), "preview bootstrap: {}", boot.json);
    ensure!(boot.json["dialogue"]["version"] == 0, "the draft is version 0: {}", boot.json);
    // ... while a visitor, without the admin's session, never gets it.
    let visitor = app.get(&format!("/api/v1/sites/demo/bootstrap?url=&dialogue={id}"), Some(DEMO_ORIGIN), None)?;
    ensure!(visitor.json["dialogue"]["id"] == "welcome", "a visitor got the draft: {}", visitor.json);
    let no_session = app.get("/api/v1/sites/demo/bootstrap?url=", None, None)?;
    ensure!(no_session.status == 403, "no origin and no session: {} {}", no_session.status, no_session.json);

    // Events, identify and a booking from the preview (the edge's own origin) write nothing.
    for kind in ["triggered", "engaged", "completed"] {
        let body = json!({ "visitor_id": "pv", "session_id": "ps", "dialogue": id, "version": 0, "kind": kind });
        let r = app.post("/api/v1/sites/demo/events", &body.to_string(), Some(&own), Some(&cookie))?;
        ensure!(r.status == 202 && r.json["preview"] == true, "preview event {kind}: {} {}", r.status, r.json);
    }
    let who = json!({ "email": "preview@example.com", "visitor_id": "pv" }).to_string();
    let r = app.post("/api/v1/sites/demo/identify", &who, Some(&own), Some(&cookie))?;
    ensure!(r.status == 200 && r.json["known"] == true, "preview identify: {}", r.json);
    let slot = app.slot_starts(14)?.into_iter().next().context("no slots")?;
    let booking = json!({ "start": slot, "email": "preview@example.com", "dialogue_id": id }).to_string();
    let r = app.post("/api/v1/sites/demo/bookings", &booking, Some(&own), Some(&cookie))?;
    ensure!(r.status == 200 && r.json["meeting_id"] == "preview", "preview booking: {} {}", r.status, r.json);

    let meetings = app.get("/api/admin/v1/meetings", None, Some(&cookie))?;
    ensure!(meetings.json["total"] == 0, "the preview made a meeting: {}", meetings.json);
    let analytics = app.get("/api/admin/v1/analytics", None, Some(&cookie))?;
    // The answer must list dialogues with counts, or a changed shape would read as "nothing counted".
    let rows = analytics.json["dialogues"].as_array().context("analytics lists no dialogues")?;
    ensure!(rows.iter().all(|d| d["triggered"].is_u64() && d["emails"].is_u64()), "{}", analytics.json);
    let counted: u64 =
        rows.iter().map(|d| d["triggered"].as_u64().unwrap_or(0) + d["emails"].as_u64().unwrap_or(0)).sum();
    ensure!(counted == 0, "the preview was counted in analytics: {}", analytics.json);
    // The slot the preview "booked" is still free for a visitor.
    let real = app.book(&slot, "real@example.com")?;
    ensure!(real.status == 201, "the preview held the time: {} {}", real.status, real.json);
    Ok(())
}
