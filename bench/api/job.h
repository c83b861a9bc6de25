/*
 * job — what a mode (and the driver) calls while a run goes on: the job a
 * mode's run() gets, running and delivering one task, binding a worker to
 * its PU, giving a run up, shared memory for the process modes (their
 * children: bench/api/child.h), and the stop request Ctrl-C makes.
 * Part of the plug-in API (bench/api/); the code is bench/core/job.c.
 */
#ifndef BENCH_JOB_H
#define BENCH_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/api/workload.h"

struct config;
struct pin_plan;
struct job;

/* "ok", "failed", ... as the CSV writes a task's status. */
const char *task_status_name(enum task_status s);

typedef void job_callback_fn(struct job *job, const struct task_result *res, void *arg);

/*
 * What a mode that gave its run up (job_abandon()) knew of its tasks then;
 * the driver records the run from it.
 */
struct job_abandoned {
	int given_up;
	size_t late;                    /* the task that outlived --task-timeout */
	int64_t *since;                 /* [ntasks]: 0 not started, > 0 running since, < 0 finished;
					 * NULL: no memory for the copy */
};

struct job {
	const struct workload *workload;
	void *state;
	size_t ntasks;
	unsigned workers;               /* effective worker count */
	const struct pin_plan *pin;     /* NULL: unpinned */
	struct task_result *results;    /* [ntasks], by submission index */
	double task_timeout_s;          /* 0: none */
	int inject;                     /* enum inject_kind */
	long inject_task;
	const struct config *cfg;       /* the options: a mode reads its own with option_real() */
	char *const *argv;              /* mpi: the driver's command line (NULL-terminated) */

	int64_t t0_ns;                  /* the run's start */
	int64_t spawn_ns;               /* all workers existed (0: not set) */
	size_t done;                    /* tasks delivered so far */
	long child_rss_kb;              /* process modes: sum of reaped workers' peaks */
	long child_own_kb;              /* the same, less what each had of bench's pages at fork */
	long base_rss_kb;               /* bench's resident size when the run started */
	char error[200];                /* why run() failed, when strerror() says too little */
	/* workers that are not our descendants (mpi ranks under the user's
	 * own mpirun): their resource use over the run, as they report it */
	struct {
		double user_s, sys_s;
		long nvcsw, nivcsw;
		double here_s;          /* of those, the CPU time of ranks on this host */
	} remote;

	void *priv;                     /* the mode's own state for this run: it sets and frees it */

	job_callback_fn *on_done;       /* called in completion order */
	void *on_done_arg;

	struct job_abandoned abandoned; /* set by job_abandon() */
};

/*
 * What a job is made of: bench/core/run.c fills one for each run, a rank
 * of the mpi mode for its share (bench/api/rank.h).  The rest of the job
 * starts zeroed.
 */
struct job_params {
	const struct workload *workload;
	void *state;
	size_t ntasks;
	unsigned workers;
	int pin;                        /* enum pin_policy; 0: unpinned */
	struct task_result *results;    /* NULL: job_run_task()'s callers hold them */
	double task_timeout_s;
	int inject;
	long inject_task;
	const struct config *cfg;
	char *const *argv;
};

/*
 * The job for @p, on the heap, with the plan that binds its workers when
 * @p->pin asks for one: *@pin_rc is 0, or why there is none (-errno: the
 * job is unpinned, the caller says so or refuses).  NULL: out of memory.
 * job_teardown() frees the job and its plan.
 */
struct job *job_setup(const struct job_params *p, int *pin_rc);
void job_teardown(struct job *job);

/*
 * Run task @index as worker @worker in the calling thread and fill @res:
 * identity (pid, tid, cpu), times, status and message.  Safe in a thread
 * and in a forked child.  Honours --inject.
 */
void job_run_task(struct job *job, size_t index, unsigned worker, struct task_result *res);

/* Mark @res, not yet run, as submitted now (sets index and submit_ns). */
void job_submit(struct job *job, size_t index);

/*
 * A worker process of @job was reaped with @ru: add its peak RSS to the
 * run's memory, whole (child_rss_kb) and less the part of bench it had at
 * fork, which bench's own peak already counts (child_own_kb).
 */
struct rusage;
void job_reaped(struct job *job, const struct rusage *ru);

/* Record that task @index finished (its result is in job->results). */
void job_deliver(struct job *job, size_t index);

/* True once the user asked to stop (SIGINT/SIGTERM): hand out no more. */
int job_stopping(void);
/* Readable once the user asked to stop: poll it beside the workers' fds (-1: none). */
int job_stop_fd(void);

/*
 * A mode whose workers cannot be killed (threads: modes/done_queue.h)
 * gives its run up when task @late outlives --task-timeout: from the
 * thread that called run(), it calls job_abandon() with the state of each
 * task, @since[i]: 0 not started, > 0 running since that time, < 0
 * finished (its result in job->results is final), which is copied.  It
 * then returns -ETIMEDOUT at once, without joining its workers or freeing
 * what they use; run_execute() records the run as abandoned, the tasks
 * still running "timeout" (@late) or "skipped", and keeps the job.
 */
void job_abandon(struct job *job, size_t late, const int64_t *since);

/* Process modes: memory shared with children (zeroed); NULL on failure. */
void *job_shared_alloc(size_t bytes);
void job_shared_free(void *p, size_t bytes);
/* First thing in a forked worker: die with the parent, forget cached ids. */
void job_child_init(void);

/* Name a child's wait status: "killed by SIGSEGV", "exit code 3". */
void job_describe_status(int wstatus, char *buf, size_t len);

/*
 * A worker process died (@wstatus) in the middle of task @r, which holds
 * what the task had recorded.  Say how it ended, with one precedence for
 * every process mode: killed for --task-timeout (@timed_out), else
 * interrupted by a stop request, else crashed.  @then: what follows the
 * timeout ("pool goes on"), or "".
 */
void job_settle_lost(struct job *job, struct task_result *r, int wstatus, int timed_out,
		     const char *then);

/*
 * A child that ran task @e->tag on its own (a process per task, from
 * child_reap(): bench/api/child.h) ended: take the result it wrote into
 * @shared, its record in shared memory, or, when it died first, keep what
 * it recorded and settle how it ended (job_settle_lost()); count its
 * memory (job_reaped()) and deliver the task.
 */
struct child_exit;
void job_child_ended(struct job *job, const struct task_result *shared,
		     const struct child_exit *e);

/* Bind worker @worker of @job (thread or process) to its PU, when the job
 * is pinned; warns once on failure (job_warn_once()). */
void job_bind_worker(struct job *job, unsigned worker, int process);
/* Give the calling thread back all the PUs bench may use (a mode whose
 * worker 0 was the caller's own thread, when the job is pinned). */
void job_unbind_worker(struct job *job);
/* 1 the first time only: binding warnings are given once, whoever fails first. */
int job_warn_once(void);
/*
 * What a mode has to say about its run, on bench's stderr in bench's
 * words: job_warn() "bench: warning: ...", job_error() "bench: ..." (a
 * failure of the mode itself; its return value says so too), job_note()
 * "bench: note: ..." (what the user may want to know, nothing wrong).
 * @job may be NULL where there is none yet (a rank reading its command
 * line, a mode's hook before parsing).
 */
void job_warn(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void job_error(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void job_note(struct job *job, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The signal that asked us to stop, 0 if none. */
int job_stop_signal(void);

#endif
