#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time, for MINUTES each (default 10):
#
#   fuzz/run-all.sh 15
#
# Builds the targets (nightly, cargo-fuzz, debug assertions on), seeds the corpora when they
# are empty (fuzz/seed.sh), then keeps each target's log in fuzz/logs/<target>.log. Crashes,
# timeouts and OOMs land in fuzz/artifacts/<target>/; the script lists them and exits 1 when
# there are any. Extra libFuzzer flags can be given in FUZZ_FLAGS.
set -euo pipefail

minutes=${1:-10}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
unset CARGO_TARGET_DIR # cargo-fuzz keeps its builds in fuzz/target
targets=(read_file decode tracker tracker_mixed)

cargo +nightly fuzz build -s none
if [[ -z $(find corpus -type f 2>/dev/null | head -1) ]]; then
    ./seed.sh
fi
mkdir -p logs
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    # Large inputs run slowly: capture files are cut to 16 KiB, frames to 4 KiB (jumbo size).
    case $t in
        read_file) extra=(-max_len=16384) ;;
        decode) extra=(-max_len=4096) ;;
        *) extra=() ;;
    esac
    echo "== $t: $minutes min"
    rm -f fuzz-0.log
    cargo +nightly fuzz run -s none "$t" "corpus/$t" -- \
        -jobs=1 -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 \
        "${extra[@]}" ${FUZZ_FLAGS:-} || true
    mv -f fuzz-0.log "logs/$t.log"
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "logs/$t.log" || tail -n 5 "logs/$t.log"
done

found=$(find artifacts -type f | sort)
if [[ -n $found ]]; then
    echo "findings (minimize with: cargo +nightly fuzz tmin -s none TARGET FILE):"
    echo "$found"
    exit 1
fi
echo "no crash, timeout or OOM"
