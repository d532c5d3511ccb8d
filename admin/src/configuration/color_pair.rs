//! `ColorPair`: a background colour and the text colour shown on it, with their contrast
//! measured as they change and a warning when the pair fails WCAG AA (4.5:1), so a brand
//! colour that visitors cannot read is caught before it is saved. Saving is still allowed:
//! the warning is advice, as the edge's `contrast_warnings` are.

use super::color_field::ColorField;
use super::draft::contrast_line;
use super::form::{Color, Form};
use leptos::prelude::*;

/// Two colours and their contrast.
#[component]
pub fn ColorPair(
    /// The form it edits.
    form: Form,
    /// The group's legend.
    legend: &'static str,
    /// A short slug naming the pair in ids: `config-contrast-<slug>`.
    slug: &'static str,
    /// The background colour.
    background: Color,
    /// Its label.
    background_label: &'static str,
    /// The text colour on it.
    text: Color,
    /// Its label.
    text_label: &'static str,
) -> impl IntoView {
    let contrast_id: &'static str = match slug {
        "accent" => "config-contrast-accent",
        _ => "config-contrast-panel",
    };
    let line = Memo::new(move |_| form.branding(|b| contrast_line(text.get(b), background.get(b))));
    let failing = move || line.with(|l| l.as_ref().is_some_and(|(_, pass)| !pass));
    view! {
        <fieldset class="color-pair">
            <legend>{legend}</legend>
            <div class="color-pair-fields">
                <ColorField form color=background label=background_label described_by=contrast_id/>
                <ColorField form color=text label=text_label described_by=contrast_id/>
                <span
                    class="swatch-sample"
                    aria-hidden="true"
                    style:background-color=move || form.branding(|b| background.get(b).to_owned())
                    style:color=move || form.branding(|b| text.get(b).to_owned())
                >
                    "Aa"
                </span>
            </div>
            <p
                id=contrast_id
                class="contrast"
                class:warn=failing
                data-contrast=move || match line.get() {
                    Some((_, true)) => "pass",
                    Some((_, false)) => "fail",
                    None => "unknown",
                }
                aria-live="polite"
            >
                {move || match line.get() {
                    Some((text, true)) => text,
                    Some((text, false)) => format!(
                        "{text}. Visitors with low vision may not be able to read this text; pick a darker or lighter colour."
                    ),
                    None => "Enter both colours to measure their contrast.".to_owned(),
                }}
            </p>
        </fieldset>
    }
}
