#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the repository's fixtures and the tcpdump
# test captures (../shared/corpus/tcpdump-tests beside the repository, or $TCPDUMP_TESTS).
#
#   fuzz/corpus/read_file/  whole capture files up to 64 KiB
#   fuzz/corpus/decode/     single frames: [link-type index, context 0xN f, frame bytes...]
#   fuzz/corpus/tracker/, fuzz/corpus/tracker_mixed/
#                           left empty: their inputs are structured, the fuzzer builds them
#
# Seeds are generated, never committed. Files are named by their SHA-1, as libFuzzer does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
tcpdump=${TCPDUMP_TESTS:-$repo/../shared/corpus/tcpdump-tests}
corpus=$here/corpus
mkdir -p "$corpus/read_file" "$corpus/decode" "$corpus/tracker" "$corpus/tracker_mixed"

sources=("$repo"/fixtures/*.pcap "$repo"/fixtures/*.pcapng)
if [[ -d $tcpdump ]]; then
    while IFS= read -r -d '' f; do sources+=("$f"); done \
        < <(find "$tcpdump" -type f -size -65k -print0 | sort -z)
else
    echo "seed.sh: $tcpdump not found; seeding from fixtures/ only" >&2
fi

python3 - "$corpus" "${sources[@]}" <<'PY'
import hashlib, os, struct, sys

corpus, files = sys.argv[1], sys.argv[2:]
# File link-type numbers -> index in LinkType::SUPPORTED (src/capture/mod.rs); keep in step.
SUPPORTED = [1, 113, 276, 0, 108, 101, 12, 14, 228, 229, 9, 50, 104, 129, 239, 242, 105, 127]
INDEX = {lt: i for i, lt in enumerate(SUPPORTED)}
FRAMES_PER_FILE = 40

def save(target, data):
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(corpus, target, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        return 1
    return 0

def pcap_frames(b):
    magic = b[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    if len(b) < 24:
        return
    linktype = struct.unpack(e + "I", b[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(b):
        _, _, caplen, origlen = struct.unpack(e + "IIII", b[off:off + 16])
        data = b[off + 16:off + 16 + caplen]
        if len(data) < caplen:
            return
        yield linktype, data, origlen
        off += 16 + caplen

def pcapng_frames(b):
    off, e, links = 0, "<", []
    while off + 12 <= len(b):
        btype = struct.unpack(e + "I", b[off:off + 4])[0]
        if b[off:off + 4] == b"\x0a\x0d\x0d\x0a":
            e = "<" if b[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype, links = 0x0A0D0D0A, []
        blen = struct.unpack(e + "I", b[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(b):
            return
        body = b[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 2:
            links.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, caplen, origlen = struct.unpack(e + "IIIII", body[:20])
            if iface < len(links):
                yield links[iface], body[20:20 + caplen], origlen
        elif btype == 3 and len(body) >= 4 and links:
            origlen = struct.unpack(e + "I", body[:4])[0]
            yield links[0], body[4:4 + origlen], origlen
        off += blen

files_seeded = frames_seeded = 0
for path in files:
    with open(path, "rb") as f:
        b = f.read()
    files_seeded += save("read_file", b)
    frames = pcapng_frames(b) if b[:4] == b"\x0a\x0d\x0d\x0a" else pcap_frames(b)
    try:
        for n, (linktype, data, origlen) in enumerate(frames):
            if n >= FRAMES_PER_FILE:
                break
            if linktype not in INDEX:
                continue
            wire_extra = max(0, origlen - len(data))
            high = min(14, (wire_extra + 63) // 64)
            frames_seeded += save("decode", bytes([INDEX[linktype], (high << 4) | 0x0F]) + data)
    except struct.error:
        pass
print(f"seed.sh: {files_seeded} new capture files, {frames_seeded} new frames")
PY
for t in read_file decode tracker tracker_mixed; do
    echo "  $t: $(find "$corpus/$t" -type f | wc -l) seeds"
done
