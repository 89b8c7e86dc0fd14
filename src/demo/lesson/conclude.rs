//! What each loopback demo showed, from its frames and calls.

use super::stream::{boundaries, close, handshake, tcp_frames};
use super::{Connection, Expected, Point, Seen, SeenFrame};
use crate::demo::{
    Call, DemoKind, DemoOutcome, Detail, Failure, FramePart, FramingDecoder, OsError, Phase, Side,
};
use crate::flow::{Direction, PacketProto, Proto};

/// The points of a run of `kind`.
pub(super) fn points(kind: DemoKind, seen: &Seen, outcome: &DemoOutcome) -> Vec<Point> {
    match kind {
        DemoKind::Tcp => tcp(seen),
        DemoKind::Udp => datagrams(seen, Side::Client),
        DemoKind::Sticky => boundaries(seen, 0, super::super::sticky::READ_BUFFER),
        DemoKind::Framing => framing(seen),
        DemoKind::UdpBoundaries => udp_boundaries(seen),
        DemoKind::Refused => refused(seen, outcome),
        DemoKind::HalfClose => half_close(seen),
        DemoKind::Close4Way => close_twice(seen),
        DemoKind::Concurrent => concurrent(seen),
        DemoKind::TwoHosts => super::net::two_hosts(seen, outcome),
        DemoKind::Lossy => super::net::lossy(seen, outcome),
    }
}

fn missing(what: Expected) -> Point {
    Point::Missing { what }
}

fn tcp(seen: &Seen) -> Vec<Point> {
    let mut points = vec![handshake(seen, 0).unwrap_or(missing(Expected::Handshake))];
    match close(seen, 0) {
        Some((close, wait)) => points.extend([close, wait]),
        None => points.push(missing(Expected::Close)),
    }
    points
}

fn returned(seen: &Seen, side: Side, call: Call) -> impl Iterator<Item = &Detail> {
    seen.calls
        .iter()
        .filter(move |e| e.side == side && e.call == call && e.phase == Phase::After)
        .map(|e| &e.detail)
}

fn udp_frames(seen: &Seen) -> impl Iterator<Item = &SeenFrame> {
    seen.frames.iter().filter(|f| f.proto == PacketProto::Udp)
}

/// sendto() calls, datagrams, and the recvfrom() calls of `reader` that got one.
fn datagrams(seen: &Seen, reader: Side) -> Vec<Point> {
    let sends = returned(seen, Side::Client, Call::SendTo)
        .chain(returned(seen, Side::Server, Call::SendTo))
        .filter(|d| matches!(d, Detail::SentDatagram(_)))
        .count();
    let reads = returned(seen, reader, Call::RecvFrom)
        .chain(returned(seen, reader.peer(), Call::RecvFrom))
        .filter(|d| matches!(d, Detail::Received { .. } | Detail::Truncated { .. }))
        .count();
    let frames: Vec<u64> = udp_frames(seen).map(|f| f.frame).collect();
    if frames.is_empty() {
        return vec![missing(Expected::Data)];
    }
    vec![Point::Datagrams {
        sends,
        frames,
        reads,
    }]
}

fn udp_boundaries(seen: &Seen) -> Vec<Point> {
    let mut points = datagrams(seen, Side::Server);
    let cut = returned(seen, Side::Server, Call::RecvFrom).find_map(|d| match d {
        Detail::Truncated { data, full, .. } => Some((data.len, *full)),
        _ => None,
    });
    if let Some((kept, full)) = cut
        && let Some(f) = udp_frames(seen).find(|f| f.payload.len() == full)
    {
        points.push(Point::Truncated {
            frame: f.frame,
            full,
            kept,
        });
    }
    points
}

fn framing(seen: &Seen) -> Vec<Point> {
    // The reads follow the prefixes by design: splits are no news here.
    let mut points: Vec<Point> = boundaries(seen, 0, 4096)
        .into_iter()
        .filter(|p| !matches!(p, Point::Split { .. }))
        .collect();
    let mut decoder = FramingDecoder::new();
    let mut prefixes = Vec::new();
    for f in tcp_frames(seen, 0).filter(|f| f.dir == Some(Direction::ClientToServer)) {
        if let Some(t) = f.data() {
            let offset = u64::from(t.seq.wrapping_sub(1));
            for part in decoder.feed(offset, &f.payload) {
                if let FramePart::Prefix { value: Some(v), .. } = part {
                    prefixes.push((v, f.frame));
                }
            }
        }
    }
    // The server's reads of exactly the announced length, in order.
    let mut reading_message = false;
    let mut messages = Vec::new();
    for e in seen
        .calls
        .iter()
        .filter(|e| e.side == Side::Server && e.call == Call::Recv)
    {
        match (&e.phase, &e.detail) {
            (Phase::Before, Detail::ReadingMessage(_)) => reading_message = true,
            (Phase::Before, _) => reading_message = false,
            (Phase::After, Detail::Received { data, .. }) if reading_message => {
                messages.push(data.clone());
            }
            _ => {}
        }
    }
    for (i, ((len, frame), message)) in prefixes.into_iter().zip(messages).enumerate() {
        points.push(Point::Framed {
            index: i + 1,
            len,
            message,
            frame,
        });
    }
    points
}

