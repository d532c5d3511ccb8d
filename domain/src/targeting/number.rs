//! Decimal text to `f64` for numeric conditions, exactly as `str::parse::<f64>` reads it.
//!
//! The standard library's parser is fast on any input and carries large tables for it (about
//! 12 KB of brotli'd wasm in the widget, which runs dialogue branches). Conditions compare a
//! lead field with a threshold once per branch, so this one trades speed on long or extreme
//! inputs for size: a plain big-integer quotient, rounded to nearest, ties to even. It accepts
//! the same text (`[+-]`, digits with an optional `.`, an optional `e`/`E` exponent) and gives
//! the same `f64`, bit for bit; the tests hold it against the standard library.

/// Significant digits kept; any further digit only matters as "something non-zero follows".
/// The halfway point between two adjacent `f64` has at most 767 significant digits, so a
/// number cut after 800 digits, with a `1` appended when a non-zero digit was cut, rounds
/// exactly as the whole number does.
const MAX_DIGITS: usize = 800;

/// `text` as a finite number, as `text.parse::<f64>().ok().filter(|n| n.is_finite())` reads
/// it: `None` for anything that is not a decimal number (`inf` and `nan` included), or that
/// rounds to infinity.
pub(crate) fn finite(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    // value = digits × 10^exponent, with `digits` free of leading zeros.
    let mut digits: Vec<u8> = Vec::new();
    let mut exponent: i64 = 0;
    let (mut seen, mut point, mut cut_non_zero) = (false, false, false);
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b'0'..=b'9' => {
                seen = true;
                if point {
                    exponent -= 1;
                }
                if digits.len() == MAX_DIGITS {
                    exponent += 1;
                    cut_non_zero |= b != b'0';
                } else if !(digits.is_empty() && b == b'0') {
                    digits.push(b - b'0');
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen {
        return None;
    }
    if let Some(b'e' | b'E') = rest.get(i) {
        i += 1;
        let negative_exponent = rest.get(i) == Some(&b'-');
        if matches!(rest.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let start = i;
        let mut e: i64 = 0;
        while let Some(&b @ b'0'..=b'9') = rest.get(i) {
            // Far beyond any finite f64 either way; saturating keeps the arithmetic in range.
            e = (e * 10 + i64::from(b - b'0')).min(1 << 40);
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent += if negative_exponent { -e } else { e };
    }
    if i != rest.len() {
        return None;
    }
    if cut_non_zero {
        digits.push(1);
        exponent -= 1;
    }
    let sign = if negative { 1 << 63 } else { 0 };
    // The number lies in [10^(magnitude - 1), 10^magnitude).
    let magnitude = digits.len() as i64 + exponent;
    if digits.is_empty() || magnitude < -330 {
        return Some(f64::from_bits(sign));
    }
    if magnitude > 310 {
        return None;
    }
    let mut n = Big::default();
    for &d in &digits {
        n.mul_add(10, u32::from(d));
    }
    // Both casts are exact: -331 < magnitude ≤ 310 and 1 ≤ digits ≤ 801.
    let bits = if exponent >= 0 {
        for _ in 0..exponent {
            n.mul_add(10, 0);
        }
        round(&n, 0, false)
    } else {
        let mut divisor = Big::default();
        divisor.mul_add(1, 1);
        for _ in 0..-exponent {
            divisor.mul_add(10, 0);
        }
        // Scale so that the quotient has at least 64 bits: the round bit and more lie below
        // the 53 kept, and the remainder says whether anything non-zero is left beyond them.
        let shift = (64 + divisor.bits() - n.bits()).max(0);
        n.shift_left(shift);
        let (quotient, remainder) = n.div_rem(&divisor);
        round(&quotient, -shift, remainder)
    }?;
    Some(f64::from_bits(sign | bits))
}

/// The bits of the `f64` nearest to `n × 2^scale` (plus a little more when `sticky`), ties to
/// even; `None` when it rounds to infinity. `n` is not zero.
fn round(n: &Big, scale: i64, sticky: bool) -> Option<u64> {
    let len = n.bits();
    // The exponent of the last bit kept: 53 bits, fewer below the normal range.
    let mut last = (len - 1 + scale - 52).max(-1074);
    let dropped = last - scale;
    let mut mantissa = if dropped <= 0 {
        // Exact: `n` has at most 53 bits here.
        n.range(0, len) << -dropped
    } else {
        let kept = n.range(dropped, len);
        let half = n.bit(dropped - 1);
        let below = sticky || n.any_below(dropped - 1);
        kept + u64::from(half && (below || kept & 1 == 1))
    };
    if mantissa == 1 << 53 {
        mantissa >>= 1;
        last += 1;
    }
    if mantissa < 1 << 52 {
        // Zero or subnormal: `last` is -1074 and the exponent field is zero.
        return Some(mantissa);
    }
    let biased = last + 52 + 1023;
    (biased < 2047).then(|| ((biased as u64) << 52) | (mantissa - (1 << 52)))
}

/// A non-negative integer, 32-bit limbs, least significant first, no high zero limbs.
#[derive(Debug, Default, Clone)]
struct Big(Vec<u32>);

impl Big {
    /// `self = self × factor + add`.
    fn mul_add(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(factor) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    /// The number of bits, 0 for zero.
    fn bits(&self) -> i64 {
        self.0.last().map_or(0, |top| 32 * self.0.len() as i64 - i64::from(top.leading_zeros()))
    }

    fn bit(&self, at: i64) -> bool {
        self.0.get((at / 32) as usize).is_some_and(|limb| limb >> (at % 32) & 1 == 1)
    }

    /// Whether any bit below `at` is set.
    fn any_below(&self, at: i64) -> bool {
        let whole = (at / 32) as usize;
        self.0.iter().take(whole).any(|&l| l != 0)
            || self.0.get(whole).is_some_and(|&l| l & ((1u32 << (at % 32)) - 1) != 0)
    }

    /// Bits `from..to` (at most 64) as a number.
    fn range(&self, from: i64, to: i64) -> u64 {
        (from..to).rev().fold(0, |acc, at| acc << 1 | u64::from(self.bit(at)))
    }

    fn shift_left(&mut self, by: i64) {
        let (limbs, bits) = ((by / 32) as usize, (by % 32) as u32);
        if bits != 0 {
            let mut carry = 0;
            for limb in &mut self.0 {
                let v = *limb;
                *limb = v << bits | carry;
                carry = v >> (32 - bits);
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if limbs != 0 {
            let mut shifted = vec![0; limbs];
            shifted.append(&mut self.0);
            self.0 = shifted;
        }
    }

    /// `self >= other`.
    fn at_least(&self, other: &Big) -> bool {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev())).is_ge()
    }

    /// `self -= other`, where `self >= other`.
    fn subtract(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let (v, b1) = limb.overflowing_sub(other.0.get(i).copied().unwrap_or(0));
            let (v, b2) = v.overflowing_sub(u32::from(borrow));
            *limb = v;
            borrow = b1 || b2;
        }
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    /// The quotient by `divisor` (not zero), and whether a remainder is left: long division,
    /// one bit at a time.
    fn div_rem(&self, divisor: &Big) -> (Big, bool) {
        let mut quotient = Big(vec![0; self.0.len()]);
        let mut remainder = Big::default();
        for at in (0..self.bits()).rev() {
            remainder.shift_left(1);
            if self.bit(at) {
                match remainder.0.first_mut() {
                    Some(low) => *low |= 1,
                    None => remainder.0.push(1),
                }
            }
            if remainder.at_least(divisor) {
                remainder.subtract(divisor);
                if let Some(limb) = quotient.0.get_mut((at / 32) as usize) {
                    *limb |= 1 << (at % 32);
                }
            }
        }
        while quotient.0.last() == Some(&0) {
            quotient.0.pop();
        }
        (quotient, !remainder.0.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the standard library makes of `text`, the reference.
    fn std_finite(text: &str) -> Option<f64> {
        text.parse::<f64>().ok().filter(|n| n.is_finite())
    }

    /// `n` in decimal digits.
    fn decimal(mut n: Big) -> String {
        let mut out = Vec::new();
        while !n.0.is_empty() {
            let mut rest = 0u64;
            for limb in n.0.iter_mut().rev() {
                let v = rest << 32 | u64::from(*limb);
                *limb = (v / 10) as u32;
                rest = v % 10;
            }
            while n.0.last() == Some(&0) {
                n.0.pop();
            }
            out.push(b'0' + rest as u8);
        }
        out.reverse();
        String::from_utf8(out).expect("ASCII digits")
    }

    fn check(text: &str) {
        assert_eq!(finite(text).map(f64::to_bits), std_finite(text).map(f64::to_bits), "{text:?}");
    }

    #[test]
    fn reads_what_the_standard_library_reads() {
        let long = format!("0.{}1", "0".repeat(900));
        let many = "123456789".repeat(120);
        let many_point = format!("{}.{}", "9".repeat(500), "4".repeat(500));
        let cases = [
            "",
            ".",
            "+",
            "-",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1e-",
            "+-1",
            "1.2.3",
            "1e5.5",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "inf",
            "-inf",
            "infinity",
            "NaN",
            "nan",
            "1f",
            "١",
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            "-0.0e-999",
            "1",
            "+1",
            "-1",
            "1.",
            ".5",
            "+.5",
            "-.5",
            "1.e5",
            "1E5",
            "1e+5",
            "1e-5",
            "250",
            "3.5",
            "-12.75",
            "0.1",
            "0.2",
            "0.3",
            "1e22",
            "1e23",
            "123456789012345678901234567890",
            "9007199254740992",
            "9007199254740993",
            "9007199254740994",
            "9007199254740995",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "-1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
            "1e309",
            "1e308",
            "1e-400",
            "1e-324",
            "1e-323",
            "0e999999999999999999999",
            "1e999999999999999999999",
            "1e-999999999999999999999",
            "8.98846567431158e307",
            "0.000000000000000000000000000000000000001",
            &long,
            &many,
            &many_point,
        ];
        for text in cases {
            check(text);
        }
    }

    /// Halfway points between neighbours, and just either side: the cases rounding decides.
    #[test]
    fn ties_round_to_even_as_the_standard_library_does() {
        for text in [
            "9007199254740993",
            "9007199254740993.0000000000000000000000000000000000001",
            "9007199254740992.9999999999999999999999999999999999999",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "1.00000000000000033306690738754696212708950042724609375",
            "7.4109846876186982e-323",
            "2.225073858507201136057409796709131975934819546351645648023426109724822222021076945516529523908135087914149158913039621106870086438694594645527657207407820621743379988141063267329253552286881372149012981122451451889849057222307285255133155755015914397476397983411801999323962548289017107081850690630666655994938275772572015763062690663332647565300009245888316433037779791869612049497390377829704905051080609940730262937128958950003583799967207254304360284078895771796150945516748243471030702609144621572289880258182545180325707018860872113128079512233426288368622321503775666622503982534335974568884423900265498198385487948292206894721689831099698365846814022854243330660339850886445804001034933970427567186443383770486037861622771738545623065874679014086723327636718751e-308",
        ] {
            check(text);
        }
    }

    proptest! {
        #[test]
        fn agrees_on_decimal_text(
            text in "[+-]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{1,3})?",
        ) {
            check(&text);
        }

        #[test]
        fn agrees_on_noise(text in "[0-9eE.+\\-a-z ]{0,12}") {
            check(&text);
        }

        #[test]
        fn agrees_around_every_f64(bits in any::<u64>(), extra in "[0-9]{0,3}") {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                let precise = format!("{x:.20e}");
                let (digits, exponent) = precise.split_once('e').unwrap_or((&precise, "0"));
                for text in [
                    format!("{x}"),
                    format!("{x:e}"),
                    format!("{x:.25e}"),
                    format!("{x:e}{extra}"),
                    format!("{digits}5e{exponent}"),
                    format!("{digits}{extra}e{exponent}"),
                ] {
                    check(&text);
                }
            }
        }

        /// The exact halfway point between a positive `f64` and the next one up, and just
        /// either side of it (the last also past the digits kept).
        #[test]
        fn agrees_on_exact_halfway_points(bits in 0..0x7fef_ffff_ffff_ffffu64) {
            let (exponent, fraction) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
            let (mantissa, scale) = if exponent == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exponent - 1075) };
            // halfway = (2 × mantissa + 1) × 2^(scale - 1)
            let mut n = Big(vec![(2 * mantissa + 1) as u32, ((2 * mantissa + 1) >> 32) as u32]);
            while n.0.last() == Some(&0) {
                n.0.pop();
            }
            let halfway = if scale >= 1 {
                n.shift_left(scale - 1);
                decimal(n)
            } else {
                // × 5^k / 10^k with k = 1 - scale
                for _ in 0..1 - scale {
                    n.mul_add(5, 0);
                }
                format!("{}e-{}", decimal(n), 1 - scale)
            };
            let (digits, exponent) = halfway.split_once('e').unwrap_or((&halfway, "e0"));
            let exponent = exponent.trim_start_matches('e');
            for text in [
                halfway.clone(),
                format!("{digits}1e{exponent}"),
                format!("{digits}{}1e{exponent}", "0".repeat(MAX_DIGITS)),
                format!("{}9e{exponent}", digits.strip_suffix('5').unwrap_or(digits).to_owned() + "4"),
            ] {
                check(&text);
            }
        }
    }
}
