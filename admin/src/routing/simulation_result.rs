//! `SimulationResult`: the simulator's answer: the agent who would get the meeting (or
//! nobody, with what the visitor would see), the explanation a booked meeting would carry,
//! and every step of the decision with each agent considered.

use super::format::{status_words, step_candidates, step_title};
use crate::api::Simulation;
use confab_domain::routing::Status;
use leptos::prelude::*;

/// The result card.
#[component]
pub fn SimulationResult(
    /// The simulator's answer.
    simulation: Simulation,
    /// When the meeting would be, as the admin chose it.
    when: String,
) -> impl IntoView {
    let Simulation { agent, explanation, fallback_message, trace } = simulation;
    let headline = match &agent {
        Some(agent) => format!("{} would get this meeting", agent.name),
        None => "Nobody would get this meeting".to_owned(),
    };
    let fallback = agent.is_none().then(|| match fallback_message.filter(|m| !m.trim().is_empty()) {
        Some(message) => view! {
            <p>"The visitor would see: "<q class="fallback">{message}</q></p>
        }
        .into_any(),
        None => {
            view! { <p>"The visitor would see the chat's standard message that nobody is available."</p> }.into_any()
        }
    });
    let steps = trace.steps;
    view! {
        <div
            class="sim-result"
            class:nobody=agent.is_none()
            id="sim-result"
            tabindex="-1"
            data-agent-result=agent.as_ref().map(|a| a.id.to_string())
        >
            <p class="eyebrow">{format!("Simulated for {when} · nothing was booked")}</p>
            <h3 class="sim-agent">{headline}</h3>
            {fallback}
            <p class="explanation">{explanation}</p>
            {(!steps.is_empty()).then(|| view! {
                <details class="steps">
                    <summary>"Every step"</summary>
                    <ol>
                        {steps.iter().map(|step| {
                            let candidates = step_candidates(step);
                            view! {
                                <li>
                                    <span class="step-title">{step_title(step)}</span>
                                    {(!candidates.is_empty()).then(|| view! {
                                        <ul class="candidates">
                                            {candidates.into_iter().map(|(name, status, picked)| {
                                                let class = match status {
                                                    Status::Free => "pill ok",
                                                    Status::Paused | Status::NotInPool => "pill off",
                                                    _ => "pill warn",
                                                };
                                                view! {
                                                    <li class:picked=picked>
                                                        {name}" "
                                                        <span class=class>{status_words(status)}</span>
                                                        {picked.then(|| view! { <strong class="picked-mark">" ← chosen"</strong> })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </div>
    }
}
