//! `RuleForm`: one rule opened for editing: its name, whether all or any of its conditions
//! must hold, the conditions, and the agents who take its visitors.

use super::agent_checks::AgentChecks;
use super::condition_row::ConditionRow;
use super::draft::Field;
use super::editor::{Editor, focus_soon};
use confab_domain::targeting::Mode;
use leptos::prelude::*;

/// The form of rule `key`.
#[component]
pub fn RuleForm(
    /// The editor the rule belongs to.
    editor: Editor,
    /// The rule's key.
    key: u32,
    /// Called by "Done" (the caller closes the form and puts focus back).
    on_done: Callback<()>,
) -> impl IntoView {
    let name_field = Field::RuleName(key);
    let name_id = Editor::field_id(name_field);
    let add_id = format!("rule-{key}-add-condition");
    let mode_name = format!("rule-{key}-mode");
    let read = move |pick: fn(&super::draft::RuleDraft) -> String| {
        editor.draft.with(|d| d.rule(key).map(pick)).unwrap_or_default()
    };
    let mode = move || editor.draft.with(|d| d.rule(key).map(|r| r.mode)).unwrap_or_default();
    let set_mode = move |next: Mode| {
        editor.edit(Field::Form, |d| {
            if let Some(r) = d.rule_mut(key) {
                r.mode = next;
            }
        });
    };
    let keys = move || {
        editor
            .draft
            .with(|d| d.rule(key).map(|r| r.conditions.iter().map(|c| c.key).collect::<Vec<_>>()))
            .unwrap_or_default()
    };
    let no_conditions =
        move || editor.draft.with(|d| d.rule(key).is_some_and(|r| r.conditions.is_empty() && r.groups.is_empty()));
    let groups = move || editor.draft.with(|d| d.rule(key).map_or(0, |r| r.groups.len()));
    let stored_id = move || read(|r| r.id.clone());
    let add = move |_| {
        let mut added = None;
        editor.edit(Field::Form, |d| added = d.add_condition(key));
        if let Some(condition) = added {
            focus_soon(Editor::field_id(Field::Tested(key, condition)));
        }
    };
    let focus_add = add_id.clone();
    view! {
        <div class="rule-form" id=format!("rule-{key}-form")>
            <div class="field wide">
                <label for=name_id.clone()>"Name"</label>
                <input
                    type="text"
                    id=name_id.clone()
                    autocomplete="off"
                    maxlength="100"
                    placeholder="Enterprise"
                    aria-describedby=format!("{name_id}-hint {}", Editor::error_id(name_field))
                    aria-invalid=move || editor.invalid(name_field)
                    prop:value=move || read(|r| r.name.clone())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        editor.edit(name_field, |d| {
                            if let Some(r) = d.rule_mut(key) {
                                r.name = text;
                            }
                        });
                    }
                />
                <p class="hint" id=format!("{name_id}-hint")>
                    "Explanations of routed meetings name the rule."
                    {move || {
                        let id = stored_id();
                        (!id.is_empty()).then(|| view! { " Its id, "<code>{id}</code>", stays the same when renamed." })
                    }}
                </p>
                <p class="field-error" id=Editor::error_id(name_field)>{move || editor.error(name_field)}</p>
            </div>
            <fieldset class="conditions">
                <legend>"Visitors it applies to"</legend>
                <div class="mode" role="radiogroup" aria-label="How the conditions combine">
                    <label class="inline">
                        <input type="radio" name=mode_name.clone() prop:checked=move || mode() == Mode::All on:change=move |_| set_mode(Mode::All)/>
                        "All conditions hold"
                    </label>
                    <label class="inline">
                        <input type="radio" name=mode_name prop:checked=move || mode() == Mode::Any on:change=move |_| set_mode(Mode::Any)/>
                        "Any condition holds"
                    </label>
                </div>
                <ul class="condition-list">
                    <For
                        each=keys
                        key=|k| *k
                        children=move |condition| {
                            let focus_add = focus_add.clone();
                            view! { <ConditionRow editor=editor rule=key key=condition add_id=focus_add/> }
                        }
                    />
                </ul>
                <Show when=no_conditions>
                    <p class="empty">"No conditions: this rule takes every visitor, so rules after it are never tried."</p>
                </Show>
                <Show when=move || { groups() > 0 }>
                    <p class="hint">
                        {move || format!(
                            "This rule also has {} of conditions made elsewhere; they are kept as they are.",
                            if groups() == 1 { "a nested group".to_owned() } else { format!("{} nested groups", groups()) }
                        )}
                    </p>
                </Show>
                <button type="button" class="link" id=add_id on:click=add>"Add condition"</button>
                <p class="hint">
                    "Test the lead stored for the visitor's email ("<code>"lead.country"</code>", "<code>"lead.company"</code>
                    ", …) or their answers in the chat ("<code>"answer.<card id>"</code>"). Values are compared ignoring "
                    "case; an unknown value only meets “is empty or unknown”."
                </p>
            </fieldset>
            <AgentChecks
                editor=editor
                rule=Some(key)
                field=Field::RuleAgents(key)
                legend="Agents who take these visitors"
                hint="By round robin among them. If none of them is free, the next matching rule is tried, then the default pool."
            />
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| on_done.run(())>"Done"</button>
            </div>
        </div>
    }
}
