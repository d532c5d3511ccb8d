//! `CardEditor`: one card of the flow as an editable form for its type, with its id, the
//! controls to make it the start, move it and delete it (after confirmation), and the
//! validator's messages about it right under it (the card is then marked invalid).

use super::button_rows::ButtonRows;
use super::diagnostic_list::DiagnosticList;
use super::draft::{CardType, messages_for};
use super::next_select::NextSelect;
use super::state::EditorState;
use super::text_input::TextInput;
use crate::confirm_button::ConfirmButton;
use crate::dialogues::browser::{focus, from_json_text, to_json_text};
use confab_domain::dialogue::{CaptureKind, Card, Rule};
use confab_domain::ids::CardId;
use leptos::prelude::*;

/// Sets the `next` of the card kinds that have an optional one.
fn set_next(card: &mut Card, to: Option<String>) {
    let to = to.map(|id| CardId::from(id.as_str()));
    match card {
        Card::Message { next, .. }
        | Card::Capture { next, .. }
        | Card::BookMeeting { next, .. }
        | Card::Goal { next, .. }
        | Card::Document { next, .. } => *next = to,
        Card::Branch { default, .. } => *default = to,
        Card::Question { .. } | Card::End { .. } => {}
    }
}

/// The `next` (or a branch's default) of a card.
fn next_of(card: &Card) -> Option<String> {
    match card {
        Card::Message { next, .. }
        | Card::Capture { next, .. }
        | Card::BookMeeting { next, .. }
        | Card::Goal { next, .. }
        | Card::Document { next, .. } => next.as_ref().map(|n| n.as_str().to_owned()),
        Card::Branch { default, .. } => default.as_ref().map(|n| n.as_str().to_owned()),
        Card::Question { .. } | Card::End { .. } => None,
    }
}

/// The text a card shows (message, question and capture prompt).
fn text_of(card: &Card) -> String {
    match card {
        Card::Message { text, .. } | Card::Question { text, .. } | Card::Capture { text, .. } => text.clone(),
        _ => String::new(),
    }
}

fn set_text(card: &mut Card, to: String) {
    if let Card::Message { text, .. } | Card::Question { text, .. } | Card::Capture { text, .. } = card {
        *text = to;
    }
}

