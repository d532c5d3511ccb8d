//! `OutboxCard`: meeting activities waiting to be written back to Marketo, delivered, and
//! failed, with the errors of those retrying or given up on.

use super::format::number;
use crate::api::{Outbox, OutboxItem};
use leptos::prelude::*;

/// The outbox card.
#[component]
pub fn OutboxCard(
    /// The latest outbox summary.
    outbox: Memo<Outbox>,
) -> impl IntoView {
    let retrying = Memo::new(move |_| outbox.with(|o| o.retrying.clone()));
    let failures = Memo::new(move |_| outbox.with(|o| o.recent_failures.clone()));
    view! {
        <section class="card" aria-labelledby="outbox-title">
            <h2 id="outbox-title">"Activity write-back"</h2>
            <p class="muted">
                "Meetings booked, moved, canceled or held are written to Marketo as activities, "
                "retried with backoff until Marketo accepts them."
            </p>
            <dl class="stats">
                <div><dt>"Pending"</dt><dd>{move || outbox.with(|o| number(o.pending))}</dd></div>
                <div><dt>"Delivered"</dt><dd>{move || outbox.with(|o| number(o.delivered))}</dd></div>
                <div class:bad=move || outbox.with(|o| o.failed > 0)>
                    <dt>"Failed"</dt><dd>{move || outbox.with(|o| number(o.failed))}</dd>
                </div>
            </dl>
            {move || {
                let (retrying, failures) = (retrying.get(), failures.get());
                if retrying.is_empty() && failures.is_empty() {
                    return view! { <p class="muted ok-line">"No delivery problems."</p> }.into_any();
                }
                view! {
                    {(!retrying.is_empty()).then(|| view! {
                        <ItemTable title="Retrying" caption="Activities that failed and will be tried again" items=retrying/>
                    })}
                    {(!failures.is_empty()).then(|| view! {
                        <ItemTable title="Failed" caption="The latest activities given up on" items=failures/>
                    })}
                }
                .into_any()
            }}
        </section>
    }
}

/// A table of outbox activities with their last error.
#[component]
fn ItemTable(
    /// The heading.
    title: &'static str,
    /// What the table lists, for assistive technology.
    caption: &'static str,
    /// The activities.
    items: Vec<OutboxItem>,
) -> impl IntoView {
    view! {
        <h3>{title}</h3>
        <div class="table-scroll">
            <table class="compact">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr><th scope="col">"Activity"</th><th scope="col" class="num">"Attempts"</th><th scope="col">"Last error"</th></tr></thead>
                <tbody>
                    {items.into_iter().map(|item| view! {
                        <tr>
                            <td><code class="key">{item.key}</code></td>
                            <td class="num">{item.attempts.max(0.0).round() as u64}</td>
                            <td>{item.last_error.unwrap_or_else(|| "(no message)".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
