//! `AudienceForm`: who a dialogue is for: known, anonymous or all visitors; first or returning
//! visits; pages to show on and not to show on, one pattern a line; the triggers, in the
//! loader's `time:10; scroll:50` grammar; conditions on lead attributes (all or any) and on the
//! page's query parameters, built row by row; referrers one per line; and the dates between
//! which it shows. An unfinished condition or a schedule ending before it starts holds saving
//! back, with the problem next to it. Nested attribute groups (from an import) are kept as they
//! are.

use super::audience_draft::{
    conditions, lead_field, query_parameter, referrer_conditions, referrer_text, schedule_problem,
};
use super::draft::lines;
use super::state::EditorState;
use super::trigger_list::TriggerList;
use super::trigger_rows::{TriggerRow, triggers};
use crate::condition_list::ConditionList;
use crate::conditions::ConditionDraft;
use confab_domain::targeting::{Audience, Mode, Visitors};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The id of the attribute conditions, also their key among the problems that block saving.
const ATTRIBUTES_ID: &str = "audience-attributes";
/// The id of the query parameter conditions, also their key among those problems.
const QUERY_ID: &str = "audience-query";
/// The key of a schedule problem among those problems.
const SCHEDULE_ID: &str = "audience-schedule";
/// Lead fields most Marketo instances have, suggested in the attribute conditions.
const LEAD_FIELDS: [&str; 14] = [
    "country",
    "state",
    "city",
    "company",
    "industry",
    "numberOfEmployees",
    "annualRevenue",
    "title",
    "leadScore",
    "leadStatus",
    "email",
    "firstName",
    "lastName",
    "website",
];

/// The id of the triggers field, also its key among the problems that block saving.
const TRIGGERS_ID: &str = "audience-triggers";

