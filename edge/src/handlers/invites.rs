//! `GET /api/v1/invites/{site}/{meeting}.ics?sig=`: the visitor's calendar invitation
//! (RFC 5545), behind a link signed with the site's key, so no account is needed and nobody
//! can read another visitor's meeting by guessing ids. It is opened by navigation, so it sits
//! outside the widget API's origin check.

use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store;
use chrono::{DateTime, Utc};
use confab_domain::auth::{sign, verify_signature};
use confab_domain::ics::{Invite, InviteMethod, Person, file_name};
use confab_domain::ids::is_valid_slug;
use worker::{D1Database, Headers, Request, Response};

/// What the signature of an invitation link covers.
const PURPOSE: &str = "invite";

/// The signed path of a meeting's invitation.
pub fn invite_path(secret: &str, site: &str, meeting: &str) -> Option<String> {
    (!secret.is_empty()).then(|| {
        format!(
            "/api/v1/invites/{site}/{meeting}.ics?sig={}",
            sign(secret.as_bytes(), PURPOSE, &format!("{site}/{meeting}"))
        )
    })
}

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// Answers the invitation, or 404 for an unknown meeting or a bad signature (the same answer,
/// so a wrong guess learns nothing).
pub async fn get_invite(req: &Request, db: &D1Database, site_id: &str, file: &str) -> ApiResult<Response> {
    const NOT_FOUND: ApiError = ApiError::NotFound("No such invitation.");
    let meeting = file.strip_suffix(".ics").filter(|m| is_valid_slug(m) && is_valid_slug(site_id)).ok_or(NOT_FOUND)?;
    let sig = http::query(req, "sig")?.unwrap_or_default();
    let site = store::site(db, site_id).await.map_err(|_| NOT_FOUND)?;
    if !verify_signature(site.link_secret.as_bytes(), PURPOSE, &format!("{site_id}/{meeting}"), &sig) {
        return Err(NOT_FOUND);
    }
    let row = store::invite(db, site_id, meeting).await?.ok_or(NOT_FOUND)?;
    let host = req.url()?.host_str().unwrap_or("confab").to_owned();
    let summary = format!("Meeting with {}", row.agent_name);
    let invite = Invite {
        uid: format!("{meeting}@{host}"),
        sequence: row.sequence,
        stamp: time(&row.created_at),
        start: time(&row.start_at),
        end: time(&row.end_at),
        summary: summary.clone(),
        description: format!("Booked through the {} chat.", site.branding.bot_name),
        location: None,
        organizer: Person {
            name: Some(row.agent_name),
            email: row.agent_email.unwrap_or_else(|| format!("no-reply@{host}")),
        },
        attendee: Person { name: row.name, email: row.email },
        method: if row.status == "canceled" { InviteMethod::Cancel } else { InviteMethod::Request },
    };
    let method = if invite.method == InviteMethod::Cancel { "CANCEL" } else { "REQUEST" };
    let headers = Headers::new();
    headers.set("Content-Type", &format!("text/calendar; charset=utf-8; method={method}"))?;
    headers.set("Content-Disposition", &format!("attachment; filename=\"{}\"", file_name(&summary)))?;
    headers.set("Cache-Control", "private, no-store")?;
    Ok(Response::ok(invite.to_ics())?.with_headers(headers))
}
