//! A duration in integer nanoseconds written as [`crate::time::push_duration`] writes it,
//! without going through a float where the result cannot differ.

/// Appends `ns` nanoseconds as `push_duration` writes `ns as f64 / 1e9` seconds: `42 µs`,
/// `1.234 ms`, `2.500 s`.
///
/// The shown value is `ns` rounded to a whole µs (below one second) or ms. The float path
/// rounds the same way except at an exact half (where it rounds the binary value, half to
/// even): far from one, its error (a few units in the last place) cannot move the result
/// across a rounding boundary. Halves, negative and huge durations take the float path.
pub(super) fn push_nanos(out: &mut String, ns: i64) {
    let Ok(n) = u64::try_from(ns) else {
        return crate::time::push_duration(out, ns as f64 / 1e9);
    };
    match n {
        0..1_000_000 if n % 1000 != 500 => {
            crate::text::push_decimal(out, (n + 500) / 1000);
            out.push_str(" µs");
        }
        1_000_000..1_000_000_000 if n % 1000 != 500 => {
            push_thousandths(out, (n + 500) / 1000);
            out.push_str(" ms");
        }
        1_000_000_000..1_000_000_000_000_000 if n % 1_000_000 != 500_000 => {
            push_thousandths(out, (n + 500_000) / 1_000_000);
            out.push_str(" s");
        }
        _ => crate::time::push_duration(out, n as f64 / 1e9),
    }
}

/// `units / 1000` with three decimals.
fn push_thousandths(out: &mut String, units: u64) {
    crate::text::push_decimal(out, units / 1000);
    let at = (units % 1000) as usize * 4;
    out.push_str(&DECIMALS[at..at + 4]);
}

/// ".000", ".001", ... ".999": the decimals of a duration, appended in one fixed-size copy.
static DECIMALS: &str = {
    const BYTES: [u8; 4000] = {
        let mut bytes = [0u8; 4000];
        let mut i = 0;
        while i < 1000 {
            bytes[4 * i] = b'.';
            bytes[4 * i + 1] = b'0' + (i / 100) as u8;
            bytes[4 * i + 2] = b'0' + (i / 10 % 10) as u8;
            bytes[4 * i + 3] = b'0' + (i % 10) as u8;
            i += 1;
        }
        bytes
    };
    match std::str::from_utf8(&BYTES) {
        Ok(text) => text,
        Err(_) => panic!("decimals are ASCII"),
    }
};

#[cfg(test)]
mod tests {
    use super::push_nanos;

    fn both(ns: i64) -> (String, String) {
        let mut fast = String::new();
        push_nanos(&mut fast, ns);
        let mut float = String::new();
        crate::time::push_duration(&mut float, ns as f64 / 1e9);
        (fast, float)
    }

    #[test]
    fn nanos_write_as_the_float_path_does() {
        let mut values: Vec<i64> = (0..1_100_000).collect();
        for base in [
            999_000_000,
            1_000_000_000,
            59_999_500_000,
            999_999_999_000_000,
            1_000_000_000_000_000,
        ] {
            values.extend(base - 200_000..base + 200_000);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..500_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> (x % 40)) as i64);
        }
        values.extend([-1, -500, -1_500_000, i64::MIN, i64::MAX]);
        for ns in values {
            let (fast, float) = both(ns);
            assert_eq!(fast, float, "{ns} ns");
        }
        assert_eq!(both(27_000).0, "27 µs");
        assert_eq!(both(10_709_000).0, "10.709 ms");
    }
}
