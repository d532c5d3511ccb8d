//! `ConnectionDetails`: a connected Marketo's endpoint and client id (never the secret), the
//! API budget in use, the daily-quota pause and the last failed call; testing the connection,
//! changing its credentials and disconnecting it (unless Worker variables configure it).

use super::connect_form::ConnectForm;
use super::format::{duration, local_time, number, relative, share};
use super::moment::Moment;
use crate::api::{self, ConnectionTest, Marketo};
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The body of the connection card when Marketo is connected.
#[component]
pub fn ConnectionDetails(
    /// The latest status.
    marketo: Memo<Marketo>,
    /// The clock relative times follow.
    now: RwSignal<f64>,
    /// Called after the connection changed (new credentials, or disconnected).
    on_changed: Callback<()>,
) -> impl IntoView {
    let testing = RwSignal::new(false);
    let test_result = RwSignal::new(None::<ConnectionTest>);
    let changing = RwSignal::new(false);
    let disconnecting = RwSignal::new(false);
    let action_error = RwSignal::new(String::new());
    let managed = Memo::new(move |_| marketo.with(|m| m.managed_by_environment));
    let test = move |_| {
        testing.set(true);
        test_result.set(None);
        action_error.set(String::new());
        spawn_local(async move {
            let result = api::marketo_test().await;
            let _ = testing.try_set(false);
            match result {
                Ok(found) => {
                    let _ = test_result.try_set(Some(found));
                }
                Err(e) => {
                    let _ = action_error.try_set(e.message);
                }
            }
        });
    };
    let disconnect = Callback::new(move |()| {
        disconnecting.set(true);
        action_error.set(String::new());
        spawn_local(async move {
            let result = api::marketo_disconnect().await;
            let _ = disconnecting.try_set(false);
            match result {
                Ok(()) => on_changed.run(()),
                Err(e) => {
                    let _ = action_error.try_set(e.message);
                }
            }
        });
    });
    let changed = Callback::new(move |()| {
        changing.set(false);
        test_result.set(None);
        on_changed.run(());
    });
    let budget = Memo::new(move |_| marketo.with(|m| m.budget.clone()));
    let paused_until = Memo::new(move |_| budget.with(|b| b.paused_until_ms));
    let last_error = Memo::new(move |_| budget.with(|b| b.last_error.clone()));
    let rate_label = move || budget.with(|b| format!("API calls in the last {}", duration(b.window_ms)));
    let rate_text = move || {
        budget.with(|b| {
            format!(
                "{} of {} ({}%)",
                number(b.calls_in_window),
                number(b.calls_per_window),
                share(b.calls_in_window, b.calls_per_window)
            )
        })
    };
    let flight_text = move || budget.with(|b| format!("{} of {}", b.in_flight, b.max_in_flight));
    view! {
        {move || {
            let until = paused_until.get();
            (until > now.get()).then(|| view! {
                <div class="banner warn" role="status">
                    <strong>"Paused by Marketo's daily API quota (error 607)."</strong>
                    " Background sync and activity write-back resume at "{local_time(until)}
                    " ("{move || relative(now.get(), until)}"). Visitor lookups are still attempted."
                </div>
            })
        }}
        <div class="connection-actions">
            <button type="button" class="secondary" id="marketo-test" on:click=test disabled=move || testing.get()>
                {move || if testing.get() { "Testing…" } else { "Test connection" }}
            </button>
            <Show when=move || !managed.get()>
                <button
                    type="button"
                    class="secondary"
                    id="marketo-change"
                    aria-expanded=move || changing.get().to_string()
                    on:click=move |_| changing.update(|c| *c = !*c)
                >
                    "Change credentials"
                </button>
                <ConfirmButton
                    id="marketo-disconnect"
                    label="Disconnect…"
                    subject="Marketo"
                    question="Disconnect Marketo? Confab forgets the credentials and stops syncing and writing \
                              activities back. Leads already stored, queued activities and the sync's progress stay; \
                              connecting again resumes where it stopped."
                    confirm_label="Disconnect Marketo"
                    busy=disconnecting
                    busy_label="Disconnecting…"
                    on_confirm=disconnect
                />
            </Show>
        </div>
        <div role="status" class="test-result" id="marketo-test-result">
            {move || test_result.get().map(|t| {
                let class = if t.ok { "notice ok" } else { "notice error" };
                view! { <p class=class>{t.message}</p> }
            })}
        </div>
        <p class="error" role="alert">{move || action_error.get()}</p>
        <Show when=move || managed.get()>
            <p class="muted">"Worker variables (MARKETO_ENDPOINT and the rest) configure this connection; change them there."</p>
        </Show>
        <Show when=move || changing.get()>
            <ConnectForm
                initial=marketo.with_untracked(|m| (m.endpoint.clone(), m.client_id.clone()))
                on_connected=changed
                on_cancel=Callback::new(move |()| changing.set(false))
            />
        </Show>
        <dl class="facts">
            <div><dt>"Endpoint"</dt><dd><code>{move || marketo.with(|m| m.endpoint.clone())}</code></dd></div>
            <div><dt>"Client ID"</dt><dd><code>{move || marketo.with(|m| m.client_id.clone())}</code></dd></div>
            <div><dt>"Leads stored"</dt><dd>{move || marketo.with(|m| number(m.leads))}</dd></div>
            <div><dt>"Calls since start"</dt><dd>{move || budget.with(|b| number(b.calls_since_start))}</dd></div>
        </dl>
        <div class="gauges">
            <div class="gauge">
                <span id="marketo-rate-label">{rate_label}</span>
                <meter
                    aria-labelledby="marketo-rate-label"
                    min="0"
                    max=move || budget.with(|b| b.calls_per_window.max(1))
                    low=move || budget.with(|b| b.calls_per_window * 6 / 10)
                    high=move || budget.with(|b| b.calls_per_window * 9 / 10)
                    optimum="0"
                    value=move || budget.with(|b| b.calls_in_window)
                ></meter>
                <span class="gauge-value">{rate_text}</span>
            </div>
            <div class="gauge">
                <span id="marketo-flight-label">"Calls under way"</span>
                <meter
                    aria-labelledby="marketo-flight-label"
                    min="0"
                    max=move || budget.with(|b| b.max_in_flight.max(1))
                    value=move || budget.with(|b| b.in_flight)
                ></meter>
                <span class="gauge-value">{flight_text}</span>
            </div>
        </div>
        {move || match last_error.get() {
            Some(e) => view! {
                <div class="last-error">
                    <span class="label">"Last error "<Moment at=e.at_ms now=now/></span>
                    <p>{e.message}</p>
                </div>
            }
            .into_any(),
            None => view! { <p class="muted ok-line">"No failed calls since the connection started."</p> }.into_any(),
        }}
    }
}
