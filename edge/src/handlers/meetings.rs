//! `/api/admin/v1/meetings`: every meeting booked through the chat, filtered
//! (`?status=&agent=&from=&to=`), as JSON or as CSV (`meetings.csv`), and each meeting's history.

use super::slots::parse_time;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::{self, MeetingFilter};
use confab_domain::api::Meetings;
use confab_domain::ids::is_valid_slug;
use confab_domain::meeting::MeetingStatus;
use worker::{D1Database, Headers, Request, Response};

fn filter(req: &Request) -> ApiResult<MeetingFilter> {
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
            "`status` must be one of scheduled, rescheduled, canceled, completed, no_show.",
        ));
    }
    let agent = http::query(req, "agent")?;
    if agent.as_deref().is_some_and(|a| !is_valid_slug(a)) {
        return Err(ApiError::bad_request("invalid_filter", "`agent` must be an agent id."));
    }
    Ok(MeetingFilter { status, agent, from: time("from")?, until: time("to")? })
}

/// Lists meetings, soonest first.
pub async fn list_meetings(req: &Request, db: &D1Database) -> ApiResult<Response> {
    http::json(200, &Meetings { meetings: store::meetings(db, &filter(req)?).await? })
}

/// The same list as CSV (RFC 4180), with cells that a spreadsheet would run as formulas
/// defused by a leading apostrophe.
pub async fn export_meetings(req: &Request, db: &D1Database) -> ApiResult<Response> {
    let meetings = store::meetings(db, &filter(req)?).await?;
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
