//! One handler file per resource; each handler parses its input, calls the domain and the
//! store, and returns a response or an [`crate::error::ApiError`].

pub mod accounts;
pub mod analytics;
pub mod bookings;
pub mod calendars;
pub mod config;
pub mod dialogues;
pub mod events;
pub mod identity;
pub mod integrations;
pub mod invites;
pub mod meeting_changes;
pub mod meetings;
pub mod preview;
pub mod routing;
pub mod session;
pub mod site;
pub mod slots;
