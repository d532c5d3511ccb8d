//! `Chat`: the conversation. It runs the dialogue engine from `confab-domain` and interprets
//! its effects: bot messages (after the configured typing delay), buttons, captures (email,
//! phone, text) with the engine's reasons for refusing an answer, document links, goals
//! (forwarded as `goal_reached`), slot offers, the email capture and the booking.

use crate::api::{Api, Ids};
use crate::email_form::EmailForm;
use crate::slot_picker::SlotPicker;
use crate::style::CSS;
use crate::time;
use crate::transcript::{Line, Speaker, Transcript};
use confab_domain::api::{BookingRequest, Slot, Visitor};
use confab_domain::dialogue::{CaptureKind, Choice, Context, Effect, Event, Flow, State, step};
use confab_domain::email::Email;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

/// Forwards chat events (`engaged`, `completed`, `meeting_booked`, `goal_reached`, …) and the
/// `close` request to the loader.
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
    /// Buttons.
    Choices(Vec<Choice>),
    /// A typed answer of this kind for a capture card.
    Capture(CaptureKind),
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
    /// Whether the visitor can go back to the previous question or capture.
    can_back: RwSignal<bool>,
    /// Documents shown so far: (title, `https://` address, or a link of this edge).
    documents: RwSignal<Vec<(String, String)>>,
    /// What the engine knows about the visitor: the lead's fields once they are known.
    context: StoredValue<Context>,
    /// The visitor's and the session's ids.
    ids: StoredValue<Ids>,
    /// The dialogue running and its version, for events.
    dialogue: StoredValue<(String, u32)>,
    /// The length of the meeting the booking card offers, in minutes.
    duration: StoredValue<u32>,
}

impl Ctx {
    /// Records what the visitor did, in the background.
    fn track(&self, kind: &'static str, card: Option<String>, value: Option<String>) {
        let (dialogue, version) = self.dialogue.get_value();
        if dialogue.is_empty() {
            return;
        }
        let (api, ids) = (self.api.clone(), self.ids.get_value());
        spawn_local(async move {
            api.event(&ids, &dialogue, version, kind, card.as_deref(), value.as_deref()).await;
        });
    }

    /// The card waiting for the visitor's input.
    fn waiting_card(&self) -> Option<String> {
        self.state.get_value().waiting_at.map(|c| c.0)
    }

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

    /// Applies `event` to the dialogue and plays the resulting effects in order, with the
    /// lead's fields when the visitor is known (tokens personalise, known fields are not asked).
    async fn advance(&self, event: Event) {
        let Some(flow) = self.flow.get_value() else { return };
        match step(&flow, &self.state.get_value(), &event, &self.context.get_value()) {
            Ok((state, effects)) => {
                self.can_back.set(state.can_go_back(&flow));
                self.state.set_value(state);
                let mut refused = false;
                for effect in effects {
                    refused = self.play(effect, refused).await;
                }
            }
            Err(e) => {
                self.bot(e.to_string()).await;
                self.input.set(Input::Ended);
            }
        }
    }

