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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/clock.h"
#include "bench/mode.h"
#include "bench/run.h"
#include "modes/threadpool.h"

#define GIL_DEFAULT_SWITCH_MS 5.0

struct gil {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	uint64_t next_ticket;     /* the ticket the next asker gets */
	uint64_t serving;         /* the ticket that may hold the lock */
	int64_t switch_ns;
	int64_t taken_ns;         /* when the holder took it */
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

/* The pool's hooks: a worker computes only while it holds @arg's lock. */
static void worker_enter(void *arg)
{
	tls_gil = arg;
	section_hooks = &gil_hooks;
}

static void worker_before(void *arg)
{
	gil_take(arg);
}

static void worker_after(void *arg)
{
	if (tls_held)
		gil_drop(arg);
}

static void worker_leave(void *arg)
{
	section_hooks = NULL;
	tls_gil = NULL;
}

static const struct threadpool_hooks gil_pool_hooks = {
	.enter = worker_enter,
	.before = worker_before,
	.after = worker_after,
	.leave = worker_leave,
};

static int gil_run(struct job *job)
{
	/* on the heap: an abandoned run (--task-timeout) leaves it to its threads */
	struct gil *gil = calloc(1, sizeof(*gil));
	int rc;

	if (!gil)
		return -ENOMEM;
	rc = gil_init(gil, job->switch_ms);
	if (rc) {
		free(gil);
		return rc;
	}
	rc = threadpool_run_with(job, &gil_pool_hooks, gil);
	if (rc == -ETIMEDOUT)
		return rc;   /* abandoned: the threads keep the lock */
	gil_destroy(gil);
	free(gil);
	return rc;
}

const struct mode mode_gil = {
	.name = "gil",
	.summary = "thread pool under a simulated Python GIL (one thread computes at a time)",
	.teaches = "why Python threads do not speed up CPU-bound work but still overlap waiting",
	.teaching_only = 1,
	.run = gil_run,
};
