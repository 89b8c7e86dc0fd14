//! From the tracker's observations and the demo peers' socket calls to ladders, in the words
//! of the chosen language. One ladder per conversation; packets that belong to none (ARP, an
//! ICMP message) become notes on the ladder of the conversation they precede or quote.

use std::collections::HashMap;

use super::facts::{byte_map, details, endpoint, mark_kind, side};
use super::model::{
    Arrow, Call, CallEnd, Category, Dir, Ladder, Lane, Mark, Note, NoteKind, Row, StateChange,
};
use crate::analysis::Phase;
use crate::demo::{AppEvent, Phase as CallPhase};
use crate::flow::{Conversation, Direction, Endpoint, Proto, RoleBasis};
use crate::render::Shown;
use crate::render::timeline::flags_short;
use crate::render::words::{Lang, Words, event_text};
use crate::time::Timestamp;

/// Most rows kept per ladder: a ladder is for reading, and memory stays bounded on long
/// transfers. Later packets are counted and said to be left out.
pub const MAX_ROWS: usize = 3000;

/// Most ladders kept at once. A view that writes each ladder when its conversation ends
/// (the text ladder) can draw any number; a picture holds at most this many. Conversations
/// that begin while as many are kept are counted in [`LadderBuilder::not_drawn`].
pub const MAX_LADDERS: usize = 8;

/// Most rows of all the ladders kept at once (a row of a long transfer, with its details,
/// takes a kilobyte or two): past it, packets are left out and said to be, as past
/// [`MAX_ROWS`].
pub const ROW_BUDGET: usize = 8_000;

/// A ladder being built, and what it left out.
struct Building {
    ladder: Ladder,
    /// Rows counted against [`ROW_BUDGET`].
    counted: usize,
    left_out: u64,
    synack_seen: bool,
}

/// Builds ladders from what the pipeline hands the printers.
pub struct LadderBuilder {
    words: &'static dyn Words,
    lang: Lang,
    first_ts: Option<Timestamp>,
    ladders: HashMap<(Proto, u32), Building>,
    order: Vec<(Proto, u32)>,
    /// Notes waiting for the next conversation (ARP before the first SYN, ...).
    pending_notes: Vec<Note>,
    /// Socket calls waiting for a conversation, and the last conversation opened.
    pending_calls: Vec<AppEvent>,
    last: Option<(Proto, u32)>,
    /// TCP conversations by client endpoint: calls that name their connection go there.
    by_client: HashMap<Endpoint, (Proto, u32)>,
    /// Byte maps for the HTML details (plain text, per frame), when wanted.
    pub with_bytes: bool,
    /// Conversations not drawn: they began while [`MAX_LADDERS`] ladders were kept.
    pub not_drawn: u64,
    /// Rows of the ladders kept now.
    rows_kept: usize,
}

impl LadderBuilder {
    /// A builder writing in `words`.
    pub fn new(lang: Lang) -> LadderBuilder {
        LadderBuilder {
            words: lang.words(),
            lang,
            first_ts: None,
            ladders: HashMap::new(),
            order: Vec::new(),
            pending_notes: Vec::new(),
            pending_calls: Vec::new(),
            last: None,
            by_client: HashMap::new(),
            with_bytes: false,
            not_drawn: 0,
            rows_kept: 0,
        }
    }

    fn t_ns(&self, ts: Timestamp) -> i64 {
        let first = self.first_ts.unwrap_or(ts);
        i64::try_from(ts.nanos_since(first)).unwrap_or(i64::MAX)
    }

    /// A shown packet.
    pub fn packet(&mut self, shown: &Shown<'_>) {
        let obs = shown.obs;
        self.first_ts.get_or_insert(obs.ts);
        let key = match (obs.stream, obs.proto) {
            (Some(s), crate::flow::PacketProto::Tcp) => Some((Proto::Tcp, s)),
            (Some(s), crate::flow::PacketProto::Udp) => Some((Proto::Udp, s)),
            _ => None,
        };
        let Some(key) = key else {
            self.note(shown);
            return;
        };
        if let Some(intro) = &obs.intro {
            self.open(key, intro);
        }
        let synack = obs.tcp.as_ref().is_some_and(|t| t.flags & 0x012 == 0x012);
        let rows_kept = self.rows_kept;
        let Some(b) = self.ladders.get_mut(&key) else {
            // Not drawn: no arrow (nor byte map) is made for it.
            return;
        };
        b.synack_seen |= synack && obs.dir == Some(Direction::ServerToClient);
        if b.ladder.rows.len() >= MAX_ROWS || rows_kept >= ROW_BUDGET {
            b.left_out += 1;
            return;
        }
        let arrow = self.arrow(shown);
        if let Some(b) = self.ladders.get_mut(&key) {
            b.ladder.rows.push(Row::Arrow(arrow));
            b.counted += 1;
            self.rows_kept += 1;
        }
    }

