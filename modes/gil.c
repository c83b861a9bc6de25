/*
 * gil — a simulated Python GIL: a pool of threads that may compute only
 * while holding one global lock.
 *
 * Like ThreadPoolExecutor under CPython: W threads pull tasks from one
 * FIFO queue, but a thread must hold the interpreter lock to run a task.
 * It lets go while the task waits (task_io_begin() .. task_io_end(): sleep,
 * file I/O) and, in long computations, hands the lock over at a
 * task_checkpoint() once it has held it for the switch interval (--switch-ms,
 * default 5 ms like sys.getswitchinterval()) and another thread is waiting.
 *
 * The lock is a ticket lock on a mutex and condition variable: threads are
 * served in the order they asked, and a thread that hands the lock over
 * takes a new ticket at the back of the line, so it cannot grab the lock
 * straight back (CPython's "forced switching").  One thread computes at a
 * time: CPU-bound work runs no faster than seq, waiting still overlaps.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/clock.h"
#include "bench/mode.h"
#include "bench/run.h"

#define GIL_DEFAULT_SWITCH_MS 5.0

struct gil {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	uint64_t next_ticket;     /* the ticket the next asker gets */
	uint64_t serving;         /* the ticket that may hold the lock */
	int64_t switch_ns;
	int64_t taken_ns;         /* when the holder took it */
	size_t handovers;         /* forced switches at a checkpoint */
};

struct gil_pool {
	struct job *job;
	struct gil gil;
	atomic_size_t next;
};

struct gil_worker {
	struct gil_pool *pool;
	unsigned id;
};

/* The lock of the calling thread's pool, and whether it holds it. */
static _Thread_local struct gil *tls_gil;
static _Thread_local int tls_held;

static int gil_init(struct gil *g, double switch_ms)
{
	int rc;

	memset(g, 0, sizeof(*g));
	g->switch_ns = (int64_t)((switch_ms > 0 ? switch_ms : GIL_DEFAULT_SWITCH_MS) * 1e6);
	rc = pthread_mutex_init(&g->mutex, NULL);
	if (rc)
		return -rc;
	rc = pthread_cond_init(&g->cond, NULL);
	if (rc) {
		pthread_mutex_destroy(&g->mutex);
		return -rc;
	}
	return 0;
}

static void gil_destroy(struct gil *g)
{
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->mutex);
}

/* Wait for ticket @t; called with the mutex held. */
static void gil_wait_turn(struct gil *g, uint64_t t)
{
	while (g->serving != t)
		pthread_cond_wait(&g->cond, &g->mutex);
	g->taken_ns = clock_now_ns();
}

static void gil_take(struct gil *g)
{
	pthread_mutex_lock(&g->mutex);
	gil_wait_turn(g, g->next_ticket++);
	pthread_mutex_unlock(&g->mutex);
	tls_held = 1;
}

static void gil_drop(struct gil *g)
{
	tls_held = 0;
	pthread_mutex_lock(&g->mutex);
	g->serving++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->mutex);
}

/*
 * The holder checks in: after a switch interval, if somebody waits, serve
 * the next ticket and queue up again behind the waiters.
 */
static void gil_checkpoint(struct gil *g)
{
	if (clock_now_ns() - g->taken_ns < g->switch_ns)
		return;
	pthread_mutex_lock(&g->mutex);
	if (g->next_ticket - g->serving > 1) {
		uint64_t t = g->next_ticket++;

		g->handovers++;
		g->serving++;
		pthread_cond_broadcast(&g->cond);
		gil_wait_turn(g, t);
	}
	pthread_mutex_unlock(&g->mutex);
}

static void hook_io_begin(void)
{
	if (tls_gil && tls_held)
		gil_drop(tls_gil);
}

static void hook_io_end(void)
{
	if (tls_gil && !tls_held)
		gil_take(tls_gil);
}

static void hook_checkpoint(void)
{
	if (tls_gil && tls_held)
		gil_checkpoint(tls_gil);
}

static const struct section_hooks gil_hooks = {
	.io_begin = hook_io_begin,
	.io_end = hook_io_end,
	.checkpoint = hook_checkpoint,
};

static void *gil_worker(void *p)
{
	struct gil_worker *w = p;
	struct gil_pool *pool = w->pool;
	struct job *job = pool->job;

	job_bind_worker(job, w->id, 0);
	tls_gil = &pool->gil;
	section_hooks = &gil_hooks;
	while (!job_stopping() && !job_queue_abandoned(job)) {
		size_t i = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);

		if (i >= job->ntasks)
			break;
		gil_take(&pool->gil);
		job_run_task(job, i, w->id, &job->results[i]);
		if (tls_held)
			gil_drop(&pool->gil);
		job_queue_push(job, i);
	}
	section_hooks = NULL;
	tls_gil = NULL;
	job_queue_exit(job);
	return NULL;
}

static int gil_run(struct job *job)
{
	/* on the heap: an abandoned run (--task-timeout) leaves it to its threads */
	struct gil_pool *pool = calloc(1, sizeof(*pool));
	struct gil_worker *workers;
	pthread_t *threads;
	unsigned created = 0;
	int rc;

	if (!pool)
		return -ENOMEM;
	pool->job = job;
	rc = gil_init(&pool->gil, job->switch_ms);
	if (rc) {
		free(pool);
		return rc;
	}
	rc = job_queue_init(job);
	if (rc)
		goto out_destroy_gil;
	threads = calloc(job->workers, sizeof(*threads));
	workers = calloc(job->workers, sizeof(*workers));
	if (!threads || !workers) {
		rc = -ENOMEM;
		goto out_free;
	}
	atomic_init(&pool->next, 0);
	for (size_t i = 0; i < job->ntasks; i++)
		job_submit(job, i);
	for (unsigned w = 0; w < job->workers; w++) {
		workers[w] = (struct gil_worker){ pool, w };
		rc = pthread_create(&threads[created], NULL, gil_worker, &workers[w]);
		if (rc)
			break;
		created++;
	}
	job->spawn_ns = clock_now_ns();
	if (job_queue_drain(job, created) == -ETIMEDOUT)
		return -ETIMEDOUT;   /* abandoned: the threads keep the pool */
	for (unsigned w = 0; w < created; w++)
		pthread_join(threads[w], NULL);
	rc = created ? 0 : -rc;
out_free:
	free(workers);
	free(threads);
	job_queue_destroy(job);
out_destroy_gil:
	gil_destroy(&pool->gil);
	free(pool);
	return rc;
}

const struct mode mode_gil = {
	.name = "gil",
	.summary = "thread pool under a simulated Python GIL (one thread computes at a time)",
	.teaches = "why Python threads do not speed up CPU-bound work but still overlap waiting",
	.run = gil_run,
};
