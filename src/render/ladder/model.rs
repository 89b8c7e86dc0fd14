//! The ladder as plain data, already in words: whoever builds it chooses the language, the
//! renderers only place the strings, symbols and numbers.

/// One side of a conversation; the client's lane is drawn on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The side that opened the conversation (left lane).
    Client,
    /// The side that answered (right lane).
    Server,
}

/// Which way an arrow points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dir {
    /// Client to server: left to right.
    ToServer,
    /// Server to client: right to left.
    ToClient,
}

impl Dir {
    /// The side that sends.
    pub fn sender(self) -> Side {
        match self {
            Dir::ToServer => Side::Client,
            Dir::ToClient => Side::Server,
        }
    }
}

/// What an arrow carries, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// SYN, SYN/ACK and the ACK completing the handshake.
    Handshake,
    /// Payload.
    Data,
    /// A bare acknowledgment or window update.
    Ack,
    /// FIN and the ACKs of the close.
    Close,
    /// RST.
    Reset,
    /// A UDP datagram.
    Datagram,
    /// Anything else.
    Other,
}

/// A finding about one packet. Each kind has a symbol that stays visible without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MarkKind {
    /// Data already sent is sent again.
    Retransmission,
    /// Retransmitted after duplicate ACKs, before the timer ran out.
    FastRetransmission,
    /// Retransmitted although the peer had already acknowledged it.
    SpuriousRetransmission,
    /// Arrived after a segment with a higher sequence number.
    OutOfOrder,
    /// The previous segment in this direction was not captured.
    LostSegment,
    /// An ACK for data that was never captured.
    AckLostSegment,
    /// An ACK repeating the previous one: the receiver is missing data.
    DuplicateAck,
    /// The receiver's window is zero.
    ZeroWindow,
    /// A probe sent into a zero window.
    ZeroWindowProbe,
    /// The sender filled the receiver's whole window.
    WindowFull,
    /// Only the window changed.
    WindowUpdate,
    /// A keep-alive probe.
    KeepAlive,
    /// The answer to a keep-alive.
    KeepAliveAck,
    /// A new connection on a 4-tuple used before.
    ReusedPorts,
    /// Anything else worth a warning (bad checksum, truncated capture, ...).
    Other,
}

/// How an arrow's line is drawn, so findings show in black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// Ordinary packet.
    Solid,
    /// Sent again: retransmissions.
    Dashed,
    /// A sign of trouble at the receiver: duplicate ACKs, out-of-order, zero window.
    Dotted,
}

impl MarkKind {
    /// One display column wide, readable without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            MarkKind::Retransmission => "↺",
            MarkKind::FastRetransmission => "↻",
            MarkKind::SpuriousRetransmission => "≗",
            MarkKind::OutOfOrder => "⇄",
            MarkKind::LostSegment => "✗",
            MarkKind::AckLostSegment => "⊘",
            MarkKind::DuplicateAck => "≡",
            MarkKind::ZeroWindow => "∅",
            MarkKind::ZeroWindowProbe => "⌀",
            MarkKind::WindowFull => "▮",
            MarkKind::WindowUpdate => "↕",
            MarkKind::KeepAlive => "♥",
            MarkKind::KeepAliveAck => "♡",
            MarkKind::ReusedPorts => "≈",
            MarkKind::Other => "!",
        }
    }

    /// The line style this mark asks for.
    pub fn line_style(self) -> LineStyle {
        match self {
            MarkKind::Retransmission
            | MarkKind::FastRetransmission
            | MarkKind::SpuriousRetransmission => LineStyle::Dashed,
            MarkKind::OutOfOrder
            | MarkKind::DuplicateAck
            | MarkKind::ZeroWindow
            | MarkKind::ZeroWindowProbe
            | MarkKind::WindowFull => LineStyle::Dotted,
            _ => LineStyle::Solid,
        }
    }

    /// Marks of loss and retransmission are alerts; the rest are warnings or plain notes.
    pub fn is_alert(self) -> bool {
        matches!(
            self,
            MarkKind::Retransmission
                | MarkKind::FastRetransmission
                | MarkKind::SpuriousRetransmission
                | MarkKind::LostSegment
                | MarkKind::AckLostSegment
                | MarkKind::OutOfOrder
        )
    }
}

/// A finding with its words, e.g. `(Retransmission, "retransmission")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Which finding.
    pub kind: MarkKind,
    /// Its name in the reader's language, shown in the legend.
    pub text: String,
}

/// One side's new state, caused by the arrow it is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    /// Whose state changed.
    pub side: Side,
    /// The new state's name, e.g. `SYN-SENT`.
    pub state: String,
}

/// One field of a packet for the HTML details, e.g. `("tcp.seq", "1")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Field name.
    pub key: String,
    /// Field value.
    pub value: String,
}

