"""Harness overhead, bench vs Python's concurrent.futures, side by side.

Called by scripts/bench-overhead.sh (make bench).  Every figure is measured
in this run, on this machine; the table prints ratios, never bare seconds
alone.
"""
import json, os, re, subprocess, sys, tempfile

BENCH, PEER = sys.argv[1], sys.argv[2]
TASKS, PROCS, REPS = 20000, 100, 5
tmp = tempfile.mkdtemp(prefix='bench-overhead-')


def bench(*args):
    cmd = [BENCH, '--no-plots', '--quiet', '--json', '--csv', os.path.join(tmp, 'o.csv'), *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {(r['mode'], r['workers']): r for r in json.loads(out)['summary']}


def per_task_us(rows, mode, n):
    r = next(v for (m, _), v in rows.items() if m == mode)
    return r['wall_median_s'] / n * 1e6


def over_ms(rows, mode):
    r = next(v for (m, _), v in rows.items() if m == mode)
    return (r['wall_median_s'] - r['ideal_s']) * 1e3


print(f'# bench {BENCH}, Python peer {PEER}', flush=True)
print('# measuring bench ...', flush=True)
pools = bench('--workload', 'noop', '--modes', 'threadpool,procpool', '--workers', '2',
              '--tasks', str(TASKS), '--reps', str(REPS))
spawns = bench('--workload', 'noop', '--modes', 'pthread,fork', '--tasks', str(PROCS),
               '--reps', str(REPS))
sleeps = bench('--workload', 'sleep', '--modes', 'pthread,fork,threadpool,procpool',
               '--workers', '10', '--tasks', '10', '--seconds', '1', '--reps', '3')

b = {
    'tp': per_task_us(pools, 'threadpool', TASKS),
    'pp': per_task_us(pools, 'procpool', TASKS),
    'pt': per_task_us(spawns, 'pthread', PROCS),
    'fk': per_task_us(spawns, 'fork', PROCS),
}
for m in ('pthread', 'fork', 'threadpool', 'procpool'):
    b['s_' + m] = over_ms(sleeps, m)

py = {}
if os.path.exists(PEER) and os.path.exists('/usr/bin/python3'):
    print('# measuring the Python peer (about two minutes) ...', flush=True)
    out = subprocess.run(['/usr/bin/python3', PEER, '--tasks', str(TASKS), '--workers', '2',
                          '--procs', str(PROCS), '--repeat', '3'],
                         check=True, capture_output=True, text=True).stdout
    # "PEER key=tp value=13.2 unit=us what=..."
    for line in out.splitlines():
        m = re.match(r'PEER key=(\S+) value=(-?[0-9.]+) ', line)
        if m:
            py[m.group(1)] = float(m.group(2))
else:
    print(f'# {PEER} or /usr/bin/python3 missing: Python column left empty')


def row(label, key, unit, target):
    bv, pv = b.get(key), py.get(key)
    ratio = f'{pv / bv:8.1f}x' if pv and bv and bv > 0 else '       -'
    ps = f'{pv:10.2f} {unit}' if pv is not None else '           -   '
    print(f'  {label:44s} {bv:10.2f} {unit} {ps} {ratio}   {target}')


print()
print(f'  {"per-task overhead":44s} {"bench":>13s} {"python":>13s} {"py/bench":>9s}   target')
row('threadpool, no-op task (2 workers)', 'tp', 'us', '<= 0.5 us')
row('procpool, no-op task (2 workers)', 'pp', 'us', '<= 3 us')
row(f'fork-join, per process ({PROCS} at once)', 'fk', 'us', '<= 150 us')
row(f'pthread create+join, per thread ({PROCS})', 'pt', 'us', '')
print()
print(f'  {"10 x 1 s sleeps: measured - ideal":44s}')
row('pthread (python: 10 threading.Thread)', 's_pthread', 'ms', '<= 0.5 ms')
row('fork (python: 10 mp.Process)', 's_fork', 'ms', '<= 2 ms')
row('threadpool, 10 workers (python: default pool)', 's_threadpool', 'ms', '<= 2 ms')
row('procpool, 10 workers (python: default pool)', 's_procpool', 'ms', '<= 2 ms')
print()
print('  mode vs mode, bench:')
print(f'    procpool / threadpool per no-op task: {b["pp"] / b["tp"]:6.1f}x  (a pipe write and a process switch vs a queue slot)')
print(f'    fork / pthread start+join:            {b["fk"] / b["pt"]:6.1f}x  (page tables and copy-on-write vs a stack)')

# mpi, when this bench was built with Open MPI: per-task dispatch from the
# first task's start to the last one's end (the launch and the teardown of
# mpirun apart), next to procpool; images at 2 ranks vs procpool at 2 workers.
import csv
import statistics

HELP = subprocess.run([BENCH, '--help'], capture_output=True, text=True).stdout


def available(name):
    line = next((l for l in HELP.splitlines() if l.startswith(f'  {name} ')), '')
    return bool(line) and 'unavailable' not in line


def phases(runs_csv, mode):
    """Medians over reps: dispatch us/task, launch ms (spawn_s), teardown ms."""
    tasks = list(csv.DictReader(open(runs_csv[:-4] + '-tasks.csv')))
    d, sp, td = [], [], []
    for r in csv.DictReader(open(runs_csv)):
        t = [x for x in tasks if x['run'] == r['run']]
        if r['mode'] != mode or not t:
            continue
        first = min(float(x['start_s']) for x in t)
        last = max(float(x['end_s']) for x in t)
        d.append((last - first) / len(t) * 1e6)
        sp.append(float(r['spawn_s']) * 1e3)
        td.append((float(r['wall_s']) - last) * 1e3)
    return statistics.median(d), statistics.median(sp), statistics.median(td)


if available('mpi'):
    MPI_TASKS = 5000
    print('\n# measuring mpi ...', flush=True)
    out = os.path.join(tmp, 'mpi.csv')
    subprocess.run([BENCH, '--no-plots', '--quiet', '--csv', out, '--workload', 'noop',
                    '--modes', 'mpi,procpool', '--workers', '2', '--tasks', str(MPI_TASKS),
                    '--reps', '3'], check=True, capture_output=True)
    m, p = phases(out, 'mpi'), phases(out, 'procpool')
    print('  mpi vs procpool, bench, 2 workers, no-op tasks:')
    print(f'    per-task dispatch: mpi {m[0]:8.1f} us, procpool {p[0]:6.1f} us: {m[0] / p[0]:6.1f}x'
          '  (a message each way through rank 0 vs shared memory and a pipe)')
    print(f'    launch (spawn_s):  mpi {m[1]:8.1f} ms, procpool {p[1]:6.1f} ms: {m[1] / p[1]:6.1f}x'
          '  (mpirun starts W+1 ranks, each prepares the workload)')
    print(f'    teardown:          mpi {m[2]:8.1f} ms, procpool {p[2]:6.1f} ms')
    if available('images'):
        im = bench('--workload', 'images', '--quick', '--modes', 'mpi,procpool', '--workers', '2',
                   '--reps', '3', '--out', os.path.join(tmp, 'processed'))
        mi = next(v for (k, _), v in im.items() if k == 'mpi')['wall_median_s']
        pi = next(v for (k, _), v in im.items() if k == 'procpool')['wall_median_s']
        print(f'    images, 4 photos:  mpi {mi:8.2f} s,  procpool {pi:6.2f} s:  {mi / pi:6.2f}x'
              '  (2 ranks vs 2 workers, launch included)')
    # the same runs under an mpirun the user started: the ranks are already up
    given = os.path.join(tmp, 'given.csv')
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT='1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM='1')
    subprocess.run(['mpirun', '--oversubscribe', '-np', '3', BENCH, '--no-plots', '--quiet',
                    '--csv', given, '--workload', 'noop', '--modes', 'mpi',
                    '--tasks', str(MPI_TASKS), '--reps', '3'], check=True, capture_output=True,
                   env=env)
    g = phases(given, 'mpi')
    print(f'  under your own mpirun -np 3 (2 worker ranks), vs bench launching mpirun:')
    print(f'    per-task dispatch: {g[0]:8.1f} us vs {m[0]:6.1f} us: {g[0] / m[0]:6.2f}x')
    print(f'    spawn (spawn_s):   {g[1]:8.1f} ms vs {m[1]:6.1f} ms: {g[1] / m[1]:6.3f}x'
          '  (the ranks are up: only the run is prepared)')
    print(f'    teardown:          {g[2]:8.1f} ms vs {m[2]:6.1f} ms')
else:
    print('\n# mpi: not in this build (apt-get install libopenmpi-dev openmpi-bin, then make)')
