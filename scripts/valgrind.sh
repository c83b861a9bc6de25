#!/usr/bin/env bash
# make valgrind: a small run of every mode under memcheck (forked workers
# included): no invalid access, no definite or indirect leak, every fd
# closed.  Exit 0 when all pass.
#   scripts/valgrind.sh BENCH
set -u
bench=${1:-build/valgrind/bench}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
if ! command -v valgrind >/dev/null; then
	echo "valgrind: not installed (apt-get install valgrind)" >&2
	exit 2
fi
# hwloc's x86 backend probes CPUID in ways memcheck does not model
export HWLOC_COMPONENTS=-x86
# the built-in image set, tiny, made in the scratch folder
export BENCH_IMAGES_SIZE=${BENCH_IMAGES_SIZE:-64x48}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export BENCH_CACHE="$scratch/cache"
modes=$("$bench" --help | sed -n '/^Modes:/,$p' | awk '/^  [a-z]/ { print $1 }' | grep -vx mpi)
# tests/valgrind/stb.supp: one known stb 2.27 over-read on corrupt JPEGs, inside libstb only
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-fds=no
    --suppressions="$top/tests/valgrind/stb.supp")
pass=0
fail=0
# check WANT_EXIT NAME ARGS...
check() {
	local want=$1 name=$2 rc
	shift 2
	rm -f "$scratch"/r*.csv
	"${vg[@]}" "$bench" --quiet --no-plots --csv "$scratch/r.csv" "$@" >"$scratch/log" 2>&1
	rc=$?
	if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*== ' "$scratch/log"; then
		pass=$((pass + 1))
		printf '  ok    %s\n' "$name"
	else
		fail=$((fail + 1))
		printf '  FAIL  %s (exit %d, want %d)\n' "$name" "$rc" "$want"
		grep -v '^$' "$scratch/log" | head -40
	fi
}
echo "== valgrind memcheck: $bench"
for m in $modes; do
	check 0 "$m noop" --workload noop --modes "$m" --workers 2 --tasks 20 --reps 1
	check 0 "$m sleep" --workload sleep --modes "$m" --workers 2 --tasks 4 --seconds 0.01 --reps 1
done
check 0 "images (tiny built-in set)" --workload images --modes seq,threadpool,procpool \
	--workers 2 --reps 1 --quick
check 1 "images (damaged inputs)" --workload images --modes seq,procpool --workers 2 --reps 1 \
	--images tests/fuzz/images --out "$scratch/out"
check 1 "procpool crash:1" --workload noop --modes procpool --workers 2 --tasks 6 --reps 1 --inject crash:1
check 1 "fork --task-timeout" --workload sleep --modes fork --tasks 3 --seconds 0.01 --reps 1 \
	--inject hang:1 --task-timeout 1
check 1 "threadpool fail:2" --workload sleep --modes threadpool --workers 2 --tasks 4 --seconds 0.01 \
	--reps 1 --inject fail:2
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
