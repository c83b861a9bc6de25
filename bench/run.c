#include "bench/run.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/clock.h"
#include "bench/config.h"
#include "bench/pin.h"
#include "bench/stats.h"

/* set in a signal handler, read by every worker thread: a lock-free atomic */
static atomic_int stop_signal;
static int stop_pipe[2] = { -1, -1 };   /* readable once a stop is requested */
static pid_t run_pid;                   /* the process whose children the workers are */
static atomic_int pin_warned;   /* workers warn once, whichever fails first */

_Thread_local const struct section_hooks *section_hooks;

const char *const stage_names[NSTAGES] = {
	[STAGE_READ] = "read",
	[STAGE_DECODE] = "decode",
	[STAGE_BLUR] = "blur",
	[STAGE_RESIZE] = "resize",
	[STAGE_ENCODE] = "encode",
	[STAGE_WRITE] = "write",
};

const char *task_status_name(enum task_status s)
{
	static const char *const names[] = {
		[TASK_PENDING] = "not_run", [TASK_OK] = "ok", [TASK_FAILED] = "failed",
		[TASK_CRASHED] = "crashed", [TASK_TIMEOUT] = "timeout", [TASK_SKIPPED] = "skipped",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

const char *run_status_name(enum run_status s)
{
	static const char *const names[] = {
		[RUN_OK] = "ok", [RUN_FAILED] = "failed",
		[RUN_INTERRUPTED] = "interrupted", [RUN_ERROR] = "error",
		[RUN_ABANDONED] = "abandoned",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

void task_message(struct task_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
}

void run_request_stop(int signo)
{
	int saved = errno;

	atomic_store(&stop_signal, signo);
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "x", 1) < 0) {
		/* full: already readable */
	}
	errno = saved;
}

int run_stop_init(void)
{
	if (stop_pipe[0] >= 0)
		return 0;
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	clock_set_wakeup_fd(stop_pipe[0]);
	return 0;
}

int job_stop_fd(void)
{
	return stop_pipe[0];
}

int run_stop_signal(void)
{
	return atomic_load_explicit(&stop_signal, memory_order_relaxed);
}

int job_stopping(void)
{
	return atomic_load_explicit(&stop_signal, memory_order_relaxed) != 0;
}

/* ------------------------------------------------------------------ tasks */

/*
 * --task-timeout in thread modes: the start time of each running task,
 * under the queue lock (only when a timeout is set: the common path stays
 * lock-free).  The caller's drain loop checks it on its timed waits.
 */
static void queue_mark_running(struct job_queue *q, size_t index, int64_t start)
{
	pthread_mutex_lock(&q->lock);
	q->running[index] = start;
	pthread_mutex_unlock(&q->lock);
}

void job_submit(struct job *job, size_t index)
{
	job->results[index].index = (int32_t)index;
	job->results[index].submit_ns = clock_now_ns();
}

static int run_injected(struct job *job, size_t index, struct task_result *res)
{
	switch (job->inject) {
	case INJECT_FAIL:
		task_message(res, "injected failure");
		return -EIO;
	case INJECT_CRASH:
	case INJECT_ABORT:
		/* a real death, whatever handler a sanitizer set; no core file */
		setrlimit(RLIMIT_CORE, &(struct rlimit){ 0, 0 });
		if (job->inject == INJECT_ABORT)
			abort();
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
		break;
	case INJECT_EXIT:
		_exit(3);
	case INJECT_HANG:
		/* until killed, or until a stop request (so that Ctrl-C can end
		 * a thread mode, where nothing can kill the hung thread) */
		for (;;) {
			struct pollfd pfd = { .fd = stop_pipe[0], .events = POLLIN };

			if (poll(&pfd, pfd.fd >= 0, -1) > 0)
				break;
		}
		task_message(res, "injected hang, ended by the stop request");
		return -EINTR;
	}
	return job->workload->run_task(job->state, index, res);
}

/*
 * getpid() and gettid() are system calls (about 0.25 us each on a VM):
 * cache them per thread, and forget them in a forked child.
 */
static _Thread_local int32_t cached_pid, cached_tid;

static void forget_ids(void)
{
	cached_pid = cached_tid = 0;
}

static void register_atfork(void)
{
	pthread_atfork(NULL, NULL, forget_ids);
}

static void cache_ids(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	if (cached_tid)
		return;
	pthread_once(&once, register_atfork);
	cached_pid = getpid();
	cached_tid = gettid();
}

void job_run_task(struct job *job, size_t index, unsigned worker, struct task_result *res)
{
	/* CPU time per task costs two system calls (~0.8 us each on a VM):
	 * worth it for real work, not for noop, which measures dispatch */
	int cpu_time = job->workload->bound != BOUND_NONE;
	int64_t submit = res->submit_ns, cpu0 = 0;
	int rc;

	cache_ids();
	memset(res, 0, sizeof(*res));
	res->submit_ns = submit ? submit : clock_now_ns();
	res->index = (int32_t)index;
	res->worker = (int32_t)worker;
	res->pid = cached_pid;
	res->tid = cached_tid;
	res->planned_pu = pin_planned_pu(job->pin, worker);
	res->cpu_start = sched_getcpu();
	if (cpu_time)
		cpu0 = clock_thread_cpu_ns();
	res->start_ns = clock_now_ns();
	if (job->queue.running)
		queue_mark_running(&job->queue, index, res->start_ns);
	if (job->inject != INJECT_NONE && (long)index == job->inject_task)
		rc = run_injected(job, index, res);
	else
		rc = job->workload->run_task(job->state, index, res);
	res->end_ns = clock_now_ns();
	if (cpu_time)
		res->cpu_ns = clock_thread_cpu_ns() - cpu0;
	res->cpu_end = sched_getcpu();
	res->status = rc ? TASK_FAILED : TASK_OK;
	if (rc == -EINTR && job_stopping()) {
		/* cut short by Ctrl-C (clock_sleep_s returns early): not a failure */
		res->status = TASK_SKIPPED;
		task_message(res, "interrupted by SIG%s before it finished",
			     sigabbrev_np(run_stop_signal()));
	}
	if (rc && !res->message[0])
		task_message(res, "%s", strerror(-rc));
}

void job_deliver(struct job *job, size_t index)
{
	job->done++;
	if (job->on_done)
		job->on_done(job, &job->results[index], job->on_done_arg);
}

void job_bind_worker(struct job *job, unsigned worker, int process)
{
	char err[256];
	int rc;

	if (!job->pin)
		return;
	rc = process ? pin_bind_process(job->pin, worker, err, sizeof(err))
		     : pin_bind_thread(job->pin, worker, err, sizeof(err));
	if (rc && !atomic_exchange(&pin_warned, 1)) {
		fprintf(stderr, "bench: warning: %s\n", err);
	}
}

/* ------------------------------------------------------------------ queue */

int job_queue_init(struct job *job)
{
	struct job_queue *q = &job->queue;
	pthread_condattr_t attr;
	size_t n = job->ntasks ? job->ntasks : 1;
	int rc;

	memset(q, 0, sizeof(*q));
	q->order = malloc(n * sizeof(*q->order));
	if (!q->order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		atomic_init(&q->order[i], JOB_QUEUE_EMPTY);
	if (job->task_timeout_s > 0) {
		q->running = calloc(n, sizeof(*q->running));
		if (!q->running) {
			rc = ENOMEM;
			goto out_free_order;
		}
	}
	rc = pthread_mutex_init(&q->lock, NULL);
	if (rc)
		goto out_free_order;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&q->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (rc)
		goto out_destroy_lock;
	return 0;

out_destroy_lock:
	pthread_mutex_destroy(&q->lock);
out_free_order:
	free(q->running);
	q->running = NULL;
	free((void *)q->order);
	return -rc;
}

static void queue_wake(struct job_queue *q)
{
	pthread_mutex_lock(&q->lock);
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

void job_queue_push(struct job *job, size_t index)
{
	struct job_queue *q = &job->queue;
	size_t slot;

	if (q->running) {
		pthread_mutex_lock(&q->lock);
		q->running[index] = 0;
		pthread_mutex_unlock(&q->lock);
	}
	slot = atomic_fetch_add(&q->pushed, 1);
	atomic_store_explicit(&q->order[slot], (uint32_t)index, memory_order_release);
	if (atomic_load(&q->waiting)) {
		int64_t now = clock_now_ns();

		if (now - atomic_load_explicit(&q->last_wake_ns, memory_order_relaxed) >= JOB_QUEUE_WAKE_NS) {
			atomic_store_explicit(&q->last_wake_ns, now, memory_order_relaxed);
			queue_wake(q);
		}
	}
}

void job_queue_exit(struct job *job)
{
	struct job_queue *q = &job->queue;
	unsigned exited = atomic_fetch_add(&q->exited, 1) + 1;

	/* the last worker always wakes the caller: the run ends now */
	if (exited >= job->workers ||
	    (atomic_load(&q->waiting) &&
	     clock_now_ns() - atomic_load(&q->last_wake_ns) >= JOB_QUEUE_WAKE_NS))
		queue_wake(q);
}

/* Deliver the completions published so far, in order. */
static void queue_deliver_ready(struct job *job)
{
	struct job_queue *q = &job->queue;

	while (q->drained < job->ntasks) {
		uint32_t idx = atomic_load_explicit(&q->order[q->drained], memory_order_acquire);

		if (idx == JOB_QUEUE_EMPTY)
			break;
		q->drained++;
		job_deliver(job, idx);
	}
}

/*
 * Under q->lock: has a running task outlived --task-timeout?  Sets
 * q->timed_out and returns 1, else moves q->check_ns to the earliest
 * deadline (tasks started later end their time later still).
 */
static int queue_timed_out(struct job *job, int64_t now)
{
	struct job_queue *q = &job->queue;
	int64_t limit = (int64_t)(job->task_timeout_s * 1e9), oldest = now;
	size_t late = 0;

	for (size_t i = 0; i < job->ntasks; i++)
		if (q->running[i] && q->running[i] < oldest) {
			oldest = q->running[i];
			late = i;
		}
	if (now - oldest >= limit) {
		q->timed_out = late;
		atomic_store(&q->abandoned, 1);
		return 1;
	}
	q->check_ns = oldest + limit;
	return 0;
}

int job_queue_abandoned(struct job *job)
{
	return atomic_load_explicit(&job->queue.abandoned, memory_order_relaxed);
}

int job_queue_drain(struct job *job, unsigned nworkers)
{
	struct job_queue *q = &job->queue;

	if (q->running)
		q->check_ns = clock_now_ns() + (int64_t)(job->task_timeout_s * 1e9);
	for (;;) {
		struct timespec until;
		int64_t t;

		queue_deliver_ready(job);
		if (atomic_load(&q->exited) >= nworkers && q->drained == atomic_load(&q->pushed))
			break;
		pthread_mutex_lock(&q->lock);
		if (q->running && clock_now_ns() >= q->check_ns &&
		    queue_timed_out(job, clock_now_ns())) {
			pthread_mutex_unlock(&q->lock);
			return -ETIMEDOUT;   /* the caller abandons the threads */
		}
		atomic_store(&q->waiting, 1);
		/* re-check under the lock: a push or exit may have just happened */
		if ((q->drained >= job->ntasks ||
		     atomic_load(&q->order[q->drained]) == JOB_QUEUE_EMPTY) &&
		    atomic_load(&q->exited) < nworkers) {
			t = clock_now_ns() + JOB_QUEUE_LAG_NS;
			until.tv_sec = t / 1000000000;
			until.tv_nsec = t % 1000000000;
			pthread_cond_timedwait(&q->cond, &q->lock, &until);
		}
		atomic_store(&q->waiting, 0);
		pthread_mutex_unlock(&q->lock);
	}
	return 0;
}

void job_queue_destroy(struct job *job)
{
	pthread_cond_destroy(&job->queue.cond);
	pthread_mutex_destroy(&job->queue.lock);
	free((void *)job->queue.order);
	job->queue.order = NULL;
	free(job->queue.running);
	job->queue.running = NULL;
}

void *job_shared_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void job_shared_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes ? bytes : 1);
}

void job_child_init(void)
{
	sigset_t all;

	/*
	 * Die with the parent.  PR_SET_PDEATHSIG follows the parent *thread*:
	 * the process modes fork from the thread that called run(), which
	 * outlives every worker.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* the parent may have died between fork() and prctl() */
	if (run_pid && getppid() != run_pid)
		_exit(128 + SIGKILL);
	/* Ctrl-C goes to the whole process group: the parent decides what
	 * stops and kills its workers; a worker ignores it.  SIGTERM sent to
	 * a worker itself ends it like any other death. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static int chld_pipe[2] = { -1, -1 };
static struct sigaction chld_old;

static void on_sigchld(int signo)
{
	int saved = errno;

	if (write(chld_pipe[1], "c", 1) < 0) {
		/* full: the parent is woken already */
	}
	errno = saved;
}

int job_children_watch(void)
{
	struct sigaction sa;

	if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &chld_old);
	return chld_pipe[0];
}

