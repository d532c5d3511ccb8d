//! `PeriodPicker`: the period meetings are counted over: this month, last month, the last 7
//! or 30 days, all time, or two chosen days (both included), in the admin's time zone.

use super::format::{Period, RangeField};
use super::panel::PeriodChoice;
use leptos::prelude::*;

/// The period select, and the two days of a custom range.
#[component]
pub fn PeriodPicker(
    /// The choice it edits.
    choice: PeriodChoice,
) -> impl IntoView {
    let PeriodChoice { period, from, to, problem, .. } = choice;
    let custom = move || period.get() == Period::Custom;
    let error_on =
        move |field: RangeField| problem.with(|p| p.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.clone()));
    let invalid = move |field: RangeField| error_on(field).map(|_| "true");
    view! {
        <div class="period-picker">
            <label class="inline-field" for="routing-period">"Period"</label>
            <select
                id="routing-period"
                prop:value=move || period.get().slug()
                on:change=move |ev| period.set(Period::from_slug(&event_target_value(&ev)))
            >
                {Period::ALL.map(|p| view! { <option value=p.slug()>{p.label()}</option> }).collect_view()}
            </select>
            <Show when=custom>
                <div class="range" role="group" aria-label="Custom range">
                    <div class="field">
                        <label for="routing-from">"First day"</label>
                        <input
                            type="date"
                            id="routing-from"
                            aria-invalid=move || invalid(RangeField::From)
                            aria-describedby="routing-range-error"
                            prop:value=move || from.get()
                            on:input=move |ev| from.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="routing-to">"Last day"</label>
                        <input
                            type="date"
                            id="routing-to"
                            aria-invalid=move || invalid(RangeField::To)
                            aria-describedby="routing-range-error"
                            prop:value=move || to.get()
                            on:input=move |ev| to.set(event_target_value(&ev))
                        />
                    </div>
                </div>
                <p class="field-error" id="routing-range-error" role="alert">
                    {move || problem.with(|p| p.as_ref().map(|(_, m)| m.clone()))}
                </p>
            </Show>
        </div>
    }
}
