//! `SignInForm`: email and password.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sign-in form; calls `on_signed_in` with the email on success.
#[component]
pub fn SignInForm(
    /// Called after a successful sign-in.
    on_signed_in: Callback<String>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::sign_in(e.clone(), p).await {
                Ok(()) => on_signed_in.run(e),
                Err(err) => error.set(err.message),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="signin" on:submit=submit>
            <h1>"Sign in to Confab"</h1>
            <label>"Email"
                <input type="email" name="email" autocomplete="username" required
                    prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
            </label>
            <label>"Password"
                <input type="password" name="password" autocomplete="current-password" required
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <p class="error" role="alert">{move || error.get()}</p>
            <button class="primary" type="submit" disabled=move || busy.get()>"Sign in"</button>
        </form>
    }
}
