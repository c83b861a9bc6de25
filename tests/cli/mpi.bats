#!/usr/bin/env bats
# The mpi mode end to end: ranks on this machine, launched by bench itself.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

need_mpi() {
	if "$BENCH" --help | grep -q '^  mpi .*unavailable'; then
		skip "mpi: $("$BENCH" --help | sed -n 's/^  mpi .*unavailable: //p')"
	fi
	command -v mpirun >/dev/null || skip "mpi: no mpirun in PATH (apt-get install openmpi-bin)"
}

# Task indices of tasks CSV $1, one per row, in file order: 0..N-1 exactly once each.
each_task_once_in_order() {
	local n=$2
	[ "$(csv_rows "$1")" -eq "$n" ]
	[ "$(csv_col "$1" task | tr '\n' ' ')" = "$(seq -s ' ' 0 $((n - 1))) " ]
}

@test "mpi: listed with its reason when built without Open MPI, else available" {
	if "$BENCH" --help | grep -q '^  mpi .*unavailable'; then
		run "$BENCH" --workload noop --modes mpi --csv "$SCRATCH/r.csv" --no-plots
		[ "$status" -eq 2 ]
		[[ "$output" == *"apt-get install libopenmpi-dev openmpi-bin"* ]]
	else
		run "$BENCH" --help
		[[ "$output" == *"mpi "*"rank 0"* ]]
	fi
}

@test "mpi: noop, 1000 tasks on 3 ranks: each once, in index order, one lane per rank" {
	need_mpi
	run timeout 120 "$BENCH" --workload noop --modes mpi --workers 3 --tasks 1000 --reps 1 \
		--csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 1000
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -v '^ok$')" ]
	[ "$(csv_col "$SCRATCH/r-tasks.csv" worker | sort -u | tr '\n' ' ')" = "0 1 2 " ]
	# the rank and its host open each message; the run row says mpi, 3 workers
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" message | grep -v '^rank [123] on ')" ]
	[ "$(csv_col "$SCRATCH/r.csv" mode)" = mpi ]
	[ "$(csv_col "$SCRATCH/r.csv" workers)" = 3 ]
	[ "$(csv_col "$SCRATCH/r.csv" completed)" = 1000 ]
}

@test "mpi: sleep on 3 ranks, rows like procpool's in the same files" {
	need_mpi
	run timeout 120 "$BENCH" --workload sleep --modes mpi,procpool --workers 3 --tasks 6 \
		--seconds 0.2 --reps 1 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_rows "$SCRATCH/r.csv")" -eq 2 ]
	awk -F, 'NR > 1 && $5 == "mpi"' "$SCRATCH/r-tasks.csv" >"$SCRATCH/mpi.rows"
	[ "$(wc -l <"$SCRATCH/mpi.rows")" -eq 6 ]
	(head -1 "$SCRATCH/r-tasks.csv"; cat "$SCRATCH/mpi.rows") >"$SCRATCH/mpi.csv"
	each_task_once_in_order "$SCRATCH/mpi.csv" 6
	[ -z "$(csv_col "$SCRATCH/mpi.csv" status | grep -v '^ok$')" ]
	# each task slept its 0.2 s, and later than it was submitted
	awk -F, 'NR > 1 && ($19 - $18 < 0.19 || $18 < $17) { bad = 1 } END { exit bad }' \
		"$SCRATCH/mpi.csv"
	# spawn time covers the launch: recorded, and within the wall time
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["mode"] == "mpi" && !($c["spawn_s"] > 0 && $c["spawn_s"] < $c["wall_s"]) { bad = 1 }
		END { exit bad }' "$SCRATCH/r.csv"
}

@test "mpi: images on a tiny set, 3 ranks, same bytes as seq" {
	need_mpi
	"$BENCH" --help | grep -q '^  images ' || skip "no images workload in this build"
	"$BENCH" --help | grep -q '^  images .*unavailable' && skip "images unavailable"
	export BENCH_CACHE="$SCRATCH/cache" BENCH_IMAGES_SIZE=96x64
	"$BENCH" --workload images --modes seq --reps 1 --quick --no-plots --quiet \
		--results "$SCRATCH/gen" --out "$SCRATCH/out-seq" >/dev/null 2>&1
	mkdir -p "$SCRATCH/set"
	cp "$BENCH_CACHE"/images-v1-96x64/photo-0[1-4].jpg "$SCRATCH/set/"
	run timeout 120 "$BENCH" --workload images --images "$SCRATCH/set" --modes mpi --workers 3 \
		--reps 1 --csv "$SCRATCH/r.csv" --out "$SCRATCH/out-mpi" --no-plots --quiet
	[ "$status" -eq 0 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 4
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -v '^ok$')" ]
	[ "$(ls "$SCRATCH/out-mpi" | wc -l)" -eq 4 ]
	for f in "$SCRATCH"/out-mpi/*.jpg; do
		cmp "$f" "$SCRATCH/out-seq/$(basename "$f")"
	done
}

@test "mpi: a failing task is reported, the others run" {
	need_mpi
	run timeout 120 "$BENCH" --workload sleep --modes mpi --workers 3 --tasks 6 --seconds 0.05 \
		--reps 1 --inject fail:2 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 6
	[ "$(csv_col "$SCRATCH/r-tasks.csv" status | tr '\n' ' ')" = "ok ok failed ok ok ok " ]
	[[ "$output" == *"injected failure"* ]]
}

@test "mpi: a crashing rank is reported without hanging: its task crashed, none lost" {
	need_mpi
	run timeout 120 "$BENCH" --workload sleep --modes mpi --workers 3 --tasks 8 --seconds 0.1 \
		--reps 1 --inject crash:3 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 8
	[ "$(awk -F, 'NR > 1 && $10 == 3 { print $27 }' "$SCRATCH/r-tasks.csv")" = crashed ]
	[[ "$(awk -F, 'NR > 1 && $10 == 3' "$SCRATCH/r-tasks.csv")" == *SIGSEGV* ]]
	# every other task either ran or says why it did not
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -v '^\(ok\|crashed\|skipped\)$')" ]
	[ "$(csv_col "$SCRATCH/r.csv" status)" = failed ]
	# and no rank is left behind
	! pgrep -f "__mpi-worker sleep 8 .* --csv $SCRATCH/r.csv" >/dev/null
}

@test "mpi: --hostfile is passed to mpirun (one slot here, oversubscribed)" {
	need_mpi
	echo "localhost slots=1" >"$SCRATCH/hosts"
	run timeout 120 "$BENCH" --workload noop --modes mpi --workers 2 --tasks 20 --reps 1 \
		--hostfile "$SCRATCH/hosts" --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 20
	# a host file that names no reachable host fails the run, it does not hang
	echo "nosuchhost.invalid slots=4" >"$SCRATCH/bad"
	run timeout 120 "$BENCH" --workload noop --modes mpi --workers 2 --tasks 20 --reps 1 \
		--hostfile "$SCRATCH/bad" --csv "$SCRATCH/b.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"mpirun could not start the job"* ]]
}
