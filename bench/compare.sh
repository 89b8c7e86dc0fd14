#!/usr/bin/env bash
# Speed and memory of `handshake-viz read` on one capture, against the bare libpcap read loop
# and tcpdump, measured in one sitting so that the ratios are comparable.
#
# Usage: bench/compare.sh [OPTIONS] CAPTURE
#
#   CAPTURE            a pcap or pcapng file (any size); it is read, never written.
#   -n, --runs N       runs of each command (default 3); the runs are interleaved
#                      (libpcap loop, summary, timeline, JSON, tcpdump, then again)
#   -t, --timeout S    bound on one run in seconds (default 600); a run past it is killed
#                      and counted as TIMEOUT
#   --make MB SECONDS  if CAPTURE does not exist yet, make it first with
#                      ../shared/bench/make-big-pcap.sh CAPTURE MB SECONDS (needs root;
#                      e.g. `--make 1000 570` for ~1 GB in ~7.5 min, `--make 100 120`)
#   --bin PATH         time this handshake-viz binary instead of building the release one
#   --no-build         do not run cargo; use the release binary already built
#   --tsv FILE         also write the results as tab-separated values to FILE ('-': stdout,
#                      and the table goes to stderr)
#   --strict           exit with status 2 when a target FAILs
#   -h, --help         show this help
#
# Commands timed (all output to /dev/null, page cache warmed first):
#   libpcap-loop   ../shared/bench/pcap_count.c built with `cc -O2 ... -lpcap`
#   summary-only   handshake-viz read CAPTURE --summary-only
#   timeline       handshake-viz read CAPTURE --no-summary
#   json           handshake-viz read CAPTURE --json --no-summary
#   tcpdump        TZ=UTC tcpdump -nn -r CAPTURE
#
# Printed: median, min and max wall-clock seconds and peak RSS (GNU time %M, largest of the
# runs) of each command, then the targets with PASS/FAIL:
#   summary-only / libpcap-loop <= 2      tcpdump / timeline >= 3      tcpdump / json >= 1
#   peak RSS <= 64 MiB for summary-only, timeline and json
# The ratios are of wall-clock medians; the same ratios of CPU time (user + system) are shown
# beside them, steadier when other work shares the machine.
# A figure that involves a run cut by the timeout is marked TIMEOUT instead (a failure too).
# A command that exits non-zero (e.g. on a damaged capture) is still timed; its status says so.
#
# TSV columns: kind, name, value, unit, target, verdict. Kinds: `info` (capture, packets,
# runs...), `run` (one run: name#i, wall seconds; verdict ok / exit N / TIMEOUT), `run-cpu`
# (user + system seconds), `run-rss` (KiB), `median`, `min`, `max` (wall seconds), `cpu`
# (median CPU seconds), `rss` (largest peak RSS, KiB), `ratio` (of wall medians, the targets),
# `ratio-cpu` (the same of CPU medians: steadier on a busy machine, not a target).
#
# Needs: cargo, cc, libpcap headers, tcpdump, GNU time (`apt-get install -y time`).
# Absolute times drift between machines and runs; compare the ratios of one sitting.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$repo/../shared/bench

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() {
  echo "compare.sh: $*" >&2
  exit 1
}

runs=3 timeout_s=600 make_mb="" make_s="" bin="" build=1 tsv="" strict=0 capture=""
while [ $# -gt 0 ]; do
  case $1 in
    -n | --runs) runs=${2:?}; shift 2 ;;
    -t | --timeout) timeout_s=${2:?}; shift 2 ;;
    --make) make_mb=${2:?}; make_s=${3:?}; shift 3 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    --tsv) tsv=${2:?}; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$capture" ] || die "one capture only"; capture=$1; shift ;;
  esac
