#!/usr/bin/env bash
# make bench: per-task harness overhead of each mode, next to the Python
# peer (../shared/peers/py_overhead.py) measured on this machine in the
# same run, printed as ratios.
#   scripts/bench-overhead.sh BUILD/bench
set -eu
bench=${1:-build/bench}
top=$(cd "$(dirname "$0")/.." && pwd)
peer=${BENCH_PEERS:-$top/../shared/peers}/py_overhead.py
exec python3 "$top/scripts/bench_overhead.py" "$bench" "$peer"
