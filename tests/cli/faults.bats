#!/usr/bin/env bats
# Faults the harness must survive, in every mode: a failing task, a dying
# worker (SIGSEGV, abort, _exit, SIGKILL from outside), a hung task with
# --task-timeout.  Each run is watched by procwatch.py: bench must exit on
# its own and leave no process behind.

load reliability

setup() { setup_scratch; }
teardown() { teardown_scratch; }

THREAD_MODES="seq pthread threadpool"
PROCESS_MODES="fork procpool"

# run_watched ARGS...: bench under procwatch, quiet, CSV in $SCRATCH/r.csv
run_watched() {
	run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --warmup 0 --reps 3 --quiet --no-plots \
		--csv "$SCRATCH/r.csv" "$@"
}

# status and message of task I in the tasks file
task_status() {
	csvq "$SCRATCH/r-tasks.csv" task status | awk -F'\t' -v i="$1" '$1 == i { print $2 }'
}
task_message() {
	csvq "$SCRATCH/r-tasks.csv" task message | awk -F'\t' -v i="$1" '$1 == i { print $2 }'
}

@test "fail: the task is recorded failed, the others finish, exit 1 (every mode)" {
	modes="$THREAD_MODES $PROCESS_MODES"
	"$BENCH" --help | grep -q '^  gil ' && modes="$modes gil"
	for m in $modes; do
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload sleep --modes "$m" --workers 2 --tasks 5 --seconds 0.02 \
			--reps 1 --inject fail:2
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ] || { echo "$m: $output"; false; }
		[ "$(task_status 2)" = failed ]
		[ "$(task_message 2)" = "injected failure" ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')" -eq 4 ]
		[ "$(csvq "$SCRATCH/r.csv" status)" = failed ]
		[ "$(csvq "$SCRATCH/r.csv" completed failed)" = "4	1" ]
	done
}

@test "crash: SIGSEGV in a worker marks its task, the others finish (fork, procpool)" {
	for m in $PROCESS_MODES; do
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload sleep --modes "$m" --workers 2 --tasks 6 --seconds 0.02 \
			--reps 1 --inject crash:3
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ]
		[ "$(task_status 3)" = crashed ]
		[[ "$(task_message 3)" == *"killed by SIGSEGV"* ]]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')" -eq 5 ]
		[[ "$output" == *"task 3 crashed"* ]]
	done
	# no core file dropped in the working directory
	[ -z "$(ls core* 2>/dev/null)" ]
}

@test "abort and _exit mid-task are named in the task's message (fork, procpool)" {
	for m in $PROCESS_MODES; do
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload noop --modes "$m" --workers 2 --tasks 8 --reps 1 --inject abort:0
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ]
		[ "$(task_status 0)" = crashed ]
		[[ "$(task_message 0)" == *"SIGABRT"* ]]
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload noop --modes "$m" --workers 2 --tasks 8 --reps 1 --inject exit:7
		assert_nothing_left
		[ "$(task_status 7)" = crashed ]
		[[ "$(task_message 7)" == *"exited with code 3"* ]]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')" -eq 7 ]
	done
}

@test "procpool replaces a dead worker: one worker, task 0 crashes, tasks 1-5 still run" {
	run_watched --workload noop --modes procpool --workers 1 --tasks 6 --reps 1 --inject crash:0
	assert_nothing_left
	[ "$(watch_val exit)" -eq 1 ]
	[ "$(task_status 0)" = crashed ]
	[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')" -eq 5 ]
	# the tasks after the crash ran in another process than task 0
	dead=$(csvq "$SCRATCH/r-tasks.csv" task pid | awk -F'\t' '$1 == 0 { print $2 }')
	[ "$(csvq "$SCRATCH/r-tasks.csv" task pid | awk -F'\t' -v d="$dead" '$1 > 0 && $2 == d' | wc -l)" -eq 0 ]
}

@test "SIGKILL from outside: the worker's task is crashed, the pool finishes the rest" {
	for m in $PROCESS_MODES; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 60 --when children:2 --signal KILL --to worker -- \
			"$BENCH" --warmup 0 --reps 3 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload sleep --modes "$m" \
			--workers 2 --tasks 6 --seconds 1
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^crashed$')" -ge 1 ]
		[[ "$(csvq "$SCRATCH/r-tasks.csv" message)" == *"killed by SIGKILL"* ]]
		[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 18 ]   # 3 reps x 6 tasks
	done
}

@test "crash, abort and exit are refused in thread modes before anything runs (exit 2)" {
	for m in $THREAD_MODES all; do
		for k in crash abort exit; do
			run "$BENCH" --warmup 0 --reps 3 --quiet --csv "$SCRATCH/r.csv" --workload noop --modes "$m" \
				--tasks 4 --inject "$k:1"
			[ "$status" -eq 2 ]
			[[ "$output" == *"--inject $k:1"* ]]
			[[ "$output" == *"fork,procpool"* ]]
			[ ! -e "$SCRATCH/r.csv" ]
		done
	done
}

@test "--inject names a task that does not exist: usage error" {
	run "$BENCH" --warmup 0 --reps 3 --quiet --csv "$SCRATCH/r.csv" --workload noop --modes seq --tasks 4 --inject fail:4
	[ "$status" -eq 2 ]
	[[ "$output" == *"no task 4"* ]]
	[[ "$output" == *"0 to 3"* ]]
}

@test "--task-timeout kills a hung task in fork and procpool; the rest finish" {
	for m in $PROCESS_MODES; do
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload sleep --modes "$m" --workers 2 --tasks 5 --seconds 0.05 \
			--reps 2 --inject hang:1 --task-timeout 0.5
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^timeout$')" -eq 2 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')" -eq 8 ]
		[[ "$(task_message 1)" == *"timed out after 0.5 s"* ]]
		[ "$(csvq "$SCRATCH/r.csv" status | sort -u)" = failed ]
	done
}

@test "--task-timeout in thread modes abandons the run: rows written, then bench stops" {
	modes=$THREAD_MODES
	"$BENCH" --help | grep -q '^  gil ' && modes="$modes gil"
	for m in $modes; do
		rm -f "$SCRATCH"/r*.csv
		run_watched --workload sleep --modes "$m" --workers 2 --tasks 5 --seconds 0.05 \
			--reps 3 --inject hang:1 --task-timeout 0.5
		assert_nothing_left
		[ "$(watch_val exit)" -eq 1 ] || { echo "$m: $output"; false; }
		[[ "$output" == *"threads cannot be killed"* ]]
		# one run recorded (abandoned), with all its task rows; no later run
		[ "$(csvq "$SCRATCH/r.csv" status)" = abandoned ]
		[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 5 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^timeout$')" -eq 1 ]
	done
}

@test "a hung task without --task-timeout still ends on Ctrl-C (thread and process modes)" {
	for m in threadpool procpool; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 30 --when delay:1 --signal INT -- \
			"$BENCH" --warmup 0 --reps 3 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload noop \
			--modes "$m" --workers 2 --tasks 4 --inject hang:2
		assert_nothing_left
		[ "$(watch_val exit)" -eq 130 ]
		[ "$(csvq "$SCRATCH/r.csv" status)" = interrupted ]
	done
}
