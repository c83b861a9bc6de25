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
 * end on one time axis), one "thread" per worker, one "X" (complete) event
 * per task that started, times in microseconds.
 */
#ifndef BENCH_TRACE_H
#define BENCH_TRACE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write the trace of the runs in @tasks_csv to @out.  With @session (a run
 * id such as "81b336-4"), only the runs of that invocation (ids with the
 * same "81b336-" prefix); NULL: every run.  Warm-up runs are included and
 * named so.  Sets *nevents to the number of "X" events.  0, or -errno /
 * -EINVAL with @err saying what and where ("x-tasks.csv:3: ...").
 */
int trace_write(const char *tasks_csv, const char *out, const char *session, size_t *nevents,
		char *err, size_t len);

/* Append @s to @f as a JSON string (quotes included; invalid UTF-8 -> U+FFFD). */
void trace_json_string(FILE *f, const char *s);

#endif
