//! Small pieces every provider's mapping shares: percent-encoding, form bodies, RFC 3339 text,
//! JSON lookups and the one-line, redacted text an error may quote.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// Longest provider message kept in an error, in characters.
const MESSAGE_CHARS: usize = 300;

/// Words at least this long made only of token characters are taken for secrets and redacted.
const SECRET_WORD_CHARS: usize = 40;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `value` percent-encoded for a URL path segment or query value: RFC 3986's unreserved
/// characters (`A–Z a–z 0–9 - . _ ~`) are kept, every other byte becomes `%XX`.
pub(crate) fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// `name=value` pairs joined with `&`, each side percent-encoded: a query string, or an
/// `application/x-www-form-urlencoded` body (a space is written `%20`, which form decoders
/// read as a space like `+`).
pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> =
        pairs.iter().map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value))).collect();
    encoded.join("&")
}

/// `t` as RFC 3339 in UTC with whole seconds: `2026-12-01T15:00:00Z`.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads an RFC 3339 instant with any offset.
pub(crate) fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.with_timezone(&Utc))
}

/// The body as a JSON object, if it is one.
pub(crate) fn json_object(body: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A non-empty string at `key`.
pub(crate) fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The first line of `text`, control characters turned into spaces, at most
/// [`MESSAGE_CHARS`] long, with token-like words redacted: what an error may quote of a
/// provider's message. Microsoft's descriptions continue with trace and correlation ids on
/// further lines, which this drops.
pub(crate) fn one_line(text: &str) -> String {
    let first = text.trim_start().split(['\r', '\n']).next().unwrap_or_default();
    let words: Vec<&str> =
        first.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect();
    let redacted: Vec<&str> = words.into_iter().map(|w| if looks_secret(w) { "[redacted]" } else { w }).collect();
    let joined = redacted.join(" ");
    let mut out: String = joined.chars().take(MESSAGE_CHARS).collect();
    if joined.chars().nth(MESSAGE_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Whether a word looks like a token or secret: long and made only of the characters tokens
/// use (base64, base64url, JWT dots).
fn looks_secret(word: &str) -> bool {
    word.chars().count() >= SECRET_WORD_CHARS
        && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '='))
}
