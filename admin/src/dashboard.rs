//! `Dashboard`: the signed-in admin's tabs: meetings, routing, agents' calendars, dialogues,
//! configuration, analytics and integrations. The tab is kept in the address's fragment (`#integrations`) so a reload stays
//! put; the fragment may carry a query after the slug (`#calendar?connect=connected`, where
//! the edge sends the admin back from a calendar consent), which the tab reads. A tab that is
//! not shown is unmounted, which stops its polling.

use crate::analytics::AnalyticsPanel;
use crate::app::Role;
use crate::calendar::CalendarPanel;
use crate::configuration::ConfigurationPanel;
use crate::dialogues::DialoguesPanel;
use crate::integrations::IntegrationsPanel;
use crate::meetings_table::MeetingsTable;
use crate::routing::RoutingPanel;
use crate::team::TeamPanel;
use leptos::prelude::*;

/// A dashboard tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Meetings,
    Routing,
    Calendar,
    Dialogues,
    Configuration,
    Analytics,
    Integrations,
    Team,
}

impl Tab {
    const ALL: [Tab; 8] = [
        Tab::Meetings,
        Tab::Routing,
        Tab::Calendar,
        Tab::Dialogues,
        Tab::Configuration,
        Tab::Analytics,
        Tab::Integrations,
        Tab::Team,
    ];

    /// What an agent's account may open: their meetings and their calendar.
    const AGENT: [Tab; 2] = [Tab::Meetings, Tab::Calendar];

    /// The tabs a role sees, in order.
    fn visible(role: Role) -> Vec<Tab> {
        match role {
            Role::Admin => Tab::ALL.to_vec(),
            Role::Agent => Tab::AGENT.to_vec(),
        }
    }

    /// The fragment naming the tab (no element carries it as an id, so the page does not scroll).
    fn slug(self) -> &'static str {
        match self {
            Tab::Meetings => "meetings",
            Tab::Routing => "routing",
            Tab::Calendar => "calendar",
            Tab::Dialogues => "dialogues",
            Tab::Configuration => "configuration",
            Tab::Analytics => "analytics",
            Tab::Integrations => "integrations",
            Tab::Team => "team",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Meetings => "Meetings",
            Tab::Routing => "Routing",
            Tab::Calendar => "Calendar",
            Tab::Dialogues => "Dialogues",
            Tab::Configuration => "Configuration",
            Tab::Analytics => "Analytics",
            Tab::Integrations => "Integrations",
            Tab::Team => "Team",
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
    let role = use_context::<Role>().unwrap_or(Role::Agent);
    let visible = Tab::visible(role);
    let asked = Tab::from_fragment(&location.hash().unwrap_or_default());
    // A saved fragment naming a tab this role does not see falls back to the first one.
    let tab = RwSignal::new(if visible.contains(&asked) { asked } else { Tab::Meetings });
    let buttons = Tab::ALL.map(|_| NodeRef::<leptos::html::Button>::new());
    let select = move |next: Tab, focus: bool| {
        tab.set(next);
        let _ = window().location().replace(&format!("#{}", next.slug()));
        if focus && let Some(button) = buttons[next.index()].get() {
            let _ = button.focus();
        }
    };
    // Arrow keys, Home and End move between tabs, as in the WAI-ARIA tabs pattern.
    let order = visible.clone();
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = order.len();
        let last = count.saturating_sub(1);
        let current = order.iter().position(|t| *t == tab.get_untracked()).unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" => (current + 1) % count.max(1),
            "ArrowLeft" => (current + last) % count.max(1),
            "Home" => 0,
            "End" => last,
            _ => return,
        };
        ev.prevent_default();
        if let Some(t) = order.get(next) {
            select(*t, true);
        }
    };
    view! {
        <nav class="tabs" aria-label="Sections">
            <div role="tablist" aria-label="Dashboard sections" on:keydown=keydown>
                {visible.into_iter().map(|t| view! {
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
                Tab::Meetings => view! { <MeetingsTable/> }.into_any(),
                Tab::Routing => view! { <RoutingPanel/> }.into_any(),
                Tab::Calendar => view! { <CalendarPanel/> }.into_any(),
                Tab::Dialogues => view! { <DialoguesPanel/> }.into_any(),
                Tab::Configuration => view! { <ConfigurationPanel/> }.into_any(),
                Tab::Analytics => view! { <AnalyticsPanel/> }.into_any(),
                Tab::Team => view! { <TeamPanel/> }.into_any(),
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
        assert_eq!(Tab::from_fragment("#routing"), Tab::Routing);
        assert_eq!(Tab::from_fragment("#calendar?connect=connected"), Tab::Calendar);
        assert_eq!(Tab::from_fragment("#calendarx"), Tab::Meetings);
        assert_eq!(Tab::from_fragment("#nope?calendar"), Tab::Meetings);
        assert_eq!(
            Tab::ALL.map(Tab::slug),
            ["meetings", "routing", "calendar", "dialogues", "configuration", "analytics", "integrations", "team"]
        );
        assert_eq!(
            Tab::ALL.map(Tab::label),
            ["Meetings", "Routing", "Calendar", "Dialogues", "Configuration", "Analytics", "Integrations", "Team"]
        );
    }
}
