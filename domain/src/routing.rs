//! Round-robin assignment of a meeting to one agent of a routing pool.
//!
//! The rule: the agent who has waited longest since their last assignment goes next; among
//! agents never assigned, the one earliest in the pool's order. With five agents where agent 3
//! took the last meeting, agent 4 gets the next, then 5, then 1. An agent who is not free at
//! the requested time is skipped but keeps their place, so they get the next meeting they can
//! take ("skipped, not lost").

use crate::ids::AgentId;
use serde::{Deserialize, Serialize};

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
    pub last_assigned: u64,
}

/// The outcome of a round-robin choice, with the reason recorded for the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The chosen agent.
    pub agent: AgentId,
    /// Agents ahead of the chosen one in the queue who were not free, in queue order.
    pub skipped: Vec<AgentId>,
    /// A sentence saying why this agent was chosen.
    pub explanation: String,
}

/// Members in the order they will be offered meetings: longest waiting first, then by position.
pub fn queue(members: &[Member]) -> Vec<&Member> {
    let mut q: Vec<&Member> = members.iter().collect();
    q.sort_by_key(|m| (m.last_assigned, m.position));
    q
}

/// Who gets the next meeting if everyone is free.
pub fn next_in_line(members: &[Member]) -> Option<&Member> {
    queue(members).into_iter().next()
}

