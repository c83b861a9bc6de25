/*
 * session — one measurement: plan the runs, prepare each workload once,
 * execute the runs in plan order, record each run's rows as soon as it
 * ends, summarise (bench/core/session.h).
 */
#include "bench/core/session.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/api/clock.h"
#include "bench/api/path.h"
#include "bench/analysis/stats.h"
#include "bench/analysis/verdict.h"
#include "bench/core/cli.h"
#include "bench/core/registry.h"
#include "bench/core/signals.h"
#include "bench/report/report.h"
#include "bench/sys/message.h"
#include "bench/sys/pin.h"

/* A name or message on the terminal: control characters escaped (path_show()). */
#define SHOW(s) path_show((char[PATH_SHOW_MAX]){ 0 }, PATH_SHOW_MAX, (s))

/* ------------------------------------------------------------------ plan */

/*
 * --inject crash/abort/exit kill the process that runs the task.  In a
 * thread mode that process is bench itself: refuse before anything runs
 * rather than lose the run's rows.  Returns 0 or prints why and -EINVAL.
 */
static int inject_check_modes(const struct config *cfg, const struct run_spec *runs, size_t nruns)
{
	static const char *const kinds[] = {
		[INJECT_CRASH] = "crash", [INJECT_ABORT] = "abort", [INJECT_EXIT] = "exit",
	};

	if (cfg->inject != INJECT_CRASH && cfg->inject != INJECT_ABORT && cfg->inject != INJECT_EXIT)
		return 0;
	for (size_t i = 0; i < nruns; i++)
		if (!runs[i].mode->processes) {
			error("--inject %s:%ld: mode %s runs tasks in bench's own "
				"process, where a %s would take bench down with it; use it with "
				"--modes fork,procpool (fail and hang work in every mode)",
				kinds[cfg->inject], cfg->inject_task, runs[i].mode->name,
				cfg->inject == INJECT_EXIT ? "task that exits" : "crash");
			return -EINVAL;
		}
	return 0;
}

/* --inject KIND:I names a task every workload of the plan has. */
static int inject_check_task(const struct config *cfg, const struct run_spec *runs, size_t nruns,
			     const struct session_workload *prep)
{
	if (cfg->inject == INJECT_NONE)
		return 0;
	for (size_t i = 0; i < nruns; i++) {
		const struct session_workload *p = &prep[runs[i].workload_index];

		if ((size_t)cfg->inject_task >= p->ntasks) {
			error("--inject: there is no task %ld: workload %s has %zu "
				"tasks (0 to %zu)", cfg->inject_task, runs[i].workload->name,
				p->ntasks, p->ntasks ? p->ntasks - 1 : 0);
			return -EINVAL;
		}
	}
	return 0;
}

/* --strict-pin: binding must work here, or nothing runs. */
static int strict_pin_check(const struct config *cfg)
{
	char err[512];

	for (size_t i = 0; i < cfg->npins; i++) {
		if (cfg->pins[i] == PIN_NONE)
			continue;
		if (pin_check(err, sizeof(err))) {
			error("--strict-pin: %s", err);
			return -1;
		}
		break;
	}
	return 0;
}

/* Options the plan does not use: warned about, or refused when they belong to another command. */
static int options_check(const struct config *cfg, const struct run_spec *runs, size_t nruns)
{
	const char *modes[CONFIG_MAX_LIST];
	size_t nmodes = 0;
	char err[512];

	for (size_t i = 0; i < nruns; i++) {
		size_t m = 0;

		while (m < nmodes && strcmp(modes[m], runs[i].mode->name))
			m++;
		if (m == nmodes && nmodes < CONFIG_MAX_LIST)
			modes[nmodes++] = runs[i].mode->name;
	}
	if (cli_check_applies(cfg, modes, nmodes, err, sizeof(err), stderr) < 0) {
		error("%s", err);
		return -EINVAL;
	}
	if (option_text(cfg, "--hostfile")) {
		/* mpirun would only say so after the other modes ran */
		const char *hostfile = option_text(cfg, "--hostfile");
		const char *kind;
		char show[PATH_SHOW_MAX];
		int fd = path_open_regular(hostfile, O_RDONLY, 0, &kind);

		if (fd < 0) {
			error("--hostfile %s: %s",
				path_show(show, sizeof(show), hostfile),
				kind ? "not a regular file" : strerror(-fd));
			return -EINVAL;
		}
		close(fd);
	}
	return 0;
}

