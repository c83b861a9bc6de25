/*
 * bench — run the same workload under sequential, thread and process
 * strategies, and show which one wins and why.
 *
 * main() parses the command line, dispatches the sub-commands, and for a
 * measurement: plans the runs, prepares each workload once, executes the
 * runs in plan order, writes each run's rows as soon as it ends, prints the
 * summary and draws the charts.  Only main() exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/core/cli.h"
#include "bench/api/clock.h"
#include "bench/core/config.h"
#include "bench/classroom/demo.h"
#include "bench/sys/machine.h"
#include "bench/api/path.h"
#include "bench/sys/pin.h"
#include "bench/core/plan.h"
#include "bench/data/record.h"
#include "bench/core/registry.h"
#include "bench/report/report.h"
#include "bench/core/run.h"
#include "bench/analysis/stats.h"
#include "bench/analysis/summary.h"
#include "bench/analysis/verdict.h"
#include "bench/sys/message.h"

#define EXIT_USAGE 2

/* A name or message on the terminal: control characters escaped (path_show()). */
#define SHOW(s) path_show((char[PATH_SHOW_MAX]){ 0 }, PATH_SHOW_MAX, (s))

/* the command line, for modes that relaunch bench (mpi), and the copy
 * that cli_parse() cut up and struct config points into */
static char **main_argv, **parsed_argv;

static void on_signal(int signo)
{
	static const char msg[] =
		"\nbench: stopping: no new tasks; rows written so far are kept "
		"(again to quit at once)\n";

	if (run_stop_signal())
		_exit(128 + signo);   /* children die with us (PR_SET_PDEATHSIG) */
	run_request_stop(signo);
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing to do in a handler */
	}
}

/*
 * SIGINT, SIGTERM, SIGHUP (the terminal or ssh session closed) and SIGQUIT
 * all stop the plan the same way; the exit status is 128 + the signal.
 */
static void install_signals(void)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;

	/* without it Ctrl-C still works, sleeping tasks just finish their sleep */
	run_stop_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* no SA_RESTART: waits return EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &sa, NULL);
}

static void on_sigpipe(int signo)
{
	(void)signo;   /* the write that raised it fails with EPIPE instead */
}

/*
 * A reader of stdout or stderr that went away (bench | head -1) must not
 * kill the plan: writes there fail with EPIPE and are dropped, the runs go
 * on and every row is written.  A handler rather than SIG_IGN, so that the
 * programs bench starts (gnuplot, mpirun) get the default back at exec.
 */
