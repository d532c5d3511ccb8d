//! `WeeklyHours`: Monday to Sunday, each with any number of working blocks in the agent's
//! time zone, and a button that copies Monday to the other weekdays.

use super::block_list::BlockList;
use super::draft::{BlockOwner, Field, WEEKDAYS};
use super::editor::Editor;
use leptos::prelude::*;

/// The weekly hours.
#[component]
pub fn WeeklyHours(
    /// The editor the hours belong to.
    editor: Editor,
) -> impl IntoView {
    let title_id = editor.id("weekly-title");
    let copy = move |_| {
        editor.edit(Field::Day(0), |d| d.copy_monday_to_weekdays());
        for day in 1..5 {
            editor.errors.update(|e| {
                e.remove(&Field::Day(day));
            });
        }
        let monday_empty = editor.draft.with_untracked(|d| d.weekly[0].is_empty());
        editor.status.set(if monday_empty {
            "Tuesday to Friday are now days off, like Monday. Save to keep it.".into()
        } else {
            "Monday's hours were copied to Tuesday to Friday. Save to keep them.".into()
        });
    };
    view! {
        <div class="weekly" role="group" aria-labelledby=title_id.clone()>
            <div class="section-head">
                <h3 id=title_id.clone()>"Weekly hours"</h3>
                <button type="button" class="secondary" on:click=copy>"Copy Monday to weekdays"</button>
            </div>
            <p class="hint">"In the agent's time zone. A day without blocks is a day off; add several blocks to leave a lunch break."</p>
            <div class="days">
                {WEEKDAYS.into_iter().enumerate().map(|(day, name)| view! { <DayRow editor=editor day=day name=name/> }).collect_view()}
            </div>
        </div>
    }
}

/// One weekday: its name, its blocks, and the problem with them.
#[component]
fn DayRow(
    /// The editor the day belongs to.
    editor: Editor,
    /// 0 = Monday.
    day: usize,
    /// The day's name.
    name: &'static str,
) -> impl IntoView {
    let field = Field::Day(day);
    let label_id = editor.id(&format!("day-{day}-name"));
    let off = move || editor.draft.with(|d| d.weekly[day].is_empty());
    view! {
        <div
            class="day"
            role="group"
            id=editor.field_id(field)
            tabindex="-1"
            aria-labelledby=label_id.clone()
            aria-describedby=editor.error_id(field)
            class:invalid=move || editor.invalid(field).is_some()
        >
            <span class="day-name" id=label_id.clone()>{name}</span>
            <div class="day-blocks">
                <Show when=off>
                    <span class="off">"Day off"</span>
                </Show>
                <BlockList editor=editor owner=BlockOwner::Day(day) field=field day=name.to_owned()/>
                <p class="field-error" id=editor.error_id(field)>{move || editor.error(field)}</p>
            </div>
        </div>
    }
}
