//! What to show and how, resolved once from arguments and environment by the binary. The
//! library never reads argv or the environment itself.

use std::path::PathBuf;

use crate::flow::Proto;
use crate::render::ladder::svg::Spacing;
use crate::render::words::Lang;

/// How packets are shown in the text view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// One line per packet with its numbers and what happens.
    #[default]
    Timeline,
    /// Each conversation as a ladder diagram: two lanes, one arrow per packet.
    Ladder,
}

/// How the time column is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeMode {
    /// Seconds since the first packet.
    #[default]
    Relative,
    /// Wall-clock date and time with the UTC offset.
    Absolute,
    /// Seconds since the previous packet shown.
    Delta,
}

/// Which parts of the report to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryMode {
    /// Timeline, then the summary table.
    #[default]
    Both,
    /// Only the summary table.
    Only,
    /// Only the timeline.
    None,
}

/// A set of frame numbers, such as `4`, `1-3` or `1,4,7-9`; empty means every frame.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrameSelection {
    ranges: Vec<(u64, u64)>,
}

impl FrameSelection {
    /// Every frame.
    pub fn all() -> FrameSelection {
        FrameSelection::default()
    }

    /// Parses `4`, `1-3`, `1,4,7-9`. Frame numbers start at 1.
    pub fn parse(text: &str) -> Result<FrameSelection, String> {
        let mut ranges = Vec::new();
        for part in text.split(',').map(str::trim) {
            let bad =
                || format!("bad frame selection '{text}': use N, N-M or a comma list like 1,4,7-9");
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (part, part),
            };
            let a: u64 = a.parse().map_err(|_| bad())?;
            let b: u64 = b.parse().map_err(|_| bad())?;
            if a == 0 || b < a {
                return Err(bad());
            }
            ranges.push((a, b));
        }
        Ok(FrameSelection { ranges })
    }

    /// Whether frame `n` is selected.
    pub fn contains(&self, n: u64) -> bool {
        self.ranges.is_empty() || self.ranges.iter().any(|(a, b)| (*a..=*b).contains(&n))
    }
}

/// A conversation chosen with `--stream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSelection {
    /// TCP or UDP; None accepts both protocols' stream with that index.
    pub proto: Option<Proto>,
    /// Stream index.
    pub index: u32,
}

impl StreamSelection {
    /// Parses `2`, `tcp:2` or `udp:1`.
    pub fn parse(text: &str) -> Result<StreamSelection, String> {
        let bad = || format!("bad stream '{text}': use N (TCP stream), tcp:N or udp:N");
        let (proto, index) = match text.split_once(':') {
            Some(("tcp", n)) => (Some(Proto::Tcp), n),
            Some(("udp", n)) => (Some(Proto::Udp), n),
            Some(_) => return Err(bad()),
            None => (Some(Proto::Tcp), text),
        };
        Ok(StreamSelection {
            proto,
            index: index.trim().parse().map_err(|_| bad())?,
        })
    }

    /// Whether a conversation is the selected one.
    pub fn matches(&self, proto: Proto, index: u32) -> bool {
        self.index == index && self.proto.is_none_or(|p| p == proto)
    }
}

/// Everything the renderers need to know about the user's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewConfig {
    /// Time column mode.
    pub time: TimeMode,
    /// Payload preview length in bytes (0 = none).
    pub payload: usize,
    /// Write ANSI colours.
    pub color: bool,
    /// Write NDJSON instead of text.
    pub json: bool,
    /// Timeline and/or summary.
    pub summary: SummaryMode,
    /// List every conversation in the text summary, however many.
    pub all_conversations: bool,
    /// Show only this conversation.
    pub stream: Option<StreamSelection>,
    /// Frames whose byte map is shown; None = no byte maps.
    pub bytes: Option<FrameSelection>,
    /// Language of the text views.
    pub lang: Lang,
    /// Width to fit the text views to (None: do not wrap).
    pub width: Option<u16>,
    /// Timeline or ladder.
    pub view: View,
    /// Also draw the ladders as an SVG file.
    pub svg: Option<PathBuf>,
    /// Also draw the ladders as a self-contained HTML page.
    pub html: Option<PathBuf>,
    /// Vertical spacing of the pictures.
    pub spacing: Spacing,
    /// Explain the state names, codes and columns used, once, at the end.
    pub legend: bool,
}

impl Default for ViewConfig {
    fn default() -> Self {
        ViewConfig {
            time: TimeMode::Relative,
            payload: 32,
            color: false,
            json: false,
            summary: SummaryMode::Both,
            all_conversations: false,
            stream: None,
            bytes: None,
            lang: Lang::En,
            width: None,
            view: View::Timeline,
            svg: None,
            html: None,
            spacing: Spacing::Scaled,
            legend: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_selection_parses_lists_and_ranges() {
        let s = FrameSelection::parse("1,4,7-9").unwrap();
        assert!(s.contains(1) && s.contains(4) && s.contains(8));
        assert!(!s.contains(2) && !s.contains(10));
        assert!(FrameSelection::parse("0").is_err());
        assert!(FrameSelection::parse("5-3").is_err());
        assert!(FrameSelection::parse("x").is_err());
        assert!(FrameSelection::all().contains(12345));
    }

    #[test]
    fn stream_selection_defaults_to_tcp() {
        let s = StreamSelection::parse("2").unwrap();
        assert!(s.matches(Proto::Tcp, 2) && !s.matches(Proto::Udp, 2));
        assert!(
            StreamSelection::parse("udp:1")
                .unwrap()
                .matches(Proto::Udp, 1)
        );
        assert!(StreamSelection::parse("sctp:1").is_err());
    }
}
