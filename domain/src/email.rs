//! A validated email address, as typed by a visitor in the chat.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a typed email address was refused; the message is shown to the visitor as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Nothing was typed.
    #[error("Please enter your email address.")]
    Empty,
    /// Longer than RFC 5321 allows.
    #[error("That email address is too long.")]
    TooLong,
    /// Not of the form `name@domain.tld`.
    #[error("Please enter a valid email address, like name@company.com.")]
    Malformed,
}

/// An email address that passed [`Email::parse`]: trimmed, one `@`, a non-empty local part
/// without spaces, and a domain of dot-separated labels with a top-level domain.
/// The domain is lowercased; the local part is kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Validates `input` as an email address.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(EmailError::Empty);
        }
        if input.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = input.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_graphic() && !"@()<>[]:;,\\\"".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !(local_ok && domain_ok) {
            return Err(EmailError::Malformed);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`, lowercased.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, EmailError>) {
        assert_eq!(Email::parse(input).as_ref().map(Email::as_str).map_err(Clone::clone), expected, "input {input:?}");
    }

    #[test]
    fn accepts_ordinary_addresses() {
        check("ada@example.com", Ok("ada@example.com"));
        check("  Ada.Lovelace+chat@Example.CO.uk ", Ok("Ada.Lovelace+chat@example.co.uk"));
        check("o'brien@sub-domain.example.org", Ok("o'brien@sub-domain.example.org"));
    }

    #[test]
    fn refuses_malformed_addresses() {
        check("", Err(EmailError::Empty));
        check("   ", Err(EmailError::Empty));
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada@example.c",
            "ada@exa mple.com",
            "a da@example.com",
            "ada@@example.com",
            "ada@-example.com",
            "ada@example..com",
            ".ada@example.com",
            "ada..l@example.com",
            "ada@example.123",
            "<script>@example.com",
        ] {
            check(bad, Err(EmailError::Malformed));
        }
        check(&format!("{}@example.com", "a".repeat(250)), Err(EmailError::TooLong));
    }

    #[test]
    fn domain_is_lowercased() {
        let email = Email::parse("x@ACME.io").map_err(|e| e.to_string());
        assert_eq!(email.as_ref().map(Email::domain), Ok("acme.io"));
    }
}
