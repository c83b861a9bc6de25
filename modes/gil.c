/*
 * gil — a simulated Python GIL: a pool of threads that may run "Python
 * code" only while holding one global lock.
 *
 * Like ThreadPoolExecutor under CPython: W threads pull tasks from one
 * FIFO queue, and a thread holds the interpreter lock whenever it runs
 * anything but C code that lets go of it.  The workload says which parts
 * those are (bench/api/workload.h): task_gil_release() .. task_gil_acquire()
 * around C code such as Pillow's decoders and filters, task_io_begin() ..
 * task_io_end() around waits (sleep, file I/O).  A worker keeps the lock
 * from one task to the next, as a CPython worker thread does.
 *
 * The switch interval (--switch-ms, default 5 ms like
 * sys.getswitchinterval()) is CPython 3.2+'s rule: once a thread has
 * waited that long and the lock has not changed hands meanwhile, the
 * holder must drop it at its next check (task_checkpoint(), or between
 * tasks; the "eval breaker"), and it cannot take it straight back (forced
 * switching): it queues behind the others.
 *
 * Hand-over costs O(1) whatever the number of threads: waiters queue in
 * FIFO order, each on its own condition variable, and the thread that lets
 * go of the lock hands it to the head of the queue and wakes that one
 * thread only.  One thread runs Python code at a time: CPU-bound "pure
 * Python" work runs no faster than seq, C sections and waits overlap.
 */
#include "modes/gil.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/clock.h"
#include "bench/api/mode.h"
#include "modes/threadpool.h"

static const struct option gil_options[] = {
	{ "--switch-ms", OPTION_REAL, "MS", 5, 0.01, 10000,
	  "the simulated GIL's switch interval", NULL },
	{ 0 },
};

/* A thread waiting for the lock: its own condition, woken alone. */
struct gil_waiter {
	pthread_cond_t cond;
	int granted;                   /* under the mutex: the lock is ours */
	int64_t since_ns;              /* when it started to wait */
	struct gil_waiter *next;
};

struct gil {
	pthread_mutex_t mutex;
	int held;                      /* under the mutex */
	struct gil_waiter *head, *tail;
	atomic_uint nwaiting;          /* read by the holder without the mutex */
	_Atomic int64_t head_since_ns; /* when the oldest waiter started to wait */
	int64_t switch_ns;
};

/* The calling worker's lock, its place in the queue, and what it holds. */
static _Thread_local struct gil *tls_gil;
static _Thread_local struct gil_waiter tls_waiter;
static _Thread_local unsigned tls_worker;
static _Thread_local int tls_held;
static _Thread_local int tls_depth;        /* nested release sections */
static _Thread_local int64_t tls_taken_ns; /* when it last took the lock */

static gil_watch_fn *watch_fn;
static void *watch_arg;

void gil_watch(gil_watch_fn *fn, void *arg)
{
	watch_fn = fn;
	watch_arg = arg;
}

static void watch(enum gil_event ev, int64_t ns)
{
	if (watch_fn)
		watch_fn(tls_worker, ev, ns, watch_arg);
}

static int gil_init(struct gil *g, double switch_ms)
{
	int rc;

	memset(g, 0, sizeof(*g));
	g->switch_ns = (int64_t)(switch_ms * 1e6);
	atomic_init(&g->nwaiting, 0);
	atomic_init(&g->head_since_ns, 0);
	rc = pthread_mutex_init(&g->mutex, NULL);
	return -rc;
}

static void gil_destroy(struct gil *g)
{
	pthread_mutex_destroy(&g->mutex);
}

/* Under the mutex: join the back of the queue and sleep until granted. */
static void gil_queue_and_wait(struct gil *g, struct gil_waiter *me)
{
	me->granted = 0;
	me->next = NULL;
	me->since_ns = clock_now_ns();
	if (g->tail) {
		g->tail->next = me;
	} else {
		g->head = me;
		atomic_store_explicit(&g->head_since_ns, me->since_ns, memory_order_relaxed);
	}
	g->tail = me;
	atomic_fetch_add_explicit(&g->nwaiting, 1, memory_order_relaxed);
	watch(GIL_WAITS, me->since_ns);
	while (!me->granted)
		pthread_cond_wait(&me->cond, &g->mutex);
}

