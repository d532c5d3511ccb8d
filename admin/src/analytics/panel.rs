//! `AnalyticsPanel`: the Analytics tab. Reads the numbers of the chosen range (the last 30
//! days at first) and shows them per dialogue (a table, and a daily chart of one dialogue)
//! and per agent (meetings by status); a quiet range says so instead.

use super::agent_meetings::AgentMeetings;
use super::api::{self, Analytics};
use super::daily_chart::DailyChart;
use super::dialogue_table::DialogueTable;
use super::range_picker::RangePicker;
use super::report::{Day, Range, custom_days, days_of};
use crate::api::ApiError;
use leptos::prelude::*;
use leptos::task::spawn_local;

const DAY_MS: f64 = 86_400_000.0;

/// Today in the admin's time zone.
fn today() -> Day {
    let now = js_sys::Date::new_0();
    Day { year: now.get_full_year() as i32, month: now.get_month() + 1, day: now.get_date() }
}

/// The RFC 3339 time of local midnight starting `day`.
fn local_midnight(day: Day) -> String {
    let date = js_sys::Date::new_with_year_month_day(day.year as u32, day.month as i32 - 1, day.day as i32);
    String::from(date.to_iso_string())
}

/// The request's `[from, to)` for a preset range, ending now.
fn preset_bounds(days: u32) -> (String, String) {
    let now = js_sys::Date::now();
    let iso = |ms: f64| String::from(js_sys::Date::new(&ms.into()).to_iso_string());
    (iso(now - f64::from(days) * DAY_MS), iso(now))
}

/// What the tab shows.
#[derive(Debug, Clone, PartialEq)]
enum State {
    Loading,
    Failed(ApiError),
    Ready(Analytics),
}

/// The Analytics tab.
#[component]
pub fn AnalyticsPanel() -> impl IntoView {
    let range = RwSignal::new(Range::Last30);
    let today = today();
    let from = RwSignal::new(today.add(-29).iso());
    let to = RwSignal::new(today.iso());
    let state = RwSignal::new(State::Loading);
    // Only the latest request's answer is shown, so a slow answer never overwrites a newer one.
    let latest = StoredValue::new(0_u64);
    let problem = Memo::new(move |_| match range.get() {
        Range::Custom => custom_days(&from.get(), &to.get()).err(),
        _ => None,
    });

    let load = move || {
        let bounds = match range.get_untracked().days() {
            Some(days) => preset_bounds(days),
            None => match custom_days(&from.get_untracked(), &to.get_untracked()) {
                Ok((first, last)) => (local_midnight(first), local_midnight(last.add(1))),
                Err(_) => return,
            },
        };
        latest.update_value(|n| *n += 1);
        let ticket = latest.get_value();
        state.set(State::Loading);
        spawn_local(async move {
            let answer = api::analytics(&bounds.0, &bounds.1).await;
            if latest.try_get_value() == Some(ticket) {
                let _ = state.try_set(match answer {
                    Ok(report) => State::Ready(report),
                    Err(e) => State::Failed(e),
                });
            }
        });
    };
    Effect::new(move |_| {
        range.track();
        from.track();
        to.track();
        load();
    });

    let content = move || match state.get() {
        State::Loading => view! {
            <section class="card" aria-busy="true">
                <p class="muted" role="status" id="analytics-loading">"Loading the numbers…"</p>
            </section>
        }
        .into_any(),
        State::Failed(e) => view! {
            <section class="card">
                <div class="notice error" role="alert" id="analytics-error">
                    <p>"The numbers could not be read: "{e.message}</p>
                    <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                </div>
            </section>
        }
        .into_any(),
        State::Ready(report) => {
            let days = days_of(&report.from, &report.to);
            let caption = match (days.first(), days.last()) {
                (Some(a), Some(b)) if a != b => format!("{} – {}", a.long(), b.long()),
                (Some(a), _) => a.long(),
                _ => String::new(),
            };
            let quiet = report.dialogues.iter().all(|d| d.is_quiet())
                && report.agents.iter().all(|a| a.by_status.values().all(|n| *n == 0));
            if quiet {
                return view! {
                    <section class="card analytics-empty" id="analytics-empty">
                        <h2>"No chat activity in this period yet"</h2>
                        <p class="muted">
                            {format!("Nothing was recorded {}.", if caption.is_empty() { "in this range".to_owned() } else { format!("from {caption}") })}
                            " Visitors who see a dialogue, answer it and book a meeting appear here; "
                            "choose a longer period to look further back."
                        </p>
                    </section>
                }
                .into_any();
            }
            let dialogues = report.dialogues.clone();
            view! {
                <section class="card" aria-labelledby="analytics-dialogues-title">
                    <h2 id="analytics-dialogues-title">"Dialogues"</h2>
                    <p class="muted range-caption">{caption.clone()}</p>
                    {if dialogues.is_empty() {
                        view! { <p class="empty">"There are no dialogues yet."</p> }.into_any()
                    } else {
                        view! { <DialogueTable dialogues=dialogues.clone() caption=caption.clone()/> }.into_any()
                    }}
                </section>
                {(!dialogues.is_empty()).then(|| view! {
                    <section class="card" aria-labelledby="analytics-daily-title">
                        <h2 id="analytics-daily-title">"Day by day"</h2>
                        <DailyChart dialogues=dialogues.clone() days=days.clone()/>
                        <p class="hint">"Days are counted in UTC."</p>
                    </section>
                })}
                <section class="card" aria-labelledby="analytics-agents-title">
                    <h2 id="analytics-agents-title">"Meetings per agent"</h2>
                    <AgentMeetings agents=report.agents.clone()/>
                </section>
            }
            .into_any()
        }
    };

    view! {
        <div class="analytics">
            <section class="card analytics-head" aria-labelledby="analytics-title">
                <h2 id="analytics-title">"Analytics"</h2>
                <RangePicker range from to problem/>
            </section>
            {content}
        </div>
    }
}
