//! The routing editor's draft: rules in priority order (each with its conditions and agents),
//! the default pool, the fallback, credit back and reset, as the admin edits them; built from
//! the configuration as stored and checked back into one with every problem at once, each
//! attached to the field it concerns, in the order they appear on the page. Pure, so it is
//! tested natively; the edge validates again (agents of the site among others).

use crate::conditions::fresh_key;
pub use crate::conditions::{ConditionDraft, Op, Operand};
use confab_domain::api::AgentRef;
use confab_domain::ids::{AgentId, is_valid_slug};
use confab_domain::routing::{Fallback, Reset, RoutingConfig, Rule};
use confab_domain::targeting::{Condition, Group, Mode};
use std::collections::BTreeMap;

/// Most rules a site may have (the edge's limit).
pub const MAX_RULES: usize = 100;
/// Longest rule name, in characters (the edge's limit).
const MAX_NAME_CHARS: usize = 100;
/// Longest fallback message, in characters (the edge's limit).
pub const MAX_MESSAGE_CHARS: usize = 500;

impl ConditionDraft {
    /// The condition of a routing rule, or what is wrong with its field (`Err(true, …)`) or
    /// its value (`Err(false, …)`).
    fn condition(&self) -> Result<Condition, (bool, String)> {
        let field = self.field.trim().to_owned();
        if field.is_empty() {
            return Err((true, "Choose what to test, such as lead.country or answer.size.".into()));
        }
        let named =
            ["lead.", "answer."].iter().any(|p| field.strip_prefix(p).is_some_and(|rest| !rest.trim().is_empty()));
        if !named {
            return Err((
                true,
                "Rules test lead.<field> or answer.<card id>, such as lead.country or answer.size.".into(),
            ));
        }
        self.to_condition(field).map_err(|m| (false, m))
    }
}

/// One rule being edited.
#[derive(Debug, Clone)]
pub struct RuleDraft {
    /// Identifies the rule on this page; not part of the value.
    pub key: u32,
    /// The stored id (stable across edits); empty for a rule not saved yet, which gets one from
    /// its name.
    pub id: String,
    /// The name admins and explanations use.
    pub name: String,
    /// Whether every condition or any must hold.
    pub mode: Mode,
    /// The conditions.
    pub conditions: Vec<ConditionDraft>,
    /// Nested groups of conditions, kept as they are (this editor does not change them).
    pub groups: Vec<Group>,
    /// The agents who take these visitors.
    pub agents: Vec<AgentId>,
}

impl PartialEq for RuleDraft {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.name == other.name
            && self.mode == other.mode
            && self.conditions == other.conditions
            && self.groups == other.groups
            && self.agents == other.agents
    }
}

impl RuleDraft {
    fn from_rule(rule: &Rule) -> Self {
        RuleDraft {
            key: fresh_key(),
            id: rule.id.clone(),
            name: rule.name.clone(),
            mode: rule.when.mode,
            conditions: rule.when.conditions.iter().map(ConditionDraft::from_condition).collect(),
            groups: rule.when.groups.clone(),
            agents: rule.agents.clone(),
        }
    }

    /// The condition with `key`.
    pub fn condition_mut(&mut self, key: u32) -> Option<&mut ConditionDraft> {
        self.conditions.iter_mut().find(|c| c.key == key)
    }

    /// Who the rule applies to, in words: "Every visitor", or its conditions joined by "and"
    /// or "or".
    pub fn audience(&self) -> String {
        if self.conditions.is_empty() && self.groups.is_empty() {
            return "Every visitor".to_owned();
        }
        let joiner = match self.mode {
            Mode::All => " and ",
            Mode::Any => " or ",
        };
        let mut parts: Vec<String> = self.conditions.iter().map(ConditionDraft::summary).collect();
        if !self.groups.is_empty() {
            let n = self.groups.len();
            parts.push(format!("{n} nested {}", if n == 1 { "group" } else { "groups" }));
        }
        format!("When {}", parts.join(joiner))
    }
}

/// Who is in the default pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// Every agent.
    All,
    /// The agents ticked.
    Chosen,
}

/// What happens when nobody is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackChoice {
    /// The visitor is shown a message.
    Message,
    /// Any free agent of the pool, whatever the rules say.
    AnyAgent,
}

