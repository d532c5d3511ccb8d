//! `Preview`: walks the draft's flow with the real engine, in the admin, as an anonymous
//! visitor: a transcript, the current question's buttons, a capture's input or a simulated
//! booking, and Back and Restart. Not the real widget: no styling, slots or lead lookups.

use super::state::EditorState;
use super::transcript::{Line, Prompt, Walk};
use confab_domain::dialogue::{CaptureKind, Event};
use leptos::prelude::*;

/// The preview (`#dialogue-preview`).
#[component]
pub fn Preview(
    /// The editor's shared state; the preview runs on the draft as it is now.
    state: EditorState,
) -> impl IntoView {
    let walk = RwSignal::new(None::<Walk>);
    let typed = RwSignal::new(String::new());
    let run = move |event: Event| {
        state.draft.with_untracked(|d| {
            walk.update(|w| match (w.as_mut(), &event) {
                (Some(w), _) if !matches!(event, Event::Start { .. }) => w.apply(&d.flow, &event),
                _ => *w = Some(Walk::start(&d.flow)),
            });
        });
    };
    let line_view = |line: Line| match line {
        Line::Bot(text) => view! { <li class="bot">{text}</li> }.into_any(),
        Line::Visitor(text) => view! { <li class="visitor">{text}</li> }.into_any(),
        Line::Note(text) => view! { <li class="note">{text}</li> }.into_any(),
        Line::Link { title, url } => view! {
            <li class="bot">
                <a href=url target="_blank" rel="noopener noreferrer">{title}</a>
            </li>
        }
        .into_any(),
        Line::Problem(text) => view! { <li class="problem">{text}</li> }.into_any(),
    };
    let prompt = move || walk.with(|w| w.as_ref().map(|w| w.prompt.clone()).unwrap_or_default());
    let send = move || {
        let text = typed.get_untracked();
        typed.set(String::new());
        run(Event::Answer(text));
    };
    view! {
        <section class="preview" id="dialogue-preview" aria-labelledby="preview-title">
            <h3 id="preview-title">"Preview"</h3>
            <p class="hint">
                "Walks the draft as an anonymous visitor with the same engine the widget uses. "
                "Bookings are simulated. It runs your edits as you type; the real widget is below."
            </p>
            <div class="preview-tools">
                <button type="button" class="secondary" id="preview-start" on:click=move |_| run(Event::Start { version: 0 })>
                    {move || if walk.with(Option::is_some) { "Start over with the current draft" } else { "Start preview" }}
                </button>
                <button
                    type="button"
                    class="secondary"
                    id="preview-back"
                    disabled=move || {
                        walk.with(|w| w.as_ref().is_none_or(|w| state.draft.with(|d| !w.state.can_go_back(&d.flow))))
                    }
                    on:click=move |_| run(Event::Back)
                >
                    "Back"
                </button>
            </div>
            <ol class="transcript" id="preview-transcript" aria-live="polite">
                {move || walk.with(|w| w.as_ref().map(|w| w.lines.clone()).unwrap_or_default()).into_iter().map(line_view).collect_view()}
            </ol>
            {move || match prompt() {
                Prompt::Nothing => ().into_any(),
                Prompt::Choices(choices) => view! {
                    <div class="preview-choices" role="group" aria-label="Answers">
                        {choices
                            .into_iter()
                            .map(|c| {
                                let value = c.value.clone();
                                view! {
                                    <button type="button" class="secondary" on:click=move |_| run(Event::Choose(value.clone()))>
                                        {c.label}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                .into_any(),
                Prompt::Input(kind) => {
                    let (label, input_type) = match kind {
                        CaptureKind::Email => ("Email address", "email"),
                        CaptureKind::Phone => ("Phone number", "tel"),
                        CaptureKind::Text => ("Answer", "text"),
                    };
                    view! {
                        <form class="preview-input" novalidate=true on:submit=move |ev| { ev.prevent_default(); send(); }>
                            <label for="preview-answer">{label}</label>
                            <input
                                id="preview-answer"
                                type=input_type
                                autocomplete="off"
                                prop:value=move || typed.get()
                                on:input=move |ev| typed.set(event_target_value(&ev))
                            />
                            <button type="submit" class="secondary">"Send"</button>
                        </form>
                    }
                    .into_any()
                }
                Prompt::Slots(minutes) => view! {
                    <button type="button" class="secondary" id="preview-book" on:click=move |_| run(Event::Booked)>
                        {format!("Book a {minutes}-minute meeting (simulated)")}
                    </button>
                }
                .into_any(),
            }}
        </section>
    }
}
