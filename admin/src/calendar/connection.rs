//! `CalendarConnection`: what an agent's calendar connection needs from the admin: connect
//! (built-in agents), check now and disconnect (connected ones), and, when the connection no
//! longer works, why, since when, and the fix (Reconnect).

use super::caldav_form::CaldavForm;
use super::connect_buttons::ConnectButtons;
use super::editor::focus_soon;
use super::format::{HealthState, check_result, count, disconnect_question, iso, local_time, provider_short, relative};
use crate::api::{self, AgentCalendar, Providers};
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The connection part of an agent's card.
#[component]
pub fn CalendarConnection(
    /// The agent as last read.
    agent: Memo<AgentCalendar>,
    /// What this deployment can connect.
    providers: Memo<Providers>,
    /// The clock relative times follow.
    now: RwSignal<f64>,
    /// Called after a change, to read the calendars again.
    on_changed: Callback<()>,
    /// Prefix of the agent's element ids.
    prefix: String,
    /// The id of the card's heading, which takes focus when the buttons pressed go away.
    title_id: String,
) -> impl IntoView {
    let agent_id = agent.with_untracked(|a| a.agent.id.clone());
    let name = Signal::derive(move || agent.with(|a| a.agent.name.clone()));
    let provider = Memo::new(move |_| agent.with(|a| a.calendar.provider.clone()));
    let account = Memo::new(move |_| agent.with(|a| a.calendar.account.clone().unwrap_or_default()));
    let health = Memo::new(move |_| agent.with(|a| HealthState::of(&a.calendar)));
    let connected = Memo::new(move |_| !matches!(health.get(), HealthState::Builtin));
    // The action under way: "google" or "microsoft" (opening the consent), "caldav", "check",
    // "disconnect".
    let working = RwSignal::new(None::<&'static str>);
    let busy = Signal::derive(move || working.get().is_some());
    let caldav_open = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let clear = move || {
        status.set(String::new());
        error.set(String::new());
    };

    let on_oauth = {
        let agent_id = agent_id.clone();
        Callback::new(move |which: &'static str| {
            clear();
            working.set(Some(which));
            let agent_id = agent_id.clone();
            spawn_local(async move {
                let opened = match api::connect_oauth(agent_id, which).await {
                    // The browser leaves for the provider; the edge sends it back to this tab.
                    Ok(url) => window()
                        .location()
                        .assign(&url)
                        .map_err(|_| "The browser did not open the sign-in page. Try again.".to_owned()),
                    Err(e) => Err(e.message),
                };
                if let Err(message) = opened {
                    let _ = error.try_set(message);
                    let _ = working.try_set(None);
                }
            });
        })
    };
    // A browser coming back from the consent page through its Back button may restore this
    // page as it was left, "Opening…" included: make the buttons usable again.
    let restored = window_event_listener_untyped("pageshow", move |_| {
        if matches!(working.try_get_untracked(), Some(Some("google" | "microsoft"))) {
            let _ = working.try_set(None);
        }
    });
    on_cleanup(move || restored.remove());
    let caldav_url_id = format!("{prefix}-caldav-url");
    let reconnect = move |_| match provider.get_untracked().as_str() {
        "google" => on_oauth.run("google"),
        "microsoft" => on_oauth.run("microsoft"),
        _ => {
            clear();
            caldav_open.set(true);
            focus_soon(caldav_url_id.clone());
        }
    };
    let check = {
        let agent_id = agent_id.clone();
        move |_| {
            clear();
            working.set(Some("check"));
            let agent_id = agent_id.clone();
            spawn_local(async move {
                match api::check_calendar(agent_id).await {
                    Ok((healthy, health)) => match check_result(healthy, &health) {
                        Ok(text) => {
                            let _ = status.try_set(text);
                        }
                        Err(text) => {
                            let _ = error.try_set(text);
                        }
                    },
                    Err(e) => {
                        let _ = error.try_set(e.message);
                    }
                }
                let _ = working.try_set(None);
                let _ = on_changed.try_run(());
            });
        }
    };
    let disconnect = {
        let (agent_id, title_id) = (agent_id.clone(), title_id.clone());
        Callback::new(move |()| {
            clear();
            working.set(Some("disconnect"));
            let (agent_id, title_id) = (agent_id.clone(), title_id.clone());
            spawn_local(async move {
                match api::disconnect_calendar(agent_id).await {
                    Ok(()) => {
                        let _ = caldav_open.try_set(false);
                        let _ = status.try_set(
                            "Disconnected. New meetings are held in Confab only; connect a calendar again at any time."
                                .into(),
                        );
                        let _ = on_changed.try_run(());
                        focus_soon(title_id);
                    }
                    Err(e) => {
                        let _ = error.try_set(e.message);
                    }
                }
                let _ = working.try_set(None);
            });
        })
    };
    let on_connected = {
        let title_id = title_id.clone();
        Callback::new(move |events: u64| {
            caldav_open.set(false);
            status.set(format!(
                "Connected. Confab read {} from the calendar and writes new meetings to it.",
                count(events, "busy time", "busy times")
            ));
            on_changed.run(());
            focus_soon(title_id.clone());
        })
    };
    let on_close = Callback::new(move |()| caldav_open.set(false));

    let attention = move || match health.get() {
        HealthState::NeedsAttention { since_ms, reason } => Some(view! {
            <div class="attention">
                <p><strong>"Needs attention: "</strong>{reason}</p>
                <p>
                    {(since_ms > 0.0).then(|| view! {
                        "Failing since "<time datetime=iso(since_ms)>{local_time(since_ms)}</time>
                        " ("{move || relative(now.get(), since_ms)}"). "
                    })}
                    {move || name.get()}" is offered no meeting times until the calendar works again."
                </p>
                <button type="button" class="primary" on:click=reconnect.clone() disabled=move || busy.get()>
                    {move || match working.get() {
                        Some("google" | "microsoft") => "Opening the sign-in…",
                        _ => "Reconnect",
                    }}
                    <span class="visually-hidden">
                        {move || format!(" {} calendar for {}", provider_short(&provider.get()), name.get())}
                    </span>
                </button>
            </div>
        }),
        _ => None,
    };
    let retrying = move || match health.get() {
        HealthState::Retrying(n) => Some(view! {
            <p class="notice warn">
                {format!("The last {} failed; Confab keeps trying.", count(n, "read", "reads"))}
            </p>
        }),
        _ => None,
    };

    let (connect_prefix, disconnect_prefix, form_prefix) = (prefix.clone(), prefix.clone(), prefix);
    view! {
        {attention}
        {retrying}
        <Show
            when=move || connected.get()
            fallback=move || view! {
                <p class="muted">
                    "Confab holds this agent's meetings itself and knows no other busy time. Connect their calendar "
                    "so visitors are offered only times they are free, and meetings land in it."
                </p>
                <ConnectButtons
                    providers=providers
                    agent=name
                    opening=Signal::derive(move || working.get().filter(|w| matches!(*w, "google" | "microsoft")))
                    busy=busy
                    on_oauth=on_oauth
                    caldav_open=caldav_open
                    prefix=connect_prefix.clone()
                />
            }
        >
            <div class="actions">
                <button type="button" class="secondary" on:click=check.clone() disabled=move || busy.get()>
                    {move || if working.get() == Some("check") { "Checking…" } else { "Check now" }}
                    <span class="visually-hidden">{move || format!(" {}'s calendar", name.get())}</span>
                </button>
                <ConfirmButton
                    id=format!("{disconnect_prefix}-disconnect")
                    label="Disconnect…"
                    subject=Signal::derive(move || format!("{}'s calendar", name.get()))
                    question=Signal::derive(move || disconnect_question(&name.get(), &provider.get()))
                    confirm_label="Disconnect"
                    disabled=busy
                    busy=Signal::derive(move || working.get() == Some("disconnect"))
                    busy_label="Disconnecting…"
                    on_confirm=disconnect
                />
            </div>
        </Show>
        <p class="error" role="alert">{move || error.get()}</p>
        <Show when=move || caldav_open.get()>
            <CaldavForm
                agent_id=agent_id.clone()
                agent=name
                initial_url=if provider.get_untracked() == "caldav" { account.get_untracked() } else { String::new() }
                working=working
                on_connected=on_connected
                on_close=on_close
                prefix=form_prefix.clone()
            />
        </Show>
        <p class="notice ok" role="status">{move || status.get()}</p>
    }
}
