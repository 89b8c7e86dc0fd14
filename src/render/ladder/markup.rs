//! Escaping for SVG and HTML, and the colours of the roles on paper.

use super::model::Category;
use super::wrap::clean;
use crate::render::theme::Role;

/// Text safe inside XML or HTML element content and quoted attribute values: `&`, `<`, `>`,
/// both quotes escaped, control characters written out (see [`clean`]).
pub fn escape(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An identifier safe in an `id` or `data-` attribute and in a CSS selector: letters, digits,
/// `-` and `_` kept, everything else `_`.
pub fn ident(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The colour of a role on a white page: the terminal theme's hues, dark enough to read and
/// to stay distinct from the background when printed in grey.
pub fn color(role: Role) -> &'static str {
    match role {
        Role::Heading | Role::State => "#1a1a1a",
        Role::Dim | Role::LayerTrailer => "#5f5f5f",
        Role::Client | Role::LayerTransport => "#00707a",
        Role::Server | Role::LayerApp => "#8a2c9e",
        Role::Handshake | Role::LayerNet => "#2e7d32",
        Role::Data => "#1c5bb5",
        Role::Close | Role::LayerLink => "#8d6200",
        Role::Alert => "#c62828",
        Role::Warn => "#b35400",
        Role::App => "#00695c",
    }
}

/// The colour role of an arrow's category.
pub fn category_role(category: Category) -> Role {
    match category {
        Category::Handshake => Role::Handshake,
        Category::Data | Category::Datagram => Role::Data,
        Category::Ack | Category::Other => Role::Dim,
        Category::Close => Role::Close,
        Category::Reset => Role::Alert,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_controls_are_neutralised() {
        assert_eq!(
            escape("<a href=\"x\">&'\x1b"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\x1b"
        );
        assert_eq!(ident("tcp 0\"<>"), "tcp_0___");
    }
}
