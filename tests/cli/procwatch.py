#!/usr/bin/env python3
"""Run bench in a new session under a child subreaper, disturb it, and
report what it left behind.

  procwatch.py [--when COND] [--signal SIG[,SIG]] [--gap S] [--to group|leader|worker]
               [--limit S] -- COMMAND...

COND: children:N (bench has N child processes), threads:N, file:PATH,
delay:S; the signals are sent when it holds (or after --limit/2 seconds).
--to group sends them to the process group, as a terminal's Ctrl-C does;
leader to bench alone; worker to one child of bench.
Prints, one per line: exit=N (128+sig if bench was killed by sig),
orphans=N (processes bench left to us, alive or zombie, at its exit),
alive=N (processes of its group or left to us still alive 2 s later),
hung=1 when bench had to be killed after --limit seconds, and
after_signal_s=F (signal to exit).  Exits 0 unless it cannot run at all.
"""
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def children_of(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def threads_of(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def stat_of(pid):
    """(state, ppid, pgid) of pid, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    rest = s[s.rindex(")") + 2:].split()
    return rest[0], int(rest[1]), int(rest[2])


def procs(pred):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = stat_of(int(d))
            if st and pred(int(d), st):
                out.append((int(d), st[0]))
    return out


def holds(cond, pid):
    kind, _, arg = cond.partition(":")
    if kind == "children":
        return len(children_of(pid)) >= int(arg)
    if kind == "threads":
        return threads_of(pid) >= int(arg)
    if kind == "file":
        return os.path.exists(arg)
    if kind == "delay":
        return False  # handled by the caller
    raise SystemExit(f"procwatch: unknown condition {cond}")


def main():
    args = sys.argv[1:]
    when, sigs, gap, to, limit = "delay:0.5", [], 0.3, "group", 30.0
    while args and args[0] != "--":
        opt, val = args[0], args[1]
        args = args[2:]
        if opt == "--when":
            when = val
        elif opt == "--signal":
            sigs = [getattr(signal, "SIG" + s) for s in val.split(",") if s]
        elif opt == "--gap":
            gap = float(val)
        elif opt == "--to":
            to = val
        elif opt == "--limit":
            limit = float(val)
        else:
            raise SystemExit(f"procwatch: unknown option {opt}")
    cmd = args[1:]
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    me = os.getpid()
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, start_new_session=True)
    pgid = p.pid
    hung = 0
    sent_at = None
    if sigs:
        if when.startswith("delay:"):
            deadline = t0 + float(when[6:])
            while time.monotonic() < deadline and p.poll() is None:
                time.sleep(0.02)
        else:
            while not holds(when, p.pid) and p.poll() is None and time.monotonic() - t0 < limit / 2:
                time.sleep(0.02)
        for i, sig in enumerate(sigs):
            if p.poll() is not None:
                break
            if i:
                time.sleep(gap)
            if to == "group":
                os.killpg(pgid, sig)
            elif to == "leader":
                os.kill(p.pid, sig)
            else:
                kids = children_of(p.pid)
                if kids:
                    os.kill(kids[0], sig)
            if sent_at is None:
                sent_at = time.monotonic()
    try:
        rc = p.wait(timeout=max(1.0, limit - (time.monotonic() - t0)))
    except subprocess.TimeoutExpired:
        hung = 1
        os.killpg(pgid, signal.SIGKILL)
        rc = p.wait()
    ended = time.monotonic()
    # whatever bench left is now ours (we are its subreaper)
    orphans = procs(lambda pid, st: st[1] == me)
    time.sleep(0.1)
    alive = []
    for _ in range(20):
        alive = procs(lambda pid, st: (st[2] == pgid or st[1] == me) and st[0] != "Z")
        if not alive:
            break
        time.sleep(0.1)
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass
    for pid, _ in alive:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    print(f"exit={rc if rc >= 0 else 128 - rc}")
    print(f"orphans={len(orphans)}")
    print(f"alive={len(alive)}")
    print(f"hung={hung}")
    if sent_at is not None:
        print(f"after_signal_s={ended - sent_at:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
