//! The text summary in bounded memory. Conversations arrive as they leave the tracker; up to
//! [`LIST_LIMIT`] are kept and shown as the table, in stream order. Past that the summary
//! turns into an overview: totals by how the conversations closed and by conn_state, and the
//! noteworthy ones (most data, longest, most retransmissions, slowest handshake). With
//! `--all-conversations` every row is kept instead, in a temporary file, in the order the
//! conversations ended.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

use comfy_table::{Cell, CellAlignment};

use super::table::{TableStyle, new_table, write_row_header, write_row_line, write_summary};
use super::words::Noteworthy;
use crate::flow::{CloseKind, Conversation, Proto};
use crate::text::wrap;

/// Conversations shown as a table; past this many, the overview.
pub const LIST_LIMIT: usize = 100;
/// Conversations kept per noteworthy reason.
const TOP: usize = 5;

/// Totals of one close kind.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    count: u64,
    packets: u64,
    bytes: u64,
}

/// Collects the conversations for the summary.
pub struct SummaryBook {
    all: bool,
    seen: u64,
    rows: Vec<Conversation>,
    spool: Option<BufWriter<File>>,
    by_close: Vec<(Proto, CloseKind, Totals)>,
    by_state: Vec<(&'static str, u64)>,
    top: Vec<(Noteworthy, Vec<(f64, Conversation)>)>,
}

impl SummaryBook {
    /// A book; `all`: every conversation is listed.
    pub fn new(all: bool) -> SummaryBook {
        SummaryBook {
            all,
            seen: 0,
            rows: Vec::new(),
            spool: None,
            by_close: Vec::new(),
            by_state: Vec::new(),
            top: Noteworthy::ALL.iter().map(|n| (*n, Vec::new())).collect(),
        }
    }

    /// Conversations added so far.
    pub fn count(&self) -> u64 {
        self.seen
    }

    /// Adds a conversation that left the tracker.
    pub fn add(&mut self, conv: &Conversation, style: &TableStyle) -> io::Result<()> {
        self.seen += 1;
        self.tally(conv);
        if let Some(spool) = self.spool.as_mut() {
            return write_row_line(spool, conv, style);
        }
        if !self.all && self.seen as usize > LIST_LIMIT {
            // The overview: the rows are not shown.
            self.rows = Vec::new();
            return Ok(());
        }
        self.rows.push(conv.clone());
        if self.rows.len() > LIST_LIMIT {
            if self.all {
                let mut spool = BufWriter::new(tempfile::tempfile()?);
                for row in &self.rows {
                    write_row_line(&mut spool, row, style)?;
                }
                self.spool = Some(spool);
            }
            self.rows = Vec::new();
        }
        Ok(())
    }

