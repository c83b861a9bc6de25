/*
 * fork — one child process per task: start them all, then reap them all
 * with waitpid (the multiprocessing Process.start()/join() lesson).
 *
 * Each child writes its fixed-size result record into memory shared with
 * the parent and _exit()s; the parent learns the completion order from the
 * order in which children are reaped.  A child that dies leaves its task
 * marked "crashed" with the signal or exit code.
 *
 * The parent sleeps in poll() on two pipes: one a SIGCHLD handler writes
 * to (a child ended: reap), one that becomes readable on Ctrl-C (kill
 * every child, reap them, return).  With --task-timeout the poll has a
 * deadline: a child still running then is killed, its task "timeout".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/api/mode.h"

struct child {
	pid_t pid;
	size_t index;
	int64_t start_ns;      /* fork time: --task-timeout counts from here */
	int timed_out;         /* killed by --task-timeout */
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
static void fork_collect(struct job *job, const struct child *c, const struct task_result *shared,
			 int wstatus)
{
	size_t i = c->index;
	struct task_result *r = &job->results[i];

	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && shared[i].status != TASK_PENDING) {
		*r = shared[i];
		return;
	}
	if (shared[i].start_ns)
		*r = shared[i];     /* keep identity and start time */
	job_settle_lost(job, r, wstatus, c->timed_out, "");
}

static void kill_children(const struct child *kids, size_t n, const char *reaped)
{
	for (size_t k = 0; k < n; k++)
		if (!reaped[k])
			kill(kids[k].pid, SIGKILL);
}

/* Reap every child that has ended; -errno on a real wait error. */
static int fork_reap(struct job *job, struct child *kids, size_t n, char *reaped, size_t *left,
		     const struct task_result *shared)
{
	while (*left > 0) {
		struct rusage ru;
		struct child key, *c;
		int wstatus;
		pid_t pid = wait4(-1, &wstatus, WNOHANG, &ru);

		if (pid == 0)
			return 0;
		if (pid < 0)
			return errno == EINTR ? 0 : -errno;
		key.pid = pid;
		c = bsearch(&key, kids, n, sizeof(*kids), cmp_pid);
		if (!c)
			continue;   /* not one of ours */
		reaped[c - kids] = 1;
		(*left)--;
		job_reaped(job, &ru);
		fork_collect(job, c, shared, wstatus);
		job_deliver(job, c->index);
	}
	return 0;
}

/* Kill the children past --task-timeout; the next deadline, or INT64_MAX. */
static int64_t fork_deadlines(struct job *job, struct child *kids, size_t n, const char *reaped)
{
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9), now = clock_now_ns(), next = INT64_MAX;

	for (size_t k = 0; k < n; k++) {
		int64_t due = kids[k].start_ns + limit;

		if (reaped[k] || kids[k].timed_out)
			continue;
		if (due <= now) {
			kill(kids[k].pid, SIGKILL);
			kids[k].timed_out = 1;
		} else if (due < next) {
			next = due;
		}
	}
	return next;
}

/* Wait for every child: completions, Ctrl-C and deadlines, no busy loop. */
static int fork_wait(struct job *job, struct child *kids, size_t n, char *reaped,
		     const struct task_result *shared, int chld_fd)
{
	struct pollfd fds[2] = {
		{ .fd = chld_fd, .events = POLLIN },
		{ .fd = job_stop_fd(), .events = POLLIN },
	};
	size_t left = n;
	int killed = 0;

	for (;;) {
		struct timespec ts, *tsp = NULL;
		int rc;

		job_children_drain();
		rc = fork_reap(job, kids, n, reaped, &left, shared);
		if (rc || left == 0)
			return rc;
		if (job_stopping() && !killed) {
			kill_children(kids, n, reaped);
			killed = 1;
			fds[1].fd = -1;   /* stays readable: stop watching it */
		}
		if (job->task_timeout_s > 0 && !killed) {
			int64_t next = fork_deadlines(job, kids, n, reaped);

			if (next != INT64_MAX) {
				int64_t wait = next - clock_now_ns();

				if (wait < 0)
					wait = 0;
				ts.tv_sec = wait / 1000000000;
				ts.tv_nsec = wait % 1000000000;
				tsp = &ts;
			}
		}
		if (ppoll(fds, 2, tsp, NULL) < 0 && errno != EINTR)
			return -errno;
	}
}

static int fork_run(struct job *job)
{
	size_t bytes = job->ntasks * sizeof(struct task_result);
	struct task_result *shared = job_shared_alloc(bytes);
	struct child *kids = calloc(job->ntasks ? job->ntasks : 1, sizeof(*kids));
	char *reaped = calloc(job->ntasks ? job->ntasks : 1, 1);
	size_t started = 0;
	int rc = 0, chld_fd;

	if (!shared || !kids || !reaped) {
		rc = -ENOMEM;
		goto out_free;
	}
	chld_fd = job_children_watch();
	if (chld_fd < 0) {
		rc = chld_fd;
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
		kids[started++] = (struct child){ .pid = pid, .index = i, .start_ns = clock_now_ns() };
	}
	job->spawn_ns = clock_now_ns();
	qsort(kids, started, sizeof(*kids), cmp_pid);
	rc = fork_wait(job, kids, started, reaped, shared, chld_fd);
	if (rc) {
		/* cannot wait any more: leave no child behind */
		kill_children(kids, started, reaped);
		for (size_t k = 0; k < started; k++) {
			int wstatus;

			if (reaped[k] || waitpid(kids[k].pid, &wstatus, 0) < 0)
				continue;
			fork_collect(job, &kids[k], shared, wstatus);   /* it may have finished */
			job_deliver(job, kids[k].index);
		}
	}
	job_children_unwatch();
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
