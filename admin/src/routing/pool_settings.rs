//! `PoolSettings`: the default pool (every agent, or the agents ticked), what happens when
//! nobody is free (a message, or any free agent), and the fair-share settings: whether
//! canceled meetings and no-shows are credited back, and when counts start again.

use super::agent_checks::AgentChecks;
use super::draft::{FallbackChoice, Field, MAX_MESSAGE_CHARS, Pool};
use super::editor::{Editor, focus_soon};
use confab_domain::routing::Reset;
use leptos::prelude::*;

/// The pool-wide settings of the routing editor.
#[component]
pub fn PoolSettings(
    /// The editor the settings belong to.
    editor: Editor,
) -> impl IntoView {
    let pool = move || editor.draft.with(|d| d.pool);
    let fallback = move || editor.draft.with(|d| d.fallback);
    let reset = move || editor.draft.with(|d| d.reset);
    let credit_back = move || editor.draft.with(|d| d.credit_back);
    let set_pool = move |next: Pool| {
        let agents = editor.agents.get_untracked();
        editor.edit(Field::DefaultAgents, |d| d.set_pool(next, &agents));
        if next == Pool::Chosen {
            focus_soon(Editor::field_id(Field::DefaultAgents));
        }
    };
    let set_fallback = move |next: FallbackChoice| {
        editor.edit(Field::FallbackMessage, |d| d.fallback = next);
    };
    let message_field = Field::FallbackMessage;
    let message_id = Editor::field_id(message_field);
    let characters = move || {
        let n = editor.draft.with(|d| d.message.trim().chars().count());
        format!("{n} of {MAX_MESSAGE_CHARS} characters.")
    };
    view! {
        <div class="pool-settings">
            <fieldset class="setting">
                <legend>"Default pool"</legend>
                <p class="hint">"Where visitors go when no account route or rule sends them elsewhere, by round robin."</p>
                <div class="choices">
                    <label class="inline">
                        <input type="radio" name="routing-pool" prop:checked=move || pool() == Pool::All on:change=move |_| set_pool(Pool::All)/>
                        "All agents"
                    </label>
                    <label class="inline">
                        <input type="radio" name="routing-pool" prop:checked=move || pool() == Pool::Chosen on:change=move |_| set_pool(Pool::Chosen)/>
                        "Only some agents"
                    </label>
                </div>
                <Show when=move || pool() == Pool::Chosen>
                    <AgentChecks
                        editor=editor
                        rule=None
                        field=Field::DefaultAgents
                        legend="Agents in the default pool"
                        hint="Agents left out still take the visitors of rules that name them and of their accounts."
                    />
                </Show>
            </fieldset>
            <fieldset class="setting">
                <legend>"When nobody is free"</legend>
                <p class="hint">"When no agent of any stage is free at the time the visitor picked."</p>
                <div class="choices">
                    <label class="inline">
                        <input
                            type="radio"
                            name="routing-fallback"
                            prop:checked=move || fallback() == FallbackChoice::Message
                            on:change=move |_| set_fallback(FallbackChoice::Message)
                        />
                        "Show the visitor a message"
                    </label>
                    <label class="inline">
                        <input
                            type="radio"
                            name="routing-fallback"
                            prop:checked=move || fallback() == FallbackChoice::AnyAgent
                            on:change=move |_| set_fallback(FallbackChoice::AnyAgent)
                        />
                        "Give the meeting to any free agent, whatever the rules say"
                    </label>
                </div>
                <Show when=move || fallback() == FallbackChoice::Message>
                    <div class="field wide">
                        <label for=message_id.clone()>"Message"</label>
                        <textarea
                            id=message_id.clone()
                            rows="2"
                            placeholder="Sorry, nobody can take this meeting. We will email you to find another time."
                            aria-describedby=format!("{message_id}-hint {}", Editor::error_id(message_field))
                            aria-invalid=move || editor.invalid(message_field)
                            prop:value=move || editor.draft.with(|d| d.message.clone())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                editor.edit(message_field, |d| d.message = text);
                            }
                        ></textarea>
                        <p class="hint" id=format!("{message_id}-hint")>
                            "Empty: the chat's standard message. "{characters}
                        </p>
                        <p class="field-error" id=Editor::error_id(message_field)>{move || editor.error(message_field)}</p>
                    </div>
                </Show>
            </fieldset>
            <fieldset class="setting">
                <legend>"Fair share"</legend>
                <label class="inline check">
                    <input
                        type="checkbox"
                        id="routing-credit-back"
                        aria-describedby="routing-credit-back-hint"
                        prop:checked=credit_back
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            editor.edit(Field::Form, |d| d.credit_back = on);
                        }
                    />
                    "Credit back canceled meetings and no-shows"
                </label>
                <p class="hint" id="routing-credit-back-hint">
                    "When on, a meeting that is canceled or marked as a no-show stops counting for its agent, and they get "
                    "their place back at the front of the line, so nobody loses their turn to a visitor who did not come. "
                    "When off, every meeting booked counts."
                </p>
                <div class="choices" role="radiogroup" aria-label="Counting meetings" aria-describedby="routing-reset-hint">
                    <label class="inline">
                        <input type="radio" name="routing-reset" prop:checked=move || reset() == Reset::Monthly on:change=move |_| editor.edit(Field::Form, |d| d.reset = Reset::Monthly)/>
                        "Start counting again each month"
                    </label>
                    <label class="inline">
                        <input type="radio" name="routing-reset" prop:checked=move || reset() == Reset::Never on:change=move |_| editor.edit(Field::Form, |d| d.reset = Reset::Never)/>
                        "Never start again"
                    </label>
                </div>
                <p class="hint" id="routing-reset-hint">
                    "With different weights, agents with the fewest meetings for their weight go first. Counts start again "
                    "from zero on the 1st of each month (UTC), or keep growing."
                </p>
            </fieldset>
        </div>
    }
}
