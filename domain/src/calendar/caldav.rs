//! CalDAV (RFC 4791) on the wire: the `calendar-query` REPORT for busy time, reading its
//! `207 Multi-Status` answer, and writing or deleting one event as an iCalendar resource.
//!
//! The edge sends every call to the calendar collection's URL with HTTP basic auth:
//! `REPORT` with `Depth: 1` and [`calendar_query_body`] (content type [`XML_CONTENT_TYPE`]),
//! `PUT` of [`event_ics`] to [`event_href`] (content type [`ICS_CONTENT_TYPE`]) to create or
//! move a meeting, and `DELETE` of the same href to remove it. The href derives from the
//! meeting's uid, so a `PUT` is idempotent: a retried create overwrites the same resource.
//!
//! Decided here: the query asks the server to expand recurrences (`<C:expand>`), and the
//! answer is read so that it does not matter whether the server did: recurring events that
//! come back unexpanded are expanded by [`super::ical::busy_intervals`]. Elements are matched
//! by namespace URI, never by prefix. Left to the caller: discovering the collection URL (the
//! admin pastes it), credentials, and `Depth`/content-type headers.

use super::ical::busy_intervals;
use super::wire::percent_encode;
use super::{CalendarError, EventSpec, parse_retry_after};
use crate::availability::Interval;
use crate::ics::{Person, person, push_folded, text, utc};
use chrono::{DateTime, Utc};
use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// WebDAV's namespace.
const DAV: &str = "DAV:";

/// CalDAV's namespace.
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// The `Content-Type` of a REPORT body.
pub const XML_CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// The `Content-Type` of an event `PUT`.
pub const ICS_CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The body of `REPORT` (with `Depth: 1`) on the collection: a `calendar-query` for the
/// `VEVENT`s of any `VCALENDAR` overlapping `[from, until)` (a `time-range` in UTC basic
/// format), asking for `getetag` and the `calendar-data`, expanded over the same range.
pub fn calendar_query_body(from: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let (start, end) = (utc(from), utc(until));
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\n\
  <D:prop>\n\
    <D:getetag/>\n\
    <C:calendar-data>\n\
      <C:expand start=\"{start}\" end=\"{end}\"/>\n\
    </C:calendar-data>\n\
  </D:prop>\n\
  <C:filter>\n\
    <C:comp-filter name=\"VCALENDAR\">\n\
      <C:comp-filter name=\"VEVENT\">\n\
        <C:time-range start=\"{start}\" end=\"{end}\"/>\n\
      </C:comp-filter>\n\
    </C:comp-filter>\n\
  </C:filter>\n\
</C:calendar-query>\n"
    )
}

/// The elements whose place in the tree matters when reading a multistatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    Multistatus,
    Response,
    Propstat,
    Prop,
    Status,
    CalendarData,
    Other,
}

impl Element {
    fn of(namespace: &ResolveResult, local: &str) -> Element {
        let ns = match namespace {
            ResolveResult::Bound(ns) => ns.into_inner(),
            _ => "",
        };
        match (ns, local) {
            (DAV, "multistatus") => Element::Multistatus,
            (DAV, "response") => Element::Response,
            (DAV, "propstat") => Element::Propstat,
            (DAV, "prop") => Element::Prop,
            (DAV, "status") => Element::Status,
            (CALDAV, "calendar-data") => Element::CalendarData,
            _ => Element::Other,
        }
    }
}

/// Whether a `DAV:status` line (`HTTP/1.1 200 OK`) names a 2xx status.
fn status_ok(line: &str) -> bool {
    line.split_whitespace().nth(1).and_then(|code| code.parse::<u16>().ok()).is_some_and(|c| (200..300).contains(&c))
}

/// Adds text to whichever of a status line or a calendar-data property is being read.
fn append(status: &mut Option<String>, data: &mut Option<String>, text: &str) {
    if let Some(target) = status.as_mut().or(data.as_mut()) {
        target.push_str(text);
    }
}

fn garbled() -> CalendarError {
    CalendarError::Transient("the CalDAV server's answer is not a readable multistatus document".to_owned())
}

