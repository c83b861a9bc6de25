#!/usr/bin/python3
"""What Python's own concurrency costs, for make bench to set beside
bench's figures (scripts/bench_overhead.py reads the PEER lines).

Each figure is the median of --repeat measurements on this machine:

  tp, pp    per no-op task: ThreadPoolExecutor / ProcessPoolExecutor with
            --workers workers, already started, --tasks submit()s then
            every result() (us per task)
  fk        per process: --procs multiprocessing.Process(target=noop),
            all started, then all joined (us per process)
  s_pthread 10 threading.Thread sleeping 1 s each: wall - ideal (ms)
  s_fork    the same with 10 multiprocessing.Process (ms)
  s_threadpool, s_procpool
            10 submit()s of a 1 s sleep to a pool of the library's default
            size: wall - ideal, ideal = ceil(10 / workers) s (ms)

    /usr/bin/python3 scripts/peers/overhead.py [--tasks N] [--workers N]
        [--procs N] [--repeat N]

Output: one line per figure, "PEER key=K value=V unit=us|ms what=...".
"""
import argparse
import concurrent.futures as cf
import math
import multiprocessing
import os
import statistics
import sys
import threading
import time

now = time.perf_counter


def nothing(x=None):
    return x


def nap(seconds):
    time.sleep(seconds)
    return seconds


def report(key, values, unit, what):
    print(f'PEER key={key} value={statistics.median(values):.3f} unit={unit} what={what}',
          flush=True)


def per_task_pool(make, workers, tasks, repeat):
    out = []
    with make(max_workers=workers) as pool:
        list(pool.map(nothing, range(8 * workers)))   # every worker is up
        for _ in range(repeat):
            t = now()
            futures = [pool.submit(nothing, i) for i in range(tasks)]
            for f in futures:
                f.result()
            out.append((now() - t) / tasks * 1e6)
    return out


def per_process(procs, repeat):
    out = []
    for _ in range(repeat):
        t = now()
        ps = [multiprocessing.Process(target=nothing) for _ in range(procs)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        out.append((now() - t) / procs * 1e6)
    return out


def ten_sleeps(start_one, repeat):
    """10 one-second sleeps started with start_one(): wall - 1 s, in ms."""
    out = []
    for _ in range(repeat):
        t = now()
        workers = [start_one() for _ in range(10)]
        for w in workers:
            w.join()
        out.append((now() - t - 1.0) * 1e3)
    return out


def thread_sleeper():
    th = threading.Thread(target=nap, args=(1.0,))
    th.start()
    return th


def process_sleeper():
    p = multiprocessing.Process(target=nap, args=(1.0,))
    p.start()
    return p


def pool_sleeps(make, default_workers, repeat):
    ideal = math.ceil(10 / default_workers)
    out = []
    for _ in range(repeat):
        t = now()
        with make() as pool:
            for f in cf.as_completed([pool.submit(nap, 1.0) for _ in range(10)]):
                f.result()
        out.append((now() - t - ideal) * 1e3)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--tasks', type=int, default=20000)
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--procs', type=int, default=100)
    ap.add_argument('--repeat', type=int, default=3)
    a = ap.parse_args()
    cpus = os.cpu_count() or 1
    print(f'# python {sys.version.split()[0]}, start method '
          f'{multiprocessing.get_start_method()}, {cpus} CPUs', flush=True)
    report('tp', per_task_pool(cf.ThreadPoolExecutor, a.workers, a.tasks, a.repeat), 'us',
           f'ThreadPoolExecutor({a.workers}) no-op submit+result')
    report('pp', per_task_pool(cf.ProcessPoolExecutor, a.workers, a.tasks, a.repeat), 'us',
           f'ProcessPoolExecutor({a.workers}) no-op submit+result')
    report('fk', per_process(a.procs, a.repeat), 'us',
           f'multiprocessing.Process x{a.procs} start all, join all')
    report('s_pthread', ten_sleeps(thread_sleeper, a.repeat), 'ms', '10 threading.Thread')
    report('s_fork', ten_sleeps(process_sleeper, a.repeat), 'ms', '10 multiprocessing.Process')
    report('s_threadpool', pool_sleeps(cf.ThreadPoolExecutor, min(32, cpus + 4), a.repeat), 'ms',
           f'ThreadPoolExecutor() ({min(32, cpus + 4)} workers)')
    report('s_procpool', pool_sleeps(cf.ProcessPoolExecutor, cpus, a.repeat), 'ms',
           f'ProcessPoolExecutor() ({cpus} workers)')


if __name__ == '__main__':
    main()
