//! `DisconnectButton`: "Disconnect…", then a confirmation saying what disconnecting does
//! before anything happens. Focus moves to the confirmation and back to the button when it is
//! canceled; Escape cancels.

use super::format::disconnect_question;
use leptos::prelude::*;

/// Disconnects an agent's calendar after confirmation.
#[component]
pub fn DisconnectButton(
    /// The agent's name.
    #[prop(into)]
    agent: Signal<String>,
    /// The connected provider (`google`, `microsoft`, `caldav`).
    #[prop(into)]
    provider: Signal<String>,
    /// Whether an action on this calendar is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Whether the disconnection is under way.
    #[prop(into)]
    disconnecting: Signal<bool>,
    /// Called once the admin confirmed.
    on_confirm: Callback<()>,
    /// Prefix of the agent's element ids.
    prefix: String,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let cancel = move || {
        confirming.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    };
    let question_id = format!("{prefix}-disconnect-question");
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            cancel();
        }
    };
    let confirm = move |_| {
        confirming.set(false);
        on_confirm.run(());
    };
    view! {
        <button
            type="button"
            class="secondary danger"
            node_ref=opener
            aria-expanded=move || confirming.get().to_string()
            disabled=move || busy.get()
            on:click=move |_| confirming.set(true)
        >
            {move || if disconnecting.get() { "Disconnecting…" } else { "Disconnect…" }}
            <span class="visually-hidden">{move || format!(" {}'s calendar", agent.get())}</span>
        </button>
        <Show when=move || confirming.get()>
            <div class="confirm" role="group" aria-labelledby=question_id.clone() on:keydown=keydown>
                <p id=question_id.clone()>{move || disconnect_question(&agent.get(), &provider.get())}</p>
                <div class="confirm-actions">
                    <button type="button" class="primary danger" node_ref=confirm_button on:click=confirm>
                        "Disconnect"
                    </button>
                    <button type="button" class="secondary" on:click=move |_| cancel()>"Cancel"</button>
                </div>
            </div>
        </Show>
    }
}