void job_children_drain(void)
{
	char buf[64];

	while (read(chld_pipe[0], buf, sizeof(buf)) > 0)
		;
}

void job_children_unwatch(void)
{
	sigaction(SIGCHLD, &chld_old, NULL);
	close(chld_pipe[0]);
	close(chld_pipe[1]);
	chld_pipe[0] = chld_pipe[1] = -1;
}

void job_describe_status(int wstatus, char *buf, size_t len)
{
	if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "worker killed by SIG%s%s", sigabbrev_np(WTERMSIG(wstatus)),
			 WCOREDUMP(wstatus) ? " (core dumped)" : "");
	else if (WIFEXITED(wstatus))
		snprintf(buf, len, "worker exited with code %d mid-task", WEXITSTATUS(wstatus));
	else
		snprintf(buf, len, "worker stopped (status 0x%x)", wstatus);
}

/* ------------------------------------------------------------------ runs */

struct run_ctx {
	const struct run_spec *spec;
	const struct run_options *opt;
	struct run_result *res;
};

static void on_task_done(struct job *job, const struct task_result *t, void *arg)
{
	struct run_ctx *ctx = arg;

	if (t->status == TASK_OK)
		ctx->res->completed++;
	else
		ctx->res->failed++;
	if (ctx->opt->progress)
		ctx->opt->progress(ctx->spec, ctx->res, t, job->done, ctx->opt->progress_arg);
}

