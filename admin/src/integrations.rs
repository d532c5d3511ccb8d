//! The integrations tab: connecting Marketo (credentials checked with Marketo first), the
//! connection (test, change, disconnect; budget, quota pause, errors), the lead sync
//! (progress, freshness, the fields it copies), the activity outbox, and the blocked email
//! domains.

pub(crate) mod blocked_domains;
mod connect_form;
mod connection_card;
mod field_picker;
pub(crate) mod format;
mod moment;
mod outbox_card;
mod panel;
mod sync_card;

pub use panel::IntegrationsPanel;
