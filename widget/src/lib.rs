//! Confab's visitor chat: a Leptos (CSR) app that `widget.js` mounts inside its Shadow DOM.
//!
//! No panics here: a panic would break a customer's page. Every fallible call maps to a
//! message the visitor can read.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

mod api;
mod chat;
mod decode;
mod email_form;
mod slot_picker;
mod style;
mod time;
mod transcript;

/// Mounts the chat into `panel` (an element inside the loader's shadow root).
/// `base` is the edge's origin, `site` the site id, and `emit(name, detail)` forwards the
/// chat's events to `window.Confab` listeners.
#[wasm_bindgen]
pub fn mount(panel: web_sys::HtmlElement, base: String, site: String, emit: js_sys::Function) {
    let events = chat::Events(emit);
    leptos::mount::mount_to(panel, move || view! { <chat::Chat base=base site=site events=events/> }).forget();
}
