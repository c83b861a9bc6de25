#include "bench/classroom/demo_exec.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/sys/contention.h"
#include "bench/classroom/demo_live.h"
#include "bench/sys/pin.h"
#include "bench/data/record.h"
#include "bench/core/registry.h"
#include "bench/analysis/stats.h"
#include "bench/core/options.h"
#include "bench/sys/message.h"

/*
 * What the demo's tasks do: the real workload (@inner), plus a line when
 * each task starts and, for the Process lessons, when it ends, as the
 * tutorial's do_something() printed them.  Global, so forked workers see it.
 */
struct demo_tasks {
	const struct workload *inner;
	void *state;
	int print_done;
	int silent;
	long fail_index;
};

static struct demo_tasks demo_tasks;
static struct workload demo_workload;

static int demo_run_task(void *state, size_t index, struct task_result *res)
{
	struct demo_tasks *t = state;
	double nominal = t->inner->nominal_s ? t->inner->nominal_s(t->state, index) : -1;
	int worker = res->worker;
	char s[32];
	int rc;

	live_task_start(worker, index);
	if (t->silent)
		;
	else if (nominal >= 0)
		say("task %zu: sleeping %s (worker %d, pid %d, cpu %d)", index,
		    secs(s, sizeof(s), nominal), worker, (int)getpid(), sched_getcpu());
	else
		say("task %zu: %s starts (worker %d, pid %d, cpu %d)", index, t->inner->name, worker,
		    (int)getpid(), sched_getcpu());
	rc = t->inner->run_task(t->state, index, res);
	if (!rc && (long)index == t->fail_index) {
		task_message(res, "ValueError: task %zu was given a bad value", index);
		rc = -EINVAL;
	}
	live_task_end(worker, index);
	if (t->print_done && !rc && nominal >= 0)
		say("task %zu: done sleeping %s", index, secs(s, sizeof(s), nominal));
	else if (t->print_done && !rc)
		say("task %zu: done: %s", index, res->message);
	return rc;
}

static double demo_nominal(const void *state, size_t index)
{
	const struct demo_tasks *t = state;

	return t->inner->nominal_s(t->state, index);
}

void say_result(const struct task_result *r)
{
	double nominal = demo_tasks.inner && demo_tasks.inner->nominal_s
			 ? demo_tasks.inner->nominal_s(demo_tasks.state, (size_t)r->index) : -1;
	char s[32];

	if (r->status != TASK_OK)
		say("task %d: %s: %s", r->index, task_status_name(r->status), r->message);
	else if (nominal >= 0)
		say("task %d: done sleeping %s", r->index, secs(s, sizeof(s), nominal));
	else
		say("task %d: done: %s", r->index, r->message);
}

int demo_stopped(void)
{
	return run_stop_signal() != 0;
}

/* What others_cpu_s was measured over (bench/sys/contention.h): the run, or a longer window. */
static double run_window_s(const struct run_result *r)
{
	return r->window_s > 0 ? r->window_s : r->wall_s;
}

int demo_contended(const struct run_result *r)
{
	return r && contention_is_contended(r->others_cpu_s, r->steal_s, run_window_s(r),
					    pin_usable_pus());
}

/* PUs that others (and the hypervisor) took on average during @r; NaN: unknown. */
static double others_pus(const struct run_result *r)
{
	double steal = isnan(r->steal_s) ? 0 : r->steal_s;

	if (isnan(r->others_cpu_s) || !(run_window_s(r) > 0))
		return NAN;
	return (r->others_cpu_s + steal) / run_window_s(r);
}

static void note_load(struct demo *d, const struct run_result *r)
{
	double taken = others_pus(r);

	if (isnan(taken))
		return;
	d->load_known = 1;
	if (taken > d->others_pus)
		d->others_pus = taken;
	d->contended |= demo_contended(r);
}

const char *demo_why_off(const struct demo *d)
{
	static char buf[160];

	if (d->contended)
		snprintf(buf, sizeof(buf), "the machine was busy: other programs took up to %.1f of "
			 "its %u PUs during this lesson's runs", d->others_pus, d->pus);
	else if (d->load_known)
		snprintf(buf, sizeof(buf), "other programs took at most %.2f of the %u PUs "
			 "meanwhile, so bench cannot say why", d->others_pus, d->pus);
	else
		snprintf(buf, sizeof(buf), "bench could not measure the machine's load, so it "
			 "cannot say why");
	return buf;
}

