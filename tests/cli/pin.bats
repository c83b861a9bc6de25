#!/usr/bin/env bats
# Pinning and the machine fingerprint.

load helpers

setup() { setup_scratch; }
teardown() { teardown_scratch; }

@test "bench machine describes the host" {
	run "$BENCH" machine
	[ "$status" -eq 0 ]
	[[ "$output" == *"host "* ]]
	[[ "$output" == *"PUs"* ]]
	[[ "$output" == *"memory"* ]]
	[[ "$output" == *"compiler"* ]]
}

@test "bench machine --json has the documented keys and sane values" {
	run "$BENCH" machine --json
	[ "$status" -eq 0 ]
	echo "$output" | python3 -c '
import json, os, sys
m = json.load(sys.stdin)
for k in ("host", "cpu_model", "packages", "cores", "pus", "numa_nodes", "mem_bytes",
          "os", "kernel", "compiler", "bench_version", "machine_id"):
    assert k in m, k
assert m["pus"] >= 1 and m["cores"] >= 1 and m["packages"] >= 1
assert m["usable_pus"] == len(os.sched_getaffinity(0)), m["usable_pus"]
assert m["mem_bytes"] > 1 << 28
assert len(m["machine_id"]) == 12
'
}

@test "the machine id is stable and follows the host name" {
	a=$("$BENCH" machine --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_id"])')
	b=$("$BENCH" machine --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_id"])')
	[ "$a" = "$b" ]
	if command -v unshare >/dev/null && unshare --uts true 2>/dev/null; then
		c=$(unshare --uts sh -c "hostname other-host-$$; '$BENCH' machine --json" |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["machine_id"])')
		[ "$a" != "$c" ]
	fi
}

@test "fingerprint columns are on every runs row" {
	run "$BENCH" --warmup 0 --workload noop --modes seq --tasks 5 --reps 2 --csv "$SCRATCH/r.csv" --no-plots
	[ "$status" -eq 0 ]
	for col in host machine_id cpu_model packages cores pus numa_nodes mem_bytes os kernel compiler bench_version; do
		vals=$(csv_col "$SCRATCH/r.csv" "$col" | sort -u)
		[ -n "$vals" ] || { echo "column $col empty"; false; }
	done
	[ "$(csv_col "$SCRATCH/r.csv" host | sort -u)" = "$(hostname)" ]
}

@test "compact and scatter record the planned PU beside the CPU seen" {
	run "$BENCH" --warmup 0 --workload sleep --tasks 4 --seconds 0.02 --modes threadpool,procpool \
		--workers 1,2 --pin none,compact,scatter --reps 1 --csv "$SCRATCH/p.csv" --no-plots
	[ "$status" -eq 0 ]
	[[ "$output" == *"compact"* ]]
	[[ "$output" == *"scatter"* ]]
	python3 - "$SCRATCH/p.csv" "$SCRATCH/p-tasks.csv" <<'PY'
import csv, sys
runs = list(csv.DictReader(open(sys.argv[1])))
tasks = list(csv.DictReader(open(sys.argv[2])))
assert len(runs) == 2 * 2 * 3, len(runs)
pinned = {r["run"]: r["pinned"] for r in runs}
for t in tasks:
    if t["pin"] == "none":
        assert t["planned_pu"] == "-1", t
        continue
    assert int(t["planned_pu"]) >= 0, t
    if pinned[t["run"]] == "1":
        # a pinned task starts and ends on its PU
        assert t["cpu_start"] == t["planned_pu"] == t["cpu_end"], t
PY
}

@test "--strict-pin refuses an unknown policy before anything runs" {
	run "$BENCH" --warmup 0 --reps 3 --workload noop --pin sideways --strict-pin --csv "$SCRATCH/r.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--pin"* ]]
	[ ! -e "$SCRATCH/r.csv" ]
}
