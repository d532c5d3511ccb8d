//! The slot picker: free meeting times grouped by day, labelled in the visitor's time zone.

use crate::dom;
use crate::time;
use confab_domain::api::Slot;
use web_sys::Element;

/// How many slots are shown at first and added by each "More times".
pub const PAGE: usize = 12;

/// Appends days of time buttons for the first `shown` of `slots` (earliest first) to `parent`,
/// and "More times" while some are hidden. Each time button carries its slot's position
/// (`data-i`); the chat handles the clicks.
pub fn add(parent: &Element, slots: &[Slot], shown: usize) {
    let picker = dom::add(parent, "div", &[("class", "slots"), ("role", "group"), ("aria-label", "Free times")], "");
    let mut day = String::new();
    let mut times = picker.clone();
    for (i, slot) in slots.iter().enumerate().take(shown) {
        let label = time::day_label(&slot.start);
        if label != day {
            dom::add(&picker, "p", &[("class", "day")], &label);
            times = dom::add(&picker, "div", &[("class", "times"), ("role", "group"), ("aria-label", &label)], "");
            day = label;
        }
        dom::add(
            &times,
            "button",
            &[
                ("type", "button"),
                ("class", "slot"),
                ("aria-label", &time::slot_label(&slot.start)),
                ("data-start", &slot.start),
                ("data-a", "s"),
                ("data-i", &i.to_string()),
            ],
            &time::time_label(&slot.start),
        );
    }
    if shown < slots.len() {
        dom::add(&picker, "button", &[("type", "button"), ("class", "more"), ("data-a", "t")], "More times");
    }
}
