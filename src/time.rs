//! Capture time: the [`Timestamp`] every frame carries, its [`Precision`], and how times and
//! durations are written. Neutral: used by capture, analysis and every view alike.

use chrono::{DateTime, Local};

/// A capture timestamp: seconds since the Unix epoch plus nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01 UTC.
    pub secs: i64,
    /// Nanoseconds within the second (0..1e9).
    pub nanos: u32,
}

impl Timestamp {
    /// Builds a timestamp from seconds and nanoseconds, normalising overflowing nanoseconds.
    pub fn new(secs: i64, nanos: u64) -> Self {
        Timestamp {
            secs: secs.saturating_add((nanos / 1_000_000_000) as i64),
            nanos: (nanos % 1_000_000_000) as u32,
        }
    }

    /// Signed difference `self - earlier` in nanoseconds.
    pub fn nanos_since(&self, earlier: Timestamp) -> i128 {
        (self.secs as i128 - earlier.secs as i128) * 1_000_000_000 + self.nanos as i128
            - earlier.nanos as i128
    }

    /// Difference `self - earlier` in seconds as a float (for JSON durations).
    pub fn secs_since(&self, earlier: Timestamp) -> f64 {
        self.nanos_since(earlier) as f64 / 1e9
    }

    /// The current wall-clock time (the clock libpcap stamps packets with).
    pub fn now() -> Timestamp {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp::new(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                u64::from(d.subsec_nanos()),
            ),
            Err(_) => Timestamp::default(),
        }
    }
}

/// Resolution of the timestamps a source delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Microseconds (classic pcap, most pcapng files).
    Micro,
    /// Nanoseconds (nanosecond pcap, pcapng with if_tsresol 9).
    Nano,
}

impl Precision {
    /// Number of fractional digits worth printing.
    pub fn digits(self) -> usize {
        match self {
            Precision::Micro => 6,
            Precision::Nano => 9,
        }
    }
}

/// Nanoseconds as seconds with `digits` decimals, signed: `1.500000`.
pub fn format_secs(nanos: i128, digits: usize) -> String {
    let mut out = String::with_capacity(20);
    write_secs(&mut out, nanos, digits);
    out
}

/// Appends nanoseconds as seconds with `digits` decimals (at most 9), signed.
pub fn write_secs(out: &mut String, nanos: i128, digits: usize) {
    let digits = digits.min(9);
    if nanos < 0 {
        out.push('-');
    }
    let n = nanos.unsigned_abs();
    let mut buf = itoa::Buffer::new();
    match u64::try_from(n / 1_000_000_000) {
        Ok(secs) => out.push_str(buf.format(secs)),
        Err(_) => out.push_str(buf.format(n / 1_000_000_000)),
    }
    out.push('.');
    let frac = ((n % 1_000_000_000) as u64) / 10u64.pow(9 - digits as u32);
    let text = buf.format(frac);
    for _ in text.len()..digits {
        out.push('0');
    }
    out.push_str(text);
}

/// Local date and time with the UTC offset (`2026-11-22 02:54:01.123456 +00:00`).
pub fn format_absolute(ts: Timestamp, digits: usize) -> String {
    let digits = digits.min(9);
    match DateTime::from_timestamp(ts.secs, ts.nanos) {
        Some(utc) => {
            let local = utc.with_timezone(&Local);
            let frac = ts.nanos / 10u32.pow(9 - digits as u32);
            format!(
                "{}.{frac:0digits$} {}",
                local.format("%Y-%m-%d %H:%M:%S"),
                local.format("%:z")
            )
        }
        None => format!("{}.{:09}", ts.secs, ts.nanos),
    }
}

/// A duration in seconds as a short human string: `42 µs`, `1.234 ms`, `2.500 s`.
pub fn format_duration(secs: f64) -> String {
    let mut out = String::with_capacity(16);
    push_duration(&mut out, secs);
    out
}

