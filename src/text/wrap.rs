//! Line breaking for every view: at spaces, beside wide (CJK) characters, never before
//! closing or after opening wide punctuation.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

use super::{display_width, fit};

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
}
