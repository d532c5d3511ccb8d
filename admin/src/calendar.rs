//! The calendar tab: each agent's calendar connection (Google, Outlook, CalDAV or the
//! built-in one) with its health and actions, their working hours and booking rules, and the
//! queue of meetings waiting to be written to calendars.

mod agent_card;
mod availability_editor;
mod block_list;
mod caldav_form;
mod connect_buttons;
mod connection;
mod date_overrides;
mod draft;
mod editor;
mod format;
mod health_pill;
mod panel;
mod rules_fields;
mod text_field;
mod weekly_hours;
mod write_back;

pub use panel::CalendarPanel;
