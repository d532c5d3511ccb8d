//! The widget's only network access: the edge's `/api/v1` over `fetch`.

use crate::decode;
use confab_domain::api::{Booking, Bootstrap, Slot, Visitor};
use confab_domain::dialogue::Answer;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, RequestMode, Response};

/// A failed call, with a sentence fit for the visitor.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status (0 when the network failed).
    pub status: u16,
    /// The edge's error code, or `network`.
    pub code: String,
    /// What to tell the visitor.
    pub message: String,
}

impl ApiError {
    fn network() -> Self {
        ApiError {
            status: 0,
            code: "network".into(),
            message: "We could not reach the server. Please check your connection and try again.".into(),
        }
    }
}

/// The edge's widget API for one site.
#[derive(Debug, Clone)]
pub struct Api {
    /// `https://<edge>`.
    base: String,
    /// `https://<edge>/api/v1/sites/<site>`.
    prefix: String,
}

impl Api {
    /// The API of `site` on the edge at `base`.
    pub fn new(base: &str, site: &str) -> Self {
        Api { base: base.to_owned(), prefix: format!("{base}/api/v1/sites/{}", encode(site)) }
    }

    /// Whether `url` points at this edge (links the edge hands out, such as the invitation).
    pub fn is_own(&self, url: &str) -> bool {
        url.strip_prefix(&self.base).is_some_and(|rest| rest.starts_with('/'))
    }

    /// Branding and the dialogue to show on this page (the edge targets by URL and referrer,
    /// and says whether an agent is free for the rest of the visitor's day when the dialogue
    /// branches on it), with the JSON they were read from. `dialogue` asks for one dialogue by id
    /// (`Confab.start`).
    pub async fn bootstrap(&self, dialogue: Option<&str>) -> Result<(Bootstrap, JsValue), ApiError> {
        let page = |key: &str| {
            let location = js_sys::Reflect::get(&js_sys::global(), &key.into()).unwrap_or(JsValue::UNDEFINED);
            let field = if key == "location" { "href" } else { "referrer" };
            js_sys::Reflect::get(&location, &field.into()).ok().and_then(|v| v.as_string()).unwrap_or_default()
        };
        let mut path = format!(
            "/bootstrap?url={}&referrer={}&tz={}",
            encode(&page("location")),
            encode(&page("document")),
            encode(&crate::time::visitor_time_zone())
        );
        if let Some(mkto) = munchkin_cookie() {
            path += &format!("&mkto={}", encode(&mkto));
        }
        if let Some(dialogue) = dialogue {
            path += &format!("&dialogue={}", encode(dialogue));
        }
        read(self.call("GET", &path, None, None).await, decode::bootstrap_with_json)
    }

    /// Who the visitor is now (after a bootstrap that said Marketo was still being asked).
    pub async fn identity(&self) -> Result<Visitor, ApiError> {
        let path = match munchkin_cookie() {
            Some(mkto) => format!("/identity?mkto={}", encode(&mkto)),
            None => "/identity".into(),
        };
        read(self.call("GET", &path, None, None).await, decode::some_visitor)
    }

    /// Tells the edge the visitor's email (and other `fields` by lead field name, from
    /// `Confab.identify`): the lead is found or created, and the page's Munchkin cookie tied to
    /// it. Refused for a blocked domain.
    pub async fn identify(
        &self,
        email: &str,
        visitor_id: &str,
        fields: &[(String, String)],
    ) -> Result<Visitor, ApiError> {
        let mkto = munchkin_cookie();
        let body =
            decode::object(&[("email", Some(email)), ("mkto", mkto.as_deref()), ("visitor_id", Some(visitor_id))]);
        let extra = js_sys::Object::new();
        for (name, value) in fields {
            let _ = js_sys::Reflect::set(&extra, &JsValue::from_str(name), &JsValue::from_str(value));
        }
        let _ = js_sys::Reflect::set(&body, &"fields".into(), &extra);
        read(self.call("POST", "/identify", Some(body), None).await, decode::some_visitor)
    }

