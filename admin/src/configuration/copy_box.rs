//! `CopyBox`: a read-only text to paste elsewhere (the install snippet, the CSP) with a Copy
//! button. When the browser refuses the clipboard, the text is selected and the admin is told
//! to copy it by hand.

use crate::team::browser::copy_text;
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

/// Selects the whole text of the element with `id`, for a copy by hand.
fn select_all(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element {
        let element: JsValue = element.into();
        if let Some(select) = Reflect::get(&element, &"select".into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
        {
            let _ = select.call0(&element);
        }
    }
}

/// A labelled read-only text with a Copy button.
#[component]
pub fn CopyBox(
    /// The text area's id (the button's is `<id>-copy`). Stable, for tests.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// What the text is for, under it.
    hint: &'static str,
    /// The text.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let message = if copy_text(&value).await {
                "Copied.".to_owned()
            } else {
                select_all(id);
                "The browser did not allow copying; the text is selected, press Ctrl+C (⌘C on a Mac).".to_owned()
            };
            let _ = status.try_set(message);
        });
    };
    view! {
        <div class="field copy-box">
            <label for=id>{label}</label>
            <div class="copy-row">
                <textarea
                    id=id
                    readonly
                    rows="3"
                    spellcheck="false"
                    aria-describedby=format!("{id}-hint")
                    prop:value=move || text.get()
                ></textarea>
                <button type="button" class="secondary" id=format!("{id}-copy") on:click=copy>
                    "Copy"
                    <span class="visually-hidden">{format!(" {}", label.to_lowercase())}</span>
                </button>
            </div>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <p class="copy-status" role="status">{move || status.get()}</p>
        </div>
    }
}
