//! Lowercasing for case-insensitive conditions, exactly as the standard library does it
//! (`char::to_lowercase`, and `str::to_lowercase` with its word-final sigma), from tables a
//! tenth the size of the standard library's: conditions run in the widget, where those tables
//! alone cost about 7 KB of brotli'd wasm. The tables are a plain linear read, fine for the
//! few short values a condition compares; the tests check every character against the
//! standard library and regenerate the tables when its Unicode version moves on.

/// `text` with each character lowercased on its own, as
/// `text.chars().flat_map(char::to_lowercase)` gives it.
pub(crate) fn chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push(&mut out, c);
    }
    out
}

/// `text` lowercased as `str::to_lowercase` does it: each character on its own, except that a
/// capital sigma ending a word becomes `ς`.
pub(crate) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if c == 'Σ' {
            // Unicode's Final_Sigma: a cased letter before it and none after it, skipping
            // case-ignorable characters both ways. `Σ` is two bytes long.
            let before = text.get(..at).unwrap_or_default().chars().rev();
            let after = text.get(at + 2..).unwrap_or_default().chars();
            out.push(if cased_next(before) && !cased_next(after) { 'ς' } else { 'σ' });
        } else {
            push(&mut out, c);
        }
    }
    out
}

/// Whether the first character that is not case-ignorable is cased.
fn cased_next(mut chars: impl Iterator<Item = char>) -> bool {
    chars.find(|&c| !in_ranges(&CASE_IGNORABLE, c)).is_some_and(|c| in_ranges(&CASED, c))
}

/// Pushes `c` lowercased, as `char::to_lowercase` gives it.
fn push(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if c == '\u{130}' {
        // The one character whose lowercase is two: a dotted capital I.
        out.push_str("i\u{307}");
    } else {
        out.push(lower(c));
    }
}

/// A non-ASCII character's single-character lowercase (itself when it has none).
fn lower(c: char) -> char {
    let (code, mut bytes, mut start) = (u32::from(c), LOWER.iter(), 0);
    while let Some(distance) = leb128(&mut bytes) {
        start += distance;
        let shape = leb128(&mut bytes).unwrap_or(0);
        let zigzag = leb128(&mut bytes).unwrap_or(0);
        if code < start {
            break;
        }
        let (count, step) = (shape / 2 + 1, shape % 2 + 1);
        let offset = code - start;
        if offset % step == 0 && offset / step < count {
            let delta = (zigzag >> 1) as i32 ^ -((zigzag & 1) as i32);
            return char::from_u32(code.wrapping_add_signed(delta)).unwrap_or(c);
        }
    }
    c
}

/// Whether `c` lies in one of the ranges of `table` (see [`CASE_IGNORABLE`]).
fn in_ranges(table: &[u8], c: char) -> bool {
    let code = u32::from(c);
    ranges(table).take_while(|&(start, _)| start <= code).any(|(_, end)| code < end)
}

/// The ranges of `table`, as `start..end`, in order.
fn ranges(table: &[u8]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let (mut bytes, mut end) = (table.iter(), 0);
    std::iter::from_fn(move || {
        let start = end + leb128(&mut bytes)?;
        end = start + leb128(&mut bytes)?;
        Some((start, end))
    })
}

/// The next LEB128 number of `bytes`.
fn leb128(bytes: &mut std::slice::Iter<'_, u8>) -> Option<u32> {
    let (mut value, mut shift) = (0, 0);
    loop {
        let byte = *bytes.next()?;
        value |= u32::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
    }
}