static void install_sigpipe(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

/* A command that stopped on a signal exits 128 + it, whatever it returned. */
static int stop_status(int status)
{
	return run_stop_signal() ? 128 + run_stop_signal() : status;
}

/* ------------------------------------------------------------------ progress */

struct progress {
	int enabled;
	size_t run_no, nruns;
	int64_t last_ns;
};

static void progress_task(const struct run_spec *spec, const struct run_result *r,
			  const struct task_result *task, size_t done, void *arg)
{
	struct progress *p = arg;
	int64_t now = clock_now_ns();

	if (done < r->ntasks && now - p->last_ns < 100000000)
		return;
	p->last_ns = now;
	if (p->nruns)
		fprintf(stderr, "\r\033[K[%zu/%zu] ", p->run_no, p->nruns);
	else
		fprintf(stderr, "\r\033[K[%zu] ", p->run_no);
	fprintf(stderr, "%s %s w=%u%s%s %s%u: %zu/%zu tasks, %.1f s", spec->workload->name, spec->mode->name, r->workers,
		spec->pin ? " pin=" : "", spec->pin ? pin_policy_name(spec->pin) : "",
		spec->warmup ? "warm-up " : "rep ", spec->rep, done, r->ntasks,
		ns_to_s(now - r->t0_ns));
}

static void progress_clear(struct progress *p)
{
	if (p->enabled)
		fprintf(stderr, "\r\033[K");
}

/* ------------------------------------------------------------------ run */

struct prepared {
	void *state;
	size_t ntasks;
	char params[256];
};

static int prepare_workloads(const struct config *cfg, const struct run_spec *runs, size_t nruns,
			     struct prepared *prep)
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
			     const struct prepared *prep)
{
	if (cfg->inject == INJECT_NONE)
		return 0;
	for (size_t i = 0; i < nruns; i++) {
		const struct prepared *p = &prep[runs[i].workload_index];

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

/* Everything one measurement needs while it runs. */
struct session {
	const struct config *cfg;
	const struct run_spec *combos;    /* one repetition's worth (bench/plan) */
	size_t ncombos;
	struct prepared *prep;
	struct run_options opt;
	struct recorder rec;
	struct summary summary;
	struct progress progress;
	unsigned long long seed;
	size_t runs_done, runs_failed, last_completed, last_tasks;
	int abandoned, fatal, status;
};

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

/* Run one combination once, record it, keep it for the summary.  Its wall time, or NaN. */
static double run_one(struct session *ss, const struct run_spec *spec)
{
	struct prepared *p = &ss->prep[spec->workload_index];
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
	rc = record_run(&ss->rec, spec, &res, p->params);
	if (rc) {
		progress_clear(&ss->progress);
		error("cannot write %s: %s", ss->rec.failed_path, strerror(-rc));
		ss->status = 1;
	}
	if (summary_add(&ss->summary, spec, &res, p->params))
		warning("no memory to keep run %s for the summary", res.id);
	ss->runs_done++;
	ss->last_completed = res.completed;
	ss->last_tasks = res.ntasks;
	ss->abandoned = res.status == RUN_ABANDONED;
	if (res.status == RUN_OK)
		wall = res.wall_s;
	else if (res.status != RUN_INTERRUPTED) {
		ss->runs_failed++;
		progress_clear(&ss->progress);
		print_failures(spec, &res);
	}
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

static int cmd_run(struct config *cfg)
{
	struct prepared prep[CONFIG_MAX_LIST] = { { 0 } };
	struct session ss = { .cfg = cfg, .prep = prep };
	struct machine m;
	struct run_spec *runs;
	size_t nruns;
	char err[1024], csv[4096];
	int rc, status = 0;

	if (cfg->plots_only) {
		install_signals();
		return stop_status(report_plots_only(cfg));
	}
	pin_init();
	machine_probe(&m);
	rc = plan_expand(cfg, m.usable_pus, &runs, &nruns, err, sizeof(err));
	if (rc) {
		error("%s", err);
		return EXIT_USAGE;
	}
	if (options_check(cfg, runs, nruns)) {
		status = EXIT_USAGE;
		goto out_free_runs;
	}
	if (cfg->strict_pin && strict_pin_check(cfg)) {
		status = EXIT_USAGE;
		goto out_free_runs;
	}
	if (inject_check_modes(cfg, runs, nruns)) {
		status = EXIT_USAGE;
		goto out_free_runs;
	}
	if (cfg->csv) {
		snprintf(csv, sizeof(csv), "%s", cfg->csv);
	} else {
		rc = path_mkdir_p(cfg->results);
		if (rc) {
			error("cannot create results folder %s: %s",
				cfg->results, strerror(-rc));
			status = EXIT_USAGE;
			goto out_free_runs;
		}
		record_default_path(csv, sizeof(csv), cfg->results, m.host);
	}
	if (output_check(cfg, csv)) {
		status = EXIT_USAGE;
		goto out_free_runs;
	}
	if (prepare_workloads(cfg, runs, nruns, prep)) {
		status = EXIT_USAGE;
		goto out_finish;   /* undo the workloads already prepared */
	}
	if (inject_check_task(cfg, runs, nruns, prep)) {
		status = EXIT_USAGE;
		goto out_finish;
	}
	if (record_open(&ss.rec, csv, &m, err, sizeof(err))) {
		error("%s", err);
		status = EXIT_USAGE;
		goto out_finish;
	}

	ss.combos = runs;
	ss.ncombos = nruns;
	ss.summary.machine = &m;
	ss.seed = cfg->seed ? cfg->seed : (unsigned long long)clock_now_ns() ^ (unsigned long long)getpid() << 32;
	ss.opt.task_timeout_s = cfg->task_timeout_s;
	ss.opt.inject = cfg->inject;
	ss.opt.inject_task = cfg->inject_task;
	ss.opt.strict_pin = cfg->strict_pin;
	ss.opt.cfg = cfg;
	ss.opt.argv = main_argv;
	ss.progress.enabled = !cfg->quiet && isatty(STDERR_FILENO);
	ss.opt.progress = ss.progress.enabled ? progress_task : NULL;   /* no call per task when off */
	ss.opt.progress_arg = &ss.progress;
	ss.progress.nruns = cfg->reps ? nruns * (cfg->reps + cfg->warmup) : 0;

	install_signals();
	for (size_t w = 0; w < cfg->nworkloads && !stopping(&ss); w++)
		run_workload(&ss, w);
	progress_clear(&ss.progress);
	status = ss.status;

	if (summary_compute(&ss.summary) == 0) {
		if (cfg->json) {
			verdict_attach_json(&ss.summary);
			summary_print_json(&ss.summary, stdout);
		} else {
			printf("bench %s on %s: %s, %u PUs usable\n", m.bench_version, m.host,
			       m.cpu_model, m.usable_pus);
			summary_print_table(&ss.summary, stdout);
			verdict_print(&ss.summary, stdout);
			printf("\nruns:  %s\ntasks: %s\n", SHOW(ss.rec.runs_path), SHOW(ss.rec.tasks_path));
		}
	} else if (!status) {
		status = 1;
	}
	if (run_stop_signal()) {
		error("interrupted by SIG%s: %zu runs recorded, the last "
			"with %zu of %zu tasks completed; rows kept in %s and %s",
			sigabbrev_np(run_stop_signal()), ss.runs_done, ss.last_completed,
			ss.last_tasks, SHOW(ss.rec.runs_path), SHOW(ss.rec.tasks_path));
		status = 128 + run_stop_signal();
	} else if (ss.runs_failed && !status) {
		status = 1;
	}
	summary_free(&ss.summary);
	record_close(&ss.rec);
	/* charts and trace: exit status only changes when a --trace cannot be written */
	if (!run_stop_signal() && !ss.abandoned && ss.runs_done &&
	    report_after_run(cfg, ss.rec.runs_path, ss.rec.tasks_path) && !status)
		status = 1;
	status = stop_status(status);   /* a signal while the charts were drawn */
	if (ss.abandoned) {
		/* threads of the abandoned run may still use the workload's
		 * state and the process's memory: no cleanup, exit now */
		fflush(NULL);
		_exit(status ? status : 1);
	}
out_finish:
	for (size_t w = 0; w < cfg->nworkloads; w++) {
		const struct workload *wl = registry_workload(cfg->workloads[w]);

		if (wl && wl->finish && prep[w].state)
			wl->finish(prep[w].state);
	}
out_free_runs:
	free(runs);
	pin_fini();
	return status;
}

static int cmd_machine(const struct config *cfg)
{
	struct machine m;

	machine_probe(&m);
	if (cfg->json)
		machine_print_json(&m, stdout);
	else
		machine_print(&m, stdout);
	pin_fini();
	return 0;
}

static void print_help(void)
{
	cli_usage(stdout);
	printf("\nWorkloads:\n");
	for (size_t i = 0; i < registry_nworkloads; i++) {
		const struct workload *w = registry_workloads[i];

		printf("  %-11s %s%s%s\n", w->name, w->summary,
		       w->unavailable ? " — unavailable: " : "", w->unavailable ? w->unavailable : "");
	}
	printf("\nModes:\n");
	for (size_t i = 0; i < registry_nmodes; i++) {
		const struct mode *m = registry_modes[i];

		printf("  %-11s %s%s%s\n  %-11s teaches: %s\n", m->name, m->summary,
		       m->unavailable ? " — unavailable: " : "", m->unavailable ? m->unavailable : "",
		       "", m->teaches);
	}
}

int main(int argc, char **argv)
{
	struct config cfg;
	char err[1024];

	/* before anything is opened: no file of ours may become stdout or stderr */
	if (path_std_fds())
		return 1;
	install_sigpipe();
	if (registry_check(err, sizeof(err))) {
		error("internal error: %s", err);
		return 1;
	}
	for (size_t i = 0; i < registry_nmodes; i++) {
		int status = registry_modes[i]->before_parse ?
			     registry_modes[i]->before_parse(argc, argv) : -1;

		if (status >= 0)
			return status;   /* bench was started as a mode's helper (mpi ranks) */
	}
	/* cli_parse() cuts its copy up in place ("--x=v", commas); the
	 * command line itself stays whole, for the ranks of the mpi mode that
	 * re-read it, and for ps */
	main_argv = argv;
	parsed_argv = calloc((size_t)argc + 1, sizeof(*parsed_argv));
	for (int i = 0; parsed_argv && i < argc; i++)
		if (!(parsed_argv[i] = strdup(argv[i])))
			parsed_argv = NULL;   /* the rest leaks: we exit at once */
	if (!parsed_argv) {
		error("out of memory");
		return 1;
	}
	if (cli_parse(argc, parsed_argv, &cfg, err, sizeof(err))) {
		error("%s", err);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < registry_nmodes; i++)
		if (registry_modes[i]->check_config &&
		    registry_modes[i]->check_config(&cfg, err, sizeof(err))) {
			error("%s", err);
			return EXIT_USAGE;
		}
	switch (cfg.command) {
	case CMD_HELP:
		print_help();
		return 0;
	case CMD_VERSION:
		printf("bench %s\n", BENCH_VERSION);
		return 0;
	case CMD_MACHINE:
		return cmd_machine(&cfg);
	case CMD_REPORT:
		install_signals();
		return stop_status(report_main(&cfg));
	case CMD_DEMO:
		return demo_main(&cfg);
	case CMD_RUN:
		break;
	}
	return cmd_run(&cfg);
}
