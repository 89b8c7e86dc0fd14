#!/usr/bin/env python3
"""How many TCP connections a capture holds open at once, and how often 4-tuples are reused.

Usage:
  python3 bench/concurrency.py -r CAPTURE.pcap [TIMEOUT_S...]
  tshark -r CAPTURE -n -Y 'tcp && !icmp && !icmpv6' -T fields -E separator=/t \\
      -e frame.time_epoch -e tcp.stream -e tcp.flags -e ip.src -e ipv6.src -e tcp.srcport \\
      -e ip.dst -e ipv6.dst -e tcp.dstport | python3 bench/concurrency.py [TIMEOUT_S...]

With -r it reads a classic pcap file itself (Ethernet with VLAN tags, Linux cooked or raw IP;
far faster than tshark on big files) and splits connections like tshark's tcp.stream: a new
connection on a 4-tuple starts with a SYN without ACK whose sequence number differs from the
first SYN's. Otherwise it reads the tshark fields above from standard input.

A connection is open from its first packet until its close is complete (an RST, or both FINs
and then an ACK from the side that received the last FIN) or until it has been idle for
TIMEOUT seconds of capture time (default: 60 300 3600, and no timeout at all). A connection
idle longer than the timeout that sends again counts as a new one. Prints the peak number of
open connections for each timeout, and the 4-tuple reuse.
"""

import socket
import struct
import sys
from collections import defaultdict

FIN, SYN, RST, ACK = 0x01, 0x02, 0x04, 0x10


def from_tshark(lines):
    """(time, stream, flags, src, dst) from tshark's tab-separated fields."""
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) < 9 or not f[1]:
            continue
        try:
            t = float(f[0])
            sid = int(f[1].split(",")[0])
            flags = int(f[2].split(",")[0], 16)
        except ValueError:
            continue
        src = (f[3] or f[4]).split(",")[0], f[5].split(",")[0]
        dst = (f[6] or f[7]).split(",")[0], f[8].split(",")[0]
        yield t, sid, flags, src, dst


def from_pcap(path):
    """(time, stream, flags, src, dst) of every TCP packet of a classic pcap file."""
    streams = {}  # 4-tuple -> [stream id, seq of its first SYN or None]
    next_id = 0
    for t, src, dst, flags, seq in tcp_packets(path):
        key = (src, dst) if src <= dst else (dst, src)
        cur = streams.get(key)
        if cur is None or (
            flags & (SYN | ACK) == SYN and cur[1] is not None and seq != cur[1]
        ):
            cur = [next_id, None]
            next_id += 1
            streams[key] = cur
        if flags & (SYN | ACK) == SYN and cur[1] is None:
            cur[1] = seq
        yield t, cur[0], flags, src, dst


