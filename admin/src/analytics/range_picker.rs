//! `RangePicker`: the range the numbers cover: the last 7, 30 or 90 days, or two chosen days
//! (both included, in the admin's time zone).

use super::report::{DayField, Range};
use leptos::prelude::*;

/// The range select, and the two days of a custom range.
#[component]
pub fn RangePicker(
    /// The chosen range.
    range: RwSignal<Range>,
    /// The first custom day, `YYYY-MM-DD`.
    from: RwSignal<String>,
    /// The last custom day, `YYYY-MM-DD`.
    to: RwSignal<String>,
    /// What is wrong with the custom days, if anything.
    #[prop(into)]
    problem: Signal<Option<(DayField, String)>>,
) -> impl IntoView {
    let invalid =
        move |field: DayField| problem.with(|p| p.as_ref().is_some_and(|(f, _)| *f == field)).then_some("true");
    view! {
        <div class="analytics-range">
            <div class="field">
                <label for="analytics-range">"Period"</label>
                <select
                    id="analytics-range"
                    prop:value=move || range.get().slug()
                    on:change=move |ev| range.set(Range::from_slug(&event_target_value(&ev)))
                >
                    {Range::ALL
                        .map(|r| view! {
                            <option value=r.slug() prop:selected=move || range.get() == r>{r.label()}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <Show when=move || range.get() == Range::Custom>
                <div class="field">
                    <label for="analytics-from">"First day"</label>
                    <input
                        type="date"
                        id="analytics-from"
                        aria-invalid=move || invalid(DayField::From)
                        aria-describedby="analytics-range-error"
                        prop:value=move || from.get()
                        on:change=move |ev| from.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="analytics-to">"Last day"</label>
                    <input
                        type="date"
                        id="analytics-to"
                        aria-invalid=move || invalid(DayField::To)
                        aria-describedby="analytics-range-error"
                        prop:value=move || to.get()
                        on:change=move |ev| to.set(event_target_value(&ev))
                    />
                </div>
            </Show>
            <p class="field-error" id="analytics-range-error" role="alert">
                {move || problem.with(|p| p.as_ref().map(|(_, m)| m.clone()))}
            </p>
        </div>
    }
}
