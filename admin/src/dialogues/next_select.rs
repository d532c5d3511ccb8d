//! `NextSelect`: a labelled picker of the card that follows, offering every card id (and, when
//! a link may be absent, the end of the conversation). A link to a card that no longer exists
//! stays selected and says so, so the validator's problem can be seen and fixed.

use leptos::prelude::*;

/// The value an absent link is picked with.
const NONE: &str = "";

/// One "next card" picker.
#[component]
pub fn NextSelect(
    /// The select's id, unique in the page.
    #[prop(into)]
    id: String,
    /// The select's `name`, stable for tests (`next`, `default`).
    #[prop(default = "next")]
    name: &'static str,
    /// The label.
    #[prop(default = "Then")]
    label: &'static str,
    /// The linked card's id; `None` (or empty) for no link.
    #[prop(into)]
    value: Signal<Option<String>>,
    /// Every card id, in order.
    #[prop(into)]
    ids: Signal<Vec<String>>,
    /// What picking no card means ("End the conversation"), or "Choose a card…" when a link is
    /// required.
    none_label: &'static str,
    /// Called with the picked card's id, `None` for no link.
    on_change: Callback<Option<String>>,
    /// Ids of what describes the select (the card's diagnostics).
    #[prop(into, optional)]
    described_by: String,
) -> impl IntoView {
    let current = move || value.get().unwrap_or_default();
    let options = move || {
        let current = current();
        let ids = ids.get();
        let missing = (!current.is_empty() && !ids.contains(&current)).then(|| current.clone());
        let mut out = vec![view! { <option value=NONE selected=current.is_empty()>{none_label}</option> }.into_any()];
        if let Some(missing) = missing {
            let text = format!("{missing} (missing card)");
            out.push(view! { <option value=missing.clone() selected=true>{text}</option> }.into_any());
        }
        out.extend(ids.into_iter().map(|id| {
            let selected = id == current;
            view! { <option value=id.clone() selected=selected>{id.clone()}</option> }.into_any()
        }));
        out
    };
    let described = (!described_by.is_empty()).then_some(described_by);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                name=name
                aria-describedby=described
                prop:value=current
                on:change=move |ev| {
                    let picked = event_target_value(&ev);
                    on_change.run((picked != NONE).then_some(picked));
                }
            >
                {options}
            </select>
        </div>
    }
}
