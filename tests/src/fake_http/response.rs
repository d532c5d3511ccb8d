//! Writing answers: anything [`Respond`] (a status, headers and a body of known length, which
//! may be generated while it is written) goes out with `Content-Length` and `Connection`
//! headers; [`Response`] is the plain kind.

use serde_json::Value;
use std::io::{self, BufWriter, Write};

/// What a server can write back.
pub trait Respond {
    /// The HTTP status.
    fn status(&self) -> u16;
    /// The `Content-Type`; an empty one is not sent.
    fn content_type(&self) -> &str;
    /// Headers besides `Content-Type`, `Content-Length` and `Connection`.
    fn headers(&self) -> &[(String, String)];
    /// How many bytes [`Respond::write_body`] writes.
    fn body_len(&self) -> u64;
    /// Writes the body.
    fn write_body(&self, out: &mut dyn Write) -> io::Result<()>;
}

/// A status, headers and a body held in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`; empty for none.
    pub content_type: String,
    /// Other headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON body (`application/json; charset=UTF-8`) with `status`.
    pub fn json(status: u16, body: &Value) -> Self {
        Response {
            status,
            content_type: "application/json; charset=UTF-8".to_owned(),
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    /// A plain-text body with `status`.
    pub fn text(status: u16, body: &str) -> Self {
        Response {
            status,
            content_type: "text/plain; charset=UTF-8".to_owned(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// An HTML page with `status`.
    pub fn html(status: u16, body: &str) -> Self {
        Response {
            status,
            content_type: "text/html; charset=UTF-8".to_owned(),
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// No body and no `Content-Type` (a 204, a 202).
    pub fn empty(status: u16) -> Self {
        Response { status, content_type: String::new(), headers: Vec::new(), body: Vec::new() }
    }

    /// A `302 Found` to `location`.
    pub fn redirect(location: &str) -> Self {
        Response::empty(302).with_header("Location", location)
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl Respond for Response {
    fn status(&self) -> u16 {
        self.status
    }

    fn content_type(&self) -> &str {
        &self.content_type
    }

    fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    fn body_len(&self) -> u64 {
        self.body.len() as u64
    }

    fn write_body(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.body)
    }
}

/// Writes `response`, saying whether the connection stays open.
pub fn write_response(out: &mut impl Write, response: &impl Respond, keep_alive: bool) -> io::Result<()> {
    let status = response.status();
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    if !response.content_type().is_empty() {
        head.push_str(&format!("Content-Type: {}\r\n", response.content_type()));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: {}\r\n",
        response.body_len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    for (name, value) in response.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    out.write_all(head.as_bytes())?;
    response.write_body(&mut out)?;
    out.flush()
}

/// The reason phrase of `status`.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}