/// Where a problem is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The name of the rule with this key.
    RuleName(u32),
    /// What a condition tests: (rule key, condition key).
    Tested(u32, u32),
    /// What a condition compares with: (rule key, condition key).
    Compared(u32, u32),
    /// The agents of the rule with this key.
    RuleAgents(u32),
    /// The default pool's agents.
    DefaultAgents,
    /// The fallback message.
    FallbackMessage,
    /// The form as a whole (the edge's refusal, the number of rules).
    Form,
}

impl Field {
    /// The rule the field belongs to, if any.
    pub fn rule(self) -> Option<u32> {
        match self {
            Field::RuleName(r) | Field::Tested(r, _) | Field::Compared(r, _) | Field::RuleAgents(r) => Some(r),
            Field::DefaultAgents | Field::FallbackMessage | Field::Form => None,
        }
    }
}

/// Problems found, each with the field it concerns, in the order they appear on the page.
pub type Problems = Vec<(Field, String)>;

/// Problems by field, for showing each next to its field.
pub type Errors = BTreeMap<Field, String>;

/// The editor's state: a pool's routing configuration as the admin edits it.
#[derive(Debug, Clone)]
pub struct ConfigDraft {
    /// Rules, highest priority (tried first) first.
    pub rules: Vec<RuleDraft>,
    /// Who the default pool is.
    pub pool: Pool,
    /// The default pool's agents, when chosen.
    pub pool_agents: Vec<AgentId>,
    /// What happens when nobody is free.
    pub fallback: FallbackChoice,
    /// The message shown then (kept while "any agent" is chosen, in case the admin goes back).
    pub message: String,
    /// Whether canceled and no-show meetings are given back.
    pub credit_back: bool,
    /// When counts start again.
    pub reset: Reset,
}

impl PartialEq for ConfigDraft {
    /// Equal when they would store the same configuration: the agents of an "all agents" pool
    /// and the message of an "any agent" fallback do not count.
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
            && self.pool == other.pool
            && (self.pool == Pool::All || self.pool_agents == other.pool_agents)
            && self.fallback == other.fallback
            && (self.fallback == FallbackChoice::AnyAgent || self.message == other.message)
            && self.credit_back == other.credit_back
            && self.reset == other.reset
    }
}

impl ConfigDraft {
    /// The draft of a stored configuration: rules by priority (equal priorities in stored
    /// order, as routing tries them).
    pub fn from_config(config: &RoutingConfig) -> Self {
        let mut rules: Vec<&Rule> = config.rules.iter().collect();
        rules.sort_by_key(|r| r.priority);
        let (fallback, message) = match &config.fallback {
            Fallback::Message(message) => (FallbackChoice::Message, message.clone()),
            Fallback::AnyAgent => (FallbackChoice::AnyAgent, String::new()),
        };
        ConfigDraft {
            rules: rules.into_iter().map(RuleDraft::from_rule).collect(),
            pool: if config.default_agents.is_some() { Pool::Chosen } else { Pool::All },
            pool_agents: config.default_agents.clone().unwrap_or_default(),
            fallback,
            message,
            credit_back: config.credit_back,
            reset: config.reset,
        }
    }

    /// This draft with the row keys of `earlier` (rule by rule and condition by condition, in
    /// order), so a draft rebuilt from what was just saved keeps the rows, and the open forms,
    /// of the draft that was saved.
    pub fn with_keys_of(mut self, earlier: &ConfigDraft) -> Self {
        for (rule, old) in self.rules.iter_mut().zip(&earlier.rules) {
            rule.key = old.key;
            for (condition, old) in rule.conditions.iter_mut().zip(&old.conditions) {
                condition.key = old.key;
            }
        }
        self
    }

    /// The rule with `key`.
    pub fn rule(&self, key: u32) -> Option<&RuleDraft> {
        self.rules.iter().find(|r| r.key == key)
    }

    /// The rule with `key`, to change.
    pub fn rule_mut(&mut self, key: u32) -> Option<&mut RuleDraft> {
        self.rules.iter_mut().find(|r| r.key == key)
    }

    /// Adds a blank rule, tried last, with one blank condition; answers its key.
    pub fn add_rule(&mut self) -> u32 {
        let key = fresh_key();
        self.rules.push(RuleDraft {
            key,
            id: String::new(),
            name: String::new(),
            mode: Mode::All,
            conditions: vec![ConditionDraft::new()],
            groups: Vec::new(),
            agents: Vec::new(),
        });
        key
    }

    /// Removes the rule with `key`.
    pub fn remove_rule(&mut self, key: u32) {
        self.rules.retain(|r| r.key != key);
    }

