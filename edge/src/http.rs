//! Small HTTP helpers: JSON bodies with a size cap, JSON responses, query strings, cookies.

use crate::error::{ApiError, ApiResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Request, Response};

/// Largest JSON body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Reads and parses a JSON body, refusing bodies over [`MAX_BODY_BYTES`] and malformed JSON
/// with a message that says what was wrong.
pub async fn json_body<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    json_body_up_to(req, MAX_BODY_BYTES).await
}

/// [`json_body`] with a larger cap, for the few bodies that are documents (dialogues).
pub async fn json_body_up_to<T: DeserializeOwned>(req: &mut Request, max_bytes: usize) -> ApiResult<T> {
    let declared = req.headers().get("Content-Length")?.and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
    if declared > max_bytes {
        return Err(ApiError::TooLarge);
    }
    let bytes = req.bytes().await?;
    if bytes.len() > max_bytes {
        return Err(ApiError::TooLarge);
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request("invalid_json", format!("The request body is not valid JSON for this endpoint: {e}"))
    })
}

/// The admin API's `?site=` (the demo site when absent), checked to be a site id.
pub fn site_param(req: &Request) -> ApiResult<String> {
    let site = query(req, "site")?.unwrap_or_else(|| confab_domain::demo::SITE.to_owned());
    if !confab_domain::ids::is_valid_slug(&site) {
        return Err(ApiError::bad_request("invalid_site", "`site` must be a site id."));
    }
    Ok(site)
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> ApiResult<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// The value of query parameter `name`, percent-decoded.
pub fn query(req: &Request, name: &str) -> ApiResult<Option<String>> {
    Ok(req.url()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()))
}

/// The value of cookie `name`.
pub fn cookie(req: &Request, name: &str) -> ApiResult<Option<String>> {
    let header = req.headers().get("Cookie")?.unwrap_or_default();
    Ok(header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    }))
}

/// The `Origin` header, if sent.
pub fn origin(req: &Request) -> ApiResult<Option<String>> {
    Ok(req.headers().get("Origin")?)
}

/// Whether the request came to a loopback host (local development), where cookies cannot be
/// `Secure` over plain HTTP.
pub fn is_local(req: &Request) -> ApiResult<bool> {
    let url = req.url()?;
    Ok(matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
}
