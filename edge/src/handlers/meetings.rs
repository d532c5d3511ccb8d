//! `GET /api/admin/v1/meetings`: every meeting booked through the chat.

use crate::error::ApiResult;
use crate::http;
use crate::store;
use confab_domain::api::Meetings;
use worker::{D1Database, Response};

/// Lists meetings, soonest first.
pub async fn list_meetings(db: &D1Database) -> ApiResult<Response> {
    http::json(200, &Meetings { meetings: store::meetings(db).await? })
}
