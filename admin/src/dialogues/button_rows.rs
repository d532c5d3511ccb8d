//! `ButtonRows`: a question card's buttons, each with its label, stored value and the card it
//! leads to; buttons can be added and removed (a question keeps at least one).

use super::next_select::NextSelect;
use super::state::EditorState;
use crate::dialogues::browser::focus;
use confab_domain::dialogue::{Button, Card};
use confab_domain::ids::CardId;
use leptos::prelude::*;

/// Changes button `index` of the question with `card_key`.
fn edit_button(state: EditorState, card_key: u32, index: usize, change: impl FnOnce(&mut Button)) {
    state.edit_card(card_key, |c| {
        if let Card::Question { buttons, .. } = c
            && let Some(button) = buttons.get_mut(index)
        {
            change(button);
        }
    });
}

/// The buttons of one question card.
#[component]
pub fn ButtonRows(
    /// The editor's shared state.
    state: EditorState,
    /// The question's key in the draft.
    card_key: u32,
    /// Every card id, for the "leads to" pickers.
    #[prop(into)]
    ids: Signal<Vec<String>>,
) -> impl IntoView {
    let buttons = Memo::new(move |_| {
        state.draft.with(|d| match d.card(card_key) {
            Some(Card::Question { buttons, .. }) => buttons.clone(),
            _ => Vec::new(),
        })
    });
    let count = Memo::new(move |_| buttons.with(Vec::len));
    let problems = format!("card-{card_key}-problems");
    let row = move |index: usize| {
        let id = move |name: &str| format!("card-{card_key}-button-{index}-{name}");
        let read = move |pick: fn(&Button) -> String| {
            Signal::derive(move || buttons.with(|b| b.get(index).map(pick).unwrap_or_default()))
        };
        let label = read(|b| b.label.clone());
        let value = read(|b| b.value.clone());
        let next = Signal::derive(move || {
            buttons.with(|b| b.get(index).map(|b| b.next.as_str().to_owned()).filter(|n| !n.is_empty()))
        });
        let number = index + 1;
        view! {
            <li class="button-row" role="group" aria-label=format!("Button {number}")>
                <div class="field">
                    <label for=id("label")>"Label"</label>
                    <input
                        id=id("label")
                        name="label"
                        autocomplete="off"
                        prop:value=move || label.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            edit_button(state, card_key, index, |b| b.label = typed);
                        }
                    />
                </div>
                <div class="field">
                    <label for=id("value")>"Stored value"</label>
                    <input
                        id=id("value")
                        name="value"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || value.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            edit_button(state, card_key, index, |b| b.value = typed);
                        }
                    />
                </div>
                <NextSelect
                    id=id("next")
                    label="Leads to"
                    value=next
                    ids=ids
                    none_label="Choose a card…"
                    on_change=Callback::new(move |to: Option<String>| {
                        let to = CardId::from(to.unwrap_or_default().as_str());
                        edit_button(state, card_key, index, |b| b.next = to);
                    })
                />
                <button
                    type="button"
                    class="secondary small remove-button"
                    id=id("remove")
                    aria-label=format!("Remove button {number}")
                    disabled=move || count.get() <= 1
                    on:click=move |_| {
                        state.edit_card(card_key, |c| {
                            if let Card::Question { buttons, .. } = c && index < buttons.len() {
                                buttons.remove(index);
                            }
                        });
                        request_animation_frame(move || focus(&format!("card-{card_key}-add-button")));
                    }
                >
                    "Remove"
                </button>
            </li>
        }
    };
    view! {
        <fieldset class="buttons" aria-describedby=problems>
            <legend>"Buttons"</legend>
            <ol class="button-rows">
                <For each=move || 0..count.get() key=|i| *i children=row />
            </ol>
            <button
                type="button"
                class="secondary small"
                id=format!("card-{card_key}-add-button")
                on:click=move |_| {
                    state.edit_card(card_key, |c| {
                        if let Card::Question { buttons, .. } = c {
                            buttons.push(Button { label: String::new(), value: String::new(), next: CardId::from("") });
                        }
                    });
                    let index = count.get_untracked().saturating_sub(1);
                    request_animation_frame(move || focus(&format!("card-{card_key}-button-{index}-label")));
                }
            >
                "Add button"
            </button>
        </fieldset>
    }
}