    /// Moves the rule with `key` one place earlier (`up`) or later; answers whether it moved.
    pub fn move_rule(&mut self, key: u32, up: bool) -> bool {
        let Some(at) = self.rules.iter().position(|r| r.key == key) else { return false };
        let to = if up { at.checked_sub(1) } else { Some(at + 1).filter(|t| *t < self.rules.len()) };
        match to {
            Some(to) => {
                self.rules.swap(at, to);
                true
            }
            None => false,
        }
    }

    /// Adds a blank condition to rule `rule`; answers its key.
    pub fn add_condition(&mut self, rule: u32) -> Option<u32> {
        let condition = ConditionDraft::new();
        let key = condition.key;
        self.rule_mut(rule)?.conditions.push(condition);
        Some(key)
    }

    /// Removes condition `condition` of rule `rule`.
    pub fn remove_condition(&mut self, rule: u32, condition: u32) {
        if let Some(rule) = self.rule_mut(rule) {
            rule.conditions.retain(|c| c.key != condition);
        }
    }

    /// Ticks or unticks `agent` for rule `rule` (`Some`) or the default pool (`None`). Ticked
    /// agents are kept in the site's order (`agents`), those no longer listed last.
    pub fn set_agent(&mut self, rule: Option<u32>, agent: &AgentId, on: bool, agents: &[AgentRef]) {
        let list = match rule {
            Some(key) => match self.rule_mut(key) {
                Some(rule) => &mut rule.agents,
                None => return,
            },
            None => &mut self.pool_agents,
        };
        list.retain(|a| a != agent);
        if on {
            list.push(agent.clone());
        }
        let place = |id: &AgentId| agents.iter().position(|a| &a.id == id).unwrap_or(usize::MAX);
        list.sort_by_key(place);
    }

    /// Chooses who the default pool is; choosing particular agents with none ticked ticks
    /// everyone, for the admin to untick.
    pub fn set_pool(&mut self, pool: Pool, agents: &[AgentRef]) {
        self.pool = pool;
        if pool == Pool::Chosen && self.pool_agents.is_empty() {
            self.pool_agents = agents.iter().map(|a| a.id.clone()).collect();
        }
    }

