//! A pool's standing: the order in which its members are offered meetings, and how an
//! assignment, a credit back, a newcomer and a new period change it.
//!
//! Two orders, chosen by the pool's weights ([`is_weighted`]):
//! - *Rotation*, when every member who takes meetings has the same weight (the usual case, all
//!   at 100 %): longest waiting first ([`Member::last_assigned`]), ties by position. This is
//!   the classic round robin, unchanged: an agent who is not free is skipped, keeps their place
//!   and gets the next meeting they can take, and only that one (no catching up on the rest).
//! - *Weighted*, when weights differ: fewest meetings for their weight first
//!   ([`Member::count`] / [`Member::weight_percent`], compared exactly), then longest waiting,
//!   then position. Over many rounds an agent at 200 % gets twice the meetings of one at 100 %,
//!   whichever candidate set the meetings come from, because the counts are the pool's. An
//!   agent who could not take meetings for a while (busy, not working, calendar down) catches
//!   up on their share until the period ends ([`Reset`]), which is what a target share means.
//!
//! The weighted order does not reduce to the rotation at equal weights: an agent busy for a
//! whole cycle would catch up on every meeting they missed, where the rotation gives them one.
//! Hence two orders, and equal weights always mean the rotation.

use crate::ids::AgentId;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// The weight of a normal share of meetings, in percent.
pub const NORMAL_WEIGHT: u32 = 100;

fn normal_weight() -> u32 {
    NORMAL_WEIGHT
}

/// One agent's standing in a routing pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// The agent.
    pub agent: AgentId,
    /// Display name, used in explanations.
    pub name: String,
    /// Place in the pool's configured order, from 1.
    pub position: u32,
    /// Sequence number of the pool's assignment this agent last received; 0 if never.
    /// [`credit_back`] may lower it, to put the agent back at the front of the line.
    pub last_assigned: u64,
    /// The agent's share of meetings in percent: 100 is a normal share, 200 twice as many,
    /// 0 none at all (the agent is never offered a meeting).
    #[serde(default = "normal_weight")]
    pub weight_percent: u32,
    /// Meetings credited in the current period ([`period_key`]): raised by [`credit`], lowered
    /// by [`credit_back`], set to zero when a period starts ([`reset_counts`]) and to the pool's
    /// minimum for a newcomer ([`joining_count`]). Only the weighted order reads it.
    #[serde(default)]
    pub count: u32,
}

impl Member {
    /// A member at a normal weight who has had no meeting yet.
    pub fn new(agent: AgentId, name: impl Into<String>, position: u32) -> Self {
        Member { agent, name: name.into(), position, last_assigned: 0, weight_percent: NORMAL_WEIGHT, count: 0 }
    }

    /// Whether the member may be offered meetings at all: their weight is above 0 %.
    pub fn takes_meetings(&self) -> bool {
        self.weight_percent > 0
    }
}

/// When the meeting counts of a pool start again from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reset {
    /// At the start of every calendar month, in UTC.
    #[default]
    Monthly,
    /// Never: counts run for the life of the pool.
    Never,
}

/// The period `now` falls in: `"2026-11"` (the UTC month) for [`Reset::Monthly`], `"all"` for
/// [`Reset::Never`]. The caller stores it with the counts and calls [`reset_counts`] when it
/// changes.
pub fn period_key(now: DateTime<Utc>, reset: Reset) -> String {
    match reset {
        Reset::Monthly => format!("{:04}-{:02}", now.year(), now.month()),
        Reset::Never => "all".to_owned(),
    }
}

/// Starts a new period: every member's count goes back to zero. Places in line
/// ([`Member::last_assigned`]) are kept, so the rotation goes on where it was.
pub fn reset_counts(members: &mut [Member]) {
    for member in members {
        member.count = 0;
    }
}

/// Whether the pool uses the weighted order: the members who take meetings do not all have
/// the same weight. A pool whose members are all at 100 % (or all at any one weight) uses the
/// rotation. Members at 0 % take no meetings and do not count.
pub fn is_weighted(members: &[Member]) -> bool {
    let mut weights = members.iter().filter(|m| m.takes_meetings()).map(|m| m.weight_percent);
    match weights.next() {
        Some(first) => weights.any(|w| w != first),
        None => false,
    }
}

