//! `Chat`: the conversation. It runs the dialogue engine from `confab-domain` and interprets
//! its effects: bot messages (after the configured typing delay), buttons, captures (email,
//! phone, text) with the engine's reasons for refusing an answer, document links, goals
//! (forwarded as `goal_reached`), slot offers, the email capture and the booking.
//!
//! Once the visitor has interacted (opened the chat themselves, or answered), the conversation
//! is handed to the loader to keep (`saved.rs`) at each point where it waits for them, and the
//! chat resumes from there on the next page. Before that nothing is stored.
//!
//! What is DOM and storage glue lives in the loader, where it is far smaller than in wasm: the
//! chat sends it messages through `emit` (`style`, `look`, `input`, `said`, `interacted`,
//! `keep`, `unsent`; see `widget.js`).

use crate::answer_form::AnswerForm;
use crate::api::{Api, Ids};
use crate::kept::Kept;
use crate::saved::{self, Conversation};
use crate::slot_picker::SlotPicker;
use crate::transcript::{Line, Speaker, Transcript};
use crate::{decode, time};
use confab_domain::api::{Branding, PublishedDialogue, Slot, Visitor};
use confab_domain::dialogue::{CaptureKind, Card, Choice, Context, Effect, Event, Flow, State, step};
use confab_domain::email::Email;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;

/// Forwards chat events (`triggered`, `engaged`, `completed`, `email_captured`,
/// `meeting_booked`, `goal_reached`) and the `close` request to the loader.
#[derive(Clone)]
pub struct Events(pub js_sys::Function);

impl Events {
    /// Calls `emit(name, detail)`.
    pub fn emit(&self, name: &str, detail: &JsValue) {
        let _ = self.0.call2(&JsValue::NULL, &name.into(), detail);
    }
}

/// What the loader says when it mounts the chat.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The visitor opened the chat themselves (now or earlier in this tab), so ids and the
    /// conversation may be stored. `false` when the page opened it (`Confab.open()`).
    pub visitor: bool,
    /// The dialogue `Confab.start(id)` asked for.
    pub dialogue: Option<String>,
    /// The conversation kept in this tab (see `saved.rs`), or `undefined`.
    pub kept: JsValue,
}

thread_local! {
    /// The chat the loader's later commands go to, once it has rendered.
    static CHAT: RefCell<Option<Ctx>> = const { RefCell::new(None) };
}

/// Runs the loader's `command` with `arg` (`open` with `{visitor}`, `close`, `start` with a
/// dialogue id, `identify` with `{email, firstName, …}`); ignored before the chat has rendered.
pub fn command(command: &str, arg: JsValue) {
    let chat = CHAT.with(|c| c.borrow().clone());
    if let Some(chat) = chat {
        chat.command(command, arg);
    }
}

/// What the visitor can do right now, below the transcript.
#[derive(Clone, Debug)]
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
    /// The chat cannot go on: the reason, and what a Try again button (or the connection
    /// coming back) runs again, when trying again can help.
    Failed(String, Option<Again>),
}

/// What a [`Input::Failed`] runs again.
#[derive(Clone, Debug)]
enum Again {
    /// The bootstrap, for the dialogue `Confab.start` named.
    Boot(Option<String>),
    /// Fetching slots; `true` to announce them.
    Slots(bool),
}

/// The chat's handle, shared by every handler and background job: one reference count to
/// clone and drop instead of each field's.
#[derive(Clone)]
struct Ctx(Arc<Shared>);

