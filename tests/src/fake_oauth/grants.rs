//! The OAuth 2.0 authorization-code flow with refresh tokens (RFC 6749 §4.1 and §6, PKCE from
//! RFC 7636) as both vendors run it, without the wire format: the registered client, one-time
//! codes, access tokens that expire on the fake's clock, refresh tokens (rotated or not, expiring
//! after inactivity or not), revocation, and bearer checks. Each vendor renders the outcomes in
//! its own words.

use super::base64;
use super::ids;
use crate::fake_http::Request;
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// How the vendor's tokens look.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shapes {
    pub code_prefix: &'static str,
    pub access_prefix: &'static str,
    pub refresh_prefix: &'static str,
}

/// The registered client and the flow's rules.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub client_id: String,
    pub client_secret: String,
    /// Redirect URIs registered for the client; empty accepts any absolute `http(s)` URI.
    pub redirect_uris: Vec<String>,
    pub access_lifetime: Duration,
    /// Refresh tokens unused this long stop working; `None`: they never expire.
    pub refresh_lifetime: Option<Duration>,
    pub code_lifetime: Duration,
    /// Whether a refresh answer carries a new refresh token (the old one stays valid).
    pub rotate_refresh: bool,
    pub shapes: Shapes,
}

/// A PKCE challenge sent to the authorization endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub method: String,
    pub value: String,
}

/// What the authorization endpoint granted, to be redeemed with a code.
#[derive(Debug, Clone)]
pub(crate) struct Consent {
    pub account: String,
    pub redirect_uri: String,
    pub scope: Vec<String>,
    /// Whether redeeming the code yields a refresh token.
    pub offline: bool,
    pub challenge: Option<Challenge>,
}

/// Why the client could not be authenticated at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientError {
    MissingId,
    UnknownId(String),
    MissingSecret,
    BadSecret,
}

/// Why a code or a refresh token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GrantError {
    MissingParameter(&'static str),
    UnknownCode,
    CodeUsed,
    CodeExpired,
    RedirectMismatch { given: String, expected: String },
    MissingVerifier,
    VerifierMismatch,
    UnknownRefresh,
    Revoked,
    RefreshExpired { issued: DateTime<Utc>, idle: TimeDelta },
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BearerError {
    Missing,
    Unknown,
    Expired,
    Revoked,
}

/// Tokens issued by the token endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub account: String,
    pub access_token: String,
    pub expires_in: u64,
    pub refresh_token: Option<String>,
    pub scope: Vec<String>,
}

/// Who a valid bearer token speaks for, and with which scopes.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    pub account: String,
    pub scope: Vec<String>,
}

impl Bearer {
    /// Whether the token carries one of `scopes` (compared by `normalise`).
    pub fn has_any(&self, scopes: &[&str], normalise: fn(&str) -> String) -> bool {
        self.scope.iter().any(|granted| {
            let granted = normalise(granted);
            scopes.iter().any(|s| normalise(s) == granted)
        })
    }
}

#[derive(Debug)]
struct Code {
    consent: Consent,
    issued: DateTime<Utc>,
    used: bool,
}

#[derive(Debug)]
struct Access {
    account: String,
    scope: Vec<String>,
    grant: u64,
    expires: DateTime<Utc>,
    revoked: bool,
}

#[derive(Debug)]
struct Refresh {
    account: String,
    scope: Vec<String>,
    grant: u64,
    issued: DateTime<Utc>,
    last_used: DateTime<Utc>,
    revoked: bool,
}

/// The client, codes and tokens.
#[derive(Debug)]
pub(crate) struct Grants {
    pub settings: Settings,
    codes: HashMap<String, Code>,
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    consented: HashSet<String>,
    grants: u64,
}

/// `value` of form field `name`.
fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

impl Grants {
    pub fn new(settings: Settings) -> Self {
        Grants {
            settings,
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            consented: HashSet::new(),
            grants: 0,
        }
    }

    /// Whether `client_id` is the registered client.
    pub fn client_known(&self, client_id: &str) -> bool {
        client_id == self.settings.client_id
    }

    /// Whether `uri` may receive codes.
    pub fn redirect_allowed(&self, uri: &str) -> bool {
        if self.settings.redirect_uris.is_empty() {
            (uri.starts_with("http://") || uri.starts_with("https://")) && !uri.contains('#')
        } else {
            self.settings.redirect_uris.iter().any(|r| r == uri)
        }
    }