    fn open(&mut self, key: (Proto, u32), intro: &crate::flow::ConversationIntro) {
        if !self.ladders.contains_key(&key) && self.ladders.len() >= MAX_LADDERS {
            self.not_drawn += 1;
            return;
        }
        let w = self.words;
        let basis = match intro.proto {
            Proto::Tcp => w.role_basis(intro.basis),
            Proto::Udp => w.udp_intro(),
        };
        let initial = |known: &str| match (intro.proto, intro.basis) {
            (Proto::Udp, _) => None,
            (_, RoleBasis::PortGuess) => Some("unknown".to_string()),
            _ => Some(known.to_string()),
        };
        let id = format!("{}-{}", intro.proto.as_str(), intro.stream);
        let mut rows: Vec<Row> = self.pending_notes.drain(..).map(Row::Note).collect();
        rows.reserve(16);
        let building = Building {
            ladder: Ladder {
                title: format!("{} · {basis}", w.stream_title(intro.proto, intro.stream)),
                id,
                client: Lane {
                    role: w.side(crate::flow::Side::Client).to_string(),
                    endpoint: intro.client.to_string(),
                    initial_state: initial("CLOSED"),
                },
                server: Lane {
                    role: w.side(crate::flow::Side::Server).to_string(),
                    endpoint: intro.server.to_string(),
                    initial_state: initial("CLOSED"),
                },
                rows,
            },
            counted: 0,
            left_out: 0,
            synack_seen: false,
        };
        if !self.ladders.contains_key(&key) {
            self.order.push(key);
        }
        self.ladders.insert(key, building);
        self.last = Some(key);
        if intro.proto == Proto::Tcp {
            self.by_client.insert(intro.client, key);
        }
        // Calls that waited: those of no connection in particular, and this one's.
        let (calls, waiting): (Vec<AppEvent>, Vec<AppEvent>) = self
            .pending_calls
            .drain(..)
            .partition(|c| c.conn.is_none_or(|a| endpoint(a) == intro.client));
        self.pending_calls = waiting;
        for call in calls {
            self.app_call(&call);
        }
    }

    fn arrow(&self, shown: &Shown<'_>) -> Arrow {
        let obs = shown.obs;
        let w = self.words;
        let label = match &obs.tcp {
            Some(t) => {
                let mut label = format!("{} seq={}", flags_short(t.flags), t.seq);
                if let Some(ack) = t.ack {
                    label.push_str(&format!(" ack={ack}"));
                }
                if t.len > 0 {
                    label.push_str(&format!(" len={}", t.len));
                }
                if t.flags & 0x006 != 0 {
                    label.push_str(&format!(
                        " win={}",
                        t.window_bytes.unwrap_or(u64::from(t.window))
                    ));
                }
                label
            }
            None => format!("UDP len={}", obs.len.unwrap_or(0)),
        };
        let category = match obs.phase {
            Phase::Handshake => Category::Handshake,
            Phase::Close => Category::Close,
            Phase::Reset => Category::Reset,
            Phase::Datagram => Category::Datagram,
            Phase::Data if obs.len.unwrap_or(0) > 0 => Category::Data,
            Phase::Data => Category::Ack,
            Phase::Other => Category::Other,
        };
        let marks = obs
            .findings
            .iter()
            .map(|f| Mark {
                kind: mark_kind(f),
                text: w.finding(f).to_string(),
            })
            .collect();
        let states = obs
            .changes
            .iter()
            .map(|c| StateChange {
                side: side(c.side),
                state: c.to.as_str().to_string(),
            })
            .collect();
        Arrow {
            frame: obs.frame,
            t_ns: self.t_ns(obs.ts),
            dir: match obs.dir {
                Some(Direction::ServerToClient) => Dir::ToClient,
                _ => Dir::ToServer,
            },
            label,
            phrase: event_text(w, obs, shown.packet),
            category,
            marks,
            states,
            details: details(obs),
            bytes: self.with_bytes.then(|| byte_map(shown, self.lang)),
        }
    }

