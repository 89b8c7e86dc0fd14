//! Text measured in display columns (a Chinese character takes two): cleaning, wrapping and
//! shortening that never cut a character in half.

use unicode_width::UnicodeWidthChar;

/// Display width of one character (control characters count as zero).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    crate::text::display_width(s)
}

/// The text with every control character written as `\xNN` (`\u{NNNN}` above 0xff) and tabs
/// and line breaks as spaces, so no string of the model can move a cursor or break a line.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || is_invisible(c) => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02x}"));
                } else {
                    out.push_str(&format!("\\u{{{code:04x}}}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters that are not controls but can still reorder or hide text: bidirectional
/// overrides and isolates, and the non-characters XML refuses.
fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0x200e..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfffe | 0xffff
    )
}

/// The text shortened to at most `cols` columns, ending in `…` when something was cut.
pub fn shorten(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > cols - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The text split into lines of at most `cols` columns (at least two), as
/// [`crate::text::wrap`] splits it.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    crate::text::wrap(s, cols.max(2))
}

/// `s` padded with spaces to `cols` columns, on the right (`left_align`) or on the left.
pub fn pad(s: &str, cols: usize, left_align: bool) -> String {
    let fill = " ".repeat(cols.saturating_sub(width(s)));
    if left_align {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns_and_is_never_cut_in_half() {
        assert_eq!(width("握手"), 4);
        assert_eq!(shorten("客户端发送数据", 6), "客户…");
        for line in wrap("客户端发送了五个字节的数据", 5) {
            assert!(width(&line) <= 5, "{line}");
        }
        assert_eq!(wrap("客户端发送", 5), vec!["客户", "端发", "送"]);
        assert_eq!(
            wrap("连接到 127.0.0.1（阻塞）", 16),
            vec!["连接到 127.0.0.1", "（阻塞）"]
        );
    }

    #[test]
    fn wrap_breaks_at_spaces_first() {
        assert_eq!(
            wrap("data: client sends 5 bytes", 12),
            vec!["data: client", "sends 5", "bytes"]
        );
        assert_eq!(wrap("", 10), vec![String::new()]);
    }

    #[test]
    fn clean_neutralises_controls_and_bidi_overrides() {
        assert_eq!(clean("a\x1b[31mb\nc"), "a\\x1b[31mb c");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("\u{85}"), "\\x85");
    }
}
