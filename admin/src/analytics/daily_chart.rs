//! `DailyChart`: one dialogue's daily series as bars (inline SVG), one metric at a time, quiet
//! days shown as gaps. The chart is an image with a summary for assistive technology; the
//! same numbers, every metric, are in a table under it.

use super::api::DialogueStats;
use super::report::{Day, METRICS, axis_top, count, daily, number};
use leptos::prelude::*;

/// The SVG's drawing size; it scales to the card's width.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
/// Room for the axis labels.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 10.0;

/// The daily chart with its dialogue and metric choices.
#[component]
pub fn DailyChart(
    /// The dialogues as reported.
    dialogues: Vec<DialogueStats>,
    /// Every day of the range.
    days: Vec<Day>,
) -> impl IntoView {
    let first =
        dialogues.iter().find(|d| !d.is_quiet()).or(dialogues.first()).map(|d| d.id.clone()).unwrap_or_default();
    let chosen = RwSignal::new(first);
    let metric = RwSignal::new(0_usize);
    let dialogues = StoredValue::new(dialogues);
    let days = StoredValue::new(days);
    let rows = Memo::new(move |_| {
        let id = chosen.get();
        dialogues.with_value(|list| {
            let series: Vec<_> = list
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.days.iter().map(|s| (s.day.clone(), s.counts.clone())).collect())
                .unwrap_or_default();
            days.with_value(|days| daily(days, &series))
        })
    });
    let name = move || {
        let id = chosen.get();
        dialogues.with_value(|list| list.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default())
    };

    let chart = move || {
        let m = metric.get().min(METRICS.len() - 1);
        let rows = rows.get();
        let (key, title) = METRICS[m];
        let values: Vec<u64> = rows.iter().map(|r| r.counts[m]).collect();
        let largest = values.iter().copied().max().unwrap_or(0);
        let top = axis_top(largest);
        let total: u64 = values.iter().sum();
        let n = rows.len().max(1) as f64;
        let plot_w = WIDTH - LEFT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let slot = plot_w / n;
        let bar_w = (slot * 0.7).max(1.0);
        let summary = match rows.iter().zip(&values).max_by_key(|(_, v)| **v) {
            _ if total == 0 => format!("{title} per day for {}: none in this period.", name()),
            Some((row, v)) => format!(
                "{title} per day for {}, {} to {}: {} in all; the busiest day was {} with {}.",
                name(),
                rows.first().map(|r| r.day.long()).unwrap_or_default(),
                rows.last().map(|r| r.day.long()).unwrap_or_default(),
                number(total),
                row.day.long(),
                number(*v),
            ),
            None => String::new(),
        };
        let label_every = (rows.len() / 6).max(1);
        let bars = rows
            .iter()
            .zip(&values)
            .enumerate()
            .map(|(i, (row, v))| {
                let h = (*v as f64 / top as f64) * plot_h;
                let x = LEFT + i as f64 * slot + (slot - bar_w) / 2.0;
                let y = TOP + plot_h - h;
                let tip = format!("{}: {}", row.day.long(), count(*v, &title.to_lowercase(), &title.to_lowercase()));
                view! {
                    <rect
                        class="ac-bar"
                        data-day=row.day.iso()
                        data-value=v.to_string()
                        x=format!("{x:.1}")
                        y=format!("{y:.1}")
                        width=format!("{bar_w:.1}")
                        height=format!("{h:.1}")
                    >
                        <title>{tip}</title>
                    </rect>
                }
            })
            .collect_view();
        let labels = rows
            .iter()
            .enumerate()
            .filter(|(i, _)| i % label_every == 0)
            .map(|(i, row)| {
                let x = LEFT + i as f64 * slot + slot / 2.0;
                view! {
                    <text class="ac-label" x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - 8.0) text-anchor="middle">
                        {row.day.short()}
                    </text>
                }
            })
            .collect_view();
        let mid = top / 2;
        let y_of = |v: u64| TOP + plot_h - (v as f64 / top as f64) * plot_h;
        view! {
            <svg
                class="ac-chart"
                id="analytics-daily-chart"
                data-metric=key
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=summary
            >
                <g class="ac-grid" aria-hidden="true">
                    {[top, mid, 0].into_iter().filter(|v| *v != mid || mid > 0).map(|v| view! {
                        <line x1=LEFT.to_string() x2=WIDTH.to_string() y1=format!("{:.1}", y_of(v)) y2=format!("{:.1}", y_of(v))></line>
                        <text class="ac-axis" x=format!("{:.1}", LEFT - 6.0) y=format!("{:.1}", y_of(v) + 4.0) text-anchor="end">
                            {number(v)}
                        </text>
                    }).collect_view()}
                </g>
                <g class="ac-bars">{bars}</g>
                <g aria-hidden="true">{labels}</g>
            </svg>
        }
    };

    let options = move || {
        dialogues.with_value(|list| {
            list.iter()
                .map(|d| {
                    let id = d.id.clone();
                    let selected_id = id.clone();
                    view! {
                        <option value=id prop:selected=move || chosen.get() == selected_id>{d.name.clone()}</option>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="analytics-daily">
            <div class="analytics-tools">
                <div class="field">
                    <label for="analytics-dialogue">"Dialogue"</label>
                    <select id="analytics-dialogue" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {options}
                    </select>
                </div>
                <div class="field">
                    <label for="analytics-metric">"Show"</label>
                    <select
                        id="analytics-metric"
                        on:change=move |ev| metric.set(event_target_value(&ev).parse().unwrap_or(0))
                    >
                        {METRICS.iter().enumerate().map(|(i, (_, title))| view! {
                            <option value=i.to_string() prop:selected=move || metric.get() == i>{*title}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {chart}
            <details class="analytics-data">
                <summary>"Show the numbers as a table"</summary>
                <div class="table-scroll">
                    <table id="analytics-daily-table" class="analytics-table compact-days">
                        <caption class="visually-hidden">{move || format!("{} per day", name())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Day"</th>
                                {METRICS.iter().map(|(_, title)| view! { <th scope="col" class="num">{*title}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {move || rows.get().into_iter().map(|row| view! {
                                <tr data-day=row.day.iso()>
                                    <th scope="row">{row.day.long()}</th>
                                    {row.counts.iter().map(|c| view! { <td class="num">{number(*c)}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}