/* Reset the kernel's peak-RSS mark (VmHWM) of this process. */
void run_rss_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "5", 1) < 0) {
			/* not allowed here: the peak then covers the process lifetime */
		}
		close(fd);
	}
}

long run_rss_peak_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void make_run_id(const struct run_spec *spec, char *buf, size_t len)
{
	static unsigned session;

	if (!session)
		session = (unsigned)(clock_now_ns() ^ ((int64_t)getpid() << 16)) & 0xffffff;
	snprintf(buf, len, "%06x-%zu", session, spec->seq + 1);
}

/* The duration used for the ideal makespan of each task (see stats.h). */
static void ideal_durations(const struct run_spec *spec, void *state,
			    const struct run_result *res, double *d)
{
	const struct workload *w = spec->workload;

	for (size_t i = 0; i < res->ntasks; i++) {
		const struct task_result *t = &res->results[i];
		double nominal = w->nominal_s ? w->nominal_s(state, i) : -1;

		if (nominal >= 0)
			d[i] = nominal;
		else if (w->bound == BOUND_IO)
			d[i] = t->end_ns > t->start_ns ? ns_to_s(t->end_ns - t->start_ns) : 0;
		else
			d[i] = ns_to_s(t->cpu_ns);
	}
}

static void finish_result(const struct run_spec *spec, void *state, struct run_result *res)
{
	unsigned machines = res->workers;
	double *d = malloc((res->ntasks ? res->ntasks : 1) * sizeof(*d));

	if (spec->workload->bound != BOUND_IO) {
		unsigned pus = pin_usable_pus();

		if (machines > pus)
			machines = pus;
	}
	if (d) {
		ideal_durations(spec, state, res, d);
		res->ideal_s = stats_ideal_makespan(d, res->ntasks, machines);
		free(d);
	}

	if (res->status == RUN_ERROR || res->status == RUN_ABANDONED)
		return;
	if (run_stop_signal() && res->completed < res->ntasks) {
		res->status = RUN_INTERRUPTED;
		snprintf(res->message, sizeof(res->message),
			 "interrupted by SIG%s: %zu of %zu tasks completed",
			 sigabbrev_np(run_stop_signal()), res->completed, res->ntasks);
		return;
	}
	if (res->failed)
		res->status = RUN_FAILED;
	if (res->failed && !res->message[0])
		snprintf(res->message, sizeof(res->message), "%zu of %zu tasks failed",
			 res->failed, res->ntasks);
}

