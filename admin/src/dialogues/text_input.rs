//! `TextInput`: a labelled one-line input or text area bound to a value read from the draft,
//! reporting each edit.

use leptos::prelude::*;

/// One labelled input.
#[component]
pub fn TextInput(
    /// The input's id, unique in the page.
    #[prop(into)]
    id: String,
    /// The input's `name`, stable for tests (`text`, `label`, `url`, …).
    name: &'static str,
    /// The label.
    label: &'static str,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new value on each edit.
    on_input: Callback<String>,
    /// A text area of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
    /// The input's `type` (one-line inputs only).
    #[prop(default = "text")]
    kind: &'static str,
    /// Ids of what describes the input (the card's diagnostics).
    #[prop(into, optional)]
    described_by: String,
    /// Whether the input is marked invalid.
    #[prop(into, optional)]
    invalid: Signal<bool>,
    /// A hint shown under the input.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = match hint {
        Some(_) => format!("{hint_id} {described_by}").trim().to_owned(),
        None => described_by,
    };
    let described = (!described.is_empty()).then_some(described);
    let invalid = move || invalid.get().then_some("true");
    let input = match rows {
        Some(rows) => view! {
            <textarea
                id=id.clone()
                name=name
                rows=rows
                aria-describedby=described.clone()
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
        }
        .into_any(),
        None => view! {
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete="off"
                aria-describedby=described.clone()
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        </div>
    }
}
