//! `UnlinkedAgents`: the agents in routing nobody signs in as. Each can be invited (the
//! invitation form is filled in for them) or removed (after confirmation).

use super::api::Invite;
use super::rules::remove_question;
use crate::api::AgentName;
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;

/// The agents without a sign-in (`#unlinked-agents`).
#[component]
pub fn UnlinkedAgents(
    /// The agents nobody signs in as.
    #[prop(into)]
    agents: Signal<Vec<AgentName>>,
    /// The pending invitations (an agent may already be invited).
    #[prop(into)]
    invites: Signal<Vec<Invite>>,
    /// The agent being removed, if any.
    #[prop(into)]
    working: Signal<Option<String>>,
    /// Called with an agent's id to invite them.
    on_invite: Callback<String>,
    /// Called with the agent's id and name once their removal is confirmed.
    on_remove: Callback<(String, String)>,
) -> impl IntoView {
    let rows = move || {
        let invites = invites.get();
        agents
            .get()
            .into_iter()
            .map(|agent| {
                let invited = invites.iter().any(|i| i.agent_id.as_deref() == Some(agent.id.as_str()));
                let busy_id = agent.id.clone();
                let busy = Signal::derive(move || working.with(|w| w.as_deref() == Some(busy_id.as_str())));
                let (invite_id, remove_id, name) = (agent.id.clone(), agent.id.clone(), agent.name.clone());
                view! {
                    <li class="unlinked" data-agent=agent.id.clone()>
                        <span class="unlinked-name">{agent.name.clone()}</span>
                        <span class="muted">{if invited { "Invitation pending" } else { "Gets meetings, no sign-in" }}</span>
                        <span class="row-actions">
                            <button type="button" class="secondary" on:click=move |_| on_invite.run(invite_id.clone())>
                                {if invited { "Invite again…" } else { "Invite…" }}
                                <span class="visually-hidden">" "{agent.name.clone()}</span>
                            </button>
                            <ConfirmButton
                                label="Remove…"
                                subject=agent.name.clone()
                                question=remove_question(&agent.name)
                                confirm_label="Remove agent"
                                busy=busy
                                busy_label="Removing…"
                                id=format!("remove-{}", agent.id)
                                on_confirm=Callback::new(move |()| on_remove.run((remove_id.clone(), name.clone())))
                            />
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <p class="hint">
            "They get meetings but cannot sign in to see them or to manage their calendar. Invite one to give them a sign-in."
        </p>
        <ul class="unlinked-list" id="unlinked-agents" aria-labelledby="unlinked-title">{rows}</ul>
    }
}
