//! Google Calendar API v3 on the wire: the free/busy query, inserting, moving and deleting an
//! event with a Google Meet link, and Google's error envelope.
//!
//! Paths are relative to [`API_BASE`]; the edge sends every call with
//! `Authorization: Bearer <access token>` and JSON bodies. Decided here: the request bodies,
//! which answers mean what ([`classify`]), and where the Meet link is read from. Left to the
//! caller: choosing the calendar (`primary` is the account's own), refreshing the token on
//! [`CalendarError::TokenExpired`], and fetching the event again later when Meet was still
//! being set up (`conferenceData.createRequest.status` `pending`) and no link came back.

use super::wire::{json_object, one_line, parse_rfc3339, percent_encode, rfc3339, str_at};
use super::{CalendarError, CreatedEvent, EventSpec, parse_retry_after};
use crate::availability::Interval;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// The API's base URL; every path below is relative to it.
pub const API_BASE: &str = "https://www.googleapis.com/calendar/v3";

/// `POST` here with [`freebusy_body`].
pub const FREEBUSY_PATH: &str = "/freeBusy";

/// Query string of every event call: ask for conference data (the Meet link) and let Google
/// email the attendees about the change.
const EVENT_QUERY: &str = "conferenceDataVersion=1&sendUpdates=all";

/// Error reasons Google uses when Confab calls too often or a usage limit is reached.
const RATE_REASONS: [&str; 5] =
    ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded", "variableTermLimitExceeded"];

/// The body of `POST /freeBusy` for one calendar over `[from, until)`, answered in UTC:
/// `{"timeMin", "timeMax", "timeZone": "UTC", "items": [{"id"}]}`.
pub fn freebusy_body(calendar_id: &str, from: DateTime<Utc>, until: DateTime<Utc>) -> String {
    json!({
        "timeMin": rfc3339(from),
        "timeMax": rfc3339(until),
        "timeZone": "UTC",
        "items": [{ "id": calendar_id }],
    })
    .to_string()
}

/// Reads the answer to [`freebusy_body`]: the busy periods of `calendar_id`, in Google's order.
///
/// A non-2xx answer is [`classify`]'d. The calendar is looked up by the id asked for (or, when
/// the answer holds exactly one calendar under another key, that one). A per-calendar `errors`
/// entry fails the whole answer: `notFound` (an unknown calendar, or one Confab may not see)
/// and other reasons are [`CalendarError::Rejected`], `internalError` and `backendError`
/// [`CalendarError::Transient`]. A period that cannot be read is [`CalendarError::Transient`]
/// (busy time is never silently dropped); an empty or reversed one is left out.
pub fn parse_freebusy(
    status: u16,
    body: &str,
    calendar_id: &str,
    retry_after: Option<&str>,
) -> Result<Vec<Interval>, CalendarError> {
    if !(200..300).contains(&status) {
        return Err(classify(status, body, retry_after));
    }
    let garbled = |what: &str| CalendarError::Transient(format!("Google Calendar answered {what}"));
    let json = json_object(body).ok_or_else(|| garbled("a free/busy query with something that is not JSON"))?;
    let Some(Value::Object(calendars)) = json.get("calendars") else {
        return Err(garbled("a free/busy query without calendars"));
    };
    let calendar = match calendars.get(calendar_id) {
        Some(calendar) => calendar,
        None if calendars.len() == 1 => calendars.values().next().unwrap_or(&Value::Null),
        None => return Err(garbled("a free/busy query without the calendar asked for")),
    };
    if let Some(errors) = calendar.get("errors").and_then(Value::as_array).filter(|e| !e.is_empty()) {
        let reasons: Vec<&str> = errors.iter().filter_map(|e| str_at(e, "reason")).collect();
        let reason = reasons.first().copied().unwrap_or("unknown");
        return Err(match reason {
            "notFound" => CalendarError::Rejected(
                "Google Calendar does not know the calendar, or does not let Confab see it (notFound)".to_owned(),
            ),
            "internalError" | "backendError" => {
                CalendarError::Transient(format!("Google Calendar could not compute free/busy time ({reason})"))
            }
            _ => CalendarError::Rejected(format!("Google Calendar could not compute free/busy time ({reason})")),
        });
    }
    let periods = match calendar.get("busy") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(periods)) => periods,
        Some(_) => return Err(garbled("busy time that is not a list")),
    };
    let mut busy = Vec::with_capacity(periods.len());
    for period in periods {
        let start = str_at(period, "start").and_then(parse_rfc3339);
        let end = str_at(period, "end").and_then(parse_rfc3339);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(garbled("a busy period that cannot be read"));
        };
        if start < end {
            busy.push(Interval { start, end });
        }
    }
    Ok(busy)
}

