//! The round robin by example: the classic rotation, weights, and how credits, credit backs,
//! newcomers and new periods change the standing.

use super::*;
use chrono::TimeZone;

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
    let order: Vec<&str> = queue(&m).iter().map(|x| x.name.as_str()).collect();
    assert_eq!(order, ["Agent 4", "Agent 5", "Agent 1", "Agent 2", "Agent 3"]);
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

/// In the rotation an agent busy for a whole cycle gets one meeting back, not all they missed;
/// in the weighted order they catch up on their share.
#[test]
fn a_long_absence_costs_a_turn_in_the_rotation_and_is_made_up_when_weighted() {
    let mut m = pool(3);
    let picks = run(&mut m, 8, |round, i| round <= 4 && i == 0);
    let expected: Vec<Option<usize>> = [1, 2, 1, 2, 0, 1, 2, 0].into_iter().map(Some).collect();
    assert_eq!(picks, expected);

    let counts: Vec<u32> = m.iter().map(|x| x.count).collect();
    assert_eq!(counts, [2, 3, 3]);

    let mut m = weighted(&[100, 100, 200]);
    let picks = run(&mut m, 10, |round, i| round <= 4 && i == 0);
    // Agent 1 missed four rounds; once back they take three of the next six and are level
    // with agent 2, and agent 3 has twice their share.
    let expected: Vec<Option<usize>> = [1, 2, 2, 1, 0, 2, 0, 2, 1, 0].into_iter().map(Some).collect();
    assert_eq!(picks, expected);
    let counts: Vec<u32> = m.iter().map(|x| x.count).collect();
    assert_eq!(counts, [3, 3, 4]);
}

#[test]
fn an_agent_at_200_percent_gets_twice_the_meetings() {
    let mut m = weighted(&[200, 100, 100]);
    let picks = run(&mut m, 40, |_, _| false);
    let first: Vec<usize> = picks.iter().take(8).flatten().copied().collect();
    assert_eq!(first, [0, 1, 2, 0, 1, 2, 0, 0]);
    let counts: Vec<u32> = m.iter().map(|x| x.count).collect();
    assert_eq!(counts, [20, 10, 10]);
}

#[test]
fn an_agent_at_0_percent_never_gets_a_meeting() {
    let mut m = weighted(&[100, 0, 100]);
    let picks = run(&mut m, 6, |_, _| false);
    assert!(picks.iter().all(|p| *p != Some(1)), "{picks:?}");
    assert!(queue(&m).iter().all(|x| x.agent.as_str() != "agent-2"));
    // Not even when they are the only one free.
    assert_eq!(choose(&m, |a| a.as_str() == "agent-2"), None);
    // And 0 % does not make a pool weighted.
    assert!(!is_weighted(&m));
}

#[test]
fn a_pool_is_weighted_when_weights_differ() {
    assert!(!is_weighted(&[]));
    assert!(!is_weighted(&weighted(&[100, 100])));
    assert!(!is_weighted(&weighted(&[150, 150, 0])));
    assert!(is_weighted(&weighted(&[100, 200])));
    assert!(is_weighted(&weighted(&[100, 50, 0])));
}

#[test]
fn credit_sends_the_agent_to_the_back() {
    let mut m = pool(3);
    credit(&mut m, &id("agent-1"));
    credit(&mut m, &id("agent-2"));
    assert_eq!((m[0].count, m[0].last_assigned), (1, 1));
    assert_eq!((m[1].count, m[1].last_assigned), (1, 2));
    assert_eq!(next_in_line(&m).map(|x| x.name.as_str()), Some("Agent 3"));
    credit(&mut m, &id("agent-9"));
    assert_eq!(m.iter().map(|x| x.last_assigned).max(), Some(2));
}

#[test]
fn a_credit_back_puts_the_agent_back_at_the_front() {
    let mut m = pool(5);
    run(&mut m, 3, |_, _| false);
    // Agent 3's meeting is canceled: they are next again, before agent 4.
    credit_back(&mut m, &id("agent-3"));
    assert_eq!(m[2].count, 0);
    let order: Vec<&str> = queue(&m).iter().map(|x| x.name.as_str()).collect();
    assert_eq!(order, ["Agent 3", "Agent 4", "Agent 5", "Agent 1", "Agent 2"]);

    // Later in the rotation: ahead of whoever has waited longest.
    let mut m = pool(5);
    run(&mut m, 7, |_, _| false);
    credit_back(&mut m, &id("agent-2"));
    let order: Vec<&str> = queue(&m).iter().map(|x| x.name.as_str()).collect();
    assert_eq!(order, ["Agent 2", "Agent 3", "Agent 4", "Agent 5", "Agent 1"]);
    assert_eq!((m[1].count, m[1].last_assigned), (1, 2));
    // Counts never go below zero.
    let mut m = pool(2);
    credit_back(&mut m, &id("agent-1"));
    assert_eq!(m[0].count, 0);
}

