//! The pure-Rust pcapng reader, for files libpcap refuses (link types mixed across
//! interfaces), and the interfaces a pcapng file declares up front.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
use pcap_file::pcapng::{Block, PcapNgReader};

use super::{LinkType, Timestamp};

/// The interfaces a pcapng file describes before its first packet: link type and if_tsresol
/// exponent (6 when absent).
pub(super) fn pcapng_leading_interfaces(path: &Path) -> Vec<(LinkType, u8)> {
    let mut found = Vec::new();
    let Some(mut reader) = File::open(path)
        .ok()
        .and_then(|f| PcapNgReader::new(BufReader::new(f)).ok())
    else {
        return found;
    };
    for _ in 0..64 {
        match reader.next_block() {
            Some(Ok(Block::InterfaceDescription(idb))) => found.push((
                LinkType(u32::from(idb.linktype) as i32),
                interface_resolution(&idb.options),
            )),
            Some(Ok(Block::SectionHeader(_))) | Some(Ok(Block::NameResolution(_))) => {}
            Some(Ok(Block::InterfaceStatistics(_))) => {}
            _ => break,
        }
    }
    found
}

fn interface_resolution(options: &[InterfaceDescriptionOption<'_>]) -> u8 {
    options
        .iter()
        .find_map(|o| match o {
            InterfaceDescriptionOption::IfTsResol(r) => Some(*r),
            _ => None,
        })
        .unwrap_or(6)
}

/// Converts a pcapng timestamp in interface units to seconds and nanoseconds.
fn pcapng_timestamp(ticks: u64, resolution: u8) -> Timestamp {
    let per_second: u64 = if resolution & 0x80 != 0 {
        1u64.checked_shl(u32::from(resolution & 0x7f)).unwrap_or(1)
    } else {
        10u64.checked_pow(u32::from(resolution)).unwrap_or(1)
    };
    let secs = ticks / per_second;
    let frac = ticks % per_second;
    let nanos = (frac as u128 * 1_000_000_000 / per_second as u128) as u64;
    Timestamp::new(secs.min(i64::MAX as u64) as i64, nanos)
}

struct Interface {
    linktype: LinkType,
    resolution: u8,
}

/// A pure-Rust pcapng reader used once libpcap refuses a file that mixes link types.
pub(super) struct NgReader {
    reader: PcapNgReader<BufReader<File>>,
    interfaces: Vec<Interface>,
    skip: u64,
}

pub(super) type NgPacket = (LinkType, Timestamp, u32, Vec<u8>);

impl NgReader {
    pub(super) fn open(path: &Path, skip: u64) -> std::result::Result<NgReader, String> {
        let file = File::open(path).map_err(|e| e.to_string())?;
        let reader = PcapNgReader::new(BufReader::new(file)).map_err(|e| e.to_string())?;
        Ok(NgReader {
            reader,
            interfaces: Vec::new(),
            skip,
        })
    }

    fn interface(interfaces: &[Interface], id: u32) -> std::result::Result<&Interface, String> {
        interfaces
            .get(id as usize)
            .ok_or_else(|| format!("pcapng packet names interface {id}, which was never described"))
    }

    pub(super) fn next_packet(&mut self) -> std::result::Result<Option<NgPacket>, String> {
        loop {
            let Some(block) = self.reader.next_block() else {
                return Ok(None);
            };
            let packet = match block.map_err(|e| format!("pcapng: {e}"))? {
                Block::SectionHeader(_) => {
                    self.interfaces.clear();
                    continue;
                }
                Block::InterfaceDescription(idb) => {
                    self.interfaces.push(Interface {
                        linktype: LinkType(u32::from(idb.linktype) as i32),
                        resolution: interface_resolution(&idb.options),
                    });
                    continue;
                }
                Block::EnhancedPacket(epb) => {
                    let iface = Self::interface(&self.interfaces, epb.interface_id)?;
                    let ticks = epb.timestamp.as_nanos() as u64;
                    (
                        iface.linktype,
                        pcapng_timestamp(ticks, iface.resolution),
                        epb.original_len,
                        epb.data.into_owned(),
                    )
                }
                Block::Packet(pb) => {
                    let iface = Self::interface(&self.interfaces, u32::from(pb.interface_id))?;
                    (
                        iface.linktype,
                        pcapng_timestamp(pb.timestamp, iface.resolution),
                        pb.original_len,
                        pb.data.into_owned(),
                    )
                }
                Block::SimplePacket(spb) => {
                    let iface = Self::interface(&self.interfaces, 0)?;
                    (
                        iface.linktype,
                        Timestamp::default(),
                        spb.original_len,
                        spb.data.into_owned(),
                    )
                }
                _ => continue,
            };
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            return Ok(Some(packet));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcapng_timestamps_follow_the_interface_resolution() {
        assert_eq!(
            pcapng_timestamp(1_500_000, 6),
            Timestamp::new(1, 500_000_000)
        );
        assert_eq!(pcapng_timestamp(1_000_000_001, 9), Timestamp::new(1, 1));
        assert_eq!(
            pcapng_timestamp(3 * 1024 + 512, 0x80 | 10),
            Timestamp::new(3, 500_000_000)
        );
    }
}
