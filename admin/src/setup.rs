//! `SetupPage`: the first-run page of a new deployment, shown while no admin exists. Whoever
//! holds the deployment's setup token (the Worker secret `SETUP_TOKEN`) creates the first
//! admin account and is signed in.

use crate::team::api;
use crate::team::browser::focus;
use crate::team::field::Field;
use crate::team::rules::{FormErrors, confirm_problem, new_password_problem, password_rule};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the edge's refusals of a setup are shown.
const PLACES: [(&str, &str); 3] =
    [("invalid_setup_token", "setup-token"), ("invalid_email", "setup-email"), ("weak_password", "setup-password")];

/// The first-run form (`#setup-form`).
#[component]
pub fn SetupPage(
    /// Called once the first admin exists and is signed in.
    on_done: Callback<()>,
    /// Called to go to the sign-in form instead (the deployment already has an admin).
    on_sign_in: Callback<()>,
) -> impl IntoView {
    let token = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::none());
    let busy = RwSignal::new(false);
    // Set when the edge says setup is over (`setup_done`): signing in is what is left.
    let done_already = RwSignal::new(false);
    request_animation_frame(|| focus("setup-token"));

    let error = move |field: &'static str| Signal::derive(move || errors.with(|e| e.field(field)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = FormErrors::none();
        if token.with_untracked(|t| t.trim().is_empty()) {
            found.add("setup-token", Some("Paste the setup token.".to_owned()));
        }
        if email.with_untracked(|e| e.trim().is_empty()) {
            found.add("setup-email", Some("Enter the email address you will sign in with.".to_owned()));
        }
        found.add("setup-password", new_password_problem(&password.get_untracked(), email.get_untracked().trim()));
        found.add("setup-confirm", confirm_problem(&password.get_untracked(), &confirm.get_untracked()));
        if let Some(first) = found.first_field() {
            errors.set(found);
            focus(first);
            return;
        }
        errors.set(FormErrors::none());
        busy.set(true);
        let body = (
            token.get_untracked().trim().to_owned(),
            email.get_untracked().trim().to_owned(),
            password.get_untracked(),
        );
        spawn_local(async move {
            match api::set_up(body.0, body.1, body.2).await {
                Ok(()) => on_done.run(()),
                Err(e) => {
                    let found = FormErrors::from_api(&e, &PLACES);
                    let first = found.first_field();
                    done_already.try_set(e.code == "setup_done");
                    errors.try_set(found);
                    busy.try_set(false);
                    if let Some(first) = first {
                        focus(first);
                    }
                }
            }
        });
    };
    let edited = Callback::new(move |field: &'static str| {
        if errors.with_untracked(|e| !e.field(field).is_empty()) {
            errors.update(|e| {
                e.clear(field);
            });
        }
    });

    view! {
            <form id="setup-form" class="signin setup" novalidate on:submit=submit aria-labelledby="setup-title">
                <h1 id="setup-title">"Set up Confab"</h1>
                <p>
                    "This deployment has no admin yet. Create the first admin account; you can invite the rest "
                    "of your team once you are in."
                </p>
                <Field
                    id="setup-token"
                    label="Setup token"
                    kind="password"
                    value=token
                    required=true
                    error=error("setup-token")
                    on_edit=edited
    hint=|| view! {
                        "The value of this deployment's "<code>"SETUP_TOKEN"</code>" secret, chosen when Confab was "
                        "deployed (with "<code>"wrangler secret put SETUP_TOKEN"</code>", or in the Cloudflare dashboard "
                        "under the Worker's Settings → Variables and Secrets). Cloudflare never shows a secret again: "
                        "if it is lost, set a new one there, then paste it here."
                    }
                />
                <Field
                    id="setup-email"
                    label="Your email"
                    kind="email"
                    autocomplete="username"
                    value=email
                    required=true
                    error=error("setup-email")
                    on_edit=edited
                />
                <Field
                    id="setup-password"
                    label="Choose a password"
                    kind="password"
                    autocomplete="new-password"
                    value=password
                    required=true
                    error=error("setup-password")
                    on_edit=edited
                    hint=password_rule
                />
                <Field
                    id="setup-confirm"
                    label="Confirm password"
                    kind="password"
                    autocomplete="new-password"
                    value=confirm
                    required=true
                    error=error("setup-confirm")
                    on_edit=edited
                />
                <div id="setup-error" class="error" role="alert">
                    {move || errors.with(FormErrors::form)}
                </div>
                <Show
                    when=move || done_already.get()
                    fallback=move || view! {
                        <button class="primary" type="submit" disabled=move || busy.get()>
                            {move || if busy.get() { "Creating your account…" } else { "Create admin account" }}
                        </button>
                    }
                >
                    <button class="primary" type="button" on:click=move |_| on_sign_in.run(())>"Go to sign-in"</button>
                </Show>
            </form>
        }
}
