/*
 * mode — how tasks are run: sequentially, in threads, in processes.
 *
 * A mode exports one `const struct mode mode_<name>` and is listed in
 * bench/core/registry.c.  Its run() gets a job and must:
 *
 *   - run every task index in [0, ntasks) at most once, through
 *     job_run_task(), in a worker numbered 0..workers-1;
 *   - bind each worker with pin_bind_*() when job->pin is set;
 *   - hand each finished task to job_deliver() in completion order, from
 *     the thread that called run() (threads use the job_queue helpers);
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

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/api/workload.h"

struct pin_plan;
struct job;

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
	/* Workers are processes: results come back as copied records. */
	int processes;
	/* Non-NULL when this build or machine cannot run it: why. */
	const char *unavailable;
	/*
	 * Optional, called while planning, before anything runs: settle
	 * *@workers (@automatic: --workers said auto, *@workers holds the
	 * usable PUs) or refuse it with -EINVAL and a message in @err.
	 */
	int (*plan_workers)(unsigned *workers, int automatic, char *err, size_t len);
	int (*run)(struct job *job);
};

typedef void job_callback_fn(struct job *job, const struct task_result *res, void *arg);

/*
 * Completion queue for thread modes: workers push, the caller drains.
 * Lock-free on the hot path: a push is one fetch-and-add and one store;
 * the caller is woken at most once a millisecond (and waits at most
 * JOB_QUEUE_LAG_NS), so a completion is delivered within ~2 ms without a
 * futex call per task.
 */
#define JOB_QUEUE_EMPTY UINT32_MAX
#define JOB_QUEUE_WAKE_NS 1000000
#define JOB_QUEUE_LAG_NS 2000000

struct job_queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;           /* on CLOCK_MONOTONIC */
	_Atomic uint32_t *order;       /* indices in completion order */
	atomic_size_t pushed;          /* slots claimed by workers */
	size_t drained;                /* delivered by the caller */
	atomic_uint exited;            /* workers that have stopped */
	atomic_int waiting;            /* the caller sleeps */
	_Atomic int64_t last_wake_ns;
	/* --task-timeout only (else NULL): start of each running task, 0 when
	 * not running, under @lock; the drain checks it at @check_ns */
	int64_t *running;
	int64_t check_ns;
	size_t timed_out;              /* the task that outlived the timeout */
	atomic_int abandoned;          /* workers: take no more tasks */
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
	double switch_ms;                /* gil: the switch interval */
	const char *hostfile;           /* mpi: --hostfile, NULL: this host */
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

	job_callback_fn *on_done;       /* called in completion order */
	void *on_done_arg;

	struct job_queue queue;         /* thread modes */
};

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
 * Thread modes: init; push a finished index from a worker; a worker calls
 * exit when it stops; drain (in the caller) delivers until all @nworkers
 * have exited and everything they pushed has been delivered.
 */
int job_queue_init(struct job *job);
void job_queue_push(struct job *job, size_t index);
void job_queue_exit(struct job *job);
int job_queue_drain(struct job *job, unsigned nworkers);
/*
 * job_queue_drain() returns -ETIMEDOUT when a task has run longer than
 * job->task_timeout_s: a thread cannot be killed, so the mode must then
 * return -ETIMEDOUT at once, without joining its threads or freeing what
 * they use; run_execute() abandons the run.  Workers stop taking tasks
 * once job_queue_abandoned() is true.
 */
int job_queue_abandoned(struct job *job);
void job_queue_destroy(struct job *job);

/* Process modes: memory shared with children (zeroed); NULL on failure. */
void *job_shared_alloc(size_t bytes);
void job_shared_free(void *p, size_t bytes);
/* First thing in a forked worker: die with the parent, forget cached ids. */
void job_child_init(void);

/*
 * Process modes: while watched, a SIGCHLD handler writes to a pipe, so the
 * caller can sleep in poll() on it (beside job_stop_fd() and with a
 * deadline) and reap with waitpid(WNOHANG) when it is readable.  No pidfd
 * needed (kernels before 5.3, valgrind 3.19), one descriptor for any
 * number of children.  watch returns the pipe's read end or -errno;
 * drain empties it before reaping; unwatch restores SIGCHLD.
 */
int job_children_watch(void);
void job_children_drain(void);
void job_children_unwatch(void);

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

#endif
