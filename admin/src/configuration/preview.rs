//! `BrandingPreview`: a static mock of the widget with the draft's branding (colours, font,
//! side, offsets, avatar, bot name, teaser, privacy link), redrawn as the admin edits. Plain
//! HTML and CSS in the admin, not the real widget: it shows the look, not the behaviour. The
//! colours are CSS custom properties on `#config-preview`, so every part follows them.

use super::draft::{initial, preview_font, shown_color};
use super::form::{Color, Form};
use leptos::prelude::*;

/// Which state of the widget the preview shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// The chat panel, open.
    Open,
    /// Only the launcher (and the teaser, when on).
    Closed,
}

/// The live preview.
#[component]
pub fn BrandingPreview(
    /// The form whose draft it shows.
    form: Form,
) -> impl IntoView {
    let shown = RwSignal::new(Shown::Open);
    let color = move |c: Color| form.branding(|b| shown_color(c.get(b), &c.fallback()).to_owned());
    let style = move || {
        form.branding(|b| {
            format!(
                "--cp-primary:{};--cp-on-primary:{};--cp-bg:{};--cp-text:{};--cp-font:{};--cp-x:{}px;--cp-y:{}px",
                shown_color(&b.primary_color, &Color::Primary.fallback()),
                shown_color(&b.on_primary_color, &Color::OnPrimary.fallback()),
                shown_color(&b.background_color, &Color::Background.fallback()),
                shown_color(&b.text_color, &Color::Text.fallback()),
                preview_font(&b.font),
                b.offset_x.min(200),
                b.offset_y.min(200),
            )
        })
    };
    let side = move || form.branding(|b| if b.launcher_position == "left" { "left" } else { "right" });
    let bot_name =
        move || form.branding(|b| if b.bot_name.trim().is_empty() { "Bot".to_owned() } else { b.bot_name.clone() });
    let avatar = move || form.branding(|b| b.avatar.clone());
    let teaser = move || form.branding(|b| b.teaser);
    let privacy = move || form.branding(|b| !b.privacy_url.is_empty());
    let face = move || {
        let url = avatar();
        if url.is_empty() {
            view! { <span class="cp-avatar cp-initial" aria-hidden="true">{initial(&bot_name())}</span> }.into_any()
        } else {
            view! { <img class="cp-avatar" src=url alt="" /> }.into_any()
        }
    };
    let toggle = move |which: Shown, label: &'static str| {
        view! {
            <button
                type="button"
                class="secondary"
                aria-pressed=move || (shown.get() == which).to_string()
                on:click=move |_| shown.set(which)
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="preview-wrap">
            <div class="preview-head">
                <h3 id="config-preview-title">"Preview"</h3>
                <div class="preview-toggle" role="group" aria-label="Widget state shown">
                    {toggle(Shown::Open, "Chat open")}
                    {toggle(Shown::Closed, "Closed")}
                </div>
            </div>
            <div
                id="config-preview"
                class="config-preview"
                data-side=side
                data-primary=move || color(Color::Primary)
                style=style
                role="img"
                aria-labelledby="config-preview-title"
                aria-describedby="config-preview-summary"
            >
                <div class="cp-page" aria-hidden="true">
                    <span class="cp-line w60"></span>
                    <span class="cp-line w80"></span>
                    <span class="cp-line w40"></span>
                </div>
                <Show when=move || shown.get() == Shown::Open>
                    <div class="cp-panel" id="config-preview-panel">
                        <div class="cp-header" id="config-preview-header">
                            {face}
                            <span class="cp-name">{bot_name}</span>
                            <span class="cp-close" aria-hidden="true">"×"</span>
                        </div>
                        <div class="cp-body">
                            <div class="cp-row">
                                {face}
                                <p class="cp-bubble cp-bot">"Hi! Would you like to talk to someone from our team?"</p>
                            </div>
                            <div class="cp-choices">
                                <span class="cp-choice">"Book a demo"</span>
                                <span class="cp-choice">"Just browsing"</span>
                            </div>
                            <p class="cp-bubble cp-visitor">"Book a demo"</p>
                            <div class="cp-row">
                                {face}
                                <p class="cp-bubble cp-bot cp-typing" aria-hidden="true">
                                    <span></span><span></span><span></span>
                                </p>
                            </div>
                        </div>
                        <div class="cp-footer">
                            <span class="cp-input">"Type a message…"</span>
                            <span class="cp-send">"Send"</span>
                        </div>
                        <Show when=privacy>
                            <p class="cp-privacy"><span class="cp-link">"Privacy policy"</span></p>
                        </Show>
                    </div>
                </Show>
                <Show when=move || shown.get() == Shown::Closed && teaser()>
                    <p class="cp-teaser" id="config-preview-teaser">
                        "Hi! Would you like to talk to someone from our team?"
                    </p>
                </Show>
                <span class="cp-launcher" id="config-preview-launcher">
                    {move || if shown.get() == Shown::Open { "×" } else { "💬" }}
                </span>
            </div>
            <p class="visually-hidden" id="config-preview-summary">
                {move || form.branding(|b| format!(
                    "The launcher sits at the bottom {}, {} px from the side and {} px from the bottom; the chat header \
                     shows {} on {}.",
                    side(), b.offset_x, b.offset_y, b.on_primary_color, b.primary_color,
                ))}
            </p>
            <p class="hint">
                "A sketch of the widget with these settings; the real one adapts to small screens. The bot types for "
                {move || form.branding(|b| b.typing_delay_ms.to_string())}" ms before each message"
                {move || if form.branding(|b| b.sound) { ", with a short sound." } else { "." }}
            </p>
        </div>
    }
}
