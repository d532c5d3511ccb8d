//! Events as Outlook stores them behind Graph: the resource (what the client sent that Graph
//! keeps, plus what it sets: `id`, `iCalUId`, `changeKey`, `webLink`, `organizer`,
//! `responseStatus`, …; with `isOnlineMeeting` a Teams join URL), times kept as instants and
//! written in the zone the caller prefers, create with `transactionId` de-duplication, update,
//! cancel and delete.
//!
//! A cancelled event (`POST …/cancel`) stays readable by id with `isCancelled: true` but leaves
//! lists, calendar views and schedules; cancelling it again answers 202 again. A deleted event is
//! gone from every call (404 `ErrorItemNotFound`); tests still see both as `cancelled`.

use super::errors;
use super::identity::tenant_id;
use crate::fake_http::Response;
use crate::fake_oauth::{
    ALPHANUMERIC, DIGITS, FakeEvent, Show, Zone, graph, parse_local, parse_rfc3339, random_chars, stable_uuid, zone,
};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// Fields only Graph writes; what a client sends for them is ignored.
const READ_ONLY: &[&str] = &[
    "id",
    "@odata.etag",
    "@odata.context",
    "createdDateTime",
    "lastModifiedDateTime",
    "changeKey",
    "iCalUId",
    "webLink",
    "organizer",
    "isOrganizer",
    "isCancelled",
    "onlineMeeting",
    "onlineMeetingUrl",
    "responseStatus",
    "type",
    "seriesMasterId",
    "bodyPreview",
    "start",
    "end",
];

/// The zone times are written in, as the caller named it.
#[derive(Debug, Clone)]
pub(crate) struct OutZone {
    pub name: String,
    pub zone: Zone,
}

impl OutZone {
    /// UTC, Graph's default.
    pub fn utc() -> Self {
        OutZone { name: "UTC".to_owned(), zone: Zone::Utc }
    }

    /// `at` as Graph's `dateTimeTimeZone`.
    pub fn write(&self, at: DateTime<Utc>) -> Value {
        json!({ "dateTime": graph(self.zone.local(at)), "timeZone": self.name })
    }
}

#[derive(Debug, Clone)]
struct Stored {
    account: String,
    resource: Map<String, Value>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    show: Show,
    cancelled: bool,
    deleted: bool,
    join_url: Option<String>,
}

impl Stored {
    fn id(&self) -> &str {
        self.resource.get("id").and_then(Value::as_str).unwrap_or_default()
    }

    fn text(&self, pointer: &str) -> &str {
        self.resource_pointer(pointer).unwrap_or_default()
    }

    fn resource_pointer(&self, pointer: &str) -> Option<&str> {
        let mut parts = pointer.trim_start_matches('/').split('/');
        let mut value = self.resource.get(parts.next()?)?;
        for part in parts {
            value = value.get(part)?;
        }
        value.as_str()
    }

    fn transaction_id(&self) -> Option<&str> {
        self.resource.get("transactionId").and_then(Value::as_str)
    }

    fn attendees(&self) -> Vec<String> {
        self.resource
            .get("attendees")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.pointer("/emailAddress/address")?.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

/// An entry of a schedule: an event's time and how it shows.
#[derive(Debug, Clone)]
pub(crate) struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub show: Show,
    pub subject: String,
    pub location: String,
    pub private: bool,
    pub meeting: bool,
}

/// Every account's events, in creation order.
#[derive(Debug, Default)]
pub(crate) struct Events {
    items: Vec<Stored>,
}

/// A handle on a stored event.
pub(crate) type Index = usize;

impl Events {
    /// Event `id` of `account`, unless deleted.
    pub fn find(&self, account: &str, id: &str) -> Option<Index> {
        self.items.iter().position(|e| e.account == account && e.id() == id && !e.deleted)
    }

    /// The event at `index` as Graph writes it, times in `zone`.
    pub fn render(&self, index: Index, zone: &OutZone) -> Value {
        let Some(event) = self.items.get(index) else { return Value::Null };
        let mut resource = event.resource.clone();
        let etag = resource.get("changeKey").and_then(Value::as_str).map(|k| format!("W/\"{k}\"")).unwrap_or_default();
        resource.insert("@odata.etag".to_owned(), Value::from(etag));
        resource.insert("isCancelled".to_owned(), Value::Bool(event.cancelled));
        resource.insert("start".to_owned(), zone.write(event.start));
        resource.insert("end".to_owned(), zone.write(event.end));
        Value::Object(resource)
    }

