#!/usr/bin/env bash
# Peak memory of `handshake-viz read` in every view, on flood captures made here (never
# shipped) and on any capture given, against the 64 MiB bound.
#
# Usage: bench/memcheck.sh [--bin PATH] [--dir DIR] [--tsv FILE] [--views LIST] [--no-floods]
#                          [CAPTURE...]
#
#   --bin PATH   time this binary instead of building the release one
#   --dir DIR    where the flood captures are made and kept (default: .bench/)
#   --tsv FILE   also write the results as tab-separated values (capture, view, seconds,
#                cpu seconds, peak RSS KiB, exit status, verdict)
#   --views LIST only these views, comma-separated (default: all seven, named below)
#   --no-floods  check only the captures given
#   CAPTURE      more captures to check (e.g. the 1 GB one, or files joined with mergecap -a)
#
# The floods (bench/gen_floods.py): 5,000,000 SYNs from distinct source addresses and ports,
# and 1,000,000 ICMP errors quoting random TCP and UDP flows. Views: timeline
# (--no-summary), --json, --summary-only, --view ladder, the pictures (--view ladder --svg
# --html), the full summary (--summary-only --all-conversations), the byte map of every frame
# in 中文 at 100 columns (--bytes --lang zh --width 100); output goes to /dev/null.
# View names: timeline, json, summary-only, ladder, pictures, all-conv, bytes-zh.
# Needs: python3, GNU time (apt-get install -y time).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="" dir=$repo/.bench tsv="" captures=() floods=1
views=(timeline json summary-only ladder pictures all-conv bytes-zh)
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --tsv) tsv=${2:?}; shift 2 ;;
    --views) IFS=, read -r -a views <<<"${2:?}"; shift 2 ;;
    --no-floods) floods=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) captures+=("$1"); shift ;;
  esac
done
[ -x /usr/bin/time ] || { echo "memcheck.sh: needs GNU time: apt-get install -y time" >&2; exit 1; }
if [ -z "$bin" ]; then
  (cd "$repo" && cargo build --release --quiet)
  bin=${CARGO_TARGET_DIR:-$repo/target}/release/handshake-viz
fi
mkdir -p "$dir"
if [ "$floods" = 1 ]; then
  for kind in syn icmp; do
    file=$dir/flood-$kind.pcap
    if [ ! -f "$file" ]; then
      echo "making $file..." >&2
      python3 "$repo/bench/gen_floods.py" "$kind" "$file"
    fi
  done
  captures=("$dir/flood-syn.pcap" "$dir/flood-icmp.pcap" "${captures[@]}")
fi
[ "${#captures[@]}" -gt 0 ] || { echo "memcheck.sh: no capture to check" >&2; exit 1; }
for view in "${views[@]}"; do
  case $view in
    timeline | json | summary-only | ladder | pictures | all-conv | bytes-zh) ;;
    *) echo "memcheck.sh: unknown view '$view' (see --help)" >&2; exit 1 ;;
  esac
done

limit=$((64 * 1024)) failed=0 rows=()
printf '%-28s %-14s %9s %9s %12s  %s\n' capture view seconds cpu_s peak_RSS_MiB verdict
for capture in "${captures[@]}"; do
  for view in "${views[@]}"; do
    case $view in
      timeline) args=(--no-summary) ;;
      json) args=(--json) ;;
      summary-only) args=(--summary-only) ;;
      ladder) args=(--view ladder) ;;
      pictures) args=(--view ladder --svg "$dir/ladder.svg" --html "$dir/ladder.html") ;;
      all-conv) args=(--summary-only --all-conversations) ;;
      bytes-zh) args=(--bytes --lang zh --width 100) ;;
    esac
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" "$bin" read "$capture" "${args[@]}" \
      >/dev/null 2>"$dir/stderr.txt" || rc=$?
    read -r secs user sys rss <"$dir/time.txt"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    verdict=PASS
    [ "$rss" -le "$limit" ] || { verdict=FAIL; failed=1; }
    [ "$rc" = 0 ] || verdict="$verdict (exit $rc)"
    printf '%-28s %-14s %9.2f %9.2f %12.1f  %s\n' "$(basename "$capture")" "$view" "$secs" "$cpu" \
      "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$verdict"
    rows+=("$(basename "$capture")	$view	$secs	$cpu	$rss	$rc	$verdict")
  done
done
if [ -n "$tsv" ]; then
  { printf 'capture\tview\tseconds\tcpu_s\trss_kib\texit\tverdict\n'; printf '%s\n' "${rows[@]}"; } >"$tsv"
fi
exit "$failed"
