//! `AgentTable`: each agent's place in line, the meetings the round robin counts for them this
//! period (after credit backs) and their weight, edited in place.

use super::format::place;
use super::weight_editor::WeightEditor;
use confab_domain::api::Routing;
use confab_domain::ids::AgentId;
use confab_domain::routing::Reset;
use leptos::prelude::*;

/// The agents' standing and weights.
#[component]
pub fn AgentTable(
    /// The round-robin view as last read.
    data: RwSignal<Option<Routing>>,
    /// When counts start again, as stored (`None` until read).
    #[prop(into)]
    reset: Signal<Option<Reset>>,
    /// Called once a weight was saved.
    on_changed: Callback<()>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        data.with(|d| d.as_ref().map(|r| r.agents.iter().map(|a| a.id.clone()).collect::<Vec<_>>())).unwrap_or_default()
    });
    let counted = move || match reset.get() {
        Some(Reset::Never) => "Counted so far",
        Some(Reset::Monthly) => "Counted this month",
        None => "Counted this period",
    };
    let counted_hint = move || match reset.get() {
        Some(Reset::Never) => "Meetings the round robin has counted since it started, after credit backs.",
        _ => "Meetings the round robin counts this month (UTC), after credit backs; counts start from zero each month.",
    };
    view! {
        <div class="table-scroll">
            <table class="standing" aria-describedby="standing-hint">
                <caption class="visually-hidden">"Agents' place in line, meetings counted and weights"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Agent"</th>
                        <th scope="col">"In line"</th>
                        <th scope="col" class="num">{counted}</th>
                        <th scope="col">"Weight"</th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || ids.get()
                        key=|id| id.clone()
                        children=move |id| view! { <AgentRow data=data id=id on_changed=on_changed/> }
                    />
                </tbody>
            </table>
        </div>
        <p class="hint" id="standing-hint">
            {counted_hint}
            " A weight of 100% is an ordinary share, 200% about twice as many meetings, 0% pauses the agent."
        </p>
    }
}

/// One agent's row.
#[component]
fn AgentRow(
    /// The round-robin view as last read.
    data: RwSignal<Option<Routing>>,
    /// The agent.
    id: AgentId,
    /// Called once their weight was saved.
    on_changed: Callback<()>,
) -> impl IntoView {
    // Reads one thing about this agent from the view (a default until it is read).
    let about = move |id: AgentId, pick: fn(&Routing, &AgentId) -> Option<String>| {
        move || data.with(|d| d.as_ref().and_then(|r| pick(r, &id))).unwrap_or_default()
    };
    let name = Signal::derive(about(id.clone(), |r, id| r.agents.iter().find(|a| &a.id == id).map(|a| a.name.clone())));
    let standing = Memo::new({
        let standing = about(id.clone(), |r, id| Some(place(&r.order, id)));
        move |_| standing()
    });
    let counted = about(id.clone(), |r, id| Some(r.credited.get(id).copied().unwrap_or(0).to_string()));
    let weight = {
        let id = id.clone();
        Signal::derive(move || data.with(|d| d.as_ref().and_then(|r| r.weights.get(&id).copied())).unwrap_or(100))
    };
    let row_id = id.to_string();
    view! {
        <tr data-agent-row=row_id>
            <th scope="row">{move || name.get()}</th>
            <td>
                <span class="place" class:next=move || standing.with(|s| s == "Next") class:paused=move || standing.with(|s| s == "Paused")>
                    {move || standing.get()}
                </span>
            </td>
            <td class="num">{counted}</td>
            <td><WeightEditor agent=id name=name weight=weight on_saved=on_changed/></td>
        </tr>
    }
}
