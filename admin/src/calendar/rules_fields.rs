//! `RulesFields`: the agent's booking rules (meeting lengths, buffers, minimum notice,
//! horizon, daily cap) and round-robin weight.

use super::draft::{Draft, Field};
use super::editor::Editor;
use super::text_field::TextField;
use leptos::prelude::*;

/// The booking rules and weight.
#[component]
pub fn RulesFields(
    /// The editor the rules belong to.
    editor: Editor,
    /// The meeting lengths to offer, in minutes.
    #[prop(into)]
    lengths: Signal<Vec<u32>>,
) -> impl IntoView {
    let title_id = editor.id("rules-title");
    let lengths_id = editor.id("lengths-title");
    let any = move || editor.draft.with(|d| d.any_length);
    view! {
        <div class="rules" role="group" aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>"Booking rules"</h3>
            <fieldset
                class="lengths"
                aria-describedby=format!("{} {}", editor.id("lengths-hint"), editor.error_id(Field::Lengths))
                class:invalid=move || editor.invalid(Field::Lengths).is_some()
            >
                <legend id=lengths_id>"Meeting lengths"</legend>
                <div class="checks">
                    <label class="inline">
                        <input
                            type="checkbox"
                            id=editor.field_id(Field::Lengths)
                            prop:checked=any
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                editor.edit(Field::Lengths, |d| d.any_length = on);
                            }
                        />
                        "Any length"
                    </label>
                    {move || lengths.get().into_iter().map(|minutes| view! {
                        <label class="inline" class:disabled=any>
                            <input
                                type="checkbox"
                                disabled=any
                                prop:checked=move || !any() && editor.draft.with(|d| d.lengths.contains(&minutes))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    editor.edit(Field::Lengths, |d| {
                                        if on {
                                            d.lengths.insert(minutes);
                                        } else {
                                            d.lengths.remove(&minutes);
                                        }
                                    });
                                }
                            />
                            {format!("{minutes} min")}
                        </label>
                    }).collect_view()}
                </div>
                <p class="hint" id=editor.id("lengths-hint")>
                    "Untick Any length to take only the lengths ticked; visitors asking for another length are not offered this agent."
                </p>
                <p class="field-error" id=editor.error_id(Field::Lengths)>{move || editor.error(Field::Lengths)}</p>
            </fieldset>
            <div class="rule-grid">
                <TextField
                    editor=editor
                    field=Field::BufferBefore
                    label="Buffer before (minutes)"
                    hint="Kept free before each meeting, to prepare."
                    get=|d: &Draft| d.buffer_before.clone()
                    set=|d: &mut Draft, t| d.buffer_before = t
                />
                <TextField
                    editor=editor
                    field=Field::BufferAfter
                    label="Buffer after (minutes)"
                    hint="Kept free after each meeting, to wrap up."
                    get=|d: &Draft| d.buffer_after.clone()
                    set=|d: &mut Draft, t| d.buffer_after = t
                />
                <TextField
                    editor=editor
                    field=Field::MinNotice
                    label="Minimum notice (hours)"
                    hint="Empty: the site's default (1 hour). Only a longer notice applies."
                    inputmode="decimal"
                    get=|d: &Draft| d.min_notice_hours.clone()
                    set=|d: &mut Draft, t| d.min_notice_hours = t
                />
                <TextField
                    editor=editor
                    field=Field::Horizon
                    label="Booking horizon (days)"
                    hint="Empty: the site's default (30 days). Only a shorter horizon applies."
                    get=|d: &Draft| d.horizon_days.clone()
                    set=|d: &mut Draft, t| d.horizon_days = t
                />
                <TextField
                    editor=editor
                    field=Field::DailyCap
                    label="Daily cap (meetings)"
                    hint="Most meetings booked through Confab per day. Empty: no limit; 0 takes none."
                    get=|d: &Draft| d.daily_cap.clone()
                    set=|d: &mut Draft, t| d.daily_cap = t
                />
                <TextField
                    editor=editor
                    field=Field::Weight
                    label="Round-robin weight (%)"
                    hint="100 is an ordinary share of round-robin meetings; 200 about twice as many, 50 about half."
                    get=|d: &Draft| d.weight_percent.clone()
                    set=|d: &mut Draft, t| d.weight_percent = t
                />
            </div>
        </div>
    }
}