    /// Records what the visitor did (`triggered`, `engaged`, `answer`, `capture`, `goal`,
    /// `completed`, `closed`). The chat never waits for it. Returns the request's body when
    /// the network did not carry it (offline), for the loader to send again once the
    /// connection is back, so an answer given offline still reaches the edge; an event the edge
    /// refused is dropped. The body carries a random id, so an event sent again after only its
    /// response was lost is stored once.
    pub async fn event(
        &self,
        ids: &Ids,
        dialogue: &str,
        version: u32,
        kind: &str,
        card: Option<&str>,
        value: Option<&str>,
    ) -> Option<JsValue> {
        let mkto = munchkin_cookie();
        let body = decode::object(&[
            ("visitor_id", Some(&ids.visitor)),
            ("session_id", Some(&ids.session)),
            ("dialogue", Some(dialogue)),
            ("kind", Some(kind)),
            ("card", card),
            ("value", value),
            ("mkto", mkto.as_deref()),
            ("id", random_key().as_deref()),
        ]);
        let _ = js_sys::Reflect::set(&body, &"version".into(), &JsValue::from(version));
        match self.call("POST", "/events", Some(body.clone()), None).await {
            Err(ApiError { status: 0, .. }) => Some(body),
            _ => None,
        }
    }

    /// Free slots from now, in the visitor's zone.
    pub async fn slots(&self, days: u32, tz: &str, minutes: u32) -> Result<Vec<Slot>, ApiError> {
        let path = format!("/slots?days={days}&tz={}&duration={minutes}", encode(tz));
        read(self.call("GET", &path, None, None).await, decode::slots)
    }

    /// Books `start` for `email`: a meeting of `minutes` for the visitor `visitor_id` in
    /// `dialogue_id` (each left out when empty), with the visitor's `answers` for routing rules
    /// (the latest per card). The body is [`confab_domain::api::BookingRequest`], written
    /// straight into JavaScript without building one.
    pub async fn book(
        &self,
        start: &str,
        email: &str,
        visitor_id: &str,
        minutes: u32,
        dialogue_id: &str,
        answers: &[Answer],
    ) -> Result<Booking, ApiError> {
        fn given(s: &str) -> Option<&str> {
            Some(s).filter(|s| !s.is_empty())
        }
        let body = decode::object(&[
            ("start", Some(start)),
            ("email", Some(email)),
            ("visitor_id", given(visitor_id)),
            ("dialogue_id", given(dialogue_id)),
        ]);
        let _ = js_sys::Reflect::set(&body, &"duration_minutes".into(), &JsValue::from(minutes));
        // By card; a later answer to the same card replaces the earlier one.
        let by_card = js_sys::Object::new();
        for answer in answers {
            let _ =
                js_sys::Reflect::set(&by_card, &JsValue::from_str(&answer.card.0), &JsValue::from_str(&answer.value));
        }
        let _ = js_sys::Reflect::set(&body, &"answers".into(), &by_card);
        // One key per attempt: if the network drops the answer, the retry gets the same meeting.
        let key = random_key();
        // An answer that cannot be read counts as a network failure, and is tried again too.
        match read(self.call("POST", "/bookings", Some(body.clone()), key.as_deref()).await, decode::booking) {
            Err(e) if e.status == 0 && key.is_some() => {
                read(self.call("POST", "/bookings", Some(body), key.as_deref()).await, decode::booking)
            }
            other => other,
        }
    }

    /// Calls the edge and returns the JSON of a successful answer. Not generic over what is
    /// read from it, so that its future is compiled once.
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<JsValue>,
        idempotency_key: Option<&str>,
    ) -> Result<JsValue, ApiError> {
        let init = RequestInit::new();
        init.set_method(method);
        init.set_mode(RequestMode::Cors);
        if let Some(body) = body {
            let json = js_sys::JSON::stringify(&body).map_err(|_| ApiError::network())?;
            init.set_body(&json);
            let headers = web_sys::Headers::new().map_err(|_| ApiError::network())?;
            headers.set("Content-Type", "application/json").map_err(|_| ApiError::network())?;
            if let Some(key) = idempotency_key {
                headers.set("Idempotency-Key", key).map_err(|_| ApiError::network())?;
            }
            init.set_headers(&headers);
        }
        let request = Request::new_with_str_and_init(&format!("{}{path}", self.prefix), &init)
            .map_err(|_| ApiError::network())?;
        let window = web_sys::window().ok_or_else(ApiError::network)?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .and_then(JsCast::dyn_into)
            .map_err(|_| ApiError::network())?;
        let status = response.status();
        let json = match response.json() {
            Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        };
        if response.ok() {
            return Ok(json);
        }
        let (code, message) = match decode::error(&json) {
            Some(pair) => pair,
            None if status == 403 => ("origin_not_allowed".into(), "This chat is not enabled on this page.".into()),
            None => ("unknown".into(), "Something went wrong. Please try again.".into()),
        };
        Err(ApiError { status, code, message })
    }
}

