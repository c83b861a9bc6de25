#!/usr/bin/env bats
# The mpi mode when things go wrong around the ranks: a host whose ssh
# never answers (tests/cli/hangssh), Ctrl-C during the launch, a crash with
# --task-timeout set, an interrupted io run.  Each bench runs under
# procwatch (its own session, a time limit, a leftover-process check:
# mpirun, ssh and the ranks included).

load reliability

setup() { setup_scratch; }

# Nothing of bench's left alive (ssh, mpirun, ranks).  Not "no orphan at
# bench's exit": what mpirun started outlives it by a moment (zombies, or
# being killed) and is handed to procwatch, which reaps it.
nothing_alive() {
	if [ "$(watch_val alive)" != 0 ] || [ "$(watch_val hung)" != 0 ]; then
		printf '%s\n' "$output" >&2
		return 1
	fi
}
teardown() { teardown_scratch; }

need_mpi() {
	if "$BENCH" --help | grep -q '^  mpi .*unavailable'; then
		skip "mpi: $("$BENCH" --help | sed -n 's/^  mpi .*unavailable: //p')"
	fi
	command -v mpirun >/dev/null || skip "mpi: no mpirun in PATH (apt-get install openmpi-bin)"
}

# A host file whose second host is reached through an ssh that never answers.
unreachable_host() {
	export OMPI_MCA_plm_rsh_agent="$BATS_TEST_DIRNAME/hangssh"
	printf 'localhost slots=1\n127.0.0.2 slots=2\n' >"$SCRATCH/hosts"
}

@test "mpi: a host that never answers: the launch times out, ssh and mpirun are ended, other modes go on" {
	need_mpi
	unreachable_host
	export BENCH_MPI_LAUNCH_TIMEOUT=3
	run python3 "$PROCWATCH" --limit 90 -- "$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" \
		--workload sleep --modes mpi,threadpool --workers 2 --tasks 4 --seconds 0.1 --reps 2 \
		--hostfile "$SCRATCH/hosts"
	nothing_alive
	[ "$(watch_val hung)" -eq 0 ]
	[ "$(watch_val exit)" -eq 1 ]
	[[ "$output" == *"mpirun had not started its 3 ranks after 3 s (BENCH_MPI_LAUNCH_TIMEOUT"* ]]
	[[ "$output" == *"no more mpi runs are tried"* ]]
	# both mpi runs are recorded (the second not even tried), the threadpool runs are whole
	[ "$(csvq "$SCRATCH/r.csv" mode status | sort | uniq -c | tr -s ' ' | tr '\t\n' ':;')" = \
		" 2 mpi:error; 2 threadpool:ok;" ]
	[ "$(csvq "$SCRATCH/r-tasks.csv" mode status | grep -c $'^mpi\tskipped$')" -eq 8 ]
	csvq "$SCRATCH/r-tasks.csv" mode message | grep -q $'^mpi\tnot run: not tried: the launch of an earlier mpi run timed out'
	# the whole second rep took no second launch timeout
	awk -v t="$(csvq "$SCRATCH/r.csv" mode wall_s | grep ^mpi | tail -1 | cut -f2)" 'BEGIN { exit !(t < 1) }'
}

@test "mpi: a bad BENCH_MPI_LAUNCH_TIMEOUT is said, by the one number rule" {
	need_mpi
	BENCH_MPI_LAUNCH_TIMEOUT=' 3' run "$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" \
		--workload sleep --modes mpi --workers 1 --tasks 1 --seconds 0 --reps 1
	[ "$status" -eq 1 ]
	[[ "$output" == *"BENCH_MPI_LAUNCH_TIMEOUT: ' 3' is not a number"* ]]
}

@test "mpi: Ctrl-C while mpirun waits for a host that never answers ends ssh, mpirun and all: exit 130" {
	need_mpi
	unreachable_host
	run python3 "$PROCWATCH" --limit 60 --when delay:2 --signal INT -- "$BENCH" --warmup 0 --quiet \
		--no-plots --csv "$SCRATCH/r.csv" --workload sleep --modes mpi --workers 2 --tasks 4 \
		--seconds 0.1 --reps 1 --hostfile "$SCRATCH/hosts"
	nothing_alive
	[ "$(watch_val exit)" -eq 130 ]
	awk -v t="$(watch_val after_signal_s)" 'BEGIN { exit !(t < 10) }'
	[ "$(csvq "$SCRATCH/r.csv" status)" = interrupted ]
}

@test "mpi: --inject crash with --task-timeout: the crashed task is crashed, a finished one keeps its result" {
	need_mpi
	for t in 1 5; do
		rm -f "$SCRATCH"/r*.csv
		run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --warmup 0 --quiet --no-plots \
			--csv "$SCRATCH/r.csv" --workload sleep --modes mpi --workers 2 --tasks 4 \
			--seconds 0.5 --reps 1 --inject crash:1 --task-timeout $t
		nothing_alive
		[ "$(watch_val exit)" -eq 1 ]
		got=$(csvq "$SCRATCH/r-tasks.csv" task status | tr '\t\n' ':,')
		[[ "$got" == 0:ok,1:crashed,* ]] || { echo "--task-timeout $t: $got"; false; }
		[[ "$(csvq "$SCRATCH/r-tasks.csv" task message | grep $'^1\t')" == *"killed by SIGSEGV"* ]]
	done
	# and a task that does hang is still a timeout
	rm -f "$SCRATCH"/r*.csv
	run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --warmup 0 --quiet --no-plots --csv "$SCRATCH/r.csv" \
		--workload sleep --modes mpi --workers 2 --tasks 4 --seconds 0.1 --reps 1 \
		--inject hang:0 --task-timeout 1
	nothing_alive
	[ "$(csvq "$SCRATCH/r-tasks.csv" task status | grep $'^0\t' | cut -f2)" = timeout ]
}

@test "mpi: io interrupted (Ctrl-C, a crash) leaves no file or folder in the results folder" {
	need_mpi
	for how in INT crash; do
		rm -rf "$SCRATCH/res" "$SCRATCH"/r*.csv
		if [ $how = INT ]; then
			run python3 "$PROCWATCH" --limit 60 --when delay:2 --signal INT -- "$BENCH" --warmup 0 --quiet \
				--no-plots --csv "$SCRATCH/r.csv" --results "$SCRATCH/res" --workload io \
				--io-mb 64 --tasks 40 --modes mpi --workers 2 --reps 1
			[ "$(watch_val exit)" -eq 130 ]
		else
			run python3 "$PROCWATCH" --limit 60 -- "$BENCH" --warmup 0 --quiet --no-plots \
				--csv "$SCRATCH/r.csv" --results "$SCRATCH/res" --workload io --io-mb 4 \
				--tasks 6 --modes mpi,procpool --workers 2 --reps 1 --inject crash:2
			[ "$(watch_val exit)" -eq 1 ]
		fi
		nothing_alive
		[ -z "$(ls -A "$SCRATCH/res")" ] || { echo "$how left: $(ls -A "$SCRATCH/res")"; false; }
	done
}
