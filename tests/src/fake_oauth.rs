//! What the fake Google ([`crate::fake_google`]) and the fake Microsoft
//! ([`crate::fake_microsoft`]) share: accounts and the OAuth 2.0 authorization-code flow (one-time
//! codes, access tokens expiring on a controllable clock, refresh tokens, revocation), the faults
//! a test injects, the call log, the busy blocks tests add and the [`FakeEvent`] they read back;
//! and the server around a vendor's routes (on [`crate::fake_http`]).
//!
//! Accounts are email addresses, compared case-insensitively. An account exists once a test
//! names it ([`crate::fake_google::FakeGoogle::add_account`], `add_busy`) or once it signs in
//! (the `login_hint` of an authorization request, or the fake's default account).

mod base64;
mod call_log;
mod clock;
mod event;
mod fake;
mod faults;
mod grants;
mod ids;
mod times;

pub use call_log::Call;
pub use event::{FakeEvent, Show};
pub use faults::Fault;

pub(crate) use base64::encode as base64_encode;
pub(crate) use base64::encode_url as base64_url;
pub(crate) use event::merge;
pub(crate) use fake::{Area, Common, Fake, Vendor, account_key, percent_decode};
pub(crate) use grants::{
    Bearer, BearerError, Challenge, ClientError, Consent, GrantError, Issued, Settings, Shapes, id_token,
};
pub(crate) use ids::{ALPHANUMERIC, BASE32HEX, DIGITS, LOWERCASE, random_chars, stable_digits, stable_uuid, uuid};
pub(crate) use times::{Zone, google_millis, graph, parse_local, parse_rfc3339, zone};
