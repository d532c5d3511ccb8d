//! The visitor widget in headless Chromium (Playwright driving Debian's Chromium), on the demo
//! host site, another origin than the edge: a strict CSP with hostile CSS, keyboard use and the
//! page's own `window.Confab` calls, a conversation resumed on the next page up to a booking,
//! the triggers, the site's branding applied at runtime, and a dropped connection. Each test runs one scenario of
//! `browser/widget.mjs` against its own edge and keeps screenshots as
//! `target/e2e/screenshots/widget-*.png`.

use anyhow::Result;
use confab_e2e::TestApp;
use confab_xtask::project;

/// Runs `scenario` of `tests/browser/widget.mjs` against a fresh edge and the demo host site.
fn check(scenario: &str) -> Result<()> {
    run(&TestApp::with_demo_host(&format!("widget-{scenario}"))?, scenario)
}

/// Runs `scenario` of `tests/browser/widget.mjs` against `app` and its demo host site.
fn run(app: &TestApp, scenario: &str) -> Result<()> {
    app.browse("widget.mjs", &[("SCENARIO", scenario)]).map(drop)
}

#[test]
fn a_visitor_chats_on_a_page_with_a_strict_csp_and_hostile_css() -> Result<()> {
    check("strict")
}

#[test]
fn a_keyboard_visitor_opens_answers_and_closes_and_the_page_drives_the_chat() -> Result<()> {
    check("keyboard")
}

#[test]
fn a_conversation_resumes_on_the_next_page_and_the_booking_reaches_the_page() -> Result<()> {
    check("navigation")
}

#[test]
fn triggers_show_the_teaser_at_the_right_moment() -> Result<()> {
    check("triggers")
}

#[test]
fn the_site_s_branding_applies_at_runtime() -> Result<()> {
    let app = TestApp::with_demo_host("widget-branding")?;
    // No API edits the branding yet: it is written into the running edge's database, which
    // reads it on every bootstrap.
    let branding = serde_json::json!({
        "bot_name": "Acme helper",
        "primary_color": "#0f766e",
        "on_primary_color": "#fefce8",
        "background_color": "#fffbeb",
        "text_color": "#292524",
        "font": "Courier New, monospace",
        "launcher_position": "left",
        "offset_x": 32,
        "offset_y": 40,
        "avatar": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "typing_delay_ms": 100,
        "teaser": false,
        "sound": true,
        "privacy_url": "https://acme.test/privacy",
    });
    let sql =
        format!("UPDATE sites SET branding = '{}' WHERE id = 'demo';\n", branding.to_string().replace('\'', "''"));
    let file = project::target().join("e2e/widget-branding/branding.sql");
    std::fs::write(&file, sql)?;
    confab_xtask::wrangler::execute(&app.persist, &file)?;
    run(&app, "branding")
}

#[test]
fn a_dialogues_own_trigger_shows_its_opening_line_as_the_teaser() -> Result<()> {
    let app = TestApp::with_demo_host("widget-dialogue")?;
    let cookie = app.sign_in()?;
    let audience = r#"{"audience":{"triggers":[{"type":"time_on_page","seconds":2}]}}"#;
    let saved = app.put("/api/admin/v1/dialogues/welcome", audience, Some(&cookie))?;
    anyhow::ensure!(saved.status == 200, "saving the trigger answered {}: {}", saved.status, saved.json);
    let published = app.post("/api/admin/v1/dialogues/welcome/publish", "", None, Some(&cookie))?;
    anyhow::ensure!(published.status == 200, "publishing answered {}: {}", published.status, published.json);
    run(&app, "dialogue")
}

#[test]
fn the_chat_carries_on_through_a_dropped_connection() -> Result<()> {
    let app = TestApp::with_demo_host("widget-offline")?;
    run(&app, "offline")?;
    // What the visitor did offline reached the edge once the connection was back: the click on
    // "Book a meeting" made the only engagement of the first visitor (the second one never
    // answered); the completion whose request the test dropped was sent again.
    let cookie = app.sign_in()?;
    let analytics = app.get("/api/admin/v1/analytics", None, Some(&cookie))?;
    anyhow::ensure!(analytics.status == 200, "analytics answered {}: {}", analytics.status, analytics.json);
    let welcome = analytics.json["dialogues"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["id"] == "welcome").cloned())
        .ok_or_else(|| anyhow::anyhow!("no welcome row: {}", analytics.json))?;
    anyhow::ensure!(
        (welcome["triggered"].as_u64(), welcome["engaged"].as_u64(), welcome["completed"].as_u64())
            == (Some(2), Some(1), Some(1)),
        "the events made offline were not counted: {welcome}"
    );
    Ok(())
}
