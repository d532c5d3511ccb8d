//! Instants on Marketo's wire: milliseconds since the Unix epoch in, RFC 3339 UTC text out, and
//! the checks that a date or datetime value is one Marketo would write.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// 0000-01-01T00:00:00Z: the earliest instant written; earlier ones are clamped to it.
pub(crate) const MIN_MS: i64 = -62_167_219_200_000;
/// 9999-12-31T23:59:59.999Z: the latest instant written; later ones are clamped to it.
pub(crate) const MAX_MS: i64 = 253_402_300_799_999;

/// Whole seconds, in milliseconds.
const SECOND_MS: i64 = 1000;

/// `ms` as RFC 3339 in UTC with whole seconds, such as `2026-01-31T00:00:00Z` (the sub-second
/// part is dropped; callers round first when that matters).
pub(crate) fn rfc3339_secs(ms: i64) -> String {
    let ms = ms.clamp(MIN_MS, MAX_MS);
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// `ms` rounded down to a whole second.
pub(crate) fn floor_second(ms: i64) -> i64 {
    ms.div_euclid(SECOND_MS).saturating_mul(SECOND_MS)
}

/// `ms` rounded up to a whole second.
pub(crate) fn ceil_second(ms: i64) -> i64 {
    let floor = floor_second(ms);
    if floor == ms { ms } else { floor.saturating_add(SECOND_MS) }
}

/// Whether `text` is a datetime as Marketo writes them: RFC 3339 (`2026-01-15T10:00:00Z`,
/// `…+01:00`) or with a colon-less offset (`2026-01-15T10:00:00+0000`).
pub(crate) fn is_datetime(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok() || DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z").is_ok()
}

/// Whether `text` is a calendar date, `YYYY-MM-DD`.
pub(crate) fn is_date(text: &str) -> bool {
    text.len() == 10 && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}
