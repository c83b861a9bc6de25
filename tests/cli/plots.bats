#!/usr/bin/env bats
# Charts, the Perfetto trace and `bench report`, end to end on tiny sleep runs.

load helpers

setup() {
	setup_scratch
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
}
teardown() { teardown_scratch; }

# A tiny run of every mode: 4 tasks of 20 ms, 2 reps.
tiny_run() {
	"$BENCH" --warmup 0 --workload sleep --modes all --tasks 4 --seconds 0.02 --reps 2 \
		--csv "$SCRATCH/r.csv" --plots-dir "$SCRATCH/plots" "$@"
}

@test "a run draws each chart as PNG and SVG and prints their paths" {
	run tiny_run
	[ "$status" -eq 0 ]
	for chart in speedup-vs-workers-sleep wall-spread-sleep timeline-sleep speedup-io-vs-cpu-bound; do
		[[ "$output" == *"$SCRATCH/plots/$chart.png"* ]]
		file "$SCRATCH/plots/$chart.png" | grep -q 'PNG image'
		file "$SCRATCH/plots/$chart.svg" | grep -q 'SVG'
		[ -s "$SCRATCH/plots/$chart.dat" ]
	done
}

@test "--no-plots draws nothing" {
	run tiny_run --no-plots
	[ "$status" -eq 0 ]
	[ ! -e "$SCRATCH/plots" ]
	[[ "$output" != *"charts"* ]]
}

@test "--plots-only redraws from an existing CSV without running" {
	tiny_run --no-plots
	rows=$(csv_rows "$SCRATCH/r.csv")
	run "$BENCH" --plots-only "$SCRATCH/r.csv" --plots-dir "$SCRATCH/again"
	[ "$status" -eq 0 ]
	[ "$(csv_rows "$SCRATCH/r.csv")" -eq "$rows" ]
	file "$SCRATCH/again/timeline-sleep.png" | grep -q 'PNG image'
	file "$SCRATCH/again/speedup-vs-workers-sleep.svg" | grep -q 'SVG'
}

@test "--plots-only on a file that is not a runs CSV exits 2 naming it" {
	tiny_run --no-plots
	run "$BENCH" --plots-only "$SCRATCH/r-tasks.csv" --plots-dir "$SCRATCH/p"
	[ "$status" -eq 2 ]
	[[ "$output" == *"r-tasks.csv:1:"*"not a bench runs CSV"* ]]
}

@test "--trace writes Chrome trace JSON with one X event per task" {
	run tiny_run --no-plots --trace "$SCRATCH/t.json"
	[ "$status" -eq 0 ]
	python3 -m json.tool "$SCRATCH/t.json" >/dev/null
	tasks=$(csv_rows "$SCRATCH/r-tasks.csv")
	[ "$(grep -o '"ph":"X","pid":[0-9]*,"tid":[0-9]*,"name":"task [0-9]*"' "$SCRATCH/t.json" | wc -l)" -eq "$tasks" ]
	grep -q '"name":"process_name"' "$SCRATCH/t.json"
	grep -q '"name":"thread_name"' "$SCRATCH/t.json"
	grep -q '"cpu_start":' "$SCRATCH/t.json"
	grep -q '"status":"ok"' "$SCRATCH/t.json"
}

@test "--trace after an appended run holds only that run's tasks" {
	tiny_run --no-plots
	run tiny_run --no-plots --modes seq --trace "$SCRATCH/t.json"
	[ "$status" -eq 0 ]
	[ "$(grep -o '"ph":"X","pid":[0-9]*,"tid":[0-9]*,"name":"task [0-9]*"' "$SCRATCH/t.json" | wc -l)" -eq 8 ]
}

@test "without gnuplot the run still writes its CSV, says how to install it, exits 0" {
	# bench needs no other program: an empty PATH hides gnuplot
	mkdir "$SCRATCH/bin"
	PATH="$SCRATCH/bin" run "$BENCH" --warmup 0 --workload sleep --modes seq,threadpool --tasks 2 \
		--seconds 0.01 --reps 1 --csv "$SCRATCH/r.csv" --plots-dir "$SCRATCH/plots"
	[ "$status" -eq 0 ]
	[ "$(csv_rows "$SCRATCH/r.csv")" -eq 2 ]
	[[ "$output" == *"gnuplot not found"*"apt-get install gnuplot-nox"* ]]
	[ "$(grep -c 'gnuplot not found' <<<"$output")" -eq 1 ]
}

@test "report over two hosts names both and links its charts" {
	tiny_run --no-plots
	# the same rows as if measured on another machine
	awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "host") h = i; if ($i == "machine_id") m = i } }
		NR > 1 { $h = "otherhost"; $m = "0123456789ab" } { print }' "$SCRATCH/r.csv" >"$SCRATCH/b.csv"
	run "$BENCH" report "$SCRATCH/r.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	md="$SCRATCH/rep/report.md"
	[ -s "$md" ]
	host=$(csv_col "$SCRATCH/r.csv" host | head -1)
	grep -q "$host" "$md"
	grep -q 'otherhost' "$md"
	grep -q '## Machines' "$md"
	grep -q '95 %' "$md"
	# every chart the report links exists and is a PNG
	links=$(grep -o '](hosts-[^)]*\.png)' "$md" | tr -d '()]')
	[ -n "$links" ]
	for l in $links; do
		file "$SCRATCH/rep/$l" | grep -q 'PNG image'
	done
}

@test "report on a torn CSV exits 2 naming the file and line" {
	tiny_run --no-plots
	head -c -7 "$SCRATCH/r.csv" >"$SCRATCH/torn.csv"
	nl=$(wc -l <"$SCRATCH/torn.csv")
	run "$BENCH" report "$SCRATCH/torn.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"torn.csv:$((nl + 1)):"* ]]
}

@test "report on bad quoting or a wrong header exits 2 naming the file and line" {
	tiny_run --no-plots
	awk 'NR == 3 { sub(/,/, ",x\"y,") } { print }' "$SCRATCH/r.csv" >"$SCRATCH/quote.csv"
	run "$BENCH" report "$SCRATCH/quote.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"quote.csv:3:"* ]]
	run "$BENCH" report "$SCRATCH/r-tasks.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"r-tasks.csv:1:"* ]]
}

@test "report refuses mixed schema versions under one header, and unknown ones" {
	tiny_run --no-plots
	awk -F, 'BEGIN { OFS = "," } NR == 3 { $1 = 1 } { print }' "$SCRATCH/r.csv" >"$SCRATCH/mixed.csv"
	run "$BENCH" report "$SCRATCH/mixed.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"mixed.csv:3:"*"mixed schema"* ]]
	awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = 9 } { print }' "$SCRATCH/r.csv" >"$SCRATCH/v9.csv"
	run "$BENCH" report "$SCRATCH/v9.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 2 ]
	[[ "$output" == *"v9.csv:2:"*"schema 9 is not one this bench reads"* ]]
}

@test "report reads schema 1 files beside schema 2 ones" {
	tiny_run --no-plots
	run "$BENCH" report "$SCRATCH/r.csv" "$BATS_TEST_DIRNAME/../../results/examples/epyc-2pu.csv" \
		--out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	[ -s "$SCRATCH/rep/report.md" ]
}
