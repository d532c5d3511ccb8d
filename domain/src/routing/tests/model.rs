//! A state-machine test: random sequences of agents joining and leaving, becoming busy or free,
//! changing weight, meetings booked and canceled, and new periods, run through the real
//! functions and through a small reference model that recomputes the order from scratch at
//! every step; the two must agree on every pick and every standing.

use super::*;
use proptest::prelude::*;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Op {
    Join { weight: u32 },
    Leave { who: usize },
    Set { who: usize, availability: Availability },
    Weigh { who: usize, weight: u32 },
    Book,
    Cancel { which: usize },
    NewPeriod,
}

fn weight(all_normal: bool) -> BoxedStrategy<u32> {
    if all_normal { Just(100u32).boxed() } else { prop::sample::select(vec![0u32, 50, 100, 100, 200, 300]).boxed() }
}

fn op(all_normal: bool) -> impl Strategy<Value = Op> {
    let availability = prop::sample::select(vec![
        Availability::Free,
        Availability::Free,
        Availability::Busy,
        Availability::UnhealthyCalendar,
        Availability::DailyCapReached,
        Availability::NotWorking,
    ]);
    prop_oneof![
        2 => weight(all_normal).prop_map(|weight| Op::Join { weight }),
        1 => any::<usize>().prop_map(|who| Op::Leave { who }),
        4 => (any::<usize>(), availability).prop_map(|(who, availability)| Op::Set { who, availability }),
        1 => (any::<usize>(), weight(all_normal)).prop_map(|(who, weight)| Op::Weigh { who, weight }),
        8 => Just(Op::Book),
        2 => any::<usize>().prop_map(|which| Op::Cancel { which }),
        1 => Just(Op::NewPeriod),
    ]
}

/// The weights of the first agents and the operations; in half the runs every weight is 100 %.
fn scenario() -> impl Strategy<Value = (Vec<u32>, Vec<Op>)> {
    any::<bool>().prop_flat_map(|all_normal| {
        (prop::collection::vec(weight(all_normal), 0..5), prop::collection::vec(op(all_normal), 1..120))
    })
}

/// One agent as the model sees them.
#[derive(Debug, Clone)]
struct Agent {
    id: AgentId,
    position: u32,
    weight: u32,
    /// Meetings this period.
    count: u32,
    /// Larger is more recently served.
    place: u64,
    availability: Availability,
}

/// The reference: a plain list of agents, the order recomputed by selection at every question.
#[derive(Debug, Default)]
struct Model {
    agents: Vec<Agent>,
}

impl Model {
    fn takers(&self) -> Vec<&Agent> {
        self.agents.iter().filter(|a| a.weight > 0).collect()
    }

    /// Everyone who takes meetings, in order: when weights differ, fewest meetings per weight
    /// first; then least recently served; then position; then as listed.
    fn order(&self) -> Vec<AgentId> {
        let mut left = self.takers();
        let weighted = left.iter().any(|a| a.weight != left[0].weight);
        let before = |a: &Agent, b: &Agent| {
            let share = |x: &Agent| f64::from(x.count) / f64::from(x.weight);
            let by_share =
                if weighted { share(a).partial_cmp(&share(b)).unwrap_or(Ordering::Equal) } else { Ordering::Equal };
            by_share.then(a.place.cmp(&b.place)).then(a.position.cmp(&b.position))
        };
        let mut order = Vec::new();
        while !left.is_empty() {
            let mut best = 0;
            for i in 1..left.len() {
                if before(left[i], left[best]) == Ordering::Less {
                    best = i;
                }
            }
            order.push(left.remove(best).id.clone());
        }
        order
    }

    fn pick(&self) -> Option<AgentId> {
        self.order()
            .into_iter()
            .find(|id| self.agents.iter().any(|a| &a.id == id && a.availability == Availability::Free))
    }

    fn book(&mut self, id: &AgentId) {
        let next = self.agents.iter().map(|a| a.place).max().unwrap_or(0) + 1;
        if let Some(a) = self.agents.iter_mut().find(|a| &a.id == id) {
            a.count += 1;
            a.place = next;
        }
    }

    /// A meeting given back: one fewer, and just ahead of whoever else waits longest.
    fn give_back(&mut self, id: &AgentId) {
        let front = self.agents.iter().filter(|a| &a.id != id && a.weight > 0).map(|a| a.place).min();
        if let Some(a) = self.agents.iter_mut().find(|a| &a.id == id) {
            a.count = a.count.saturating_sub(1);
            if let Some(front) = front {
                a.place = a.place.min(front.saturating_sub(1));
            }
        }
    }

