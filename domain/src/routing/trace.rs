//! The record of a routing decision: every stage evaluated, in order, and the paragraph that
//! explains it, stored on the meeting.
//!
//! The explanation names agents, rules (by the name their author gave them) and the author's
//! own conditions (through [`crate::targeting::explain`]); it never quotes what the visitor
//! typed or what is stored about them, not even the email domain that matched an account.

use super::accounts::MatchedBy;
use super::route::{Availability, Fallback};
use crate::ids::AgentId;
use serde::{Deserialize, Serialize};

/// The stage of routing that made (or tried to make) an assignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stage {
    /// Account routing: the owner of the visitor's account.
    Account,
    /// A custom rule's set of agents.
    Rule {
        /// The rule's id.
        id: String,
        /// The rule's name, as its author wrote it.
        name: String,
    },
    /// The default pool.
    Default,
    /// The fallback [`Fallback::AnyAgent`]: the whole pool, whatever the rules say.
    AnyAgent,
}

/// Where a candidate stood when routing asked about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Free at the requested time.
    Free,
    /// Busy at the requested time.
    Busy,
    /// Their calendar connection does not work, so their time cannot be checked.
    UnhealthyCalendar,
    /// They already have as many meetings that day as their daily cap allows.
    DailyCapReached,
    /// The time is outside their working hours, or too soon or too far ahead for them.
    NotWorking,
    /// Their weight is 0 %: they take no meetings. Not asked about.
    Paused,
    /// Named by a rule or an account route, but not a member of the pool. Not asked about.
    NotInPool,
}

impl From<Availability> for Status {
    fn from(availability: Availability) -> Self {
        match availability {
            Availability::Free => Status::Free,
            Availability::Busy => Status::Busy,
            Availability::UnhealthyCalendar => Status::UnhealthyCalendar,
            Availability::DailyCapReached => Status::DailyCapReached,
            Availability::NotWorking => Status::NotWorking,
        }
    }
}

/// One agent considered at a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The agent.
    pub agent: AgentId,
    /// Their display name; the agent id for an agent not in the pool.
    pub name: String,
    /// Where they stood.
    pub status: Status,
    /// Their meetings this period when asked (0 for an agent not in the pool).
    pub count: u32,
    /// Their weight in percent (0 for an agent not in the pool).
    pub weight_percent: u32,
}

/// One stage of a routing decision, as evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Account routes exist, and none matched the visitor's email domain or company.
    NoAccount,
    /// An account route matched; the owner gets the meeting if they are free.
    Account {
        /// Which of the visitor's keys matched.
        matched_by: MatchedBy,
        /// The account's owner and where they stood.
        owner: Candidate,
    },
    /// A custom rule's conditions were checked.
    Rule {
        /// The rule's id.
        id: String,
        /// The rule's name.
        name: String,
        /// The rule's priority (lower first).
        priority: u32,
        /// Whether the visitor met the conditions.
        matched: bool,
        /// Why not, in [`crate::targeting::explain`]'s words; `None` when matched.
        reason: Option<String>,
    },
    /// Round robin over one set of candidates.
    RoundRobin {
        /// The stage whose set this is.
        stage: Stage,
        /// Whether the pool uses the weighted order ([`super::is_weighted`]).
        weighted: bool,
        /// Members who take meetings, in the order of the round robin, each with their
        /// availability; then members at 0 % and agents not in the pool, as listed.
        candidates: Vec<Candidate>,
        /// The first free candidate in order; `None` when nobody was free.
        picked: Option<AgentId>,
    },
    /// Nobody was free at any earlier stage; the fallback applies. For
    /// [`Fallback::AnyAgent`] a round robin over the whole pool follows.
    Fallback {
        /// The pool's fallback.
        fallback: Fallback,
    },
}

/// Every stage of one routing decision, in the order evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Trace {
    /// The stages, in order.
    pub steps: Vec<Step>,
}

impl Trace {
    /// The readable paragraph stored on the meeting: one or two sentences per step. It names
    /// agents and rules and quotes the rules' own conditions, never visitor data.
    pub fn explanation(&self) -> String {
        self.steps.iter().map(sentence).collect::<Vec<_>>().join(" ")
    }
}

