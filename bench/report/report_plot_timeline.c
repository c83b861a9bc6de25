/* The timeline chart: one typical run per mode, a lane per worker (see plots/timeline.gp). */
#include "bench/report/report_plot_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/data/csv.h"
#include "bench/core/config.h"
#include "bench/analysis/report_data.h"
#include "bench/analysis/stats.h"

/* Lanes drawn per mode; beyond, the chart says how many were left out. */
#define MAX_LANES_PER_MODE 64

/* ------------------------------------------------------------------ timeline */

/* The tasks file, read once, with the columns the timeline needs. */
struct tasks_file {
	struct csv t;
	int run, task, worker, cpu_start, cpu_end, start, end, cpu, message;
	int loaded;
};

static int tasks_load(struct tasks_file *tf, const char *path, char *err, size_t len)
{
	struct csv_error e;
	int rc;

	memset(tf, 0, sizeof(*tf));
	if (!path || access(path, F_OK) != 0)
		return 0;
	rc = csv_read_file(path, &tf->t, &e);
	if (rc) {
		snprintf(err, len, "%s:%zu: %s", path, e.line, e.msg);
		return -EINVAL;
	}
	tf->run = csv_column(&tf->t, "run");
	tf->task = csv_column(&tf->t, "task");
	tf->worker = csv_column(&tf->t, "worker");
	tf->cpu_start = csv_column(&tf->t, "cpu_start");
	tf->cpu_end = csv_column(&tf->t, "cpu_end");
	tf->start = csv_column(&tf->t, "start_s");
	tf->end = csv_column(&tf->t, "end_s");
	tf->message = csv_column(&tf->t, "message");   /* optional */
	tf->cpu = csv_column(&tf->t, "cpu_s");         /* optional (schema 2) */
	if (tf->run < 0 || tf->task < 0 || tf->worker < 0 || tf->start < 0 || tf->end < 0) {
		snprintf(err, len, "%s:1: no run, task, worker, start_s or end_s column: "
			 "not a bench tasks CSV", path);
		csv_free(&tf->t);
		return -EINVAL;
	}
	tf->loaded = 1;
	return 0;
}

/* The run of group @g with the median wall time (the later one of a tie). */
static const struct rd_run *typical_run(const struct report_data *d, size_t g)
{
	const struct rd_group *grp = &d->groups[g];
	const struct rd_run *best = NULL;

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *r = &d->runs[i];

		if (r->group != g || r->warmup || !r->ok)
			continue;
		if (!best || fabs(r->wall_s - grp->wall.median) <= fabs(best->wall_s - grp->wall.median))
			best = r;
	}
	return best;
}

/* Pick each mode's fastest group (lowest median wall; fewer workers on a tie). */
static size_t timeline_groups(const struct report_data *d, size_t m, size_t w, size_t *out)
{
	size_t n = 0;

	for (size_t r = 0; r < d->nmodes; r++) {
		long best = -1;

		for (size_t g = 0; g < d->ngroups; g++) {
			const struct rd_group *grp = &d->groups[g];

			if (grp->machine != m || grp->workload != w || strcmp(grp->mode, d->modes[r]) ||
			    !grp->wall.n)
				continue;
			if (best < 0 || grp->wall.median < d->groups[best].wall.median ||
			    (grp->wall.median == d->groups[best].wall.median &&
			     grp->workers < d->groups[best].workers))
				best = (long)g;
		}
		if (best >= 0)
			out[n++] = (size_t)best;
	}
	return n;
}

/*
 * Where each of the first @shown lanes of run @run ran, when its tasks say
 * ("rank R on HOST: ...", the mpi mode): "rank R @ HOST" in @names[k],
 * else an empty string.
 */
static void lane_places(const struct tasks_file *tf, const char *run, unsigned shown,
			char names[][48])
{
	unsigned left = shown;

	for (unsigned k = 0; k < shown; k++)
		names[k][0] = '\0';
	for (size_t r = 0; r < tf->t.nrows && left && tf->message >= 0; r++) {
		const char *wk = csv_cell(&tf->t, r, tf->worker);
		char host[24], *end;
		unsigned rank;
		long k;

		if (strcmp(csv_cell(&tf->t, r, tf->run), run))
			continue;
		k = strtol(wk, &end, 10);
		if (end == wk || k < 0 || k >= (long)shown || names[k][0] ||
		    sscanf(csv_cell(&tf->t, r, tf->message), "rank %u on %23[^: ]", &rank, host) != 2)
			continue;
		snprintf(names[k], sizeof(names[k]), "rank %u @ %s", rank, host);
		left--;
	}
}

