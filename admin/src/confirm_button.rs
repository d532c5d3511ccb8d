//! `ConfirmButton`: a destructive action's button (delete a card, unpublish, remove an agent,
//! disconnect Marketo) that first asks, in place, what the action does. Focus moves to the
//! confirming button, and back to the opener when the question is dismissed (Cancel or
//! Escape). Shared by every tab.

use leptos::prelude::*;

/// A button that runs `on_confirm` only once the question is confirmed.
#[component]
pub fn ConfirmButton(
    /// The opener's id, stable for tests; the question and its buttons use it as a prefix
    /// (`{id}-question`, `{id}-confirm`, `{id}-cancel`).
    #[prop(into)]
    id: String,
    /// The opener's text, e.g. "Delete" or "Remove…".
    label: &'static str,
    /// What the button acts on, read by screen readers after the label ("Agent 3").
    #[prop(into)]
    subject: Signal<String>,
    /// The question, saying what happens.
    #[prop(into)]
    question: Signal<String>,
    /// The confirming button's text, e.g. "Remove agent".
    confirm_label: &'static str,
    /// Whether the opener is disabled.
    #[prop(into, optional)]
    disabled: Signal<bool>,
    /// Whether the action is under way (the opener says so with `busy_label` and is disabled).
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// The opener's text while the action is under way.
    #[prop(optional)]
    busy_label: &'static str,
    /// The opener's classes.
    #[prop(default = "secondary danger")]
    class: &'static str,
    /// Called once confirmed.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let dismiss = move || {
        asking.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            dismiss();
        }
    };
    let question_id = format!("{id}-question");
    let confirm_id = format!("{id}-confirm");
    let cancel_id = format!("{id}-cancel");
    view! {
        <button
            type="button"
            class=class
            id=id
            node_ref=opener
            aria-expanded=move || asking.get().to_string()
            disabled=move || disabled.get() || busy.get()
            on:click=move |_| asking.set(true)
        >
            {move || if busy.get() && !busy_label.is_empty() { busy_label } else { label }}
            <span class="visually-hidden">" "{move || subject.get()}</span>
        </button>
        <Show when=move || asking.get()>
            <div class="confirm" role="group" aria-labelledby=question_id.clone() on:keydown=keydown>
                <p id=question_id.clone()>{move || question.get()}</p>
                <div class="confirm-actions">
                    <button
                        type="button"
                        class="primary danger"
                        id=confirm_id.clone()
                        node_ref=confirm_button
                        on:click=move |_| {
                            asking.set(false);
                            on_confirm.run(());
                        }
                    >
                        {confirm_label}
                    </button>
                    <button type="button" class="secondary" id=cancel_id.clone() on:click=move |_| dismiss()>
                        "Cancel"
                    </button>
                </div>
            </div>
        </Show>
    }
}
