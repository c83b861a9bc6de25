#!/usr/bin/env bats
# Stops beyond Ctrl-C: signals while the charts are drawn, gnuplot dying
# with bench, SIGHUP and SIGQUIT (a closed terminal or ssh session), and a
# reader of stdout or stderr that went away (SIGPIPE).  Each bench runs
# under procwatch (its own session, a time limit, a leftover-process check).

load reliability

setup() { setup_scratch; }
teardown() { teardown_scratch; }

# A gnuplot that takes 30 s to draw anything (exec: the same process, so
# a PR_SET_PDEATHSIG set before exec still holds).
slow_gnuplot() {
	mkdir -p "$SCRATCH/bin"
	printf '#!/bin/sh\nexec sleep 30\n' >"$SCRATCH/bin/gnuplot"
	chmod +x "$SCRATCH/bin/gnuplot"
}

charts_run() {
	run python3 "$PROCWATCH" --limit 60 "$@" -- \
		"$BENCH" --warmup 0 --quiet --csv "$SCRATCH/r.csv" --plots-dir "$SCRATCH/plots" \
		--workload sleep --modes seq,threadpool --workers 2 --tasks 2 --seconds 0 --reps 1
}

@test "gnuplot dies with bench: SIGKILL while a chart is drawn leaves no gnuplot behind" {
	slow_gnuplot
	PATH=$SCRATCH/bin:$PATH charts_run --when children:1 --signal KILL --to leader
	[ "$(watch_val exit)" -eq 137 ]
	# (an orphan that is already dying may be counted: only what still lives matters)
	[ "$(watch_val alive)" -eq 0 ] || { echo "$output"; false; }
}

@test "SIGINT or SIGTERM to bench alone while charts are drawn: gnuplot ended, exit 130/143" {
	slow_gnuplot
	for sig in INT TERM; do
		rm -rf "$SCRATCH"/r*.csv "$SCRATCH/plots"
		PATH=$SCRATCH/bin:$PATH charts_run --when children:1 --signal $sig --to leader
		assert_nothing_left
		[ "$(watch_val exit)" -eq $((128 + $(kill -l $sig))) ] || { echo "$sig: $output"; false; }
		# not 30 s: the slow gnuplot was stopped, no further chart was started
		# (wide: a sanitizer build on a busy machine is slow to exit)
		awk -v t="$(watch_val after_signal_s)" 'BEGIN { exit !(t < 25) }'
		# the rows of the finished plan are all there
		[ "$(csvq_rows "$SCRATCH/r.csv")" -eq 2 ]
		[ -z "$(find "$SCRATCH/plots" -name '*.png' -print -quit)" ]
		[ -z "$(find "$SCRATCH/plots" -name '.*tmp*' -print -quit)" ]
	done
	# redrawing (--plots-only) and bench report stop the same way
	for cmd in "--plots-only $SCRATCH/r.csv" "report $SCRATCH/r.csv --out $SCRATCH/rep"; do
		PATH=$SCRATCH/bin:$PATH run python3 "$PROCWATCH" --limit 60 --when children:1 \
			--signal TERM --to leader -- "$BENCH" $cmd --plots-dir "$SCRATCH/plots"
		assert_nothing_left
		[ "$(watch_val exit)" -eq 143 ] || { echo "$cmd: $output"; false; }
	done
}

@test "Ctrl-C while real charts are drawn: exit 130, never an empty or partial chart under its name" {
	command -v gnuplot >/dev/null || skip "no gnuplot"
	for delay in children:1 delay:0.3; do
		rm -rf "$SCRATCH"/r*.csv "$SCRATCH/plots"
		charts_run --when $delay --signal INT
		assert_nothing_left
		e=$(watch_val exit)
		[ "$e" -eq 130 ] || [ "$e" -eq 0 ] || { echo "$output"; false; }   # 0: drawn before the signal
		for f in "$SCRATCH"/plots/*.png "$SCRATCH"/plots/*.svg; do
			[ -e "$f" ] || continue
			[ -s "$f" ]
		done
		[ -z "$(find "$SCRATCH/plots" -name '.*tmp*' -print -quit 2>/dev/null)" ]
	done
}

@test "SIGHUP and SIGQUIT stop the plan like SIGTERM: finished rows kept, exit 129 / 131" {
	for sig in HUP QUIT; do
		for m in threadpool procpool; do
			rm -f "$SCRATCH"/r*.csv
			run python3 "$PROCWATCH" --limit 60 --when delay:1.5 --signal $sig -- \
				"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload cpu,sleep \
				--work 0.01 --modes $m --workers 2 --tasks 4 --seconds 5 --reps 1
			assert_nothing_left
			[ "$(watch_val exit)" -eq $((128 + $(kill -l $sig))) ] || { echo "$sig $m: $output"; false; }
			[[ "$output" == *"interrupted by SIG$sig"* ]]
			[ "$(csvq "$SCRATCH/r.csv" workload status | tr '\t\n' ': ')" = "cpu:ok sleep:interrupted " ]
			[ "$(csvq_rows "$SCRATCH/r-tasks.csv")" -eq 8 ]
		done
	done
}

@test "a reader of stderr or stdout gone (| head -c 1): the plan goes on, every row is written" {
	cd "$SCRATCH"
	# each failed run prints lines on stderr: the first one ends the reader
	run timeout 60 setsid bash -c "'$BENCH' --warmup 0 --quiet --no-plots --csv r.csv --workload sleep \
		--modes seq,threadpool,procpool --workers 2 --tasks 2 --seconds 0.2 --reps 2 \
		--inject fail:0 2>&1 | head -c 1 >/dev/null; echo \"rc=\${PIPESTATUS[0]}\""
	[ "$status" -eq 0 ]
	[[ "$output" == *"rc=1"* ]]            # a task failed: 1, not 141 (SIGPIPE)
	[ "$(csvq_rows r.csv)" -eq 6 ]
	[ "$(csvq_rows r-tasks.csv)" -eq 12 ]
	rm -f r*.csv
	run timeout 60 setsid bash -c "'$BENCH' --warmup 0 --no-plots --csv r.csv --workload sleep --modes seq \
		--tasks 2 --seconds 0 --reps 3 | head -c 1 >/dev/null; echo \"rc=\${PIPESTATUS[0]}\""
	[[ "$output" == *"rc=0"* ]]
	[ "$(csvq_rows r.csv)" -eq 3 ]
}

@test "a hung task ended by Ctrl-C is recorded skipped, 'interrupted by SIGINT', every time in every mode" {
	for m in fork procpool threadpool pthread seq; do
		for delay in 0.4 0.8; do
			rm -f "$SCRATCH"/r*.csv
			run python3 "$PROCWATCH" --limit 60 --when delay:$delay --signal INT -- \
				"$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" --workload sleep --modes $m \
				--workers 2 --tasks 3 --seconds 0.1 --reps 1 --inject hang:0
			assert_nothing_left
			[ "$(watch_val exit)" -eq 130 ]
			got=$(csvq "$SCRATCH/r-tasks.csv" task status message | grep $'^0\t')
			[[ "$got" == $'0\tskipped\tinterrupted by SIGINT before it finished'* ]] ||
				{ echo "$m at $delay s: $got"; false; }
		done
	done
}
