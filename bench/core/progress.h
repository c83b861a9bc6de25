/*
 * progress — the one-line live view of a measurement on a terminal's
 * stderr: "[run/runs] workload mode w=N rep R: done/tasks tasks, T s",
 * redrawn at most ten times a second and once a run's last task is in.
 */
#ifndef BENCH_PROGRESS_H
#define BENCH_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "bench/core/run.h"

struct progress {
	int enabled;
	size_t run_no, nruns;   /* nruns 0: not known in advance (--reps auto) */
	int64_t last_ns;
};

/* A run_progress_fn (bench/core/run.h) for run_options.progress, @arg a struct progress. */
void progress_task(const struct run_spec *spec, const struct run_result *r,
		   const struct task_result *task, size_t done, void *arg);

/* Erase the line before anything else is written to stderr (when enabled). */
void progress_clear(struct progress *p);

#endif
