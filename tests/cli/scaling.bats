#!/usr/bin/env bats
# plots/scaling.gp draws a fitted-scaling chart from a .dat file, cleanly,
# with and without a predicted peak, on linear and log axes.

load helpers

setup() {
	setup_scratch
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
}
teardown() { teardown_scratch; }

# grep that must find nothing (a bare "! grep" cannot fail a bats test)
absent() { ! grep -q "$@"; }

# Draw tests/cli/scaling-sample.dat as FMT with extra gnuplot settings; stderr kept apart.
draw_scaling() {
	local fmt=$1; shift
	gnuplot -e "plotdir='$BATS_TEST_DIRNAME/../../plots/'; fmt='$fmt'; out='$SCRATCH/scaling'; \
data='$BATS_TEST_DIRNAME/scaling-sample.dat'; title='Scaling: sample'; subtitle='5 reps'; \
xlabel='workers'; amdahl_label='Amdahl: s = 0.074'; usl_label='USL: sigma = 0.038, kappa = 0.0021'; \
pus=16; xmin=0; xmax=40; ymax=14; $*" "$BATS_TEST_DIRNAME/../../plots/scaling.gp" 2>"$SCRATCH/err"
}

@test "scaling.gp draws points, both fits and the peak as PNG and SVG without a warning" {
	draw_scaling png "peak_p=21; peak_speedup=7.92; peak_label='USL peak: 21 workers, 7.92x'"
	file "$SCRATCH/scaling.png" | grep -q 'PNG image'
	[ ! -s "$SCRATCH/err" ]
	draw_scaling svg "peak_p=21; peak_speedup=7.92; peak_label='USL peak: 21 workers, 7.92x'"
	grep -q 'USL peak: 21 workers' "$SCRATCH/scaling.svg"
	grep -q 'Amdahl: s = 0.074' "$SCRATCH/scaling.svg"
	grep -q 'ideal (speedup = p)' "$SCRATCH/scaling.svg"
	grep -q "measured (median, range of 5 reps)" "$SCRATCH/scaling.svg"
	[ ! -s "$SCRATCH/err" ]
}

@test "scaling.gp without a peak, or with one off the chart, on a log axis, draws no peak" {
	draw_scaling svg "peak_p=0; logx=1; xmin=0.8"
	[ ! -s "$SCRATCH/err" ]
	absent 'USL peak' "$SCRATCH/scaling.svg"
	draw_scaling svg "peak_p=100; peak_speedup=10.3; peak_label='USL peak: 100 workers'"
	[ ! -s "$SCRATCH/err" ]
	absent 'USL peak' "$SCRATCH/scaling.svg"
}

@test "the live summary ends with the scaling fits, and --json has them" {
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 1,2,3 --tasks 3 --seconds 0.01 \
		--reps 2 --warmup 0 --csv "$SCRATCH/r.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[[ "$output" == *"scaling laws, fitted to the paired speedups"* ]]
	# fitted, or refused with the reason (this machine may be busy)
	grep -E '^  sleep +threadpool +(1-3 |not fitted: .*contended)' <<<"$output"
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 1,2,3 --tasks 3 --seconds 0.01 \
		--reps 2 --warmup 0 --csv "$SCRATCH/j.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
fits = json.load(sys.stdin)["fits"]
assert len(fits) == 1, fits
f = fits[0]
assert f["mode"] == "threadpool" and f["workload"] == "sleep", f
assert f["p_basis"] == "workers", f     # sleeping tasks wait
assert f["workers"] == [1, 3], f
if f["fitted"]:
    assert 0 <= f["amdahl_serial"] <= 1 and len(f["karp_flatt"]) == 2, f
else:
    assert "contended" in f["reason"], f
' <<<"$output"
}

@test "a mode with fewer than 3 worker counts gets no fit and no block" {
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 1,2 --tasks 2 --seconds 0.01 \
		--reps 1 --warmup 0 --csv "$SCRATCH/r.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	python3 -c 'import json, sys; assert json.load(sys.stdin)["fits"] == []' <<<"$output"
}

@test "--plots-only draws a fitted scaling chart per workload and mode from a committed CSV" {
	csv="$BATS_TEST_DIRNAME/../../results/examples/scaling-xeon-16pu/xeon-16pu.csv"
	run "$BENCH" --plots-only "$csv" --plots-dir "$SCRATCH/p"
	[ "$status" -eq 0 ]
	for m in threadpool procpool; do
		file "$SCRATCH/p/scaling-cpu-$m.png" | grep -q 'PNG image'
		grep -q 'Amdahl: s = 0\.' "$SCRATCH/p/scaling-cpu-$m.svg"
		grep -q 'USL: σ = ' "$SCRATCH/p/scaling-cpu-$m.svg"
		grep -q 'ideal (speedup = p)' "$SCRATCH/p/scaling-cpu-$m.svg"
	done
	# pthread and fork run one worker per task: one worker count, no fit
	[ ! -e "$SCRATCH/p/scaling-cpu-pthread.png" ]
	# the measured points are the levels p = 1, 2, 4, 8, 16 (16 PUs)
	[ "$(sed -n '2,/^$/p' "$SCRATCH/p/scaling-cpu-threadpool.dat" | grep -c '^[0-9]')" -eq 5 ]
}
