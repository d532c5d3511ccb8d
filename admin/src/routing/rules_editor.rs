//! `RulesEditor`: the routing configuration: custom rules in priority order, the default pool,
//! the fallback, credit back and reset, saved together with one `PUT routing/config`. Every
//! problem is shown next to its field (opening the rule it is in) and focus moves to the first;
//! the edge's refusal is shown by Save.
//!
//! While the admin has changed nothing, the draft follows the configuration as stored; once
//! changed, it is kept until saved or discarded. A saved draft is rebuilt from what the edge
//! stored and is clean again at once.

use super::condition_row::FIELDS_LIST;
use super::draft::{ConfigDraft, Errors, Field, Problems, suggested_fields};
use super::editor::{Editor, focus_soon};
use super::format::count;
use super::pool_settings::PoolSettings;
use super::rule_card::{ADD_RULE_ID, RuleCard};
use crate::api;
use confab_domain::api::AgentRef;
use confab_domain::routing::RoutingConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeSet;

/// The rules card.
#[component]
pub fn RulesEditor(
    /// The site's agents, once read.
    agents: Memo<Option<Vec<AgentRef>>>,
    /// The configuration as stored, shared with the other cards; this card reads and saves it.
    saved_config: RwSignal<Option<RoutingConfig>>,
    /// Called once a configuration was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let load_error = RwSignal::new(None::<String>);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::routing_config().await {
                Ok(settings) => {
                    let _ = saved_config.try_set(Some(settings.config));
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e.message));
                }
            }
        });
    };
    load();

    let agent_list = Signal::derive(move || agents.get().unwrap_or_default());
    let stored = Memo::new(move |_| saved_config.with(|c| c.as_ref().map(ConfigDraft::from_config)));
    let editor = Editor::new(ConfigDraft::from_config(&RoutingConfig::default()), agent_list);
    let busy = RwSignal::new(false);
    // Follow the stored configuration while the admin has changed nothing.
    Effect::new(move |previous: Option<Option<ConfigDraft>>| {
        let next = stored.get();
        let untouched = match previous.flatten() {
            None => true,
            Some(previous) => editor.draft.with_untracked(|d| *d == previous),
        };
        if untouched && let Some(next) = &next {
            editor.draft.set(next.clone());
            editor.open.set(BTreeSet::new());
        }
        next
    });
    let ready = Memo::new(move |_| stored.with(Option::is_some) && agents.with(Option::is_some));
    let dirty = Memo::new(move |_| stored.with(|s| s.as_ref().is_some_and(|s| editor.draft.with(|d| d != s))));
    let keys = move || editor.draft.with(|d| d.rules.iter().map(|r| r.key).collect::<Vec<_>>());
    let no_rules = move || editor.draft.with(|d| d.rules.is_empty());
    let everyone = move || match editor.draft.with(|d| d.pool) {
        super::draft::Pool::All => "the round robin of all agents",
        super::draft::Pool::Chosen => "the round robin of the default pool below",
    };

    let show_problems = move |problems: Problems| {
        let first = problems.first().map(|(f, _)| *f);
        let rules: Vec<u32> = problems.iter().filter_map(|(f, _)| f.rule()).collect();
        let mut errors = Errors::new();
        for (field, message) in problems {
            errors.entry(field).or_insert(message);
        }
        if editor.errors.try_set(errors).is_none() {
            let _ = editor.open.try_update(|o| o.extend(rules));
            if let Some(field) = first {
                focus_soon(Editor::field_id(field));
            }
        }
    };
    let add = move |_| {
        let mut key = 0;
        editor.edit(Field::Form, |d| key = d.add_rule());
        editor.set_open(key, true);
        focus_soon(Editor::field_id(Field::RuleName(key)));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        editor.status.set(String::new());
        let submitted = editor.draft.get_untracked();
        let config = match submitted.config(&agent_list.get_untracked()) {
            Ok(config) => config,
            Err(problems) => return show_problems(problems),
        };
        editor.errors.set(Errors::new());
        busy.set(true);
        spawn_local(async move {
            match api::save_routing_config(&config).await {
                Ok(saved) => {
                    // Edits made while saving are kept.
                    if editor.draft.try_with_untracked(|d| *d == submitted) == Some(true) {
                        let _ = editor.draft.try_set(ConfigDraft::from_config(&saved).with_keys_of(&submitted));
                    }
                    let rules = saved.rules.len() as u64;
                    let _ = saved_config.try_set(Some(saved));
                    let _ = editor.status.try_set(format!(
                        "Saved. New bookings follow {} from now on.",
                        match rules {
                            0 => "the default pool".to_owned(),
                            n => format!("these {} and the default pool", count(n, "rule", "rules")),
                        }
                    ));
                    let _ = on_saved.try_run(());
                }
                Err(e) => show_problems(vec![(Field::Form, format!("Not saved: {}", e.message))]),
            }
            let _ = busy.try_set(false);
        });
    };
    let discard = move |_| {
        if let Some(stored) = stored.get_untracked() {
            editor.draft.set(stored);
        }
        editor.errors.set(Errors::new());
        editor.open.set(BTreeSet::new());
        editor.status.set("Changes discarded.".into());
    };
    // The sentence by Save: how many problems there are, and the edge's refusal.
    let problems = move || {
        editor.errors.with(|e| {
            let form = e.get(&Field::Form).cloned();
            let others = e.keys().filter(|f| **f != Field::Form).count() as u64;
            match (others, form) {
                (0, form) => form.unwrap_or_default(),
                (n, form) => {
                    let fix = format!("Fix the {} marked above before saving.", count(n, "problem", "problems"));
                    form.map_or(fix.clone(), |f| format!("{f} {fix}"))
                }
            }
        })
    };

    view! {
        <section class="card rules-card" aria-labelledby="rules-title">
            <div class="card-head">
                <h2 id="rules-title">"Rules"</h2>
                <div class="tools">
                    <button type="button" class="secondary" id=ADD_RULE_ID on:click=add disabled=move || !ready.get()>
                        "Add rule"
                    </button>
                </div>
            </div>
            <p class="muted">
                "Rules are tried from the top. The first rule whose conditions the visitor meets sends them to its agents, "
                "by round robin among them; if none of them is free, the next matching rule is tried. Account routes "
                "(below) come before every rule."
            </p>
            {move || match (stored.with(Option::is_some), load_error.get()) {
                (false, Some(message)) => view! {
                    <div class="notice error" role="alert">
                        <p>"The routing rules could not be read: "{message}</p>
                        <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                    </div>
                }
                .into_any(),
                (false, None) => view! { <p class="muted" role="status">"Loading the routing rules…"</p> }.into_any(),
                (true, _) if agents.with(Option::is_none) => view! {
                    <p class="muted" role="status">"Waiting for the list of agents (see Round robin above)…"</p>
                }
                .into_any(),
                (true, _) => ().into_any(),
            }}
            <Show when=move || ready.get()>
                <form class="rules-form" novalidate on:submit=save>
                    <Show when=no_rules>
                        <p class="empty">
                            {move || format!(
                                "No rules yet: every visitor goes to {}. Add a rule to send some visitors to specific agents.",
                                everyone()
                            )}
                        </p>
                    </Show>
                    <ol class="rule-list" id="routing-rules-list" aria-label="Rules, tried from the top">
                        <For each=keys key=|k| *k children=move |key| view! { <RuleCard editor=editor key=key/> }/>
                    </ol>
                    <PoolSettings editor=editor/>
                    <div class="editor-bar">
                        <button
                            type="submit"
                            class="primary"
                            id=Editor::field_id(Field::Form)
                            aria-describedby=Editor::error_id(Field::Form)
                            disabled=move || busy.get() || !dirty.get()
                        >
                            {move || if busy.get() { "Saving…" } else { "Save rules" }}
                        </button>
                        <button type="button" class="secondary" on:click=discard disabled=move || busy.get() || !dirty.get()>
                            "Discard changes"
                        </button>
                        <span class="unsaved">{move || dirty.get().then_some("Unsaved changes")}</span>
                    </div>
                    <p class="error" role="alert" id=Editor::error_id(Field::Form)>{problems}</p>
                </form>
            </Show>
            <p class="notice ok" role="status">{move || editor.status.get()}</p>
            <datalist id=FIELDS_LIST>
                {move || stored.with(|s| s.as_ref().map(suggested_fields).unwrap_or_default()).into_iter().map(|f| view! { <option value=f></option> }).collect_view()}
            </datalist>
        </section>
    }
}