impl std::ops::Deref for Ctx {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`Ctx`] shares.
struct Shared {
    api: Api,
    events: Events,
    lines: RwSignal<Vec<Line>>,
    input: RwSignal<Input>,
    typing: RwSignal<bool>,
    flow: Kept<Option<Flow>>,
    /// The running dialogue as the edge sent it, kept with the conversation.
    json: Kept<JsValue>,
    state: Kept<State>,
    delay_ms: Kept<u32>,
    engaged: Kept<bool>,
    /// Whether the visitor can go back to the previous question or capture.
    can_back: RwSignal<bool>,
    /// Documents shown so far: (title, `https://` address, or a link of this edge).
    documents: RwSignal<Vec<(String, String)>>,
    /// What the engine knows about the visitor: the lead's fields once they are known.
    context: Kept<Context>,
    /// The visitor's and the session's ids.
    ids: Kept<Ids>,
    /// The dialogue running and its version, for events.
    dialogue: Kept<(String, u32)>,
    /// The length of the meeting the booking card offers, in minutes.
    duration: Kept<u32>,
    /// The visitor has interacted: ids and the conversation may be stored.
    interacted: Kept<bool>,
    /// Bumped when the conversation starts over; what an older one still had to say is dropped.
    generation: Kept<u32>,
    bot_name: RwSignal<String>,
}

impl Ctx {
    /// Records what the visitor did, in the background.
    fn track(&self, kind: &'static str, card: Option<String>, value: Option<String>) {
        let (dialogue, version) = self.dialogue.get_value();
        if dialogue.is_empty() {
            return;
        }
        let (ctx, ids) = (self.clone(), self.ids.get_value());
        spawn_local(async move {
            if let Some(body) = ctx.api.event(&ids, &dialogue, version, kind, card.as_deref(), value.as_deref()).await {
                ctx.events.emit("unsent", &body);
            }
        });
    }

    /// An event's detail: the dialogue, its version and `extra`.
    fn detail(&self, extra: &[(&str, JsValue)]) -> JsValue {
        let (dialogue, version) = self.dialogue.get_value();
        let o: JsValue = Object::new().into();
        let known = !dialogue.is_empty();
        let _ = Reflect::set(&o, &"dialogue".into(), &if known { dialogue.into() } else { JsValue::NULL });
        let _ = Reflect::set(&o, &"version".into(), &if known { version.into() } else { JsValue::NULL });
        for (key, value) in extra {
            let _ = Reflect::set(&o, &(*key).into(), value);
        }
        o
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
        self.changed();
    }

    /// Shows `input` below the transcript.
    fn show(&self, input: Input) {
        self.input.set(input);
        self.changed();
    }

    /// The conversation changed: it is kept, and the loader moves focus to new controls.
    fn changed(&self) {
        let busy = self.input.with_untracked(|i| matches!(i, Input::Wait | Input::LoadingSlots | Input::Booking));
        self.save();
        self.events.emit("input", &busy.into());
    }

    async fn bot(&self, text: String) {
        let generation = self.generation.get_value();
        self.typing.set(true);
        sleep(self.delay_ms.get_value()).await;
        if self.generation.get_value() != generation {
            return;
        }
        self.typing.set(false);
        self.say(Speaker::Bot, text);
        self.events.emit("said", &JsValue::NULL);
    }

    /// The visitor interacted with the chat: from now on ids and the conversation are stored.
    fn interact(&self) {
        if self.interacted.get_value() {
            return;
        }
        self.interacted.set_value(true);
        self.ids.get_value().keep();
        self.events.emit("interacted", &JsValue::NULL);
        self.save();
    }

    /// Keeps the conversation for the next page, when the visitor has interacted and the chat
    /// waits for them (so what is kept is never half-played).
    fn save(&self) {
        if !self.interacted.get_value() || self.dialogue.with_value(|d| d.0.is_empty()) {
            return;
        }
        let slot = match self.input.get_untracked() {
            Input::Email(slot) => Some(slot),
            // Slots that could not be fetched are asked for again on the next page.
            Input::Choices(_)
            | Input::Capture(_)
            | Input::Slots(_)
            | Input::Ended
            | Input::Failed(_, Some(Again::Slots(_))) => None,
            Input::Wait | Input::LoadingSlots | Input::Booking | Input::Failed(..) => return,
        };
        let conversation = Conversation {
            dialogue: self.json.get_value(),
            state: self.state.get_value(),
            lines: self.lines.get_untracked(),
            documents: self.documents.get_untracked(),
            engaged: self.engaged.get_value(),
            slot,
        };
        self.events.emit("keep", &saved::write(&conversation));
    }

