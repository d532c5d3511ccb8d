//! `Confirm`: the question asked before a destructive action, with the action and Cancel.
//! Focus moves to the action when it appears; Escape cancels.

use leptos::prelude::*;

/// A confirmation under the button that asked for it.
#[component]
pub fn Confirm(
    /// The question: what will happen.
    #[prop(into)]
    question: Signal<String>,
    /// The action's label ("Delete rule").
    confirm_label: &'static str,
    /// Called once the admin confirmed.
    on_confirm: Callback<()>,
    /// Called when the admin cancels (the caller puts focus back on its button).
    on_cancel: Callback<()>,
    /// The question's element id.
    id: String,
) -> impl IntoView {
    let action = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = action.get() {
            let _ = button.focus();
        }
    });
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_cancel.run(());
        }
    };
    view! {
        <div class="confirm" role="group" aria-labelledby=id.clone() on:keydown=keydown>
            <p id=id.clone()>{move || question.get()}</p>
            <div class="confirm-actions">
                <button type="button" class="primary danger" node_ref=action on:click=move |_| on_confirm.run(())>
                    {confirm_label}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
