//! `CaldavForm`: connects an agent's CalDAV calendar with its collection URL, user name and
//! password. The edge reads the calendar once before storing anything, so wrong details are
//! reported here, next to the field they concern.

use super::editor::focus_soon;
use super::format::sentence;
use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which input a problem belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Url,
    Username,
    Password,
}

/// The CalDAV form of one agent.
#[component]
pub fn CaldavForm(
    /// The agent's id.
    agent_id: String,
    /// The agent's name, for accessible names.
    #[prop(into)]
    agent: Signal<String>,
    /// The URL to start from (the connected one, when reconnecting).
    initial_url: String,
    /// Whether an action on this calendar is under way; set while connecting.
    working: RwSignal<Option<&'static str>>,
    /// Called with the number of busy events read once connected.
    on_connected: Callback<u64>,
    /// Called when the admin closes the form.
    on_close: Callback<()>,
    /// Prefix of the agent's element ids.
    prefix: String,
) -> impl IntoView {
    let url = RwSignal::new(initial_url);
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let url_error = RwSignal::new(String::new());
    let username_error = RwSignal::new(String::new());
    let password_error = RwSignal::new(String::new());
    let form_error = RwSignal::new(String::new());
    let connecting = move || working.get() == Some("caldav");
    let form_id = format!("{prefix}-caldav");
    let id = move |name: &str| format!("{prefix}-caldav-{name}");
    let title_id = id("title");
    let (url_id, username_id, password_id) = (id("url"), id("username"), id("password"));
    let input_id = {
        let (url_id, username_id, password_id) = (url_id.clone(), username_id.clone(), password_id.clone());
        move |input: Input| match input {
            Input::Url => url_id.clone(),
            Input::Username => username_id.clone(),
            Input::Password => password_id.clone(),
        }
    };
    let error_of = move |input: Input| match input {
        Input::Url => url_error,
        Input::Username => username_error,
        Input::Password => password_error,
    };
    let submit = {
        let input_id = input_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if working.get_untracked().is_some() {
                return;
            }
            for signal in [url_error, username_error, password_error, form_error] {
                signal.set(String::new());
            }
            let (u, name, secret) =
                (url.get_untracked().trim().to_owned(), username.get_untracked(), password.get_untracked());
            let mut first = None;
            let mut problem = |input: Input, text: &str| {
                error_of(input).set(text.to_owned());
                first.get_or_insert(input);
            };
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                problem(Input::Url, "Enter the calendar's address, starting with https://.");
            }
            if name.trim().is_empty() {
                problem(Input::Username, "Enter the user name.");
            }
            if secret.is_empty() {
                problem(Input::Password, "Enter the password.");
            }
            if let Some(input) = first {
                focus_soon(input_id(input));
                return;
            }
            working.set(Some("caldav"));
            let (agent_id, input_id) = (agent_id.clone(), input_id.clone());
            spawn_local(async move {
                match api::connect_caldav(agent_id, u, name, secret).await {
                    Ok(events) => {
                        let _ = password.try_set(String::new());
                        let _ = working.try_set(None);
                        let _ = on_connected.try_run(events);
                    }
                    Err(e) => {
                        let _ = working.try_set(None);
                        let target = match e.code.as_str() {
                            "invalid_url" => Some(Input::Url),
                            "invalid_credentials" => Some(Input::Password),
                            _ => None,
                        };
                        let text = match e.code.as_str() {
                            "calendar_error" => format!(
                                "Confab could not read this calendar: {} Check the URL, user name and password.",
                                sentence(&e.message)
                            ),
                            _ => sentence(&e.message),
                        };
                        match target {
                            Some(input) => {
                                if error_of(input).try_set(text).is_none() {
                                    focus_soon(input_id(input));
                                }
                            }
                            None => {
                                let _ = form_error.try_set(text);
                            }
                        }
                    }
                }
            });
        }
    };
    let field = move |input: Input,
                      label: &'static str,
                      kind: &'static str,
                      autocomplete: &'static str,
                      value: RwSignal<String>,
                      hint: Option<&'static str>| {
        let id = input_id(input);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
        let error = error_of(input);
        view! {
            <div class="field" class:wide=input == Input::Url>
                <label for=id.clone()>{label}</label>
                <input
                    type=kind
                    id=id
                    autocomplete=autocomplete
                    spellcheck="false"
                    aria-describedby=described
                    aria-invalid=move || error.with(|e| !e.is_empty()).then_some("true")
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        error.set(String::new());
                    }
                />
                {hint.map(|text| view! { <p class="hint" id=hint_id>{text}</p> })}
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </div>
        }
    };
    view! {
        <form class="caldav" id=form_id novalidate aria-labelledby=title_id.clone() on:submit=submit>
            <h3 id=title_id.clone()>"Connect a CalDAV calendar"</h3>
            <p class="hint">
                "Works with Fastmail, iCloud, Nextcloud and other CalDAV servers. Confab reads the calendar once "
                "now to check these details, then keeps them to read busy times and add meetings."
            </p>
            {field(
                Input::Url,
                "Calendar URL",
                "url",
                "off",
                url,
                Some("The address of the calendar collection itself, e.g. https://caldav.example.com/calendars/ada/work/."),
            )}
            <div class="field-row">
                {field(Input::Username, "User name", "text", "off", username, None)}
                {field(
                    Input::Password,
                    "Password",
                    "password",
                    "new-password",
                    password,
                    Some("Use an app password where the server offers them (iCloud and Fastmail require one)."),
                )}
            </div>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || working.get().is_some()>
                    {move || if connecting() { "Checking the calendar…" } else { "Connect" }}
                    <span class="visually-hidden">{move || format!(" CalDAV calendar for {}", agent.get())}</span>
                </button>
                <button type="button" class="secondary" on:click=move |_| on_close.run(()) disabled=connecting>
                    "Cancel"
                </button>
            </div>
            <p class="error" role="alert">{move || form_error.get()}</p>
        </form>
    }
}