    fn tally(&mut self, conv: &Conversation) {
        let packets = conv.packets[0] + conv.packets[1];
        let bytes = conv.bytes[0] + conv.bytes[1];
        let at = match self
            .by_close
            .iter()
            .position(|(p, c, _)| *p == conv.proto && *c == conv.close)
        {
            Some(at) => at,
            None => {
                self.by_close
                    .push((conv.proto, conv.close, Totals::default()));
                self.by_close.len() - 1
            }
        };
        let t = &mut self.by_close[at].2;
        t.count += 1;
        t.packets += packets;
        t.bytes += bytes;
        let code = conv.conn_state.code();
        match self.by_state.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.by_state.push((code, 1)),
        }
        for (why, list) in &mut self.top {
            let Some(score) = score(*why, conv) else {
                continue;
            };
            if list.len() < TOP {
                list.push((score, conv.clone()));
            } else if let Some(low) = list
                .iter_mut()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|low| low.0 < score)
            {
                *low = (score, conv.clone());
            }
        }
    }

    /// Writes the summary: the table, the full list, or the overview.
    pub fn write(&mut self, out: &mut dyn Write, style: &TableStyle) -> io::Result<()> {
        if let Some(spool) = self.spool.take() {
            write_row_header(out, style)?;
            let mut file = spool.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = file.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                out.write_all(&buf[..n])?;
            }
            writeln!(out)?;
            return self.write_totals(out, style);
        }
        if self.seen as usize <= LIST_LIMIT {
            self.rows
                .sort_by_key(|c| (c.proto == Proto::Udp, c.stream, c.continued));
            return write_summary(out, &self.rows, style);
        }
        self.write_overview(out, style)
    }

    fn write_overview(&mut self, out: &mut dyn Write, style: &TableStyle) -> io::Result<()> {
        let w = style.words;
        let mut listed: Vec<(Noteworthy, Conversation)> = Vec::new();
        for (why, list) in &mut self.top {
            list.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (_, conv) in list.drain(..) {
                let same = |c: &Conversation| {
                    c.proto == conv.proto && c.stream == conv.stream && c.start == conv.start
                };
                if !listed.iter().any(|(_, c)| same(c)) {
                    listed.push((*why, conv));
                }
            }
        }
        let title = w.overview_title(self.seen, listed.len());
        match style.width {
            Some(width) => {
                for (i, line) in wrap(&title, usize::from(width).saturating_sub(2))
                    .iter()
                    .enumerate()
                {
                    writeln!(out, "{}{line}", if i == 0 { "" } else { "  " })?;
                }
            }
            None => writeln!(out, "{title}")?,
        }
        self.write_totals(out, style)?;
        if listed.is_empty() {
            return Ok(());
        }
        writeln!(out)?;
        writeln!(out, "{}", w.why_heading())?;
        for why in Noteworthy::ALL {
            let convs: Vec<Conversation> = listed
                .iter()
                .filter(|(n, _)| *n == why)
                .map(|(_, c)| c.clone())
                .collect();
            if convs.is_empty() {
                continue;
            }
            writeln!(out, "  {}", w.noteworthy(why))?;
            write_summary(out, &convs, style)?;
        }
        Ok(())
    }

    /// The totals by close kind and by conn_state.
    fn write_totals(&mut self, out: &mut dyn Write, style: &TableStyle) -> io::Result<()> {
        let w = style.words;
        let h = w.summary_headings();
        let mut table = new_table(style);
        let first = |text: &'static str| text.lines().next().unwrap_or(text);
        table.set_header(vec![
            first(h.close),
            w.count_heading(),
            first(h.packets),
            first(h.bytes),
        ]);
        self.by_close
            .sort_by_key(|(p, _, t)| (*p == Proto::Udp, u64::MAX - t.count));
        for (proto, close, t) in &self.by_close {
            let name = match proto {
                Proto::Tcp => w.close_kind(*close).to_string(),
                Proto::Udp => "UDP".to_string(),
            };
            table.add_row(vec![
                Cell::new(name),
                Cell::new(t.count).set_alignment(CellAlignment::Right),
                Cell::new(t.packets).set_alignment(CellAlignment::Right),
                Cell::new(t.bytes).set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out, "{table}")?;
        let mut table = new_table(style);
        table.set_header(vec![first(h.state), w.count_heading()]);
        self.by_state.sort_by_key(|(_, n)| u64::MAX - n);
        for (code, n) in &self.by_state {
            table.add_row(vec![
                Cell::new(code),
                Cell::new(n).set_alignment(CellAlignment::Right),
            ]);
        }
        writeln!(out, "{table}")
    }
}

/// How noteworthy a conversation is for a reason (None: not at all).
fn score(why: Noteworthy, conv: &Conversation) -> Option<f64> {
    let value = match why {
        Noteworthy::MostData => (conv.bytes[0] + conv.bytes[1]) as f64,
        Noteworthy::Longest => conv.duration(),
        Noteworthy::MostRetransmissions => conv
            .analysis
            .map_or(0.0, |a| (a.retransmissions + a.out_of_order) as f64),
        Noteworthy::SlowestHandshake => conv.rtt_handshake.filter(|_| conv.proto == Proto::Tcp)?,
    };
    (value > 0.0).then_some(value)
}
