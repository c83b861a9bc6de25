#include "bench/report/report.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/analysis/compare.h"
#include "bench/core/config.h"
#include "bench/sys/contention.h"
#include "bench/api/path.h"
#include "bench/data/record.h"
#include "bench/analysis/report_data.h"
#include "bench/report/report_plot.h"
#include "bench/core/run.h"
#include "bench/report/report_write.h"
#include "bench/analysis/scaling.h"
#include "bench/analysis/summary.h"
#include "bench/analysis/verdict.h"
#include "bench/report/trace.h"
#include "bench/api/workload.h"
#include "bench/sys/message.h"

#define EXIT_USAGE 2

/* A signal ended the drawing: say how far it got. */
static void say_stopped(const struct plot_set *p)
{
	if (p->stopped && run_stop_signal())
		error("interrupted by SIG%s while drawing charts: %zu drawn, "
			"the others not; the CSV files are complete", sigabbrev_np(run_stop_signal()),
			p->nmade);
}

static void print_charts(const struct plot_set *p, FILE *out)
{
	say_stopped(p);
	if (!p->nmade)
		return;
	fprintf(out, "charts (PNG; SVG beside each):\n");
	for (size_t i = 0; i < p->nmade; i++)
		fprintf(out, "  %s\n", path_show((char[PATH_SHOW_MAX]){ 0 }, PATH_SHOW_MAX, p->made[i]));
}

static int write_trace(const char *tasks_csv, const char *runs_csv, const char *out,
		       const char *session, FILE *msg)
{
	char err[1024];
	size_t n;

	if (trace_write(tasks_csv, runs_csv, out, session, &n, err, sizeof(err))) {
		error("%s", err);
		return -1;
	}
	fprintf(msg, "trace: %s (%zu tasks; open it in https://ui.perfetto.dev)\n",
		path_show((char[PATH_SHOW_MAX]){ 0 }, PATH_SHOW_MAX, out), n);
	return 0;
}

/*
 * Charts of the machine of the last row; says when the file holds others.
 * *@failed: a chart, or the plots folder, could not be made (said).
 */
static int draw_machine(const struct config *cfg, const struct report_data *d, const char *tasks_csv,
			FILE *msg, int *no_gnuplot, int *failed)
{
	struct plot_set p;
	size_t m = report_data_last_machine(d);
	char err[1024];
	int rc;

	*no_gnuplot = 0;
	*failed = 0;
	if (!d->nruns)
		return 0;
	rc = plot_begin(&p, cfg->plots_dir);
	if (rc) {
		*no_gnuplot = rc == -ENOENT;
		*failed = rc != -ENOENT;
		return 0;
	}
	p.timeline_axis = cfg->timeline_axis;
	rc = plot_machine_charts(&p, d, m, tasks_csv, err, sizeof(err));
	if (rc)
		error("%s", err);
	if (d->nmachines > 1)
		fprintf(msg, "charts show %s only: the file holds runs of %zu hosts "
			"(bench report compares them)\n", d->machines[m].name, d->nmachines);
	print_charts(&p, msg);
	*failed = p.errors > 0;
	plot_end(&p);
	return rc;
}

