//! The Configuration tab's pure decisions: the draft an admin edits, its problems keyed as the
//! edge keys them (`name`, `allowed_origins`, `branding.primary_color`, …), origins as the edge
//! normalises them, the avatar's size once encoded, and the ids of the inputs problems point
//! at. Compiled and tested natively; nothing here touches the browser.

use confab_domain::api::{Branding, MAX_AVATAR_BYTES, contrast_ratio};
use std::collections::BTreeMap;

/// Most origins one site may allow (the edge's limit).
pub const MAX_ORIGINS: usize = 50;

/// The avatar types the widget shows.
pub const AVATAR_TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

/// What the Configuration tab edits: the parts `PUT config` replaces.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// The site's name.
    pub name: String,
    /// Origins the widget may run on, normalised.
    pub allowed_origins: Vec<String>,
    /// Look and behaviour of the widget.
    pub branding: Branding,
}

/// A branding number field whose input does not hold a whole number: the draft keeps the
/// last good value, and the field says what to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NumberField {
    /// `branding.offset_x`.
    OffsetX,
    /// `branding.offset_y`.
    OffsetY,
    /// `branding.typing_delay_ms`.
    TypingDelay,
}

impl NumberField {
    /// The problem key of the field.
    pub fn key(self) -> &'static str {
        match self {
            NumberField::OffsetX => "branding.offset_x",
            NumberField::OffsetY => "branding.offset_y",
            NumberField::TypingDelay => "branding.typing_delay_ms",
        }
    }

    /// The largest value accepted.
    pub fn max(self) -> u32 {
        match self {
            NumberField::OffsetX | NumberField::OffsetY => 200,
            NumberField::TypingDelay => 5_000,
        }
    }

    /// What to type, as a sentence.
    pub fn rule(self) -> String {
        match self {
            NumberField::OffsetX | NumberField::OffsetY => "Enter a whole number of pixels from 0 to 200.".to_owned(),
            NumberField::TypingDelay => "Enter a whole number of milliseconds from 0 to 5,000.".to_owned(),
        }
    }

    /// The number an input holds, when it is a whole number in range.
    pub fn parse(self, text: &str) -> Option<u32> {
        text.trim().parse::<u32>().ok().filter(|n| *n <= self.max())
    }
}

/// Every problem of the draft at once, keyed as the edge keys them, so the edge's own answer
/// and this check put their sentences in the same places. `unparsed` are the number inputs
/// that do not hold a whole number.
pub fn problems(draft: &Draft, unparsed: &[NumberField]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let name = draft.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        out.insert("name".to_owned(), "The site's name must be 1 to 100 characters.".to_owned());
    }
    if draft.allowed_origins.len() > MAX_ORIGINS {
        out.insert("allowed_origins".to_owned(), format!("A site may allow at most {MAX_ORIGINS} origins."));
    } else if let Some(bad) = draft.allowed_origins.iter().find(|o| !is_origin(o)) {
        out.insert("allowed_origins".to_owned(), origin_rule(bad));
    }
    for (field, message) in draft.branding.problems() {
        // The domain reports both offsets under `offset_x`; each input says its own below.
        if field != "offset_x" {
            out.entry(format!("branding.{field}")).or_insert(message);
        }
    }
    for field in [NumberField::OffsetX, NumberField::OffsetY] {
        let value = match field {
            NumberField::OffsetX => draft.branding.offset_x,
            _ => draft.branding.offset_y,
        };
        if value > field.max() {
            out.insert(field.key().to_owned(), field.rule());
        }
    }
    for field in unparsed {
        out.insert(field.key().to_owned(), field.rule());
    }
    out
}

/// The id of the input a problem key belongs to: `branding.primary_color` →
/// `config-branding-primary-color`.
pub fn input_id(key: &str) -> String {
    format!("config-{}", key.replace(['.', '_'], "-"))
}

/// The problem key to show first: the first in the form's reading order.
pub fn first_problem(problems: &BTreeMap<String, String>) -> Option<&str> {
    const ORDER: [&str; 17] = [
        "name",
        "allowed_origins",
        "branding.bot_name",
        "branding.avatar",
        "branding.primary_color",
        "branding.on_primary_color",
        "branding.background_color",
        "branding.text_color",
        "branding.font",
        "branding.launcher_position",
        "branding.offset_x",
        "branding.offset_y",
        "branding.typing_delay_ms",
        "branding.teaser",
        "branding.sound",
        "branding.privacy_url",
        "",
    ];
    ORDER.iter().find(|k| problems.contains_key(**k)).copied().or_else(|| problems.keys().next().map(String::as_str))
}

