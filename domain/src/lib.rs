//! Confab's pure core: dialogues, availability, round-robin routing and validation.
//!
//! Nothing here performs I/O, reads a clock or draws random numbers: the current time,
//! identifiers and salts come in as arguments. The crate builds natively (where it is
//! tested) and for `wasm32-unknown-unknown` (where the edge, widget and admin use it).

pub mod api;
pub mod auth;
pub mod availability;
#[cfg(feature = "calendar")]
pub mod calendar;
pub mod demo;
pub mod dialogue;
pub mod email;
pub mod ics;
pub mod ids;
#[cfg(feature = "marketo")]
pub mod marketo;
pub mod meeting;
pub mod routing;
pub mod targeting;
