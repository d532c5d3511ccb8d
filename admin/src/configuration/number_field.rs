//! `NumberField`: a whole-number branding setting (an offset, the typing delay) with its unit
//! and range. While the input does not hold a number in range the draft keeps its last good
//! value and the field says what to type.

use super::draft::{self, input_id};
use super::form::Form;
use leptos::prelude::*;

/// A labelled number input of the branding.
#[component]
pub fn NumberField(
    /// The form it edits.
    form: Form,
    /// Which number.
    field: draft::NumberField,
    /// The label.
    label: &'static str,
    /// The unit shown after the input (`px`, `ms`).
    unit: &'static str,
    /// Steps of the arrow keys.
    #[prop(default = 1)]
    step: u32,
) -> impl IntoView {
    let key = field.key();
    let id = input_id(key);
    let error_id = format!("{id}-error");
    let error = form.error(key);
    let read = move || {
        form.branding(|b| match field {
            draft::NumberField::OffsetX => b.offset_x,
            draft::NumberField::OffsetY => b.offset_y,
            draft::NumberField::TypingDelay => b.typing_delay_ms,
        })
    };
    // What the input shows: the typed text while it is not a number, else the draft's value.
    let typed = RwSignal::new(None::<String>);
    let input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match field.parse(&text) {
            Some(n) => {
                form.brand(|b| match field {
                    draft::NumberField::OffsetX => b.offset_x = n,
                    draft::NumberField::OffsetY => b.offset_y = n,
                    draft::NumberField::TypingDelay => b.typing_delay_ms = n,
                });
                form.set_unparsed(field, false);
                typed.set(None);
            }
            None => {
                form.set_unparsed(field, true);
                typed.set(Some(text));
            }
        }
    };
    // A reload or discard shows the draft's value again.
    Effect::new(move |_| {
        if form.unparsed.with(|u| !u.contains(&field)) {
            typed.set(None);
        }
    });
    view! {
        <div class="field number-field">
            <label for=id.clone()>{label}</label>
            <div class="with-unit">
                <input
                    type="number"
                    id=id
                    name=key
                    min="0"
                    max=field.max().to_string()
                    step=step.to_string()
                    inputmode="numeric"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                    prop:value=move || typed.get().unwrap_or_else(|| read().to_string())
                    on:input=input
                    on:change=move |_| form.touch(key)
                />
                <span class="unit" aria-hidden="true">{unit}</span>
            </div>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
