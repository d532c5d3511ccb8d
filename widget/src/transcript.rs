//! `Transcript`: the conversation so far, announced to screen readers as it grows.

use leptos::prelude::*;

/// Who said a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// The bot.
    Bot,
    /// The visitor.
    Visitor,
}

/// One line of the conversation. Text is always rendered as text, never as HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Position in the transcript (stable key).
    pub id: usize,
    /// Who said it.
    pub from: Speaker,
    /// What was said.
    pub text: String,
}

/// The message list: a polite live region, with a typing indicator while the bot "types".
#[component]
pub fn Transcript(
    /// The lines, oldest first.
    lines: RwSignal<Vec<Line>>,
    /// Whether the bot is typing.
    typing: RwSignal<bool>,
) -> impl IntoView {
    let list: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        lines.track();
        typing.track();
        if let Some(el) = list.get() {
            // After the browser has laid out the new line, so the newest message is fully visible.
            request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
        }
    });
    view! {
        <div class="log" role="log" aria-live="polite" aria-relevant="additions" node_ref=list>
            // Lines are only ever appended, so a positional (unkeyed) list is exact and smaller.
            {move || {
                lines
                    .get()
                    .into_iter()
                    .map(|line| view! { <p class=if line.from == Speaker::Bot { "msg bot" } else { "msg me" }>{line.text}</p> })
                    .collect_view()
            }}
            {move || {
                typing
                    .get()
                    .then(|| view! { <p class="msg bot typing" aria-label="typing"><span></span><span></span><span></span></p> })
            }}
        </div>
    }
}
