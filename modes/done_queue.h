/*
 * done_queue — the thread modes' completion queue: workers push the index
 * of each task they finish, the thread that called the mode's run()
 * drains them to job_deliver() in completion order.
 *
 * Lock-free on the hot path: a push is one fetch-and-add and one store;
 * the caller is woken at most once a millisecond (and waits at most
 * DONE_QUEUE_LAG_NS), so a completion is delivered within ~2 ms without a
 * futex call per task.
 *
 * With --task-timeout the queue also knows since when each task runs: when
 * one outlives the timeout, the drain gives the run up (job_abandon(),
 * bench/api/job.h) and the workers take no more tasks.  A queue belongs to
 * one run of one mode and lives on the heap with what its workers use: an
 * abandoned run leaves it to its threads.
 */
#ifndef BENCH_MODES_DONE_QUEUE_H
#define BENCH_MODES_DONE_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct job;

#define DONE_QUEUE_EMPTY UINT32_MAX
#define DONE_QUEUE_WAKE_NS 1000000
#define DONE_QUEUE_LAG_NS 2000000

struct done_queue {
	struct job *job;
	pthread_mutex_t lock;
	pthread_cond_t cond;           /* on CLOCK_MONOTONIC */
	_Atomic uint32_t *order;       /* indices in completion order */
	atomic_size_t pushed;          /* slots claimed by workers */
	size_t drained;                /* delivered by the caller */
	atomic_uint exited;            /* workers that have stopped */
	atomic_int waiting;            /* the caller sleeps */
	_Atomic int64_t last_wake_ns;
	/* --task-timeout only (else NULL), under @lock: 0 not started, > 0
	 * running since then, < 0 finished; the drain checks it at @check_ns */
	int64_t *since;
	int64_t check_ns;
	atomic_int abandoned;          /* workers: take no more tasks */
};

/* Set @q up for the tasks of @job.  Returns 0 or -errno. */
int done_queue_init(struct done_queue *q, struct job *job);

/* In a worker, right before job_run_task(): task @index starts now (--task-timeout). */
void done_queue_start(struct done_queue *q, size_t index);

/* In a worker: task @index is finished, its result final. */
void done_queue_push(struct done_queue *q, size_t index);

/* In a worker that stops: the last one wakes the caller. */
void done_queue_exit(struct done_queue *q);

/*
 * In the caller: deliver until all @nworkers have exited and everything
 * they pushed has been delivered.  Returns 0, or -ETIMEDOUT when a task
 * has run longer than job->task_timeout_s: the run is then given up
 * (job_abandon()), and the mode must return -ETIMEDOUT at once, without
 * joining its threads or freeing what they use (the queue included).
 */
int done_queue_drain(struct done_queue *q, unsigned nworkers);

/* True once the run was given up: workers take no more tasks. */
int done_queue_abandoned(struct done_queue *q);

/* Free what done_queue_init() made (not after an abandoned run). */
void done_queue_destroy(struct done_queue *q);

#endif
