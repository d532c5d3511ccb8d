//! `TeamPanel`: the admins' Team tab. Who can sign in (removing an agent after
//! confirmation), the pending invitations (withdrawing one after confirmation), the agents
//! in routing who cannot sign in yet, and the invitation form, whose link is shown once.
//! Agents get a sentence instead: the edge would refuse them anyway.

use super::accounts_table::AccountsTable;
use super::api::{self, CreatedInvite, Team};
use super::browser::{focus, now_ms};
use super::invite_form::InviteForm;
use super::invite_link::InviteLink;
use super::invites_table::InvitesTable;
use super::rules::agents_without_account;
use super::unlinked_agents::UnlinkedAgents;
use crate::api::{self as admin_api, AgentName, ApiError};
use crate::app::{CurrentAccount, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// The team as last read. Every handle is a signal, so an answer arriving after the panel is
/// gone finds them disposed and is dropped.
#[derive(Clone, Copy)]
struct Loader {
    /// Accounts and invitations.
    team: RwSignal<Option<Team>>,
    /// The active agents (for names and the agent picker).
    agents: RwSignal<Vec<AgentName>>,
    /// Whether the agents could be read (the picker needs them).
    agents_known: RwSignal<bool>,
    /// The latest failure to read the team.
    failure: RwSignal<Option<ApiError>>,
    /// Whether a read the admin asked for is under way.
    busy: RwSignal<bool>,
    /// Bumped by each read, so only the newest answer is shown.
    generation: RwSignal<u32>,
}

impl Loader {
    fn new() -> Self {
        Loader {
            team: RwSignal::new(None),
            agents: RwSignal::new(Vec::new()),
            agents_known: RwSignal::new(false),
            failure: RwSignal::new(None),
            busy: RwSignal::new(false),
            generation: RwSignal::new(0),
        }
    }

    /// Reads the team and the agents.
    fn read(self, busy: bool) {
        let Some(generation) = self.generation.try_update_untracked(|g| {
            *g = g.wrapping_add(1);
            *g
        }) else {
            return;
        };
        if busy {
            self.busy.set(true);
        }
        spawn_local(async move {
            let result = api::team().await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok(team) => {
                    self.team.set(Some(team));
                    self.failure.set(None);
                }
                Err(e) => self.failure.set(Some(e)),
            }
            self.busy.set(false);
        });
        spawn_local(async move {
            let result = admin_api::calendars().await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            if let Ok(calendars) = result {
                self.agents.set(calendars.agents.into_iter().map(|a| a.agent).collect());
                self.agents_known.set(true);
            }
        });
    }
}

/// What the panel does to a row once confirmed.
#[derive(Clone, Copy)]
enum Action {
    /// Removes an agent.
    Remove,
    /// Withdraws an invitation.
    Withdraw,
}

