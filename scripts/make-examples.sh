#!/usr/bin/env bash
# Remake results/examples/ from measurements, so that nothing in it can go
# stale: the runs CSVs, the report made from them, and the charts.
#
#   scripts/make-examples.sh [--report-only] [BENCH]
#
# Without --report-only it first measures this host (the matrix below) into
# results/examples/NAME.csv and NAME-tasks.csv, replacing them, where NAME is
# $EXAMPLE_NAME or HOST-Npu.  Run it on a quiet machine: the runs record
# how busy the machine was (others_cpu_s, steal_s), and the report marks
# what was contended and withholds verdicts there; the script says so at
# the end.  Then, always:
#   - results/examples/report/: bench report over every runs CSV in
#     results/examples/ (in name order), report.md, report.json and the
#     charts as PNG (tests/cli/examples.bats checks that report.md and
#     report.json are exactly what the committed CSVs give);
#   - results/examples/charts/NAME/: a few charts of each host whose tasks
#     file is there (bench --plots-only);
#   - results/examples/scaling-xeon-16pu/charts/: that run's charts, with
#     the scaling fits.
set -eu
report_only=0
if [ "${1:-}" = "--report-only" ]; then
	report_only=1
	shift
fi
top=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-$top/build/bench}
ex=$top/results/examples
[ -x "$bench" ] || { echo "make-examples: $bench: not built (make)" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "make-examples: gnuplot is needed for the charts" >&2; exit 2; }
cd "$top"

measure() {
	local name=${EXAMPLE_NAME:-$(hostname)-$(nproc)pu}
	local csv=$ex/$name.csv
	rm -f "$csv" "${csv%.csv}-tasks.csv"
	common=(--modes seq,pthread,fork,threadpool,procpool --workers 1,2,4,8,16 --reps 6
		--warmup 1 --seed 1 --csv "$csv" --no-plots --quiet --results /tmp/bench-examples)
	echo "== measuring $name into $csv"
	"$bench" machine
	"$bench" --workload sleep,cpu,images --tasks 16 --seconds 0.05 --work 0.2 --quick "${common[@]}"
	"$bench" --workload noop --tasks 200 "${common[@]}"
	# noop's 200-task rows would make the tasks file large; its charts need only the runs
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "workload") w = i; print; next }
		$w != "noop"' "${csv%.csv}-tasks.csv" >"$csv.tmp" && mv "$csv.tmp" "${csv%.csv}-tasks.csv"
}

report() {
	local csvs=()
	for f in "$ex"/*.csv; do
		case $f in *-tasks.csv) ;; *) csvs+=("$f") ;; esac
	done
	rm -rf "$ex/report"
	echo "== bench report ${csvs[*]##*/}"
	"$bench" report "${csvs[@]}" --out "$ex/report" >/dev/null
	rm -f "$ex"/report/*.dat "$ex"/report/*.svg
	python3 - "$ex/report/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
busy = sorted({c["host"] for c in r["cells"] if c["contended"]})
if busy:
    print("make-examples: contended runs on %s: the report withholds verdicts there; "
          "rerun on a quiet machine" % ", ".join(busy))
PY
}

charts() {
	local keep=(speedup-io-vs-cpu-bound speedup-vs-workers-cpu timeline-images timeline-sleep
		    wall-spread-images overhead-noop)
	for csv in "$ex"/*.csv; do
		case $csv in *-tasks.csv) continue ;; esac
		[ -e "${csv%.csv}-tasks.csv" ] || continue
		local name=${csv##*/}
		name=${name%.csv}
		local tmp
		tmp=$(mktemp -d)
		"$bench" --plots-only "$csv" --plots-dir "$tmp" >/dev/null
		rm -rf "$ex/charts/$name"
		mkdir -p "$ex/charts/$name"
		for c in "${keep[@]}" ; do
			[ -e "$tmp/$c.png" ] && cp "$tmp/$c.png" "$ex/charts/$name/"
		done
		cp "$tmp"/scaling-*.png "$ex/charts/$name/" 2>/dev/null || true
		rm -rf "$tmp"
	done
	rm -f "$ex"/charts/*.png     # an older, flat layout
	local sx=$ex/scaling-xeon-16pu
	rm -rf "$sx/charts"
	"$bench" --plots-only "$sx/xeon-16pu.csv" --plots-dir "$sx/charts" >/dev/null
	rm -f "$sx"/charts/*.dat "$sx"/charts/*.svg
}

[ "$report_only" = 1 ] || measure
report
charts
echo "== done: $ex"
