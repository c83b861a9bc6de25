/*
 * done_queue — the thread modes' completion queue (modes/done_queue.h).
 */
#include "modes/done_queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/api/clock.h"
#include "bench/api/job.h"

int done_queue_init(struct done_queue *q, struct job *job)
{
	pthread_condattr_t attr;
	size_t n = job->ntasks ? job->ntasks : 1;
	int rc;

	memset(q, 0, sizeof(*q));
	q->job = job;
	q->order = malloc(n * sizeof(*q->order));
	if (!q->order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		atomic_init(&q->order[i], DONE_QUEUE_EMPTY);
	if (job->task_timeout_s > 0) {
		q->since = calloc(n, sizeof(*q->since));
		if (!q->since) {
			rc = ENOMEM;
			goto out_free_order;
		}
	}
	rc = pthread_mutex_init(&q->lock, NULL);
	if (rc)
		goto out_free_order;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&q->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (rc)
		goto out_destroy_lock;
	return 0;

out_destroy_lock:
	pthread_mutex_destroy(&q->lock);
out_free_order:
	free(q->since);
	q->since = NULL;
	free((void *)q->order);
	return -rc;
}

/*
 * --task-timeout: the start time of each running task, under the lock
 * (only when a timeout is set: the common path stays lock-free).  The
 * drain checks it on its timed waits.
 */
static void mark(struct done_queue *q, size_t index, int64_t since)
{
	pthread_mutex_lock(&q->lock);
	q->since[index] = since;
	pthread_mutex_unlock(&q->lock);
}

void done_queue_start(struct done_queue *q, size_t index)
{
	if (q->since)
		mark(q, index, clock_now_ns());
}

static void queue_wake(struct done_queue *q)
{
	pthread_mutex_lock(&q->lock);
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

void done_queue_push(struct done_queue *q, size_t index)
{
	size_t slot;

	if (q->since)
		mark(q, index, -1);
	slot = atomic_fetch_add(&q->pushed, 1);
	atomic_store_explicit(&q->order[slot], (uint32_t)index, memory_order_release);
	if (atomic_load(&q->waiting)) {
		int64_t now = clock_now_ns();

		if (now - atomic_load_explicit(&q->last_wake_ns, memory_order_relaxed) >= DONE_QUEUE_WAKE_NS) {
			atomic_store_explicit(&q->last_wake_ns, now, memory_order_relaxed);
			queue_wake(q);
		}
	}
}

void done_queue_exit(struct done_queue *q)
{
	unsigned exited = atomic_fetch_add(&q->exited, 1) + 1;

	/* the last worker always wakes the caller: the run ends now */
	if (exited >= q->job->workers ||
	    (atomic_load(&q->waiting) &&
	     clock_now_ns() - atomic_load(&q->last_wake_ns) >= DONE_QUEUE_WAKE_NS))
		queue_wake(q);
}

/* Deliver the completions published so far, in order. */
static void deliver_ready(struct done_queue *q)
{
	struct job *job = q->job;

	while (q->drained < job->ntasks) {
		uint32_t idx = atomic_load_explicit(&q->order[q->drained], memory_order_acquire);

		if (idx == DONE_QUEUE_EMPTY)
			break;
		q->drained++;
		job_deliver(job, idx);
	}
}

/*
 * Under q->lock: has a running task outlived --task-timeout?  Gives the
 * run up and returns 1, else moves q->check_ns to the earliest deadline
 * (tasks started later end their time later still).
 */
static int timed_out(struct done_queue *q, int64_t now)
{
	struct job *job = q->job;
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9), oldest = now;
	size_t late = 0;

	for (size_t i = 0; i < job->ntasks; i++)
		if (q->since[i] > 0 && q->since[i] < oldest) {
			oldest = q->since[i];
			late = i;
		}
	if (now - oldest >= limit) {
		atomic_store(&q->abandoned, 1);
		job_abandon(job, late, q->since);
		return 1;
	}
	q->check_ns = oldest + limit;
	return 0;
}

int done_queue_abandoned(struct done_queue *q)
{
	return atomic_load_explicit(&q->abandoned, memory_order_relaxed);
}

int done_queue_drain(struct done_queue *q, unsigned nworkers)
{
	struct job *job = q->job;

	if (q->since)
		q->check_ns = clock_now_ns() + (int64_t)(job->task_timeout_s * 1e9);
	for (;;) {
		struct timespec until;
		int64_t t;

		deliver_ready(q);
		if (atomic_load(&q->exited) >= nworkers && q->drained == atomic_load(&q->pushed))
			break;
		pthread_mutex_lock(&q->lock);
		if (q->since && clock_now_ns() >= q->check_ns && timed_out(q, clock_now_ns())) {
			pthread_mutex_unlock(&q->lock);
			return -ETIMEDOUT;   /* the caller abandons the threads */
		}
		atomic_store(&q->waiting, 1);
		/* re-check under the lock: a push or exit may have just happened */
		if ((q->drained >= job->ntasks ||
		     atomic_load(&q->order[q->drained]) == DONE_QUEUE_EMPTY) &&
		    atomic_load(&q->exited) < nworkers) {
			t = clock_now_ns() + DONE_QUEUE_LAG_NS;
			until.tv_sec = t / 1000000000;
			until.tv_nsec = t % 1000000000;
			pthread_cond_timedwait(&q->cond, &q->lock, &until);
		}
		atomic_store(&q->waiting, 0);
		pthread_mutex_unlock(&q->lock);
	}
	return 0;
}

void done_queue_destroy(struct done_queue *q)
{
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	free((void *)q->order);
	q->order = NULL;
	free(q->since);
	q->since = NULL;
}
