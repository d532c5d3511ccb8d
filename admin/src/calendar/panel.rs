//! `CalendarPanel`: every agent's calendar and availability, and the calendar write-back
//! queue. The calendars are read again every 30 s while the panel is shown and after every
//! change; unmounting the panel stops that. When the edge sends the admin back from Google's
//! or Microsoft's consent (`#calendar?connect=…`), the outcome is shown once and the address
//! goes back to `#calendar`.

use super::agent_card::AgentCard;
use super::availability_editor::TIME_ZONES_LIST;
use super::format::{Outcome, known_time_zones, now_ms, relative};
use super::write_back::WriteBackStatus;
use crate::api::{self, ApiError, Calendars};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How often the calendars are read while the panel is shown.
const AT_REST: Duration = Duration::from_secs(30);

/// The calendars as last read and the timer that reads them next. Every handle is a signal,
/// so a read that finishes after the panel is gone finds them disposed and stops.
#[derive(Clone, Copy)]
struct Loader {
    /// The latest answer.
    data: RwSignal<Option<Calendars>>,
    /// The latest read's failure, if it failed.
    failure: RwSignal<Option<ApiError>>,
    /// When the calendars were last read successfully (Unix ms).
    fetched_at: RwSignal<f64>,
    /// Whether a read the admin asked for is under way.
    busy: RwSignal<bool>,
    /// The next scheduled read.
    timer: RwSignal<Option<TimeoutHandle>>,
    /// Bumped by each read, so only the newest read's answer is shown and schedules the next.
    generation: RwSignal<u32>,
}

impl Loader {
    fn new() -> Self {
        Loader {
            data: RwSignal::new(None),
            failure: RwSignal::new(None),
            fetched_at: RwSignal::new(0.0),
            busy: RwSignal::new(false),
            timer: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Reads the calendars now (`busy` shows it on the Refresh button, for reads the admin
    /// asked for), then schedules the next read.
    fn read(self, busy: bool) {
        let Some(generation) = self.generation.try_update_untracked(|g| {
            *g = g.wrapping_add(1);
            *g
        }) else {
            return;
        };
        self.cancel();
        if busy {
            self.busy.set(true);
        }
        spawn_local(async move {
            let result = api::calendars().await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok(calendars) => {
                    self.data.set(Some(calendars));
                    self.failure.set(None);
                    self.fetched_at.set(now_ms());
                }
                Err(e) => self.failure.set(Some(e)),
            }
            self.busy.set(false);
            let next = set_timeout_with_handle(move || self.read(false), AT_REST);
            self.timer.set(next.ok());
        });
    }

    /// Cancels the scheduled read.
    fn cancel(self) {
        if let Some(Some(timer)) = self.timer.try_get_untracked() {
            timer.clear();
        }
    }
}

/// Takes the consent outcome out of the address (`#calendar?connect=…` becomes `#calendar`,
/// so a reload does not show it again).
fn take_outcome() -> Option<Outcome> {
    let location = window().location();
    let outcome = Outcome::from_fragment(&location.hash().ok()?)?;
    let _ = location.replace("#calendar");
    Some(outcome)
}

/// The calendar tab.
#[component]
pub fn CalendarPanel() -> impl IntoView {
    let loader = Loader::new();
    let now = RwSignal::new(now_ms());
    let outcome = RwSignal::new(take_outcome());
    loader.read(false);
    // A one-second clock for the relative times ("read 12 s ago").
    let clock = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)).ok();
    on_cleanup(move || {
        loader.cancel();
        if let Some(clock) = clock {
            clock.clear();
        }
    });

    let Loader { data, failure, fetched_at, busy, .. } = loader;
    let loaded = Memo::new(move |_| data.with(Option::is_some));
    let ids = Memo::new(move |_| {
        data.with(|d| d.as_ref().map(|c| c.agents.iter().map(|a| a.agent.id.clone()).collect::<Vec<_>>()))
            .unwrap_or_default()
    });
    let providers = Memo::new(move |_| data.with(|d| d.as_ref().map(|c| c.providers.clone()).unwrap_or_default()));
    let write_back = Memo::new(move |_| data.with(|d| d.as_ref().map(|c| c.write_back.clone()).unwrap_or_default()));
    let on_changed = Callback::new(move |()| loader.read(false));
    let zones = known_time_zones();

    let banner = move || {
        outcome.get().map(|o| {
            let (class, role) =
                if o.succeeded() { ("notice ok outcome", "status") } else { ("notice error outcome", "alert") };
            view! {
                <div class=class role=role>
                    <p>{o.message()}</p>
                    <button type="button" class="secondary" on:click=move |_| outcome.set(None)>"Dismiss"</button>
                </div>
            }
        })
    };

    view! {
        <div class="calendar">
            <section class="card" aria-labelledby="calendars-title">
                <div class="card-head">
                    <h2 id="calendars-title">"Agents' calendars"</h2>
                    <div class="tools">
                        <span class="muted updated">
                            {move || {
                                let at = fetched_at.get();
                                (at > 0.0).then(|| format!("Updated {}", relative(now.get(), at)))
                            }}
                        </span>
                        <button type="button" class="secondary" on:click=move |_| loader.read(true) disabled=move || busy.get()>
                            {move || if busy.get() { "Refreshing…" } else { "Refresh" }}
                        </button>
                    </div>
                </div>
                <p class="muted">
                    "Visitors are offered only times when an agent is free in their own calendar, and each meeting "
                    "booked is written to it. Agents without a connected calendar use Confab's built-in calendar, "
                    "where only meetings booked here count as busy."
                </p>
                {banner}
                {move || match (loaded.get(), failure.get()) {
                    (false, None) => view! { <p class="muted" role="status">"Loading agents' calendars…"</p> }.into_any(),
                    (false, Some(e)) => view! {
                        <div class="notice error" role="alert">
                            <p>"The calendars could not be read: "{e.message}</p>
                            <button type="button" class="secondary" on:click=move |_| loader.read(true)>"Try again"</button>
                        </div>
                    }
                    .into_any(),
                    (true, Some(e)) => view! {
                        <p class="notice warn" role="status">
                            "Could not refresh ("{e.message}"). Showing the last known state."
                        </p>
                    }
                    .into_any(),
                    (true, None) => ().into_any(),
                }}
                <Show when=move || loaded.get() && ids.with(Vec::is_empty)>
                    <p class="empty">
                        "There are no active agents yet. Once agents are added to the site, connect each one's calendar "
                        "here and set their working hours; until then the chat cannot offer meeting times."
                    </p>
                </Show>
                // With no agents and nothing waiting, there is nothing to say about write-back.
                <Show when=move || loaded.get() && (ids.with(|i| !i.is_empty()) || write_back.with(|w| w.pending > 0))>
                    <WriteBackStatus write_back=write_back/>
                </Show>
            </section>
            <For
                each=move || ids.get()
                key=|id| id.clone()
                children=move |id| {
                    let agent = Memo::new(move |_| {
                        data.with(|d| d.as_ref().and_then(|c| c.agents.iter().find(|a| a.agent.id == id).cloned()))
                            .unwrap_or_default()
                    });
                    view! { <AgentCard agent=agent providers=providers now=now on_changed=on_changed/> }
                }
            />
            <datalist id=TIME_ZONES_LIST>
                {zones.into_iter().map(|zone| view! { <option value=zone></option> }).collect_view()}
            </datalist>
        </div>
    }
}