    /// The configuration to store, or every problem found. Priorities are the rules' places
    /// (1 first); a new rule's id comes from its name, unique among the rules.
    pub fn config(&self, agents: &[AgentRef]) -> Result<RoutingConfig, Problems> {
        let mut problems = Problems::new();
        let known = |id: &AgentId| agents.iter().any(|a| &a.id == id);
        let unknown_message = |list: &[AgentId]| {
            let gone: Vec<&str> = list.iter().filter(|a| !known(a)).map(AgentId::as_str).collect();
            (!gone.is_empty()).then(|| {
                let (who, verb) = if gone.len() == 1 { ("it", "is") } else { ("them", "are") };
                format!("{} {verb} no longer an agent of this site; untick {who}.", gone.join(", "))
            })
        };
        let mut taken: Vec<String> = self.rules.iter().map(|r| r.id.clone()).filter(|id| !id.is_empty()).collect();
        let mut rules = Vec::with_capacity(self.rules.len());
        for (place, rule) in self.rules.iter().enumerate() {
            let name = rule.name.trim();
            if name.is_empty() {
                problems.push((Field::RuleName(rule.key), "Give the rule a name.".into()));
            } else if name.chars().count() > MAX_NAME_CHARS {
                problems.push((Field::RuleName(rule.key), format!("Keep the name to {MAX_NAME_CHARS} characters.")));
            } else if self.rules[..place].iter().any(|r| r.name.trim().eq_ignore_ascii_case(name)) {
                let message = "Another rule has this name; give each rule its own, so explanations tell them apart.";
                problems.push((Field::RuleName(rule.key), message.into()));
            }
            let mut conditions = Vec::with_capacity(rule.conditions.len());
            for condition in &rule.conditions {
                match condition.condition() {
                    Ok(c) => conditions.push(c),
                    Err((true, message)) => problems.push((Field::Tested(rule.key, condition.key), message)),
                    Err((false, message)) => problems.push((Field::Compared(rule.key, condition.key), message)),
                }
            }
            if rule.agents.is_empty() {
                problems.push((Field::RuleAgents(rule.key), "Choose at least one agent.".into()));
            } else if let Some(message) = unknown_message(&rule.agents) {
                problems.push((Field::RuleAgents(rule.key), message));
            }
            let id = match rule.id.as_str() {
                "" => {
                    let id = unique_slug(name, &taken);
                    taken.push(id.clone());
                    id
                }
                id => id.to_owned(),
            };
            rules.push(Rule {
                id,
                name: name.to_owned(),
                priority: place as u32 + 1,
                when: Group { mode: rule.mode, conditions, groups: rule.groups.clone() },
                agents: rule.agents.clone(),
            });
        }
        if self.pool == Pool::Chosen {
            if self.pool_agents.is_empty() {
                let message = "Choose at least one agent, or send these visitors to all agents.";
                problems.push((Field::DefaultAgents, message.into()));
            } else if let Some(message) = unknown_message(&self.pool_agents) {
                problems.push((Field::DefaultAgents, message));
            }
        }
        let message = self.message.trim();
        if self.fallback == FallbackChoice::Message && message.chars().count() > MAX_MESSAGE_CHARS {
            let now = message.chars().count();
            problems.push((
                Field::FallbackMessage,
                format!("Keep the message to {MAX_MESSAGE_CHARS} characters (now {now})."),
            ));
        }
        if self.rules.len() > MAX_RULES {
            problems.push((Field::Form, format!("A site may have at most {MAX_RULES} rules; delete some.")));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(RoutingConfig {
            accounts: Vec::new(),
            rules,
            default_agents: (self.pool == Pool::Chosen).then(|| self.pool_agents.clone()),
            fallback: match self.fallback {
                FallbackChoice::Message => Fallback::Message(message.to_owned()),
                FallbackChoice::AnyAgent => Fallback::AnyAgent,
            },
            credit_back: self.credit_back,
            reset: self.reset,
        })
    }
}

/// An id for a new rule from its name: lowercase letters and digits with `-` between words
/// (`Enterprise EMEA` → `enterprise-emea`), `rule` when the name has none, and `-2`, `-3`, …
/// added until no rule in `taken` has it.
pub fn unique_slug(name: &str, taken: &[String]) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(48).collect();
    slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        slug = "rule".to_owned();
    }
    let free = |id: &str| is_valid_slug(id) && !taken.iter().any(|t| t == id);
    if free(&slug) {
        return slug;
    }
    (2..).map(|n| format!("{slug}-{n}")).find(|id| free(id)).unwrap_or(slug)
}

/// Fields suggested for conditions: those the rules already test, then common lead fields.
pub fn suggested_fields(draft: &ConfigDraft) -> Vec<String> {
    const COMMON: [&str; 9] = [
        "lead.country",
        "lead.company",
        "lead.industry",
        "lead.state",
        "lead.city",
        "lead.title",
        "lead.numberOfEmployees",
        "lead.annualRevenue",
        "lead.leadSource",
    ];
    let mut fields: Vec<String> = Vec::new();
    let used = draft.rules.iter().flat_map(|r| r.conditions.iter().map(|c| c.field.trim().to_owned()));
    for field in used.chain(COMMON.iter().map(|f| (*f).to_owned())) {
        let named =
            field.strip_prefix("lead.").or_else(|| field.strip_prefix("answer.")).is_some_and(|r| !r.is_empty());
        if named && !fields.contains(&field) {
            fields.push(field);
        }
    }
    fields
}

