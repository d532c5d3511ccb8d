//! Words and numbers for the integrations cards: relative times ("12 s ago"), durations,
//! percentages, and reading the domains an admin types. The pure functions are tested
//! natively; the few that need the browser's `Intl` say so.

use crate::api::LeadField;
use wasm_bindgen::JsValue;

/// Now, Unix ms, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// How long ago (or how soon) `then_ms` is from `now_ms`: "just now", "12 s ago",
/// "5 min ago", "3 h ago", "2 d ago", or "in 4 min" for the future; "never" when unset (0).
pub fn relative(now_ms: f64, then_ms: f64) -> String {
    if then_ms <= 0.0 {
        return "never".into();
    }
    let seconds = ((now_ms - then_ms) / 1000.0).round() as i64;
    let s = seconds.unsigned_abs();
    let amount = match s {
        0..5 if seconds >= 0 => return "just now".into(),
        0..5 => return "in a few seconds".into(),
        5..60 => format!("{s} s"),
        60..3_600 => format!("{} min", s / 60),
        3_600..86_400 => format!("{} h", s / 3_600),
        _ => format!("{} d", s / 86_400),
    };
    if seconds >= 0 { format!("{amount} ago") } else { format!("in {amount}") }
}

/// A length of time such as a rate window: "500 ms", "20 s", "5 min", "2 h".
pub fn duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..120_000 => format!("{} s", ms / 1_000),
        120_000..7_200_000 => format!("{} min", ms / 60_000),
        _ => format!("{} h", ms / 3_600_000),
    }
}

/// A percentage with at most one decimal, clamped to 0–100: "42%", "99.9%".
pub fn percent(value: f64) -> String {
    let tenths = (value.clamp(0.0, 100.0) * 10.0).round() as u64;
    match tenths % 10 {
        0 => format!("{}%", tenths / 10),
        d => format!("{}.{d}%", tenths / 10),
    }
}

/// `part` as a whole percentage of `whole` (0 when `whole` is 0).
pub fn share(part: u64, whole: u64) -> u64 {
    match whole {
        0 => 0,
        w => (part.saturating_mul(100) + w / 2) / w,
    }
}

/// `n` followed by the noun in singular or plural: "1 field", "3 fields".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The domains in what an admin typed or pasted: separated by commas, semicolons or
/// whitespace; a leading `@` dropped, an email address reduced to its domain, lowercased,
/// without duplicates. Validity is the server's decision.
pub fn parse_domains(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let domain = piece.rsplit('@').next().unwrap_or(piece).trim().trim_end_matches('.').to_lowercase();
        if !domain.is_empty() && !out.contains(&domain) {
            out.push(domain);
        }
    }
    out
}

/// Whether `field` matches every word of `query` in its display name, REST name or type,
/// ignoring case.
pub fn field_matches(field: &LeadField, query: &str) -> bool {
    let haystack = format!("{} {} {}", field.display_name, field.name, field.data_type).to_lowercase();
    query.to_lowercase().split_whitespace().all(|word| haystack.contains(word))
}

/// `ms` (Unix) in the admin's own time zone and locale, e.g. "Nov 25, 2025, 2:03 PM".
pub fn local_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    format.format().call1(&format, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// `ms` (Unix) as an RFC 3339 instant for `<time datetime>`; empty when invalid.
pub fn iso(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    if date.get_time().is_nan() { String::new() } else { date.to_iso_string().into() }
}

/// `n` with the admin's digit grouping, e.g. "12,345".
pub fn number(n: u64) -> String {
    let format = js_sys::Intl::NumberFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    format
        .format()
        .call1(&format, &JsValue::from_f64(n as f64))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// The admin's local midnight starting `date` (`YYYY-MM-DD`, as a date input gives it) as
/// RFC 3339, or `None` when the text is not such a date.
pub fn local_midnight(date: &str) -> Option<String> {
    let mut parts = date.trim().splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(year)), Some(Ok(month @ 1..=12)), Some(Ok(day @ 1..=31))) = (parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let at = js_sys::Date::new_with_year_month_day(year, month as i32 - 1, day as i32);
    (!at.get_time().is_nan()).then(|| at.to_iso_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_naturally() {
        let now = 1_000_000_000.0;
        assert_eq!(relative(now, 0.0), "never");
        assert_eq!(relative(now, now - 2_000.0), "just now");
        assert_eq!(relative(now, now - 12_000.0), "12 s ago");
        assert_eq!(relative(now, now - 300_000.0), "5 min ago");
        assert_eq!(relative(now, now - 3.0 * 3_600_000.0), "3 h ago");
        assert_eq!(relative(now, now - 2.0 * 86_400_000.0), "2 d ago");
        assert_eq!(relative(now, now + 240_000.0), "in 4 min");
        assert_eq!(relative(now, now + 1_000.0), "in a few seconds");
    }

    #[test]
    fn durations_percentages_and_shares() {
        assert_eq!(duration(20_000), "20 s");
        assert_eq!(duration(90_000), "90 s");
        assert_eq!(duration(300_000), "5 min");
        assert_eq!(duration(86_400_000), "24 h");
        assert_eq!(percent(42.0), "42%");
        assert_eq!(percent(99.94), "99.9%");
        assert_eq!(percent(130.0), "100%");
        assert_eq!(share(25, 100), 25);
        assert_eq!(share(1, 3), 33);
        assert_eq!(share(5, 0), 0);
        assert_eq!(count(1, "field", "fields"), "1 field");
        assert_eq!(count(0, "field", "fields"), "0 fields");
    }

    #[test]
    fn typed_domains_are_split_and_cleaned() {
        assert_eq!(
            parse_domains(" Gmail.com, @yahoo.com;ada@Example.ORG\nhotmail.com. gmail.com "),
            ["gmail.com", "yahoo.com", "example.org", "hotmail.com"]
        );
        assert!(parse_domains(" , ;\n").is_empty());
    }

    #[test]
    fn fields_match_every_word_in_any_column() {
        let field =
            LeadField { name: "firstName".into(), display_name: "First Name".into(), data_type: "string".into() };
        assert!(field_matches(&field, ""));
        assert!(field_matches(&field, "first"));
        assert!(field_matches(&field, "FIRSTNAME"));
        assert!(field_matches(&field, "name string"));
        assert!(!field_matches(&field, "email"));
    }
}
