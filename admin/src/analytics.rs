//! The Analytics tab: per dialogue, visitors triggered, engaged and completed, emails,
//! meetings and the rates between them, with a daily chart of one dialogue; per agent, the
//! meetings booked by status. The range arithmetic and the words are pure (`report.rs`,
//! tested natively).

mod agent_meetings;
mod api;
mod daily_chart;
mod dialogue_table;
mod panel;
mod range_picker;
pub(crate) mod report;

pub use panel::AnalyticsPanel;
