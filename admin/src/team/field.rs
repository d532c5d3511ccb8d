//! `Field`: a labelled input of the accounts forms, with its hint and its problem next to it
//! (both tied to the input by `aria-describedby`, and `aria-invalid` while there is a
//! problem).

use leptos::prelude::*;

/// One labelled input bound to a text signal.
#[component]
pub fn Field(
    /// The input's id; its hint and problem use it as a prefix. Stable, for tests.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The input's type: `text`, `email` or `password`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` token (`username`, `new-password`, …).
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The text typed.
    value: RwSignal<String>,
    /// What to type, shown under the input.
    #[prop(optional, into)]
    hint: Option<ViewFn>,
    /// The field's problem, empty when there is none.
    #[prop(into)]
    error: Signal<String>,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
    /// Called with the input's id on each edit (to clear the field's problem).
    #[prop(optional)]
    on_edit: Option<Callback<&'static str>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                spellcheck="false"
                autocapitalize="off"
                required=required
                aria-describedby=described
                aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(edit) = on_edit {
                        edit.run(id);
                    }
                }
            />
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint.run()}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
