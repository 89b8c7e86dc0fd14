//! The legend: what the columns, the state names, Zeek's conn_state codes and history letters
//! mean — only those that appear in the output, once, at the end.

use std::io::{self, Write};

use super::theme::{Role, Theme};
use super::words::Words;
use crate::analysis::{ConnState, HistoryKind, TcpState};
use crate::flow::Conversation;
use crate::text::{display_width, wrap};

/// What appeared in the output, so the legend explains that and nothing else.
#[derive(Debug, Default)]
pub struct Seen {
    /// States shown, as a set of bits (bit `n`: the state declared `n`-th), cheap to note
    /// for every packet.
    states: u32,
}

impl Seen {
    /// Notes the states a packet shows.
    pub fn packet(&mut self, obs: &crate::flow::Observation) {
        for change in &obs.changes {
            self.states |= 1 << change.to as u32;
        }
    }

    /// The states shown, in the order declared.
    pub fn states(&self) -> impl Iterator<Item = TcpState> + '_ {
        TcpState::ALL
            .into_iter()
            .filter(|s| self.states & (1 << *s as u32) != 0)
    }
}

/// The conn_state codes and history letters of the conversations summarized, as sets of
/// bits (bit `n`: the variant declared `n`-th), cheap to note for every conversation.
#[derive(Debug, Default)]
pub struct SeenConversations {
    codes: u32,
    letters: u32,
}

impl SeenConversations {
    /// Notes a conversation's code and letters.
    pub fn add(&mut self, conv: &Conversation) {
        self.codes |= 1 << conv.conn_state as u32;
        for letter in conv.history.chars() {
            if let Some(kind) = HistoryKind::of_letter(letter) {
                self.letters |= 1 << kind as u32;
            }
        }
    }

    fn has_code(&self, code: ConnState) -> bool {
        self.codes & (1 << code as u32) != 0
    }

    /// The letters seen, in the order of their kinds.
    fn letters(&self) -> impl Iterator<Item = HistoryKind> + '_ {
        HistoryKind::ALL
            .into_iter()
            .filter(|k| self.letters & (1 << *k as u32) != 0)
    }
}

/// Writes the legend.
pub fn write_legend(
    out: &mut dyn Write,
    words: &dyn Words,
    theme: &Theme,
    width: Option<usize>,
    seen: &Seen,
    conversations: &SeenConversations,
    columns: bool,
) -> io::Result<()> {
    let [title, cols, states, conn, history] = words.legend_headings();
    let mut entries: Vec<(&str, Vec<(String, &str)>)> = Vec::new();
    if columns {
        let list = words
            .legend_columns()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        entries.push((cols, list));
    }
    let list: Vec<(String, &str)> = seen
        .states()
        .map(|s| (s.as_str().to_string(), words.state_meaning(s)))
        .collect();
    if !list.is_empty() {
        entries.push((states, list));
    }
    let list: Vec<(String, &str)> = ConnState::ALL
        .into_iter()
        .filter(|c| conversations.has_code(*c))
        .map(|c| (c.code().to_string(), words.conn_state_meaning(c)))
        .collect();
    if !list.is_empty() {
        entries.push((conn, list));
    }
    let list: Vec<(String, &str)> = conversations
        .letters()
        .map(|k| {
            let l = k.letter();
            (
                format!("{} {l}", l.to_ascii_uppercase()),
                words.history_meaning(k),
            )
        })
        .collect();
    if !list.is_empty() {
        entries.push((history, list));
    }
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", theme.paint(Role::Heading, title))?;
    for (heading, list) in entries {
        for line in wrap(heading, width.unwrap_or(usize::MAX).saturating_sub(2)) {
            writeln!(out, "  {}", theme.paint(Role::Dim, &line))?;
        }
        let key_w = list
            .iter()
            .map(|(k, _)| display_width(k))
            .max()
            .unwrap_or(0);
        for (key, meaning) in list {
            let indent = 4 + key_w + 2;
            let room = width.map_or(usize::MAX, |w| w.saturating_sub(indent).max(20));
            let mut key_text = String::new();
            crate::text::push_padded(&mut key_text, &key, key_w);
            for (i, piece) in wrap(meaning, room).iter().enumerate() {
                if i == 0 {
                    writeln!(out, "    {}  {piece}", theme.paint(Role::State, &key_text))?;
                } else {
                    writeln!(out, "{}{piece}", " ".repeat(indent))?;
                }
            }
        }
    }
    Ok(())
}
