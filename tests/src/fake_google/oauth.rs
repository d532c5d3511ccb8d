//! Google's OAuth 2.0 endpoints: the authorization page (`/o/oauth2/v2/auth`, consent given at
//! once), the token endpoint (`/token`), revocation (`/revoke`) and OpenID Connect user info
//! (`/oauth2/v3/userinfo`, `/v1/userinfo`).
//!
//! As Google documents: a refresh token is issued only with `access_type=offline`, and then only
//! when the account first grants offline access to the client (here: while it holds no working
//! refresh token, so again after a revocation) unless `prompt=consent` asks for consent again;
//! refresh answers never carry a new one; an ID token comes with the `openid` scope; `email` and
//! `profile` are granted as `…/auth/userinfo.email` and `…/auth/userinfo.profile`.

use super::errors;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{
    BearerError, Challenge, ClientError, Common, Consent, GrantError, Issued, account_key, id_token, stable_digits,
};
use serde_json::{Map, Value, json};

/// The issuer of Google's ID tokens.
const ISSUER: &str = "https://accounts.google.com";
/// Scopes are written in full under this prefix, except `openid`.
const SCOPE_PREFIX: &str = "https://www.googleapis.com/auth/";

/// A scope as Google grants it.
fn grant_name(scope: &str) -> String {
    match scope {
        "email" => format!("{SCOPE_PREFIX}userinfo.email"),
        "profile" => format!("{SCOPE_PREFIX}userinfo.profile"),
        other => other.to_owned(),
    }
}

/// A scope without Google's prefix, for comparisons.
pub(crate) fn short_scope(scope: &str) -> String {
    scope.strip_prefix(SCOPE_PREFIX).unwrap_or(scope).to_owned()
}

/// `GET /o/oauth2/v2/auth`: checks the request, then consents at once for the `login_hint`
/// account (or the default one) and sends the browser back with a code.
pub(crate) fn authorize(common: &mut Common, request: &Request) -> Response {
    if request.method != "GET" && request.method != "POST" {
        return errors::page(405, "invalid_request", "Method not allowed.");
    }
    let param = |name: &str| request.param(name).filter(|v| !v.is_empty());
    let Some(client_id) = param("client_id") else {
        return errors::page(400, "invalid_request", "Missing required parameter: client_id");
    };
    if !common.grants.client_known(client_id) {
        return errors::page(400, "invalid_client", "The OAuth client was not found.");
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return errors::page(400, "invalid_request", "Missing required parameter: redirect_uri");
    };
    if !common.grants.redirect_allowed(redirect_uri) {
        return errors::page(
            400,
            "redirect_uri_mismatch",
            &format!(
                "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri={redirect_uri}"
            ),
        );
    }
    match param("response_type") {
        Some("code") => {}
        None => return errors::page(400, "invalid_request", "Required parameter is missing: response_type"),
        Some(other) => {
            return errors::page(400, "unsupported_response_type", &format!("Invalid response_type: {other}"));
        }
    }
    let Some(scope) = param("scope") else {
        return errors::page(400, "invalid_request", "Missing required parameter: scope");
    };
    let offline = match param("access_type") {
        None | Some("online") => false,
        Some("offline") => true,
        Some(other) => return errors::page(400, "invalid_request", &format!("Invalid access_type: {other}")),
    };
    let challenge = match (param("code_challenge"), param("code_challenge_method")) {
        (None, _) => None,
        (Some(value), method @ (None | Some("plain") | Some("S256"))) => {
            Some(Challenge { method: method.unwrap_or("plain").to_owned(), value: value.to_owned() })
        }
        (Some(_), Some(other)) => {
            return errors::page(400, "invalid_request", &format!("Invalid code_challenge_method: {other}"));
        }
    };
    let prompts: Vec<&str> = param("prompt").unwrap_or_default().split(' ').filter(|p| !p.is_empty()).collect();
    let account = match param("login_hint") {
        Some(hint) => common.add_account(hint),
        None => common.default_account.clone(),
    };
    let state = param("state");
    let back = |pairs: &[(&str, &str)]| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        query.extend_pairs(pairs);
        let separator = if redirect_uri.contains('?') { '&' } else { '?' };
        Response::redirect(&format!("{redirect_uri}{separator}{}", query.finish()))
    };
    if common.declines > 0 {
        common.declines -= 1;
        return back(&[("error", "access_denied")]);
    }
    let first = !common.grants.has_consented(&account);
    let refresh = offline && (prompts.contains(&"consent") || !common.grants.has_live_refresh(&account));
    if prompts.contains(&"none") && first {
        return back(&[("error", "consent_required")]);
    }
    let scope: Vec<String> = scope.split(' ').filter(|s| !s.is_empty()).map(grant_name).collect();
    let consent =
        Consent { account, redirect_uri: redirect_uri.to_owned(), scope: scope.clone(), offline: refresh, challenge };
    let now = common.clock.now();
    let code = common.grants.issue_code(consent, now);
    let prompt = if prompts.contains(&"none") { "none" } else { "consent" };
    back(&[("code", &code), ("scope", &scope.join(" ")), ("authuser", "0"), ("prompt", prompt)])
}

