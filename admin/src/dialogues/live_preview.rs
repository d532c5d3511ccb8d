//! `LivePreview`: the saved draft in the real widget. An iframe shows `/preview/dialogue.html`
//! (served by the edge, on the admin's own origin), which loads `widget.js` exactly as a
//! customer's page does and starts this dialogue's draft with the site's branding, slots and
//! routing. The edge records nothing from it and books no meeting (`handlers/preview.rs`).

use super::state::EditorState;
use crate::api::encode;
use leptos::prelude::*;

/// The live preview of the dialogue `id` (`#dialogue-live-preview`).
#[component]
pub fn LivePreview(
    /// The dialogue's id.
    id: String,
    /// The editor's state (the preview runs what is saved, so it says when edits are not).
    state: EditorState,
    /// When the draft was last saved; the preview reloads after each save.
    #[prop(into)]
    saved_at: Signal<Option<String>>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let unsaved = Memo::new(move |_| state.unsaved());
    let src = move || {
        let stamp = saved_at.get().unwrap_or_default();
        format!(
            "/preview/dialogue.html?site={}&dialogue={}&saved={}",
            encode(confab_domain::demo::SITE),
            encode(&id),
            encode(&stamp)
        )
    };
    view! {
        <section class="live-preview" id="dialogue-live-preview" aria-labelledby="live-preview-title">
            <h3 id="live-preview-title">"In the real widget"</h3>
            <p class="hint">
                "Runs the saved draft in the widget visitors get, with your branding, agents and free times. "
                "Nothing is recorded and no meeting is booked."
            </p>
            <Show when=move || unsaved.get() && shown.get()>
                <p class="notice warn" role="status">"You have unsaved edits: save to see them here."</p>
            </Show>
            <button
                type="button"
                class="secondary"
                id="live-preview-toggle"
                aria-expanded=move || shown.get().to_string()
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {move || if shown.get() { "Hide the widget" } else { "Open in the widget" }}
            </button>
            <Show when=move || shown.get()>
                <iframe class="live-preview-frame" id="live-preview-frame" title="The draft in the real widget" src=src.clone()></iframe>
            </Show>
        </section>
    }
}
