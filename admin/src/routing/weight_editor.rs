//! `WeightEditor`: an agent's round-robin weight in percent, edited in place (Enter or Save
//! stores it with `PATCH agents/{id}`); 0 % pauses the agent. While the admin has not typed
//! anything, the field follows the weight as the tab reloads it.

use super::format::{parse_weight, weight_meaning};
use crate::api::{self, AgentPatch};
use confab_domain::ids::AgentId;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One agent's weight.
#[component]
pub fn WeightEditor(
    /// The agent.
    agent: AgentId,
    /// Their name, for accessible names and messages.
    #[prop(into)]
    name: Signal<String>,
    /// Their weight as last read.
    #[prop(into)]
    weight: Signal<u32>,
    /// Called once a weight was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let text = RwSignal::new(weight.get_untracked().to_string());
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Follow the stored weight while the admin has changed nothing.
    Effect::new(move |previous: Option<u32>| {
        let next = weight.get();
        if let Some(previous) = previous
            && text.with_untracked(|t| parse_weight(t) == Ok(previous))
        {
            text.set(next.to_string());
        }
        next
    });
    let changed = move || text.with(|t| parse_weight(t) != Ok(weight.get()));
    let slug = agent.as_str().replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    let input_id = format!("weight-{slug}");
    let error_id = format!("{input_id}-error");
    let meaning_id = format!("{input_id}-meaning");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !changed() {
            return;
        }
        status.set(String::new());
        let percent = match parse_weight(&text.get_untracked()) {
            Ok(percent) => percent,
            Err(message) => return error.set(message),
        };
        error.set(String::new());
        busy.set(true);
        let agent = agent.clone();
        spawn_local(async move {
            let patch = AgentPatch { weight_percent: Some(percent), ..AgentPatch::default() };
            match api::update_agent(agent.to_string(), patch).await {
                Ok(()) => {
                    let _ = text.try_set(percent.to_string());
                    let who = name.try_get_untracked().unwrap_or_default();
                    let _ = status.try_set(match percent {
                        0 => format!("Saved: {who} is paused."),
                        p => format!("Saved: {who} at {p}%."),
                    });
                    let _ = on_saved.try_run(());
                }
                Err(e) => {
                    let _ = error.try_set(e.message);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let reset = move |_| {
        text.set(weight.get_untracked().to_string());
        error.set(String::new());
    };
    view! {
        <form class="weight" on:submit=save novalidate>
            <span class="weight-input">
                <input
                    type="number"
                    id=input_id
                    min="0"
                    max="1000"
                    step="1"
                    inputmode="numeric"
                    aria-label=move || format!("Weight of {}, in percent", name.get())
                    aria-describedby=format!("{meaning_id} {error_id}")
                    aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        error.set(String::new());
                        status.set(String::new());
                    }
                />
                <span aria-hidden="true">"%"</span>
            </span>
            <Show when=changed>
                <button type="submit" class="secondary small" disabled=move || busy.get()>
                    {move || if busy.get() { "Saving…" } else { "Save" }}
                    <span class="visually-hidden">{move || format!(" weight of {}", name.get())}</span>
                </button>
                <button type="button" class="link small" on:click=reset disabled=move || busy.get()>
                    "Undo"<span class="visually-hidden">{move || format!(" weight of {}", name.get())}</span>
                </button>
            </Show>
            <span class="weight-meaning hint" id=meaning_id class:paused=move || weight.get() == 0>
                {move || weight_meaning(weight.get())}
            </span>
            <span class="field-error" id=error_id role="alert">{move || error.get()}</span>
            <span class="weight-saved" role="status">{move || status.get()}</span>
        </form>
    }
}
