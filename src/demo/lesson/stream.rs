//! Lesson points about one TCP stream: its handshake, its close, and the three kinds of
//! boundaries of one direction (the writes, the segments, the reads).

use std::ops::Range;

use super::{Point, Seen, SeenFrame, Segment};
use crate::demo::{AppEvent, Call, Detail, Phase, Side};
use crate::flow::Direction;

/// The frames of TCP stream `stream`, in order.
pub(super) fn tcp_frames(seen: &Seen, stream: u32) -> impl Iterator<Item = &SeenFrame> {
    seen.frames
        .iter()
        .filter(move |f| f.tcp.is_some() && f.stream == Some(stream))
}

fn side_of(dir: Option<Direction>) -> Side {
    match dir {
        Some(Direction::ServerToClient) => Side::Server,
        _ => Side::Client,
    }
}

/// SYN, SYN/ACK, ACK of a stream.
pub(super) fn handshake(seen: &Seen, stream: u32) -> Option<Point> {
    let frames: Vec<&SeenFrame> = tcp_frames(seen, stream).collect();
    let syn = frames
        .iter()
        .find(|f| f.tcp.as_ref().is_some_and(|t| t.syn() && !t.is_ack()))?;
    let synack = frames
        .iter()
        .find(|f| f.frame > syn.frame && f.tcp.as_ref().is_some_and(|t| t.syn() && t.is_ack()))?;
    let ack = frames.iter().find(|f| {
        f.frame > synack.frame
            && f.dir == syn.dir
            && f.tcp.as_ref().is_some_and(|t| t.is_ack() && !t.syn())
    })?;
    Some(Point::Handshake {
        frames: [syn.frame, synack.frame, ack.frame],
    })
}

/// The sequence number just after a segment (a SYN or FIN counts one).
fn end_of(f: &SeenFrame) -> u32 {
    f.tcp.as_ref().map_or(0, |t| {
        t.seq
            .wrapping_add(t.len)
            .wrapping_add(u32::from(t.syn()) + u32::from(t.fin()))
    })
}

fn acks(f: &SeenFrame, upto: u32) -> bool {
    f.tcp
        .as_ref()
        .and_then(|t| t.ack)
        .is_some_and(|a| a.wrapping_sub(upto) < 1 << 31)
}

/// How a stream closed: the first FIN, the peer's ACK of it (unless it rode on the peer's
/// FIN), the peer's FIN, the last ACK. `None` when the close was not seen in full.
pub(super) fn close(seen: &Seen, stream: u32) -> Option<(Point, Point)> {
    let frames: Vec<&SeenFrame> = tcp_frames(seen, stream).collect();
    let first = frames
        .iter()
        .find(|f| f.tcp.as_ref().is_some_and(|t| t.fin()))?;
    let first_end = end_of(first);
    let later = |after: u64| frames.iter().filter(move |f| f.frame > after);
    let ack = later(first.frame).find(|f| f.dir != first.dir && acks(f, first_end))?;
    let fin = later(first.frame)
        .find(|f| f.dir != first.dir && f.tcp.as_ref().is_some_and(|t| t.fin()))?;
    let last = later(fin.frame).find(|f| f.dir == first.dir && acks(f, end_of(fin)))?;
    let mut close = vec![first.frame];
    if ack.frame != fin.frame {
        close.push(ack.frame);
    }
    close.extend([fin.frame, last.frame]);
    let closer = side_of(first.dir);
    Some((
        Point::Close {
            stream,
            frames: close,
            first: closer,
        },
        Point::TimeWait {
            side: closer,
            frame: last.frame,
        },
    ))
}

/// The calls of `side` returning from `call` (tied to connection `conn` when given).
fn returned<'a>(seen: &'a Seen, side: Side, call: Call) -> impl Iterator<Item = &'a AppEvent> + 'a {
    seen.calls
        .iter()
        .filter(move |e| e.side == side && e.call == call && e.phase == Phase::After)
}

/// Bytes of each send() by the client.
pub(super) fn sends(seen: &Seen) -> Vec<usize> {
    returned(seen, Side::Client, Call::Send)
        .filter_map(|e| match e.detail {
            Detail::Queued(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// Bytes of each recv() by the server that returned data.
pub(super) fn reads(seen: &Seen) -> Vec<usize> {
    returned(seen, Side::Server, Call::Recv)
        .filter_map(|e| match &e.detail {
            Detail::Received { data, .. } if data.len > 0 => Some(data.len),
            _ => None,
        })
        .collect()
}

/// The client's new data segments of a stream (retransmissions left out).
pub(super) fn segments(seen: &Seen, stream: u32) -> Vec<(Segment, u32)> {
    let mut next = 0u32;
    let mut out = Vec::new();
    for f in tcp_frames(seen, stream).filter(|f| f.dir == Some(Direction::ClientToServer)) {
        if let Some(t) = f.data() {
            let start = t.seq.wrapping_sub(1);
            let end = start.wrapping_add(t.len);
            if end.wrapping_sub(next) as i32 > 0 {
                out.push((
                    Segment {
                        frame: f.frame,
                        len: t.len,
                    },
                    start,
                ));
                next = end;
            }
        }
    }
    out
}

/// Byte ranges of consecutive pieces of the stream.
fn ranges(lens: impl IntoIterator<Item = usize>) -> Vec<Range<usize>> {
    let mut at = 0;
    lens.into_iter()
        .map(|n| {
            let r = at..at + n;
            at += n;
            r
        })
        .collect()
}

/// 1-based numbers of the pieces of `pieces` that overlap `r`.
fn overlapping(pieces: &[Range<usize>], r: &Range<usize>) -> Vec<usize> {
    pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| p.start < r.end && r.start < p.end)
        .map(|(i, _)| i + 1)
        .collect()
}

/// The boundaries of the client → server direction of `stream`, and what they show: reads
/// that glue writes, writes split over reads, segments that carry several writes.
pub(super) fn boundaries(seen: &Seen, stream: u32, buffer: usize) -> Vec<Point> {
    let sends = sends(seen);
    let reads = reads(seen);
    let segs = segments(seen, stream);
    let send_ranges = ranges(sends.iter().copied());
    let read_ranges = ranges(reads.iter().copied());
    let mut points = vec![Point::Boundaries {
        sends: sends.clone(),
        segments: segs.iter().map(|(s, _)| *s).collect(),
        reads: reads.clone(),
    }];
    for (i, r) in read_ranges.iter().enumerate() {
        let glued = overlapping(&send_ranges, r);
        if glued.len() > 1 {
            points.push(Point::Glued {
                read: i + 1,
                bytes: r.len(),
                sends: glued,
            });
        }
    }
    for (i, s) in send_ranges.iter().enumerate() {
        let split = overlapping(&read_ranges, s);
        if split.len() > 1 {
            points.push(Point::Split {
                send: i + 1,
                bytes: s.len(),
                reads: split,
                buffer,
            });
        }
    }
    for (seg, start) in &segs {
        let r = *start as usize..(*start + seg.len) as usize;
        let carried = overlapping(&send_ranges, &r);
        if carried.len() > 1 {
            let ack = tcp_frames(seen, stream)
                .filter(|f| f.frame < seg.frame && f.dir == Some(Direction::ServerToClient))
                .filter(|f| f.tcp.as_ref().is_some_and(|t| t.len == 0 && !t.syn()))
                .last()
                .map(|f| f.frame);
            points.push(Point::Nagle {
                frame: seg.frame,
                sends: carried,
                ack,
            });
        }
    }
    points
}
