#!/usr/bin/env bats
# bench report across hosts: sources, the baseline, tested ratios, the
# ranking, report.json's fields, and a report that stays readable at 20 hosts.
# The CSVs come from a known law (make_runs.py), so the answers are known.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

runs() { python3 "$BATS_TEST_DIRNAME/make_runs.py" "$@"; }

@test "report.json has the fields the issue names, and a slower host is found slower, with a test" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1
	runs "$SCRATCH/b.csv" --host beta --factor 2 --cpu "Other CPU" --seed 2
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	[ -s "$SCRATCH/rep/report.md" ]
	python3 - "$SCRATCH/rep/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["baseline"] == "alpha", r["baseline"]
hosts = {h["name"]: h for h in r["hosts"]}
assert set(hosts) == {"alpha", "beta"} and hosts["beta"]["cpu_model"] == "Other CPU", hosts
for k in ("machine_id", "cpu_model", "pus", "usable_pus", "os", "kernel", "compiler", "sources"):
    assert k in hosts["alpha"], k
for c in r["cells"]:
    for k in ("host", "source", "workload", "mode", "workers", "n", "median_s", "ci95_lo_s", "ci95_hi_s"):
        assert k in c, (k, c)
assert len(r["cells"]) == 2 * 2 * 4, len(r["cells"])
assert all(c["n"] == 6 and c["ci95_lo_s"] <= c["median_s"] <= c["ci95_hi_s"] for c in r["cells"])
comps = r["comparisons"]
assert len(comps) == 2 * 4, len(comps)
for c in comps:
    for k in ("workload", "mode", "workers", "baseline", "other", "ratio", "p_value", "significant"):
        assert k in c, (k, c)
    # beta is twice as slow everywhere, and 6 against 6 runs can show it
    assert c["baseline"] == "alpha" and c["other"] == "beta", c
    assert 1.9 < c["ratio"] < 2.1 and c["p_value"] < 0.05 and c["significant"] is True, c
rank = r["ranking"]
assert [x["host"] for x in rank] == ["alpha", "beta"], rank
for k in ("host", "geomean_ratio", "lo", "hi"):
    assert k in rank[1], k
assert rank[0]["geomean_ratio"] == 1
assert 1 < rank[1]["lo"] <= rank[1]["geomean_ratio"] <= rank[1]["hi"] < 2.2, rank[1]
fits = r["fits"]
assert len(fits) == 4, fits      # cpu and sleep threadpool on both hosts
for f in fits:
    for k in ("host", "workload", "mode", "amdahl_serial", "amdahl_lo", "amdahl_hi",
              "usl_sigma", "usl_kappa", "usl_peak_workers"):
        assert k in f, (k, f)
    assert abs(f["amdahl_serial"] - 0.1) < 0.03, f
PY
	md="$SCRATCH/rep/report.md"
	grep -q '^## Ranking' "$md"
	grep -q '^## Scaling fits' "$md"
	grep -q '\*\*2.0[0-9]×\*\* (p=0.0022)' "$md"
	# the fingerprint fields that differ are the table's columns; the rest are said once
	grep -q '^| host | source | CPU | others used | runs |' "$md"
	grep -q '^Same on every host: .*\*\*arch\*\* x86\\_64' "$md"
}

@test "a difference that is not significant is shown as ~, benchstat's way" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1 --reps 3
	runs "$SCRATCH/b.csv" --host beta --seed 2 --reps 3 --factor 1.01
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	# 3 runs against 3 can never reach p < 0.05 (the smallest p is 0.1)
	grep -q '| ~ (p=0\.1) |' "$SCRATCH/rep/report.md"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert all(c["significant"] is False and c["p_value"] >= 0.1 for c in r["comparisons"]), r["comparisons"]
' "$SCRATCH/rep/report.json"
}

@test "--baseline picks the host compared with; an unknown one exits 2 naming the hosts" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1
	runs "$SCRATCH/b.csv" --host beta --factor 0.5 --seed 2
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots --baseline beta
	[ "$status" -eq 0 ]
	grep -q 'Baseline: \*\*beta\*\*' "$SCRATCH/rep/report.md"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["baseline"] == "beta" and all(c["other"] == "alpha" for c in r["comparisons"])
