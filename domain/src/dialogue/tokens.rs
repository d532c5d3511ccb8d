//! Personalisation tokens in bot texts: `{{lead.firstName}}` or `{{lead.firstName:"there"}}`.
//!
//! A token names a lead field and may give a default in double quotes. When rendered, a token
//! becomes the field's value; when the field is unknown or blank, its default; without a
//! default, nothing. Anything between `{{` and `}}` that is not a token is shown as written
//! (the validator reports it), as is a `{{` that is never closed.

/// A part of a text, as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// A personalisation token.
    Token {
        /// The lead field, without the `lead.` prefix.
        field: &'a str,
        /// The text shown when the field is unknown.
        default: Option<&'a str>,
    },
    /// Something between `{{` and `}}` (or an unclosed `{{…`) that is not a token, braces included.
    Malformed(&'a str),
}

/// Splits `text` into plain text and tokens.
pub(super) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let (before, from_open) = rest.split_at(open);
        if !before.is_empty() {
            out.push(Piece::Text(before));
        }
        let Some(close) = from_open.get(2..).and_then(|s| s.find("}}")) else {
            out.push(Piece::Malformed(from_open));
            return out;
        };
        let (whole, after) = from_open.split_at(close + 4);
        let inner = whole.get(2..close + 2).unwrap_or_default();
        out.push(token(inner).unwrap_or(Piece::Malformed(whole)));
        rest = after;
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Parses what stands between the braces: `lead.<field>` with an optional `:"default"`.
fn token(inner: &str) -> Option<Piece<'_>> {
    let inner = inner.trim().strip_prefix("lead.")?;
    let (field, default) = match inner.split_once(':') {
        Some((field, default)) => {
            let default = default.trim().strip_prefix('"')?.strip_suffix('"')?;
            if default.contains('"') {
                return None;
            }
            (field.trim_end(), Some(default))
        }
        None => (inner, None),
    };
    let name_ok = !field.is_empty() && field.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    name_ok.then_some(Piece::Token { field, default })
}

/// Renders `text`, replacing each token with `lookup(field)` when that is known and not blank,
/// else with the token's default, else with nothing.
pub(super) fn render<'v>(text: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(s) | Piece::Malformed(s) => out.push_str(s),
            Piece::Token { field, default } => match lookup(field).map(str::trim).filter(|v| !v.is_empty()) {
                Some(value) => out.push_str(value),
                None => out.push_str(default.unwrap_or_default()),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(field: &str) -> Option<&'static str> {
        match field {
            "firstName" => Some("Ada"),
            "company" => Some("  "),
            _ => None,
        }
    }

    #[test]
    fn tokens_render_values_defaults_or_nothing() {
        let cases = [
            ("Hi {{lead.firstName}}!", "Hi Ada!"),
            ("Hi {{ lead.firstName : \"there\" }}!", "Hi Ada!"),
            ("Hi {{lead.lastName:\"there\"}}!", "Hi there!"),
            ("Hi {{lead.lastName}}!", "Hi !"),
            ("At {{lead.company:\"your company\"}}", "At your company"),
            ("{{lead.firstName}}{{lead.firstName}}", "AdaAda"),
            ("No tokens", "No tokens"),
            ("", ""),
            ("Braces {{ stay }} as {{written", "Braces {{ stay }} as {{written"),
            ("{{answer.intent}}", "{{answer.intent}}"),
            ("{{lead.first name}}", "{{lead.first name}}"),
            ("{{lead.x:unquoted}}", "{{lead.x:unquoted}}"),
            ("{{lead.x:\"a\"b\"}}", "{{lead.x:\"a\"b\"}}"),
            ("{{lead.x:\"\"}}.", "."),
            ("é {{lead.firstName}} ü", "é Ada ü"),
            ("{{}}", "{{}}"),
            ("{{{lead.firstName}}}", "{{{lead.firstName}}}"),
        ];
        for (text, expected) in cases {
            assert_eq!(render(text, lookup), expected, "{text:?}");
        }
    }

    #[test]
    fn pieces_separate_text_tokens_and_mistakes() {
        assert_eq!(
            pieces("Hi {{lead.firstName:\"there\"}}, {{oops}}"),
            vec![
                Piece::Text("Hi "),
                Piece::Token { field: "firstName", default: Some("there") },
                Piece::Text(", "),
                Piece::Malformed("{{oops}}"),
            ]
        );
    }
}