    /// Creates an event from `body`; with a `transactionId` already used by one of `account`'s
    /// events, answers that event instead (`false`: not created).
    pub fn create(&mut self, account: &str, body: &Value, now: DateTime<Utc>) -> Result<(Index, bool), Response> {
        let Some(body) = body.as_object() else { return Err(errors::unreadable()) };
        if let Some(transaction) = body.get("transactionId").and_then(Value::as_str)
            && let Some(index) = self
                .items
                .iter()
                .position(|e| e.account == account && !e.deleted && e.transaction_id() == Some(transaction))
        {
            return Ok((index, false));
        }
        let (start, end) = times(body.get("start"), body.get("end"))?;
        let show = show_as(body.get("showAs"))?;
        let id = format!("AAMkAG{}AAA=", random_chars(ALPHANUMERIC, 64));
        let mut resource: Map<String, Value> = body
            .iter()
            .filter(|(k, _)| !READ_ONLY.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let name = display_name(account);
        let defaults = json!({
            "categories": [],
            "reminderMinutesBeforeStart": 15,
            "isReminderOn": true,
            "hasAttachments": false,
            "subject": "",
            "importance": "normal",
            "sensitivity": "normal",
            "isAllDay": false,
            "responseRequested": true,
            "showAs": "busy",
            "isOnlineMeeting": false,
            "onlineMeetingProvider": "unknown",
            "allowNewTimeProposals": true,
            "isDraft": false,
            "hideAttendees": false,
            "body": { "contentType": "text", "content": "" },
            "location": { "displayName": "", "locationType": "default", "uniqueIdType": "unknown" },
            "locations": [],
            "recurrence": null,
            "attendees": [],
        });
        if let Value::Object(defaults) = defaults {
            for (key, value) in defaults {
                resource.entry(key).or_insert(value);
            }
        }
        resource.insert("id".to_owned(), Value::from(id.as_str()));
        resource.insert("createdDateTime".to_owned(), Value::from(stamp(now)));
        resource.insert(
            "iCalUId".to_owned(),
            Value::from(format!("040000008200E00074C5B7101A82E008{}", random_chars(b"0123456789ABCDEF", 80))),
        );
        let item = form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>();
        resource.insert(
            "webLink".to_owned(),
            Value::from(format!("https://outlook.office365.com/owa/?itemid={item}&exvsurl=1&path=/calendar/item")),
        );
        resource.insert("isOrganizer".to_owned(), Value::Bool(true));
        resource.insert("type".to_owned(), Value::from("singleInstance"));
        resource.insert("seriesMasterId".to_owned(), Value::Null);
        resource.insert("onlineMeetingUrl".to_owned(), Value::Null);
        resource.insert("onlineMeeting".to_owned(), Value::Null);
        resource
            .insert("responseStatus".to_owned(), json!({ "response": "organizer", "time": "0001-01-01T00:00:00Z" }));
        resource.insert("organizer".to_owned(), json!({ "emailAddress": { "name": name, "address": account } }));
        resource.insert("originalStartTimeZone".to_owned(), Value::from(zone_name(body.get("start"))));
        resource.insert("originalEndTimeZone".to_owned(), Value::from(zone_name(body.get("end"))));
        let mut event = Stored {
            account: account.to_owned(),
            resource,
            start,
            end,
            show,
            cancelled: false,
            deleted: false,
            join_url: None,
        };
        normalise(&mut event, now);
        self.items.push(event);
        Ok((self.items.len() - 1, true))
    }

    /// `PATCH`: fields in `body` replace the event's.
    pub fn update(&mut self, index: Index, body: &Value, now: DateTime<Utc>) -> Result<(), Response> {
        let Some(body) = body.as_object() else { return Err(errors::unreadable()) };
        let Some(event) = self.items.get(index) else { return Err(errors::not_found()) };
        let start = match body.get("start") {
            Some(value) => one_time(value, "start")?,
            None => event.start,
        };
        let end = match body.get("end") {
            Some(value) => one_time(value, "end")?,
            None => event.end,
        };
        let (start, end) = order(start, end)?;
        let show = match body.get("showAs") {
            Some(value) => show_as(Some(value))?,
            None => event.show,
        };
        let mut event = event.clone();
        for (key, value) in body.iter().filter(|(k, _)| !READ_ONLY.contains(&k.as_str())) {
            event.resource.insert(key.clone(), value.clone());
        }
        if let Some(start) = body.get("start") {
            event.resource.insert("originalStartTimeZone".to_owned(), Value::from(zone_name(Some(start))));
        }
        if let Some(end) = body.get("end") {
            event.resource.insert("originalEndTimeZone".to_owned(), Value::from(zone_name(Some(end))));
        }
        event.start = start;
        event.end = end;
        event.show = show;
        normalise(&mut event, now);
        self.items[index] = event;
        Ok(())
    }

    /// `POST …/cancel`.
    pub fn cancel(&mut self, index: Index, now: DateTime<Utc>) {
        if let Some(event) = self.items.get_mut(index) {
            event.cancelled = true;
            touch(&mut event.resource, now);
        }
    }

    /// `DELETE`.
    pub fn delete(&mut self, index: Index) {
        if let Some(event) = self.items.get_mut(index) {
            event.deleted = true;
        }
    }

    /// `account`'s events that lists show (neither cancelled nor deleted), in creation order.
    pub fn listed(&self, account: &str) -> Vec<Index> {
        (0..self.items.len())
            .filter(|&i| {
                let e = &self.items[i];
                e.account == account && !e.cancelled && !e.deleted
            })
            .collect()
    }

    /// The start and end of the event at `index`.
    pub fn span(&self, index: Index) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.items.get(index).map(|e| (e.start, e.end))
    }

