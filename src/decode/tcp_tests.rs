//! Tests of the TCP header and options decoding.

use super::*;

#[test]
fn unknown_kind_does_not_hide_later_options() {
    // MSS 1460, TFO cookie (kind 34, len 4), SACK permitted, NOP, NOP
    let area = [2, 4, 0x05, 0xb4, 34, 4, 0xaa, 0xbb, 4, 2, 1, 1];
    let kinds: Vec<_> = parse_options(&area).into_iter().map(|o| o.kind).collect();
    assert_eq!(
        kinds,
        vec![
            TcpOptionKind::Mss(1460),
            TcpOptionKind::Unknown { kind: 34 },
            TcpOptionKind::SackPermitted,
            TcpOptionKind::Nop,
            TcpOptionKind::Nop
        ]
    );
}

#[test]
fn sack_blocks_and_offsets() {
    let area = [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 9];
    let opts = parse_options(&area);
    assert_eq!(opts[2].offset, 2);
    assert_eq!(
        opts[2].kind,
        TcpOptionKind::Sack(SackBlocks::new(&[(1, 9)]))
    );
}

#[test]
fn the_analysis_reads_the_first_window_scale_and_every_sack_block() {
    // A 60-byte header: window scale 7, SACK of one block, window scale 2, SACK of two
    // blocks, six NOPs.
    let mut h = vec![0, 1, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0xf0, 0x10, 0xff, 0xff];
    h.extend([
        0, 0, 0, 0, 3, 3, 7, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 3, 3, 2, 5, 18,
    ]);
    for edge in 3u32..=6 {
        h.extend(edge.to_be_bytes());
    }
    h.extend([1; 6]);
    assert_eq!(h.len(), 60);
    let info = TcpInfo::decode(&h).unwrap();
    assert_eq!(info.window_scale(), Some(7));
    assert_eq!(info.sack_blocks(), &[(1, 2), (3, 4), (5, 6)]);
    // A header too short for its data offset keeps no options, and nothing of them.
    h[12] = 0x40;
    let info = TcpInfo::decode(&h[..20]).unwrap();
    assert!(info.options.is_empty());
    assert_eq!((info.window_scale(), info.sack_blocks()), (None, &[][..]));
}

#[test]
fn cut_header_keeps_fixed_fields() {
    // 24 bytes of a 32-byte header: ports 1000 -> 80, SYN.
    let mut h = vec![
        0x03, 0xe8, 0, 80, 0, 0, 0, 7, 0, 0, 0, 0, 0x80, 0x02, 0xff, 0xff,
    ];
    h.extend([0, 0, 0, 0, 2, 4, 0x05, 0xb4]);
    let info = TcpInfo::decode(&h).unwrap();
    assert_eq!((info.sport, info.dport, info.seq), (1000, 80, 7));
    assert_eq!(info.header_len, 32);
    assert!(!info.header_complete);
    assert_eq!(info.flag_names(), vec!["SYN"]);
    assert_eq!(info.mss(), Some(1460));
}