def tcp_packets(path):
    """(time, (src ip, port), (dst ip, port), flags, seq) of the TCP packets in a pcap."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            raise SystemExit(f"{path}: not a pcap file")
        magic = head[:4]
        if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
            end = "<"
        elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
            end = ">"
        else:
            raise SystemExit(f"{path}: not a classic pcap file (pcapng: convert with editcap -F pcap)")
        nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
        div = 1e9 if nano else 1e6
        (linktype,) = struct.unpack(end + "I", head[20:24])
        rec = struct.Struct(end + "IIII")
        while True:
            h = f.read(16)
            if len(h) < 16:
                return
            sec, frac, caplen, _ = rec.unpack(h)
            data = f.read(caplen)
            if len(data) < caplen:
                return
            ip = ip_offset(linktype, data)
            if ip is None:
                continue
            parsed = parse_ip_tcp(data, ip)
            if parsed is not None:
                yield (sec + frac / div, *parsed)


def ip_offset(linktype, data):
    """Offset of the IP header in a frame, or None."""
    if linktype == 1:  # Ethernet, with VLAN tags
        off, etype = 14, data[12:14]
        while etype in (b"\x81\x00", b"\x88\xa8") and len(data) >= off + 4:
            etype, off = data[off + 2 : off + 4], off + 4
        return off if etype in (b"\x08\x00", b"\x86\xdd") else None
    if linktype == 113:  # Linux cooked
        return 16 if data[14:16] in (b"\x08\x00", b"\x86\xdd") else None
    if linktype in (101, 12, 14):  # raw IP
        return 0
    return None


def parse_ip_tcp(data, off):
    """((src, sport), (dst, dport), flags, seq) of a TCP segment (first fragment), or None."""
    if len(data) < off + 20:
        return None
    version = data[off] >> 4
    if version == 4:
        ihl = (data[off] & 15) * 4
        if data[off + 9] != 6 or struct.unpack_from("!H", data, off + 6)[0] & 0x1FFF:
            return None
        src, dst = data[off + 12 : off + 16], data[off + 16 : off + 20]
        tcp = off + ihl
    elif version == 6:
        if len(data) < off + 40 or data[off + 6] != 6:
            return None  # extension headers are not followed
        src, dst = data[off + 8 : off + 24], data[off + 24 : off + 40]
        tcp = off + 40
    else:
        return None
    if len(data) < tcp + 14:
        return None
    sport, dport, seq = struct.unpack_from("!HHI", data, tcp)
    flags = data[tcp + 13]
    family = socket.AF_INET if version == 4 else socket.AF_INET6
    s, d = socket.inet_ntop(family, src), socket.inet_ntop(family, dst)
    return (s, str(sport)), (d, str(dport)), flags, seq


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    records = from_tshark(sys.stdin)
    if args and args[0] == "-r":
        if len(args) < 2:
            raise SystemExit("-r needs a capture file")
        try:
            open(args[1], "rb").close()
        except OSError as e:
            raise SystemExit(f"{args[1]}: {e.strerror}") from None
        records = from_pcap(args[1])
        args = args[2:]
    try:
        timeouts = [float(a) for a in args] or [60.0, 300.0, 3600.0]
    except ValueError:
        raise SystemExit("timeouts are numbers of seconds (see --help)") from None
    timeouts.append(float("inf"))
    min_timeout = min(timeouts)
    # per stream: first and last packet time, close time, FIN senders (side -> time), the side
    # that sent the last FIN, and the idle gaps longer than the smallest timeout (from, to).
    streams = {}
    tuples = defaultdict(set)
    packets = 0
    t_end = 0.0
    for t, sid, flags, src, dst in records:
        packets += 1
        t_end = max(t_end, t)
        s = streams.get(sid)
        if s is None:
            s = {"first": t, "last": t, "close": None, "fins": set(), "last_fin": None, "gaps": []}
            streams[sid] = s
            tuples[tuple(sorted((src, dst)))].add(sid)
        if s["close"] is not None:
            # Packets after the close (retransmitted FIN/ACK, late RST): the state is gone.
            continue
        if t - s["last"] > min_timeout:
            s["gaps"].append((s["last"], t))
        s["last"] = max(s["last"], t)
        if flags & RST:
            s["close"] = t
        elif flags & FIN:
            s["fins"].add(src)
            s["last_fin"] = src
        elif len(s["fins"]) == 2 and flags & ACK and src != s["last_fin"]:
            s["close"] = t
    print(f"tcp packets: {packets}")
    print(f"tcp streams: {len(streams)}")
    closed = sum(1 for s in streams.values() if s["close"] is not None)
    print(f"streams whose close completed (RST, or FIN+FIN+ACK): {closed}")
    reused = {k: v for k, v in tuples.items() if len(v) > 1}
    print(f"distinct 4-tuples: {len(tuples)}")
    print(
        f"4-tuples used by more than one stream: {len(reused)} "
        f"(holding {sum(len(v) for v in reused.values())} streams; "
        f"most on one 4-tuple: {max((len(v) for v in reused.values()), default=1)})"
    )
    for timeout in timeouts:
        peak, peak_t, intervals = sweep(streams, timeout, t_end)
        name = "none" if timeout == float("inf") else f"{timeout:g} s"
        print(
            f"idle timeout {name:>7}: peak open connections {peak} "
            f"(at +{peak_t - min_first(streams):.1f} s), connection intervals {intervals}"
        )
    return 0


def min_first(streams) -> float:
    return min((s["first"] for s in streams.values()), default=0.0)


def sweep(streams, timeout: float, t_end: float):
    """Peak count of open connections: +1 at each opening, -1 at each close or expiry."""
    events = []
    for s in streams.values():
        start = s["first"]
        for idle_from, idle_to in s["gaps"]:
            if idle_to - idle_from > timeout:
                events.append((start, 1))
                events.append((idle_from + timeout, -1))
                start = idle_to
        end = s["close"] if s["close"] is not None else s["last"] + timeout
        events.append((start, 1))
        if end <= t_end:
            events.append((end, -1))
    # Closes before opens at the same instant.
    events.sort()
    n = peak = 0
    peak_t = 0.0
    for t, d in events:
        n += d
        if n > peak:
            peak, peak_t = n, t
    return peak, peak_t, sum(1 for _, d in events if d == 1)


if __name__ == "__main__":
    sys.exit(main())
