//! iCalendar (RFC 5545) invitations for booked meetings: one `VEVENT` in a `VCALENDAR`, with
//! text escaped (§3.3.11), lines folded at 75 octets without splitting a UTF-8 character
//! (§3.1) and CRLF line ends. Times are written in UTC, so no `VTIMEZONE` is needed.

use chrono::{DateTime, Utc};

/// Whether the invitation announces the meeting or its cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteMethod {
    /// `METHOD:REQUEST`, `STATUS:CONFIRMED`.
    Request,
    /// `METHOD:CANCEL`, `STATUS:CANCELLED`.
    Cancel,
}

/// A person on the invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Display name, if known.
    pub name: Option<String>,
    /// Email address.
    pub email: String,
}

/// Everything an invitation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// Globally unique, stable across updates of the same meeting (e.g. `<meeting id>@<host>`).
    pub uid: String,
    /// Incremented on every change (reschedule, cancel).
    pub sequence: u32,
    /// When the invitation was produced.
    pub stamp: DateTime<Utc>,
    /// Meeting start.
    pub start: DateTime<Utc>,
    /// Meeting end.
    pub end: DateTime<Utc>,
    /// Title.
    pub summary: String,
    /// Body text.
    pub description: String,
    /// Where (a video link or an address), if anywhere.
    pub location: Option<String>,
    /// The agent.
    pub organizer: Person,
    /// The visitor.
    pub attendee: Person,
    /// Request or cancel.
    pub method: InviteMethod,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub(crate) fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (`CN=`), quoted when it holds `:`, `;` or `,`; quotes and controls dropped.
pub(crate) fn param(value: &str) -> String {
    let clean: String = value.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) { format!("\"{clean}\"") } else { clean }
}

pub(crate) fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Appends `line` folded at 75 octets, each continuation starting with one space, then CRLF.
pub(crate) fn push_folded(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

pub(crate) fn person(role: &str, p: &Person, extra: &str) -> String {
    let cn = p.name.as_deref().map(|n| format!(";CN={}", param(n))).unwrap_or_default();
    // Email addresses went through `Email::parse`; controls are dropped regardless.
    let email: String = p.email.chars().filter(|c| !c.is_control()).collect();
    format!("{role}{cn}{extra}:mailto:{email}")
}

impl Invite {
    /// The `.ics` file.
    pub fn to_ics(&self) -> String {
        let (method, status) = match self.method {
            InviteMethod::Request => ("REQUEST", "CONFIRMED"),
            InviteMethod::Cancel => ("CANCEL", "CANCELLED"),
        };
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Confab//Confab meetings//EN".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            format!("METHOD:{method}"),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&self.uid)),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.start)),
            format!("DTEND:{}", utc(self.end)),
            format!("SUMMARY:{}", text(&self.summary)),
            format!("DESCRIPTION:{}", text(&self.description)),
        ];
        if let Some(location) = &self.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        lines.push(person("ORGANIZER", &self.organizer, ""));
        lines.push(person("ATTENDEE", &self.attendee, ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE"));
        lines.push(format!("STATUS:{status}"));
        lines.push("TRANSP:OPAQUE".to_owned());
        lines.push("END:VEVENT".to_owned());
        lines.push("END:VCALENDAR".to_owned());
        let mut out = String::new();
        for line in &lines {
            push_folded(&mut out, line);
        }
        out
    }
}

/// A file name for the invitation, ASCII only.
pub fn file_name(summary: &str) -> String {
    let mut name = String::new();
    for c in summary.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() { "meeting.ics".to_owned() } else { format!("{name}.ics") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn invite() -> Invite {
        Invite {
            uid: "m_0123@confab.example".into(),
            sequence: 0,
            stamp: at("2026-11-24T12:00:00Z"),
            start: at("2026-11-25T14:00:00Z"),
            end: at("2026-11-25T14:30:00Z"),
            summary: "Meeting with Agent 1, Acme".into(),
            description: "Booked through the chat.\nReply to reschedule; or cancel.".into(),
            location: None,
            organizer: Person { name: Some("Agent 1".into()), email: "agent-1@demo.test".into() },
            attendee: Person { name: Some("Ada Lovelace, Countess".into()), email: "ada@example.com".into() },
            method: InviteMethod::Request,
        }
    }

    #[test]
    fn a_request() {
        let ics = invite().to_ics();
        let expected = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Confab//Confab meetings//EN\r\nCALSCALE:GREGORIAN\r\n\
METHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:m_0123@confab.example\r\nSEQUENCE:0\r\nDTSTAMP:20261124T120000Z\r\n\
DTSTART:20261125T140000Z\r\nDTEND:20261125T143000Z\r\nSUMMARY:Meeting with Agent 1\\, Acme\r\n\
DESCRIPTION:Booked through the chat.\\nReply to reschedule\\; or cancel.\r\n\
ORGANIZER;CN=Agent 1:mailto:agent-1@demo.test\r\n\
ATTENDEE;CN=\"Ada Lovelace, Countess\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-AC\r\n TION;RSVP=TRUE:mailto:ada@example.com\r\n\
STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(ics, expected);
    }

    #[test]
    fn a_cancellation() {
        let ics = Invite { method: InviteMethod::Cancel, sequence: 2, ..invite() }.to_ics();
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:2\r\n"));
    }

    #[test]
    fn long_lines_fold_without_splitting_characters() {
        let summary = "Réunion ".repeat(30);
        let ics = Invite { summary, ..invite() }.to_ics();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // Unfolding gives the escaped value back.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", "Réunion ".repeat(30))));
    }

    #[test]
    fn injected_lines_are_neutralised() {
        let evil = Person { name: Some("x\r\nATTENDEE:mailto:evil@example.com".into()), email: "a@b.co".into() };
        let ics = Invite { attendee: evil, summary: "a\r\nEND:VCALENDAR".into(), ..invite() }.to_ics();
        let lines: Vec<&str> = ics.split("\r\n").collect();
        assert_eq!(lines.iter().filter(|l| **l == "END:VCALENDAR").count(), 1, "{ics}");
        assert!(!lines.iter().any(|l| l.starts_with("ATTENDEE:mailto:evil")), "{ics}");
        assert!(ics.contains("SUMMARY:a\\nEND:VCALENDAR\r\n"), "{ics}");
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(file_name("Meeting with Agent 1, Acme"), "meeting-with-agent-1-acme.ics");
        assert_eq!(file_name("¿?"), "meeting.ics");
    }
}
