#!/usr/bin/env bats
# results/examples/ cannot go stale: the committed report is exactly what
# this bench makes from the committed CSVs (scripts/make-examples.sh remakes
# it), and the README quotes that report word for word.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

EX="$BATS_TEST_DIRNAME/../../results/examples"

@test "the example report.md and report.json are what the committed CSVs give" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed (the report links its charts)"
	csvs=()
	for f in "$EX"/*.csv; do
		case $f in *-tasks.csv) ;; *) csvs+=("$f") ;; esac
	done
	[ "${#csvs[@]}" -ge 2 ]
	run "$BENCH" report "${csvs[@]}" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	diff -u "$EX/report/report.md" "$SCRATCH/rep/report.md"
	diff -u "$EX/report/report.json" "$SCRATCH/rep/report.json"
	# and every chart it links is committed beside it
	for l in $(grep -o '](\(hosts\|scaling\)-[^)]*\.png)' "$EX/report/report.md" | tr -d '()]'); do
		file "$EX/report/$l" | grep -q 'PNG image'
	done
}

@test "the README quotes the example report word for word" {
	readme="$BATS_TEST_DIRNAME/../../README.md"
	# the lines between the markers are lines of report.md
	awk '/<!-- quoted from results\/examples\/report\/report.md -->/ { on = 1; next }
		/<!-- end of quote -->/ { on = 0 } on && /^\|/' "$readme" >"$SCRATCH/quoted"
	[ "$(wc -l <"$SCRATCH/quoted")" -ge 3 ]
	while IFS= read -r line; do
		grep -qxF -- "$line" "$EX/report/report.md" || { echo "not in report.md: $line"; false; }
	done <"$SCRATCH/quoted"
	# the charts the README shows are committed
	for png in $(grep -o '](results/examples/[^)]*\.png)' "$readme" | tr -d '()]'); do
		file "$BATS_TEST_DIRNAME/../../$png" | grep -q 'PNG image'
	done
}