/// One packet: an arrow from the sender's lane to the receiver's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    /// Frame number in the capture (1-based).
    pub frame: u64,
    /// Nanoseconds since the capture's first packet.
    pub t_ns: i64,
    /// Which way it goes.
    pub dir: Dir,
    /// Short header summary on the arrow, e.g. `PSH,ACK seq=1 ack=1 len=5`.
    pub label: String,
    /// What happens, e.g. `data: client sends 5 bytes`.
    pub phrase: String,
    /// Colour class.
    pub category: Category,
    /// Findings.
    pub marks: Vec<Mark>,
    /// State changes of either side caused by this packet.
    pub states: Vec<StateChange>,
    /// Every field of the packet, for the HTML details.
    pub details: Vec<Detail>,
    /// The packet's byte map as pre-rendered plain text, for the HTML details.
    pub bytes: Option<String>,
}

impl Arrow {
    /// The most telling line style of its marks.
    pub fn line_style(&self) -> LineStyle {
        let styles = self.marks.iter().map(|m| m.kind.line_style());
        let mut best = LineStyle::Solid;
        for style in styles {
            match (best, style) {
                (_, LineStyle::Dashed) => return LineStyle::Dashed,
                (LineStyle::Solid, LineStyle::Dotted) => best = LineStyle::Dotted,
                _ => {}
            }
        }
        best
    }
}

/// How a socket call ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEnd {
    /// It did not block (or its return was not logged apart): one point in time.
    Instant,
    /// It blocked and returned at `t_ns`; `detail` says how, e.g. `connection established`.
    Returned {
        /// Nanoseconds since the capture's first packet.
        t_ns: i64,
        /// What the return brought.
        detail: String,
    },
    /// It had not returned when the capture ended.
    Pending,
}

/// An application's socket call, written on the outer side of its lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Who called.
    pub side: Side,
    /// When it was called, in nanoseconds since the first packet (negative: before it).
    pub t_ns: i64,
    /// The call, e.g. `connect()`.
    pub name: String,
    /// What it was asked to do, e.g. `to 127.0.0.1:9001`.
    pub detail: String,
    /// When and how it returned.
    pub end: CallEnd,
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Plain information, e.g. a pause in the conversation.
    Info,
    /// Something went wrong, e.g. an ICMP error about this stream.
    Alert,
}

/// A line of text across the ladder at a point in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Nanoseconds since the first packet.
    pub t_ns: i64,
    /// Kind, for its colour and symbol.
    pub kind: NoteKind,
    /// The text.
    pub text: String,
}

/// One thing drawn at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A packet.
    Arrow(Arrow),
    /// A socket call (with its return, if it blocked).
    Call(Call),
    /// A note.
    Note(Note),
}

impl Row {
    /// When it happens (a call: when it was called).
    pub fn t_ns(&self) -> i64 {
        match self {
            Row::Arrow(a) => a.t_ns,
            Row::Call(c) => c.t_ns,
            Row::Note(n) => n.t_ns,
        }
    }
}

/// One end of the conversation, named once at the top of its lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// Role label, e.g. `client`.
    pub role: String,
    /// Endpoint, e.g. `127.0.0.1:46262`.
    pub endpoint: String,
    /// State before the first arrow, if known, e.g. `CLOSED` or `LISTEN`.
    pub initial_state: Option<String>,
}

/// One conversation drawn as a ladder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    /// Heading, e.g. `TCP stream 0 · client sent the first SYN`.
    pub title: String,
    /// The stream's identifier for attributes and anchors, e.g. `tcp-0`.
    pub id: String,
    /// The left lane.
    pub client: Lane,
    /// The right lane.
    pub server: Lane,
    /// Arrows, calls and notes in time order (renderers sort stably by time anyway).
    pub rows: Vec<Row>,
}

impl Ladder {
    /// The lane of a side.
    pub fn lane(&self, side: Side) -> &Lane {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }

    /// The arrows, in row order.
    pub fn arrows(&self) -> impl Iterator<Item = &Arrow> {
        self.rows.iter().filter_map(|r| match r {
            Row::Arrow(a) => Some(a),
            _ => None,
        })
    }

    /// Every distinct mark kind used, with the words of its first use, sorted by kind.
    pub fn legend(&self) -> Vec<(MarkKind, &str)> {
        let mut seen: Vec<(MarkKind, &str)> = Vec::new();
        for mark in self.arrows().flat_map(|a| a.marks.iter()) {
            if !seen.iter().any(|(k, _)| *k == mark.kind) {
                seen.push((mark.kind, mark.text.as_str()));
            }
        }
        seen.sort_by_key(|(k, _)| *k);
        seen
    }
}