/* "t3 · cpu 1" ("cpu 1→4" when it moved), or "" when that is wider than @px pixels (7 a character). */
static void task_label(char *buf, size_t len, const char *task, const char *c0, const char *c1,
		       double px)
{
	size_t chars = px > 8 ? (size_t)((px - 6) / 7) : 0;
	int n;

	if (*c1 && strcmp(c0, c1))
		n = snprintf(buf, len, "t%s · cpu %s→%s", task, c0, c1);
	else
		n = snprintf(buf, len, "t%s · cpu %s", task, c0);
	/* "·" and "→" are one character each, two and three bytes */
	if (n < 0 || (size_t)n - 1 - (*c1 && strcmp(c0, c1) ? 2 : 0) > chars)
		buf[0] = '\0';
}

/* What one timeline shows: the groups (one per mode), their runs and lanes. */
struct timeline {
	size_t sel[64], n, lane0[64], nlanes;
	const struct rd_run *runs[64];
	unsigned shown[64];
	double scale[64];          /* seconds -> x units, per run */
	double xmax;
	int own, has_cpu;
	char cut[256];             /* which lanes were left out, for the subtitle */
};

/* The runs, lanes and scales of machine @m's workload @w; 0 when there is nothing to draw. */
static int timeline_plan(const struct report_data *d, size_t m, size_t w, int axis,
			 struct timeline *tl)
{
	double longest = 0, unit;
	size_t used = 0;

	memset(tl, 0, sizeof(*tl));
	tl->n = timeline_groups(d, m, w, tl->sel);
	for (size_t i = 0; i < tl->n; i++) {
		tl->runs[i] = typical_run(d, tl->sel[i]);
		if (tl->runs[i])
			longest = fmax(longest, tl->runs[i]->wall_s);
	}
	if (!tl->n || !(longest > 0))
		return 0;
	tl->own = axis == TIMELINE_AXIS_OWN && tl->n > 1;
	unit = longest < 1 ? 1e3 : 1;
	tl->xmax = tl->own ? 101 : longest * unit * 1.02;
	for (size_t i = 0; i < tl->n; i++) {
		const struct rd_group *g = &d->groups[tl->sel[i]];
		double wall = tl->runs[i] ? tl->runs[i]->wall_s : 0;

		tl->scale[i] = tl->own ? (wall > 0 ? 100 / wall : 0) : unit;
		tl->shown[i] = g->workers < MAX_LANES_PER_MODE ? g->workers : MAX_LANES_PER_MODE;
		tl->lane0[i] = tl->nlanes;
		tl->nlanes += tl->shown[i] + (g->workers > tl->shown[i]);
		if (g->workers > tl->shown[i] && used < sizeof(tl->cut))
			used += (size_t)snprintf(tl->cut + used, sizeof(tl->cut) - used,
						 "%s%s: %u of %u workers drawn", used ? ", " : "",
						 g->mode, tl->shown[i], g->workers);
	}
	return 1;
}

/* Block 0: a lane per worker, "MODE · wK" (mpi: "MODE · rank R @ HOST"). */
static void write_lanes(FILE *f, const struct report_data *d, const struct tasks_file *tf,
			const struct timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		const struct rd_group *g = &d->groups[tl->sel[i]];
		char places[MAX_LANES_PER_MODE][48];

		lane_places(tf, tl->runs[i] ? tl->runs[i]->id : "", tl->shown[i], places);
		for (unsigned k = 0; k < tl->shown[i]; k++) {
			fprintf(f, "%zu\t", tl->lane0[i] + k);
			plot_dat_str(f, g->mode);
			if (places[k][0])
				fprintf(f, " · %s\n", places[k]);
			else
				fprintf(f, " · w%u\n", k);
		}
		if (g->workers > tl->shown[i])
			fprintf(f, "%zu\t%s · %u more not drawn\n", tl->lane0[i] + tl->shown[i], g->mode,
				g->workers - tl->shown[i]);
	}
}

/* Blocks 1-3 for run @i: lifetimes, start-up, tasks (with their CPU time). */
static void write_run(FILE *f, const struct report_data *d, const struct tasks_file *tf,
		      struct timeline *tl, size_t i, int block, double plot_px)
{
	const struct rd_group *g = &d->groups[tl->sel[i]];
	unsigned color = plot_mode_color(report_data_mode_rank(d, g->mode));
	double first[MAX_LANES_PER_MODE], sc = tl->scale[i];

