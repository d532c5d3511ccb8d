//! `DialogueEditor`: reads one dialogue, then shows it in a `DialogueForm`; while reading, a
//! calm line; on failure, why and a retry.

use super::api::{self, Editing};
use super::dialogue_form::DialogueForm;
use crate::api::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The editor of the dialogue `id`.
#[component]
pub fn DialogueEditor(
    /// The dialogue.
    id: String,
    /// Back to the list.
    on_back: Callback<()>,
    /// Opens another dialogue, with a sentence to show there.
    on_open: Callback<(String, String)>,
    /// Something the list shows changed.
    on_changed: Callback<()>,
) -> impl IntoView {
    let read = RwSignal::new(None::<Result<Editing, ApiError>>);
    let load = {
        let id = id.clone();
        move || {
            read.set(None);
            let id = id.clone();
            spawn_local(async move {
                let result = api::read(id).await;
                read.try_set(Some(result));
            });
        }
    };
    load();
    view! {
        {move || match read.get() {
            None => view! {
                <section class="card dialogue-editor" id="dialogue-editor" aria-busy="true">
                    <p class="muted" role="status">"Loading the dialogue…"</p>
                </section>
            }
            .into_any(),
            Some(Err(e)) => {
                let load = load.clone();
                view! {
                    <section class="card dialogue-editor" id="dialogue-editor">
                        <div class="notice error" role="alert">
                            <p>{format!("The dialogue could not be read: {}", e.message)}</p>
                            <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                            " "
                            <button type="button" class="secondary" on:click=move |_| on_back.run(())>"← All dialogues"</button>
                        </div>
                    </section>
                }
                .into_any()
            }
            Some(Ok(editing)) => {
                view! { <DialogueForm editing=editing on_back=on_back on_open=on_open on_changed=on_changed /> }.into_any()
            }
        }}
    }
}
