//! Reading requests: HTTP/1.1 requests (with keep-alive, `Content-Length` or chunked bodies)
//! read into a [`Request`] (path, raw and decoded query, headers, body), refused with a
//! [`Refusal`] when they break the server's [`Limits`] or HTTP itself.

use std::io::{self, BufRead, Read};

/// The longest request or header line read.
const MAX_LINE: u64 = 16 * 1024;
/// The most header lines read.
const MAX_HEADERS: usize = 100;

/// One request as a fake's handlers see it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The method, as sent (`GET`, `POST`, …).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string as sent (still percent-encoded), without the `?`.
    pub query: String,
    /// The query parameters, decoded.
    pub params: Vec<(String, String)>,
    /// The headers, in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl Request {
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

    /// Whether the `Content-Type` is `media_type` (parameters such as `charset` aside).
    pub fn has_content_type(&self, media_type: &str) -> bool {
        self.header("Content-Type")
            .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case(media_type)))
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

/// The HTTP-level limits a server enforces before a handler sees a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bodies longer than this are refused with 413.
    pub max_body: usize,
    /// Request targets (path and query) longer than this are refused with 414.
    pub max_uri: usize,
}

impl Default for Limits {
    /// 1 MB bodies and 8 KB URIs (Marketo's documented limits, and generous for the others).
    fn default() -> Self {
        Limits { max_body: 1024 * 1024, max_uri: 8 * 1024 }
    }
}

/// Why a request was refused before reaching a handler: the status and a plain-text message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// 400, 413, 414, 431 or 505.
    pub status: u16,
    /// The reason phrase, sent as the plain-text body.
    pub message: &'static str,
}

/// A request read from a connection: the request, the HTTP-level refusal to answer instead of
/// serving it (after which the connection closes), and whether the client wants the connection
/// kept open.
#[derive(Debug)]
pub struct Incoming {
    /// The request (as much of it as was read, when refused).
    pub request: Request,
    /// Set when the request broke HTTP or the [`Limits`].
    pub refused: Option<Refusal>,
    /// Whether the client asked to keep the connection open.
    pub keep_alive: bool,
}

/// Reads one request from a connection; `None` when the client closed it between requests.
pub fn read_request(reader: &mut impl BufRead, limits: Limits) -> io::Result<Option<Incoming>> {
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
        return Ok(refuse(Request::default(), 400, "Bad Request"));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
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
        if request.headers.len() >= MAX_HEADERS {
            return Ok(refuse(request, 431, "Request Header Fields Too Large"));
        }
        match header.split_once(':') {
            Some((name, value)) => request.headers.push((name.trim().to_owned(), value.trim().to_owned())),
            None => return Ok(refuse(request, 400, "Bad Request")),
        }
    }
    if target.len() > limits.max_uri {
        return Ok(refuse(request, 414, "Request-URI Too Long"));
    }
    let connection = request.header("Connection").map(str::to_ascii_lowercase).unwrap_or_default();
    let keep_alive = match version {
        "HTTP/1.1" => !connection.contains("close"),
        "HTTP/1.0" => connection.contains("keep-alive"),
        _ => return Ok(refuse(request, 505, "HTTP Version Not Supported")),
    };
    let chunked = request.header("Transfer-Encoding").is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(reader, limits.max_body)?
    } else {
        match request.header("Content-Length").map(|l| l.parse::<usize>()) {
            None => Some(Vec::new()),
            Some(Err(_)) => return Ok(refuse(request, 400, "Bad Request")),
            Some(Ok(length)) if length > limits.max_body => None,
            Some(Ok(length)) => {
                let mut body = vec![0; length];
                reader.read_exact(&mut body)?;
                Some(body)
            }
        }
    };
    match body {
        Some(body) => {
            request.body = body;
            Ok(Some(Incoming { request, refused: None, keep_alive }))
        }
        None => Ok(refuse(request, 413, "Request Entity Too Large")),
    }
}

fn refuse(request: Request, status: u16, message: &'static str) -> Option<Incoming> {
    Some(Incoming { request, refused: Some(Refusal { status, message }), keep_alive: false })
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

/// A chunked body, or `None` when it grows past `max_body`.
fn read_chunked(reader: &mut impl BufRead, max_body: usize) -> io::Result<Option<Vec<u8>>> {
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
        if body.len() + size > max_body {
            return Ok(None);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        read_line(reader)?;
    }
}
