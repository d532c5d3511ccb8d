//! `ImportControl`: creates a dialogue from a `confab-dialogue/1` JSON export chosen as a file,
//! then opens it; a file that is not JSON, or that the edge refuses, is explained next to the
//! control.

use super::api;
use super::browser::{chosen_file_text, parse_json};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The control (`#dialogue-import`).
#[component]
pub fn ImportControl(
    /// Called with the imported dialogue's id.
    on_imported: Callback<String>,
) -> impl IntoView {
    let failed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let change = move |ev: leptos::ev::Event| {
        failed.set(String::new());
        busy.set(true);
        spawn_local(async move {
            let Some(text) = chosen_file_text(&ev).await else {
                busy.try_set(false);
                return;
            };
            let Some(document) = parse_json(&text) else {
                busy.try_set(false);
                failed.try_set("This file is not JSON. Choose a file made with Export JSON.".into());
                return;
            };
            let result = api::import(document).await;
            busy.try_set(false);
            match result {
                Ok(e) => {
                    let _ = on_imported.try_run(e.id);
                }
                Err(e) => {
                    failed.try_set(format!("Not imported: {}", e.message));
                }
            }
        });
    };
    view! {
        <div class="import-control">
            <label for="dialogue-import">"Import a JSON export"</label>
            <input
                id="dialogue-import"
                name="import"
                type="file"
                accept=".json,application/json"
                aria-describedby="dialogue-import-error"
                disabled=move || busy.get()
                on:change=change
            />
            <span class="muted" role="status">{move || if busy.get() { "Importing…" } else { "" }}</span>
            <p class="field-error" role="alert" id="dialogue-import-error">{move || failed.get()}</p>
        </div>
    }
}