/// Whether `origin` is a bare `scheme://host[:port]` origin, as the edge checks it.
pub fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else { return false };
    let host_ok = |h: &str| {
        !h.is_empty() && h.len() <= 253 && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    matches!(scheme, "https" | "http")
        && host_ok(host)
        && port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()))
}

fn origin_rule(bad: &str) -> String {
    format!("{bad:?} is not an origin: write it like https://www.example.com, without a path.")
}

/// An origin as typed, normalised as the edge stores it (trimmed, lower case, no trailing
/// slash), or the sentence saying what is wrong with it.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim().trim_end_matches('/').to_ascii_lowercase();
    if origin.is_empty() {
        return Err("Type an origin such as https://www.example.com.".to_owned());
    }
    if !origin.contains("://") {
        return Err(format!("Add the scheme: https://{origin}."));
    }
    if is_origin(&origin) { Ok(origin) } else { Err(origin_rule(text.trim())) }
}

/// `origins` with `added` in sorted place, as the edge stores the list; `Err` when it is
/// already there or the list is full.
pub fn add_origin(origins: &[String], added: String) -> Result<Vec<String>, String> {
    if origins.contains(&added) {
        return Err(format!("{added} is already allowed."));
    }
    if origins.len() >= MAX_ORIGINS {
        return Err(format!("A site may allow at most {MAX_ORIGINS} origins."));
    }
    let mut list = origins.to_vec();
    list.push(added);
    list.sort();
    Ok(list)
}

/// The length of the `data:` URL of a `size`-byte file of type `mime` (base64 makes four
/// characters of every three bytes).
pub fn data_url_len(mime: &str, size: u64) -> u64 {
    format!("data:{mime};base64,").len() as u64 + size.div_ceil(3) * 4
}

/// Why a chosen file cannot be the avatar, or `None` when it can.
pub fn avatar_problem(mime: &str, size: u64) -> Option<String> {
    if !AVATAR_TYPES.contains(&mime) {
        return Some("Choose a PNG, JPEG or WebP image.".to_owned());
    }
    (data_url_len(mime, size) > MAX_AVATAR_BYTES as u64).then(|| {
        format!(
            "This image is {}; the avatar can be at most {} (256 KB once encoded). Choose a smaller image.",
            kilobytes(size),
            kilobytes(MAX_AVATAR_BYTES as u64 * 3 / 4 - 32),
        )
    })
}

/// A size in whole kilobytes, rounded up: "190 KB".
pub fn kilobytes(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

/// `bytes` in standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The avatar's `data:` URL.
pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!("data:{mime};base64,{}", base64(bytes))
}

/// Whether `text` is a `#rrggbb` colour.
pub fn is_hex(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// A colour as typed, made into `#rrggbb` where it plainly means one (`4F46E5`, `#4F46E5`,
/// `#fff`); otherwise as typed, for the problem to show.
pub fn normalize_hex(text: &str) -> String {
    let t = text.trim();
    let digits = t.strip_prefix('#').unwrap_or(t);
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return t.to_owned();
    }
    match digits.len() {
        6 => format!("#{}", digits.to_ascii_lowercase()),
        3 => format!("#{}", digits.chars().flat_map(|c| [c, c]).collect::<String>().to_ascii_lowercase()),
        _ => t.to_owned(),
    }
}

/// `value` when it is a colour, else `fallback` (what the preview and the colour picker show
/// while a hex field holds something unfinished).
pub fn shown_color<'a>(value: &'a str, fallback: &'a str) -> &'a str {
    if is_hex(value) { value } else { fallback }
}

/// The contrast of a text colour on its background, as a short line ("Contrast 7.1:1 ·
/// passes AA") and whether it passes WCAG AA for normal text; `None` when either is not a
/// colour.
pub fn contrast_line(fg: &str, bg: &str) -> Option<(String, bool)> {
    let ratio = contrast_ratio(fg, bg)?;
    let pass = ratio >= 4.5;
    let verdict = if pass { "passes WCAG AA" } else { "below WCAG AA (4.5:1)" };
    Some((format!("Contrast {ratio:.1}:1 · {verdict}"), pass))
}

/// The name of the CSS `font-family` the preview uses: the admin's own font for `inherit`.
pub fn preview_font(font: &str) -> &str {
    if font == "inherit" || font.trim().is_empty() { "inherit" } else { font }
}

