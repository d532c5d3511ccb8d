//! Events as Google Calendar stores them: the resource (whatever the client sent that Google
//! keeps, plus the fields Google sets: `id`, `status`, `htmlLink`, `iCalUID`, `etag`, `created`,
//! `updated`, `sequence`, `creator`, `organizer`, and with `conferenceDataVersion=1` a Meet
//! link), with insert, get, patch, update, delete and list as `events.*` does them.
//!
//! A deleted event stays, with `status: "cancelled"`: `events.get` still returns it, a second
//! delete answers 410 `deleted`, lists show it only with `showDeleted=true`, and a patch to
//! `status: "confirmed"` brings it back.

use super::errors;
use crate::fake_http::Response;
use crate::fake_oauth::{
    BASE32HEX, FakeEvent, LOWERCASE, Zone, base64_url, google_millis, parse_local, parse_rfc3339, random_chars, zone,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

/// Fields only Google writes; what a client sends for them is ignored.
const READ_ONLY: &[&str] =
    &["kind", "etag", "id", "htmlLink", "created", "updated", "creator", "organizer", "iCalUID", "hangoutLink"];

/// One stored event.
#[derive(Debug, Clone)]
struct Stored {
    account: String,
    resource: Map<String, Value>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    send_updates: Option<String>,
}

impl Stored {
    fn id(&self) -> &str {
        self.resource.get("id").and_then(Value::as_str).unwrap_or_default()
    }

    fn text(&self, key: &str) -> &str {
        self.resource.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    fn cancelled(&self) -> bool {
        self.text("status") == "cancelled"
    }

    fn transparent(&self) -> bool {
        self.text("transparency") == "transparent"
    }

    fn meet_link(&self) -> Option<&str> {
        self.resource.get("hangoutLink").and_then(Value::as_str)
    }
}

/// What a write call says besides its body.
#[derive(Debug, Clone)]
pub(crate) struct Write<'a> {
    pub account: &'a str,
    pub now: DateTime<Utc>,
    /// `conferenceDataVersion`: 1 lets the call create a Meet link; 0 ignores `conferenceData`.
    pub conference: u8,
    pub send_updates: Option<&'a str>,
}

/// A list query (`events.list`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ListQuery {
    pub time_min: Option<DateTime<Utc>>,
    pub time_max: Option<DateTime<Utc>>,
    pub show_deleted: bool,
    pub order_by_start: bool,
    pub offset: usize,
    pub max_results: usize,
}

/// Every account's events, in insertion order.
#[derive(Debug, Default)]
pub(crate) struct Events {
    items: Vec<Stored>,
}

impl Events {
    fn position(&self, account: &str, id: &str) -> Option<usize> {
        self.items.iter().position(|e| e.account == account && e.id() == id)
    }

    /// The resource of event `id` of `account` (deleted ones too).
    pub fn resource(&self, account: &str, id: &str) -> Option<Value> {
        self.position(account, id).map(|i| Value::Object(self.items[i].resource.clone()))
    }

    /// Busy intervals of `account`'s events: neither cancelled nor transparent.
    pub fn busy(&self, account: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        self.items
            .iter()
            .filter(|e| e.account == account && !e.cancelled() && !e.transparent())
            .map(|e| (e.start, e.end))
            .collect()
    }

