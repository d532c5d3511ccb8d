//! `MeetingsChart`: one bar per agent of the meetings that start in the chosen period, stacked
//! by status, with each total as text and each breakdown spelled out for assistive technology
//! (the colours only repeat what the text says).

use super::format::{STATUSES, breakdown, count, segments, status_label};
use confab_domain::api::Routing;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The bar chart of meetings per agent.
#[component]
pub fn MeetingsChart(
    /// The round-robin view as last read.
    routing: Routing,
) -> impl IntoView {
    let total_of = |id| routing.totals.get(id).copied().unwrap_or(0);
    let largest = routing.agents.iter().map(|a| total_of(&a.id)).max().unwrap_or(0);
    if routing.agents.is_empty() {
        return view! {
            <p class="empty">"There are no active agents yet, so there is nothing to count."</p>
        }
        .into_any();
    }
    if largest == 0 {
        return view! {
            <p class="empty">
                "No meetings start in this period. Meetings booked through the chat appear here, per agent and status; "
                "choose another period to see earlier ones."
            </p>
        }
        .into_any();
    }
    let empty = BTreeMap::new();
    let bars = routing
        .agents
        .iter()
        .map(|agent| {
            let total = total_of(&agent.id);
            let by_status = routing.by_status.get(&agent.id).unwrap_or(&empty);
            let pieces = segments(total, by_status, largest);
            let spelled = format!(", {}", breakdown(by_status));
            view! {
                <div class="bar" role="listitem" data-total=total.to_string()>
                    <span class="bar-name">{agent.name.clone()}</span>
                    <span class="track" aria-hidden="true">
                        {pieces.into_iter().map(|piece| {
                            let title = format!("{}: {}", status_label(&piece.status), piece.count);
                            view! {
                                <span
                                    class=format!("segment s-{}", piece.status)
                                    style=format!("width:{}%", piece.width)
                                    title=title
                                ></span>
                            }
                        }).collect_view()}
                    </span>
                    <span class="bar-total">
                        {total}
                        <span class="visually-hidden">{format!(" {}", if total == 1 { "meeting" } else { "meetings" })}</span>
                    </span>
                    <span class="visually-hidden">{spelled}</span>
                </div>
            }
        })
        .collect_view();
    // The legend names only the statuses the bars show.
    let shown: Vec<&str> = STATUSES
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| routing.by_status.values().any(|b| b.get(*s).is_some_and(|n| *n > 0)))
        .collect();
    let all = routing.agents.iter().map(|a| u64::from(total_of(&a.id))).sum::<u64>();
    view! {
        <div class="bars" role="list" aria-label="Meetings per agent">{bars}</div>
        <ul class="legend" aria-label="Colours">
            {shown.into_iter().map(|s| view! {
                <li><span class=format!("swatch s-{s}") aria-hidden="true"></span>{status_label(s)}</li>
            }).collect_view()}
        </ul>
        <p class="muted chart-total">{format!("{} in this period.", count(all, "meeting", "meetings"))}</p>
    }
    .into_any()
}
