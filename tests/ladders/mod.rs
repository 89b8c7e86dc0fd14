//! Ladders built by hand from the fixtures' real numbers, shared by the ladder tests.

#![allow(dead_code)] // each test binary uses a different subset

use handshake_viz::render::ladder::{
    Arrow, Call, CallEnd, Category, Detail, Dir, Ladder, Lane, Mark, MarkKind, Note, NoteKind, Row,
    Side, StateChange,
};

mod samples;
mod transfer;

pub use samples::samples;
pub use transfer::{bulk, lossy, udp};

const US: i64 = 1000;

fn lane(role: &str, endpoint: &str, initial: Option<&str>) -> Lane {
    Lane {
        role: role.into(),
        endpoint: endpoint.into(),
        initial_state: initial.map(String::from),
    }
}

/// An arrow with its fields listed as details and a small byte map.
fn arrow(frame: u64, t_ns: i64, dir: Dir, label: &str, phrase: &str, category: Category) -> Arrow {
    let (src, dst) = match dir {
        Dir::ToServer => ("client", "server"),
        Dir::ToClient => ("server", "client"),
    };
    let details = [
        ("frame", frame.to_string()),
        ("time", format!("{:.6}", t_ns as f64 / 1e9)),
        ("from", src.to_string()),
        ("to", dst.to_string()),
        ("header", label.to_string()),
    ];
    Arrow {
        frame,
        t_ns,
        dir,
        label: label.into(),
        phrase: phrase.into(),
        category,
        marks: Vec::new(),
        states: Vec::new(),
        details: details
            .into_iter()
            .map(|(k, v)| Detail {
                key: k.into(),
                value: v,
            })
            .collect(),
        bytes: Some(hexdump(frame)),
    }
}

/// A made-up byte map: offsets, hex, and a layer name per line.
fn hexdump(frame: u64) -> String {
    let mut out = String::new();
    for line in 0..4u64 {
        let hex: Vec<String> = (0..16u64)
            .map(|i| format!("{:02x}", (frame * 31 + line * 16 + i) % 256))
            .collect();
        let layer = ["ethernet", "ipv4", "tcp", "tcp"][line as usize];
        out.push_str(&format!("{:04x}  {}  {layer}\n", line * 16, hex.join(" ")));
    }
    out
}

fn state(arrow: &mut Arrow, side: Side, name: &str) {
    arrow.states.push(StateChange {
        side,
        state: name.into(),
    });
}

fn mark(arrow: &mut Arrow, kind: MarkKind, text: &str) {
    arrow.marks.push(Mark {
        kind,
        text: text.into(),
    });
}

fn call(side: Side, t_us: i64, name: &str, detail: &str, end: Option<(i64, &str)>) -> Row {
    Row::Call(Call {
        side,
        t_ns: t_us * US,
        name: name.into(),
        detail: detail.into(),
        end: match end {
            Some((t, d)) => CallEnd::Returned {
                t_ns: t * US,
                detail: d.into(),
            },
            None => CallEnd::Instant,
        },
    })
}

fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by_key(Row::t_ns);
    rows
}

