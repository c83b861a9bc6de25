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
		run "$BENCH" --warmup 0 --reps 3 --workload noop --modes mpi --csv "$SCRATCH/r.csv" --no-plots
		[ "$status" -eq 2 ]
		[[ "$output" == *"apt-get install libopenmpi-dev openmpi-bin"* ]]
	else
		run "$BENCH" --help
		[[ "$output" == *"mpi "*"rank 0"* ]]
	fi
}

@test "mpi: noop, 1000 tasks on 3 ranks: each once, in index order, one lane per rank" {
	need_mpi
	run timeout 120 "$BENCH" --warmup 0 --workload noop --modes mpi --workers 3 --tasks 1000 --reps 1 \
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

@test "mpi: sleep on 3 ranks, rows like procpool's in the same files, a timeline lane per rank" {
	need_mpi
	run timeout 120 "$BENCH" --warmup 0 --workload sleep --modes mpi,procpool --workers 3 --tasks 6 \
		--seconds 0.2 --reps 1 --csv "$SCRATCH/r.csv" --plots-dir "$SCRATCH/plots" --quiet
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
	# the timeline names each mpi lane by its rank and host, procpool's by worker
	grep -q "^[0-9]*	mpi · rank 1 @ $(hostname)\$" "$SCRATCH/plots/timeline-sleep.dat"
	grep -q "^[0-9]*	mpi · rank 3 @ $(hostname)\$" "$SCRATCH/plots/timeline-sleep.dat"
	grep -q "^[0-9]*	procpool · w0\$" "$SCRATCH/plots/timeline-sleep.dat"
}

@test "mpi: images on a tiny set, 3 ranks, same bytes as seq" {
	need_mpi
	"$BENCH" --help | grep -q '^  images ' || skip "no images workload in this build"
	"$BENCH" --help | grep -q '^  images .*unavailable' && skip "images unavailable"
	export BENCH_CACHE="$SCRATCH/cache" BENCH_IMAGES_SIZE=96x64
	"$BENCH" --warmup 0 --workload images --modes seq --reps 1 --quick --no-plots --quiet \
		--results "$SCRATCH/gen" --out "$SCRATCH/out-seq" >/dev/null 2>&1
	mkdir -p "$SCRATCH/set"
	cp "$BENCH_CACHE"/images-v1-96x64/photo-0[1-4].jpg "$SCRATCH/set/"
	run timeout 120 "$BENCH" --warmup 0 --workload images --images "$SCRATCH/set" --modes mpi --workers 3 \
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
	run timeout 120 "$BENCH" --warmup 0 --workload sleep --modes mpi --workers 3 --tasks 6 --seconds 0.05 \
		--reps 1 --inject fail:2 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 6
	[ "$(csv_col "$SCRATCH/r-tasks.csv" status | tr '\n' ' ')" = "ok ok failed ok ok ok " ]
	[[ "$output" == *"injected failure"* ]]
}

@test "mpi: a crashing rank is reported without hanging: its task crashed, none lost" {
	need_mpi
	run timeout 120 "$BENCH" --warmup 0 --workload sleep --modes mpi --workers 3 --tasks 8 --seconds 0.1 \
		--reps 1 --inject crash:3 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 8
	[ "$(awk -F, 'NR > 1 && $10 == 3 { print $27 }' "$SCRATCH/r-tasks.csv")" = crashed ]
	[[ "$(awk -F, 'NR > 1 && $10 == 3' "$SCRATCH/r-tasks.csv")" == *SIGSEGV* ]]
	# every other task either ran or says why it did not
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -v '^\(ok\|crashed\|skipped\)$')" ]
	[ "$(csv_col "$SCRATCH/r.csv" status)" = failed ]
	# and no rank is left behind
	! pgrep -f "__mpi-worker sleep 8 .* --csv $SCRATCH/r.csv" >/dev/null || false
}

