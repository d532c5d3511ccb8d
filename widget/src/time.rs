//! The visitor's time zone and slot labels, through the browser's `Intl` (no date library in
//! the widget).

use wasm_bindgen::JsValue;

/// The visitor's IANA time zone, `UTC` if the browser does not say.
pub fn visitor_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|v| v.as_string()).unwrap_or_else(|| "UTC".into())
}

fn format(start: &str, fields: &[(&str, &str)]) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(start));
    if date.get_time().is_nan() {
        return start.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    format.format().call1(&format, &date).ok().and_then(|v| v.as_string()).unwrap_or_else(|| start.to_owned())
}

/// `start` (RFC 3339) as the visitor reads it, e.g. "Tue, Nov 25, 10:00 AM".
pub fn slot_label(start: &str) -> String {
    format(
        start,
        &[("weekday", "short"), ("month", "short"), ("day", "numeric"), ("hour", "numeric"), ("minute", "2-digit")],
    )
}

/// The day of `start`, e.g. "Tue, Nov 25".
pub fn day_label(start: &str) -> String {
    format(start, &[("weekday", "short"), ("month", "short"), ("day", "numeric")])
}

/// The time of day of `start`, e.g. "10:00 AM".
pub fn time_label(start: &str) -> String {
    format(start, &[("hour", "numeric"), ("minute", "2-digit")])
}
