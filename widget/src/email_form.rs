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
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Email::parse(&value.get_untracked()) {
            Ok(email) => {
                error.set(None);
                on_submit.run(email.to_string());
            }
            Err(e) => error.set(Some(e.to_string())),
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
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby="confab-email-error"
                />
                <button type="submit">"Book"</button>
            </div>
            <p id="confab-email-error" class="error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </form>
    }
}