/// The card ids rules test (`answer.<card id>`), for the simulator's suggestions.
pub fn answer_cards(config: &RoutingConfig) -> Vec<String> {
    let mut cards: Vec<String> = Vec::new();
    fn walk(group: &Group, cards: &mut Vec<String>) {
        for condition in &group.conditions {
            if let Some(card) = condition.field().strip_prefix("answer.")
                && !card.is_empty()
                && !cards.iter().any(|c| c == card)
            {
                cards.push(card.to_owned());
            }
        }
        for group in &group.groups {
            walk(group, cards);
        }
    }
    for rule in &config.rules {
        walk(&rule.when, &mut cards);
    }
    cards
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agents() -> Vec<AgentRef> {
        (1..=3).map(|i| AgentRef { id: AgentId(format!("agent-{i}")), name: format!("Agent {i}") }).collect()
    }

    fn id(text: &str) -> AgentId {
        AgentId::from(text)
    }

    fn stored() -> RoutingConfig {
        RoutingConfig {
            accounts: Vec::new(),
            rules: vec![
                Rule {
                    id: "smb".into(),
                    name: "Small business".into(),
                    priority: 5,
                    when: Group {
                        mode: Mode::Any,
                        conditions: vec![
                            Condition::InList { field: "lead.country".into(), values: vec!["US".into(), "CA".into()] },
                            Condition::IsEmpty { field: "answer.size".into() },
                        ],
                        groups: Vec::new(),
                    },
                    agents: vec![id("agent-1")],
                },
                Rule {
                    id: "enterprise".into(),
                    name: "Enterprise".into(),
                    priority: 1,
                    when: Group {
                        mode: Mode::All,
                        conditions: vec![Condition::Equals { field: "answer.size".into(), value: "500+".into() }],
                        groups: Vec::new(),
                    },
                    agents: vec![id("agent-2"), id("agent-3")],
                },
            ],
            default_agents: None,
            fallback: Fallback::Message("We'll email you.".into()),
            credit_back: true,
            reset: Reset::Never,
        }
    }

    #[test]
    fn a_stored_configuration_round_trips_with_priorities_renumbered() {
        let draft = ConfigDraft::from_config(&stored());
        assert_eq!(draft.rules.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Enterprise", "Small business"]);
        assert_eq!(draft.rules[1].conditions[0].value, "US\nCA");
        let config = draft.config(&agents()).expect("valid");
        assert_eq!(
            config.rules.iter().map(|r| (r.id.as_str(), r.priority)).collect::<Vec<_>>(),
            [("enterprise", 1), ("smb", 2)]
        );
        assert_eq!(config.rules[1].when, stored().rules[0].when);
        assert_eq!(config.fallback, Fallback::Message("We'll email you.".into()));
        assert!(config.credit_back);
        assert_eq!(config.reset, Reset::Never);
        assert_eq!(ConfigDraft::from_config(&config), draft);
    }

    #[test]
    fn rules_move_and_new_rules_get_ids_from_their_names() {
        let mut draft = ConfigDraft::from_config(&stored());
        let first = draft.rules[0].key;
        assert!(!draft.move_rule(first, true));
        assert!(draft.move_rule(first, false));
        assert!(!draft.move_rule(first, false));
        let key = draft.add_rule();
        let rule = draft.rule_mut(key).expect("added");
        rule.name = "Enterprise!".into();
        rule.conditions.clear();
        draft.set_agent(Some(key), &id("agent-3"), true, &agents());
        draft.set_agent(Some(key), &id("agent-1"), true, &agents());
        let config = draft.config(&agents()).expect("valid");
        let summary: Vec<_> = config.rules.iter().map(|r| (r.id.as_str(), r.priority)).collect();
        assert_eq!(summary, [("smb", 1), ("enterprise", 2), ("enterprise-2", 3)]);
        assert_eq!(config.rules[2].agents, [id("agent-1"), id("agent-3")]);
        assert_eq!(draft.rule(key).map(RuleDraft::audience).as_deref(), Some("Every visitor"));
        draft.remove_rule(key);
        assert_eq!(draft.rules.len(), 2);
    }

    #[test]
    fn every_problem_is_found_at_once_in_page_order() {
        let mut draft = ConfigDraft::from_config(&RoutingConfig::default());
        let rule = draft.add_rule();
        let condition = draft.rule(rule).expect("added").conditions[0].key;
        let second = draft.add_condition(rule).expect("added");
        if let Some(r) = draft.rule_mut(rule) {
            if let Some(c) = r.condition_mut(second) {
                c.field = "lead.employees".into();
                c.op = Op::GreaterThan;
                c.value = "lots".into();
            }
            r.agents = vec![id("agent-9")];
        }
        draft.pool = Pool::Chosen;
        draft.message = "x".repeat(501);
        let problems = draft.config(&agents()).expect_err("invalid");
        let fields: Vec<Field> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                Field::RuleName(rule),
                Field::Tested(rule, condition),
                Field::Compared(rule, second),
                Field::RuleAgents(rule),
                Field::DefaultAgents,
                Field::FallbackMessage,
            ]
        );
        assert_eq!(problems[3].1, "agent-9 is no longer an agent of this site; untick it.");
        assert_eq!(problems[5].1, "Keep the message to 500 characters (now 501).");
    }

    #[test]
    fn condition_values_are_checked_by_their_test() {
        let check = |field: &str, op: Op, value: &str| {
            ConditionDraft { key: 0, field: field.into(), op, value: value.into() }.condition()
        };
        assert!(matches!(check("country", Op::Equals, "US"), Err((true, _))));
        assert!(matches!(check("lead.", Op::Equals, "US"), Err((true, _))));
        assert!(matches!(check("lead.country", Op::Equals, " "), Err((false, _))));
        assert!(matches!(check("lead.country", Op::InList, "\n \n"), Err((false, _))));
        assert!(matches!(check("lead.size", Op::LessThan, "NaN"), Err((false, _))));
        assert_eq!(
            check(" lead.size ", Op::LessThan, " 50 "),
            Ok(Condition::LessThan { field: "lead.size".into(), value: "50".into() })
        );
        assert_eq!(
            check("answer.x", Op::IsNotEmpty, "ignored"),
            Ok(Condition::IsNotEmpty { field: "answer.x".into() })
        );
        let summary = |op: Op, value: &str| {
            ConditionDraft { key: 0, field: "lead.country".into(), op, value: value.into() }.summary()
        };
        assert_eq!(summary(Op::InList, "US\n\nCA"), "lead.country is one of \u{201c}US\u{201d}, \u{201c}CA\u{201d}");
        assert_eq!(summary(Op::IsEmpty, ""), "lead.country is empty or unknown");
        assert_eq!(ConditionDraft::new().summary(), "an unfinished condition");
        assert_eq!(Op::ALL.map(|op| Op::from_slug(op.slug())), Op::ALL);
    }

    #[test]
    fn pools_fallbacks_and_dirtiness() {
        let stored = ConfigDraft::from_config(&RoutingConfig::default());
        let mut draft = stored.clone();
        draft.set_pool(Pool::Chosen, &agents());
        assert_eq!(draft.pool_agents.len(), 3);
        assert_ne!(draft, stored);
        draft.set_agent(None, &id("agent-2"), false, &agents());
        let config = draft.config(&agents()).expect("valid");
        assert_eq!(config.default_agents, Some(vec![id("agent-1"), id("agent-3")]));
        // An "all agents" pool ignores who was ticked; an "any agent" fallback its message.
        draft.pool = Pool::All;
        assert_eq!(draft, stored);
        draft.fallback = FallbackChoice::AnyAgent;
        draft.message = "unused".into();
        assert_eq!(draft.config(&agents()).expect("valid").fallback, Fallback::AnyAgent);
        draft.fallback = FallbackChoice::Message;
        assert_ne!(draft, stored);
    }

    #[test]
    fn a_saved_draft_keeps_its_rows() {
        let mut draft = ConfigDraft::from_config(&stored());
        let key = draft.add_rule();
        if let Some(rule) = draft.rule_mut(key) {
            rule.name = " New ".into();
            rule.agents = vec![id("agent-1")];
            rule.conditions[0].field = "answer.size".into();
            rule.conditions[0].value = "500+".into();
        }
        let saved = draft.config(&agents()).expect("valid");
        let rebuilt = ConfigDraft::from_config(&saved).with_keys_of(&draft);
        assert_eq!(
            rebuilt.rules.iter().map(|r| r.key).collect::<Vec<_>>(),
            draft.rules.iter().map(|r| r.key).collect::<Vec<_>>()
        );
        assert_eq!(rebuilt.rules[2].conditions[0].key, draft.rules[2].conditions[0].key);
        assert_eq!(rebuilt.rule(key).map(|r| (r.id.as_str(), r.name.as_str())), Some(("new", "New")));
        assert_eq!(rebuilt, ConfigDraft::from_config(&saved));
    }

    #[test]
    fn slugs_are_unique_and_valid() {
        let taken = vec!["enterprise".to_owned(), "enterprise-2".to_owned()];
        assert_eq!(unique_slug("Enterprise", &taken), "enterprise-3");
        assert_eq!(unique_slug("  EMEA / Mid-market ", &[]), "emea-mid-market");
        assert_eq!(unique_slug("日本", &[]), "rule");
        assert!(is_valid_slug(&unique_slug(&"long name ".repeat(20), &[])));
    }

    #[test]
    fn fields_and_cards_are_suggested_from_the_rules() {
        let draft = ConfigDraft::from_config(&stored());
        let fields = suggested_fields(&draft);
        assert_eq!(&fields[..2], ["answer.size", "lead.country"]);
        assert_eq!(fields.iter().filter(|f| *f == "lead.country").count(), 1);
        assert_eq!(answer_cards(&stored()), ["size"]);
    }
}
