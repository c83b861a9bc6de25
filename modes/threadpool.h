/*
 * threadpool — the thread pool, also for modes that are a pool with a twist.
 *
 * threadpool_run_with() runs @job on job->workers threads pulling tasks in
 * submission order, and calls @hooks (each may be NULL) in every worker:
 * enter() once when it starts (with its worker number), before() and
 * after() around each task, leave() once when it stops.  The gil mode is
 * this pool with a lock held while a task runs Python-like code.  Returns like a mode's run(); on -ETIMEDOUT (an
 * abandoned run) the threads still use @arg, so the caller must not free it.
 */
#ifndef BENCH_MODES_THREADPOOL_H
#define BENCH_MODES_THREADPOOL_H

struct job;

struct threadpool_hooks {
	void (*enter)(void *arg, unsigned worker);
	void (*before)(void *arg);
	void (*after)(void *arg);
	void (*leave)(void *arg);
};

int threadpool_run_with(struct job *job, const struct threadpool_hooks *hooks, void *arg);

#endif
