//! Confab's visitor chat, compiled to wasm, which `widget.js` mounts inside its Shadow DOM.
//!
//! No panics here: a panic would break a customer's page. Every fallible call maps to a
//! message the visitor can read.

use wasm_bindgen::prelude::*;

mod answer_form;
mod api;
mod chat;
mod decode;
mod dom;
mod kept;
mod saved;
mod slot_picker;
mod style;
mod time;
mod transcript;

/// Mounts the chat into `panel` (an element inside the loader's shadow root).
/// `base` is the edge's origin, `site` the site id, `emit(name, detail)` carries the chat's
/// events and its messages to the loader, and `options` says how the chat was opened
/// (`{visitor, dialogue, kept}`, see `chat::Options`). Later commands come through [`control`].
#[wasm_bindgen]
pub fn mount(panel: web_sys::Element, base: String, site: String, emit: js_sys::Function, options: JsValue) {
    let events = chat::Events(emit);
    events.emit("style", &style::CSS.into());
    let options = chat::Options {
        visitor: decode::field(&options, "visitor").is_truthy(),
        dialogue: decode::string(&options, "dialogue"),
        kept: decode::field(&options, "kept"),
    };
    chat::mount(&panel, &base, &site, events, options);
}

/// The loader's commands to the mounted chat: `open` (`{visitor}`), `close`, `start` (a
/// dialogue id) and `identify` (`{email, firstName, …}`).
#[wasm_bindgen]
pub fn control(command: &str, arg: JsValue) {
    chat::command(command, arg);
}