assert [x["host"] for x in r["ranking"]] == ["beta", "alpha"], r["ranking"]
' "$SCRATCH/rep/report.json"
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep2" --baseline gamma
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline 'gamma': no such host (hosts: alpha, beta; give a host's name, or HOST:FILE"* ]]
	[ ! -e "$SCRATCH/rep2/report.md" ]
}

@test "--baseline with a host name two machines share exits 2 and names both, their full names pick one" {
	runs "$SCRATCH/a.csv" --host vm --id aaaaaa000001 --seed 1
	runs "$SCRATCH/b.csv" --host vm --id bbbbbb000002 --factor 0.5 --seed 2
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots --baseline vm
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline 'vm': more than one machine has that host name (hosts: vm (aaaaaa), vm (bbbbbb); give one's full name)"* ]]
	[ ! -e "$SCRATCH/rep/report.md" ]
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots \
		--baseline "vm (bbbbbb)"
	[ "$status" -eq 0 ]
	grep -q 'Baseline: \*\*vm (bbbbbb)\*\*' "$SCRATCH/rep/report.md"
}

@test "two files from one host are two labelled sources, unless --pool" {
	runs "$SCRATCH/monday.csv" --host alpha --id 0123456789ab --seed 1
	runs "$SCRATCH/tuesday.csv" --host alpha --id 0123456789ab --seed 2 --factor 1.3
	run "$BENCH" report "$SCRATCH/monday.csv" "$SCRATCH/tuesday.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	[[ "$output" == *"(2 hosts, 2 workloads)"* ]]
	grep -q '| \*\*alpha · monday.csv\*\* | monday.csv |' "$SCRATCH/rep/report.md"
	grep -q '| \*\*alpha · tuesday.csv\*\* | tuesday.csv |' "$SCRATCH/rep/report.md"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert [h["name"] for h in r["hosts"]] == ["alpha · monday.csv", "alpha · tuesday.csv"], r["hosts"]
assert all(h["host"] == "alpha" and not h["pooled"] for h in r["hosts"])
assert {c["source"] for c in r["cells"]} == {"monday.csv", "tuesday.csv"}
assert all(c["significant"] for c in r["comparisons"]), r["comparisons"]
' "$SCRATCH/rep/report.json"
	run "$BENCH" report "$SCRATCH/monday.csv" "$SCRATCH/tuesday.csv" --out "$SCRATCH/pool" --no-plots --pool
	[ "$status" -eq 0 ]
	[[ "$output" == *"(1 host, 2 workloads)"* ]]
	grep -q '| \*\*alpha\*\* | monday.csv + tuesday.csv (pooled) |' "$SCRATCH/pool/report.md"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["hosts"]) == 1 and r["hosts"][0]["pooled"] is True, r["hosts"]
assert r["hosts"][0]["sources"] == ["monday.csv", "tuesday.csv"], r["hosts"]
assert all(c["n"] == 12 for c in r["cells"]), r["cells"]
assert r["comparisons"] == []
' "$SCRATCH/pool/report.json"
}

@test "contended runs are marked and never called significant" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1
	runs "$SCRATCH/b.csv" --host beta --factor 2 --seed 2 --others 3
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	grep -q '! (contended)' "$SCRATCH/rep/report.md"
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert all(c["contended"] and not c["significant"] for c in r["comparisons"]), r["comparisons"]
assert r["ranking"][1]["contended"] is True
assert all(f["fitted"] is False and "contended" in f["reason"] for f in r["fits"] if f["host"] == "beta")
' "$SCRATCH/rep/report.json"
}

@test "a host whose rows record no contention is said to be not known quiet, in report.md and report.json" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1
	runs "$SCRATCH/b.csv" --host beta --seed 2
	# beta's rows as an older bench wrote them: no others_cpu_s
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "others_cpu_s") c = i }
		NR > 1 { $c = "" } { print }' "$SCRATCH/b.csv" >"$SCRATCH/old.csv"
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/old.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	grep -q '| not recorded |' "$SCRATCH/rep/report.md"
	grep -q '^Not known whether other processes used the PUs of beta ([0-9]* of its [0-9]* runs)' "$SCRATCH/rep/report.md"
	[ "$(grep -c 'PUs of alpha' "$SCRATCH/rep/report.md")" -eq 0 ]
	grep -q '^Fitted from runs whose contention was not recorded: beta (see Machines)' "$SCRATCH/rep/report.md"
	python3 -c '
