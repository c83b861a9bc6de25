#!/usr/bin/env bats
# The Chrome trace: worker start-up, nested images stages, a counter of
# running tasks, instants for crashed and timed-out tasks, the run's slice
# with wall_s and ideal_s, cpu_s per task, mpi lanes named by rank and host.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "the trace has start-ups, nested stages, a counter, the run slice and cpu_s" {
	run "$BENCH" --workload images --quick --modes seq,procpool --workers 2 --reps 1 --warmup 0 \
		--csv "$SCRATCH/r.csv" --no-plots --quiet --trace "$SCRATCH/t.json"
	[ "$status" -eq 0 ]
	python3 - "$SCRATCH/t.json" "$SCRATCH/r.csv" <<'PY'
import csv, json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
runs = {r["run"]: r for r in csv.DictReader(open(sys.argv[2]))}
slices = [e for e in ev if e["ph"] == "X" and e.get("cat") == "run"]
assert len(slices) == len(runs) == 2, slices
for s in slices:
    r = runs[s["args"]["run"]]
    assert abs(s["args"]["wall_s"] - float(r["wall_s"])) < 1e-6, (s, r)
    assert abs(s["args"]["ideal_s"] - float(r["ideal_s"])) < 1e-6, (s, r)
    assert abs(s["dur"] - float(r["wall_s"]) * 1e6) < 1, s
tasks = [e for e in ev if e["ph"] == "X" and e["name"].startswith("task ")]
assert tasks and all(isinstance(t["args"]["cpu_s"], float) and t["args"]["cpu_s"] > 0 for t in tasks)
# every stage lies inside a task of its lane, in the order the stages run
order = ["read", "decode", "blur", "resize", "encode", "write"]
stages = [e for e in ev if e.get("cat") == "stage"]
assert {s["name"] for s in stages} >= {"read", "decode", "resize", "encode", "write"}, stages
for s in stages:
    host = [t for t in tasks if t["pid"] == s["pid"] and t["tid"] == s["tid"]
            and t["ts"] <= s["ts"] + 1e-3 and s["ts"] + s["dur"] <= t["ts"] + t["dur"] + 1]
    assert len(host) == 1, s
# a start-up slice on procpool's worker lanes, from the run's start
starts = [e for e in ev if e["ph"] == "X" and e["name"] == "start-up"]
assert starts and all(e["tid"] > 0 and e["dur"] > 0 for e in starts), starts
# the counter never goes below 0 and ends at 0, and reaches 2 under procpool
count = [e for e in ev if e["ph"] == "C" and e["name"] == "running tasks"]
vals = [e["args"]["running"] for e in count]
assert min(vals) >= 0 and vals[-1] == 0 and max(vals) == 2, vals
names = [e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"]
assert "run" in names and any(n.startswith("worker 1 (pid ") for n in names), names
PY
}

@test "crashed and timed-out tasks are instant events in the trace" {
	run "$BENCH" --workload sleep --modes procpool --workers 2 --tasks 3 --seconds 0.01 --reps 1 \
		--warmup 0 --inject crash:1 --csv "$SCRATCH/c.csv" --no-plots --quiet --trace "$SCRATCH/c.json"
	[ "$status" -eq 1 ]
	run "$BENCH" --workload sleep --modes procpool --workers 2 --tasks 3 --seconds 0.01 --reps 1 \
		--warmup 0 --inject hang:2 --task-timeout 0.3 --csv "$SCRATCH/h.csv" --no-plots --quiet \
		--trace "$SCRATCH/h.json"
	[ "$status" -eq 1 ]
	python3 - "$SCRATCH/c.json" "$SCRATCH/h.json" <<'PY'
import json, sys
c = [e for e in json.load(open(sys.argv[1]))["traceEvents"] if e["ph"] == "i"]
assert len(c) == 1 and c[0]["name"] == "task 1 crashed" and c[0]["args"]["status"] == "crashed", c
assert "SIGSEGV" in c[0]["args"]["message"], c
h = [e for e in json.load(open(sys.argv[2]))["traceEvents"] if e["ph"] == "i"]
assert len(h) == 1 and h[0]["name"] == "task 2 timed out" and h[0]["args"]["status"] == "timeout", h
PY
}

@test "mpi ranks' lanes are named rank R @ HOST, as in the timeline" {
	run "$BENCH" --workload sleep --modes procpool --workers 2 --tasks 4 --seconds 0.01 --reps 1 \
		--warmup 0 --csv "$SCRATCH/m.csv" --no-plots --quiet
	[ "$status" -eq 0 ]
	# the messages mpi's ranks give their tasks
	awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "message") m = i; if ($i == "worker") w = i } print; next }
		{ $m = "rank " ($w + 1) " on node" $w ": ok"; print }' "$SCRATCH/m-tasks.csv" >"$SCRATCH/x"
	mv "$SCRATCH/x" "$SCRATCH/m-tasks.csv"
	run "$BENCH" --plots-only "$SCRATCH/m.csv" --no-plots --trace "$SCRATCH/m.json"
	[ "$status" -eq 0 ]
	grep -q '"args":{"name":"rank 1 @ node0"}' "$SCRATCH/m.json"
	grep -q '"args":{"name":"rank 2 @ node1"}' "$SCRATCH/m.json"
}