/* Under the mutex, with a waiter queued: hand the lock to the oldest one. */
static void gil_grant_next(struct gil *g)
{
	struct gil_waiter *w = g->head;

	g->head = w->next;
	if (g->head)
		atomic_store_explicit(&g->head_since_ns, g->head->since_ns, memory_order_relaxed);
	else
		g->tail = NULL;
	atomic_fetch_sub_explicit(&g->nwaiting, 1, memory_order_relaxed);
	w->granted = 1;
	pthread_cond_signal(&w->cond);
}

static void gil_took(void)
{
	tls_held = 1;
	tls_taken_ns = clock_now_ns();
	watch(GIL_TAKES, tls_taken_ns);
}

static void gil_take(struct gil *g)
{
	pthread_mutex_lock(&g->mutex);
	if (!g->held && !g->head)
		g->held = 1;
	else
		gil_queue_and_wait(g, &tls_waiter);   /* held for us when it returns */
	pthread_mutex_unlock(&g->mutex);
	gil_took();
}

static void gil_drop(struct gil *g)
{
	tls_held = 0;
	watch(GIL_DROPS, clock_now_ns());
	pthread_mutex_lock(&g->mutex);
	if (g->head)
		gil_grant_next(g);
	else
		g->held = 0;
	pthread_mutex_unlock(&g->mutex);
}

/*
 * The holder checks in.  Somebody has waited a whole switch interval since
 * the lock last changed hands: hand it over, queue up behind the others.
 */
static void gil_checkpoint(struct gil *g)
{
	int64_t now, since;

	if (!atomic_load_explicit(&g->nwaiting, memory_order_relaxed))
		return;
	now = clock_now_ns();
	since = atomic_load_explicit(&g->head_since_ns, memory_order_relaxed);
	if (since < tls_taken_ns)
		since = tls_taken_ns;
	if (now - since < g->switch_ns)
		return;
	tls_held = 0;
	watch(GIL_DROPS, now);
	pthread_mutex_lock(&g->mutex);
	if (g->head) {
		gil_grant_next(g);
		gil_queue_and_wait(g, &tls_waiter);
	}
	pthread_mutex_unlock(&g->mutex);
	gil_took();
}

static void hook_release(void)
{
	if (tls_gil && tls_depth++ == 0 && tls_held)
		gil_drop(tls_gil);
}

static void hook_acquire(void)
{
	if (!tls_gil || tls_depth == 0)
		return;   /* unbalanced: nothing was released */
	if (--tls_depth == 0 && !tls_held)
		gil_take(tls_gil);
}

static void hook_checkpoint(void)
{
	if (tls_gil && tls_held && tls_depth == 0)
		gil_checkpoint(tls_gil);
}

static const struct section_hooks gil_hooks = {
	.release = hook_release,
	.acquire = hook_acquire,
	.checkpoint = hook_checkpoint,
};

/* The pool's hooks: a worker runs tasks only while it holds @arg's lock. */
static void worker_enter(void *arg, unsigned worker)
{
	tls_gil = arg;
	tls_worker = worker;
	tls_held = 0;
	tls_depth = 0;
	tls_waiter = (struct gil_waiter){ .cond = PTHREAD_COND_INITIALIZER };
	section_hooks = &gil_hooks;
}

static void worker_before(void *arg)
{
	tls_depth = 0;
	if (!tls_held)
		gil_take(arg);
}

/* Between tasks the worker runs "Python code": a check like any other. */
static void worker_after(void *arg)
{
	if (tls_depth) {
		/* a task left a release section open: close it */
		tls_depth = 1;
		hook_acquire();
	}
	if (tls_held)
		gil_checkpoint(arg);
}

static void worker_leave(void *arg)
{
	if (tls_held)
		gil_drop(arg);
	section_hooks = NULL;
	tls_gil = NULL;
	pthread_cond_destroy(&tls_waiter.cond);
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
	rc = gil_init(gil, option_real(job->cfg, "--switch-ms"));
	if (rc) {
		free(gil);
		return rc;
	}
	job->priv = gil;
	rc = threadpool_run_with(job, &gil_pool_hooks, job->priv);
	if (rc == -ETIMEDOUT)
		return rc;   /* abandoned: the threads keep the lock */
	job->priv = NULL;
	gil_destroy(gil);
	free(gil);
	return rc;
}

const struct mode mode_gil = {
	.name = "gil",
	.summary = "thread pool under a simulated Python GIL (one thread runs Python code at a time)",
	.teaches = "why Python threads do not speed up pure-Python CPU work, but do overlap "
		   "waiting and C code that releases the GIL (Pillow, NumPy)",
	.teaching_only = 1,
	.simulated_gil = 1,
	.run = gil_run,
	.options = gil_options,
};
