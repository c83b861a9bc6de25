#!/usr/bin/env bats
# bench demo: every lesson runs scaled down (--time-scale 0.05) and shows
# its claim in its output: orders, the parent finishing first, the error
# surfacing at collection.  Timing checks are coarse.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

demo() {
	run "$BENCH" demo "$@" --time-scale 0.05 --results "$SCRATCH/results"
}

# Line number of the first output line containing $1 (0: none).
line_of() {
	local n
	n=$(grep -n -m1 -F -- "$1" <<<"$output" | cut -d: -f1)
	echo "${n:-0}"
}

# The first "measured X s" figure after the first line containing $1.
measured_after() {
	awk -v key="$1" 'index($0, key) { seen = 1 }
		seen && match($0, /measured [0-9.]+ s/) { print substr($0, RSTART + 9, RLENGTH - 11); exit }' <<<"$output"
}

# awk as a calculator: true when the expression holds.
holds() {
	awk "BEGIN { exit !($1) }"
}

@test "demo --list lists the sixteen lessons" {
	run "$BENCH" demo --list
	[ "$status" -eq 0 ]
	[ "$(grep -cE '^ +[0-9]+  [a-z-]+ ' <<<"$output")" -eq 16 ]
	[[ "$output" == *"no-join"* ]]
	[[ "$output" == *"gil"* ]]
}

@test "demo rejects an unknown lesson with status 2" {
	run "$BENCH" demo nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown lesson 'nosuch'"* ]]
	run "$BENCH" demo 17
	[ "$status" -eq 2 ]
}

@test "lesson 1: two sequential calls, the second starts after the first is done" {
	demo 1
	[ "$status" -eq 0 ]
	[ "$(line_of 'task 0: done sleeping')" -lt "$(line_of 'task 1: sleeping')" ]
	[[ "$output" == *"finished in"* ]]
	[[ "$output" == *"timeline"* ]]
	[[ "$output" == *"lesson:"* ]]
	holds "$(measured_after 'ideal') >= 0.09"
}

@test "lesson 2: the parent finishes before its children, and none is left behind" {
	demo no-join
	[ "$status" -eq 0 ]
	parent=$(line_of 'parent: finished in')
	[ "$parent" -gt 0 ]
	[ "$parent" -lt "$(line_of 'task 0: done sleeping')" ]
	[ "$parent" -lt "$(line_of 'task 1: done sleeping')" ]
	# the children were reaped: their pids are gone
	for pid in $(grep -o 'pid [0-9]*' <<<"$output" | cut -d' ' -f2); do
		if kill -0 "$pid" 2>/dev/null; then
			echo "pid $pid still exists" >&2
			false
		fi
	done
}

@test "lesson 3: with join the parent finishes last, in about one task's time" {
	demo 3
	[ "$status" -eq 0 ]
	parent=$(line_of 'parent: finished in')
	[ "$parent" -gt "$(line_of 'task 0: done sleeping')" ]
	[ "$parent" -gt "$(line_of 'task 1: done sleeping')" ]
	holds "$(measured_after 'ideal') < 0.09"
}

@test "lesson 4: ten at once take about one task; joining in the loop serializes them" {
	demo loop
	[ "$status" -eq 0 ]
	together=$(measured_after 'start all, then join all')
	serial=$(measured_after 'join inside the loop')
	holds "$together < 0.25"
	holds "$serial >= 0.45"
	holds "$serial > 2 * $together"
	[ "$(grep -c 'done sleeping' <<<"$output")" -eq 20 ]
}

@test "lesson 5: ten processes get their argument (1.5 s, scaled)" {
	demo 5
	[ "$status" -eq 0 ]
	[ "$(grep -c 'done sleeping 0.075 s' <<<"$output")" -eq 10 ]
}

@test "lesson 6: result() hands back the task's message" {
	demo submit
	[ "$status" -eq 0 ]
	[[ "$output" == *'f1.result() -> "done sleeping'* ]]
}

@test "lesson 7: ten tasks on four workers take three rounds" {
	demo 7
	[ "$status" -eq 0 ]
	[[ "$output" == *"ceil(10/4) = 3 rounds"* ]]
	[ "$(grep -o 'completion order:.*' <<<"$output" | wc -w)" -eq 12 ]
	holds "$(measured_after 'ideal 0.150 s') >= 0.14"
}

