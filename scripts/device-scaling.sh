#!/usr/bin/env bash
# One prepared scaling run for a bigger machine that has none of our Debian
# libraries: carry build/static/bench (make static) and run
#   scripts/device-scaling.sh BENCH OUTDIR
# It writes OUTDIR/scaling.csv (+ -tasks.csv), OUTDIR/machine.json and a log.
# Draw its charts back home with: bench --plots-only OUTDIR/scaling.csv
set -u
bench=${1:-build/static/bench}
out=${2:-results/scaling}
mkdir -p "$out"
export BENCH_CACHE=${BENCH_CACHE:-/tmp/bench-cache}
csv=$out/scaling.csv
common=(--csv "$csv" --no-plots --quiet --workers 1,2,4,8,16 --results "$out")
log() { echo "== $(date +%T) $*"; }

log machine
"$bench" machine | tee "$out/machine.txt"
"$bench" machine --json >"$out/machine.json"
log sleep
"$bench" --workload sleep --modes all --tasks 16 --seconds 0.25 --reps 2 "${common[@]}"
log cpu
"$bench" --workload cpu --modes all --tasks 32 --work 2 --reps 2 "${common[@]}"
log images
"$bench" --workload images --modes all --reps 3 --out /tmp/bench-processed "${common[@]}"
log done
