//! The calendar write-back: makes the agent's calendar match each queued meeting (create
//! the event, move it, or delete it), retrying with backoff until it does.
//!
//! Invariants: a meeting is queued in the same D1 batch as the change that needs it (booking,
//! move, cancel), so no change is forgotten; each attempt first claims the row (pushing its
//! due time forward), so the request's own attempt under `waitUntil` and the routing pool's
//! alarm never write the same meeting at once; what to do is decided from the meeting as it
//! is now (a meeting moved twice before the first write is created once, at its latest
//! time); writes are idempotent by the meeting id (Google: the event's own id; Microsoft:
//! `transactionId`; CalDAV: the resource name), so an answer lost after the provider took a
//! write never duplicates the event.

use super::Calendar;
use crate::clock;
use crate::error::ApiResult;
use crate::store::calendars as stored;
use chrono::DateTime;
use confab_domain::availability::ScheduleSpec;
use confab_domain::calendar::{CalendarError, EventSpec};
use confab_domain::meeting::MeetingStatus;
use worker::{D1Database, Env};

/// How long a claim holds a meeting against other workers.
const LEASE_MS: i64 = 60_000;
/// First retry delay; doubled per attempt.
const FIRST_RETRY_MS: i64 = 1_000;
/// Longest delay between attempts.
const MAX_RETRY_MS: i64 = 15 * 60_000;

/// The delay before attempt `attempt + 1`, or the provider's own `Retry-After` when longer.
pub fn retry_delay_ms(attempt: u32, error: &CalendarError) -> i64 {
    let ours = FIRST_RETRY_MS.saturating_mul(1_i64 << attempt.saturating_sub(1).min(20)).min(MAX_RETRY_MS);
    match error {
        CalendarError::Throttled { retry_after_ms: Some(theirs) } => {
            ours.max(i64::try_from(*theirs).unwrap_or(MAX_RETRY_MS)).min(MAX_RETRY_MS)
        }
        _ => ours,
    }
}

/// What the calendar holds after a write: the event id (none once deleted), the start it was
/// written with, and the join link.
type Written = (Option<String>, Option<i64>, Option<String>);

/// What an attempt did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Not due, or another worker holds it.
    NotClaimed,
    /// The calendar matches the meeting.
    Done,
    /// It failed; the next attempt is due at this time (Unix ms).
    RetryAt(i64),
}

/// One attempt at meeting `id`.
pub async fn sync_one(env: &Env, db: &D1Database, id: &str) -> ApiResult<Outcome> {
    let now = clock::now();
    let now_ms = now.timestamp_millis();
    let Some(attempt) = stored::claim(db, id, now_ms, now_ms + LEASE_MS).await? else {
        return Ok(Outcome::NotClaimed);
    };
    let Some(meeting) = stored::sync_meeting(db, id).await? else {
        stored::synced(db, id, None, None, None, now).await?;
        return Ok(Outcome::Done);
    };
    let connection = stored::connection(db, &meeting.agent_id).await?;
    let calendar = connection
        .as_ref()
        .filter(|c| c.provider == meeting.calendar_provider)
        .and_then(|c| Calendar::open(env, db, c));
    let Some(calendar) = calendar else {
        // The agent went back to the built-in calendar (or to another provider): nothing
        // outside holds this meeting any more, so there is nothing to write.
        stored::synced(db, id, meeting.calendar_event_id.as_deref(), None, None, now).await?;
        return Ok(Outcome::Done);
    };
    let status = MeetingStatus::parse(&meeting.status).unwrap_or(MeetingStatus::Canceled);
    let start_ms = meeting.start_ms as i64;
    let outcome: Result<Written, CalendarError> = match (status.is_active(), meeting.calendar_event_id.as_deref()) {
        (true, existing)
            if existing.is_none() || meeting.calendar_synced_start_ms.map(|s| s as i64) != Some(start_ms) =>
        {
            let zone = serde_json::from_str::<ScheduleSpec>(&meeting.schedule)
                .map(|s| s.time_zone)
                .unwrap_or_else(|_| "UTC".to_owned());
            let summary = format!("Meeting with {}", meeting.name.as_deref().unwrap_or(&meeting.email));
            let description =
                format!("Booked through Confab chat with {}. Meeting id: {}.", meeting.agent_name, meeting.id);
            let spec = EventSpec {
                uid: &meeting.id,
                summary: &summary,
                description: &description,
                start: DateTime::from_timestamp_millis(start_ms).unwrap_or_default(),
                end: DateTime::from_timestamp_millis(meeting.end_ms as i64).unwrap_or_default(),
                time_zone: &zone,
                organizer_email: meeting.agent_email.as_deref(),
                attendee_email: &meeting.email,
                attendee_name: meeting.name.as_deref(),
            };
            calendar
                .put_event(&spec, existing, now_ms)
                .await
                .map(|created| (Some(created.id), Some(start_ms), created.join_url))
        }
        (true, Some(existing)) => Ok((Some(existing.to_owned()), Some(start_ms), None)),
        (false, Some(existing)) => calendar.delete_event(existing, now_ms).await.map(|()| (None, None, None)),
        (_, None) => Ok((None, None, None)),
    };
    calendar.record(&outcome, now_ms).await;
    match outcome {
        Ok((event, synced_start, join_url)) => {
            stored::synced(db, id, event.as_deref(), synced_start, join_url.as_deref(), now).await?;
            Ok(Outcome::Done)
        }
        Err(e) => {
            let at = now_ms + retry_delay_ms(attempt, &e);
            worker::console_log!("calendar write for a meeting failed (attempt {attempt}): {e}");
            stored::retry_later(db, id, at, &e.to_string()).await?;
            Ok(Outcome::RetryAt(at))
        }
    }
}

/// Works through the site's due meetings (at most `limit`); when the next one is due, if any.
pub async fn run_due(env: &Env, db: &D1Database, site: &str, limit: u32) -> ApiResult<Option<i64>> {
    let now_ms = clock::now().timestamp_millis();
    for id in stored::due(db, site, now_ms, limit).await? {
        if let Err(e) = sync_one(env, db, &id).await {
            worker::console_error!("calendar write-back failed: {e}");
        }
    }
    stored::next_due_ms(db, site).await
}
