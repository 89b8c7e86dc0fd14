//! Text that is safe and aligned on a terminal: escaping of captured bytes and foreign
//! strings, display width (CJK characters take two columns), padding, MAC addresses. Neutral:
//! used by every layer.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

mod width;
mod wrap;

pub use width::{display_width, fit, push_padded, push_right, visible_chars};
pub use wrap::{one_line, wrap, wrap_parts};

/// Escapes bytes for safe display: printable ASCII stays, everything else becomes `\n`,
/// `\r`, `\t`, `\\`, `\"` or `\xNN`, so no captured byte can drive the terminal.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_escaped_bytes(&mut out, bytes);
    out
}

/// Appends an address as `IpAddr`'s `Display` writes it (IPv4 without the formatting
/// machinery).
pub fn push_ip(out: &mut String, ip: std::net::IpAddr) {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let mut buf = itoa::Buffer::new();
            for (i, octet) in v4.octets().iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(buf.format(*octet));
            }
        }
        std::net::IpAddr::V6(v6) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{v6}");
        }
    }
}

/// Appends `n` in decimal, as `n.to_string()` writes it, without a libc copy: the digits are
/// made two at a time in a stack buffer and stored into the string's spare room in one fixed
/// 20-byte store (a timeline writes a few numbers on most lines).
pub fn push_decimal(out: &mut String, n: u64) {
    // The digits end at byte 20 of `buf`; the 20 bytes from the first digit are stored whole,
    // the string's length then keeps only the digits.
    let mut buf = [0u8; 40];
    let at = write_digits(&mut buf[..20], n);
    let Some(chunk) = buf[at..].first_chunk::<20>() else {
        return;
    };
    out.reserve(chunk.len());
    // SAFETY: 20 bytes are stored at the end of the string, within the room reserved just
    // above; the length then grows by `20 - at` (at most 20), covering only the digits
    // `buf[at..20]`, which are ASCII, so the string stays UTF-8.
    unsafe {
        let v = out.as_mut_vec();
        let end = v.len();
        v.as_mut_ptr()
            .add(end)
            .cast::<[u8; 20]>()
            .write_unaligned(*chunk);
        v.set_len(end + (20 - at));
    }
}

