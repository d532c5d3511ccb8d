//! `AvailabilityEditor`: the "Working hours & rules" disclosure of an agent: time zone,
//! weekly hours, date overrides, booking rules and weight, saved together with one `PATCH`.
//! Every problem is shown next to its field and focus moves to the first; the edge's refusal
//! (an unknown time zone, say) is placed the same way.
//!
//! While the admin has not changed anything, the draft follows the agent as the panel reloads
//! it; once changed, it is kept until saved or discarded, even with the disclosure closed.
//! The edge stores what was sent, so a saved draft is rebuilt from what was sent and is clean
//! again at once.

use super::date_overrides::DateOverrides;
use super::draft::{Draft, Errors, Field, length_options, server_field};
use super::editor::{Editor, focus_soon};
use super::format::{count, sentence, week_summary};
use super::rules_fields::RulesFields;
use super::text_field::TextField;
use super::weekly_hours::WeeklyHours;
use crate::api::{self, AgentCalendar};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The id of the panel's `<datalist>` of time zones.
pub const TIME_ZONES_LIST: &str = "calendar-time-zones";

/// One agent's working hours and rules.
#[component]
pub fn AvailabilityEditor(
    /// The agent as last read.
    agent: Memo<AgentCalendar>,
    /// Prefix of this agent's element ids.
    prefix: String,
    /// Called once a change was saved.
    on_saved: Callback<()>,
) -> impl IntoView {
    let stored = Memo::new(move |_| agent.with(Draft::from_agent));
    let editor = Editor::new(stored.get_untracked(), format!("{prefix}-hours"));
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    // Follow the agent as reloaded while the admin has changed nothing.
    Effect::new(move |previous: Option<Draft>| {
        let next = stored.get();
        if let Some(previous) = previous
            && editor.draft.with_untracked(|d| *d == previous)
        {
            editor.draft.set(next.clone());
        }
        next
    });
    let dirty = Memo::new(move |_| stored.with(|s| editor.draft.with(|d| d != s)));
    let lengths = Signal::derive(move || agent.with(|a| length_options(&a.rules.durations)));
    let name = move || agent.with(|a| a.agent.name.clone());
    let form_id = editor.id("form");
    let toggle = move |_| open.update(|o| *o = !*o);

    let show_problems = move |errors: Errors| {
        let first = errors.keys().next().copied();
        if editor.errors.try_set(errors).is_none()
            && let Some(field) = first
        {
            focus_soon(editor.field_id(field));
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        editor.status.set(String::new());
        let original = agent.get_untracked();
        let submitted = editor.draft.get_untracked();
        let patch = match submitted.patch(&original) {
            Ok(patch) => patch,
            Err(errors) => return show_problems(errors),
        };
        editor.errors.set(Errors::new());
        if patch.is_empty() {
            // Only the order of blocks or dates changed: nothing the edge would store differently.
            editor.draft.set(stored.get_untracked());
            editor.status.set("Nothing to save: the hours and rules are as stored.".into());
            return;
        }
        // The agent as the edge will store it, so the draft is clean once saved.
        let mut saved = original.clone();
        if let Some(schedule) = &patch.schedule {
            saved.time_zone = schedule.time_zone.clone();
            saved.schedule = schedule.clone();
        }
        if let Some(rules) = &patch.rules {
            saved.rules = rules.clone();
        }
        if let Some(weight) = patch.weight_percent {
            saved.weight_percent = weight;
        }
        busy.set(true);
        spawn_local(async move {
            match api::update_agent(original.agent.id.clone(), patch).await {
                Ok(()) => {
                    // Edits typed while saving are kept.
                    if editor.draft.try_with_untracked(|d| *d == submitted) == Some(true) {
                        let _ = editor.draft.try_set(Draft::from_agent(&saved));
                    }
                    let _ = editor.status.try_set(format!(
                        "Saved. {} is offered to visitors by these hours and rules from now on.",
                        original.agent.name
                    ));
                    let _ = on_saved.try_run(());
                }
                Err(e) => {
                    let field = server_field(&e.code, &e.message);
                    let message = if e.status == 0 || field == Field::Form {
                        format!("Not saved: {}", sentence(&e.message))
                    } else {
                        sentence(&e.message)
                    };
                    show_problems(Errors::from([(field, message)]));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let discard = move |_| {
        editor.draft.set(stored.get_untracked());
        editor.errors.set(Errors::new());
        editor.status.set("Changes discarded.".into());
    };
    // The sentence by Save: how many problems there are, and the edge's refusal that belongs
    // to no one field.
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
        <div class="editor-bar">
            <button
                type="button"
                class="secondary disclosure"
                aria-expanded=move || open.get().to_string()
                aria-controls=form_id.clone()
                on:click=toggle
            >
                "Working hours & rules"<span class="visually-hidden">{move || format!(" for {}", name())}</span>
            </button>
            <span class="muted summary">{move || agent.with(|a| week_summary(&a.schedule))}</span>
            <span class="unsaved">{move || dirty.get().then_some("Unsaved changes")}</span>
        </div>
        <Show when=move || open.get()>
            <form class="editor" id=form_id.clone() novalidate on:submit=save>
                <TextField
                    editor=editor
                    field=Field::TimeZone
                    label="Time zone"
                    hint="The IANA name of the agent's zone, such as America/New_York or Europe/Paris. Hours and dates below are in it."
                    inputmode="text"
                    list=TIME_ZONES_LIST
                    class="wide"
                    get=|d: &Draft| d.time_zone.clone()
                    set=|d: &mut Draft, t| d.time_zone = t
                />
                <WeeklyHours editor=editor/>
                <DateOverrides editor=editor/>
                <RulesFields editor=editor lengths=lengths/>
                <div class="actions">
                    <button
                        type="submit"
                        class="primary"
                        id=editor.field_id(Field::Form)
                        aria-describedby=editor.error_id(Field::Form)
                        disabled=move || busy.get() || !dirty.get()
                    >
                        {move || if busy.get() { "Saving…" } else { "Save" }}
                    </button>
                    <button type="button" class="secondary" on:click=discard disabled=move || busy.get() || !dirty.get()>
                        "Discard changes"
                    </button>
                </div>
                <p class="error" role="alert" id=editor.error_id(Field::Form)>{problems}</p>
            </form>
        </Show>
        <p class="notice ok" role="status">{move || editor.status.get()}</p>
    }
}
