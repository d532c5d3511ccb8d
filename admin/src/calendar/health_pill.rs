//! `HealthPill`: whether an agent's calendar works, as a badge: built-in, healthy, retrying,
//! or needs attention.

use super::format::HealthState;
use crate::api::CalendarLink;
use leptos::prelude::*;

/// The health badge of one agent's calendar.
#[component]
pub fn HealthPill(
    /// The agent's calendar as last read.
    calendar: Memo<CalendarLink>,
) -> impl IntoView {
    move || match calendar.with(HealthState::of) {
        HealthState::Builtin => view! { <span class="pill off">"Built-in"</span> }.into_any(),
        HealthState::Healthy => view! { <span class="pill ok">"Healthy"</span> }.into_any(),
        HealthState::Retrying(n) => view! {
            <span class="pill warn" title=format!("The last {n} reads failed; Confab keeps trying.")>"Retrying"</span>
        }
        .into_any(),
        HealthState::NeedsAttention { .. } => view! { <span class="pill bad">"Needs attention"</span> }.into_any(),
    }
}
