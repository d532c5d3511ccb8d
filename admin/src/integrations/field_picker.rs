//! `FieldPicker`: chooses which Marketo lead fields the sync copies (any number, from
//! Marketo's describe) and an optional start date, then (re)starts the initial sync.

use super::format::{count, field_matches, local_midnight, number};
use crate::api::{self, ApiError, LeadField};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

/// Fields every sync copies whatever is chosen (the edge adds them).
const ALWAYS: [&str; 3] = ["id", "email", "updatedAt"];

fn always(name: &str) -> bool {
    ALWAYS.contains(&name)
}

/// The "Choose fields" button and, once opened, the picker.
#[component]
pub fn FieldPicker(
    /// The fields the current sync copies (preselected).
    synced: Memo<Vec<String>>,
    /// The sync's phase (`idle`, `initial`, `incremental`), for the confirmation's wording.
    phase: Memo<String>,
    /// Called once a sync was started.
    on_started: Callback<()>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let fields = RwSignal::new(None::<Result<Vec<LeadField>, ApiError>>);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let query = RwSignal::new(String::new());
    let only_selected = RwSignal::new(false);
    let since = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let notice = RwSignal::new(String::new());

    let load = move || {
        fields.set(None);
        spawn_local(async move {
            let answer = api::marketo_fields().await.map(|mut list| {
                list.sort_by_key(|f| f.display_name.to_lowercase());
                list
            });
            let _ = fields.try_set(Some(answer));
        });
    };
    let toggle = move |_| {
        if open.get_untracked() {
            open.set(false);
            confirming.set(false);
            return;
        }
        selected.set(synced.get_untracked().into_iter().filter(|f| !always(f)).collect());
        query.set(String::new());
        only_selected.set(false);
        error.set(String::new());
        notice.set(String::new());
        confirming.set(false);
        open.set(true);
        if !matches!(fields.get_untracked(), Some(Ok(_))) {
            load();
        }
    };
    // The fields shown: matching the search and, if asked, selected when the filter was set
    // (so unticking one does not make it vanish under the pointer).
    let shown = move || {
        let q = query.get();
        let only = only_selected.get();
        fields.with(|f| match f {
            Some(Ok(list)) => list
                .iter()
                .filter(|f| field_matches(f, &q))
                .filter(|f| !only || always(&f.name) || selected.with_untracked(|s| s.contains(&f.name)))
                .cloned()
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let total = move || fields.with(|f| f.as_ref().and_then(|r| r.as_ref().ok()).map_or(0, Vec::len));
    let chosen = move || {
        let required = fields.with(|f| match f {
            Some(Ok(list)) => list.iter().filter(|f| always(&f.name)).count(),
            _ => 0,
        });
        selected.with(BTreeSet::len) + required
    };
    let select_shown = move |_| {
        let names: Vec<String> = shown().into_iter().map(|f| f.name).filter(|n| !always(n)).collect();
        selected.update(|s| s.extend(names));
    };
    let clear = move |_| selected.update(BTreeSet::clear);
    let ask = move |_| {
        error.set(String::new());
        let date = since.get_untracked();
        if !date.trim().is_empty() && local_midnight(&date).is_none() {
            error.set("Choose a valid start date, or leave it empty.".into());
            return;
        }
        confirming.set(true);
    };
    let start = move |_| {
        let date = since.get_untracked();
        let since = if date.trim().is_empty() { None } else { local_midnight(&date) };
        let chosen: Vec<String> = selected.get_untracked().into_iter().collect();
        busy.set(true);
        error.set(String::new());
        spawn_local(async move {
            match api::start_sync(chosen, since).await {
                Ok(()) => {
                    let _ = open.try_set(false);
                    let _ = notice.try_set("The initial sync has started; its progress appears above.".into());
                    let _ = on_started.try_run(());
                }
                Err(e) => {
                    let _ = error.try_set(e.message);
                }
            }
            let _ = confirming.try_set(false);
            let _ = busy.try_set(false);
        });
    };
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = confirm_button.get() {
            let _ = button.focus();
        }
    });
    let confirmation = move || {
        let what = if phase.get() == "idle" { "This starts" } else { "This restarts" };
        let from = match since.get().trim() {
            "" => "in the last ten years".to_owned(),
            date => format!("since {date}"),
        };
        format!(
            "{what} the initial sync from the beginning: Confab exports every lead updated {from} from Marketo \
             again, with {}. Large databases can take hours and use part of Marketo's daily export allowance.",
            count(chosen(), "field", "fields")
        )
    };

    view! {
        <div class="picker-bar">
            <button
                type="button"
                class="secondary"
                aria-expanded=move || open.get().to_string()
                aria-controls="field-picker"
                on:click=toggle
            >
                {move || if open.get() { "Close field picker" } else { "Choose fields…" }}
            </button>
            <p class="notice ok" role="status">{move || notice.get()}</p>
        </div>
        <Show when=move || open.get()>
            <div class="picker" id="field-picker" role="group" aria-labelledby="field-picker-title">
                <h3 id="field-picker-title">"Lead fields to sync"</h3>
                <p class="muted">
                    "Pick any number of the fields Marketo describes. "
                    <code>"id"</code>", "<code>"email"</code>" and "<code>"updatedAt"</code>" are always synced."
                </p>
                {move || match fields.get() {
                    None => view! { <p class="muted" role="status">"Loading the fields Marketo offers…"</p> }.into_any(),
                    Some(Err(e)) => view! {
                        <div class="notice error" role="alert">
                            <p>{e.message}</p>
                            <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                        </div>
                    }
                    .into_any(),
                    Some(Ok(list)) if list.is_empty() => view! {
                        <p class="empty">"Marketo describes no lead fields for this API user."</p>
                    }
                    .into_any(),
                    Some(Ok(_)) => view! {
                        <div class="picker-tools">
                            <label class="search">"Search fields"
                                <input
                                    type="search"
                                    placeholder="Name, REST name or type"
                                    prop:value=move || query.get()
                                    on:input=move |ev| query.set(event_target_value(&ev))
                                />
                            </label>
                            <label class="inline">
                                <input
                                    type="checkbox"
                                    prop:checked=move || only_selected.get()
                                    on:change=move |ev| only_selected.set(event_target_checked(&ev))
                                />
                                "Selected only"
                            </label>
                            <button type="button" class="secondary" on:click=select_shown>
                                {move || if query.with(|q| q.trim().is_empty()) { "Select all" } else { "Select shown" }}
                            </button>
                            <button type="button" class="secondary" on:click=clear>"Clear"</button>
                        </div>
                        <p class="muted" role="status">
                            {move || format!("{} of {} selected", number(chosen() as u64), number(total() as u64))}
                        </p>
                        <FieldList shown=Signal::derive(shown) selected=selected/>
                    }
                    .into_any(),
                }}
                <div class="picker-foot">
                    <label>"Only leads updated since (optional)"
                        <input
                            type="date"
                            prop:value=move || since.get()
                            on:input=move |ev| since.set(event_target_value(&ev))
                            aria-describedby="since-hint"
                        />
                        <span class="hint" id="since-hint">"Leave empty to copy the last ten years."</span>
                    </label>
                    <button
                        type="button"
                        class="primary"
                        on:click=ask
                        disabled=move || busy.get() || confirming.get() || !matches!(fields.get(), Some(Ok(_)))
                    >
                        "Start sync…"
                    </button>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="group" aria-labelledby="sync-confirm-text">
                        <p id="sync-confirm-text">{confirmation}</p>
                        <div class="confirm-actions">
                            <button
                                type="button"
                                class="primary"
                                node_ref=confirm_button
                                on:click=start
                                disabled=move || busy.get()
                            >
                                {move || if busy.get() { "Starting…" } else { "Start sync" }}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                "Cancel"
                            </button>
                        </div>
                    </div>
                </Show>
            </div>
        </Show>
    }
}

/// The checkbox list of fields.
#[component]
fn FieldList(
    /// The fields to list.
    shown: Signal<Vec<LeadField>>,
    /// The chosen REST names (besides those always synced).
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    move || {
        let list = shown.get();
        if list.is_empty() {
            return view! { <p class="empty">"No field matches this search."</p> }.into_any();
        }
        view! {
            <fieldset class="field-list">
                <legend class="visually-hidden">"Lead fields"</legend>
                <ul>
                    {list.into_iter().map(|field| {
                        let fixed = always(&field.name);
                        let name = field.name.clone();
                        let checked = {
                            let name = name.clone();
                            move || fixed || selected.with(|s| s.contains(&name))
                        };
                        let change = move |ev| {
                            let on = event_target_checked(&ev);
                            let name = name.clone();
                            selected.update(|s| {
                                if on {
                                    s.insert(name);
                                } else {
                                    s.remove(&name);
                                }
                            });
                        };
                        view! {
                            <li>
                                <label class="field-option">
                                    <input type="checkbox" prop:checked=checked disabled=fixed on:change=change/>
                                    <span class="field-label">{field.display_name}</span>
                                    <code>{field.name}</code>
                                    <span class="field-type">{field.data_type}</span>
                                    {fixed.then(|| view! { <span class="tag">"always"</span> })}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </fieldset>
        }
        .into_any()
    }
}
