//! `RoutingPanel`: the round-robin order, who is next, and meetings per agent.

use crate::api;
use leptos::prelude::*;

/// The routing card.
#[component]
pub fn RoutingPanel() -> impl IntoView {
    let routing = LocalResource::new(api::routing);
    view! {
        <section class="card" aria-labelledby="routing-title">
            <h2 id="routing-title">"Routing: round robin"</h2>
            {move || match routing.get() {
                None => view! { <p class="muted" role="status">"Loading routing…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(r)) => {
                    let name = {
                        let agents = r.agents.clone();
                        move |id: &confab_domain::ids::AgentId| {
                            agents.iter().find(|a| &a.id == id).map(|a| a.name.clone()).unwrap_or_else(|| id.to_string())
                        }
                    };
                    let max = r.totals.values().copied().max().unwrap_or(0).max(1);
                    let next = r.next.clone();
                    view! {
                        <div class="grid2">
                            <div>
                                <h3>"Order"</h3>
                                <ol class="order">
                                    {r.order.iter().map(|id| {
                                        let is_next = next.as_ref() == Some(id);
                                        view! {
                                            <li data-agent=id.to_string()>
                                                {name(id)}
                                                {is_next.then(|| view! { <span class="badge">"next"</span> })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                            </div>
                            <div>
                                <h3>"Meetings per agent"</h3>
                                <div class="bars" role="list">
                                    {r.agents.iter().map(|a| {
                                        let n = r.totals.get(&a.id).copied().unwrap_or(0);
                                        let width = format!("width:{}%", n * 100 / max);
                                        view! {
                                            <div class="bar" role="listitem" data-total=n.to_string()>
                                                <span>{a.name.clone()}</span>
                                                <span><span class="fill" style=width></span></span>
                                                <span>{n}</span>
                                            </div>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