/// The audience part of the editor (`#audience`).
#[component]
pub fn AudienceForm(
    /// The editor's shared state (for counting edits and JSON problems).
    state: EditorState,
    /// The audience being edited.
    audience: RwSignal<Audience>,
) -> impl IntoView {
    let edit = move |change: Box<dyn FnOnce(&mut Audience)>| {
        audience.update(|a| change(a));
        state.touch();
    };
    let include = RwSignal::new(audience.with_untracked(|a| a.pages.include.join("\n")));
    let exclude = RwSignal::new(audience.with_untracked(|a| a.pages.exclude.join("\n")));
    let attribute_rows =
        RwSignal::new(audience.with_untracked(|a| {
            a.attributes.conditions.iter().map(ConditionDraft::from_condition).collect::<Vec<_>>()
        }));
    let attribute_problems = RwSignal::new(BTreeMap::<u32, String>::new());
    let nested = audience.with_untracked(|a| a.attributes.groups.len());
    let query_rows = RwSignal::new(
        audience.with_untracked(|a| a.query.iter().map(ConditionDraft::from_condition).collect::<Vec<_>>()),
    );
    let query_problems = RwSignal::new(BTreeMap::<u32, String>::new());
    let referrers = RwSignal::new(audience.with_untracked(|a| referrer_text(&a.referrer)));
    let schedule_start = RwSignal::new(
        audience
            .with_untracked(|a| a.schedule.start.map(|t| local_input(t.timestamp_millis() as f64)))
            .unwrap_or_default(),
    );
    let schedule_end = RwSignal::new(
        audience
            .with_untracked(|a| a.schedule.end.map(|t| local_input(t.timestamp_millis() as f64)))
            .unwrap_or_default(),
    );
    let schedule_error = RwSignal::new(String::new());
    // Rows into the audience; an unfinished row holds saving back, with its problem beside it.
    let attributes_changed = Callback::new(move |()| {
        let (done, problems) = attribute_rows.with(|rows| conditions(rows, lead_field));
        let first = problems.values().next().map(|p| format!("Lead attribute conditions: {p}"));
        attribute_problems.set(problems);
        state.json_problem(ATTRIBUTES_ID, first);
        edit(Box::new(move |a| a.attributes.conditions = done));
    });
    let query_changed = Callback::new(move |()| {
        let (done, problems) = query_rows.with(|rows| conditions(rows, query_parameter));
        let first = problems.values().next().map(|p| format!("Query parameter conditions: {p}"));
        query_problems.set(problems);
        state.json_problem(QUERY_ID, first);
        edit(Box::new(move |a| a.query = done));
    });
    let schedule_changed = move || {
        let (start_text, end_text) = (schedule_start.get_untracked(), schedule_end.get_untracked());
        let start = instant_of(&start_text);
        let end = instant_of(&end_text);
        let unreadable = (!start_text.is_empty() && start.is_none()) || (!end_text.is_empty() && end.is_none());
        let problem = if unreadable {
            Some("Enter a date and time, or leave it empty.".to_owned())
        } else {
            schedule_problem(start.as_ref().map(|s| s.1), end.as_ref().map(|e| e.1))
        };
        schedule_error.set(problem.clone().unwrap_or_default());
        state.json_problem(SCHEDULE_ID, problem.map(|p| format!("Schedule: {p}")));
        edit(Box::new(move |a| {
            a.schedule.start = start.map(|s| s.0);
            a.schedule.end = end.map(|e| e.0);
        }));
    };
    // One bound of the schedule: a `datetime-local` input.
    let schedule_field = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    type="datetime-local"
                    id=id
                    aria-describedby="audience-schedule-error"
                    aria-invalid=move || (!schedule_error.with(String::is_empty)).then_some("true")
                    prop:value=move || value.get()
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        schedule_changed();
                    }
                />
            </div>
        }
    };
    let trigger_rows =
        RwSignal::new(audience.with_untracked(|a| a.triggers.iter().map(TriggerRow::of).collect::<Vec<_>>()));
    // A number that is not one holds saving back; a value out of range is the draft's problem
    // (saved, but not publishable), shown under its row at once and in the diagnostics after
    // saving.
    let triggers_changed = Callback::new(move |()| match trigger_rows.with(|rows| triggers(rows)) {
        Ok(parsed) => {
            state.json_problem(TRIGGERS_ID, None);
            edit(Box::new(move |a| a.triggers = parsed));
        }
        Err(why) => {
            state.json_problem(TRIGGERS_ID, Some(why));
            state.touch();
        }
    });
    on_cleanup(move || {
        for key in [ATTRIBUTES_ID, QUERY_ID, SCHEDULE_ID, TRIGGERS_ID] {
            state.json_problem(key, None);
        }
    });
    view! {
        <section class="audience" id="audience" aria-labelledby="audience-title">
            <h3 id="audience-title">"Audience"</h3>
            <div class="field-row">
                <div class="field">
                    <label for="audience-visitors">"Visitors"</label>
                    <select
                        id="audience-visitors"
                        name="visitors"
                        prop:value=move || audience.with(|a| match a.visitors {
                            Visitors::Everyone => "everyone",
                            Visitors::Known => "known",
                            Visitors::Anonymous => "anonymous",
                        })
                        on:change=move |ev| {
                            let visitors = match event_target_value(&ev).as_str() {
                                "known" => Visitors::Known,
                                "anonymous" => Visitors::Anonymous,
                                _ => Visitors::Everyone,
                            };
                            edit(Box::new(move |a| a.visitors = visitors));
                        }
                    >
                        <option value="everyone">"All visitors"</option>
                        <option value="known">"Known visitors (identified leads)"</option>
                        <option value="anonymous">"Anonymous visitors"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="audience-returning">"Visits"</label>
                    <select
                        id="audience-returning"
                        name="returning"
                        prop:value=move || audience.with(|a| match a.returning {
                            None => "any",
                            Some(true) => "returning",
                            Some(false) => "first",
                        })
                        on:change=move |ev| {
                            let returning = match event_target_value(&ev).as_str() {
                                "returning" => Some(true),
                                "first" => Some(false),
                                _ => None,
                            };
                            edit(Box::new(move |a| a.returning = returning));
                        }
                    >
                        <option value="any">"Any visit"</option>
                        <option value="first">"First visits only"</option>
                        <option value="returning">"Returning visitors only"</option>
                    </select>
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="audience-include">"Show on pages"</label>
                    <textarea
                        id="audience-include"
                        name="include"
                        class="code"
                        rows=3
                        spellcheck="false"
                        aria-describedby="audience-pages-hint"
                        prop:value=move || include.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            let patterns = lines(&typed);
                            include.set(typed);
                            edit(Box::new(move |a| a.pages.include = patterns));
                        }
                    ></textarea>
                </div>
                <div class="field">
                    <label for="audience-exclude">"Never show on pages"</label>
                    <textarea
                        id="audience-exclude"
                        name="exclude"
                        class="code"
                        rows=3
                        spellcheck="false"
                        aria-describedby="audience-pages-hint"
                        prop:value=move || exclude.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            let patterns = lines(&typed);
                            exclude.set(typed);
                            edit(Box::new(move |a| a.pages.exclude = patterns));
                        }
                    ></textarea>
                </div>
            </div>
            <p class="hint" id="audience-pages-hint">
                "One pattern a line; " <code>"*"</code> " matches anything. "
                <code>"/pricing*"</code> " is a path on any host, " <code>"example.com/blog/*"</code>
                " a host and path. No pages listed means every page; an exclusion wins."
            </p>
            <fieldset class="audience-part" id=TRIGGERS_ID>
                <legend>"Triggers"</legend>
                <p class="hint" id="audience-triggers-hint">
                    "When the teaser with the dialogue's first line pops up; the first to fire wins. "
                    "None: the chat waits for a click. A script tag's data-trigger replaces these."
                </p>
                <TriggerList rows=trigger_rows on_change=triggers_changed />
            </fieldset>
            <fieldset class="audience-part">
                <legend>"Lead attributes"</legend>
                <div class="field inline-field">
                    <label for="audience-attributes-mode">"Show to leads when"</label>
                    <select
                        id="audience-attributes-mode"
                        prop:value=move || audience.with(|a| match a.attributes.mode {
                            Mode::All => "all",
                            Mode::Any => "any",
                        })
                        on:change=move |ev| {
                            let mode = if event_target_value(&ev) == "any" { Mode::Any } else { Mode::All };
                            edit(Box::new(move |a| a.attributes.mode = mode));
                        }
                    >
                        <option value="all">"every condition holds"</option>
                        <option value="any">"at least one condition holds"</option>
                    </select>
                </div>
                <datalist id="audience-lead-fields">
                    {LEAD_FIELDS.map(|f| view! { <option value=f></option> }).collect_view()}
                </datalist>
                <ConditionList
                    id=ATTRIBUTES_ID
                    rows=attribute_rows
                    field_label="Lead field"
                    field_placeholder="country"
                    suggestions="audience-lead-fields"
                    problems=attribute_problems
                    add_label="Add a lead condition"
                    on_change=attributes_changed
                />
                {(nested > 0).then(|| view! {
                    <p class="hint">
                        {format!("Also {nested} nested group(s) of conditions from an import, kept as they are; export the dialogue to change them.")}
                    </p>
                })}
                <p class="hint">"With no condition, every visitor the other parts allow. Anonymous visitors have no lead fields, so conditions hold only for known leads (except \u{201c}is empty or unknown\u{201d})."</p>
            </fieldset>
            <fieldset class="audience-part">
                <legend>"Query parameters"</legend>
                <ConditionList
                    id=QUERY_ID
                    rows=query_rows
                    field_label="Parameter"
                    field_placeholder="utm_source"
                    problems=query_problems
                    add_label="Add a query condition"
                    on_change=query_changed
                />
                <p class="hint">"Every condition must hold, such as utm_campaign is spring-launch."</p>
            </fieldset>
            <div class="field-row">
                <div class="field">
                    <label for="audience-referrers">"Came from (referrer)"</label>
                    <textarea
                        id="audience-referrers"
                        class="code"
                        rows=3
                        spellcheck="false"
                        aria-describedby="audience-referrers-hint"
                        prop:value=move || referrers.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            let parsed = referrer_conditions(&typed);
                            referrers.set(typed);
                            edit(Box::new(move |a| a.referrer = parsed));
                        }
                    ></textarea>
                    <p class="hint" id="audience-referrers-hint">
                        "One a line, any may match: a text the referrer contains (" <code>"google."</code>
                        "), or a pattern with " <code>"*"</code> " (" <code>"*.linkedin.com/*"</code> "). Empty: any referrer or none."
                    </p>
                </div>
                <fieldset class="audience-part schedule">
                    <legend>"Schedule"</legend>
                    {schedule_field("audience-schedule-start", "Show from", schedule_start)}
                    {schedule_field("audience-schedule-end", "Until", schedule_end)}
                    <p class="hint">"In your time zone; leave either empty for no limit."</p>
                    <p class="field-error" id="audience-schedule-error">{move || schedule_error.get()}</p>
                </fieldset>
            </div>
        </section>
    }
}

/// A local `YYYY-MM-DDTHH:MM` (as a `datetime-local` input gives it) as an instant and its
/// Unix ms; `None` when empty or not a time.
fn instant_of(local: &str) -> Option<(chrono::DateTime<chrono::Utc>, f64)> {
    let local = local.trim();
    if local.is_empty() {
        return None;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
    let ms = date.get_time();
    if ms.is_nan() {
        return None;
    }
    let iso: String = date.to_iso_string().into();
    chrono::DateTime::parse_from_rfc3339(&iso).ok().map(|t| (t.with_timezone(&chrono::Utc), ms))
}

/// An instant (Unix ms) as a `datetime-local` input shows it, in the admin's time zone.
fn local_input(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}
