//! The accounts side of `/api/admin/v1`: who is signed in, first-run setup, accepting an
//! invitation, changing one's password, and the team (accounts, invitations, removing an
//! agent). Built on the shared `crate::api` client, so every failure is an `ApiError` with the
//! edge's code.

use crate::api::{ApiError, call, get, to_js, unexpected};
use serde::{Deserialize, Serialize};

/// `GET session`: the signed-in account.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Me {
    /// Email (the sign-in name).
    pub email: String,
    /// `admin` or `agent`.
    pub role: String,
    /// The agent record of an agent account.
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// Who is signed in, or an error with status 401.
pub async fn session() -> Result<Me, ApiError> {
    get("session").await
}

/// Whether this deployment still needs its first admin (the setup page).
pub async fn setup_needed() -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct Setup {
        #[serde(default)]
        needed: bool,
    }
    get::<Setup>("setup").await.map(|s| s.needed)
}

/// Creates the first admin with the deployment's setup token, and signs them in.
pub async fn set_up(token: String, email: String, password: String) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Setup {
        token: String,
        email: String,
        password: String,
    }
    call("POST", "setup", Some(to_js(&Setup { token, email, password })?)).await.map(|_| ())
}

/// Accepts an invitation with the chosen password, and signs in.
pub async fn accept_invite(token: String, password: String) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Accept {
        token: String,
        password: String,
    }
    call("POST", "invites/accept", Some(to_js(&Accept { token, password })?)).await.map(|_| ())
}

/// Changes the signed-in account's password; the edge signs its other sessions out.
pub async fn change_password(current: String, new: String) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Change {
        current: String,
        new: String,
    }
    call("PUT", "session/password", Some(to_js(&Change { current, new })?)).await.map(|_| ())
}

/// `GET accounts`: who can sign in, and who is invited.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Team {
    /// Every account, admins first.
    pub accounts: Vec<Account>,
    /// Invitations not yet accepted, withdrawn or expired.
    pub invites: Vec<Invite>,
}

/// An account that can sign in.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Account {
    /// Email (the sign-in name).
    pub email: String,
    /// `admin` or `agent`.
    pub role: String,
    /// The agent record of an agent account.
    pub agent_id: Option<String>,
    /// Display name, when known.
    pub name: Option<String>,
    /// When it was created, RFC 3339.
    pub created_at: String,
}

/// A pending invitation.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Invite {
    /// Id, for withdrawing it.
    pub id: String,
    /// Who is invited.
    pub email: String,
    /// `admin` or `agent`.
    pub role: String,
    /// The agent record an agent invitation is for.
    pub agent_id: Option<String>,
    /// The admin who invited.
    pub invited_by: String,
    /// When the link stops working, Unix ms.
    pub expires_at_ms: f64,
    /// When it was made, RFC 3339.
    pub created_at: String,
}

/// The accounts and pending invitations.
pub async fn team() -> Result<Team, ApiError> {
    get("accounts").await
}

/// What `POST invites` asks for. An agent invitation names a new agent (`name`) or an
/// existing agent record (`agent_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewInvite {
    /// Who to invite.
    pub email: String,
    /// `admin` or `agent`.
    pub role: &'static str,
    /// A new agent's display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An existing agent record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// A created invitation and its link, which the edge shows only this once.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CreatedInvite {
    /// The invitation as stored.
    pub invite: Invite,
    /// The one-time link, `https://…/admin/#invite=…`.
    pub invite_url: String,
}

/// Creates an invitation.
pub async fn invite(new: &NewInvite) -> Result<CreatedInvite, ApiError> {
    let (_, json) = call("POST", "invites", Some(to_js(new)?)).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
}

fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// Withdraws a pending invitation: its link stops working.
pub async fn withdraw_invite(id: String) -> Result<(), ApiError> {
    call("DELETE", &format!("invites/{}", segment(&id)), None).await.map(|_| ())
}

/// Removes an agent: out of routing, sessions and sign-in gone, meetings kept.
pub async fn remove_agent(id: String) -> Result<(), ApiError> {
    call("DELETE", &format!("agents/{}", segment(&id)), None).await.map(|_| ())
}
