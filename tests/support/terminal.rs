//! What may reach a terminal: the check shared by the terminal-safety tests and the fuzz
//! targets that render captures.

#![allow(dead_code)] // each including crate uses a different subset

/// Characters that reorder text on screen (bidi embeddings, overrides and isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Checks that `out` is safe on a terminal: no control byte but `\n`, no DEL, no C1 control
/// character, no bidi control; with `sgr_allowed`, an ESC may start an SGR sequence
/// (`ESC [ digits and semicolons m`) and nothing else. Returns the first offence.
pub fn check(out: &[u8], sgr_allowed: bool) -> Result<(), String> {
    let mut i = 0;
    while i < out.len() {
        let b = out[i];
        if b == 0x1b && sgr_allowed {
            let params = out[i + 1..].iter().skip(1);
            let len = params
                .take_while(|c| c.is_ascii_digit() || **c == b';')
                .count();
            let end = i + 2 + len;
            if out.get(i + 1) != Some(&b'[') || out.get(end) != Some(&b'm') {
                return Err(offence(
                    out,
                    i,
                    "an ESC that does not start an SGR sequence",
                ));
            }
            i = end + 1;
            continue;
        }
        if (b < 0x20 && b != b'\n') || b == 0x7f {
            return Err(offence(out, i, &format!("raw control byte {b:#04x}")));
        }
        i += 1;
    }
    let text = String::from_utf8_lossy(out);
    for (at, c) in text.char_indices() {
        if ('\u{80}'..='\u{9f}').contains(&c) || is_bidi_control(c) {
            return Err(offence(
                text.as_bytes(),
                at,
                &format!("control character U+{:04X}", c as u32),
            ));
        }
    }
    Ok(())
}

fn offence(out: &[u8], at: usize, what: &str) -> String {
    let line_start = out[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let line_end = out[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(out.len(), |p| at + p);
    format!(
        "{what} at byte {at}, in the line {:?}",
        String::from_utf8_lossy(&out[line_start..line_end])
    )
}
