//! `AnswerForm`: one typed answer, for a capture card (email, phone, text) and for the email a
//! booking needs. One component for both, as each distinct view is code of its own in the wasm.

use leptos::prelude::*;

/// Checks a typed answer: the value to send, or the sentence saying why not.
pub type Check = fn(&str) -> Result<String, String>;

/// A labelled input with a submit button. With `check` (the booking's email), the answer is
/// checked before it is sent and a refusal is announced under the input.
#[component]
pub fn AnswerForm(
    /// The input's id, which the label points at.
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The input's type (`email`, `tel`, `text`).
    kind: &'static str,
    /// The input's `autocomplete`.
    autocomplete: &'static str,
    /// The input's `maxlength`.
    maxlength: &'static str,
    /// The submit button's text.
    button: &'static str,
    /// Checks the typed text: the value to send, or the sentence saying why not.
    #[prop(optional)]
    check: Option<Check>,
    /// Called with the answer (as `check` returned it, when there is one).
    on_submit: Callback<String>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    // Empty when there is nothing to say (every refusal has a message).
    let error = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = value.get_untracked();
        match check.map_or(Ok(typed.clone()), |check| check(&typed)) {
            Ok(answer) => {
                error.set(String::new());
                on_submit.run(answer);
            }
            Err(why) => error.set(why),
        }
    };
    let error_id = "confab-email-error";
    view! {
        <form class="email" on:submit=submit novalidate>
            <label for=id>{label}</label>
            <div class="row">
                <input
                    id=id
                    type=kind
                    autocomplete=autocomplete
                    maxlength=maxlength
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || check.map(|_| if error.with(String::is_empty) { "false" } else { "true" })
                    aria-describedby=check.map(|_| error_id)
                />
                <button type="submit">{button}</button>
            </div>
            {check.map(|_| view! { <p id=error_id class="error" role="alert">{move || error.get()}</p> })}
        </form>
    }
}
