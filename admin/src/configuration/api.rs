//! The configuration side of `/api/admin/v1`: reading the site's configuration and replacing
//! its name, allowed origins and branding. Built on the shared `crate::api` client.

use super::draft::Draft;
use crate::api::{ApiError, call, get, to_js, unexpected};
use confab_domain::api::Branding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `GET config`: the site's configuration and what to paste into its pages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Config {
    /// The site's id.
    pub site: String,
    /// The site's name.
    pub name: String,
    /// Origins the widget may run on.
    pub allowed_origins: Vec<String>,
    /// How the widget looks and behaves.
    pub branding: Branding,
    /// Colour pairs below WCAG AA, by field, as stored.
    pub contrast_warnings: BTreeMap<String, String>,
    /// The `<script>` tag to paste into the site's pages.
    pub snippet: String,
    /// The Content-Security-Policy directives a site with a CSP needs.
    pub csp: String,
}

impl Config {
    /// The editable part, as a draft.
    pub fn draft(&self) -> Draft {
        Draft {
            name: self.name.clone(),
            allowed_origins: self.allowed_origins.clone(),
            branding: self.branding.clone(),
        }
    }
}

/// The site's configuration.
pub async fn config() -> Result<Config, ApiError> {
    get("config").await
}

/// Replaces the site's name, allowed origins and branding; answers the configuration as
/// stored. A refusal is `invalid_config` with a sentence; the fields' own sentences are
/// checked before sending, by the same rules (`draft::problems`).
pub async fn save_config(draft: &Draft) -> Result<Config, ApiError> {
    #[derive(Serialize)]
    struct Update<'a> {
        name: &'a str,
        allowed_origins: &'a [String],
        branding: &'a Branding,
    }
    let body = Update { name: draft.name.trim(), allowed_origins: &draft.allowed_origins, branding: &draft.branding };
    let (_, json) = call("PUT", "config", Some(to_js(&body)?)).await?;
    serde_wasm_bindgen::from_value(json).map_err(|_| unexpected())
}
