//! The HTTP side: the shared server of [`crate::fake_http`] with Marketo's HTTP-level limits
//! (413 past a 1 MB body, 414 past an 8 KB URI), requests seen as a [`Call`], Marketo's reading
//! of JSON bodies, and a [`Reply`] written back (an export file generated as it is written,
//! with its computed `Content-Length`).

use super::envelope::{MarketoError, Reply, documented};
use crate::fake_http::{Limits, Refusal, Respond};
use serde_json::Value;
use std::io::{self, Write};

/// One request as the handlers see it.
pub(crate) use crate::fake_http::Request as Call;

/// Marketo answers 413 past a 1 MB body and 414 past an 8 KB URI.
pub(crate) const LIMITS: Limits = Limits { max_body: 1024 * 1024, max_uri: 8 * 1024 };

/// Marketo's reading of a POST's JSON body.
pub(crate) trait JsonBody {
    /// The JSON body of a POST: Marketo wants `Content-Type: application/json` (612) and valid
    /// JSON (609).
    fn json_body(&self) -> Result<Value, MarketoError>;
}

impl JsonBody for Call {
    fn json_body(&self) -> Result<Value, MarketoError> {
        if !self.has_content_type("application/json") {
            return Err(documented(612));
        }
        serde_json::from_slice(&self.body).map_err(|_| documented(609))
    }
}

/// The plain-text reply to a request refused at the HTTP level.
pub(crate) fn refusal_reply(refusal: Refusal) -> Reply {
    Reply::text(refusal.status, refusal.message)
}

impl Respond for Reply {
    fn status(&self) -> u16 {
        self.status
    }

    fn content_type(&self) -> &str {
        self.content_type
    }

    fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    fn body_len(&self) -> u64 {
        self.streamed.as_ref().map_or(self.body.len() as u64, |s| s.len())
    }

    fn write_body(&self, out: &mut dyn Write) -> io::Result<()> {
        match &self.streamed {
            Some(streamed) => streamed.write_to(out),
            None => out.write_all(&self.body),
        }
    }
}
