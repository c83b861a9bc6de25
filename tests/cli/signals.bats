#!/usr/bin/env bats
# SIGINT / SIGTERM / SIGKILL mid-run: bench stops handing out tasks, kills
# and reaps its workers, keeps the rows already written (the interrupted
# run's finished tasks too), exits 130 / 143, and leaves nothing behind.
# Signals go to the whole process group, as a terminal's Ctrl-C does.

load reliability

setup() { setup_scratch; }
teardown() { teardown_scratch; }

# watch COND SIGNALS ARGS...: bench under procwatch with a quiet CSV run
watch() {
	local when=$1 sigs=$2
	shift 2
	run python3 "$PROCWATCH" --limit 60 --when "$when" --signal "$sigs" -- \
		"$BENCH" --warmup 0 --reps 3 --quiet --no-plots --csv "$SCRATCH/r.csv" "$@"
}

@test "SIGINT mid-run in every mode: exit 130, earlier rows kept, the run recorded interrupted" {
	for m in seq pthread fork threadpool procpool; do
		rm -f "$SCRATCH"/r*.csv
		# cpu (tiny) runs first and finishes; the sleep run (4 x 3 s) is interrupted
		watch delay:1.5 INT --workload cpu,sleep --work 0.01 --modes "$m" --workers 2 --tasks 4 \
			--seconds 3 --reps 1
		assert_nothing_left
		[ "$(watch_val exit)" -eq 130 ] || { echo "$m: $output"; false; }
		[[ "$output" == *"interrupted by SIGINT"* ]]
		[ "$(csvq "$SCRATCH/r.csv" workload status | tr '\t\n' ': ')" = "cpu:ok sleep:interrupted " ]
		# every task row of both runs is there; none of the sleeps completed
		[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 8 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" workload status | grep -c $'^cpu\tok$')" -eq 4 ]
		[ "$(csvq "$SCRATCH/r-tasks.csv" workload status | grep -c $'^sleep\tok$')" -eq 0 ]
		# sleeping tasks end at once instead of after their 3 s
		awk -v t="$(watch_val after_signal_s)" 'BEGIN { exit !(t < 2.5) }'
	done
}

@test "SIGINT keeps the finished tasks of the interrupted run" {
	for m in seq threadpool procpool; do
		rm -f "$SCRATCH"/r*.csv
		# 0.2 s tasks, 1 worker: several finish before the signal at 1.5 s
		watch delay:1.5 INT --workload sleep --modes "$m" --workers 1 --tasks 40 \
			--seconds 0.2 --reps 1
		assert_nothing_left
		[ "$(watch_val exit)" -eq 130 ]
		ok=$(csvq "$SCRATCH/r-tasks.csv" status | grep -c '^ok$')
		[ "$ok" -ge 1 ] && [ "$ok" -lt 40 ]
		[ "$(csvq "$SCRATCH/r.csv" completed)" -eq "$ok" ]
		[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 40 ]
		[[ "$output" == *"with $ok of 40 tasks completed"* ]]
	done
}

@test "SIGTERM: exit 143, workers killed and reaped" {
	for m in fork procpool threadpool; do
		rm -f "$SCRATCH"/r*.csv
		watch delay:1 TERM --workload sleep --modes "$m" --workers 2 --tasks 4 --seconds 5 --reps 1
		assert_nothing_left
		[ "$(watch_val exit)" -eq 143 ]
		[[ "$output" == *"interrupted by SIGTERM"* ]]
		[ "$(csvq "$SCRATCH/r.csv" status)" = interrupted ]
	done
}

@test "a second Ctrl-C exits at once, even while CPU-bound tasks run; nothing left behind" {
	for m in threadpool procpool; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 60 --when delay:1 --signal INT,INT --gap 0.3 -- \
			"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload cpu --work 1000 \
			--modes "$m" --workers 2 --tasks 4 --reps 1
		[ "$(watch_val alive)" -eq 0 ]
		[ "$(watch_val hung)" -eq 0 ]
		[ "$(watch_val exit)" -eq 130 ]
		awk -v t="$(watch_val after_signal_s)" 'BEGIN { exit !(t < 5) }'
	done
}

