//! `App`: decides what to show. An invitation link (`#invite=<token>`) shows "Join Confab";
//! otherwise the session is checked: a signed-in account gets the header and the dashboard,
//! and without a session a new deployment gets the first-run setup page, any other the
//! sign-in form. The signed-in account is provided to the dashboard as the contexts [`Role`]
//! and [`CurrentAccount`].

use crate::accept_invite::AcceptInvitePage;
use crate::api;
use crate::dashboard::Dashboard;
use crate::password::ChangePassword;
use crate::setup::SetupPage;
use crate::sign_in::SignInForm;
use crate::team::api::{self as accounts, Me};
use crate::team::browser::clear_fragment;
use crate::team::rules::{invite_token, role_label};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the signed-in account may do; provided as a context to everything under the
/// dashboard (`use_context::<Role>()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Everything: every agent's meetings, routing, calendars, integrations and the team.
    Admin,
    /// Only what concerns their own agent record: their meetings, calendar and availability.
    Agent,
}

impl Role {
    /// The role the edge names; anything but `admin` is the least powerful role.
    pub fn from_api(role: &str) -> Role {
        if role == "admin" { Role::Admin } else { Role::Agent }
    }
}

/// The signed-in account; provided as a context next to [`Role`]
/// (`use_context::<CurrentAccount>()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentAccount {
    /// Email (the sign-in name).
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// An agent's own agent record (`None` for admins).
    pub agent_id: Option<String>,
}

impl From<Me> for CurrentAccount {
    fn from(me: Me) -> Self {
        CurrentAccount { role: Role::from_api(&me.role), email: me.email, agent_id: me.agent_id }
    }
}

/// What the admin shows.
#[derive(Clone, Debug, PartialEq)]
enum Screen {
    /// Asking the edge who is signed in.
    Checking,
    /// The edge could not be asked (network, server error).
    Unreachable(String),
    /// A new deployment without an admin: the first-run setup page.
    Setup,
    /// An invitation link was opened: choosing a password.
    Invite(String),
    /// Nobody is signed in.
    SignedOut,
    /// Someone is signed in.
    SignedIn(CurrentAccount),
}

/// Who is signed in, or which page to show instead.
async fn check() -> Screen {
    match accounts::session().await {
        Ok(me) => Screen::SignedIn(me.into()),
        Err(e) if e.status == 401 => match accounts::setup_needed().await {
            Ok(true) => Screen::Setup,
            // Without an answer the sign-in form is the likelier need, and it says what fails.
            _ => Screen::SignedOut,
        },
        Err(e) => Screen::Unreachable(e.message),
    }
}

/// The whole admin.
#[component]
pub fn App() -> impl IntoView {
    let fragment = window().location().hash().unwrap_or_default();
    let screen = RwSignal::new(Screen::Checking);
    let recheck = move || {
        spawn_local(async move {
            let next = check().await;
            // An invitation opened meanwhile stays on screen.
            if !matches!(screen.get_untracked(), Screen::Invite(_)) {
                screen.set(next);
            }
        })
    };
    match invite_token(&fragment) {
        Some(token) => screen.set(Screen::Invite(token)),
        None => recheck(),
    }
    // An invitation link pasted into a tab where the admin is already open changes only the
    // fragment: no reload, so it is noticed here.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(token) = invite_token(&window().location().hash().unwrap_or_default()) {
            screen.set(Screen::Invite(token));
        }
    });
    let refresh = Callback::new(move |()| {
        screen.set(Screen::Checking);
        recheck();
    });
    // Leaving the invitation page (accepted, or to sign in instead): its token leaves the
    // address first, so the dashboard does not read it as a tab.
    let leave_invite = Callback::new(move |()| {
        clear_fragment();
        screen.set(Screen::Checking);
        recheck();
    });
    let to_sign_in = Callback::new(move |()| screen.set(Screen::SignedOut));

    move || match screen.get() {
        Screen::Checking => view! { <p class="loading-page muted" role="status">"Loading…"</p> }.into_any(),
        Screen::Unreachable(message) => view! {
            <div class="signin unreachable" role="alert">
                <h1>"Confab admin"</h1>
                <p>"The admin could not reach the server: "{message}</p>
                <button type="button" class="primary" on:click=move |_| refresh.run(())>"Try again"</button>
            </div>
        }
        .into_any(),
        Screen::Setup => view! { <SetupPage on_done=refresh on_sign_in=to_sign_in/> }.into_any(),
        Screen::Invite(token) => {
            view! { <AcceptInvitePage token=token on_done=leave_invite on_sign_in=leave_invite/> }.into_any()
        }
        Screen::SignedOut => view! { <SignInForm on_signed_in=refresh/> }.into_any(),
        Screen::SignedIn(account) => {
            provide_context(account.role);
            provide_context(account.clone());
            view! {
                <AccountHeader account=account on_signed_out=Callback::new(move |()| screen.set(Screen::SignedOut))/>
                <Dashboard/>
            }
            .into_any()
        }
    }
}

/// The signed-in header: who is signed in and as what, changing the password, signing out.
#[component]
fn AccountHeader(
    /// The signed-in account.
    account: CurrentAccount,
    /// Called once signed out.
    on_signed_out: Callback<()>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let sign_out = move |_| {
        busy.set(true);
        error.set(String::new());
        spawn_local(async move {
            match api::sign_out().await {
                Ok(()) => on_signed_out.run(()),
                Err(e) => {
                    error.try_set(format!("Could not sign out: {}", e.message));
                    busy.try_set(false);
                }
            }
        });
    };
    let (badge_class, badge) = match account.role {
        Role::Admin => ("role-badge admin", role_label("admin")),
        Role::Agent => ("role-badge agent", role_label("agent")),
    };
    view! {
        <header class="top">
            <h1>"Confab admin"</h1>
            <div class="account-menu" role="group" aria-label="Your account">
                <span class="account-email" id="account-email">{account.email.clone()}</span>
                <span class=badge_class id="account-role">
                    <span class="visually-hidden">"Role: "</span>
                    {badge}
                </span>
                <ChangePassword email=account.email/>
                <button type="button" id="sign-out" on:click=sign_out disabled=move || busy.get()>
                    {move || if busy.get() { "Signing out…" } else { "Sign out" }}
                </button>
            </div>
            <p class="header-error" role="alert">{move || error.get()}</p>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_names_the_role() {
        let me = |role: &str, agent: Option<&str>| Me {
            email: "sam@example.com".into(),
            role: role.into(),
            agent_id: agent.map(Into::into),
        };
        let admin = CurrentAccount::from(me("admin", None));
        assert_eq!((admin.role, admin.agent_id), (Role::Admin, None));
        let agent = CurrentAccount::from(me("agent", Some("agent-2")));
        assert_eq!((agent.role, agent.agent_id.as_deref()), (Role::Agent, Some("agent-2")));
        assert_eq!(Role::from_api("owner"), Role::Agent);
    }
}
