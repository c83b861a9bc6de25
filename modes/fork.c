/*
 * fork — one child process per task: start them all, then reap them all
 * with waitpid (the multiprocessing Process.start()/join() lesson).
 *
 * Each child writes its fixed-size result record into memory shared with
 * the parent and _exit()s; the parent learns the completion order from the
 * order in which children are reaped.  A child that dies leaves its task
 * marked "crashed" with the signal or exit code.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/clock.h"
#include "bench/mode.h"
#include "bench/run.h"

struct child {
	pid_t pid;
	size_t index;
};

static int cmp_pid(const void *a, const void *b)
{
	const struct child *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void fork_child(struct job *job, size_t i, struct task_result *shared)
{
	job_child_init();
	job_bind_worker(job, (unsigned)i, 1);
	job_run_task(job, i, (unsigned)i, &shared[i]);
	_exit(0);
}

/* Copy a reaped child's result, or describe how it died. */
static void fork_collect(struct job *job, size_t i, const struct task_result *shared, int wstatus)
{
	struct task_result *r = &job->results[i];

	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && shared[i].status != TASK_PENDING) {
		*r = shared[i];
		return;
	}
	if (shared[i].start_ns) {
		*r = shared[i];     /* keep identity and start time */
		r->end_ns = clock_now_ns();
	}
	r->status = job_stopping() ? TASK_SKIPPED : TASK_CRASHED;
	job_describe_status(wstatus, r->message, sizeof(r->message));
	if (job_stopping())
		task_message(r, "stopped by signal before it finished");
}

static void kill_children(const struct child *kids, size_t n, const char *reaped)
{
	for (size_t k = 0; k < n; k++)
		if (!reaped[k])
			kill(kids[k].pid, SIGKILL);
}

static int fork_run(struct job *job)
{
	size_t bytes = job->ntasks * sizeof(struct task_result);
	struct task_result *shared = job_shared_alloc(bytes);
	struct child *kids = calloc(job->ntasks ? job->ntasks : 1, sizeof(*kids));
	char *reaped = calloc(job->ntasks ? job->ntasks : 1, 1);
	size_t started = 0, left;
	int killed = 0, rc = 0;

	if (!shared || !kids || !reaped) {
		rc = -ENOMEM;
		goto out_free;
	}
	fflush(NULL);   /* no buffered output duplicated into children */
	for (size_t i = 0; i < job->ntasks && !job_stopping(); i++) {
		pid_t pid;

		job_submit(job, i);
		shared[i].submit_ns = job->results[i].submit_ns;
		pid = fork();
		if (pid == 0)
			fork_child(job, i, shared);
		if (pid < 0) {
			job->results[i].status = TASK_FAILED;
			task_message(&job->results[i], "cannot fork: %s", strerror(errno));
			job_deliver(job, i);
			continue;
		}
		kids[started++] = (struct child){ pid, i };
	}
	job->spawn_ns = clock_now_ns();
	qsort(kids, started, sizeof(*kids), cmp_pid);

	for (left = started; left > 0;) {
		struct rusage ru;
		int wstatus;
		pid_t pid = wait4(-1, &wstatus, 0, &ru);

		if (pid < 0) {
			if (errno == EINTR) {
				if (job_stopping() && !killed) {
					kill_children(kids, started, reaped);
					killed = 1;
				}
				continue;
			}
			rc = -errno;
			break;
		}
		struct child key = { .pid = pid };
		struct child *c = bsearch(&key, kids, started, sizeof(*kids), cmp_pid);
		if (!c)
			continue;   /* not one of ours */
		reaped[c - kids] = 1;
		left--;
		job->child_rss_kb += ru.ru_maxrss;
		fork_collect(job, c->index, shared, wstatus);
		job_deliver(job, c->index);
		if (job_stopping() && !killed) {
			kill_children(kids, started, reaped);
			killed = 1;
		}
	}
out_free:
	free(reaped);
	free(kids);
	job_shared_free(shared, bytes);
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
