//! The accounts forms' decisions, pure and tested natively: the password rule (the domain's,
//! so the browser and the edge agree), where an error from the edge is shown, the invitation
//! form's checks, reading an invitation link's fragment, and the sentences of confirmations
//! and expiry times.

use super::api::{Account, NewInvite};
use crate::api::{AgentName, ApiError};
use confab_domain::auth::{MIN_PASSWORD_CHARS, password_problem};
use confab_domain::email::{Email, EmailError};

/// The rule a new password follows, shown under every field that chooses one.
pub fn password_rule() -> String {
    format!("At least {MIN_PASSWORD_CHARS} characters, and not your email address.")
}

/// Why `password` cannot be chosen by the account `email` (empty when unknown), or `None`.
pub fn new_password_problem(password: &str, email: &str) -> Option<String> {
    if password.is_empty() {
        return Some("Choose a password.".to_owned());
    }
    password_problem(password, email)
}

/// Why the confirmation does not confirm `password`, or `None`.
pub fn confirm_problem(password: &str, confirm: &str) -> Option<String> {
    match confirm {
        "" => Some("Type the password again.".to_owned()),
        c if c != password => Some("The two passwords are not the same.".to_owned()),
        _ => None,
    }
}

/// The invitation token in the address's fragment (`#invite=<token>`), if it carries one.
pub fn invite_token(fragment: &str) -> Option<String> {
    let token = fragment.trim_start_matches('#').strip_prefix("invite=")?.trim();
    let token = token.split('&').next().unwrap_or_default();
    (!token.is_empty()).then(|| token.to_owned())
}

/// A form's problems: each next to its field (named by the input's id, so focus can move to
/// it), or about the whole form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormErrors {
    fields: Vec<(&'static str, String)>,
    form: Option<String>,
}

impl FormErrors {
    /// No problem.
    pub fn none() -> Self {
        FormErrors::default()
    }

    /// Records `problem` (if any) as `field`'s.
    pub fn add(&mut self, field: &'static str, problem: Option<String>) {
        if let Some(problem) = problem
            && !self.fields.iter().any(|(f, _)| *f == field)
        {
            self.fields.push((field, problem));
        }
    }

    /// The edge's refusal, next to the field its code concerns (`places` maps codes to
    /// fields), or about the whole form when the code concerns none.
    pub fn from_api(error: &ApiError, places: &[(&str, &'static str)]) -> Self {
        let mut errors = FormErrors::none();
        match places.iter().find(|(code, _)| *code == error.code) {
            Some((_, field)) => errors.add(field, Some(error.message.clone())),
            None => errors.form = Some(error.message.clone()),
        }
        errors
    }

    /// Forgets `field`'s problem (it is being edited); whether there was one.
    pub fn clear(&mut self, field: &str) -> bool {
        let before = self.fields.len();
        self.fields.retain(|(f, _)| *f != field);
        self.fields.len() != before
    }

    /// `field`'s problem, empty when none.
    pub fn field(&self, field: &str) -> String {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, p)| p.clone()).unwrap_or_default()
    }

    /// The problem with the whole form, empty when none.
    pub fn form(&self) -> String {
        self.form.clone().unwrap_or_default()
    }

    /// The first field with a problem, in the order they were found (to move focus to it).
    pub fn first_field(&self) -> Option<&'static str> {
        self.fields.first().map(|(f, _)| *f)
    }

    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.form.is_none()
    }
}

/// Why signing in failed, as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInProblem {
    /// Too many failed attempts: the edge refuses for a while, whatever the password.
    Throttled(String),
    /// Wrong email or password, or anything else.
    Refused(String),
}

impl SignInProblem {
    /// The problem a failed sign-in stands for.
    pub fn of(error: &ApiError) -> Self {
        if error.status == 429 || error.code == "too_many_attempts" {
            // The edge counts minutes without minding the singular.
            SignInProblem::Throttled(error.message.replace(" 1 minutes", " 1 minute"))
        } else {
            SignInProblem::Refused(error.message.clone())
        }
    }
}

