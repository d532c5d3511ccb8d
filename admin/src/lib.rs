//! Confab's admin: a Leptos (CSR) app served by the edge under `/admin`, talking to
//! `/api/admin/v1`. It signs in, then shows the meetings in one tab, routing (round robin,
//! rules, account routing, simulator) in another, agents' calendars and availability in a
//! third, and the integrations (Marketo, blocked email domains) in a fourth.

use wasm_bindgen::prelude::*;

mod accept_invite;
mod analytics;
mod api;
mod app;
mod calendar;
mod condition_list;
mod conditions;
mod configuration;
mod confirm_button;
mod dashboard;
mod dialogues;
mod integrations;
mod meetings_table;
mod password;
mod routing;
mod setup;
mod sign_in;
mod team;

/// Entry point, run by `boot.js` once the wasm is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