/// The Team tab (`#team-panel`).
#[component]
pub fn TeamPanel() -> impl IntoView {
    let role = use_context::<Role>();
    let me = use_context::<CurrentAccount>().map(|a| a.email).unwrap_or_default();
    if role == Some(Role::Agent) {
        return view! {
            <section class="card team" id="team-panel" aria-labelledby="team-title">
                <h2 id="team-title">"Team"</h2>
                <p class="muted">"Only admins manage the team. Ask an admin to invite someone or to remove an agent."</p>
            </section>
        }
        .into_any();
    }

    let loader = Loader::new();
    loader.read(false);
    let now = RwSignal::new(now_ms());
    let clock = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(60)).ok();
    on_cleanup(move || {
        if let Some(clock) = clock {
            clock.clear();
        }
    });
    let Loader { team, agents, agents_known, failure, busy, .. } = loader;
    // What the last action did (role=status) or why it failed (role=alert).
    let done = RwSignal::new(String::new());
    let failed = RwSignal::new(String::new());
    // The id of the agent being removed or the invitation being withdrawn.
    let working = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<CreatedInvite>);
    let prefill = RwSignal::new(None::<String>);

    let accounts = Memo::new(move |_| team.with(|t| t.as_ref().map(|t| t.accounts.clone()).unwrap_or_default()));
    let invites = Memo::new(move |_| team.with(|t| t.as_ref().map(|t| t.invites.clone()).unwrap_or_default()));
    let unlinked = Memo::new(move |_| accounts.with(|a| agents.with(|g| agents_without_account(g, a))));
    let loaded = Memo::new(move |_| team.with(Option::is_some));

    let act = move |id: String, action: Action, subject: String| {
        working.set(Some(id.clone()));
        done.set(String::new());
        failed.set(String::new());
        spawn_local(async move {
            let result = match action {
                Action::Remove => api::remove_agent(id).await,
                Action::Withdraw => api::withdraw_invite(id).await,
            };
            working.try_set(None);
            match result {
                Ok(()) => {
                    done.try_set(match action {
                        Action::Remove => format!("{subject} was removed. Their meetings stay."),
                        Action::Withdraw => {
                            format!("The invitation for {subject} was withdrawn; its link no longer works.")
                        }
                    });
                    loader.read(false);
                    // The row that had focus is gone: focus goes to the panel's heading.
                    focus("team-title");
                }
                Err(e) => {
                    failed.try_set(match action {
                        Action::Remove => format!("{subject} could not be removed: {}", e.message),
                        Action::Withdraw => {
                            format!("The invitation for {subject} could not be withdrawn: {}", e.message)
                        }
                    });
                }
            }
        });
    };
    let on_remove = Callback::new(move |(id, name): (String, String)| act(id, Action::Remove, name));
    let on_withdraw = Callback::new(move |(id, email): (String, String)| act(id, Action::Withdraw, email));
    let on_created = Callback::new(move |invite: CreatedInvite| {
        done.set(format!("Invitation created for {}.", invite.invite.email));
        failed.set(String::new());
        created.set(Some(invite));
        loader.read(false);
    });
    let on_invite_agent = Callback::new(move |agent_id: String| {
        created.set(None);
        prefill.set(Some(agent_id));
    });

    view! {
        <div class="team" id="team-panel">
            <section class="card" aria-labelledby="team-title">
                <div class="card-head">
                    <h2 id="team-title" tabindex="-1">"Team"</h2>
                    <button type="button" class="secondary" on:click=move |_| loader.read(true) disabled=move || busy.get()>
                        {move || if busy.get() { "Refreshing…" } else { "Refresh" }}
                    </button>
                </div>
                <p class="muted">
                    "Admins can do everything here. Agents sign in to see their own meetings and to manage their own "
                    "calendar and availability."
                </p>
                // The live regions stay in place; only their content comes and goes.
                <div role="status" id="team-status">
                    {move || done.with(|d| (!d.is_empty()).then(|| view! { <p class="notice ok">{d.clone()}</p> }))}
                </div>
                <div role="alert" id="team-alert">
                    {move || failed.with(|f| (!f.is_empty()).then(|| view! { <p class="notice error">{f.clone()}</p> }))}
                </div>
                {move || match (loaded.get(), failure.get()) {
                    (false, None) => view! { <p class="muted" role="status">"Loading the team…"</p> }.into_any(),
                    (false, Some(e)) => view! {
                        <div class="notice error" role="alert">
                            <p>"The team could not be read: "{e.message}</p>
                            <button type="button" class="secondary" on:click=move |_| loader.read(true)>"Try again"</button>
                        </div>
                    }
                    .into_any(),
                    (true, Some(e)) => view! {
                        <p class="notice warn" role="status">"Could not refresh ("{e.message}"). Showing the last known team."</p>
                    }
                    .into_any(),
                    (true, None) => ().into_any(),
                }}
                <Show when=move || loaded.get()>
                    <h3 id="accounts-title">"People who can sign in"</h3>
                    <AccountsTable
                        accounts=accounts
                        agents=agents
                        me=me.clone()
                        working=working
                        on_remove=on_remove
                    />
                    <h3 id="invites-title">"Pending invitations"</h3>
                    <InvitesTable invites=invites agents=agents now=now working=working on_withdraw=on_withdraw/>
                    <Show when=move || unlinked.with(|u| !u.is_empty())>
                        <h3 id="unlinked-title">"Agents who cannot sign in yet"</h3>
                        <UnlinkedAgents
                            agents=unlinked
                            invites=invites
                            working=working
                            on_invite=on_invite_agent
                            on_remove=on_remove
                        />
                    </Show>
                </Show>
            </section>
            <section class="card" aria-labelledby="invite-title">
                <h2 id="invite-title">"Invite someone"</h2>
                {move || match created.get() {
                    Some(invite) => view! {
                        <InviteLink created=invite agents=agents on_done=Callback::new(move |()| created.set(None))/>
                    }
                    .into_any(),
                    None => view! {
                        <InviteForm
                            agents=unlinked
                            agents_known=agents_known
                            prefill=prefill
                            on_created=on_created
                        />
                    }
                    .into_any(),
                }}
            </section>
        </div>
    }
    .into_any()
}
