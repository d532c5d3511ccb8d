//! `SignInForm`: email and password. A refusal is shown under the form; after too many failed
//! attempts the edge refuses every sign-in for a while, which the form says plainly (with the
//! edge's wait) so nobody keeps guessing at a password that may be right.

use crate::api;
use crate::team::browser::focus;
use crate::team::rules::SignInProblem;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The sign-in form (`#signin-form`); calls `on_signed_in` once signed in.
#[component]
pub fn SignInForm(
    /// Called after a successful sign-in.
    on_signed_in: Callback<()>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<SignInProblem>);
    let busy = RwSignal::new(false);
    request_animation_frame(|| focus("signin-email"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::sign_in(e, p).await {
                Ok(()) => on_signed_in.run(()),
                Err(err) => {
                    problem.try_set(Some(SignInProblem::of(&err)));
                    busy.try_set(false);
                    password.try_set(String::new());
                    focus("signin-password");
                }
            }
        });
    };
    let alert_class = move || match problem.get() {
        Some(SignInProblem::Throttled(_)) => "notice warn",
        _ => "error",
    };
    view! {
        <form id="signin-form" class="signin" on:submit=submit aria-labelledby="signin-title">
            <h1 id="signin-title">"Sign in to Confab"</h1>
            <label>"Email"
                <input type="email" id="signin-email" name="email" autocomplete="username" required
                    spellcheck="false" autocapitalize="off"
                    prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
            </label>
            <label>"Password"
                <input type="password" id="signin-password" name="password" autocomplete="current-password" required
                    aria-describedby="signin-error"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <div id="signin-error" class=alert_class role="alert">
                {move || match problem.get() {
                    Some(SignInProblem::Throttled(message)) => view! {
                        <p><strong>"Signing in is paused."</strong></p>
                        <p>{message}</p>
                    }
                    .into_any(),
                    Some(SignInProblem::Refused(message)) => message.into_any(),
                    None => ().into_any(),
                }}
            </div>
            <button class="primary" type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}