/* The output files: regular, and no two of them one file (see report_check_outputs()). */
static int output_check(const struct config *cfg, const char *csv)
{
	char tasks[4096], err[2048];

	if (record_tasks_path(tasks, sizeof(tasks), csv)) {
		error("--csv: the name of its tasks file would be too long");
		return -ENAMETOOLONG;
	}
	if (report_check_outputs(cfg, csv, tasks, err, sizeof(err))) {
		error("%s", err);
		return -EINVAL;
	}
	return 0;
}

/* The runs file: --csv, or a new name in --results; then output_check(). */
static int name_csv(struct session *ss)
{
	const struct config *cfg = ss->cfg;
	int rc;

	if (cfg->csv) {
		snprintf(ss->csv, sizeof(ss->csv), "%s", cfg->csv);
	} else {
		rc = path_mkdir_p(cfg->results);
		if (rc) {
			error("cannot create results folder %s: %s",
				cfg->results, strerror(-rc));
			return rc;
		}
		record_default_path(ss->csv, sizeof(ss->csv), cfg->results, ss->machine.host);
	}
	return output_check(cfg, ss->csv);
}

int session_plan(struct session *ss, const struct config *cfg, char *const *argv)
{
	char err[1024];
	int rc;

	memset(ss, 0, sizeof(*ss));
	ss->cfg = cfg;
	ss->opt.argv = argv;
	pin_init();
	machine_probe(&ss->machine);
	rc = plan_expand(cfg, ss->machine.usable_pus, &ss->combos, &ss->ncombos, err, sizeof(err));
	if (rc) {
		ss->combos = NULL;
		error("%s", err);
		return rc;
	}
	rc = options_check(cfg, ss->combos, ss->ncombos);
	if (!rc && cfg->strict_pin)
		rc = strict_pin_check(cfg);
	if (!rc)
		rc = inject_check_modes(cfg, ss->combos, ss->ncombos);
	if (!rc)
		rc = name_csv(ss);
	return rc;
}

/* ------------------------------------------------------------------ prepare */

static int prepare_workloads(const struct config *cfg, const struct run_spec *runs, size_t nruns,
			     struct session_workload *prep)
{
	char err[1024];

	for (size_t w = 0; w < cfg->nworkloads; w++) {
		const struct workload *wl = NULL;

		for (size_t i = 0; i < nruns && !wl; i++)
			if (runs[i].workload_index == w)
				wl = runs[i].workload;
		if (!wl)
			continue;
		err[0] = '\0';
		if (wl->prepare(cfg, &prep[w].state, &prep[w].ntasks, err, sizeof(err))) {
			error("%s: %s", wl->name, err[0] ? err : "cannot prepare");
			return -EINVAL;
		}
		if (wl->describe)
			wl->describe(prep[w].state, prep[w].params, sizeof(prep[w].params));
	}
	return 0;
}

int session_prepare(struct session *ss)
{
	const struct config *cfg = ss->cfg;
	char err[1024];
	int rc;

	rc = prepare_workloads(cfg, ss->combos, ss->ncombos, ss->prep);
	if (!rc)
		rc = inject_check_task(cfg, ss->combos, ss->ncombos, ss->prep);
	if (rc)
		return rc;
	rc = record_open(&ss->rec, ss->csv, &ss->machine, err, sizeof(err));
	if (rc)
		error("%s", err);
	return rc;
}

/* ------------------------------------------------------------------ execute */

/* Tell what went wrong in a run that did not end ok, with its first failed tasks. */
static void print_failures(const struct run_spec *spec, const struct run_result *res)
{
	error("%s %s w=%u %s %u: %s", spec->workload->name,
		spec->mode->name, res->workers, spec->warmup ? "warm-up" : "rep", spec->rep,
		res->message);
	for (size_t t = 0, shown = 0; t < res->ntasks && shown < 5; t++) {
		const struct task_result *tr = &res->results[t];

		if (tr->status == TASK_OK || tr->status == TASK_PENDING)
			continue;
		fprintf(stderr, "  task %zu %s: %s\n", t, task_status_name(tr->status),
			SHOW(tr->message));
		shown++;
	}
}