    /// Takes up the conversation kept in this tab, if any: the transcript as it was and the
    /// input the card waiting for the visitor calls for. Returns whether there was one.
    fn resume(&self, kept: &JsValue) -> bool {
        let Some((dialogue, saved)) = saved::read(kept) else { return false };
        let flow = dialogue.flow;
        let waiting = saved.state.waiting_at.as_ref().and_then(|c| flow.card(c));
        let input = match (waiting, saved.slot) {
            (Some(Card::Question { buttons, .. }), _) => Input::Choices(
                buttons.iter().map(|b| Choice { label: b.label.clone(), value: b.value.clone() }).collect(),
            ),
            (Some(Card::Capture { kind, .. }), _) => Input::Capture(*kind),
            (Some(Card::BookMeeting { duration_minutes, .. }), slot) => {
                self.duration.set_value(*duration_minutes);
                slot.map_or(Input::LoadingSlots, Input::Email)
            }
            _ if saved.state.ended => Input::Ended,
            _ => return false,
        };
        self.can_back.set(saved.state.can_go_back(&flow));
        self.flow.set_value(Some(flow));
        self.dialogue.set_value((dialogue.id, dialogue.version));
        self.json.set_value(saved.dialogue);
        self.state.set_value(saved.state);
        self.lines.set(saved.lines);
        self.documents.set(saved.documents);
        self.engaged.set_value(saved.engaged);
        if matches!(input, Input::LoadingSlots) {
            self.go(Job::Slots(false));
        }
        self.show(input);
        true
    }

    /// Asks the edge for the branding and the dialogue (`want`: the one `Confab.start` named)
    /// and starts it, unless the conversation taken up from this tab is that dialogue.
    fn boot(&self, want: Option<String>, resumed: bool) {
        let ctx = self.clone();
        spawn_local(async move {
            match ctx.api.bootstrap(want.as_deref()).await {
                Ok((boot, json)) => {
                    ctx.brand(&boot.branding, &decode::field(&json, "branding"));
                    let pending = boot.visitor.pending;
                    let free_today = boot.agents_free_today;
                    ctx.context.update_value(|c| c.agents_free_today = free_today);
                    ctx.know(boot.visitor);
                    if pending {
                        let ctx = ctx.clone();
                        spawn_local(async move { ctx.upgrade().await });
                    }
                    // A conversation already here is kept, unless `Confab.start` asked for
                    // another dialogue and the edge answered with it.
                    let running = ctx.dialogue.get_value().0;
                    let offered = boot.dialogue.as_ref().map(|d| d.id.as_str());
                    let keep = !running.is_empty()
                        && match want.as_deref() {
                            None => resumed,
                            Some(want) => offered != Some(want) || (want == running && !ctx.state.get_value().ended),
                        };
                    if !keep {
                        ctx.begin(boot.dialogue, decode::field(&json, "dialogue"));
                    }
                }
                Err(e) if !resumed => {
                    let again = (e.status == 0).then_some(Again::Boot(want));
                    ctx.show(Input::Failed(e.message, again));
                }
                Err(_) => {}
            }
        });
    }

    /// Applies the site's branding: the name and typing delay here; the look (colours, launcher
    /// side and offsets, font, avatar, privacy link), the teaser and the sound in the loader,
    /// given the branding as the edge sent it.
    fn brand(&self, branding: &Branding, json: &JsValue) {
        self.bot_name.set(branding.bot_name.clone());
        self.delay_ms.set_value(branding.typing_delay_ms.min(3000));
        self.events.emit("look", json);
    }

    /// Starts `dialogue` afresh (`json`: as the edge sent it).
    fn begin(&self, dialogue: Option<PublishedDialogue>, json: JsValue) {
        let Some(d) = dialogue else {
            self.show(Input::Failed("There is nobody to chat with right now.".into(), None));
            return;
        };
        self.clear();
        self.flow.set_value(Some(d.flow));
        self.dialogue.set_value((d.id, d.version));
        self.json.set_value(json);
        self.state.set_value(State::default());
        self.engaged.set_value(false);
        self.track("triggered", None, None);
        self.events.emit("triggered", &self.detail(&[]));
        self.go(Job::Step(Event::Start { version: d.version }));
    }

