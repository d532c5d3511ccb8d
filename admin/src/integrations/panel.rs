//! `IntegrationsPanel`: the Marketo connection, its lead sync and outbox, and the blocked
//! email domains. The Marketo status is polled while the panel is shown: every 2 s while the
//! initial sync runs, every 15 s otherwise; unmounting the panel stops the polling.

use super::blocked_domains::BlockedDomainsEditor;
use super::connect_form::ConnectForm;
use super::connection_card::ConnectionDetails;
use super::format::{now_ms, relative};
use super::outbox_card::OutboxCard;
use super::sync_card::SyncCard;
use crate::api::{self, ApiError, MarketoStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// How often the status is read while the initial sync runs.
const WHILE_SYNCING: Duration = Duration::from_secs(2);
/// How often the status is read otherwise.
const AT_REST: Duration = Duration::from_secs(15);

/// The polled Marketo status and the timer that reads it next. Every handle is a signal, so
/// a poll that finishes after the panel is gone finds them disposed and stops.
#[derive(Clone, Copy)]
struct Poller {
    /// The latest status read.
    status: RwSignal<Option<MarketoStatus>>,
    /// The latest read's failure, if it failed.
    failure: RwSignal<Option<ApiError>>,
    /// When the status was last read successfully (Unix ms).
    fetched_at: RwSignal<f64>,
    /// Whether a read is under way.
    busy: RwSignal<bool>,
    /// The next scheduled read.
    timer: RwSignal<Option<TimeoutHandle>>,
    /// Bumped by each read, so only the newest read's answer is shown and schedules the next.
    generation: RwSignal<u32>,
}

impl Poller {
    fn new() -> Self {
        Poller {
            status: RwSignal::new(None),
            failure: RwSignal::new(None),
            fetched_at: RwSignal::new(0.0),
            busy: RwSignal::new(false),
            timer: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Reads the status now, showing that it does, then schedules the next read.
    fn refresh(self) {
        self.read(true);
    }

    /// Reads the status now (`busy` shows it on the Refresh button, for reads the admin asked
    /// for), then schedules the next read.
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
            let result = api::marketo_status().await;
            if self.generation.try_get_untracked() != Some(generation) {
                return;
            }
            let syncing = matches!(&result, Ok(MarketoStatus::Connected(m)) if m.sync.phase == "initial");
            match result {
                Ok(status) => {
                    self.status.set(Some(status));
                    self.failure.set(None);
                    self.fetched_at.set(now_ms());
                }
                Err(e) => self.failure.set(Some(e)),
            }
            self.busy.set(false);
            let next = set_timeout_with_handle(move || self.read(false), if syncing { WHILE_SYNCING } else { AT_REST });
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

/// The integrations tab.
#[component]
pub fn IntegrationsPanel() -> impl IntoView {
    let poller = Poller::new();
    let now = RwSignal::new(now_ms());
    poller.read(false);
    // A one-second clock for the relative times ("12 s ago").
    let clock = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)).ok();
    on_cleanup(move || {
        poller.cancel();
        if let Some(clock) = clock {
            clock.clear();
        }
    });

    let Poller { status, failure, fetched_at, busy, .. } = poller;
    let marketo = Memo::new(move |_| match status.get() {
        Some(MarketoStatus::Connected(m)) => Some(*m),
        _ => None,
    });
    let not_connected = Memo::new(move |_| match status.get() {
        Some(MarketoStatus::NotConfigured(message)) => Some(message),
        _ => None,
    });
    let connected = Memo::new(move |_| marketo.with(Option::is_some));
    let details = Memo::new(move |_| marketo.get().unwrap_or_default());
    let sync = Memo::new(move |_| details.with(|m| m.sync.clone()));
    let outbox = Memo::new(move |_| details.with(|m| m.outbox.clone()));
    let refresh = move |_| poller.refresh();
    let on_sync_started = Callback::new(move |()| poller.refresh());
    let on_changed = Callback::new(move |()| poller.refresh());

    let pill = move || match (status.get(), failure.get()) {
        (Some(MarketoStatus::Connected(_)), _) => view! { <span class="pill ok">"Connected"</span> }.into_any(),
        (Some(MarketoStatus::NotConfigured(_)), _) => {
            view! { <span class="pill off">"Not connected"</span> }.into_any()
        }
        (None, Some(_)) => view! { <span class="pill bad">"Unavailable"</span> }.into_any(),
        (None, None) => ().into_any(),
    };

    view! {
        <div class="integrations">
            <section class="card" aria-labelledby="marketo-title">
                <div class="card-head">
                    <h2 id="marketo-title">"Marketo connection"</h2>
                    <div class="tools">
                        {pill}
                        <span class="muted updated">
                            {move || {
                                let at = fetched_at.get();
                                // The clock ticks once a second, so a read just now may be ahead of it.
                                (at > 0.0).then(|| format!("Updated {}", relative(now.get().max(at), at)))
                            }}
                        </span>
                        <button type="button" class="secondary" on:click=refresh disabled=move || busy.get()>
                            {move || if busy.get() { "Refreshing…" } else { "Refresh" }}
                        </button>
                    </div>
                </div>
                {move || match (status.with(Option::is_some), failure.get()) {
                    (false, None) => view! { <p class="muted" role="status">"Loading the Marketo status…"</p> }.into_any(),
                    (false, Some(e)) => view! {
                        <p class="notice error" role="alert">"The Marketo status could not be read: "{e.message}</p>
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
                {move || not_connected.get().map(|message| view! {
                    <div class="not-connected">
                        <p><strong>{message}</strong></p>
                        <p class="muted">
                            "Once connected, Confab recognises known leads, keeps a copy of the lead fields you choose "
                            "and writes meeting activities back to Marketo."
                        </p>
                        <ConnectForm initial=(String::new(), String::new()) on_connected=on_changed/>
                    </div>
                })}
                <Show when=move || connected.get()>
                    <ConnectionDetails marketo=details now=now on_changed=on_changed/>
                </Show>
            </section>
            <Show when=move || connected.get()>
                <SyncCard sync=sync now=now on_started=on_sync_started/>
                <OutboxCard outbox=outbox/>
            </Show>
            <BlockedDomainsEditor/>
        </div>
    }
}
