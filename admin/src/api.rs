//! The admin's only network access: `/api/admin/v1` on its own origin, with the session cookie.

use confab_domain::api::{ErrorBody, Meetings, Routing, SignIn};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

/// A failed call: the HTTP status (0 for network failures) and a sentence to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// What to show.
    pub message: String,
}

fn network() -> ApiError {
    ApiError { status: 0, message: "The server could not be reached.".into() }
}

async fn call(method: &str, path: &str, body: Option<JsValue>) -> Result<(u16, JsValue), ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        let json = js_sys::JSON::stringify(&body).map_err(|_| network())?;
        init.set_body(&json);
        let headers = web_sys::Headers::new().map_err(|_| network())?;
        headers.set("Content-Type", "application/json").map_err(|_| network())?;
        init.set_headers(&headers);
    }
    let request = Request::new_with_str_and_init(&format!("/api/admin/v1/{path}"), &init).map_err(|_| network())?;
    let window = web_sys::window().ok_or_else(network)?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.and_then(JsCast::dyn_into).map_err(|_| network())?;
    let status = response.status();
    // Only read a body that exists: `json()` on an empty 204 rejects.
    let json = match status {
        204 => JsValue::NULL,
        _ => match response.json() {
            Ok(p) => JsFuture::from(p).await.unwrap_or(JsValue::NULL),
            Err(_) => JsValue::NULL,
        },
    };
    if response.ok() {
        return Ok((status, json));
    }
    let message = serde_wasm_bindgen::from_value::<ErrorBody>(json)
        .map(|b| b.error.message)
        .unwrap_or_else(|_| format!("The server answered {status}."));
    Err(ApiError { status, message })
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let (_, json) = call("GET", path, None).await?;
    serde_wasm_bindgen::from_value(json)
        .map_err(|_| ApiError { status: 0, message: "Unexpected answer from the server.".into() })
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    serde_wasm_bindgen::to_value(value).map_err(|_| network())
}

/// Signs in.
pub async fn sign_in(email: String, password: String) -> Result<(), ApiError> {
    call("POST", "session", Some(to_js(&SignIn { email, password })?)).await.map(|_| ())
}

/// Signs out.
pub async fn sign_out() -> Result<(), ApiError> {
    call("DELETE", "session", None).await.map(|_| ())
}

/// The signed-in admin's email, or an error with status 401.
pub async fn whoami() -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct Me {
        email: String,
    }
    get::<Me>("session").await.map(|m| m.email)
}

/// Meetings, optionally only those with `status`.
pub async fn meetings(status: Option<String>) -> Result<Meetings, ApiError> {
    match status {
        Some(s) => get(&format!("meetings?status={}", String::from(js_sys::encode_uri_component(&s)))).await,
        None => get("meetings").await,
    }
}

/// Sets a meeting's status (`canceled`, `completed`, `no_show`).
pub async fn set_status(id: String, status: &str) -> Result<(), ApiError> {
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"status".into(), &status.into());
    call("PATCH", &format!("meetings/{id}"), Some(body.into())).await.map(|_| ())
}

/// One entry of a meeting's history.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct HistoryEvent {
    /// When, RFC 3339.
    pub at: String,
    /// What happened.
    pub kind: String,
    /// Who did it.
    pub actor: String,
    /// Details, e.g. the old and new time.
    pub detail: String,
}

/// A meeting's history, oldest first.
pub async fn history(id: String) -> Result<Vec<HistoryEvent>, ApiError> {
    #[derive(serde::Deserialize)]
    struct History {
        events: Vec<HistoryEvent>,
    }
    get::<History>(&format!("meetings/{id}/history")).await.map(|h| h.events)
}

/// The routing state of the demo site's pool.
pub async fn routing() -> Result<Routing, ApiError> {
    get("routing").await
}
