//! The routing decision: account routing, then custom rules by priority, then the default pool,
//! then the fallback; each stage that finds nobody free is recorded and the next one is tried.

use super::accounts::{AccountRoute, account_owner};
use super::standing::{Member, Reset, is_weighted, ordered};
use super::trace::{Candidate, Stage, Status, Step, Trace};
use crate::ids::AgentId;
use crate::targeting::{Audience, Group, VisitorContext, explain};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether an agent can take a meeting at the requested time, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Free at that time.
    Free,
    /// Another meeting, a hold or a calendar event overlaps the time or its buffers.
    Busy,
    /// The agent's calendar connection does not work, so their time cannot be checked.
    UnhealthyCalendar,
    /// The agent already has as many meetings that day as their daily cap allows.
    DailyCapReached,
    /// The time is outside the agent's working hours, or too soon (minimum notice) or too far
    /// ahead (horizon) for them.
    NotWorking,
}

/// The outcome of routing, with the reason recorded for the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The chosen agent.
    pub agent: AgentId,
    /// Agents ahead of the chosen one in the round robin that picked them who were not free,
    /// in queue order (empty when the account owner was chosen).
    pub skipped: Vec<AgentId>,
    /// Why this agent was chosen: [`Trace::explanation`] of the decision.
    pub explanation: String,
    /// The stage that chose them.
    pub stage: Stage,
}

/// A custom routing rule: visitors who meet its conditions go to its agents, by round robin
/// among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Identifier, stable across edits.
    pub id: String,
    /// Name shown to admins and in explanations.
    pub name: String,
    /// Rules are tried from the lowest priority number up; equal priorities in listed order.
    pub priority: u32,
    /// The conditions, evaluated by [`crate::targeting`] exactly as audiences and branches are.
    #[serde(default)]
    pub when: Group,
    /// The agents who take these visitors.
    #[serde(default)]
    pub agents: Vec<AgentId>,
}

/// What happens when nobody at any stage is free.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// No meeting; the visitor is shown this message (empty: the widget's standard text).
    Message(String),
    /// Round robin over the whole pool, whatever the rules and the default pool say.
    AnyAgent,
}

impl Default for Fallback {
    fn default() -> Self {
        Fallback::Message(String::new())
    }
}

/// A routing pool's configuration, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutingConfig {
    /// Account routes, checked first (imported with `parse_accounts_csv`).
    pub accounts: Vec<AccountRoute>,
    /// Custom rules, tried by priority.
    pub rules: Vec<Rule>,
    /// The default pool; `None` for every member.
    pub default_agents: Option<Vec<AgentId>>,
    /// What happens when nobody is free.
    pub fallback: Fallback,
    /// Whether a canceled meeting or a no-show is given back to its agent
    /// ([`super::credit_back`]); the caller acts on it.
    pub credit_back: bool,
    /// When meeting counts start again from zero ([`super::period_key`]); the caller acts on it.
    pub reset: Reset,
}

/// What routing knows about the visitor.
#[derive(Debug, Clone, Copy)]
pub struct Visitor<'a> {
    /// The visitor's email, if known (typed in the chat or from their lead).
    pub email: Option<&'a str>,
    /// The visitor's company, if known (the lead's `company` field or an answer).
    pub company: Option<&'a str>,
    /// What rules' conditions are evaluated against: `attributes` holds the lead's fields and
    /// the conversation's answers, named as branch conditions name them (`lead.<field>`,
    /// `answer.<card id>`, see [`crate::dialogue::Rule`]).
    pub context: &'a VisitorContext,
}

/// A routing decision and its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// Who gets the meeting; `None` when nobody at any stage was free.
    pub assignment: Option<Assignment>,
    /// Every stage evaluated.
    pub trace: Trace,
}

impl Route {
    /// The message to show the visitor when nobody was free and the fallback is a message.
    pub fn fallback_message(&self) -> Option<&str> {
        if self.assignment.is_some() {
            return None;
        }
        self.trace.steps.iter().find_map(|step| match step {
            Step::Fallback { fallback: Fallback::Message(message) } => Some(message.as_str()),
            _ => None,
        })
    }
}