@test "SIGKILL to bench: its workers die with it (PR_SET_PDEATHSIG), the CSV files still parse" {
	for m in fork procpool; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 60 --when delay:1.5 --signal KILL --to leader -- \
			"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload cpu,sleep --work 0.01 \
			--modes "$m" --workers 2 --tasks 4 --seconds 5 --reps 1
		[ "$(watch_val exit)" -eq 137 ]
		[ "$(watch_val alive)" -eq 0 ]
		csvq_rows "$SCRATCH/r.csv"
		csvq_rows "$SCRATCH/r-tasks.csv"
	done
}

@test "SIGKILL mid-run leaves only whole rows: every record has the header's field count" {
	# many short runs so that the kill lands while rows are being written
	for delay in 0.7 1.1 1.6; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 60 --when delay:$delay --signal KILL --to leader -- \
			"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload noop \
			--modes seq,threadpool,procpool --workers 2 --tasks 300 --reps 1000
		[ "$(watch_val exit)" -eq 137 ]
		[ "$(watch_val alive)" -eq 0 ]
		runs=$(csvq_rows "$SCRATCH/r.csv")
		tasks=$(csvq_rows "$SCRATCH/r-tasks.csv")
		# each run row follows its 300 task rows
		[ "$tasks" -ge $((runs * 300)) ]
		[ "$(tail -c 1 "$SCRATCH/r-tasks.csv" | od -An -c | tr -d ' ')" = '\n' ]
	done
}

@test "two bench processes appending to one CSV never interleave partial rows" {
	"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload noop --modes seq,threadpool \
		--workers 2 --tasks 500 --reps 20 >/dev/null &
	a=$!
	"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload noop --modes seq,procpool \
		--workers 2 --tasks 500 --reps 20 >/dev/null &
	b=$!
	wait $a
	wait $b
	[ "$(csvq_rows "$SCRATCH/r.csv")" -eq 80 ]
	[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 40000 ]
	[ "$(grep -c '^schema,' "$SCRATCH/r.csv")" -eq 1 ]
}

@test "SIGKILL during an images run never leaves a half-written image under its final name" {
	"$BENCH" --help | grep -q '^  images ' || skip "no images workload in this build"
	export BENCH_CACHE=$SCRATCH/cache BENCH_IMAGES_SIZE=640x480
	run python3 "$PROCWATCH" --limit 60 --when delay:2.5 --signal KILL --to leader -- \
		"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload images --quick \
		--modes seq,procpool --workers 2 --reps 100 --out "$SCRATCH/out"
	[ "$(watch_val exit)" -eq 137 ]
	[ "$(watch_val alive)" -eq 0 ]
	ls "$SCRATCH"/out/*.jpg
	# every image under its final name is a whole JPEG (ends with EOI)
	for f in "$SCRATCH"/out/*.jpg; do
		[ "$(tail -c 2 "$f" | od -An -tx1 | tr -d ' ')" = ffd9 ]
	done
	csvq_rows "$SCRATCH/r-tasks.csv"
}

@test "Ctrl-C while workers are being forked is one stop request: the run is recorded interrupted" {
	# a child that got the signal before it dropped bench's handler used to
	# take it as a second Ctrl-C, and bench quit without the run's row
	for i in $(seq 8); do
		for m in fork procpool; do
			rm -f "$SCRATCH"/r*.csv
			watch children:$((20 + i * 7)) INT --workload sleep --seconds 5 --modes "$m" \
				--tasks 300 --workers 300 --reps 1
			[ "$(watch_val exit)" -eq 130 ] || { echo "$m: $output"; false; }
			[ "$(csvq "$SCRATCH/r.csv" status)" = interrupted ] || { echo "$m try $i: $output"; false; }
			assert_nothing_left
		done
	done
}
