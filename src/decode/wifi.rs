//! IEEE 802.11 (Wi-Fi) frames, with or without a radiotap header: the MAC header is named, and
//! data frames are followed through LLC/SNAP to the packet they carry.

use etherparse::{EtherType, LaxSlicedPacket};

use super::link::Link;
use super::{LayerKind, LayerSpan};

fn push(layers: &mut Vec<LayerSpan>, name: &'static str, offset: usize, len: usize) {
    layers.push(LayerSpan {
        kind: LayerKind::LinkHeader(name),
        offset,
        len,
    });
}

/// A radiotap header (its length is a little-endian field at bytes 2..4), then 802.11.
pub(super) fn radiotap<'a>(
    data: &'a [u8],
    layers: &mut Vec<LayerSpan>,
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let len = match data.get(2..4) {
        Some(b) => usize::from(u16::from_le_bytes([b[0], b[1]])),
        None => 0,
    };
    if len < 8 || len > data.len() {
        let link = Link::Wifi {
            frame: "frame with a damaged radiotap header".into(),
        };
        return (
            link,
            Err(format!("radiotap length {len} does not fit the frame")),
        );
    }
    push(layers, "radiotap", 0, len);
    ieee80211(data, len, layers)
}

/// An 802.11 MAC frame starting at `at`.
pub(super) fn ieee80211<'a>(
    data: &'a [u8],
    at: usize,
    layers: &mut Vec<LayerSpan>,
) -> (Link, Result<LaxSlicedPacket<'a>, String>) {
    let frame = &data[at.min(data.len())..];
    let (Some(&fc0), Some(&fc1)) = (frame.first(), frame.get(1)) else {
        let link = Link::Wifi {
            frame: "frame too short for its header".into(),
        };
        return (link, Err(format!("{} bytes", frame.len())));
    };
    let kind = (fc0 >> 2) & 3;
    let subtype = fc0 >> 4;
    let (to_ds, from_ds, protected, order) = (
        fc1 & 0x01 != 0,
        fc1 & 0x02 != 0,
        fc1 & 0x40 != 0,
        fc1 & 0x80 != 0,
    );
    let wifi = |frame: String| Link::Wifi { frame };
    match kind {
        0 => {
            let name = match subtype {
                0 => "association request",
                1 => "association response",
                2 => "reassociation request",
                3 => "reassociation response",
                4 => "probe request",
                5 => "probe response",
                8 => "beacon",
                9 => "ATIM",
                10 => "disassociation",
                11 => "authentication",
                12 => "deauthentication",
                13 => "action",
                _ => "management frame",
            };
            push(layers, "802.11", at, frame.len().min(24));
            (
                wifi(format!("management frame: {name}")),
                Err("no IP packet inside".into()),
            )
        }
        1 => {
            let name = match subtype {
                8 => "block ack request",
                9 => "block ack",
                10 => "PS-poll",
                11 => "RTS (request to send)",
                12 => "CTS (clear to send)",
                13 => "ACK",
                14 | 15 => "CF-end",
                _ => "control frame",
            };
            push(layers, "802.11", at, frame.len().min(10));
            (
                wifi(format!("control frame: {name}")),
                Err("no IP packet inside".into()),
            )
        }
        2 => {
            let qos = subtype & 0x8 != 0;
            let mut len = 24;
            if to_ds && from_ds {
                len += 6;
            }
            if qos {
                len += 2;
                if order {
                    len += 4;
                }
            }
            push(layers, "802.11", at, len.min(frame.len()));
            if subtype & 0x4 != 0 {
                return (
                    wifi("null data frame (power management)".into()),
                    Err("no payload".into()),
                );
            }
            if protected {
                return (
                    wifi("encrypted data frame".into()),
                    Err("protected by WEP/WPA: the contents are not visible".into()),
                );
            }
            let body = frame.get(len..).unwrap_or(&[]);
            if body.len() >= 8 && body[..3] == [0xaa, 0xaa, 0x03] {
                let ethertype = u16::from_be_bytes([body[6], body[7]]);
                push(layers, "LLC/SNAP", at + len, 8);
                let link = Link::Wifi {
                    frame: "data frame".into(),
                };
                let sliced = LaxSlicedPacket::from_ether_type(EtherType(ethertype), &body[8..]);
                return (link, Ok(sliced));
            }
            (
                wifi("data frame".into()),
                Err("the data is not LLC/SNAP encapsulated".into()),
            )
        }
        _ => (
            wifi("frame of reserved type 3".into()),
            Err("not decoded".into()),
        ),
    }
}
