//! `Moment`: an instant as relative time ("12 s ago") followed by the admin's local time.

use super::format::{iso, local_time, relative};
use leptos::prelude::*;

/// An instant (Unix ms) as "12 s ago · Nov 25, 2025, 2:03 PM", or `never` when it is 0.
#[component]
pub fn Moment(
    /// The instant, Unix ms (0: never).
    #[prop(into)]
    at: Signal<f64>,
    /// The clock the relative part follows.
    #[prop(into)]
    now: Signal<f64>,
    /// What to say when the instant is unset.
    #[prop(default = "never")]
    never: &'static str,
) -> impl IntoView {
    move || match at.get() {
        t if t > 0.0 => view! {
            <time class="moment" datetime=iso(t)>
                {move || relative(now.get(), t)}
                <span class="when">" · "{local_time(t)}</span>
            </time>
        }
        .into_any(),
        _ => view! { <span class="muted">{never}</span> }.into_any(),
    }
}
