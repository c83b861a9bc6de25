/* report.md: the comparison for people (see bench/report/report_write.h). */
#include "bench/report/report_write.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/analysis/compare.h"
#include "bench/sys/contention.h"
#include "bench/api/path.h"
#include "bench/analysis/report_data.h"
#include "bench/analysis/scaling.h"
#include "bench/analysis/summary.h"
#include "bench/analysis/verdict.h"
#include "bench/api/workload.h"

/* Hosts named in the title; beyond, the title gives their number. */
#define TITLE_HOSTS 4

/* Markdown text: table pipes, emphasis and link brackets escaped, one line. */
static void md(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\|*_`[]<>#", *s))
			fputc('\\', f);
		fputc(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s, f);
	}
}

FILE *report_open_output(const char *path)
{
	int fd = path_open_regular(path, O_WRONLY | O_CREAT | O_TRUNC, 0644, NULL);
	FILE *f;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return f;
}

void report_fmt_x(char *buf, size_t len, double x)
{
	if (!isfinite(x))
		snprintf(buf, len, "–");
	else if (x >= 10)
		snprintf(buf, len, "%.1f×", x);
	else if (x >= 0.1)
		snprintf(buf, len, "%.2f×", x);
	else
		snprintf(buf, len, "%.2g×", x);
}

/* ------------------------------------------------------------------ head */

static void write_title(FILE *f, const struct report_data *d)
{
	size_t measured = 0;

	fprintf(f, "# bench report: ");
	for (size_t w = 0, named = 0; w < d->nworkloads; w++) {
		size_t seen = 0;

		/* a workload measured with several params is one name in the title */
		while (seen < w && strcmp(d->workloads[seen].name, d->workloads[w].name))
			seen++;
		if (seen < w)
			continue;
		fprintf(f, "%s", named++ ? ", " : "");
		md(f, d->workloads[w].name);
	}
	if (d->nmachines > TITLE_HOSTS) {
		fprintf(f, " on %zu hosts\n\n", d->nmachines);
	} else {
		fprintf(f, " on ");
		for (size_t m = 0; m < d->nmachines; m++) {
			fprintf(f, "%s", m ? (m + 1 == d->nmachines ? " and " : ", ") : "");
			md(f, d->machines[m].name);
		}
		fprintf(f, "\n\n");
	}
	for (size_t m = 0; m < d->nmachines; m++)
		measured += d->machines[m].nruns;
	fprintf(f, "%zu measured runs from %zu file%s", measured, d->nfiles, d->nfiles == 1 ? "" : "s");
	if (d->nfiles <= TITLE_HOSTS) {
		fprintf(f, " (");
		for (size_t i = 0; i < d->nfiles; i++) {
			fprintf(f, "%s", i ? ", " : "");
			md(f, report_data_basename(d->paths[i]));
		}
		fprintf(f, ")");
	}
	fprintf(f, ".");
}

static void write_method(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;

	if (d->nmachines > 1) {
		fprintf(f, " Baseline: **");
		md(f, d->machines[v->c->baseline].name);
		fprintf(f, "** (`--baseline HOST` picks another).");
	}
	fprintf(f, "\n\nWall times are medians over the measured repetitions with a "
		"distribution-free 95 %% interval (order statistics; below %d repetitions the "
		"range is shown instead). Speedup = the median over the repetitions of seq's wall "
		"time / the mode's, paired within each repetition, with the same kind of interval.",
		STATS_CI_MIN_N);
	if (d->nmachines > 1)
		fprintf(f, " A ratio to the baseline is the other host's median / the baseline's "
			"(below 1: faster) with the two-sided Mann-Whitney U p-value of their wall "
			"times; ~ marks a difference not significant at %.2g (benchstat's convention).",
			COMPARE_ALPHA);
	fprintf(f, " Only measured runs (no warm-ups) that ended ok count; ! marks a group in "
		"which others used more than %.0f %% of the PUs (contended): its differences are "
		"never called significant and its tasks are not classified.\n\n",
		100 * CONTENTION_SHARE);
}

/* ------------------------------------------------------------------ machines */

enum { F_CPU, F_ARCH, F_PACKAGES, F_CORES, F_PUS, F_NUMA, F_L1, F_L2, F_L3, F_MEM, F_OS,
       F_KERNEL, F_COMPILER, F_VERSION, F_N };

static const char *const field_names[F_N] = {
	"CPU", "arch", "packages", "cores", "PUs (usable)", "NUMA nodes", "L1d", "L2", "L3",
	"memory", "OS", "kernel", "compiler", "bench",
};

static void field_value(char *buf, size_t len, const struct rd_machine *x, int field)
{
	switch (field) {
	case F_CPU: snprintf(buf, len, "%s", *x->cpu_model ? x->cpu_model : "–"); break;
	case F_ARCH: snprintf(buf, len, "%s", x->arch); break;
	case F_PACKAGES: snprintf(buf, len, "%u", x->packages); break;
	case F_CORES: snprintf(buf, len, "%u", x->cores); break;
	case F_PUS: snprintf(buf, len, "%u (%u)", x->pus, x->usable_pus); break;
	case F_NUMA: snprintf(buf, len, "%u", x->numa_nodes); break;
	case F_L1: report_fmt_bytes(buf, len, x->l1d); break;
	case F_L2: report_fmt_bytes(buf, len, x->l2); break;
	case F_L3: report_fmt_bytes(buf, len, x->l3); break;
	case F_MEM: report_fmt_bytes(buf, len, x->mem_bytes); break;
	case F_OS: snprintf(buf, len, "%s", x->os); break;
	case F_KERNEL: snprintf(buf, len, "%s", x->kernel); break;
	case F_COMPILER: snprintf(buf, len, "%s", x->compiler); break;
	default: snprintf(buf, len, "%s", x->version); break;
	}
}

static int field_differs(const struct report_data *d, int field)
{
	char a[256], b[256];

	field_value(a, sizeof(a), &d->machines[0], field);
	for (size_t m = 1; m < d->nmachines; m++) {
		field_value(b, sizeof(b), &d->machines[m], field);
		if (strcmp(a, b))
			return 1;
	}
	return 0;
}

/* The file(s) a machine's rows come from. */
static void write_source(FILE *f, const struct report_data *d, const struct rd_machine *x)
{
	size_t shown = 0;

	if (x->nfiles == 1 || d->by_source) {
		md(f, report_data_basename(d->paths[x->file]));
		return;
	}
	/* pooled: every file that holds its rows */
	for (size_t i = 0; i < d->nfiles; i++)
		for (size_t r = 0; r < d->nruns; r++)
			if (d->runs[r].file == i && d->groups[d->runs[r].group].machine ==
			    (size_t)(x - d->machines)) {
				fprintf(f, "%s", shown++ ? " + " : "");
				md(f, report_data_basename(d->paths[i]));
				break;
			}
	fprintf(f, " (pooled)");
}

/* How much of its PUs other processes took while it measured, as far as recorded. */
static void write_others(FILE *f, const struct rd_machine *x)
{
	if (x->nruns && x->unwatched_runs >= x->nruns) {
		fprintf(f, "not recorded");
		return;
	}
	fprintf(f, "%.2f of %u PUs%s", x->pus_taken, x->usable_pus, x->contended_groups ? " !" : "");
	if (x->unwatched_runs)
		fprintf(f, " (%zu runs not recorded)", x->unwatched_runs);
}

/* The hosts whose files hold runs without contention columns, said once. */
static void write_unwatched(FILE *f, const struct report_data *d)
{
	size_t n = 0;

	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_machine *x = &d->machines[m];

		if (!x->unwatched_runs)
			continue;
		fprintf(f, "%s", n++ ? ", " : "Not known whether other processes used the PUs of ");
		md(f, x->name);
		fprintf(f, " (%zu of its %zu runs)", x->unwatched_runs, x->nruns);
	}
	if (n)
		fprintf(f, ": %s no contention (others\\_cpu\\_s is empty, as in CSV schema 1), "
			"so %s cannot be shown quiet; remeasure to know.\n\n",
			n > 1 ? "their rows record" : "its rows record", n > 1 ? "they" : "it");
}

static void write_machines(FILE *f, const struct report_data *d)
{
	int differs[F_N], same = 0;
	char val[256];

	fprintf(f, "## Machines\n\n");
	for (int k = 0; k < F_N; k++) {
		differs[k] = d->nmachines > 1 && field_differs(d, k);
		if (differs[k])
			continue;
		field_value(val, sizeof(val), &d->machines[0], k);
		fprintf(f, "%s**%s** ", same++ ? " · " : d->nmachines > 1 ? "Same on every host: " :
			"Fingerprint: ", field_names[k]);
		md(f, val);
	}
	if (same)
		fprintf(f, ".\n\n");
	if (d->nmachines > 1)
		fprintf(f, "The fields that differ:\n\n");
	fprintf(f, "| host | source |");
	for (int k = 0; k < F_N; k++)
		if (differs[k])
			fprintf(f, " %s |", field_names[k]);
	fprintf(f, " others used | runs |\n|---|---|");
	for (int k = 0; k < F_N; k++)
		if (differs[k])
			fprintf(f, "%s", k == F_CPU || k == F_ARCH || k >= F_OS ? "---|" : "--:|");
	fprintf(f, "---|--:|\n");
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_machine *x = &d->machines[m];

		fprintf(f, "| **");
		md(f, x->name);
		fprintf(f, "** | ");
		write_source(f, d, x);
		fprintf(f, " |");
		for (int k = 0; k < F_N; k++) {
			if (!differs[k])
				continue;
			field_value(val, sizeof(val), x, k);
			fprintf(f, " ");
			md(f, val);
			fprintf(f, " |");
		}
		fprintf(f, " ");
		write_others(f, x);
		fprintf(f, " | %zu |\n", x->nruns);
	}
	fprintf(f, "\n");
	write_unwatched(f, d);
}

/* ------------------------------------------------------------------ ranking */

static void write_ranking(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	const struct comparison *c = v->c;
	char x[32], lo[32], hi[32];

	if (d->nmachines < 2)
		return;
	fprintf(f, "## Ranking\n\nEach host's best time on a workload (its fastest mode and "
		"worker count) relative to the baseline's best, as a geometric mean over the "
		"workloads it shares with the baseline (below 1: faster), with a 95 %% bootstrap "
		"interval (%d resamples of the repetitions) where every best group involved, "
		"the host's and the baseline's, has two or more repetitions.\n\n"
		"| rank | host | best time / baseline's | 95 %% interval | workloads |\n"
		"|--:|---|--:|---|--:|\n", COMPARE_BOOT_RESAMPLES);
	for (size_t i = 0; i < c->nrank; i++) {
		const struct cmp_rank *r = &c->rank[i];

		report_fmt_x(x, sizeof(x), r->geomean);
		fprintf(f, "| %zu | ", i + 1);
		if (r->machine == c->baseline)
			fprintf(f, "**");
		md(f, d->machines[r->machine].name);
		fprintf(f, "%s | %s%s | ", r->machine == c->baseline ? "** (baseline)" : "", x,
			r->contended ? " !" : "");
		if (r->machine == c->baseline) {
			fprintf(f, "–");
		} else if (r->has_interval) {
			report_fmt_x(lo, sizeof(lo), r->lo);
			report_fmt_x(hi, sizeof(hi), r->hi);
			fprintf(f, "%s-%s", lo, hi);
		} else {
			fprintf(f, "none (a best group has 1 rep)");
		}
		fprintf(f, " | %zu |\n", r->nworkloads);
	}
	if (c->nunranked) {
		fprintf(f, "\nNot ranked (no workload in common with the baseline): ");
		for (size_t i = 0; i < c->nunranked; i++) {
			fprintf(f, "%s", i ? ", " : "");
			md(f, d->machines[c->unranked[i]].name);
		}
		fprintf(f, ".\n");
	}
	fprintf(f, "\n");
}

/* ------------------------------------------------------------------ fits */

/* A fit from runs whose contention was not recorded says so, once per host. */
static void write_fits_unwatched(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	size_t n = 0;

	for (size_t m = 0; m < d->nmachines; m++) {
		int fitted = 0;

		for (size_t i = 0; i < v->fits->n; i++)
			fitted |= v->fits->fits[i].fitted && v->fits->fits[i].machine == m;
		if (!fitted || !d->machines[m].unwatched_runs)
			continue;
		fprintf(f, "%s", n++ ? ", " : "Fitted from runs whose contention was not recorded: ");
		md(f, d->machines[m].name);
	}
	if (n)
		fprintf(f, " (see Machines).\n\n");
}

static void write_fits(FILE *f, const struct report_view *v)
{
	const struct report_data *d = v->d;
	const struct scaling_set *s = v->fits;

	if (!s->n)
		return;
	fprintf(f, "## Scaling fits\n\nFor every mode measured at %d or more worker counts, "
		"fitted to the paired per-repetition speedups at parallelism p (p = min(workers, "
		"PUs) when the tasks compute, workers when they wait). **s** (Amdahl's serial "
		"fraction): the share of the work that does not run in parallel; speedup stays "
		"below 1/s however many workers, with a 95 %% bootstrap interval. **e(p)** "
		"(Karp-Flatt): the serial fraction each p implies; if it rises with p, overhead "
		"grows with the workers. **σ** (USL contention) plays s's part; **κ** (USL "
		"coherency) is the cost of workers exchanging with each other: above 0, speedup "
		"peaks and then falls, at the predicted peak. More cores pay while p stays well "
		"below the peak and 1/s is far above the speedup you have.\n\n"
		"| host | workload | mode | p | s (95 %% interval) | e(p) | σ | κ | peak p (speedup) "
		"| chart |\n|---|---|---|---|---|---|--:|--:|---|---|\n", FIT_MIN_LEVELS);
	for (size_t i = 0; i < s->n; i++) {
		const struct scaling_fit *x = &s->fits[i];
		const struct fit_scaling *fs = &x->fit;

		fprintf(f, "| ");
		md(f, d->machines[x->machine].name);
		fprintf(f, " | ");
		md(f, d->workloads[x->workload].label);
		fprintf(f, " | ");
		md(f, x->mode);
		if (strcmp(x->pin, "none")) {
			fprintf(f, ", pin ");
			md(f, x->pin);
		}
		if (!x->fitted) {
			fprintf(f, " | %u-%u workers | not fitted: ", x->min_workers, x->max_workers);
			md(f, x->why);
			fprintf(f, " | | | | | |\n");
			continue;
		}
		fprintf(f, " | %g-%g (%s) | %.3f ", fs->levels[0].p, x->max_p,
			x->by_pus ? "min(workers, PUs)" : "workers", fs->amdahl.s);
		if (fs->amdahl.has_interval)
			fprintf(f, "(%.3f-%.3f)", fs->amdahl.lo, fs->amdahl.hi);
		else
			fprintf(f, "(1 rep: none)");
		fprintf(f, " |");
		for (size_t l = 0, k = 0; l < fs->nlevels; l++)
			if (fs->levels[l].p > 1)
				fprintf(f, "%s %g: %.3f", k++ ? "," : "", fs->levels[l].p,
					fs->levels[l].karp_flatt);
		fprintf(f, " | %.3g | %.3g | ", fs->usl.sigma, fs->usl.kappa);
		if (fs->usl.has_peak)
			fprintf(f, "%.0f (%.3g×)%s", fs->usl.peak_p, fs->usl.peak_speedup,
				x->peak_extrapolated ? " extrapolated" : "");
		else if (isfinite(fs->usl.peak_speedup))
			fprintf(f, "none: rises towards %.3g×", fs->usl.peak_speedup);
		else
			fprintf(f, "none");
		if (v->charts->fit && v->charts->fit[i][0])
			fprintf(f, " | [chart](%s) |\n", v->charts->fit[i]);
		else
			fprintf(f, " | – |\n");
	}
	fprintf(f, "\n");
	write_fits_unwatched(f, v);
}

/* ------------------------------------------------------------------ a workload */

static void row_label(FILE *f, const struct report_data *d, const struct cmp_row *r)
{
	fprintf(f, "| ");
	md(f, r->mode);
	fprintf(f, " | %u |", r->workers);
	if (d->several_pins) {
		fprintf(f, " ");
		md(f, r->pin);
		fprintf(f, " |");
	}
}

static void pivot_head(FILE *f, const struct report_data *d, int skip_baseline, size_t baseline)
{
	fprintf(f, "| mode | workers |%s", d->several_pins ? " pin |" : "");
	for (size_t m = 0; m < d->nmachines; m++) {
		if (skip_baseline && m == baseline)
			continue;
		fprintf(f, " ");
		md(f, d->machines[m].name);
		fprintf(f, " |");
	}
	fprintf(f, "\n|---|--:|%s", d->several_pins ? "---|" : "");
	for (size_t m = 0; m < d->nmachines; m++)
		if (!skip_baseline || m != baseline)
			fprintf(f, "--:|");
	fprintf(f, "\n");
}

/* A ratio without its sign, as report_fmt_x() writes it: "3.06", "15.6", "0.012". */
static void fmt_ratio(char *buf, size_t len, double x)
{
	report_fmt_x(buf, len, x);
	if (strlen(buf) >= strlen("×") && !strcmp(buf + strlen(buf) - strlen("×"), "×"))
		buf[strlen(buf) - strlen("×")] = '\0';
}

/* "3.06-3.15×", "range 2.90-3.20×" below 6 reps, "1 rep". */
static void fmt_ratio_interval(char *buf, size_t len, const struct summary_stats *st)
{
	char lo[32], hi[32];

	if (st->n < 2) {
		snprintf(buf, len, st->n ? "1 rep" : "–");
		return;
	}
	fmt_ratio(lo, sizeof(lo), isnan(st->ci_lo) ? st->min : st->ci_lo);
	fmt_ratio(hi, sizeof(hi), isnan(st->ci_lo) ? st->max : st->ci_hi);
	snprintf(buf, len, "%s%s-%s×", isnan(st->ci_lo) ? "range " : "", lo, hi);
}

/* Medians with their intervals (@speedup 0), speedups with theirs (1), or per task (2). */
static void write_pivot(FILE *f, const struct report_data *d, const struct cmp_workload *cw,
			int speedup, int *busy)
{
	pivot_head(f, d, 0, 0);
	for (size_t r = 0; r < cw->nrows; r++) {
		const struct cmp_row *row = &cw->rows[r];

		row_label(f, d, row);
		for (size_t m = 0; m < d->nmachines; m++) {
			const struct rd_group *g = row->group[m] >= 0 ? &d->groups[row->group[m]] : NULL;
			char val[32], iv[96];

			if (!g || (speedup == 1 && g->speedup < 0)) {
				fprintf(f, " – |");
				continue;
			}
			if (speedup == 2) {
				/* work that does nothing: what the harness costs per task */
				struct summary_stats per = g->wall;
				double k = g->tasks ? (double)g->tasks : 1;

				per.median /= k;
				per.min /= k;
				per.max /= k;
				per.ci_lo /= k;
				per.ci_hi /= k;
				stats_fmt_seconds(val, sizeof(val), per.median);
				summary_fmt_interval(iv, sizeof(iv), &per, 0);
			} else if (speedup) {
				report_fmt_x(val, sizeof(val), g->speedup);
				fmt_ratio_interval(iv, sizeof(iv), &g->ratio);
			} else {
				stats_fmt_seconds(val, sizeof(val), g->wall.median);
				summary_fmt_interval(iv, sizeof(iv), &g->wall, 0);
			}
			fprintf(f, cw->best[m] == row->group[m] && !speedup ? " **%s** (%s)" : " %s (%s)",
				val, iv);
			if (g->contended) {
				fprintf(f, " !");
				*busy = 1;
			}
			if (g->failed)
				fprintf(f, " (+%zu failed)", g->failed);
			fprintf(f, " |");
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
}

static void write_ratios(FILE *f, const struct report_view *v, size_t i)
{
	const struct report_data *d = v->d;
	const struct comparison *c = v->c;
	const struct cmp_workload *cw = &c->w[i];
	int any = 0, busy = 0;

	for (size_t t = 0; t < c->ntests && !any; t++)
		any = c->tests[t].w == i;
	if (!any)
		return;
	fprintf(f, "Time relative to **");
	md(f, d->machines[c->baseline].name);
	fprintf(f, "** (other / baseline; p: Mann-Whitney U; ~: not significant at %.2g):\n\n",
		COMPARE_ALPHA);
	pivot_head(f, d, 1, c->baseline);
	for (size_t r = 0; r < cw->nrows; r++) {
		row_label(f, d, &cw->rows[r]);
		for (size_t m = 0; m < d->nmachines; m++) {
			const struct cmp_test *t;
			char x[32];

			if (m == c->baseline)
				continue;
			t = compare_test(c, i, r, m);
			if (!t) {
				fprintf(f, " – |");
				continue;
			}
			report_fmt_x(x, sizeof(x), t->ratio);
			if (t->contended) {
				fprintf(f, " %s ! |", x);   /* contended: no test is made */
				busy = 1;
			} else if (t->significant) {
				fprintf(f, " **%s** (p=%.2g) |", x, t->p);
			} else {
				fprintf(f, " ~ (p=%.2g) |", t->p);
			}
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
	if (busy)
		fprintf(f, "! (contended): others used the PUs during these runs, so the ratio is "
			"not tested (no p).\n\n");
}

/* One row per host: what the tasks are, its best time, its verdict. */
/* 1 when machine @m has measured rows of workload @w, whatever their status. */
static int has_rows(const struct report_data *d, size_t m, size_t w)
{
	for (size_t i = 0; i < d->ngroups; i++)
		if (d->groups[i].machine == m && d->groups[i].workload == w)
			return 1;
	return 0;
}

/* The hosts' rows; how many hosts had a run that ended ok. */
static size_t write_hosts(FILE *f, const struct report_data *d, const struct cmp_workload *cw)
{
	size_t ok = 0;

	fprintf(f, "| host | tasks (CPU/wall in seq) | best | verdict |\n|---|---|---|---|\n");
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_group *b = cw->best[m] >= 0 ? &d->groups[cw->best[m]] : NULL;
		char line[1024], t[32];
		double ratio;
		const char *kind;

		if (!b) {
			/* runs that all failed or were stopped: say so, not nothing */
			if (!has_rows(d, m, cw->workload))
				continue;
			verdict_headline(d, m, cw->workload, line, sizeof(line), NULL);
			fprintf(f, "| ");
			md(f, d->machines[m].name);
			fprintf(f, " | – | – | ");
			md(f, line);
			fprintf(f, " |\n");
			continue;
		}
		ok++;
		kind = report_data_class(d, m, cw->workload, &ratio);
		fprintf(f, "| ");
		md(f, d->machines[m].name);
		fprintf(f, " | %s", kind);
		if (ratio >= 0 && strcmp(kind, "no work") && !strstr(kind, "contended"))
			fprintf(f, " (%.2f)", ratio);
		stats_fmt_seconds(t, sizeof(t), b->wall.median);
		fprintf(f, " | ");
		md(f, b->mode);
		fprintf(f, " ×%u: %s%s | ", b->workers, t, b->contended ? " !" : "");
		verdict_headline(d, m, cw->workload, line, sizeof(line), NULL);
		md(f, line);
		fprintf(f, " |\n");
	}
	fprintf(f, "\n");
	return ok;
}

static void write_workload(FILE *f, const struct report_view *v, size_t i)
{
	const struct report_data *d = v->d;
	const struct cmp_workload *cw = &v->c->w[i];
	const struct rd_workload *wl = &d->workloads[cw->workload];
	int busy = 0;

	fprintf(f, "## ");
	md(f, wl->label);
	fprintf(f, "\n\n");
	if (!write_hosts(f, d, cw)) {
		fprintf(f, "No measured run of this workload ended ok on any host: nothing to "
			"tabulate or draw.\n\n");
		return;
	}
	if (v->charts->time && v->charts->time[cw->workload][0]) {
		fprintf(f, "![Best time on each host: ");
		md(f, wl->slug);
		fprintf(f, "](%s)\n\n", v->charts->time[cw->workload]);
	}
	if (v->charts->speedup && v->charts->speedup[cw->workload][0]) {
		fprintf(f, "![By mode on each host: ");
		md(f, wl->slug);
		fprintf(f, "](%s)\n\n", v->charts->speedup[cw->workload]);
	}
	if (v->charts->no_gnuplot)
		fprintf(f, "(No charts: gnuplot was not available.)\n\n");
	fprintf(f, "Median wall time (95 %% interval; each host's best in bold):\n\n");
	write_pivot(f, d, cw, 0, &busy);
	if (wl->bound == BOUND_NONE) {
		/* a speedup of doing nothing is no figure: its cost per task is */
		fprintf(f, "Wall time per task, the harness's cost (95 %% interval):\n\n");
		write_pivot(f, d, cw, 2, &busy);
	} else {
		fprintf(f, "Speedup over seq (95 %% interval):\n\n");
		write_pivot(f, d, cw, 1, &busy);
	}
	if (busy)
		fprintf(f, "! (contended): others used the PUs during some of these runs.\n\n");
	if (d->nmachines > 1)
		write_ratios(f, v, i);
}

int report_write_md(const char *path, const struct report_view *v)
{
	FILE *f = report_open_output(path);

	if (!f)
		return -errno;
	write_title(f, v->d);
	write_method(f, v);
	write_machines(f, v->d);
	write_ranking(f, v);
	write_fits(f, v);
	for (size_t i = 0; i < v->c->nw; i++)
		write_workload(f, v, i);
	if (ferror(f) | fclose(f))
		return -EIO;
	return 0;
}
