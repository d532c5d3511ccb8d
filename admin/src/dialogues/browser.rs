//! What the dialogues tab asks of the browser directly: offering a JSON document as a download,
//! reading a chosen file, JSON text, dates and focus. Reached through `Reflect` where `web-sys`
//! would need features this crate does not enable.

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn property(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn method(target: &JsValue, name: &str) -> Option<Function> {
    property(target, name).and_then(|f| f.dyn_into::<Function>().ok())
}

/// Offers `document` as a file called `file_name`, pretty-printed; `false` when the browser
/// would not.
pub fn download_json(document: &JsValue, file_name: &str) -> bool {
    let Ok(text) = js_sys::JSON::stringify_with_replacer_and_space(document, &JsValue::NULL, &JsValue::from(2)) else {
        return false;
    };
    let global = js_sys::global();
    let (Some(blob_class), Some(url_class)) =
        (property(&global, "Blob").and_then(|c| c.dyn_into::<Function>().ok()), property(&global, "URL"))
    else {
        return false;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"type".into(), &"application/json".into());
    let parts = Array::of1(&text);
    let Ok(blob) = Reflect::construct(&blob_class, &Array::of2(&parts, &options)) else { return false };
    let Some(url) = method(&url_class, "createObjectURL").and_then(|f| f.call1(&url_class, &blob).ok()) else {
        return false;
    };
    let Some(document_node) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(link) = document_node.create_element("a") else { return false };
    let href = url.as_string().unwrap_or_default();
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", file_name);
    let _ = link.set_attribute("hidden", "");
    let Some(body) = document_node.body() else { return false };
    let _ = body.append_child(&link);
    if let Some(click) = method(&link, "click") {
        let _ = click.call0(&link);
    }
    link.remove();
    // Revoked later: some browsers read the address after the click handler returns.
    if let Some(revoke) = method(&url_class, "revokeObjectURL") {
        let revoke_later = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = revoke.call1(&url_class, &url);
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke_later.unchecked_ref(), 10_000);
        }
    }
    true
}

/// The text of the first file chosen in the file input that `event` comes from; `None` when
/// none was chosen or it could not be read.
pub async fn chosen_file_text(event: &web_sys::Event) -> Option<String> {
    let input: JsValue = event.target()?.into();
    let file = property(&input, "files").and_then(|files| property(&files, "0"))?;
    let promise = method(&file, "text")?.call0(&file).ok()?.dyn_into::<Promise>().ok()?;
    let text = JsFuture::from(promise).await.ok()?.as_string();
    // Cleared, so choosing the same file again is a new choice.
    let _ = Reflect::set(&input, &"value".into(), &"".into());
    text
}

/// `text` parsed as JSON, or `None` when it is not JSON.
pub fn parse_json(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text).ok()
}

/// `value` written as JSON, indented, for a text area.
pub fn to_json_text<T: Serialize>(value: &T) -> String {
    serde_wasm_bindgen::to_value(value)
        .ok()
        .and_then(|v| js_sys::JSON::stringify_with_replacer_and_space(&v, &JsValue::NULL, &JsValue::from(2)).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// JSON `text` read as a `T`, or the sentence to show.
pub fn from_json_text<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, String> {
    let value = parse_json(text).ok_or_else(|| format!("{what} is not valid JSON."))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| format!("{what} does not have the expected shape: {e}."))
}

/// The date and time of an RFC 3339 instant in the admin's locale, or the text as it is when
/// it does not parse.
pub fn local_time(rfc3339: &str) -> String {
    let ms = js_sys::Date::parse(rfc3339);
    if ms.is_nan() {
        return rfc3339.to_owned();
    }
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let format = js_sys::Intl::DateTimeFormat::new(&Array::new(), &options);
    format.format().call1(&format, &date).ok().and_then(|v| v.as_string()).unwrap_or_else(|| rfc3339.to_owned())
}

/// Moves focus to the element with `id`, if it exists.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
