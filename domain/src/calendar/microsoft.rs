//! Microsoft Graph (v1.0) calendars on the wire: free/busy time through `getSchedule`, creating,
//! moving and cancelling an event with a Teams meeting, and Graph's error envelope.
//!
//! Paths are relative to [`API_BASE`]; the edge sends every call with
//! `Authorization: Bearer <access token>`, JSON bodies, and [`PREFER_UTC`] as the `Prefer`
//! header of `getSchedule` (so the answer's times are UTC). Decided here: the bodies, which
//! free/busy states are busy (`busy`, `oof`, `tentative`; not `free`, `workingElsewhere` or
//! `unknown`), which zone an event is written in, and which answers mean what ([`classify`]).
//! Left to the caller: the mailbox address `getSchedule` needs (`GET /me`'s `mail`), and
//! refreshing the token on [`CalendarError::TokenExpired`].

use super::wire::{json_object, one_line, percent_encode, str_at};
use super::{CalendarError, CreatedEvent, EventSpec, parse_retry_after};
use crate::availability::Interval;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

/// The API's base URL; every path below is relative to it.
pub const API_BASE: &str = "https://graph.microsoft.com/v1.0";

/// `POST` here with [`get_schedule_body`] (and the `Prefer` header [`PREFER_UTC`]).
pub const SCHEDULE_PATH: &str = "/me/calendar/getSchedule";

/// `POST` here with [`event_body`] to create an event in the account's default calendar.
pub const EVENTS_PATH: &str = "/me/events";

/// The `Prefer` header value that makes Graph answer `getSchedule` in UTC.
pub const PREFER_UTC: &str = "outlook.timezone=\"UTC\"";

/// The IANA zones Graph accepts in an event's `timeZone` besides Windows names, as its
/// `dateTimeTimeZone` reference lists them (plus current spellings of renamed ones). An event
/// in another zone is written in UTC.
const GRAPH_IANA_ZONES: &[&str] = &[
    "Etc/GMT+12",
    "Etc/GMT+11",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Santa_Isabel",
    "America/Los_Angeles",
    "America/Phoenix",
    "America/Chihuahua",
    "America/Denver",
    "America/Guatemala",
    "America/Chicago",
    "America/Mexico_City",
    "America/Regina",
    "America/Bogota",
    "America/New_York",
    "America/Indiana/Indianapolis",
    "America/Caracas",
    "America/Asuncion",
    "America/Halifax",
    "America/Cuiaba",
    "America/La_Paz",
    "America/Santiago",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/Cayenne",
    "America/Godthab",
    "America/Montevideo",
    "America/Bahia",
    "Etc/GMT+2",
    "Atlantic/Azores",
    "Atlantic/Cape_Verde",
    "Africa/Casablanca",
    "Etc/GMT",
    "Europe/London",
    "Atlantic/Reykjavik",
    "Europe/Berlin",
    "Europe/Budapest",
    "Europe/Paris",
    "Europe/Warsaw",
    "Africa/Lagos",
    "Africa/Windhoek",
    "Europe/Bucharest",
    "Asia/Beirut",
    "Africa/Cairo",
    "Asia/Damascus",
    "Africa/Johannesburg",
    "Europe/Kyiv",
    "Europe/Kiev",
    "Europe/Istanbul",
    "Asia/Jerusalem",
    "Asia/Amman",
    "Asia/Baghdad",
    "Europe/Kaliningrad",
    "Asia/Riyadh",
    "Africa/Nairobi",
    "Asia/Tehran",
    "Asia/Dubai",
    "Asia/Baku",
    "Europe/Moscow",
    "Indian/Mauritius",
    "Asia/Tbilisi",
    "Asia/Yerevan",
    "Asia/Kabul",
    "Asia/Karachi",
    "Asia/Tashkent",
    "Asia/Kolkata",
    "Asia/Colombo",
    "Asia/Kathmandu",
    "Asia/Almaty",
    "Asia/Dhaka",
    "Asia/Yekaterinburg",
    "Asia/Yangon",
    "Asia/Rangoon",
    "Asia/Bangkok",
    "Asia/Novosibirsk",
    "Asia/Shanghai",
    "Asia/Krasnoyarsk",
    "Asia/Singapore",
    "Australia/Perth",
    "Asia/Taipei",
    "Asia/Ulaanbaatar",
    "Asia/Irkutsk",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Port_Moresby",
    "Australia/Hobart",
    "Asia/Yakutsk",
    "Pacific/Guadalcanal",
    "Asia/Vladivostok",
    "Pacific/Auckland",
    "Etc/GMT-12",
    "Pacific/Fiji",
    "Asia/Magadan",
    "Pacific/Tongatapu",
    "Pacific/Apia",
    "Pacific/Kiritimati",
];

