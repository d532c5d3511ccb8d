//! `ConditionRow`: one condition of a rule: what is tested (`lead.<field>` or
//! `answer.<card id>`, with suggestions), the test, and what it compares with (a text, a
//! number, or values one per line), each problem under its input.

use super::draft::{ConditionDraft, Field, Op, Operand};
use super::editor::{Editor, focus_soon};
use leptos::prelude::*;

/// The id of the `<datalist>` of fields conditions suggest.
pub const FIELDS_LIST: &str = "routing-fields";

/// One condition.
#[component]
pub fn ConditionRow(
    /// The editor the condition belongs to.
    editor: Editor,
    /// The rule's key.
    rule: u32,
    /// The condition's key.
    key: u32,
    /// The rule's "Add condition" button, which takes focus when the condition goes.
    add_id: String,
) -> impl IntoView {
    let field = Field::Tested(rule, key);
    let value_field = Field::Compared(rule, key);
    let read = move |pick: fn(&ConditionDraft) -> String| {
        editor.draft.with(|d| d.rule(rule).and_then(|r| r.conditions.iter().find(|c| c.key == key)).map(pick))
    };
    let op = Memo::new(move |_| {
        editor
            .draft
            .with(|d| d.rule(rule).and_then(|r| r.conditions.iter().find(|c| c.key == key)).map(|c| c.op))
            .unwrap_or(Op::Equals)
    });
    let operand = Memo::new(move |_| op.get().operand());
    let write = move |which: Field, change: Box<dyn FnOnce(&mut ConditionDraft)>| {
        editor.edit(which, |d| {
            if let Some(c) = d.rule_mut(rule).and_then(|r| r.condition_mut(key)) {
                change(c);
            }
        });
    };
    // "Condition 2": the position follows the rows around it.
    let name = move || {
        let position = editor
            .draft
            .with(|d| d.rule(rule).and_then(|r| r.conditions.iter().position(|c| c.key == key)))
            .map_or(1, |p| p + 1);
        format!("Condition {position}")
    };
    let remove = move |_| {
        editor.edit(field, |d| d.remove_condition(rule, key));
        editor.errors.update(|e| {
            e.remove(&value_field);
        });
        focus_soon(add_id.clone());
    };
    let field_id = Editor::field_id(field);
    let op_id = format!("rule-{rule}-condition-{key}-op");
    let value_id = Editor::field_id(value_field);
    let value_input = move || {
        let value_id = value_id.clone();
        let described = Editor::error_id(value_field);
        let current = move || read(|c| c.value.clone()).unwrap_or_default();
        let on_input = move |ev| {
            let text = event_target_value(&ev);
            write(value_field, Box::new(move |c| c.value = text));
        };
        match operand.get() {
            Operand::None => ().into_any(),
            Operand::Text => view! {
                <div class="field value">
                    <label for=value_id.clone()>"Value"</label>
                    <input
                        type="text"
                        id=value_id
                        autocomplete="off"
                        aria-describedby=described
                        aria-invalid=move || editor.invalid(value_field)
                        prop:value=current
                        on:input=on_input
                    />
                </div>
            }
            .into_any(),
            Operand::Number => view! {
                <div class="field value">
                    <label for=value_id.clone()>"Number"</label>
                    <input
                        type="text"
                        inputmode="decimal"
                        id=value_id
                        autocomplete="off"
                        placeholder="500"
                        aria-describedby=described
                        aria-invalid=move || editor.invalid(value_field)
                        prop:value=current
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
                        aria-describedby=described
                        aria-invalid=move || editor.invalid(value_field)
                        prop:value=current
                        on:input=on_input
                    ></textarea>
                </div>
            }
            .into_any(),
        }
    };
    view! {
        <li class="condition" class:invalid=move || editor.invalid(field).is_some() || editor.invalid(value_field).is_some()>
            <div class="condition-grid" role="group" aria-label=name>
                <div class="field">
                    <label for=field_id.clone()>"Field"</label>
                    <input
                        type="text"
                        id=field_id
                        list=FIELDS_LIST
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="lead.country"
                        aria-describedby=Editor::error_id(field)
                        aria-invalid=move || editor.invalid(field)
                        prop:value=move || read(|c| c.field.clone()).unwrap_or_default()
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            write(field, Box::new(move |c| c.field = text));
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
                            write(value_field, Box::new(move |c| c.op = next));
                        }
                    >
                        {Op::ALL.map(|o| view! { <option value=o.slug()>{o.label()}</option> }).collect_view()}
                    </select>
                </div>
                {value_input}
                <button type="button" class="icon remove" aria-label=move || format!("Remove {}", name().to_lowercase()) on:click=remove>
                    "×"
                </button>
            </div>
            <p class="field-error" id=Editor::error_id(field)>{move || editor.error(field)}</p>
            <p class="field-error" id=Editor::error_id(value_field)>{move || editor.error(value_field)}</p>
        </li>
    }
}