    /// `account`'s events as tests read them.
    pub fn fake_events(&self, account: &str) -> Vec<FakeEvent> {
        self.items
            .iter()
            .filter(|e| e.account == account)
            .map(|e| FakeEvent {
                id: e.id().to_owned(),
                summary: e.text("summary").to_owned(),
                description: e.text("description").to_owned(),
                start: e.start,
                end: e.end,
                attendees: e
                    .resource
                    .get("attendees")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|x| x["email"].as_str().map(str::to_owned)).collect())
                    .unwrap_or_default(),
                status: e.text("status").to_owned(),
                busy: !e.transparent(),
                has_meet_link: e.meet_link().is_some(),
                join_url: e.meet_link().map(str::to_owned),
                send_updates: e.send_updates.clone(),
                transaction_id: None,
            })
            .collect()
    }

    /// `events.insert`.
    pub fn insert(&mut self, write: &Write<'_>, body: &Value) -> Result<Value, Response> {
        let Some(body) = body.as_object() else { return Err(parse_error()) };
        let id = match body.get("id") {
            None => random_chars(BASE32HEX, 26),
            Some(Value::String(id)) if valid_id(id) => id.clone(),
            Some(_) => return Err(errors::api(400, "invalid", "Invalid resource id value.")),
        };
        if self.position(write.account, &id).is_some() {
            return Err(errors::api(409, "duplicate", "The requested identifier already exists."));
        }
        let mut resource: Map<String, Value> = body
            .iter()
            .filter(|(k, _)| !READ_ONLY.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let (start, end) = times(&resource)?;
        resource.entry("status").or_insert_with(|| Value::from("confirmed"));
        resource.insert("kind".to_owned(), Value::from("calendar#event"));
        resource.insert("id".to_owned(), Value::from(id.as_str()));
        let link = base64_url(format!("{id} {}", write.account).as_bytes());
        resource
            .insert("htmlLink".to_owned(), Value::from(format!("https://www.google.com/calendar/event?eid={link}")));
        resource.insert("created".to_owned(), Value::from(google_millis(write.now)));
        resource.insert("iCalUID".to_owned(), Value::from(format!("{id}@google.com")));
        resource.entry("sequence").or_insert_with(|| Value::from(0));
        let me = json!({ "email": write.account, "self": true });
        resource.insert("creator".to_owned(), me.clone());
        resource.insert("organizer".to_owned(), me);
        resource.entry("reminders").or_insert_with(|| json!({ "useDefault": true }));
        resource.entry("eventType").or_insert_with(|| Value::from("default"));
        normalise_attendees(&mut resource, write.account);
        conference(&mut resource, None, write.conference)?;
        stamp(&mut resource, write.now);
        let stored = Stored {
            account: write.account.to_owned(),
            resource,
            start,
            end,
            send_updates: write.send_updates.map(str::to_owned),
        };
        let answer = Value::Object(stored.resource.clone());
        self.items.push(stored);
        Ok(answer)
    }

    /// `events.patch` (`replace: false`: fields merge into the event) or `events.update`
    /// (`replace: true`: the body replaces every writable field).
    pub fn change(&mut self, write: &Write<'_>, id: &str, body: &Value, replace: bool) -> Result<Value, Response> {
        let Some(body) = body.as_object() else { return Err(parse_error()) };
        let index = self.position(write.account, id).ok_or_else(errors::not_found)?;
        let old = &self.items[index];
        let mut resource = if replace {
            old.resource
                .iter()
                .filter(|(k, _)| READ_ONLY.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        } else {
            old.resource.clone()
        };
        for (key, value) in
            body.iter().filter(|(k, _)| !READ_ONLY.contains(&k.as_str()) && k.as_str() != "conferenceData")
        {
            if replace {
                resource.insert(key.clone(), value.clone());
            } else {
                merge_into(&mut resource, key, value);
            }
        }
        if replace && !resource.contains_key("status") {
            resource.insert("status".to_owned(), Value::from("confirmed"));
        }
        let (start, end) = times(&resource)?;
        normalise_attendees(&mut resource, write.account);
        // Without conferenceDataVersion=1, conference data in the body is ignored and the
        // event keeps what it had.
        resource.remove("conferenceData");
        if let Some(kept) = old.resource.get("conferenceData") {
            resource.insert("conferenceData".to_owned(), kept.clone());
        }
        if write.conference == 1 {
            conference(&mut resource, body.get("conferenceData"), 1)?;
        }
        if (start, end) != (old.start, old.end) {
            let sequence = resource.get("sequence").and_then(Value::as_i64).unwrap_or(0);
            resource.insert("sequence".to_owned(), Value::from(sequence + 1));
        }
        stamp(&mut resource, write.now);
        let send_updates = write.send_updates.map(str::to_owned).or_else(|| old.send_updates.clone());
        let stored = Stored { account: write.account.to_owned(), resource, start, end, send_updates };
        let answer = Value::Object(stored.resource.clone());
        self.items[index] = stored;
        Ok(answer)
    }

    /// `events.delete`: 204, or 410 `deleted` when it already was.
    pub fn delete(&mut self, write: &Write<'_>, id: &str) -> Result<(), Response> {
        let index = self.position(write.account, id).ok_or_else(errors::not_found)?;
        let event = &mut self.items[index];
        if event.cancelled() {
            return Err(errors::api(410, "deleted", "Resource has been deleted"));
        }
        event.resource.insert("status".to_owned(), Value::from("cancelled"));
        if let Some(updates) = write.send_updates {
            event.send_updates = Some(updates.to_owned());
        }
        stamp(&mut event.resource, write.now);
        Ok(())
    }

    /// `events.list`: the page of `account`'s events `query` asks for, and whether more follow.
    pub fn list(&self, account: &str, query: &ListQuery) -> (Vec<Value>, bool) {
        let mut found: Vec<&Stored> = self
            .items
            .iter()
            .filter(|e| e.account == account)
            .filter(|e| query.show_deleted || !e.cancelled())
            .filter(|e| query.time_min.is_none_or(|min| e.end > min))
            .filter(|e| query.time_max.is_none_or(|max| e.start < max))
            .collect();
        if query.order_by_start {
            found.sort_by_key(|e| e.start);
        }
        let more = found.len() > query.offset + query.max_results;
        let page = found.into_iter().skip(query.offset).take(query.max_results);
        (page.map(|e| Value::Object(e.resource.clone())).collect(), more)
    }
}

fn parse_error() -> Response {
    errors::api(400, "parseError", "Parse Error")
}

/// Client-chosen ids: 5 to 1024 characters of base32hex (`a`–`v`, `0`–`9`).
fn valid_id(id: &str) -> bool {
    (5..=1024).contains(&id.len()) && id.bytes().all(|b| BASE32HEX.contains(&b))
}

/// Merges a patch field: objects merge member by member, anything else replaces.
fn merge_into(target: &mut Map<String, Value>, key: &str, value: &Value) {
    match (target.get_mut(key), value) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            for (k, v) in new {
                merge_into(old, k, v);
            }
        }
        _ => {
            target.insert(key.to_owned(), value.clone());
        }
    }
}

