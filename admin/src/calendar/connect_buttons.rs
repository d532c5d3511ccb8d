//! `ConnectButtons`: connect an agent on the built-in calendar to Google, Outlook or CalDAV.
//! Google and Outlook are offered only when this deployment has their app; otherwise their
//! buttons are disabled and a hint says which Worker variables to set.

use super::format::providers_hint;
use crate::api::Providers;
use leptos::prelude::*;

/// The connect buttons of one agent.
#[component]
pub fn ConnectButtons(
    /// What this deployment can connect.
    providers: Memo<Providers>,
    /// The agent's name, for accessible names.
    #[prop(into)]
    agent: Signal<String>,
    /// The OAuth provider whose consent page is being opened, if any.
    #[prop(into)]
    opening: Signal<Option<&'static str>>,
    /// Whether an action on this calendar is under way.
    #[prop(into)]
    busy: Signal<bool>,
    /// Starts the consent of `google` or `microsoft`.
    on_oauth: Callback<&'static str>,
    /// Whether the CalDAV form is open.
    caldav_open: RwSignal<bool>,
    /// Prefix of the agent's element ids.
    prefix: String,
) -> impl IntoView {
    let hint_id = format!("{prefix}-providers-hint");
    let form_id = format!("{prefix}-caldav");
    let hint = Memo::new(move |_| providers.with(|p| providers_hint(p.google, p.microsoft)));
    let described = hint_id.clone();
    let oauth = move |provider: &'static str, label: &'static str| {
        let configured = move || providers.with(|p| if provider == "google" { p.google } else { p.microsoft });
        let hint_id = described.clone();
        view! {
            <button
                type="button"
                class="secondary provider"
                data-provider=provider
                disabled=move || !configured() || busy.get()
                aria-describedby=move || (!configured()).then(|| hint_id.clone())
                on:click=move |_| on_oauth.run(provider)
            >
                {move || {
                    if opening.get() == Some(provider) { format!("Opening {label}…") } else { format!("Connect {label}") }
                }}
                <span class="visually-hidden">{move || format!(" calendar for {}", agent.get())}</span>
            </button>
        }
    };
    view! {
        <div class="connect-buttons">
            {oauth("google", "Google")}
            {oauth("microsoft", "Outlook")}
            <button
                type="button"
                class="secondary provider"
                data-provider="caldav"
                aria-expanded=move || caldav_open.get().to_string()
                aria-controls=form_id
                disabled=move || busy.get()
                on:click=move |_| caldav_open.update(|o| *o = !*o)
            >
                "Connect CalDAV"<span class="visually-hidden">{move || format!(" calendar for {}", agent.get())}</span>
            </button>
        </div>
        {move || hint.get().map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
    }
}