    /// Empties the transcript and drops what the conversation still had to say.
    fn clear(&self) {
        self.generation.update_value(|g| *g += 1);
        self.typing.set(false);
        self.show(Input::Wait);
        self.lines.set(Vec::new());
        self.documents.set(Vec::new());
    }

    /// The Restart button: the conversation starts over on the same dialogue version (after a
    /// failed start, the bootstrap is tried again).
    fn restart(&self) {
        self.interact();
        let (_, version) = self.dialogue.get_value();
        if self.flow.with_value(Option::is_none) {
            self.boot(None, false);
            return;
        }
        self.events.emit("keep", &JsValue::NULL);
        self.clear();
        let event = if self.state.get_value().started() { Event::Restart } else { Event::Start { version } };
        self.go(Job::Step(event));
    }

    /// `Confab.start(id)`: that dialogue, unless it is the one already running.
    fn start(&self, id: String) {
        let state = self.state.get_value();
        if self.dialogue.get_value().0 != id || !state.started() || state.ended {
            self.boot(Some(id), false);
        }
    }

    /// `Confab.identify({email, …})`: the fields join what the engine knows (tokens, skipped
    /// captures, branches) and a valid email goes to the edge like a typed one.
    fn identify_page(&self, who: &JsValue) {
        if !who.is_object() {
            return;
        }
        let mut email = None;
        let mut fields = Vec::new();
        for entry in Object::entries(who.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else { continue };
            if name == "email" {
                email = Email::parse(&value).ok().map(|e| e.to_string());
            } else if name.len() <= 100 && value.len() <= 1000 {
                fields.push((name, value));
            }
        }
        self.context.update_value(|c| {
            c.attributes.extend(fields.iter().cloned());
            if let Some(email) = &email {
                c.attributes.insert("email".into(), email.clone());
            }
        });
        if let Some(email) = email {
            self.go(Job::Identify(email, fields));
        }
    }

    /// The loader's commands (see [`command`]).
    fn command(&self, name: &str, arg: JsValue) {
        match name {
            "open" if decode::field(&arg, "visitor").as_bool() == Some(true) => self.interact(),
            "close" => self.track("closed", None, None),
            "start" => {
                if let Some(id) = arg.as_string() {
                    self.start(id);
                }
            }
            "identify" => self.identify_page(&arg),
            "online" => self.online(),
            _ => {}
        }
    }

    /// The connection is back: what failed for want of it runs again (the loader sends the
    /// events it did not carry).
    fn online(&self) {
        if let Input::Failed(_, Some(again)) = self.input.get_untracked() {
            self.again(again);
        }
    }

    /// Runs again what failed (the Try again button, or the connection coming back).
    fn again(&self, again: Again) {
        self.show(Input::Wait);
        match again {
            Again::Boot(want) => self.boot(want, false),
            Again::Slots(announce) => self.go(Job::Slots(announce)),
        }
    }

    /// Runs `job` in the background. Every step of the dialogue goes through here, so the
    /// engine's future is compiled once (awaiting it from each caller copies it into each
    /// caller's future: measured, about 0.8 KB of brotli'd wasm).
    fn go(&self, job: Job) {
        spawn_local(run(self.clone(), job));
    }

