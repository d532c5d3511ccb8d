//! `Dashboard`: the signed-in admin's tabs: meetings and routing, agents' calendars, and
//! integrations. The tab is kept in the address's fragment (`#integrations`) so a reload stays
//! put; the fragment may carry a query after the slug (`#calendar?connect=connected`, where
//! the edge sends the admin back from a calendar consent), which the tab reads. A tab that is
//! not shown is unmounted, which stops its polling.

use crate::calendar::CalendarPanel;
use crate::integrations::IntegrationsPanel;
use crate::meetings_table::MeetingsTable;
use crate::routing_panel::RoutingPanel;
use leptos::prelude::*;

/// A dashboard tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Meetings,
    Calendar,
    Integrations,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Meetings, Tab::Calendar, Tab::Integrations];

    /// The fragment naming the tab (no element carries it as an id, so the page does not scroll).
    fn slug(self) -> &'static str {
        match self {
            Tab::Meetings => "meetings",
            Tab::Calendar => "calendar",
            Tab::Integrations => "integrations",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Meetings => "Meetings & routing",
            Tab::Calendar => "Calendar",
            Tab::Integrations => "Integrations",
        }
    }

    /// The tab a fragment names: `#calendar`, or `#calendar?connect=…` (the query is the tab's
    /// business); the first tab when it names none.
    fn from_fragment(fragment: &str) -> Tab {
        let fragment = fragment.trim_start_matches('#');
        let slug = fragment.split_once('?').map_or(fragment, |(slug, _)| slug);
        Tab::ALL.into_iter().find(|t| slug == t.slug()).unwrap_or(Tab::Meetings)
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The signed-in dashboard.
#[component]
pub fn Dashboard() -> impl IntoView {
    let location = window().location();
    let tab = RwSignal::new(Tab::from_fragment(&location.hash().unwrap_or_default()));
    let buttons = Tab::ALL.map(|_| NodeRef::<leptos::html::Button>::new());
    let select = move |next: Tab, focus: bool| {
        tab.set(next);
        let _ = window().location().replace(&format!("#{}", next.slug()));
        if focus && let Some(button) = buttons[next.index()].get() {
            let _ = button.focus();
        }
    };
    // Arrow keys, Home and End move between tabs, as in the WAI-ARIA tabs pattern.
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let last = Tab::ALL.len() - 1;
        let current = tab.get_untracked().index();
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % Tab::ALL.len(),
            "ArrowLeft" => (current + last) % Tab::ALL.len(),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        select(Tab::ALL[next], true);
    };
    view! {
        <nav class="tabs" aria-label="Sections">
            <div role="tablist" aria-label="Dashboard sections" on:keydown=keydown>
                {Tab::ALL.into_iter().map(|t| view! {
                    <button
                        type="button"
                        role="tab"
                        id=format!("tab-{}", t.slug())
                        aria-controls=format!("panel-{}", t.slug())
                        aria-selected=move || (tab.get() == t).to_string()
                        tabindex=move || if tab.get() == t { "0" } else { "-1" }
                        node_ref=buttons[t.index()]
                        on:click=move |_| select(t, false)
                    >
                        {t.label()}
                    </button>
                }).collect_view()}
            </div>
        </nav>
        {move || {
            let t = tab.get();
            let content = match t {
                Tab::Meetings => view! { <RoutingPanel/><MeetingsTable/> }.into_any(),
                Tab::Calendar => view! { <CalendarPanel/> }.into_any(),
                Tab::Integrations => view! { <IntegrationsPanel/> }.into_any(),
            };
            view! {
                <main id=format!("panel-{}", t.slug()) role="tabpanel" aria-labelledby=format!("tab-{}", t.slug())>
                    {content}
                </main>
            }
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_name_tabs_with_or_without_a_query() {
        assert_eq!(Tab::from_fragment(""), Tab::Meetings);
        assert_eq!(Tab::from_fragment("#integrations"), Tab::Integrations);
        assert_eq!(Tab::from_fragment("#calendar"), Tab::Calendar);
        assert_eq!(Tab::from_fragment("#calendar?connect=connected"), Tab::Calendar);
        assert_eq!(Tab::from_fragment("#calendarx"), Tab::Meetings);
        assert_eq!(Tab::from_fragment("#nope?calendar"), Tab::Meetings);
        assert_eq!(Tab::ALL.map(Tab::slug), ["meetings", "calendar", "integrations"]);
    }
}
