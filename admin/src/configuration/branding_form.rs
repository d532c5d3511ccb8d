//! `BrandingForm`: every branding setting of the widget: bot name and avatar, the four
//! colours in two pairs with their contrast, font, the launcher's side and offsets, the
//! typing delay, teaser and sound, and the privacy link. Each field shows its own problem.

use super::avatar_field::AvatarField;
use super::color_pair::ColorPair;
use super::draft::{NumberField as Number, input_id};
use super::form::{Color, Form};
use super::number_field::NumberField;
use leptos::prelude::*;

/// The default a custom font starts from when "the page's font" is unticked.
const SUGGESTED_FONT: &str = "system-ui, sans-serif";

/// The branding fields.
#[component]
pub fn BrandingForm(
    /// The form it edits.
    form: Form,
) -> impl IntoView {
    let text_input = move |key: &'static str,
                           label: &'static str,
                           kind: &'static str,
                           placeholder: &'static str,
                           read: fn(&confab_domain::api::Branding) -> String,
                           write: fn(&mut confab_domain::api::Branding, String)| {
        let id = input_id(key);
        let error_id = format!("{id}-error");
        let error = form.error(key);
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    type=kind
                    id=id
                    name=key
                    autocomplete="off"
                    spellcheck="false"
                    placeholder=placeholder
                    aria-describedby=error_id.clone()
                    aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                    prop:value=move || form.branding(read)
                    on:input=move |ev| form.brand(|b| write(b, event_target_value(&ev)))
                    on:change=move |_| form.touch(key)
                />
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </div>
        }
    };

    let inherit = move || form.branding(|b| b.font == "inherit");
    // The custom font list, kept while "the page's font" is ticked so unticking restores it.
    let custom_font = RwSignal::new(String::new());
    Effect::new(move |_| {
        let font = form.branding(|b| b.font.clone());
        if font != "inherit" {
            custom_font.set(font);
        }
    });
    let font_error = form.error("branding.font");
    let toggle_inherit = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        let next = if checked {
            "inherit".to_owned()
        } else {
            let kept = custom_font.get_untracked();
            if kept.trim().is_empty() { SUGGESTED_FONT.to_owned() } else { kept }
        };
        form.brand(|b| b.font = next);
        form.touch("branding.font");
    };

    let side = move || form.branding(|b| b.launcher_position.clone());
    let position_error = form.error("branding.launcher_position");
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="config-launcher-position"
                    id=format!("config-branding-launcher-position-{value}")
                    value=value
                    prop:checked=move || side() == value
                    on:change=move |_| {
                        form.brand(|b| b.launcher_position = value.to_owned());
                        form.touch("branding.launcher_position");
                    }
                />
                {label}
            </label>
        }
    };
    let toggle = move |key: &'static str,
                       label: &'static str,
                       hint: &'static str,
                       read: fn(&confab_domain::api::Branding) -> bool,
                       write: fn(&mut confab_domain::api::Branding, bool)| {
        let id = input_id(key);
        let hint_id = format!("{id}-hint");
        let label_for = id.clone();
        view! {
            <div class="toggle-field">
                <label class="choice" for=label_for>
                    <input
                        type="checkbox"
                        role="switch"
                        id=id
                        name=key
                        aria-describedby=hint_id.clone()
                        prop:checked=move || form.branding(read)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.brand(|b| write(b, on));
                            form.touch(key);
                        }
                    />
                    {label}
                </label>
                <p class="hint" id=hint_id>{hint}</p>
            </div>
        }
    };

    view! {
        <section class="card branding-form" aria-labelledby="config-branding-title">
            <h2 id="config-branding-title">"Look and behaviour"</h2>
            <h3>"Identity"</h3>
            <div class="grid-fields">
                {text_input(
                    "branding.bot_name",
                    "Bot name",
                    "text",
                    "Confab",
                    |b| b.bot_name.clone(),
                    |b, v| b.bot_name = v,
                )}
            </div>
            <AvatarField form/>

            <h3>"Colours"</h3>
            <ColorPair
                form
                legend="Accent: launcher, header, buttons, visitor messages"
                slug="accent"
                background=Color::Primary
                background_label="Accent colour"
                text=Color::OnPrimary
                text_label="Text on the accent"
            />
            <ColorPair
                form
                legend="Chat panel"
                slug="panel"
                background=Color::Background
                background_label="Background"
                text=Color::Text
                text_label="Text"
            />

            <h3>"Font"</h3>
            <div class="font-field">
                <label class="choice">
                    <input
                        type="checkbox"
                        id="config-branding-font-inherit"
                        prop:checked=inherit
                        on:change=toggle_inherit
                    />
                    "Use the page's own font"
                </label>
                <Show when=move || !inherit()>
                    <div class="field">
                        <label for="config-branding-font">"Font family"</label>
                        <input
                            type="text"
                            id="config-branding-font"
                            name="branding.font"
                            autocomplete="off"
                            spellcheck="false"
                            placeholder=SUGGESTED_FONT
                            aria-describedby="config-branding-font-hint config-branding-font-error"
                            aria-invalid=move || (!font_error.with(String::is_empty)).then_some("true")
                            prop:value=move || form.branding(|b| b.font.clone())
                            on:input=move |ev| form.brand(|b| b.font = event_target_value(&ev))
                            on:change=move |_| form.touch("branding.font")
                        />
                        <p class="hint" id="config-branding-font-hint">
                            "Font names separated by commas, ending with a generic family: Inter, sans-serif. "
                            "The widget does not load fonts, so name ones your pages already load."
                        </p>
                    </div>
                </Show>
                <p class="field-error" id="config-branding-font-error">{move || font_error.get()}</p>
            </div>

            <h3>"Launcher"</h3>
            <fieldset class="radio-group" aria-describedby="config-branding-launcher-position-error">
                <legend>"Position"</legend>
                {radio("left", "Bottom left")}
                {radio("right", "Bottom right")}
                <p class="field-error" id="config-branding-launcher-position-error">
                    {move || position_error.get()}
                </p>
            </fieldset>
            <div class="grid-fields">
                <NumberField form field=Number::OffsetX label="Distance from the side (px)" unit="px"/>
                <NumberField form field=Number::OffsetY label="Distance from the bottom (px)" unit="px"/>
            </div>

            <h3>"Behaviour"</h3>
            <div class="grid-fields">
                <NumberField form field=Number::TypingDelay label="Typing delay (ms)" unit="ms" step=100/>
            </div>
            <p class="hint">"How long the bot seems to type before each message; 0 shows messages at once."</p>
            {toggle(
                "branding.teaser",
                "Teaser",
                "Shows the first message in a bubble next to the closed launcher.",
                |b| b.teaser,
                |b, on| b.teaser = on,
            )}
            {toggle(
                "branding.sound",
                "Sound",
                "Plays a short sound on new messages, only after the visitor has interacted with the chat.",
                |b| b.sound,
                |b, on| b.sound = on,
            )}

            <h3>"Privacy"</h3>
            <div class="grid-fields wide">
                {text_input(
                    "branding.privacy_url",
                    "Privacy policy link",
                    "url",
                    "https://www.example.com/privacy",
                    |b| b.privacy_url.clone(),
                    |b, v| b.privacy_url = v.trim().to_owned(),
                )}
            </div>
            <p class="hint">"Linked from the chat when set; it must be an https:// address. Leave empty for no link."</p>
        </section>
    }
}
