//! `TextField`: one labelled text input of the availability editor, with its hint and, after
//! a save that found a problem with it, the problem (tied to the input by
//! `aria-describedby`).

use super::draft::{Draft, Field};
use super::editor::Editor;
use leptos::prelude::*;

/// A labelled input bound to one text of the draft.
#[component]
pub fn TextField(
    /// The editor the field belongs to.
    editor: Editor,
    /// Which field this is (for its id and its problem).
    field: Field,
    /// The label.
    label: &'static str,
    /// What to type, shown under the input.
    hint: &'static str,
    /// Reads the field's text from the draft.
    get: fn(&Draft) -> String,
    /// Writes the field's text into the draft.
    set: fn(&mut Draft, String),
    /// The on-screen keyboard to offer (`numeric`, `decimal`, `text`).
    #[prop(default = "numeric")]
    inputmode: &'static str,
    /// The id of a `<datalist>` of suggestions, if any.
    #[prop(optional)]
    list: Option<&'static str>,
    /// Extra class of the field (e.g. `wide`).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let id = editor.field_id(field);
    let hint_id = format!("{id}-hint");
    let error_id = editor.error_id(field);
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class=format!("field {class}")>
            <label for=id.clone()>{label}</label>
            <input
                type="text"
                id=id
                inputmode=inputmode
                autocomplete="off"
                spellcheck="false"
                list=list
                aria-describedby=described
                aria-invalid=move || editor.invalid(field)
                prop:value=move || editor.draft.with(get)
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    editor.edit(field, |d| set(d, text));
                }
            />
            <p class="hint" id=hint_id>{hint}</p>
            <p class="field-error" id=error_id>{move || editor.error(field)}</p>
        </div>
    }
}
