//! Confab's admin: a Leptos (CSR) app served by the edge under `/admin`, talking to
//! `/api/admin/v1`. It signs in, then shows meetings and the routing state in one tab, agents'
//! calendars and availability in another, and the integrations (Marketo, blocked email
//! domains) in a third.

use wasm_bindgen::prelude::*;

mod api;
mod app;
mod calendar;
mod dashboard;
mod integrations;
mod meetings_table;
mod routing_panel;
mod sign_in;

/// Entry point, run by `boot.js` once the wasm is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
