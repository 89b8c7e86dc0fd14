//! IEEE 802.11 (Wi-Fi) frames, with or without a radiotap header: the MAC header is named, and
//! data frames are followed through LLC/SNAP to the packet they carry.

use etherparse::EtherType;

use super::link::{Inner, Sliced};
use super::stop::{DecodeStop, LinkHeader};
use super::{LayerKind, LayerSpan};

/// What kind of 802.11 frame a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WifiFrame {
    /// A management frame; its subtype (8 beacon, 4 probe request, ...).
    Management(u8),
    /// A control frame; its subtype (11 RTS, 12 CTS, 13 ACK, ...).
    Control(u8),
    /// A data frame carrying a packet.
    Data,
    /// A null data frame (power management), no payload.
    NullData,
    /// A data frame protected by WEP/WPA.
    Encrypted,
    /// A frame of the reserved type 3.
    Reserved,
    /// A frame too short for its header.
    TooShort,
    /// A frame whose radiotap header is damaged.
    DamagedRadiotap,
}

fn push(layers: &mut Vec<LayerSpan>, header: LinkHeader, offset: usize, len: usize) {
    layers.push(LayerSpan {
        kind: LayerKind::LinkHeader(header),
        offset,
        len,
    });
}

/// A radiotap header (its length is a little-endian field at bytes 2..4), then 802.11.
pub(super) fn radiotap<'a>(data: &'a [u8], layers: &mut Vec<LayerSpan>) -> (WifiFrame, Sliced<'a>) {
    let len = match data.get(2..4) {
        Some(b) => usize::from(u16::from_le_bytes([b[0], b[1]])),
        None => 0,
    };
    if len < 8 || len > data.len() {
        return (
            WifiFrame::DamagedRadiotap,
            Err(DecodeStop::Radiotap { len }),
        );
    }
    push(layers, LinkHeader::Radiotap, 0, len);
    ieee80211(data, len, layers)
}

/// An 802.11 MAC frame starting at `at`.
pub(super) fn ieee80211<'a>(
    data: &'a [u8],
    at: usize,
    layers: &mut Vec<LayerSpan>,
) -> (WifiFrame, Sliced<'a>) {
    let frame = &data[at.min(data.len())..];
    let (Some(&fc0), Some(&fc1)) = (frame.first(), frame.get(1)) else {
        let stop = DecodeStop::LinkTooShort {
            link: LinkHeader::Ieee80211,
            have: frame.len(),
            need: None,
        };
        return (WifiFrame::TooShort, Err(stop));
    };
    let kind = (fc0 >> 2) & 3;
    let subtype = fc0 >> 4;
    let (to_ds, from_ds, protected, order) = (
        fc1 & 0x01 != 0,
        fc1 & 0x02 != 0,
        fc1 & 0x40 != 0,
        fc1 & 0x80 != 0,
    );
    match kind {
        0 => {
            push(layers, LinkHeader::Ieee80211, at, frame.len().min(24));
            (
                WifiFrame::Management(subtype),
                Err(DecodeStop::WifiNoPacket),
            )
        }
        1 => {
            push(layers, LinkHeader::Ieee80211, at, frame.len().min(10));
            (WifiFrame::Control(subtype), Err(DecodeStop::WifiNoPacket))
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
            push(layers, LinkHeader::Ieee80211, at, len.min(frame.len()));
            if subtype & 0x4 != 0 {
                return (WifiFrame::NullData, Err(DecodeStop::WifiNoPayload));
            }
            if protected {
                return (WifiFrame::Encrypted, Err(DecodeStop::WifiEncrypted));
            }
            let body = frame.get(len..).unwrap_or(&[]);
            if body.len() >= 8 && body[..3] == [0xaa, 0xaa, 0x03] {
                let ethertype = u16::from_be_bytes([body[6], body[7]]);
                push(layers, LinkHeader::LlcSnap, at + len, 8);
                let inner = Inner::EtherType(EtherType(ethertype), &body[8..]);
                return (WifiFrame::Data, Ok(inner));
            }
            (WifiFrame::Data, Err(DecodeStop::WifiNotSnap))
        }
        _ => (WifiFrame::Reserved, Err(DecodeStop::WifiReserved)),
    }
}
