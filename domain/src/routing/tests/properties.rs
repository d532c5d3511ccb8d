//! Properties of routing over generated pools, configurations, visitors and availabilities.

use super::*;
use crate::targeting::{Condition, Group, Mode};
use proptest::prelude::*;

const AVAILABILITIES: [Availability; 5] = [
    Availability::Free,
    Availability::Busy,
    Availability::UnhealthyCalendar,
    Availability::DailyCapReached,
    Availability::NotWorking,
];

/// Up to seven members with weights that are often equal, some 0 %, and random standings.
fn members() -> impl Strategy<Value = Vec<Member>> {
    (1usize..8, any::<bool>()).prop_flat_map(|(n, all_normal)| {
        let weight = if all_normal {
            Just(100u32).boxed()
        } else {
            prop::sample::select(vec![0u32, 50, 100, 100, 100, 200, 300]).boxed()
        };
        prop::collection::vec((weight, 0u32..6, 0u64..12), n).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (weight_percent, count, last_assigned))| Member {
                    agent: id(&format!("agent-{}", i + 1)),
                    name: format!("Agent {}", i + 1),
                    position: i as u32 + 1,
                    last_assigned,
                    weight_percent,
                    count,
                })
                .collect()
        })
    })
}

/// Agent ids `agent-1` … `agent-9`: most in any generated pool, some never.
fn agent_ids() -> impl Strategy<Value = Vec<AgentId>> {
    prop::collection::vec((1u32..10).prop_map(|i| id(&format!("agent-{i}"))), 0..4)
}

fn config() -> impl Strategy<Value = RoutingConfig> {
    let account =
        (prop::sample::select(vec!["a.test", "b.test", "Acme"]), 1u32..10).prop_map(|(key, owner)| AccountRoute {
            key: if key.contains('.') {
                AccountKey::Domain(key.to_owned())
            } else {
                AccountKey::Company(key.to_owned())
            },
            owner: id(&format!("agent-{owner}")),
        });
    let condition = prop::option::of(prop::sample::select(vec!["gold", "silver"]));
    let rule = (0u32..3, condition, agent_ids()).prop_map(|(priority, tier, agents)| Rule {
        id: format!("r{priority}-{}", tier.unwrap_or("all")),
        name: format!("Tier {}", tier.unwrap_or("any")),
        priority,
        when: Group {
            mode: Mode::All,
            conditions: tier
                .map(|t| Condition::Equals { field: "lead.tier".to_owned(), value: t.to_owned() })
                .into_iter()
                .collect(),
            groups: vec![],
        },
        agents,
    });
    (
        prop::collection::vec(account, 0..3),
        prop::collection::vec(rule, 0..4).prop_map(|rules| {
            // Ids are unique in a stored configuration.
            rules.into_iter().enumerate().map(|(i, r)| Rule { id: format!("{i}-{}", r.id), ..r }).collect::<Vec<_>>()
        }),
        prop::option::of(agent_ids()),
        any::<bool>(),
    )
        .prop_map(|(accounts, rules, default_agents, any_agent)| RoutingConfig {
            accounts,
            rules,
            default_agents,
            fallback: if any_agent { Fallback::AnyAgent } else { Fallback::Message("Later".to_owned()) },
            ..RoutingConfig::default()
        })
}

/// A visitor: an email, a company and a tier, each maybe.
fn visitor() -> impl Strategy<Value = (Option<&'static str>, Option<&'static str>, Option<&'static str>)> {
    (
        prop::option::of(prop::sample::select(vec!["jo@a.test", "jo@B.test", "jo@c.test"])),
        prop::option::of(prop::sample::select(vec!["acme", "Globex"])),
        prop::option::of(prop::sample::select(vec!["gold", "silver", "bronze"])),
    )
}

/// The availability of `agent-i` is `table[i - 1]`.
fn lookup(table: &[Availability], agent: &AgentId) -> Availability {
    agent
        .as_str()
        .strip_prefix("agent-")
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| table.get(i.wrapping_sub(1)).copied())
        .unwrap_or(Availability::Free)
}