    /// Applies `event` to the dialogue and plays the resulting effects in order, with the
    /// lead's fields when the visitor is known (tokens personalise, known fields are not asked).
    async fn advance(&self, event: Event) {
        let generation = self.generation.get_value();
        let state = self.state.get_value();
        // The flow and the context are read where they are kept, never copied: only this step
        // needs them.
        let stepped = self.context.with_value(|context| {
            self.flow.with_value(|flow| {
                let flow = flow.as_ref()?;
                Some(
                    step(flow, &state, &event, context)
                        .map(|(state, effects)| (state.can_go_back(flow), state, effects)),
                )
            })
        });
        let Some(stepped) = stepped else { return };
        match stepped {
            Ok((can_back, state, effects)) => {
                self.can_back.set(can_back);
                self.state.set_value(state);
                let mut refused = false;
                for effect in effects {
                    if self.generation.get_value() != generation {
                        return;
                    }
                    refused = self.play(effect, refused).await;
                }
            }
            Err(e) => {
                self.bot(e.to_string()).await;
                self.show(Input::Ended);
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
                self.show(Input::Choices(choices));
            }
            Effect::Capture { text, kind, .. } => {
                if !refused {
                    self.bot(text).await;
                }
                self.show(Input::Capture(kind));
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
                self.events.emit("goal_reached", &self.detail(&[("name", name.into()), ("score", score.into())]));
            }
            Effect::SetField { field, value } => {
                if field == "email" {
                    self.events.emit("email_captured", &self.detail(&[("email", value.into())]));
                }
            }
            Effect::OfferSlots(minutes) => {
                self.duration.set_value(minutes);
                self.offer_slots(true).await
            }
            Effect::End => {
                self.track("completed", None, None);
                self.show(Input::Ended);
                self.events.emit("completed", &self.detail(&[]));
            }
        }
        false
    }

    /// Fetches free slots and shows them; `announce` says so in the transcript first (not when
    /// the conversation resumes on a page where the slots were already announced).
    async fn offer_slots(&self, announce: bool) {
        self.show(Input::LoadingSlots);
        match self.api.slots(14, &time::visitor_time_zone(), self.duration.get_value()).await {
            Ok(found) if found.is_empty() => {
                self.bot("Sorry, nobody has a free slot in the next two weeks. Please check back soon.".into()).await;
                self.show(Input::Ended);
            }
            Ok(found) => {
                if announce {
                    self.bot("Here are the next free times, in your time zone. Which suits you?".into()).await;
                }
                self.show(Input::Slots(found));
            }
            // Nothing said in the transcript: the reason and Try again stay below it until the
            // slots come.
            Err(e) => self.show(Input::Failed(e.message, Some(Again::Slots(announce)))),
        }
    }

    fn engage(&self) {
        if !self.engaged.get_value() {
            self.engaged.set_value(true);
            self.track("engaged", self.waiting_card(), None);
            let card = self.waiting_card().map_or(JsValue::NULL, JsValue::from);
            self.events.emit("engaged", &self.detail(&[("card", card)]));
        }
    }

    fn choose(&self, choice: Choice) {
        self.interact();
        self.engage();
        self.track("answer", self.waiting_card(), Some(choice.value.clone()));
        self.say(Speaker::Visitor, choice.label);
        self.show(Input::Wait);
        self.go(Job::Step(Event::Choose(choice.value)));
    }

    /// The visitor's typed answer to a capture; the engine checks it. An email is first
    /// given to the edge, which refuses blocked domains and makes the visitor known.
    fn answer(&self, text: String, kind: CaptureKind) {
        self.interact();
        self.engage();
        self.track("capture", self.waiting_card(), Some(text.clone()));
        self.say(Speaker::Visitor, text.clone());
        self.show(Input::Wait);
        let ctx = self.clone();
        spawn_local(async move {
            if kind == CaptureKind::Email && Email::parse(&text).is_ok() && !ctx.identify(&text).await {
                ctx.show(Input::Capture(kind));
                return;
            }
            ctx.go(Job::Step(Event::Answer(text)));
        });
    }

