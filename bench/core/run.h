/*
 * run — execute one planned run and measure it.
 *
 * run_execute() builds the job, pins, starts the clock, calls the mode,
 * and fills a struct run_result: wall and spawn time, CPU time of the
 * process and its children, peak RSS, context switches, the ideal makespan
 * and every task's result in submission order.
 */
#ifndef BENCH_RUN_H
#define BENCH_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench/api/mode.h"
#include "bench/core/plan.h"

enum run_status {
	RUN_OK,
	RUN_FAILED,        /* some task failed or crashed; the rest ran */
	RUN_INTERRUPTED,   /* SIGINT/SIGTERM: stopped early */
	RUN_ERROR,         /* the mode itself could not run */
	RUN_ABANDONED,     /* thread mode: a task outlived --task-timeout */
};

const char *run_status_name(enum run_status s);

struct run_result {
	char id[48];
	int64_t t0_ns;             /* CLOCK_MONOTONIC at the run's start */
	unsigned workers;          /* effective */
	size_t ntasks;
	int pinned;                /* 1: workers were bound to their PUs */
	int pin_wrapped;           /* more workers than PUs */
	double wall_s;
	double spawn_s;            /* until every worker existed; 0: n/a */
	double user_s, sys_s;      /* this process and its children */
	double ideal_s;
	int ideal_exact;           /* 0: ideal_s is the lower bound (see bench/analysis/stats.h) */
	long max_rss_kb;           /* bench's peak RSS + each worker process's: an upper bound */
	long mem_kb;               /* the same, counting pages a worker shares with bench once */
	long nvcsw, nivcsw;
	long minflt, majflt;       /* page faults of this process and its workers */
	double task_cpu_s, task_wall_s;   /* summed over the tasks that ended ok */
	/* the machine meanwhile (bench/sys/contention.h); NaN: unknown */
	double others_cpu_s, steal_s, psi_cpu_some_s, load1;
	double window_s;           /* what others_cpu_s and steal_s were measured over */
	size_t completed, failed;
	enum run_status status;
	char message[256];
	struct task_result *results;  /* [ntasks], by submission index */
};

/* Called for each finished task, in completion order. */
typedef void run_progress_fn(const struct run_spec *spec, const struct run_result *r,
			     const struct task_result *task, size_t done, void *arg);

struct run_options {
	double task_timeout_s;
	int inject;
	long inject_task;
	int strict_pin;
	const struct config *cfg;  /* the modes' own options (NULL: their defaults) */
	char *const *argv;         /* mpi: the driver's command line, to relaunch it */
	run_progress_fn *progress;
	void *progress_arg;
};

/* Run @spec on a prepared workload state; @res->results is allocated. */
int run_execute(const struct run_spec *spec, void *state, size_t ntasks,
		const struct run_options *opt, struct run_result *res);
void run_result_free(struct run_result *res);

/* Ask every run to stop handing out tasks (from a signal handler). */
void run_request_stop(int signo);
/* The signal that asked us to stop, 0 if none. */
int run_stop_signal(void);
/* Forget a stop request, between runs only (bench demo goes back to its prompt). */
void run_stop_reset(void);
/*
 * Make the stop request wake every waiter: a pipe that becomes readable on
 * run_request_stop(), polled by the process modes and by clock_sleep_s()
 * (so sleeping tasks in threads return at once).  Call once, before any
 * worker exists.  0 or -errno.
 */
int run_stop_init(void);

/* Peak resident memory (VmHWM) since the last reset, in kB (-1: unknown). */
void run_rss_reset(void);
long run_rss_peak_kb(void);

/* The process whose children the workers are (job_child_init() checks it). */
void job_set_parent(pid_t pid);

#endif
