//! `ConditionList`: rows of conditions, each a field, a test and what it compares with (a text,
//! a number, or values one per line), with the row's problem under it; rows can be added and
//! removed. The dialogue audience uses it for lead attributes and query parameters.

use crate::conditions::{ConditionDraft, Op, Operand};
use crate::team::browser::focus_soon;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// An editable list of conditions (`#{id}`).
#[component]
pub fn ConditionList(
    /// The list's id; rows and their inputs use it as a prefix.
    id: &'static str,
    /// The rows.
    rows: RwSignal<Vec<ConditionDraft>>,
    /// The field input's label ("Lead field", "Parameter").
    field_label: &'static str,
    /// The field input's example.
    field_placeholder: &'static str,
    /// The id of a `<datalist>` of fields to suggest, if any.
    #[prop(optional)]
    suggestions: Option<&'static str>,
    /// Each unfinished row's problem, by row key.
    #[prop(into)]
    problems: Signal<BTreeMap<u32, String>>,
    /// The add button's text.
    add_label: &'static str,
    /// Called after every change.
    on_change: Callback<()>,
) -> impl IntoView {
    let change = move |key: u32, edit: Box<dyn FnOnce(&mut ConditionDraft)>| {
        rows.update(|r| {
            if let Some(row) = r.iter_mut().find(|row| row.key == key) {
                edit(row);
            }
        });
        on_change.run(());
    };
    let add_id = format!("{id}-add");
    let focus_add = add_id.clone();
    let add = move |_| {
        let row = ConditionDraft::new();
        let field_id = format!("{id}-{}-field", row.key);
        rows.update(|r| r.push(row));
        on_change.run(());
        focus_soon(field_id);
    };
    let row_view = move |row: ConditionDraft| {
        let key = row.key;
        let read = move |pick: fn(&ConditionDraft) -> String| {
            rows.with(|r| r.iter().find(|c| c.key == key).map(pick)).unwrap_or_default()
        };
        let op = Memo::new(move |_| rows.with(|r| r.iter().find(|c| c.key == key).map(|c| c.op)).unwrap_or(Op::Equals));
        let position = move || rows.with(|r| r.iter().position(|c| c.key == key)).map_or(1, |p| p + 1);
        let problem = move || problems.with(|p| p.get(&key).cloned()).unwrap_or_default();
        let (field_id, op_id, value_id, error_id) = (
            format!("{id}-{key}-field"),
            format!("{id}-{key}-op"),
            format!("{id}-{key}-value"),
            format!("{id}-{key}-error"),
        );
        let focus_add = focus_add.clone();
        let value_input = {
            let (value_id, error_id) = (value_id.clone(), error_id.clone());
            move || {
                let on_input = move |ev| {
                    let text = event_target_value(&ev);
                    change(key, Box::new(move |c| c.value = text));
                };
                let (value_id, error_id) = (value_id.clone(), error_id.clone());
                let invalid = move || (!problem().is_empty()).then_some("true");
                match op.get().operand() {
                    Operand::None => ().into_any(),
                    Operand::Text | Operand::Number => view! {
                        <div class="field value">
                            <label for=value_id.clone()>
                                {if op.get().operand() == Operand::Number { "Number" } else { "Value" }}
                            </label>
                            <input
                                type="text"
                                id=value_id
                                autocomplete="off"
                                inputmode=if op.get().operand() == Operand::Number { "decimal" } else { "text" }
                                aria-describedby=error_id
                                aria-invalid=invalid
                                prop:value=move || read(|c| c.value.clone())
                                on:input=on_input
                            />
                        </div>
                    }
                    .into_any(),
                    Operand::List => view! {
                        <div class="field value">
                            <label for=value_id.clone()>"Values, one per line"</label>
                            <textarea
                                id=value_id
                                rows="3"
                                aria-describedby=error_id
                                aria-invalid=invalid
                                prop:value=move || read(|c| c.value.clone())
                                on:input=on_input
                            ></textarea>
                        </div>
                    }
                    .into_any(),
                }
            }
        };
        view! {
            <li class="condition" class:invalid=move || !problem().is_empty() data-key=key>
                <div class="condition-grid" role="group" aria-label=move || format!("Condition {}", position())>
                    <div class="field">
                        <label for=field_id.clone()>{field_label}</label>
                        <input
                            type="text"
                            id=field_id
                            list=suggestions
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=field_placeholder
                            aria-describedby=error_id.clone()
                            prop:value=move || read(|c| c.field.clone())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                change(key, Box::new(move |c| c.field = text));
                            }
                        />
                    </div>
                    <div class="field">
                        <label for=op_id.clone()>"Test"</label>
                        <select
                            id=op_id
                            prop:value=move || op.get().slug()
                            on:change=move |ev| {
                                let next = Op::from_slug(&event_target_value(&ev));
                                change(key, Box::new(move |c| c.op = next));
                            }
                        >
                            {Op::ALL.map(|o| view! { <option value=o.slug()>{o.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    {value_input}
                    <button
                        type="button"
                        class="icon remove"
                        aria-label=move || format!("Remove condition {}", position())
                        on:click=move |_| {
                            rows.update(|r| r.retain(|c| c.key != key));
                            on_change.run(());
                            focus_soon(focus_add.clone());
                        }
                    >
                        "×"
                    </button>
                </div>
                <p class="field-error" id=error_id>{problem}</p>
            </li>
        }
    };
    view! {
        <div class="condition-list" id=id>
            <ul class="conditions">
                <For each=move || rows.get() key=|row| row.key children=row_view />
            </ul>
            <button type="button" class="secondary" id=add_id on:click=add>{add_label}</button>
        </div>
    }
}