/// Members in the order they will be offered meetings (see the module's documentation for the
/// two orders). Members at 0 % are never offered one and are left out.
pub fn queue(members: &[Member]) -> Vec<&Member> {
    ordered(members.iter(), is_weighted(members))
}

/// Who gets the next meeting if everyone is free.
pub fn next_in_line(members: &[Member]) -> Option<&Member> {
    queue(members).into_iter().next()
}

/// Records that `agent` was given a meeting: one more meeting this period, and the pool's next
/// sequence number (one above every member's) as their last assignment, which sends them to the
/// back of the line. An agent who is not a member is ignored.
pub fn credit(members: &mut [Member], agent: &AgentId) {
    let seq = members.iter().map(|m| m.last_assigned).max().unwrap_or(0).saturating_add(1);
    if let Some(member) = members.iter_mut().find(|m| &m.agent == agent) {
        member.count = member.count.saturating_add(1);
        member.last_assigned = seq;
    }
}

/// Gives back a meeting that was canceled or not attended, when the pool credits those back:
/// one meeting fewer this period (never below zero), and the agent regains their place at the
/// front of the line, just ahead of whoever has waited longest (among members never assigned
/// a meeting, whose place is 0, by position). Call it once per meeting, and only for a meeting
/// credited in the current period.
pub fn credit_back(members: &mut [Member], agent: &AgentId) {
    let front = members.iter().filter(|m| &m.agent != agent && m.takes_meetings()).map(|m| m.last_assigned).min();
    if let Some(member) = members.iter_mut().find(|m| &m.agent == agent) {
        member.count = member.count.saturating_sub(1);
        if let Some(front) = front {
            member.last_assigned = member.last_assigned.min(front.saturating_sub(1));
        }
    }
}

/// Undoes [`credit`] when the booking it was for could not be stored: one meeting fewer, and
/// the agent's place back where it was (`previous_last_assigned`, read before the credit).
pub fn revert_credit(members: &mut [Member], agent: &AgentId, previous_last_assigned: u64) {
    if let Some(member) = members.iter_mut().find(|m| &m.agent == agent) {
        member.count = member.count.saturating_sub(1);
        member.last_assigned = previous_last_assigned;
    }
}

/// The count a member at 100 % joining the pool mid-period starts with: the pool's current
/// minimum for their weight, so that they do not take every meeting to "catch up" in the
/// weighted order. With a `last_assigned` of 0 they are still first in line for the next one.
pub fn joining_count(members: &[Member]) -> u32 {
    joining_count_at(members, NORMAL_WEIGHT)
}

/// [`joining_count`] for a newcomer at `weight_percent`: the largest count whose share of
/// their weight is at most every current member's, so they start level with the member who
/// has had the fewest meetings for their weight.
pub fn joining_count_at(members: &[Member], weight_percent: u32) -> u32 {
    members
        .iter()
        .filter(|m| m.takes_meetings())
        .map(|m| u64::from(m.count) * u64::from(weight_percent) / u64::from(m.weight_percent))
        .min()
        .map_or(0, |count| u32::try_from(count).unwrap_or(u32::MAX))
}

/// The members who take meetings among `members`, in the pool's order. `weighted` must be
/// [`is_weighted`] of the whole pool, so a subset is ordered as the pool would order it.
pub(super) fn ordered<'a>(members: impl Iterator<Item = &'a Member>, weighted: bool) -> Vec<&'a Member> {
    let mut queue: Vec<&Member> = members.filter(|m| m.takes_meetings()).collect();
    // A stable sort: members equal on every key stay in the pool's order.
    queue.sort_by(|a, b| {
        let load = if weighted { by_load(a, b) } else { Ordering::Equal };
        load.then(a.last_assigned.cmp(&b.last_assigned)).then(a.position.cmp(&b.position))
    });
    queue
}

/// Compares meetings per weight, `a.count / a.weight` against `b.count / b.weight`, exactly:
/// both products of two `u32`s fit in a `u64`.
fn by_load(a: &Member, b: &Member) -> Ordering {
    let left = u64::from(a.count) * u64::from(b.weight_percent);
    let right = u64::from(b.count) * u64::from(a.weight_percent);
    left.cmp(&right)
}
