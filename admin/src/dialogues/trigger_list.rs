//! `TriggerList`: a dialogue's triggers as rows: what fires it (a select) and, when it takes
//! one, its seconds, percent or CSS selector; each row's problem under it, a remove button per
//! row and one to add a trigger. The decisions are `trigger_rows.rs`'s.

use super::trigger_rows::{Kind, Takes, TriggerRow};
use leptos::prelude::*;

/// The trigger rows of the audience form.
#[component]
pub fn TriggerList(
    /// The rows.
    rows: RwSignal<Vec<TriggerRow>>,
    /// Called after every change.
    on_change: Callback<()>,
) -> impl IntoView {
    view! {
        <ul class="triggers">
            <For
                each=move || rows.get()
                key=|row| row.key
                children=move |row: TriggerRow| {
                    let key = row.key;
                    let current = move || rows.with(|r| r.iter().find(|t| t.key == key).cloned());
                    let kind = Memo::new(move |_| current().map_or(Kind::Time, |r| r.kind));
                    let position = move || rows.with(|r| r.iter().position(|t| t.key == key)).map_or(1, |p| p + 1);
                    let problem = move || current().and_then(|r| r.problem()).unwrap_or_default();
                    let change = move |edit_row: Box<dyn FnOnce(&mut TriggerRow)>| {
                        rows.update(|r| {
                            if let Some(row) = r.iter_mut().find(|t| t.key == key) {
                                edit_row(row);
                            }
                        });
                        on_change.run(());
                    };
                    let (kind_id, value_id, error_id) =
                        (format!("trigger-{key}-kind"), format!("trigger-{key}-value"), format!("trigger-{key}-error"));
                    let value_field = {
                        let (value_id, error_id) = (value_id.clone(), error_id.clone());
                        move || {
                            let (value_id, error_id) = (value_id.clone(), error_id.clone());
                            let input = move |ev| {
                                let text = event_target_value(&ev);
                                change(Box::new(move |r| r.value = text));
                            };
                            let invalid = move || (!problem().is_empty()).then_some("true");
                            let value = move || current().map(|r| r.value).unwrap_or_default();
                            match kind.get().takes() {
                                Takes::Nothing => ().into_any(),
                                Takes::Number(unit) => view! {
                                    <div class="field value">
                                        <label for=value_id.clone()>{if unit == "percent" { "Percent" } else { "Seconds" }}</label>
                                        <input type="text" inputmode="numeric" id=value_id aria-describedby=error_id
                                            aria-invalid=invalid prop:value=value on:input=input />
                                    </div>
                                }
                                .into_any(),
                                Takes::Selector => view! {
                                    <div class="field value">
                                        <label for=value_id.clone()>"CSS selector"</label>
                                        <input type="text" class="code" spellcheck="false" placeholder="#pricing" id=value_id
                                            aria-describedby=error_id aria-invalid=invalid prop:value=value on:input=input />
                                    </div>
                                }
                                .into_any(),
                            }
                        }
                    };
                    view! {
                        <li class="trigger" class:invalid=move || !problem().is_empty()>
                            <div class="trigger-grid" role="group" aria-label=move || format!("Trigger {}", position())>
                                <div class="field">
                                    <label for=kind_id.clone()>"Pops up"</label>
                                    <select
                                        id=kind_id
                                        prop:value=move || kind.get().slug()
                                        on:change=move |ev| {
                                            let next = Kind::from_slug(&event_target_value(&ev));
                                            change(Box::new(move |r| {
                                                if r.kind.takes() != next.takes() {
                                                    r.value = match next.takes() {
                                                        Takes::Number("percent") => "50".to_owned(),
                                                        Takes::Number(_) => "10".to_owned(),
                                                        _ => String::new(),
                                                    };
                                                }
                                                r.kind = next;
                                            }));
                                        }
                                    >
                                        {Kind::ALL.map(|k| view! { <option value=k.slug()>{k.label()}</option> }).collect_view()}
                                    </select>
                                </div>
                                {value_field}
                                <button
                                    type="button"
                                    class="icon remove"
                                    aria-label=move || format!("Remove trigger {}", position())
                                    on:click=move |_| {
                                        rows.update(|r| r.retain(|t| t.key != key));
                                        on_change.run(());
                                    }
                                >
                                    "×"
                                </button>
                            </div>
                            <p class="field-error" id=error_id>{problem}</p>
                        </li>
                    }
                }
            />
        </ul>
        <button
            type="button"
            class="secondary"
            id="audience-triggers-add"
            on:click=move |_| {
                rows.update(|r| r.push(TriggerRow::new()));
                on_change.run(());
            }
        >
            "Add a trigger"
        </button>
    }
}
