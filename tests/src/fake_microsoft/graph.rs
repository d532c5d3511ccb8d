//! Microsoft Graph v1.0 under `/v1.0`: `GET /me`, `POST /me/calendar/getSchedule`, and events:
//! `GET|POST /me/events`, `GET|PATCH|DELETE /me/events/{id}`, `POST /me/events/{id}/cancel`,
//! `GET /me/calendarView` (also under `/me/calendar/…` and `/users/{me}/…`), each behind the
//! bearer token and the permissions Graph documents for it. Times are written in UTC unless a
//! `Prefer: outlook.timezone="…"` header names a zone Graph knows.

use super::errors;
use super::events::{Events, OutZone};
use super::identity::short_scope;
use super::schedule::get_schedule;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{BearerError, Common, parse_local, parse_rfc3339, percent_decode, stable_uuid, zone};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Permissions that allow reading calendars (`getSchedule` needs one too).
const READ: &[&str] = &[
    "calendars.readbasic",
    "calendars.read",
    "calendars.readwrite",
    "calendars.read.shared",
    "calendars.readwrite.shared",
];
/// Permissions that allow writing events.
const WRITE: &[&str] = &["calendars.readwrite", "calendars.readwrite.shared"];
/// Permissions that allow `GET /me`.
const USER: &[&str] = &["user.read", "user.readwrite", "user.readbasic.all", "user.read.all", "directory.read.all"];

/// The default and largest `$top`.
const DEFAULT_TOP: usize = 10;
const MAX_TOP: usize = 1000;

/// Serves a call under `/v1.0`.
pub(crate) fn serve(events: &mut Events, common: &mut Common, request: &Request) -> Response {
    let now = common.clock.now();
    let bearer = match common.grants.bearer(request.bearer(), now) {
        Ok(bearer) => bearer,
        Err(BearerError::Expired) => return errors::unauthenticated("Access token has expired or is not yet valid."),
        Err(BearerError::Missing) => return errors::unauthenticated("Access token is empty."),
        Err(BearerError::Unknown | BearerError::Revoked) => {
            return errors::unauthenticated("Access token validation failure.");
        }
    };
    let account = bearer.account.clone();
    let rest = request.path.strip_prefix("/v1.0/").unwrap_or_default();
    let decoded: Vec<String> = rest.split('/').map(percent_decode).collect();
    let mut segments: Vec<&str> = decoded.iter().map(String::as_str).collect();
    if let ["users", user, ..] = segments.as_slice() {
        let me = user.eq_ignore_ascii_case(&account) || *user == stable_uuid(&account);
        if !me {
            return errors::graph(404, "ErrorInvalidUser", &format!("The requested user '{user}' is invalid."));
        }
        segments.splice(0..2, ["me"]);
    }
    if let ["me", "calendar", next, ..] = segments.as_slice()
        && *next != "getSchedule"
    {
        segments.remove(1);
    }
    let (zone, applied) = preferred_zone(request);
    let needs = |scopes: &[&str]| bearer.has_any(scopes, short_scope);
    let method = request.method.as_str();
    let response = match (method, segments.as_slice()) {
        ("GET", ["me"]) if !needs(USER) => {
            errors::graph(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
        }
        ("GET", ["me"]) => me(&account),
        ("POST", ["me", "calendar", "getSchedule"]) if !needs(READ) => errors::access_denied(),
        ("POST", ["me", "calendar", "getSchedule"]) => get_schedule(events, common, request, &zone),
        ("GET", ["me", "events" | "calendarView", ..]) if !needs(READ) => errors::access_denied(),
        (_, ["me", "events", ..]) if method != "GET" && !needs(WRITE) => errors::access_denied(),
        ("GET", ["me", "events"]) => list(events, common, &account, request, &zone, None),
        ("GET", ["me", "calendarView"]) => match window(request) {
            Ok(window) => list(events, common, &account, request, &zone, Some(window)),
            Err(response) => response,
        },
        ("POST", ["me", "events"]) => match body(request).and_then(|b| events.create(&account, &b, now)) {
            Ok((index, _)) => Response::json(201, &entity(events.render(index, &zone), &account)),
            Err(response) => response,
        },
        (_, ["me", "events", id, tail @ ..]) => {
            let Some(index) = events.find(&account, id) else { return errors::not_found() };
            match (method, tail) {
                ("GET", []) => Response::json(200, &entity(events.render(index, &zone), &account)),
                ("PATCH", []) => match body(request).and_then(|b| events.update(index, &b, now)) {
                    Ok(()) => Response::json(200, &entity(events.render(index, &zone), &account)),
                    Err(response) => response,
                },
                ("DELETE", []) => {
                    events.delete(index);
                    Response::empty(204)
                }
                ("POST", ["cancel"]) => {
                    events.cancel(index, now);
                    Response::empty(202)
                }
                _ => errors::graph(
                    405,
                    "Request_BadRequest",
                    "Specified HTTP method is not allowed for the request target.",
                ),
            }
        }
        (_, segments) => {
            let last = segments.last().copied().unwrap_or_default();
            errors::graph(400, "BadRequest", &format!("Resource not found for the segment '{last}'."))
        }
    };
    match applied {
        Some(name) => response.with_header("Preference-Applied", &format!("outlook.timezone=\"{name}\"")),
        None => response,
    }
}

fn body(request: &Request) -> Result<Value, Response> {
    serde_json::from_slice(&request.body).map_err(|_| errors::unreadable())
}

/// A single event with its `@odata.context`.
fn entity(mut event: Value, account: &str) -> Value {
    if let Value::Object(map) = &mut event {
        map.insert(
            "@odata.context".to_owned(),
            Value::from(format!("https://graph.microsoft.com/v1.0/$metadata#users('{account}')/events/$entity")),
        );
    }
    event
}

/// The zone of a `Prefer: outlook.timezone="…"` header, when Graph knows it (and its name, to
/// confirm with `Preference-Applied`); UTC otherwise.
fn preferred_zone(request: &Request) -> (OutZone, Option<String>) {
    let named = request.header("Prefer").and_then(|prefer| {
        prefer.split(',').find_map(|p| {
            let (key, value) = p.split_once('=')?;
            key.trim().eq_ignore_ascii_case("outlook.timezone").then(|| value.trim().trim_matches('"').to_owned())
        })
    });
    match named.and_then(|name| Some((zone(&name)?, name))) {
        Some((zone, name)) => (OutZone { name: name.clone(), zone }, Some(name)),
        None => (OutZone::utc(), None),
    }
}

/// `GET /me`.
fn me(account: &str) -> Response {
    let name = super::events::display_name(account);
    Response::json(
        200,
        &json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
            "businessPhones": [],
            "displayName": name,
            "givenName": name,
            "jobTitle": null,
            "mail": account,
            "mobilePhone": null,
            "officeLocation": null,
            "preferredLanguage": "en-US",
            "surname": null,
            "userPrincipalName": account,
            "id": stable_uuid(account),
        }),
    )
}

