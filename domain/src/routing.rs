//! Routing: which agent of a pool gets a meeting, and why.
//!
//! [`route`] evaluates, in order: account routing (the visitor's email domain or company → the
//! account's owner, imported from CSV with `parse_accounts_csv`, feature `calendar`); custom
//! [`Rule`]s by priority (conditions on lead attributes and answers → a set of agents, round
//! robin inside the set); the default pool; and the [`Fallback`] (a message, or any agent of
//! the pool). A stage that finds nobody free is recorded and the next is tried. [`simulate`]
//! answers "who would get the next meeting for this visitor at this time" without booking:
//! routing is pure, and the standing changes only through [`credit`] and its companions.
//!
//! The round robin: the agent who has waited longest since their last assignment goes next;
//! among agents never assigned, the one earliest in the pool's order. With five agents where
//! agent 3 took the last meeting, agent 4 gets the next, then 5, then 1. An agent who is not
//! free at the requested time is skipped but keeps their place, so they get the next meeting
//! they can take ("skipped, not lost"). Every stage uses the pool's one standing, restricted to
//! the stage's agents.
//!
//! Weights: when the members who take meetings do not all have the same weight
//! ([`is_weighted`]), the order is fewest meetings this period for their weight first
//! ([`Member::count`] / [`Member::weight_percent`], compared exactly), then longest waiting,
//! then position; so an agent at 200 % gets twice the meetings of one at 100 %. At equal weights
//! that order is *not* the round robin above (an agent busy for a whole cycle would catch up on
//! every meeting missed, where the round robin gives them back one), so equal weights always
//! mean the round robin, exactly. A member at 0 % never gets a meeting. [`credit_back`] gives a
//! canceled meeting back (one fewer counted, the place regained), [`joining_count`] starts a
//! newcomer level with the least served, and [`period_key`] / [`reset_counts`] start counts
//! again each month, or never.
//!
//! Every decision comes with a [`Trace`]: each stage evaluated, each candidate's
//! [`Availability`] in queue order, the pick or the fallback. [`Trace::explanation`] is the
//! paragraph stored on the meeting; it never quotes visitor data.

mod accounts;
mod route;
mod standing;
mod trace;

#[cfg(test)]
mod tests;

pub use accounts::{AccountKey, AccountRoute, LineError, MatchedBy};
#[cfg(feature = "calendar")]
pub use accounts::{MAX_CSV_BYTES, MAX_FIELD_CHARS, MAX_ROWS, parse_accounts_csv};
pub use route::{Assignment, Availability, Fallback, Route, RoutingConfig, Rule, Visitor, choose, route, simulate};
pub use standing::{
    Member, NORMAL_WEIGHT, Reset, credit, credit_back, is_weighted, joining_count, joining_count_at, next_in_line,
    period_key, queue, reset_counts, revert_credit,
};
pub use trace::{Candidate, Stage, Status, Step, Trace};