/// `/me/events/{id}`: `PATCH` here with [`patch_event_body`], or `DELETE`. The id is
/// percent-encoded (Graph ids end in `=` and may hold `/`, `+` or `-`).
pub fn event_path(event_id: &str) -> String {
    format!("{EVENTS_PATH}/{}", percent_encode(event_id))
}

/// `/me/events/{id}/cancel`: `POST` here with [`cancel_body`]. Only the organizer may cancel
/// (an attendee gets a 400); Graph emails the attendees and moves the event to Deleted Items.
pub fn cancel_path(event_id: &str) -> String {
    format!("{}/cancel", event_path(event_id))
}

/// A UTC instant as Graph's `dateTimeTimeZone` in UTC: `{"dateTime": "2026-12-01T15:00:00",
/// "timeZone": "UTC"}`.
fn utc_date_time(t: DateTime<Utc>) -> Value {
    json!({ "dateTime": t.format("%Y-%m-%dT%H:%M:%S").to_string(), "timeZone": "UTC" })
}

/// The body of `POST` [`SCHEDULE_PATH`] for one mailbox over `[from, until)`: `schedules`,
/// `startTime` and `endTime` in UTC, and `availabilityViewInterval` 15 (minutes; the view is
/// not read, the schedule items are).
pub fn get_schedule_body(email: &str, from: DateTime<Utc>, until: DateTime<Utc>) -> String {
    json!({
        "schedules": [email],
        "startTime": utc_date_time(from),
        "endTime": utc_date_time(until),
        "availabilityViewInterval": 15,
    })
    .to_string()
}

/// Reads the answer to [`get_schedule_body`]: the busy time of `email`'s schedule.
///
/// A non-2xx answer is [`classify`]'d. The schedule is the `value` entry whose `scheduleId` is
/// `email` (ignoring case), or the only entry. A schedule `error` (an unknown mailbox, no
/// permission to see it) is [`CalendarError::Rejected`]. Items whose `status` is `busy`, `oof`
/// or `tentative` (ignoring case) are busy; `free`, `workingElsewhere` and `unknown` are not.
/// Item times are `dateTime` (`2026-12-01T15:00:00.0000000`, seven fraction digits) in their
/// `timeZone`: `UTC` when [`PREFER_UTC`] was sent, an IANA zone is converted too, a Windows
/// zone name cannot be read here and is [`CalendarError::Rejected`] (send [`PREFER_UTC`]).
/// Unreadable times are [`CalendarError::Transient`].
pub fn parse_schedule(
    status: u16,
    body: &str,
    email: &str,
    retry_after: Option<&str>,
) -> Result<Vec<Interval>, CalendarError> {
    if !(200..300).contains(&status) {
        return Err(classify(status, body, retry_after));
    }
    let garbled = |what: &str| CalendarError::Transient(format!("Microsoft 365 answered {what}"));
    let json = json_object(body).ok_or_else(|| garbled("a schedule query with something that is not JSON"))?;
    let Some(Value::Array(schedules)) = json.get("value") else {
        return Err(garbled("a schedule query without schedules"));
    };
    let schedule = schedules
        .iter()
        .find(|s| str_at(s, "scheduleId").is_some_and(|id| id.eq_ignore_ascii_case(email.trim())))
        .or(if schedules.len() == 1 { schedules.first() } else { None })
        .ok_or_else(|| garbled("a schedule query without the mailbox asked for"))?;
    if let Some(error) = schedule.get("error").filter(|e| !e.is_null()) {
        let code = str_at(error, "responseCode").unwrap_or("error");
        let message = one_line(str_at(error, "message").unwrap_or_default());
        return Err(CalendarError::Rejected(format!(
            "Microsoft 365 could not read the mailbox's schedule ({code}){}",
            if message.is_empty() { String::new() } else { format!(": {message}") }
        )));
    }
    let items = match schedule.get("scheduleItems") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(garbled("schedule items that are not a list")),
    };
    let mut busy = Vec::new();
    for item in items {
        let state = str_at(item, "status").unwrap_or_default().to_ascii_lowercase();
        if !matches!(state.as_str(), "busy" | "oof" | "tentative") {
            continue;
        }
        let start = instant(item.get("start"))?;
        let end = instant(item.get("end"))?;
        if start < end {
            busy.push(Interval { start, end });
        }
    }
    Ok(busy)
}

