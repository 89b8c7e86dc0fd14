//! Where each header field sits, one module per protocol: named byte ranges relative to the
//! start of the header (smoltcp style: `wire::tcp::SEQ_NUM = 4..8`), and the field tables
//! built from them, each field with its identity ([`FieldId`]) and Wireshark display-filter
//! name. The decoders read the ranges, the byte map places the tables; no other code knows a
//! field's offset. Names in words live in the views.

mod cooked;
mod field;
mod ip;
mod link;
pub mod tcp;
mod transport;

pub use cooked::{c_hdlc, ipoib, loopback, sll, sll2};
pub use field::{Field, FieldId, FieldSpec, Show};
pub use ip::{ipv4, ipv6};
pub use link::{arp, ethernet, vlan};
pub use transport::{icmp, udp};

/// The big-endian `u16` at `field` of `data`, when the bytes are there.
pub fn be16(data: &[u8], field: Field) -> Option<u16> {
    let bytes = data.get(field.start..field.start.checked_add(2)?)?;
    Some(u16::from_be_bytes([bytes[0], bytes[1]]))
}

/// The big-endian `u32` at `field` of `data`, when the bytes are there.
pub fn be32(data: &[u8], field: Field) -> Option<u32> {
    let bytes = data.get(field.start..field.start.checked_add(4)?)?;
    Some(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Every field table, by name: for tests that walk them all.
pub const TABLES: &[(&str, &[FieldSpec])] = &[
    ("ethernet", ethernet::TABLE),
    ("ethernet 802.3", ethernet::TABLE_8023),
    ("802.1Q", vlan::TABLE_8021Q),
    ("802.1ad", vlan::TABLE_8021AD),
    ("SLL", sll::TABLE),
    ("SLL other address", sll::TABLE_OTHER_ADDR),
    ("SLL2", sll2::TABLE),
    ("SLL2 other address", sll2::TABLE_OTHER_ADDR),
    ("NULL", loopback::TABLE_NULL),
    ("LOOP", loopback::TABLE_LOOP),
    ("ARP", arp::TABLE_ETH_IPV4),
    ("ARP fixed", arp::TABLE_FIXED),
    ("IPv4", ipv4::TABLE),
    ("IPv6", ipv6::TABLE),
    ("IPv6 hop-by-hop", ipv6::TABLE_HOP_BY_HOP),
    ("IPv6 destination options", ipv6::TABLE_DEST_OPTS),
    ("IPv6 routing", ipv6::TABLE_ROUTING),
    ("IPv6 fragment", ipv6::TABLE_FRAGMENT),
    ("AH", ipv6::TABLE_AUTH),
    ("TCP", tcp::TABLE),
    ("TCP EOL", tcp::OPT_EOL),
    ("TCP NOP", tcp::OPT_NOP),
    ("TCP MSS", tcp::OPT_MSS),
    ("TCP window scale", tcp::OPT_WSCALE),
    ("TCP SACK permitted", tcp::OPT_SACK_PERM),
    ("TCP timestamps", tcp::OPT_TIMESTAMP),
    ("TCP option head", tcp::OPT_HEAD),
    ("TCP SACK block", tcp::SACK_BLOCK),
    ("UDP", udp::TABLE),
    ("ICMP", icmp::V4),
    ("ICMP echo", icmp::V4_ECHO),
    ("ICMP unused", icmp::V4_UNUSED),
    ("ICMP fragmentation needed", icmp::V4_FRAG_NEEDED),
    ("ICMP redirect", icmp::V4_REDIRECT),
    ("ICMP rest", icmp::V4_REST),
    ("ICMPv6", icmp::V6),
    ("ICMPv6 echo", icmp::V6_ECHO),
    ("ICMPv6 reserved", icmp::V6_RESERVED),
    ("ICMPv6 MTU", icmp::V6_MTU),
    ("ICMPv6 pointer", icmp::V6_POINTER),
    ("ICMPv6 rest", icmp::V6_REST),
];

/// Calls `visit` on every field of every table, sub-fields included.
pub fn each_field(mut visit: impl FnMut(&'static str, &'static FieldSpec)) {
    fn walk(
        table: &'static str,
        fields: &'static [FieldSpec],
        visit: &mut dyn FnMut(&'static str, &'static FieldSpec),
    ) {
        for spec in fields {
            visit(table, spec);
            walk(table, spec.sub, visit);
        }
    }
    for (name, table) in TABLES {
        walk(name, table, &mut visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_well_formed() {
        each_field(|table, spec| {
            assert!(!spec.is_empty(), "{table}: {:?} is empty", spec.id);
            if let Some(mask) = spec.bits {
                let width = spec.len() * 8;
                assert!(width <= 32, "{table}: {:?} too wide for a mask", spec.id);
                assert!(
                    width == 32 || mask >> width == 0,
                    "{table}: {:?} mask outside its bytes",
                    spec.id
                );
            }
            assert!(
                !spec.wireshark.contains(' '),
                "{table}: {:?} has a bad Wireshark name",
                spec.id
            );
        });
    }

    #[test]
    fn untabled_ids_are_in_no_table() {
        each_field(|table, spec| {
            assert!(
                !FieldId::UNTABLED.contains(&spec.id),
                "{table}: {:?} is in a table",
                spec.id
            );
        });
    }

    #[test]
    fn fixed_headers_end_where_their_tables_do() {
        let end = |t: &[FieldSpec]| t.iter().map(|f| f.at.end).max().unwrap_or(0);
        assert_eq!(end(ethernet::TABLE), ethernet::HEADER_LEN);
        assert_eq!(end(sll::TABLE), sll::HEADER_LEN);
        assert_eq!(end(sll2::TABLE), sll2::HEADER_LEN);
        assert_eq!(end(loopback::TABLE_NULL), loopback::HEADER_LEN);
        assert_eq!(end(ipv4::TABLE), ipv4::HEADER_LEN);
        assert_eq!(end(ipv6::TABLE), ipv6::HEADER_LEN);
        assert_eq!(end(tcp::TABLE), tcp::HEADER_LEN);
        assert_eq!(end(udp::TABLE), udp::HEADER_LEN);
        assert_eq!(be16(&[0, 1, 2], 1..3), Some(0x0102));
        assert_eq!(be16(&[0, 1], 1..3), None);
    }
}
