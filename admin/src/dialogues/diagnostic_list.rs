//! `DiagnosticList`: the validator's messages about one card (or the whole flow), as an alert
//! list placed next to what they concern. The list is always in the page, empty when there is
//! nothing to say, so screen readers announce new problems as they appear.

use leptos::prelude::*;

/// The messages, one item each.
#[component]
pub fn DiagnosticList(
    /// The list's id, referenced by the inputs' `aria-describedby`.
    #[prop(into)]
    id: String,
    /// The messages.
    #[prop(into)]
    messages: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <ul class="diagnostics" id=id role="alert">
            {move || messages.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
        </ul>
    }
}
