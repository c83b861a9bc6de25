#include "bench/report.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "bench/config.h"
#include "bench/contention.h"
#include "bench/path.h"
#include "bench/record.h"
#include "bench/report_data.h"
#include "bench/report_plot.h"
#include "bench/run.h"
#include "bench/summary.h"
#include "bench/verdict.h"
#include "bench/trace.h"
#include "bench/workload.h"

#define EXIT_USAGE 2

/* A signal ended the drawing: say how far it got. */
static void say_stopped(const struct plot_set *p)
{
	if (p->stopped && run_stop_signal())
		fprintf(stderr, "bench: interrupted by SIG%s while drawing charts: %zu drawn, "
			"the others not; the CSV files are complete\n", sigabbrev_np(run_stop_signal()),
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

static int write_trace(const char *tasks_csv, const char *out, const char *session, FILE *msg)
{
	char err[1024];
	size_t n;

	if (trace_write(tasks_csv, out, session, &n, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
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
	rc = plot_machine_charts(&p, d, m, tasks_csv, err, sizeof(err));
	if (rc)
		fprintf(stderr, "bench: %s\n", err);
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
		fprintf(stderr, "bench: cannot draw charts: %s\n", err);
		report_data_free(&d);
		return cfg->trace ? 1 : 0;
	}
	if (d.nruns)
		snprintf(session, sizeof(session), "%s", d.runs[d.nruns - 1].id);
	if (cfg->trace && write_trace(tasks_csv, cfg->trace, session[0] ? session : NULL, msg))
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
		fprintf(stderr, "bench: --plots-only: the name of its tasks file would be too long\n");
		return EXIT_USAGE;
	}
	if (report_check_outputs(cfg, cfg->plots_only, tasks, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		return EXIT_USAGE;
	}
	if (report_data_load(&d, paths, 1, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		report_data_free(&d);
		return EXIT_USAGE;
	}
	if (!d.nruns) {
		fprintf(stderr, "bench: %s: no runs in the file: nothing to draw\n", cfg->plots_only);
		report_data_free(&d);
		return EXIT_USAGE;
	}
	if (cfg->trace && write_trace(tasks, cfg->trace, NULL, stdout))
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

/* Markdown text: table pipes, emphasis and link brackets escaped, one line. */
static void md(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*_`[]<>#", *s))
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
	}
}

static void fmt_x(char *buf, size_t len, double x)
{
	if (x >= 10)
		snprintf(buf, len, "%.1f×", x);
	else if (x >= 0.1)
		snprintf(buf, len, "%.2f×", x);
	else
		snprintf(buf, len, "%.2g×", x);
}

static void write_machines(FILE *f, const struct report_data *d)
{
	fprintf(f, "## Machines\n\n"
		"| host | CPU | arch | packages | cores | PUs (usable) | NUMA nodes | L1d | L2 | L3 "
		"| memory | OS | kernel | compiler | bench | runs |\n"
		"|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|---|--:|\n");
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_machine *x = &d->machines[m];
		char l1[32], l2[32], l3[32], mem[32];

		report_fmt_bytes(l1, sizeof(l1), x->l1d);
		report_fmt_bytes(l2, sizeof(l2), x->l2);
		report_fmt_bytes(l3, sizeof(l3), x->l3);
		report_fmt_bytes(mem, sizeof(mem), x->mem_bytes);
		fprintf(f, "| **");
		md(f, x->name);
		fprintf(f, "** | ");
		md(f, x->cpu_model);
		fprintf(f, " | ");
		md(f, x->arch);
		fprintf(f, " | %u | %u | %u (%u) | %u | %s | %s | %s | %s | ", x->packages, x->cores,
			x->pus, x->usable_pus, x->numa_nodes, l1, l2, l3, mem);
		md(f, x->os);
		fprintf(f, " | ");
		md(f, x->kernel);
		fprintf(f, " | ");
		md(f, x->compiler);
		fprintf(f, " | ");
		md(f, x->version);
		fprintf(f, " | %zu |\n", x->nruns);
	}
	fprintf(f, "\n");
}

/* The best group (highest speedup; without a baseline, lowest median wall) of @m on @w. */
static const struct rd_group *winner(const struct report_data *d, size_t m, size_t w,
				     const struct rd_group *skip_mode)
{
	const struct rd_group *best = NULL;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];

		if (x->machine != m || x->workload != w || !x->wall.n)
			continue;
		if (skip_mode && !strcmp(x->mode, skip_mode->mode))
			continue;
		if (!best || x->wall.median < best->wall.median)
			best = x;
	}
	return best;
}

/* One sentence per host (the verdict's), then one across hosts: all from the data. */
static void write_paragraph(FILE *f, const struct report_data *d, size_t w)
{
	const struct rd_group *fast = NULL, *slow = NULL, *first_win = NULL;
	int same_winner = 1, hosts = 0;

	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_group *b = winner(d, m, w, NULL), *won;
		const struct rd_machine *x = &d->machines[m];
		char line[1024];

		if (!b)
			continue;
		hosts++;
		verdict_headline(d, m, w, line, sizeof(line), &won);
		fprintf(f, "On **");
		md(f, x->name);
		fprintf(f, "** (");
		md(f, x->cpu_model);
		fprintf(f, ", %u PUs): ", x->usable_pus);
		md(f, line);
		fprintf(f, ". ");
		if (!won || (first_win && strcmp(first_win->mode, won->mode)))
			same_winner = 0;
		if (!first_win && won)
			first_win = won;
		if (!fast || b->wall.median < fast->wall.median)
			fast = b;
		if (!slow || b->wall.median > slow->wall.median)
			slow = b;
	}
	if (hosts > 1 && fast && slow && fast != slow) {
		double p = stats_mann_whitney(fast->walls, fast->n, slow->walls, slow->n, NULL);
		char a[32], b[32];

		stats_fmt_seconds(a, sizeof(a), fast->wall.median);
		stats_fmt_seconds(b, sizeof(b), slow->wall.median);
		fprintf(f, "Across hosts, the best time on **");
		md(f, d->machines[fast->machine].name);
		fprintf(f, "** (");
		md(f, fast->mode);
		fprintf(f, ", %s) and the best on **", a);
		md(f, d->machines[slow->machine].name);
		fprintf(f, "** (");
		md(f, slow->mode);
		if (p < 0.05)
			fprintf(f, ", %s) differ: %.2f× (p=%.2g, Mann-Whitney U). ", b,
				slow->wall.median / fast->wall.median, p);
		else
			fprintf(f, ", %s) are indistinguishable (p=%.2g, Mann-Whitney U). ", b, p);
		if (same_winner && first_win) {
			md(f, first_win->mode);
			fprintf(f, " won on every host.");
		} else {
			fprintf(f, "No mode won on every host.");
		}
	}
	fprintf(f, "\n\n");
}

static void write_table(FILE *f, const struct report_data *d, size_t w)
{
	size_t *keys = calloc(d->ngroups + 1, sizeof(*keys)), n = 0;

	if (!keys)
		return;
	/* rows: mode rank, pin, workers, then host */
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];

		if (x->workload == w)
			keys[n++] = g;
	}
	for (size_t i = 1; i < n; i++) {
		size_t k = keys[i], j = i;

		while (j > 0) {
			const struct rd_group *a = &d->groups[keys[j - 1]], *b = &d->groups[k];
			int ra = report_data_mode_rank(d, a->mode), rb = report_data_mode_rank(d, b->mode);
			int c = ra != rb ? (ra > rb ? 1 : -1) : strcmp(a->pin, b->pin);

			if (!c)
				c = (a->workers > b->workers) - (a->workers < b->workers);
			if (!c)
				c = (a->machine > b->machine) - (a->machine < b->machine);
			if (c <= 0)
				break;
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = k;
	}
	fprintf(f, "| mode | workers | %shost | reps | median wall | 95 %% interval | speedup "
		"| 95 %% interval |\n|---|--:|%s---|--:|--:|---|--:|---|\n",
		d->several_pins ? "pin | " : "", d->several_pins ? "---|" : "");
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *x = &d->groups[keys[i]];
		const struct rd_group *b = winner(d, x->machine, w, NULL);
		char med[32], iv[64], sp[32], spi[64];

		stats_fmt_seconds(med, sizeof(med), x->wall.median);
		summary_fmt_interval(iv, sizeof(iv), &x->wall, 0);
		fprintf(f, "| ");
		md(f, x->mode);
		fprintf(f, " | %u | ", x->workers);
		if (d->several_pins) {
			md(f, x->pin);
			fprintf(f, " | ");
		}
		md(f, d->machines[x->machine].name);
		fprintf(f, " | %zu%s%s | %s | %s", x->wall.n, x->failed ? " (+ failed)" : "",
			x->contended ? " (contended)" : "", med, iv);
		if (x->speedup >= 0) {
			fmt_x(sp, sizeof(sp), x->speedup);
			summary_fmt_interval(spi, sizeof(spi), &x->ratio, 1);
			fprintf(f, x == b ? " | **%s** | %s |\n" : " | %s | %s |\n", sp, spi);
		} else {
			fprintf(f, " | – | – |\n");
		}
	}
	fprintf(f, "\n");
	free(keys);
}

static const char *bound_text(int bound)
{
	switch (bound) {
	case BOUND_IO: return " — I/O-bound";
	case BOUND_CPU: return " — CPU-bound";
	case BOUND_MIXED: return " — CPU and I/O";
	case BOUND_NONE: return " — harness overhead";
	default: return "";
	}
}

static int write_report(const char *path, const struct report_data *d, char charts[][200],
			int no_gnuplot)
{
	char stamp[40];
	time_t now = time(NULL);
	struct tm tm;
	size_t measured = 0;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M UTC", &tm);
	for (size_t m = 0; m < d->nmachines; m++)
		measured += d->machines[m].nruns;
	fprintf(f, "# bench report: ");
	for (size_t w = 0; w < d->nworkloads; w++) {
		fprintf(f, "%s", w ? ", " : "");
		md(f, d->workloads[w].name);
	}
	fprintf(f, " on ");
	for (size_t m = 0; m < d->nmachines; m++) {
		fprintf(f, "%s", m ? (m + 1 == d->nmachines ? " and " : ", ") : "");
		md(f, d->machines[m].name);
	}
	fprintf(f, "\n\n%zu measured runs from %zu file%s (", measured, d->nfiles,
		d->nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < d->nfiles; i++) {
		const char *base = strrchr(d->paths[i], '/');

		fprintf(f, "%s", i ? ", " : "");
		md(f, base ? base + 1 : d->paths[i]);
	}
	fprintf(f, "), written by bench report on %s.\n\n"
		"Wall times are medians over the measured repetitions with a distribution-free 95 %% "
		"interval (order statistics; none below 6 repetitions, where the range is shown). "
		"Speedup = the median over the repetitions of seq's wall time / the mode's, paired "
		"within each repetition, with the same kind of interval. Winners are named only when "
		"a Mann-Whitney U test (Holm-corrected) says so. Only measured runs (no warm-ups) that "
		"ended ok count; contended runs (others took more than %.0f %% of the PUs) are "
		"marked. The fastest row on each host is in bold.\n\n",
		stamp, 100 * CONTENTION_SHARE);
	write_machines(f, d);
	for (size_t w = 0; w < d->nworkloads; w++) {
		fprintf(f, "## ");
		md(f, d->workloads[w].label);
		fprintf(f, "%s\n\n", bound_text(d->workloads[w].bound));
		write_paragraph(f, d, w);
		if (charts[w][0])
			fprintf(f, "![Speedup by mode on each host: %s](%s)\n\n", d->workloads[w].slug,
				charts[w]);
		else if (no_gnuplot)
			fprintf(f, "(No chart: gnuplot was not available.)\n\n");
		write_table(f, d, w);
	}
	if (ferror(f) | fclose(f))
		return -EIO;
	return 0;
}

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

int report_main(const struct config *cfg)
{
	const char *paths[CONFIG_MAX_LIST];
	char outdir[4096], path[4200], err[1024], (*charts)[200] = NULL;
	struct report_data d;
	struct plot_set p;
	glob_t g = { 0 };
	size_t n = cfg->nargs;
	int rc, status = 0, plots;

	for (size_t i = 0; i < n; i++)
		paths[i] = cfg->args[i];
	if (!n) {
		n = default_inputs(cfg, &g, paths, CONFIG_MAX_LIST);
		if (!n) {
			fprintf(stderr, "bench: report: no runs CSV given and none in %s/ "
				"(usage: bench report A.csv B.csv ... [--out DIR])\n", cfg->results);
			globfree(&g);
			return EXIT_USAGE;
		}
	}
	if (cfg->out)
		snprintf(outdir, sizeof(outdir), "%s", cfg->out);
	else
		snprintf(outdir, sizeof(outdir), "%s/report", cfg->results);
	rc = report_data_load(&d, paths, n, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench: report: %s\n", err);
		status = EXIT_USAGE;
		goto out;
	}
	if (!d.nruns) {
		fprintf(stderr, "bench: report: no runs in %s%s: nothing to report\n", paths[0],
			n > 1 ? " and the others" : "");
		status = EXIT_USAGE;
		goto out;
	}
	rc = path_mkdir_p(outdir);
	if (rc) {
		fprintf(stderr, "bench: report: cannot create %s: %s\n", outdir, strerror(-rc));
		status = EXIT_USAGE;
		goto out;
	}
	charts = calloc(d.nworkloads, sizeof(*charts));
	if (!charts) {
		status = 1;
		goto out;
	}
	plots = plot_begin(&p, outdir);
	if (!plots) {
		for (size_t w = 0; w < d.nworkloads; w++)
			plot_host_comparison(&p, &d, w, charts[w], sizeof(charts[w]));
		if (p.errors)
			status = 1;
	}
	snprintf(path, sizeof(path), "%s/report.md", outdir);
	rc = write_report(path, &d, charts, plots == -ENOENT);
	if (rc) {
		fprintf(stderr, "bench: report: cannot write %s: %s\n", path, strerror(-rc));
		status = 1;
	} else {
		printf("report: %s (%zu hosts, %zu workloads)\n", path, d.nmachines, d.nworkloads);
	}
	if (!plots) {
		print_charts(&p, stdout);
		plot_end(&p);
	}
out:
	free(charts);
	report_data_free(&d);
	globfree(&g);
	return status;
}
