//! `/api/admin/v1/meetings`: every meeting booked through the chat, filtered
//! (`?status=&agent=&from=&to=&dialogue=`), as JSON pages (`?limit=&offset=`, 100 by default)
//! or as CSV (`meetings.csv`, every match), and each meeting's history.

use super::slots::parse_time;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, MeetingFilter};
use confab_domain::api::Meetings;
use confab_domain::ids::is_valid_slug;
use confab_domain::meeting::MeetingStatus;
use worker::{D1Database, Headers, Request, Response};

/// The filter the request asks for; `only_agent` (an agent's own account) overrides its agent.
fn filter(req: &Request, only_agent: Option<&str>) -> ApiResult<MeetingFilter> {
    let time = |name: &'static str| -> ApiResult<_> {
        http::query(req, name)?
            .map(|s| {
                parse_time(&s).ok_or_else(|| {
                    ApiError::bad_request("invalid_filter", format!("`{name}` must be an RFC 3339 time."))
                })
            })
            .transpose()
    };
    let status = http::query(req, "status")?;
    if status.as_deref().is_some_and(|s| MeetingStatus::parse(s).is_none()) {
        return Err(ApiError::bad_request(
            "invalid_filter",
            "`status` must be one of pending_calendar, scheduled, rescheduled, canceled, completed, no_show.",
        ));
    }
    let agent = http::query(req, "agent")?;
    if agent.as_deref().is_some_and(|a| !is_valid_slug(a)) {
        return Err(ApiError::bad_request("invalid_filter", "`agent` must be an agent id."));
    }
    let dialogue = http::query(req, "dialogue")?;
    if dialogue.as_deref().is_some_and(|d| !is_valid_slug(d)) {
        return Err(ApiError::bad_request("invalid_filter", "`dialogue` must be a dialogue id."));
    }
    let agent = only_agent.map(str::to_owned).or(agent);
    Ok(MeetingFilter { status, agent, from: time("from")?, until: time("to")?, dialogue })
}

/// Most meetings on one page.
const MAX_PAGE: u32 = 500;

fn page_number(req: &Request, name: &'static str, default: u32, max: u32) -> ApiResult<u32> {
    match http::query(req, name)? {
        None => Ok(default),
        Some(v) => v.parse::<u32>().ok().filter(|n| *n <= max).ok_or_else(|| {
            ApiError::bad_request("invalid_page", format!("`{name}` must be a whole number from 0 to {max}."))
        }),
    }
}

/// Lists one page of meetings, soonest first.
pub async fn list_meetings(req: &Request, db: &D1Database, only_agent: Option<&str>) -> ApiResult<Response> {
    let filter = filter(req, only_agent)?;
    let limit = page_number(req, "limit", 100, MAX_PAGE)?.max(1);
    let offset = page_number(req, "offset", 0, u32::MAX)?;
    let meetings = store::meetings(db, &filter, limit, offset).await?;
    let total = store::count_meetings(db, &filter).await?;
    let shown = offset.saturating_add(meetings.len() as u32);
    let next_offset = (shown < total && !meetings.is_empty()).then_some(shown);
    http::json(200, &Meetings { meetings, total, next_offset })
}

/// The same list as CSV (RFC 4180), with cells that a spreadsheet would run as formulas
/// defused by a leading apostrophe.
pub async fn export_meetings(req: &Request, db: &D1Database, only_agent: Option<&str>) -> ApiResult<Response> {
    let meetings = store::meetings(db, &filter(req, only_agent)?, u32::MAX, 0).await?;
    let mut csv = String::from("id,site,agent_id,agent,start,end,email,name,status,booked_at,why\r\n");
    for m in meetings {
        let row = [
            m.id.as_str(),
            m.site.as_str(),
            m.agent.id.as_str(),
            &m.agent.name,
            &m.start,
            &m.end,
            &m.email,
            m.name.as_deref().unwrap_or(""),
            &m.status,
            &m.created_at,
            &m.explanation,
        ];
        csv += &row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
        csv += "\r\n";
    }
    let headers = Headers::new();
    headers.set("Content-Type", "text/csv; charset=utf-8")?;
    headers.set("Content-Disposition", "attachment; filename=\"meetings.csv\"")?;
    Ok(Response::ok(csv)?.with_headers(headers))
}

fn cell(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// A meeting's history, oldest first.
pub async fn meeting_history(db: &D1Database, id: &str) -> ApiResult<Response> {
    if !is_valid_slug(id) || store::meeting_state(db, id).await?.is_none() {
        return Err(ApiError::NotFound("No such meeting."));
    }
    http::json(200, &serde_json::json!({ "events": store::meeting_history(db, id).await? }))
}