void session_record(struct session *ss, const struct run_spec *spec, const struct run_result *res,
		    const char *params)
{
	int rc;

	rc = record_run(&ss->rec, spec, res, params);
	if (rc) {
		progress_clear(&ss->progress);
		error("cannot write %s: %s", ss->rec.failed_path, strerror(-rc));
		ss->status = 1;
	}
	if (summary_add(&ss->summary, spec, res, params))
		warning("no memory to keep run %s for the summary", res->id);
	ss->runs_done++;
	ss->last_completed = res->completed;
	ss->last_tasks = res->ntasks;
	ss->abandoned = res->status == RUN_ABANDONED;
	if (res->status != RUN_OK && res->status != RUN_INTERRUPTED) {
		ss->runs_failed++;
		progress_clear(&ss->progress);
		print_failures(spec, res);
	}
}

/* Run one combination once, record it, keep it for the summary.  Its wall time, or NaN. */
static double run_one(struct session *ss, const struct run_spec *spec)
{
	struct session_workload *p = &ss->prep[spec->workload_index];
	struct run_result res;
	double wall = NAN;
	int rc;

	ss->progress.run_no++;
	ss->progress.last_ns = 0;
	rc = run_execute(spec, p->state, p->ntasks, &ss->opt, &res);
	if (rc && res.status == RUN_ERROR && !res.results) {
		progress_clear(&ss->progress);
		error("%s %s w=%u %s %u: %s", spec->workload->name,
			spec->mode->name, res.workers, spec->warmup ? "warm-up" : "rep", spec->rep,
			res.message);
		ss->status = 1;
		ss->fatal = 1;
		return NAN;
	}
	session_record(ss, spec, &res, p->params);
	if (res.status == RUN_OK)
		wall = res.wall_s;
	if (ss->abandoned) {
		/* its threads still run and own its memory: stop here */
		error("stopping after run %zu: a thread cannot be killed; use "
			"fork or procpool to kill hung tasks and go on", ss->runs_done);
		return wall;
	}
	run_result_free(&res);
	return wall;
}

static int stopping(const struct session *ss)
{
	return run_stop_signal() || ss->abandoned || ss->fatal;
}

/* A combination of the workload being measured, and its walls so far (--reps auto). */
struct combo {
	size_t index;              /* into session.combos */
	double *walls;
	size_t n;
	int failed;
};

/*
 * --reps auto: is every combination's median known to --precision?  A
 * combination with failed runs does not hold the others back.
 */
static int precise_enough(const struct session *ss, const struct combo *c, size_t n, double *tmp)
{
	for (size_t i = 0; i < n; i++) {
		struct summary_stats st;

		if (c[i].failed)
			continue;
		memcpy(tmp, c[i].walls, c[i].n * sizeof(double));
		stats_summarize(tmp, c[i].n, &st);
		if (isnan(st.ci_lo) ||
		    fmax(st.median - st.ci_lo, st.ci_hi - st.median) > ss->cfg->precision * st.median)
			return 0;
	}
	return 1;
}

/*
 * Every combination of workload @w: the warm-up rounds, then repetitions,
 * each in its own shuffled order, until --reps or the auto rule says.
 */
static void run_workload(struct session *ss, size_t w)
{
	const struct config *cfg = ss->cfg;
	unsigned max_reps = cfg->reps ? cfg->reps : cfg->max_reps;
	unsigned min_reps = cfg->reps ? cfg->reps : CONFIG_MIN_AUTO_REPS;
	struct combo *c = calloc(ss->ncombos ? ss->ncombos : 1, sizeof(*c));
	size_t *order = calloc(ss->ncombos ? ss->ncombos : 1, sizeof(*order));
	double *tmp = calloc(max_reps, sizeof(*tmp));
	int64_t t0 = clock_now_ns(), rep_start;
	size_t n = 0;

	if (!c || !order || !tmp) {
		error("out of memory");
		ss->status = 1;
		ss->fatal = 1;
		goto out;
	}
	for (size_t i = 0; i < ss->ncombos; i++)
		if (ss->combos[i].workload_index == w) {
			c[n].index = i;
			c[n].walls = calloc(max_reps, sizeof(double));
			if (!c[n++].walls) {
				ss->fatal = 1;
				goto out;
			}
		}
	if (min_reps > max_reps)
		min_reps = max_reps;
	for (unsigned round = 1; round <= cfg->warmup + max_reps && !stopping(ss); round++) {
		int warm = round <= cfg->warmup;
		unsigned rep = warm ? round : round - cfg->warmup;

		for (size_t i = 0; i < n; i++)
			order[i] = i;
		plan_shuffle(order, n, ss->seed ^ ((unsigned long long)w << 48), round);
		rep_start = clock_now_ns();
		for (size_t i = 0; i < n && !stopping(ss); i++) {
			struct combo *k = &c[order[i]];
			struct run_spec spec = ss->combos[k->index];
			double wall;

			spec.rep = rep;
			spec.warmup = warm;
			spec.order = (unsigned)i + 1;
			spec.seed = ss->seed;
			wall = run_one(ss, &spec);
			if (warm)
				continue;
			if (isnan(wall))
				k->failed = 1;
			else if (k->n < max_reps)
				k->walls[k->n++] = wall;
		}
		if (warm || cfg->reps || rep < min_reps)
			continue;
		if (precise_enough(ss, c, n, tmp))
			break;
		/* the next rep would take about as long as this one */
		if (ns_to_s(clock_now_ns() - t0) + ns_to_s(clock_now_ns() - rep_start) > cfg->max_time_s)
			break;
	}
out:
	for (size_t i = 0; c && i < n; i++)
		free(c[i].walls);
	free(c);
	free(order);
	free(tmp);
}

