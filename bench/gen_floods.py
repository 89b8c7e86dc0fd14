#!/usr/bin/env python3
"""Writes the flood captures of the memory check (not shipped: made when needed).

  syn   N SYNs, each from its own source address and port (a SYN flood), 2 µs apart
  icmp  N ICMP port-unreachable errors from a router, each quoting a random TCP or UDP flow
        (the quoted IP and transport headers), 2 µs apart

Usage: gen_floods.py syn|icmp OUT.pcap [N]   (default N: 5,000,000 SYNs, 1,000,000 errors)
Checksums are left zero; the random flows are the same from run to run (fixed seed).
"""
import random
import struct
import sys

kind, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else (5_000_000 if kind == "syn" else 1_000_000)
if kind not in ("syn", "icmp"):
    sys.exit("gen_floods.py: the kind is syn or icmp")
rng = random.Random(11)
ETH = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
SERVER = struct.pack("!I", (10 << 24) | (9 << 16) | 1)
ROUTER = struct.pack("!I", (10 << 24) | (9 << 16) | 254)


def ipv4(src, dst, proto, payload):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                       src, dst) + payload


def tcp(sport, dport, seq, ack, flags):
    # 20 bytes of header + MSS option: 24 bytes, data offset 6.
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 6 << 4, flags, 64240, 0, 0) + \
        b"\x02\x04\x05\xb4"


def syn(i):
    src = struct.pack("!I", (172 << 24) | (16 << 16) | (i // 60000) % 65536)
    return ETH + ipv4(src, SERVER, 6, tcp(1024 + i % 60000, 80, rng.getrandbits(32), 0, 0x02))


def icmp(_):
    src = struct.pack("!I", rng.getrandbits(32))
    dst = struct.pack("!I", rng.getrandbits(32))
    sport, dport = rng.randrange(1024, 65536), rng.randrange(1, 65536)
    if rng.random() < 0.5:
        inner = ipv4(src, dst, 6, tcp(sport, dport, rng.getrandbits(32), 0, 0x10)[:20])
    else:
        inner = ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8, 0))
    return ETH + ipv4(ROUTER, src, 1, struct.pack("!BBHI", 3, 3, 0, 0) + inner)


make = syn if kind == "syn" else icmp
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    chunk = []
    for i in range(count):
        data = make(i)
        usec = 2 * i
        chunk.append(struct.pack("<IIII", 1_700_000_000 + usec // 1_000_000, usec % 1_000_000,
                                 len(data), len(data)) + data)
        if len(chunk) == 65536:
            f.write(b"".join(chunk))
            chunk = []
    f.write(b"".join(chunk))
