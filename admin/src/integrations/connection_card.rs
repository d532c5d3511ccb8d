//! `ConnectionDetails`: a connected Marketo's endpoint and client id (never the secret), the
//! API budget in use, the daily-quota pause and the last failed call.

use super::format::{duration, local_time, number, relative, share};
use super::moment::Moment;
use crate::api::Marketo;
use leptos::prelude::*;

/// The body of the connection card when Marketo is connected.
#[component]
pub fn ConnectionDetails(
    /// The latest status.
    marketo: Memo<Marketo>,
    /// The clock relative times follow.
    now: RwSignal<f64>,
) -> impl IntoView {
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
