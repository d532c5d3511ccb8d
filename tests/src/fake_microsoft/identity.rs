//! The Microsoft identity platform's v2.0 endpoints under any tenant (`common`,
//! `organizations`, a tenant id): `GET /{tenant}/oauth2/v2.0/authorize` (consent given at once)
//! and `POST /{tenant}/oauth2/v2.0/token`.
//!
//! As the platform documents: a refresh token is issued only when the granted scopes include
//! `offline_access`; every refresh answer carries a new refresh token. This fake leaves the old
//! one valid too (Azure AD does not revoke it on use either), until it has been idle for 90 days
//! (`AADSTS700082`) or the grant is revoked (`AADSTS50173`). Graph scopes may be written bare
//! (`Calendars.ReadWrite`) or in full (`https://graph.microsoft.com/Calendars.ReadWrite`); the
//! token answer writes them in full. An ID token comes with `openid`.

use super::errors;
use crate::fake_http::{Request, Response};
use crate::fake_oauth::{
    Challenge, ClientError, Common, Consent, GrantError, Issued, graph, id_token, stable_uuid, uuid,
};
use serde_json::{Map, Value};

/// The prefix of Graph's scopes.
pub(crate) const GRAPH: &str = "https://graph.microsoft.com/";
/// OpenID Connect scopes, written bare.
const OIDC: &[&str] = &["openid", "email", "profile", "offline_access"];

/// A scope as the token answer writes it.
fn full_scope(scope: &str) -> String {
    if OIDC.iter().any(|o| o.eq_ignore_ascii_case(scope)) || scope.contains("://") {
        scope.to_owned()
    } else {
        format!("{GRAPH}{scope}")
    }
}

/// A scope without Graph's prefix, lowercase, for comparisons.
pub(crate) fn short_scope(scope: &str) -> String {
    scope.strip_prefix(GRAPH).unwrap_or(scope).to_ascii_lowercase()
}

/// The tenant id the fake's ID tokens and join URLs name.
pub(crate) fn tenant_id() -> String {
    stable_uuid("confab-fake-tenant")
}

/// `GET /{tenant}/oauth2/v2.0/authorize`.
pub(crate) fn authorize(common: &mut Common, request: &Request) -> Response {
    let param = |name: &str| request.param(name).filter(|v| !v.is_empty());
    let Some(client_id) = param("client_id") else {
        return errors::page(400, 900144, "The request body must contain the following parameter: 'client_id'.");
    };
    if !common.grants.client_known(client_id) {
        return errors::page(
            400,
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory 'Confab Fake'."),
        );
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return errors::page(400, 900144, "The request body must contain the following parameter: 'redirect_uri'.");
    };
    if !common.grants.redirect_allowed(redirect_uri) {
        return errors::page(
            400,
            50011,
            &format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs \
                 configured for the application '{client_id}'."
            ),
        );
    }
    let fragment = match param("response_mode") {
        None | Some("query") => false,
        Some("fragment") => true,
        Some(other) => {
            return errors::page(400, 900144, &format!("response_mode '{other}' is not supported by this fake."));
        }
    };
    let state = param("state");
    let back = |pairs: &[(&str, &str)]| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs);
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        let separator = if fragment {
            '#'
        } else if redirect_uri.contains('?') {
            '&'
        } else {
            '?'
        };
        Response::redirect(&format!("{redirect_uri}{separator}{}", query.finish()))
    };
    let refuse = |error: &str, code: u32, message: &str| {
        back(&[("error", error), ("error_description", &format!("AADSTS{code}: {message}"))])
    };
    match param("response_type") {
        Some("code") => {}
        other => {
            return refuse(
                "unsupported_response_type",
                700054,
                &format!("response_type '{}' is not enabled for the application.", other.unwrap_or_default()),
            );
        }
    }
    let Some(scope) = param("scope") else {
        return refuse("invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
    };
    let challenge = match (param("code_challenge"), param("code_challenge_method")) {
        (None, _) => None,
        (Some(value), method @ (None | Some("plain") | Some("S256"))) => {
            Some(Challenge { method: method.unwrap_or("plain").to_owned(), value: value.to_owned() })
        }
        (Some(_), Some(_)) => {
            return refuse("invalid_request", 501491, "Invalid code_challenge_method.");
        }
    };
    let account = match param("login_hint") {
        Some(hint) => common.add_account(hint),
        None => common.default_account.clone(),
    };
    if common.declines > 0 {
        common.declines -= 1;
        return refuse("access_denied", 65004, "User declined to consent to access the app.");
    }
    if param("prompt") == Some("none") && !common.grants.has_consented(&account) {
        return refuse(
            "consent_required",
            65001,
            &format!("The user or administrator has not consented to use the application with ID '{client_id}'."),
        );
    }
    let scope: Vec<String> = scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let offline = scope.iter().any(|s| s.eq_ignore_ascii_case("offline_access"));
    let consent = Consent { account, redirect_uri: redirect_uri.to_owned(), scope, offline, challenge };
    let now = common.clock.now();
    let code = common.grants.issue_code(consent, now);
    back(&[("code", &code), ("session_state", &uuid())])
}

