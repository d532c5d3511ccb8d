//! `ColorField`: one branding colour, as a colour picker and its `#rrggbb` text side by side
//! (the text is the field people with a brand book type into; the picker follows it once it
//! holds a colour).

use super::draft::{input_id, normalize_hex, shown_color};
use super::form::{Color, Form};
use leptos::prelude::*;

/// A colour picker with its hex text, its problem, and an optional description id (the pair's
/// contrast line).
#[component]
pub fn ColorField(
    /// The form it edits.
    form: Form,
    /// Which colour.
    color: Color,
    /// The label.
    label: &'static str,
    /// The id of a line describing the colour further (its contrast), if any.
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let key = color.key();
    let id = input_id(&key);
    let picker_id = format!("{id}-picker");
    let error_id = format!("{id}-error");
    let described = match described_by {
        Some(more) => format!("{error_id} {more}"),
        None => error_id.clone(),
    };
    let error = form.error(key.clone());
    let value = move || form.branding(|b| color.get(b).to_owned());
    let set = move |text: String| form.brand(|b| color.set(b, text));
    let touch_key = key.clone();
    let touch = move || form.touch(touch_key.clone());
    let touch2 = touch.clone();
    view! {
        <div class="field color-field">
            <label for=id.clone()>{label}</label>
            <div class="color-inputs">
                <input
                    type="color"
                    id=picker_id
                    aria-label=format!("{label}: colour picker")
                    prop:value=move || shown_color(&value(), &color.fallback()).to_owned()
                    on:input=move |ev| set(event_target_value(&ev))
                    on:change=move |_| touch()
                />
                <input
                    type="text"
                    class="hex"
                    id=id
                    name=key
                    inputmode="text"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="7"
                    placeholder="#4f46e5"
                    aria-describedby=described
                    aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                    prop:value=value
                    on:input=move |ev| set(event_target_value(&ev))
                    on:change=move |ev| {
                        set(normalize_hex(&event_target_value(&ev)));
                        touch2();
                    }
                />
            </div>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