/// Non-ASCII characters whose lowercase is one other character, as runs: for each, the
/// distance from the previous run's first character, `(count - 1) × 2 + (step - 1)` and the
/// zigzag-encoded difference to the lowercase; each a LEB128 number.
const LOWER: [u8; 676] = [
    192, 1, 44, 64, 24, 12, 64, 40, 47, 2, 50, 5, 2, 7, 15, 2, 17, 45, 2, 46, 0, 241, 1, 1, 5, 2, 8, 0, 164, 3, 1, 3,
    2, 4, 0, 156, 3, 1, 0, 2, 2, 2, 154, 3, 2, 0, 2, 3, 0, 158, 1, 1, 0, 148, 3, 1, 0, 150, 3, 1, 0, 2, 2, 0, 154, 3,
    1, 0, 158, 3, 2, 0, 166, 3, 1, 0, 162, 3, 1, 0, 2, 4, 0, 166, 3, 1, 0, 170, 3, 2, 0, 172, 3, 1, 5, 2, 6, 0, 180, 3,
    1, 0, 2, 2, 0, 180, 3, 3, 0, 2, 2, 0, 180, 3, 1, 0, 2, 2, 2, 178, 3, 2, 3, 2, 4, 0, 182, 3, 1, 0, 2, 4, 0, 2, 8, 0,
    4, 1, 0, 2, 2, 0, 4, 1, 0, 2, 2, 0, 4, 1, 17, 2, 19, 17, 2, 19, 0, 4, 1, 3, 2, 4, 0, 193, 1, 1, 0, 111, 1, 39, 2,
    40, 0, 131, 2, 2, 17, 2, 24, 0, 214, 168, 1, 1, 0, 2, 2, 0, 197, 2, 1, 0, 208, 168, 1, 3, 0, 2, 2, 0, 133, 3, 1, 0,
    138, 1, 1, 0, 142, 1, 1, 9, 2, 170, 2, 3, 2, 6, 0, 2, 9, 0, 232, 1, 7, 0, 76, 2, 4, 74, 4, 0, 128, 1, 2, 2, 126, 3,
    32, 64, 18, 16, 64, 44, 0, 16, 9, 23, 2, 28, 0, 119, 3, 0, 2, 2, 0, 13, 1, 0, 2, 3, 4, 131, 2, 3, 30, 160, 1, 16,
    62, 64, 80, 33, 2, 42, 53, 2, 54, 0, 30, 1, 13, 2, 15, 95, 2, 97, 74, 96, 239, 22, 74, 192, 113, 39, 0, 192, 113,
    6, 0, 192, 113, 211, 5, 158, 1, 160, 223, 4, 80, 10, 16, 153, 17, 0, 2, 7, 84, 255, 46, 45, 4, 255, 46, 195, 2,
    149, 1, 2, 158, 1, 0, 253, 118, 2, 95, 2, 104, 14, 15, 16, 10, 15, 16, 14, 15, 16, 14, 15, 16, 10, 15, 17, 7, 15,
    15, 14, 15, 32, 14, 15, 16, 14, 15, 16, 14, 15, 16, 2, 15, 2, 2, 147, 1, 2, 0, 17, 12, 6, 171, 1, 4, 0, 17, 12, 2,
    15, 2, 2, 199, 1, 14, 2, 15, 2, 2, 223, 1, 2, 0, 13, 12, 2, 255, 1, 2, 2, 251, 1, 2, 0, 17, 170, 2, 0, 185, 117, 4,
    0, 253, 130, 1, 1, 0, 139, 129, 1, 7, 0, 56, 46, 30, 32, 35, 0, 2, 179, 6, 50, 52, 202, 14, 94, 96, 96, 0, 2, 2, 0,
    237, 167, 1, 1, 0, 203, 59, 1, 0, 205, 167, 1, 3, 5, 2, 6, 0, 183, 168, 1, 1, 0, 249, 167, 1, 1, 0, 189, 168, 1, 1,
    0, 187, 168, 1, 2, 0, 2, 3, 0, 2, 9, 2, 253, 168, 1, 2, 99, 2, 107, 3, 2, 7, 0, 2, 206, 242, 1, 45, 2, 64, 27, 2,
    162, 1, 13, 2, 16, 61, 2, 71, 3, 2, 4, 0, 135, 168, 4, 1, 9, 2, 13, 0, 2, 2, 0, 207, 148, 5, 3, 3, 2, 6, 19, 2, 20,
    0, 135, 149, 5, 1, 0, 157, 149, 5, 1, 0, 149, 149, 5, 1, 0, 129, 149, 5, 1, 0, 135, 149, 5, 2, 0, 163, 148, 5, 1,
    0, 211, 148, 5, 1, 0, 169, 148, 5, 1, 0, 192, 14, 1, 15, 2, 16, 0, 95, 1, 0, 133, 149, 5, 1, 0, 239, 168, 4, 1, 3,
    2, 4, 0, 205, 149, 5, 1, 15, 2, 16, 0, 129, 153, 5, 25, 0, 2, 172, 174, 1, 50, 64, 223, 9, 78, 80, 176, 1, 70, 80,
    192, 1, 20, 78, 12, 28, 78, 16, 12, 78, 8, 2, 78, 236, 13, 100, 128, 1, 208, 1, 42, 64, 208, 22, 62, 64, 160, 171,
    1, 62, 64, 96, 48, 54, 224, 244, 1, 66, 68,
];

