//! The sentences of each lesson point, in English.

use super::English;
use crate::demo::lesson::{Expected, LostWay, Point, network};
use crate::render::words::EventWords;
use crate::render::words::lesson::{call_list, frame_list, mask_text, quoted, sizes};
use crate::text::Mac;

use super::lesson::hex;

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn n_bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

/// The sentences of one lesson point.
pub(super) fn sentences(w: &English, point: &Point) -> Vec<String> {
    match point {
        Point::Handshake { frames: [a, b, c] } => vec![format!(
            "Frames {a}, {b}, {c}: the three-way handshake (SYN, SYN/ACK, ACK). connect() \
             returns once the SYN/ACK is in; accept() only hands over connections whose \
             handshake is complete."
        )],
        Point::Close {
            stream,
            frames,
            first,
        } => {
            let (f, p) = (w.side(*first), w.side(first.peer()));
            let list = frame_list(frames);
            if frames.len() == 3 {
                vec![format!(
                    "Stream {stream} closed in 3 segments (frames {list}): the {f}'s FIN, then \
                     the {p}'s ACK and FIN together in one segment, then the last ACK. Linux \
                     delays the ACK of a FIN for a few tens of milliseconds, hoping the \
                     application closes too; the {p} closed in time, so both rode together."
                )]
            } else {
                vec![format!(
                    "Stream {stream} closed in {} segments (frames {list}), as the textbook \
                     draws it: the {f}'s FIN, the {p}'s ACK, later the {p}'s FIN, the last \
                     ACK. The {p} closed only after its delayed ACK had left on its own.",
                    frames.len()
                )]
            }
        }
        Point::TimeWait { side, frame } => vec![format!(
            "After frame {frame} the {}, which closed first, is in TIME-WAIT: the kernel \
             keeps the connection for 2 MSL (60 s on Linux) so that the last ACK can be \
             sent again if the FIN comes again, and so that a late segment is not taken \
             for part of a new connection with the same 4-tuple. The {} is CLOSED at once.",
            w.side(*side),
            w.side(side.peer())
        )],
        Point::Datagrams {
            sends,
            frames,
            reads,
        } => vec![format!(
            "{sends} sendto() calls, {} datagrams (frames {}), {reads} recvfrom() calls, \
             each returning exactly one datagram: UDP keeps message boundaries. No \
             handshake before, no FIN after: UDP has no connection.",
            frames.len(),
            frame_list(frames)
        )],
        Point::Boundaries {
            sends: s,
            segments,
            reads,
        } => vec![
            "The same bytes, cut three ways (client to server):".into(),
            format!(
                "send():   {}  ({} calls)",
                sizes(s.iter().map(|n| n.to_string())),
                s.len()
            ),
            format!(
                "wire:     {}  ({} segments)",
                sizes(
                    segments
                        .iter()
                        .map(|g| format!("{} (frame {})", g.len, g.frame))
                ),
                segments.len()
            ),
            format!(
                "recv():   {}  ({} calls)",
                sizes(reads.iter().map(|n| n.to_string())),
                reads.len()
            ),
        ],
        Point::Glued { read, bytes, sends } => vec![format!(
            "recv() #{read} returned {}: the bytes of send() {} glued together. TCP \
             delivers a stream of bytes, not messages: the server read late, when they all \
             waited in its receive buffer, and recv() returns whatever is there, up to the \
             buffer's size.",
            n_bytes(*bytes),
            call_list(sends)
        )],
        Point::Split {
            send,
            bytes,
            reads,
            buffer,
        } => vec![format!(
            "send() #{send} ({}) came back in recv() {}: a {buffer}-byte buffer takes at \
             most {buffer} bytes per call, the rest waits for the next recv().",
            n_bytes(*bytes),
            call_list(reads)
        )],
        Point::Nagle { frame, sends, ack } => {
            let ack = ack.map(|a| format!(" (frame {a})")).unwrap_or_default();
            vec![format!(
                "Frame {frame} carries send() {} in one segment: Nagle's algorithm held the \
                 small writes while earlier data was unacknowledged and sent them together \
                 when the ACK came{ack}. (The server delayed its ACKs: TCP_QUICKACK off.)",
                call_list(sends)
            )]
        }
        Point::Framed {
            index,
            len,
            message,
            frame,
        } => vec![format!(
            "Message {index}: length {len} → message {} (prefix {} in frame {frame}). The \
             server read exactly 4 bytes, then exactly {len}: each message comes back whole, \
             however the bytes were glued.",
            quoted(message),
            hex(&len.to_be_bytes())
        )],
        Point::Truncated { frame, full, kept } => vec![format!(
            "Frame {frame} carries a {full}-byte datagram; recvfrom() with a {kept}-byte \
             buffer returned {kept} bytes and MSG_TRUNC: the other {} are gone. A datagram \
             is read whole or cut, never continued by the next call.",
            n_bytes(full.saturating_sub(*kept))
        )],
        Point::Refused {
            syn,
            rst,
            econnrefused,
        } => {
            let app = if *econnrefused {
                "connect() failed with ECONNREFUSED (Connection refused)."
            } else {
                "connect() did not report ECONNREFUSED this time."
            };
            vec![format!(
                "Frame {syn}: SYN to a port where nothing listens; frame {rst}: the kernel \
                 answers RST/ACK. {app}"
            )]
        }
        Point::Unreachable {
            datagram,
            icmp,
            connected,
            told,
        } => {
            let socket = if *connected {
                "a connected"
            } else {
                "an unconnected"
            };
            let app = match (connected, told) {
                (true, true) => "the kernel passed the error on: the next recv() failed \
                                 with ECONNREFUSED."
                    .to_string(),
                (false, false) => "an unconnected socket is not told: recvfrom() just \
                                   waited and timed out. UDP itself never says whether \
                                   anyone got a datagram."
                    .to_string(),
                (true, false) => "yet the application was not told.".to_string(),
                (false, true) => "and the application heard of it.".to_string(),
            };
            vec![format!(
                "Frame {datagram}: a datagram from {socket} UDP socket to a closed port; \
                 frame {icmp}: ICMP port unreachable quoting it (its addresses and ports); \
                 {app}"
            )]
        }
        Point::HalfClose {
            fin,
            states,
            data,
            server_fin,
        } => {
            let mut text = format!(
                "Frame {fin}: the client called shutdown(SHUT_WR): its FIN says it will send \
                 nothing more, yet it keeps reading."
            );
            if !data.is_empty() {
                text.push_str(&format!(
                    " Frames {}: the server still sends after that FIN — a side in \
                     CLOSE-WAIT can still send.",
                    frame_list(data)
                ));
            }
            if let Some(s) = states {
                text.push_str(&format!(
                    " From frame {s}: client FIN-WAIT-2, server CLOSE-WAIT, side by side."
                ));
            }
            if let Some(f) = server_fin {
                text.push_str(&format!(
                    " Only the server's own close() ends its direction (frame {f})."
                ));
            }
            vec![text]
        }
        Point::Streams {
            server,
            conns,
            switches,
        } => {
            let mut lines = vec![format!(
                "One listening port ({server}), {} connections at once, one server thread \
                 each. A connection is named by its 4-tuple — client IP and port, server \
                 IP and port:",
                conns.len()
            )];
            for c in conns {
                lines.push(format!(
                    "stream {}: {} ↔ {server} (frames {}–{})",
                    c.stream, c.client, c.frames.0, c.frames.1
                ));
            }
            lines.push(format!(
                "Each client called bind() with port 0, so the kernel picked a free port \
                 for it; the streams interleave on the wire ({switches} switches between \
                 streams) and TCP keeps them apart by their 4-tuples."
            ));
            lines
        }
        Point::Arp {
            request,
            reply,
            target,
            mac,
            syn,
        } => {
            let syn = syn
                .map(|s| format!(" Only then the first SYN (frame {s})."))
                .unwrap_or_default();
            vec![format!(
                "Frame {request}: ARP who-has {target}? sent to ff:ff:ff:ff:ff:ff (the ARP \
                 cache was empty); frame {reply}: {target} is at {}.{syn} IP needs the \
                 next hop's MAC address before it can send anything on Ethernet.",
                Mac(mac)
            )]
        }
        Point::OnLink { own, dst, prefix } => {
            let mask = mask_text(*prefix);
            vec![format!(
                "Why ARP for {dst} itself and not for a router: {own} AND {mask} = {}, \
                 {dst} AND {mask} = {}: the same network (/{prefix}), so {dst} is on-link, \
                 reachable directly on this Ethernet.",
                network(*own, *prefix),
                network(*dst, *prefix)
            )]
        }
        Point::Macs { a, b } => vec![format!(
            "Real MAC addresses: host a {}, host b {}. Their first byte 02 has the locally \
             administered bit (0x02) set: software assigned them, so they carry no \
             manufacturer's OUI; the group bit (0x01) is 0: unicast.",
            Mac(a),
            Mac(b)
        )],
        Point::Mss {
            syn,
            mss,
            full,
            frames,
        } => vec![format!(
            "The SYN (frame {syn}) announced MSS {mss}: MTU {} − 20 (IP) − 20 (TCP). With \
             {} of TCP options (timestamps) a full segment carries {full} bytes: frames {}.",
            u32::from(*mss) + 40,
            n_bytes((u32::from(*mss).saturating_sub(*full)) as usize),
            frame_list(frames)
        )],
        Point::Loss {
            loss,
            seed,
            tcp,
            udp,
        } => vec![format!(
            "The relay between the hosts drops {:.0}% of new TCP data segments and UDP \
             datagrams, chosen by seed {seed} (--seed {seed} drops the same ones again): \
             {} and {} this time.",
            loss * 100.0,
            count(*tcp, "TCP segment", "TCP segments"),
            count(*udp, "datagram", "datagrams")
        )],
        Point::Resent {
            seq,
            len,
            first,
            again,
        } => {
            let again = again
                .map(|a| format!("frame {a} sends the same bytes again"))
                .unwrap_or_else(|| "it was not sent again within the capture".into());
            vec![match first {
                Some(f) => format!(
                    "The client's segment seq={seq} ({}, frame {f}) was dropped after the \
                     capture point; {again}: TCP saw the hole and resent it.",
                    n_bytes(*len as usize)
                ),
                None => format!(
                    "The server's segment seq={seq} ({}) was lost before reaching the \
                     client; {again} (the only copy the client saw).",
                    n_bytes(*len as usize)
                ),
            }]
        }
        Point::DupAcks { ack, frames } => vec![format!(
            "Frames {}: duplicate ACKs from the server, each still asking for byte {ack}: \
             the segments after the hole arrived first (out of order), and each one makes \
             the receiver repeat its ACK, with SACK blocks naming what it already has.",
            frame_list(frames)
        )],
        Point::UdpLost { frame, nth, way } => {
            let what = match way {
                LostWay::Request => {
                    format!("Datagram {nth} (frame {frame}) was dropped on the way to the server")
                }
                LostWay::Answer => format!(
                    "The answer to datagram {nth} (frame {frame}) was dropped on the way back"
                ),
            };
            vec![format!(
                "{what}: recvfrom() timed out, and nobody sends it again — UDP has no \
                 acknowledgments and no retransmission; the application must cope."
            )]
        }
        Point::Missing { what } => vec![match what {
            Expected::Handshake => "No complete handshake was captured.".into(),
            Expected::Close => "The close was not captured in full.".into(),
            Expected::Data => "The demo's data was not captured.".into(),
            Expected::Arp => "No ARP request and reply were captured.".into(),
            Expected::Reset => "No RST answering the SYN was captured.".into(),
            Expected::PortUnreachable => "No ICMP port unreachable was captured.".into(),
            Expected::TcpLoss => "This seed dropped no TCP segment: try another --seed.".into(),
            Expected::UdpLoss => "This seed dropped no UDP datagram: try another --seed.".into(),
        }],
    }
}
