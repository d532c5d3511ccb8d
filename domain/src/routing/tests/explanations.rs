//! The explanation stored on each meeting, stage by stage, as a table; and what the trace and
//! the assignment record besides.

use super::*;
use crate::targeting::{Condition, Group, Mode};
use Availability::{Busy, DailyCapReached, NotWorking, UnhealthyCalendar};

fn rule(id: &str, name: &str, priority: u32, when: Group, agents: &[&str]) -> Rule {
    Rule {
        id: id.to_owned(),
        name: name.to_owned(),
        priority,
        when,
        agents: agents.iter().map(|a| AgentId((*a).to_owned())).collect(),
    }
}

fn equals(field: &str, value: &str) -> Group {
    Group {
        mode: Mode::All,
        conditions: vec![Condition::Equals { field: field.to_owned(), value: value.to_owned() }],
        groups: vec![],
    }
}

fn greater_than(field: &str, value: &str) -> Group {
    Group {
        mode: Mode::All,
        conditions: vec![Condition::GreaterThan { field: field.to_owned(), value: value.to_owned() }],
        groups: vec![],
    }
}

fn accounts() -> Vec<AccountRoute> {
    vec![
        AccountRoute { key: AccountKey::Domain("acme.com".to_owned()), owner: id("agent-2") },
        AccountRoute { key: AccountKey::Company("Globex".to_owned()), owner: id("agent-4") },
        AccountRoute { key: AccountKey::Domain("initech.com".to_owned()), owner: id("agent-9") },
    ]
}

/// Routes a visitor with this email, company and lead, and checks the explanation and who got
/// the meeting.
#[track_caller]
fn check(
    config: &RoutingConfig,
    members: &[Member],
    (email, company, lead): (Option<&str>, Option<&str>, &[(&str, &str)]),
    table: &[(&str, Availability)],
    expected: &str,
    agent: Option<&str>,
) {
    let ctx = context(lead);
    let visitor = Visitor { email, company, context: &ctx };
    let route = route_with(config, &visitor, members, table);
    assert_eq!(route.trace.explanation(), expected);
    assert_eq!(route.assignment.as_ref().map(|a| a.agent.as_str()), agent);
    if let Some(assignment) = &route.assignment {
        assert_eq!(assignment.explanation, expected);
    }
}

#[test]
fn the_round_robin_alone() {
    let plain = RoutingConfig::default();
    let nobody: (Option<&str>, Option<&str>, &[(&str, &str)]) = (None, None, &[]);
    let m = pool(4);
    check(&plain, &m, nobody, &[], "Agent 1 was next in the round robin and free at that time.", Some("agent-1"));
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", Busy)],
        "Agent 2 was the first free agent in the round robin; Agent 1 was ahead but busy at that time and keeps their place.",
        Some("agent-2"),
    );
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", Busy), ("agent-2", Busy)],
        "Agent 3 was the first free agent in the round robin; Agent 1, Agent 2 were ahead but busy at that time and keep their place.",
        Some("agent-3"),
    );
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", NotWorking)],
        "Agent 2 was the first free agent in the round robin; Agent 1 was ahead but not working at that time and keeps their place.",
        Some("agent-2"),
    );
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", UnhealthyCalendar), ("agent-2", DailyCapReached), ("agent-3", UnhealthyCalendar)],
        "Agent 4 was the first free agent in the round robin. Ahead in line and keeping their place: Agent 1, Agent 3 were without a working calendar connection; Agent 2 was at their daily meeting limit.",
        Some("agent-4"),
    );
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", Busy), ("agent-2", Busy), ("agent-3", DailyCapReached), ("agent-4", NotWorking)],
        "Nobody in the round robin was free: Agent 1, Agent 2 were busy at that time; Agent 3 was at their daily meeting limit; Agent 4 was not working at that time. Nobody was free, so the visitor is offered the fallback message.",
        None,
    );
    check(
        &plain,
        &[],
        nobody,
        &[],
        "Nobody is in the round robin. Nobody was free, so the visitor is offered the fallback message.",
        None,
    );

    // Weighted: the pick's standing is part of the sentence.
    let mut m = weighted(&[100, 200, 0]);
    m[0].count = 1;
    m[1].count = 1;
    check(
        &plain,
        &m,
        nobody,
        &[],
        "Agent 2 (1 meeting this period at 200 %) was next in the weighted round robin and free at that time.",
        Some("agent-2"),
    );
    check(
        &plain,
        &m,
        nobody,
        &[("agent-1", Busy), ("agent-2", Busy)],
        "Nobody in the weighted round robin was free: Agent 2, Agent 1 were busy at that time; Agent 3 was paused (weight 0 %). Nobody was free, so the visitor is offered the fallback message.",
        None,
    );
}

