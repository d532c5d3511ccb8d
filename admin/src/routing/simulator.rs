//! `Simulator`: "who would get this meeting?" for a visitor (email, answers) at a time in the
//! admin's own time zone, asked of the routing pool exactly as a booking would ask, with
//! nothing booked: no meeting, no hold, no count changes. Each problem is shown next to its
//! input.

use super::draft::answer_cards;
use super::editor::focus_soon;
use super::format::{LocalMinute, answers, default_start, local_instant, time_zone_name, today};
use super::simulation_result::SimulationResult;
use crate::api::{self, Simulation, SimulationRequest};
use confab_domain::email::Email;
use confab_domain::routing::RoutingConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::atomic::{AtomicU32, Ordering};

/// Meeting lengths offered, in minutes.
const LENGTHS: [u32; 5] = [15, 30, 45, 60, 90];

static NEXT_ROW: AtomicU32 = AtomicU32::new(1);

/// One answer row: (key, card id, answer).
type Row = (u32, String, String);

fn blank_row() -> Row {
    (NEXT_ROW.fetch_add(1, Ordering::Relaxed), String::new(), String::new())
}

/// Where a problem is shown.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    /// The time.
    Start(String),
    /// The meeting length.
    Length(String),
    /// The email.
    Email(String),
    /// The answer row with this key (or the answers as a whole, 0).
    Answer(u32, String),
    /// The simulation as a whole.
    Form(String),
}

