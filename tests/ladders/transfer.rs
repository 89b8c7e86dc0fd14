//! Longer conversations: a lossy transfer, a UDP exchange, a 600-packet bulk transfer.

use super::*;

/// fixtures/tcp-lossy.pcap, stream 0, frames 3-26: lost segments, duplicate ACKs and their
/// retransmissions (one of them marked out-of-order by hand).
pub fn lossy() -> Ladder {
    use Category::*;
    use Dir::*;
    let t = |us: i64| us * US;
    let data = |frame, us, seq: u32, phrase: &str| {
        arrow(
            frame,
            t(us),
            ToServer,
            &format!("ACK seq={seq} ack=1 len=1448"),
            phrase,
            Data,
        )
    };
    let ack = |frame, us, n: u32, phrase: &str| {
        arrow(
            frame,
            t(us),
            ToClient,
            &format!("ACK seq=1 ack={n}"),
            phrase,
            Ack,
        )
    };
    let mut a = vec![
        arrow(
            3,
            t(40_424),
            ToServer,
            "SYN seq=0 win=64240",
            "handshake 1/3: client asks to connect (SYN)",
            Handshake,
        ),
        arrow(
            4,
            t(40_462),
            ToClient,
            "SYN,ACK seq=0 ack=1 win=65160",
            "handshake 2/3: server accepts and acknowledges the SYN",
            Handshake,
        ),
        arrow(
            5,
            t(80_853),
            ToServer,
            "ACK seq=1 ack=1",
            "handshake 3/3: connection established",
            Handshake,
        ),
        data(6, 95_369, 1, "data: client sends 1448 bytes"),
        ack(7, 95_395, 1449, "ack: server confirms 1448 bytes received"),
        data(8, 95_403, 2897, "data: client sends 1448 bytes"),
        ack(
            9,
            95_407,
            1449,
            "window update: server's receive window is now 71680 bytes",
        ),
        data(10, 95_412, 4345, "data: client sends 1448 bytes"),
        data(14, 95_426, 8689, "data: client sends 1448 bytes"),
        ack(
            19,
            95_445,
            1449,
            "duplicate ACK: server still waits for byte 1449",
        ),
        ack(
            21,
            95_452,
            1449,
            "duplicate ACK: server still waits for byte 1449",
        ),
        data(
            22,
            97_249,
            1449,
            "retransmission: client sends 1448 bytes again",
        ),
        ack(23, 97_262, 7241, "ack: server confirms 5792 bytes received"),
        data(
            24,
            97_284,
            7241,
            "retransmission: client sends 1448 bytes again",
        ),
        ack(
            25,
            97_290,
            14481,
            "ack: server confirms 7240 bytes received",
        ),
        data(26, 135_815, 15929, "data: client sends 1448 bytes"),
    ];
    state(&mut a[0], Side::Client, "SYN-SENT");
    state(&mut a[1], Side::Server, "SYN-RECEIVED");
    state(&mut a[2], Side::Client, "ESTABLISHED");
    state(&mut a[2], Side::Server, "ESTABLISHED");
    mark(
        &mut a[5],
        MarkKind::LostSegment,
        "previous segment not captured",
    );
    mark(&mut a[6], MarkKind::WindowUpdate, "window update");
    mark(
        &mut a[8],
        MarkKind::LostSegment,
        "previous segment not captured",
    );
    mark(&mut a[9], MarkKind::DuplicateAck, "duplicate ACK");
    mark(&mut a[10], MarkKind::DuplicateAck, "duplicate ACK");
    mark(
        &mut a[11],
        MarkKind::FastRetransmission,
        "fast retransmission",
    );
    mark(&mut a[11], MarkKind::Retransmission, "retransmission");
    mark(&mut a[13], MarkKind::Retransmission, "retransmission");
    mark(&mut a[13], MarkKind::OutOfOrder, "out of order");
    mark(
        &mut a[15],
        MarkKind::LostSegment,
        "previous segment not captured",
    );
    Ladder {
        title: "TCP stream 0 · client 10.99.0.1:41568 → server 10.99.0.2:9016 · client sent the first SYN".into(),
        id: "tcp-0".into(),
        client: lane("client", "10.99.0.1:41568", None),
        server: lane("server", "10.99.0.2:9016", None),
        rows: a.into_iter().map(Row::Arrow).collect(),
    }
}

