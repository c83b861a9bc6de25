/*
 * session — one measurement, from the plan to the summary.
 *
 * A session owns what `bench [--workload ...]` does once the command line
 * is parsed, in five steps, each a function below:
 *
 *   plan       the run matrix (bench/core/plan), checked against the
 *              options, the pinning and the output files: nothing runs yet
 *   prepare    each workload's inputs, once, and the CSV files opened
 *   execute    the runs, workload by workload, each repetition in its own
 *              shuffled order, until --reps or the --reps auto rule says
 *   record     (per run, from execute) its rows written as soon as it
 *              ends, and kept for the summary
 *   summarise  the terminal summary or --json, the verdict, the exit
 *              status, and the charts
 *
 * then session_end() undoes what plan and prepare made.  Only main()
 * exits: when a run had to be abandoned (a thread outlived --task-timeout)
 * the session says so in @abandoned, and main() exits without cleaning up
 * (those threads still use the workload's state).
 */
#ifndef BENCH_SESSION_H
#define BENCH_SESSION_H

#include <stddef.h>

#include "bench/analysis/summary.h"
#include "bench/core/config.h"
#include "bench/core/plan.h"
#include "bench/core/progress.h"
#include "bench/core/run.h"
#include "bench/data/record.h"
#include "bench/sys/machine.h"

/* A workload of the plan, prepared once: its state, its tasks, its parameters. */
struct session_workload {
	void *state;
	size_t ntasks;
	char params[256];
};

/* Everything one measurement needs while it runs. */
struct session {
	const struct config *cfg;
	struct machine machine;
	struct run_spec *combos;          /* one repetition's worth (bench/plan) */
	size_t ncombos;
	char csv[4096];                   /* the runs file; its tasks file is named after it */
	struct session_workload prep[CONFIG_MAX_LIST];   /* by workload index */
	struct run_options opt;
	struct recorder rec;
	struct summary summary;
	struct progress progress;
	unsigned long long seed;
	size_t runs_done, runs_failed, last_completed, last_tasks;
	int abandoned, fatal, status;
};

/*
 * Plan the measurement of @cfg in @ss (which it zeroes first): probe the
 * machine, expand the run matrix, refuse options that cannot apply
 * (another command's, --strict-pin where binding fails, --inject crash in
 * a thread mode) and name the CSV files, checking they can be written.
 * @argv: the command line, for the modes that relaunch bench (mpi).
 * Returns 0, or -errno after saying why; session_end() undoes it either way.
 */
int session_plan(struct session *ss, const struct config *cfg, char *const *argv);

/*
 * Prepare every workload of the plan once (before any worker exists),
 * check that --inject names a task they have, and open the CSV files.
 * Returns 0, or -errno after saying why.
 */
int session_prepare(struct session *ss);

/*
 * Run the plan: from here a stop signal ends it (bench/core/signals.h).
 * Each run is recorded as it ends (session_record()).  Stops early on a
 * signal, a run that could not start, or an abandoned run.
 */
void session_execute(struct session *ss);

/*
 * One run of @spec ended with @res: write its rows, keep it for the
 * summary, count it.  Sets ss->status on a write error.
 */
void session_record(struct session *ss, const struct run_spec *spec, const struct run_result *res,
		    const char *params);

/*
 * The terminal summary (or --json) with the verdict, what a stop signal
 * interrupted, the CSV files closed, then the charts and --trace.
 * Returns the exit status: 0, 1 some run or task failed (or a --trace
 * could not be written), 128 + the signal that stopped it.
 */
int session_summarise(struct session *ss);

/* Undo plan and prepare: finish the workloads, free the plan.  Not after an abandoned run. */
void session_end(struct session *ss);

#endif
