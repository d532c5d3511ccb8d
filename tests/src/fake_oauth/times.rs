//! Times on the wire: RFC 3339 instants (Google), local date-times with a time-zone name
//! (Microsoft Graph's `{dateTime, timeZone}`, Google's `dateTime` without an offset), IANA and
//! the common Windows zone names, and each vendor's way of writing them.

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// A time zone named on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    Utc,
    Iana(Tz),
}

/// Windows zone names Graph accepts, for the zones the tests use, with their IANA equivalents
/// (from CLDR's `windowsZones.xml`).
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Mountain Standard Time", "America/Denver"),
    ("Central Standard Time", "America/Chicago"),
    ("Eastern Standard Time", "America/New_York"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
];

/// The zone called `name`: `UTC` (and its aliases), an IANA name, or one of the Windows names
/// above; `None` when unknown.
pub(crate) fn zone(name: &str) -> Option<Zone> {
    let name = name.trim();
    if ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "Coordinated Universal Time", "tzone://Microsoft/Utc"]
        .iter()
        .any(|u| u.eq_ignore_ascii_case(name))
    {
        return Some(Zone::Utc);
    }
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(Zone::Iana(tz));
    }
    let iana = WINDOWS_ZONES.iter().find(|(windows, _)| windows.eq_ignore_ascii_case(name))?.1;
    iana.parse::<Tz>().ok().map(Zone::Iana)
}

impl Zone {
    /// The instant of local time `local` in this zone (the earlier one when the clocks go back;
    /// a time skipped when they go forward is `None`).
    pub fn to_utc(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Utc => Some(local.and_utc()),
            Zone::Iana(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
                LocalResult::None => None,
            },
        }
    }

    /// Local time at `at` in this zone.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Utc => at.naive_utc(),
            Zone::Iana(tz) => at.with_timezone(&tz).naive_local(),
        }
    }

    /// `at` in RFC 3339 with this zone's offset (`Z` for UTC).
    pub fn rfc3339(self, at: DateTime<Utc>) -> String {
        match self {
            Zone::Utc => google(at),
            Zone::Iana(tz) => {
                let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
                at.with_timezone(&offset).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
            }
        }
    }
}

/// An RFC 3339 instant (`2026-12-01T15:00:00Z`, `…+01:00`, with or without fractions).
pub(crate) fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc))
}

/// A local date-time as Graph writes them (`2026-12-01T15:00:00`, `…:00.0000000`), or Google's
/// `dateTime` without an offset.
pub(crate) fn parse_local(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// An instant as Google writes it in free/busy answers: UTC, whole seconds, `Z`.
pub(crate) fn google(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An instant with milliseconds, as Google echoes `timeMin` and writes `created`/`updated`.
pub(crate) fn google_millis(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A local date-time as Graph writes it: seven fractional digits, no offset
/// (`2026-12-01T15:00:00.0000000`).
pub(crate) fn graph(local: NaiveDateTime) -> String {
    format!("{}.{:07}", local.format("%Y-%m-%dT%H:%M:%S"), local.and_utc().timestamp_subsec_nanos() / 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_convert_local_times_both_ways() {
        let paris = zone("Romance Standard Time");
        assert_eq!(paris, zone("Europe/Paris"));
        let local = parse_local("2026-12-01T09:00:00.0000000");
        let at = local.and_then(|l| paris?.to_utc(l));
        assert_eq!(at, parse_rfc3339("2026-12-01T08:00:00Z"));
        assert_eq!(at.map(|t| graph(Zone::Utc.local(t))).as_deref(), Some("2026-12-01T08:00:00.0000000"));
        assert_eq!(at.zip(paris).map(|(t, p)| p.rfc3339(t)).as_deref(), Some("2026-12-01T09:00:00+01:00"));
        assert_eq!(zone("Mars/Olympus_Mons"), None);
    }
}