/// Writes `n` in decimal at the end of `cell`, two digits at a time, and returns where its
/// digits start; digits that do not fit are left out (the cell should have room for them).
#[inline]
pub(crate) fn write_digits(cell: &mut [u8], mut n: u64) -> usize {
    let mut end = cell.len();
    while n >= 100 && end >= 2 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        end -= 2;
        cell[end..end + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 && end >= 2 {
        let pair = n as usize * 2;
        end -= 2;
        cell[end..end + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else if end >= 1 {
        end -= 1;
        cell[end] = b'0' + n as u8;
    }
    end
}

/// "00", "01", ... "99": two decimal digits at a time for [`write_digits`].
static DIGIT_PAIRS: [u8; 200] = {
    let mut pairs = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        pairs[2 * i] = b'0' + (i / 10) as u8;
        pairs[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    pairs
};

/// Appends `bytes` escaped as [`escape_bytes`] does.
pub fn push_escaped_bytes(out: &mut String, bytes: &[u8]) {
    // Each byte's entry in [`ESCAPES`] is stored whole (four bytes) straight into the string's
    // spare room and the first `len` of them kept: no per-byte branch, no copy through a
    // buffer, no re-validation. A preview of binary data is mostly escapes.
    let room = bytes.len().saturating_mul(4);
    out.reserve(room);
    // SAFETY: only ASCII is appended (every byte of every entry of `ESCAPES` is ASCII, checked
    // when the table is built), so the string stays UTF-8. The `i`th byte's four bytes are
    // stored at `len + n` with `n <= 4 * i`, so they end at or before `len + 4 * bytes.len()`,
    // within the capacity reserved above. The length then covers exactly the bytes kept.
    unsafe {
        let v = out.as_mut_vec();
        let start = v.len();
        let base = v.as_mut_ptr().add(start);
        let mut n = 0;
        for &b in bytes {
            let (text, len) = ESCAPES[usize::from(b)];
            base.add(n).cast::<[u8; 4]>().write_unaligned(text);
            n += len as usize;
        }
        v.set_len(start + n);
    }
}

/// Each byte's escape as [`escape_bytes`] writes it: up to four ASCII bytes and how many (a
/// `u32`: an entry of eight bytes is addressed without a multiply).
static ESCAPES: [([u8; 4], u32); 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut table = [([0u8; 4], 0u32); 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'\n' => (*b"\\n  ", 2),
            b'\r' => (*b"\\r  ", 2),
            b'\t' => (*b"\\t  ", 2),
            b'\\' => (*b"\\\\  ", 2),
            b'"' => (*b"\\\"  ", 2),
            0x20..=0x7e => ([b as u8, b' ', b' ', b' '], 1),
            _ => ([b'\\', b'x', HEX[b >> 4], HEX[b & 15]], 4),
        };
        b += 1;
    }
    // Every byte of every entry is ASCII: `push_escaped_bytes` relies on it.
    let mut i = 0;
    while i < 256 {
        let mut j = 0;
        while j < 4 {
            assert!(table[i].0[j].is_ascii());
            j += 1;
        }
        i += 1;
    }
    table
};

/// As many of `bytes` escaped (as [`escape_bytes`] does) as fit in `width` columns, never
/// cutting an escape; the flag says whether bytes were left out.
pub fn escape_bytes_fit(bytes: &[u8], width: usize) -> (String, bool) {
    let mut out = String::with_capacity(width.min(bytes.len() * 4));
    for (i, &b) in bytes.iter().enumerate() {
        let before = out.len();
        push_escaped_bytes(&mut out, &[b]);
        if out.len() > width {
            out.truncate(before);
            return (out, i < bytes.len());
        }
    }
    (out, false)
}

/// The bytes [`escape_bytes`] escaped, or `None` when `text` is not such an escape.
pub fn unescape_bytes(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        out.push(match bytes.next()? {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'\\' => b'\\',
            b'"' => b'"',
            b'x' => {
                let hex = [bytes.next()?, bytes.next()?];
                u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
            }
            _ => return None,
        });
    }
    Some(out)
}

/// True for characters that must not reach a terminal raw: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates that reorder what is shown.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A string from outside (a file name, an interface name, a pcapng comment) made safe for a
/// terminal: unsafe characters become `\xNN` (up to 0xff) or `\u{NNNN}` escapes; everything
/// else is kept.
pub fn escape_str(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) && u32::from(c) <= 0xff {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else if is_unsafe_char(c) {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A MAC (or other link-layer) address written as `02:00:0a:63:00:01`.
#[derive(Debug, Clone, Copy)]
pub struct Mac<'a>(pub &'a [u8]);

impl fmt::Display for Mac<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_char(':')?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A file size for people: "866 bytes", "12.5 KiB", "95.2 MiB", "1.0 GiB".
pub fn file_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_escapes_as_documented() {
        let all: Vec<u8> = (0..=255).collect();
        let expected: String = all
            .iter()
            .map(|&b| match b {
                b'\n' => "\\n".to_string(),
                b'\r' => "\\r".to_string(),
                b'\t' => "\\t".to_string(),
                b'\\' => "\\\\".to_string(),
                b'"' => "\\\"".to_string(),
                0x20..=0x7e => char::from(b).to_string(),
                _ => format!("\\x{b:02x}"),
            })
            .collect();
        assert_eq!(escape_bytes(&all), expected);
        assert_eq!(escape_bytes(b"a\x00\"b"), "a\\x00\\\"b");
    }

    #[test]
    fn decimals_as_to_string_writes_them() {
        let mut values: Vec<u64> = (0..100_000).collect();
        for p in 0..20 {
            let ten = 10u64.pow(p);
            values.extend([ten - 1, ten, ten + 1, ten.wrapping_mul(7) + 3]);
        }
        values.push(u64::MAX);
        let mut s = String::from("x");
        let mut expected = String::from("x");
        for n in values {
            push_decimal(&mut s, n);
            expected.push_str(&n.to_string());
        }
        assert_eq!(s, expected);
    }

    #[test]
    fn file_sizes_for_people() {
        assert_eq!(file_size(870), "870 bytes");
        assert_eq!(file_size(1536), "1.5 KiB");
        assert_eq!(file_size(1_001_200_000), "954.8 MiB");
        assert_eq!(file_size(10 << 30), "10.0 GiB");
    }

    #[test]
    fn escape_neutralises_terminal_control() {
        assert_eq!(escape_bytes(b"hi\x1b[31m\n"), "hi\\x1b[31m\\n");
        assert_eq!(escape_bytes(b"say \"x\"\\"), "say \\\"x\\\"\\\\");
        assert_eq!(escape_str("lo\x1b[31m"), "lo\\x1b[31m");
        assert_eq!(escape_str("a\u{202e}b"), "a\\u{202e}b");
        assert!(matches!(escape_str("eth0"), Cow::Borrowed(_)));
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(unescape_bytes(&escape_bytes(&all)), Some(all));
        assert_eq!(unescape_bytes("\\q"), None);
        assert_eq!(escape_bytes_fit(b"ab\x01c", 5), ("ab".to_string(), true));
        assert_eq!(escape_bytes_fit(b"ab", 5), ("ab".to_string(), false));
    }

    #[test]
    fn mac_is_colon_hex() {
        assert_eq!(
            Mac(&[2, 0, 0x0a, 0x63, 0, 1]).to_string(),
            "02:00:0a:63:00:01"
        );
    }
}