/// Appends [`format_duration`]'s text to `out`.
pub fn push_duration(out: &mut String, secs: f64) {
    let abs = secs.abs();
    let (value, places, unit) = if abs < 1e-3 {
        (secs * 1e6, 0, " µs")
    } else if abs < 1.0 {
        (secs * 1e3, 3, " ms")
    } else {
        (secs, 3, " s")
    };
    push_fixed(out, value, places);
    out.push_str(unit);
}

/// A duration in nanoseconds, written as [`format_duration`] writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nanos(pub i64);

/// `value` with `places` decimals, as `format!("{value:.places$}")` writes it, without the
/// general float formatter (a timeline writes one duration on most lines).
fn push_fixed(out: &mut String, value: f64, places: u32) {
    let Some(scaled) = scaled_round(value.abs(), places) else {
        use std::fmt::Write as _;
        let _ = write!(out, "{value:.*}", places as usize);
        return;
    };
    if value.is_sign_negative() {
        out.push('-');
    }
    let pow = 10u64.pow(places);
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(scaled / pow));
    if places > 0 {
        out.push('.');
        let frac = buf.format(scaled % pow);
        for _ in frac.len()..places as usize {
            out.push('0');
        }
        out.push_str(frac);
    }
}

/// `v × 10^places` rounded to an integer as the float formatter rounds: from the exact
/// binary value, half to even. `None` when `v` is not finite or not below 10^15.
fn scaled_round(v: f64, places: u32) -> Option<u64> {
    if !v.is_finite() || v >= 1e15 || places > 3 {
        return None;
    }
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // v = mantissa × 2^e, exactly; below 10^15 the exponent is negative.
    let (mantissa, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp - 1075)
    };
    let n = u128::from(mantissa) * u128::from(10u64.pow(places));
    if e >= 0 {
        return u64::try_from(n << e).ok();
    }
    let shift = e.unsigned_abs();
    if shift >= 127 {
        // n < 2^63: far below one half.
        return Some(0);
    }
    let (q, r, half) = (n >> shift, n & ((1 << shift) - 1), 1 << (shift - 1));
    let q = if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    };
    u64::try_from(q).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_format_with_precision() {
        assert_eq!(format_secs(1_500_000_000, 6), "1.500000");
        assert_eq!(format_secs(15, 9), "0.000000015");
        assert_eq!(format_secs(-2_000, 6), "-0.000002");
    }

    #[test]
    fn durations_pick_their_unit() {
        assert_eq!(format_duration(0.000_042), "42 µs");
        assert_eq!(format_duration(0.001_234), "1.234 ms");
        assert_eq!(format_duration(2.5), "2.500 s");
    }

    #[test]
    fn durations_round_as_the_float_formatter_does() {
        let mut values = vec![
            0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 1.0625, 999.9995, 2.0005, 1e-300, 5e-324, 1e14,
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let nanos = (x >> 20) % 5_000_000_000_000;
            values.push(nanos as f64 / 1e9);
            values.push(-(((x >> 40) % 2_000_000) as f64) / 1e9);
            values.push(f64::from_bits(x >> 2));
        }
        for v in values {
            for places in [0, 3] {
                let mut ours = String::new();
                push_fixed(&mut ours, v, places);
                assert_eq!(ours, format!("{v:.*}", places as usize), "{v:e}");
            }
            for secs in [v, v * 1e-3, v * 1e-6] {
                let expected = if secs.abs() < 1e-3 {
                    format!("{:.0} µs", secs * 1e6)
                } else if secs.abs() < 1.0 {
                    format!("{:.3} ms", secs * 1e3)
                } else {
                    format!("{secs:.3} s")
                };
                assert_eq!(format_duration(secs), expected);
            }
        }
        assert_eq!(format_duration(f64::NAN), format!("{:.3} s", f64::NAN));
    }

    #[test]
    fn nanoseconds_normalise() {
        assert_eq!(
            Timestamp::new(1, 1_500_000_000),
            Timestamp::new(2, 500_000_000)
        );
        assert_eq!(
            Timestamp::new(2, 0).nanos_since(Timestamp::new(1, 1)),
            999_999_999
        );
    }
}
