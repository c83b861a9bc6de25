#!/usr/bin/env bats
# plots/scaling.gp draws a fitted-scaling chart from a .dat file, cleanly,
# with and without a predicted peak, on linear and log axes.

load helpers

setup() {
	setup_scratch
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
}
teardown() { teardown_scratch; }

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
	if grep -q 'USL peak' "$SCRATCH/scaling.svg"; then false; fi
	draw_scaling svg "peak_p=100; peak_speedup=10.3; peak_label='USL peak: 100 workers'"
	[ ! -s "$SCRATCH/err" ]
	! grep -q 'USL peak' "$SCRATCH/scaling.svg"
}