/* The time the run should take, for the live view: the ideal of the nominal times. */
static double expected_s(const struct workload *w, void *state, size_t n, unsigned workers)
{
	double *d, e;

	if (!w->nominal_s || !n)
		return 0;
	d = malloc(n * sizeof(*d));
	if (!d)
		return 0;
	for (size_t i = 0; i < n; i++)
		d[i] = w->nominal_s(state, i);
	e = stats_ideal_makespan(d, n, workers ? workers : 1, 0, NULL);
	free(d);
	return e;
}

static void record(struct demo *d, const struct demo_shot *shot, const struct workload *inner,
		   void *state, const char *note)
{
	char params[256], what[200] = "";
	int rc;

	if (!d->rec)
		return;
	if (inner->describe)
		inner->describe(state, what, sizeof(what));
	snprintf(params, sizeof(params), "lesson %d%s%s%s%s", d->lesson, what[0] ? ": " : "", what,
		 note ? ", " : "", note ? note : "");
	rc = record_run(d->rec, &shot->spec, &shot->res, params);
	if (rc && !d->record_failed) {
		d->record_failed = 1;
		error("demo: cannot write %s: %s (the lessons go on)",
			d->rec->runs_path, strerror(-rc));
	}
}

int demo_execute(struct demo *d, const struct demo_run *how, const struct workload *inner,
		 void *state, size_t ntasks, struct demo_shot *shot)
{
	const struct mode *m = how->mode_impl ? how->mode_impl : registry_mode(how->mode);
	struct run_spec spec;
	struct run_options opt;
	unsigned lanes;
	int rc;

	memset(shot, 0, sizeof(*shot));
	shot->row_name = m && m->processes ? "process" : "worker";
	/* the mode that runs: a demo-local one (lesson 4's mistake) has its own name */
	snprintf(shot->label, sizeof(shot->label), "%s on %s", inner->name,
		 m ? m->name : how->mode);
	if (!m || m->unavailable) {
		error("demo: mode %s is not available", how->mode);
		return -ENOENT;
	}
	demo_workload = (struct workload){
		.name = inner->name,
		.summary = inner->summary,
		.bound = inner->bound,
		.prepare = inner->prepare,
		.nominal_s = inner->nominal_s ? demo_nominal : NULL,
		.run_task = demo_run_task,
	};
	demo_tasks = (struct demo_tasks){ inner, state, how->print_done, how->silent,
					  how->fail_index };
	memset(&spec, 0, sizeof(spec));
	spec.seq = d->nruns++;
	spec.workload = how->raw ? inner : &demo_workload;
	spec.mode = m;
	spec.workers = how->workers;
	spec.pin = PIN_NONE;
	spec.rep = 1;
	memset(&opt, 0, sizeof(opt));
	opt.cfg = d->cfg;
	opt.progress = how->progress;
	opt.progress_arg = how->arg;
	lanes = plan_effective_workers(&spec, ntasks);
	fflush(stdout);
	show_set_t0(clock_now_ns());
	if (!how->raw)
		live_begin(lanes, ntasks, how->expect_s > 0 ? how->expect_s
			   : expected_s(inner, state, ntasks, lanes), m->simulated_gil);
	rc = run_execute(&spec, how->raw ? state : &demo_tasks, ntasks, &opt, &shot->res);
	if (!how->raw) {
		live_end();
		shot->ngil = live_gil_spans(&shot->gil);
	}
	spec.workload = inner;   /* the rows and the summary name the real workload */
	shot->spec = spec;
	if (!rc && shot->res.status == RUN_ERROR)
		rc = -EIO;
	if (shot->res.results) {
		record(d, shot, inner, state, how->note);
		note_load(d, &shot->res);
	}
	if (rc) {
		error("demo: %s run failed: %s", how->mode,
			shot->res.message[0] ? shot->res.message : strerror(-rc));
		shot_free(shot);   /* the lesson stops here: nothing to show */
	}
	return rc;
}

int run_sleep(struct demo *d, const struct demo_run *how, const double *seconds, size_t n,
	      struct demo_shot *shot)
{
	const struct workload *w = registry_workload("sleep");
	struct config c = *d->cfg;
	char err[256] = "";
	void *state = NULL;
	size_t ntasks = 0;
	int rc;

