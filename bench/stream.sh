#!/usr/bin/env bash
# Streaming benchmark: the same 1000 connections in captures of growing size. Throughput should
# stay flat and peak memory (max RSS) should not grow with the number of packets.
# Usage: bench/stream.sh [SIZES_MIB...]   (default: 64 256 1024); files go to .bench/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes=("${@:-64 256 1024}")
read -r -a sizes <<<"${sizes[*]}"
[ -x /usr/bin/time ] || { echo "bench/stream.sh needs GNU time: apt-get install -y time" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/handshake-viz
mkdir -p .bench
printf '%8s %10s %10s %10s %12s %12s\n' "MiB" "packets" "seconds" "MiB/s" "packets/s" "max RSS MiB"
for mib in "${sizes[@]}"; do
  file=.bench/stream-$mib.pcap
  [ -f "$file" ] || python3 bench/gen_pcap.py "$file" "$mib" 1000
  # Time and memory of the full report (timeline to /dev/null, then the summary).
  /usr/bin/time -f '%e %M' -o .bench/time.txt "$bin" read "$file" --color never >/dev/null
  read -r secs rss_kib <.bench/time.txt
  packets=$("$bin" read "$file" --json --no-summary | wc -l)
  awk -v m="$mib" -v p="$packets" -v s="$secs" -v r="$rss_kib" 'BEGIN {
    printf "%8d %10d %10.2f %10.1f %12.0f %12.1f\n", m, p, s, m / s, p / s, r / 1024 }'
done