/// fixtures/udp-echo.pcap, stream 0, plus a last datagram answered by an ICMP error.
pub fn udp() -> Ladder {
    let pairs = [(0, 41, 1), (76, 96, 2), (115, 132, 3)];
    let mut rows = Vec::new();
    for (c, s, n) in pairs {
        let frame = u64::try_from(n * 2 - 1).unwrap_or(0);
        rows.push(Row::Arrow(arrow(
            frame,
            c * US,
            Dir::ToServer,
            "UDP len=6",
            &format!("datagram: client sends 6 bytes \"ping {n}\""),
            Category::Datagram,
        )));
        rows.push(Row::Arrow(arrow(
            frame + 1,
            s * US,
            Dir::ToClient,
            "UDP len=6",
            &format!(
                "datagram: server answers #{frame} with 6 bytes after {} µs",
                s - c
            ),
            Category::Datagram,
        )));
    }
    rows.push(Row::Arrow(arrow(
        9,
        2_400 * US,
        Dir::ToServer,
        "UDP len=13",
        "datagram: client sends 13 bytes \"anyone there?\"",
        Category::Datagram,
    )));
    rows.push(Row::Note(Note {
        t_ns: 2_431 * US,
        kind: NoteKind::Alert,
        text: "frame 10: ICMP port unreachable for this datagram — nothing listens on 127.0.0.1:9006 any more".into(),
    }));
    Ladder {
        title: "UDP stream 0 · client 127.0.0.1:34048 → server 127.0.0.1:9006 · UDP has no handshake and no close: each datagram stands alone".into(),
        id: "udp-0".into(),
        client: lane("client", "127.0.0.1:34048", None),
        server: lane("server", "127.0.0.1:9006", None),
        rows,
    }
}

/// A 600-packet bulk transfer: handshake, data and ACKs every 4 µs with a loss every 97
/// segments, two idle pauses of a quarter and two seconds, and the close.
pub fn bulk() -> Ladder {
    let mut rows = Vec::new();
    let mut t: i64 = 0;
    let mut frame = 0u64;
    let mut push = |rows: &mut Vec<Row>, t: i64, dir, label: String, phrase: &str, cat| {
        frame += 1;
        let a = arrow(frame, t, dir, &label, phrase, cat);
        rows.push(Row::Arrow(a));
        frame
    };
    push(
        &mut rows,
        t,
        Dir::ToServer,
        "SYN seq=0 win=64240".into(),
        "handshake 1/3",
        Category::Handshake,
    );
    t += 40 * US;
    push(
        &mut rows,
        t,
        Dir::ToClient,
        "SYN,ACK seq=0 ack=1".into(),
        "handshake 2/3",
        Category::Handshake,
    );
    t += 40 * US;
    push(
        &mut rows,
        t,
        Dir::ToServer,
        "ACK seq=1 ack=1".into(),
        "handshake 3/3",
        Category::Handshake,
    );
    let mut seq: u64 = 1;
    while rows.len() < 597 {
        t += 4 * US;
        let n = rows.len();
        if n == 200 {
            t += 250_000 * US;
        }
        if n == 400 {
            t += 2_000_000 * US;
        }
        if n % 2 == 1 {
            push(
                &mut rows,
                t,
                Dir::ToServer,
                format!("ACK seq={seq} ack=1 len=1448"),
                "data: client sends 1448 bytes",
                Category::Data,
            );
            seq += 1448;
            if n % 97 == 0
                && let Some(Row::Arrow(a)) = rows.last_mut()
            {
                mark(a, MarkKind::Retransmission, "retransmission");
            }
        } else {
            push(
                &mut rows,
                t,
                Dir::ToClient,
                format!("ACK seq=1 ack={seq}"),
                "ack",
                Category::Ack,
            );
        }
    }
    t += 30 * US;
    push(
        &mut rows,
        t,
        Dir::ToServer,
        format!("FIN,ACK seq={seq} ack=1"),
        "close",
        Category::Close,
    );
    t += 30 * US;
    push(
        &mut rows,
        t,
        Dir::ToClient,
        format!("FIN,ACK seq=1 ack={}", seq + 1),
        "close",
        Category::Close,
    );
    t += 30 * US;
    push(
        &mut rows,
        t,
        Dir::ToServer,
        format!("ACK seq={} ack=2", seq + 1),
        "close",
        Category::Close,
    );
    Ladder {
        title: "TCP stream 0 · bulk transfer".into(),
        id: "tcp-0".into(),
        client: lane("client", "10.99.0.1:41568", None),
        server: lane("server", "10.99.0.2:9016", None),
        rows,
    }
}
