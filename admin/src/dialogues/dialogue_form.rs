//! `DialogueForm`: one dialogue being edited: its name and priority, audience, flow, preview
//! and versions, with the actions (save the draft, publish while nothing is wrong, unpublish
//! after confirmation, duplicate, export). Every failure is shown next to what it concerns:
//! name and priority under their inputs, card problems under their cards, the rest under the
//! actions.

use super::api::{self, Changes, Editing};
use super::audience_form::AudienceForm;
use super::browser::{download_json, focus, local_time};
use super::draft::{
    FlowDraft, check_name, export_file_name, parse_priority, problems_label, publish_blocked, status_label,
};
use super::flow_editor::FlowEditor;
use super::live_preview::LivePreview;
use super::preview::Preview;
use super::state::EditorState;
use super::versions::VersionList;
use crate::api::ApiError;
use crate::confirm_button::ConfirmButton;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// What the header shows about the dialogue, as the edge last answered.
#[derive(Debug, Clone, PartialEq)]
struct Meta {
    status: String,
    published_version: Option<u32>,
    updated_at: Option<String>,
}

impl Meta {
    fn of(e: &Editing) -> Meta {
        Meta { status: e.status.clone(), published_version: e.published_version, updated_at: e.updated_at.clone() }
    }
}

/// The editor of one dialogue, once read.
#[component]
pub fn DialogueForm(
    /// The dialogue as read.
    editing: Editing,
    /// Back to the list.
    on_back: Callback<()>,
    /// Opens another dialogue (a duplicate), with a sentence to show there.
    on_open: Callback<(String, String)>,
    /// Something the list shows changed (saved, published, …).
    on_changed: Callback<()>,
) -> impl IntoView {
    let id = editing.id.clone();
    let state = EditorState::new(FlowDraft::new(editing.flow.clone()), editing.diagnostics.clone());
    let name = RwSignal::new(editing.name.clone());
    let saved_name = RwSignal::new(editing.name.clone());
    let priority = RwSignal::new(editing.priority.to_string());
    let audience = RwSignal::new(editing.audience.clone());
    // The audience and flow as the edge stores them in the draft, as of the last read or save:
    // a save sends only what differs.
    let stored_audience = RwSignal::new(editing.audience.clone());
    let stored_flow = RwSignal::new(editing.flow.clone());
    let meta = RwSignal::new(Meta::of(&editing));
    let versions = RwSignal::new(editing.versions.clone());
    let name_error = RwSignal::new(String::new());
    let priority_error = RwSignal::new(String::new());
    // What the last action did (role=status) or why it failed (role=alert).
    let done = RwSignal::new(String::new());
    let failed = RwSignal::new(String::new());
    // The action under way: `save`, `publish`, `unpublish`, `duplicate` or `export`.
    let busy = RwSignal::new(None::<&'static str>);

    let unsaved = Memo::new(move |_| state.unsaved());
    let problems = Memo::new(move |_| state.diagnostics.with(Vec::len));
    let blocked = Memo::new(move |_| meta.with(|m| publish_blocked(unsaved.get(), problems.get(), &m.status)));
    let idle = move || busy.get().is_none();
    let clear = move || {
        done.set(String::new());
        failed.set(String::new());
    };
    let applied = move |e: &Editing| {
        meta.set(Meta::of(e));
        state.saved_diagnostics.set(e.diagnostics.clone());
    };
    // Reads the versions (only `GET` lists them) after a publish or an unpublish.
    let reread_versions = {
        let id = id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                if let Ok(e) = api::read(id).await {
                    versions.try_set(e.versions);
                }
            });
        }
    };

    let save = {
        let id = id.clone();
        move || {
            clear();
            name_error.set(String::new());
            priority_error.set(String::new());
            let checked_name = match check_name(&name.get_untracked()) {
                Ok(n) => n,
                Err(why) => {
                    name_error.set(why);
                    focus("dialogue-name");
                    return;
                }
            };
            let checked_priority = match parse_priority(&priority.get_untracked()) {
                Ok(p) => p,
                Err(why) => {
                    priority_error.set(why);
                    focus("dialogue-priority");
                    return;
                }
            };
            if let Some((where_, why)) =
                state.json_problems.with_untracked(|p| p.first_key_value().map(|(k, v)| (k.clone(), v.clone())))
            {
                failed.set(format!("Not saved: {why} Fix it first; the rest of your edits are kept."));
                focus(&where_);
                return;
            }
            let (now_audience, now_flow) = (audience.get_untracked(), state.draft.with_untracked(|d| d.flow.clone()));
            let changes = Changes {
                name: checked_name.clone(),
                priority: checked_priority,
                audience: stored_audience.with_untracked(|a| *a != now_audience).then(|| now_audience.clone()),
                flow: stored_flow.with_untracked(|f| *f != now_flow).then(|| now_flow.clone()),
            };
            let at = state.edits.get_untracked();
            busy.set(Some("save"));
            let id = id.clone();
            spawn_local(async move {
                let result = api::save(id, &changes).await;
                busy.try_set(None);
                match result {
                    Ok(e) => {
                        applied(&e);
                        state.saved_edits.try_set(at);
                        saved_name.try_set(checked_name);
                        stored_audience.try_set(now_audience);
                        stored_flow.try_set(now_flow);
                        done.try_set(format!("Draft saved. {}.", problems_label(e.diagnostics.len())));
                        let _ = on_changed.try_run(());
                    }
                    Err(e) => match e.code.as_str() {
                        "invalid_name" => {
                            name_error.try_set(e.message);
                            focus("dialogue-name");
                        }
                        "invalid_priority" => {
                            priority_error.try_set(e.message);
                            focus("dialogue-priority");
                        }
                        _ => {
                            failed.try_set(format!("The draft was not saved: {}", e.message));
                        }
                    },
                }
            });
        }
    };

    let publish = {
        let id = id.clone();
        let reread_versions = reread_versions.clone();
        move |_| {
            clear();
            busy.set(Some("publish"));
            let id = id.clone();
            let reread_versions = reread_versions.clone();
            spawn_local(async move {
                let result = api::publish(id.clone()).await;
                busy.try_set(None);
                match result {
                    Ok(e) => {
                        applied(&e);
                        let version = e.published_version.map(|v| format!(" version {v}")).unwrap_or_default();
                        done.try_set(format!("Published{version}. Visitors get it from now on."));
                        reread_versions();
                        let _ = on_changed.try_run(());
                    }
                    Err(ApiError { code, message, .. }) if code == "not_publishable" => {
                        failed.try_set(message);
                        // The edge's diagnostics are the authority: show them on their cards.
                        if let Ok(e) = api::read(id).await {
                            applied(&e);
                        }
                    }
                    Err(e) => {
                        failed.try_set(format!("Not published: {}", e.message));
                    }
                }
            });
        }
    };

    let unpublish = {
        let id = id.clone();
        let reread_versions = reread_versions.clone();
        Callback::new(move |()| {
            clear();
            busy.set(Some("unpublish"));
            let id = id.clone();
            let reread_versions = reread_versions.clone();
            spawn_local(async move {
                let result = api::unpublish(id).await;
                busy.try_set(None);
                match result {
                    Ok(e) => {
                        applied(&e);
                        done.try_set(
                            "Unpublished. New visitors no longer get this dialogue; conversations under way finish on their version."
                                .into(),
                        );
                        reread_versions();
                        let _ = on_changed.try_run(());
                    }
                    Err(e) => {
                        failed.try_set(format!("Not unpublished: {}", e.message));
                    }
                }
            });
        })
    };

    let duplicate = {
        let id = id.clone();
        move |_| {
            clear();
            busy.set(Some("duplicate"));
            let id = id.clone();
            spawn_local(async move {
                let result = api::duplicate(id).await;
                busy.try_set(None);
                match result {
                    Ok(e) => {
                        let _ = on_changed.try_run(());
                        let said = "This is a copy, not published. Rename it and edit it as you like.".to_owned();
                        let _ = on_open.try_run((e.id, said));
                    }
                    Err(e) => {
                        failed.try_set(format!("Not duplicated: {}", e.message));
                    }
                }
            });
        }
    };

    let export = {
        let id = id.clone();
        move |_| {
            clear();
            busy.set(Some("export"));
            let id = id.clone();
            spawn_local(async move {
                let result = api::export(id).await;
                busy.try_set(None);
                match result {
                    Ok(document) => {
                        let file = export_file_name(&saved_name.try_get_untracked().unwrap_or_default());
                        if download_json(&document, &file) {
                            done.try_set(format!("Exported as {file}."));
                        } else {
                            failed.try_set("The browser did not offer the file for download.".into());
                        }
                    }
                    Err(e) => {
                        failed.try_set(format!("Not exported: {}", e.message));
                    }
                }
            });
        }
    };

    let save_click = {
        let save = save.clone();
        move |_| save()
    };
    // Ctrl+S / Cmd+S saves, as in any editor.
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            if busy.get_untracked().is_none() {
                save();
            }
        }
    };

    let back_button = move || {
        if unsaved.get() {
            view! {
                <ConfirmButton
                    id="dialogue-back"
                    label="← All dialogues"
                    class="secondary"
                    subject=Signal::derive(String::new)
                    question=Signal::derive(|| "Leave this dialogue? Your unsaved edits will be lost.".to_owned())
                    confirm_label="Leave without saving"
                    on_confirm=on_back
                />
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="secondary" id="dialogue-back" on:click=move |_| on_back.run(())>
                    "← All dialogues"
                </button>
            }
            .into_any()
        }
    };

    request_animation_frame(|| focus("dialogue-editor-title"));

    view! {
        <section class="card dialogue-editor" id="dialogue-editor" aria-labelledby="dialogue-editor-title" on:keydown=keydown>
            <div class="editor-head">
                {back_button}
                <h2 id="dialogue-editor-title" tabindex="-1">{move || saved_name.get()}</h2>
                <span
                    class=move || meta.with(|m| format!("status-badge status-{}", m.status))
                    id="dialogue-status"
                    data-status=move || meta.with(|m| m.status.clone())
                >
                    {move || meta.with(|m| status_label(&m.status))}
                </span>
                <span class="muted">
                    {move || meta.with(|m| m.published_version.map(|v| format!("Live: version {v}")).unwrap_or_default())}
                </span>
                <span class="muted updated">
                    {move || meta.with(|m| m.updated_at.as_deref().map(|u| format!("Last saved {}", local_time(u))).unwrap_or_default())}
                </span>
            </div>

            <div class="editor-actions">
                <button
                    type="button"
                    class="primary"
                    id="dialogue-save"
                    disabled=move || !idle()
                    aria-describedby="dialogue-unsaved"
                    on:click=save_click
                >
                    {move || if busy.get() == Some("save") { "Saving…" } else { "Save draft" }}
                </button>
                <button
                    type="button"
                    class="primary"
                    id="dialogue-publish"
                    disabled=move || !idle() || blocked.with(Option::is_some)
                    aria-describedby="dialogue-publish-reason"
                    on:click=publish
                >
                    {move || if busy.get() == Some("publish") { "Publishing…" } else { "Publish" }}
                </button>
                <Show when=move || meta.with(|m| m.published_version.is_some())>
                    <ConfirmButton
                        id="dialogue-unpublish"
                        label="Unpublish"
                        subject=Signal::derive(move || saved_name.get())
                        question=Signal::derive(|| {
                            "Unpublish this dialogue? New visitors stop getting it at once; conversations under way finish. You can publish again later.".to_owned()
                        })
                        confirm_label="Unpublish"
                        disabled=Signal::derive(move || busy.get().is_some())
                        on_confirm=unpublish
                    />
                </Show>
                <button type="button" class="secondary" id="dialogue-duplicate" disabled=move || !idle() on:click=duplicate>
                    {move || if busy.get() == Some("duplicate") { "Duplicating…" } else { "Duplicate" }}
                </button>
                <button type="button" class="secondary" id="dialogue-export" disabled=move || !idle() on:click=export>
                    {move || if busy.get() == Some("export") { "Exporting…" } else { "Export JSON" }}
                </button>
            </div>
            <p class="hint" id="dialogue-unsaved" data-unsaved=move || unsaved.get().to_string()>
                {move || if unsaved.get() {
                    "Unsaved changes. Duplicate and Export use the saved draft."
                } else {
                    "All changes saved."
                }}
            </p>
            <p class="hint publish-reason" id="dialogue-publish-reason">{move || blocked.get().unwrap_or_default()}</p>
            <div class="notice ok" role="status" id="dialogue-done">{move || done.get()}</div>
            <div class="notice error" role="alert" id="dialogue-error">{move || failed.get()}</div>

            <div class="field-row">
                <div class="field">
                    <label for="dialogue-name">"Name"</label>
                    <input
                        id="dialogue-name"
                        name="name"
                        autocomplete="off"
                        maxlength="100"
                        aria-describedby="dialogue-name-error"
                        aria-invalid=move || (!name_error.with(String::is_empty)).then_some("true")
                        prop:value=move || name.get()
                        on:input=move |ev| {
                            name.set(event_target_value(&ev));
                            name_error.set(String::new());
                            state.touch();
                        }
                    />
                    <p class="field-error" id="dialogue-name-error">{move || name_error.get()}</p>
                </div>
                <div class="field narrow">
                    <label for="dialogue-priority">"Priority"</label>
                    <input
                        id="dialogue-priority"
                        name="priority"
                        type="number"
                        min="-1000"
                        max="1000"
                        step="1"
                        aria-describedby="dialogue-priority-hint dialogue-priority-error"
                        aria-invalid=move || (!priority_error.with(String::is_empty)).then_some("true")
                        prop:value=move || priority.get()
                        on:input=move |ev| {
                            priority.set(event_target_value(&ev));
                            priority_error.set(String::new());
                            state.touch();
                        }
                    />
                    <p class="hint" id="dialogue-priority-hint">"When several dialogues fit a visitor, the highest wins."</p>
                    <p class="field-error" id="dialogue-priority-error">{move || priority_error.get()}</p>
                </div>
            </div>

            <AudienceForm state=state audience=audience />
            <div class="editor-main">
                <FlowEditor state=state />
                <div class="editor-side">
                    <Preview state=state />
                    <LivePreview
                        id=id.clone()
                        state=state
                        saved_at=Signal::derive(move || meta.with(|m| m.updated_at.clone()))
                    />
                    <VersionList versions=versions live=Signal::derive(move || meta.with(|m| m.published_version)) />
                </div>
            </div>
        </section>
    }
}
