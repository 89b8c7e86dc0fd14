//! Helpers of tests/netns.rs and tests/netns_relay.rs: the namespace prefix and the hosts'
//! addresses, running one test at a time with root and `ip` (or skipping), the check that
//! nothing was left behind, captures inside namespaces, a TCP transfer between the hosts, and
//! what the captured frames are.

#![allow(dead_code)] // each including crate uses a different subset

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use etherparse::{ArpOperation, NetSlice, SlicedPacket, TransportSlice};
use handshake_viz::capture::Frame;
use handshake_viz::capture::live::{LiveOptions, LiveSource, Poll};
use handshake_viz::demo::net::{self, NetLab};

pub const PREFIX: &str = "hvd";
pub const MAC_A: [u8; 6] = [2, 0, 0, 0, 0, 0x0a];
pub const MAC_B: [u8; 6] = [2, 0, 0, 0, 0, 0x0b];
pub const TRANSFER: usize = 64 * 1024;

pub static SERIAL: Mutex<()> = Mutex::new(());

#[path = "../support/gates.rs"]
mod gates;

/// Serializes the tests; `None` when skipped on request. Fails without root or `ip`.
pub fn setup() -> Option<MutexGuard<'static, ()>> {
    if !gates::netns_enabled() {
        return None;
    }
    Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Nothing named hvd* in /run/netns or among the links of this namespace.
pub fn assert_nothing_left() {
    assert_eq!(net::list_namespaces(PREFIX), Vec::<String>::new());
    let out = Command::new("ip").args(["-o", "link"]).output().unwrap();
    let links = String::from_utf8_lossy(&out.stdout);
    let ours: Vec<&str> = links.lines().filter(|l| l.contains(": hvd")).collect();
    assert!(ours.is_empty(), "{ours:?}");
    let out = Command::new("ip").args(["netns", "list"]).output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(!list.lines().any(|l| l.starts_with(PREFIX)), "{list}");
}

/// Host a's address.
pub const HOST_A: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
/// Host b's address.
pub const HOST_B: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);

/// A capture opened inside a namespace, and what it read.
pub struct Capture {
    pub source: LiveSource,
    pub frames: Vec<Frame>,
}

impl Capture {
    pub fn open(lab: &NetLab, role: &str, iface: &str) -> Capture {
        let mut options = LiveOptions::new(iface);
        options.snaplen = 2048;
        let source = lab
            .run_in(role, || LiveSource::open(&options))
            .unwrap()
            .unwrap_or_else(|e| panic!("capture on {iface} inside {role}: {e}"));
        Capture {
            source,
            frames: Vec::new(),
        }
    }

    pub fn drain(&mut self) {
        while let Poll::Frame(f) = self.source.poll().unwrap() {
            self.frames.push(f);
        }
    }
}

/// Sends `size` bytes from host a to a server on host b, which answers "ok" after the EOF,
/// while draining the captures. Returns the bytes the server received.
pub fn transfer(lab: &NetLab, size: usize, captures: &mut [&mut Capture]) -> usize {
    let listener = lab
        .run_in("b", || TcpListener::bind((HOST_B, 0)))
        .unwrap()
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let timeout = Duration::from_secs(10);
    std::thread::scope(|s| {
        let server = s.spawn(move || {
            listener.set_nonblocking(true).unwrap();
            let deadline = Instant::now() + timeout;
            let (mut conn, _) = loop {
                match listener.accept() {
                    Ok(c) => break c,
                    Err(_) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(1))
                    }
                    Err(e) => panic!("accept: {e}"),
                }
            };
            conn.set_nonblocking(false).unwrap();
            conn.set_read_timeout(Some(timeout)).unwrap();
            let mut got = Vec::new();
            conn.read_to_end(&mut got).unwrap();
            conn.write_all(b"ok").unwrap();
            got.len()
        });
        let client = s.spawn(move || {
            let mut stream = lab
                .run_in("a", || TcpStream::connect_timeout(&addr, timeout))
                .unwrap()
                .unwrap();
            stream.set_write_timeout(Some(timeout)).unwrap();
            stream.set_read_timeout(Some(timeout)).unwrap();
            stream.write_all(&vec![b'x'; size]).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).unwrap();
            answer
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        while !(server.is_finished() && client.is_finished()) {
            assert!(Instant::now() < deadline, "the transfer did not end");
            captures.iter_mut().for_each(|c| c.drain());
            std::thread::sleep(Duration::from_millis(1));
        }
        // The last ACKs and FINs.
        let quiet = Instant::now() + Duration::from_millis(300);
        while Instant::now() < quiet {
            captures.iter_mut().for_each(|c| c.drain());
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(client.join().unwrap(), b"ok");
        server.join().unwrap()
    })
}

/// What a captured frame is, as far as these tests care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    ArpRequest { sender: [u8; 6], target: Ipv4Addr },
    ArpReply { sender: [u8; 6], ip: Ipv4Addr },
    Tcp(Seg),
    Ipv6,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seg {
    pub from_a: bool,
    pub seq: u32,
    pub ack: u32,
    pub len: usize,
    pub syn: bool,
    pub fin: bool,
}

fn ip4(b: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(b[0], b[1], b[2], b[3])
}

pub fn classify(frame: &Frame) -> Kind {
    let Ok(p) = SlicedPacket::from_ethernet(&frame.data) else {
        return Kind::Other;
    };
    match (&p.net, &p.transport) {
        (Some(NetSlice::Arp(arp)), _) => {
            let sender: [u8; 6] = arp.sender_hw_addr().try_into().unwrap();
            if arp.operation() == ArpOperation::REQUEST {
                Kind::ArpRequest {
                    sender,
                    target: ip4(arp.target_protocol_addr()),
                }
            } else {
                Kind::ArpReply {
                    sender,
                    ip: ip4(arp.sender_protocol_addr()),
                }
            }
        }
        (Some(NetSlice::Ipv6(_)), _) => Kind::Ipv6,
        (Some(NetSlice::Ipv4(ip)), Some(TransportSlice::Tcp(tcp))) => Kind::Tcp(Seg {
            from_a: ip.header().source_addr() == HOST_A,
            seq: tcp.sequence_number(),
            ack: tcp.acknowledgment_number(),
            len: tcp.payload().len(),
            syn: tcp.syn(),
            fin: tcp.fin(),
        }),
        _ => Kind::Other,
    }
}

pub fn segments(frames: &[Frame]) -> Vec<Seg> {
    frames
        .iter()
        .filter_map(|f| match classify(f) {
            Kind::Tcp(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// Relative sequence numbers (first data byte = 0) of a's data segments, in capture order.
pub fn data_seqs_from_a(frames: &[Frame]) -> Vec<u32> {
    let segs = segments(frames);
    let isn = segs
        .iter()
        .find(|s| s.from_a && s.syn)
        .expect("a's SYN was captured")
        .seq;
    segs.iter()
        .filter(|s| s.from_a && s.len > 0)
        .map(|s| s.seq.wrapping_sub(isn).wrapping_sub(1))
        .collect()
}
