//! `POST /me/calendar/getSchedule`: free/busy information of mailboxes over a window, as Graph
//! answers it: per schedule the `availabilityView` (one digit per interval: `0` free,
//! `1` tentative, `2` busy, `3` out of office, `4` working elsewhere; the strongest of the items
//! overlapping the interval, out of office over busy over tentative over working elsewhere), the
//! `scheduleItems` (every event overlapping the window, whole, and the time tests added) and the
//! `workingHours` (Monday to Friday, 08:00–17:00 UTC, for every fake mailbox).

use super::errors;
use super::events::{Busy, Events, OutZone, one_time};
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{Common, Show, account_key};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

/// The default and allowed `availabilityViewInterval`, in minutes.
const DEFAULT_INTERVAL: i64 = 30;
const INTERVALS: std::ops::RangeInclusive<i64> = 5..=1440;

/// Answers `getSchedule`, writing times in `zone`.
pub(crate) fn get_schedule(events: &Events, common: &Common, request: &Request, zone: &OutZone) -> Response {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&request.body) else { return errors::unreadable() };
    let invalid = |message: &str| errors::graph(400, "ErrorInvalidParameter", message);
    let schedules: Vec<&str> =
        body.get("schedules").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    if schedules.is_empty() {
        return invalid("The 'schedules' parameter must contain at least one mailbox.");
    }
    let (Some(start), Some(end)) = (body.get("startTime"), body.get("endTime")) else {
        return invalid("The 'startTime' and 'endTime' parameters are required.");
    };
    let (from, to) = match (one_time(start, "start"), one_time(end, "end")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(response), _) | (_, Err(response)) => return response,
    };
    if to <= from {
        return invalid("The end time must be after the start time.");
    }
    let interval = match body.get("availabilityViewInterval") {
        None | Some(Value::Null) => DEFAULT_INTERVAL,
        Some(value) => match value.as_i64().filter(|i| INTERVALS.contains(i)) {
            Some(interval) => interval,
            None => return invalid("availabilityViewInterval must be between 5 and 1440 minutes."),
        },
    };
    let value: Vec<Value> = schedules
        .iter()
        .map(|schedule| {
            let account = account_key(schedule);
            if !common.knows(&account) {
                return json!({
                    "scheduleId": schedule,
                    "availabilityView": "",
                    "error": {
                        "message": format!("The specified mailbox '{schedule}' could not be found."),
                        "responseCode": "ErrorMailRecipientNotFound",
                    },
                });
            }
            let mut items = events.busy(&account, from, to);
            items.extend(common.blocks_of(&account, from, to).into_iter().map(|b| Busy {
                start: b.start,
                end: b.end,
                show: b.show,
                subject: String::new(),
                location: String::new(),
                private: false,
                meeting: false,
            }));
            items.sort_by_key(|b| (b.start, b.end));
            json!({
                "scheduleId": schedule,
                "availabilityView": availability_view(&items, from, to, interval),
                "scheduleItems": items.iter().map(|b| item(b, zone)).collect::<Vec<_>>(),
                "workingHours": {
                    "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                    "startTime": "08:00:00.0000000",
                    "endTime": "17:00:00.0000000",
                    "timeZone": { "name": "UTC" },
                },
            })
        })
        .collect();
    Response::json(
        200,
        &json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
            "value": value,
        }),
    )
}

/// One `scheduleItem`; a private event's subject and location are left out.
fn item(busy: &Busy, zone: &OutZone) -> Value {
    let mut item = Map::new();
    item.insert("isPrivate".to_owned(), Value::Bool(busy.private));
    item.insert("status".to_owned(), Value::from(busy.show.graph_name()));
    if !busy.private && !busy.subject.is_empty() {
        item.insert("subject".to_owned(), Value::from(busy.subject.as_str()));
    }
    if !busy.private && !busy.location.is_empty() {
        item.insert("location".to_owned(), Value::from(busy.location.as_str()));
    }
    item.insert("isMeeting".to_owned(), Value::Bool(busy.meeting));
    item.insert("isRecurring".to_owned(), Value::Bool(false));
    item.insert("isException".to_owned(), Value::Bool(false));
    item.insert("isReminderSet".to_owned(), Value::Bool(false));
    item.insert("start".to_owned(), zone.write(busy.start));
    item.insert("end".to_owned(), zone.write(busy.end));
    Value::Object(item)
}

/// One digit per `interval` minutes from `from` (the last interval may end past `to`).
fn availability_view(items: &[Busy], from: DateTime<Utc>, to: DateTime<Utc>, interval: i64) -> String {
    let step = TimeDelta::minutes(interval);
    let mut view = String::new();
    let mut at = from;
    while at < to {
        let next = at + step;
        let strongest =
            items.iter().filter(|b| b.start < next && b.end > at).map(|b| b.show).max().unwrap_or(Show::Free);
        view.push(strongest.digit());
        at = next;
    }
    view
}