/// The simulator card.
#[component]
pub fn Simulator(
    /// The configuration as stored, for suggesting the card ids rules test.
    saved_config: RwSignal<Option<RoutingConfig>>,
) -> impl IntoView {
    let start = RwSignal::new(default_start(today()).input_value());
    let length = RwSignal::new("30".to_owned());
    let email = RwSignal::new(String::new());
    let rows = RwSignal::new(vec![blank_row()]);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<(Simulation, String)>);
    let zone = time_zone_name();
    let cards = Memo::new(move |_| saved_config.with(|c| c.as_ref().map(answer_cards).unwrap_or_default()));

    let message_for = move |pick: fn(&Problem) -> Option<String>| move || problem.with(|p| p.as_ref().and_then(pick));
    let start_error = message_for(|p| if let Problem::Start(m) = p { Some(m.clone()) } else { None });
    let length_error = message_for(|p| if let Problem::Length(m) = p { Some(m.clone()) } else { None });
    let email_error = message_for(|p| if let Problem::Email(m) = p { Some(m.clone()) } else { None });
    let form_error = message_for(|p| if let Problem::Form(m) = p { Some(m.clone()) } else { None });
    let row_error = move |key: u32| {
        problem.with(|p| match p {
            Some(Problem::Answer(k, m)) if *k == key => Some(m.clone()),
            _ => None,
        })
    };
    let clear = move || {
        if problem.with_untracked(Option::is_some) {
            problem.set(None);
        }
    };
    let show = move |found: Problem| {
        let target = match &found {
            Problem::Start(_) => "sim-start".to_owned(),
            Problem::Length(_) => "sim-length".to_owned(),
            Problem::Email(_) => "sim-email".to_owned(),
            Problem::Answer(key, _) => format!("sim-answer-{key}-card"),
            Problem::Form(_) => "sim-run".to_owned(),
        };
        if problem.try_set(Some(found)).is_none() {
            focus_soon(target);
        }
    };

    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problem.set(None);
        let Some(at) = LocalMinute::parse(&start.get_untracked()) else {
            return show(Problem::Start("Choose a date and a time.".into()));
        };
        let Some(instant) = local_instant(at) else {
            return show(Problem::Start("Your browser could not place this time; choose another.".into()));
        };
        let typed = email.get_untracked();
        let typed = typed.trim();
        if !typed.is_empty()
            && let Err(e) = Email::parse(typed)
        {
            return show(Problem::Email(e.to_string()));
        }
        let list = rows.get_untracked();
        let cells: Vec<(String, String)> = list.iter().map(|(_, k, v)| (k.clone(), v.clone())).collect();
        let given = match answers(&cells) {
            Ok(given) => given,
            Err((row, message)) => return show(Problem::Answer(list.get(row).map_or(0, |r| r.0), message)),
        };
        let request = SimulationRequest {
            start: instant,
            email: (!typed.is_empty()).then(|| typed.to_owned()),
            duration_minutes: length.get_untracked().parse().ok(),
            answers: given,
        };
        let when = at.day.label() + &format!(" at {:02}:{:02}", at.hour, at.minute);
        busy.set(true);
        spawn_local(async move {
            match api::simulate_routing(&request).await {
                Ok(simulation) => {
                    let _ = result.try_set(Some((simulation, when)));
                    focus_soon("sim-result".to_owned());
                }
                Err(e) => {
                    let _ = result.try_set(None);
                    show(match e.code.as_str() {
                        "invalid_start" | "not_a_slot" => Problem::Start(e.message),
                        "invalid_duration" => Problem::Length(e.message),
                        "invalid_email" => Problem::Email(e.message),
                        "invalid_answers" => Problem::Answer(0, e.message),
                        _ => Problem::Form(format!("The simulation did not run: {}", e.message)),
                    });
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let add_row = move |_| {
        let row = blank_row();
        let key = row.0;
        rows.update(|r| r.push(row));
        focus_soon(format!("sim-answer-{key}-card"));
    };
    let invalid = |error: Option<String>| error.map(|_| "true");
    let answers_error = move || row_error(0);
    let row_keys = move || rows.with(|r| r.iter().map(|r| r.0).collect::<Vec<_>>());

    view! {
        <section class="card simulator" aria-labelledby="sim-title">
            <h2 id="sim-title">"Simulator"</h2>
            <p class="muted">
                "Who would get a meeting booked by this visitor at this time, and why? The routing pool decides exactly as "
                "for a booking, with today's calendars, rules and order. "
                <strong>"Nothing is booked"</strong>
                ": no meeting, no hold, and nobody's turn changes."
            </p>
            <form class="sim-form" novalidate on:submit=run>
                <div class="field-row">
                    <div class="field">
                        <label for="sim-start">"Date and time"</label>
                        <input
                            type="datetime-local"
                            id="sim-start"
                            step="300"
                            aria-describedby="sim-start-hint sim-start-error"
                            aria-invalid=move || invalid(start_error())
                            prop:value=move || start.get()
                            on:input=move |ev| {
                                start.set(event_target_value(&ev));
                                clear();
                            }
                        />
                        <p class="hint" id="sim-start-hint">
                            {if zone.is_empty() { "In your time zone.".to_owned() } else { format!("In your time zone ({zone}).") }}
                            " It must fall in some agent's working hours, on the slot grid visitors are offered."
                        </p>
                        <p class="field-error" id="sim-start-error">{start_error}</p>
                    </div>
                    <div class="field">
                        <label for="sim-length">"Meeting length"</label>
                        <select
                            id="sim-length"
                            aria-describedby="sim-length-error"
                            prop:value=move || length.get()
                            on:change=move |ev| {
                                length.set(event_target_value(&ev));
                                clear();
                            }
                        >
                            {LENGTHS.map(|m| view! { <option value=m.to_string()>{format!("{m} minutes")}</option> }).collect_view()}
                        </select>
                        <p class="field-error" id="sim-length-error">{length_error}</p>
                    </div>
                    <div class="field">
                        <label for="sim-email">"Visitor's email (optional)"</label>
                        <input
                            type="email"
                            id="sim-email"
                            autocomplete="off"
                            placeholder="jo@acme.com"
                            aria-describedby="sim-email-hint sim-email-error"
                            aria-invalid=move || invalid(email_error())
                            prop:value=move || email.get()
                            on:input=move |ev| {
                                email.set(event_target_value(&ev));
                                clear();
                            }
                        />
                        <p class="hint" id="sim-email-hint">
                            "Its domain is checked against account routes, and the lead stored for it supplies "<code>"lead.*"</code>" fields."
                        </p>
                        <p class="field-error" id="sim-email-error">{email_error}</p>
                    </div>
                </div>
                <fieldset class="sim-answers" aria-describedby="sim-answers-hint sim-answers-error">
                    <legend>"Answers in the chat (optional)"</legend>
                    <p class="hint" id="sim-answers-hint">
                        "The card id and what the visitor answered; rules read them as "<code>"answer.<card id>"</code>"."
                    </p>
                    <ul class="answer-rows">
                        <For
                            each=row_keys
                            key=|k| *k
                            children=move |key| {
                                let cell = move |card: bool| {
                                    rows.with(|r| {
                                        r.iter().find(|r| r.0 == key).map(|r| if card { r.1.clone() } else { r.2.clone() })
                                    })
                                    .unwrap_or_default()
                                };
                                let write = move |card: bool, text: String| {
                                    rows.update(|r| {
                                        if let Some(row) = r.iter_mut().find(|r| r.0 == key) {
                                            if card { row.1 = text } else { row.2 = text }
                                        }
                                    });
                                    clear();
                                };
                                let position = move || rows.with(|r| r.iter().position(|r| r.0 == key)).map_or(1, |p| p + 1);
                                let remove = move |_| {
                                    rows.update(|r| r.retain(|r| r.0 != key));
                                    clear();
                                    focus_soon("sim-add-answer".to_owned());
                                };
                                let error_id = format!("sim-answer-{key}-error");
                                view! {
                                    <li class="answer-row">
                                        <input
                                            type="text"
                                            id=format!("sim-answer-{key}-card")
                                            list="sim-cards"
                                            autocomplete="off"
                                            spellcheck="false"
                                            placeholder="size"
                                            aria-label=move || format!("Answer {}: card id", position())
                                            aria-describedby=error_id.clone()
                                            aria-invalid=move || row_error(key).map(|_| "true")
                                            prop:value=move || cell(true)
                                            on:input=move |ev| write(true, event_target_value(&ev))
                                        />
                                        <input
                                            type="text"
                                            id=format!("sim-answer-{key}-value")
                                            autocomplete="off"
                                            placeholder="500+"
                                            aria-label=move || format!("Answer {}: what the visitor answered", position())
                                            prop:value=move || cell(false)
                                            on:input=move |ev| write(false, event_target_value(&ev))
                                        />
                                        <button type="button" class="icon" aria-label=move || format!("Remove answer {}", position()) on:click=remove>
                                            "×"
                                        </button>
                                        <p class="field-error" id=error_id>{move || row_error(key)}</p>
                                    </li>
                                }
                            }
                        />
                    </ul>
                    <button type="button" class="link" id="sim-add-answer" on:click=add_row>"Add an answer"</button>
                    <p class="field-error" id="sim-answers-error">{answers_error}</p>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary" id="sim-run" aria-describedby="sim-form-error" disabled=move || busy.get()>
                        {move || if busy.get() { "Asking…" } else { "Who would get it?" }}
                    </button>
                </div>
                <p class="error" role="alert" id="sim-form-error">{form_error}</p>
            </form>
            <div aria-live="polite">
                {move || result.get().map(|(simulation, when)| view! { <SimulationResult simulation=simulation when=when/> })}
            </div>
            <datalist id="sim-cards">
                {move || cards.get().into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
            </datalist>
        </section>
    }
}
