//! Tests of the calendar wire mapping, against answers recorded in the shapes the providers
//! document (`tests/fixtures/`), and properties of the iCalendar reader.

use super::*;
use crate::availability::Interval;
use chrono::{DateTime, Utc};
use serde_json::Value;

mod caldav;
mod common;
mod google;
mod health;
mod ical;
mod microsoft;
mod oauth;

/// An RFC 3339 instant.
fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("bad instant {text}: {e}")).with_timezone(&Utc)
}

/// Milliseconds since the epoch of an RFC 3339 instant.
fn ms(text: &str) -> i64 {
    at(text).timestamp_millis()
}

/// The interval between two RFC 3339 instants.
fn span(start: &str, end: &str) -> Interval {
    Interval { start: at(start), end: at(end) }
}

/// A request body as JSON.
fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// `application/x-www-form-urlencoded` text decoded into its pairs, in order (`+` is a space,
/// `%XX` a byte).
fn form_pairs(text: &str) -> Vec<(String, String)> {
    fn decode(part: &str) -> String {
        let bytes = part.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out).unwrap()
    }
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The meeting every provider test writes.
fn spec() -> EventSpec<'static> {
    EventSpec {
        uid: "m_0123",
        summary: "Meeting with Agent 1, Acme",
        description: "Booked through the chat.\nReply to reschedule; or cancel.",
        start: at("2026-12-01T15:00:00Z"),
        end: at("2026-12-01T15:30:00Z"),
        time_zone: "Europe/Paris",
        organizer_email: Some("agent-1@confab.example"),
        attendee_email: "ada@example.com",
        attendee_name: Some("Ada Lovelace, Countess"),
    }
}
