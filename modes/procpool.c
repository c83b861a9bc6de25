/*
 * procpool — W pre-forked worker processes pulling tasks from a queue in
 * shared memory (ProcessPoolExecutor).
 *
 * The queue is an atomic cursor over the task list in a shared mapping;
 * each worker writes its result record into the same mapping and the
 * 4-byte task index into one pipe, which the parent reads to learn the
 * completion order.  Each worker also publishes the task it is running,
 * so when a worker dies (the workers are a child_set, bench/api/child.h)
 * its task is marked "crashed" with the signal named.
 *
 * Policy on a dead worker: the pool replaces it and finishes the remaining
 * tasks (unlike Python's BrokenProcessPool, which fails every pending
 * future): a benchmark should lose one task, not the run.
 *
 * --task-timeout: each worker also publishes when its task started; the
 * parent gives each worker that deadline in the set, whose child_wait()
 * kills a worker past it (its task "timeout"); it is replaced like any
 * dead worker.  Ctrl-C: the wait also watches job_stop_fd(); every worker
 * is killed and reaped, finished tasks are kept.
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
#include <unistd.h>

#include "bench/api/child.h"
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
	struct child_set *set;         /* the worker processes */
	int *ids;                      /* each worker's id in @set, -1: none */
	unsigned spawning;             /* the worker the next child is */
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

static int procpool_main(void *arg)
{
	struct procpool *p = arg;

	procpool_worker(p, p->spawning);
	return 0;
}

static int spawn_worker(struct procpool *p, unsigned w)
{
	int id;

	atomic_store(&p->current[w], -1);
	p->spawning = w;
	id = child_spawn(p->set, procpool_main, p, w);
	if (id < 0)
		return id;
	p->ids[w] = id;
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

/*
 * Worker @w was reaped with @wstatus (@timed_out: killed for its
 * deadline): fail the task it held; replace it if work is left.
 */
static void worker_died(struct procpool *p, unsigned w, int wstatus, int timed_out)
{
	struct job *job = p->job;
	int64_t cur;

	p->ids[w] = -1;
	cur = atomic_load(&p->current[w]);
	if (cur >= 0 && !p->delivered[cur]) {
		struct task_result *r = &job->results[cur];

		*r = p->results[cur];
		if (!r->start_ns)
			r->index = (int32_t)cur;
		job_settle_lost(job, r, wstatus, timed_out, ", pool goes on");
		p->delivered[cur] = 1;
		job_deliver(job, (size_t)cur);
	}
	if (!job_stopping() && atomic_load(&p->shm->next) < job->ntasks) {
		int rc = spawn_worker(p, w);

		if (rc)
			p->respawn_err = rc;
	}
}

/*
 * --task-timeout: each busy worker's deadline is when its task started
 * plus the timeout (an idle one has none); child_wait() kills it then.
 */
static void procpool_deadlines(struct procpool *p)
{
	struct job *job = p->job;
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9);

	for (unsigned w = 0; w < job->workers; w++) {
		int64_t due = 0;

		if (p->ids[w] < 0)
			continue;
		if (atomic_load(&p->current[w]) >= 0)
			due = atomic_load(&p->since[w]) + limit;
		child_set_deadline(p->set, p->ids[w], due);
	}
}

static void stop_workers(struct procpool *p)
{
	atomic_store(&p->shm->stop, 1);
	child_kill_all(p->set, SIGKILL);
}

/* A worker was reaped: what it finished just before counts, then its task. */
static void worker_reaped(const struct child_exit *e, void *arg)
{
	struct procpool *p = arg;

	job_reaped(p->job, &e->ru);
	read_completions(p);
	worker_died(p, (unsigned)e->tag, e->wstatus, e->expired);
}

static int procpool_loop(struct procpool *p)
{
	struct pollfd fds[2];
	int stopped = 0, rc = 0;

	while (child_live(p->set)) {
		if (job_stopping() && !stopped) {
			stop_workers(p);
			stopped = 1;
		}
		if (p->job->task_timeout_s > 0 && !stopped)
			procpool_deadlines(p);
		fds[0] = (struct pollfd){ .fd = p->pipe_rd, .events = POLLIN };
		/* readable for good once a stop is requested: watched until then */
		fds[1] = (struct pollfd){ .fd = stopped ? -1 : job_stop_fd(), .events = POLLIN };
		rc = child_wait(p->set, fds, 2, INT64_MAX);
		if (rc)
			return rc;
		read_completions(p);
		rc = child_reap(p->set, worker_reaped, p);
		if (rc < 0)
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
	int fds[2], rc = 0;

	p.shm_bytes = sizeof(struct pool_shm) + 2 * nw * sizeof(int64_t)
		      + job->ntasks * sizeof(struct task_result);
	p.shm = job_shared_alloc(p.shm_bytes);
	p.ids = malloc(nw * sizeof(*p.ids));
	p.delivered = calloc(job->ntasks ? job->ntasks : 1, 1);
	p.set = child_set_new(nw);
	if (!p.shm || !p.ids || !p.delivered || !p.set) {
		rc = -ENOMEM;
		goto out_free;
	}
	p.current = (_Atomic int64_t *)(p.shm + 1);
	p.since = p.current + nw;
	p.results = (struct task_result *)(p.since + nw);
	for (unsigned w = 0; w < nw; w++)
		p.ids[w] = -1;
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
	rc = live ? procpool_loop(&p) : rc;
	if (rc)
		stop_workers(&p);
	child_reap_all(p.set, NULL, NULL);
	read_completions(&p);   /* what finished before the end is measured */
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
	child_set_free(p.set);
	free(p.delivered);
	free(p.ids);
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
