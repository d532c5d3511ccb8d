//! `RoutingPanel`: the routing tab. It reads the round-robin view for the chosen period (again
//! every 30 s while the tab is shown, after every change, and when the period changes) and
//! shares the site's agents and the stored configuration with the cards: the round robin, the
//! rules, account routing and the simulator. Unmounting the panel stops the reads.

use super::account_routing::AccountRouting;
use super::format::{Day, Period, RangeField, bounds, local_midnight, range_caption, today};
use super::round_robin::RoundRobinCard;
use super::rules_editor::RulesEditor;
use super::simulator::Simulator;
use crate::api::{self, ApiError};
use confab_domain::api::{AgentRef, Routing};
use confab_domain::routing::RoutingConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How often the round robin is read while the tab is shown.
const AT_REST: Duration = Duration::from_secs(30);

/// The instants `[from, until)` meetings are counted over (RFC 3339), or `None` for all time.
type Instants = Option<(String, String)>;

/// The round-robin view as last read and the timer that reads it next. Every handle is a
/// signal, so a read that finishes after the panel is gone finds them disposed and stops.
#[derive(Clone, Copy)]
pub struct Loader {
    /// The latest answer.
    pub data: RwSignal<Option<Routing>>,
    /// The latest read's failure, if it failed.
    pub failure: RwSignal<Option<ApiError>>,
    /// When the view was last read successfully (Unix ms).
    pub fetched_at: RwSignal<f64>,
    /// Whether a read the admin caused (Refresh, a new period) is under way.
    pub busy: RwSignal<bool>,
    /// The period of the reads.
    instants: RwSignal<Instants>,
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
            instants: RwSignal::new(None),
            timer: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Reads the view for `instants` from now on.
    fn set_period(self, instants: Instants) {
        self.instants.set(instants);
        self.read(true);
    }

    /// Reads the view now (`busy` shows it, for reads the admin caused), then schedules the
    /// next read.
    pub fn read(self, busy: bool) {
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
        let instants = self.instants.get_untracked();
        spawn_local(async move {
            let result = api::routing(instants).await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            match result {
                Ok(routing) => {
                    self.data.set(Some(routing));
                    self.failure.set(None);
                    self.fetched_at.set(js_sys::Date::now());
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

/// The period picker's state.
#[derive(Clone, Copy)]
pub struct PeriodChoice {
    /// The period chosen.
    pub period: RwSignal<Period>,
    /// A custom range's first day, `YYYY-MM-DD`.
    pub from: RwSignal<String>,
    /// A custom range's last day.
    pub to: RwSignal<String>,
    /// What is wrong with the custom range, if anything.
    pub problem: Memo<Option<(RangeField, String)>>,
    /// The days counted, as a caption ("1 Mar 2026 – 31 Mar 2026"; "All time").
    pub caption: Memo<String>,
}

/// The routing tab.
#[component]
pub fn RoutingPanel() -> impl IntoView {
    let loader = Loader::new();
    on_cleanup(move || loader.cancel());
    let day = today();
    let period = RwSignal::new(Period::ThisMonth);
    let from = RwSignal::new(day.month_start(0).iso());
    let to = RwSignal::new(day.iso());
    let range = Memo::new(move |_| from.with(|f| to.with(|t| bounds(period.get(), day, (f, t)))));
    let problem = Memo::new(move |_| range.with(|r| r.as_ref().err().cloned()));
    let caption = Memo::new(move |_| match range.get() {
        Ok(Some((first, until))) => range_caption(first, until),
        Ok(None) => "All time".to_owned(),
        Err(_) => String::new(),
    });
    let choice = PeriodChoice { period, from, to, problem, caption };
    // A new valid period is read at once; an invalid custom range keeps what is shown.
    Effect::new(move |previous: Option<Option<(Day, Day)>>| {
        let Ok(days) = range.get() else { return previous.flatten() };
        if previous.as_ref() != Some(&days) {
            let instants = days.and_then(|(first, until)| Some((local_midnight(first)?, local_midnight(until)?)));
            loader.set_period(instants);
        }
        days
    });

    // The site's agents, once read.
    let agents: Memo<Option<Vec<AgentRef>>> =
        Memo::new(move |_| loader.data.with(|d| d.as_ref().map(|r| r.agents.clone())));
    let saved_config = RwSignal::new(None::<RoutingConfig>);
    let on_changed = Callback::new(move |()| loader.read(false));

    view! {
        <div class="routing">
            <RoundRobinCard loader=loader choice=choice saved_config=saved_config on_changed=on_changed/>
            <RulesEditor agents=agents saved_config=saved_config on_saved=on_changed/>
            <AccountRouting agents=agents/>
            <Simulator saved_config=saved_config/>
        </div>
    }
}
