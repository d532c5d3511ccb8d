//! `AvatarField`: the bot's picture, chosen from a file and kept in the branding as a `data:`
//! URL. The file's type and size are checked before it is read (at most 256 KB once encoded),
//! the picture is previewed, and it can be removed. The file is read through `Reflect`
//! (`Blob.arrayBuffer`), since this crate does not enable `web-sys`'s file features.

use super::draft::{AVATAR_TYPES, avatar_problem, data_url, input_id, kilobytes};
use super::form::Form;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A chosen file: its type, its size in bytes, and the `File` itself.
struct Chosen {
    mime: String,
    size: u64,
    file: JsValue,
}

fn chosen_file(input: &JsValue) -> Option<Chosen> {
    let files = Reflect::get(input, &"files".into()).ok().filter(|f| !f.is_null() && !f.is_undefined())?;
    let file = Reflect::get(&files, &JsValue::from(0)).ok().filter(|f| !f.is_undefined() && !f.is_null())?;
    let mime = Reflect::get(&file, &"type".into()).ok()?.as_string().unwrap_or_default();
    let size = Reflect::get(&file, &"size".into()).ok()?.as_f64()? as u64;
    Some(Chosen { mime, size, file })
}

async fn read_bytes(file: &JsValue) -> Option<Vec<u8>> {
    let read = Reflect::get(file, &"arrayBuffer".into()).ok()?.dyn_into::<Function>().ok()?;
    let promise = read.call0(file).ok()?.dyn_into::<Promise>().ok()?;
    let buffer = JsFuture::from(promise).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// The avatar picker, preview and remove button.
#[component]
pub fn AvatarField(
    /// The form it edits.
    form: Form,
) -> impl IntoView {
    let key = "branding.avatar";
    let id = input_id(key);
    let error_id = format!("{id}-error");
    let label_for = id.clone();
    let hint_id = format!("{id}-hint");
    let problem = form.error(key);
    // A file refused before it reaches the draft (wrong type, too large, unreadable).
    let refused = RwSignal::new(String::new());
    let reading = RwSignal::new(false);
    let shown_error = move || {
        let r = refused.get();
        if r.is_empty() { problem.get() } else { r }
    };
    let avatar = move || form.branding(|b| b.avatar.clone());
    let has_avatar = move || form.branding(|b| !b.avatar.is_empty());
    let choose = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target() else { return };
        let input: JsValue = input.into();
        let chosen = chosen_file(&input);
        // Clear the input, so choosing the same file again still reports a change.
        let _ = Reflect::set(&input, &"value".into(), &"".into());
        let Some(Chosen { mime, size, file }) = chosen else { return };
        if let Some(message) = avatar_problem(&mime, size) {
            refused.set(message);
            return;
        }
        refused.set(String::new());
        reading.set(true);
        spawn_local(async move {
            match read_bytes(&file).await {
                Some(bytes) => {
                    let url = data_url(&mime, &bytes);
                    let _ = form.draft.try_update(|d| d.branding.avatar = url);
                    form.touch(key);
                }
                None => {
                    let _ = refused.try_set("The image could not be read. Try another file.".to_owned());
                }
            }
            let _ = reading.try_set(false);
        });
    };
    let remove = move |_| {
        refused.set(String::new());
        form.brand(|b| b.avatar.clear());
        form.touch(key);
    };
    view! {
        <div class="field avatar-field">
            <span class="field-label">"Avatar"</span>
            <div class="avatar-row">
                {move || if has_avatar() {
                    view! { <img class="avatar-preview" id="config-avatar-preview" src=avatar alt="Current avatar"/> }.into_any()
                } else {
                    view! { <span class="avatar-preview empty" aria-hidden="true">"No image"</span> }.into_any()
                }}
                <div class="avatar-actions">
                    <input
                        type="file"
                        class="visually-hidden-file"
                        id=id
                        accept=AVATAR_TYPES.join(",")
                        aria-describedby=format!("{hint_id} {error_id}")
                        aria-invalid=move || (!shown_error().is_empty()).then_some("true")
                        on:change=choose
                    />
                    <label class="file-button" for=label_for>
                        {move || if has_avatar() { "Replace image…" } else { "Choose image…" }}
                    </label>
                    <Show when=has_avatar>
                        <button type="button" class="secondary" id="config-avatar-remove" on:click=remove>
                            "Remove avatar"
                        </button>
                    </Show>
                </div>
            </div>
            <p class="hint" id=hint_id>
                {format!(
                    "PNG, JPEG or WebP, up to {} (256 KB once encoded). Shown square, 32 px, next to the bot's messages; \
                     without one, the bot name's first letter is shown.",
                    kilobytes(196_576),
                )}
            </p>
            <p class="muted" role="status">{move || reading.get().then_some("Reading the image…")}</p>
            <p class="field-error" id=error_id role="alert">{shown_error}</p>
        </div>
    }
}
