//! `Chat`: the conversation. It runs the dialogue engine from `confab-domain` and interprets
//! its effects: bot messages (after the configured typing delay), buttons, slot offers, the
//! email capture and the booking.

use crate::api::Api;
use crate::email_form::EmailForm;
use crate::slot_picker::SlotPicker;
use crate::style::CSS;
use crate::time;
use crate::transcript::{Line, Speaker, Transcript};
use confab_domain::api::{BookingRequest, Slot};
use confab_domain::dialogue::{Effect, Event, Flow, State, step};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

/// Forwards chat events (`engaged`, `completed`, `meeting_booked`, …) and the `close`
/// request to the loader.
#[derive(Clone)]
pub struct Events(pub js_sys::Function);

impl Events {
    fn emit(&self, name: &str, detail: JsValue) {
        let _ = self.0.call2(&JsValue::NULL, &name.into(), &detail);
    }
}

/// What the visitor can do right now, below the transcript.
#[derive(Clone, Debug, PartialEq)]
enum Input {
    /// Nothing (the bot is talking).
    Wait,
    /// Buttons: (label, value).
    Choices(Vec<(String, String)>),
    /// Slots are being fetched.
    LoadingSlots,
    /// Pick a slot.
    Slots(Vec<Slot>),
    /// Type an email to book `Slot`.
    Email(Slot),
    /// The booking request is in flight.
    Booking,
    /// The conversation ended.
    Ended,
    /// The chat cannot run here; the reason.
    Unavailable(String),
}

/// Everything the handlers share; all fields are cheap copies.
#[derive(Clone)]
struct Ctx {
    api: Api,
    events: Events,
    lines: RwSignal<Vec<Line>>,
    input: RwSignal<Input>,
    typing: RwSignal<bool>,
    flow: StoredValue<Option<Flow>>,
    state: StoredValue<State>,
    delay_ms: StoredValue<u32>,
    engaged: StoredValue<bool>,
}

impl Ctx {
    fn say(&self, from: Speaker, text: String) {
        self.lines.update(|lines| {
            let id = lines.len();
            lines.push(Line { id, from, text });
        });
    }

    async fn bot(&self, text: String) {
        self.typing.set(true);
        sleep(self.delay_ms.get_value()).await;
        self.typing.set(false);
        self.say(Speaker::Bot, text);
    }

    /// Applies `event` to the dialogue and plays the resulting effects in order.
    async fn advance(&self, event: Event) {
        let Some(flow) = self.flow.get_value() else { return };
        match step(&flow, &self.state.get_value(), &event) {
            Ok((state, effects)) => {
                self.state.set_value(state);
                for effect in effects {
                    self.play(effect).await;
                }
            }
            Err(e) => {
                self.bot(e.to_string()).await;
                self.input.set(Input::Ended);
            }
        }
    }

    async fn play(&self, effect: Effect) {
        match effect {
            Effect::Say(text) => self.bot(text).await,
            Effect::Ask(text, choices) => {
                self.bot(text).await;
                self.input.set(Input::Choices(choices));
            }
            Effect::OfferSlots(_) => self.offer_slots().await,
            Effect::End => {
                self.input.set(Input::Ended);
                self.events.emit("completed", JsValue::NULL);
            }
        }
    }

    async fn offer_slots(&self) {
        self.input.set(Input::LoadingSlots);
        match self.api.slots(14, &time::visitor_time_zone()).await {
            Ok(found) if found.is_empty() => {
                self.bot("Sorry, nobody has a free slot in the next two weeks. Please check back soon.".into()).await;
                self.input.set(Input::Ended);
            }
            Ok(found) => {
                self.bot("Here are the next free times, in your time zone. Which suits you?".into()).await;
                self.input.set(Input::Slots(found));
            }
            Err(e) => {
                self.bot(e.message).await;
                self.input.set(Input::Ended);
            }
        }
    }

    fn engage(&self) {
        if !self.engaged.get_value() {
            self.engaged.set_value(true);
            self.events.emit("engaged", JsValue::NULL);
        }
    }

    fn choose(&self, label: String, value: String) {
        self.engage();
        self.say(Speaker::Visitor, label);
        self.input.set(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move { ctx.advance(Event::Choose(value)).await });
    }

    fn pick(&self, slot: Slot) {
        self.say(Speaker::Visitor, time::slot_label(&slot.start));
        self.input.set(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move {
            ctx.bot("Great choice. What's your email address? The invitation goes there.".into()).await;
            ctx.input.set(Input::Email(slot));
        });
    }