/// Decides who gets a meeting for `visitor` at the time `availability` is asked about.
///
/// In order: the owner of the visitor's account, if free; then each rule, by priority, whose
/// conditions the visitor meets, by round robin among its agents; then the default pool by
/// round robin; then the fallback. A stage that finds nobody free is recorded with why and the
/// next is tried. The round robin of every stage follows the pool's one standing
/// ([`super::queue`]) restricted to the stage's agents; members at 0 % never get a meeting.
/// `availability` is asked at most once per agent.
///
/// Pure: nothing is booked or credited; the caller calls [`super::credit`] for the agent it
/// books.
pub fn route(
    config: &RoutingConfig,
    visitor: &Visitor<'_>,
    members: &[Member],
    availability: impl FnMut(&AgentId) -> Availability,
) -> Route {
    let mut ask = Asker { ask: availability, answers: BTreeMap::new() };
    let mut steps = Vec::new();
    let pick = decide(config, visitor, members, &mut ask, &mut steps);
    let trace = Trace { steps };
    let assignment =
        pick.map(|(agent, skipped, stage)| Assignment { agent, skipped, explanation: trace.explanation(), stage });
    Route { assignment, trace }
}

/// Who would get the next meeting for this visitor at this time, without booking it: the
/// admin's simulator and the edge's preview. This is [`route`] itself (which changes nothing);
/// it exists so that callers say what they mean.
pub fn simulate(
    config: &RoutingConfig,
    visitor: &Visitor<'_>,
    members: &[Member],
    availability: impl FnMut(&AgentId) -> Availability,
) -> Route {
    route(config, visitor, members, availability)
}

/// Round robin over the whole pool: the first agent in [`super::queue`] for whom `is_free`
/// holds; `None` when nobody is free. This is [`route`] with no accounts and no rules, and the
/// same explanation.
pub fn choose(members: &[Member], mut is_free: impl FnMut(&AgentId) -> bool) -> Option<Assignment> {
    let mut ask = Asker {
        ask: |agent: &AgentId| if is_free(agent) { Availability::Free } else { Availability::Busy },
        answers: BTreeMap::new(),
    };
    let (step, pick) = round_robin(Stage::Default, None, members, is_weighted(members), &mut ask);
    let trace = Trace { steps: vec![step] };
    pick.map(|(agent, skipped)| Assignment { agent, skipped, explanation: trace.explanation(), stage: Stage::Default })
}

/// The chosen agent, those skipped ahead of them, and the stage.
type Pick = (AgentId, Vec<AgentId>, Stage);

fn decide<F: FnMut(&AgentId) -> Availability>(
    config: &RoutingConfig,
    visitor: &Visitor<'_>,
    members: &[Member],
    ask: &mut Asker<F>,
    steps: &mut Vec<Step>,
) -> Option<Pick> {
    let weighted = is_weighted(members);
    if !config.accounts.is_empty() {
        match account_owner(&config.accounts, visitor.email, visitor.company) {
            None => steps.push(Step::NoAccount),
            Some((matched_by, owner)) => {
                let owner = candidate(owner, members, ask);
                let free = owner.status == Status::Free;
                let agent = owner.agent.clone();
                steps.push(Step::Account { matched_by, owner });
                if free {
                    return Some((agent, Vec::new(), Stage::Account));
                }
            }
        }
    }
    let mut rules: Vec<&Rule> = config.rules.iter().collect();
    rules.sort_by_key(|r| r.priority);
    for rule in rules {
        let audience = Audience { attributes: rule.when.clone(), ..Audience::default() };
        let reason = explain(&audience, visitor.context);
        let matched = reason.is_none();
        steps.push(Step::Rule {
            id: rule.id.clone(),
            name: rule.name.clone(),
            priority: rule.priority,
            matched,
            reason,
        });
        if matched {
            let stage = Stage::Rule { id: rule.id.clone(), name: rule.name.clone() };
            if let Some(pick) = try_stage(stage, Some(&rule.agents), members, weighted, ask, steps) {
                return Some(pick);
            }
        }
    }
    if let Some(pick) = try_stage(Stage::Default, config.default_agents.as_deref(), members, weighted, ask, steps) {
        return Some(pick);
    }
    steps.push(Step::Fallback { fallback: config.fallback.clone() });
    match config.fallback {
        Fallback::Message(_) => None,
        Fallback::AnyAgent => try_stage(Stage::AnyAgent, None, members, weighted, ask, steps),
    }
}

