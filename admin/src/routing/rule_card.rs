//! `RuleCard`: one rule in the list: its priority, name, who it applies to and its agents,
//! with buttons to move it up or down (priorities are renumbered 1, 2, …), edit it in place,
//! or delete it after confirmation.

use super::confirm::Confirm;
use super::draft::{Field, RuleDraft};
use super::editor::{Editor, focus_soon};
use super::format::name_of;
use super::rule_form::RuleForm;
use leptos::prelude::*;

/// The id of the rules card's "Add rule" button.
pub const ADD_RULE_ID: &str = "routing-add-rule";

/// One rule.
#[component]
pub fn RuleCard(
    /// The editor the rule belongs to.
    editor: Editor,
    /// The rule's key.
    key: u32,
) -> impl IntoView {
    let rule = Memo::new(move |_| editor.draft.with(|d| d.rule(key).cloned()));
    let place = Memo::new(move |_| editor.draft.with(|d| d.rules.iter().position(|r| r.key == key)).unwrap_or(0));
    let last = Memo::new(move |_| editor.draft.with(|d| d.rules.len().saturating_sub(1)));
    let name = Signal::derive(move || {
        rule.with(|r| r.as_ref().map(|r| r.name.trim().to_owned()).filter(|n| !n.is_empty()))
            .unwrap_or_else(|| "New rule".to_owned())
    });
    let audience = move || rule.with(|r| r.as_ref().map(RuleDraft::audience)).unwrap_or_default();
    let agents = move || {
        let all = editor.agents.get();
        rule.with(|r| {
            let names: Vec<String> =
                r.as_ref().map(|r| r.agents.iter().map(|a| name_of(&all, a)).collect()).unwrap_or_default();
            if names.is_empty() { "No agents chosen yet".to_owned() } else { names.join(", ") }
        })
    };
    let at_end = move || place.get() >= last.get();
    let invalid = move || editor.errors.with(|e| e.keys().any(|f| f.rule() == Some(key)));
    let open = move || editor.is_open(key);
    let confirming = RwSignal::new(false);
    let ids = |what: &str| format!("rule-{key}-{what}");
    let (up_id, down_id, edit_id, delete_id) = (ids("up"), ids("down"), ids("edit"), ids("delete"));
    let title_id = ids("title");

    let shift = {
        let (up_id, down_id) = (up_id.clone(), down_id.clone());
        move |up: bool| {
            editor.edit(Field::Form, |d| {
                d.move_rule(key, up);
            });
            let at = place.get_untracked();
            editor.status.set(format!("{} is now priority {}. Save to apply.", name.get_untracked(), at + 1));
            // Focus stays on the button pressed, or the other one once the rule reaches an end.
            let target = match (up, at == 0, at == last.get_untracked()) {
                (true, true, _) => down_id.clone(),
                (false, _, true) => up_id.clone(),
                (true, _, _) => up_id.clone(),
                (false, _, _) => down_id.clone(),
            };
            focus_soon(target);
        }
    };
    let shift_up = shift.clone();
    let toggle = {
        let name_id = Editor::field_id(Field::RuleName(key));
        move |_| {
            let now_open = !editor.is_open(key);
            editor.set_open(key, now_open);
            if now_open {
                focus_soon(name_id.clone());
            }
        }
    };
    let done = {
        let edit_id = edit_id.clone();
        Callback::new(move |()| {
            editor.set_open(key, false);
            focus_soon(edit_id.clone());
        })
    };
    let cancel_delete = {
        let delete_id = delete_id.clone();
        Callback::new(move |()| {
            confirming.set(false);
            focus_soon(delete_id.clone());
        })
    };
    let delete = Callback::new(move |()| {
        confirming.set(false);
        let gone = name.get_untracked();
        // Focus goes to the next rule's Edit button, or the previous one's, or "Add rule".
        let neighbour = editor.draft.with_untracked(|d| {
            let at = d.rules.iter().position(|r| r.key == key)?;
            d.rules.get(at + 1).or_else(|| at.checked_sub(1).and_then(|p| d.rules.get(p))).map(|r| r.key)
        });
        editor.edit(Field::Form, |d| d.remove_rule(key));
        editor.errors.update(|e| e.retain(|f, _| f.rule() != Some(key)));
        editor.set_open(key, false);
        editor
            .status
            .set(format!("Rule \u{201c}{gone}\u{201d} deleted. Save to apply, or discard the changes to keep it."));
        focus_soon(neighbour.map_or_else(|| ADD_RULE_ID.to_owned(), |k| format!("rule-{k}-edit")));
    });

    view! {
        <li class="rule" class:open=open class:invalid=invalid data-rule=move || rule.with(|r| r.as_ref().map(|r| r.id.clone()))>
            <div class="rule-head">
                <span class="priority" aria-hidden="true">{move || place.get() + 1}</span>
                <div class="rule-summary">
                    <h3 id=title_id.clone()>
                        <span class="visually-hidden">{move || format!("Priority {}: ", place.get() + 1)}</span>
                        {move || name.get()}
                    </h3>
                    <p class="audience">{audience}</p>
                    <p class="to"><span aria-hidden="true">"→ "</span><span class="visually-hidden">"Agents: "</span>{agents}</p>
                    <Show when=invalid>
                        <p class="field-error">"This rule has problems to fix."</p>
                    </Show>
                </div>
                <div class="rule-actions">
                    <button
                        type="button"
                        class="icon"
                        id=up_id
                        aria-label=move || format!("Move {} up", name.get())
                        disabled=move || place.get() == 0
                        on:click=move |_| shift_up(true)
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="icon"
                        id=down_id
                        aria-label=move || format!("Move {} down", name.get())
                        disabled=at_end
                        on:click=move |_| shift(false)
                    >
                        "↓"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        id=edit_id
                        aria-expanded=move || open().to_string()
                        aria-controls=format!("rule-{key}-form")
                        on:click=toggle
                    >
                        {move || if open() { "Close" } else { "Edit" }}
                        <span class="visually-hidden">{move || format!(" {}", name.get())}</span>
                    </button>
                    <button
                        type="button"
                        class="secondary danger"
                        id=delete_id
                        aria-expanded=move || confirming.get().to_string()
                        on:click=move |_| confirming.set(true)
                    >
                        "Delete…"<span class="visually-hidden">{move || format!(" {}", name.get())}</span>
                    </button>
                </div>
            </div>
            <Show when=move || confirming.get()>
                <Confirm
                    question=Signal::derive(move || format!(
                        "Delete rule \u{201c}{}\u{201d}? Its visitors go to the next matching rule or the default pool once you save.",
                        name.get()
                    ))
                    confirm_label="Delete rule"
                    on_confirm=delete
                    on_cancel=cancel_delete
                    id=format!("rule-{key}-delete-question")
                />
            </Show>
            <Show when=open>
                <RuleForm editor=editor key=key on_done=done/>
            </Show>
        </li>
    }
}
