//! `WriteBackStatus`: whether every meeting booked is in its agent's calendar and, when some
//! wait, how many, the latest error, and the list.

use super::format::write_back_summary;
use crate::api::WriteBack;
use leptos::prelude::*;

/// The write-back line.
#[component]
pub fn WriteBackStatus(
    /// The latest write-back queue.
    write_back: Memo<WriteBack>,
) -> impl IntoView {
    let summary = Memo::new(move |_| write_back.with(write_back_summary));
    let items = Memo::new(move |_| write_back.with(|w| w.items.clone()));
    view! {
        <div class="write-back">
            {move || {
                let (done, line, error) = summary.get();
                view! {
                    <p class=if done { "notice ok" } else { "notice warn" }>
                        <strong>{line}</strong>
                        {(!done).then_some(" Confab retries until each one is written.")}
                        {error.map(|e| view! { <br/>"Latest error: "{e} })}
                    </p>
                }
            }}
            <Show when=move || items.with(|i| !i.is_empty())>
                <details class="reasons">
                    <summary>{move || items.with(|i| format!("Meetings waiting ({})", i.len()))}</summary>
                    <div class="table-scroll">
                        <table class="compact">
                            <caption class="visually-hidden">"Meetings waiting to be written to calendars"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Meeting"</th>
                                    <th scope="col" class="num">"Attempts"</th>
                                    <th scope="col">"Last error"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || items.get().into_iter().map(|item| view! {
                                    <tr>
                                        <td><code class="key">{item.meeting_id}</code></td>
                                        <td class="num">{item.attempts.max(0.0).round() as u64}</td>
                                        <td>{if item.last_error.is_empty() { "(not tried yet)".to_owned() } else { item.last_error }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </details>
            </Show>
        </div>
    }
}
