//! `DialogueList`: the site's dialogues as a table (name, status, priority, live version,
//! problems, last edit), each name opening its editor; an empty state when there are none.

use super::api::Summary;
use super::browser::local_time;
use super::draft::{problems_label, status_label};
use leptos::prelude::*;

/// The table (`#dialogue-list`).
#[component]
pub fn DialogueList(
    /// The dialogues, highest priority first.
    #[prop(into)]
    dialogues: Signal<Vec<Summary>>,
    /// Opens a dialogue's editor.
    on_open: Callback<String>,
) -> impl IntoView {
    view! {
        <Show
            when=move || !dialogues.with(Vec::is_empty)
            fallback=|| view! {
                <div class="empty-state" id="dialogue-list-empty">
                    <p><strong>"No dialogues yet."</strong></p>
                    <p class="muted">
                        "A dialogue is what the chat says to visitors: create one with “New dialogue”, or import a JSON export."
                    </p>
                </div>
            }
        >
            <table class="dialogue-list" id="dialogue-list">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Live version"</th>
                        <th scope="col">"Problems"</th>
                        <th scope="col">"Last edit"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || dialogues.get() key=|d| (d.id.clone(), d.updated_at.clone(), d.status.clone(), d.problems, d.name.clone(), d.priority) let:d>
                        {
                            let id = d.id.clone();
                            let problems = usize::try_from(d.problems).unwrap_or(usize::MAX);
                            view! {
                                <tr data-dialogue-id=d.id.clone()>
                                    <th scope="row">
                                        <button type="button" class="link" on:click=move |_| on_open.run(id.clone())>
                                            {d.name.clone()}
                                        </button>
                                    </th>
                                    <td>
                                        <span class=format!("status-badge status-{}", d.status) data-status=d.status.clone()>
                                            {status_label(&d.status)}
                                        </span>
                                    </td>
                                    <td class="number">{d.priority}</td>
                                    <td>{d.published_version.map(|v| format!("v{v}")).unwrap_or_else(|| "—".into())}</td>
                                    <td class=(problems > 0).then_some("bad")>{problems_label(problems)}</td>
                                    <td class="muted">{d.updated_at.as_deref().map(local_time).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </Show>
    }
}
