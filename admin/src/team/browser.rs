//! What the accounts pages ask of the browser directly: copying to the clipboard, taking the
//! invitation out of the address, moving focus, and local dates. Reached through `Reflect`
//! where `web-sys` would need features this crate does not enable.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn property(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Copies `text` with `navigator.clipboard`; `false` when the browser refuses (an insecure
/// page, or permission denied), so the caller can ask for a manual copy.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Some(clipboard) = property(&window, "navigator").and_then(|n| property(&n, "clipboard")) else {
        return false;
    };
    let Some(write) = property(&clipboard, "writeText").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(text)).map(JsCast::unchecked_into::<Promise>) {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// Drops the fragment from the address without a reload or a history entry (after an
/// invitation is accepted, so its token does not stay in the address bar).
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Some(history) = property(&window, "history")
        && let Some(replace) = property(&history, "replaceState").and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = replace.call3(&history, &JsValue::NULL, &JsValue::from_str(""), &JsValue::from_str(&url));
    }
}

/// Moves focus to the element `id` once the view has caught up (it may just have been added).
pub fn focus_soon(id: String) {
    leptos::prelude::request_animation_frame(move || focus(&id));
}

/// Moves focus to the element with `id` (the first field with a problem), if it exists.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// The date of an RFC 3339 instant in the admin's locale ("Nov 25, 2026"), or the text as it
/// is when it does not parse.
pub fn local_date(rfc3339: &str) -> String {
    let ms = js_sys::Date::parse(rfc3339);
    if ms.is_nan() {
        return rfc3339.to_owned();
    }
    date_of_ms(ms)
}

/// The date of a Unix instant (ms) in the admin's locale.
pub fn date_of_ms(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &options);
    format.format().call1(&format, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// Now, Unix ms, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