#[test]
fn accounts_come_first() {
    let config = RoutingConfig { accounts: accounts(), ..RoutingConfig::default() };
    let m = pool(4);
    check(
        &config,
        &m,
        (Some("jo@ACME.com"), None, &[]),
        &[],
        "The visitor's email domain matches an account owned by Agent 2, who was free at that time.",
        Some("agent-2"),
    );
    check(
        &config,
        &m,
        (Some("jo@gmail.com"), Some("  globex "), &[]),
        &[("agent-4", Busy)],
        "The visitor's company matches an account owned by Agent 4, who was busy at that time. Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
    check(
        &config,
        &m,
        (Some("jo@eu.acme.com"), None, &[]),
        &[],
        "No account route matched the visitor. Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
    check(
        &config,
        &m,
        (Some("jo@initech.com"), None, &[]),
        &[],
        "The visitor's email domain matches an account owned by agent-9, who was not in this routing pool. Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
    let mut paused = pool(4);
    paused[1].weight_percent = 0;
    check(
        &config,
        &paused,
        (Some("jo@acme.com"), None, &[]),
        &[],
        "The visitor's email domain matches an account owned by Agent 2, who was paused (weight 0 %). Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
    // The owner stays in the queue of later stages, with the same answer.
    check(
        &config,
        &m,
        (Some("jo@acme.com"), None, &[]),
        &[("agent-2", DailyCapReached), ("agent-1", Busy)],
        "The visitor's email domain matches an account owned by Agent 2, who was at their daily meeting limit. Agent 3 was the first free agent in the round robin. Ahead in line and keeping their place: Agent 1 was busy at that time; Agent 2 was at their daily meeting limit.",
        Some("agent-3"),
    );
}

#[test]
fn rules_by_priority_then_the_default_pool_then_the_fallback() {
    let config = RoutingConfig {
        rules: vec![
            rule("de", "Germany", 2, equals("lead.country", "DE"), &["agent-3", "agent-4"]),
            rule("big", "Enterprise", 1, greater_than("lead.employees", "1000"), &["agent-2"]),
            rule("empty", "Nobody yet", 3, Group::default(), &[]),
        ],
        default_agents: Some(vec![id("agent-1")]),
        ..RoutingConfig::default()
    };
    let m = pool(4);
    let german: &[(&str, &str)] = &[("lead.country", "de"), ("lead.employees", "50")];
    check(
        &config,
        &m,
        (None, None, german),
        &[],
        "Rule \"Enterprise\" did not match: Lead field \"lead.employees\" is not greater than 1000. Rule \"Germany\" matched. Agent 3 was next in the rule's round robin and free at that time.",
        Some("agent-3"),
    );
    check(
        &config,
        &m,
        (None, None, &[("lead.country", "de"), ("lead.employees", "5000")]),
        &[],
        "Rule \"Enterprise\" matched. Agent 2 was next in the rule's round robin and free at that time.",
        Some("agent-2"),
    );
    // A rule whose agents are all busy: on to the next rule, then the default pool.
    check(
        &config,
        &m,
        (None, None, german),
        &[("agent-3", Busy), ("agent-4", NotWorking)],
        "Rule \"Enterprise\" did not match: Lead field \"lead.employees\" is not greater than 1000. Rule \"Germany\" matched. Nobody in the rule's round robin was free: Agent 3 was busy at that time; Agent 4 was not working at that time. Rule \"Nobody yet\" matched. Nobody is in the rule's round robin. Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
    // Then the fallback: a message…
    let message = RoutingConfig { fallback: Fallback::Message("We'll email you.".to_owned()), ..config.clone() };
    check(
        &message,
        &m,
        (None, None, &[]),
        &[("agent-1", Busy)],
        "Rule \"Enterprise\" did not match: Lead field \"lead.employees\" is unknown. Rule \"Germany\" did not match: Lead field \"lead.country\" is unknown. Rule \"Nobody yet\" matched. Nobody is in the rule's round robin. Nobody in the round robin was free: Agent 1 was busy at that time. Nobody was free, so the visitor is offered the fallback message.",
        None,
    );
    // … or the whole pool.
    let any = RoutingConfig { fallback: Fallback::AnyAgent, rules: vec![], ..config.clone() };
    check(
        &any,
        &m,
        (None, None, &[]),
        &[("agent-1", Busy), ("agent-2", Busy)],
        "Nobody in the round robin was free: Agent 1 was busy at that time. Nobody was free there, so the whole pool was tried. Agent 3 was the first free agent in the round robin of the whole pool; Agent 1, Agent 2 were ahead but busy at that time and keep their place.",
        Some("agent-3"),
    );
    check(
        &any,
        &m,
        (None, None, &[]),
        &[("agent-1", Busy), ("agent-2", Busy), ("agent-3", Busy), ("agent-4", Busy)],
        "Nobody in the round robin was free: Agent 1 was busy at that time. Nobody was free there, so the whole pool was tried. Nobody in the round robin of the whole pool was free: Agent 1, Agent 2, Agent 3, Agent 4 were busy at that time.",
        None,
    );
}

#[test]
fn rules_name_agents_who_cannot_take_meetings() {
    let mut m = pool(3);
    m[1].weight_percent = 0;
    let config = RoutingConfig {
        rules: vec![rule("x", "Partners", 1, Group::default(), &["agent-2", "agent-9", "agent-2"])],
        ..RoutingConfig::default()
    };
    check(
        &config,
        &m,
        (None, None, &[]),
        &[],
        "Rule \"Partners\" matched. Nobody in the rule's round robin was free: Agent 2 was paused (weight 0 %); agent-9 was not in this routing pool. Agent 1 was next in the round robin and free at that time.",
        Some("agent-1"),
    );
}

#[test]
fn the_explanation_never_quotes_the_visitor() {
    let config = RoutingConfig {
        accounts: vec![AccountRoute { key: AccountKey::Domain("secret-corp.test".to_owned()), owner: id("agent-1") }],
        rules: vec![rule("r", "Big", 1, greater_than("lead.employees", "10"), &["agent-2"])],
        ..RoutingConfig::default()
    };
    let ctx = context(&[("lead.employees", "secret-number"), ("lead.email", "jo@secret-corp.test")]);
    let visitor = Visitor { email: Some("jo@secret-corp.test"), company: Some("Secret Corp"), context: &ctx };
    let route = route_with(&config, &visitor, &pool(2), &[("agent-1", Busy)]);
    let explanation = route.trace.explanation();
    assert!(!explanation.to_lowercase().contains("secret"), "{explanation}");
    assert!(!explanation.contains("jo@"), "{explanation}");
    // Nor does the stored trace.
    let stored = serde_json::to_string(&route.trace).unwrap_or_default();
    assert!(!stored.to_lowercase().contains("secret"), "{stored}");
}

#[test]
fn the_assignment_and_trace_record_the_stage_and_candidates() {
    let config = RoutingConfig {
        rules: vec![rule("de", "Germany", 1, equals("lead.country", "DE"), &["agent-3", "agent-2"])],
        fallback: Fallback::Message("Sorry".to_owned()),
        ..RoutingConfig::default()
    };
    let mut m = pool(3);
    m[2].last_assigned = 1;
    let ctx = context(&[("lead.country", "DE")]);
    let visitor = Visitor { email: None, company: None, context: &ctx };
    let route = route_with(&config, &visitor, &m, &[("agent-2", Busy)]);
    let assignment = route.assignment.clone().unwrap_or_else(|| panic!("someone is free"));
    assert_eq!(assignment.agent, id("agent-3"));
    assert_eq!(assignment.skipped, [id("agent-2")]);
    assert_eq!(assignment.stage, Stage::Rule { id: "de".to_owned(), name: "Germany".to_owned() });
    assert_eq!(route.fallback_message(), None);
    // The rule's set in the pool's order (agent 2 has waited longer), each with their status.
    let stored = serde_json::to_value(&route.trace).unwrap_or_default();
    assert_eq!(
        stored,
        serde_json::json!({"steps": [
            {"step": "rule", "id": "de", "name": "Germany", "priority": 1, "matched": true, "reason": null},
            {"step": "round_robin", "stage": {"kind": "rule", "id": "de", "name": "Germany"}, "weighted": false,
             "candidates": [
                {"agent": "agent-2", "name": "Agent 2", "status": "busy", "count": 0, "weight_percent": 100},
                {"agent": "agent-3", "name": "Agent 3", "status": "free", "count": 0, "weight_percent": 100}
             ],
             "picked": "agent-3"}
        ]})
    );
    let back: Trace = serde_json::from_value(stored).unwrap_or_default();
    assert_eq!(back, route.trace);

    // Nobody free: the fallback message is there for the widget.
    let route = route_with(&config, &visitor, &m, &[("agent-1", Busy), ("agent-2", Busy), ("agent-3", Busy)]);
    assert_eq!(route.assignment, None);
    assert_eq!(route.fallback_message(), Some("Sorry"));
    assert_eq!(route.trace.steps.last(), Some(&Step::Fallback { fallback: Fallback::Message("Sorry".to_owned()) }));
}

#[test]
fn availability_is_asked_once_per_agent() {
    let config = RoutingConfig {
        accounts: accounts(),
        rules: vec![rule("all", "Everyone", 1, Group::default(), &["agent-2", "agent-1"])],
        fallback: Fallback::AnyAgent,
        ..RoutingConfig::default()
    };
    let ctx = context(&[]);
    let visitor = Visitor { email: Some("a@acme.com"), company: None, context: &ctx };
    let mut asked: Vec<AgentId> = Vec::new();
    let route = route(&config, &visitor, &pool(3), |a| {
        asked.push(a.clone());
        Busy
    });
    assert_eq!(route.assignment, None);
    asked.sort();
    assert_eq!(asked, [id("agent-1"), id("agent-2"), id("agent-3")]);
}

#[test]
fn simulate_is_route() {
    let config = RoutingConfig { accounts: accounts(), ..RoutingConfig::default() };
    let ctx = context(&[]);
    let visitor = Visitor { email: Some("a@acme.com"), company: None, context: &ctx };
    let m = pool(3);
    let free = |a: &AgentId| if a.as_str() == "agent-2" { Busy } else { Availability::Free };
    assert_eq!(simulate(&config, &visitor, &m, free), route(&config, &visitor, &m, free));
}