/// The sentences for one step.
fn sentence(step: &Step) -> String {
    match step {
        Step::NoAccount => "No account route matched the visitor.".to_owned(),
        Step::Account { matched_by, owner } => {
            let key = match matched_by {
                MatchedBy::Domain => "email domain",
                MatchedBy::Company => "company",
            };
            format!("The visitor's {key} matches an account owned by {}, who was {}.", owner.name, state(owner.status))
        }
        Step::Rule { name, matched: true, .. } => format!("Rule \"{name}\" matched."),
        Step::Rule { name, reason: Some(reason), .. } => format!("Rule \"{name}\" did not match: {reason}"),
        Step::Rule { name, .. } => format!("Rule \"{name}\" did not match."),
        Step::RoundRobin { stage, weighted, candidates, picked } => {
            round_robin(&scope(stage, *weighted), *weighted, candidates, picked.as_ref())
        }
        Step::Fallback { fallback: Fallback::Message(_) } => {
            "Nobody was free, so the visitor is offered the fallback message.".to_owned()
        }
        Step::Fallback { fallback: Fallback::AnyAgent } => {
            "Nobody was free there, so the whole pool was tried.".to_owned()
        }
    }
}

/// What the round robin of a stage is called in a sentence.
fn scope(stage: &Stage, weighted: bool) -> String {
    let kind = if weighted { "weighted round robin" } else { "round robin" };
    match stage {
        Stage::Account => "account routing".to_owned(),
        Stage::Rule { .. } => format!("the rule's {kind}"),
        Stage::Default => format!("the {kind}"),
        Stage::AnyAgent => format!("the {kind} of the whole pool"),
    }
}

fn round_robin(scope: &str, weighted: bool, candidates: &[Candidate], picked: Option<&AgentId>) -> String {
    let Some(at) = picked.and_then(|p| candidates.iter().position(|c| &c.agent == p)) else {
        return if candidates.is_empty() {
            format!("Nobody is in {scope}.")
        } else {
            format!("Nobody in {scope} was free: {}.", groups(candidates))
        };
    };
    let chosen = &candidates[at];
    let who = if weighted {
        let plural = if chosen.count == 1 { "" } else { "s" };
        format!("{} ({} meeting{plural} this period at {} %)", chosen.name, chosen.count, chosen.weight_percent)
    } else {
        chosen.name.clone()
    };
    let ahead = &candidates[..at];
    let statuses = grouped(ahead);
    match statuses.as_slice() {
        [] => format!("{who} was next in {scope} and free at that time."),
        [(status, names)] => format!(
            "{who} was the first free agent in {scope}; {} {} ahead but {} and keep{} their place.",
            names.join(", "),
            if names.len() == 1 { "was" } else { "were" },
            state(*status),
            if names.len() == 1 { "s" } else { "" },
        ),
        _ => format!(
            "{who} was the first free agent in {scope}. Ahead in line and keeping their place: {}.",
            groups(ahead)
        ),
    }
}

/// Candidates grouped by status, in order of first appearance: "Ann, Bob were busy at that
/// time; Cy was at their daily meeting limit".
fn groups(candidates: &[Candidate]) -> String {
    grouped(candidates)
        .iter()
        .map(|(status, names)| {
            format!("{} {} {}", names.join(", "), if names.len() == 1 { "was" } else { "were" }, state(*status))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn grouped(candidates: &[Candidate]) -> Vec<(Status, Vec<&str>)> {
    let mut groups: Vec<(Status, Vec<&str>)> = Vec::new();
    for candidate in candidates {
        match groups.iter_mut().find(|(status, _)| *status == candidate.status) {
            Some((_, names)) => names.push(&candidate.name),
            None => groups.push((candidate.status, vec![&candidate.name])),
        }
    }
    groups
}

/// A status as it follows "was" or "were".
fn state(status: Status) -> &'static str {
    match status {
        Status::Free => "free at that time",
        Status::Busy => "busy at that time",
        Status::UnhealthyCalendar => "without a working calendar connection",
        Status::DailyCapReached => "at their daily meeting limit",
        Status::NotWorking => "not working at that time",
        Status::Paused => "paused (weight 0 %)",
        Status::NotInPool => "not in this routing pool",
    }
}