/// The initial shown in place of an avatar: the bot name's first letter, upper case.
pub fn initial(bot_name: &str) -> String {
    bot_name.trim().chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_else(|| "?".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            name: "Acme".into(),
            allowed_origins: vec!["https://www.acme.com".into()],
            branding: Branding::default(),
        }
    }

    #[test]
    fn a_default_draft_has_no_problem() {
        assert_eq!(problems(&draft(), &[]), BTreeMap::new());
    }

    #[test]
    fn problems_are_keyed_as_the_edge_keys_them() {
        let mut d = draft();
        d.name = "  ".into();
        d.allowed_origins.push("www.acme.com".into());
        d.branding.primary_color = "#12".into();
        d.branding.offset_y = 300;
        d.branding.privacy_url = "http://acme.com/privacy".into();
        let p = problems(&d, &[NumberField::TypingDelay]);
        let keys: Vec<&str> = p.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "allowed_origins",
                "branding.offset_y",
                "branding.primary_color",
                "branding.privacy_url",
                "branding.typing_delay_ms",
                "name"
            ]
        );
        assert_eq!(first_problem(&p), Some("name"));
        assert!(!p.contains_key("branding.offset_x"), "only the offset that is wrong is marked");
    }

    #[test]
    fn inputs_are_named_after_their_keys() {
        assert_eq!(input_id("branding.primary_color"), "config-branding-primary-color");
        assert_eq!(input_id("allowed_origins"), "config-allowed-origins");
        assert_eq!(input_id("name"), "config-name");
    }

    #[test]
    fn origins_are_normalised_and_checked_like_the_edge() {
        assert_eq!(parse_origin(" HTTPS://WWW.Acme.com/ "), Ok("https://www.acme.com".to_owned()));
        assert_eq!(parse_origin("http://localhost:8080"), Ok("http://localhost:8080".to_owned()));
        assert_eq!(parse_origin("acme.com"), Err("Add the scheme: https://acme.com.".to_owned()));
        assert!(parse_origin("https://acme.com/pricing").is_err());
        assert!(parse_origin("ftp://acme.com").is_err());
        assert!(parse_origin("https://acme.com:").is_err());
        assert!(parse_origin("").is_err());
        let list = add_origin(&["https://b.com".into()], "https://a.com".into());
        assert_eq!(list, Ok(vec!["https://a.com".to_owned(), "https://b.com".to_owned()]));
        assert!(add_origin(&["https://a.com".into()], "https://a.com".into()).is_err());
    }

    #[test]
    fn numbers_stay_in_range() {
        assert_eq!(NumberField::OffsetX.parse(" 24 "), Some(24));
        assert_eq!(NumberField::OffsetX.parse("201"), None);
        assert_eq!(NumberField::OffsetY.parse("-1"), None);
        assert_eq!(NumberField::TypingDelay.parse("5000"), Some(5_000));
        assert_eq!(NumberField::TypingDelay.parse("1.5"), None);
    }

    #[test]
    fn the_avatar_is_measured_once_encoded() {
        assert_eq!(data_url_len("image/png", 0), 22);
        assert_eq!(data_url_len("image/png", 3), 26);
        assert_eq!(data_url_len("image/png", 4), 30);
        assert_eq!(avatar_problem("image/png", 1_000), None);
        assert!(avatar_problem("image/gif", 1_000).is_some());
        // 196,590 bytes encode to 262,120 + 22 characters: just under the limit.
        assert_eq!(avatar_problem("image/png", 196_590), None);
        assert!(avatar_problem("image/png", 196_700).is_some());
        let png = data_url("image/png", &[1, 2, 3, 4]);
        assert_eq!(png.len() as u64, data_url_len("image/png", 4));
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn colours_are_tidied_and_their_contrast_reported() {
        assert_eq!(normalize_hex("4F46E5"), "#4f46e5");
        assert_eq!(normalize_hex("#FFF"), "#ffffff");
        assert_eq!(normalize_hex("blue"), "blue");
        assert_eq!(normalize_hex("#12"), "#12");
        assert_eq!(shown_color("#12", "#4f46e5"), "#4f46e5");
        assert_eq!(contrast_line("#ffffff", "#000000"), Some(("Contrast 21.0:1 · passes WCAG AA".to_owned(), true)));
        assert_eq!(contrast_line("#777777", "#777777").map(|(_, pass)| pass), Some(false));
        assert_eq!(contrast_line("#777", "#777777"), None);
    }

    #[test]
    fn the_preview_has_a_font_and_an_initial() {
        assert_eq!(preview_font("inherit"), "inherit");
        assert_eq!(preview_font("Inter, sans-serif"), "Inter, sans-serif");
        assert_eq!(initial(" ava"), "A");
        assert_eq!(initial(""), "?");
        assert_eq!(kilobytes(1), "1 KB");
        assert_eq!(kilobytes(2048), "2 KB");
    }
}