    fn book(&self, slot: Slot, email: String) {
        self.say(Speaker::Visitor, email.clone());
        self.input.set(Input::Booking);
        let ctx = self.clone();
        spawn_local(async move {
            let request =
                BookingRequest { start: slot.start.clone(), email: email.clone(), name: None, visitor_id: None };
            match ctx.api.book(&request).await {
                Ok(booking) => {
                    ctx.events.emit("email_captured", JsValue::NULL);
                    ctx.events.emit("meeting_booked", JsValue::from_str(booking.meeting_id.as_str()));
                    let text =
                        format!("You're booked with {} on {}.", booking.agent.name, time::slot_label(&slot.start));
                    ctx.bot(text).await;
                    ctx.advance(Event::Booked).await;
                }
                Err(e) if e.code == "slot_taken" || e.code == "not_a_slot" => {
                    ctx.bot(e.message).await;
                    ctx.offer_slots().await;
                }
                Err(e) => {
                    ctx.bot(e.message).await;
                    ctx.input.set(Input::Email(slot));
                }
            }
        });
    }
}

/// Resolves after `ms` milliseconds.
async fn sleep(ms: u32) {
    if ms == 0 {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Only `#rrggbb` colours reach the style attribute.
fn safe_color(color: &str) -> &str {
    let ok = color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok { color } else { "#4f46e5" }
}

/// The chat panel's content.
#[component]
pub fn Chat(
    /// The edge's origin.
    base: String,
    /// The site id.
    site: String,
    /// Where chat events go.
    events: Events,
) -> impl IntoView {
    let ctx = Ctx {
        api: Api::new(&base, &site),
        events,
        lines: RwSignal::new(Vec::new()),
        input: RwSignal::new(Input::Wait),
        typing: RwSignal::new(false),
        flow: StoredValue::new(None),
        state: StoredValue::new(State::default()),
        delay_ms: StoredValue::new(0),
        engaged: StoredValue::new(false),
    };
    let bot_name = RwSignal::new(String::from("Chat"));
    let accent = RwSignal::new(String::from("#4f46e5"));
    {
        let ctx = ctx.clone();
        spawn_local(async move {
            match ctx.api.bootstrap().await {
                Ok(boot) => {
                    bot_name.set(boot.branding.bot_name.clone());
                    accent.set(safe_color(&boot.branding.primary_color).to_owned());
                    ctx.delay_ms.set_value(boot.branding.typing_delay_ms.min(3000));
                    match boot.dialogue {
                        Some(d) => {
                            ctx.flow.set_value(Some(d.flow));
                            ctx.events.emit("triggered", JsValue::from_str(&d.id));
                            ctx.advance(Event::Start).await;
                        }
                        None => ctx.input.set(Input::Unavailable("There is nobody to chat with right now.".into())),
                    }
                }
                Err(e) => ctx.input.set(Input::Unavailable(e.message)),
            }
        });
    }
    let close = {
        let events = ctx.events.clone();
        move |_| events.emit("close", JsValue::NULL)
    };
    let input_view = {
        let ctx = ctx.clone();
        move || match ctx.input.get() {
            Input::Wait => ().into_any(),
            Input::Choices(choices) => {
                let ctx = ctx.clone();
                view! {
                    <div class="choices" role="group" aria-label="Answers">
                        {choices
                            .into_iter()
                            .map(|(label, value)| {
                                let ctx = ctx.clone();
                                let shown = label.clone();
                                view! {
                                    <button type="button" class="choice" on:click=move |_| ctx.choose(label.clone(), value.clone())>
                                        {shown}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                .into_any()
            }
            Input::LoadingSlots => view! { <p class="note" role="status">"Looking for free times…"</p> }.into_any(),
            Input::Slots(slots) => {
                let ctx = ctx.clone();
                view! { <SlotPicker slots=slots on_pick=Callback::new(move |s| ctx.pick(s))/> }.into_any()
            }
            Input::Email(slot) => {
                let ctx = ctx.clone();
                view! { <EmailForm on_submit=Callback::new(move |email| ctx.book(slot.clone(), email))/> }.into_any()
            }
            Input::Booking => view! { <p class="note" role="status">"Booking your meeting…"</p> }.into_any(),
            Input::Ended => view! { <p class="note">"This conversation has ended."</p> }.into_any(),
            Input::Unavailable(reason) => view! { <p class="note" role="alert">{reason}</p> }.into_any(),
        }
    };
    view! {
        <div class="chat" role="dialog" aria-label=move || format!("Chat with {}", bot_name.get()) style=move || format!("--accent:{}", accent.get())>
            <style>{CSS}</style>
            <header class="head">
                <span class="name">{move || bot_name.get()}</span>
                <button type="button" class="close" aria-label="Close chat" on:click=close>"×"</button>
            </header>
            <Transcript lines=ctx.lines typing=ctx.typing/>
            <div class="input">{input_view}</div>
        </div>
    }
}
