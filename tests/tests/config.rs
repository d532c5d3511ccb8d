//! A site's configuration over HTTP: branding and allowed origins validated field by field,
//! contrast warnings, what visitors get, and the snippet and CSP to paste.

use anyhow::{Result, ensure};
use confab_e2e::{DEMO_ORIGIN, TestApp};
use serde_json::json;

#[test]
fn branding_and_origins_are_validated_and_reach_visitors() -> Result<()> {
    let app = TestApp::start("config")?;
    let cookie = app.sign_in()?;
    let config = app.get("/api/admin/v1/config", None, Some(&cookie))?;
    ensure!(config.status == 200, "config: {} {}", config.status, config.json);
    let snippet = config.json["snippet"].as_str().unwrap_or_default();
    ensure!(
        snippet.contains(&format!("{}/widget.js", app.base())) && snippet.contains("data-site=\"demo\""),
        "{snippet}"
    );
    ensure!(config.json["csp"].as_str().is_some_and(|c| c.contains("'wasm-unsafe-eval'")), "{}", config.json);

    // Every bad field is named; nothing is stored.
    let mut branding = config.json["branding"].clone();
    branding["primary_color"] = json!("purple");
    branding["avatar"] = json!("data:image/svg+xml;base64,PHN2Zz4=");
    let bad = json!({ "branding": branding, "allowed_origins": ["https://ok.example.com", "ftp://nope"] });
    let refused = app.put("/api/admin/v1/config", &bad.to_string(), Some(&cookie))?;
    ensure!(refused.error_code() == Some("invalid_config"), "{}", refused.json);
    let fields = &refused.json["error"]["fields"];
    for field in ["branding.primary_color", "branding.avatar", "allowed_origins"] {
        ensure!(fields[field].is_string(), "{field} not reported: {}", refused.json);
    }
    let boot = app.get("/api/v1/sites/demo/bootstrap", Some(DEMO_ORIGIN), None)?;
    ensure!(boot.json["branding"]["primary_color"] == "#4f46e5", "a refused change was stored: {}", boot.json);

    // A pale accent is saved with a contrast warning, and visitors get it.
    let mut branding = config.json["branding"].clone();
    branding["primary_color"] = json!("#ffff66");
    branding["bot_name"] = json!("Ava");
    let origins = json!([DEMO_ORIGIN, "https://www.example.com/"]);
    let saved = app.put(
        "/api/admin/v1/config",
        &json!({ "branding": branding, "allowed_origins": origins }).to_string(),
        Some(&cookie),
    )?;
    ensure!(saved.status == 200, "save: {} {}", saved.status, saved.json);
    ensure!(saved.json["contrast_warnings"]["on_primary_color"].is_string(), "no contrast warning: {}", saved.json);
    ensure!(saved.json["allowed_origins"] == json!([DEMO_ORIGIN, "https://www.example.com"]), "{}", saved.json);
    let boot = app.get("/api/v1/sites/demo/bootstrap", Some(DEMO_ORIGIN), None)?;
    ensure!(
        boot.json["branding"]["primary_color"] == "#ffff66" && boot.json["branding"]["bot_name"] == "Ava",
        "{}",
        boot.json
    );
    let other = app.get("/api/v1/sites/demo/bootstrap", Some("https://www.example.com"), None)?;
    ensure!(other.status == 200, "a newly allowed origin is refused: {}", other.status);
    Ok(())
}
