//! Authentication as Marketo documents it: the identity endpoint issues bearer tokens for the
//! client credentials (the same token, with its remaining lifetime, while it is valid), and
//! every API call must carry `Authorization: Bearer <token>`; the `access_token` query
//! parameter is refused (601), an unknown token is 601 and an expired one 602.

use super::config::FakeMarketoConfig;
use super::envelope::{MarketoError, Reply, error};
use super::http::Call;
use super::ids;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use std::collections::HashMap;

/// Every token issued, with its expiry, and the one currently handed out.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    expiry: HashMap<String, DateTime<Utc>>,
    current: Option<String>,
    issued: usize,
}

impl Tokens {
    /// The current token and its remaining seconds, or a new one if none is valid.
    fn issue(&mut self, lifetime: std::time::Duration, now: DateTime<Utc>) -> (String, i64) {
        if let Some(token) = &self.current
            && let Some(expires) = self.expiry.get(token)
            && *expires > now
        {
            return (token.clone(), expires.signed_duration_since(now).num_seconds());
        }
        let lifetime = TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::hours(1));
        let token = format!("{}:fk", ids::uuid());
        self.expiry.insert(token.clone(), now.checked_add_signed(lifetime).unwrap_or(now));
        self.current = Some(token.clone());
        self.issued += 1;
        (token, lifetime.num_seconds())
    }

    /// How many distinct tokens were issued.
    pub fn issued(&self) -> usize {
        self.issued
    }

    /// Makes every token issued so far expire now.
    pub fn expire_all(&mut self, now: DateTime<Utc>) {
        for expires in self.expiry.values_mut() {
            *expires = (*expires).min(now);
        }
        self.current = None;
    }

    /// Checks the credentials of an API call.
    pub fn check(&self, call: &Call, now: DateTime<Utc>) -> Result<(), MarketoError> {
        if call.param("access_token").is_some() {
            return Err(error(
                601,
                "Access token invalid: the access_token query parameter is no longer accepted, send an Authorization: Bearer header",
            ));
        }
        let token = call.bearer().ok_or_else(|| error(601, "Access token invalid: no Authorization: Bearer header"))?;
        match self.expiry.get(token) {
            None => Err(error(601, "Access token invalid")),
            Some(expires) if *expires <= now => Err(error(602, "Access token expired")),
            Some(_) => Ok(()),
        }
    }
}

/// `GET` (or `POST`) `/identity/oauth/token?grant_type=client_credentials&client_id=..&client_secret=..`
pub(crate) fn identity(call: &Call, config: &FakeMarketoConfig, tokens: &mut Tokens, now: DateTime<Utc>) -> Reply {
    if !matches!(call.method.as_str(), "GET" | "POST") {
        return Reply::text(405, "Method Not Allowed");
    }
    let form = call.form();
    let param = |name: &str| {
        call.param(name).or_else(|| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())).unwrap_or_default()
    };
    let oauth_error = |status: u16, code: &str, description: String| {
        Reply::json(status, &json!({ "error": code, "error_description": description }))
    };
    match param("grant_type") {
        "client_credentials" => {}
        "" => return oauth_error(400, "invalid_request", "Missing grant type".to_owned()),
        other => return oauth_error(400, "unsupported_grant_type", format!("Unsupported grant type: {other}")),
    }
    let client_id = param("client_id");
    if client_id != config.client_id {
        return oauth_error(401, "unauthorized", format!("No client with requested id: {client_id}"));
    }
    if param("client_secret") != config.client_secret {
        return oauth_error(401, "unauthorized", "Bad client credentials".to_owned());
    }
    let (token, expires_in) = tokens.issue(config.token_lifetime, now);
    Reply::json(
        200,
        &json!({ "access_token": token, "token_type": "bearer", "expires_in": expires_in, "scope": config.scope }),
    )
}