    /// Plays one effect; returns whether it refused an answer, so that the capture asked again
    /// right after does not repeat its prompt.
    async fn play(&self, effect: Effect, refused: bool) -> bool {
        match effect {
            Effect::Say(text) => self.bot(text).await,
            Effect::Ask { text, choices } => {
                self.bot(text).await;
                self.input.set(Input::Choices(choices));
            }
            Effect::Capture { text, kind, .. } => {
                if !refused {
                    self.bot(text).await;
                }
                self.input.set(Input::Capture(kind));
            }
            Effect::Invalid(why) => {
                self.bot(why).await;
                return true;
            }
            Effect::ShowDocument { title, url } => {
                self.bot(title.clone()).await;
                // Only https links are followed; anything else stays text (the validator refuses
                // it before publishing, this guards flows that were never validated).
                if url.starts_with("https://") {
                    self.documents.update(|docs| docs.push((title, url)));
                }
            }
            Effect::ReachGoal { name, score } => {
                self.track("goal", Some(name.clone()), Some(score.to_string()));
                let detail = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&detail, &"name".into(), &JsValue::from_str(&name));
                let _ = js_sys::Reflect::set(&detail, &"score".into(), &JsValue::from(score));
                self.events.emit("goal_reached", detail.into());
            }
            Effect::SetField { field, .. } => {
                if field == "email" {
                    self.events.emit("email_captured", JsValue::NULL);
                }
            }
            Effect::OfferSlots(minutes) => {
                self.duration.set_value(minutes);
                self.offer_slots().await
            }
            Effect::End => {
                self.track("completed", None, None);
                self.input.set(Input::Ended);
                self.events.emit("completed", JsValue::NULL);
            }
        }
        false
    }

    async fn offer_slots(&self) {
        self.input.set(Input::LoadingSlots);
        match self.api.slots(14, &time::visitor_time_zone(), self.duration.get_value()).await {
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
            self.track("engaged", self.waiting_card(), None);
            self.events.emit("engaged", JsValue::NULL);
        }
    }

    fn choose(&self, choice: Choice) {
        self.engage();
        self.track("answer", self.waiting_card(), Some(choice.value.clone()));
        self.say(Speaker::Visitor, choice.label);
        self.input.set(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move { ctx.advance(Event::Choose(choice.value)).await });
    }

    /// The visitor's typed answer to a capture; the engine checks it. An email is first
    /// given to the edge, which refuses blocked domains and makes the visitor known.
    fn answer(&self, text: String, kind: CaptureKind) {
        self.engage();
        self.track("capture", self.waiting_card(), Some(text.clone()));
        self.say(Speaker::Visitor, text.clone());
        self.input.set(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move {
            if kind == CaptureKind::Email && Email::parse(&text).is_ok() && !ctx.identify(&text).await {
                ctx.input.set(Input::Capture(kind));
                return;
            }
            ctx.advance(Event::Answer(text)).await
        });
    }

    /// Sends the email to the edge; `false` (after saying why) when the edge refuses it.
    /// Any other failure lets the conversation go on: the visitor is never blocked by ours.
    async fn identify(&self, email: &str) -> bool {
        match self.api.identify(email, &self.ids.get_value().visitor).await {
            Ok(visitor) => {
                self.know(visitor);
                true
            }
            Err(e) if e.code == "blocked_domain" || e.code == "invalid_email" => {
                self.bot(e.message).await;
                false
            }
            Err(_) => true,
        }
    }

    /// Takes the lead's fields into the engine's context.
    fn know(&self, visitor: Visitor) {
        if visitor.known {
            self.context.update_value(|c| c.attributes.extend(visitor.attributes));
        }
    }

    /// Asks the edge again, a few times, about a visitor Marketo was still looking up.
    async fn upgrade(&self) {
        for wait in [700, 1500, 3000] {
            sleep(wait).await;
            match self.api.identity().await {
                Ok(visitor) if visitor.known => {
                    self.know(visitor);
                    return;
                }
                Ok(visitor) if !visitor.pending => return,
                _ => {}
            }
        }
    }

    fn back(&self) {
        self.input.set(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move { ctx.advance(Event::Back).await });
    }

    fn pick(&self, slot: Slot) {
        self.say(Speaker::Visitor, time::slot_label(&slot.start));
        self.input.set(Input::Wait);
        // An email the visitor already gave in this conversation is not asked for again.
        let captured =
            self.flow.get_value().and_then(|flow| self.state.get_value().captured(&flow, "email").map(str::to_owned));
        if let Some(email) = captured {
            self.book(slot, email, false);
            return;
        }
        let ctx = self.clone();
        spawn_local(async move {
            ctx.bot("Great choice. What's your email address, so your agent can reach you?".into()).await;
            ctx.input.set(Input::Email(slot));
        });
    }

    /// Books `slot` for `email`; `typed` when the visitor just typed it in the email form.
    fn book(&self, slot: Slot, email: String, typed: bool) {
        if typed {
            self.say(Speaker::Visitor, email.clone());
        }
        self.input.set(Input::Booking);
        let ctx = self.clone();
        spawn_local(async move {
            if typed && !ctx.identify(&email).await {
                ctx.input.set(Input::Email(slot));
                return;
            }
            let request = BookingRequest {
                start: slot.start.clone(),
                email: email.clone(),
                name: None,
                visitor_id: Some(ctx.ids.get_value().visitor).filter(|v| !v.is_empty()),
                duration_minutes: Some(ctx.duration.get_value()),
                dialogue_id: Some(ctx.dialogue.get_value().0).filter(|d| !d.is_empty()),
                answers: ctx.state.get_value().answers.into_iter().map(|a| (a.card.0, a.value)).collect(),
            };
            match ctx.api.book(&request).await {
                Ok(booking) => {
                    if typed {
                        ctx.events.emit("email_captured", JsValue::NULL);
                    }
                    ctx.events.emit("meeting_booked", JsValue::from_str(booking.meeting_id.as_str()));
                    let text =
                        format!("You're booked with {} on {}.", booking.agent.name, time::slot_label(&slot.start));
                    ctx.bot(text).await;
                    // The invitation link comes from this edge; any other address is not followed.
                    if let Some(url) = booking.invite_url.filter(|u| ctx.api.is_own(u)) {
                        ctx.documents.update(|docs| docs.push(("Add to your calendar (.ics)".into(), url)));
                    }
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
        can_back: RwSignal::new(false),
        documents: RwSignal::new(Vec::new()),
        context: StoredValue::new(Context::default()),
        ids: StoredValue::new(Ids::load()),
        dialogue: StoredValue::new((String::new(), 0)),
        duration: StoredValue::new(30),
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
                    let pending = boot.visitor.pending;
                    ctx.know(boot.visitor);
                    if pending {
                        let ctx = ctx.clone();
                        spawn_local(async move { ctx.upgrade().await });
                    }
                    match boot.dialogue {
                        Some(d) => {
                            ctx.flow.set_value(Some(d.flow));
                            ctx.dialogue.set_value((d.id.clone(), d.version));
                            ctx.track("triggered", None, None);
                            ctx.events.emit("triggered", JsValue::from_str(&d.id));
                            ctx.advance(Event::Start { version: d.version }).await;
                        }
                        None => ctx.input.set(Input::Unavailable("There is nobody to chat with right now.".into())),
                    }
                }
                Err(e) => ctx.input.set(Input::Unavailable(e.message)),
            }
        });
    }
    let close = {
        let ctx = ctx.clone();
        move |_| {
            ctx.track("closed", None, None);
            ctx.events.emit("close", JsValue::NULL)
        }
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
                            .map(|choice| {
                                let ctx = ctx.clone();
                                let shown = choice.label.clone();
                                view! {
                                    <button type="button" class="choice" on:click=move |_| ctx.choose(choice.clone())>
                                        {shown}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </div>
                }
                .into_any()
            }
            Input::Capture(kind) => {
                let ctx = ctx.clone();
                let captured = kind;
                let value = RwSignal::new(String::new());
                let field: NodeRef<leptos::html::Input> = NodeRef::new();
                field.on_load(|input| {
                    let _ = input.focus();
                });
                let (kind, autocomplete, label) = match kind {
                    CaptureKind::Email => ("email", "email", "Your email"),
                    CaptureKind::Phone => ("tel", "tel", "Your phone number"),
                    CaptureKind::Text => ("text", "off", "Your answer"),
                };
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    ctx.answer(value.get_untracked(), captured);
                };
                view! {
                    <form class="email" on:submit=submit novalidate>
                        <label for="confab-answer">{label}</label>
                        <div class="row">
                            <input
                                id="confab-answer"
                                type=kind
                                autocomplete=autocomplete
                                maxlength="1000"
                                node_ref=field
                                prop:value=move || value.get()
                                on:input=move |ev| value.set(event_target_value(&ev))
                            />
                            <button type="submit">"Send"</button>
                        </div>
                    </form>
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
                view! { <EmailForm on_submit=Callback::new(move |email| ctx.book(slot.clone(), email, true))/> }
                    .into_any()
            }
            Input::Booking => view! { <p class="note" role="status">"Booking your meeting…"</p> }.into_any(),
            Input::Ended => view! { <p class="note">"This conversation has ended."</p> }.into_any(),
            Input::Unavailable(reason) => view! { <p class="note" role="alert">{reason}</p> }.into_any(),
        }
    };
    let back_view = {
        let ctx = ctx.clone();
        move || {
            let answering = matches!(ctx.input.get(), Input::Choices(_) | Input::Capture(_) | Input::Slots(_));
            let ctx = ctx.clone();
            (answering && ctx.can_back.get()).then(|| {
                view! { <button type="button" class="more" on:click=move |_| ctx.back()>"Back"</button> }
            })
        }
    };
    // Links are rendered as text with an href, never as HTML; the address is https only.
    let documents = ctx.documents;
    let documents_view = move || {
        let documents = documents.get();
        (!documents.is_empty()).then(|| {
            view! {
                <nav class="note" aria-label="Documents">
                    {documents
                        .into_iter()
                        .map(|(title, url)| view! { <a href=url target="_blank" rel="noopener">{title}</a>" " })
                        .collect_view()}
                </nav>
            }
        })
    };
    view! {
        <div class="chat" role="dialog" aria-label=move || format!("Chat with {}", bot_name.get()) style=move || format!("--accent:{}", accent.get())>
            <style>{CSS}</style>
            <header class="head">
                <span class="name">{move || bot_name.get()}</span>
                <button type="button" class="close" aria-label="Close chat" on:click=close>"×"</button>
            </header>
            <Transcript lines=ctx.lines typing=ctx.typing/>
            <div class="input">{documents_view}{input_view}{back_view}</div>
        </div>
    }
}