import json, sys
h = {x["host"]: x for x in json.load(open(sys.argv[1]))["hosts"]}
assert h["alpha"]["contention_recorded"] is True and h["alpha"]["pus_taken"] == 0, h["alpha"]
assert h["beta"]["contention_recorded"] is False and h["beta"]["pus_taken"] is None, h["beta"]
' "$SCRATCH/rep/report.json"
}

@test "at 20 hosts the text does not grow a sentence per host and the charts keep their titles" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
	files=()
	for i in $(seq 1 20); do
		runs "$SCRATCH/h$i.csv" --host "host-$i" --seed "$i" --factor "1.$i" --reps 3 --workloads cpu
		files+=("$SCRATCH/h$i.csv")
	done
	run "$BENCH" report "${files[@]}" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	md="$SCRATCH/rep/report.md"
	head -1 "$md" | grep -q '^# bench report: cpu on 20 hosts$'
	# prose lines (not tables, headings or charts) do not depend on the number of hosts
	prose=$(grep -cv '^|\|^#\|^!\[\|^$' "$md")
	runs "$SCRATCH/x1.csv" --host "host-1" --seed 1 --reps 3 --workloads cpu
	runs "$SCRATCH/x2.csv" --host "host-2" --seed 2 --reps 3 --workloads cpu --factor 1.2
	"$BENCH" report "$SCRATCH/x1.csv" "$SCRATCH/x2.csv" --out "$SCRATCH/two" >/dev/null
	[ "$prose" -eq "$(grep -cv '^|\|^#\|^!\[\|^$' "$SCRATCH/two/report.md")" ]
	# every host has a bar in the host-speed chart, whose SVG title is the chart's title
	svg="$SCRATCH/rep/hosts-time-cpu.svg"
	grep -q '<title>Best time on each host: cpu (8 x 1)</title>' "$svg"
	for i in $(seq 1 20); do grep -q ">host-$i<" "$svg"; done
	# each host's scaling chart says whose it is in its title
	for i in 1 20; do
		grep -q "<title>Scaling of [a-z]* on host-$i: cpu (8 x 1)</title>" \
			"$SCRATCH"/rep/scaling-host-$i-cpu-*.svg
	done
	# no subtitle line is longer than the chart can show (wrapped at " · ")
	python3 - "$SCRATCH/rep" <<'PY'
import glob, re, sys
for dat in glob.glob(sys.argv[1] + "/*.svg"):
    svg = open(dat).read()
    width = float(re.search(r'<svg[^>]* width="(\d+)', svg).group(1))
    for line in re.findall(r'<text[^>]*>([^<]*)</text>', svg):
        assert len(line) <= width / 10 + 1, (dat, line)
PY
}

@test "a FIFO where report.md goes is refused before anything is written, exit 2" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1 --reps 2
	mkdir "$SCRATCH/rep"
	mkfifo "$SCRATCH/rep/report.md"
	run timeout 20 "$BENCH" report "$SCRATCH/a.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 2 ]
	[[ "$output" == *"report.md: it is a FIFO, not a regular file"* ]]
	[ ! -e "$SCRATCH/rep/report.json" ]
}

@test "--baseline and --pool belong to bench report: a run with them exits 2 before running" {
	run "$BENCH" --workload sleep --modes seq --tasks 1 --seconds 0.01 --csv "$SCRATCH/r.csv" --baseline x
	[ "$status" -eq 2 ]
	[[ "$output" == *"--baseline: only bench report takes it"* ]]
	run "$BENCH" --workload sleep --modes seq --tasks 1 --seconds 0.01 --csv "$SCRATCH/r.csv" --pool
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pool: only bench report takes it"* ]]
	[ ! -e "$SCRATCH/r.csv" ]
}

