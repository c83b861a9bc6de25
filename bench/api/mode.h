/*
 * mode — how tasks are run: sequentially, in threads, in processes.
 *
 * A mode exports one `const struct mode mode_<name>` and is listed in
 * bench/core/registry.c.  It includes bench/api/ only (mode.h brings
 * job.h and workload.h; clock.h and path.h are there too), never the
 * driver's headers.  Its run() gets a job (bench/api/job.h) and must:
 *
 *   - run every task index in [0, ntasks) at most once, through
 *     job_run_task(), in a worker numbered 0..workers-1;
 *   - bind each worker with pin_bind_*() when job->pin is set;
 *   - hand each finished task to job_deliver() in completion order, from
 *     the thread that called run() (threads use modes/done_queue.h);
 *   - set job->spawn_ns when all its workers exist;
 *   - stop handing out tasks once job_stopping() is true;
 *   - never leave a thread or child process behind when it returns.
 *
 * It returns 0, or a negative errno if the mode itself failed (a task's
 * failure is the task's status, not the mode's).  A mode knows nothing
 * about what the tasks do.
 */
#ifndef BENCH_MODE_H
#define BENCH_MODE_H

#include <stddef.h>

#include "bench/api/job.h"
#include "bench/api/option.h"
#include "bench/api/workload.h"

struct config;

struct mode {
	const char *name;
	const char *summary;
	const char *teaches;
	/* seq: the one every other mode is compared with (one worker). */
	int baseline;
	/* gil: run only when named (not in "all"), not a recommendation. */
	int teaching_only;
	/* pthread, fork: one worker per task whatever --workers says. */
	int one_worker_per_task;
	/* gil: its workers take turns on a simulated GIL, whose holds
	 * gil_watch() reports (modes/gil.h: the demo's live view draws them). */
	int simulated_gil;
	/* Workers are processes: results come back as copied records. */
	int processes;
	/* mpi: its workers are ranks that a launcher (mpirun) starts, maybe on
	 * other hosts, not children of bench. */
	int launches_ranks;
	/* Non-NULL when this build or machine cannot run it: why. */
	const char *unavailable;
	/*
	 * Optional, called while planning, before anything runs: settle
	 * *@workers (@automatic: --workers said auto, *@workers holds the
	 * usable PUs) or refuse it with -EINVAL and a message in @err.
	 */
	int (*plan_workers)(unsigned *workers, int automatic, char *err, size_t len);
	int (*run)(struct job *job);
	/*
	 * Optional, in main() before the command line is parsed (mpi: bench
	 * started as one of its ranks): -1 to go on, else the status bench
	 * exits with at once.  @argv stays whole.
	 */
	int (*before_parse)(int argc, char **argv);
	/*
	 * Optional, once the command line is parsed: refuse what cannot go
	 * with how bench was started (mpi: --hostfile under the user's
	 * mpirun) with -EINVAL and the reason in @err; bench exits 2.
	 */
	int (*check_config)(const struct config *cfg, char *err, size_t len);
	/* Optional: its own options (bench/api/option.h), read from job->cfg. */
	const struct option *options;
};

#endif
