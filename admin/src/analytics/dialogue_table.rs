//! `DialogueTable`: one row per dialogue with its visitors triggered, engaged and completed,
//! emails, meetings, and the two rates ("—" when there is no base to divide by).

use super::api::DialogueStats;
use super::report::{number, rate};
use leptos::prelude::*;

/// The per-dialogue numbers.
#[component]
pub fn DialogueTable(
    /// The dialogues as reported.
    dialogues: Vec<DialogueStats>,
    /// The range, as a caption: "25 Oct – 24 Nov 2026".
    caption: String,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table id="analytics-table" class="analytics-table">
                <caption class="visually-hidden">{format!("Dialogues, {caption}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Dialogue"</th>
                        <th scope="col" class="num">"Triggered"</th>
                        <th scope="col" class="num">"Engaged"</th>
                        <th scope="col" class="num">"Completed"</th>
                        <th scope="col" class="num">"Emails"</th>
                        <th scope="col" class="num">"Meetings"</th>
                        <th scope="col" class="num">
                            <abbr title="Engaged per triggered">"Engagement"</abbr>
                        </th>
                        <th scope="col" class="num">
                            <abbr title="Meetings per engaged">"Conversion"</abbr>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {dialogues.into_iter().map(|d| {
                        let quiet = d.is_quiet();
                        let no_base = |metric: &'static str, value: Option<f64>, why: &'static str| {
                            let text = rate(value);
                            let title = value.is_none().then_some(why);
                            view! { <td class="num rate" data-metric=metric title=title>{text}</td> }
                        };
                        view! {
                            <tr data-dialogue=d.id.clone() class:quiet=quiet>
                                <th scope="row">{d.name.clone()}</th>
                                <td class="num" data-metric="triggered">{number(d.triggered)}</td>
                                <td class="num" data-metric="engaged">{number(d.engaged)}</td>
                                <td class="num" data-metric="completed">{number(d.completed)}</td>
                                <td class="num" data-metric="emails">{number(d.emails)}</td>
                                <td class="num" data-metric="meetings">{number(d.meetings)}</td>
                                {no_base("engagement_rate", d.engagement_rate, "Nobody was shown this dialogue in this period.")}
                                {no_base("conversion_rate", d.conversion_rate, "Nobody engaged with this dialogue in this period.")}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <p class="hint">
            "Engagement is engaged per triggered; conversion is meetings per engaged. “—” means there was nothing to "
            "divide by. Each visitor counts once per session."
        </p>
    }
}