/// `Case_Ignorable` characters as ranges: the distance from the previous range's end to the
/// next range, then its length, each a LEB128 number.
const CASE_IGNORABLE: [u8; 987] = [
    39, 1, 6, 1, 11, 1, 35, 1, 1, 1, 71, 1, 4, 1, 1, 1, 4, 1, 2, 2, 247, 3, 192, 1, 4, 2, 4, 1, 9, 2, 1, 1, 251, 1, 7,
    207, 1, 1, 5, 1, 49, 45, 1, 1, 1, 2, 1, 2, 1, 1, 44, 1, 11, 6, 10, 11, 1, 1, 35, 1, 10, 21, 16, 1, 101, 8, 1, 10,
    1, 4, 33, 1, 1, 1, 30, 27, 91, 11, 58, 11, 4, 1, 2, 1, 24, 24, 43, 3, 44, 1, 7, 2, 5, 9, 41, 58, 55, 1, 1, 1, 4, 8,
    4, 1, 3, 7, 10, 2, 13, 1, 15, 1, 58, 1, 4, 4, 8, 1, 20, 2, 26, 1, 2, 2, 57, 1, 4, 2, 4, 2, 2, 3, 3, 1, 30, 2, 3, 1,
    11, 2, 57, 1, 4, 5, 1, 2, 4, 1, 20, 2, 22, 6, 1, 1, 58, 1, 2, 1, 1, 4, 8, 1, 7, 2, 11, 2, 30, 1, 61, 1, 12, 1, 50,
    1, 3, 1, 55, 1, 1, 3, 5, 3, 1, 4, 7, 2, 11, 2, 29, 1, 58, 1, 2, 1, 6, 1, 5, 2, 20, 2, 28, 2, 57, 2, 4, 4, 8, 1, 20,
    2, 29, 1, 72, 1, 7, 3, 1, 1, 90, 1, 2, 7, 11, 9, 98, 1, 2, 9, 9, 1, 1, 7, 73, 2, 27, 1, 1, 1, 1, 1, 55, 14, 1, 5,
    1, 2, 5, 11, 1, 36, 9, 1, 102, 4, 1, 6, 1, 2, 2, 2, 25, 2, 4, 3, 16, 4, 13, 1, 2, 2, 6, 1, 15, 1, 94, 1, 224, 4, 3,
    178, 7, 3, 29, 2, 30, 2, 30, 2, 64, 2, 1, 7, 8, 1, 2, 11, 3, 1, 5, 1, 45, 5, 51, 1, 65, 2, 34, 1, 118, 3, 4, 2, 9,
    1, 6, 3, 219, 1, 2, 2, 1, 58, 1, 1, 7, 1, 1, 1, 1, 2, 8, 6, 10, 2, 1, 39, 1, 8, 46, 2, 12, 20, 4, 48, 1, 1, 5, 1,
    1, 5, 1, 40, 9, 12, 2, 32, 4, 2, 2, 1, 3, 56, 1, 1, 2, 3, 1, 1, 3, 58, 8, 2, 2, 64, 6, 82, 3, 1, 13, 1, 7, 4, 1, 6,
    1, 3, 2, 50, 63, 13, 1, 34, 101, 189, 3, 1, 1, 3, 11, 3, 13, 3, 13, 3, 13, 2, 12, 5, 8, 2, 10, 1, 2, 1, 2, 5, 49,
    5, 1, 10, 1, 1, 13, 1, 16, 13, 51, 33, 139, 23, 2, 113, 3, 125, 1, 15, 1, 96, 32, 47, 1, 213, 3, 1, 36, 4, 3, 5, 5,
    1, 93, 6, 93, 3, 150, 222, 1, 1, 226, 9, 6, 142, 2, 1, 98, 4, 1, 10, 1, 1, 28, 4, 80, 2, 14, 34, 78, 1, 23, 3, 102,
    4, 3, 2, 8, 1, 3, 1, 4, 1, 25, 2, 5, 1, 151, 1, 2, 26, 18, 13, 1, 38, 8, 25, 11, 46, 3, 48, 1, 2, 4, 2, 2, 17, 1,
    21, 2, 66, 6, 2, 2, 2, 2, 12, 1, 8, 1, 35, 1, 11, 1, 51, 1, 1, 3, 2, 2, 5, 2, 1, 1, 27, 1, 14, 2, 5, 2, 1, 1, 100,
    5, 9, 3, 121, 1, 2, 1, 4, 1, 176, 158, 1, 1, 147, 1, 17, 189, 4, 16, 3, 1, 12, 16, 34, 1, 2, 1, 169, 1, 1, 7, 1, 6,
    1, 11, 1, 35, 1, 1, 1, 47, 1, 45, 2, 67, 1, 21, 3, 129, 4, 1, 226, 1, 1, 149, 1, 5, 133, 8, 6, 1, 42, 1, 9, 198, 4,
    3, 1, 2, 5, 4, 40, 3, 4, 1, 165, 1, 2, 189, 4, 4, 38, 1, 26, 5, 1, 1, 187, 2, 2, 24, 1, 52, 6, 70, 11, 49, 4, 123,
    1, 54, 15, 41, 1, 2, 2, 10, 3, 49, 4, 2, 2, 2, 1, 4, 1, 10, 1, 50, 3, 36, 5, 1, 8, 62, 1, 12, 2, 52, 9, 10, 4, 2,
    1, 95, 3, 2, 1, 1, 2, 6, 1, 2, 1, 157, 1, 1, 3, 8, 21, 2, 57, 2, 3, 1, 37, 7, 3, 5, 70, 6, 13, 1, 1, 1, 1, 1, 14,
    2, 85, 8, 2, 3, 1, 1, 23, 1, 84, 6, 1, 1, 4, 2, 1, 2, 238, 1, 4, 6, 2, 1, 2, 27, 2, 85, 8, 2, 1, 1, 2, 106, 1, 1,
    1, 2, 6, 1, 1, 101, 1, 1, 1, 2, 4, 1, 5, 131, 2, 9, 1, 2, 128, 2, 2, 1, 1, 4, 1, 144, 1, 4, 2, 2, 4, 1, 32, 10, 40,
    6, 2, 4, 8, 1, 9, 6, 2, 3, 46, 13, 1, 2, 198, 1, 1, 1, 3, 1, 1, 201, 1, 7, 1, 6, 1, 1, 82, 22, 2, 7, 1, 2, 1, 2,
    122, 6, 3, 1, 1, 2, 1, 7, 1, 1, 72, 2, 3, 1, 1, 1, 65, 1, 153, 2, 2, 11, 2, 52, 5, 5, 1, 1, 1, 23, 1, 213, 41, 17,
    6, 15, 200, 89, 12, 3, 3, 192, 19, 5, 59, 7, 9, 4, 252, 3, 3, 40, 2, 226, 3, 1, 63, 17, 64, 2, 1, 2, 13, 2, 252,
    127, 4, 1, 7, 1, 2, 158, 25, 2, 1, 4, 220, 36, 46, 2, 23, 160, 4, 3, 9, 16, 2, 7, 30, 4, 148, 1, 3, 187, 15, 55, 4,
    50, 8, 1, 14, 1, 22, 5, 1, 15, 208, 10, 7, 1, 17, 2, 7, 1, 2, 1, 5, 5, 62, 33, 1, 160, 1, 14, 240, 2, 1, 61, 4,
    251, 3, 5, 254, 1, 2, 243, 1, 1, 2, 1, 7, 2, 5, 1, 9, 1, 208, 3, 7, 109, 8, 175, 21, 5, 129, 152, 48, 1, 30, 96,
    128, 1, 240, 1,
];

