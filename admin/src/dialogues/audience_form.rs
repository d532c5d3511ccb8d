//! `AudienceForm`: who a dialogue is for, in its basic parts (known, anonymous or all visitors;
//! first or returning visits; pages to show on and not to show on, one pattern a line; the
//! triggers, in the loader's `time:10; scroll:50` grammar), and the rest (lead attributes, query
//! parameters, referrer, schedule) as JSON.

use super::browser::{from_json_text, to_json_text};
use super::draft::lines;
use super::state::EditorState;
use confab_domain::targeting::trigger::{self, Trigger};
use confab_domain::targeting::{Audience, Condition, Group, ReferrerCondition, Schedule, Visitors};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The parts of an audience edited as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Advanced {
    attributes: Group,
    query: Vec<Condition>,
    referrer: Vec<ReferrerCondition>,
    schedule: Schedule,
}

fn advanced_of(audience: &Audience) -> Advanced {
    Advanced {
        attributes: audience.attributes.clone(),
        query: audience.query.clone(),
        referrer: audience.referrer.clone(),
        schedule: audience.schedule,
    }
}

/// The id of the advanced text area, also its key among the JSON problems.
const ADVANCED_ID: &str = "audience-advanced";
/// The id of the triggers field, also its key among the problems that block saving.
const TRIGGERS_ID: &str = "audience-triggers";

/// The triggers typed as `time:10; scroll:50`, or the first mistake.
fn parse_triggers(typed: &str) -> Result<Vec<Trigger>, String> {
    typed.split(';').map(str::trim).filter(|s| !s.is_empty()).map(Trigger::from_spec).collect()
}

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
    let advanced = RwSignal::new(audience.with_untracked(|a| to_json_text(&advanced_of(a))));
    let problem = Memo::new(move |_| state.json_problems.with(|p| p.get(ADVANCED_ID).cloned().unwrap_or_default()));
    let triggers =
        RwSignal::new(audience.with_untracked(|a| a.triggers.iter().map(Trigger::spec).collect::<Vec<_>>().join("; ")));
    // A mistake in the grammar holds saving back; a value out of range is the draft's problem
    // (saved, but not publishable), shown here at once and in the diagnostics after saving.
    let out_of_range = RwSignal::new(String::new());
    let triggers_problem = Memo::new(move |_| {
        state.json_problems.with(|p| p.get(TRIGGERS_ID).cloned()).unwrap_or_else(|| out_of_range.get())
    });
    on_cleanup(move || {
        state.json_problem(ADVANCED_ID, None);
        state.json_problem(TRIGGERS_ID, None);
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
            <div class="field">
                <label for=TRIGGERS_ID>"Triggers"</label>
                <input
                    id=TRIGGERS_ID
                    name="triggers"
                    class="code"
                    spellcheck="false"
                    placeholder="time:10; scroll:50"
                    aria-describedby="audience-triggers-hint audience-triggers-problem"
                    aria-invalid=move || (!triggers_problem.with(String::is_empty)).then_some("true")
                    prop:value=move || triggers.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        triggers.set(typed.clone());
                        match parse_triggers(&typed) {
                            Ok(parsed) => {
                                state.json_problem(TRIGGERS_ID, None);
                                out_of_range.set(trigger::problems(&parsed).join(" "));
                                edit(Box::new(move |a| a.triggers = parsed));
                            }
                            Err(why) => {
                                state.json_problem(TRIGGERS_ID, Some(why));
                                state.touch();
                            }
                        }
                    }
                />
                <p class="hint" id="audience-triggers-hint">
                    "When the teaser with the dialogue's first line pops up, separated by " <code>";"</code>
                    ", the first to fire wins: " <code>"load"</code> ", " <code>"time:10"</code>
                    " (seconds on the page), " <code>"site:60"</code> " (seconds on the site), "
                    <code>"scroll:50"</code> " (percent), " <code>"exit"</code> ", " <code>"idle:30"</code>
                    ", " <code>"visible:#pricing"</code> ", " <code>"route"</code>
                    ". None: the chat waits for a click. A script tag's data-trigger replaces these."
                </p>
                <p class="field-error" id="audience-triggers-problem">{move || triggers_problem.get()}</p>
            </div>
            <details class="advanced">
                <summary>"Lead attributes, query parameters, referrer and schedule (JSON)"</summary>
                <div class="field">
                    <label for=ADVANCED_ID>"Advanced audience"</label>
                    <textarea
                        id=ADVANCED_ID
                        name="advanced"
                        class="code"
                        rows=10
                        spellcheck="false"
                        aria-describedby="audience-advanced-hint audience-advanced-problem"
                        aria-invalid=move || (!problem.with(String::is_empty)).then_some("true")
                        prop:value=move || advanced.get()
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            advanced.set(typed.clone());
                            match from_json_text::<Advanced>(&typed, "The advanced audience") {
                                Ok(parsed) => {
                                    state.json_problem(ADVANCED_ID, None);
                                    edit(Box::new(move |a| {
                                        a.attributes = parsed.attributes;
                                        a.query = parsed.query;
                                        a.referrer = parsed.referrer;
                                        a.schedule = parsed.schedule;
                                    }));
                                }
                                Err(why) => {
                                    state.json_problem(ADVANCED_ID, Some(why));
                                    state.touch();
                                }
                            }
                        }
                    ></textarea>
                    <p class="hint" id="audience-advanced-hint">
                        <code>"attributes"</code> ": a group {mode: all|any, conditions: [{op, field, value}]}; "
                        <code>"query"</code> ": conditions on query parameters; " <code>"referrer"</code>
                        ": [{match: contains, value} | {match: pattern, pattern}]; " <code>"schedule"</code>
                        ": {start, end} as RFC 3339 instants."
                    </p>
                    <p class="field-error" id="audience-advanced-problem">{move || problem.get()}</p>
                </div>
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_typed_in_the_loaders_grammar() {
        let parsed = parse_triggers(" time:10 ;; scroll:50; visible:#plans ");
        let specs: Result<Vec<String>, String> = parsed.map(|t| t.iter().map(Trigger::spec).collect());
        assert_eq!(specs, Ok(vec!["time:10".to_owned(), "scroll:50".to_owned(), "visible:#plans".to_owned()]));
        assert_eq!(parse_triggers("  "), Ok(vec![]));
        assert_eq!(
            parse_triggers("time:10; scroll"),
            Err("`scroll` needs a whole number of percent, as in `scroll:10`.".to_owned())
        );
    }
}