/*
 * A task in a thread outlived --task-timeout.  A thread cannot be killed,
 * so the run is abandoned: the threads still running keep the job and its
 * results array (leaked on purpose: the driver exits right after writing
 * the rows), and @res gets a copy of what is settled: finished tasks as
 * they are, the late task "timeout", others still running "skipped",
 * the rest "not_run".
 */
static int abandon_run(struct job *job, struct run_result *res)
{
	struct job_queue *q = &job->queue;
	struct task_result *copy = calloc(job->ntasks ? job->ntasks : 1, sizeof(*copy));
	char *done = calloc(job->ntasks ? job->ntasks : 1, 1);
	int64_t now = clock_now_ns();
	size_t pushed;

	if (!copy || !done) {
		free(copy);
		free(done);
		return -ENOMEM;
	}
	pthread_mutex_lock(&q->lock);
	pushed = atomic_load(&q->pushed);
	for (size_t slot = 0; slot < pushed && slot < job->ntasks; slot++) {
		uint32_t i = atomic_load_explicit(&q->order[slot], memory_order_acquire);

		if (i != JOB_QUEUE_EMPTY && i < job->ntasks) {
			copy[i] = job->results[i];
			done[i] = 1;
		}
	}
	res->completed = res->failed = 0;
	for (size_t i = 0; i < job->ntasks; i++) {
		struct task_result *r = &copy[i];

		if (done[i]) {
			if (r->status == TASK_OK)
				res->completed++;
			else
				res->failed++;
			continue;
		}
		r->index = (int32_t)i;
		r->worker = -1;
		r->planned_pu = r->cpu_start = r->cpu_end = -1;
		r->submit_ns = job->t0_ns;
		if (q->running[i]) {
			r->pid = getpid();
			r->start_ns = q->running[i];
			r->end_ns = now;
			r->status = i == q->timed_out ? TASK_TIMEOUT : TASK_SKIPPED;
			if (i == q->timed_out)
				task_message(r, "timed out after %g s; a thread cannot be killed: "
					     "run abandoned", job->task_timeout_s);
			else
				task_message(r, "still running when the run was abandoned");
			res->failed++;
		} else {
			task_message(r, "not run: the run was abandoned");
		}
	}
	snprintf(res->message, sizeof(res->message),
		 "task %zu timed out after %g s; threads cannot be killed, so the run was "
		 "abandoned (%zu of %zu tasks completed)", q->timed_out, job->task_timeout_s,
		 res->completed, job->ntasks);
	pthread_mutex_unlock(&q->lock);
	free(done);
	res->results = copy;
	res->status = RUN_ABANDONED;
	return 0;
}

