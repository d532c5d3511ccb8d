//! A text value from an export file as typed JSON, by the field's Marketo data type.

use super::time::{is_date, is_datetime};
use serde_json::{Number, Value};

/// How a field's text is read, from its Marketo `dataType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `integer`, `score`: a JSON integer.
    Integer,
    /// `float`, `currency`, `percent`: a JSON number.
    Float,
    /// `boolean`: `true`/`false`/`1`/`0`.
    Boolean,
    /// `date`: `YYYY-MM-DD`, kept as text.
    Date,
    /// `datetime`: RFC 3339, kept as text.
    DateTime,
    /// Everything else (`string`, `email`, `phone`, `text`, `url`, unknown types): text.
    Text,
}

impl Kind {
    /// The kind of a Marketo data type.
    pub(crate) fn of(data_type: &str) -> Kind {
        match data_type {
            "integer" | "score" => Kind::Integer,
            "float" | "currency" | "percent" => Kind::Float,
            "boolean" => Kind::Boolean,
            "date" => Kind::Date,
            "datetime" => Kind::DateTime,
            _ => Kind::Text,
        }
    }

    /// What a value of this kind must look like, for skip reasons.
    pub(crate) fn expected(self) -> &'static str {
        match self {
            Kind::Integer => "not an integer",
            Kind::Float => "not a number",
            Kind::Boolean => "not true, false, 1 or 0",
            Kind::Date => "not a date (YYYY-MM-DD)",
            Kind::DateTime => "not an RFC 3339 datetime",
            Kind::Text => "not text",
        }
    }

    /// `text` (non-empty) as JSON of this kind, or `None` when it does not fit.
    pub(crate) fn convert(self, text: &str) -> Option<Value> {
        let trimmed = text.trim();
        match self {
            Kind::Integer => trimmed.parse::<i64>().ok().map(Value::from),
            Kind::Float => trimmed.parse::<f64>().ok().and_then(Number::from_f64).map(Value::Number),
            Kind::Boolean => match trimmed {
                "1" => Some(Value::Bool(true)),
                "0" => Some(Value::Bool(false)),
                t if t.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
                t if t.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
                _ => None,
            },
            Kind::Date => is_date(trimmed).then(|| Value::from(trimmed)),
            Kind::DateTime => is_datetime(trimmed).then(|| Value::from(trimmed)),
            Kind::Text => Some(Value::from(text)),
        }
    }
}