@test "--baseline takes a host with two sources by its name (its first) or as HOST:FILE" {
	"$BENCH" --workload sleep --modes seq,threadpool --workers 2 --tasks 2 --seconds 0.005 \
		--reps 2 --warmup 0 --csv "$SCRATCH/one.csv" --no-plots --quiet
	cp "$SCRATCH/one.csv" "$SCRATCH/two.csv"
	host=$(csv_col "$SCRATCH/one.csv" host | head -1)
	run "$BENCH" report "$SCRATCH/one.csv" "$SCRATCH/two.csv" --baseline "$host" --out "$SCRATCH/r1"
	[ "$status" -eq 0 ]
	run "$BENCH" report "$SCRATCH/one.csv" "$SCRATCH/two.csv" --baseline "$host:two.csv" \
		--out "$SCRATCH/r2"
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
assert a["comparisons"] and b["comparisons"], (a["comparisons"], b["comparisons"])
assert a["comparisons"][0]["baseline"].endswith("one.csv"), a["comparisons"][0]
assert b["comparisons"][0]["baseline"].endswith("two.csv"), b["comparisons"][0]
' "$SCRATCH/r1/report.json" "$SCRATCH/r2/report.json"
	run "$BENCH" report "$SCRATCH/one.csv" "$SCRATCH/two.csv" --baseline "$host:three.csv" \
		--out "$SCRATCH/r3"
	[ "$status" -eq 2 ]
}

@test "a workload measured with two params is named once in the title, and gets a section each" {
	for s in 0.01 0.02; do
		run "$BENCH" --warmup 0 --workload sleep --seconds "$s" --tasks 2 --modes seq --reps 1 \
			--csv "$SCRATCH/p.csv" --no-plots --quiet
		[ "$status" -eq 0 ]
	done
	run "$BENCH" report "$SCRATCH/p.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	head -1 "$SCRATCH/rep/report.md" | grep -qx '# bench report: sleep on .*'
	[ "$(grep -c '^## sleep (' "$SCRATCH/rep/report.md")" -eq 2 ]
}

@test "a host measured once has its rank but no interval: one run has nothing to resample" {
	runs "$SCRATCH/a.csv" --host alpha --seed 1
	runs "$SCRATCH/b.csv" --host beta --factor 1.5 --reps 1 --seed 2
	runs "$SCRATCH/c.csv" --host gamma --factor 2 --reps 3 --seed 3
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" "$SCRATCH/c.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/rep/report.json" <<'PY'
import json, sys
rank = {r["host"]: r for r in json.load(open(sys.argv[1]))["ranking"]}
assert rank["beta"]["lo"] is None and rank["beta"]["hi"] is None, rank["beta"]
assert 1.3 < rank["beta"]["geomean_ratio"] < 1.7, rank["beta"]
g = rank["gamma"]
assert g["lo"] is not None and g["lo"] <= g["geomean_ratio"] <= g["hi"], g
PY
	grep -E '^\| [0-9]+ \| beta \| 1\.[0-9]+× \| none \(a best group has 1 rep\) \|' "$SCRATCH/rep/report.md"
	# measured once, the baseline leaves every host without an interval: the
	# row does not say the host was measured once
	run "$BENCH" report "$SCRATCH/a.csv" "$SCRATCH/b.csv" --baseline beta --out "$SCRATCH/rep2" --no-plots
	[ "$status" -eq 0 ]
	grep -E '^\| [0-9]+ \| alpha \| 0\.[0-9]+× \| none \(a best group has 1 rep\) \|' "$SCRATCH/rep2/report.md"
	grep -q 'where every best group involved, the host.s and the baseline.s, has two or more' "$SCRATCH/rep2/report.md"
}

@test "a workload whose only run was stopped gets its reason, not empty tables" {
	"$BENCH" --workload sleep --seconds 5 --tasks 2 --modes seq --reps 1 --warmup 0 \
		--csv "$SCRATCH/i.csv" --no-plots --quiet >"$SCRATCH/live.txt" 2>&1 &
	pid=$!
	for _ in $(seq 50); do [ -s "$SCRATCH/i-tasks.csv" ] || [ -s "$SCRATCH/i.csv" ] && break; sleep 0.1; done
	sleep 0.5
	kill -INT "$pid"
	wait "$pid" || true
	grep -q 'no measured run finished: 1 stopped by you' "$SCRATCH/live.txt"
	! grep -q 'warm-ups' "$SCRATCH/live.txt" || false
	run "$BENCH" report "$SCRATCH/i.csv" --out "$SCRATCH/rep" --no-plots
	[ "$status" -eq 0 ]
	grep -q '| no measured run finished: 1 stopped by you |' "$SCRATCH/rep/report.md"
	grep -q 'No measured run of this workload ended ok on any host' "$SCRATCH/rep/report.md"
	! grep -q '^| mode | workers |' "$SCRATCH/rep/report.md" || false
}
