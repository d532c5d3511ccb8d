//! `AccountRouting`: account routes (an email domain or a company → the agent who owns the
//! account), checked before every rule: the import form and the routes stored.

use super::account_import::AccountImport;
use super::format::{account_key, count, name_of};
use crate::api::{self, AccountRoutes};
use confab_domain::api::AgentRef;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The account routing card.
#[component]
pub fn AccountRouting(
    /// The site's agents, once read (for the owners' names).
    agents: Memo<Option<Vec<AgentRef>>>,
) -> impl IntoView {
    let routes = RwSignal::new(None::<AccountRoutes>);
    let load_error = RwSignal::new(None::<String>);
    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::account_routes().await {
                Ok(list) => {
                    let _ = routes.try_set(Some(list));
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e.message));
                }
            }
        });
    };
    load();
    let stored = Signal::derive(move || routes.with(|r| r.as_ref().map_or(0, |r| r.total)));
    let on_imported = Callback::new(move |()| load());

    let table = move || {
        let list = routes.get()?;
        if list.accounts.is_empty() {
            return Some(
                view! {
                    <p class="empty">
                        "No account routes yet: visitors are routed by the rules and the round robin. Import a CSV to "
                        "send each account's visitors to its owner."
                    </p>
                }
                .into_any(),
            );
        }
        let everyone = agents.get().unwrap_or_default();
        let shown = list.accounts.len() as u64;
        let rows = list
            .accounts
            .into_iter()
            .map(|route| {
                let (kind, key) = account_key(&route.key);
                let key = key.to_owned();
                view! {
                    <tr>
                        <td class="account-key">{key}</td>
                        <td><span class="tag">{kind}</span></td>
                        <td>{name_of(&everyone, &route.owner)}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <div class="table-scroll accounts-scroll">
                    <table class="accounts" id="accounts-table">
                        <caption class="visually-hidden">"Account routes"</caption>
                        <thead>
                            <tr><th scope="col">"Account"</th><th scope="col">"Matched by"</th><th scope="col">"Owner"</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {(list.total > shown).then(|| view! {
                    <p class="muted">{format!("Showing the first {shown} of {} routes.", list.total)}</p>
                })}
            }
            .into_any(),
        )
    };

    view! {
        <section class="card accounts-card" aria-labelledby="accounts-title">
            <div class="card-head">
                <h2 id="accounts-title">"Account routing"</h2>
                <div class="tools">
                    {move || routes.with(|r| r.as_ref().map(|r| view! {
                        <span class="pill">{count(r.total, "route", "routes")}</span>
                    }))}
                </div>
            </div>
            <p class="muted">
                "A visitor from a known account goes to its owner first, before any rule, when the owner is free. A domain "
                "matches email addresses at exactly that domain (list subsidiaries' domains too); a company matches the "
                "company of the lead stored for the visitor's email, ignoring case. A domain match wins over a company match."
            </p>
            <AccountImport stored=stored on_imported=on_imported/>
            <h3 id="accounts-current">"Current routes"</h3>
            {move || match (routes.with(Option::is_some), load_error.get()) {
                (false, Some(message)) => view! {
                    <div class="notice error" role="alert">
                        <p>"The account routes could not be read: "{message}</p>
                        <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                    </div>
                }
                .into_any(),
                (false, None) => view! { <p class="muted" role="status">"Loading the account routes…"</p> }.into_any(),
                (true, Some(message)) => view! {
                    <p class="notice warn" role="status">"Could not read the routes again ("{message}"). Showing the last known list."</p>
                }
                .into_any(),
                (true, None) => ().into_any(),
            }}
            {table}
        </section>
    }
}