/// `POST /token`: `authorization_code` and `refresh_token` grants.
pub(crate) fn token(common: &mut Common, request: &Request) -> Response {
    if request.method != "POST" {
        return errors::oauth(405, "invalid_request", "Invalid HTTP method. Use POST.");
    }
    if !request.has_content_type("application/x-www-form-urlencoded") {
        return errors::oauth(
            400,
            "invalid_request",
            "Invalid content type; expected application/x-www-form-urlencoded",
        );
    }
    let form = request.form();
    let grant_type = form.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_str()).unwrap_or_default();
    if grant_type != "authorization_code" && grant_type != "refresh_token" {
        return errors::oauth(400, "unsupported_grant_type", &format!("Invalid grant_type: {grant_type}"));
    }
    match common.grants.authenticate(request, &form) {
        Ok(()) => {}
        Err(ClientError::MissingId) => {
            return errors::oauth(400, "invalid_request", "Could not determine client ID from request.");
        }
        Err(ClientError::UnknownId(_)) => {
            return errors::oauth(401, "invalid_client", "The OAuth client was not found.");
        }
        Err(ClientError::MissingSecret) => return errors::oauth(400, "invalid_request", "client_secret is missing."),
        Err(ClientError::BadSecret) => return errors::oauth(401, "invalid_client", "Unauthorized"),
    }
    let now = common.clock.now();
    let issued = if grant_type == "authorization_code" {
        common.grants.redeem(&form, now)
    } else {
        common.grants.refresh(&form, now)
    };
    match issued {
        Ok(issued) => granted(common, &issued),
        Err(GrantError::MissingParameter(name)) => {
            errors::oauth(400, "invalid_request", &format!("Missing required parameter: {name}"))
        }
        Err(GrantError::RedirectMismatch { .. }) => errors::oauth(400, "redirect_uri_mismatch", "Bad Request"),
        Err(GrantError::MissingVerifier) => errors::oauth(400, "invalid_grant", "Missing code verifier."),
        Err(GrantError::VerifierMismatch) => errors::oauth(400, "invalid_grant", "Invalid code verifier."),
        Err(
            GrantError::UnknownCode
            | GrantError::CodeUsed
            | GrantError::CodeExpired
            | GrantError::UnknownRefresh
            | GrantError::Revoked
            | GrantError::RefreshExpired { .. },
        ) => errors::oauth(400, "invalid_grant", "Token has been expired or revoked."),
    }
}

/// The token endpoint's success answer.
fn granted(common: &Common, issued: &Issued) -> Response {
    let mut body = Map::new();
    body.insert("access_token".to_owned(), Value::from(issued.access_token.as_str()));
    body.insert("expires_in".to_owned(), Value::from(issued.expires_in));
    if let Some(refresh) = &issued.refresh_token {
        body.insert("refresh_token".to_owned(), Value::from(refresh.as_str()));
    }
    body.insert("scope".to_owned(), Value::from(issued.scope.join(" ")));
    body.insert("token_type".to_owned(), Value::from("Bearer"));
    if issued.scope.iter().any(|s| s == "openid") {
        let subject = stable_digits(&issued.account, 21);
        let token = id_token(ISSUER, &common.grants.settings.client_id, &issued.account, &subject, common.clock.now());
        body.insert("id_token".to_owned(), Value::from(token));
    }
    Response::json(200, &Value::Object(body))
        .with_header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
        .with_header("Pragma", "no-cache")
}

/// `POST /revoke?token=…` (or `token` in a form body): revokes the grant the token belongs to.
pub(crate) fn revoke(common: &mut Common, request: &Request) -> Response {
    if request.method != "POST" {
        return errors::oauth(405, "invalid_request", "Invalid HTTP method. Use POST.");
    }
    let form = request.form();
    let token = form
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.as_str())
        .or_else(|| request.param("token"))
        .unwrap_or_default();
    if common.grants.revoke_token(token) {
        Response::json(200, &json!({}))
    } else {
        errors::oauth(400, "invalid_token", "Token expired or revoked")
    }
}

/// `GET /oauth2/v3/userinfo`: who the bearer token speaks for (needs `openid` or `email`).
pub(crate) fn userinfo(common: &mut Common, request: &Request) -> Response {
    let now = common.clock.now();
    let bearer = match common.grants.bearer(request.bearer(), now) {
        Ok(bearer) => bearer,
        Err(BearerError::Missing | BearerError::Unknown | BearerError::Expired | BearerError::Revoked) => {
            return errors::oauth(401, "invalid_request", "Invalid Credentials").with_header(
                "WWW-Authenticate",
                "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"",
            );
        }
    };
    let has_identity = bearer.scope.iter().any(|s| s == "openid" || short_scope(s) == "userinfo.email");
    if !has_identity {
        return errors::oauth(401, "invalid_request", "Invalid Credentials");
    }
    let account = account_key(&bearer.account);
    Response::json(
        200,
        &json!({
            "sub": stable_digits(&account, 21),
            "email": account,
            "email_verified": true,
        }),
    )
}
