//! `ChangePassword`: the header's "Change password" button and its dialog (a modal
//! `<dialog>`: focus stays inside, Escape closes it, focus returns to the button). The current
//! password is needed; the new one follows the same rule as everywhere (checked here first,
//! then by the edge). Changing it signs the account's other sessions out.

use crate::team::api;
use crate::team::browser::focus;
use crate::team::field::Field;
use crate::team::rules::{FormErrors, confirm_problem, new_password_problem, password_rule};
use leptos::portal::Portal;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the edge's refusals are shown.
const PLACES: [(&str, &str); 2] = [("wrong_password", "password-current"), ("weak_password", "password-new")];

/// The button (`#password-open`) and the dialog (`#password-dialog`, form `#password-form`).
#[component]
pub fn ChangePassword(
    /// The signed-in account's email (a password may not be it).
    email: String,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let opener = NodeRef::<leptos::html::Button>::new();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::none());
    let busy = RwSignal::new(false);
    let changed = RwSignal::new(false);

    let reset = move || {
        for field in [current, new, confirm] {
            field.set(String::new());
        }
        errors.set(FormErrors::none());
        changed.set(false);
    };
    let open = move |_| {
        reset();
        if let Some(dialog) = dialog.get_untracked() {
            let _ = dialog.show_modal();
            focus("password-current");
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    // However the dialog closes (a button, Escape), the typed passwords are forgotten and
    // focus goes back to the button.
    let closed = move |_| {
        reset();
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    };
    let error = move |field: &'static str| Signal::derive(move || errors.with(|e| e.field(field)));
    let edited = Callback::new(move |field: &'static str| {
        if errors.with_untracked(|e| !e.field(field).is_empty()) {
            errors.update(|e| {
                e.clear(field);
            });
        }
    });
    let account = email.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = FormErrors::none();
        if current.with_untracked(String::is_empty) {
            found.add("password-current", Some("Enter your current password.".to_owned()));
        }
        found.add("password-new", new_password_problem(&new.get_untracked(), &account));
        if found.first_field() != Some("password-new") && new.get_untracked() == current.get_untracked() {
            found.add("password-new", Some("Choose a password other than your current one.".to_owned()));
        }
        found.add("password-confirm", confirm_problem(&new.get_untracked(), &confirm.get_untracked()));
        if let Some(first) = found.first_field() {
            errors.set(found);
            focus(first);
            return;
        }
        errors.set(FormErrors::none());
        busy.set(true);
        let (old, chosen) = (current.get_untracked(), new.get_untracked());
        spawn_local(async move {
            let result = api::change_password(old, chosen).await;
            busy.try_set(false);
            match result {
                Ok(()) => {
                    for field in [current, new, confirm] {
                        field.try_set(String::new());
                    }
                    changed.try_set(true);
                    request_animation_frame(|| focus("password-done"));
                }
                Err(e) => {
                    let found = FormErrors::from_api(&e, &PLACES);
                    let first = found.first_field();
                    errors.try_set(found);
                    focus(first.unwrap_or("password-current"));
                }
            }
        });
    };

    let form = move || {
        let (email, submit) = (email.clone(), submit.clone());
        view! {
            <form id="password-form" novalidate on:submit=submit>
                // For password managers: the account the new password belongs to.
                <input type="text" name="username" autocomplete="username" value=email hidden readonly/>
                <Field
                    id="password-current"
                    label="Current password"
                    kind="password"
                    autocomplete="current-password"
                    value=current
                    required=true
                    error=error("password-current")
                    on_edit=edited
                />
                <Field
                    id="password-new"
                    label="New password"
                    kind="password"
                    autocomplete="new-password"
                    value=new
                    required=true
                    error=error("password-new")
                    on_edit=edited
                    hint=password_rule
                />
                <Field
                    id="password-confirm"
                    label="Confirm new password"
                    kind="password"
                    autocomplete="new-password"
                    value=confirm
                    required=true
                    error=error("password-confirm")
                    on_edit=edited
                />
                <p class="hint">"Changing it signs you out everywhere else; this browser stays signed in."</p>
                <div id="password-error" class="error" role="alert">{move || errors.with(FormErrors::form)}</div>
                <div class="dialog-actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        {move || if busy.get() { "Changing…" } else { "Change password" }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| close()>"Cancel"</button>
                </div>
            </form>
        }
    };

    // The dialog lives at the end of the body, out of the header (whose styles it would inherit).
    view! {
        <button type="button" id="password-open" node_ref=opener aria-haspopup="dialog" on:click=open>
            "Change password"
        </button>
        <Portal>
            <dialog id="password-dialog" class="modal" node_ref=dialog aria-labelledby="password-title" on:close=closed>
                <h2 id="password-title">"Change your password"</h2>
                <Show when=move || changed.get() fallback=form.clone()>
                    <div class="notice ok" role="status" id="password-changed">
                        <p>"Your password is changed."</p>
                        <p>"Every other session of your account was signed out. This browser stays signed in."</p>
                    </div>
                    <div class="dialog-actions">
                        <button
                            type="button"
                            class="primary"
                            id="password-done"
                            aria-describedby="password-changed"
                            on:click=move |_| close()
                        >
                            "Done"
                        </button>
                    </div>
                </Show>
            </dialog>
        </Portal>
    }
}