fn refused_error(d: &Detail) -> bool {
    matches!(
        d,
        Detail::Failed(Failure::Os {
            kind: OsError::ConnectionRefused,
            ..
        })
    )
}

fn refused(seen: &Seen, outcome: &DemoOutcome) -> Vec<Point> {
    let mut points = Vec::new();
    let closed = &outcome.facts.closed;
    let to = |f: &&SeenFrame, i: usize| closed.get(i).is_some_and(|a| f.dst == Some(*a));
    let syn = seen
        .frames
        .iter()
        .find(|f| to(f, 0) && f.tcp.as_ref().is_some_and(|t| t.syn()));
    let rst = syn.and_then(|syn| {
        seen.frames.iter().find(|f| {
            f.frame > syn.frame && f.stream == syn.stream && f.tcp.as_ref().is_some_and(|t| t.rst())
        })
    });
    match (syn, rst) {
        (Some(syn), Some(rst)) => points.push(Point::Refused {
            syn: syn.frame,
            rst: rst.frame,
            econnrefused: returned(seen, Side::Client, Call::Connect).any(refused_error),
        }),
        _ => points.push(missing(Expected::Reset)),
    }
    let told = returned(seen, Side::Client, Call::Recv).any(refused_error);
    let silent = returned(seen, Side::Client, Call::RecvFrom)
        .any(|d| matches!(d, Detail::Failed(Failure::TimedOut(_))));
    let sent: Vec<&SeenFrame> = udp_frames(seen).filter(|f| to(f, 1)).collect();
    for (i, datagram) in sent.iter().enumerate().take(2) {
        let icmp = seen.frames.iter().find(|f| {
            f.frame > datagram.frame
                && f.port_unreachable
                && f.related == datagram.stream.map(|s| (Proto::Udp, s))
        });
        match icmp {
            Some(icmp) => points.push(Point::Unreachable {
                datagram: datagram.frame,
                icmp: icmp.frame,
                connected: i == 0,
                told: if i == 0 { told } else { !silent },
            }),
            None => points.push(missing(Expected::PortUnreachable)),
        }
    }
    if sent.is_empty() {
        points.push(missing(Expected::PortUnreachable));
    }
    points
}

fn half_close(seen: &Seen) -> Vec<Point> {
    use crate::analysis::TcpState;
    let frames: Vec<&SeenFrame> = tcp_frames(seen, 0).collect();
    let from = |f: &&&SeenFrame, dir| f.dir == Some(dir);
    let Some(fin) = frames
        .iter()
        .find(|f| from(f, Direction::ClientToServer) && f.tcp.as_ref().is_some_and(|t| t.fin()))
    else {
        return vec![missing(Expected::Close)];
    };
    let data = frames
        .iter()
        .filter(|f| f.frame > fin.frame && from(f, Direction::ServerToClient) && f.data().is_some())
        .map(|f| f.frame)
        .collect();
    let states = frames
        .iter()
        .find(|f| f.states == Some((Some(TcpState::FinWait2), Some(TcpState::CloseWait))))
        .map(|f| f.frame);
    let server_fin = frames
        .iter()
        .find(|f| from(f, Direction::ServerToClient) && f.tcp.as_ref().is_some_and(|t| t.fin()))
        .map(|f| f.frame);
    vec![Point::HalfClose {
        fin: fin.frame,
        states,
        data,
        server_fin,
    }]
}

fn close_twice(seen: &Seen) -> Vec<Point> {
    let mut points = Vec::new();
    let mut wait = None;
    for stream in 0..2 {
        match close(seen, stream) {
            Some((close, time_wait)) => {
                points.push(close);
                wait = Some(time_wait);
            }
            None => points.push(missing(Expected::Close)),
        }
    }
    points.extend(wait);
    points
}

fn concurrent(seen: &Seen) -> Vec<Point> {
    let tcp: Vec<&SeenFrame> = seen.frames.iter().filter(|f| f.tcp.is_some()).collect();
    let mut conns: Vec<Connection> = Vec::new();
    let mut server = None;
    for f in &tcp {
        let Some(stream) = f.stream else { continue };
        match conns.iter_mut().find(|c| c.stream == stream) {
            Some(c) => c.frames.1 = f.frame,
            None if f.tcp.as_ref().is_some_and(|t| t.syn() && !t.is_ack()) => {
                if let (Some(client), Some(dst)) = (f.src, f.dst) {
                    server.get_or_insert(dst);
                    conns.push(Connection {
                        stream,
                        client,
                        frames: (f.frame, f.frame),
                    });
                }
            }
            None => {}
        }
    }
    let Some(server) = server else {
        return vec![missing(Expected::Handshake)];
    };
    let switches = tcp
        .windows(2)
        .filter(|w| w[0].stream != w[1].stream)
        .count();
    vec![Point::Streams {
        server,
        conns,
        switches,
    }]
}
