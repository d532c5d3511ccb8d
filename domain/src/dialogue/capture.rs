//! What a capture card asks for and how the visitor's answer is checked.

use crate::email::{Email, EmailError};
use serde::{Deserialize, Serialize};

/// The kind of answer a capture card expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptureKind {
    /// An email address, checked with [`Email::parse`].
    Email,
    /// A phone number: digits, spaces and `+ ( ) -`, with 6 to 20 digits.
    Phone,
    /// Free text of 1 to 1000 characters.
    Text,
}

/// Fewest and most digits in a phone number.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 6..=20;
/// Longest free-text answer, in characters.
const MAX_TEXT_CHARS: usize = 1000;

/// Why a visitor's answer to a capture card was refused; the message is shown to the visitor as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Not a valid email address.
    #[error("{0}")]
    Email(#[from] EmailError),
    /// Nothing was typed where a phone number was expected.
    #[error("Please enter your phone number.")]
    PhoneEmpty,
    /// The phone number holds something other than digits, spaces and `+ ( ) -`.
    #[error("A phone number may contain only digits, spaces and + ( ) -.")]
    PhoneCharacters,
    /// Too few or too many digits for a phone number.
    #[error("Please enter a phone number with 6 to 20 digits.")]
    PhoneDigits,
    /// Nothing was typed.
    #[error("Please type an answer.")]
    TextEmpty,
    /// The answer is longer than 1000 characters.
    #[error("Please keep your answer to 1000 characters or fewer.")]
    TextTooLong,
}

impl CaptureKind {
    /// Checks `input` and returns the value to store: the parsed address for an email, the
    /// trimmed text otherwise.
    pub fn check(self, input: &str) -> Result<String, AnswerError> {
        let input = input.trim();
        match self {
            CaptureKind::Email => Ok(Email::parse(input)?.to_string()),
            CaptureKind::Phone => {
                if input.is_empty() {
                    return Err(AnswerError::PhoneEmpty);
                }
                if !input.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
                    return Err(AnswerError::PhoneCharacters);
                }
                let digits = input.chars().filter(char::is_ascii_digit).count();
                if !PHONE_DIGITS.contains(&digits) {
                    return Err(AnswerError::PhoneDigits);
                }
                Ok(input.to_owned())
            }
            CaptureKind::Text => {
                if input.is_empty() {
                    return Err(AnswerError::TextEmpty);
                }
                if input.chars().count() > MAX_TEXT_CHARS {
                    return Err(AnswerError::TextTooLong);
                }
                Ok(input.to_owned())
            }
        }
    }
}
