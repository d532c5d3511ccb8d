//! Tests for routing: the round robin's examples, the explanation's sentences, account matching
//! and the CSV import, properties of routing, and a state-machine test against a reference model.

use super::*;
use crate::ids::AgentId;
use crate::targeting::VisitorContext;
use chrono::DateTime;
use std::collections::{BTreeMap, BTreeSet};

mod accounts;
mod explanations;
mod model;
mod properties;
mod round_robin;

fn id(agent: &str) -> AgentId {
    AgentId(agent.to_owned())
}

/// Agents `agent-1` … `agent-n`, named `Agent 1` …, at 100 %, never assigned.
fn pool(n: u32) -> Vec<Member> {
    (1..=n).map(|i| Member::new(id(&format!("agent-{i}")), format!("Agent {i}"), i)).collect()
}

/// A pool with these weights, in percent.
fn weighted(weights: &[u32]) -> Vec<Member> {
    let mut members = pool(weights.len() as u32);
    for (member, &weight) in members.iter_mut().zip(weights) {
        member.weight_percent = weight;
    }
    members
}

/// What a visitor looks like to rules: these attributes, nothing else.
fn context(pairs: &[(&str, &str)]) -> VisitorContext {
    VisitorContext {
        page_url: "https://example.com/".to_owned(),
        referrer: None,
        query: BTreeMap::new(),
        known: !pairs.is_empty(),
        attributes: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        returning: false,
        now: DateTime::UNIX_EPOCH,
        completed: BTreeSet::new(),
    }
}

fn index_of(members: &[Member], agent: &AgentId) -> Option<usize> {
    members.iter().position(|m| &m.agent == agent)
}

/// Books `rounds` meetings with [`choose`]; `busy(round, agent index)` says who cannot take
/// that one. The round number is the pool's sequence number.
fn run(members: &mut [Member], rounds: u64, busy: impl Fn(u64, usize) -> bool) -> Vec<Option<usize>> {
    (1..=rounds)
        .map(|round| {
            let chosen = choose(members, |a| index_of(members, a).is_some_and(|i| !busy(round, i)))
                .and_then(|c| index_of(members, &c.agent));
            if let Some(i) = chosen {
                members[i].last_assigned = round;
                members[i].count += 1;
            }
            chosen
        })
        .collect()
}

/// Routes with availability from a table (agents not in it are free).
fn route_with(
    config: &RoutingConfig,
    visitor: &Visitor<'_>,
    members: &[Member],
    table: &[(&str, Availability)],
) -> Route {
    route(config, visitor, members, |a| {
        table
            .iter()
            .find(|(agent, _)| *agent == a.as_str())
            .map_or(Availability::Free, |(_, availability)| *availability)
    })
}
