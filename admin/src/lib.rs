//! Confab's admin: a Leptos (CSR) app served by the edge under `/admin`, talking to
//! `/api/admin/v1`. This skeleton signs in and shows meetings and the routing state.

use wasm_bindgen::prelude::*;

mod api;
mod app;
mod meetings_table;
mod routing_panel;
mod sign_in;

/// Entry point, run by `boot.js` once the wasm is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
