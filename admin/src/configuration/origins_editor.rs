//! `OriginsEditor`: the origins (`https://www.example.com`) the widget may run on. The edge
//! answers the widget only from these, so a missing origin means a silent widget; each origin
//! is checked and normalised as it is added, as the edge stores it.

use super::draft::{add_origin, input_id, parse_origin};
use super::form::Form;
use leptos::prelude::*;

/// The allowed origins list with its add field.
#[component]
pub fn OriginsEditor(
    /// The form it edits.
    form: Form,
) -> impl IntoView {
    let key = "allowed_origins";
    let id = input_id(key);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let typed = RwSignal::new(String::new());
    let add_error = RwSignal::new(String::new());
    let problem = form.error(key);
    let shown_error = move || {
        let a = add_error.get();
        if a.is_empty() { problem.get() } else { a }
    };
    let origins = move || form.draft.with(|d| d.allowed_origins.clone());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = parse_origin(&typed.get_untracked())
            .and_then(|origin| form.draft.with_untracked(|d| add_origin(&d.allowed_origins, origin)));
        match result {
            Ok(list) => {
                form.draft.update(|d| d.allowed_origins = list);
                form.touch(key);
                typed.set(String::new());
                add_error.set(String::new());
            }
            Err(message) => add_error.set(message),
        }
    };
    view! {
        <div class="origins-editor">
            <form class="origin-add" on:submit=add novalidate>
                <div class="field">
                    <label for=id.clone()>"Add an allowed origin"</label>
                    <input
                        type="url"
                        id=id
                        name="allowed-origin"
                        autocomplete="off"
                        spellcheck="false"
                        autocapitalize="off"
                        placeholder="https://www.example.com"
                        aria-describedby=format!("{hint_id} {error_id}")
                        aria-invalid=move || (!shown_error().is_empty()).then_some("true")
                        prop:value=move || typed.get()
                        on:input=move |ev| {
                            typed.set(event_target_value(&ev));
                            add_error.set(String::new());
                        }
                    />
                </div>
                <button
                    type="submit"
                    class="secondary"
                    id="config-origin-add"
                    disabled=move || typed.with(|t| t.trim().is_empty())
                >
                    "Add"
                </button>
            </form>
            <p class="hint" id=hint_id>
                "The scheme and host of each site the widget runs on, with the port if not the usual one; no path. "
                "www.example.com and example.com are different origins."
            </p>
            <p class="field-error" id=error_id role="alert">{shown_error}</p>
            {move || {
                let list = origins();
                if list.is_empty() {
                    return view! {
                        <p class="empty" id="config-origins-empty">
                            "No origin is allowed yet, so the widget answers no page. Add the address of your site."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="origin-list" id="config-origins" aria-label="Allowed origins">
                        {list.into_iter().map(|origin| {
                            let label = format!("Remove {origin}");
                            let target = origin.clone();
                            let key_attr = origin.clone();
                            let remove = move |_| {
                                form.draft.update(|d| d.allowed_origins.retain(|o| o != &target));
                                form.touch(key);
                            };
                            view! {
                                <li data-origin=key_attr>
                                    <code>{origin}</code>
                                    <button type="button" class="link-button" aria-label=label on:click=remove>
                                        "Remove"
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </div>
    }
}