#[test]
fn a_credit_back_restores_the_weighted_share() {
    let mut m = weighted(&[200, 100]);
    run(&mut m, 3, |_, _| false);
    assert_eq!((m[0].count, m[1].count), (2, 1));
    credit_back(&mut m, &id("agent-2"));
    assert_eq!(next_in_line(&m).map(|x| x.name.as_str()), Some("Agent 2"));
}

#[test]
fn revert_credit_restores_the_place() {
    let mut m = pool(3);
    run(&mut m, 2, |_, _| false);
    let before = m.clone();
    credit(&mut m, &id("agent-3"));
    revert_credit(&mut m, &id("agent-3"), before[2].last_assigned);
    assert_eq!(m, before);
}

#[test]
fn a_newcomer_starts_level_with_the_least_served() {
    let mut m = weighted(&[100, 200, 0]);
    m[0].count = 4;
    m[1].count = 10;
    m[2].count = 1;
    // Agent 1 has 4 per 100 %; agent 2 has 5 per 100 %; agent 3 takes no meetings.
    assert_eq!(joining_count(&m), 4);
    assert_eq!(joining_count_at(&m, 200), 8);
    assert_eq!(joining_count_at(&m, 150), 6);
    assert_eq!(joining_count_at(&m, 50), 2);
    assert_eq!(joining_count_at(&m, 0), 0);
    assert_eq!(joining_count(&[]), 0);

    // Joining at that count, they get the next meeting, then take turns instead of catching up.
    m[0].last_assigned = 5;
    m[1].last_assigned = 6;
    let mut newcomer = Member::new(id("agent-4"), "Agent 4", 4);
    newcomer.count = joining_count(&m);
    m.push(newcomer);
    let mut picks = Vec::new();
    for _ in 0..4 {
        let Some(a) = choose(&m, |_| true) else { break };
        credit(&mut m, &a.agent);
        picks.push(a.agent.to_string());
    }
    assert_eq!(picks, ["agent-4", "agent-1", "agent-2", "agent-4"]);
}

#[test]
fn periods_are_utc_months_or_everything() {
    let at = |y, mo, d, h| chrono::Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().unwrap_or_default();
    assert_eq!(period_key(at(2026, 11, 30, 23), Reset::Monthly), "2026-11");
    assert_eq!(period_key(at(2026, 12, 1, 0), Reset::Monthly), "2026-12");
    assert_eq!(period_key(at(2027, 1, 5, 0), Reset::Monthly), "2027-01");
    assert_eq!(period_key(at(2026, 11, 30, 23), Reset::Never), "all");

    let mut m = pool(3);
    run(&mut m, 4, |_, _| false);
    let places: Vec<u64> = m.iter().map(|x| x.last_assigned).collect();
    reset_counts(&mut m);
    assert!(m.iter().all(|x| x.count == 0));
    // The rotation goes on where it was.
    assert_eq!(m.iter().map(|x| x.last_assigned).collect::<Vec<_>>(), places);
}

#[test]
fn members_and_config_are_stored_as_json() {
    // Members stored before weights existed read as 100 % with no meetings counted.
    let old: Member = serde_json::from_str(r#"{"agent":"a","name":"A","position":1,"last_assigned":7}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((old.weight_percent, old.count, old.last_assigned), (100, 0, 7));

    let config: RoutingConfig = serde_json::from_str(
        r#"{
            "accounts": [{"key": {"domain": "acme.com"}, "owner": "agent-1"},
                         {"key": {"company": "Globex"}, "owner": "agent-2"}],
            "rules": [{"id": "de", "name": "Germany", "priority": 1,
                       "when": {"mode": "all", "conditions": [{"op": "equals", "field": "lead.country", "value": "DE"}]},
                       "agents": ["agent-3"]}],
            "default_agents": ["agent-1", "agent-2"],
            "fallback": "any_agent",
            "credit_back": true,
            "reset": "never"
        }"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.accounts[1].key, AccountKey::Company("Globex".to_owned()));
    assert_eq!(config.fallback, Fallback::AnyAgent);
    assert_eq!(config.reset, Reset::Never);
    let back: RoutingConfig =
        serde_json::from_value(serde_json::to_value(&config).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, config);

    // Everything is optional.
    let empty: RoutingConfig = serde_json::from_str("{}").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(empty, RoutingConfig::default());
    assert_eq!(empty.fallback, Fallback::Message(String::new()));
    let message: Fallback =
        serde_json::from_str(r#"{"message": "We'll get back to you."}"#).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(message, Fallback::Message("We'll get back to you.".to_owned()));
}
