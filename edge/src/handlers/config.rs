//! `/api/admin/v1/config?site=`: a site's configuration as the admin's Configuration tab edits
//! it: name, allowed origins (where the widget may run), branding, and what to paste (the
//! install snippet and the Content-Security-Policy a site needs).

use crate::error::{ApiError, ApiResult};
use crate::http;
use confab_domain::api::{Branding, MAX_AVATAR_BYTES};
use serde::Deserialize;
use std::collections::BTreeMap;
use worker::{D1Database, Request, Response};

/// Most origins one site may allow.
const MAX_ORIGINS: usize = 50;

#[derive(Deserialize)]
struct SiteRow {
    name: String,
    allowed_origins: String,
    branding: String,
}

/// Whether `origin` is a bare `scheme://host[:port]` origin (what browsers send in `Origin`).
fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else { return false };
    let host_ok = |h: &str| {
        !h.is_empty() && h.len() <= 253 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    matches!(scheme, "https" | "http")
        && host_ok(host)
        && port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()))
}

async fn answer(req: &Request, db: &D1Database, site: &str) -> ApiResult<Response> {
    let row: SiteRow = db
        .prepare("SELECT name, allowed_origins, branding FROM sites WHERE id = ?1")
        .bind(&[site.into()])?
        .first(None)
        .await?
        .ok_or(ApiError::NotFound("Unknown site."))?;
    let branding: Branding = serde_json::from_str(&row.branding).unwrap_or_default();
    let origins: Vec<String> = serde_json::from_str(&row.allowed_origins).unwrap_or_default();
    let edge = req.url()?.origin().ascii_serialization();
    let snippet = format!("<script src=\"{edge}/widget.js\" data-site=\"{site}\" async></script>");
    let csp = format!(
        "script-src 'self' {edge} 'wasm-unsafe-eval'; connect-src 'self' {edge}; img-src 'self' {edge} data:; style-src 'self'"
    );
    let warnings: BTreeMap<&str, String> = branding.contrast_warnings().into_iter().collect();
    http::json(
        200,
        &serde_json::json!({
            "site": site,
            "name": row.name,
            "allowed_origins": origins,
            "branding": branding,
            "contrast_warnings": warnings,
            "snippet": snippet,
            "csp": csp,
        }),
    )
}

/// `GET /api/admin/v1/config?site=`.
pub async fn get(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    answer(req, db, &site).await
}

#[derive(Deserialize)]
struct ConfigBody {
    name: Option<String>,
    allowed_origins: Option<Vec<String>>,
    branding: Option<Branding>,
}

/// `PUT /api/admin/v1/config?site=` `{name?, allowed_origins?, branding?}`: every problem is
/// answered at once, by field (`invalid_config` with `fields`), and nothing is stored unless
/// all of it is valid.
pub async fn put(req: &mut Request, db: &D1Database) -> ApiResult<Response> {
    let site = http::site_param(req)?;
    let body: ConfigBody = http::json_body_up_to(req, MAX_AVATAR_BYTES + 64 * 1024).await?;
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    let name = body.name.as_deref().map(str::trim);
    if name.is_some_and(|n| n.is_empty() || n.chars().count() > 100) {
        problems.insert("name".into(), "The site's name must be 1 to 100 characters.".into());
    }
    let origins: Option<Vec<String>> = body.allowed_origins.map(|list| {
        let mut clean: Vec<String> = list.iter().map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase()).collect();
        clean.sort();
        clean.dedup();
        clean
    });
    if let Some(list) = &origins {
        if let Some(bad) = list.iter().find(|o| !is_origin(o)) {
            problems.insert(
                "allowed_origins".into(),
                format!("{bad:?} is not an origin: write it like https://www.example.com, without a path."),
            );
        } else if list.len() > MAX_ORIGINS {
            problems.insert("allowed_origins".into(), format!("A site may allow at most {MAX_ORIGINS} origins."));
        }
    }
    if let Some(branding) = &body.branding {
        for (field, message) in branding.problems() {
            problems.entry(format!("branding.{field}")).or_insert(message);
        }
    }
    if !problems.is_empty() {
        let body = serde_json::json!({
            "error": { "code": "invalid_config", "message": "Please fix the fields marked.", "fields": problems }
        });
        return http::json(400, &body);
    }
    let branding = body.branding.as_ref().map(serde_json::to_string).transpose()?;
    let origins = origins.as_ref().map(serde_json::to_string).transpose()?;
    let opt = |s: Option<&str>| s.map_or(wasm_bindgen::JsValue::NULL, Into::into);
    db.prepare(
        "UPDATE sites SET name = COALESCE(?2, name), allowed_origins = COALESCE(?3, allowed_origins),
           branding = COALESCE(?4, branding) WHERE id = ?1",
    )
    .bind(&[site.as_str().into(), opt(name), opt(origins.as_deref()), opt(branding.as_deref())])?
    .run()
    .await?;
    answer(req, db, &site).await
}
