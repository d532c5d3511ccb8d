//! `MeetingsTable`: every meeting booked through the chat, with why its agent was chosen,
//! status changes, each meeting's history, a status filter and CSV export.

use crate::api::{self, HistoryEvent};
use confab_domain::api::Meeting;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Statuses the filter offers: (value, label).
const FILTERS: [(&str, &str); 6] = [
    ("", "All statuses"),
    ("scheduled", "Scheduled"),
    ("rescheduled", "Rescheduled"),
    ("canceled", "Canceled"),
    ("completed", "Completed"),
    ("no_show", "No-show"),
];

/// The meetings card.
#[component]
pub fn MeetingsTable() -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let meetings = LocalResource::new(move || {
        let status = filter.get();
        api::meetings((!status.is_empty()).then_some(status))
    });
    let error = RwSignal::new(String::new());
    let csv_href = move || match filter.get().as_str() {
        "" => "/api/admin/v1/meetings.csv".to_owned(),
        s => format!("/api/admin/v1/meetings.csv?status={s}"),
    };
    view! {
        <section class="card" aria-labelledby="meetings-title">
            <div class="card-head">
                <h2 id="meetings-title">"Meetings"</h2>
                <div class="tools">
                    <label>"Status "
                        <select on:change=move |ev| filter.set(event_target_value(&ev)) prop:value=move || filter.get()>
                            {FILTERS.iter().map(|(value, label)| view! { <option value=*value>{*label}</option> }).collect_view()}
                        </select>
                    </label>
                    <a class="button" href=csv_href download="meetings.csv">"Export CSV"</a>
                </div>
            </div>
            <p class="error" role="alert">{move || error.get()}</p>
            {move || match meetings.get() {
                None => view! { <p class="muted" role="status">"Loading meetings…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(list)) if list.meetings.is_empty() => view! {
                    <p class="empty">"No meetings here yet. When a visitor books through the chat, it appears here."</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <table>
                        <thead><tr>
                            <th>"When (UTC)"</th><th>"Agent"</th><th>"Visitor"</th><th>"Status"</th><th>"Why this agent"</th><th>"Actions"</th>
                        </tr></thead>
                        <tbody>
                            {list.meetings.into_iter().map(|m| view! {
                                <MeetingRow meeting=m on_changed=Callback::new(move |()| meetings.refetch()) error=error/>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One meeting, its actions and (on demand) its history.
#[component]
fn MeetingRow(
    /// The meeting.
    meeting: Meeting,
    /// Called after a status change succeeded.
    on_changed: Callback<()>,
    /// Where a refused change is reported.
    error: RwSignal<String>,
) -> impl IntoView {
    let id = meeting.id.to_string();
    let active = matches!(meeting.status.as_str(), "scheduled" | "rescheduled");
    let history = RwSignal::new(None::<Vec<HistoryEvent>>);
    let change = {
        let id = id.clone();
        move |status: &'static str| {
            let id = id.clone();
            spawn_local(async move {
                match api::set_status(id, status).await {
                    Ok(()) => {
                        error.set(String::new());
                        on_changed.run(());
                    }
                    Err(e) => error.set(e.message),
                }
            });
        }
    };
    let toggle_history = {
        let id = id.clone();
        move |_| {
            if history.get_untracked().is_some() {
                history.set(None);
                return;
            }
            let id = id.clone();
            spawn_local(async move {
                match api::history(id).await {
                    Ok(events) => history.set(Some(events)),
                    Err(e) => error.set(e.message),
                }
            });
        }
    };
    // Whether it happened or not can be told once the meeting has begun; the edge refuses it before.
    let begun = js_sys::Date::parse(&meeting.start) <= js_sys::Date::now();
    let actions = active.then(|| {
        let (c1, c2, c3) = (change.clone(), change.clone(), change);
        view! {
            <button type="button" on:click=move |_| c1("canceled")>"Cancel"</button>
            {begun.then(|| view! {
                <button type="button" on:click=move |_| c2("completed")>"Completed"</button>
                <button type="button" on:click=move |_| c3("no_show")>"No-show"</button>
            })}
        }
    });
    view! {
        <tr data-meeting=id.clone()>
            <td>{meeting.start.replace('T', " ").chars().take(16).collect::<String>()}</td>
            <td>{meeting.agent.name}</td>
            <td>{meeting.email}</td>
            <td><span class=format!("status {}", meeting.status)>{meeting.status.replace('_', "-")}</span></td>
            <td class="why">{meeting.explanation}</td>
            <td class="actions">
                {actions}
                <button type="button" on:click=toggle_history aria-expanded=move || history.get().is_some().to_string()>"History"</button>
            </td>
        </tr>
        {move || history.get().map(|events| view! {
            <tr class="history"><td colspan="6">
                <ol>
                    {events.into_iter().map(|e| view! {
                        <li>{e.at.replace('T', " ").chars().take(16).collect::<String>()}" · "{e.kind.replace('_', "-")}" · "{e.actor}
                            {(!e.detail.is_empty()).then(|| format!(" · {}", e.detail))}</li>
                    }).collect_view()}
                </ol>
            </td></tr>
        })}
    }
}