@test "mpi: --hostfile is passed to mpirun (one slot here, oversubscribed)" {
	need_mpi
	echo "localhost slots=1" >"$SCRATCH/hosts"
	run timeout 120 "$BENCH" --warmup 0 --workload noop --modes mpi --workers 2 --tasks 20 --reps 1 \
		--hostfile "$SCRATCH/hosts" --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 20
	# a host file that names no reachable host fails the run, it does not hang
	echo "nosuchhost.invalid slots=4" >"$SCRATCH/bad"
	run timeout 120 "$BENCH" --warmup 0 --workload noop --modes mpi --workers 2 --tasks 20 --reps 1 \
		--hostfile "$SCRATCH/bad" --csv "$SCRATCH/b.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	[[ "$output" == *"mpirun could not start the job"* ]]
}

# ---------------------------------------------------------------- the user's own mpirun

# mpirun as a user starts it; as root (here, CI) Open MPI wants leave to run.
user_mpirun() {
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 120 \
		mpirun --oversubscribe "$@"
}

# The rows of tasks CSV $1 that belong to run $2, with the header, into $3.
run_rows() {
	awk -F, -v run="$2" 'NR == 1 || $2 == run' "$1" >"$3"
}

@test "mpi under mpirun -np 4: uses the 3 worker ranks it was given, each task once per run" {
	need_mpi
	run user_mpirun -np 4 "$BENCH" --warmup 0 --workload noop --modes mpi --tasks 1000 --reps 2 \
		--csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_col "$SCRATCH/r.csv" workers | tr '\n' ' ')" = "3 3 " ]
	[ "$(csv_col "$SCRATCH/r.csv" completed | tr '\n' ' ')" = "1000 1000 " ]
	for id in $(csv_col "$SCRATCH/r.csv" run); do
		run_rows "$SCRATCH/r-tasks.csv" "$id" "$SCRATCH/one.csv"
		each_task_once_in_order "$SCRATCH/one.csv" 1000
	done
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" status | grep -v '^ok$')" ]
	[ "$(csv_col "$SCRATCH/r-tasks.csv" worker | sort -u | tr '\n' ' ')" = "0 1 2 " ]
	[ -z "$(csv_col "$SCRATCH/r-tasks.csv" message | grep -v '^rank [123] on ')" ]
	# the ranks were up before the timing began
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		!($c["spawn_s"] > 0 && $c["spawn_s"] < $c["wall_s"]) { bad = 1 }
		END { exit bad }' "$SCRATCH/r.csv"
}

@test "mpi under mpirun: the ranks' CPU time is in the run's user_s (none of them is bench's child)" {
	need_mpi
	run user_mpirun -np 3 "$BENCH" --warmup 0 --workload cpu --modes mpi --tasks 6 --reps 1 \
		--csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	tasks_cpu=$(csv_col "$SCRATCH/r-tasks.csv" cpu_s | awk '{ s += $1 } END { print s }')
	run_cpu=$(csv_col "$SCRATCH/r.csv" user_s)
	awk -v t="$tasks_cpu" -v r="$run_cpu" 'BEGIN { exit !(t > 0.05 && r >= 0.9 * t) }'
}

@test "mpi: --opt=value and comma lists reach the ranks intact, both ways" {
	need_mpi
	run timeout 120 "$BENCH" --warmup 0 --workload=sleep --modes=mpi,procpool --workers=2 --tasks=4 \
		--seconds=0.05 --reps=1 --csv="$SCRATCH/a.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_col "$SCRATCH/a.csv" status | tr '\n' ' ')" = "ok ok " ]
	run user_mpirun -np 3 "$BENCH" --warmup 0 --workload=sleep --modes=mpi,procpool --tasks=4 \
		--seconds=0.05 --reps=1 --csv="$SCRATCH/b.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_col "$SCRATCH/b.csv" status | tr '\n' ' ')" = "ok ok " ]
	[ -z "$(csv_col "$SCRATCH/b-tasks.csv" message | grep -v 'done sleeping 0.05 s$')" ]
}

