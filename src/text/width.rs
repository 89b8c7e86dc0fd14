//! Columns on a terminal: the width of a string (CJK characters take two, colour escapes
//! none), padding to a width, and the longest prefix that fits one.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `text` takes on a terminal (CJK characters count two). ANSI colour escapes the
/// views write are not counted.
pub fn display_width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.len();
    }
    if !text.contains('\x1b') {
        return text.width();
    }
    visible_chars(text).map(|c| c.width().unwrap_or(0)).sum()
}

/// The characters of `text` a terminal shows: the ANSI colour escapes the views write (ESC up
/// to and including the first letter after it) left out.
pub fn visible_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = text.chars();
    std::iter::from_fn(move || {
        loop {
            let c = chars.next()?;
            if c != '\x1b' {
                return Some(c);
            }
            // Skip a CSI sequence: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_columns_not_bytes() {
        assert_eq!(display_width("三次握手"), 8);
        assert_eq!(display_width("\x1b[1mSYN\x1b[0m"), 3);
        let shown = visible_chars("\x1b[1;31mRST\x1b[0m 三\x1b[m");
        assert_eq!(shown.collect::<String>(), "RST 三");
        let mut s = String::new();
        push_padded(&mut s, "握手", 6);
        assert_eq!(s, "握手  ");
        assert_eq!(fit("三次握手", 5), "三次");
    }
}