/* Whether chart files in @dir would overwrite @path: it is, or links to, a chart's name there. */
static int chart_would_overwrite(const char *dir, const char *path)
{
	struct path_id target, other;
	char base[256], file[4400];
	struct dirent *e;
	DIR *d;
	int hit = 0;

	if (path_in_dir(path, dir, base, sizeof(base)) && plot_is_chart_name(base))
		return 1;
	if (path_identify(path, &target) || !target.exists || !(d = opendir(dir)))
		return 0;
	while (!hit && (e = readdir(d))) {
		if (!plot_is_chart_name(e->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
		hit = !path_identify(file, &other) && path_id_same(&target, &other);
	}
	closedir(d);
	return hit;
}

int report_check_outputs(const struct config *cfg, const char *runs_csv, const char *tasks_csv,
			 char *err, size_t len)
{
	const char *inputs = cfg->plots_only ? "--plots-only input" : NULL;
	const struct { const char *what, *path; } f[] = {
		{ inputs ? inputs : "--csv", runs_csv },
		{ inputs ? "--plots-only tasks file" : "tasks file", tasks_csv },
		{ "--trace", cfg->trace },
	};
	char a[PATH_SHOW_MAX], b[PATH_SHOW_MAX];
	size_t n = sizeof(f) / sizeof(f[0]);

	for (size_t i = 0; i < n; i++) {
		struct path_id id;
		int rc;

		if (!f[i].path || (inputs && i < 2))
			continue;
		if (path_check_output(f[i].what, f[i].path, err, len))
			return -EINVAL;
		/* the folder it goes in must be there (a CSV's is checked as it opens) */
		rc = i == 2 ? path_identify(f[i].path, &id) : 0;
		if (rc) {
			snprintf(err, len, "%s %s: cannot be created: %s", f[i].what,
				 path_show(a, sizeof(a), f[i].path), strerror(-rc));
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!f[i].path)
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (f[j].path && path_same_file(f[i].path, f[j].path)) {
				snprintf(err, len, "%s %s and %s %s are one file: one would overwrite "
					 "the other", f[j].what, path_show(a, sizeof(a), f[j].path),
					 f[i].what, path_show(b, sizeof(b), f[i].path));
				return -EINVAL;
			}
		if (!cfg->no_plots && chart_would_overwrite(cfg->plots_dir, f[i].path)) {
			snprintf(err, len, "%s %s is a chart's file in the plots folder %s: drawing "
				 "would overwrite it (use another name or --plots-dir)", f[i].what,
				 path_show(a, sizeof(a), f[i].path), path_show(b, sizeof(b), cfg->plots_dir));
			return -EINVAL;
		}
	}
	return 0;
}

int report_after_run(const struct config *cfg, const char *runs_csv, const char *tasks_csv)
{
	const char *paths[1] = { runs_csv };
	struct report_data d;
	char err[1024], session[64] = "";
	FILE *msg = cfg->json ? stderr : stdout;
	int status = 0, no_gnuplot, failed;

	if (!cfg->trace && cfg->no_plots)
		return 0;
	if (report_data_load(&d, paths, 1, err, sizeof(err))) {
		error("cannot draw charts: %s", err);
		report_data_free(&d);
		return cfg->trace ? 1 : 0;
	}
	if (d.nruns)
		snprintf(session, sizeof(session), "%s", d.runs[d.nruns - 1].id);
	if (cfg->trace && write_trace(tasks_csv, runs_csv, cfg->trace, session[0] ? session : NULL,
				      msg))
		status = 1;
	if (!cfg->no_plots)
		draw_machine(cfg, &d, tasks_csv, msg, &no_gnuplot, &failed);
	report_data_free(&d);
	return status;
}

int report_plots_only(const struct config *cfg)
{
	const char *paths[1] = { cfg->plots_only };
	struct report_data d;
	char err[1024], tasks[4096];
	int status = 0, no_gnuplot = 0, failed = 0;

	if (record_tasks_path(tasks, sizeof(tasks), cfg->plots_only)) {
		error("--plots-only: the name of its tasks file would be too long");
		return EXIT_USAGE;
	}
	if (report_check_outputs(cfg, cfg->plots_only, tasks, err, sizeof(err))) {
		error("%s", err);
		return EXIT_USAGE;
	}
	if (report_data_load(&d, paths, 1, err, sizeof(err))) {
		error("%s", err);
		report_data_free(&d);
		return EXIT_USAGE;
	}
	if (!d.nruns) {
		error("%s: no runs in the file: nothing to draw", cfg->plots_only);
		report_data_free(&d);
		return EXIT_USAGE;
	}
	if (cfg->trace && write_trace(tasks, cfg->plots_only, cfg->trace, NULL, stdout))
		status = EXIT_USAGE;
	if (!cfg->no_plots) {
		if (draw_machine(cfg, &d, tasks, stdout, &no_gnuplot, &failed))
			status = EXIT_USAGE;
		else if ((no_gnuplot || failed) && !status)
			status = 1;   /* asked for charts and got none, or not all */
	}
	report_data_free(&d);
	return status;
}

/* ------------------------------------------------------------------ bench report */

/* With no file named: every runs CSV in the results folder. */
static size_t default_inputs(const struct config *cfg, glob_t *g, const char **paths, size_t max)
{
	char pattern[4096];
	size_t n = 0;

	snprintf(pattern, sizeof(pattern), "%s/*.csv", cfg->results);
	if (glob(pattern, 0, NULL, g))
		return 0;
	for (size_t i = 0; i < g->gl_pathc && n < max; i++) {
		size_t len = strlen(g->gl_pathv[i]);

		if (len >= 10 && !strcmp(g->gl_pathv[i] + len - 10, "-tasks.csv"))
			continue;
		paths[n++] = g->gl_pathv[i];
	}
	return n;
}

/* The machine --baseline names (said and -ENOENT when none), or the first. */
static int pick_baseline(const struct config *cfg, const struct report_data *d, size_t *m)
{
	int rc;

	*m = 0;
	if (!cfg->baseline)
		return 0;
	rc = compare_find_host(d, cfg->baseline, m);
	if (!rc)
		return 0;
	{
		char hosts[2048] = "";
		size_t used = 0;

		for (size_t i = 0; i < d->nmachines && used < sizeof(hosts); i++)
			used += (size_t)snprintf(hosts + used, sizeof(hosts) - used, "%s%s",
						 i ? ", " : "", d->machines[i].name);
		if (rc == -EINVAL)
			error("report: --baseline '%s': more than one machine has that host name "
			      "(hosts: %s; give one's full name)", cfg->baseline, hosts);
		else
			error("report: --baseline '%s': no such host (hosts: %s; give a host's name, "
			      "or HOST:FILE for one of its sources)", cfg->baseline, hosts);
	}
	return rc;
}

static void free_charts(struct report_charts *ch)
{
	free(ch->time);
	free(ch->speedup);
	free(ch->fit);
	memset(ch, 0, sizeof(*ch));
}

static int alloc_charts(struct report_charts *ch, size_t nworkloads, size_t nfits)
{
	memset(ch, 0, sizeof(*ch));
	ch->time = calloc(nworkloads ? nworkloads : 1, sizeof(*ch->time));
	ch->speedup = calloc(nworkloads ? nworkloads : 1, sizeof(*ch->speedup));
	ch->fit = calloc(nfits ? nfits : 1, sizeof(*ch->fit));
	if (ch->time && ch->speedup && ch->fit)
		return 0;
	free_charts(ch);
	return -ENOMEM;
}

/* Every chart of the report into @outdir; 0, or -ENOENT when gnuplot is missing. */
static int draw_report(const struct report_data *d, const struct scaling_set *fits,
		       const char *outdir, struct report_charts *ch, struct plot_set *p)
{
	int rc = plot_begin(p, outdir);

	if (rc) {
		ch->no_gnuplot = rc == -ENOENT;
		return rc;
	}
	for (size_t w = 0; w < d->nworkloads; w++) {
		plot_host_times(p, d, w, ch->time[w], sizeof(ch->time[w]));
		/* noop measures the harness: its cost per task, not a speedup */
		if (d->workloads[w].bound == BOUND_NONE)
			plot_host_overhead(p, d, w, ch->speedup[w], sizeof(ch->speedup[w]));
		else
			plot_host_comparison(p, d, w, ch->speedup[w], sizeof(ch->speedup[w]));
	}
	for (size_t i = 0; i < fits->n; i++)
		plot_scaling(p, d, &fits->fits[i], d->nmachines > 1, ch->fit[i], sizeof(ch->fit[i]));
	return 0;
}

/* report.md and report.json can be written in @outdir (no FIFO or device there): 0, or -EINVAL (said). */
static int check_report_outputs(const char *outdir)
{
	static const char *const names[] = { "report.md", "report.json" };
	char path[4200], err[PATH_SHOW_MAX + 128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", outdir, names[i]);
		if (path_check_output("report", path, err, sizeof(err))) {
			error("%s", err);
			return -EINVAL;
		}
	}
	return 0;
}

/* report.md and report.json into @outdir; 0, or 1 (said) when one could not be written. */
static int write_files(const char *outdir, const struct report_view *v)
{
	char path[4200];
	int rc, status = 0;

	snprintf(path, sizeof(path), "%s/report.md", outdir);
	rc = report_write_md(path, v);
	if (rc) {
		error("report: cannot write %s: %s", path, strerror(-rc));
		status = 1;
	} else {
		printf("report: %s (%zu host%s, %zu workload%s)\n", path, v->d->nmachines,
		       v->d->nmachines == 1 ? "" : "s", v->d->nworkloads,
		       v->d->nworkloads == 1 ? "" : "s");
	}
	snprintf(path, sizeof(path), "%s/report.json", outdir);
	rc = report_write_json(path, v);
	if (rc) {
		error("report: cannot write %s: %s", path, strerror(-rc));
		status = 1;
	} else {
		printf("data:   %s\n", path);
	}
	return status;
}

/* Is @path "X-tasks.csv" while "X.csv" is among the arguments too? */
static int tasks_file_of_given(const struct config *cfg, const char *path, char *runs, size_t len)
{
	size_t n = strlen(path);

	if (n < 10 || strcmp(path + n - 10, "-tasks.csv") ||
	    (size_t)snprintf(runs, len, "%.*s.csv", (int)(n - 10), path) >= len)
		return 0;
	for (size_t i = 0; i < cfg->nargs; i++)
		if (!strcmp(cfg->args[i], runs))
			return 1;
	return 0;
}

int report_main(const struct config *cfg)
{
	const char *paths[CONFIG_MAX_LIST];
	char outdir[4096], err[1024];
	struct report_data d;
	struct comparison c = { 0 };
	struct scaling_set fits = { 0 };
	struct report_charts ch = { 0 };
	struct report_view v = { &d, &c, &fits, &ch };
	struct plot_set p;
	glob_t g = { 0 };
	size_t n = cfg->nargs, base;
	int rc, status = 0, plots = -1;

	n = 0;
	for (size_t i = 0; i < cfg->nargs; i++) {
		char runs[4096];

		/* a glob of results/ also names each runs file's tasks file: leave those out */
		if (tasks_file_of_given(cfg, cfg->args[i], runs, sizeof(runs))) {
			error("report: %s is the tasks file of %s, also given: left "
				"out", cfg->args[i], runs);
			continue;
		}
		paths[n++] = cfg->args[i];
	}
	if (!n && cfg->nargs) {
		error("report: only tasks files given: give the runs files");
		return EXIT_USAGE;
	}
	if (!n) {
		n = default_inputs(cfg, &g, paths, CONFIG_MAX_LIST);
		if (!n) {
			error("report: no runs CSV given and none in %s/ "
				"(usage: bench report A.csv B.csv ... [--out DIR])", cfg->results);
			globfree(&g);
			return EXIT_USAGE;
		}
	}
	if (cfg->out)
		snprintf(outdir, sizeof(outdir), "%s", cfg->out);
	else
		snprintf(outdir, sizeof(outdir), "%s/report", cfg->results);
	rc = report_data_load_sources(&d, paths, n, !cfg->pool, err, sizeof(err));
	if (rc) {
		error("report: %s", err);
		status = EXIT_USAGE;
		goto out;
	}
	if (!d.nruns) {
		error("report: no runs in %s%s: nothing to report", paths[0],
			n > 1 ? " and the others" : "");
		status = EXIT_USAGE;
		goto out;
	}
	if (pick_baseline(cfg, &d, &base)) {
		status = EXIT_USAGE;
		goto out;
	}
	rc = path_mkdir_p(outdir);
	if (rc) {
		error("report: cannot create %s: %s", outdir, strerror(-rc));
		status = EXIT_USAGE;
		goto out;
	}
	if (check_report_outputs(outdir)) {
		status = EXIT_USAGE;
		goto out;
	}
	if (compare_compute(&d, base, &c) || scaling_compute(&d, &fits) ||
	    alloc_charts(&ch, d.nworkloads, fits.n)) {
		error("report: %s", strerror(ENOMEM));
		status = 1;
		goto out;
	}
	if (!cfg->no_plots) {
		plots = draw_report(&d, &fits, outdir, &ch, &p);
		if (!plots && p.errors)
			status = 1;
	}
	if (write_files(outdir, &v))
		status = 1;
	if (!plots) {
		print_charts(&p, stdout);
		plot_end(&p);
	}
out:
	free_charts(&ch);
	scaling_free(&fits);
	compare_free(&c);
	report_data_free(&d);
	globfree(&g);
	return status;
}
