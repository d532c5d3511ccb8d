//! The HTTP side, on `std::net`: HTTP/1.1 requests (with keep-alive, `Content-Length` or
//! chunked bodies) read into a [`Call`] (path, raw and decoded query, headers, body), with
//! Marketo's HTTP-level limits (413 past a 1 MB body, 414 past an 8 KB URI), and a
//! [`Reply`] written back (an export file generated as it is written, with its computed
//! `Content-Length`).

use super::envelope::{MarketoError, Reply, documented};
use serde_json::Value;
use std::io::{self, BufRead, BufWriter, Read, Write};

/// Marketo answers 413 past a 1 MB body.
const MAX_BODY: usize = 1024 * 1024;
/// Marketo answers 414 past an 8 KB URI.
const MAX_URI: usize = 8 * 1024;
/// The longest request or header line read.
const MAX_LINE: u64 = 16 * 1024;
/// The most header lines read.
const MAX_HEADERS: usize = 100;

/// One request as the handlers see it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Call {
    pub method: String,
    pub path: String,
    pub query: String,
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Call {
    /// The first decoded value of query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The bearer token of the `Authorization` header, if it has one.
    pub fn bearer(&self) -> Option<&str> {
        let value = self.header("Authorization")?.trim();
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
    }

    /// The JSON body of a POST: Marketo wants `Content-Type: application/json` (612) and valid
    /// JSON (609).
    pub fn json_body(&self) -> Result<Value, MarketoError> {
        let is_json = self
            .header("Content-Type")
            .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !is_json {
            return Err(documented(612));
        }
        serde_json::from_slice(&self.body).map_err(|_| documented(609))
    }

    /// Form parameters of an `application/x-www-form-urlencoded` body, if it is one.
    pub fn form(&self) -> Vec<(String, String)> {
        let is_form = self.header("Content-Type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

/// A request read from a connection: the call, the HTTP-level error to answer instead of
/// serving it (after which the connection closes), and whether the client wants the
/// connection kept open.
#[derive(Debug)]
pub(crate) struct Incoming {
    pub call: Call,
    pub refused: Option<Reply>,
    pub keep_alive: bool,
}

/// Reads one request from a connection; `None` when the client closed it between requests.
pub(crate) fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut line = match read_line(reader)? {
        None => return Ok(None),
        Some(line) => line,
    };
    // A client may send an empty line before a request (RFC 9112, 2.2).
    if line.is_empty() {
        line = match read_line(reader)? {
            None => return Ok(None),
            Some(line) => line,
        };
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(refuse(Call::default(), Reply::text(400, "Bad Request")));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut call = Call {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        params: form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    loop {
        let header = read_line(reader)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        if header.is_empty() {
            break;
        }
        if call.headers.len() >= MAX_HEADERS {
            return Ok(refuse(call, Reply::text(431, "Request Header Fields Too Large")));
        }
        match header.split_once(':') {
            Some((name, value)) => call.headers.push((name.trim().to_owned(), value.trim().to_owned())),
            None => return Ok(refuse(call, Reply::text(400, "Bad Request"))),
        }
    }
    if target.len() > MAX_URI {
        return Ok(refuse(call, Reply::text(414, "Request-URI Too Long")));
    }
    let connection = call.header("Connection").map(str::to_ascii_lowercase).unwrap_or_default();
    let keep_alive = match version {
        "HTTP/1.1" => !connection.contains("close"),
        "HTTP/1.0" => connection.contains("keep-alive"),
        _ => return Ok(refuse(call, Reply::text(505, "HTTP Version Not Supported"))),
    };
    let chunked = call.header("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(reader)?
    } else {
        match call.header("Content-Length").map(|l| l.parse::<usize>()) {
            None => Some(Vec::new()),
            Some(Err(_)) => return Ok(refuse(call, Reply::text(400, "Bad Request"))),
            Some(Ok(length)) if length > MAX_BODY => None,
            Some(Ok(length)) => {
                let mut body = vec![0; length];
                reader.read_exact(&mut body)?;
                Some(body)
            }
        }
    };
    match body {
        Some(body) => {
            call.body = body;
            Ok(Some(Incoming { call, refused: None, keep_alive }))
        }
        None => Ok(refuse(call, Reply::text(413, "Request Entity Too Large"))),
    }
}

fn refuse(call: Call, reply: Reply) -> Option<Incoming> {
    Some(Incoming { call, refused: Some(reply), keep_alive: false })
}

/// A line without its CRLF, or `None` at the end of the stream.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    if reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long or cut short"));
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()))
}

/// A chunked body, or `None` when it grows past the limit.
fn read_chunked(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while read_line(reader)?.is_some_and(|l| !l.is_empty()) {}
            return Ok(Some(body));
        }
        if body.len() + size > MAX_BODY {
            return Ok(None);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        read_line(reader)?;
    }
}

/// Writes `reply`, saying whether the connection stays open.
pub(crate) fn write_reply(out: &mut impl Write, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    let length = reply.streamed.as_ref().map_or(reply.body.len() as u64, |s| s.len());
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nConnection: {}\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        if keep_alive { "keep-alive" } else { "close" },
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    out.write_all(head.as_bytes())?;
    match &reply.streamed {
        Some(streamed) => streamed.write_to(&mut out)?,
        None => out.write_all(&reply.body)?,
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}
