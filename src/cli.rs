//! Command-line definitions (clap derive) and their translation into plain configuration.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::demo::DemoKind;
use crate::demo::net::DEFAULT_PREFIX;

mod live;
mod view;

pub use live::{LiveRequest, parse_loss};
pub use view::Environment;

/// Capture real traffic and explain it: the TCP handshake, data, close and each endpoint's
/// state, UDP datagrams, and what every byte of a frame is.
#[derive(Debug, Parser)]
#[command(name = "handshake-viz", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyze a saved capture (.pcap or .pcapng); no root needed.
    Read(ReadArgs),
    /// Capture on an interface and explain the traffic as it happens (needs root or
    /// CAP_NET_RAW); with --demo, run built-in TCP or UDP peers on loopback and capture them.
    Live(LiveArgs),
    /// List the interfaces libpcap can capture on, with their addresses and flags.
    Interfaces,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `handshake-viz man | man -l -`; with --dir, write
    /// it and one page per subcommand (handshake-viz-read.1, ...) into a directory.
    Man {
        /// Write every page into this directory instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Which built-in peers to run: one lesson each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoArg {
    /// List the demos and what each one shows.
    List,
    /// A TCP echo server and client: handshake, data both ways, close.
    Tcp,
    /// A UDP time server and client: datagrams with no handshake and no close.
    Udp,
    /// Sticky packets: send() boundaries are not recv() boundaries.
    Sticky,
    /// A 4-byte length prefix per message: every message recovered.
    Framing,
    /// One sendto() is one datagram is one recvfrom(); MSG_TRUNC.
    UdpBoundaries,
    /// Nobody listens: RST/ACK, ECONNREFUSED, ICMP port unreachable.
    Refused,
    /// shutdown(SHUT_WR): FIN one way, data the other.
    HalfClose,
    /// The 4-segment close, the 3-segment one, TIME-WAIT.
    #[value(name = "close-4way")]
    Close4Way,
    /// A threaded server with N clients at once.
    Concurrent,
    /// Two network namespaces: ARP, the subnet mask, MSS (captures on its own interface).
    TwoHosts,
    /// The two hosts over a relay that drops packets (captures on its own interface).
    Lossy,
}

impl DemoArg {
    /// The demo, or `None` for `list`.
    pub fn kind(self) -> Option<DemoKind> {
        Some(match self {
            DemoArg::List => return None,
            DemoArg::Tcp => DemoKind::Tcp,
            DemoArg::Udp => DemoKind::Udp,
            DemoArg::Sticky => DemoKind::Sticky,
            DemoArg::Framing => DemoKind::Framing,
            DemoArg::UdpBoundaries => DemoKind::UdpBoundaries,
            DemoArg::Refused => DemoKind::Refused,
            DemoArg::HalfClose => DemoKind::HalfClose,
            DemoArg::Close4Way => DemoKind::Close4Way,
            DemoArg::Concurrent => DemoKind::Concurrent,
            DemoArg::TwoHosts => DemoKind::TwoHosts,
            DemoArg::Lossy => DemoKind::Lossy,
        })
    }
}

/// `live` arguments.
#[derive(Debug, Args)]
pub struct LiveArgs {
    /// Interface to capture on ("lo", "any", "eth0", ...). With --demo it may be left out: the
    /// loopback demos capture on "lo", two-hosts and lossy on their own namespace's interface.
    pub interface: Option<String>,

    /// Run built-in peers and capture their conversation, then explain the lesson; stops by
    /// itself. `--demo list` lists the demos.
    #[arg(long, value_enum, value_name = "NAME")]
    pub demo: Option<DemoArg>,

    /// Demo over IPv6 (::1) instead of 127.0.0.1 (loopback demos).
    #[arg(long, requires = "demo")]
    pub ipv6: bool,

    /// A message the demo client sends (repeatable): TCP echo text, a strftime format the
    /// UDP time server answers with the current time, a write of sticky, a framed message, a
    /// datagram of udp-boundaries.
    #[arg(long, short = 'm', value_name = "TEXT", requires = "demo")]
    pub message: Vec<String>,

    /// Demo server port (default: a free port chosen by the kernel).
    #[arg(long, value_name = "PORT", requires = "demo")]
    pub port: Option<u16>,

    /// Clients of --demo concurrent (1-16).
    #[arg(long, value_name = "N", requires = "demo")]
    pub clients: Option<usize>,

    /// Fraction of TCP data segments and UDP datagrams --demo lossy drops: 10% or 0.1
    /// (default 10%, at most 50%).
    #[arg(long, value_name = "P", value_parser = parse_loss, requires = "demo")]
    pub loss: Option<f64>,

    /// Seed of --demo lossy's drops: the same seed drops the same segments (default 1).
    #[arg(long, value_name = "N", requires = "demo")]
    pub seed: Option<u64>,

    /// Prefix of the namespace names --demo two-hosts and lossy create (1-8 letters).
    #[arg(long, value_name = "PREFIX", hide = true, default_value = DEFAULT_PREFIX)]
    pub netns_prefix: String,

    /// Capture only packets matching this tcpdump (BPF) filter, e.g. 'tcp port 443'.
    #[arg(long, short = 'f', value_name = "EXPR")]
    pub filter: Option<String>,

    /// Bytes kept of each packet.
    #[arg(long, value_name = "BYTES", default_value_t = 262144, value_parser = clap::value_parser!(u32).range(1..=262144))]
    pub snaplen: u32,