/// `/calendars/{id}/events?conferenceDataVersion=1&sendUpdates=all`: `POST` here with
/// [`insert_event_body`]. The id is percent-encoded (addresses hold `@`, group calendars `#`).
pub fn events_path(calendar_id: &str) -> String {
    format!("/calendars/{}/events?{EVENT_QUERY}", percent_encode(calendar_id))
}

/// `/calendars/{id}/events/{event id}?conferenceDataVersion=1&sendUpdates=all`: `PATCH` here
/// with [`patch_event_body`], or `DELETE` (no body).
pub fn event_path(calendar_id: &str, event_id: &str) -> String {
    format!("/calendars/{}/events/{}?{EVENT_QUERY}", percent_encode(calendar_id), percent_encode(event_id))
}

/// A start or end as Google's `EventDateTime`: the instant in RFC 3339 UTC, and the agent's
/// zone (how Google shows it).
fn date_time(t: DateTime<Utc>, time_zone: &str) -> Value {
    json!({ "dateTime": rfc3339(t), "timeZone": time_zone })
}

/// The event id Confab gives the meeting `uid`'s event: its bytes in lowercase hex, which
/// Google accepts as a client-chosen id (base32hex letters `a`–`v` and digits, 5 to 1,024
/// characters). Inserting twice with one id answers 409 `duplicate` instead of making a
/// second event, so an insert whose answer was lost can be retried safely.
pub fn event_id(uid: &str) -> String {
    let mut id: String = uid.bytes().map(|b| format!("{b:02x}")).collect();
    while id.len() < 5 {
        id.push('0');
    }
    id.truncate(1024);
    id
}

/// Whether an insert was refused because an event with its id exists already (a retry of
/// an insert Google took): HTTP 409 with reason `duplicate`.
pub fn is_duplicate(status: u16, body: &str) -> bool {
    status == 409 && body.contains("duplicate")
}

/// The body of `POST` [`events_path`]: the event's own [`event_id`], `summary`, `description`, `start`/`end` (`dateTime` in
/// RFC 3339, `timeZone`), the visitor in `attendees`, a Google Meet `conferenceData.createRequest`
/// whose `requestId` is the meeting's uid (so a retried insert asks for the same conference),
/// and the uid again in `extendedProperties.private.confabMeetingId`. Google makes the
/// calendar's owner the organizer; [`EventSpec::organizer_email`] is not sent.
pub fn insert_event_body(spec: &EventSpec) -> String {
    let mut attendee = Map::new();
    attendee.insert("email".to_owned(), Value::from(spec.attendee_email));
    if let Some(name) = spec.attendee_name.filter(|n| !n.trim().is_empty()) {
        attendee.insert("displayName".to_owned(), Value::from(name));
    }
    json!({
        "id": event_id(spec.uid),
        "summary": spec.summary,
        "description": spec.description,
        "start": date_time(spec.start, spec.time_zone),
        "end": date_time(spec.end, spec.time_zone),
        "attendees": [Value::Object(attendee)],
        "conferenceData": {
            "createRequest": {
                "requestId": spec.uid,
                "conferenceSolutionKey": { "type": "hangoutsMeet" },
            },
        },
        "extendedProperties": { "private": { "confabMeetingId": spec.uid } },
    })
    .to_string()
}

/// The body of `PATCH` [`event_path`] when a meeting moves: the new `start` and `end` only.
pub fn patch_event_body(spec: &EventSpec) -> String {
    json!({
        "start": date_time(spec.start, spec.time_zone),
        "end": date_time(spec.end, spec.time_zone),
    })
    .to_string()
}

/// Reads the answer to an insert or a patch: the event's `id`, and the Meet link from
/// `hangoutLink` or else the `video` entry point of `conferenceData.entryPoints`.
///
/// A non-2xx answer is [`classify`]'d; a 2xx one without an id is [`CalendarError::Transient`].
/// `join_url` is `None` while Google is still creating the conference.
pub fn parse_event(status: u16, body: &str, retry_after: Option<&str>) -> Result<CreatedEvent, CalendarError> {
    if !(200..300).contains(&status) {
        return Err(classify(status, body, retry_after));
    }
    let event = json_object(body).map(Value::Object).unwrap_or(Value::Null);
    let Some(id) = str_at(&event, "id") else {
        return Err(CalendarError::Transient("Google Calendar answered without the event's id".to_owned()));
    };
    let video = || {
        event.get("conferenceData")?.get("entryPoints")?.as_array()?.iter().find_map(|entry| {
            (str_at(entry, "entryPointType") == Some("video")).then(|| str_at(entry, "uri")).flatten()
        })
    };
    let join_url = str_at(&event, "hangoutLink").or_else(video).map(str::to_owned);
    Ok(CreatedEvent { id: id.to_owned(), join_url })
}