/// The round robin as it was before weights: longest waiting first, ties by position.
fn classic_choose(members: &[Member], is_free: impl Fn(&AgentId) -> bool) -> Option<AgentId> {
    let mut q: Vec<&Member> = members.iter().collect();
    q.sort_by_key(|m| (m.last_assigned, m.position));
    q.into_iter().find(|m| is_free(&m.agent)).map(|m| m.agent.clone())
}

proptest! {
    /// Whatever the configuration, the visitor and who is free: the chosen agent is a member
    /// who takes meetings and is free, and belongs to the set of the stage that chose them;
    /// the agents skipped are exactly those not free ahead of them in that set's queue; every
    /// earlier stage found nobody free; and nobody is chosen only when no stage tried had
    /// anyone free.
    #[test]
    fn routing_picks_a_free_agent_of_the_stage_that_picked(
        members in members(),
        config in config(),
        (email, company, tier) in visitor(),
        table in prop::collection::vec(prop::sample::select(AVAILABILITIES.to_vec()), 9),
    ) {
        let lead: Vec<(&str, &str)> = tier.map(|t| ("lead.tier", t)).into_iter().collect();
        let ctx = context(&lead);
        let visitor = Visitor { email, company, context: &ctx };
        let route = route(&config, &visitor, &members, |a| lookup(&table, a));
        let free = |a: &AgentId| lookup(&table, a) == Availability::Free;
        let taker = |a: &AgentId| members.iter().any(|m| &m.agent == a && m.takes_meetings());
        let picks: Vec<Option<&AgentId>> = route.trace.steps.iter().filter_map(|s| match s {
            Step::RoundRobin { picked, .. } => Some(picked.as_ref()),
            _ => None,
        }).collect();
        match &route.assignment {
            Some(a) => {
                prop_assert!(free(&a.agent) && taker(&a.agent), "{a:?}");
                prop_assert!(!a.explanation.is_empty());
                let set: Option<Vec<AgentId>> = match &a.stage {
                    Stage::Account => {
                        let owner = super::super::accounts::account_owner(&config.accounts, email, company);
                        prop_assert_eq!(owner.map(|(_, o)| o), Some(&a.agent));
                        prop_assert!(picks.iter().all(Option::is_none));
                        None
                    }
                    Stage::Rule { id, .. } => {
                        let rule = config.rules.iter().find(|r| &r.id == id);
                        prop_assert!(rule.is_some());
                        let matched = route.trace.steps.iter().any(|s| matches!(s, Step::Rule { id: i, matched: true, .. } if i == id));
                        prop_assert!(matched);
                        rule.map(|r| r.agents.clone())
                    }
                    Stage::Default => config.default_agents.clone(),
                    Stage::AnyAgent => {
                        prop_assert_eq!(&config.fallback, &Fallback::AnyAgent);
                        None
                    }
                };
                if a.stage != Stage::Account {
                    let queue: Vec<&AgentId> = queue(&members)
                        .into_iter()
                        .map(|m| &m.agent)
                        .filter(|agent| set.as_ref().is_none_or(|s| s.contains(agent)))
                        .collect();
                    let at = queue.iter().position(|agent| *agent == &a.agent);
                    prop_assert!(at.is_some(), "{:?} not in its stage's set {:?}", a.agent, queue);
                    let ahead: Vec<AgentId> = queue[..at.unwrap_or(0)].iter().map(|x| (*x).clone()).collect();
                    prop_assert!(ahead.iter().all(|x| !free(x)));
                    prop_assert_eq!(&a.skipped, &ahead);
                    prop_assert_eq!(picks.last().copied().flatten(), Some(&a.agent));
                    prop_assert!(picks[..picks.len() - 1].iter().all(Option::is_none));
                }
            }
            None => {
                prop_assert!(picks.iter().all(Option::is_none));
                for step in &route.trace.steps {
                    if let Step::RoundRobin { candidates, .. } = step {
                        prop_assert!(candidates.iter().all(|c| c.status != Status::Free));
                    }
                }
                match &config.fallback {
                    Fallback::AnyAgent => prop_assert!(members.iter().all(|m| !m.takes_meetings() || !free(&m.agent))),
                    Fallback::Message(m) => prop_assert_eq!(route.fallback_message(), Some(m.as_str())),
                }
            }
        }
    }

    /// `choose` is `route` with nothing configured: same agent, same skipped, same words.
    #[test]
    fn choose_is_route_with_nothing_configured(members in members(), busy in prop::collection::vec(any::<bool>(), 9)) {
        let table: Vec<Availability> =
            busy.iter().map(|&b| if b { Availability::Busy } else { Availability::Free }).collect();
        let ctx = context(&[]);
        let visitor = Visitor { email: None, company: None, context: &ctx };
        let routed = route(&RoutingConfig::default(), &visitor, &members, |a| lookup(&table, a));
        prop_assert_eq!(choose(&members, |a| lookup(&table, a) == Availability::Free), routed.assignment);
    }

    /// At equal weights, the order is exactly the classic round robin's, whatever the busy
    /// pattern: routing and the rotation as it was agree on every pick.
    #[test]
    fn equal_weights_are_the_classic_round_robin(
        n in 1u32..8,
        weight in prop::sample::select(vec![50u32, 100, 100, 250]),
        busy in prop::collection::vec(prop::collection::vec(any::<bool>(), 8), 1..40),
    ) {
        let mut m = pool(n);
        for member in &mut m {
            member.weight_percent = weight;
        }
        let ctx = context(&[]);
        let visitor = Visitor { email: None, company: None, context: &ctx };
        for row in &busy {
            let is_free = |a: &AgentId| index_of(&m, a).is_some_and(|i| !row[i]);
            let expected = classic_choose(&m, is_free);
            let routed = route(&RoutingConfig::default(), &visitor, &m, |a| if is_free(a) { Availability::Free } else { Availability::Busy });
            prop_assert_eq!(routed.assignment.as_ref().map(|a| &a.agent), expected.as_ref());
            if let Some(agent) = expected {
                credit(&mut m, &agent);
            }
        }
    }

    /// Whatever the busy pattern, the chosen agent is free, and nobody free is passed over
    /// for someone who waited less.
    #[test]
    fn never_picks_a_busy_agent(n in 1u32..8, busy in prop::collection::vec(prop::collection::vec(any::<bool>(), 8), 1..40)) {
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
    fn never_produces_overlaps(n in 1u32..6, requests in prop::collection::vec((0i64..48, 1u32..5), 1..60)) {
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

    /// With everyone free and equal weights, meeting counts never differ by more than one.
    #[test]
    fn everyone_free_is_fair(n in 1u32..10, rounds in 0u64..100, weight in prop::sample::select(vec![50u32, 100, 300])) {
        let mut m = pool(n);
        for member in &mut m {
            member.weight_percent = weight;
        }
        let picks = run(&mut m, rounds, |_, _| false);
        let mut counts = vec![0u32; n as usize];
        for i in picks.into_iter().flatten() {
            counts[i] += 1;
        }
        let (lo, hi) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
        prop_assert!(hi - lo <= 1, "counts {:?}", counts);
    }

    /// With everyone free, each agent's share follows their weight: after T meetings, an agent
    /// at weight w of a total W has between w·(T − n)/W and w·T/W + 1 of them (n agents), so an
    /// agent at 200 % has twice the meetings of one at 100 %, give or take a few.
    #[test]
    fn weights_give_proportional_shares(
        weights in prop::collection::vec(prop::sample::select(vec![0u32, 25, 50, 100, 150, 200, 300, 400]), 1..7),
        rounds in 0u64..300,
    ) {
        let mut m = weighted(&weights);
        for _ in 0..rounds {
            match choose(&m, |_| true) {
                Some(c) => credit(&mut m, &c.agent),
                None => break,
            }
        }
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let takers = weights.iter().filter(|&&w| w > 0).count() as u64;
        let given: u64 = m.iter().map(|x| u64::from(x.count)).sum();
        prop_assert_eq!(given, if takers == 0 { 0 } else { rounds });
        for x in &m {
            let (c, w) = (u64::from(x.count), u64::from(x.weight_percent));
            if w == 0 {
                prop_assert_eq!(c, 0);
            } else {
                prop_assert!(c * total >= w * rounds.saturating_sub(takers), "{:?} after {} rounds", m, rounds);
                prop_assert!(c * total <= w * rounds + total, "{:?} after {} rounds", m, rounds);
            }
        }
    }
}
