//! `AccountsTable`: everyone who can sign in, admins first, with their role and since when;
//! an agent's row can remove the agent (after confirmation). Admin accounts have no action:
//! the edge offers none.

use super::api::Account;
use super::browser::local_date;
use super::rules::{agent_label, remove_question, role_label};
use crate::api::AgentName;
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;

/// The name to show for an account: its own, its agent's, or none.
fn display_name(account: &Account, agents: &[AgentName]) -> Option<String> {
    account
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| account.agent_id.as_deref().and_then(|id| agent_label(agents, id)))
}

/// The accounts table (`#accounts-table`).
#[component]
pub fn AccountsTable(
    /// Every account.
    #[prop(into)]
    accounts: Signal<Vec<Account>>,
    /// The active agents, for names.
    #[prop(into)]
    agents: Signal<Vec<AgentName>>,
    /// The signed-in account's email, marked "you".
    me: String,
    /// The agent being removed, if any.
    #[prop(into)]
    working: Signal<Option<String>>,
    /// Called with the agent's id and name once their removal is confirmed.
    on_remove: Callback<(String, String)>,
) -> impl IntoView {
    let rows = move || {
        let agents = agents.get();
        accounts
            .get()
            .into_iter()
            .map(|account| {
                let name = display_name(&account, &agents);
                let you = account.email == me;
                let action = account.agent_id.clone().filter(|_| account.role == "agent").map(|agent_id| {
                    let subject = name.clone().unwrap_or_else(|| account.email.clone());
                    let busy_id = agent_id.clone();
                    let busy = Signal::derive(move || working.with(|w| w.as_deref() == Some(busy_id.as_str())));
                    let id = agent_id.clone();
                    let called = subject.clone();
                    view! {
                        <ConfirmButton
                            label="Remove…"
                            subject=subject.clone()
                            question=remove_question(&subject)
                            confirm_label="Remove agent"
                            busy=busy
                            busy_label="Removing…"
                            id=format!("remove-{agent_id}")
                            on_confirm=Callback::new(move |()| on_remove.run((id.clone(), called.clone())))
                        />
                    }
                });
                view! {
                    <tr data-email=account.email.clone()>
                        <td>{name.unwrap_or_else(|| "—".to_owned())}</td>
                        <td class="email">
                            {account.email.clone()}
                            {you.then(|| view! { <span class="you">" (you)"</span> })}
                        </td>
                        <td><span class=format!("role-badge {}", account.role)>{role_label(&account.role)}</span></td>
                        <td>{local_date(&account.created_at)}</td>
                        <td class="row-actions">{action}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll">
            <table id="accounts-table" aria-labelledby="accounts-title">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Since"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