	if (!tl->runs[i])
		return;
	if (block == 1) {
		for (unsigned k = 0; k < tl->shown[i]; k++)
			fprintf(f, "%zu\t0\t%.9g\n", tl->lane0[i] + k, tl->runs[i]->wall_s * sc);
		return;
	}
	for (unsigned k = 0; k < tl->shown[i]; k++)
		first[k] = INFINITY;
	for (size_t r = 0; r < tf->t.nrows; r++) {
		const char *wk = csv_cell(&tf->t, r, tf->worker), *cs;
		char *e1, *e2, *e3, label[96];
		double s, e, cpu;
		long k;

		if (strcmp(csv_cell(&tf->t, r, tf->run), tl->runs[i]->id) || !*wk)
			continue;
		k = strtol(wk, NULL, 10);
		s = strtod(csv_cell(&tf->t, r, tf->start), &e1);
		e = strtod(csv_cell(&tf->t, r, tf->end), &e2);
		if (k < 0 || k >= (long)tl->shown[i] || *e1 || *e2 ||
		    e1 == csv_cell(&tf->t, r, tf->start))
			continue;
		if (block == 2) {
			first[k] = fmin(first[k], s);
			continue;
		}
		/* the on-CPU part: the task's thread CPU time, drawn from its start */
		cs = csv_cell(&tf->t, r, tf->cpu);
		cpu = strtod(cs, &e3);
		if (!*cs || *e3 || !(cpu >= 0))
			cpu = NAN;
		else
			tl->has_cpu = 1;
		task_label(label, sizeof(label), csv_cell(&tf->t, r, tf->task),
			   csv_cell(&tf->t, r, tf->cpu_start), csv_cell(&tf->t, r, tf->cpu_end),
			   (e - s) * sc / tl->xmax * plot_px);
		fprintf(f, "%zu\t%.9g\t%.9g\t%u\t", tl->lane0[i] + (size_t)k, s * sc, e * sc, color);
		plot_dat_str(f, label[0] ? label : " ");
		fprintf(f, "\t%.9g\n", (isnan(cpu) ? e : s + fmin(cpu, e - s)) * sc);
	}
	if (block == 2)
		for (unsigned k = 0; k < tl->shown[i]; k++)
			if (isfinite(first[k]) && first[k] > 0)
				fprintf(f, "%zu\t0\t%.9g\n", tl->lane0[i] + k, first[k] * sc);
}

/*
 * Draw timeline.gp for the data file NAME.dat already written: @tl's lanes,
 * extent and CPU flag, one legend swatch per mode (@modes, @colors: the
 * colour its on-CPU parts are drawn in).
 */
static int timeline_draw(struct plot_set *p, const char *name, const char *title,
			 const char *sub, const char *xl, const struct timeline *tl,
			 const char *const *modes, const unsigned *colors)
{
	struct gp_vars v = { .used = 0 };
	char names[1024] = "", cw[1024];
	size_t n = tl->n < 64 ? tl->n : 64;

	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(names);

		snprintf(names + used, sizeof(names) - used, "%s", used ? " " : "");
		/* gnuplot's word() splits at spaces: a no-break space keeps "cpu on gil" one word */
		for (const char *c = modes[i]; *c && strlen(names) + 3 < sizeof(names); c++) {
			used = strlen(names);
			if (*c == ' ')
				snprintf(names + used, sizeof(names) - used, "\xc2\xa0");
			else
				snprintf(names + used, sizeof(names) - used, "%c", *c == '\'' ? '_' : *c);
		}
	}
	plot_color_words(cw, sizeof(cw), colors, n);
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_str(&v, "xlabel", xl);
	plot_gp_num(&v, "nlanes", (double)tl->nlanes);
	plot_gp_num(&v, "xmax", tl->xmax);
	plot_gp_num(&v, "has_cpu", tl->has_cpu);
	plot_gp_num(&v, "nmodes", (double)n);
	plot_gp_str(&v, "mode_names", names);
	plot_gp_str(&v, "mode_colors", cw);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", tl->nlanes * 30 + 260 > 440 ? (double)tl->nlanes * 30 + 260 : 440);
	return plot_draw(p, "timeline.gp", name, &v);
}