    /// `account`'s listed events overlapping `[from, to)`, as schedule entries.
    pub fn busy(&self, account: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Busy> {
        self.listed(account)
            .into_iter()
            .filter_map(|i| self.items.get(i))
            .filter(|e| e.end > from && e.start < to)
            .map(|e| Busy {
                start: e.start,
                end: e.end,
                show: e.show,
                subject: e.resource_pointer("/subject").unwrap_or_default().to_owned(),
                location: e.resource_pointer("/location/displayName").unwrap_or_default().to_owned(),
                private: e.resource_pointer("/sensitivity").is_some_and(|s| s == "private" || s == "confidential"),
                meeting: !e.attendees().is_empty(),
            })
            .collect()
    }

    /// `account`'s events as tests read them, deleted and cancelled ones included.
    pub fn fake_events(&self, account: &str) -> Vec<FakeEvent> {
        self.items
            .iter()
            .filter(|e| e.account == account)
            .map(|e| FakeEvent {
                id: e.id().to_owned(),
                summary: e.text("/subject").to_owned(),
                description: e.text("/body/content").to_owned(),
                start: e.start,
                end: e.end,
                attendees: e.attendees(),
                status: if e.cancelled || e.deleted { "cancelled" } else { "confirmed" }.to_owned(),
                busy: e.show != Show::Free,
                has_meet_link: e.join_url.is_some(),
                join_url: e.join_url.clone(),
                send_updates: None,
                transaction_id: e.transaction_id().map(str::to_owned),
            })
            .collect()
    }
}

/// A display name made from an address (`agent1@example.test` → `Agent1`).
pub(crate) fn display_name(account: &str) -> String {
    let local = account.split('@').next().unwrap_or(account);
    let mut chars = local.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Graph's timestamps: UTC with seven fractional digits and `Z`.
pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    format!("{}Z", graph(at.naive_utc()))
}

fn touch(resource: &mut Map<String, Value>, now: DateTime<Utc>) {
    resource.insert("lastModifiedDateTime".to_owned(), Value::from(stamp(now)));
    resource.insert("changeKey".to_owned(), Value::from(format!("{}==", random_chars(ALPHANUMERIC, 26))));
}

/// What every write recomputes: attendees' status, the body preview, the Teams meeting, the
/// change key.
fn normalise(event: &mut Stored, now: DateTime<Utc>) {
    let resource = &mut event.resource;
    if let Some(Value::Array(attendees)) = resource.get_mut("attendees") {
        for attendee in attendees.iter_mut().filter_map(Value::as_object_mut) {
            attendee.entry("type").or_insert_with(|| Value::from("required"));
            attendee.entry("status").or_insert_with(|| json!({ "response": "none", "time": "0001-01-01T00:00:00Z" }));
        }
    }
    let preview: String =
        resource.get("body").and_then(|b| b["content"].as_str()).unwrap_or_default().chars().take(255).collect();
    resource.insert("bodyPreview".to_owned(), Value::from(preview));
    resource.insert("showAs".to_owned(), Value::from(event.show.graph_name()));
    let online = resource.get("isOnlineMeeting").and_then(Value::as_bool).unwrap_or(false);
    let provider = resource.get("onlineMeetingProvider").and_then(Value::as_str).unwrap_or("unknown").to_owned();
    // Outlook gives an online meeting its default provider, Teams, when none is named.
    let teams = online && (provider == "teamsForBusiness" || provider == "unknown");
    if teams {
        resource.insert("onlineMeetingProvider".to_owned(), Value::from("teamsForBusiness"));
        let url = event.join_url.get_or_insert_with(|| join_url(&event.account)).clone();
        resource.insert(
            "onlineMeeting".to_owned(),
            json!({ "joinUrl": url, "conferenceId": random_chars(DIGITS, 9), "tollNumber": null }),
        );
    } else if !online {
        event.join_url = None;
        resource.insert("onlineMeeting".to_owned(), Value::Null);
    }
    touch(resource, now);
}

/// A Teams meeting's join URL, shaped as Teams writes them.
fn join_url(account: &str) -> String {
    format!(
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{}%40thread.v2/0?context=%7b%22Tid%22%3a%22{}%22%2c%22Oid%22%3a%22{}%22%7d",
        random_chars(ALPHANUMERIC, 48),
        tenant_id(),
        stable_uuid(account)
    )
}

/// `showAs`, `busy` when absent.
fn show_as(value: Option<&Value>) -> Result<Show, Response> {
    match value {
        None | Some(Value::Null) => Ok(Show::Busy),
        Some(value) => value.as_str().and_then(Show::from_graph).ok_or_else(|| {
            errors::graph(
                400,
                "BadRequest",
                "Cannot convert the literal to the expected type 'microsoft.graph.freeBusyStatus'.",
            )
        }),
    }
}

fn zone_name(value: Option<&Value>) -> String {
    value.and_then(|v| v["timeZone"].as_str()).unwrap_or("UTC").to_owned()
}

/// Start and end of a new event: both required, end not before start.
fn times(start: Option<&Value>, end: Option<&Value>) -> Result<(DateTime<Utc>, DateTime<Utc>), Response> {
    let missing = || {
        errors::graph(
            400,
            "ErrorInvalidRequest",
            "Your request can't be completed. The start and end of the event must be set.",
        )
    };
    let start = one_time(start.ok_or_else(missing)?, "start")?;
    let end = one_time(end.ok_or_else(missing)?, "end")?;
    order(start, end)
}

fn order(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), Response> {
    if end < start {
        return Err(errors::graph(
            400,
            "ErrorCalendarEndDateIsEarlierThanStartDate",
            "The end date occurs before the start date.",
        ));
    }
    Ok((start, end))
}

/// A `dateTimeTimeZone` as an instant.
pub(crate) fn one_time(value: &Value, which: &str) -> Result<DateTime<Utc>, Response> {
    let invalid = || errors::graph(400, "ErrorInvalidRequest", &format!("The {which} time is not valid."));
    let text = value.get("dateTime").and_then(Value::as_str).ok_or_else(invalid)?;
    if let Some(at) = parse_rfc3339(text) {
        return Ok(at);
    }
    let local = parse_local(text).ok_or_else(invalid)?;
    let name = value.get("timeZone").and_then(Value::as_str).unwrap_or("UTC");
    let zone = zone(name).ok_or_else(|| unsupported_zone(name))?;
    zone.to_utc(local).ok_or_else(invalid)
}

/// 400 for a time zone Graph does not know.
pub(crate) fn unsupported_zone(name: &str) -> Response {
    errors::graph(
        400,
        "TimeZoneNotSupportedException",
        &format!("A valid TimeZone value must be specified. The following TimeZone value is not supported: '{name}'."),
    )
}
