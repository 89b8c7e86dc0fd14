//! The line that opens a conversation: "── TCP stream 0: client A → server B · …".

use std::io::{self, Write};

use super::TimelineWriter;
use crate::flow::{ConversationIntro, Proto};
use crate::render::theme::Role;
use crate::text::{display_width, wrap};

impl TimelineWriter {
    /// The line that introduces a conversation.
    pub fn write_intro(
        &mut self,
        out: &mut dyn Write,
        intro: &ConversationIntro,
    ) -> io::Result<()> {
        // Three reused buffers: the client, the server, the line.
        let mut client = std::mem::take(&mut self.scratch);
        let mut server = std::mem::take(&mut self.event);
        let mut line = std::mem::take(&mut self.line.text);
        let written = self.write_intro_in(out, intro, [&mut client, &mut server, &mut line]);
        self.scratch = client;
        self.event = server;
        self.line.text = line;
        written
    }

    fn write_intro_in(
        &self,
        out: &mut dyn Write,
        intro: &ConversationIntro,
        [client, server, line]: [&mut String; 3],
    ) -> io::Result<()> {
        let w = self.words;
        let tail = match intro.proto {
            Proto::Tcp => w.role_basis(intro.basis),
            Proto::Udp => w.udp_intro(),
        };
        client.clear();
        server.clear();
        intro.client.push_to(client);
        intro.server.push_to(server);
        line.clear();
        line.push('\n');
        let plain = |line: &mut String| {
            w.stream_intro(line, intro.proto, intro.stream, (client, server), tail);
        };
        let Some(width) = self.width else {
            if self.theme.is_colored() {
                let endpoints = (
                    &self.theme.paint(Role::Client, client)[..],
                    &self.theme.paint(Role::Server, server)[..],
                );
                let mut text = String::new();
                w.stream_intro(&mut text, intro.proto, intro.stream, endpoints, tail);
                self.theme.push_paint(line, Role::Heading, &text);
            } else {
                plain(line);
            }
            line.push('\n');
            return out.write_all(line.as_bytes());
        };
        plain(line);
        let text = &line[1..];
        writeln!(out)?;
        if display_width(text) <= width {
            let endpoints = (
                &self.theme.paint(Role::Client, client)[..],
                &self.theme.paint(Role::Server, server)[..],
            );
            let mut painted = String::new();
            w.stream_intro(&mut painted, intro.proto, intro.stream, endpoints, tail);
            return writeln!(out, "{}", self.theme.paint(Role::Heading, &painted));
        }
        for (i, piece) in wrap(text, width.saturating_sub(3)).iter().enumerate() {
            let pad = if i == 0 { "" } else { "   " };
            writeln!(out, "{pad}{}", self.theme.paint(Role::Heading, piece))?;
        }
        Ok(())
    }
}
