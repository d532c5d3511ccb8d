//! The Calendar API v3 under `/calendar/v3`: `freeBusy.query`, `calendars.get`, and
//! `events.insert`, `get`, `patch`, `update`, `delete`, `list`, each behind the bearer token and
//! the scopes Google documents for it. A calendar id is `primary` or the account's own address;
//! other calendars are not found (free/busy excepted: it reads any account the fake knows).

use super::errors;
use super::events::{Events, ListQuery, Write};
use super::oauth::short_scope;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{
    Bearer, Common, Show, Zone, account_key, google_millis, merge, parse_rfc3339, percent_decode, zone,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Scopes that allow `freeBusy.query`.
const FREEBUSY: &[&str] = &["calendar", "calendar.readonly", "calendar.freebusy", "calendar.events.freebusy"];
/// Scopes that allow reading events.
const READ_EVENTS: &[&str] = &[
    "calendar",
    "calendar.readonly",
    "calendar.events",
    "calendar.events.readonly",
    "calendar.events.owned",
    "calendar.events.owned.readonly",
    "calendar.app.created",
];
/// Scopes that allow writing events.
const WRITE_EVENTS: &[&str] = &["calendar", "calendar.events", "calendar.events.owned", "calendar.app.created"];
/// Scopes that allow reading a calendar's metadata.
const READ_CALENDAR: &[&str] =
    &["calendar", "calendar.readonly", "calendar.calendars", "calendar.calendars.readonly", "calendar.app.created"];

/// The most results `events.list` returns per page, and its default.
const MAX_RESULTS: usize = 2500;
const DEFAULT_RESULTS: usize = 250;

/// Serves a call under `/calendar/v3`.
pub(crate) fn serve(events: &mut Events, common: &mut Common, request: &Request) -> Response {
    let now = common.clock.now();
    let Ok(bearer) = common.grants.bearer(request.bearer(), now) else { return errors::unauthenticated() };
    let rest = request.path.strip_prefix("/calendar/v3/").unwrap_or_default();
    let segments: Vec<String> = rest.split('/').map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = request.method.as_str();
    let needs = |scopes: &[&str]| bearer.has_any(scopes, short_scope);
    let allowed = match (method, segments.as_slice()) {
        ("POST", ["freeBusy"]) => needs(FREEBUSY),
        ("GET", ["calendars", _]) => needs(READ_CALENDAR),
        ("GET", ["calendars", _, "events", ..]) => needs(READ_EVENTS),
        (_, ["calendars", _, "events", ..]) => needs(WRITE_EVENTS),
        _ => true,
    };
    if !allowed {
        return errors::insufficient_scope();
    }
    if let ("POST", ["freeBusy"]) = (method, segments.as_slice()) {
        return free_busy(events, common, &bearer, request);
    }
    let Some((calendar, tail)) = segments.split_first().and_then(|(first, rest)| {
        let (calendar, tail) = rest.split_first()?;
        (*first == "calendars").then_some((*calendar, tail))
    }) else {
        return errors::not_found();
    };
    let account = account_key(&bearer.account);
    if calendar != "primary" && account_key(calendar) != account {
        return errors::not_found();
    }
    let write = match write_options(request, &account, now) {
        Ok(write) => write,
        Err(response) => return response,
    };
    let answer = |result: Result<Value, Response>| match result {
        Ok(resource) => Response::json(200, &resource),
        Err(response) => response,
    };
    match (method, tail) {
        ("GET", []) => Response::json(
            200,
            &json!({
                "kind": "calendar#calendar",
                "etag": format!("\"{}\"", now.timestamp_micros()),
                "id": account,
                "summary": account,
                "timeZone": "UTC",
                "conferenceProperties": { "allowedConferenceSolutionTypes": ["hangoutsMeet"] },
            }),
        ),
        ("POST", ["events"]) => answer(json_body(request).and_then(|body| events.insert(&write, &body))),
        ("GET", ["events"]) => list(events, &account, request, now),
        ("GET", ["events", id]) => answer(events.resource(&account, id).ok_or_else(errors::not_found)),
        ("PATCH", ["events", id]) => {
            answer(json_body(request).and_then(|body| events.change(&write, id, &body, false)))
        }
        ("PUT", ["events", id]) => answer(json_body(request).and_then(|body| events.change(&write, id, &body, true))),
        ("DELETE", ["events", id]) => match events.delete(&write, id) {
            Ok(()) => Response::empty(204),
            Err(response) => response,
        },
        _ => errors::not_found(),
    }
}

fn json_body(request: &Request) -> Result<Value, Response> {
    serde_json::from_slice(&request.body).map_err(|_| errors::api(400, "parseError", "Parse Error"))
}

/// `conferenceDataVersion` and `sendUpdates` of a write.
fn write_options<'a>(request: &'a Request, account: &'a str, now: DateTime<Utc>) -> Result<Write<'a>, Response> {
    let conference = match request.param("conferenceDataVersion") {
        None | Some("0") => 0,
        Some("1") => 1,
        Some(_) => {
            return Err(errors::api(
                400,
                "invalid",
                "Invalid conference data version. Supported versions are 0 and 1.",
            ));
        }
    };
    let send_updates = match request.param("sendUpdates") {
        None => None,
        Some(value @ ("all" | "externalOnly" | "none")) => Some(value),
        Some(other) => return Err(errors::api(400, "invalid", &format!("Invalid value for sendUpdates: {other}"))),
    };
    Ok(Write { account, now, conference, send_updates })
}

/// `events.list`.
fn list(events: &Events, account: &str, request: &Request, now: DateTime<Utc>) -> Response {
    let bad = |message: &str| errors::api(400, "badRequest", message);
    let instant = |name: &str| -> Result<Option<DateTime<Utc>>, Response> {
        match request.param(name) {
            None => Ok(None),
            Some(text) => parse_rfc3339(text).map(Some).ok_or_else(|| bad("Bad Request")),
        }
    };
    let (time_min, time_max) = match (instant("timeMin"), instant("timeMax")) {
        (Ok(min), Ok(max)) => (min, max),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    let single_events = request.param("singleEvents") == Some("true");
    let order_by_start = match request.param("orderBy") {
        None | Some("updated") => false,
        Some("startTime") if single_events => true,
        Some(_) => return bad("The requested ordering is not available for the particular query."),
    };
    let max_results = match request.param("maxResults").map(str::parse::<usize>) {
        None => DEFAULT_RESULTS,
        Some(Ok(n)) if n >= 1 => n.min(MAX_RESULTS),
        Some(_) => return errors::api(400, "invalid", "Invalid value for: maxResults"),
    };
    let offset = match request.param("pageToken").map(|t| t.strip_prefix("page-").map(str::parse::<usize>)) {
        None => 0,
        Some(Some(Ok(offset))) => offset,
        Some(_) => return errors::api(400, "invalid", "Invalid page token value."),
    };
    let query = ListQuery {
        time_min,
        time_max,
        show_deleted: request.param("showDeleted") == Some("true"),
        order_by_start,
        offset,
        max_results,
    };
    let (items, more) = events.list(account, &query);
    let mut body = Map::new();
    body.insert("kind".to_owned(), Value::from("calendar#events"));
    body.insert("etag".to_owned(), Value::from(format!("\"{}\"", now.timestamp_micros())));
    body.insert("summary".to_owned(), Value::from(account));
    body.insert("updated".to_owned(), Value::from(google_millis(now)));
    body.insert("timeZone".to_owned(), Value::from("UTC"));
    body.insert("accessRole".to_owned(), Value::from("owner"));
    body.insert("defaultReminders".to_owned(), json!([{ "method": "popup", "minutes": 10 }]));
    if more {
        body.insert("nextPageToken".to_owned(), Value::from(format!("page-{}", offset + max_results)));
    }
    body.insert("items".to_owned(), Value::Array(items));
    Response::json(200, &Value::Object(body))
}

/// `freeBusy.query`: busy time of each requested calendar within `[timeMin, timeMax)`: its
/// events that are neither cancelled nor transparent, and the busy time tests added, cut to the
/// window and merged where they overlap or touch; in `timeZone` (UTC by default). A calendar the
/// fake does not know gets `errors: [{domain: "global", reason: "notFound"}]`.
fn free_busy(events: &Events, common: &Common, bearer: &Bearer, request: &Request) -> Response {
    let body = match json_body(request) {
        Ok(body) => body,
        Err(response) => return response,
    };
    let instant = |name: &str| match body.get(name).and_then(Value::as_str) {
        None => Err(errors::api(400, "required", &format!("Missing {name}."))),
        Some(text) => parse_rfc3339(text).ok_or_else(|| errors::api(400, "invalid", &format!("Invalid {name}."))),
    };
    let (from, to) = match (instant("timeMin"), instant("timeMax")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    if to <= from {
        return errors::api(400, "timeRangeEmpty", "The specified time range is empty.");
    }
    let out_zone = match body.get("timeZone").and_then(Value::as_str) {
        None => Zone::Utc,
        Some(name) => match zone(name) {
            Some(zone) => zone,
            None => return errors::api(400, "invalid", "Invalid time zone definition."),
        },
    };
    let mut calendars = Map::new();
    for id in body.get("items").and_then(Value::as_array).into_iter().flatten().filter_map(|i| i["id"].as_str()) {
        let account = if id == "primary" { account_key(&bearer.account) } else { account_key(id) };
        let entry = if common.knows(&account) {
            let mut busy = events.busy(&account);
            busy.extend(
                common
                    .blocks_of(&account, from, to)
                    .into_iter()
                    .filter(|b| b.show != Show::Free)
                    .map(|b| (b.start, b.end)),
            );
            let busy: Vec<Value> = merge(busy, from, to)
                .into_iter()
                .map(|(start, end)| json!({ "start": out_zone.rfc3339(start), "end": out_zone.rfc3339(end) }))
                .collect();
            json!({ "busy": busy })
        } else {
            json!({ "errors": [{ "domain": "global", "reason": "notFound" }], "busy": [] })
        };
        calendars.insert(id.to_owned(), entry);
    }
    Response::json(
        200,
        &json!({
            "kind": "calendar#freeBusy",
            "timeMin": google_millis(from),
            "timeMax": google_millis(to),
            "calendars": calendars,
        }),
    )
}
