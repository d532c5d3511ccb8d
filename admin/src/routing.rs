//! The routing tab: the round robin (who is next, the order, meetings per agent and status for
//! a chosen period as a bar chart, each agent's count and weight), the custom rules in priority
//! order with the default pool, fallback, credit back and reset, account routing imported from
//! CSV, and the simulator. Pure logic lives in `draft.rs` and `format.rs`, tested natively.

mod account_import;
mod account_routing;
mod agent_checks;
mod agent_table;
mod condition_row;
mod confirm;
mod draft;
mod editor;
mod format;
mod meetings_chart;
mod panel;
mod period_picker;
mod pool_settings;
mod round_robin;
mod rule_card;
mod rule_form;
mod rules_editor;
mod simulation_result;
mod simulator;
mod weight_editor;

pub use panel::RoutingPanel;