@test "mpi under mpirun: --workers picks among the given ranks (auto: all); more, -np 1, --hostfile refused" {
	need_mpi
	run user_mpirun -np 3 "$BENCH" --warmup 0 --workload sleep --modes mpi --workers 1,2,auto --tasks 4 \
		--seconds 0.05 --reps 1 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	# (each repetition runs its combinations in a shuffled order)
	[ "$(csv_col "$SCRATCH/r.csv" workers | sort -n | tr '\n' ' ')" = "1 2 " ]
	run_rows "$SCRATCH/r-tasks.csv" "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["workers"] == 1 { print $c["run"] }' "$SCRATCH/r.csv")" "$SCRATCH/one.csv"
	[ "$(csv_col "$SCRATCH/one.csv" message | sort -u)" = "rank 1 on $(hostname): done sleeping 0.05 s" ]

	run user_mpirun -np 3 "$BENCH" --warmup 0 --reps 3 --workload noop --modes mpi --workers 3 \
		--csv "$SCRATCH/more.csv" --no-plots --quiet
	[ "$status" -eq 2 ]
	[[ "$output" == *"--workers 3: mpirun gave bench 3 ranks, so the mpi mode has at most 2 workers"*"-np 4"* ]]
	[ ! -e "$SCRATCH/more.csv" ]

	run user_mpirun -np 1 "$BENCH" --warmup 0 --reps 3 --workload noop --modes mpi --csv "$SCRATCH/one-rank.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"started by mpirun with 1 rank"*"-np 2 or more"* ]]

	echo "localhost slots=4" >"$SCRATCH/hosts"
	run user_mpirun -np 2 "$BENCH" --warmup 0 --reps 3 --workload noop --modes mpi --hostfile "$SCRATCH/hosts" \
		--csv "$SCRATCH/h.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--hostfile: bench was started by mpirun"* ]]
}

