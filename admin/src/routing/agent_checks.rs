//! `AgentChecks`: a checkbox per agent of the site, for a rule's agents or the default pool.
//! An agent still ticked who is no longer on the site is listed too, marked, so the admin can
//! untick them.

use super::draft::Field;
use super::editor::Editor;
use confab_domain::ids::AgentId;
use leptos::prelude::*;

/// The agents of a rule (`rule` is its key) or of the default pool (`None`).
#[component]
pub fn AgentChecks(
    /// The editor the choice belongs to.
    editor: Editor,
    /// The rule, or `None` for the default pool.
    rule: Option<u32>,
    /// Where problems with the choice are shown.
    field: Field,
    /// The group's name.
    legend: &'static str,
    /// What the choice means.
    hint: &'static str,
) -> impl IntoView {
    let chosen = move || {
        editor.draft.with(|d| match rule {
            Some(key) => d.rule(key).map(|r| r.agents.clone()).unwrap_or_default(),
            None => d.pool_agents.clone(),
        })
    };
    // The boxes: the site's agents, then agents ticked who are no longer on it. Only a change
    // of that list redraws them, so ticking one keeps its focus.
    let boxes = Memo::new(move |_| {
        let agents = editor.agents.get();
        let mut boxes: Vec<(AgentId, String, bool)> =
            agents.iter().map(|a| (a.id.clone(), a.name.clone(), true)).collect();
        for id in chosen() {
            if !agents.iter().any(|a| a.id == id) {
                boxes.push((id.clone(), id.to_string(), false));
            }
        }
        boxes
    });
    let first_id = Editor::field_id(field);
    let hint_id = format!("{first_id}-hint");
    let described = format!("{hint_id} {}", Editor::error_id(field));
    let set = move |id: AgentId, on: bool| {
        let agents = editor.agents.get_untracked();
        editor.edit(field, |d| d.set_agent(rule, &id, on, &agents));
    };
    view! {
        <fieldset
            class="agent-checks"
            class:invalid=move || editor.invalid(field).is_some()
            aria-describedby=described
        >
            <legend>{legend}</legend>
            <div class="checks">
                {move || {
                    let list = boxes.get();
                    if list.is_empty() {
                        return view! { <p class="muted">"The site has no active agents yet."</p> }.into_any();
                    }
                    list.into_iter().enumerate().map(|(at, (id, name, known))| {
                        let checked = {
                            let id = id.clone();
                            move || chosen().contains(&id)
                        };
                        let first = (at == 0).then(|| first_id.clone());
                        view! {
                            <label class="inline" class:gone=!known>
                                <input
                                    type="checkbox"
                                    id=first
                                    prop:checked=checked
                                    aria-invalid=move || editor.invalid(field)
                                    on:change=move |ev| set(id.clone(), event_target_checked(&ev))
                                />
                                {name}
                                {(!known).then(|| view! { <span class="tag">"not on this site"</span> })}
                            </label>
                        }
                    }).collect_view().into_any()
                }}
            </div>
            <p class="hint" id=hint_id>{hint}</p>
            <p class="field-error" id=Editor::error_id(field)>{move || editor.error(field)}</p>
        </fieldset>
    }
}