done
[ -n "$capture" ] || { usage >&2; exit 1; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive integer"
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || die "--timeout needs a positive number of seconds"
for tool in tcpdump cc timeout; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
[ -x /usr/bin/time ] || die "needs GNU time: apt-get install -y time"

# Table to stdout, unless the TSV goes there.
if [ "$tsv" = - ]; then exec 3>&2; else exec 3>&1; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hvb-compare.XXXXXX")
child="" # the running child: a timed run leads its own process group, the maker does not
group=0
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  if [ -n "$child" ]; then
    if [ "$group" = 1 ]; then kill -TERM -- "-$child" 2>/dev/null || true; fi
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "compare.sh: interrupted" >&2; exit 130' INT TERM HUP

# ---------------------------------------------------------------- capture
if [ ! -e "$capture" ]; then
  [ -n "$make_mb" ] || die "$capture does not exist (give --make MB SECONDS to make it)"
  [ "$(id -u)" = 0 ] || die "making a capture needs root (network namespaces)"
  echo "making $capture (${make_mb} MB, at most ${make_s} s)..." >&2
  "$shared/make-big-pcap.sh" "$capture" "$make_mb" "$make_s" >"$work/make.log" 2>&1 &
  child=$!
  wait "$child" || { tail -20 "$work/make.log" >&2; die "make-big-pcap.sh failed"; }
  child=""
fi
if [ ! -f "$capture" ] || [ ! -r "$capture" ]; then
  die "cannot read $capture (a regular file is needed: it is read several times)"
fi

# ---------------------------------------------------------------- build
target=${CARGO_TARGET_DIR:-$repo/target}
mkdir -p "$target"
loop=$target/pcap_count
cc -O2 -o "$loop" "$shared/pcap_count.c" -lpcap || die "cannot build the libpcap loop"
if [ -z "$bin" ]; then
  if [ "$build" = 1 ]; then
    (cd "$repo" && cargo build --release --quiet) || die "cargo build --release failed"
  fi
  bin=$target/release/handshake-viz
fi
[ -x "$bin" ] || die "no binary at $bin"

names=(libpcap-loop summary-only timeline json tcpdump)

# One run of NAME: wall seconds and peak RSS (KiB) into the result files; bounded by the timeout.
run_one() {
  local name=$1 i=$2 t0 t1 status=ok rc=0
  local -a cmd
  case $name in
    libpcap-loop) cmd=("$loop" "$capture") ;;
    summary-only) cmd=("$bin" read "$capture" --summary-only) ;;
    timeline) cmd=("$bin" read "$capture" --no-summary) ;;
    json) cmd=("$bin" read "$capture" --json --no-summary) ;;
    tcpdump) cmd=(env TZ=UTC tcpdump -nn -r "$capture") ;;
  esac
  t0=$(date +%s.%N)
  # In a session of its own, so that an interrupt can end the whole run (time, timeout, command).
  setsid -w /usr/bin/time -f '%U %S %M' -o "$work/rss" timeout -k 5 "$timeout_s" "${cmd[@]}" \
    >/dev/null 2>"$work/stderr" &
  child=$! group=1
  wait "$child" || rc=$?
  child="" group=0
  t1=$(date +%s.%N)
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    status=TIMEOUT
  elif [ "$rc" != 0 ]; then
    status="exit $rc"
    sed 's/^/    /' "$work/stderr" | tail -3 >&2
  fi
  local line user=0 sys=0 rss=0 wall cpu
  # The last line of time's output (a killed command adds a line before it).
  line=$(grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$work/rss" | tail -1 || true)
  [ -z "$line" ] || read -r user sys rss <<<"$line"
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$wall" "$rss" "$status" "$cpu" >>"$work/runs.tsv"
  printf '  %-13s run %d/%d  %8.3f s  cpu %8.2f s  %8.1f MiB  %s\n' "$name" "$i" "$runs" \
    "$wall" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$status" >&2
}

