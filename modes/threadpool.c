/*
 * threadpool — W long-lived threads pulling tasks from one FIFO queue
 * (ThreadPoolExecutor).  The queue is the task list itself with an atomic
 * cursor: taking a task is one fetch-and-add, in submission order.
 * threadpool_run_with() (modes/threadpool.h) lends the pool to other modes.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "bench/api/clock.h"
#include "bench/api/mode.h"
#include "modes/done_queue.h"
#include "modes/threadpool.h"

struct threadpool {
	struct job *job;
	struct done_queue done;
	atomic_size_t next;
	const struct threadpool_hooks *hooks;
	void *arg;
};

static const struct threadpool_hooks no_hooks;

struct threadpool_worker {
	struct threadpool *pool;
	unsigned id;
};

static void *threadpool_worker(void *p)
{
	struct threadpool_worker *w = p;
	struct job *job = w->pool->job;

	const struct threadpool_hooks *h = w->pool->hooks;
	void *arg = w->pool->arg;

	job_bind_worker(job, w->id, 0);
	if (h->enter)
		h->enter(arg, w->id);
	while (!job_stopping() && !done_queue_abandoned(&w->pool->done)) {
		size_t i = atomic_fetch_add_explicit(&w->pool->next, 1, memory_order_relaxed);

		if (i >= job->ntasks)
			break;
		if (h->before)
			h->before(arg);
		done_queue_start(&w->pool->done, i);
		job_run_task(job, i, w->id, &job->results[i]);
		if (h->after)
			h->after(arg);
		done_queue_push(&w->pool->done, i);
	}
	if (h->leave)
		h->leave(arg);
	done_queue_exit(&w->pool->done);
	return NULL;
}

int threadpool_run_with(struct job *job, const struct threadpool_hooks *hooks, void *arg)
{
	struct threadpool *pool;
	struct threadpool_worker *workers;
	pthread_t *threads;
	unsigned created = 0;
	int rc;

	/* on the heap: an abandoned run (--task-timeout) leaves it to its threads */
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -ENOMEM;
	rc = done_queue_init(&pool->done, job);
	if (rc)
		goto out_free_pool;
	threads = calloc(job->workers, sizeof(*threads));
	workers = calloc(job->workers, sizeof(*workers));
	if (!threads || !workers) {
		rc = -ENOMEM;
		goto out_free;
	}
	pool->job = job;
	pool->hooks = hooks ? hooks : &no_hooks;
	pool->arg = arg;
	atomic_init(&pool->next, 0);
	for (size_t i = 0; i < job->ntasks; i++)
		job_submit(job, i);
	for (unsigned w = 0; w < job->workers; w++) {
		workers[w] = (struct threadpool_worker){ pool, w };
		rc = pthread_create(&threads[created], NULL, threadpool_worker, &workers[w]);
		if (rc)
			break;
		created++;
	}
	job->spawn_ns = clock_now_ns();
	/* a pool with fewer threads than asked still finishes the work, and
	 * the run is recorded with the workers it had */
	if (created && created < job->workers) {
		job_warn(job, "only %u of %u threads started (%s)", created,
			job->workers, strerror(rc));
		job->workers = created;
	}
	if (done_queue_drain(&pool->done, created) == -ETIMEDOUT)
		return -ETIMEDOUT;   /* abandoned: the threads keep pool and workers */
	for (unsigned w = 0; w < created; w++)
		pthread_join(threads[w], NULL);
	rc = created ? 0 : -rc;
out_free:
	free(workers);
	free(threads);
	done_queue_destroy(&pool->done);
out_free_pool:
	free(pool);
	return rc;
}

static int threadpool_run(struct job *job)
{
	return threadpool_run_with(job, NULL, NULL);
}

const struct mode mode_threadpool = {
	.name = "threadpool",
	.summary = "fixed pool of threads fed by one FIFO queue",
	.teaches = "like ThreadPoolExecutor: threads are reused, so per-task cost is a queue operation",
	.run = threadpool_run,
};
