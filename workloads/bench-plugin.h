/*
 * bench-plugin.h — benchmark your own function under every strategy bench
 * has (seq, pthread, fork, threadpool, procpool, gil, mpi).
 *
 * Write one C file that defines the one symbol below, build it as a shared
 * object and hand it to bench:
 *
 *   #include <bench-plugin.h>
 *
 *   static int my_task(void *state, size_t index, char *msg, size_t msglen)
 *   {
 *           ... one unit of your work, number @index ...
 *           return 0;
 *   }
 *
 *   const struct bench_plugin bench_plugin = {
 *           .abi = BENCH_PLUGIN_ABI, .name = "mytask", .bound = "cpu",
 *           .run_task = my_task,
 *   };
 *
 *   cc -O2 -fPIC -shared -o libmytask.so mytask.c -I/usr/local/include
 *   bench --workload plugin:./libmytask.so --tasks 16 --modes all
 *
 * bench loads the file with dlopen() in its own process before any worker
 * exists, so forked workers inherit it; it then runs the tasks exactly as
 * it runs a built-in workload: the same CSV (workload "plugin:NAME",
 * params "FILE [arg=TEXT]"), summary, verdict, charts and report.
 *
 * The contract:
 *   - prepare() (may be NULL) runs once, in bench's process.  @arg is
 *     --plugin-arg's text, or NULL without it.  *ntasks holds --tasks N on
 *     entry (0 without it); set it to your number of tasks.  --tasks, when
 *     given, overrides what you set: run_task() must accept every index
 *     below the final count.  Return 0, or -errno with a message in @err
 *     (bench says it and exits 2 before anything runs).  Without prepare,
 *     --tasks is required.
 *   - run_task() runs each task once, in whatever thread or forked process
 *     the mode chose: it must be safe in a thread and in a forked child,
 *     must not start threads of its own, and must not touch data another
 *     task writes.  Return 0, or non-zero (ideally -errno) with a short
 *     message in @msg; that task is then "failed" and the others go on.
 *     A message on success is recorded too.  A crash (SIGSEGV, abort,
 *     exit) is recorded "crashed" in the process modes (fork, procpool,
 *     mpi); in a thread mode it takes bench down with it, as it would
 *     take a Python interpreter, so try new code under fork or procpool.
 *     --task-timeout S bounds a hung task as for any workload.
 *   - finish() (may be NULL) runs once, in bench's process, after the
 *     last run.
 *   - The gil mode (a simulated Python GIL) treats run_task() as holding
 *     the lock throughout, like pure-Python code: plug-in tasks run one at
 *     a time there, waiting or not.
 *   - Print to stderr: stdout carries bench's summary (and --json).
 *   - name: 1 to 32 letters, digits, '_', '-', '.' or '+' (NULL: the
 *     file's name); bound: "cpu", "io" or "mixed" (NULL: "mixed") is what
 *     you expect, and only sets how the ideal makespan is computed ("io":
 *     from each task's wall time; otherwise from its CPU time, at most one
 *     task per usable PU).  bench measures what the tasks really do and
 *     classifies them from that.
 *
 * Keep these names and this layout: later fields only after finish,
 * behind a new BENCH_PLUGIN_ABI.  bench refuses a plug-in whose abi is
 * not its own.
 */
#ifndef BENCH_PLUGIN_H
#define BENCH_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BENCH_PLUGIN_ABI 1

struct bench_plugin {
	int abi;            /* BENCH_PLUGIN_ABI */
	const char *name;   /* short, for tables and charts */
	const char *bound;  /* "cpu", "io" or "mixed": what the author expects (bench still measures it) */
	/* Once, in bench's process, before any worker exists. arg: --plugin-arg or NULL.
	 * *ntasks: the number of tasks (--tasks overrides it). 0, or -errno with a message in err. */
	int (*prepare)(const char *arg, size_t *ntasks, void **state, char *err, size_t errlen);
	/* One task; must be safe in a thread and in a forked child. 0 ok, else non-zero with msg. */
	int (*run_task)(void *state, size_t index, char *msg, size_t msglen);
	/* Once, in bench's process, after the last run (may be NULL). */
	void (*finish)(void *state);
};

/* The one symbol bench looks up. */
extern const struct bench_plugin bench_plugin;

#ifdef __cplusplus
}
#endif

#endif