/// The text of every `calendar-data` property the multistatus `body` reports with a 2xx
/// propstat status (or none), XML entities and character references decoded.
fn calendar_data(body: &str) -> Result<Vec<String>, CalendarError> {
    let mut reader = NsReader::from_str(body);
    let mut stack: Vec<Element> = Vec::new();
    let mut seen_root = false;
    // Text being read: a calendar-data property, or a propstat's status.
    let mut data: Option<String> = None;
    let mut status: Option<String> = None;
    // What the current propstat holds, kept once its status is known to be 2xx.
    let mut held: Vec<String> = Vec::new();
    let mut held_status = String::new();
    let mut found = Vec::new();
    loop {
        let (namespace, event) = reader.read_resolved_event().map_err(|_| garbled())?;
        match event {
            Event::Start(start) => {
                let element = Element::of(&namespace, start.local_name().into_inner());
                if !seen_root && element != Element::Multistatus {
                    return Err(garbled());
                }
                seen_root = true;
                let parent = stack.last().copied();
                let grandparent = stack.len().checked_sub(2).and_then(|i| stack.get(i)).copied();
                match element {
                    Element::Propstat => {
                        held.clear();
                        held_status.clear();
                    }
                    Element::Status if parent == Some(Element::Propstat) => status = Some(String::new()),
                    Element::CalendarData
                        if parent == Some(Element::Prop) && grandparent == Some(Element::Propstat) =>
                    {
                        data = Some(String::new());
                    }
                    _ => {}
                }
                stack.push(element);
            }
            Event::Empty(empty) => {
                let element = Element::of(&namespace, empty.local_name().into_inner());
                if !seen_root {
                    // An empty root (`<D:multistatus/>`) reports nothing; anything else is not a
                    // multistatus.
                    return if element == Element::Multistatus { Ok(found) } else { Err(garbled()) };
                }
            }
            Event::End(_) => match stack.pop() {
                Some(Element::CalendarData) => {
                    if let Some(text) = data.take() {
                        held.push(text);
                    }
                }
                Some(Element::Status) => {
                    if let Some(text) = status.take() {
                        held_status = text;
                    }
                }
                Some(Element::Propstat) => {
                    if held_status.trim().is_empty() || status_ok(&held_status) {
                        found.append(&mut held);
                    }
                    held.clear();
                }
                _ => {}
            },
            Event::Text(text) => append(&mut status, &mut data, &text.xml10_content()),
            Event::CData(cdata) => append(&mut status, &mut data, &cdata.xml10_content()),
            Event::GeneralRef(reference) => {
                let decoded = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => resolve_predefined_entity(&reference).ok_or_else(garbled)?.to_owned(),
                    Err(_) => return Err(garbled()),
                };
                append(&mut status, &mut data, &decoded);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !seen_root || !stack.is_empty() {
        return Err(garbled());
    }
    Ok(found)
}

/// Reads the answer to [`calendar_query_body`]: the busy time in every returned event that
/// overlaps `[from, until)` (see [`busy_intervals`] for what counts), sorted, without
/// duplicates.
///
/// `207 Multi-Status` (or a plain 2xx) is read; other statuses are [`classify`]'d (without a
/// `Retry-After`: pass the answer to [`classify`] directly to keep one). A body that is not a
/// well-formed `DAV:multistatus`, or uses an unknown XML entity, is
/// [`CalendarError::Transient`]. Propstats with a non-2xx status are skipped.
pub fn parse_multistatus(
    status: u16,
    body: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Interval>, CalendarError> {
    if !(200..300).contains(&status) {
        return Err(classify(status, body, None));
    }
    let mut busy: Vec<Interval> =
        calendar_data(body)?.iter().flat_map(|ics| busy_intervals(ics, from, until)).collect();
    busy.sort();
    busy.dedup();
    Ok(busy)
}

/// The URL of a meeting's resource: the collection URL (with or without its trailing slash),
/// then the uid percent-encoded, then `.ics`.
pub fn event_href(collection_url: &str, uid: &str) -> String {
    format!("{}/{}.ics", collection_url.trim_end_matches('/'), percent_encode(uid))
}

/// The body of the `PUT` that creates or moves a meeting: a `VCALENDAR` with one `VEVENT`
/// (`UID` = the meeting's uid, `DTSTART`/`DTEND` in UTC, `SUMMARY` and `DESCRIPTION` escaped,
/// `ORGANIZER` when known, the visitor as `ATTENDEE` with `SCHEDULE-AGENT=CLIENT` so a scheduling
/// server does not send a second invitation, `STATUS:CONFIRMED`, `TRANSP:OPAQUE`),
/// lines folded at 75 octets with CRLF ends, as [`crate::ics`] writes invitations. No `METHOD`:
/// RFC 4791 §4.1 forbids it in stored resources.
///
/// `DTSTAMP` is required and would be "now"; this module has no clock, so it is the meeting's
/// start. The edge, which has a clock, should prefer [`event_ics_stamped`].
pub fn event_ics(spec: &EventSpec) -> String {
    event_ics_stamped(spec, spec.start, 0)
}

/// [`event_ics`] with the `DTSTAMP` (when the resource is written) and `SEQUENCE` (0 when
/// created, then one more on every move) given: what calendar clients use to tell a newer
/// version of the meeting from an older one.
pub fn event_ics_stamped(spec: &EventSpec, stamp: DateTime<Utc>, sequence: u32) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Confab//Confab meetings//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", text(spec.uid)),
        format!("SEQUENCE:{sequence}"),
        format!("DTSTAMP:{}", utc(stamp)),
        format!("DTSTART:{}", utc(spec.start)),
        format!("DTEND:{}", utc(spec.end)),
        format!("SUMMARY:{}", text(spec.summary)),
        format!("DESCRIPTION:{}", text(spec.description)),
    ];
    if let Some(organizer) = spec.organizer_email.filter(|e| !e.trim().is_empty()) {
        lines.push(person("ORGANIZER", &Person { name: None, email: organizer.to_owned() }, ""));
    }
    let attendee = Person {
        name: spec.attendee_name.filter(|n| !n.trim().is_empty()).map(str::to_owned),
        email: spec.attendee_email.to_owned(),
    };
    // `SCHEDULE-AGENT=CLIENT` (RFC 6638 §7.1): Confab sends the invitation itself, so a server
    // that schedules (Nextcloud, iCloud, SOGo; not Radicale) must not email the visitor again.
    lines.push(person("ATTENDEE", &attendee, ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;SCHEDULE-AGENT=CLIENT"));
    lines.push("STATUS:CONFIRMED".to_owned());
    lines.push("TRANSP:OPAQUE".to_owned());
    lines.push("END:VEVENT".to_owned());
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        push_folded(&mut out, line);
    }
    out
}

/// The local name of the precondition a `DAV:error` body names (`no-uid-conflict`,
/// `valid-calendar-data`), if the body is one.
fn precondition(body: &str) -> Option<String> {
    let mut reader = NsReader::from_str(body);
    let mut inside_error = false;
    loop {
        let (namespace, event) = reader.read_resolved_event().ok()?;
        match event {
            Event::Start(e) | Event::Empty(e) if inside_error => {
                return Some(e.local_name().into_inner().chars().take(60).collect());
            }
            Event::Start(e) => {
                let is_error = matches!(&namespace, ResolveResult::Bound(ns) if ns.into_inner() == DAV)
                    && e.local_name().into_inner() == "error";
                if !is_error {
                    return None;
                }
                inside_error = true;
            }
            Event::Empty(_) | Event::End(_) | Event::Eof => return None,
            _ => {}
        }
    }
}

/// The error a failed CalDAV call stands for, from its status, its body and its
/// `Retry-After` header.
///
/// - 401, and 403 without a `DAV:error` precondition, are [`CalendarError::Revoked`]: the
///   server refused the credentials;
/// - a 403 or 409 naming a precondition (`<C:no-uid-conflict/>`, `<C:valid-calendar-data/>`,
///   …) is [`CalendarError::Rejected`] with its name;
/// - 404 and 410 are [`CalendarError::NotFound`];
/// - 412 (an `If-Match` that no longer holds) is [`CalendarError::Rejected`];
/// - 429 and 503 are [`CalendarError::Throttled`];
/// - 408 and other 5xx are [`CalendarError::Transient`];
/// - other 4xx are [`CalendarError::Rejected`];
/// - a 2xx answer handed here (one that could not be read) is [`CalendarError::Transient`].
pub fn classify(status: u16, body: &str, retry_after: Option<&str>) -> CalendarError {
    let retry_after_ms = retry_after.and_then(parse_retry_after);
    let precondition = if matches!(status, 403 | 409) { precondition(body) } else { None };
    match (status, precondition) {
        (403 | 409, Some(name)) => {
            CalendarError::Rejected(format!("the CalDAV server refused the event (HTTP {status}, precondition {name})"))
        }
        (401 | 403, _) => CalendarError::Revoked("the CalDAV server refused the credentials".to_owned()),
        (404 | 410, _) => CalendarError::NotFound,
        (412, _) => CalendarError::Rejected(
            "the event changed on the CalDAV server since it was read (HTTP 412 Precondition Failed)".to_owned(),
        ),
        (429 | 503, _) => CalendarError::Throttled { retry_after_ms },
        (408 | 500..=599, _) => CalendarError::Transient(format!("the CalDAV server failed (HTTP {status})")),
        (400..=499, _) => CalendarError::Rejected(format!("the CalDAV server refused the request (HTTP {status})")),
        _ => {
            CalendarError::Transient(format!("the CalDAV server gave an answer that could not be read (HTTP {status})"))
        }
    }
}

/// Reads the answer to a `PUT` of [`event_ics`]: 2xx (201 Created, 204 No Content, or 200) is
/// done; anything else is [`classify`]'d.
pub fn parse_put(status: u16, body: &str, retry_after: Option<&str>) -> Result<(), CalendarError> {
    match status {
        200..=299 => Ok(()),
        _ => Err(classify(status, body, retry_after)),
    }
}

/// Reads the answer to a `DELETE` of [`event_href`]: 2xx (200, 204) is done, and so are 404
/// and 410 (the event is already gone). Anything else is [`classify`]'d.
pub fn parse_delete(status: u16, body: &str, retry_after: Option<&str>) -> Result<(), CalendarError> {
    match status {
        200..=299 | 404 | 410 => Ok(()),
        _ => Err(classify(status, body, retry_after)),
    }
}
