//! Text that is safe and aligned on a terminal: escaping of captured bytes and foreign
//! strings, display width (CJK characters take two columns), padding, MAC addresses. Neutral:
//! used by every layer.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Escapes bytes for safe display: printable ASCII stays, everything else becomes `\n`,
/// `\r`, `\t`, `\\`, `\"` or `\xNN`, so no captured byte can drive the terminal.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_escaped_bytes(&mut out, bytes);
    out
}

/// Appends `bytes` escaped as [`escape_bytes`] does.
pub fn push_escaped_bytes(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let plain = |b: &u8| matches!(b, 0x20..=0x7e) && *b != b'\\' && *b != b'"';
    out.reserve(bytes.len());
    let mut rest = bytes;
    loop {
        // Runs of printable ASCII, the common case, are copied whole (ASCII is UTF-8).
        let run = rest.iter().position(|b| !plain(b)).unwrap_or(rest.len());
        out.push_str(std::str::from_utf8(&rest[..run]).unwrap_or_default());
        let Some((&b, tail)) = rest[run..].split_first() else {
            return;
        };
        match b {
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            _ => {
                out.push_str("\\x");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        rest = tail;
    }
}

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

/// Columns `text` takes on a terminal (CJK characters count two). ANSI colour escapes the
/// views write are not counted.
pub fn display_width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.len();
    }
    if !text.contains('\x1b') {
        return text.width();
    }
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip a CSI sequence: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += c.width().unwrap_or(0);
        }
    }
    width
}

/// Appends `text` left-aligned in `width` columns (display width).
pub fn push_padded(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    for _ in display_width(text)..width {
        out.push(' ');
    }
}

/// Appends `text` right-aligned in `width` columns (display width).
pub fn push_right(out: &mut String, text: &str, width: usize) {
    for _ in display_width(text)..width {
        out.push(' ');
    }
    out.push_str(text);
}

/// The longest prefix of `text` that fits in `width` columns, never cutting a character.
pub fn fit(text: &str, width: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            return &text[..i];
        }
        used += w;
    }
    text
}

/// Wide punctuation that never starts a line.
const CLOSING: &str = "，。、：；！？）」』】》";
/// Wide punctuation that never ends a line.
const OPENING: &str = "（「『【《";

/// Splits `text` into lines of at most `width` columns. Lines break at spaces, or beside a
/// wide (CJK) character, never before closing or after opening wide punctuation; a word
/// longer than a line is cut between characters. Runs of spaces inside a line are kept; a
/// no-break space (U+00A0) holds two words together and is written as a plain space.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for (gap, token) in wrap_tokens(text) {
        let token_w = display_width(token);
        let gap = if line.is_empty() { 0 } else { gap };
        if line_w + gap + token_w <= width {
            line.extend(std::iter::repeat_n(' ', gap));
            push_unbroken(&mut line, token);
            line_w += gap + token_w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = token;
        while display_width(rest) > width {
            let head = fit(rest, width);
            let head = if head.is_empty() {
                // A character wider than the line: take it anyway.
                &rest[..rest.chars().next().map_or(rest.len(), char::len_utf8)]
            } else {
                head
            };
            let mut piece = String::new();
            push_unbroken(&mut piece, head);
            lines.push(piece);
            rest = &rest[head.len()..];
        }
        push_unbroken(&mut line, rest);
        line_w = display_width(rest);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What [`wrap`] makes of `text` on a line of unbounded width: one line, without the spaces
/// at its ends, its no-break spaces written as plain spaces.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let text = text.trim_matches(' ');
    if text.contains('\u{a0}') {
        Cow::Owned(text.replace('\u{a0}', " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// Splits text made of `parts` into lines as [`wrap`] does, but keeps each part after the
/// first whole: one that does not fit after the text before it starts a new line, without
/// its leading spaces.
pub fn wrap_parts(parts: &[&str], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        match lines.last_mut() {
            None => lines = wrap(part, width),
            Some(last) if display_width(last) + display_width(part) <= width => {
                push_unbroken(last, part);
            }
            Some(_) => lines.extend(wrap(part.trim_start(), width)),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Appends `token` with its no-break spaces written as plain spaces.
fn push_unbroken(out: &mut String, token: &str) {
    out.extend(token.chars().map(|c| if c == '\u{a0}' { ' ' } else { c }));
}

/// The pieces a line may break between, each with the number of spaces before it.
fn wrap_tokens(text: &str) -> Vec<(usize, &str)> {
    let is_wide = |c: char| c.width().unwrap_or(0) > 1;
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut gap = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if c == ' ' {
            gap += 1;
            continue;
        }
        if let Some(last) = spans.last_mut().filter(|s| gap == 0 && s.2 == i) {
            let prev = text[..i].chars().next_back().unwrap_or(' ');
            let glued = c == '\u{a0}' || prev == '\u{a0}';
            if glued
                || CLOSING.contains(c)
                || OPENING.contains(prev)
                || !(is_wide(c) || is_wide(prev))
            {
                last.2 = end;
                continue;
            }
        }
        spans.push((gap, i, end));
        gap = 0;
    }
    spans
        .into_iter()
        .map(|(gap, a, b)| (gap, &text[a..b]))
        .collect()
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
    fn one_line_is_an_unbounded_wrap() {
        for text in [
            "",
            "   ",
            "── TCP stream 3 (continued)",
            "  two  gaps\u{a0}held ",
            "\u{a0}lead and 中文，字 trail  ",
        ] {
            assert_eq!(
                vec![one_line(text).into_owned()],
                wrap(text, usize::MAX - 3)
            );
        }
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
    fn width_counts_columns_not_bytes() {
        assert_eq!(display_width("三次握手"), 8);
        assert_eq!(display_width("\x1b[1mSYN\x1b[0m"), 3);
        let mut s = String::new();
        push_padded(&mut s, "握手", 6);
        assert_eq!(s, "握手  ");
        assert_eq!(fit("三次握手", 5), "三次");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_cjk() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("客户端发送数据", 6), ["客户端", "发送数", "据"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("abc  [x y]", 5), ["abc", "[x y]"]);
        assert_eq!(wrap("abc  [x]", 10), ["abc  [x]"]);
        assert_eq!(wrap("[client\u{a0}SYN-SENT]", 80), ["[client SYN-SENT]"]);
        assert_eq!(
            wrap("a [client\u{a0}SYN-SENT]", 12),
            ["a", "[client SYN-", "SENT]"]
        );
        assert_eq!(
            wrap("连接到 127.0.0.1（阻塞）", 16),
            ["连接到 127.0.0.1", "（阻塞）"]
        );
        assert_eq!(wrap("确认 SYN（SYN/ACK）", 11), ["确认 SYN", "（SYN/ACK）"]);
        assert_eq!(wrap("握手：成功。", 4), ["握", "手：", "成", "功。"]);
        assert_eq!(
            wrap("服务器\u{a0}ESTABLISHED", 8),
            ["服务", "器 ESTAB", "LISHED"]
        );
        assert_eq!(
            wrap_parts(&["连接建立", "  [客户端\u{a0}A，服务器\u{a0}B]"], 20),
            ["连接建立", "[客户端 A，服务器 B]"]
        );
        assert_eq!(wrap_parts(&["ab", "  [c]"], 20), ["ab  [c]"]);
    }

    #[test]
    fn mac_is_colon_hex() {
        assert_eq!(
            Mac(&[2, 0, 0x0a, 0x63, 0, 1]).to_string(),
            "02:00:0a:63:00:01"
        );
    }
}