# ---------------------------------------------------------------- measure
size=$(stat -c %s "$capture")
echo "warming the page cache ($(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }'))..." >&2
cat "$capture" >/dev/null
packets=$(timeout "$timeout_s" "$loop" "$capture" | awk '{ print $1 }')
: >"$work/runs.tsv"
for ((i = 1; i <= runs; i++)); do
  for name in "${names[@]}"; do run_one "$name" "$i"; done
done

# ---------------------------------------------------------------- report
# Median of the runs of one command; a TIMEOUT run counts as the timeout itself.
stat_of() { # NAME median|min|max|cpu|rss|status
  awk -F'\t' -v n="$1" -v what="$2" -v lim="$timeout_s" '
    $1 == n { s = ($4 == "TIMEOUT") ? lim : (what == "cpu") ? $5 : $2; v[++k] = s
              if ($3 > rss) rss = $3
              if ($4 != "ok" && bad != "TIMEOUT") bad = $4 }
    END {
      if (what == "rss") { print rss + 0; exit }
      if (what == "status") { print (bad == "" ? "ok" : bad); exit }
      for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      if (what == "min") print v[1]
      else if (what == "max") print v[k]
      else if (k % 2) print v[(k + 1) / 2]
      else printf "%.3f\n", (v[k / 2] + v[k / 2 + 1]) / 2
    }' "$work/runs.tsv"
}
verdict() { # VALUE OP LIMIT
  awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    ok = (op == "<=") ? (v <= l) : (v >= l); print ok ? "PASS" : "FAIL" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a / b; else print "n/a" }'; }

declare -A med cpu rss status
for name in "${names[@]}"; do
  med[$name]=$(stat_of "$name" median)
  cpu[$name]=$(stat_of "$name" cpu)
  rss[$name]=$(stat_of "$name" rss)
  status[$name]=$(stat_of "$name" status)
done
r_summary=$(ratio "${med[summary-only]}" "${med[libpcap-loop]}")
r_timeline=$(ratio "${med[tcpdump]}" "${med[timeline]}")
r_json=$(ratio "${med[tcpdump]}" "${med[json]}")
c_summary=$(ratio "${cpu[summary-only]}" "${cpu[libpcap-loop]}")
c_timeline=$(ratio "${cpu[tcpdump]}" "${cpu[timeline]}")
c_json=$(ratio "${cpu[tcpdump]}" "${cpu[json]}")
rss_limit=$((64 * 1024))
failed=0

