//! The admin API: sessions, and every route refused without one.

use anyhow::Result;
use confab_e2e::TestApp;

#[test]
fn admin_routes_need_a_session() -> Result<()> {
    let app = TestApp::start("admin-session")?;
    for path in ["/api/admin/v1/meetings", "/api/admin/v1/routing", "/api/admin/v1/session"] {
        let r = app.get(path, None, None)?;
        assert_eq!((r.status, r.error_code()), (401, Some("unauthorized")), "{path}");
        let r = app.get(path, None, Some("confab_session=forged"))?;
        assert_eq!(r.status, 401, "{path} with a forged cookie");
    }
    let wrong = serde_json::json!({ "email": "admin@demo.test", "password": "wrong password" }).to_string();
    let r = app.post("/api/admin/v1/session", &wrong, None, None)?;
    assert_eq!((r.status, r.error_code()), (401, Some("bad_credentials")));
    assert_eq!(r.set_cookie, None);

    let right = serde_json::json!({ "email": "admin@demo.test", "password": app.admin_password }).to_string();
    let r = app.post("/api/admin/v1/session", &right, None, None)?;
    assert_eq!(r.status, 204);
    let set_cookie = r.set_cookie.unwrap_or_default();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set_cookie.contains(attribute), "{set_cookie} lacks {attribute}");
    }
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_owned();
    for path in ["/api/admin/v1/meetings", "/api/admin/v1/routing", "/api/admin/v1/session"] {
        assert_eq!(app.get(path, None, Some(&cookie))?.status, 200, "{path}");
    }
    // A cross-site write is refused even with the cookie.
    let r = app.post("/api/admin/v1/session", &wrong, Some("https://evil.example"), Some(&cookie))?;
    assert_eq!((r.status, r.error_code()), (403, Some("cross_site")));

    let r = app.delete("/api/admin/v1/session", Some(&cookie))?;
    assert_eq!(r.status, 204);
    assert!(r.set_cookie.unwrap_or_default().contains("Max-Age=0"));
    assert_eq!(app.get("/api/admin/v1/meetings", None, Some(&cookie))?.status, 401);
    Ok(())
}
