//! `AgentMeetings`: one bar per agent of the meetings booked in the range, stacked by status,
//! with the total and the breakdown written out (the colours only repeat what the text says).

use super::api::AgentStats;
use super::report::{STATUSES, breakdown, count, stacked};
use leptos::prelude::*;

/// The meetings per agent.
#[component]
pub fn AgentMeetings(
    /// Agents with meetings in the range.
    agents: Vec<AgentStats>,
) -> impl IntoView {
    let total_of = |a: &AgentStats| a.by_status.values().sum::<u64>();
    let largest = agents.iter().map(total_of).max().unwrap_or(0);
    if largest == 0 {
        return view! {
            <p class="empty" id="analytics-agents-empty">
                "No meetings were booked in this period. Meetings booked through the chat appear here, per agent and status."
            </p>
        }
        .into_any();
    }
    let shown: Vec<(&str, &str)> = STATUSES
        .iter()
        .copied()
        .filter(|(s, _)| agents.iter().any(|a| a.by_status.get(*s).is_some_and(|n| *n > 0)))
        .collect();
    let rows = agents
        .into_iter()
        .map(|agent| {
            let total = total_of(&agent);
            let words = breakdown(&agent.by_status);
            let pieces = stacked(&agent.by_status)
                .into_iter()
                .map(|(status, label, n)| {
                    let width = (n as f64 * 1000.0 / largest as f64).round() / 10.0;
                    view! {
                        <span
                            class=format!("as-seg as-{status}")
                            style=format!("width:{width}%")
                            title=format!("{label}: {n}")
                        ></span>
                    }
                })
                .collect_view();
            view! {
                <li class="agent-row" data-agent=agent.id.clone() data-total=total.to_string()>
                    <span class="agent-name">{agent.name.clone()}</span>
                    <span class="agent-track" aria-hidden="true">{pieces}</span>
                    <span class="agent-total">{count(total, "meeting", "meetings")}</span>
                    <span class="agent-breakdown">{words}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="agent-bars" id="analytics-agents" aria-label="Meetings per agent">{rows}</ul>
        <ul class="legend analytics-legend" aria-hidden="true">
            {shown.into_iter().map(|(s, label)| view! {
                <li><span class=format!("as-swatch as-{s}")></span>{label}</li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
