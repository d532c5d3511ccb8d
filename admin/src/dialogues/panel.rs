//! `DialoguesPanel`: the Dialogues tab. The list of the site's dialogues with "New dialogue"
//! and import; choosing one opens its editor in place of the list, and "All dialogues" comes
//! back (after confirmation when edits are unsaved).

use super::api::{self, Summary};
use super::browser::focus;
use super::dialogue_list::DialogueList;
use super::editor::DialogueEditor;
use super::import_control::ImportControl;
use super::new_dialogue_form::NewDialogueForm;
use crate::api::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The list as last read. Every handle is a signal, so an answer arriving after the panel is
/// gone finds them disposed and is dropped.
#[derive(Clone, Copy)]
struct Loader {
    dialogues: RwSignal<Option<Vec<Summary>>>,
    failure: RwSignal<Option<ApiError>>,
    /// Bumped by each read, so only the newest answer is shown.
    generation: RwSignal<u32>,
}

impl Loader {
    fn new() -> Self {
        Loader { dialogues: RwSignal::new(None), failure: RwSignal::new(None), generation: RwSignal::new(0) }
    }

    fn read(self) {
        let Some(generation) = self.generation.try_update_untracked(|g| {
            *g = g.wrapping_add(1);
            *g
        }) else {
            return;
        };
        spawn_local(async move {
            let result = api::list().await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok(list) => {
                    self.dialogues.set(Some(list));
                    self.failure.set(None);
                }
                Err(e) => {
                    self.failure.set(Some(e));
                }
            }
        });
    }
}

/// The Dialogues tab (`#dialogues-panel`).
#[component]
pub fn DialoguesPanel() -> impl IntoView {
    let loader = Loader::new();
    loader.read();
    let Loader { dialogues, failure, .. } = loader;
    let selected = RwSignal::new(None::<String>);
    let creating = RwSignal::new(false);
    // A sentence for the dialogue just opened (after a duplicate or an import).
    let opened = RwSignal::new(String::new());

    let open = Callback::new(move |(id, said): (String, String)| {
        opened.set(said);
        creating.set(false);
        selected.set(Some(id));
    });
    let back = Callback::new(move |()| {
        let was = selected.get_untracked();
        selected.set(None);
        opened.set(String::new());
        loader.read();
        // Focus returns to the row of the dialogue just left, or to the heading.
        request_animation_frame(move || {
            let row = was.and_then(|id| {
                let document = web_sys::window()?.document()?;
                let selector = format!("tr[data-dialogue-id=\"{}\"] button", id.replace(['"', '\\'], ""));
                document.query_selector(&selector).ok().flatten()
            });
            match row.and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(r).ok()) {
                Some(button) => {
                    let _ = button.focus();
                }
                None => focus("dialogues-title"),
            }
        });
    });
    let changed = Callback::new(move |()| loader.read());

    let list_view = move || {
        view! {
            <section class="card dialogues" aria-labelledby="dialogues-title">
                <div class="card-head">
                    <h2 id="dialogues-title" tabindex="-1">"Dialogues"</h2>
                    <div class="tools">
                        <ImportControl on_imported=Callback::new(move |id| {
                            loader.read();
                            open.run((id, "Imported as a new, unpublished dialogue.".to_owned()));
                        }) />
                        <button
                            type="button"
                            class="primary"
                            id="new-dialogue"
                            aria-expanded=move || creating.get().to_string()
                            aria-controls="new-dialogue-form"
                            on:click=move |_| creating.set(true)
                        >
                            "New dialogue"
                        </button>
                    </div>
                </div>
                <Show when=move || creating.get()>
                    <NewDialogueForm
                        on_created=Callback::new(move |id| {
                            loader.read();
                            open.run((id, "Created. It starts as a greeting and an end; edit it, then publish.".to_owned()));
                        })
                        on_cancel=Callback::new(move |()| {
                            creating.set(false);
                            request_animation_frame(|| focus("new-dialogue"));
                        })
                    />
                </Show>
                {move || failure.get().map(|e| view! {
                    <div class="notice error" role="alert" id="dialogues-error">
                        <p>{format!("The dialogues could not be read: {}", e.message)}</p>
                        <button type="button" class="secondary" on:click=move |_| loader.read()>"Try again"</button>
                    </div>
                })}
                {move || match dialogues.get() {
                    None if failure.with(Option::is_none) => {
                        view! { <p class="muted" role="status" id="dialogues-loading">"Loading dialogues…"</p> }.into_any()
                    }
                    None => ().into_any(),
                    Some(list) => view! {
                        <DialogueList
                            dialogues=list
                            on_open=Callback::new(move |id| open.run((id, String::new())))
                        />
                    }
                    .into_any(),
                }}
            </section>
        }
    };

    view! {
        <div class="dialogues-panel" id="dialogues-panel">
            {move || match selected.get() {
                None => list_view().into_any(),
                Some(id) => view! {
                    <div class="notice ok" role="status" id="dialogue-opened">{move || opened.get()}</div>
                    <DialogueEditor id=id on_back=back on_open=open on_changed=changed />
                }
                .into_any(),
            }}
        </div>
    }
}
