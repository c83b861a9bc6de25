#!/usr/bin/env bats
# The driver end to end: commands from the README on tiny inputs.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "--help documents the options with examples" {
	run "$BENCH" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--workers"* ]]
	[[ "$output" == *"Examples:"* ]]
	[[ "$output" == *"procpool"* ]]
}

@test "--version prints the version" {
	run "$BENCH" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "bench "* ]]
}

@test "sleep under all modes writes one run row per mode and rep, and task rows" {
	run "$BENCH" --warmup 0 --workload sleep --modes all --tasks 4 --seconds 0.05 --reps 2 \
		--csv "$SCRATCH/r.csv" --no-plots
	[ "$status" -eq 0 ]
	modes=5
	"$BENCH" --help | grep -q '^  mpi .*unavailable' || modes=6   # mpi, built with Open MPI
	[ "$(csv_rows "$SCRATCH/r.csv")" -eq $((2 * modes)) ]
	[ "$(csv_rows "$SCRATCH/r-tasks.csv")" -eq $((8 * modes)) ]
	[[ "$output" == *"threadpool"* ]]
	[[ "$output" == *"speedup"* ]]
}
