#!/usr/bin/env bats
# How bench measures: contention, intervals, repetitions and order, the
# ideal, memory.  No timing assertion: only facts a busy machine cannot
# change (a sleep never ends early; a shuffle is a permutation).

load helpers

setup() { setup_scratch; }
teardown() {
	[ -n "${LOOPS:-}" ] && kill $LOOPS 2>/dev/null
	teardown_scratch
}

# Busy time others used over @1 seconds, as a share of the PUs (0..1).
others_share() {
	python3 - "$1" <<'EOF'
import os, sys, time
def busy():
    t = [l.split() for l in open('/proc/stat') if l.startswith('cpu') and l[3].isdigit()]
    return sum(sum(int(x) for x in (f[1], f[2], f[3], f[6], f[7])) for f in t), len(t)
b0, n = busy(); time.sleep(float(sys.argv[1])); b1, _ = busy()
print((b1 - b0) / os.sysconf('SC_CLK_TCK') / float(sys.argv[1]) / n)
EOF
}

@test "a busy machine is said: warning, contended rows, verdict withheld, no classification" {
	pus=$(nproc)
	LOOPS=""
	for _ in $(seq "$pus"); do
		( while :; do :; done ) &
		LOOPS="$LOOPS $!"
	done
	run "$BENCH" --workload cpu --modes seq,threadpool --workers 2 --tasks 4 --work 1 \
		--reps 6 --warmup 0 --csv "$SCRATCH/busy.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: other processes used "*" PU"*"speedups below are not trustworthy; rerun on a quiet machine"* ]]
	[[ "$output" == *"! contended"* ]]
	[[ "$output" == *"verdict withheld"* ]]
	[[ "$output" == *"not classified (contended runs)"* ]]
	if grep -q 'CPU-bound\|I/O-bound\| won: ' <<<"$output"; then false; fi
	run "$BENCH" report "$SCRATCH/busy.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	grep -q 'verdict withheld' "$SCRATCH/rep/report.md"
	grep -q '(contended)' "$SCRATCH/rep/report.md"
	run "$BENCH" --workload cpu --modes seq,threadpool --workers 2 --tasks 4 --work 1 \
		--reps 6 --warmup 0 --csv "$SCRATCH/busy2.csv" --no-plots --quiet --json
	kill $LOOPS
	LOOPS=""
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["contention"]["contended"] is True, d["contention"]
assert d["contention"]["pus_taken"] > 0.5, d["contention"]
assert all(r["contended"] is True for r in d["summary"]), d["summary"]
v = d["verdict"][0]
assert v["contended"] is True and v["winner"] is None and v["recommend"] is None, v
assert v["task_cpu_per_wall"] is None, v
' "$output"
	# the raw figures are in the CSV
	[ "$(csv_col "$SCRATCH/busy.csv" others_cpu_s | awk '$1 > 0.05' | wc -l)" -ge 6 ]
}

@test "a quiet machine gets no warning and a classification" {
	share=$(others_share 1)
	if awk -v s="$share" 'BEGIN { exit !(s > 0.03) }'; then
		skip "the machine is busy (others use $share of its PUs): nothing to check here"
	fi
	run "$BENCH" --workload cpu --modes seq,threadpool --workers 2 --tasks 4 --work 1 \
		--reps 6 --warmup 0 --csv "$SCRATCH/q.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
if d["contention"]["contended"]:
    sys.exit("busy during the run: " + str(d["contention"]))
v = d["verdict"][0]
assert v["contended"] is False and v["kind"] == "CPU-bound", v
' "$output" || skip "the machine became busy during the run"
}

@test "below 6 repetitions there is a range, never an interval; from 6 on an interval" {
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 2 --tasks 2 --seconds 0.01 \
		--reps 3 --warmup 0 --csv "$SCRATCH/r3.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
for r in json.loads(sys.argv[1])["summary"]:
    assert r["n"] == 3 and r["wall_ci95_lo_s"] is None and r["wall_ci95_hi_s"] is None, r
    assert r["speedup_ci95_lo"] is None and r["speedup_ci95_hi"] is None, r
    assert r["speedup"] > 0, r
' "$output"
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 2 --tasks 2 --seconds 0.01 \
		--reps 3 --warmup 0 --csv "$SCRATCH/r3b.csv" --no-plots --quiet
	[[ "$output" == *"range "* ]]
	[[ "$output" != *"0 us"* ]]
	run "$BENCH" --workload sleep --modes seq,threadpool --workers 2 --tasks 2 --seconds 0.01 \
		--reps 6 --warmup 0 --csv "$SCRATCH/r6.csv" --no-plots --quiet --json
	python3 -c '
import json, sys
for r in json.loads(sys.argv[1])["summary"]:
    assert r["n"] == 6, r
    # n = 6: the interval is [min, max]
    assert r["wall_ci95_lo_s"] == r["wall_min_s"] and r["wall_ci95_hi_s"] == r["wall_max_s"], r
    assert 0 < r["speedup_ci95_lo"] <= r["speedup"] <= r["speedup_ci95_hi"], r
' "$output"
}

