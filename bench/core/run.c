/*
 * run — one run: set up its job (the pin plan, the results), start the
 * clock, hand the job to the mode, then measure what it cost (wall time,
 * spawn time, rusage, peak memory) and settle the result: the ideal
 * makespan, the counts, the status.  What the modes call meanwhile is in
 * bench/core/job.c.
 */
#include "bench/core/run.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/core/config.h"
#include "bench/sys/contention.h"
#include "bench/sys/pin.h"
#include "bench/analysis/stats.h"
#include "bench/sys/message.h"

const char *run_status_name(enum run_status s)
{
	static const char *const names[] = {
		[RUN_OK] = "ok", [RUN_FAILED] = "failed",
		[RUN_INTERRUPTED] = "interrupted", [RUN_ERROR] = "error",
		[RUN_ABANDONED] = "abandoned",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
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

/* A "Name: N kB" line of /proc/self/status, -1 when unknown. */
static long status_kb(const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long run_rss_peak_kb(void)
{
	return status_kb("VmHWM");
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* "1a2b3c-17": this process's session, then its runs counted from 1 */
static void make_run_id(const struct run_spec *spec, char *buf, size_t len)
{
	static unsigned session, runs;

	if (!session)
		session = (unsigned)(clock_now_ns() ^ ((int64_t)getpid() << 16)) & 0xffffff;
	snprintf(buf, len, "%06x-%u", session, ++runs);
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
	double *d = malloc((res->ntasks ? res->ntasks : 1) * sizeof(*d));
	/* work that waits needs no PU; the rest shares the usable ones */
	unsigned pus = spec->workload->bound == BOUND_IO ? 0 : pin_usable_pus();

	if (d) {
		ideal_durations(spec, state, res, d);
		res->ideal_s = stats_ideal_makespan(d, res->ntasks, res->workers, pus,
						    &res->ideal_exact);
		free(d);
	}
	for (size_t i = 0; i < res->ntasks; i++) {
		const struct task_result *t = &res->results[i];

		if (t->status != TASK_OK)
			continue;
		res->task_cpu_s += ns_to_s(t->cpu_ns);
		res->task_wall_s += t->end_ns > t->start_ns ? ns_to_s(t->end_ns - t->start_ns) : 0;
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
	const int64_t *since = job->abandoned.since;   /* job_abandon()'s copy */
	size_t late = job->abandoned.late;
	struct task_result *copy = calloc(job->ntasks ? job->ntasks : 1, sizeof(*copy));
	int64_t now = clock_now_ns();

	if (!copy || !since) {
		free(copy);
		return -ENOMEM;
	}
	res->completed = res->failed = 0;
	for (size_t i = 0; i < job->ntasks; i++) {
		struct task_result *r = &copy[i];

		if (since[i] < 0) {
			*r = job->results[i];
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
		if (since[i]) {
			r->pid = getpid();
			r->start_ns = since[i];
			r->end_ns = now;
			r->status = i == late ? TASK_TIMEOUT : TASK_SKIPPED;
			if (i == late)
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
		 "abandoned (%zu of %zu tasks completed)", late, job->task_timeout_s,
		 res->completed, job->ntasks);
	free(job->abandoned.since);   /* the workers never read the copy */
	job->abandoned.since = NULL;
	res->results = copy;
	res->status = RUN_ABANDONED;
	return 0;
}

/*
 * What others took meanwhile: the busy time of our PUs less our own CPU
 * time, over the run or a window ending with it (bench/sys/contention.h).
 * Ranks of ours on this host that are not our children (under the user's
 * mpirun) are ours too.
 */
static void settle_contention(struct run_result *res, const struct contention_mark *start,
			      double here_s)
{
	struct contention_mark end;
	const struct contention_mark *from;

	contention_mark(&end);
	from = contention_window(&end);
	if (!from || from->t_ns > start->t_ns)
		from = start;
	res->window_s = (double)(end.t_ns - from->t_ns) / 1e9;
	res->others_cpu_s = end.c.busy_s - from->c.busy_s - (end.own_s - from->own_s) - here_s;
	if (res->others_cpu_s < 0)
		res->others_cpu_s = 0;   /* tick rounding of our own time */
	res->steal_s = end.c.steal_s - from->c.steal_s;
	res->psi_cpu_some_s = end.c.psi_some_s - start->c.psi_some_s;
}

/* No memory to run: nothing was measured, say so (main stops there). */
static int out_of_memory(struct run_result *res)
{
	run_result_free(res);
	res->status = RUN_ERROR;
	snprintf(res->message, sizeof(res->message), "out of memory before the run started");
	return -ENOMEM;
}

int run_execute(const struct run_spec *spec, void *state, size_t ntasks,
		const struct run_options *opt, struct run_result *res)
{
	struct rusage self0, self1, kids0, kids1;
	struct contention_mark load0;
	struct run_ctx ctx = { spec, opt, res };
	struct job *job;
	int rc;

	memset(res, 0, sizeof(*res));
	res->others_cpu_s = res->steal_s = res->psi_cpu_some_s = res->load1 = res->window_s = NAN;
	res->ideal_exact = 1;
	make_run_id(spec, res->id, sizeof(res->id));
	res->ntasks = ntasks;
	res->workers = plan_effective_workers(spec, ntasks);
	res->results = calloc(ntasks ? ntasks : 1, sizeof(*res->results));
	if (!res->results)
		return out_of_memory(res);
	for (size_t i = 0; i < ntasks; i++) {
		res->results[i].index = (int32_t)i;
		res->results[i].planned_pu = -1;
		res->results[i].cpu_start = res->results[i].cpu_end = -1;
	}

	/* on the heap: an abandoned run leaves it to its threads */
	job = job_setup(&(struct job_params){
		.workload = spec->workload, .state = state, .ntasks = ntasks,
		.workers = res->workers, .pin = spec->pin, .results = res->results,
		.task_timeout_s = opt->task_timeout_s, .inject = opt->inject,
		.inject_task = opt->inject_task, .cfg = opt->cfg, .argv = opt->argv,
	}, &rc);
	if (!job)
		return out_of_memory(res);
	if (rc) {
		if (opt->strict_pin) {
			job_teardown(job);
			snprintf(res->message, sizeof(res->message),
				 "cannot pin (%s) and --strict-pin is set", strerror(-rc));
			res->status = RUN_ERROR;
			return rc;
		}
		if (job_warn_once()) {
			warning("binding is not supported here (%s); "
				"runs are recorded with pinned=0", strerror(-rc));
		}
	} else if (job->pin) {
		res->pinned = 1;
		res->pin_wrapped = job->pin->wrapped;
	}
	job->on_done = on_task_done;
	job->on_done_arg = &ctx;

	job_set_parent(getpid());
	if (spec->workload->run_begin)
		spec->workload->run_begin(state);
	/* every run starts from the same heap: memory freed by the last run
	 * goes back to the OS, so forks copy no stale page tables */
	malloc_trim(0);
	run_rss_reset();
	job->base_rss_kb = status_kb("VmRSS");
	res->load1 = contention_load1();
	contention_mark(&load0);
	getrusage(RUSAGE_SELF, &self0);
	getrusage(RUSAGE_CHILDREN, &kids0);
	job->t0_ns = clock_now_ns();
	res->t0_ns = job->t0_ns;
	rc = spec->mode->run(job);
	res->wall_s = ns_to_s(clock_now_ns() - job->t0_ns);
	res->workers = job->workers;   /* a pool that could not start them all says so */
	getrusage(RUSAGE_SELF, &self1);
	getrusage(RUSAGE_CHILDREN, &kids1);
	res->spawn_s = job->spawn_ns ? ns_to_s(job->spawn_ns - job->t0_ns) : 0;
	res->max_rss_kb = run_rss_peak_kb() + job->child_rss_kb;
	res->mem_kb = run_rss_peak_kb() + job->child_own_kb;
	res->user_s = tv_s(self1.ru_utime) - tv_s(self0.ru_utime)
		      + tv_s(kids1.ru_utime) - tv_s(kids0.ru_utime);
	res->sys_s = tv_s(self1.ru_stime) - tv_s(self0.ru_stime)
		     + tv_s(kids1.ru_stime) - tv_s(kids0.ru_stime) + job->remote.sys_s;
	res->user_s += job->remote.user_s;
	res->nvcsw = (self1.ru_nvcsw - self0.ru_nvcsw) + (kids1.ru_nvcsw - kids0.ru_nvcsw)
		     + job->remote.nvcsw;
	res->nivcsw = (self1.ru_nivcsw - self0.ru_nivcsw) + (kids1.ru_nivcsw - kids0.ru_nivcsw)
		      + job->remote.nivcsw;
	res->minflt = (self1.ru_minflt - self0.ru_minflt) + (kids1.ru_minflt - kids0.ru_minflt);
	res->majflt = (self1.ru_majflt - self0.ru_majflt) + (kids1.ru_majflt - kids0.ru_majflt);
	settle_contention(res, &load0, job->remote.here_s);
	if (spec->workload->run_end && !(rc == -ETIMEDOUT && job->abandoned.given_up))
		spec->workload->run_end(state);   /* an abandoned run's threads still use it */
	if (rc == -ETIMEDOUT && job->abandoned.given_up) {
		/* the job, its results and the plan stay: the threads still use them */
		if (abandon_run(job, res)) {
			/* no memory for a settled copy: the live array, as it is */
			res->status = RUN_ABANDONED;
			snprintf(res->message, sizeof(res->message), "a task timed out after %g s; "
				 "threads cannot be killed, so the run was abandoned",
				 job->task_timeout_s);
		}
		finish_result(spec, state, res);
		return 0;
	}

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
	job_teardown(job);
	return 0;
}

void run_result_free(struct run_result *res)
{
	free(res->results);
	res->results = NULL;
}
