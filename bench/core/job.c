/*
 * job — what the modes and the workloads call while a run goes on (the
 * API is in bench/api/job.h, mode.h and workload.h): running one task and recording where
 * and when it ran, delivering it, giving a run up (the thread modes'
 * completion queue is modes/done_queue.c), shared memory for the process
 * modes (their children are a child_set: bench/sys/child.c), and the stop
 * request that Ctrl-C makes.  bench/core/run.c sets a run up and measures it.
 */
#include "bench/api/job.h"

#include <errno.h>
#include <fcntl.h>
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

#include "bench/api/child.h"
#include "bench/api/clock.h"
#include "bench/core/config.h"
#include "bench/core/run.h"
#include "bench/sys/pin.h"
#include "bench/sys/message.h"

/*
 * The stop request's signal: set in a signal handler, read by every
 * worker thread (a lock-free atomic).  Once run_stop_init() ran, it lives in a
 * shared page, so that the workers forked later see the driver's request
 * as it is made: a task a stop cut short is "skipped" whether its worker
 * noticed first or the driver killed it first (a private copy made a hung
 * fork task "failed" when the child won that race).
 */
static atomic_int stop_signal_local;
static atomic_int *stop_signal = &stop_signal_local;
static int stop_pipe[2] = { -1, -1 };   /* readable once a stop is requested */
static pid_t parent_pid;                /* the process whose children the workers are */
static atomic_int warned;               /* binding warnings: once, whoever fails first */

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

	atomic_store(stop_signal, signo);
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "x", 1) < 0) {
		/* full: already readable */
	}
	errno = saved;
}

int run_stop_init(void)
{
	void *shared;

	if (stop_pipe[0] >= 0)
		return 0;
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	shared = mmap(NULL, sizeof(atomic_int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (shared != MAP_FAILED) {
		atomic_init((atomic_int *)shared, atomic_load(stop_signal));
		stop_signal = shared;
	}
	clock_set_wakeup_fd(stop_pipe[0]);
	return 0;
}

void run_stop_reset(void)
{
	char buf[64];

	if (stop_pipe[0] >= 0)
		while (read(stop_pipe[0], buf, sizeof(buf)) > 0)
			;
	atomic_store(stop_signal, 0);
}

int job_stop_fd(void)
{
	return stop_pipe[0];
}

int run_stop_signal(void)
{
	return atomic_load_explicit(stop_signal, memory_order_relaxed);
}

int job_stopping(void)
{
	return atomic_load_explicit(stop_signal, memory_order_relaxed) != 0;
}

/* ------------------------------------------------------------------ tasks */

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

void job_reaped(struct job *job, const struct rusage *ru)
{
	long extra = ru->ru_maxrss - job->base_rss_kb;

	job->child_rss_kb += ru->ru_maxrss;
	job->child_own_kb += extra > 0 ? extra : 0;
}

void job_deliver(struct job *job, size_t index)
{
	job->done++;
	if (job->on_done)
		job->on_done(job, &job->results[index], job->on_done_arg);
}

void job_set_parent(pid_t pid)
{
	parent_pid = pid;
}

int job_warn_once(void)
{
	return !atomic_exchange(&warned, 1);
}

void job_bind_worker(struct job *job, unsigned worker, int process)
{
	char err[256];
	int rc;

	if (!job->pin)
		return;
	rc = process ? pin_bind_process(job->pin, worker, err, sizeof(err))
		     : pin_bind_thread(job->pin, worker, err, sizeof(err));
	if (rc && job_warn_once()) {
		warning("%s", err);
	}
}

void job_unbind_worker(struct job *job)
{
	if (job->pin)
		pin_unbind_thread();
}

void job_warn(struct job *job, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarning(fmt, ap);
	va_end(ap);
}

void job_error(struct job *job, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

void job_note(struct job *job, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(fmt, ap);
	va_end(ap);
}

int job_stop_signal(void)
{
	return run_stop_signal();
}

/* ------------------------------------------------------------------ setup */

/* A job and the pin plan it owns (job->pin points to it). */
struct job_owned {
	struct job job;                 /* first: a struct job * is one of these */
	struct pin_plan *plan;
};

struct job *job_setup(const struct job_params *p, int *pin_rc)
{
	struct job_owned *o = calloc(1, sizeof(*o));
	struct job *job;

	*pin_rc = 0;
	if (!o)
		return NULL;
	if (p->pin != PIN_NONE) {
		*pin_rc = pin_supported() ?
			pin_plan_make((enum pin_policy)p->pin, p->workers, &o->plan) : -ENOTSUP;
		if (*pin_rc)
			o->plan = NULL;
	}
	job = &o->job;
	job->workload = p->workload;
	job->state = p->state;
	job->ntasks = p->ntasks;
	job->workers = p->workers;
	job->pin = o->plan;
	job->results = p->results;
	job->task_timeout_s = p->task_timeout_s;
	job->inject = p->inject;
	job->inject_task = p->inject_task;
	job->cfg = p->cfg;
	job->argv = p->argv;
	return job;
}

void job_teardown(struct job *job)
{
	struct job_owned *o = (struct job_owned *)job;

	if (!o)
		return;
	pin_plan_free(o->plan);
	free(o);
}

/* ------------------------------------------------------------------ giving a run up */

void job_abandon(struct job *job, size_t late, const int64_t *since)
{
	size_t n = job->ntasks ? job->ntasks : 1;

	job->abandoned.given_up = 1;
	job->abandoned.late = late;
	job->abandoned.since = malloc(n * sizeof(*since));
	if (job->abandoned.since)
		memcpy(job->abandoned.since, since, job->ntasks * sizeof(*since));
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
	if (parent_pid && getppid() != parent_pid)
		_exit(128 + SIGKILL);
	/* Ctrl-C (and Ctrl-\, a hang-up) goes to the whole process group:
	 * the parent decides what stops and kills its workers; a worker
	 * ignores it.  SIGTERM sent to a worker itself ends it like any
	 * other death. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

void job_settle_lost(struct job *job, struct task_result *r, int wstatus, int timed_out,
		     const char *then)
{
	if (r->start_ns)
		r->end_ns = clock_now_ns();
	if (timed_out) {
		r->status = TASK_TIMEOUT;
		task_message(r, "timed out after %g s: worker killed%s", job->task_timeout_s, then);
	} else if (job_stopping()) {
		r->status = TASK_SKIPPED;
		task_message(r, "interrupted by SIG%s before it finished (worker killed)",
			     sigabbrev_np(run_stop_signal()));
	} else {
		r->status = TASK_CRASHED;
		job_describe_status(wstatus, r->message, sizeof(r->message));
	}
}

void job_child_ended(struct job *job, const struct task_result *shared,
		     const struct child_exit *e)
{
	struct task_result *r = &job->results[e->tag];

	job_reaped(job, &e->ru);
	if (WIFEXITED(e->wstatus) && WEXITSTATUS(e->wstatus) == 0 &&
	    shared->status != TASK_PENDING) {
		*r = *shared;
	} else {
		if (shared->start_ns)
			*r = *shared;     /* keep identity and start time */
		job_settle_lost(job, r, e->wstatus, e->expired, "");
	}
	job_deliver(job, e->tag);
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
