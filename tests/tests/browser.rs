//! Browser journeys in headless Chromium (Playwright driving Debian's Chromium): the visitor's
//! booking on the demo host page, then the admin finding the meeting.

use anyhow::Result;
use confab_e2e::TestApp;

#[test]
fn a_visitor_books_a_meeting_and_the_admin_sees_it() -> Result<()> {
    let app = TestApp::with_demo_host("browser-journey")?;
    app.browse("journey.mjs", &[])?;
    // The journey's booking is really stored, with the email typed in the browser.
    let meetings = app.get("/api/admin/v1/meetings", None, Some(&app.sign_in()?))?;
    let emails: Vec<&str> = meetings.json["meetings"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(emails, ["ada@example.com"]);
    Ok(())
}