    /// Stop after this many packets.
    #[arg(long, short = 'c', value_name = "N")]
    pub count: Option<u64>,

    /// Stop after this many seconds.
    #[arg(long, value_name = "SECS")]
    pub duration: Option<f64>,

    /// Also write every captured packet to this file (valid even after Ctrl-C): classic pcap,
    /// or with a .pcapng name pcapng with the demo's socket calls as packet comments.
    #[arg(long, short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,

    /// Once the capture is open, parse packets as this user instead of root (default: the
    /// user who ran sudo, else nobody; "root" keeps root). Files written go to the sudo user.
    #[arg(long, short = 'Z', value_name = "USER")]
    pub user: Option<String>,

    /// Memory limits.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Display options.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// `read` arguments.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The capture file (.pcap with µs or ns timestamps, or .pcapng); "-" reads standard input.
    pub file: PathBuf,

    /// Show only frames matching this tcpdump (BPF) filter, e.g. 'tcp port 80'.
    /// Every frame is still analyzed, so frame and stream numbers match Wireshark's.
    #[arg(long, short = 'f', value_name = "EXPR")]
    pub filter: Option<String>,

    /// Memory limits.
    #[command(flatten)]
    pub limits: LimitArgs,

    /// Display options.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// How many conversations are followed at once (read and live).
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Most conversations followed at once (0: no limit). Past it the one idle longest is
    /// evicted: its summary is written then, and the totals say how many. Ended ones are
    /// remembered for their stream numbers, up to three times as many of each protocol.
    #[arg(long, value_name = "N", default_value_t = default_max_connections())]
    pub max_connections: usize,
}

impl LimitArgs {
    /// The tracker's limits these options ask for.
    pub fn to_limits(&self) -> crate::flow::Limits {
        crate::flow::Limits::with_max_connections(self.max_connections)
    }
}

/// The default of `--max-connections`.
fn default_max_connections() -> usize {
    crate::flow::Limits::MAX_CONNECTIONS
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// When to print the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LegendArg {
    /// When writing text to a terminal.
    #[default]
    Auto,
    /// Always, also into a file or pipe.
    Always,
    /// Never.
    Never,
}

/// How to show time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TimeArg {
    /// Seconds since the first packet.
    #[default]
    Relative,
    /// Date and time with the UTC offset (local time zone; set TZ to change it).
    Absolute,
    /// Seconds since the previous packet shown.
    Delta,
}

/// Options that choose what is shown, shared by `read` and `live`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// Show only one conversation: N or tcp:N (tcp.stream), udp:N (udp.stream).
    #[arg(long, short = 's', value_name = "N")]
    pub stream: Option<String>,

    /// Write newline-delimited JSON (one object per packet, then one per conversation).
    #[arg(long)]
    pub json: bool,

    /// Show only the summary table.
    #[arg(long, conflicts_with = "no_summary")]
    pub summary_only: bool,

    /// Do not show the summary table.
    #[arg(long)]
    pub no_summary: bool,

    /// List every conversation in the summary, however many (past a hundred the summary
    /// otherwise gives totals by close and state and the noteworthy conversations).
    #[arg(long)]
    pub all_conversations: bool,

    /// Time column: relative to the first packet, absolute, or delta from the previous one.
    #[arg(long, value_enum, default_value_t = TimeArg::Relative)]
    pub time: TimeArg,

    /// Bytes of payload to preview per packet (0: none). Control characters are escaped.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub payload: usize,

    /// Show the byte map (encapsulation, every header field on its bytes) of these frames:
    /// N, N-M or a list like 1,4,7-9; without a value, of every frame.
    #[arg(long, value_name = "FRAMES", num_args = 0..=1, default_missing_value = "all")]
    pub bytes: Option<String>,

    /// Colour: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Language of the explanations: en or zh (中文). Default: from LC_ALL, LC_MESSAGES or
    /// LANG (zh_* gives 中文), else English.
    #[arg(long, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    /// How packets are shown: a timeline (one line per packet) or a ladder diagram per
    /// conversation (two lanes, one arrow per packet, states and socket calls beside them).
    #[arg(long, value_enum, default_value_t = ViewArg::Timeline)]
    pub view: ViewArg,

    /// Also draw the ladders as a standalone SVG picture in FILE.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,

    /// Also write a self-contained HTML page in FILE: the ladders, with every field and the
    /// byte map of the packet under the pointer.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Vertical spacing of the pictures: time to scale (long pauses cut and marked), or
    /// evenly spaced.
    #[arg(long, value_enum, default_value_t = SpacingArg::Scaled)]
    pub spacing: SpacingArg,

    /// Explain the state names, codes and columns that appear, once, at the end: auto (when
    /// writing text to a terminal), always, never.
    #[arg(long, value_enum, default_value_t = LegendArg::Auto, value_name = "WHEN")]
    pub legend: LegendArg,

    /// Fit the text views to this many columns. Default: the terminal's width, else
    /// COLUMNS, else no limit when the output is not a terminal.
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,
}

/// How packets are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// One line per packet.
    Timeline,
    /// A ladder diagram per conversation.
    Ladder,
}

/// Vertical spacing of the pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpacingArg {
    /// Time to scale, long pauses cut and marked.
    Scaled,
    /// Evenly spaced, pauses marked.
    Even,
}

/// A language of the explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// 中文 (Simplified Chinese).
    Zh,
}