/// A `dateTimeTimeZone` from an answer as a UTC instant.
fn instant(value: Option<&Value>) -> Result<DateTime<Utc>, CalendarError> {
    let garbled = || CalendarError::Transient("Microsoft 365 answered a time that cannot be read".to_owned());
    let value = value.ok_or_else(garbled)?;
    let text = str_at(value, "dateTime").ok_or_else(garbled)?;
    let zone = str_at(value, "timeZone").unwrap_or("UTC");
    let local = NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), "%Y-%m-%dT%H:%M"))
        .map_err(|_| garbled())?;
    if matches!(zone, "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "Z") {
        return Ok(local.and_utc());
    }
    let Ok(tz) = zone.parse::<Tz>() else {
        return Err(CalendarError::Rejected(format!(
            "Microsoft 365 answered in the time zone {:?}; send the header Prefer: {PREFER_UTC}",
            one_line(zone)
        )));
    };
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)).ok_or_else(garbled)
}

/// An event's start or end as Graph's `dateTimeTimeZone`: local time without offset in the
/// agent's zone when Graph knows that zone ([`GRAPH_IANA_ZONES`]), otherwise in UTC.
fn event_date_time(t: DateTime<Utc>, time_zone: &str) -> Value {
    let known = GRAPH_IANA_ZONES.contains(&time_zone);
    match time_zone.parse::<Tz>() {
        Ok(tz) if known => json!({
            "dateTime": t.with_timezone(&tz).format("%Y-%m-%dT%H:%M:%S").to_string(),
            "timeZone": time_zone,
        }),
        _ => utc_date_time(t),
    }
}

/// The body of `POST` [`EVENTS_PATH`]: `subject`, a plain-text `body`, `start`/`end` (local
/// `dateTime` without offset and the agent's `timeZone`, or UTC when Graph does not list that
/// zone), the visitor as a required attendee, a Teams meeting (`isOnlineMeeting`,
/// `onlineMeetingProvider: teamsForBusiness`), and `transactionId` = the meeting's uid, which
/// makes Graph ignore a retried create. Graph makes the account the organizer;
/// [`EventSpec::organizer_email`] is not sent.
pub fn event_body(spec: &EventSpec) -> String {
    let mut address = Map::new();
    address.insert("address".to_owned(), Value::from(spec.attendee_email));
    if let Some(name) = spec.attendee_name.filter(|n| !n.trim().is_empty()) {
        address.insert("name".to_owned(), Value::from(name));
    }
    json!({
        "subject": spec.summary,
        "body": { "contentType": "text", "content": spec.description },
        "start": event_date_time(spec.start, spec.time_zone),
        "end": event_date_time(spec.end, spec.time_zone),
        "attendees": [{ "emailAddress": Value::Object(address), "type": "required" }],
        "isOnlineMeeting": true,
        "onlineMeetingProvider": "teamsForBusiness",
        "transactionId": spec.uid,
    })
    .to_string()
}

/// The body of `PATCH` [`event_path`] when a meeting moves: the new `start` and `end` only.
pub fn patch_event_body(spec: &EventSpec) -> String {
    json!({
        "start": event_date_time(spec.start, spec.time_zone),
        "end": event_date_time(spec.end, spec.time_zone),
    })
    .to_string()
}

/// The body of `POST` [`cancel_path`]: `{"comment"}`, the message sent to the attendees.
pub fn cancel_body(comment: &str) -> String {
    json!({ "comment": comment }).to_string()
}

