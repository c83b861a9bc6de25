/*
 * pthread — one thread per task: create them all, then join them all
 * (the threading.Thread start()/join() lesson).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/api/clock.h"
#include "bench/api/mode.h"
#include "modes/done_queue.h"

struct pthread_arg {
	struct job *job;
	struct done_queue *done;
	size_t index;
};

static void *pthread_task(void *p)
{
	struct pthread_arg *a = p;
	struct job *job = a->job;

	job_bind_worker(job, (unsigned)a->index, 0);
	if (!job_stopping() && !done_queue_abandoned(a->done)) {
		done_queue_start(a->done, a->index);
		job_run_task(job, a->index, (unsigned)a->index, &job->results[a->index]);
		done_queue_push(a->done, a->index);
	}
	done_queue_exit(a->done);
	return NULL;
}

static int pthread_run(struct job *job)
{
	struct pthread_arg *args;
	struct done_queue *done;
	pthread_t *threads;
	unsigned created = 0;
	int rc;

	/* on the heap: an abandoned run (--task-timeout) leaves it to its threads */
	done = calloc(1, sizeof(*done));
	if (!done)
		return -ENOMEM;
	rc = done_queue_init(done, job);
	if (rc)
		goto out_free_done;
	threads = calloc(job->ntasks ? job->ntasks : 1, sizeof(*threads));
	args = calloc(job->ntasks ? job->ntasks : 1, sizeof(*args));
	if (!threads || !args) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (size_t i = 0; i < job->ntasks && !job_stopping(); i++) {
		int err;

		args[i] = (struct pthread_arg){ job, done, i };
		job_submit(job, i);
		err = pthread_create(&threads[created], NULL, pthread_task, &args[i]);
		if (err) {
			/* this task cannot run; the ones already started finish */
			struct task_result *r = &job->results[i];

			r->status = TASK_FAILED;
			task_message(r, "cannot create thread: %s", strerror(err));
			job_deliver(job, i);
			continue;
		}
		created++;
	}
	job->spawn_ns = clock_now_ns();
	if (done_queue_drain(done, created) == -ETIMEDOUT)
		return -ETIMEDOUT;   /* abandoned: the threads keep args and the queue */
	for (unsigned i = 0; i < created; i++)
		pthread_join(threads[i], NULL);
	rc = 0;
out_free:
	free(args);
	free(threads);
	done_queue_destroy(done);
out_free_done:
	free(done);
	return rc;
}

const struct mode mode_pthread = {
	.name = "pthread",
	.summary = "one thread per task: create all, then join all",
	.teaches = "threads share memory and start fast; no GIL in C, so they use every core",
	.one_worker_per_task = 1,
	.run = pthread_run,
};
