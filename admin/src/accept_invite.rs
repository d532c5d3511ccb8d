//! `AcceptInvitePage`: "Join Confab", shown when the admin opens with an invitation link
//! (`/admin/#invite=<token>`). The invited person chooses a password; the edge creates their
//! account for the invited email and signs them in.

use crate::team::api;
use crate::team::browser::focus;
use crate::team::field::Field;
use crate::team::rules::{FormErrors, confirm_problem, new_password_problem, password_rule};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the edge's refusals of a password are shown (`invalid_invite` concerns the link).
const PLACES: [(&str, &str); 1] = [("weak_password", "accept-password")];

/// The invitation form (`#accept-form`).
#[component]
pub fn AcceptInvitePage(
    /// The invitation's token, from the link.
    token: String,
    /// Called once the account exists and is signed in.
    on_done: Callback<()>,
    /// Called to sign in instead (an account already exists, or the link is spent).
    on_sign_in: Callback<()>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::none());
    let busy = RwSignal::new(false);
    // Set when the edge says the link no longer works: only the way out is left.
    let spent = RwSignal::new(false);
    request_animation_frame(|| focus("accept-password"));

    let error = move |field: &'static str| Signal::derive(move || errors.with(|e| e.field(field)));
    let edited = Callback::new(move |field: &'static str| {
        if errors.with_untracked(|e| !e.field(field).is_empty()) {
            errors.update(|e| {
                e.clear(field);
            });
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = FormErrors::none();
        // The invited email is not known here; the edge checks the password against it too.
        found.add("accept-password", new_password_problem(&password.get_untracked(), ""));
        found.add("accept-confirm", confirm_problem(&password.get_untracked(), &confirm.get_untracked()));
        if let Some(first) = found.first_field() {
            errors.set(found);
            focus(first);
            return;
        }
        errors.set(FormErrors::none());
        busy.set(true);
        let (token, chosen) = (token.clone(), password.get_untracked());
        spawn_local(async move {
            match api::accept_invite(token, chosen).await {
                Ok(()) => on_done.run(()),
                Err(e) => {
                    let found = FormErrors::from_api(&e, &PLACES);
                    let first = found.first_field();
                    spent.try_set(e.code == "invalid_invite");
                    errors.try_set(found);
                    busy.try_set(false);
                    match first {
                        Some(first) => focus(first),
                        None => focus("accept-error"),
                    }
                }
            }
        });
    };

    view! {
        <form id="accept-form" class="signin" novalidate on:submit=submit aria-labelledby="accept-title">
            <h1 id="accept-title">"Join Confab"</h1>
            <Show
                when=move || !spent.get()
                fallback=|| view! {
                    <p>"If you already have an account, you can sign in instead."</p>
                }
            >
                <p>
                    "You have been invited to Confab. Choose a password to finish creating your account; you will "
                    "sign in with the email address the invitation was sent to."
                </p>
                <Field
                    id="accept-password"
                    label="Choose a password"
                    kind="password"
                    autocomplete="new-password"
                    value=password
                    required=true
                    error=error("accept-password")
                    on_edit=edited
                    hint=password_rule
                />
                <Field
                    id="accept-confirm"
                    label="Confirm password"
                    kind="password"
                    autocomplete="new-password"
                    value=confirm
                    required=true
                    error=error("accept-confirm")
                    on_edit=edited
                />
            </Show>
            <div id="accept-error" class="error" role="alert" tabindex="-1">
                {move || errors.with(FormErrors::form)}
            </div>
            <Show when=move || !spent.get()>
                <button class="primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Joining…" } else { "Join Confab" }}
                </button>
            </Show>
            <p class="hint">
                {move || if spent.get() { "" } else { "Already have an account? " }}
                <button type="button" class="link" id="accept-sign-in" on:click=move |_| on_sign_in.run(())>
                    {move || if spent.get() { "Go to sign-in" } else { "Sign in instead" }}
                </button>
            </p>
        </form>
    }
}
