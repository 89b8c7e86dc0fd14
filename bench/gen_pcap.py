#!/usr/bin/env python3
"""Writes a synthetic Ethernet/IPv4/TCP capture of a given size for the streaming benchmark.

Each of CONNS connections does a handshake, then the client sends full-size segments that the
server acknowledges, round robin across connections, until the file reaches its size; then every
connection closes with FIN/ACK, FIN/ACK, ACK. Checksums are left zero.
Usage: gen_pcap.py OUT.pcap SIZE_MIB [CONNS]
"""
import struct
import sys

out, size_mib = sys.argv[1], int(sys.argv[2])
conns = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
limit = size_mib << 20
MSS = 1400
payload = bytes(range(256)) * 6
payload = payload[:MSS]


def frame(c, to_server, flags, seq, ack, data=b""):
    cip, sip = struct.pack("!I", (10 << 24) | (1 << 16) | c), struct.pack("!I", (10 << 24) | 2)
    cport, sport = 20000 + c, 80
    src, dst = (cip, sip) if to_server else (sip, cip)
    sp, dp = (cport, sport) if to_server else (sport, cport)
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(data), 0, 0x4000, 64, 6, 0, src, dst)
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    return eth + ip + tcp + data


with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    written, usec = 24, 0

    def put(data):
        global written, usec
        usec += 10
        f.write(struct.pack("<IIII", 1_700_000_000 + usec // 1_000_000, usec % 1_000_000, len(data), len(data)))
        f.write(data)
        written += 16 + len(data)

    cseq = [1000] * conns
    sseq = [5000] * conns
    for c in range(conns):
        put(frame(c, True, 0x02, cseq[c], 0))
        put(frame(c, False, 0x12, sseq[c], cseq[c] + 1))
        cseq[c] += 1
        sseq[c] += 1
        put(frame(c, True, 0x10, cseq[c], sseq[c]))
    c = 0
    while written < limit:
        put(frame(c, True, 0x18, cseq[c], sseq[c], payload))
        cseq[c] += MSS
        put(frame(c, False, 0x10, sseq[c], cseq[c]))
        c = (c + 1) % conns
    for c in range(conns):
        put(frame(c, True, 0x11, cseq[c], sseq[c]))
        put(frame(c, False, 0x11, sseq[c], cseq[c] + 1))
        put(frame(c, True, 0x10, cseq[c] + 1, sseq[c] + 1))