	c.tasks = (long)n;
	double scaled[CONFIG_MAX_LIST];

	for (size_t i = 0; i < n && i < CONFIG_MAX_LIST; i++)
		scaled[i] = seconds[i] * d->scale;
	options_set_reals(&c, "--seconds", scaled, n);
	rc = w->prepare(&c, &state, &ntasks, err, sizeof(err));
	if (rc) {
		error("demo: sleep: %s", err[0] ? err : strerror(-rc));
		return rc;
	}
	rc = demo_execute(d, how, w, state, ntasks, shot);
	if (w->finish)
		w->finish(state);
	return rc;
}

int measure(struct demo *d, const struct config *c, const char *workload,
	    const struct demo_run *how, struct demo_shot *shot)
{
	const struct workload *w = registry_workload(workload);
	char err[512] = "";
	void *state = NULL;
	size_t n = 0;
	int rc;

	if (!w) {
		error("demo: no workload '%s' in this bench", workload);
		return -ENOENT;
	}
	rc = w->prepare(c, &state, &n, err, sizeof(err));
	if (rc) {
		error("demo: %s: %s", workload, err[0] ? err : strerror(-rc));
		return rc;
	}
	rc = demo_execute(d, how, w, state, n, shot);
	if (w->finish)
		w->finish(state);
	if (rc)
		return rc;
	if (how->silent)
		show("  %-6s %-10s %3u worker%s  %8.3f s  %s", workload, how->mode, shot->res.workers,
		     shot->res.workers == 1 ? " " : "s", shot->res.wall_s,
		     shot->res.failed ? "(some tasks failed)" : "");
	return shot->res.failed ? -EIO : 0;
}

void shot_free(struct demo_shot *s)
{
	run_result_free(&s->res);
	free(s->gil);
	s->gil = NULL;
	s->ngil = 0;
}

struct lane_run shot_lanes(const struct demo_shot *s)
{
	return (struct lane_run){
		.label = s->label,
		.chart_name = s->label,
		.row_name = s->row_name,
		.t = s->res.results,
		.n = s->res.ntasks,
		.t0_ns = s->res.t0_ns,
		.wall_s = s->res.wall_s,
		.gil = s->gil,
		.ngil = s->ngil,
	};
}

void shot_timeline(const struct demo_shot *s)
{
	struct lane_run r = shot_lanes(s);

	r.label = NULL;
	timeline(&r);
}

void shots_timeline(const struct demo_shot *const *s, size_t n)
{
	struct lane_run r[8];
	size_t k = 0;

	for (size_t i = 0; i < n && k < 8; i++)
		if (s[i] && s[i]->res.results)
			r[k++] = shot_lanes(s[i]);
	if (k)
		timelines_shared(r, k);
}

int lesson_end(struct demo_shot *s)
{
	int failed = s->res.failed > 0;

	shot_free(s);
	if (demo_stopped())
		return LESSON_STOPPED;
	return failed ? LESSON_FAILED : LESSON_OK;
}

/* ------------------------------------------------------------------ collecting */

void say_order(const char *what, const size_t *order, size_t n)
{
	char buf[256];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < sizeof(buf); i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, " %zu", order[i]);
	say("%s:%s", what, buf);
}

void collect(const struct run_spec *spec, const struct run_result *r,
	     const struct task_result *task, size_t done, void *arg)
{
	struct collector *c = arg;
	size_t i = (size_t)task->index;

	if (!c->quiet && !c->map)
		say_result(task);
	if (i >= COLLECT_MAX)
		return;
	c->done_ns[i] = clock_now_ns();
	c->order[c->ndone++] = i;
	c->done[i] = 1;
	if (c->quiet || !c->map)
		return;
	while (!c->raised && c->next < r->ntasks && c->next < COLLECT_MAX && c->done[c->next]) {
		const struct task_result *t = &r->results[c->next];

		if (t->status != TASK_OK) {
			c->raised = 1;
			c->raised_ns = clock_now_ns();
			c->raised_index = (long)c->next;
			say("task %zu: error surfaced here, when its result was collected: %s",
			    c->next, t->message);
			break;
		}
		c->handed_ns[c->next] = clock_now_ns();
		say_result(t);
		c->next++;
	}
}
