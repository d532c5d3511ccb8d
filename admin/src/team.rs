//! Accounts: the Team panel (who can sign in, pending invitations, inviting an admin or an
//! agent with a link shown once, removing an agent) and what every accounts page shares: the
//! accounts endpoints, the labelled field, the password rule and the other pure decisions,
//! and the few browser calls. The pages themselves (setup, joining, signing in, the password
//! dialog) are `crate::setup`, `crate::accept_invite`, `crate::sign_in` and
//! `crate::password`.

mod accounts_table;
pub(crate) mod api;
pub(crate) mod browser;
pub(crate) mod field;
mod invite_form;
mod invite_link;
mod invites_table;
mod panel;
pub(crate) mod rules;
mod unlinked_agents;

pub use panel::TeamPanel;
