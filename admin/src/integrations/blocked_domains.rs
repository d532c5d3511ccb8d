//! `BlockedDomainsEditor`: the email domains visitors may not use (e.g. free-mail
//! providers); visitors typing such an address are asked for a work email instead.

use super::format::{count, parse_domains};
use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The blocked email domains card.
#[component]
pub fn BlockedDomainsEditor() -> impl IntoView {
    let saved = RwSignal::new(None::<Vec<String>>);
    let load_error = RwSignal::new(None::<String>);
    let draft = RwSignal::new(Vec::<String>::new());
    let input = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::blocked_domains().await {
                Ok(list) => {
                    let _ = draft.try_set(list.clone());
                    let _ = saved.try_set(Some(list));
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e.message));
                }
            }
        });
    };
    load();

    let dirty =
        Memo::new(move |_| saved.with(|s| draft.with(|d| s.as_ref().map_or(!d.is_empty(), |saved| saved != d))));
    let typed = move || input.with(|t| !t.trim().is_empty());
    let add_typed = move || {
        let added = parse_domains(&input.get_untracked());
        draft.update(|d| {
            for domain in added {
                if !d.contains(&domain) {
                    d.push(domain);
                }
            }
        });
        input.set(String::new());
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        status.set(String::new());
        add_typed();
    };
    let save = move |_| {
        add_typed();
        let domains = draft.get_untracked();
        busy.set(true);
        error.set(String::new());
        status.set(String::new());
        spawn_local(async move {
            match api::save_blocked_domains(domains).await {
                Ok(list) => {
                    let _ = status.try_set(match list.len() {
                        0 => "Saved. No domain is blocked.".to_owned(),
                        n => format!("Saved. {} blocked.", count(n, "domain is", "domains are")),
                    });
                    let _ = draft.try_set(list.clone());
                    let _ = saved.try_set(Some(list));
                }
                Err(e) => {
                    let _ = error.try_set(e.message);
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let discard = move |_| {
        draft.set(saved.get_untracked().unwrap_or_default());
        input.set(String::new());
        error.set(String::new());
        status.set(String::new());
    };

    view! {
        <section class="card" aria-labelledby="blocked-title">
            <h2 id="blocked-title">"Blocked email domains"</h2>
            <p class="muted">
                "Visitors typing an address at these domains are asked for a work email instead, so leads "
                "arrive with a business address. Typical entries are free-mail providers such as gmail.com."
            </p>
            {move || match (saved.with(Option::is_some), load_error.get()) {
                (false, Some(message)) => view! {
                    <div class="notice error" role="alert">
                        <p>"The blocked domains could not be read: "{message}</p>
                        <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                    </div>
                }
                .into_any(),
                (false, None) => view! { <p class="muted" role="status">"Loading the blocked domains…"</p> }.into_any(),
                (true, _) => ().into_any(),
            }}
            <Show when=move || saved.with(Option::is_some)>
                <form class="domain-add" on:submit=add>
                    <label>"Add blocked domains"
                        <input
                            type="text"
                            name="blocked-domain"
                            autocomplete="off"
                            spellcheck="false"
                            placeholder="gmail.com, yahoo.com"
                            aria-describedby="domain-hint"
                            prop:value=move || input.get()
                            on:input=move |ev| input.set(event_target_value(&ev))
                        />
                    </label>
                    <button type="submit" class="secondary" disabled=move || !typed()>"Add"</button>
                </form>
                <p class="hint" id="domain-hint">
                    "Separate several with commas or spaces; pasting an email address adds its domain."
                </p>
                {move || {
                    let list = draft.get();
                    if list.is_empty() {
                        return view! {
                            <p class="empty">
                                "No domain is blocked: every valid email address is accepted. Add a domain to ask "
                                "visitors typing an address there for a work email instead."
                            </p>
                        }
                        .into_any();
                    }
                    view! {
                        <ul class="chips removable" aria-label="Blocked domains">
                            {list.into_iter().map(|domain| {
                                let label = format!("Remove {domain}");
                                let target = domain.clone();
                                let key = domain.clone();
                                let remove = move |_| {
                                    status.set(String::new());
                                    draft.update(|d| d.retain(|x| x != &target));
                                };
                                view! {
                                    <li data-domain=key>
                                        <span>{domain}</span>
                                        <button type="button" aria-label=label on:click=remove>"×"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        on:click=save
                        disabled=move || busy.get() || !(dirty.get() || typed())
                    >
                        {move || if busy.get() { "Saving…" } else { "Save" }}
                    </button>
                    <button type="button" class="secondary" on:click=discard disabled=move || busy.get() || !dirty.get()>
                        "Discard changes"
                    </button>
                    <span class="muted">{move || dirty.get().then_some("Unsaved changes")}</span>
                </div>
                <p class="error" role="alert">{move || error.get()}</p>
                <p class="notice ok" role="status">{move || status.get()}</p>
            </Show>
        </section>
    }
}