/* What every run of the session is run with. */
static void set_run_options(struct session *ss)
{
	const struct config *cfg = ss->cfg;

	ss->summary.machine = &ss->machine;
	ss->seed = cfg->seed ? cfg->seed : (unsigned long long)clock_now_ns() ^ (unsigned long long)getpid() << 32;
	ss->opt.task_timeout_s = cfg->task_timeout_s;
	ss->opt.inject = cfg->inject;
	ss->opt.inject_task = cfg->inject_task;
	ss->opt.strict_pin = cfg->strict_pin;
	ss->opt.cfg = cfg;
	ss->progress.enabled = !cfg->quiet && isatty(STDERR_FILENO);
	ss->opt.progress = ss->progress.enabled ? progress_task : NULL;   /* no call per task when off */
	ss->opt.progress_arg = &ss->progress;
	ss->progress.nruns = cfg->reps ? ss->ncombos * (cfg->reps + cfg->warmup) : 0;
}

void session_execute(struct session *ss)
{
	set_run_options(ss);
	signals_install_stop();
	for (size_t w = 0; w < ss->cfg->nworkloads && !stopping(ss); w++)
		run_workload(ss, w);
	progress_clear(&ss->progress);
}

/* ------------------------------------------------------------------ summarise */

int session_summarise(struct session *ss)
{
	const struct config *cfg = ss->cfg;
	const struct machine *m = &ss->machine;
	int status = ss->status;

	if (summary_compute(&ss->summary) == 0) {
		if (cfg->json) {
			verdict_attach_json(&ss->summary);
			summary_print_json(&ss->summary, stdout);
		} else {
			printf("bench %s on %s: %s, %u PUs usable\n", m->bench_version, m->host,
			       m->cpu_model, m->usable_pus);
			summary_print_table(&ss->summary, stdout);
			verdict_print(&ss->summary, stdout);
			printf("\nruns:  %s\ntasks: %s\n", SHOW(ss->rec.runs_path), SHOW(ss->rec.tasks_path));
		}
	} else if (!status) {
		status = 1;
	}
	if (run_stop_signal()) {
		error("interrupted by SIG%s: %zu runs recorded, the last "
			"with %zu of %zu tasks completed; rows kept in %s and %s",
			sigabbrev_np(run_stop_signal()), ss->runs_done, ss->last_completed,
			ss->last_tasks, SHOW(ss->rec.runs_path), SHOW(ss->rec.tasks_path));
		status = 128 + run_stop_signal();
	} else if (ss->runs_failed && !status) {
		status = 1;
	}
	summary_free(&ss->summary);
	record_close(&ss->rec);
	/* charts and trace: exit status only changes when a --trace cannot be written */
	if (!run_stop_signal() && !ss->abandoned && ss->runs_done &&
	    report_after_run(cfg, ss->rec.runs_path, ss->rec.tasks_path) && !status)
		status = 1;
	return signals_status(status);   /* a signal while the charts were drawn */
}

/* ------------------------------------------------------------------ end */

void session_end(struct session *ss)
{
	const struct config *cfg = ss->cfg;

	for (size_t w = 0; w < cfg->nworkloads; w++) {
		const struct workload *wl = registry_workload(cfg->workloads[w]);

		if (wl && wl->finish && ss->prep[w].state)
			wl->finish(ss->prep[w].state);
	}
	free(ss->combos);
	ss->combos = NULL;
	pin_fini();
}
