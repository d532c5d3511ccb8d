//! `InviteLink`: the link of the invitation just created, with a Copy button. The edge shows
//! it this once (it keeps only the token's digest), so the panel says so, and how long it
//! works.

use super::api::CreatedInvite;
use super::browser::{copy_text, date_of_ms, focus};
use super::rules::agent_label;
use crate::api::AgentName;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The created link (`#invite-link`, its text in `#invite-url`, copied by `#invite-copy`).
#[component]
pub fn InviteLink(
    /// The invitation and its link.
    created: CreatedInvite,
    /// The active agents, for the invited agent's name.
    #[prop(into)]
    agents: Signal<Vec<AgentName>>,
    /// Called when the admin is done with the link.
    on_done: Callback<()>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let copied = RwSignal::new(String::new());
    let CreatedInvite { invite, invite_url } = created;
    request_animation_frame(|| focus("invite-copy"));
    let url = invite_url.clone();
    let copy = move |_| {
        let url = url.clone();
        spawn_local(async move {
            if copy_text(&url).await {
                copied.try_set("Link copied. Paste it into an email or a chat message to them.".to_owned());
            } else {
                if let Some(input) = input.get_untracked() {
                    input.select();
                    let _ = input.focus();
                }
                copied.try_set(
                    "This browser did not allow copying. The link is selected: copy it with Ctrl+C (⌘C on a Mac)."
                        .to_owned(),
                );
            }
        });
    };
    let agent_id = invite.agent_id.clone();
    let as_what = move || match (invite.role.as_str(), agent_id.as_deref()) {
        ("admin", _) => "as an admin".to_owned(),
        (_, Some(id)) => match agents.with(|a| agent_label(a, id)) {
            Some(name) => format!("as the agent {name}"),
            None => "as an agent".to_owned(),
        },
        _ => "as an agent".to_owned(),
    };
    let email = invite.email.clone();
    view! {
        <div class="invite-link" id="invite-link" role="group" aria-labelledby="invite-link-title">
            <h3 id="invite-link-title">"Invitation link for "{email.clone()}</h3>
            <p>
                "Send this link to "<strong>{email.clone()}</strong>" yourself. With it they choose a password and "
                "sign in "{as_what}"."
            </p>
            <div class="copy-row">
                <label for="invite-url" class="visually-hidden">"Invitation link"</label>
                <input
                    id="invite-url"
                    type="text"
                    readonly
                    value=invite_url
                    node_ref=input
                    spellcheck="false"
                    on:focus=move |_| {
                        if let Some(input) = input.get_untracked() {
                            input.select();
                        }
                    }
                />
                <button type="button" class="primary" id="invite-copy" on:click=copy aria-describedby="invite-copy-status">
                    "Copy link"
                </button>
            </div>
            <p class="copy-status" id="invite-copy-status" role="status">{move || copied.get()}</p>
            <p class="notice warn" id="invite-once">
                "This link is shown only now and cannot be shown again. It works once, until "
                {date_of_ms(invite.expires_at_ms)}" (7 days). If it is lost, withdraw the invitation and create a new one."
            </p>
            <div class="actions">
                <button type="button" class="secondary" id="invite-another" on:click=move |_| on_done.run(())>
                    "Done, invite someone else"
                </button>
            </div>
        </div>
    }
}