/// Reads the answer to a `DELETE`: 2xx (Google sends 204) is done, and so are 404 and 410 (the
/// event is already gone). Anything else is [`classify`]'d.
pub fn parse_delete(status: u16, body: &str, retry_after: Option<&str>) -> Result<(), CalendarError> {
    match status {
        200..=299 | 404 | 410 => Ok(()),
        _ => Err(classify(status, body, retry_after)),
    }
}

/// Google's error envelope, `{"error": {"code", "message", "status", "errors": [{"domain",
/// "reason", "message"}]}}`, as far as it could be read.
struct Envelope {
    reasons: Vec<String>,
    message: String,
    status: String,
}

impl Envelope {
    fn read(body: &str) -> Envelope {
        let error = json_object(body).and_then(|mut j| j.remove("error")).unwrap_or(Value::Null);
        let reasons = error
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| str_at(e, "reason"))
            .map(str::to_owned)
            .collect();
        Envelope {
            reasons,
            message: one_line(str_at(&error, "message").unwrap_or_default()),
            status: str_at(&error, "status").unwrap_or_default().to_owned(),
        }
    }

    fn has_reason(&self, wanted: &[&str]) -> bool {
        self.reasons.iter().any(|r| wanted.contains(&r.as_str()))
    }

    /// `(HTTP 400, timeRangeEmpty): The specified time range is empty.`
    fn describe(&self, status: u16) -> String {
        let reason = self.reasons.first().map(|r| format!(", {r}")).unwrap_or_default();
        if self.message.is_empty() {
            format!("(HTTP {status}{reason})")
        } else {
            format!("(HTTP {status}{reason}): {}", self.message)
        }
    }
}

/// The error a failed Google Calendar call stands for, from its status, its error envelope and
/// its `Retry-After` header.
///
/// - 401 (`authError`) is [`CalendarError::TokenExpired`];
/// - 429, a 403 with a rate or usage-limit reason (`rateLimitExceeded`,
///   `userRateLimitExceeded`, `quotaExceeded`, `dailyLimitExceeded`) and a 503 with
///   `Retry-After` are [`CalendarError::Throttled`];
/// - a 403 `insufficientPermissions` (the admin did not grant every scope: Google's consent
///   screen lets them untick some) is [`CalendarError::Revoked`]: only reconnecting fixes it;
/// - 404 and 410 are [`CalendarError::NotFound`];
/// - 408 and 5xx are [`CalendarError::Transient`];
/// - other 4xx (400 `timeRangeEmpty`, 403 `forbiddenForNonOrganizer`, 409 duplicate, …) are
///   [`CalendarError::Rejected`] with Google's reason and message;
/// - a 2xx answer handed here (one that could not be read) is [`CalendarError::Transient`].
pub fn classify(status: u16, body: &str, retry_after: Option<&str>) -> CalendarError {
    let retry_after_ms = retry_after.and_then(parse_retry_after);
    let envelope = Envelope::read(body);
    let rate_limited = envelope.has_reason(&RATE_REASONS) || envelope.status == "RESOURCE_EXHAUSTED";
    match status {
        401 => CalendarError::TokenExpired,
        429 => CalendarError::Throttled { retry_after_ms },
        403 if rate_limited => CalendarError::Throttled { retry_after_ms },
        403 if envelope.has_reason(&["insufficientPermissions"]) => CalendarError::Revoked(format!(
            "Google Calendar says Confab lacks a permission it needs; reconnect and allow calendar access {}",
            envelope.describe(status)
        )),
        404 | 410 => CalendarError::NotFound,
        503 if retry_after_ms.is_some() => CalendarError::Throttled { retry_after_ms },
        408 | 500..=599 => CalendarError::Transient(format!("Google Calendar failed {}", envelope.describe(status))),
        400..=499 => {
            CalendarError::Rejected(format!("Google Calendar refused the request {}", envelope.describe(status)))
        }
        _ => CalendarError::Transient(format!("Google Calendar gave an answer that could not be read (HTTP {status})")),
    }
}
