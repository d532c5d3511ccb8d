//! The chat panel and the conversation. [`mount`] draws the panel; [`Ctx`] runs the dialogue
//! engine from `confab-domain` and interprets its effects: bot messages (after the configured
//! typing delay), buttons, captures (email, phone, text) with the engine's reasons for refusing
//! an answer, document links, goals (forwarded as `goal_reached`), slot offers, the email
//! capture and the booking.
//!
//! The view is drawn with `dom.rs` where it changes: `say` appends a line to the transcript,
//! `show` replaces what is below it (`render`), and one listener on the panel takes every
//! click and submit, which the controls route with `data-a` (and `data-i`, a position in the
//! list shown).
//!
//! Once the visitor has interacted (opened the chat themselves, or answered), the conversation
//! is handed to the loader to keep (`saved.rs`) at each point where it waits for them, and the
//! chat resumes from there on the next page. Before that nothing is stored.
//!
//! What is DOM and storage glue lives in the loader, where it is far smaller than in wasm: the
//! chat sends it messages through `emit` (`style`, `look`, `input`, `said`, `interacted`,
//! `keep`, `unsent`; see `widget.js`).

use crate::api::{Api, Ids};
use crate::kept::Kept;
use crate::saved::{self, Conversation};
use crate::transcript::{Line, Speaker, Transcript};
use crate::{answer_form, decode, dom, slot_picker, time};
use confab_domain::api::{Branding, PublishedDialogue, Slot, Visitor};
use confab_domain::dialogue::{CaptureKind, Card, Choice, Context, Effect, Event, Flow, State, step};
use confab_domain::email::Email;
use js_sys::{Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;

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
struct Ctx(Rc<Shared>);

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
    /// The panel's root (`.chat`), labelled with the bot's name.
    root: Element,
    /// The bot's name in the header.
    name: Element,
    transcript: Transcript,
    /// Where the document links are listed (only ever appended to, so adding one does not
    /// redraw the input).
    links: Element,
    /// Where the input and the Back or Try again button are drawn.
    area: Element,
    lines: Kept<Vec<Line>>,
    input: Kept<Input>,
    /// How many slots the picker shows.
    shown: Kept<usize>,
    flow: Kept<Option<Flow>>,
    /// The running dialogue as the edge sent it, kept with the conversation.
    json: Kept<JsValue>,
    state: Kept<State>,
    delay_ms: Kept<u32>,
    engaged: Kept<bool>,
    /// Whether the visitor can go back to the previous question or capture.
    can_back: Kept<bool>,
    /// Documents shown so far: (title, `https://` address, or a link of this edge).
    documents: Kept<Vec<(String, String)>>,
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
        let line = Line { from, text };
        self.transcript.add(&line);
        self.transcript.scroll();
        self.lines.update_value(|lines| lines.push(line));
        self.changed();
    }

    /// Shows `input` below the transcript.
    fn show(&self, input: Input) {
        if let Input::Slots(slots) = &input {
            self.shown.set_value(slot_picker::PAGE.min(slots.len()));
        }
        self.input.set_value(input);
        self.render();
        self.changed();
    }

    /// Adds a document link below the transcript.
    fn document(&self, title: String, url: String) {
        self.link(&title, &url);
        self.documents.update_value(|docs| docs.push((title, url)));
    }

    /// Lists a document link: text with an `https://` address (or one of this edge), never HTML.
    fn link(&self, title: &str, url: &str) {
        let nav = match self.links.first_element_child() {
            Some(nav) => nav,
            None => dom::add(&self.links, "nav", &[("class", "note"), ("aria-label", "Documents")], ""),
        };
        dom::add(&nav, "a", &[("href", url), ("target", "_blank"), ("rel", "noopener")], title);
        let _ = nav.append_with_str_1(" ");
    }

    /// Draws what is below the transcript and its documents: the input and the Back or Try
    /// again button.
    fn render(&self) {
        let area = &self.area;
        area.set_text_content(None);
        let input = self.input.get_value();
        let form = |spec| answer_form::add(area, &spec);
        match &input {
            Input::Wait => {}
            Input::Choices(choices) => {
                let group =
                    dom::add(area, "div", &[("class", "choices"), ("role", "group"), ("aria-label", "Answers")], "");
                for (i, choice) in choices.iter().enumerate() {
                    let i = i.to_string();
                    let attributes = [("type", "button"), ("class", "choice"), ("data-a", "c"), ("data-i", &i)];
                    dom::add(&group, "button", &attributes, &choice.label);
                }
            }
            Input::Capture(kind) => {
                let (kind, autocomplete, label) = match kind {
                    CaptureKind::Email => ("email", "email", "Your email"),
                    CaptureKind::Phone => ("tel", "tel", "Your phone number"),
                    CaptureKind::Text => ("text", "off", "Your answer"),
                };
                form(answer_form::Spec {
                    id: "confab-answer",
                    label,
                    kind,
                    autocomplete,
                    maxlength: "1000",
                    button: "Send",
                    checked: false,
                });
            }
            Input::LoadingSlots => note(area, "status", "Looking for free times…"),
            Input::Slots(slots) => slot_picker::add(area, slots, self.shown.get_value()),
            Input::Email(_) => form(answer_form::Spec {
                id: "confab-email",
                label: "Your email",
                kind: "email",
                autocomplete: "email",
                maxlength: "254",
                button: "Book",
                checked: true,
            }),
            Input::Booking => note(area, "status", "Booking your meeting…"),
            Input::Ended => note(area, "", "This conversation has ended."),
            Input::Failed(reason, _) => note(area, "alert", reason),
        }
        // Below the input: Try again after a failed call, or Back while the visitor is answering.
        let more = match input {
            Input::Failed(_, Some(_)) => "Try again",
            Input::Choices(_) | Input::Capture(_) | Input::Slots(_) if self.can_back.get_value() => "Back",
            _ => return,
        };
        dom::add(area, "button", &[("type", "button"), ("class", "more"), ("data-a", "m")], more);
    }

    /// The conversation changed: it is kept, and the loader moves focus to new controls.
    fn changed(&self) {
        let busy = self.input.with_value(|i| matches!(i, Input::Wait | Input::LoadingSlots | Input::Booking));
        self.save();
        self.events.emit("input", &busy.into());
    }

    async fn bot(&self, text: String) {
        let generation = self.generation.get_value();
        self.transcript.typing(true);
        sleep(self.delay_ms.get_value()).await;
        if self.generation.get_value() != generation {
            return;
        }
        self.transcript.typing(false);
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
        let slot = match self.input.get_value() {
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
            lines: self.lines.get_value(),
            documents: self.documents.get_value(),
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
        self.can_back.set_value(saved.state.can_go_back(&flow));
        self.flow.set_value(Some(flow));
        self.dialogue.set_value((dialogue.id, dialogue.version));
        self.json.set_value(saved.dialogue);
        self.state.set_value(saved.state);
        for line in &saved.lines {
            self.transcript.add(line);
        }
        self.transcript.scroll();
        for (title, url) in &saved.documents {
            self.link(title, url);
        }
        self.lines.set_value(saved.lines);
        self.documents.set_value(saved.documents);
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
        self.name.set_text_content(Some(&branding.bot_name));
        dom::set(&self.root, "aria-label", &format!("Chat with {}", branding.bot_name));
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
        self.transcript.clear();
        self.links.set_text_content(None);
        self.lines.set_value(Vec::new());
        self.documents.set_value(Vec::new());
        self.show(Input::Wait);
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

    /// A click or a submit in the panel: the control says what it is with `data-a` (and
    /// `data-i`, its position in the list shown).
    fn handle(&self, event: &web_sys::Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if event.type_() == "submit" {
            event.prevent_default();
            self.submit(&target);
            return;
        }
        let Some(control) = target.closest("[data-a]").ok().flatten() else { return };
        let i = control.get_attribute("data-i").and_then(|i| i.parse::<usize>().ok()).unwrap_or(0);
        match (control.get_attribute("data-a").as_deref(), self.input.get_value()) {
            (Some("c"), Input::Choices(mut choices)) if i < choices.len() => self.choose(choices.swap_remove(i)),
            (Some("s"), Input::Slots(mut slots)) if i < slots.len() => self.pick(slots.swap_remove(i)),
            (Some("t"), Input::Slots(slots)) => {
                // More times: the first of them takes the focus the removed button had.
                let first = self.shown.get_value();
                self.shown.set_value((first + slot_picker::PAGE).min(slots.len()));
                self.render();
                let next = dom::find(&self.area, &format!("[data-i=\"{first}\"]"));
                if let Some(next) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                    let _ = next.focus();
                }
            }
            (Some("m"), Input::Failed(_, Some(again))) => self.again(again),
            (Some("m"), _) => self.back(),
            (Some("r"), _) => self.restart(),
            (Some("x"), _) => self.events.emit("close", &JsValue::NULL),
            _ => {}
        }
    }

    /// The answer form was sent: a capture's answer, or the email a booking needs (checked
    /// here first, and refused under the input).
    fn submit(&self, form: &Element) {
        let Some(input) = dom::find(form, "input").and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let typed = input.value();
        match self.input.get_value() {
            Input::Capture(kind) => self.answer(typed, kind),
            Input::Email(slot) => match checked_email(&typed) {
                Ok(email) => self.book(slot, email, true),
                Err(why) => answer_form::refuse(form, &why),
            },
            _ => {}
        }
    }

    /// The connection is back: what failed for want of it runs again (the loader sends the
    /// events it did not carry).
    fn online(&self) {
        if let Input::Failed(_, Some(again)) = self.input.get_value() {
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
                self.can_back.set_value(can_back);
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
                    self.document(title, url);
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
                        ctx.document("Add to your calendar (.ics)".into(), url);
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

/// A line of status below the transcript (`role`: `status`, `alert`, or none when empty).
fn note(parent: &Element, role: &str, text: &str) {
    let element = dom::add(parent, "p", &[("class", "note")], text);
    if !role.is_empty() {
        dom::set(&element, "role", role);
    }
}

/// Draws the chat panel in `panel` and starts the conversation: the one kept in this tab, or
/// the dialogue the edge picks for this page.
pub fn mount(panel: &Element, base: &str, site: &str, events: Events, options: Options) {
    let root = dom::add(
        panel,
        "div",
        &[("class", "chat"), ("role", "dialog"), ("tabindex", "-1"), ("aria-label", "Chat with Chat")],
        "",
    );
    let head = dom::add(&root, "header", &[("class", "head")], "");
    let who = dom::add(&head, "div", &[("class", "who")], "");
    dom::add(&who, "img", &[("class", "avatar"), ("alt", ""), ("hidden", "")], "");
    let name = dom::add(&who, "span", &[("class", "name")], "Chat");
    let tools = dom::add(&head, "div", &[("class", "tools")], "");
    let restart =
        [("type", "button"), ("class", "restart"), ("aria-label", "Restart the conversation"), ("data-a", "r")];
    dom::add(&tools, "button", &restart, "Restart");
    dom::add(
        &tools,
        "button",
        &[("type", "button"), ("class", "close"), ("aria-label", "Close chat"), ("data-a", "x")],
        "×",
    );
    // The loader writes here while the browser is offline (and empties it once online).
    dom::add(&root, "p", &[("class", "offline"), ("role", "status")], "");
    let transcript = Transcript::new(&root);
    let below = dom::add(&root, "div", &[("class", "input")], "");
    let links = dom::add(&below, "div", &[], "");
    let area = dom::add(&below, "div", &[], "");
    let privacy = [("class", "privacy"), ("hidden", ""), ("target", "_blank"), ("rel", "noopener noreferrer")];
    dom::add(&below, "a", &privacy, "Privacy policy");
    let ctx = Ctx(Rc::new(Shared {
        api: Api::new(base, site),
        events,
        root: root.clone(),
        name,
        transcript,
        links,
        area,
        lines: Kept::new(Vec::new()),
        input: Kept::new(Input::Wait),
        shown: Kept::new(0),
        flow: Kept::new(None),
        json: Kept::new(JsValue::NULL),
        state: Kept::new(State::default()),
        delay_ms: Kept::new(0),
        engaged: Kept::new(false),
        can_back: Kept::new(false),
        documents: Kept::new(Vec::new()),
        context: Kept::new(Context::default()),
        ids: Kept::new(Ids::load()),
        dialogue: Kept::new((String::new(), 0)),
        duration: Kept::new(30),
        interacted: Kept::new(false),
        generation: Kept::new(0),
    }));
    // One listener for every button and form of the panel, which say what they are with
    // `data-a` (and `data-i`, a position in the list shown).
    let handler = {
        let ctx = ctx.clone();
        Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| ctx.handle(&event))
    };
    for kind in ["click", "submit"] {
        let _ = root.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    }
    handler.forget();
    CHAT.with(|c| *c.borrow_mut() = Some(ctx.clone()));
    let resumed = ctx.resume(&options.kept);
    if options.visitor {
        ctx.interact();
    }
    ctx.boot(options.dialogue, resumed);
}
