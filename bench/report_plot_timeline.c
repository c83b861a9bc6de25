/* The timeline chart: one typical run per mode, a lane per worker (see plots/timeline.gp). */
#include "bench/report_plot_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/csv.h"
#include "bench/report_data.h"

#define MAX_LANES_PER_MODE 16

/* ------------------------------------------------------------------ timeline */

/* The tasks file, read once, with the columns the timeline needs. */
struct tasks_file {
	struct csv t;
	int run, task, worker, cpu_start, cpu_end, start, end, message;
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

/* The longest label that fits @px pixels (about 7 px a character at the chart's size). */
static void task_label(char *buf, size_t len, const char *task, const char *c0, const char *c1,
		       double px)
{
	char cpu[64];
	size_t chars = px > 8 ? (size_t)((px - 6) / 7) : 0;

	if (*c1 && strcmp(c0, c1))
		snprintf(cpu, sizeof(cpu), "%s→%s", c0, c1);
	else
		snprintf(cpu, sizeof(cpu), "%s", c0);
	snprintf(buf, len, "task %s @ CPU %s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "t%s @cpu%s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "%s@%s", task, cpu);
	if (strlen(buf) <= chars)
		return;
	snprintf(buf, len, "%s", task);
	if (strlen(buf) > chars)
		buf[0] = '\0';
}

static int chart_timeline(struct plot_set *p, const struct report_data *d, size_t m, size_t w,
			  const struct tasks_file *tf)
{
	const struct rd_machine *mach = &d->machines[m];
	const struct rd_workload *wl = &d->workloads[w];
	size_t sel[64], n, nlanes = 0, lane0[64];
	const struct rd_run *runs[64];
	double xmax = 0, scale, plot_px = 1200 - 260;
	char name[160], title[512], sub[768], xl[64];
	struct gp_vars v = { .used = 0 };
	FILE *f;
	int rc;

	if (!tf->loaded)
		return 0;
	n = timeline_groups(d, m, w, sel);
	for (size_t i = 0; i < n; i++) {
		runs[i] = typical_run(d, sel[i]);
		if (runs[i])
			xmax = fmax(xmax, runs[i]->wall_s);
	}
	if (!n || !(xmax > 0))
		return 0;
	scale = xmax < 1 ? 1e3 : 1;
	xmax *= scale * 1.02;
	snprintf(name, sizeof(name), "timeline-%s", wl->slug);
	f = plot_dat_open(p, name);
	if (!f)
		return -EIO;
	/* block 0: lanes */
	for (size_t i = 0; i < n; i++) {
		const struct rd_group *g = &d->groups[sel[i]];
		unsigned shown = g->workers < MAX_LANES_PER_MODE ? g->workers : MAX_LANES_PER_MODE;

		char places[MAX_LANES_PER_MODE][48];

		lane0[i] = nlanes;
		lane_places(tf, runs[i] ? runs[i]->id : "", shown, places);
		for (unsigned k = 0; k < shown; k++, nlanes++) {
			char lane[64];

			/* the worker, or for mpi the rank and its host */
			if (places[k][0])
				snprintf(lane, sizeof(lane), "%.47s", places[k]);
			else
				snprintf(lane, sizeof(lane), "w%u", k);
			fprintf(f, "%zu\t", nlanes);
			if (k == 0) {
				plot_dat_str(f, g->mode);
				fprintf(f, "  ");
			}
			plot_dat_str(f, lane);
			fprintf(f, "\n");
		}
		if (g->workers > shown)
			fprintf(f, "%zu\t+%u more workers (not drawn)\n", nlanes++, g->workers - shown);
	}
	/* block 1: lifetimes; block 2: start-up; block 3: tasks */
	for (int block = 1; block <= 3; block++) {
		fprintf(f, "\n\n");
		for (size_t i = 0; i < n; i++) {
			const struct rd_group *g = &d->groups[sel[i]];
			unsigned shown = g->workers < MAX_LANES_PER_MODE ? g->workers : MAX_LANES_PER_MODE;
			unsigned color = plot_mode_color(report_data_mode_rank(d, g->mode));
			double first[MAX_LANES_PER_MODE];

			if (!runs[i])
				continue;
			for (unsigned k = 0; k < shown; k++)
				first[k] = INFINITY;
			if (block == 1) {
				for (unsigned k = 0; k < shown; k++)
					fprintf(f, "%zu\t0\t%.9g\n", lane0[i] + k, runs[i]->wall_s * scale);
				continue;
			}
			for (size_t r = 0; r < tf->t.nrows; r++) {
				const char *wk = csv_cell(&tf->t, r, tf->worker);
				char *e1, *e2, label[96];
				double s, e;
				long k;

				if (strcmp(csv_cell(&tf->t, r, tf->run), runs[i]->id) || !*wk)
					continue;
				k = strtol(wk, NULL, 10);
				s = strtod(csv_cell(&tf->t, r, tf->start), &e1);
				e = strtod(csv_cell(&tf->t, r, tf->end), &e2);
				if (k < 0 || k >= (long)shown || *e1 || *e2 || e1 == csv_cell(&tf->t, r, tf->start))
					continue;
				if (block == 2) {
					first[k] = fmin(first[k], s);
					continue;
				}
				task_label(label, sizeof(label), csv_cell(&tf->t, r, tf->task),
					   csv_cell(&tf->t, r, tf->cpu_start), csv_cell(&tf->t, r, tf->cpu_end),
					   (e - s) * scale / xmax * plot_px);
				fprintf(f, "%zu\t%.9g\t%.9g\t%u\t", lane0[i] + (size_t)k, s * scale,
					e * scale, color);
				plot_dat_str(f, label[0] ? label : " ");
				fputc('\n', f);
			}
			if (block == 2)
				for (unsigned k = 0; k < shown; k++)
					if (isfinite(first[k]) && first[k] > 0)
						fprintf(f, "%zu\t0\t%.9g\n", lane0[i] + k, first[k] * scale);
		}
	}
	/* block 4: separators between modes */
	fprintf(f, "\n\n");
	for (size_t i = 1; i < n; i++)
		fprintf(f, "%.1f\n", (double)lane0[i] - 0.5);
	if (n < 2)
		fprintf(f, "NaN\n");
	rc = plot_dat_close(p, f, name);
	if (rc)
		return rc;
	snprintf(title, sizeof(title), "Timeline of one run per mode: %s", wl->label);
	plot_machine_subtitle(sub, sizeof(sub), mach);
	snprintf(sub + strlen(sub), sizeof(sub) - strlen(sub),
		 " · each mode's median run at its fastest worker count · a lane per worker");
	snprintf(xl, sizeof(xl), "time since the run started (%s)", scale > 1 ? "ms" : "s");
	plot_gp_heading(&v, title, sub, 1200);
	plot_gp_str(&v, "xlabel", xl);
	plot_gp_num(&v, "nlanes", (double)nlanes);
	plot_gp_num(&v, "xmax", xmax);
	plot_gp_num(&v, "width", 1200);
	plot_gp_num(&v, "height", nlanes * 30 + 230 > 420 ? (double)nlanes * 30 + 230 : 420);
	return plot_draw(p, "timeline.gp", name, &v);
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