/// `updated` and `etag` for a change at `now`.
fn stamp(resource: &mut Map<String, Value>, now: DateTime<Utc>) {
    resource.insert("updated".to_owned(), Value::from(google_millis(now)));
    resource.insert("etag".to_owned(), Value::from(format!("\"{}\"", now.timestamp_micros())));
}

/// Attendees get a `responseStatus` (`needsAction`; the organizer's own entry is `accepted` and
/// marked `organizer` and `self`).
fn normalise_attendees(resource: &mut Map<String, Value>, account: &str) {
    let Some(Value::Array(attendees)) = resource.get_mut("attendees") else { return };
    for attendee in attendees.iter_mut().filter_map(Value::as_object_mut) {
        let is_me = attendee.get("email").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case(account));
        if is_me {
            attendee.insert("organizer".to_owned(), Value::Bool(true));
            attendee.insert("self".to_owned(), Value::Bool(true));
            attendee.entry("responseStatus").or_insert_with(|| Value::from("accepted"));
        } else {
            attendee.entry("responseStatus").or_insert_with(|| Value::from("needsAction"));
        }
    }
}

/// Start and end of a resource, as Google checks them.
fn times(resource: &Map<String, Value>) -> Result<(DateTime<Utc>, DateTime<Utc>), Response> {
    let start = when(resource.get("start"), "start")?;
    let end = when(resource.get("end"), "end")?;
    if end < start {
        return Err(errors::api(400, "timeRangeEmpty", "The specified time range is empty."));
    }
    Ok((start, end))
}

