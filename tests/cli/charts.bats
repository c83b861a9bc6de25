#!/usr/bin/env bats
# Charts that tell the truth: worker counts on bars, classes measured,
# noop as a cost per task on a log axis, each host's time, timelines with
# CPU time and every lane, SVG titles, seq on its tick.

load helpers

setup() {
	setup_scratch
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
}
teardown() { teardown_scratch; }

# grep that must find nothing (a bare "! grep" cannot fail a bats test)
absent() { ! grep -q "$@"; }

tiny() {
	"$BENCH" --warmup 0 --reps 1 --quiet --csv "$SCRATCH/r.csv" --plots-dir "$SCRATCH/p" "$@" >/dev/null
}

@test "bars carry their worker count and classes come from the measurement" {
	tiny --workload sleep,cpu --modes seq,threadpool,procpool --workers 1,2 --tasks 2 --seconds 0.01 --work 0.05
	dat="$SCRATCH/p/speedup-io-vs-cpu-bound.dat"
	# every parallel bar says its worker count, seq (one worker) none
	[ "$(awk -F'\t' 'NF == 7 && $7 ~ /^w=[12]$/' "$dat" | wc -l)" -eq 4 ]
	[ "$(awk -F'\t' 'NF == 7 && $7 == " "' "$dat" | wc -l)" -eq 2 ]
	grep -q 'w=N at a bar' "$SCRATCH/p/speedup-io-vs-cpu-bound.svg"
	# a class is measured (CPU/wall) or, on a busy machine, withheld; never a fixed label
	grep -Eq '^sleep \(2 x 0.01s\): (I/O-bound \(CPU/wall 0\.[0-9]+\)|not classified \(contended runs\))$' "$dat"
	grep -Eq '^cpu \(.*\): (CPU-bound|mixed) \(CPU/wall [01]\.[0-9]+\)$|^cpu \(.*\): not classified \(contended runs\)$' "$dat"
	absent -r 'CPU and I/O' "$SCRATCH/p"
}

@test "noop is drawn as a cost per task in µs on a labelled log axis, not as a speedup" {
	tiny --workload noop,sleep --modes seq,threadpool --workers 1,2 --tasks 50 --seconds 0.001
	[ -s "$SCRATCH/p/overhead-noop.png" ]
	svg="$SCRATCH/p/overhead-noop.svg"
	grep -q 'wall time per task (µs; log scale)' "$svg"
	grep -q '<title>Cost per task: noop (50 no-op tasks)</title>' "$svg"
	[ ! -e "$SCRATCH/p/speedup-vs-workers-noop.png" ]
	absent '^noop' "$SCRATCH/p/speedup-io-vs-cpu-bound.dat"
	# one bar per mode and worker count, each the median wall time / tasks
	[ "$(sed -n '/^$/q;p' "$SCRATCH/p/overhead-noop.dat" | wc -l)" -eq 3 ]
}

@test "every SVG's title is its chart's title, and seq sits on its tick" {
	tiny --workload sleep --modes seq,pthread,threadpool,procpool --workers 1,2 --tasks 2 --seconds 0.01
	for svg in "$SCRATCH"/p/*.svg; do
		absent '<title>Gnuplot</title>' "$svg"
		grep -q '<title>[A-Z][^<]*: sleep (2 x 0.01s)</title>\|<title>Speedup by mode: I/O-bound vs CPU-bound work</title>\|<title>Scaling of' "$svg"
	done
	# seq's point is at exactly 1 worker; the others are nudged apart
	awk 'prev == "seq" { print; exit } { prev = $0 }' "$SCRATCH/p/speedup-vs-workers-sleep.dat" | grep -q '^1	'
}

@test "timelines: CPU time inside each task's span, a lane per worker, one axis by default" {
	tiny --workload cpu --modes seq,threadpool --workers 2 --tasks 3 --work 0.05
	dat="$SCRATCH/p/timeline-cpu.dat"
	# block 0: seq's one lane and threadpool's two, one label format
	[ "$(sed -n '/^$/q;p' "$dat" | grep -c ' · w[0-9]$')" -eq 3 ]
	# block 3: 6 tasks; the on-CPU part ends inside the span
	awk 'BEGIN { RS = "\n\n\n" } NR == 4' "$dat" >"$SCRATCH/tasks"
	[ "$(grep -c . "$SCRATCH/tasks")" -eq 6 ]
	awk -F'\t' '{ if (!($6 >= $2 && $6 <= $3 + 1e-9)) exit 1 }' "$SCRATCH/tasks"
	grep -q 'one axis for every mode' "$SCRATCH/p/timeline-cpu.svg"
	grep -q 'seq: on CPU' "$SCRATCH/p/timeline-cpu.svg"
	grep -q 'threadpool: on CPU' "$SCRATCH/p/timeline-cpu.svg"
	grep -q 'lighter: waiting' "$SCRATCH/p/timeline-cpu.svg"
	run "$BENCH" --plots-only "$SCRATCH/r.csv" --plots-dir "$SCRATCH/own" --timeline-axis own
	[ "$status" -eq 0 ]
	grep -q "% of that run's wall time" "$SCRATCH/own/timeline-cpu.svg"
	grep -q 'each run at its own length: seq ' "$SCRATCH/own/timeline-cpu.svg"
	run "$BENCH" --plots-only "$SCRATCH/r.csv" --timeline-axis sideways
	[ "$status" -eq 2 ]
	[[ "$output" == *"--timeline-axis: unknown axis 'sideways' (valid: shared, own)"* ]]
}

@test "a timeline with more workers than lanes says which it left out" {
	tiny --workload noop --modes pthread --tasks 70
	svg="$SCRATCH/p/timeline-noop.svg"
	grep -q 'not every lane fits: pthread: 64 of 70 workers drawn' "$svg"
	grep -q 'pthread · 6 more not drawn' "$SCRATCH/p/timeline-noop.dat"
	[ "$(sed -n '/^$/q;p' "$SCRATCH/p/timeline-noop.dat" | wc -l)" -eq 65 ]
}

@test "the report draws each host's best time, the value the report says" {
	python3 "$BATS_TEST_DIRNAME/make_runs.py" "$SCRATCH/a.csv" --host alpha --seed 1 --workloads cpu
	python3 "$BATS_TEST_DIRNAME/make_runs.py" "$SCRATCH/b.csv" --host beta --seed 2 --factor 3 --workloads cpu
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	grep -q '](hosts-time-cpu.png)' "$SCRATCH/rep/report.md"
	grep -q 'median wall time (ms)' "$SCRATCH/rep/hosts-time-cpu.svg"
	python3 - "$SCRATCH/rep" <<'PY'
import json, sys
d = sys.argv[1]
r = json.load(open(d + "/report.json"))
best = {h: min(c["median_s"] for c in r["cells"] if c["host"] == h) for h in ("alpha", "beta")}
rows = open(d + "/hosts-time-cpu.dat").read().split("\n\n\n")
names = [l.split("\t")[1] for l in rows[0].splitlines()]
vals = [float(l.split("\t")[1]) / 1e3 for l in rows[1].strip().splitlines()]
assert names == ["alpha", "beta"], names
for n, v in zip(names, vals):
    assert abs(v - best[n]) < 1e-6, (n, v, best[n])
texts = [l.split("\t")[5] for l in rows[1].strip().splitlines()]
assert all(t.startswith("threadpool ×4: ") for t in texts), texts
PY
	# the by-mode chart names each bar's worker count
	grep -q 'alpha · threadpool ×4' "$SCRATCH/rep/hosts-speedup-cpu.dat"
}
