//! `ConfirmButton`: a destructive action's button ("Remove…", "Withdraw…") that first asks,
//! in place, what the action does. Focus moves to the confirming button, and back to the
//! opener when the question is dismissed (Cancel or Escape).

use leptos::prelude::*;

/// A button that runs `on_confirm` only once the question is confirmed.
#[component]
pub fn ConfirmButton(
    /// The button's text, e.g. "Remove…".
    label: &'static str,
    /// What the button acts on, read by screen readers after the label ("Agent 3").
    #[prop(into)]
    subject: String,
    /// The question, saying what happens.
    #[prop(into)]
    question: String,
    /// The confirming button's text, e.g. "Remove agent".
    confirm_label: &'static str,
    /// Whether the action is under way (the button says so and is disabled).
    #[prop(into)]
    busy: Signal<bool>,
    /// The button's text while the action is under way.
    busy_label: &'static str,
    /// A unique prefix for the question's id.
    id: String,
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
    view! {
        <button
            type="button"
            class="secondary danger"
            node_ref=opener
            aria-expanded=move || asking.get().to_string()
            disabled=move || busy.get()
            on:click=move |_| asking.set(true)
        >
            {move || if busy.get() { busy_label } else { label }}
            <span class="visually-hidden">" "{subject}</span>
        </button>
        <Show when=move || asking.get()>
            <div class="confirm" role="group" aria-labelledby=question_id.clone() on:keydown=keydown>
                <p id=question_id.clone()>{question.clone()}</p>
                <div class="confirm-actions">
                    <button
                        type="button"
                        class="primary danger"
                        node_ref=confirm_button
                        on:click=move |_| {
                            asking.set(false);
                            on_confirm.run(());
                        }
                    >
                        {confirm_label}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| dismiss()>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}
