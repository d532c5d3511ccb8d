//! `AccountImport`: replaces the account routes with those of a CSV file, chosen or pasted.
//! Importing replaces every route, so when routes exist the admin confirms first. The edge
//! takes all the lines or none: a refused file changes nothing, and every wrong line is
//! listed with its number and reason.

use super::confirm::Confirm;
use super::editor::focus_soon;
use super::format::{MAX_IMPORT_BYTES, count, file_size};
use crate::api::{self, ImportFailure};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// The id of the list of a refused file's problems.
pub const ERRORS_ID: &str = "accounts-import-errors";
/// At most this many wrong lines are listed.
const LINES_SHOWN: usize = 100;

/// The file chosen in `input`, if any.
fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<JsValue> {
    let files = js_sys::Reflect::get(input, &"files".into()).ok()?;
    let file = js_sys::Reflect::get(&files, &JsValue::from(0)).ok()?;
    (!file.is_undefined() && !file.is_null()).then_some(file)
}

/// A chosen file's name and size in bytes.
fn facts(file: &JsValue) -> (String, f64) {
    let name = js_sys::Reflect::get(file, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    let size = js_sys::Reflect::get(file, &"size".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
    (name, size)
}

/// The import form.
#[component]
pub fn AccountImport(
    /// How many routes are stored now (0 until read).
    #[prop(into)]
    stored: Signal<u64>,
    /// Called once routes were imported.
    on_imported: Callback<()>,
) -> impl IntoView {
    let input = NodeRef::<leptos::html::Input>::new();
    let file = RwSignal::new(None::<(String, f64)>);
    let pasted = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let input_error = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ImportFailure>);
    let done = RwSignal::new(String::new());

    let clear_file = move || {
        if let Some(input) = input.get_untracked() {
            input.set_value("");
        }
        file.set(None);
    };
    let on_file = move |_| {
        input_error.set(String::new());
        failure.set(None);
        done.set(String::new());
        file.set(input.get_untracked().as_ref().and_then(chosen_file).map(|f| facts(&f)));
    };
    // What to send: the chosen file, or else the pasted text; or why there is nothing to send.
    let source = move || -> Result<(JsValue, String), String> {
        if let Some(chosen) = input.get_untracked().as_ref().and_then(chosen_file) {
            let (name, size) = facts(&chosen);
            if size > MAX_IMPORT_BYTES {
                return Err(format!(
                    "{name} is {}; the largest file accepted is {}. Split it into smaller files.",
                    file_size(size),
                    file_size(MAX_IMPORT_BYTES)
                ));
            }
            return Ok((chosen, name));
        }
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            return Err("Choose a CSV file or paste its lines first.".to_owned());
        }
        Ok((JsValue::from(text), "the pasted lines".to_owned()))
    };
    let run = move || {
        let Ok((body, _)) = source() else { return };
        busy.set(true);
        spawn_local(async move {
            match api::import_account_routes(body).await {
                Ok(n) => {
                    let _ = done.try_set(format!(
                        "Imported {}. They replace the routes stored before.",
                        count(n, "account route", "account routes")
                    ));
                    let _ = pasted.try_set(String::new());
                    if file.try_get_untracked().is_some() {
                        clear_file();
                    }
                    let _ = on_imported.try_run(());
                }
                Err(refused) => {
                    if failure.try_set(Some(refused)).is_none() {
                        focus_soon(ERRORS_ID.to_owned());
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };
    let start = move |_| {
        input_error.set(String::new());
        failure.set(None);
        done.set(String::new());
        if let Err(problem) = source() {
            input_error.set(problem);
            focus_soon("accounts-file".to_owned());
            return;
        }
        if stored.get_untracked() > 0 {
            confirming.set(true);
        } else {
            run();
        }
    };
    let question = Signal::derive(move || {
        let what = file.get().map_or_else(|| "the pasted lines".to_owned(), |(name, _)| name);
        format!(
            "Replace all {} with those in {what}? Routes that are not in it are removed.",
            count(stored.get(), "account route", "account routes")
        )
    });
    let confirm = Callback::new(move |()| {
        confirming.set(false);
        run();
    });
    let cancel = Callback::new(move |()| {
        confirming.set(false);
        focus_soon("accounts-import".to_owned());
    });
    let has_file = move || file.with(Option::is_some);

    view! {
        <div class="import" role="group" aria-labelledby="import-title">
            <h3 id="import-title">"Import from CSV"</h3>
            <p class="hint">
                "Importing replaces every account route with those in the file. Nothing changes if a line is wrong: "
                "each one is listed for you to fix."
            </p>
            <div class="import-grid">
                <div class="field">
                    <label for="accounts-file">"CSV file"</label>
                    <input
                        type="file"
                        id="accounts-file"
                        accept=".csv,text/csv"
                        node_ref=input
                        aria-describedby="accounts-format accounts-input-error"
                        on:change=on_file
                    />
                    {move || file.get().map(|(name, size)| view! {
                        <p class="chosen">
                            <span>{format!("{name} · {}", file_size(size))}</span>
                            <button type="button" class="link small" on:click=move |_| clear_file()>
                                "Remove"<span class="visually-hidden">{format!(" {name}")}</span>
                            </button>
                        </p>
                    })}
                </div>
                <div class="field">
                    <label for="accounts-paste">"Or paste the lines"</label>
                    <textarea
                        id="accounts-paste"
                        rows="4"
                        spellcheck="false"
                        placeholder="domain,owner_email\nacme.com,agent-3@demo.test"
                        aria-describedby="accounts-paste-hint accounts-input-error"
                        disabled=has_file
                        prop:value=move || pasted.get()
                        on:input=move |ev| {
                            pasted.set(event_target_value(&ev));
                            input_error.set(String::new());
                        }
                    ></textarea>
                    <p class="hint" id="accounts-paste-hint">
                        {move || if has_file() { "A file is chosen; remove it to paste lines instead." } else { "" }}
                    </p>
                </div>
            </div>
            <div class="sample" id="accounts-format">
                <p>
                    "The first line names the columns: "<code>"domain"</code>" or "<code>"company"</code>" (or both) and "
                    <code>"owner_email"</code>", the email of the agent who owns the account, as stored with the agent "
                    "(e.g. "<code>"agent-3@demo.test"</code>")."
                </p>
                <pre><code>"domain,owner_email\nacme.com,agent-3@demo.test\nglobex.com,agent-1@demo.test"</code></pre>
                <pre><code>"company,owner_email\n\"Acme, Inc.\",agent-3@demo.test"</code></pre>
            </div>
            <p class="field-error" id="accounts-input-error" role="alert">{move || input_error.get()}</p>
            <div class="actions">
                <button
                    type="button"
                    class="primary"
                    id="accounts-import"
                    aria-expanded=move || confirming.get().to_string()
                    disabled=move || busy.get()
                    on:click=start
                >
                    {move || if busy.get() { "Importing…" } else { "Import" }}
                </button>
                <span class="muted" role="status">{move || busy.get().then_some("Importing… every line is checked first.")}</span>
            </div>
            <Show when=move || confirming.get()>
                <Confirm
                    question=question
                    confirm_label="Replace routes"
                    on_confirm=confirm
                    on_cancel=cancel
                    id="accounts-replace-question".to_owned()
                />
            </Show>
            {move || failure.get().map(|refused| {
                let more = refused.lines.len().saturating_sub(LINES_SHOWN);
                view! {
                    <div class="notice error import-errors" id=ERRORS_ID role="alert" tabindex="-1">
                        <p>{refused.error.message}</p>
                        {(!refused.lines.is_empty()).then(|| view! {
                            <ol class="line-errors" aria-label="Lines to fix">
                                {refused.lines.into_iter().take(LINES_SHOWN).map(|line| view! {
                                    <li data-line=line.line.to_string()>
                                        <span class="line-number">{format!("Line {}", line.line)}</span>
                                        <span>{line.message}</span>
                                    </li>
                                }).collect_view()}
                            </ol>
                        })}
                        {(more > 0).then(|| view! {
                            <p>{format!("…and {} more.", count(more as u64, "line", "lines"))}</p>
                        })}
                    </div>
                }
            })}
            <p class="notice ok" role="status">{move || done.get()}</p>
        </div>
    }
}