    /// Whether `account` has granted the client access before.
    pub fn has_consented(&self, account: &str) -> bool {
        self.consented.contains(account)
    }

    /// Whether `account` holds a refresh token that still works.
    pub fn has_live_refresh(&self, account: &str) -> bool {
        self.refresh.values().any(|r| r.account == account && !r.revoked)
    }

    /// Authenticates the client of a token request: `client_id` and `client_secret` in the form
    /// body (`client_secret_post`) or an HTTP Basic `Authorization` header
    /// (`client_secret_basic`).
    pub fn authenticate(&self, request: &Request, form: &[(String, String)]) -> Result<(), ClientError> {
        let basic = request.header("Authorization").and_then(|h| {
            let (scheme, value) = h.trim().split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return None;
            }
            let decoded = String::from_utf8(base64::decode(value)?).ok()?;
            let (id, secret) = decoded.split_once(':')?;
            let decode =
                |s: &str| form_urlencoded::parse(format!("v={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
            Some((decode(id)?, decode(secret)?))
        });
        let (id, secret) = match (field(form, "client_id"), basic) {
            (Some(id), _) => (id.to_owned(), field(form, "client_secret").map(str::to_owned)),
            (None, Some((id, secret))) => (id, Some(secret)),
            (None, None) => return Err(ClientError::MissingId),
        };
        if !self.client_known(&id) {
            return Err(ClientError::UnknownId(id));
        }
        match secret {
            None => Err(ClientError::MissingSecret),
            Some(secret) if secret != self.settings.client_secret => Err(ClientError::BadSecret),
            Some(_) => Ok(()),
        }
    }

    /// Issues a one-time code for `consent`.
    pub fn issue_code(&mut self, consent: Consent, now: DateTime<Utc>) -> String {
        let code = format!("{}{}", self.settings.shapes.code_prefix, ids::random_chars(ids::ALPHANUMERIC, 72));
        self.codes.insert(code.clone(), Code { consent, issued: now, used: false });
        code
    }

    /// Redeems the code of an `authorization_code` request.
    pub fn redeem(&mut self, form: &[(String, String)], now: DateTime<Utc>) -> Result<Issued, GrantError> {
        let code = field(form, "code").ok_or(GrantError::MissingParameter("code"))?;
        let lifetime = TimeDelta::from_std(self.settings.code_lifetime).unwrap_or(TimeDelta::MAX);
        let entry = self.codes.get_mut(code).ok_or(GrantError::UnknownCode)?;
        if entry.used {
            return Err(GrantError::CodeUsed);
        }
        if now.signed_duration_since(entry.issued) > lifetime {
            return Err(GrantError::CodeExpired);
        }
        let given = field(form, "redirect_uri").unwrap_or_default();
        if given != entry.consent.redirect_uri {
            return Err(GrantError::RedirectMismatch {
                given: given.to_owned(),
                expected: entry.consent.redirect_uri.clone(),
            });
        }
        if let Some(challenge) = &entry.consent.challenge {
            let verifier = field(form, "code_verifier").ok_or(GrantError::MissingVerifier)?;
            let computed = if challenge.method.eq_ignore_ascii_case("S256") {
                base64::encode_url(&Sha256::digest(verifier.as_bytes()))
            } else {
                verifier.to_owned()
            };
            if computed != challenge.value {
                return Err(GrantError::VerifierMismatch);
            }
        }
        entry.used = true;
        let consent = entry.consent.clone();
        self.consented.insert(consent.account.clone());
        self.grants += 1;
        let grant = self.grants;
        let refresh_token = consent.offline.then(|| self.new_refresh(&consent.account, &consent.scope, grant, now));
        Ok(self.new_access(&consent.account, consent.scope, grant, refresh_token, now))
    }

    /// Trades the refresh token of a `refresh_token` request for a new access token (and a new
    /// refresh token when the vendor rotates them).
    pub fn refresh(&mut self, form: &[(String, String)], now: DateTime<Utc>) -> Result<Issued, GrantError> {
        let token = field(form, "refresh_token").ok_or(GrantError::MissingParameter("refresh_token"))?;
        let idle_limit = self.settings.refresh_lifetime.and_then(|l| TimeDelta::from_std(l).ok());
        let entry = self.refresh.get_mut(token).ok_or(GrantError::UnknownRefresh)?;
        if entry.revoked {
            return Err(GrantError::Revoked);
        }
        let idle = now.signed_duration_since(entry.last_used);
        if idle_limit.is_some_and(|limit| idle > limit) {
            return Err(GrantError::RefreshExpired { issued: entry.issued, idle });
        }
        entry.last_used = now;
        let (account, scope, grant) = (entry.account.clone(), entry.scope.clone(), entry.grant);
        let rotated = self.settings.rotate_refresh.then(|| self.new_refresh(&account, &scope, grant, now));
        Ok(self.new_access(&account, scope, grant, rotated, now))
    }

    fn new_refresh(&mut self, account: &str, scope: &[String], grant: u64, now: DateTime<Utc>) -> String {
        let token = format!("{}{}", self.settings.shapes.refresh_prefix, ids::random_chars(ids::ALPHANUMERIC, 96));
        self.refresh.insert(
            token.clone(),
            Refresh {
                account: account.to_owned(),
                scope: scope.to_vec(),
                grant,
                issued: now,
                last_used: now,
                revoked: false,
            },
        );
        token
    }

    fn new_access(
        &mut self,
        account: &str,
        scope: Vec<String>,
        grant: u64,
        refresh_token: Option<String>,
        now: DateTime<Utc>,
    ) -> Issued {
        let token = format!("{}{}", self.settings.shapes.access_prefix, ids::random_chars(ids::ALPHANUMERIC, 120));
        let lifetime = TimeDelta::from_std(self.settings.access_lifetime).unwrap_or(TimeDelta::MAX);
        let expires = now.checked_add_signed(lifetime).unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.access.insert(
            token.clone(),
            Access { account: account.to_owned(), scope: scope.clone(), grant, expires, revoked: false },
        );
        Issued {
            account: account.to_owned(),
            access_token: token,
            expires_in: self.settings.access_lifetime.as_secs(),
            refresh_token,
            scope,
        }
    }

    /// Checks a bearer token at `now`.
    pub fn bearer(&self, token: Option<&str>, now: DateTime<Utc>) -> Result<Bearer, BearerError> {
        let token = token.ok_or(BearerError::Missing)?;
        let access = self.access.get(token).ok_or(BearerError::Unknown)?;
        if access.revoked {
            return Err(BearerError::Revoked);
        }
        if now >= access.expires {
            return Err(BearerError::Expired);
        }
        Ok(Bearer { account: access.account.clone(), scope: access.scope.clone() })
    }

    /// Revokes every token of `account`: refresh tokens are refused and access tokens rejected.
    /// The account can consent again.
    pub fn revoke_account(&mut self, account: &str) {
        self.access.values_mut().filter(|a| a.account == account).for_each(|a| a.revoked = true);
        self.refresh.values_mut().filter(|r| r.account == account).for_each(|r| r.revoked = true);
        self.consented.remove(account);
    }

    /// Revokes the grant `token` (an access or a refresh token) belongs to; `false` when the
    /// token is unknown or already revoked.
    pub fn revoke_token(&mut self, token: &str) -> bool {
        let grant = match (self.access.get(token), self.refresh.get(token)) {
            (Some(a), _) if !a.revoked => a.grant,
            (_, Some(r)) if !r.revoked => r.grant,
            _ => return false,
        };
        self.access.values_mut().filter(|a| a.grant == grant).for_each(|a| a.revoked = true);
        self.refresh.values_mut().filter(|r| r.grant == grant).for_each(|r| r.revoked = true);
        true
    }

    /// Makes every access token issued so far expire at `now`.
    pub fn expire_access_tokens(&mut self, now: DateTime<Utc>) {
        self.access.values_mut().for_each(|a| a.expires = a.expires.min(now));
    }

    /// How many access tokens have been issued.
    pub fn access_tokens_issued(&self) -> usize {
        self.access.len()
    }
}

/// An OpenID Connect ID token for `account` (a JWT whose signature is not a real one: the fakes
/// publish no keys, and a client should take the identity from the token endpoint's TLS answer).
pub(crate) fn id_token(issuer: &str, audience: &str, account: &str, subject: &str, now: DateTime<Utc>) -> String {
    let header = json!({ "alg": "RS256", "kid": "fake", "typ": "JWT" });
    let name = account.split('@').next().unwrap_or(account);
    let claims = json!({
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "email": account,
        "email_verified": true,
        "preferred_username": account,
        "name": name,
        "iat": now.timestamp(),
        "exp": now.timestamp() + 3600,
    });
    format!(
        "{}.{}.{}",
        base64::encode_url(header.to_string().as_bytes()),
        base64::encode_url(claims.to_string().as_bytes()),
        base64::encode_url(b"fake-signature")
    )
}