/// The role an invitation gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteRole {
    /// Everything.
    Admin,
    /// Their own meetings, calendar and availability.
    Agent,
}

/// Which agent an agent invitation signs in as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentChoice {
    /// A new agent, who joins routing when they accept.
    New,
    /// An agent already in routing who has no sign-in yet.
    Existing,
}

/// The invitation form as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct InviteDraft {
    /// Who to invite.
    pub email: String,
    /// As what.
    pub role: InviteRole,
    /// For an agent: a new agent or an existing one.
    pub choice: AgentChoice,
    /// A new agent's display name.
    pub name: String,
    /// An existing agent's id (empty when none is picked).
    pub agent_id: String,
}

/// Longest display name of a new agent (the edge's limit).
pub const MAX_NAME_CHARS: usize = 100;

impl InviteDraft {
    /// The request to send, or every problem at once.
    pub fn check(&self) -> Result<NewInvite, FormErrors> {
        let mut errors = FormErrors::none();
        let email = match Email::parse(&self.email) {
            Ok(email) => Some(email.to_string()),
            Err(EmailError::Empty) => {
                errors.add("invite-email", Some("Enter the email address they will sign in with.".to_owned()));
                None
            }
            Err(e) => {
                errors.add("invite-email", Some(e.to_string()));
                None
            }
        };
        let (role, name, agent_id) = match (self.role, self.choice) {
            (InviteRole::Admin, _) => ("admin", None, None),
            (InviteRole::Agent, AgentChoice::New) => {
                let name = self.name.trim();
                match name.chars().count() {
                    0 => errors.add("invite-name", Some("Enter the agent's name, as visitors will see it.".to_owned())),
                    n if n > MAX_NAME_CHARS => {
                        errors.add("invite-name", Some(format!("Use at most {MAX_NAME_CHARS} characters.")));
                    }
                    _ => {}
                }
                ("agent", Some(name.to_owned()), None)
            }
            (InviteRole::Agent, AgentChoice::Existing) => {
                if self.agent_id.is_empty() {
                    errors.add("invite-agent", Some("Choose the agent they will sign in as.".to_owned()));
                }
                ("agent", None, Some(self.agent_id.clone()))
            }
        };
        match email {
            Some(email) if errors.is_empty() => Ok(NewInvite { email, role, name, agent_id }),
            _ => Err(errors),
        }
    }

    /// Where the edge's refusal of this draft is shown.
    pub fn places(&self) -> [(&'static str, &'static str); 3] {
        let invite_field = match self.choice {
            AgentChoice::New => "invite-name",
            AgentChoice::Existing => "invite-agent",
        };
        [("invalid_email", "invite-email"), ("unknown_agent", "invite-agent"), ("invalid_invite", invite_field)]
    }
}

/// The active agents nobody signs in as, in routing order.
pub fn agents_without_account(agents: &[AgentName], accounts: &[Account]) -> Vec<AgentName> {
    agents.iter().filter(|a| !accounts.iter().any(|acc| acc.agent_id.as_deref() == Some(&a.id))).cloned().collect()
}

/// The name to show for an agent id: the agent's name when known.
pub fn agent_label(agents: &[AgentName], id: &str) -> Option<String> {
    agents.iter().find(|a| a.id == id).map(|a| a.name.clone())
}

/// "Admin" or "Agent", for a role as the edge spells it.
pub fn role_label(role: &str) -> &'static str {
    if role == "admin" { "Admin" } else { "Agent" }
}

/// `n` and its noun: "1 day", "3 days".
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// When an invitation stops working, from `now_ms`: "Expires in 6 days", "Expires in 5
/// hours", "Expires in 12 minutes", or "Expired".
pub fn expires_phrase(now_ms: f64, expires_ms: f64) -> String {
    let left = ((expires_ms - now_ms) / 60_000.0).floor() as i64;
    match left {
        ..0 => "Expired".to_owned(),
        0..60 => format!("Expires in {}", count(left.max(1), "minute", "minutes")),
        60..2_880 => format!("Expires in {}", count(left / 60, "hour", "hours")),
        _ => format!("Expires in {}", count(left / 1_440, "day", "days")),
    }
}

