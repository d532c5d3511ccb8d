//! The OAuth 2.0 authorization-code flow with refresh tokens (RFC 6749 §4.1, §6), as Google
//! and the Microsoft identity platform (v2.0 endpoints) run it: the URL an admin is sent to,
//! the token requests' form bodies, and reading the token endpoint's answers.
//!
//! Decided here: the scopes Confab asks for, the provider-specific authorization parameters
//! (Google needs `access_type=offline` and `prompt=consent` to hand out a refresh token,
//! Microsoft needs the `offline_access` scope), how token errors map to [`CalendarError`], and
//! when a token is refreshed ([`needs_refresh`]). Left to the caller: the `state` value (random,
//! checked on the way back), storing tokens encrypted, and keeping the old refresh token when a
//! refresh answer has none (Google's never do; Microsoft's usually carry a new one that replaces
//! the old).

use super::CalendarError;
use super::Provider;
use super::wire::{form, json_object, one_line};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Scopes Confab asks Google for: who the account is (`openid email`, so the connection can be
/// named), reading free/busy time and writing events.
pub const GOOGLE_SCOPES: &[&str] = &[
    "openid",
    "email",
    "https://www.googleapis.com/auth/calendar.freebusy",
    "https://www.googleapis.com/auth/calendar.events",
];

/// Scopes Confab asks Microsoft for: who the account is (`openid email`, `User.Read` for
/// `GET /me`, whose `mail` is the address `getSchedule` needs), a refresh token
/// (`offline_access`), and reading and writing calendars.
pub const MICROSOFT_SCOPES: &[&str] = &["openid", "email", "offline_access", "User.Read", "Calendars.ReadWrite"];

/// How long before its expiry a token is refreshed, in milliseconds: a call started with it
/// must still be accepted when it reaches the provider.
pub const REFRESH_MARGIN_MS: i64 = 60_000;

/// Lifetime assumed when a token answer has no `expires_in`, in seconds (RFC 6749 only
/// recommends the field; both providers send it).
const DEFAULT_EXPIRES_IN_S: i64 = 3600;

/// A registered OAuth client and the provider's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuthClient<'a> {
    /// The authorization endpoint (`https://accounts.google.com/o/oauth2/v2/auth`,
    /// `https://login.microsoftonline.com/common/oauth2/v2.0/authorize`).
    pub authorize_url: &'a str,
    /// The token endpoint (`https://oauth2.googleapis.com/token`,
    /// `https://login.microsoftonline.com/common/oauth2/v2.0/token`).
    pub token_url: &'a str,
    /// The client id.
    pub client_id: &'a str,
    /// The client secret. A secret: it only ever goes into a form body, never a URL.
    pub client_secret: &'a str,
    /// Where the provider sends the admin back, exactly as registered.
    pub redirect_uri: &'a str,
    /// The scopes to ask for ([`GOOGLE_SCOPES`], [`MICROSOFT_SCOPES`]).
    pub scopes: &'a [&'a str],
}

/// The URL to send an admin to so they grant Confab access to their calendar.
///
/// Query parameters: `client_id`, `redirect_uri`, `response_type=code`, `scope` (space
/// separated), `state`, and `login_hint` when given. Google adds `access_type=offline`,
/// `prompt=consent` (so a refresh token is issued even on a second connection) and
/// `include_granted_scopes=true`; Microsoft adds `response_mode=query` and `offline_access` to
/// the scopes when the client's list lacks it. Other providers get the common parameters only.
pub fn authorize_url(client: &OAuthClient, provider: Provider, state: &str, login_hint: Option<&str>) -> String {
    let mut scopes: Vec<&str> = client.scopes.to_vec();
    if provider == Provider::Microsoft && !scopes.iter().any(|s| s.eq_ignore_ascii_case("offline_access")) {
        scopes.push("offline_access");
    }
    let scope = scopes.join(" ");
    let mut pairs: Vec<(&str, &str)> = vec![
        ("client_id", client.client_id),
        ("redirect_uri", client.redirect_uri),
        ("response_type", "code"),
        ("scope", &scope),
        ("state", state),
    ];
    match provider {
        Provider::Google => {
            pairs.extend([("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true")]);
        }
        Provider::Microsoft => pairs.push(("response_mode", "query")),
        Provider::Builtin | Provider::Caldav => {}
    }
    if let Some(hint) = login_hint.filter(|h| !h.trim().is_empty()) {
        pairs.push(("login_hint", hint));
    }
    let separator = if client.authorize_url.contains('?') { '&' } else { '?' };
    format!("{}{separator}{}", client.authorize_url, form(&pairs))
}

/// The form body (`application/x-www-form-urlencoded`) that redeems the authorization `code`
/// the admin came back with: `grant_type=authorization_code`, `code`, `redirect_uri`,
/// `client_id`, `client_secret`.
pub fn code_body(client: &OAuthClient, code: &str) -> String {
    form(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", client.redirect_uri),
        ("client_id", client.client_id),
        ("client_secret", client.client_secret),
    ])
}

/// The form body that trades a refresh token for a new access token:
/// `grant_type=refresh_token`, `refresh_token`, `client_id`, `client_secret`, and `scope` (the
/// client's scopes, which Microsoft expects again and RFC 6749 §6 allows everywhere).
pub fn refresh_body(client: &OAuthClient, refresh_token: &str) -> String {
    let scope = client.scopes.join(" ");
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", client.client_id),
        ("client_secret", client.client_secret),
    ];
    if !scope.is_empty() {
        pairs.push(("scope", &scope));
    }
    form(&pairs)
}

