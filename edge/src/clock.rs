//! The edge's only access to the current time and to randomness; the domain receives both as
//! arguments.

use chrono::{DateTime, Utc};
use wasm_bindgen::JsCast;

/// The current time.
pub fn now() -> DateTime<Utc> {
    let millis = worker::Date::now().as_millis();
    DateTime::from_timestamp_millis(i64::try_from(millis).unwrap_or(i64::MAX)).unwrap_or_default()
}

/// `n` bytes from the runtime's cryptographically secure generator (`crypto.getRandomValues`).
pub fn random_bytes(n: usize) -> Result<Vec<u8>, worker::Error> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get_random_values: js_sys::Function = js_sys::Reflect::get(&crypto, &"getRandomValues".into())?.dyn_into()?;
    let buf = js_sys::Uint8Array::new_with_length(u32::try_from(n).unwrap_or(0));
    get_random_values.call1(&crypto, &buf)?;
    Ok(buf.to_vec())
}

/// A random identifier: `prefix` followed by 128 random bits in hex.
pub fn random_id(prefix: &str) -> Result<String, worker::Error> {
    Ok(format!("{prefix}{}", confab_domain::auth::hex(&random_bytes(16)?)))
}
