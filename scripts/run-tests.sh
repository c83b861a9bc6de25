#!/usr/bin/env bash
# Run every test: the cmocka unit tests, then the bats CLI tests.
# Ends with one line "N passed, N failed" (both suites added up), with
# ", N skipped" after it when some tests skipped (bats "# skip").
#   scripts/run-tests.sh BUILD_DIR
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
passed=0
failed=0
skipped=0
unit_skips=''
unit_skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests (cmocka)"
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	k=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0}
	f=${f:-0}
	k=${k:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1   # crashed before cmocka could count
	fi
	if ! grep -q '^\[==========\] [0-9]* test(s) run\.' "$log" && [ "$f" -eq 0 ]; then
		f=1   # ended (exit 0 or not) before cmocka's summary: tests went uncounted
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
	unit_skipped=$((unit_skipped + k))
	if [ "$k" -ne 0 ]; then
		unit_skips+="  $(basename "$t"): $(sed -n 's/^\[  SKIPPED \] \([^0-9].*\)/\1/p' "$log" |
			sort -u | tr '\n' ' ')(cmocka skip())"$'\n'
	fi
	if [ "$f" -ne 0 ]; then
		cat "$log"
	fi
	printf '  %-28s %3d passed, %d failed%s\n' "$(basename "$t")" "$p" "$f" \
		"$([ "$k" -ne 0 ] && echo ", $k skipped")"
done

echo "== CLI tests (bats)"
BENCH="$top/$build/bench" bats --tap tests/cli >"$log" 2>&1
rc=$?
cat "$log"
p=$(grep '^ok ' "$log" | grep -vc ' # skip')
s=$(grep '^ok ' "$log" | grep -c ' # skip')
f=$(grep -c '^not ok ' "$log")
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -1)
if [ -z "$planned" ]; then
	f=$((f + 1))   # bats itself failed
elif [ $((p + s + f)) -lt "$planned" ]; then
	# bats stopped (killed, say) before the plan's end: what never ran failed
	echo "bats reported $((p + s + f)) of the $planned tests it planned (status $rc)"
	f=$((f + planned - p - s - f))
elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
	f=1   # bats failed though every test it reported passed
fi
passed=$((passed + p))
skipped=$((skipped + s))
failed=$((failed + f))

# the skipped tests and why (the reasons, counted) just above the last line,
# so that no suite (mpi without Open MPI, say) skips unseen; the last line
# itself is the plain count every CI reads
if [ "$skipped" -gt 0 ]; then
	echo "skipped:"
	printf '%s' "$unit_skips"
	grep '^ok .* # skip' "$log" | sed 's/^ok [0-9]* /  /'
	why=$(sed -n 's/^ok .* # skip *//p' "$log" | sort | uniq -c | sort -rn |
		awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%s x%d", sep, $0, n; sep = "; " }')
	if [ "$unit_skipped" -gt 0 ]; then
		why="unit tests (cmocka skip()) x$unit_skipped${why:+; $why}"
	fi
	echo "skipped, by reason: $why"
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