/// Reads the answer to a create or a patch: the event's `id`, and the Teams link from
/// `onlineMeeting.joinUrl` (or the older `onlineMeetingUrl`).
///
/// A non-2xx answer is [`classify`]'d; a 2xx one without an id is [`CalendarError::Transient`].
/// `join_url` is `None` when the account cannot host Teams meetings (a personal account, a
/// tenant without Teams): the event is still written.
pub fn parse_event(status: u16, body: &str, retry_after: Option<&str>) -> Result<CreatedEvent, CalendarError> {
    if !(200..300).contains(&status) {
        return Err(classify(status, body, retry_after));
    }
    let event = json_object(body).map(Value::Object).unwrap_or(Value::Null);
    let Some(id) = str_at(&event, "id") else {
        return Err(CalendarError::Transient("Microsoft 365 answered without the event's id".to_owned()));
    };
    let join_url = event
        .get("onlineMeeting")
        .and_then(|m| str_at(m, "joinUrl"))
        .or_else(|| str_at(&event, "onlineMeetingUrl"))
        .map(str::to_owned);
    Ok(CreatedEvent { id: id.to_owned(), join_url })
}

/// Reads an answer without a body worth reading (cancel: 202, delete: 204, a patch whose answer
/// is not needed): 2xx is done, and so are 404 and 410 (the event is already gone). Anything
/// else is [`classify`]'d.
pub fn parse_empty(status: u16, body: &str, retry_after: Option<&str>) -> Result<(), CalendarError> {
    match status {
        200..=299 | 404 | 410 => Ok(()),
        _ => Err(classify(status, body, retry_after)),
    }
}

/// Codes that mean the account has no Exchange Online mailbox Graph can reach: nothing works
/// until another account is connected.
const NO_MAILBOX_CODES: [&str; 3] =
    ["MailboxNotEnabledForRESTAPI", "MailboxNotSupportedForRESTAPI", "ErrorMailboxNotEnabledForRESTAPI"];

/// The error a failed Graph call stands for, from its status, its error envelope
/// (`{"error": {"code", "message"}}`) and its `Retry-After` header.
///
/// - 401 (`InvalidAuthenticationToken`) is [`CalendarError::TokenExpired`];
/// - 429, 503 and 504 are [`CalendarError::Throttled`] (Graph's throttling answers);
/// - 403 (`ErrorAccessDenied`, `Authorization_RequestDenied`: consent or a scope is missing)
///   and the no-mailbox codes (`MailboxNotEnabledForRESTAPI`, whatever the status) are
///   [`CalendarError::Revoked`]: only reconnecting (another account) fixes them;
/// - 404 and 410 (`ErrorItemNotFound`) are [`CalendarError::NotFound`];
/// - 408 and other 5xx are [`CalendarError::Transient`];
/// - other 4xx (400 `ErrorInvalidIdMalformed`, "You need to be an organizer to cancel a
///   meeting", 409, 412, …) are [`CalendarError::Rejected`] with Graph's code and message;
/// - a 2xx answer handed here (one that could not be read) is [`CalendarError::Transient`].
pub fn classify(status: u16, body: &str, retry_after: Option<&str>) -> CalendarError {
    let retry_after_ms = retry_after.and_then(parse_retry_after);
    let error = json_object(body).and_then(|mut j| j.remove("error")).unwrap_or(Value::Null);
    let code = str_at(&error, "code").unwrap_or_default();
    let message = one_line(str_at(&error, "message").unwrap_or_default());
    let said = match (code.is_empty(), message.is_empty()) {
        (true, true) => format!("(HTTP {status})"),
        (false, true) => format!("(HTTP {status}, {code})"),
        (true, false) => format!("(HTTP {status}): {message}"),
        (false, false) => format!("(HTTP {status}, {code}): {message}"),
    };
    if NO_MAILBOX_CODES.contains(&code) {
        return CalendarError::Revoked(format!(
            "the connected Microsoft account has no Exchange Online mailbox Confab can use {said}"
        ));
    }
    match status {
        401 => CalendarError::TokenExpired,
        429 | 503 | 504 => CalendarError::Throttled { retry_after_ms },
        403 => CalendarError::Revoked(format!("Microsoft 365 denied Confab access to the calendar {said}")),
        404 | 410 => CalendarError::NotFound,
        408 | 500..=599 => CalendarError::Transient(format!("Microsoft 365 failed {said}")),
        400..=499 => CalendarError::Rejected(format!("Microsoft 365 refused the request {said}")),
        _ => CalendarError::Transient(format!("Microsoft 365 gave an answer that could not be read (HTTP {status})")),
    }
}
