//! `NewDialogueForm`: creates a dialogue from a name and a priority (it starts as a greeting and
//! an end) and opens it; the edge's refusals are shown under the field they concern.

use super::api;
use super::browser::focus;
use super::draft::{check_name, parse_priority};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form (`#new-dialogue-form`).
#[component]
pub fn NewDialogueForm(
    /// Called with the new dialogue's id.
    on_created: Callback<String>,
    /// Called when the admin gives up.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let priority = RwSignal::new("0".to_owned());
    let name_error = RwSignal::new(String::new());
    let priority_error = RwSignal::new(String::new());
    let failed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    request_animation_frame(|| focus("new-dialogue-name"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        name_error.set(String::new());
        priority_error.set(String::new());
        failed.set(String::new());
        let checked_priority = parse_priority(&priority.get_untracked());
        let checked_name = match check_name(&name.get_untracked()) {
            Ok(n) => n,
            Err(why) => {
                name_error.set(why);
                if let Err(why) = checked_priority {
                    priority_error.set(why);
                }
                focus("new-dialogue-name");
                return;
            }
        };
        let checked_priority = match checked_priority {
            Ok(p) => p,
            Err(why) => {
                priority_error.set(why);
                focus("new-dialogue-priority");
                return;
            }
        };
        busy.set(true);
        spawn_local(async move {
            let result = api::create(checked_name, checked_priority).await;
            busy.try_set(false);
            match result {
                Ok(e) => {
                    let _ = on_created.try_run(e.id);
                }
                Err(e) => match e.code.as_str() {
                    "invalid_name" => {
                        name_error.try_set(e.message);
                        focus("new-dialogue-name");
                    }
                    "invalid_priority" => {
                        priority_error.try_set(e.message);
                        focus("new-dialogue-priority");
                    }
                    _ => {
                        failed.try_set(format!("The dialogue was not created: {}", e.message));
                    }
                },
            }
        });
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_cancel.run(());
        }
    };
    view! {
        <form class="new-dialogue" id="new-dialogue-form" novalidate=true on:submit=submit on:keydown=keydown aria-labelledby="new-dialogue-title">
            <h3 id="new-dialogue-title">"New dialogue"</h3>
            <div class="field-row">
                <div class="field">
                    <label for="new-dialogue-name">"Name"</label>
                    <input
                        id="new-dialogue-name"
                        name="name"
                        autocomplete="off"
                        maxlength="100"
                        required=true
                        aria-describedby="new-dialogue-name-error"
                        aria-invalid=move || (!name_error.with(String::is_empty)).then_some("true")
                        prop:value=move || name.get()
                        on:input=move |ev| {
                            name.set(event_target_value(&ev));
                            name_error.set(String::new());
                        }
                    />
                    <p class="field-error" id="new-dialogue-name-error">{move || name_error.get()}</p>
                </div>
                <div class="field narrow">
                    <label for="new-dialogue-priority">"Priority"</label>
                    <input
                        id="new-dialogue-priority"
                        name="priority"
                        type="number"
                        min="-1000"
                        max="1000"
                        step="1"
                        aria-describedby="new-dialogue-priority-hint new-dialogue-priority-error"
                        aria-invalid=move || (!priority_error.with(String::is_empty)).then_some("true")
                        prop:value=move || priority.get()
                        on:input=move |ev| {
                            priority.set(event_target_value(&ev));
                            priority_error.set(String::new());
                        }
                    />
                    <p class="hint" id="new-dialogue-priority-hint">"-1000 to 1000; the highest wins."</p>
                    <p class="field-error" id="new-dialogue-priority-error">{move || priority_error.get()}</p>
                </div>
            </div>
            <div class="notice error" role="alert" id="new-dialogue-error">{move || failed.get()}</div>
            <div class="form-actions">
                <button type="submit" class="primary" id="new-dialogue-create" disabled=move || busy.get()>
                    {move || if busy.get() { "Creating…" } else { "Create dialogue" }}
                </button>
                <button type="button" class="secondary" id="new-dialogue-cancel" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
