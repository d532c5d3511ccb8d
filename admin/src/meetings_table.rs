//! `MeetingsTable`: every meeting booked through the chat, with why its agent was chosen.

use crate::api;
use leptos::prelude::*;

/// The meetings card.
#[component]
pub fn MeetingsTable() -> impl IntoView {
    let meetings = LocalResource::new(api::meetings);
    view! {
        <section class="card" aria-labelledby="meetings-title">
            <h2 id="meetings-title">"Meetings"</h2>
            {move || match meetings.get() {
                None => view! { <p class="muted" role="status">"Loading meetings…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(list)) if list.meetings.is_empty() => view! {
                    <p class="empty">"No meetings yet. When a visitor books through the chat, it appears here."</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <table>
                        <thead><tr><th>"When (UTC)"</th><th>"Agent"</th><th>"Visitor"</th><th>"Status"</th><th>"Why this agent"</th></tr></thead>
                        <tbody>
                            {list.meetings.into_iter().map(|m| view! {
                                <tr data-meeting=m.id.to_string()>
                                    <td>{m.start.replace('T', " ").chars().take(16).collect::<String>()}</td>
                                    <td>{m.agent.name}</td>
                                    <td>{m.email}</td>
                                    <td>{m.status}</td>
                                    <td class="why">{m.explanation}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
        </section>
    }
}
