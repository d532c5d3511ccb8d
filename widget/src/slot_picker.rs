//! `SlotPicker`: free meeting times grouped by day, labelled in the visitor's time zone.

use crate::kept::Kept;
use crate::time;
use confab_domain::api::Slot;
use leptos::prelude::*;

/// How many slots are shown at first; "More times" reveals the rest.
const FIRST_PAGE: usize = 12;

/// Days of time buttons.
#[component]
pub fn SlotPicker(
    /// Free slots, earliest first.
    slots: Vec<Slot>,
    /// Called with the chosen slot.
    on_pick: Callback<Slot>,
) -> impl IntoView {
    let shown = RwSignal::new(FIRST_PAGE.min(slots.len()));
    let total = slots.len();
    let slots = Kept::new(slots);
    let days = move || {
        // Consecutive slots of one day, in order: (day label, slots).
        let mut days: Vec<(String, Vec<Slot>)> = Vec::new();
        for slot in slots.get_value().into_iter().take(shown.get()) {
            let day = time::day_label(&slot.start);
            match days.last_mut() {
                Some((last, list)) if *last == day => list.push(slot),
                _ => days.push((day, vec![slot])),
            }
        }
        days
    };
    view! {
        <div class="slots" role="group" aria-label="Free times">
            {move || {
                days()
                    .into_iter()
                    .map(|(day, list)| {
                        view! {
                            <p class="day">{day.clone()}</p>
                            <div class="times" role="group" aria-label=day>
                                {list
                                    .into_iter()
                                    .map(|slot| {
                                        let full = time::slot_label(&slot.start);
                                        let short = time::time_label(&slot.start);
                                        view! {
                                            <button type="button" class="slot" aria-label=full data-start=slot.start.clone()
                                                on:click=move |_| on_pick.run(slot.clone())>
                                                {short}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
                    .collect_view()
            }}
            {move || {
                (shown.get() < total).then(|| view! {
                    <button type="button" class="more" on:click=move |_| shown.update(|n| *n = (*n + FIRST_PAGE).min(total))>
                        "More times"
                    </button>
                })
            }}
        </div>
    }
}
