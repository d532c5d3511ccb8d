//! `ConfigurationPanel`: the Configuration tab. Reads the site's configuration, lets the admin
//! edit its name, allowed origins and branding with a live preview, and saves it all at once
//! (or discards the edits). The install snippet and the CSP are shown as stored, to copy.

use super::api::{self, Config};
use super::branding_form::BrandingForm;
use super::copy_box::CopyBox;
use super::draft::{Draft, first_problem, input_id};
use super::form::Form;
use super::origins_editor::OriginsEditor;
use super::preview::BrandingPreview;
use crate::integrations::blocked_domains::BlockedDomainsEditor;
use crate::team::browser::focus;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Moves focus to the input of the problem `key`.
fn focus_problem(form: Form, key: &str) {
    let id = if key == "branding.font" && form.branding(|b| b.font == "inherit") {
        "config-branding-font-inherit".to_owned()
    } else {
        input_id(key)
    };
    focus(&id);
}

/// The Configuration tab.
#[component]
pub fn ConfigurationPanel() -> impl IntoView {
    let saved = RwSignal::new(None::<Config>);
    let load_error = RwSignal::new(None::<String>);
    let form = Form::new(Draft::default());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::config().await {
                Ok(config) => {
                    form.reset(config.draft());
                    let _ = saved.try_set(Some(config));
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e.message));
                }
            }
        });
    };
    load();

    let dirty = Memo::new(move |_| {
        saved.with(|s| s.as_ref().is_some_and(|c| form.draft.with(|d| *d != c.draft())))
            || form.unparsed.with(|u| !u.is_empty())
    });
    let save = move |_| {
        status.set(String::new());
        error.set(String::new());
        let problems = form.problems.get_untracked();
        if let Some(key) = first_problem(&problems) {
            form.attempted.set(true);
            error.set(match problems.len() {
                1 => "Nothing was saved: one field needs fixing.".to_owned(),
                n => format!("Nothing was saved: {n} fields need fixing."),
            });
            focus_problem(form, key);
            return;
        }
        let draft = form.draft.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::save_config(&draft).await {
                Ok(config) => {
                    form.reset(config.draft());
                    let _ = saved.try_set(Some(config));
                    let _ = status.try_set("Saved. The widget uses the new settings on its next page view.".to_owned());
                }
                Err(e) => {
                    if e.code == "invalid_config" {
                        form.refused(e.fields.clone());
                        if let Some(key) = first_problem(&form.problems.get_untracked()) {
                            focus_problem(form, key);
                        }
                    }
                    let _ = error.try_set(format!("Nothing was saved: {}", e.message));
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let discard = move |_| {
        if let Some(config) = saved.get_untracked() {
            form.reset(config.draft());
        }
        error.set(String::new());
        status.set(String::new());
    };
    let name_error = form.error("name");
    let snippet = Signal::derive(move || saved.with(|s| s.as_ref().map(|c| c.snippet.clone()).unwrap_or_default()));
    let csp = Signal::derive(move || saved.with(|s| s.as_ref().map(|c| c.csp.clone()).unwrap_or_default()));

    view! {
        <div class="configuration">
            {move || match (saved.with(Option::is_some), load_error.get()) {
                (false, Some(message)) => view! {
                    <section class="card">
                        <div class="notice error" role="alert">
                            <p>"The configuration could not be read: "{message}</p>
                            <button type="button" class="secondary" on:click=move |_| load()>"Try again"</button>
                        </div>
                    </section>
                }
                .into_any(),
                (false, None) => view! {
                    <section class="card"><p class="muted" role="status">"Loading the configuration…"</p></section>
                }
                .into_any(),
                (true, _) => ().into_any(),
            }}
            <Show when=move || saved.with(Option::is_some)>
                <section class="card" aria-labelledby="config-site-title">
                    <h2 id="config-site-title">"Site"</h2>
                    <div class="field site-name">
                        <label for="config-name">"Site name"</label>
                        <input
                            type="text"
                            id="config-name"
                            name="name"
                            autocomplete="off"
                            maxlength="100"
                            aria-describedby="config-name-hint config-name-error"
                            aria-invalid=move || (!name_error.with(String::is_empty)).then_some("true")
                            prop:value=move || form.draft.with(|d| d.name.clone())
                            on:input=move |ev| form.draft.update(|d| d.name = event_target_value(&ev))
                            on:change=move |_| form.touch("name")
                        />
                        <p class="hint" id="config-name-hint">"For you and your team; visitors do not see it."</p>
                        <p class="field-error" id="config-name-error">{move || name_error.get()}</p>
                    </div>
                    <h3>"Allowed origins"</h3>
                    <p class="muted">"The widget answers only pages on these origins; others get no chat."</p>
                    <OriginsEditor form/>
                </section>
                <div class="config-grid">
                    <BrandingForm form/>
                    <aside class="card config-preview-card" aria-label="Preview">
                        <BrandingPreview form/>
                    </aside>
                </div>
                <section class="card" aria-label="Blocked email domains">
                    <BlockedDomainsEditor/>
                </section>
                <section class="card" aria-labelledby="config-install-title">
                    <h2 id="config-install-title">"Install"</h2>
                    <CopyBox
                        id="config-snippet"
                        label="Install snippet"
                        hint="Paste it before </body> on every page where the chat should appear."
                        text=snippet
                    />
                    <CopyBox
                        id="config-csp"
                        label="Content-Security-Policy"
                        hint="Only for sites with a CSP: add these sources to the directives the site already has."
                        text=csp
                    />
                </section>
                <div class="save-bar" role="region" aria-label="Save configuration">
                    <button
                        type="button"
                        class="primary"
                        id="config-save"
                        on:click=save
                        disabled=move || busy.get() || !dirty.get()
                        aria-busy=move || busy.get().to_string()
                    >
                        {move || if busy.get() { "Saving…" } else { "Save changes" }}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        id="config-discard"
                        on:click=discard
                        disabled=move || busy.get() || !dirty.get()
                    >
                        "Discard"
                    </button>
                    <span class="muted" id="config-dirty">{move || dirty.get().then_some("Unsaved changes")}</span>
                    <p class="error" id="config-save-error" role="alert">{move || error.get()}</p>
                    <p class="notice ok" id="config-save-status" role="status">{move || status.get()}</p>
                </div>
            </Show>
        </div>
    }
}