@test "lesson 7 with --workers 10: one round" {
	demo 7 --workers 10
	[ "$status" -eq 0 ]
	[[ "$output" == *"ceil(10/10) = 1 round"* ]]
	holds "$(measured_after 'ideal') < 0.12"
}

@test "lesson 8: results in finishing order; the 1 s task waits for a worker" {
	demo completion-order
	[ "$status" -eq 0 ]
	order=$(grep -o 'completion order:.*' <<<"$output")
	[[ "$order" == "completion order: 3 "* ]]
	[[ "$order" == *" 1 0" ]]
	[[ "$output" == *"task 4 (1.0 s) waited for a free worker"* ]]
	holds "$(measured_after 'ideal') < 0.4"
}

@test "lesson 9: map returns in submission order though tasks finish in another" {
	demo map
	[ "$status" -eq 0 ]
	[[ "$output" == *"map returned: 0 1 2 3 4"* ]]
	[[ "$(grep -o 'finished in this order:.*' <<<"$output")" == "finished in this order: 3 "* ]]
	for i in 0 1 2 3; do
		[ "$(line_of "task $i: done")" -lt "$(line_of "task $((i + 1)): done")" ]
	done
}

@test "lesson 10: a task's error surfaces when its result is collected" {
	demo exceptions
	[ "$status" -eq 0 ]
	surfaced=$(line_of 'task 2: error surfaced here')
	[ "$surfaced" -gt "$(line_of 'task 1: done sleeping')" ]
	[ "$surfaced" -gt "$(line_of 'task 2: sleeping')" ]
	[ "$(line_of 'task 3: done')" -eq 0 ]
	[[ "$output" == *"run status: failed (1 of 4 tasks failed)"* ]]
	times=$(grep -o 'inside task 2 at [0-9.]* s but surfaced only at [0-9.]* s' <<<"$output")
	failed_at=$(awk '{ print $5 }' <<<"$times")
	surfaced_at=$(awk '{ print $11 }' <<<"$times")
	holds "$failed_at < $surfaced_at"
}

@test "lesson 11: leaving the with block waits for every task" {
	demo with
	[ "$status" -eq 0 ]
	[[ "$output" == *"6 of 6 tasks had finished"* ]]
}

@test "lessons 12-14: the images pipeline runs, or says why it is skipped" {
	run "$BENCH" demo 12 13 14 --quick --time-scale 0.05 --results "$SCRATCH/results" \
		--out "$SCRATCH/processed"
	[ "$status" -eq 0 ]
	if [[ "$output" == *"skipped:"* ]]; then
		skip "images workload not in this build"
	fi
	[ "$(grep -c 'processed [0-9]* images in' <<<"$output")" -eq 3 ]
	[[ "$output" == *"the speed of lesson 12"* ]]
}

@test "lesson 15: measures sleep, io and cpu and prints a verdict" {
	demo rule
	[ "$status" -eq 0 ]
	[[ "$output" == *"verdict on this machine"* ]]
	for w in sleep io cpu; do
		grep -qE "^  $w +[0-9.]+ s" <<<"$output"
	done
	[ -z "$(ls "$SCRATCH/results" 2>/dev/null | grep '^io-')" ]
}

@test "lesson 16: gil and pthread side by side on cpu and sleep, results checked" {
	demo gil
	[ "$status" -eq 0 ]
	grep -qE '^  cpu +[0-9.]+ s' <<<"$output"
	grep -qE '^  sleep +[0-9.]+ s' <<<"$output"
	[[ "$output" == *"(checked)"* ]]
	[[ "$output" == *"cpu under gil"* ]]
}

@test "demo with no lesson runs all sixteen without pausing when piped" {
	run "$BENCH" demo --quick --time-scale 0.05 --results "$SCRATCH/results" \
		--out "$SCRATCH/processed" </dev/null
	[ "$status" -eq 0 ]
	[ "$(grep -c '^== lesson' <<<"$output")" -eq 16 ]
	[[ "$output" != *"press Enter"* ]]
}
