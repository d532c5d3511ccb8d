//! `FlowEditor`: the flow's cards in order, each an editable form, the problems that concern
//! the flow as a whole at the top, and the control that adds a card of a chosen type.

use super::browser::focus;
use super::card_editor::CardEditor;
use super::diagnostic_list::DiagnosticList;
use super::draft::{CardType, STANDARD_FIELDS, flow_messages};
use super::state::EditorState;
use leptos::prelude::*;

/// The flow editor (`#flow-editor`).
#[component]
pub fn FlowEditor(
    /// The editor's shared state.
    state: EditorState,
) -> impl IntoView {
    let keys = Memo::new(move |_| state.draft.with(|d| d.keys()));
    let flow_level =
        Memo::new(move |_| state.diagnostics.with(|all| state.draft.with(|d| flow_messages(all, &d.flow))));
    let picked = RwSignal::new(CardType::Message);
    let add = move |_| {
        let mut key = 0;
        state.edit(|d| key = d.add(picked.get_untracked()));
        // Focus goes to the new card's first input (its id field).
        request_animation_frame(move || focus(&format!("card-{key}-id")));
    };
    view! {
        <section class="flow-editor" id="flow-editor" aria-labelledby="flow-title">
            <h3 id="flow-title">"Flow"</h3>
            <p class="hint">
                "Cards run from the start card, following each card's link. "
                "Problems are checked as you type; lead fields are checked against the site's fields when you save."
            </p>
            <DiagnosticList id="flow-problems" messages=flow_level />
            <Show when=move || keys.with(Vec::is_empty)>
                <p class="empty">"No cards yet. Add the first one below; it becomes the start."</p>
            </Show>
            <ol class="flow-cards" id="flow-cards">
                <For each=move || keys.get() key=|k| *k let:card_key>
                    <CardEditor state=state card_key=card_key />
                </For>
            </ol>
            <datalist id="dialogue-lead-fields">
                {STANDARD_FIELDS.iter().map(|f| view! { <option value=*f></option> }).collect_view()}
            </datalist>
            <div class="add-card" role="group" aria-labelledby="flow-add-label">
                <span id="flow-add-label" class="visually-hidden">"Add a card"</span>
                <label for="flow-add-type">"New card type"</label>
                <select
                    id="flow-add-type"
                    prop:value=move || picked.get().slug()
                    on:change=move |ev| {
                        if let Some(kind) = CardType::from_slug(&event_target_value(&ev)) {
                            picked.set(kind);
                        }
                    }
                >
                    {CardType::ALL
                        .iter()
                        .map(|t| view! { <option value=t.slug()>{t.label()}</option> })
                        .collect_view()}
                </select>
                <button type="button" class="secondary" id="flow-add-card" on:click=add>
                    "Add card"
                </button>
            </div>
        </section>
    }
}