/// Chooses the first agent in the queue for whom `is_free` holds; `None` when nobody is free.
pub fn choose(members: &[Member], mut is_free: impl FnMut(&AgentId) -> bool) -> Option<Assignment> {
    let mut skipped: Vec<&Member> = Vec::new();
    for member in queue(members) {
        if is_free(&member.agent) {
            let explanation = if skipped.is_empty() {
                format!("{} was next in the round robin and free at that time.", member.name)
            } else {
                let names: Vec<&str> = skipped.iter().map(|m| m.name.as_str()).collect();
                format!(
                    "{} was the first free agent in the round robin; {} {} ahead but busy at that time and keep{} their place.",
                    member.name,
                    names.join(", "),
                    if names.len() == 1 { "was" } else { "were" },
                    if names.len() == 1 { "s" } else { "" },
                )
            };
            return Some(Assignment {
                agent: member.agent.clone(),
                skipped: skipped.iter().map(|m| m.agent.clone()).collect(),
                explanation,
            });
        }
        skipped.push(member);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pool(n: u32) -> Vec<Member> {
        (1..=n)
            .map(|i| Member {
                agent: AgentId(format!("agent-{i}")),
                name: format!("Agent {i}"),
                position: i,
                last_assigned: 0,
            })
            .collect()
    }

    /// Books `rounds` meetings; `busy(round, agent index)` says who cannot take that one.
    fn run(members: &mut [Member], rounds: u64, busy: impl Fn(u64, usize) -> bool) -> Vec<Option<usize>> {
        (1..=rounds)
            .map(|round| {
                let index_of = |a: &AgentId| members.iter().position(|m| &m.agent == a);
                let chosen =
                    choose(members, |a| index_of(a).is_some_and(|i| !busy(round, i))).and_then(|c| index_of(&c.agent));
                if let Some(i) = chosen {
                    members[i].last_assigned = round;
                }
                chosen
            })
            .collect()
    }

    #[test]
    fn everyone_free_goes_in_order() {
        let mut m = pool(5);
        let picks = run(&mut m, 12, |_, _| false);
        let expected: Vec<Option<usize>> = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1].into_iter().map(Some).collect();
        assert_eq!(picks, expected);
    }

    #[test]
    fn after_agent_3_comes_agent_4() {
        let mut m = pool(5);
        run(&mut m, 3, |_, _| false);
        assert_eq!(next_in_line(&m).map(|x| x.name.as_str()), Some("Agent 4"));
    }

    #[test]
    fn a_busy_agent_is_skipped_not_lost() {
        let mut m = pool(5);
        // Round 2: agent 2 (index 1) is busy, so agent 3 takes it; agent 2 gets round 3.
        let picks = run(&mut m, 6, |round, i| round == 2 && i == 1);
        let expected: Vec<Option<usize>> = [0, 2, 1, 3, 4, 0].into_iter().map(Some).collect();
        assert_eq!(picks, expected);
    }

    #[test]
    fn the_explanation_names_who_was_skipped() {
        let m = pool(3);
        let a = choose(&m, |a| a.as_str() == "agent-3");
        assert_eq!(
            a.map(|a| a.explanation),
            Some("Agent 3 was the first free agent in the round robin; Agent 1, Agent 2 were ahead but busy at that time and keep their place.".to_owned())
        );
        assert_eq!(choose(&m, |_| false), None);
    }

    proptest! {
        /// Whatever the busy pattern, the chosen agent is free, and nobody free is passed over
        /// for someone who waited less.
        #[test]
        fn never_picks_a_busy_agent(n in 1u32..8, busy in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 8), 1..40)) {
            let mut m = pool(n);
            for (round, row) in busy.iter().enumerate() {
                let q: Vec<AgentId> = queue(&m).into_iter().map(|x| x.agent.clone()).collect();
                let free = |a: &AgentId| m.iter().position(|x| &x.agent == a).is_some_and(|i| !row[i]);
                match choose(&m, free) {
                    Some(c) => {
                        let i = m.iter().position(|x| x.agent == c.agent).unwrap_or(usize::MAX);
                        prop_assert!(!row[i]);
                        let pos = q.iter().position(|a| a == &c.agent).unwrap_or(usize::MAX);
                        prop_assert!(q[..pos].iter().all(|a| !free(a)));
                        prop_assert_eq!(c.skipped.len(), pos);
                        m[i].last_assigned = round as u64 + 1;
                    }
                    None => prop_assert!(m.iter().enumerate().all(|(i, _)| row[i])),
                }
            }
        }

        /// Booking random requested times through round robin never gives an agent two
        /// overlapping meetings, and a request is refused only when every agent overlaps.
        #[test]
        fn never_produces_overlaps(n in 1u32..6, requests in proptest::collection::vec((0i64..48, 1u32..5), 1..60)) {
            use crate::availability::Interval;
            use chrono::{DateTime, Duration, Utc};
            let base = DateTime::<Utc>::UNIX_EPOCH;
            let mut m = pool(n);
            let mut booked: Vec<Vec<Interval>> = vec![Vec::new(); n as usize];
            for (round, &(q, len)) in requests.iter().enumerate() {
                let want = Interval::starting_at(base + Duration::minutes(q * 15), len * 15);
                let index_of = |a: &AgentId| m.iter().position(|x| &x.agent == a).unwrap_or(usize::MAX);
                let chosen = choose(&m, |a| !booked[index_of(a)].iter().any(|b| b.overlaps(&want)));
                match chosen {
                    Some(c) => {
                        let i = index_of(&c.agent);
                        booked[i].push(want);
                        m[i].last_assigned = round as u64 + 1;
                    }
                    None => prop_assert!(booked.iter().all(|b| b.iter().any(|x| x.overlaps(&want)))),
                }
            }
            for meetings in &booked {
                for (i, a) in meetings.iter().enumerate() {
                    prop_assert!(meetings[i + 1..].iter().all(|b| !a.overlaps(b)));
                }
            }
        }

        /// With everyone free, meeting counts never differ by more than one.
        #[test]
        fn everyone_free_is_fair(n in 1u32..10, rounds in 0u64..100) {
            let mut m = pool(n);
            let picks = run(&mut m, rounds, |_, _| false);
            let mut counts = vec![0u32; n as usize];
            for i in picks.into_iter().flatten() {
                counts[i] += 1;
            }
            let (lo, hi) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
            prop_assert!(hi - lo <= 1, "counts {:?}", counts);
        }
    }
}