{
  echo
  echo "capture: $capture ($size bytes, $packets packets); $runs runs each, $(date -u +%FT%TZ)"
  echo "binary:  $bin"
  printf '%-13s %9s %9s %9s %9s %12s  %s\n' command median_s min_s max_s cpu_s \
    peak_RSS_MiB status
  for name in "${names[@]}"; do
    printf '%-13s %9.3f %9.3f %9.3f %9.2f %12.1f  %s\n' "$name" "${med[$name]}" \
      "$(stat_of "$name" min)" "$(stat_of "$name" max)" "${cpu[$name]}" \
      "$(awk -v k="${rss[$name]}" 'BEGIN { print k / 1024 }')" "${status[$name]}"
  done
  echo
  printf '%-34s %9s %9s %9s  %s\n' target measured cpu limit verdict
} >&3
# A figure that involves a run cut by the timeout proves nothing either way: TIMEOUT.
check() { # LABEL VALUE OP LIMIT SHOWN_VALUE SHOWN_CPU_VALUE SHOWN_LIMIT COMMAND...
  local v name
  v=$(verdict "$2" "$3" "$4")
  for name in "${@:8}"; do
    [ "${status[$name]}" != TIMEOUT ] || v=TIMEOUT
  done
  printf '%-34s %9s %9s %9s  %s\n' "$1" "$5" "$6" "$3 $7" "$v" >&3
  echo "$v"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f\n", k / 1024 }'; }
v_summary=$(check "summary-only / libpcap-loop (x)" "$r_summary" "<=" 2 "$r_summary" "$c_summary" 2 \
  summary-only libpcap-loop)
v_timeline=$(check "tcpdump / timeline (x)" "$r_timeline" ">=" 3 "$r_timeline" "$c_timeline" 3 \
  tcpdump timeline)
v_json=$(check "tcpdump / json (x)" "$r_json" ">=" 1 "$r_json" "$c_json" 1 \
  tcpdump json)
declare -A v_rss
for name in summary-only timeline json; do
  v_rss[$name]=$(check "peak RSS $name (MiB)" "${rss[$name]}" "<=" "$rss_limit" \
    "$(mib "${rss[$name]}")" - 64 "$name")
done
for v in "$v_summary" "$v_timeline" "$v_json" "${v_rss[@]}"; do
  [ "$v" = PASS ] || failed=1
done

if [ -n "$tsv" ]; then
  {
    printf 'kind\tname\tvalue\tunit\ttarget\tverdict\n'
    printf 'info\tcapture\t%s\tpath\t-\t-\n' "$capture"
    printf 'info\tbytes\t%s\tbytes\t-\t-\n' "$size"
    printf 'info\tpackets\t%s\tpackets\t-\t-\n' "$packets"
    printf 'info\truns\t%s\tcount\t-\t-\n' "$runs"
    printf 'info\tbinary\t%s\tpath\t-\t-\n' "$bin"
    printf 'info\tdate\t%s\tutc\t-\t-\n' "$(date -u +%FT%TZ)"
    declare -A seen=()
    while IFS=$'\t' read -r name secs kib st cpus; do
      seen[$name]=$((${seen[$name]:-0} + 1))
      printf 'run\t%s#%d\t%s\ts\t-\t%s\n' "$name" "${seen[$name]}" "$secs" "$st"
      printf 'run-cpu\t%s#%d\t%s\ts\t-\t%s\n' "$name" "${seen[$name]}" "$cpus" "$st"
      printf 'run-rss\t%s#%d\t%s\tKiB\t-\t%s\n' "$name" "${seen[$name]}" "$kib" "$st"
    done <"$work/runs.tsv"
    for name in "${names[@]}"; do
      printf 'median\t%s\t%s\ts\t-\t%s\n' "$name" "${med[$name]}" "${status[$name]}"
      printf 'min\t%s\t%s\ts\t-\t-\n' "$name" "$(stat_of "$name" min)"
      printf 'max\t%s\t%s\ts\t-\t-\n' "$name" "$(stat_of "$name" max)"
      printf 'cpu\t%s\t%s\ts\t-\t-\n' "$name" "${cpu[$name]}"
      case $name in
        summary-only | timeline | json)
          printf 'rss\t%s\t%s\tKiB\t<=%s\t%s\n' "$name" "${rss[$name]}" "$rss_limit" "${v_rss[$name]}" ;;
        *) printf 'rss\t%s\t%s\tKiB\t-\t-\n' "$name" "${rss[$name]}" ;;
      esac
    done
    printf 'ratio\tsummary-only/libpcap-loop\t%s\tx\t<=2\t%s\n' "$r_summary" "$v_summary"
    printf 'ratio\ttcpdump/timeline\t%s\tx\t>=3\t%s\n' "$r_timeline" "$v_timeline"
    printf 'ratio\ttcpdump/json\t%s\tx\t>=1\t%s\n' "$r_json" "$v_json"
    printf 'ratio-cpu\tsummary-only/libpcap-loop\t%s\tx\t-\t-\n' "$c_summary"
    printf 'ratio-cpu\ttcpdump/timeline\t%s\tx\t-\t-\n' "$c_timeline"
    printf 'ratio-cpu\ttcpdump/json\t%s\tx\t-\t-\n' "$c_json"
  } >"$([ "$tsv" = - ] && echo /dev/stdout || echo "$tsv")"
fi

[ "$strict" = 1 ] && [ "$failed" = 1 ] && exit 2
exit 0
