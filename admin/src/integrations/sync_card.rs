//! `SyncCard`: the Marketo lead sync's phase, progress, counts, skipped rows, last error and
//! freshness, with the field picker that (re)starts it.

use super::field_picker::FieldPicker;
use super::format::{count, number, percent};
use super::moment::Moment;
use crate::api::SyncReport;
use leptos::prelude::*;

/// The lead sync card.
#[component]
pub fn SyncCard(
    /// The latest sync report.
    sync: Memo<SyncReport>,
    /// The clock relative times follow.
    now: RwSignal<f64>,
    /// Called once a sync was started.
    on_started: Callback<()>,
) -> impl IntoView {
    let phase = Memo::new(move |_| sync.with(|s| s.phase.clone()));
    let fields = Memo::new(move |_| sync.with(|s| s.fields.clone()));
    let reasons = Memo::new(move |_| sync.with(|s| s.skipped_reasons.clone()));
    let last_error = Memo::new(move |_| sync.with(|s| s.last_error.clone()));
    let at = move |pick: fn(&SyncReport) -> f64| Signal::derive(move || sync.with(pick));
    let step = move || {
        sync.with(|s| {
            let mut chars = s.step.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
    };
    let window_text = move || {
        sync.with(|s| match s.windows {
            0 => String::new(),
            n => format!("Export window {} of {n}", (s.window + 1).min(n)),
        })
    };
    let pill = move || match phase.get().as_str() {
        "initial" => view! { <span class="pill busy">"Initial sync running"</span> },
        "incremental" => view! { <span class="pill ok">"Up to date"</span> },
        _ => view! { <span class="pill off">"Not started"</span> },
    };

    view! {
        <section class="card" aria-labelledby="sync-title">
            <div class="card-head">
                <h2 id="sync-title">"Lead sync"</h2>
                <div class="tools">{pill}</div>
            </div>
            {move || match phase.get().as_str() {
                "initial" => view! {
                    <p class="step" id="sync-step">{step}</p>
                    <div class="progress-row">
                        <progress
                            id="sync-progress"
                            max="100"
                            value=move || sync.with(|s| s.percent.clamp(0.0, 100.0))
                            aria-labelledby="sync-title"
                            aria-describedby="sync-step"
                            aria-valuetext=move || sync.with(|s| percent(s.percent))
                        ></progress>
                        <span class="percent" aria-hidden="true">{move || sync.with(|s| percent(s.percent))}</span>
                    </div>
                    <p class="muted">{window_text}</p>
                }
                .into_any(),
                "incremental" => view! {
                    <p class="step">{step}</p>
                    <p class="muted">
                        "The initial sync finished "<Moment at=at(|s| s.finished_at_ms) now=now/>
                        ". Changes in Marketo are copied by incremental syncs."
                    </p>
                }
                .into_any(),
                _ => view! {
                    <p class="empty">
                        "No lead sync has run yet. Choose the lead fields to copy from Marketo, then start the "
                        "initial sync; afterwards Confab keeps them fresh with incremental syncs."
                    </p>
                }
                .into_any(),
            }}
            <Show when=move || phase.with(|p| p != "idle" && !p.is_empty())>
                <dl class="stats">
                    <div><dt>"Rows stored"</dt><dd>{move || sync.with(|s| number(s.rows))}</dd></div>
                    <div><dt>"Exported by Marketo"</dt><dd>{move || sync.with(|s| number(s.exported))}</dd></div>
                    <div class:bad=move || sync.with(|s| s.skipped > 0)>
                        <dt>"Skipped"</dt><dd>{move || sync.with(|s| number(s.skipped))}</dd>
                    </div>
                </dl>
                <dl class="facts">
                    <div>
                        <dt>"Complete up to"</dt>
                        <dd><Moment at=at(|s| s.high_water_ms) now=now never="not yet"/></dd>
                    </div>
                    <div>
                        <dt>"Last incremental sync"</dt>
                        <dd><Moment at=at(|s| s.last_incremental_ms) now=now never="none yet"/></dd>
                    </div>
                    <div>
                        <dt>"Initial sync started"</dt>
                        <dd><Moment at=at(|s| s.started_at_ms) now=now/></dd>
                    </div>
                </dl>
                {move || last_error.get().map(|e| view! {
                    <div class="last-error">
                        <span class="label">"Last error"</span>
                        <p>{e}</p>
                    </div>
                })}
                <Show when=move || reasons.with(|r| !r.is_empty())>
                    <details class="reasons">
                        <summary>{move || reasons.with(|r| format!("Why rows were skipped (latest {})", r.len()))}</summary>
                        <ul>{move || reasons.get().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                    </details>
                </Show>
                <Show when=move || fields.with(|f| !f.is_empty())>
                    <details class="synced-fields">
                        <summary>{move || fields.with(|f| format!("{} synced", count(f.len(), "field", "fields")))}</summary>
                        <ul class="chips">
                            {move || fields.get().into_iter().map(|f| view! { <li><code>{f}</code></li> }).collect_view()}
                        </ul>
                    </details>
                </Show>
            </Show>
            <FieldPicker synced=fields phase=phase on_started=on_started/>
        </section>
    }
}