/// Runs one stage's round robin, records it, and returns its pick.
fn try_stage<F: FnMut(&AgentId) -> Availability>(
    stage: Stage,
    listed: Option<&[AgentId]>,
    members: &[Member],
    weighted: bool,
    ask: &mut Asker<F>,
    steps: &mut Vec<Step>,
) -> Option<Pick> {
    let (step, pick) = round_robin(stage.clone(), listed, members, weighted, ask);
    steps.push(step);
    pick.map(|(agent, skipped)| (agent, skipped, stage))
}

/// Round robin over the members `listed` (every member for `None`), in the pool's order: every
/// candidate's availability, and the first free one with those not free ahead of them.
fn round_robin<F: FnMut(&AgentId) -> Availability>(
    stage: Stage,
    listed: Option<&[AgentId]>,
    members: &[Member],
    weighted: bool,
    ask: &mut Asker<F>,
) -> (Step, Option<(AgentId, Vec<AgentId>)>) {
    let in_set = |m: &&Member| listed.is_none_or(|ids| ids.contains(&m.agent));
    let mut candidates: Vec<Candidate> = ordered(members.iter().filter(in_set), weighted)
        .into_iter()
        .map(|m| Candidate {
            agent: m.agent.clone(),
            name: m.name.clone(),
            status: ask.get(&m.agent).into(),
            count: m.count,
            weight_percent: m.weight_percent,
        })
        .collect();
    let at = candidates.iter().position(|c| c.status == Status::Free);
    let pick = at.map(|at| {
        let skipped = candidates[..at].iter().map(|c| c.agent.clone()).collect();
        (candidates[at].agent.clone(), skipped)
    });
    candidates.extend(members.iter().filter(in_set).filter(|m| !m.takes_meetings()).map(|m| Candidate {
        agent: m.agent.clone(),
        name: m.name.clone(),
        status: Status::Paused,
        count: m.count,
        weight_percent: 0,
    }));
    if let Some(ids) = listed {
        let mut missing: Vec<&AgentId> = Vec::new();
        for id in ids {
            if !members.iter().any(|m| &m.agent == id) && !missing.contains(&id) {
                missing.push(id);
            }
        }
        candidates.extend(missing.into_iter().map(not_in_pool));
    }
    let picked = pick.as_ref().map(|(agent, _)| agent.clone());
    (Step::RoundRobin { stage, weighted, candidates, picked }, pick)
}

/// One agent as a candidate on their own (an account's owner).
fn candidate<F: FnMut(&AgentId) -> Availability>(agent: &AgentId, members: &[Member], ask: &mut Asker<F>) -> Candidate {
    match members.iter().find(|m| &m.agent == agent) {
        None => not_in_pool(agent),
        Some(m) => Candidate {
            agent: m.agent.clone(),
            name: m.name.clone(),
            status: if m.takes_meetings() { ask.get(&m.agent).into() } else { Status::Paused },
            count: m.count,
            weight_percent: m.weight_percent,
        },
    }
}

fn not_in_pool(agent: &AgentId) -> Candidate {
    Candidate { agent: agent.clone(), name: agent.to_string(), status: Status::NotInPool, count: 0, weight_percent: 0 }
}

/// Asks the caller about each agent's availability once, however many stages name them.
struct Asker<F> {
    ask: F,
    answers: BTreeMap<AgentId, Availability>,
}

impl<F: FnMut(&AgentId) -> Availability> Asker<F> {
    fn get(&mut self, agent: &AgentId) -> Availability {
        if let Some(answer) = self.answers.get(agent) {
            return *answer;
        }
        let answer = (self.ask)(agent);
        self.answers.insert(agent.clone(), answer);
        answer
    }
}
