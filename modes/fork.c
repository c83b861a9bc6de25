/*
 * fork — one child process per task: start them all, then reap them all
 * with waitpid (the multiprocessing Process.start()/join() lesson).
 *
 * Each child writes its fixed-size result record into memory shared with
 * the parent and _exit()s; the parent learns the completion order from the
 * order in which children are reaped.  A child that dies leaves its task
 * marked "crashed" with the signal or exit code.
 *
 * The children are a child_set (bench/api/child.h): the parent sleeps in
 * one child_wait() until a child ends (reap it: the set reaps only its
 * own) or Ctrl-C makes job_stop_fd() readable (kill every child, reap
 * them, return).  With --task-timeout each child has a deadline in the
 * set: a child still running then is killed, its task "timeout".
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bench/api/child.h"
#include "bench/api/clock.h"
#include "bench/api/mode.h"

struct fork_run {
	struct job *job;
	struct task_result *shared;     /* the children's result records */
	size_t index;                   /* the task the next child runs */
};

static int fork_child(void *arg)
{
	struct fork_run *f = arg;
	size_t i = f->index;

	job_child_init();
	job_bind_worker(f->job, (unsigned)i, 1);
	job_run_task(f->job, i, (unsigned)i, &f->shared[i]);
	return 0;
}

/* A child was reaped: its result, or how it died; delivered. */
static void fork_reaped(const struct child_exit *e, void *arg)
{
	struct fork_run *f = arg;

	job_child_ended(f->job, &f->shared[e->tag], e);
}

/* Wait for every child: completions, Ctrl-C and deadlines, no busy loop. */
static int fork_wait(struct fork_run *f, struct child_set *set)
{
	struct pollfd stop = { .fd = job_stop_fd(), .events = POLLIN };
	int killed = 0;

	for (;;) {
		int rc = child_reap(set, fork_reaped, f);

		if (rc < 0)
			return rc;
		if (!child_live(set))
			return 0;
		if (job_stopping() && !killed) {
			child_kill_all(set, SIGKILL);
			killed = 1;     /* the stop fd stays readable: stop watching it */
		}
		rc = child_wait(set, &stop, !killed && stop.fd >= 0, INT64_MAX);
		if (rc)
			return rc;
	}
}

/* Start one child per task; a task that cannot fork is failed at once. */
static void fork_spawn_all(struct fork_run *f, struct child_set *set)
{
	struct job *job = f->job;
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9);

	for (size_t i = 0; i < job->ntasks && !job_stopping(); i++) {
		int id;

		job_submit(job, i);
		f->shared[i].submit_ns = job->results[i].submit_ns;
		f->index = i;
		id = child_spawn(set, fork_child, f, i);
		if (id < 0) {
			job->results[i].status = TASK_FAILED;
			task_message(&job->results[i], "cannot fork: %s", strerror(-id));
			job_deliver(job, i);
			continue;
		}
		if (limit > 0)
			child_set_deadline(set, id, clock_now_ns() + limit);
	}
}

static int fork_run(struct job *job)
{
	size_t bytes = job->ntasks * sizeof(struct task_result);
	struct fork_run f = { .job = job, .shared = job_shared_alloc(bytes) };
	struct child_set *set = child_set_new(job->ntasks);
	int rc = 0;

	if (!f.shared || !set) {
		rc = -ENOMEM;
		goto out_free;
	}
	fflush(NULL);   /* no buffered output duplicated into children */
	fork_spawn_all(&f, set);
	job->spawn_ns = clock_now_ns();
	rc = fork_wait(&f, set);
	if (rc) {
		/* cannot wait any more: leave no child behind */
		child_kill_all(set, SIGKILL);
		child_reap_all(set, fork_reaped, &f);   /* some may have finished */
	}
out_free:
	child_set_free(set);
	job_shared_free(f.shared, bytes);
	return rc;
}

const struct mode mode_fork = {
	.name = "fork",
	.summary = "one process per task: fork all, then waitpid all",
	.teaches = "like multiprocessing.Process: separate memory, results copied back, costlier start",
	.one_worker_per_task = 1,
	.processes = 1,
	.run = fork_run,
};