static int chart_timeline(struct plot_set *p, const struct report_data *d, size_t m, size_t w,
			  const struct tasks_file *tf)
{
	const struct rd_workload *wl = &d->workloads[w];
	struct timeline tl;
	double plot_px = 1200 - 300;
	char name[160], title[512], sub[1400], xl[96];
	const char *modes[64];
	unsigned colors[64];
	FILE *f;
	int rc;

	if (!tf->loaded || !timeline_plan(d, m, w, p->timeline_axis, &tl))
		return 0;
	snprintf(name, sizeof(name), "timeline-%s", wl->slug);
	f = plot_dat_open(p, name);
	if (!f)
		return -EIO;
	write_lanes(f, d, tf, &tl);
	for (int block = 1; block <= 3; block++) {
		fprintf(f, "\n\n");
		for (size_t i = 0; i < tl.n; i++)
			write_run(f, d, tf, &tl, i, block, plot_px);
	}
	/* block 4: separators between modes */
	fprintf(f, "\n\n");
	for (size_t i = 1; i < tl.n; i++)
		fprintf(f, "%.1f\n", (double)tl.lane0[i] - 0.5);
	if (tl.n < 2)
		fprintf(f, "NaN\n");
	rc = plot_dat_close(p, f, name);
	if (rc)
		return rc;
	for (size_t i = 0; i < tl.n && i < 64; i++) {
		modes[i] = d->groups[tl.sel[i]].mode;
		colors[i] = plot_mode_color(report_data_mode_rank(d, modes[i]));
	}
	snprintf(title, sizeof(title), "Timeline of one run per mode: %s", wl->label);
	plot_machine_subtitle(sub, sizeof(sub), &d->machines[m]);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · each mode's median run at its fastest worker count · a lane per worker");
	if (tl.own) {
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · each run at its own length:");
		for (size_t i = 0; i < tl.n; i++) {
			char t[32];

			stats_fmt_seconds(t, sizeof(t), tl.runs[i] ? tl.runs[i]->wall_s : NAN);
			snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), "%s %s %s",
				 i ? "," : "", d->groups[tl.sel[i]].mode, t);
		}
	}
	if (tl.cut[0])
		snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub), " · not every lane fits: %s",
			 tl.cut);
	if (tl.own)
		snprintf(xl, sizeof(xl), "time since the run started (%% of that run's wall time)");
	else
		snprintf(xl, sizeof(xl), "time since the run started (%s; one axis for every mode)",
			 tl.scale[0] > 1 ? "ms" : "s");
	return timeline_draw(p, name, title, sub, xl, &tl, modes, colors);
}

int plot_timelines(struct plot_set *p, const struct report_data *d, size_t m,
		   const char *tasks_csv, int axis, char *err, size_t len)
{
	struct tasks_file tf;
	int rc = tasks_load(&tf, tasks_csv, err, len);

	if (rc)
		return rc;
	for (size_t w = 0; w < d->nworkloads; w++)
		chart_timeline(p, d, m, w, &tf);
	if (tf.loaded)
		csv_free(&tf.t);
	return 0;
}

/* ------------------------------------------------------- runs held in memory */

/* Lanes a run uses: one past its highest worker number. */
static unsigned run_lanes(const struct plot_run *r)
{
	unsigned lanes = 0;

	for (size_t k = 0; k < r->n; k++)
		if (r->t[k].lane + 1 > lanes)
			lanes = r->t[k].lane + 1;
	return lanes;
}

/* The lanes, extent and scale of @n runs on one time axis; 0: nothing to draw. */
static int tasks_plan(const struct plot_run *runs, size_t n, struct timeline *tl)
{
	double longest = 0, unit;
	size_t used = 0;

	memset(tl, 0, sizeof(*tl));
	tl->n = n < 64 ? n : 64;
	for (size_t i = 0; i < tl->n; i++)
		longest = fmax(longest, runs[i].wall_s);
	if (!tl->n || !(longest > 0))
		return 0;
	unit = longest < 1 ? 1e3 : 1;
	tl->xmax = longest * unit * 1.02;
	for (size_t i = 0; i < tl->n; i++) {
		unsigned lanes = run_lanes(&runs[i]);

		tl->scale[i] = unit;
		tl->shown[i] = lanes < MAX_LANES_PER_MODE ? lanes : MAX_LANES_PER_MODE;
		tl->lane0[i] = tl->nlanes;
		tl->nlanes += tl->shown[i] + (lanes > tl->shown[i]);
		if (lanes > tl->shown[i] && used < sizeof(tl->cut))
			used += (size_t)snprintf(tl->cut + used, sizeof(tl->cut) - used,
						 "%s%s: %u of %u workers drawn", used ? ", " : "",
						 runs[i].mode, tl->shown[i], lanes);
	}
	return 1;
}

