//! `SlotPicker`: free meeting times as buttons, labelled in the visitor's time zone.

use crate::time;
use confab_domain::api::Slot;
use leptos::prelude::*;

/// How many slots are shown at first; "More times" reveals the rest.
const FIRST_PAGE: usize = 8;

/// A list of slot buttons.
#[component]
pub fn SlotPicker(
    /// Free slots, earliest first.
    slots: Vec<Slot>,
    /// Called with the chosen slot.
    on_pick: Callback<Slot>,
) -> impl IntoView {
    let shown = RwSignal::new(FIRST_PAGE.min(slots.len()));
    let total = slots.len();
    let slots = StoredValue::new(slots);
    view! {
        <div class="slots" role="group" aria-label="Free times">
            {move || {
                slots
                    .get_value()
                    .into_iter()
                    .take(shown.get())
                    .map(|slot| {
                        let label = time::slot_label(&slot.start);
                        view! {
                            <button type="button" class="slot" data-start=slot.start.clone() on:click=move |_| on_pick.run(slot.clone())>
                                {label}
                            </button>
                        }
                    })
                    .collect_view()
            }}
            <Show when=move || { shown.get() < total }>
                <button type="button" class="more" on:click=move |_| shown.update(|n| *n = (*n + FIRST_PAGE).min(total))>
                    "More times"
                </button>
            </Show>
        </div>
    }
}
