//! `InvitesTable`: the invitations not yet accepted, with who they are for, who sent them and
//! when their link expires; each can be withdrawn (after confirmation).

use super::api::Invite;
use super::browser::date_of_ms;
use super::rules::{agent_label, expires_phrase, role_label, withdraw_question};
use crate::api::AgentName;
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;

/// The role an invitation gives, with the agent it signs in as when known.
fn invited_as(invite: &Invite, agents: &[AgentName]) -> String {
    match (invite.role.as_str(), invite.agent_id.as_deref()) {
        ("admin", _) => role_label("admin").to_owned(),
        (_, Some(id)) => match agent_label(agents, id) {
            Some(name) => format!("Agent: {name}"),
            // A new agent's record is inactive until accepted, so not among the active agents.
            None => "Agent (new)".to_owned(),
        },
        _ => role_label("agent").to_owned(),
    }
}

/// The pending invitations (`#invites-table`), or a sentence when there are none.
#[component]
pub fn InvitesTable(
    /// The pending invitations.
    #[prop(into)]
    invites: Signal<Vec<Invite>>,
    /// The active agents, for names.
    #[prop(into)]
    agents: Signal<Vec<AgentName>>,
    /// Now, Unix ms (for "Expires in …").
    #[prop(into)]
    now: Signal<f64>,
    /// The invitation being withdrawn, if any.
    #[prop(into)]
    working: Signal<Option<String>>,
    /// Called with the invitation's id and email once withdrawing it is confirmed.
    on_withdraw: Callback<(String, String)>,
) -> impl IntoView {
    let rows = move || {
        let agents = agents.get();
        invites
            .get()
            .into_iter()
            .map(|invite| {
                let busy_id = invite.id.clone();
                let busy = Signal::derive(move || working.with(|w| w.as_deref() == Some(busy_id.as_str())));
                let (id, email) = (invite.id.clone(), invite.email.clone());
                let expires = invite.expires_at_ms;
                view! {
                    <tr data-email=invite.email.clone()>
                        <td class="email">{invite.email.clone()}</td>
                        <td>{invited_as(&invite, &agents)}</td>
                        <td class="email">{invite.invited_by.clone()}</td>
                        <td>
                            <span title=date_of_ms(expires)>{move || expires_phrase(now.get(), expires)}</span>
                        </td>
                        <td class="row-actions">
                            <ConfirmButton
                                label="Withdraw…"
                                subject=format!("the invitation for {}", invite.email)
                                question=withdraw_question(&invite.email)
                                confirm_label="Withdraw invitation"
                                busy=busy
                                busy_label="Withdrawing…"
                                id=format!("withdraw-{}", invite.id)
                                on_confirm=Callback::new(move |()| on_withdraw.run((id.clone(), email.clone())))
                            />
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Show
            when=move || invites.with(|i| !i.is_empty())
            fallback=|| view! { <p class="empty" id="invites-empty">"No pending invitations."</p> }
        >
            <div class="table-scroll">
                <table id="invites-table" aria-labelledby="invites-title">
                    <thead>
                        <tr>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Invited as"</th>
                            <th scope="col">"Invited by"</th>
                            <th scope="col">"Link"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
    }
}
