//! The answer form: one typed answer, for a capture card (email, phone, text) and for the
//! email a booking needs. One builder for both.

use crate::dom;
use web_sys::Element;

/// The id of the line under the booking's email input that says why an email was refused.
const ERROR_ID: &str = "confab-email-error";

/// What the form asks for.
pub struct Spec {
    /// The input's id, which the label points at.
    pub id: &'static str,
    /// The label.
    pub label: &'static str,
    /// The input's type (`email`, `tel`, `text`).
    pub kind: &'static str,
    /// The input's `autocomplete`.
    pub autocomplete: &'static str,
    /// The input's `maxlength`.
    pub maxlength: &'static str,
    /// The submit button's text.
    pub button: &'static str,
    /// The answer is checked before it is sent, and a refusal is announced under the input
    /// (the booking's email; a capture's answer is checked by the engine instead).
    pub checked: bool,
}

/// Appends a labelled input with a submit button to `parent`. The chat handles its `submit`.
pub fn add(parent: &Element, spec: &Spec) {
    let form = dom::add(parent, "form", &[("class", "email"), ("novalidate", "")], "");
    dom::add(&form, "label", &[("for", spec.id)], spec.label);
    let row = dom::add(&form, "div", &[("class", "row")], "");
    let input = dom::add(
        &row,
        "input",
        &[("id", spec.id), ("type", spec.kind), ("autocomplete", spec.autocomplete), ("maxlength", spec.maxlength)],
        "",
    );
    dom::add(&row, "button", &[("type", "submit")], spec.button);
    if spec.checked {
        dom::set(&input, "aria-invalid", "false");
        dom::set(&input, "aria-describedby", ERROR_ID);
        dom::add(&form, "p", &[("id", ERROR_ID), ("class", "error"), ("role", "alert")], "");
    }
}

/// Says under the form why its answer was refused.
pub fn refuse(form: &Element, why: &str) {
    if let Some(input) = dom::find(form, "input") {
        dom::set(&input, "aria-invalid", "true");
    }
    if let Some(error) = dom::find(form, ".error") {
        error.set_text_content(Some(why));
    }
}
