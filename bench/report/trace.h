/*
 * trace — the tasks CSV as a Chrome Trace Event file, for Perfetto
 * (ui.perfetto.dev) and chrome://tracing.
 *
 *	{"traceEvents":[
 *	  {"ph":"M","pid":1,"name":"process_name","args":{"name":"sleep · pthread · 6 workers · rep 1"}},
 *	  {"ph":"M","pid":1,"tid":1,"name":"thread_name","args":{"name":"worker 0"}},
 *	  {"ph":"X","pid":1,"tid":1,"name":"task 0","ts":4.0,"dur":100195.1,
 *	   "args":{"task":0,"cpu_start":1,"cpu_end":1,"status":"ok",...}},
 *	  ...]}
 *
 * One "process" per run (in the order the runs were written, laid end to
 * end on one time axis), times in microseconds.  In each:
 * - a "run" lane (tid 0) with the run's slice (args: wall_s, ideal_s and
 *   status from the runs file) and a counter track "running tasks";
 * - a lane per worker (tid W+1), named "worker W (pid, tid)", or "rank R @
 *   HOST" for mpi ranks (from their tasks' messages);
 * - per worker, a "start-up" slice from the run's start to its first task;
 * - an "X" slice per task that started (args: task, cpu_start, cpu_end,
 *   queued_us, cpu_s, status, message, pid, tid), with the images stages
 *   (read, decode, blur, resize, encode, write) nested inside it, one
 *   after another from the task's start;
 * - an instant event ("i") where a task crashed or timed out.
 */
#ifndef BENCH_TRACE_H
#define BENCH_TRACE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write the trace of the runs in @tasks_csv to @out.  With @session (a run
 * id such as "81b336-4"), only the runs of that invocation (ids with the
 * same "81b336-" prefix); NULL: every run.  @runs_csv (may be NULL or
 * unreadable) gives each run's wall_s, ideal_s and status.  Warm-up runs
 * are included and named so.  Sets *nevents to the number of task slices.
 * 0, or -errno / -EINVAL with @err saying what and where
 * ("x-tasks.csv:3: ...").
 */
int trace_write(const char *tasks_csv, const char *runs_csv, const char *out,
		const char *session, size_t *nevents, char *err, size_t len);

/* Append @s to @f as a JSON string (quotes included; invalid UTF-8 -> U+FFFD). */
void trace_json_string(FILE *f, const char *s);

#endif
