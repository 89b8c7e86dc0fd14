//! tcpdump filter expressions (BPF) applied to frames read from a file. libpcap compiles the
//! expression for each link type the file contains.

use std::collections::HashMap;

use pcap::{BpfProgram, Capture, Linktype};

use super::{Frame, LinkType};
use crate::{Error, Result};

/// A compiled BPF filter that tests frames of any link type.
pub struct BpfFilter {
    expr: String,
    programs: HashMap<LinkType, Option<BpfProgram>>,
}

impl BpfFilter {
    /// Compiles `expr` for `linktype`; a syntax error is reported with libpcap's message.
    pub fn new(expr: &str, linktype: LinkType) -> Result<BpfFilter> {
        let program = compile(expr, linktype)?;
        let mut programs = HashMap::new();
        programs.insert(linktype, Some(program));
        Ok(BpfFilter {
            expr: expr.to_string(),
            programs,
        })
    }

    /// The expression as given.
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// Whether the frame passes the filter. A link type the expression cannot be compiled for
    /// (say, `ether host` on raw IP) matches nothing.
    pub fn matches(&mut self, frame: &Frame) -> bool {
        let expr = &self.expr;
        let program = self
            .programs
            .entry(frame.linktype)
            .or_insert_with(|| compile(expr, frame.linktype).ok());
        program.as_ref().is_some_and(|p| p.filter(&frame.data))
    }
}

fn compile(expr: &str, linktype: LinkType) -> Result<BpfProgram> {
    let filter_error = |reason: String| Error::Filter {
        filter: expr.to_string(),
        reason,
    };
    let dead = Capture::dead(Linktype(linktype.0)).map_err(|e| filter_error(e.to_string()))?;
    dead.compile(expr, true).map_err(|e| {
        filter_error(match e {
            pcap::Error::PcapError(inner) => inner,
            pcap::Error::InvalidString => "the expression contains a NUL byte".into(),
            other => other.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_expression_names_the_filter_and_the_reason() {
        let err = BpfFilter::new("tcp port", LinkType::ETHERNET)
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "bad filter 'tcp port': can't parse filter expression: syntax error"
        );
        let err = BpfFilter::new("tcp port 99999", LinkType::ETHERNET)
            .err()
            .unwrap();
        assert!(err.to_string().contains("illegal port number 99999"));
    }

    #[test]
    fn filter_matches_by_link_type() {
        let mut f = BpfFilter::new("udp", LinkType::ETHERNET).unwrap();
        // Ethernet + IPv4 + UDP header, 42 bytes.
        let mut data = vec![0u8; 12];
        data.extend([
            0x08, 0x00, 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1,
        ]);
        data.extend([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]);
        let frame = Frame {
            index: 1,
            ts: Default::default(),
            linktype: LinkType::ETHERNET,
            orig_len: data.len() as u32,
            data,
        };
        assert!(f.matches(&frame));
        let mut tcp_only = BpfFilter::new("tcp", LinkType::ETHERNET).unwrap();
        assert!(!tcp_only.matches(&frame));
    }
}