    /// A packet outside any conversation: a note on the ladder it quotes (an ICMP error),
    /// else on the next conversation opened.
    fn note(&mut self, shown: &Shown<'_>) {
        let obs = shown.obs;
        let kind = if obs.related.is_some() {
            NoteKind::Alert
        } else {
            NoteKind::Info
        };
        let note = Note {
            t_ns: self.t_ns(obs.ts),
            kind,
            text: format!(
                "#{} {}",
                obs.frame,
                event_text(self.words, obs, shown.packet)
            ),
        };
        match obs.related.and_then(|key| self.ladders.get_mut(&key)) {
            Some(b) => b.ladder.rows.push(Row::Note(note)),
            None if self.pending_notes.len() < MAX_ROWS => self.pending_notes.push(note),
            None => {}
        }
    }

    /// A socket call of the demo peers: a `Before` opens a call on the current conversation,
    /// the matching `After` closes it.
    pub fn app_call(&mut self, call: &AppEvent) {
        let key = match call.conn {
            Some(client) => self.by_client.get(&endpoint(client)).copied(),
            None => self.last,
        };
        let Some(key) = key else {
            if self.pending_calls.len() < MAX_ROWS {
                self.pending_calls.push(call.clone());
            }
            return;
        };
        let t_ns = self.t_ns(call.ts);
        let detail = self.words.app_detail(&call.detail);
        let Some(b) = self.ladders.get_mut(&key) else {
            return;
        };
        let rows = &mut b.ladder.rows;
        let who = side(call.side);
        let name = format!("{}()", call.call.name());
        if call.phase == CallPhase::After {
            let open = rows.iter_mut().rev().find_map(|r| match r {
                Row::Call(c) if c.side == who && c.name == name && c.end == CallEnd::Pending => {
                    Some(c)
                }
                _ => None,
            });
            if let Some(open) = open {
                open.end = CallEnd::Returned { t_ns, detail };
                return;
            }
        }
        if rows.len() < MAX_ROWS {
            rows.push(Row::Call(Call {
                side: who,
                t_ns,
                name,
                detail,
                end: if call.phase == CallPhase::Before {
                    CallEnd::Pending
                } else {
                    CallEnd::Instant
                },
            }));
        }
    }

    /// A conversation's summary: fixes its lanes' first states.
    pub fn conversation(&mut self, conv: &Conversation) {
        if let Some(b) = self.ladders.get_mut(&(conv.proto, conv.stream))
            && conv.proto == Proto::Tcp
            && b.synack_seen
            && conv.basis != RoleBasis::PortGuess
        {
            b.ladder.server.initial_state = Some("LISTEN".into());
        }
    }

    /// Takes out the ladder of a conversation that ended, with a note where rows were left
    /// out.
    pub fn take(&mut self, proto: Proto, stream: u32) -> Option<Ladder> {
        let key = (proto, stream);
        let b = self.ladders.remove(&key)?;
        self.order.retain(|k| *k != key);
        Some(self.finished(b))
    }

    fn finished(&mut self, mut b: Building) -> Ladder {
        let rows = b.ladder.rows.len();
        self.rows_kept = self.rows_kept.saturating_sub(b.counted);
        if b.left_out > 0 {
            let t_ns = b.ladder.rows.last().map_or(0, Row::t_ns);
            b.ladder.rows.push(Row::Note(Note {
                t_ns,
                kind: NoteKind::Info,
                text: self.words.ladder_left_out(b.left_out, rows.min(MAX_ROWS)),
            }));
        }
        b.ladder
    }

    /// The ladders in the order their conversations began, with a note where rows were left
    /// out; calls never tied to a conversation are dropped.
    pub fn finish(mut self) -> Vec<Ladder> {
        let mut out = Vec::with_capacity(self.order.len());
        for key in std::mem::take(&mut self.order) {
            if let Some(b) = self.ladders.remove(&key) {
                out.push(self.finished(b));
            }
        }
        out
    }
}
