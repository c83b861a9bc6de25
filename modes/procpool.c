/*
 * procpool — W pre-forked worker processes pulling tasks from a queue in
 * shared memory (ProcessPoolExecutor).
 *
 * The queue is an atomic cursor over the task list in a shared mapping;
 * each worker writes its result record into the same mapping and the
 * 4-byte task index into one pipe, which the parent reads to learn the
 * completion order.  Each worker also publishes the task it is running,
 * so when a worker dies (SIGCHLD, see job_children_watch()) its task is marked
 * "crashed" with the signal named.
 *
 * Policy on a dead worker: the pool replaces it and finishes the remaining
 * tasks (unlike Python's BrokenProcessPool, which fails every pending
 * future): a benchmark should lose one task, not the run.
 *
 * --task-timeout: each worker also publishes when its task started; the
 * parent's poll() has the earliest deadline as its timeout, kills a worker
 * past it (its task "timeout") and replaces it like any dead worker.
 * Ctrl-C: the poll also watches job_stop_fd(); every worker is killed and
 * reaped, finished tasks are kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/api/mode.h"

struct pool_shm {
	atomic_size_t next;
	atomic_int stop;
	/* then: int64_t current[workers], since[workers];
	 * struct task_result results[ntasks] */
};

struct procpool {
	struct job *job;
	struct pool_shm *shm;
	size_t shm_bytes;
	_Atomic int64_t *current;      /* task each worker runs, -1 idle */
	_Atomic int64_t *since;        /* when it started it */
	struct task_result *results;
	char *timed_out;               /* worker killed by --task-timeout */
	pid_t *pids;                   /* 0: slot empty */
	char *delivered;
	int pipe_rd, pipe_wr;
	int respawn_err;               /* a dead worker could not be replaced */
};

static void procpool_worker(struct procpool *p, unsigned w)
{
	struct job *job = p->job;

	job_child_init();
	close(p->pipe_rd);
	job_bind_worker(job, w, 1);
	while (!atomic_load_explicit(&p->shm->stop, memory_order_relaxed) && !job_stopping()) {
		size_t i = atomic_fetch_add_explicit(&p->shm->next, 1, memory_order_relaxed);
		uint32_t msg = (uint32_t)i;

		if (i >= job->ntasks)
			break;
		if (job->task_timeout_s > 0)   /* only the deadlines read it */
			atomic_store(&p->since[w], clock_now_ns());
		atomic_store(&p->current[w], (int64_t)i);
		job_run_task(job, i, w, &p->results[i]);
		if (write(p->pipe_wr, &msg, sizeof(msg)) != sizeof(msg))
			_exit(4);
		atomic_store_explicit(&p->current[w], -1, memory_order_relaxed);
	}
	_exit(0);
}

static int spawn_worker(struct procpool *p, unsigned w)
{
	pid_t pid;

	atomic_store(&p->current[w], -1);
	pid = fork();
	if (pid == 0)
		procpool_worker(p, w);
	if (pid < 0)
		return -errno;
	p->pids[w] = pid;
	return 0;
}

/* Deliver every index waiting in the pipe. Returns how many. */
static size_t read_completions(struct procpool *p)
{
	uint32_t buf[1024];
	size_t total = 0;

	for (;;) {
		ssize_t n = read(p->pipe_rd, buf, sizeof(buf));

		if (n <= 0)
			break;
		for (size_t k = 0; k < (size_t)n / sizeof(buf[0]); k++) {
			size_t i = buf[k];

			if (i >= p->job->ntasks || p->delivered[i])
				continue;
			p->job->results[i] = p->results[i];
			p->delivered[i] = 1;
			job_deliver(p->job, i);
			total++;
		}
		if ((size_t)n < sizeof(buf))
			break;
	}
	return total;
}

/* Worker @w was reaped with @wstatus: fail the task it held; replace it if work is left. */
static void worker_died(struct procpool *p, unsigned w, int wstatus, size_t *live)
{
	struct job *job = p->job;
	int64_t cur;

	p->pids[w] = 0;
	(*live)--;

	cur = atomic_load(&p->current[w]);
	if (cur >= 0 && !p->delivered[cur]) {
		struct task_result *r = &job->results[cur];

		*r = p->results[cur];
		if (!r->start_ns)
			r->index = (int32_t)cur;
		job_settle_lost(job, r, wstatus, p->timed_out[w], ", pool goes on");
		p->delivered[cur] = 1;
		job_deliver(job, (size_t)cur);
	}
	p->timed_out[w] = 0;
	if (!job_stopping() && atomic_load(&p->shm->next) < job->ntasks) {
		int rc = spawn_worker(p, w);

		if (!rc)
			(*live)++;
		else
			p->respawn_err = rc;
	}
}

/* Kill the workers past --task-timeout; the poll timeout in ms (-1: none). */
static int procpool_deadlines(struct procpool *p)
{
	struct job *job = p->job;
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9), now = clock_now_ns(), next = INT64_MAX;

	for (unsigned w = 0; w < job->workers; w++) {
		int64_t due;

		if (!p->pids[w] || p->timed_out[w] || atomic_load(&p->current[w]) < 0)
			continue;
		due = atomic_load(&p->since[w]) + limit;
		if (due <= now) {
			kill(p->pids[w], SIGKILL);
			p->timed_out[w] = 1;   /* worker_died() names the task */
		} else if (due < next) {
			next = due;
		}
	}
	if (next == INT64_MAX)
		return -1;
	/* round up: waking before the deadline would only loop once more */
	return (int)((next - now + 999999) / 1000000);
}