/// The question asked before removing an agent.
pub fn remove_question(name: &str) -> String {
    format!("Remove {name}? They stop getting meetings and can no longer sign in. Their meetings stay.")
}

/// The question asked before withdrawing an invitation.
pub fn withdraw_question(email: &str) -> String {
    format!("Withdraw the invitation for {email}? Its link stops working at once.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, code: &str, message: &str) -> ApiError {
        ApiError { status, code: code.into(), message: message.into(), fields: Default::default() }
    }

    fn draft() -> InviteDraft {
        InviteDraft {
            email: "sam@example.com".into(),
            role: InviteRole::Agent,
            choice: AgentChoice::New,
            name: "  Sam Lee ".into(),
            agent_id: String::new(),
        }
    }

    #[test]
    fn the_password_rule_is_the_domains() {
        assert_eq!(password_rule(), "At least 12 characters, and not your email address.");
        assert_eq!(new_password_problem("", "a@b.co").as_deref(), Some("Choose a password."));
        assert_eq!(new_password_problem("short", "").as_deref(), Some("Use at least 12 characters."));
        assert_eq!(
            new_password_problem("Ada@Example.com", "ada@example.com").as_deref(),
            Some("Your password cannot be your email address.")
        );
        assert_eq!(new_password_problem("correct horse battery", "ada@example.com"), None);
        assert_eq!(confirm_problem("abc", "").as_deref(), Some("Type the password again."));
        assert_eq!(confirm_problem("abc", "abd").as_deref(), Some("The two passwords are not the same."));
        assert_eq!(confirm_problem("abc", "abc"), None);
    }

    #[test]
    fn invitation_links_carry_their_token_in_the_fragment() {
        assert_eq!(invite_token("#invite=abc123").as_deref(), Some("abc123"));
        assert_eq!(invite_token("invite=abc123&x=1").as_deref(), Some("abc123"));
        assert_eq!(invite_token("#invite="), None);
        assert_eq!(invite_token("#calendar"), None);
        assert_eq!(invite_token(""), None);
    }

    #[test]
    fn edge_errors_go_next_to_their_field_or_above_the_form() {
        let places = [("invalid_setup_token", "token"), ("weak_password", "password")];
        let weak = FormErrors::from_api(&error(400, "weak_password", "Use at least 12 characters."), &places);
        assert_eq!(weak.field("password"), "Use at least 12 characters.");
        assert_eq!(weak.form(), "");
        assert_eq!(weak.first_field(), Some("password"));
        let done = FormErrors::from_api(&error(409, "setup_done", "Sign in instead."), &places);
        assert_eq!(done.form(), "Sign in instead.");
        assert_eq!(done.first_field(), None);
        assert!(!done.is_empty());
        let mut two = FormErrors::none();
        two.add("a", Some("first".into()));
        two.add("a", Some("second".into()));
        two.add("b", None);
        assert_eq!((two.field("a"), two.field("b")), ("first".to_owned(), String::new()));
        assert!(two.clear("a"));
        assert!(!two.clear("a"));
        assert!(two.is_empty());
    }

    #[test]
    fn throttled_sign_ins_are_told_apart() {
        let throttled = error(429, "too_many_attempts", "Too many failed sign-ins. Try again in 1 minutes, or ask.");
        assert_eq!(
            SignInProblem::of(&throttled),
            SignInProblem::Throttled("Too many failed sign-ins. Try again in 1 minute, or ask.".into())
        );
        let many = error(429, "too_many_attempts", "Try again in 11 minutes.");
        assert_eq!(SignInProblem::of(&many), SignInProblem::Throttled("Try again in 11 minutes.".into()));
        let wrong = error(401, "bad_credentials", "Wrong email or password.");
        assert_eq!(SignInProblem::of(&wrong), SignInProblem::Refused("Wrong email or password.".into()));
    }

    #[test]
    fn an_invitation_names_a_new_agent_or_an_existing_one() {
        let new = draft().check().ok();
        assert_eq!(
            new,
            Some(NewInvite {
                email: "sam@example.com".into(),
                role: "agent",
                name: Some("Sam Lee".into()),
                agent_id: None
            })
        );
        let existing =
            InviteDraft { choice: AgentChoice::Existing, agent_id: "agent-3".into(), ..draft() }.check().ok();
        assert_eq!(existing.and_then(|i| i.agent_id), Some("agent-3".to_owned()));
        let admin = InviteDraft { role: InviteRole::Admin, name: String::new(), ..draft() }.check().ok();
        assert_eq!(admin.map(|i| (i.role, i.name, i.agent_id)), Some(("admin", None, None)));
    }

    #[test]
    fn a_wrong_invitation_shows_every_problem_at_once() {
        let Err(errors) = InviteDraft { email: "sam@".into(), name: " ".into(), ..draft() }.check() else {
            panic!("accepted a wrong draft");
        };
        assert!(errors.field("invite-email").contains("valid email"));
        assert!(errors.field("invite-name").contains("name"));
        assert_eq!(errors.first_field(), Some("invite-email"));
        let Err(errors) = InviteDraft { email: String::new(), choice: AgentChoice::Existing, ..draft() }.check() else {
            panic!("accepted a wrong draft");
        };
        assert_eq!(errors.field("invite-email"), "Enter the email address they will sign in with.");
        assert_eq!(errors.field("invite-agent"), "Choose the agent they will sign in as.");
        let long = InviteDraft { name: "x".repeat(101), ..draft() }.check();
        assert_eq!(long.err().map(|e| e.field("invite-name")), Some("Use at most 100 characters.".to_owned()));
        assert_eq!(draft().places()[2], ("invalid_invite", "invite-name"));
    }

    #[test]
    fn agents_without_a_sign_in_are_those_no_account_names() {
        let agent = |id: &str| AgentName { id: id.into(), name: format!("Agent {id}") };
        let account = |agent: Option<&str>| Account { agent_id: agent.map(Into::into), ..Account::default() };
        let agents = [agent("1"), agent("2"), agent("3")];
        let left = agents_without_account(&agents, &[account(Some("2")), account(None)]);
        assert_eq!(left.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["1", "3"]);
        assert_eq!(agent_label(&agents, "3").as_deref(), Some("Agent 3"));
        assert_eq!(agent_label(&agents, "9"), None);
        assert_eq!((role_label("admin"), role_label("agent")), ("Admin", "Agent"));
    }

    #[test]
    fn expiry_reads_in_the_largest_whole_unit() {
        let day = 86_400_000.0;
        assert_eq!(expires_phrase(0.0, 7.0 * day), "Expires in 7 days");
        assert_eq!(expires_phrase(0.0, 2.0 * day + 1.0), "Expires in 2 days");
        assert_eq!(expires_phrase(0.0, 47.0 * 3_600_000.0), "Expires in 47 hours");
        assert_eq!(expires_phrase(0.0, 3_600_000.0), "Expires in 1 hour");
        assert_eq!(expires_phrase(0.0, 12.5 * 60_000.0), "Expires in 12 minutes");
        assert_eq!(expires_phrase(0.0, 10_000.0), "Expires in 1 minute");
        assert_eq!(expires_phrase(day, 1_000.0), "Expired");
    }

    #[test]
    fn confirmations_say_what_happens() {
        assert_eq!(
            remove_question("Agent 3"),
            "Remove Agent 3? They stop getting meetings and can no longer sign in. Their meetings stay."
        );
        assert_eq!(
            withdraw_question("sam@example.com"),
            "Withdraw the invitation for sam@example.com? Its link stops working at once."
        );
    }
}