/// `POST /{tenant}/oauth2/v2.0/token`: `authorization_code` and `refresh_token` grants.
pub(crate) fn token(common: &mut Common, request: &Request) -> Response {
    if request.method != "POST" {
        return errors::aad(405, "invalid_request", 900561, "The endpoint only accepts POST requests.");
    }
    if !request.has_content_type("application/x-www-form-urlencoded") {
        return errors::aad(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        );
    }
    let form = request.form();
    let grant_type = form.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_str()).unwrap_or_default();
    match grant_type {
        "authorization_code" | "refresh_token" => {}
        "" => {
            return errors::aad(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'grant_type'.",
            );
        }
        other => {
            return errors::aad(
                400,
                "unsupported_grant_type",
                70003,
                &format!("The app requested an unsupported grant type '{other}'."),
            );
        }
    }
    match common.grants.authenticate(request, &form) {
        Ok(()) => {}
        Err(ClientError::MissingId) => {
            return errors::aad(
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            );
        }
        Err(ClientError::UnknownId(id)) => {
            return errors::aad(
                400,
                "unauthorized_client",
                700016,
                &format!("Application with identifier '{id}' was not found in the directory 'Confab Fake'."),
            );
        }
        Err(ClientError::MissingSecret) => {
            return errors::aad(
                401,
                "invalid_client",
                7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            );
        }
        Err(ClientError::BadSecret) => {
            let id = common.grants.settings.client_id.clone();
            return errors::aad(
                401,
                "invalid_client",
                7000215,
                &format!(
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client \
                     secret value, not the client secret ID, for a secret added to app '{id}'."
                ),
            );
        }
    }
    let now = common.clock.now();
    let issued = if grant_type == "authorization_code" {
        common.grants.redeem(&form, now)
    } else {
        common.grants.refresh(&form, now)
    };
    match issued {
        Ok(issued) => granted(common, &issued),
        Err(error) => grant_error(&error),
    }
}

/// How the identity platform words each refusal of a code or refresh token.
fn grant_error(error: &GrantError) -> Response {
    let invalid_grant = |code: u32, message: &str| errors::aad(400, "invalid_grant", code, message);
    match error {
        GrantError::MissingParameter(name) => errors::aad(
            400,
            "invalid_request",
            900144,
            &format!("The request body must contain the following parameter: '{name}'."),
        ),
        GrantError::UnknownCode => invalid_grant(70000, "The provided value for the 'code' parameter is not valid."),
        GrantError::CodeUsed => invalid_grant(
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ),
        GrantError::CodeExpired => invalid_grant(
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive \
             authorization request for this user and resource.",
        ),
        GrantError::RedirectMismatch { given, expected } => invalid_grant(
            500112,
            &format!(
                "The reply address '{given}' does not match the reply address '{expected}' provided when requesting \
                 Authorization code."
            ),
        ),
        GrantError::MissingVerifier => invalid_grant(501481, "The Code_Verifier is missing."),
        GrantError::VerifierMismatch => invalid_grant(
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        ),
        GrantError::UnknownRefresh => invalid_grant(9002313, "Invalid request. Request is malformed or invalid."),
        GrantError::Revoked => invalid_grant(
            50173,
            "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might \
             have changed or reset their password.",
        ),
        GrantError::RefreshExpired { issued, idle } => invalid_grant(
            700082,
            &format!(
                "The refresh token has expired due to inactivity. The token was issued on {}Z and was inactive for {} days.",
                graph(issued.naive_utc()),
                idle.num_days()
            ),
        ),
    }
}

/// The token endpoint's success answer.
fn granted(common: &Common, issued: &Issued) -> Response {
    let mut body = Map::new();
    body.insert("token_type".to_owned(), Value::from("Bearer"));
    let scope: Vec<String> = issued.scope.iter().map(|s| full_scope(s)).collect();
    body.insert("scope".to_owned(), Value::from(scope.join(" ")));
    body.insert("expires_in".to_owned(), Value::from(issued.expires_in));
    body.insert("ext_expires_in".to_owned(), Value::from(issued.expires_in));
    body.insert("access_token".to_owned(), Value::from(issued.access_token.as_str()));
    if let Some(refresh) = &issued.refresh_token {
        body.insert("refresh_token".to_owned(), Value::from(refresh.as_str()));
    }
    if issued.scope.iter().any(|s| s == "openid") {
        let issuer = format!("https://login.microsoftonline.com/{}/v2.0", tenant_id());
        let token = id_token(
            &issuer,
            &common.grants.settings.client_id,
            &issued.account,
            &stable_uuid(&issued.account),
            common.clock.now(),
        );
        body.insert("id_token".to_owned(), Value::from(token));
    }
    Response::json(200, &Value::Object(body)).with_header("Cache-Control", "no-store, no-cache")
}