/// `Cased` characters (those not case-ignorable), as [`CASE_IGNORABLE`] is written.
const CASED: [u8; 332] = [
    65, 26, 6, 26, 47, 1, 10, 1, 4, 1, 5, 23, 1, 31, 1, 195, 1, 1, 4, 4, 208, 1, 2, 26, 192, 1, 4, 2, 2, 3, 3, 1, 1, 6,
    1, 1, 3, 1, 1, 1, 20, 1, 83, 1, 139, 1, 8, 166, 1, 1, 38, 9, 41, 151, 22, 38, 1, 1, 5, 1, 2, 43, 2, 3, 160, 5, 86,
    2, 6, 130, 17, 11, 5, 43, 2, 3, 64, 44, 63, 13, 1, 34, 101, 150, 2, 2, 6, 2, 38, 2, 6, 2, 8, 1, 1, 1, 1, 1, 1, 1,
    31, 2, 53, 1, 7, 1, 1, 3, 3, 1, 7, 3, 4, 2, 6, 4, 13, 5, 3, 1, 7, 133, 2, 1, 4, 1, 2, 10, 1, 1, 3, 5, 6, 1, 1, 1,
    1, 1, 1, 4, 1, 6, 4, 1, 2, 4, 5, 5, 4, 1, 17, 32, 3, 2, 177, 6, 52, 150, 14, 124, 2, 103, 6, 4, 3, 2, 12, 38, 1, 1,
    5, 1, 146, 242, 1, 46, 18, 28, 134, 1, 78, 1, 23, 3, 4, 1, 77, 24, 2, 3, 1, 181, 6, 43, 5, 9, 7, 80, 192, 158, 1,
    7, 12, 5, 137, 8, 26, 6, 26, 165, 9, 80, 96, 36, 4, 36, 116, 11, 1, 15, 1, 7, 1, 2, 1, 11, 1, 15, 1, 7, 1, 2, 195,
    13, 51, 13, 51, 93, 22, 10, 22, 154, 22, 64, 224, 170, 1, 64, 32, 25, 2, 25, 172, 202, 1, 85, 1, 71, 1, 2, 2, 1, 2,
    2, 2, 4, 1, 12, 1, 1, 1, 7, 1, 65, 1, 4, 2, 8, 1, 7, 1, 28, 1, 4, 1, 5, 1, 1, 3, 7, 1, 212, 2, 2, 25, 1, 25, 1, 31,
    1, 25, 1, 31, 1, 25, 1, 31, 1, 25, 1, 31, 1, 25, 1, 8, 180, 14, 10, 1, 20, 6, 6, 213, 19, 68, 236, 15, 26, 6, 26,
    6, 26,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn every_char() -> impl Iterator<Item = char> {
        (0..=0x10ffff).filter_map(char::from_u32)
    }

    #[test]
    fn every_char_lowercases_as_the_standard_library_does() {
        for c in every_char() {
            let expected: String = c.to_lowercase().collect();
            assert_eq!(chars(&c.to_string()), expected, "{c:?}");
        }
    }

    /// Whether the standard library lowercases the sigma in `text` (its second character) to `σ`.
    fn std_sigma(text: &str) -> bool {
        text.to_lowercase().chars().nth(1) == Some('σ')
    }

    /// Case-ignorable and cased, as the standard library's `str::to_lowercase` tells them
    /// apart: a sigma followed by a cased character is not word-final, and one followed by
    /// case-ignorable characters is final unless a cased one comes after them.
    fn std_classes(c: char) -> (bool, bool) {
        let cased = std_sigma(&format!("AΣ{c}"));
        (std_sigma(&format!("AΣ{c}A")) && !cased, cased)
    }

    #[test]
    fn every_char_is_case_ignorable_or_cased_as_for_the_standard_library() {
        for table in [&CASE_IGNORABLE[..], &CASED] {
            let ranges: Vec<(u32, u32)> = ranges(table).collect();
            // The lookup, at and beside every boundary.
            for &(start, end) in &ranges {
                for code in [start.saturating_sub(1), start, end - 1, end] {
                    let inside = ranges.iter().any(|&(s, e)| (s..e).contains(&code));
                    if let Some(c) = char::from_u32(code) {
                        assert_eq!(in_ranges(table, c), inside, "{c:?}");
                    }
                }
            }
        }
        // The ranges, against the standard library for every character.
        let ignorable: Vec<(u32, u32)> = ranges(&CASE_IGNORABLE).collect();
        let cased: Vec<(u32, u32)> = ranges(&CASED).collect();
        for c in every_char() {
            let code = u32::from(c);
            let expected = std_classes(c);
            let ignorable_now = ignorable.partition_point(|&(_, e)| e <= code);
            let cased_now = cased.partition_point(|&(_, e)| e <= code);
            let found = (
                ignorable.get(ignorable_now).is_some_and(|&(s, _)| s <= code),
                cased.get(cased_now).is_some_and(|&(s, _)| s <= code),
            );
            assert_eq!(found, expected, "{c:?}");
        }
    }

    #[test]
    fn texts_lowercase_as_the_standard_library_does() {
        for text in [
            "",
            "ABC",
            "Straße",
            "ΟΔΟΣ",
            "ΟΔΟΣ ΟΔΟΣ",
            "Σ",
            "AΣ",
            "ΣA",
            "A.Σ.",
            "A\u{301}Σ\u{301}B",
            "İstanbul",
            "ÀÉÎÕÜ",
            "ǅǈǋ",
            "ＡＢＣ",
            "𐐀𐐁",
            "Ⅻ",
            "ⓐⒶ",
            "ΑΣ'Σ",
            "Σ'A",
            "a\u{0}Σ",
        ] {
            assert_eq!(super::text(text), text.to_lowercase(), "{text:?}");
            assert_eq!(chars(text), text.chars().flat_map(char::to_lowercase).collect::<String>(), "{text:?}");
        }
    }

    fn leb128_push(out: &mut Vec<u8>, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// The tables as the standard library's Unicode data makes them.
    fn generate() -> [(&'static str, Vec<u8>); 3] {
        let pairs: Vec<(u32, i64)> = every_char()
            .filter(|c| !c.is_ascii())
            .filter_map(|c| {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) if l != c => {
                        Some((u32::from(c), i64::from(u32::from(l)) - i64::from(u32::from(c))))
                    }
                    _ => None,
                }
            })
            .collect();
        let (mut lower, mut i, mut previous) = (Vec::new(), 0, 0);
        while let Some(&(start, delta)) = pairs.get(i) {
            // The longest run from here, with a step of 1 or of 2.
            let run = |step: u32| {
                (1..)
                    .take_while(|&n: &usize| pairs.get(i + n) == Some(&(start + step * n as u32, delta)))
                    .last()
                    .map_or(1, |n| n + 1)
            };
            let (count, step) = if run(2) > run(1) { (run(2), 2u32) } else { (run(1), 1) };
            leb128_push(&mut lower, u64::from(start - previous));
            leb128_push(&mut lower, ((count as u64 - 1) * 2) + u64::from(step - 1));
            leb128_push(&mut lower, ((delta << 1) ^ (delta >> 63)) as u64);
            previous = start;
            i += count;
        }
        let ranges = |member: &dyn Fn(char) -> bool| {
            let (mut out, mut end, mut open) = (Vec::new(), 0u32, None);
            for code in 0..=0x11_0000u32 {
                let is = char::from_u32(code).is_some_and(member);
                match (open, is) {
                    (None, true) => open = Some(code),
                    (Some(start), false) => {
                        leb128_push(&mut out, u64::from(start - end));
                        leb128_push(&mut out, u64::from(code - start));
                        end = code;
                        open = None;
                    }
                    _ => {}
                }
            }
            out
        };
        let ignorable = ranges(&|c| std_classes(c).0);
        let cased = ranges(&|c| std_classes(c).1);
        [("LOWER", lower), ("CASE_IGNORABLE", ignorable), ("CASED", cased)]
    }

    #[test]
    fn tables_are_those_of_the_standard_library() {
        let generated = generate();
        let written: [&[u8]; 3] = [&LOWER, &CASE_IGNORABLE, &CASED];
        if generated.iter().zip(written).any(|((_, new), old)| new != old) {
            let mut source = String::new();
            for (name, bytes) in &generated {
                let bytes: Vec<String> = bytes.iter().map(u8::to_string).collect();
                source += &format!("const {name}: [u8; {}] = [{}];\n", bytes.len(), bytes.join(", "));
            }
            panic!("the standard library's Unicode tables changed; replace these (then cargo fmt):\n{source}");
        }
    }
}