/// What the token endpoint granted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// The value for `Authorization: Bearer …`. A secret: never log it.
    pub access_token: String,
    /// A new refresh token, when the answer carried one. A refresh answer may omit it (Google's
    /// always do): the caller then keeps the one it has. A secret: never log it.
    pub refresh_token: Option<String>,
    /// When the access token stops being accepted, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

impl std::fmt::Debug for Tokens {
    /// Never prints the tokens themselves, so a stray `{:?}` cannot log them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "[redacted]"))
            .field("expires_at_ms", &self.expires_at_ms)
            .finish()
    }
}

/// Reads the token endpoint's answer (to [`code_body`] or [`refresh_body`]) received at
/// `now_ms`.
///
/// A 2xx answer needs a non-empty `access_token`; `expires_in` (seconds, a number or a numeric
/// string) sets [`Tokens::expires_at_ms`] and counts as an hour when missing; `refresh_token` is
/// kept when present. Errors (RFC 6749 §5.2 `{"error", "error_description"}`):
///
/// - `invalid_grant` (Google: "Token has been expired or revoked."; Microsoft: `AADSTS70000`,
///   `AADSTS700082` inactivity, `AADSTS50173` password changed, …), `interaction_required` and
///   `consent_required` are [`CalendarError::Revoked`]: an admin must connect again;
/// - `invalid_client` (wrong or expired client secret), `unauthorized_client`,
///   `invalid_request`, `invalid_scope`, `unsupported_grant_type` are
///   [`CalendarError::Rejected`]: Confab's configuration is wrong, retrying cannot help;
/// - `temporarily_unavailable`, `server_error` are [`CalendarError::Transient`];
/// - otherwise the status decides: 429 is [`CalendarError::Throttled`] (without a delay: the
///   header is not passed here), 408 and 5xx [`CalendarError::Transient`], other statuses
///   [`CalendarError::Rejected`]. A 2xx body that is not a token is
///   [`CalendarError::Transient`].
///
/// The error text quotes the first line of the description (Microsoft's trace and correlation
/// ids are on later lines and dropped), never the body or a token.
pub fn parse_tokens(status: u16, body: &str, now_ms: i64) -> Result<Tokens, CalendarError> {
    let json = json_object(body);
    if let Some(error) = json.as_ref().and_then(|j| j.get("error")).and_then(Value::as_str) {
        let description = json.as_ref().and_then(|j| j.get("error_description")).and_then(Value::as_str);
        let said = one_line(description.unwrap_or_default());
        let text = if said.is_empty() { error.to_owned() } else { format!("{error}: {said}") };
        return Err(match error {
            "invalid_grant" | "interaction_required" | "consent_required" | "login_required" => {
                CalendarError::Revoked(format!("the provider no longer accepts Confab's authorization ({text})"))
            }
            "temporarily_unavailable" | "server_error" => {
                CalendarError::Transient(format!("the sign-in service failed ({text})"))
            }
            "invalid_client"
            | "unauthorized_client"
            | "invalid_request"
            | "invalid_scope"
            | "unsupported_grant_type" => {
                CalendarError::Rejected(format!("the sign-in service refused Confab's OAuth client ({text})"))
            }
            _ => by_status(status, &text),
        });
    }
    if !(200..300).contains(&status) {
        return Err(by_status(status, &format!("HTTP {status}")));
    }
    let Some(json) = json else {
        return Err(CalendarError::Transient(
            "the sign-in service answered with something that is not JSON".to_owned(),
        ));
    };
    let access_token = json.get("access_token").and_then(Value::as_str).filter(|t| !t.trim().is_empty());
    let Some(access_token) = access_token else {
        return Err(CalendarError::Transient("the sign-in service answered without an access token".to_owned()));
    };
    let expires_in = match json.get("expires_in") {
        None | Some(Value::Null) => Some(DEFAULT_EXPIRES_IN_S),
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    let Some(expires_in) = expires_in else {
        return Err(CalendarError::Transient("the sign-in service answered with an unreadable expiry".to_owned()));
    };
    let refresh_token =
        json.get("refresh_token").and_then(Value::as_str).filter(|t| !t.trim().is_empty()).map(str::to_owned);
    Ok(Tokens {
        access_token: access_token.to_owned(),
        refresh_token,
        expires_at_ms: now_ms.saturating_add(expires_in.max(0).saturating_mul(1000)),
    })
}

/// The error a failed token answer without a known OAuth error code stands for.
fn by_status(status: u16, text: &str) -> CalendarError {
    match status {
        429 => CalendarError::Throttled { retry_after_ms: None },
        408 | 500..=599 => CalendarError::Transient(format!("the sign-in service failed ({text})")),
        _ => CalendarError::Rejected(format!("the sign-in service refused the request ({text})")),
    }
}

/// Whether a token expiring at `expires_at_ms` must be refreshed before a call at `now_ms`:
/// from [`REFRESH_MARGIN_MS`] before its expiry on.
pub fn needs_refresh(expires_at_ms: i64, now_ms: i64) -> bool {
    now_ms >= expires_at_ms.saturating_sub(REFRESH_MARGIN_MS)
}
