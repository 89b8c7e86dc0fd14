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
    let abs = secs.abs();
    if abs < 1e-3 {
        format!("{:.0} µs", secs * 1e6)
    } else if abs < 1.0 {
        format!("{:.3} ms", secs * 1e3)
    } else {
        format!("{secs:.3} s")
    }
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
