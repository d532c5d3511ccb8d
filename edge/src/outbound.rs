//! Requests the edge sends to outside services (Marketo, calendar providers): one place that
//! builds them, bounds them in time and keeps the runtime's error text (which may contain a
//! URL with credentials in it) out of every message.

use futures_util::future::{Either, select};
use std::time::Duration;
use wasm_bindgen::JsValue;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, Response};

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unanswered {
    /// The request could not be built (a bad URL or header).
    Unbuildable,
    /// The connection failed.
    Unreachable,
    /// No answer within the time allowed, in milliseconds; the request was aborted.
    TimedOut(i64),
}

/// A request body and its media type.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub text: &'a str,
}

/// Sleeps `ms` (at least 1).
pub async fn sleep(ms: i64) {
    Delay::from(Duration::from_millis(u64::try_from(ms.max(1)).unwrap_or(1))).await;
}

/// Sends one request with `headers`, giving up after `timeout_ms` (the request is aborted).
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Body<'_>>,
    timeout_ms: i64,
) -> Result<Response, Unanswered> {
    let unbuildable = |_: worker::Error| Unanswered::Unbuildable;
    let all = Headers::new();
    for (name, value) in headers {
        all.set(name, value).map_err(unbuildable)?;
    }
    if let Some(body) = body {
        all.set("Content-Type", body.content_type).map_err(unbuildable)?;
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(all);
    if let Some(body) = body {
        init.with_body(Some(JsValue::from_str(body.text)));
    }
    let request = Request::new_with_init(url, &init).map_err(unbuildable)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let sending = Box::pin(fetch.send_with_signal(&signal));
    let timer = Box::pin(sleep(timeout_ms));
    match select(sending, timer).await {
        Either::Left((Ok(resp), _)) => Ok(resp),
        Either::Left((Err(_), _)) => Err(Unanswered::Unreachable),
        Either::Right(((), _)) => {
            controller.abort();
            Err(Unanswered::TimedOut(timeout_ms))
        }
    }
}

/// Reads a response's body as text within `timeout_ms` (a body can stall after the headers).
pub async fn text(resp: &mut Response, timeout_ms: i64) -> Result<String, Unanswered> {
    let reading = Box::pin(resp.text());
    let timer = Box::pin(sleep(timeout_ms));
    match select(reading, timer).await {
        Either::Left((Ok(text), _)) => Ok(text),
        Either::Left((Err(_), _)) => Err(Unanswered::Unreachable),
        Either::Right(((), _)) => Err(Unanswered::TimedOut(timeout_ms)),
    }
}
