//! `AgentCard`: one agent: their calendar (provider, account, health, when busy times were
//! last read) with its actions, and their working hours and rules.

use super::availability_editor::AvailabilityEditor;
use super::connection::CalendarConnection;
use super::format::{busy_read, id_part, local_time, provider_label};
use super::health_pill::HealthPill;
use crate::api::{AgentCalendar, Providers};
use leptos::prelude::*;

/// One agent's card.
#[component]
pub fn AgentCard(
    /// The agent as last read.
    agent: Memo<AgentCalendar>,
    /// What this deployment can connect.
    providers: Memo<Providers>,
    /// The clock relative times follow.
    now: RwSignal<f64>,
    /// Called after a change, to read the calendars again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let id = agent.with_untracked(|a| a.agent.id.clone());
    let prefix = format!("cal-{}", id_part(&id));
    let title_id = format!("{prefix}-title");
    let calendar = Memo::new(move |_| agent.with(|a| a.calendar.clone()));
    let builtin = move || calendar.with(|c| matches!(c.provider.as_str(), "builtin" | ""));
    let busy_times = move || {
        if builtin() {
            return view! { <span>"Only meetings booked in Confab"</span> }.into_any();
        }
        let fetched = calendar.with(|c| c.busy_fetched_ms);
        view! {
            <span title=(fetched > 0.0).then(|| local_time(fetched))>{move || busy_read(now.get(), fetched)}</span>
        }
        .into_any()
    };
    view! {
        <section class="card agent-card" aria-labelledby=title_id.clone() data-agent=id>
            <div class="card-head">
                <h2 id=title_id.clone() tabindex="-1">{move || agent.with(|a| a.agent.name.clone())}</h2>
                <div class="tools"><HealthPill calendar=calendar/></div>
            </div>
            <dl class="facts">
                <div>
                    <dt>"Calendar"</dt>
                    <dd>
                        {move || calendar.with(|c| provider_label(&c.provider))}
                        {move || calendar.with(|c| c.account.clone()).filter(|a| !a.is_empty()).map(|account| view! {
                            <span class="account">{account}</span>
                        })}
                    </dd>
                </div>
                <div><dt>"Busy times"</dt><dd>{busy_times}</dd></div>
                <div><dt>"Time zone"</dt><dd>{move || agent.with(|a| a.time_zone.clone())}</dd></div>
                <div><dt>"Round-robin weight"</dt><dd>{move || agent.with(|a| format!("{}%", a.weight_percent))}</dd></div>
            </dl>
            <CalendarConnection
                agent=agent
                providers=providers
                now=now
                on_changed=on_changed
                prefix=prefix.clone()
                title_id=title_id.clone()
            />
            <AvailabilityEditor agent=agent prefix=prefix on_saved=on_changed/>
        </section>
    }
}