/// What `reader` makes of a successful answer; an answer it cannot read is a network failure.
fn read<T>(answer: Result<JsValue, ApiError>, reader: fn(&JsValue) -> Option<T>) -> Result<T, ApiError> {
    reader(&answer?).ok_or_else(ApiError::network)
}

/// The visitor's ids: one kept in the host page's `localStorage` (across visits) and one in
/// its `sessionStorage` (this browsing session). Ids already stored are read when the chat
/// opens; new ones are written only once the visitor interacts with the chat ([`Ids::keep`]),
/// and where storage is refused they live as long as the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids {
    /// Across visits.
    pub visitor: String,
    /// This session.
    pub session: String,
}

/// Where the ids are kept: (storage, key).
const VISITOR_KEY: (&str, &str) = ("localStorage", "confab_vid");
const SESSION_KEY: (&str, &str) = ("sessionStorage", "confab_sid");

impl Ids {
    /// The stored ids, or new ones (not written yet).
    pub fn load() -> Self {
        let read = |(storage, key): (&str, &str)| {
            storage_get(storage, key)
                .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                .unwrap_or_else(|| random_key().unwrap_or_else(|| format!("v{}", js_sys::Date::now() as u64)))
        };
        Ids { visitor: read(VISITOR_KEY), session: read(SESSION_KEY) }
    }

    /// Writes both ids (the visitor has interacted with the chat).
    pub fn keep(&self) {
        storage_set(VISITOR_KEY.0, VISITOR_KEY.1, &self.visitor);
        storage_set(SESSION_KEY.0, SESSION_KEY.1, &self.session);
    }
}

/// `window[storage].getItem(key)`; `None` when absent or when storage is refused.
fn storage_get(storage: &str, key: &str) -> Option<String> {
    let store = js_sys::Reflect::get(&js_sys::global(), &storage.into()).ok()?;
    let get: js_sys::Function = js_sys::Reflect::get(&store, &"getItem".into()).ok()?.dyn_into().ok()?;
    get.call1(&store, &key.into()).ok()?.as_string()
}

/// `window[storage].setItem(key, value)`, or `removeItem` when `value` is empty; a refusal
/// (private mode, quota, sandbox) is ignored.
fn storage_set(storage: &str, key: &str, value: &str) {
    let _ = (|| -> Option<()> {
        let store = js_sys::Reflect::get(&js_sys::global(), &storage.into()).ok()?;
        let method = if value.is_empty() { "removeItem" } else { "setItem" };
        let f: js_sys::Function = js_sys::Reflect::get(&store, &method.into()).ok()?.dyn_into().ok()?;
        f.call2(&store, &key.into(), &value.into()).ok()?;
        Some(())
    })();
}

/// The host page's Munchkin tracking cookie (`_mkto_trk`), read when the chat opens.
fn munchkin_cookie() -> Option<String> {
    let document = js_sys::Reflect::get(&js_sys::global(), &"document".into()).ok()?;
    let cookies = js_sys::Reflect::get(&document, &"cookie".into()).ok()?.as_string()?;
    cookies.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == "_mkto_trk" && !value.is_empty()).then(|| value.to_owned())
    })
}

/// A fresh random key from `crypto.randomUUID()`, if the browser has it.
fn random_key() -> Option<String> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let uuid: js_sys::Function = js_sys::Reflect::get(&crypto, &"randomUUID".into()).ok()?.dyn_into().ok()?;
    uuid.call0(&crypto).ok()?.as_string()
}

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}