/// fixtures/tcp-echo.pcap (10 packets) with the calls of an echo client and server.
pub fn echo() -> Ladder {
    use Category::*;
    use Dir::*;
    let mut a = vec![
        arrow(
            1,
            0,
            ToServer,
            "SYN seq=0 win=65495",
            "handshake 1/3: client asks to connect (SYN)",
            Handshake,
        ),
        arrow(
            2,
            13 * US,
            ToClient,
            "SYN,ACK seq=0 ack=1 win=65483",
            "handshake 2/3: server accepts and acknowledges the SYN",
            Handshake,
        ),
        arrow(
            3,
            27 * US,
            ToServer,
            "ACK seq=1 ack=1",
            "handshake 3/3: connection established",
            Handshake,
        ),
        arrow(
            4,
            57 * US,
            ToServer,
            "PSH,ACK seq=1 ack=1 len=5",
            "data: client sends 5 bytes \"hello\"",
            Data,
        ),
        arrow(
            5,
            64 * US,
            ToClient,
            "ACK seq=1 ack=6",
            "ack: server confirms 5 bytes received",
            Ack,
        ),
        arrow(
            6,
            130 * US,
            ToClient,
            "PSH,ACK seq=1 ack=6 len=5",
            "data: server sends 5 bytes \"hello\"",
            Data,
        ),
        arrow(
            7,
            136 * US,
            ToServer,
            "ACK seq=6 ack=6",
            "ack: client confirms 5 bytes received",
            Ack,
        ),
        arrow(
            8,
            155 * US,
            ToServer,
            "FIN,ACK seq=6 ack=6",
            "close: client has nothing more to send (FIN)",
            Close,
        ),
        arrow(
            9,
            193 * US,
            ToClient,
            "FIN,ACK seq=6 ack=7",
            "close: server acknowledges the client's FIN and closes too (FIN)",
            Close,
        ),
        arrow(
            10,
            204 * US,
            ToServer,
            "ACK seq=7 ack=7",
            "close: client acknowledges the server's FIN",
            Close,
        ),
    ];
    state(&mut a[0], Side::Client, "SYN-SENT");
    state(&mut a[1], Side::Server, "SYN-RECEIVED");
    state(&mut a[2], Side::Client, "ESTABLISHED");
    state(&mut a[2], Side::Server, "ESTABLISHED");
    state(&mut a[7], Side::Client, "FIN-WAIT-1");
    state(&mut a[7], Side::Server, "CLOSE-WAIT");
    state(&mut a[8], Side::Client, "FIN-WAIT-2");
    state(&mut a[8], Side::Server, "LAST-ACK");
    state(&mut a[9], Side::Client, "TIME-WAIT");
    state(&mut a[9], Side::Server, "CLOSED");
    let mut rows: Vec<Row> = a.into_iter().map(Row::Arrow).collect();
    rows.extend([
        call(
            Side::Server,
            -250,
            "listen()",
            "on 127.0.0.1:9001, backlog 128",
            None,
        ),
        call(
            Side::Server,
            -240,
            "accept()",
            "waits for a connection",
            Some((40, "returned: connection from 127.0.0.1:46262")),
        ),
        call(
            Side::Client,
            -12,
            "connect()",
            "to 127.0.0.1:9001 (blocks until the handshake completes)",
            Some((31, "returned: connection established")),
        ),
        call(
            Side::Client,
            50,
            "send()",
            "5 bytes \"hello\"",
            Some((52, "returned: 5 bytes queued")),
        ),
        call(
            Side::Server,
            45,
            "recv()",
            "up to 4096 bytes",
            Some((70, "returned 5 bytes \"hello\"")),
        ),
        call(
            Side::Client,
            60,
            "recv()",
            "waits for the 5-byte echo",
            Some((140, "returned 5 bytes \"hello\"")),
        ),
        call(
            Side::Server,
            120,
            "send()",
            "5 bytes \"hello\" (echo)",
            Some((124, "returned: 5 bytes queued")),
        ),
        call(
            Side::Server,
            145,
            "recv()",
            "up to 4096 bytes",
            Some((170, "returned 0 bytes: peer closed (EOF)")),
        ),
        call(
            Side::Client,
            150,
            "close()",
            "client closes first: sends FIN",
            None,
        ),
        call(Side::Server, 180, "close()", "after EOF: sends FIN", None),
    ]);
    Ladder {
        title: "TCP stream 0 · client 127.0.0.1:46262 → server 127.0.0.1:9001 · client sent the first SYN".into(),
        id: "tcp-0".into(),
        client: lane("client", "127.0.0.1:46262", Some("CLOSED")),
        server: lane("server", "127.0.0.1:9001", Some("LISTEN")),
        rows: sorted(rows),
    }
}

