//! The few DOM calls the chat builds its view with. The chat's markup is small and changes at
//! a handful of known points (a line said, the input area replaced, the bot typing), so it is
//! built and updated directly, without a view framework (Leptos' renderer and reactive graph
//! were a third of the widget's brotli'd wasm, which then could not meet its 60 KB budget; see
//! ARCHITECTURE.md, "Size").
//!
//! Text always goes in as text (`textContent`), never as HTML.

use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen]
extern "C" {
    /// The page's `document`.
    type Document;

    #[wasm_bindgen(thread_local_v2, js_name = document)]
    static DOCUMENT: Document;

    /// `document.createElement(tag)`. It throws only for a name that is not a valid tag name,
    /// and every tag here is a constant one.
    #[wasm_bindgen(method, js_name = createElement)]
    fn create_element(this: &Document, tag: &str) -> Element;
}

/// A new `<tag>` with `attributes` and `text` (none when empty), not in the page yet.
pub fn make(tag: &str, attributes: &[(&str, &str)], text: &str) -> Element {
    let element = DOCUMENT.with(|d| d.create_element(tag));
    for (name, value) in attributes {
        set(&element, name, value);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    element
}

/// Appends a new `<tag>` to `parent`, with `attributes` and `text` (none when empty).
pub fn add(parent: &Element, tag: &str, attributes: &[(&str, &str)], text: &str) -> Element {
    let element = make(tag, attributes, text);
    let _ = parent.append_child(&element);
    element
}

/// Sets an attribute (the names here are all valid ones, so it never fails).
pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// The first element under `root` that `selector` matches.
pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}
