//! `ConnectForm`: connects Marketo with the REST endpoint, client id and client secret of a
//! LaunchPoint API-only service. The edge asks Marketo for a token with them before keeping
//! anything, so a wrong secret or endpoint is reported here, next to the field it concerns,
//! and nothing is stored. The secret is never shown again once connected.

use crate::api;
use crate::team::browser::focus;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which input a problem belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Endpoint,
    ClientId,
    Secret,
}

impl Input {
    fn id(self) -> &'static str {
        match self {
            Input::Endpoint => "marketo-endpoint",
            Input::ClientId => "marketo-client-id",
            Input::Secret => "marketo-client-secret",
        }
    }

    /// The input the edge's `error.fields` key names.
    fn of_field(field: &str) -> Option<Input> {
        match field {
            "endpoint" => Some(Input::Endpoint),
            "client_id" => Some(Input::ClientId),
            "client_secret" => Some(Input::Secret),
            _ => None,
        }
    }
}

/// The form; `initial` fills the endpoint and client id when changing a connection.
#[component]
pub fn ConnectForm(
    /// The endpoint and client id to start from.
    initial: (String, String),
    /// Called once Marketo accepted the credentials and the edge kept them.
    on_connected: Callback<()>,
    /// Called when the admin closes the form without connecting (absent: no Cancel button).
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let endpoint = RwSignal::new(initial.0);
    let client_id = RwSignal::new(initial.1);
    let secret = RwSignal::new(String::new());
    let errors = [RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new())];
    let error_of = move |input: Input| match input {
        Input::Endpoint => errors[0],
        Input::ClientId => errors[1],
        Input::Secret => errors[2],
    };
    let form_error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        form_error.set(String::new());
        for e in errors {
            e.set(String::new());
        }
        let (e, c, s) = (endpoint.get_untracked(), client_id.get_untracked(), secret.get_untracked());
        let mut first = None;
        let mut problem = |input: Input, text: &str| {
            error_of(input).set(text.to_owned());
            first.get_or_insert(input);
        };
        if !e.trim().starts_with("https://") && !e.trim().starts_with("http://") {
            problem(Input::Endpoint, "Enter the REST endpoint, starting with https://.");
        }
        if c.trim().is_empty() {
            problem(Input::ClientId, "Enter the client id.");
        }
        if s.trim().is_empty() {
            problem(Input::Secret, "Enter the client secret.");
        }
        if let Some(input) = first {
            focus(input.id());
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::marketo_connect(e, c, s).await;
            let _ = busy.try_set(false);
            match result {
                Ok(()) => {
                    let _ = secret.try_set(String::new());
                    on_connected.run(());
                }
                Err(err) => {
                    let mut first = None;
                    for (field, message) in &err.fields {
                        if let Some(input) = Input::of_field(field) {
                            let _ = error_of(input).try_set(message.clone());
                            first.get_or_insert(input);
                        }
                    }
                    match first {
                        Some(input) => focus(input.id()),
                        None => {
                            let _ = form_error.try_set(err.message);
                        }
                    }
                }
            }
        });
    };

    let field =
        move |input: Input, label: &'static str, kind: &'static str, value: RwSignal<String>, hint: &'static str| {
            let id = input.id();
            let hint_id = format!("{id}-hint");
            let error_id = format!("{id}-error");
            let error = error_of(input);
            view! {
                <div class="field" class:wide=input == Input::Endpoint>
                    <label for=id>{label}</label>
                    <input
                        type=kind
                        id=id
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=format!("{hint_id} {error_id}")
                        aria-invalid=move || error.with(|e| !e.is_empty()).then_some("true")
                        prop:value=move || value.get()
                        on:input=move |ev| {
                            value.set(event_target_value(&ev));
                            error.set(String::new());
                        }
                    />
                    <p class="hint" id=hint_id>{hint}</p>
                    <p class="field-error" id=error_id>{move || error.get()}</p>
                </div>
            }
        };

    view! {
        <form class="marketo-connect" id="marketo-connect" novalidate aria-labelledby="marketo-connect-title" on:submit=submit>
            <h3 id="marketo-connect-title">"Connect Marketo"</h3>
            <p class="hint">
                "In Marketo, under Admin → LaunchPoint, create an API-only service and copy its client id and "
                "secret; the REST endpoint is under Admin → Web Services. Confab asks Marketo for a token with them "
                "before keeping anything. The secret is stored on the edge and never shown again."
            </p>
            {field(Input::Endpoint, "REST endpoint", "url", endpoint, "For example https://123-ABC-456.mktorest.com.")}
            <div class="field-row">
                {field(Input::ClientId, "Client ID", "text", client_id, "From the LaunchPoint service.")}
                {field(Input::Secret, "Client secret", "password", secret, "Needed again whenever you change the connection.")}
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="marketo-connect-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Checking with Marketo…" } else { "Connect" }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| cancel.run(())>
                        "Cancel"
                    </button>
                })}
            </div>
            <p class="error" role="alert" id="marketo-connect-error">{move || form_error.get()}</p>
        </form>
    }
}