/* Blocks 0-4 of timeline.gp's data for @runs. */
static void tasks_write(FILE *f, const struct plot_run *runs, struct timeline *tl,
			const unsigned *colors)
{
	double plot_px = 1200 - 300;

	for (size_t i = 0; i < tl->n; i++) {
		unsigned lanes = run_lanes(&runs[i]);

		for (unsigned k = 0; k < tl->shown[i]; k++) {
			fprintf(f, "%zu\t", tl->lane0[i] + k);
			plot_dat_str(f, runs[i].mode);
			fprintf(f, " · w%u\n", k);
		}
		if (lanes > tl->shown[i])
			fprintf(f, "%zu\t%s · %u more not drawn\n", tl->lane0[i] + tl->shown[i],
				runs[i].mode, lanes - tl->shown[i]);
	}
	/* block 1: worker lifetimes (the run), block 2: start-up, block 3: tasks */
	fprintf(f, "\n\n");
	for (size_t i = 0; i < tl->n; i++)
		for (unsigned k = 0; k < tl->shown[i]; k++)
			fprintf(f, "%zu\t0\t%.9g\n", tl->lane0[i] + k, runs[i].wall_s * tl->scale[i]);
	fprintf(f, "\n\n");
	for (size_t i = 0; i < tl->n; i++) {
		for (unsigned k = 0; k < tl->shown[i]; k++) {
			double first = INFINITY;

			for (size_t j = 0; j < runs[i].n; j++)
				if (runs[i].t[j].lane == k)
					first = fmin(first, runs[i].t[j].start_s);
			if (isfinite(first) && first > 0)
				fprintf(f, "%zu\t0\t%.9g\n", tl->lane0[i] + k, first * tl->scale[i]);
		}
	}
	fprintf(f, "\n\n");
	for (size_t i = 0; i < tl->n; i++) {
		double sc = tl->scale[i];

		for (size_t j = 0; j < runs[i].n; j++) {
			const struct plot_task *t = &runs[i].t[j];
			char task[16], c0[16] = "", c1[16] = "", label[96];
			double e = fmax(t->end_s, t->start_s);

			if (t->lane >= tl->shown[i])
				continue;
			snprintf(task, sizeof(task), "%d", t->index);
			if (t->cpu_start >= 0)
				snprintf(c0, sizeof(c0), "%d", t->cpu_start);
			if (t->cpu_end >= 0)
				snprintf(c1, sizeof(c1), "%d", t->cpu_end);
			if (t->cpu_s >= 0)
				tl->has_cpu = 1;
			if (c0[0])
				task_label(label, sizeof(label), task, c0, c1,
					   (e - t->start_s) * sc / tl->xmax * plot_px);
			else
				snprintf(label, sizeof(label), "t%s", task);
			fprintf(f, "%zu\t%.9g\t%.9g\t%u\t", tl->lane0[i] + t->lane, t->start_s * sc,
				e * sc, colors[i]);
			plot_dat_str(f, label[0] ? label : " ");
			fprintf(f, "\t%.9g\n", (t->cpu_s >= 0 ? t->start_s + fmin(t->cpu_s, e - t->start_s)
					       : e) * sc);
		}
	}
	fprintf(f, "\n\n");
	for (size_t i = 1; i < tl->n; i++)
		fprintf(f, "%.1f\n", (double)tl->lane0[i] - 0.5);
	if (tl->n < 2)
		fprintf(f, "NaN\n");
}

int plot_timeline_tasks(struct plot_set *p, const char *name, const char *title,
			const char *subtitle, const struct plot_run *runs, size_t n)
{
	struct timeline tl;
	const char *modes[64];
	unsigned colors[64];
	char sub[1400], xl[96];
	FILE *f;
	int rc;

	if (!tasks_plan(runs, n, &tl))
		return 0;
	for (size_t i = 0; i < tl.n; i++) {
		modes[i] = runs[i].mode;
		colors[i] = plot_series_color(i);
	}
	f = plot_dat_open(p, name);
	if (!f)
		return -EIO;
	tasks_write(f, runs, &tl, colors);
	rc = plot_dat_close(p, f, name);
	if (rc)
		return rc;
	snprintf(sub, sizeof(sub), "%s%s%s", subtitle, tl.cut[0] ? " · not every lane fits: " : "",
		 tl.cut);
	snprintf(xl, sizeof(xl), "time since the run started (%s%s)", tl.scale[0] > 1 ? "ms" : "s",
		 tl.n > 1 ? "; one axis for every run" : "");
	return timeline_draw(p, name, title, sub, xl, &tl, modes, colors);
}
