//! Error types shared by the library.

use std::path::PathBuf;

/// Everything that can stop handshake-viz from reading or capturing.
///
/// Each message is a single line that names the file, interface or filter involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A capture file could not be opened or is not a capture.
    #[error("{path}: {reason}")]
    OpenFile { path: PathBuf, reason: String },

    /// A capture file ended in the middle of a record: everything before was read.
    #[error(
        "{path}: {reason} (the file is cut after frame {frames_read}; everything before was analyzed)"
    )]
    Truncated {
        path: PathBuf,
        frames_read: u64,
        reason: String,
    },

    /// A capture file is damaged in a way that stops reading after some frames.
    #[error("{path}: {reason} (stopped after frame {frames_read}; everything before was analyzed)")]
    Corrupt {
        path: PathBuf,
        frames_read: u64,
        reason: String,
    },

    /// A BPF filter expression libpcap refused.
    #[error("bad filter '{filter}': {reason}")]
    Filter { filter: String, reason: String },

    /// The capture's link type is not one handshake-viz decodes.
    #[error("{source_name}: unsupported link type {linktype} ({name}); supported: {supported}")]
    UnsupportedLinkType {
        source_name: String,
        linktype: i32,
        name: String,
        supported: String,
    },

    /// The capture interface does not exist.
    #[error("interface '{iface}' does not exist; capture interfaces here: {available}")]
    NoSuchInterface { iface: String, available: String },

    /// The process may not capture on the interface.
    #[error(
        "no permission to capture on '{iface}' ({reason}): run as root, or grant the binary \
         capture rights with `sudo setcap cap_net_raw,cap_net_admin+eip $(command -v handshake-viz)`"
    )]
    Permission { iface: String, reason: String },

    /// Any other libpcap failure on a live interface.
    #[error("capture on '{iface}' failed: {reason}")]
    Capture { iface: String, reason: String },

    /// A file to write could not be created or written.
    #[error("{path}: cannot write: {reason}")]
    Write { path: PathBuf, reason: String },

    /// Invalid combination of options or argument values.
    #[error("{0}")]
    Usage(String),

    /// The built-in demo peers failed.
    #[error("demo: {0}")]
    Demo(String),

    /// Writing the output failed.
    #[error("output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// True when the error came after part of the input was read and analyzed.
    pub fn is_partial(&self) -> bool {
        matches!(self, Error::Truncated { .. } | Error::Corrupt { .. })
    }

    /// True when writing the output failed because the reader went away (`| head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Text for a terminal: control characters (C0, DEL, C1) become `\xNN` and bidi controls
/// `\u{NNNN}`, so names from the command line or a capture cannot move the cursor, recolour
/// or reorder the screen, nor break a one-line message. Everything else is kept as is.
pub fn escape_control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{{{:04x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
