//! `InviteForm`: invites an admin, or an agent (a new one, who joins routing on accepting, or
//! one already in routing who has no sign-in). Everything is checked at once before sending;
//! each problem is shown next to its field and focus moves to the first.

use super::api::{self, CreatedInvite};
use super::browser::focus;
use super::field::Field;
use super::rules::{AgentChoice, FormErrors, InviteDraft, InviteRole, MAX_NAME_CHARS};
use crate::api::AgentName;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The invitation form (`#invite-form`).
#[component]
pub fn InviteForm(
    /// The agents who could be invited to sign in (nobody signs in as them yet).
    #[prop(into)]
    agents: Signal<Vec<AgentName>>,
    /// Whether the agents could be read.
    #[prop(into)]
    agents_known: Signal<bool>,
    /// An agent to invite, chosen elsewhere (taken, then cleared).
    prefill: RwSignal<Option<String>>,
    /// Called with the created invitation and its link.
    on_created: Callback<CreatedInvite>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(InviteRole::Agent);
    let choice = RwSignal::new(AgentChoice::New);
    let name = RwSignal::new(String::new());
    let agent_id = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::none());
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        if let Some(id) = prefill.get() {
            prefill.set(None);
            role.set(InviteRole::Agent);
            choice.set(AgentChoice::Existing);
            agent_id.set(id);
            errors.set(FormErrors::none());
            request_animation_frame(|| focus("invite-email"));
        }
    });
    let no_agents = Memo::new(move |_| agents.with(Vec::is_empty));
    let agent_error = Signal::derive(move || errors.with(|e| e.field("invite-agent")));

    let error = move |field: &'static str| Signal::derive(move || errors.with(|e| e.field(field)));
    let edited = Callback::new(move |field: &'static str| {
        if errors.with_untracked(|e| !e.field(field).is_empty()) {
            errors.update(|e| {
                e.clear(field);
            });
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let draft = InviteDraft {
            email: email.get_untracked(),
            role: role.get_untracked(),
            choice: choice.get_untracked(),
            name: name.get_untracked(),
            agent_id: agent_id.get_untracked(),
        };
        let request = match draft.check() {
            Ok(request) => request,
            Err(found) => {
                let first = found.first_field();
                errors.set(found);
                if let Some(first) = first {
                    focus(first);
                }
                return;
            }
        };
        errors.set(FormErrors::none());
        busy.set(true);
        spawn_local(async move {
            let result = api::invite(&request).await;
            busy.try_set(false);
            match result {
                Ok(created) => {
                    for field in [email, name, agent_id] {
                        field.try_set(String::new());
                    }
                    on_created.run(created);
                }
                Err(e) => {
                    let found = FormErrors::from_api(&e, &draft.places());
                    let first = found.first_field();
                    errors.try_set(found);
                    focus(first.unwrap_or("invite-email"));
                }
            }
        });
    };

    let role_option = move |value: InviteRole, id: &'static str, title: &'static str, what: &'static str| {
        view! {
            <label class="choice" for=id>
                <input
                    type="radio"
                    id=id
                    name="invite-role"
                    prop:checked=move || role.get() == value
                    on:change=move |_| role.set(value)
                />
                <span>
                    <span class="choice-title">{title}</span>
                    <span class="hint">{what}</span>
                </span>
            </label>
        }
    };
    let choice_option = move |value: AgentChoice, id: &'static str, title: &'static str| {
        let unavailable = move || value == AgentChoice::Existing && no_agents.get();
        view! {
            <label class="choice" for=id class:disabled=unavailable>
                <input
                    type="radio"
                    id=id
                    name="invite-agent-choice"
                    prop:checked=move || choice.get() == value
                    disabled=unavailable
                    on:change=move |_| choice.set(value)
                />
                <span class="choice-title">{title}</span>
            </label>
        }
    };

    view! {
        <form id="invite-form" class="invite-form" novalidate on:submit=submit aria-labelledby="invite-title">
            <Field
                id="invite-email"
                label="Email"
                kind="email"
                value=email
                required=true
                error=error("invite-email")
                on_edit=edited
                hint=|| "The address they will sign in with."
            />
            <fieldset class="choices" id="invite-role">
                <legend>"Role"</legend>
                {role_option(
                    InviteRole::Agent,
                    "invite-role-agent",
                    "Agent",
                    "Sees their own meetings and manages their own calendar and availability.",
                )}
                {role_option(
                    InviteRole::Admin,
                    "invite-role-admin",
                    "Admin",
                    "Can do everything: every meeting, routing, calendars, integrations and the team.",
                )}
            </fieldset>
            <Show when=move || role.get() == InviteRole::Agent>
                <fieldset class="choices" id="invite-agent-choice">
                    <legend>"Which agent"</legend>
                    {choice_option(AgentChoice::New, "invite-new-agent", "A new agent")}
                    {choice_option(AgentChoice::Existing, "invite-existing-agent", "An agent already in routing")}
                    <p class="hint">
                        {move || match (agents_known.get(), no_agents.get()) {
                            (false, _) => "The agents could not be read, so only a new agent can be invited.",
                            (true, true) => "Every agent in routing can already sign in.",
                            (true, false) => "",
                        }}
                    </p>
                </fieldset>
                <Show
                    when=move || choice.get() == AgentChoice::New
                    fallback=move || view! {
                        <div class="field">
                            <label for="invite-agent">"Agent"</label>
                            <select
                                id="invite-agent"
                                aria-describedby="invite-agent-error"
                                aria-invalid=move || (!agent_error.with(String::is_empty)).then_some("true")
                                prop:value=move || agent_id.get()
                                on:change=move |ev| {
                                    agent_id.set(event_target_value(&ev));
                                    edited.run("invite-agent");
                                }
                            >
                                <option value="">"Choose an agent…"</option>
                                {move || agents.get().into_iter().map(|a| view! {
                                    <option value=a.id.clone() selected=agent_id.get_untracked() == a.id>{a.name}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-error" id="invite-agent-error">{move || agent_error.get()}</p>
                        </div>
                    }
                >
                    <Field
                        id="invite-name"
                        label="Agent's name"
                        value=name
                        required=true
                        error=error("invite-name")
                        on_edit=edited
                        hint=|| format!(
                            "As visitors will see it (at most {MAX_NAME_CHARS} characters). They join routing once they accept."
                        )
                    />
                </Show>
            </Show>
            <div id="invite-error" class="error" role="alert">{move || errors.with(FormErrors::form)}</div>
            <div class="actions">
                <button type="submit" class="primary" id="invite-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Creating link…" } else { "Create invitation link" }}
                </button>
                <span class="hint">"Confab does not send it: you get a link to send them yourself."</span>
            </div>
        </form>
    }
}
