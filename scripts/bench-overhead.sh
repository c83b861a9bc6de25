#!/usr/bin/env bash
# make bench: per-task harness overhead of each mode, next to the Python
# peer (scripts/peers/overhead.py, in this repository) measured on this
# machine in the same run, printed as ratios.
#   scripts/bench-overhead.sh BUILD/bench
# BENCH_PEERS=DIR takes overhead.py from another folder.
set -eu
bench=${1:-build/bench}
top=$(cd "$(dirname "$0")/.." && pwd)
peer=${BENCH_PEERS:-$top/scripts/peers}/overhead.py
exec python3 "$top/scripts/bench_overhead.py" "$bench" "$peer"