int run_execute(const struct run_spec *spec, void *state, size_t ntasks,
		const struct run_options *opt, struct run_result *res)
{
	struct rusage self0, self1, kids0, kids1;
	struct pin_plan *plan = NULL;
	struct run_ctx ctx = { spec, opt, res };
	struct job *job;
	int rc;

	memset(res, 0, sizeof(*res));
	make_run_id(spec, res->id, sizeof(res->id));
	res->ntasks = ntasks;
	res->workers = plan_effective_workers(spec, ntasks);
	res->results = calloc(ntasks ? ntasks : 1, sizeof(*res->results));
	if (!res->results)
		return -ENOMEM;
	for (size_t i = 0; i < ntasks; i++) {
		res->results[i].index = (int32_t)i;
		res->results[i].planned_pu = -1;
		res->results[i].cpu_start = res->results[i].cpu_end = -1;
	}

	if (spec->pin != PIN_NONE) {
		rc = pin_supported() ? pin_plan_make(spec->pin, res->workers, &plan) : -ENOTSUP;
		if (rc) {
			if (opt->strict_pin) {
				snprintf(res->message, sizeof(res->message),
					 "cannot pin (%s) and --strict-pin is set", strerror(-rc));
				res->status = RUN_ERROR;
				return rc;
			}
			if (!atomic_exchange(&pin_warned, 1)) {
				fprintf(stderr, "bench: warning: binding is not supported here (%s); "
					"runs are recorded with pinned=0\n", strerror(-rc));
			}
			plan = NULL;
		} else {
			res->pinned = 1;
			res->pin_wrapped = plan->wrapped;
		}
	}

	/* on the heap: an abandoned run leaves it to its threads */
	job = calloc(1, sizeof(*job));
	if (!job) {
		pin_plan_free(plan);
		run_result_free(res);
		return -ENOMEM;
	}
	job->workload = spec->workload;
	job->state = state;
	job->ntasks = ntasks;
	job->workers = res->workers;
	job->pin = plan;
	job->results = res->results;
	job->task_timeout_s = opt->task_timeout_s;
	job->inject = opt->inject;
	job->inject_task = opt->inject_task;
	job->switch_ms = opt->switch_ms;
	job->hostfile = opt->hostfile;
	job->argv = opt->argv;
	job->on_done = on_task_done;
	job->on_done_arg = &ctx;

	run_pid = getpid();
	/* every run starts from the same heap: memory freed by the last run
	 * goes back to the OS, so forks copy no stale page tables */
	malloc_trim(0);
	run_rss_reset();
	getrusage(RUSAGE_SELF, &self0);
	getrusage(RUSAGE_CHILDREN, &kids0);
	job->t0_ns = clock_now_ns();
	res->t0_ns = job->t0_ns;
	rc = spec->mode->run(job);
	res->wall_s = ns_to_s(clock_now_ns() - job->t0_ns);
	getrusage(RUSAGE_SELF, &self1);
	getrusage(RUSAGE_CHILDREN, &kids1);
	res->spawn_s = job->spawn_ns ? ns_to_s(job->spawn_ns - job->t0_ns) : 0;
	res->max_rss_kb = run_rss_peak_kb() + job->child_rss_kb;
	res->user_s = tv_s(self1.ru_utime) - tv_s(self0.ru_utime)
		      + tv_s(kids1.ru_utime) - tv_s(kids0.ru_utime);
	res->sys_s = tv_s(self1.ru_stime) - tv_s(self0.ru_stime)
		     + tv_s(kids1.ru_stime) - tv_s(kids0.ru_stime) + job->remote.sys_s;
	res->user_s += job->remote.user_s;
	res->nvcsw = (self1.ru_nvcsw - self0.ru_nvcsw) + (kids1.ru_nvcsw - kids0.ru_nvcsw)
		     + job->remote.nvcsw;
	res->nivcsw = (self1.ru_nivcsw - self0.ru_nivcsw) + (kids1.ru_nivcsw - kids0.ru_nivcsw)
		      + job->remote.nivcsw;
	if (plan && !strcmp(spec->mode->name, "seq"))
		pin_unbind_thread();
	if (rc == -ETIMEDOUT && job_queue_abandoned(job)) {
		/* the plan stays too: the threads may still read it */
		rc = abandon_run(job, res);
		if (!rc) {
			finish_result(spec, state, res);
			return 0;
		}
		res->results = job->results;   /* no memory for a copy: report as is */
	}
	pin_plan_free(plan);

	/* tasks the mode never reached stay "not_run"; count them as failed
	 * only when nobody asked us to stop */
	for (size_t i = 0; i < ntasks && !run_stop_signal(); i++)
		if (res->results[i].status == TASK_PENDING) {
			res->results[i].status = TASK_SKIPPED;
			task_message(&res->results[i], "not run: %s",
				     !rc ? "the mode did not reach it" :
				     job->error[0] ? job->error : strerror(-rc));
			res->failed++;
		}
	if (rc) {
		res->status = RUN_ERROR;
		snprintf(res->message, sizeof(res->message), "mode %s failed: %s",
			 spec->mode->name, job->error[0] ? job->error : strerror(-rc));
	}
	finish_result(spec, state, res);
	free(job);
	return 0;
}

void run_result_free(struct run_result *res)
{
	free(res->results);
	res->results = NULL;
}