static void stop_workers(struct procpool *p)
{
	atomic_store(&p->shm->stop, 1);
	for (unsigned w = 0; w < p->job->workers; w++)
		if (p->pids[w])
			kill(p->pids[w], SIGKILL);
}

/* Reap the workers that have ended; -errno on a real wait error. */
static int reap_workers(struct procpool *p, size_t *live)
{
	while (*live > 0) {
		struct rusage ru;
		int wstatus;
		pid_t pid = wait4(-1, &wstatus, WNOHANG, &ru);
		unsigned w;

		if (pid == 0)
			return 0;
		if (pid < 0)
			return errno == EINTR ? 0 : -errno;
		for (w = 0; w < p->job->workers && p->pids[w] != pid; w++)
			;
		if (w == p->job->workers)
			continue;   /* not one of ours */
		job_reaped(p->job, &ru);
		read_completions(p);   /* it may have finished a task just before */
		worker_died(p, w, wstatus, live);
	}
	return 0;
}

static int procpool_loop(struct procpool *p, size_t live, int chld_fd)
{
	struct pollfd fds[3];
	int stopped = 0, rc = 0;

	while (live > 0) {
		int timeout = -1;

		if (job_stopping() && !stopped) {
			stop_workers(p);
			stopped = 1;
		}
		if (p->job->task_timeout_s > 0 && !stopped)
			timeout = procpool_deadlines(p);
		fds[0] = (struct pollfd){ .fd = p->pipe_rd, .events = POLLIN };
		/* readable for good once a stop is requested: watched until then */
		fds[1] = (struct pollfd){ .fd = stopped ? -1 : job_stop_fd(), .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = chld_fd, .events = POLLIN };
		if (poll(fds, 3, timeout) < 0 && errno != EINTR)
			return -errno;
		job_children_drain();
		read_completions(p);
		rc = reap_workers(p, &live);
		if (rc)
			return rc;
	}
	read_completions(p);
	return 0;
}

static int procpool_run(struct job *job)
{
	struct procpool p = { .job = job, .pipe_rd = -1, .pipe_wr = -1 };
	unsigned nw = job->workers;
	size_t live = 0;
	int fds[2], rc = 0, chld_fd;

	p.shm_bytes = sizeof(struct pool_shm) + 2 * nw * sizeof(int64_t)
		      + job->ntasks * sizeof(struct task_result);
	p.shm = job_shared_alloc(p.shm_bytes);
	p.pids = calloc(nw, sizeof(*p.pids));
	p.timed_out = calloc(nw, 1);
	p.delivered = calloc(job->ntasks ? job->ntasks : 1, 1);
	if (!p.shm || !p.pids || !p.timed_out || !p.delivered) {
		rc = -ENOMEM;
		goto out_free;
	}
	p.current = (_Atomic int64_t *)(p.shm + 1);
	p.since = p.current + nw;
	p.results = (struct task_result *)(p.since + nw);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		rc = -errno;
		goto out_free;
	}
	p.pipe_rd = fds[0];
	p.pipe_wr = fds[1];
	fcntl(p.pipe_rd, F_SETFL, O_NONBLOCK);

	for (size_t i = 0; i < job->ntasks; i++) {
		job_submit(job, i);
		p.results[i].submit_ns = job->results[i].submit_ns;
	}
	chld_fd = job_children_watch();
	if (chld_fd < 0) {
		rc = chld_fd;
		goto out_free;
	}
	fflush(NULL);
	for (unsigned w = 0; w < nw && !job_stopping(); w++) {
		rc = spawn_worker(&p, w);
		if (rc)
			break;
		live++;
	}
	job->spawn_ns = clock_now_ns();
	if (live && live < nw && !job_stopping()) {
		/* the run is recorded with the workers it had */
		job_warn(job, "only %zu of %u worker processes started (%s)",
			live, nw, strerror(-rc));
		job->workers = (unsigned)live;
	}
	rc = live ? procpool_loop(&p, live, chld_fd) : rc;
	if (rc)
		stop_workers(&p);
	for (unsigned w = 0; w < nw; w++)
		if (p.pids[w])
			waitpid(p.pids[w], NULL, 0);
	read_completions(&p);   /* what finished before the end is measured */
	job_children_unwatch();
	if (!rc && p.respawn_err && atomic_load(&p.shm->next) < job->ntasks) {
		snprintf(job->error, sizeof(job->error), "every worker died and none could be "
			 "replaced (fork: %s)", strerror(-p.respawn_err));
		rc = p.respawn_err;
	}
out_free:
	if (p.pipe_rd >= 0)
		close(p.pipe_rd);
	if (p.pipe_wr >= 0)
		close(p.pipe_wr);
	free(p.delivered);
	free(p.timed_out);
	free(p.pids);
	job_shared_free(p.shm, p.shm_bytes);
	return rc;
}

const struct mode mode_procpool = {
	.name = "procpool",
	.summary = "fixed pool of worker processes fed through a queue",
	.teaches = "like ProcessPoolExecutor: workers are reused, results are copied back",
	.processes = 1,
	.run = procpool_run,
};
