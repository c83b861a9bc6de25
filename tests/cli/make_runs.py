#!/usr/bin/env python3
"""Write a bench runs CSV (schema 2) from a known law, for the report tests.

make_runs.py OUT --host H [--id ID] [--cpu MODEL] [--pus N] [--factor F]
             [--reps N] [--others S] [--serial S] [--workers 1,2,4]
             [--workloads cpu,sleep] [--seed N] [--noise R]

Per repetition: seq, then threadpool at each worker count; wall times
T = factor * T1 * (s + (1 - s) / min(w, pus)) * (1 + noise), T1 = 1 s for
cpu (task CPU = wall: it computes) and 0.5 s for sleep (it waits: p = w).
"""
import hashlib
import argparse
import random

COLS = ("schema,run,started,host,machine_id,cpu_model,arch,packages,cores,pus,usable_pus,"
        "numa_nodes,mem_bytes,l1d_bytes,l2_bytes,l3_bytes,os,kernel,compiler,bench_version,"
        "workload,params,mode,workers,pin,pinned,rep,warmup,tasks,completed,failed,wall_s,"
        "spawn_s,user_s,sys_s,max_rss_kb,nvcsw,nivcsw,ideal_s,status,message,ideal_exact,"
        "mem_kb,minflt,majflt,task_cpu_s,task_wall_s,others_cpu_s,steal_s,psi_cpu_some_s,"
        "load1,seed,order")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("out")
    a.add_argument("--host", required=True)
    a.add_argument("--id", default="")
    a.add_argument("--cpu", default="Test CPU")
    a.add_argument("--pus", type=int, default=4)
    a.add_argument("--factor", type=float, default=1.0)
    a.add_argument("--reps", type=int, default=6)
    a.add_argument("--others", type=float, default=0.0)
    a.add_argument("--serial", type=float, default=0.1)
    a.add_argument("--workers", default="1,2,4")
    a.add_argument("--workloads", default="cpu,sleep")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--noise", type=float, default=0.02)
    o = a.parse_args()
    rnd = random.Random(o.seed)
    mid = o.id or hashlib.sha256(o.host.encode()).hexdigest()[:12]   # the same on every run
    fp = [o.host, mid, o.cpu, "x86_64", "1", str(o.pus), str(o.pus), str(o.pus), "1",
          "8589934592", "32768", "524288", "8388608", "Debian 12", "Linux 6.1", "cc 12.2.0",
          "0.1.0"]
    rows = [COLS]
    seq = 0
    session = "%06x" % rnd.randrange(1 << 24)
    for rep in range(1, o.reps + 1):
        for wl in o.workloads.split(","):
            t1, computes = (1.0, True) if wl == "cpu" else (0.5, False)
            for mode, w in [("seq", 1)] + [("threadpool", int(x)) for x in o.workers.split(",")]:
                par = min(w, o.pus) if computes else w
                s = 0.0 if mode == "seq" else o.serial
                wall = o.factor * t1 * (s + (1 - s) / par) * (1 + o.noise * rnd.uniform(-1, 1))
                task = o.factor * t1 * (1 - s)
                seq += 1
                rows.append(",".join(["2", "%s-%d" % (session, seq), "2026-01-01T00:00:00Z"] + fp + [
                    wl, "8 x 1", mode, str(w), "none", "0", str(rep), "0", "8", "8", "0",
                    "%.6f" % wall, "0.0001", "%.6f" % (task if computes else 0.001), "0.001",
                    "4000", "10", "1", "%.6f" % (wall * 0.9), "ok", "", "1", "4000", "100", "0",
                    "%.6f" % (task if computes else task * 0.005), "%.6f" % task,
                    "%.6f" % (o.others * wall), "0", "0", "0.1", "1", str(seq)]))
    with open(o.out, "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
