//! `RoundRobinCard`: who gets the next meeting and the order after them, the meetings per
//! agent in the chosen period as a bar chart, and each agent's count and weight.

use super::agent_table::AgentTable;
use super::format::{name_of, order_rule};
use super::meetings_chart::MeetingsChart;
use super::panel::{Loader, PeriodChoice};
use super::period_picker::PeriodPicker;
use crate::integrations::format::relative;
use confab_domain::routing::RoutingConfig;
use leptos::prelude::*;
use std::time::Duration;

/// The round-robin card.
#[component]
pub fn RoundRobinCard(
    /// The round-robin view and its reads.
    loader: Loader,
    /// The period meetings are counted over.
    choice: PeriodChoice,
    /// The configuration as stored (for when counts reset), once read.
    saved_config: RwSignal<Option<RoutingConfig>>,
    /// Called after a weight changed.
    on_changed: Callback<()>,
) -> impl IntoView {
    let Loader { data, failure, fetched_at, busy, .. } = loader;
    let now = RwSignal::new(js_sys::Date::now());
    // A clock for "Updated 12 s ago".
    let clock = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_secs(5)).ok();
    on_cleanup(move || {
        if let Some(clock) = clock {
            clock.clear();
        }
    });
    let loaded = Memo::new(move |_| data.with(Option::is_some));
    let reset = Signal::derive(move || saved_config.with(|c| c.as_ref().map(|c| c.reset)));

    let order = move || {
        data.with(|d| {
            let r = d.as_ref()?;
            let next = r.next.clone();
            let items = r
                .order
                .iter()
                .map(|id| {
                    let is_next = next.as_ref() == Some(id);
                    let weight = r.weights.get(id).copied().unwrap_or(100);
                    view! {
                        <li data-agent=id.to_string() class:is-next=is_next>
                            <span class="who">{name_of(&r.agents, id)}</span>
                            {is_next.then(|| view! { <span class="badge">"next"</span> })}
                            {(weight != 100).then(|| view! {
                                <span class="pill weight-pill" title="Round-robin weight">{format!("{weight}%")}</span>
                            })}
                        </li>
                    }
                })
                .collect_view();
            let paused: Vec<String> = r
                .agents
                .iter()
                .filter(|a| !r.order.contains(&a.id))
                .map(|a| a.name.clone())
                .collect();
            let summary = match &r.next {
                Some(id) => format!("{} gets the next meeting if free at the visitor's time.", name_of(&r.agents, id)),
                None => "Nobody can get a meeting: every agent is paused or there are no active agents.".to_owned(),
            };
            Some(view! {
                <p class="next-line">{summary}</p>
                {(!r.order.is_empty()).then(|| view! { <ol class="order" aria-label="Round-robin order">{items}</ol> })}
                {(!paused.is_empty()).then(|| view! {
                    <p class="paused-line"><span class="pill off">"Paused"</span>" "{paused.join(", ")}" (weight 0%): no meetings."</p>
                })}
                <p class="hint">{order_rule(&r.order, &r.weights)}</p>
            })
        })
    };

    view! {
        <section class="card round-robin" aria-labelledby="round-robin-title">
            <div class="card-head">
                <h2 id="round-robin-title">"Round robin"</h2>
                <div class="tools">
                    <span class="muted updated">
                        {move || {
                            let at = fetched_at.get();
                            (at > 0.0).then(|| format!("Updated {}", relative(now.get(), at)))
                        }}
                    </span>
                    <button type="button" class="secondary" on:click=move |_| loader.read(true) disabled=move || busy.get()>
                        {move || if busy.get() { "Refreshing…" } else { "Refresh" }}
                    </button>
                </div>
            </div>
            <p class="muted">
                "Visitors that no account route or rule sends elsewhere go to the agents in this order, one meeting "
                "each in turn. Rules use the same order among their own agents."
            </p>
            {move || match (loaded.get(), failure.get()) {
                (false, None) => view! { <p class="muted" role="status">"Loading the round robin…"</p> }.into_any(),
                (false, Some(e)) => view! {
                    <div class="notice error" role="alert">
                        <p>"The round robin could not be read: "{e.message}</p>
                        <button type="button" class="secondary" on:click=move |_| loader.read(true)>"Try again"</button>
                    </div>
                }
                .into_any(),
                (true, Some(e)) => view! {
                    <p class="notice warn" role="status">"Could not refresh ("{e.message}"). Showing the last known state."</p>
                }
                .into_any(),
                (true, None) => ().into_any(),
            }}
            <Show when=move || loaded.get()>
                <div class="rr-grid">
                    <div class="rr-order">
                        <h3>"Order"</h3>
                        {order}
                    </div>
                    <div class="rr-chart" aria-busy=move || busy.get().to_string()>
                        <div class="section-head">
                            <h3 id="chart-title">"Meetings per agent"</h3>
                            <PeriodPicker choice=choice/>
                        </div>
                        <p class="muted caption">
                            {move || choice.caption.get()}
                            " · by start time, in your time zone"
                            <span class="loading-note" role="status">{move || busy.get().then_some(" · Counting…")}</span>
                        </p>
                        {move || data.get().map(|routing| view! { <MeetingsChart routing=routing/> })}
                    </div>
                </div>
                <h3>"Agents"</h3>
                <AgentTable data=data reset=reset on_changed=on_changed/>
            </Show>
        </section>
    }
}
