//! `EmailForm`: asks for the visitor's email, validated before anything is sent.

use confab_domain::email::Email;
use leptos::prelude::*;

/// An email field with a submit button and an inline, announced error.
#[component]
pub fn EmailForm(
    /// Called with the validated address.
    on_submit: Callback<String>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    // Empty when there is nothing to say (every refusal has a message).
    let error = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Email::parse(&value.get_untracked()) {
            Ok(email) => {
                error.set(String::new());
                on_submit.run(email.to_string());
            }
            Err(e) => error.set(e.to_string()),
        }
    };
    view! {
        <form class="email" on:submit=submit novalidate>
            <label for="confab-email">"Your email"</label>
            <div class="row">
                <input
                    id="confab-email"
                    type="email"
                    autocomplete="email"
                    maxlength="254"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=move || if error.with(String::is_empty) { "false" } else { "true" }
                    aria-describedby="confab-email-error"
                />
                <button type="submit">"Book"</button>
            </div>
            <p id="confab-email-error" class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