/// An `EventDateTime`: `dateTime` (RFC 3339, or local time with `timeZone`) or an all-day
/// `date` (taken as midnight UTC).
fn when(value: Option<&Value>, which: &str) -> Result<DateTime<Utc>, Response> {
    let missing = || errors::api(400, "required", &format!("Missing {which} time."));
    let invalid = || errors::api(400, "invalid", &format!("Invalid {which} time."));
    let Some(value) = value.filter(|v| v.is_object()) else { return Err(missing()) };
    if let Some(text) = value.get("dateTime").and_then(Value::as_str) {
        if let Some(at) = parse_rfc3339(text) {
            return Ok(at);
        }
        let local = parse_local(text).ok_or_else(invalid)?;
        let zone_name = value.get("timeZone").and_then(Value::as_str).unwrap_or_default();
        let zone = if zone_name.is_empty() { Some(Zone::Utc) } else { zone(zone_name) };
        let zone = zone.ok_or_else(|| {
            errors::api(400, "timeZoneInvalid", &format!("Invalid time zone definition for {which} time."))
        })?;
        return zone.to_utc(local).ok_or_else(invalid);
    }
    if let Some(text) = value.get("date").and_then(Value::as_str) {
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| invalid())?;
        return date.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).ok_or_else(invalid);
    }
    Err(missing())
}

/// Applies `conferenceData` under `conferenceDataVersion`: with 1, a `createRequest` for
/// `hangoutsMeet` gets a Meet link at once (status `success`); with 0, conference data is
/// dropped. `requested` is the body's conference data on a change (on insert it is already in
/// the resource).
fn conference(resource: &mut Map<String, Value>, requested: Option<&Value>, version: u8) -> Result<(), Response> {
    let requested = requested.cloned().or_else(|| resource.get("conferenceData").cloned());
    if version == 0 {
        resource.remove("conferenceData");
        return Ok(());
    }
    let Some(requested) = requested else { return Ok(()) };
    let Some(create) = requested.get("createRequest") else {
        // Conference data without a create request (an existing conference) is kept as sent.
        resource.insert("conferenceData".to_owned(), requested);
        return Ok(());
    };
    let kind = create.pointer("/conferenceSolutionKey/type").and_then(Value::as_str).unwrap_or_default();
    if kind != "hangoutsMeet" {
        return Err(errors::api(400, "invalid", "Invalid conference type value."));
    }
    let Some(request_id) = create.get("requestId").and_then(Value::as_str).filter(|r| !r.is_empty()) else {
        return Err(errors::api(400, "invalid", "Invalid conference create request."));
    };
    if let Some(existing) = resource.get("conferenceData")
        && existing.pointer("/createRequest/requestId").and_then(Value::as_str) == Some(request_id)
        && resource.contains_key("hangoutLink")
    {
        // The same create request again: the conference already exists.
        return Ok(());
    }
    let code = format!("{}-{}-{}", random_chars(LOWERCASE, 3), random_chars(LOWERCASE, 4), random_chars(LOWERCASE, 3));
    let uri = format!("https://meet.google.com/{code}");
    resource.insert("hangoutLink".to_owned(), Value::from(uri.as_str()));
    resource.insert(
        "conferenceData".to_owned(),
        json!({
            "createRequest": {
                "requestId": request_id,
                "conferenceSolutionKey": { "type": "hangoutsMeet" },
                "status": { "statusCode": "success" },
            },
            "entryPoints": [{
                "entryPointType": "video",
                "uri": uri,
                "label": format!("meet.google.com/{code}"),
            }],
            "conferenceSolution": {
                "key": { "type": "hangoutsMeet" },
                "name": "Google Meet",
                "iconUri": "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png",
            },
            "conferenceId": code,
        }),
    );
    Ok(())
}