    /// A newcomer starts with the largest count whose share is at most everyone's.
    fn join(&mut self, id: AgentId, position: u32, weight: u32) {
        let takers = self.takers();
        let count = if takers.is_empty() {
            0
        } else {
            (0u32..10_000)
                .take_while(|c| {
                    takers.iter().all(|t| u64::from(*c) * u64::from(t.weight) <= u64::from(t.count) * u64::from(weight))
                })
                .last()
                .unwrap_or(0)
        };
        self.agents.push(Agent { id, position, weight, count, place: 0, availability: Availability::Free });
    }
}

/// A meeting booked during the run.
struct Booking {
    agent: AgentId,
    period: u32,
    canceled: bool,
}

proptest! {
    #[test]
    fn routing_agrees_with_the_reference_model(
        credit_back_on in any::<bool>(),
        monthly in any::<bool>(),
        (first, ops) in scenario(),
    ) {
        let config = RoutingConfig {
            credit_back: credit_back_on,
            reset: if monthly { Reset::Monthly } else { Reset::Never },
            ..RoutingConfig::default()
        };
        let ctx = context(&[]);
        let visitor = Visitor { email: None, company: None, context: &ctx };
        let mut members: Vec<Member> = Vec::new();
        let mut table: BTreeMap<AgentId, Availability> = BTreeMap::new();
        let mut model = Model::default();
        let mut bookings: Vec<Booking> = Vec::new();
        let (mut period, mut next_id) = (0u32, 0u32);
        let ops: Vec<Op> = first.into_iter().map(|weight| Op::Join { weight }).chain(ops).collect();
        for op in ops {
            match op {
                Op::Join { weight } => {
                    next_id += 1;
                    let agent = id(&format!("agent-{next_id}"));
                    let mut member = Member::new(agent.clone(), format!("Agent {next_id}"), next_id);
                    member.weight_percent = weight;
                    member.count = joining_count_at(&members, weight);
                    members.push(member);
                    table.insert(agent.clone(), Availability::Free);
                    model.join(agent, next_id, weight);
                }
                Op::Leave { who } if !members.is_empty() => {
                    let i = who % members.len();
                    members.remove(i);
                    model.agents.remove(i);
                }
                Op::Set { who, availability } if !members.is_empty() => {
                    let i = who % members.len();
                    table.insert(members[i].agent.clone(), availability);
                    model.agents[i].availability = availability;
                }
                Op::Weigh { who, weight } if !members.is_empty() => {
                    let i = who % members.len();
                    members[i].weight_percent = weight;
                    model.agents[i].weight = weight;
                }
                Op::Book => {
                    let routed = route(&config, &visitor, &members, |a| table.get(a).copied().unwrap_or(Availability::Free));
                    let picked = routed.assignment.as_ref().map(|a| a.agent.clone());
                    prop_assert_eq!(&picked, &model.pick(), "{:?}", routed.trace);
                    if let Some(agent) = picked {
                        prop_assert_eq!(table.get(&agent), Some(&Availability::Free));
                        credit(&mut members, &agent);
                        model.book(&agent);
                        bookings.push(Booking { agent, period, canceled: false });
                    } else {
                        prop_assert_eq!(routed.fallback_message(), Some(""));
                    }
                }
                Op::Cancel { which } => {
                    let live: Vec<usize> = (0..bookings.len()).filter(|&i| !bookings[i].canceled).collect();
                    if !live.is_empty() {
                        let booking = &mut bookings[live[which % live.len()]];
                        booking.canceled = true;
                        if config.credit_back && booking.period == period {
                            credit_back(&mut members, &booking.agent);
                            model.give_back(&booking.agent);
                        }
                    }
                }
                Op::NewPeriod => {
                    if config.reset == Reset::Monthly {
                        period += 1;
                        reset_counts(&mut members);
                        for agent in &mut model.agents {
                            agent.count = 0;
                        }
                    }
                }
                Op::Leave { .. } | Op::Set { .. } | Op::Weigh { .. } => {}
            }
            // The standings agree, and so does the order the routing page shows.
            let real: Vec<(&AgentId, u32, u64, u32)> =
                members.iter().map(|m| (&m.agent, m.count, m.last_assigned, m.weight_percent)).collect();
            let reference: Vec<(&AgentId, u32, u64, u32)> =
                model.agents.iter().map(|a| (&a.id, a.count, a.place, a.weight)).collect();
            prop_assert_eq!(real, reference);
            let order: Vec<AgentId> = queue(&members).into_iter().map(|m| m.agent.clone()).collect();
            prop_assert_eq!(order, model.order());
        }
    }
}