/// fixtures/tcp-refused.pcap: SYN answered by RST, with the client's connect().
pub fn refused() -> Ladder {
    let mut syn = arrow(
        1,
        0,
        Dir::ToServer,
        "SYN seq=0 win=65495",
        "handshake 1/3: client asks to connect (SYN)",
        Category::Handshake,
    );
    state(&mut syn, Side::Client, "SYN-SENT");
    let mut rst = arrow(
        2,
        11 * US,
        Dir::ToClient,
        "RST,ACK seq=1 ack=1 win=0",
        "reset: connection refused (nothing listens on that port)",
        Category::Reset,
    );
    state(&mut rst, Side::Client, "CLOSED");
    state(&mut rst, Side::Server, "CLOSED");
    let connect = call(
        Side::Client,
        -9,
        "connect()",
        "to 127.0.0.1:9003",
        Some((30, "failed: Connection refused (os error 111)")),
    );
    Ladder {
        title: "TCP stream 0 · client 127.0.0.1:45736 → server 127.0.0.1:9003 · client sent the first SYN".into(),
        id: "tcp-0".into(),
        client: lane("client", "127.0.0.1:45736", Some("CLOSED")),
        server: lane("server", "127.0.0.1:9003", None),
        rows: sorted(vec![connect, Row::Arrow(syn), Row::Arrow(rst)]),
    }
}

/// The echo's handshake in Chinese: every label two columns per character.
pub fn chinese() -> Ladder {
    let mut syn = arrow(
        1,
        0,
        Dir::ToServer,
        "SYN 序号=0 窗口=65495",
        "握手 1/3：客户端请求连接（SYN）",
        Category::Handshake,
    );
    state(&mut syn, Side::Client, "同步已发送");
    let mut synack = arrow(
        2,
        13 * US,
        Dir::ToClient,
        "SYN,ACK 序号=0 确认=1 窗口=65483",
        "握手 2/3：服务器接受并确认客户端的 SYN，这是一句很长的说明文字，需要换行才能显示完整",
        Category::Handshake,
    );
    state(&mut synack, Side::Server, "同步已接收");
    let mut ack = arrow(
        3,
        27 * US,
        Dir::ToServer,
        "ACK 序号=1 确认=1",
        "握手 3/3：连接已建立",
        Category::Handshake,
    );
    state(&mut ack, Side::Client, "已建立连接");
    state(&mut ack, Side::Server, "已建立连接");
    mark(&mut ack, MarkKind::Other, "示例标记");
    let connect = call(
        Side::Client,
        -12,
        "connect()",
        "连接到 127.0.0.1:9001（阻塞直到握手完成）",
        Some((31, "返回：连接已建立")),
    );
    Ladder {
        title: "TCP 流 0 · 客户端 127.0.0.1:46262 → 服务器 127.0.0.1:9001".into(),
        id: "tcp-0".into(),
        client: lane("客户端", "127.0.0.1:46262", Some("关闭")),
        server: lane("服务器", "127.0.0.1:9001", Some("监听")),
        rows: sorted(vec![
            connect,
            Row::Arrow(syn),
            Row::Arrow(synack),
            Row::Arrow(ack),
        ]),
    }
}

/// A ladder whose every string is hostile: markup, quotes, ampersands, terminal escapes.
pub fn hostile() -> Ladder {
    let evil = "<script>alert('x')</script> & \"quoted\" \x1b[31m\u{202e}</svg>]]>";
    let mut a = arrow(1, 0, Dir::ToServer, evil, evil, Category::Other);
    a.details.push(Detail {
        key: evil.into(),
        value: evil.into(),
    });
    a.bytes = Some(format!("0000  3c 73  {evil}"));
    mark(&mut a, MarkKind::Other, evil);
    state(&mut a, Side::Client, evil);
    let note = Row::Note(Note {
        t_ns: 5 * US,
        kind: NoteKind::Info,
        text: evil.into(),
    });
    let call = call(Side::Server, 2, evil, evil, Some((9, evil)));
    Ladder {
        title: evil.into(),
        id: "x\"<&>".into(),
        client: lane(evil, evil, Some(evil)),
        server: lane(evil, evil, None),
        rows: vec![Row::Arrow(a), call, note],
    }
}