@test "mpi under mpirun -np 2: other modes run on rank 0's host, unbound; images bytes as seq" {
	need_mpi
	"$BENCH" --help | grep -q '^  images .*unavailable' && skip "images unavailable"
	export BENCH_CACHE="$SCRATCH/cache" BENCH_IMAGES_SIZE=96x64
	mkdir -p "$SCRATCH/set"
	"$BENCH" --warmup 0 --workload images --modes seq --reps 1 --quick --no-plots --quiet \
		--results "$SCRATCH/gen" --out "$SCRATCH/out-seq" >/dev/null 2>&1
	cp "$BENCH_CACHE"/images-v1-96x64/photo-0[1-3].jpg "$SCRATCH/set/"
	rm -r "$SCRATCH/out-seq"
	"$BENCH" --warmup 0 --workload images --images "$SCRATCH/set" --modes seq --reps 1 --no-plots \
		--quiet --results "$SCRATCH/gen" --out "$SCRATCH/out-seq" >/dev/null
	# mpirun binds the 2 ranks of -np 2 to a core each: the driver undoes it
	run user_mpirun -np 2 "$BENCH" --warmup 0 --workload images --images "$SCRATCH/set" \
		--modes threadpool,mpi --reps 1 --csv "$SCRATCH/r.csv" --out "$SCRATCH/out-mpi" \
		--no-plots --quiet
	[ "$status" -eq 0 ]
	# (in a shuffled order)
	[ "$(csv_col "$SCRATCH/r.csv" mode | sort | tr '\n' ' ')" = "mpi threadpool " ]
	[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["mode"] "=" $c["workers"] }' "$SCRATCH/r.csv" | sort | tr '\n' ' ')" = \
		"mpi=1 threadpool=$(nproc) " ]
	[ "$(csv_col "$SCRATCH/r.csv" usable_pus | sort -u)" = "$(nproc)" ]
	for f in "$SCRATCH"/out-seq/*.jpg; do
		cmp "$f" "$SCRATCH/out-mpi/$(basename "$f")"
	done
}

@test "mpi under mpirun: a failing task is reported; a timed-out one ends the mpi mode, not bench" {
	need_mpi
	run user_mpirun -np 3 "$BENCH" --warmup 0 --workload sleep --modes mpi --tasks 6 --seconds 0.05 \
		--reps 1 --inject fail:2 --csv "$SCRATCH/f.csv" --no-plots --quiet
	[ "$status" -eq 1 ]
	[ "$(csv_col "$SCRATCH/f-tasks.csv" status | tr '\n' ' ')" = "ok ok failed ok ok ok " ]

	run user_mpirun -np 3 "$BENCH" --warmup 0 --workload sleep --modes mpi,procpool --tasks 4 \
		--seconds 0.05 --reps 2 --inject hang:1 --task-timeout 1 --csv "$SCRATCH/t.csv" \
		--no-plots --quiet
	[ "$status" -eq 1 ]
	# rep 1: the task timed out, the others ran; rep 2: mpi says why it cannot run
	# (each repetition in a shuffled order: mpi's two runs keep theirs)
	[ "$(csv_col "$SCRATCH/t.csv" mode | sort | tr '\n' ' ')" = "mpi mpi procpool procpool " ]
	[ "$(awk -F, 'NR > 1 && $5 == "mpi" && $8 == 1 { print $27 }' "$SCRATCH/t-tasks.csv" |
		tr '\n' ' ')" = "ok timeout ok ok " ]
	[ "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["mode"] == "mpi" { print $c["status"] }' "$SCRATCH/t.csv" | tr '\n' ' ')" = "failed error " ]
	[[ "$output" == *"no more mpi runs until bench starts again"* ]]
	! pgrep -f "bench --workload sleep --modes mpi,procpool .* $SCRATCH/t.csv" >/dev/null || false
}

@test "mpi under mpirun: a crashing rank ends the job without hanging; runs before it stay" {
	need_mpi
	# --seed 1 keeps the plan's order in the one repetition: procpool, then mpi
	run user_mpirun -np 3 "$BENCH" --warmup 0 --seed 1 --workload sleep --modes procpool,mpi \
		--tasks 6 --seconds 0.1 --reps 1 --inject crash:2 --csv "$SCRATCH/c.csv" --no-plots --quiet
	[ "$status" -ne 0 ]
	[[ "$output" == *"exited on signal 11"* ]]
	# mpirun's SIGKILL follows its SIGTERM closely: bench may or may not have
	# time to write the interrupted mpi run; the procpool run is there
	[ "$(csv_col "$SCRATCH/c.csv" mode | head -1)" = procpool ]
	[ "$(csv_col "$SCRATCH/c.csv" status | head -1)" = failed ]
	[ -z "$(csv_col "$SCRATCH/c.csv" status | sed 1d | grep -v '^interrupted$')" ]
	! pgrep -f "bench --workload sleep --modes procpool,mpi .* $SCRATCH/c.csv" >/dev/null || false
}

# ---------------------------------------------------------------- two hosts

# A second "host": 127.0.0.2 through tests/cli/fakessh (a UTS namespace named
# fake-127.0.0.2 on this machine; Open MPI sees another node and uses TCP).
need_second_host() {
	unshare --uts true 2>/dev/null ||
		skip "no second host: unshare --uts is not allowed here (needs root or user namespaces)"
	export OMPI_MCA_plm_rsh_agent="$BATS_TEST_DIRNAME/fakessh"
	printf 'localhost slots=2\n127.0.0.2 slots=2\n' >"$SCRATCH/hosts"
}

# The tasks of tasks CSV $1 ran on this host and on fake-127.0.0.2, each 0.1 s
# long on the driver's clock and never before it was handed out.
ran_on_both_hosts() {
	[ -n "$(csv_col "$1" message | grep "^rank [0-9]* on $(hostname): ")" ]
	[ -n "$(csv_col "$1" message | grep '^rank [0-9]* on fake-127\.0\.0\.2: ')" ]
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ d = $c["end_s"] - $c["start_s"] }
		$c["status"] != "ok" || d < 0.095 || d > 0.2 || $c["start_s"] < $c["submit_s"] { bad = 1 }
		END { exit bad }' "$1"
}

@test "mpi on two hosts, bench launching mpirun --hostfile: lanes name each rank's host" {
	need_mpi
	need_second_host
	run timeout 120 "$BENCH" --warmup 0 --workload sleep --modes mpi --workers 3 --tasks 9 --seconds 0.1 \
		--reps 1 --hostfile "$SCRATCH/hosts" --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 9
	ran_on_both_hosts "$SCRATCH/r-tasks.csv"
}

@test "mpi on two hosts, under the user's mpirun --hostfile: the same" {
	need_mpi
	need_second_host
	run user_mpirun --hostfile "$SCRATCH/hosts" -np 4 "$BENCH" --warmup 0 --workload sleep --modes mpi \
		--tasks 9 --seconds 0.1 --reps 1 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[ "$(csv_col "$SCRATCH/r.csv" workers)" = 3 ]
	each_task_once_in_order "$SCRATCH/r-tasks.csv" 9
	ran_on_both_hosts "$SCRATCH/r-tasks.csv"
}