/// The `startDateTime` / `endDateTime` of a calendar view (an offset, or UTC without one).
fn window(request: &Request) -> Result<(DateTime<Utc>, DateTime<Utc>), Response> {
    let instant = |name: &str| {
        let text = request.param(name)?;
        parse_rfc3339(text).or_else(|| parse_local(text).map(|l| l.and_utc()))
    };
    match (instant("startDateTime"), instant("endDateTime")) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(errors::graph(
            400,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        )),
    }
}

/// `GET /me/events` (creation order) or `/me/calendarView` (events overlapping `window`, by
/// start), a page of `$top` (10 by default) from `$skip`, with `@odata.nextLink` when more
/// follow.
fn list(
    events: &Events,
    common: &Common,
    account: &str,
    request: &Request,
    zone: &OutZone,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Response {
    let number = |name: &str, default: usize| request.param(name).map_or(Some(default), |v| v.parse::<usize>().ok());
    let (Some(top), Some(skip)) = (number("$top", DEFAULT_TOP), number("$skip", 0)) else {
        return errors::graph(400, "BadRequest", "Invalid $top or $skip value.");
    };
    let top = top.clamp(1, MAX_TOP);
    let mut found = events.listed(account);
    if let Some((from, to)) = window {
        found.retain(|&i| events.span(i).is_some_and(|(s, e)| e > from && s < to));
        found.sort_by_key(|&i| events.span(i));
    }
    let value: Vec<Value> = found.iter().skip(skip).take(top).map(|&i| events.render(i, zone)).collect();
    let mut body = Map::new();
    let what = if window.is_some() { "calendarView" } else { "events" };
    body.insert(
        "@odata.context".to_owned(),
        Value::from(format!("https://graph.microsoft.com/v1.0/$metadata#users('{account}')/{what}")),
    );
    body.insert("value".to_owned(), Value::Array(value));
    if found.len() > skip + top {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for name in ["startDateTime", "endDateTime"] {
            if let Some(value) = request.param(name) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("$top", &top.to_string()).append_pair("$skip", &(skip + top).to_string());
        body.insert(
            "@odata.nextLink".to_owned(),
            Value::from(format!("{}/v1.0/me/{what}?{}", common.base, query.finish())),
        );
    }
    Response::json(200, &Value::Object(body))
}