/// One card of the flow.
#[component]
pub fn CardEditor(
    /// The editor's shared state.
    state: EditorState,
    /// The card's key in the draft.
    card_key: u32,
) -> impl IntoView {
    let card = Memo::new(move |_| state.draft.with(|d| d.card(card_key).cloned()));
    let kind = Memo::new(move |_| card.with(|c| c.as_ref().map(CardType::of)));
    let card_id = Memo::new(move |_| card.with(|c| c.as_ref().map(|c| c.id().as_str().to_owned()).unwrap_or_default()));
    let ids = Memo::new(move |_| state.draft.with(|d| d.ids()));
    let is_start = Memo::new(move |_| state.draft.with(|d| d.flow.start.as_str() == card_id.get()));
    let position = Memo::new(move |_| state.draft.with(|d| (d.index_of(card_key), d.keys().len())));
    let messages = Memo::new(move |_| state.diagnostics.with(|all| messages_for(all, &card_id.get())));
    let invalid = Signal::derive(move || messages.with(|m| !m.is_empty()));

    let prefix = format!("card-{card_key}");
    let heading_id = format!("{prefix}-title");
    let problems_id = format!("{prefix}-problems");
    let field_id = move |name: &str| format!("card-{card_key}-{name}");

    // The id is committed when the input is left, so that typing through another card's id
    // never relinks that card's links.
    let id_text = RwSignal::new(card_id.get_untracked());
    let id_problem = RwSignal::new(String::new());
    Effect::new(move |_| id_text.set(card_id.get()));
    let commit_id = move || {
        let typed = id_text.get_untracked();
        let mut outcome = Ok(());
        state.edit(|d| outcome = d.rename(card_key, &typed));
        match outcome {
            Ok(()) => id_problem.set(String::new()),
            Err(why) => id_problem.set(why),
        }
    };

    let shift = move |by: isize, button: &'static str| {
        state.edit(|d| {
            d.shift(card_key, by);
        });
        // The card's node moves, which can drop focus: it goes back to the button pressed, or
        // to the other one when this one is now disabled at the end of the list.
        request_animation_frame(move || {
            let Some((index, count)) = position.try_get_untracked() else { return };
            let at_end = match button {
                "up" => index == Some(0),
                _ => index.is_some_and(|i| i + 1 == count),
            };
            let target = match (at_end, button) {
                (false, b) => b,
                (true, "up") => "down",
                (true, _) => "up",
            };
            focus(&format!("card-{card_key}-{target}"));
        });
    };

    let next_select = move |label: &'static str| {
        view! {
            <NextSelect
                id=field_id("next")
                label=label
                value=Signal::derive(move || card.with(|c| c.as_ref().and_then(next_of)))
                ids=ids
                none_label="End the conversation"
                described_by=field_id("problems")
                on_change=Callback::new(move |to| state.edit_card(card_key, |c| set_next(c, to)))
            />
        }
    };
    let text_field = move |label: &'static str| {
        view! {
            <TextInput
                id=field_id("text")
                name="text"
                label=label
                rows=3
                value=Signal::derive(move || card.with(|c| c.as_ref().map(text_of).unwrap_or_default()))
                on_input=Callback::new(move |v| state.edit_card(card_key, |c| set_text(c, v)))
                described_by=field_id("problems")
                hint="Personalise with {{lead.firstName:\"there\"}}."
            />
        }
    };

    let body = move || {
        match kind.get() {
        Some(CardType::Message) => view! { {text_field("Message")} {next_select("Then")} }.into_any(),
        Some(CardType::Question) => view! {
            {text_field("Question")}
            <ButtonRows state=state card_key=card_key ids=ids />
        }
        .into_any(),
        Some(CardType::Capture) => view! {
            {text_field("Prompt")}
            <div class="field-row">
                <div class="field">
                    <label for=field_id("kind")>"Ask for"</label>
                    <select
                        id=field_id("kind")
                        name="kind"
                        prop:value=move || card.with(|c| match c {
                            Some(Card::Capture { kind: CaptureKind::Phone, .. }) => "phone",
                            Some(Card::Capture { kind: CaptureKind::Text, .. }) => "text",
                            _ => "email",
                        })
                        on:change=move |ev| {
                            let picked = match event_target_value(&ev).as_str() {
                                "phone" => CaptureKind::Phone,
                                "text" => CaptureKind::Text,
                                _ => CaptureKind::Email,
                            };
                            state.edit_card(card_key, |c| if let Card::Capture { kind, .. } = c { *kind = picked });
                        }
                    >
                        <option value="email">"An email address"</option>
                        <option value="phone">"A phone number"</option>
                        <option value="text">"A text"</option>
                    </select>
                </div>
                <div class="field">
                    <label for=field_id("field")>"Store in lead field"</label>
                    <input
                        id=field_id("field")
                        name="field"
                        list="dialogue-lead-fields"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=field_id("problems")
                        prop:value=move || card.with(|c| match c {
                            Some(Card::Capture { field, .. }) => field.clone(),
                            _ => String::new(),
                        })
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            state.edit_card(card_key, |c| if let Card::Capture { field, .. } = c { *field = typed });
                        }
                    />
                </div>
            </div>
            {next_select("Then")}
        }
        .into_any(),
        Some(CardType::Branch) => {
            let rules_id = field_id("rules");
            let rules_problem_id = field_id("rules-problem");
            let rules_text = RwSignal::new(card.with_untracked(|c| match c {
                Some(Card::Branch { rules, .. }) => to_json_text(rules),
                _ => "[]".into(),
            }));
            let problem = Memo::new({
                let rules_id = rules_id.clone();
                move |_| state.json_problems.with(|p| p.get(&rules_id).cloned().unwrap_or_default())
            });
            // A rename elsewhere can change the rules (`answer.<card id>`): the text follows,
            // unless it is being fixed (it does not parse).
            Effect::new(move |_| {
                let Some(Card::Branch { rules, .. }) = card.get() else { return };
                if problem.with_untracked(String::is_empty)
                    && from_json_text::<Vec<Rule>>(&rules_text.get_untracked(), "").as_ref() != Ok(&rules)
                {
                    rules_text.set(to_json_text(&rules));
                }
            });
            let on_rules = {
                let rules_id = rules_id.clone();
                move |ev| {
                    let typed = event_target_value(&ev);
                    rules_text.set(typed.clone());
                    match from_json_text::<Vec<Rule>>(&typed, "The rules") {
                        Ok(parsed) => {
                            state.json_problem(&rules_id, None);
                            state.edit_card(card_key, |c| if let Card::Branch { rules, .. } = c { *rules = parsed });
                        }
                        Err(why) => {
                            state.json_problem(&rules_id, Some(why));
                            state.touch();
                        }
                    }
                }
            };
            on_cleanup({
                let rules_id = rules_id.clone();
                move || state.json_problem(&rules_id, None)
            });
            view! {
                <div class="field">
                    <label for=rules_id.clone()>"Rules (JSON, tried in order)"</label>
                    <textarea
                        id=rules_id.clone()
                        name="rules"
                        class="code"
                        rows=6
                        spellcheck="false"
                        aria-describedby=format!("{} {rules_problem_id} {}", field_id("rules-hint"), field_id("problems"))
                        aria-invalid=move || (!problem.with(String::is_empty)).then_some("true")
                        prop:value=move || rules_text.get()
                        on:input=on_rules
                    ></textarea>
                    <p class="hint" id=field_id("rules-hint")>
                        "Each rule: "
                        <code>"{\"when\": {\"mode\": \"all\", \"conditions\": [{\"op\": \"equals\", \"field\": \"answer.<card id>\", \"value\": \"…\"}]}, \"next\": \"<card id>\"}"</code>
                        ". Fields are lead.<field>, answer.<card id>, or agents.free_today (yes when an agent has a free slot for the rest of the visitor's day, no otherwise)."
                    </p>
                    <p class="field-error" id=rules_problem_id.clone()>{move || problem.get()}</p>
                </div>
                <NextSelect
                    id=field_id("default")
                    name="default"
                    label="When no rule holds"
                    value=Signal::derive(move || card.with(|c| c.as_ref().and_then(next_of)))
                    ids=ids
                    none_label="Choose a card…"
                    described_by=field_id("problems")
                    on_change=Callback::new(move |to| state.edit_card(card_key, |c| set_next(c, to)))
                />
            }
            .into_any()
        }
        Some(CardType::BookMeeting) => view! {
            <div class="field narrow">
                <label for=field_id("duration")>"Meeting length (minutes)"</label>
                <input
                    id=field_id("duration")
                    name="duration_minutes"
                    type="number"
                    min="5"
                    max="480"
                    step="5"
                    aria-describedby=field_id("problems")
                    prop:value=move || card.with(|c| match c {
                        Some(Card::BookMeeting { duration_minutes, .. }) => duration_minutes.to_string(),
                        _ => String::new(),
                    })
                    on:input=move |ev| {
                        // A blank or partial number counts as 0 minutes, which the validator reports.
                        let minutes = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
                        state.edit_card(card_key, |c| {
                            if let Card::BookMeeting { duration_minutes, .. } = c {
                                *duration_minutes = minutes;
                            }
                        });
                    }
                />
            </div>
            {next_select("After booking")}
        }
        .into_any(),
        Some(CardType::Goal) => view! {
            <div class="field-row">
                <TextInput
                    id=field_id("goal-name")
                    name="goal_name"
                    label="Goal name"
                    value=Signal::derive(move || card.with(|c| match c {
                        Some(Card::Goal { name, .. }) => name.clone(),
                        _ => String::new(),
                    }))
                    on_input=Callback::new(move |v| state.edit_card(card_key, |c| if let Card::Goal { name, .. } = c { *name = v }))
                    described_by=field_id("problems")
                />
                <div class="field narrow">
                    <label for=field_id("score")>"Score"</label>
                    <select
                        id=field_id("score")
                        name="score"
                        prop:value=move || card.with(|c| match c {
                            Some(Card::Goal { score, .. }) => score.to_string(),
                            _ => "0".into(),
                        })
                        on:change=move |ev| {
                            let picked = event_target_value(&ev).parse::<u8>().unwrap_or(0);
                            state.edit_card(card_key, |c| if let Card::Goal { score, .. } = c { *score = picked });
                        }
                    >
                        <option value="0">"0"</option>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                        <option value="3">"3"</option>
                    </select>
                </div>
            </div>
            {next_select("Then")}
        }
        .into_any(),
        Some(CardType::Document) => view! {
            <TextInput
                id=field_id("title")
                name="title"
                label="Link text"
                value=Signal::derive(move || card.with(|c| match c {
                    Some(Card::Document { title, .. }) => title.clone(),
                    _ => String::new(),
                }))
                on_input=Callback::new(move |v| state.edit_card(card_key, |c| if let Card::Document { title, .. } = c { *title = v }))
                described_by=field_id("problems")
            />
            <TextInput
                id=field_id("url")
                name="url"
                label="Address (https://)"
                kind="url"
                value=Signal::derive(move || card.with(|c| match c {
                    Some(Card::Document { url, .. }) => url.clone(),
                    _ => String::new(),
                }))
                on_input=Callback::new(move |v| state.edit_card(card_key, |c| if let Card::Document { url, .. } = c { *url = v }))
                described_by=field_id("problems")
            />
            {next_select("Then")}
        }
        .into_any(),
        Some(CardType::End) => view! { <p class="hint">"The conversation ends here."</p> }.into_any(),
        None => ().into_any(),
    }
    };

    let title = move || kind.get().map(CardType::label).unwrap_or_default();
    view! {
        <li
            class="flow-card"
            class:invalid=invalid
            class:start=is_start
            id=prefix.clone()
            data-card-id=move || card_id.get()
            data-card-type=move || kind.get().map(CardType::slug).unwrap_or_default()
            role="group"
            aria-labelledby=heading_id.clone()
            aria-invalid=move || invalid.get().then_some("true")
        >
            <div class="flow-card-head">
                <h4 id=heading_id.clone()>
                    {title}
                    " "
                    <code>{move || card_id.get()}</code>
                    <Show when=move || is_start.get()>
                        <span class="pill start-pill">"Start"</span>
                    </Show>
                </h4>
                <div class="flow-card-tools">
                    <button
                        type="button"
                        class="secondary small"
                        id=field_id("start")
                        disabled=move || is_start.get()
                        on:click=move |_| state.edit(|d| d.set_start(card_key))
                    >
                        "Set as start"
                        <span class="visually-hidden">" ("{move || card_id.get()}")"</span>
                    </button>
                    <button
                        type="button"
                        class="secondary small"
                        id=field_id("up")
                        aria-label=move || format!("Move {} up", card_id.get())
                        disabled=move || position.get().0 == Some(0)
                        on:click=move |_| shift(-1, "up")
                    >
                        "↑"
                    </button>
                    <button
                        type="button"
                        class="secondary small"
                        id=field_id("down")
                        aria-label=move || format!("Move {} down", card_id.get())
                        disabled=move || { let (i, n) = position.get(); i.is_none_or(|i| i + 1 >= n) }
                        on:click=move |_| shift(1, "down")
                    >
                        "↓"
                    </button>
                    <ConfirmButton
                        id=field_id("delete")
                        label="Delete"
                        class="secondary small danger"
                        subject=Signal::derive(move || format!("card {}", card_id.get()))
                        question=Signal::derive(move || format!(
                            "Delete the card {}? Cards that lead to it will show a problem until you pick another card.",
                            card_id.get()
                        ))
                        confirm_label="Delete card"
                        on_confirm=Callback::new(move |()| {
                            state.edit(|d| d.remove(card_key));
                            request_animation_frame(|| focus("flow-add-type"));
                        })
                    />
                </div>
            </div>
            <div class="field narrow-id">
                <label for=field_id("id")>"Card id"</label>
                <input
                    id=field_id("id")
                    name="id"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=format!("{} {}", field_id("id-hint"), field_id("id-problem"))
                    aria-invalid=move || (!id_problem.with(String::is_empty)).then_some("true")
                    prop:value=move || id_text.get()
                    on:input=move |ev| id_text.set(event_target_value(&ev))
                    on:change=move |_| commit_id()
                />
                <p class="hint" id=field_id("id-hint")>"Links and rules that use the id follow a rename."</p>
                <p class="field-error" id=field_id("id-problem")>{move || id_problem.get()}</p>
            </div>
            {body}
            <DiagnosticList id=problems_id messages=messages />
        </li>
    }
}
