//! Reading the stored socket calls back: a small pcapng block walker with bounds checks on
//! every length (it never panics, whatever the bytes).

use std::path::Path;

use super::{EPB, ISB, OPT_COMMENT, PB, SHB, SPB, decode_event};
use crate::demo::AppEvent;
use crate::{Error, Result};

/// A socket call read from a file, with where it was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The call, with its own timestamp.
    pub event: AppEvent,
    /// The frame (1-based, as Wireshark numbers them) the call was stored with: it happened
    /// before that frame. `None`: after the last frame.
    pub before_frame: Option<u64>,
}

/// Everything [`parse_events`] found, and why it stopped early, if it did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventsRead {
    /// The calls in file order.
    pub events: Vec<StoredEvent>,
    /// Packets (EPB, PB, SPB) seen.
    pub frames: u64,
    /// Why reading stopped before the end (a cut or damaged block).
    pub problem: Option<String>,
}

#[derive(Clone, Copy)]
enum Order {
    Little,
    Big,
}

fn u16_at(b: &[u8], at: usize, order: Order) -> Option<u16> {
    let bytes: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(match order {
        Order::Little => u16::from_le_bytes(bytes),
        Order::Big => u16::from_be_bytes(bytes),
    })
}

fn u32_at(b: &[u8], at: usize, order: Order) -> Option<u32> {
    let bytes: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(match order {
        Order::Little => u32::from_le_bytes(bytes),
        Order::Big => u32::from_be_bytes(bytes),
    })
}

/// The comments among the options starting at `body[at..]`.
fn comments(body: &[u8], mut at: usize, order: Order) -> Vec<String> {
    let mut out = Vec::new();
    while at < body.len() {
        let (Some(code), Some(len)) = (u16_at(body, at, order), u16_at(body, at + 2, order)) else {
            break;
        };
        if code == 0 {
            break;
        }
        let (start, len) = (at + 4, len as usize);
        let Some(value) = body.get(start..start + len) else {
            break;
        };
        if code == OPT_COMMENT {
            out.push(String::from_utf8_lossy(value).into_owned());
        }
        at = start + len + (4 - len % 4) % 4;
    }
    out
}

/// Walks the blocks of a pcapng file in memory and collects the stored socket calls.
/// Comments that are not socket calls are ignored. Never panics.
pub fn parse_events(bytes: &[u8]) -> EventsRead {
    let mut read = EventsRead::default();
    let mut order = Order::Little;
    let mut at = 0usize;
    let mut seen_shb = false;
    let mut trailing: Vec<AppEvent> = Vec::new();
    while at < bytes.len() {
        let Some(kind_le) = u32_at(bytes, at, Order::Little) else {
            read.problem = Some(format!("cut block header at byte {at}"));
            break;
        };
        if kind_le == SHB {
            order = match u32_at(bytes, at + 8, Order::Little) {
                Some(0x1A2B_3C4D) => Order::Little,
                Some(0x4D3C_2B1A) => Order::Big,
                _ => {
                    read.problem = Some(format!("bad byte-order magic at byte {at}"));
                    break;
                }
            };
            seen_shb = true;
        } else if !seen_shb {
            read.problem = Some("not a pcapng file".into());
            break;
        }
        let kind = u32_at(bytes, at, order).unwrap_or(0);
        let len = u32_at(bytes, at + 4, order).unwrap_or(0) as usize;
        if len < 12 || !len.is_multiple_of(4) {
            read.problem = Some(format!("bad block length {len} at byte {at}"));
            break;
        }
        let Some(block) = at.checked_add(len).and_then(|end| bytes.get(at..end)) else {
            read.problem = Some(format!("block at byte {at} is cut ({len} bytes announced)"));
            break;
        };
        if u32_at(block, len - 4, order) != Some(len as u32) {
            read.problem = Some(format!("block at byte {at}: trailing length differs"));
            break;
        }
        let body = &block[8..len - 4];
        let found = match kind {
            EPB | PB => {
                read.frames += 1;
                // EPB: id, ts hi, ts lo, caplen, len; PB: id+drops (2+2), ts, caplen, len.
                let caplen = u32_at(body, 12, order).unwrap_or(u32::MAX) as usize;
                let opts = caplen.saturating_add(20 + (4 - caplen % 4) % 4);
                comments(body, opts, order)
            }
            SPB => {
                read.frames += 1;
                Vec::new()
            }
            ISB => comments(body, 12, order),
            _ => Vec::new(),
        };
        for event in found.iter().filter_map(|c| decode_event(c)) {
            if kind == ISB {
                trailing.push(event);
            } else {
                read.events.push(StoredEvent {
                    event,
                    before_frame: Some(read.frames),
                });
            }
        }
        at += len;
    }
    read.events
        .extend(trailing.into_iter().map(|event| StoredEvent {
            event,
            before_frame: None,
        }));
    read
}

/// The socket calls stored in the pcapng file at `path`, in file order. A file that is not
/// pcapng is an error; a damaged or cut one gives the calls before the damage and an error
/// naming it only if nothing was read.
pub fn read_events(path: &Path) -> Result<EventsRead> {
    let bytes = std::fs::read(path).map_err(|e| Error::OpenFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let read = parse_events(&bytes);
    if read.frames == 0
        && read.events.is_empty()
        && let Some(problem) = &read.problem
    {
        return Err(Error::OpenFile {
            path: path.to_path_buf(),
            reason: problem.clone(),
        });
    }
    Ok(read)
}