    /// Sends the email to the edge; `false` (after saying why) when the edge refuses it.
    /// Any other failure lets the conversation go on: the visitor is never blocked by ours.
    async fn identify(&self, email: &str) -> bool {
        match self.api.identify(email, &self.ids.get_value().visitor, &[]).await {
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
        self.interact();
        self.show(Input::Wait);
        self.go(Job::Step(Event::Back));
    }

    fn pick(&self, slot: Slot) {
        self.interact();
        self.say(Speaker::Visitor, time::slot_label(&slot.start));
        self.show(Input::Wait);
        // An email the visitor already gave in this conversation is not asked for again.
        let captured =
            self.flow.with_value(|flow| self.state.get_value().captured(flow.as_ref()?, "email").map(str::to_owned));
        if let Some(email) = captured {
            self.book(slot, email, false);
            return;
        }
        let ctx = self.clone();
        spawn_local(async move {
            ctx.bot("Great choice. What's your email address, so your agent can reach you?".into()).await;
            ctx.show(Input::Email(slot));
        });
    }

    /// Books `slot` for `email`; `typed` when the visitor just typed it in the email form.
    fn book(&self, slot: Slot, email: String, typed: bool) {
        if typed {
            self.interact();
            self.say(Speaker::Visitor, email.clone());
        }
        self.show(Input::Booking);
        let ctx = self.clone();
        spawn_local(async move {
            if typed && !ctx.identify(&email).await {
                ctx.show(Input::Email(slot));
                return;
            }
            let (visitor, dialogue) = (ctx.ids.get_value().visitor, ctx.dialogue.get_value().0);
            let answers = ctx.state.get_value().answers;
            match ctx.api.book(&slot.start, &email, &visitor, ctx.duration.get_value(), &dialogue, &answers).await {
                Ok(booking) => {
                    if typed {
                        ctx.events.emit("email_captured", &ctx.detail(&[("email", email.into())]));
                    }
                    let detail = ctx.detail(&[
                        ("meeting_id", booking.meeting_id.as_str().into()),
                        ("agent", booking.agent.name.as_str().into()),
                        ("agent_id", booking.agent.id.as_str().into()),
                        ("start", booking.start.as_str().into()),
                        ("end", booking.end.as_str().into()),
                    ]);
                    ctx.events.emit("meeting_booked", &detail);
                    let text =
                        format!("You're booked with {} on {}.", booking.agent.name, time::slot_label(&slot.start));
                    ctx.bot(text).await;
                    // The invitation link comes from this edge; any other address is not followed.
                    if let Some(url) = booking.invite_url.filter(|u| ctx.api.is_own(u)) {
                        ctx.documents.update(|docs| docs.push(("Add to your calendar (.ics)".into(), url)));
                    }
                    ctx.go(Job::Step(Event::Booked));
                }
                Err(e) if e.code == "slot_taken" || e.code == "not_a_slot" => {
                    ctx.bot(e.message).await;
                    ctx.go(Job::Slots(true));
                }
                Err(e) => {
                    ctx.bot(e.message).await;
                    ctx.show(Input::Email(slot));
                }
            }
        });
    }
}

/// Background work of the conversation.
enum Job {
    /// Apply this event to the dialogue and play its effects.
    Step(Event),
    /// Offer slots; `true` to announce them.
    Slots(bool),
    /// Tell the edge who the page says the visitor is: email and other lead fields.
    Identify(String, Vec<(String, String)>),
}

async fn run(ctx: Ctx, job: Job) {
    match job {
        Job::Step(event) => ctx.advance(event).await,
        Job::Slots(announce) => ctx.offer_slots(announce).await,
        Job::Identify(email, fields) => {
            if let Ok(visitor) = ctx.api.identify(&email, &ctx.ids.get_value().visitor, &fields).await {
                ctx.know(visitor);
            }
        }
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

/// The email a booking needs, as [`Email::parse`] reads it, or why not.
fn checked_email(typed: &str) -> Result<String, String> {
    Email::parse(typed).map(|email| email.to_string()).map_err(|e| e.to_string())
}

/// A line of status below the transcript. One view for every such line, as each distinct view
/// is code of its own in the wasm.
fn note(role: Option<&'static str>, text: String) -> AnyView {
    view! { <p class="note" role=role>{text}</p> }.into_any()
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
    /// How the loader opened the chat.
    options: Options,
) -> impl IntoView {
    let ctx = Ctx(Arc::new(Shared {
        api: Api::new(&base, &site),
        events,
        lines: RwSignal::new(Vec::new()),
        input: RwSignal::new(Input::Wait),
        typing: RwSignal::new(false),
        flow: Kept::new(None),
        json: Kept::new(JsValue::NULL),
        state: Kept::new(State::default()),
        delay_ms: Kept::new(0),
        engaged: Kept::new(false),
        can_back: RwSignal::new(false),
        documents: RwSignal::new(Vec::new()),
        context: Kept::new(Context::default()),
        ids: Kept::new(Ids::load()),
        dialogue: Kept::new((String::new(), 0)),
        duration: Kept::new(30),
        interacted: Kept::new(false),
        generation: Kept::new(0),
        bot_name: RwSignal::new(String::from("Chat")),
    }));
    CHAT.with(|c| *c.borrow_mut() = Some(ctx.clone()));
    let resumed = ctx.resume(&options.kept);
    if options.visitor {
        ctx.interact();
    }
    ctx.boot(options.dialogue, resumed);
    let close = {
        let ctx = ctx.clone();
        move |_| ctx.events.emit("close", &JsValue::NULL)
    };
    let restart = {
        let ctx = ctx.clone();
        move |_| ctx.restart()
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
                let (input, autocomplete, label) = match kind {
                    CaptureKind::Email => ("email", "email", "Your email"),
                    CaptureKind::Phone => ("tel", "tel", "Your phone number"),
                    CaptureKind::Text => ("text", "off", "Your answer"),
                };
                view! {
                    <AnswerForm id="confab-answer" label=label kind=input autocomplete=autocomplete maxlength="1000"
                        button="Send" on_submit=Callback::new(move |text| ctx.answer(text, kind))/>
                }
                .into_any()
            }
            Input::LoadingSlots => note(Some("status"), "Looking for free times…".into()),
            Input::Slots(slots) => {
                let ctx = ctx.clone();
                view! { <SlotPicker slots=slots on_pick=Callback::new(move |s| ctx.pick(s))/> }.into_any()
            }
            Input::Email(slot) => {
                let ctx = ctx.clone();
                view! {
                    <AnswerForm id="confab-email" label="Your email" kind="email" autocomplete="email" maxlength="254"
                        button="Book" check=checked_email on_submit=Callback::new(move |email| ctx.book(slot.clone(), email, true))/>
                }
                    .into_any()
            }
            Input::Booking => note(Some("status"), "Booking your meeting…".into()),
            Input::Ended => note(None, "This conversation has ended.".into()),
            // Its Try again button is the one below (one view for it and Back).
            Input::Failed(reason, _) => note(Some("alert"), reason),
        }
    };
    // Below the input: Try again after a failed call, or Back while the visitor is answering.
    let more_view = {
        let ctx = ctx.clone();
        move || {
            let (label, again) = match ctx.input.get() {
                Input::Failed(_, Some(again)) => ("Try again", Some(again)),
                Input::Choices(_) | Input::Capture(_) | Input::Slots(_) if ctx.can_back.get() => ("Back", None),
                _ => return None,
            };
            let ctx = ctx.clone();
            Some(view! {
                <button type="button" class="more" on:click=move |_| match again.clone() {
                    Some(again) => ctx.again(again),
                    None => ctx.back(),
                }>{label}</button>
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
    let bot_name = ctx.bot_name;
    view! {
        <div class="chat" role="dialog" tabindex="-1" aria-label=move || format!("Chat with {}", bot_name.get())>
            <header class="head">
                <div class="who">
                    <img class="avatar" alt="" hidden/>
                    <span class="name">{move || bot_name.get()}</span>
                </div>
                <div class="tools">
                    <button type="button" class="restart" aria-label="Restart the conversation" on:click=restart>
                        "Restart"
                    </button>
                    <button type="button" class="close" aria-label="Close chat" on:click=close>"×"</button>
                </div>
            </header>
            // The loader writes here while the browser is offline (and empties it once online).
            <p class="offline" role="status"></p>
            <Transcript lines=ctx.lines typing=ctx.typing/>
            <div class="input">
                {documents_view}
                {input_view}
                {more_view}
                <a class="privacy" hidden target="_blank" rel="noopener noreferrer">"Privacy policy"</a>
            </div>
        </div>
    }
}
