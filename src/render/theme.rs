//! Colours: each thing shown is classified first (a [`Role`]), then the theme maps the role to
//! a style. Escapes are written only when colour is on; without colour the text is unchanged.

use anstyle::{AnsiColor, Color, Style};

/// What a piece of text is, independent of how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Headers and section titles.
    Heading,
    /// Secondary text: column headers, offsets, units.
    Dim,
    /// Client-to-server direction.
    Client,
    /// Server-to-client direction.
    Server,
    /// Handshake packets and SYN flags.
    Handshake,
    /// Data packets.
    Data,
    /// Closing packets and FIN flags.
    Close,
    /// Resets, errors and bad checksums.
    Alert,
    /// Warnings: retransmissions, zero windows, truncation.
    Warn,
    /// TCP state names.
    State,
    /// Application calls of the demo peers.
    App,
    /// Link-layer bytes in a byte map.
    LayerLink,
    /// Network-layer bytes in a byte map.
    LayerNet,
    /// Transport-layer bytes in a byte map.
    LayerTransport,
    /// Application bytes in a byte map.
    LayerApp,
    /// Trailer/padding bytes in a byte map.
    LayerTrailer,
}

/// Maps roles to terminal styles, or to nothing when colour is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme that colours when `color` is true.
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    /// A theme that writes ANSI colour escapes.
    pub fn colored() -> Theme {
        Theme { color: true }
    }

    /// A theme that writes plain text.
    pub fn plain() -> Theme {
        Theme { color: false }
    }

    /// Whether escapes are written.
    pub fn is_colored(&self) -> bool {
        self.color
    }

    /// The style of a role.
    pub fn style(&self, role: Role) -> Style {
        let fg = |c: AnsiColor| Style::new().fg_color(Some(Color::Ansi(c)));
        match role {
            Role::Heading => Style::new().bold(),
            Role::Dim => Style::new().dimmed(),
            Role::Client => fg(AnsiColor::Cyan),
            Role::Server => fg(AnsiColor::Magenta),
            Role::Handshake => fg(AnsiColor::Green),
            Role::Data => fg(AnsiColor::Blue),
            Role::Close => fg(AnsiColor::Yellow),
            Role::Alert => fg(AnsiColor::Red).bold(),
            Role::Warn => fg(AnsiColor::BrightYellow),
            Role::State => fg(AnsiColor::BrightWhite).bold(),
            Role::App => fg(AnsiColor::BrightCyan).italic(),
            Role::LayerLink => fg(AnsiColor::Yellow),
            Role::LayerNet => fg(AnsiColor::Green),
            Role::LayerTransport => fg(AnsiColor::Cyan),
            Role::LayerApp => fg(AnsiColor::Magenta),
            Role::LayerTrailer => Style::new().dimmed(),
        }
    }

    /// `text` wrapped in the role's style when colour is on, unchanged otherwise.
    /// Appends `text` painted in `role` to `out` (as [`Theme::paint`] writes it).
    pub fn push_paint(&self, out: &mut String, role: Role, text: &str) {
        if !self.color || text.is_empty() {
            out.push_str(text);
            return;
        }
        use std::fmt::Write as _;
        let style = self.style(role);
        let _ = write!(out, "{}{}{}", style.render(), text, style.render_reset());
    }

    pub fn paint(&self, role: Role, text: &str) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        let style = self.style(role);
        format!("{}{}{}", style.render(), text, style.render_reset())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_theme_writes_no_escapes() {
        assert_eq!(Theme::plain().paint(Role::Alert, "RST"), "RST");
        assert!(Theme::colored().paint(Role::Alert, "RST").contains("\x1b["));
    }
}
