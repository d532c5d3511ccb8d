//! The Munchkin tracking cookie `_mkto_trk`: `id:<munchkin id>&token:_mch-<host>-<ms>-<n>`,
//! for example `id:561-HYG-937&token:_mch-marketo.com-1427205775289-40768`. Leads keep the
//! token part (as Marketo's exports show it); lookups and associations send the whole value,
//! whose `&` a client must percent-encode in a query string.

/// The token of a whole cookie value, or `None` when the value is malformed (Marketo's 1012).
pub(crate) fn token_of(cookie: &str) -> Option<&str> {
    let rest = cookie.strip_prefix("id:")?;
    let (munchkin, token) = rest.split_once("&token:")?;
    (is_munchkin_id(munchkin) && is_token(token)).then_some(token)
}

/// The token of a seeded cookie: either a whole cookie value or a bare `_mch-…` token.
pub(crate) fn seed_token(value: &str) -> Option<&str> {
    if is_token(value) { Some(value) } else { token_of(value) }
}

/// `123-ABC-456`: three digits, three letters, three digits.
fn is_munchkin_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    matches!(parts.as_slice(), [a, b, c]
        if a.len() == 3 && a.bytes().all(|x| x.is_ascii_digit())
            && b.len() == 3 && b.bytes().all(|x| x.is_ascii_alphabetic())
            && c.len() == 3 && c.bytes().all(|x| x.is_ascii_digit()))
}

/// `_mch-<host>-<milliseconds>-<random digits>`.
fn is_token(token: &str) -> bool {
    let Some(rest) = token.strip_prefix("_mch-") else { return false };
    let parts: Vec<&str> = rest.rsplitn(3, '-').collect();
    matches!(parts.as_slice(), [random, millis, host]
        if !host.is_empty()
            && !host.contains(['&', ',', ' '])
            && !millis.is_empty() && millis.bytes().all(|x| x.is_ascii_digit())
            && !random.is_empty() && random.bytes().all(|x| x.is_ascii_digit()))
}
