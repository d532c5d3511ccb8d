//! Browser journeys in headless Chromium (Playwright driving Debian's Chromium): the visitor's
//! booking on the demo host page, then the admin finding the meeting.

use anyhow::{Result, bail};
use confab_e2e::TestApp;
use confab_xtask::{install, project};
use std::process::Command;

#[test]
fn a_visitor_books_a_meeting_and_the_admin_sees_it() -> Result<()> {
    let app = TestApp::with_demo_host("browser-journey")?;
    let demo = app.demo.as_ref().map(|d| d.url()).unwrap_or_default();
    let shots = project::target().join("e2e/screenshots");
    std::fs::create_dir_all(&shots)?;
    let output = Command::new(project::node())
        .arg(project::root().join("tests/browser/journey.mjs"))
        .current_dir(project::root())
        .env("DEMO_URL", &demo)
        .env("EDGE_URL", app.base())
        .env("ADMIN_EMAIL", "admin@demo.test")
        .env("ADMIN_PASSWORD", &app.admin_password)
        .env("SCREENSHOTS", &shots)
        .env("CHROMIUM", install::CHROMIUM)
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    if !output.status.success() {
        bail!("the browser journey failed ({}):\n{stdout}\n{stderr}\nedge log: {}", output.status, app.log.display());
    }
    // The journey's booking is really stored, with the email typed in the browser.
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&app.sign_in()?))?;
    let emails: Vec<&str> = meetings.json["meetings"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(emails, ["ada@example.com"]);
    Ok(())
}