@test "--reps auto: a warm-up, at least 6 reps, each in a seeded shuffled order" {
	run "$BENCH" --workload sleep --modes all --tasks 2 --seconds 0.005 --seed 7 \
		--max-reps 8 --csv "$SCRATCH/a.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/a.csv" <<'EOF'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1])))
combos = {(r["mode"], r["workers"]) for r in rows}
warm = [r for r in rows if r["warmup"] == "1"]
meas = [r for r in rows if r["warmup"] == "0"]
assert len(warm) == len(combos), (len(warm), combos)
reps = collections.Counter((r["mode"], r["workers"]) for r in meas)
assert set(reps.values()) == {reps[next(iter(reps))]}, reps
assert 6 <= min(reps.values()) <= 8, reps
assert {r["seed"] for r in rows} == {"7"}
by_rep = collections.defaultdict(list)
for r in rows:
    by_rep[(r["warmup"], r["rep"])].append(int(r["order"]))
for k, orders in by_rep.items():
    assert sorted(orders) == list(range(1, len(combos) + 1)), (k, orders)
# the order differs between reps: a shuffle, not the plan order each time
firsts = {tuple(r["mode"] for r in rows if (r["warmup"], r["rep"]) == k) for k in by_rep}
assert len(firsts) > 1, firsts
EOF
	# the same seed, the same orders
	run "$BENCH" --workload sleep --modes all --tasks 2 --seconds 0.005 --seed 7 \
		--reps 2 --csv "$SCRATCH/s1.csv" --no-plots --quiet
	run "$BENCH" --workload sleep --modes all --tasks 2 --seconds 0.005 --seed 7 \
		--reps 2 --csv "$SCRATCH/s2.csv" --no-plots --quiet
	[ "$(csv_col "$SCRATCH/s1.csv" mode)" = "$(csv_col "$SCRATCH/s2.csv" mode)" ]
	run "$BENCH" --reps some
	[ "$status" -eq 2 ]
	[[ "$output" == *"--reps: 'some' is not a whole number"*"or auto"* ]]
	run "$BENCH" --precision 0
	[ "$status" -eq 2 ]
}

@test "the ideal is the optimum: 0.3,0.2,0.2,0.3,0.2 s on 2 workers is 0.6 s, and nothing beats it" {
	run "$BENCH" --workload sleep --modes seq,threadpool,procpool,pthread,fork --workers 2 \
		--seconds 0.3,0.2,0.2,0.3,0.2 --reps 1 --warmup 0 --csv "$SCRATCH/i.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/i.csv" <<'EOF'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    ideal, wall = float(r["ideal_s"]), float(r["wall_s"])
    want = {"seq": 1.2, "threadpool": 0.6, "procpool": 0.6, "pthread": 0.3, "fork": 0.3}[r["mode"]]
    assert abs(ideal - want) < 1e-9, (r["mode"], ideal, want)
    assert r["ideal_exact"] == "1", r
    # a sleep cannot end early: a makespan below the ideal is a bug (1 ms of clock slack)
    assert wall >= ideal - 0.001, (r["mode"], wall, ideal)
EOF
}

@test "memory: fork's children are not summed with bench's shared pages" {
	run "$BENCH" --workload noop --modes seq,fork --tasks 200 --reps 1 --warmup 0 \
		--csv "$SCRATCH/m.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/m.csv" <<'EOF'
import csv, sys
rows = {r["mode"]: r for r in csv.DictReader(open(sys.argv[1]))}
seq, fork = rows["seq"], rows["fork"]
# the upper bound sums every child's whole resident size ...
assert int(fork["max_rss_kb"]) > 20 * int(seq["max_rss_kb"]), (fork["max_rss_kb"], seq["max_rss_kb"])
# ... the figure that counts shared pages once stays near one process
assert 0 < int(fork["mem_kb"]) < 3 * int(seq["mem_kb"]), (fork["mem_kb"], seq["mem_kb"])
assert int(fork["minflt"]) > 0
EOF
}

@test "one analysis path: the live summary and bench report of its CSV agree" {
	run "$BENCH" --workload sleep --modes seq,threadpool,procpool --workers 2 --tasks 2 \
		--seconds 0.01 --reps 6 --warmup 0 --csv "$SCRATCH/o.csv" --no-plots --quiet --json
	[ "$status" -eq 0 ]
	echo "$output" >"$SCRATCH/live.json"
	run "$BENCH" report "$SCRATCH/o.csv" --out "$SCRATCH/rep"
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/live.json" "$SCRATCH/rep/report.md" <<'EOF'
import json, sys
live = json.load(open(sys.argv[1]))
md = open(sys.argv[2]).read()
for r in live["summary"]:
    # the report prints the same speedups as the live summary
    if r["mode"] != "seq":
        assert "%.2f×" % r["speedup"] in md, (r["mode"], r["speedup"])
head = live["verdict"][0]["headline"]
assert head.replace("*", "")[:40] in md.replace("\\", ""), head
EOF
}
