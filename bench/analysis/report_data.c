#include "bench/analysis/report_data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/sys/contention.h"
#include "bench/data/record.h"
#include "bench/core/registry.h"
#include "bench/api/workload.h"
#include "bench/api/mode.h"

/* Optional columns that hold a count or a duration (empty: unknown). */
static const char *const nonneg_cols[] = {
	"spawn_s", "user_s", "sys_s", "ideal_s", "task_cpu_s", "task_wall_s", "others_cpu_s",
	"steal_s", "psi_cpu_some_s", "load1", "window_s",
};

/* Columns without which nothing can be computed. */
static const char *const needed_cols[] = {
	"schema", "run", "host", "workload", "mode", "workers", "pin", "rep", "warmup",
	"tasks", "wall_s", "status",
};

__attribute__((format(printf, 5, 6)))
static int data_fail(char *err, size_t len, const char *file, size_t line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, len, "%s:%zu: %s", file, line, msg);
	else
		snprintf(err, len, "%s: %s", file, msg);
	return -EINVAL;
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *q;

	if (n < *cap)
		return 0;
	c = *cap ? 2 * *cap : 16;
	q = realloc(*p, c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

/* Strict numbers: the whole cell; @opt allows "" (NaN). */
static int cell_double(const char *s, int opt, double *v)
{
	char *end;

	if (!*s) {
		*v = NAN;
		return opt ? 0 : -1;
	}
	*v = strtod(s, &end);
	/* what bench writes: finite decimal numbers, never "inf", "nan" or hex */
	return *end || !isfinite(*v) || strpbrk(s, "xXpP") ? -1 : 0;
}

/* A number cell by column name; NaN when empty, absent or not a number. */
static double cell_num(const struct csv *t, size_t r, const char *col)
{
	double v;

	return cell_double(csv_cell(t, r, csv_column(t, col)), 1, &v) ? NAN : v;
}

static int cell_uint(const char *s, unsigned *v)
{
	char *end;
	unsigned long x;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	x = strtoul(s, &end, 10);
	if (*end || x > 0xffffffffUL)
		return -1;
	*v = (unsigned)x;
	return 0;
}

const char *report_data_cell(const struct report_data *d, const struct rd_run *run,
			     const char *col)
{
	const struct csv *t = &d->files[run->file];

	return csv_cell(t, run->row, csv_column(t, col));
}

int report_data_mode_rank(const struct report_data *d, const char *name)
{
	for (size_t i = 0; i < d->nmodes; i++)
		if (!strcmp(d->modes[i], name))
			return (int)i;
	return -1;
}

static void add_mode(struct report_data *d, const char *name)
{
	if (report_data_mode_rank(d, name) >= 0 || d->nmodes == sizeof(d->modes) / sizeof(d->modes[0]))
		return;
	d->modes[d->nmodes++] = name;
}

/* Registry order (seq first), then the unknown ones in the order found. */
static void order_modes(struct report_data *d)
{
	const char *found[64];
	size_t n = d->nmodes;

	memcpy(found, d->modes, n * sizeof(found[0]));
	d->nmodes = 0;
	for (size_t r = 0; r < registry_nmodes; r++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(found[i], registry_modes[r]->name))
				add_mode(d, found[i]);
	for (size_t i = 0; i < n; i++)
		add_mode(d, found[i]);
}

static size_t find_machine(struct report_data *d, size_t f, const struct csv *t, size_t r,
			   int *created)
{
	const char *id = csv_cell(t, r, csv_column(t, "machine_id"));
	const char *host = csv_cell(t, r, csv_column(t, "host"));

	*created = 0;
	for (size_t m = 0; m < d->nmachines; m++) {
		struct rd_machine *x = &d->machines[m];

		if (d->by_source && x->file != f)
			continue;
		if (*id ? !strcmp(x->machine_id, id) : (!*x->machine_id && !strcmp(x->host, host))) {
			/* files come in order: a new one is one more source of this machine */
			if (x->nfiles && x->last_file != f)
				x->nfiles++;
			x->last_file = f;
			return m;
		}
	}
	*created = 1;
	return d->nmachines;
}

static void fill_machine(struct rd_machine *m, const struct csv *t, size_t r)
{
	double v;

#define STR(f, c) m->f = csv_cell(t, r, csv_column(t, c))
#define UINT(f, c) do { if (cell_uint(csv_cell(t, r, csv_column(t, c)), &m->f)) m->f = 0; } while (0)
#define DBL(f, c) do { if (cell_double(csv_cell(t, r, csv_column(t, c)), 1, &v)) v = NAN; m->f = v; } while (0)
	memset(m, 0, sizeof(*m));
	STR(host, "host");
	STR(machine_id, "machine_id");
	STR(cpu_model, "cpu_model");
	STR(arch, "arch");
	STR(os, "os");
	STR(kernel, "kernel");
	STR(compiler, "compiler");
	STR(version, "bench_version");
	UINT(packages, "packages");
	UINT(cores, "cores");
	UINT(pus, "pus");
	UINT(usable_pus, "usable_pus");
	UINT(numa_nodes, "numa_nodes");
	DBL(mem_bytes, "mem_bytes");
	DBL(l1d, "l1d_bytes");
	DBL(l2, "l2_bytes");
	DBL(l3, "l3_bytes");
#undef STR
#undef UINT
#undef DBL
	if (!m->usable_pus)
		m->usable_pus = m->pus;
}

static size_t find_workload(struct report_data *d, const char *name, const char *params)
{
	for (size_t w = 0; w < d->nworkloads; w++)
		if (!strcmp(d->workloads[w].name, name) && !strcmp(d->workloads[w].params, params))
			return w;
	return d->nworkloads;
}

static void slugify(char *out, size_t len, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < len && n < 48; s++)
		out[n++] = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			   (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ? *s : '_';
	if (!n)
		out[n++] = '_';
	out[n] = '\0';
}

static void fill_workload(struct report_data *d, struct rd_workload *w, const char *name,
			  const char *params)
{
	const struct workload *reg = registry_workload(name);
	size_t same = 0;

	memset(w, 0, sizeof(*w));
	w->name = name;
	w->params = params;
	w->bound = reg ? (int)reg->bound : -1;
	if (*params)
		snprintf(w->label, sizeof(w->label), "%s (%s)", name, params);
	else
		snprintf(w->label, sizeof(w->label), "%s", name);
	for (size_t i = 0; i < d->nworkloads; i++)
		same += !strcmp(d->workloads[i].name, name);
	slugify(w->slug, sizeof(w->slug), name);
	if (same)
		snprintf(w->slug + strlen(w->slug), sizeof(w->slug) - strlen(w->slug), "-%zu", same + 1);
}

static size_t find_group(struct report_data *d, size_t m, size_t w, const char *mode,
			 unsigned workers, const char *pin)
{
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];

		if (x->machine == m && x->workload == w && x->workers == workers &&
		    !strcmp(x->mode, mode) && !strcmp(x->pin, pin))
			return g;
	}
	return d->ngroups;
}

/* Check one file's header: the needed columns, then each row's schema. */
static int check_file(struct report_data *d, size_t f, char *err, size_t len)
{
	const struct csv *t = &d->files[f];
	const char *path = d->paths[f];
	long first = -1;
	size_t first_line = 0;
	int sc;

	for (size_t i = 0; i < sizeof(needed_cols) / sizeof(needed_cols[0]); i++)
		if (csv_column(t, needed_cols[i]) < 0)
			return data_fail(err, len, path, 1, "no column '%s': not a bench runs CSV%s",
					 needed_cols[i],
					 csv_column(t, "task") >= 0 ? " (this is a tasks file; give the runs file)" : "");
	sc = csv_column(t, "schema");
	for (size_t r = 0; r < t->nrows; r++) {
		const char *s = csv_cell(t, r, sc);
		unsigned v;

		if (cell_uint(s, &v))
			return data_fail(err, len, path, t->lines[r], "schema '%s' is not a number", s);
		if (v < RECORD_SCHEMA_MIN || v > RECORD_SCHEMA)
			return data_fail(err, len, path, t->lines[r],
					 "schema %u is not one this bench reads (schema %d to %d)", v,
					 RECORD_SCHEMA_MIN, RECORD_SCHEMA);
		/* one header, one schema: a file's rows all have its columns */
		if (first < 0) {
			first = v;
			first_line = t->lines[r];
		} else if ((long)v != first) {
			return data_fail(err, len, path, t->lines[r],
					 "schema %u, but line %zu has schema %ld: mixed schema versions "
					 "under one header", v, first_line, first);
		}
	}
	return 0;
}

static int add_row(struct report_data *d, size_t f, size_t r, size_t *cap_m, size_t *cap_w,
		   size_t *cap_g, size_t *cap_r, char *err, size_t len)
{
	const struct csv *t = &d->files[f];
	const char *path = d->paths[f];
	size_t line = t->lines[r];
	const char *workload = csv_cell(t, r, csv_column(t, "workload"));
	const char *params = csv_cell(t, r, csv_column(t, "params"));
	const char *mode = csv_cell(t, r, csv_column(t, "mode"));
	const char *pin = csv_cell(t, r, csv_column(t, "pin"));
	const char *status = csv_cell(t, r, csv_column(t, "status"));
	unsigned workers, rep, warmup, tasks;
	double wall;
	size_t m, w, g;
	int created;
	struct rd_run *run;
	struct rd_group *grp;

	if (cell_uint(csv_cell(t, r, csv_column(t, "workers")), &workers))
		return data_fail(err, len, path, line, "workers '%s' is not a whole number",
				 csv_cell(t, r, csv_column(t, "workers")));
	if (cell_uint(csv_cell(t, r, csv_column(t, "rep")), &rep))
		return data_fail(err, len, path, line, "rep '%s' is not a whole number",
				 csv_cell(t, r, csv_column(t, "rep")));
	if (cell_uint(csv_cell(t, r, csv_column(t, "warmup")), &warmup))
		return data_fail(err, len, path, line, "warmup '%s' is not 0 or 1",
				 csv_cell(t, r, csv_column(t, "warmup")));
	if (cell_uint(csv_cell(t, r, csv_column(t, "tasks")), &tasks))
		return data_fail(err, len, path, line, "tasks '%s' is not a whole number",
				 csv_cell(t, r, csv_column(t, "tasks")));
	if (cell_double(csv_cell(t, r, csv_column(t, "wall_s")), 1, &wall) || wall < 0)
		return data_fail(err, len, path, line, "wall_s '%s' is not a number of seconds",
				 csv_cell(t, r, csv_column(t, "wall_s")));
	for (size_t i = 0; i < sizeof(nonneg_cols) / sizeof(nonneg_cols[0]); i++) {
		const char *c = csv_cell(t, r, csv_column(t, nonneg_cols[i]));
		double x;

		if (cell_double(c, 1, &x) || x < 0)
			return data_fail(err, len, path, line, "%s '%s' is not a number >= 0",
					 nonneg_cols[i], c);
	}
	if (!*workload || !*mode)
		return data_fail(err, len, path, line, "empty workload or mode");

	m = find_machine(d, f, t, r, &created);
	if (created) {
		if (grow((void **)&d->machines, cap_m, d->nmachines, sizeof(*d->machines)))
			return -ENOMEM;
		fill_machine(&d->machines[d->nmachines], t, r);
		d->machines[d->nmachines].file = d->machines[d->nmachines].last_file = f;
		d->machines[d->nmachines++].nfiles = 1;
	}
	w = find_workload(d, workload, params);
	if (w == d->nworkloads) {
		if (grow((void **)&d->workloads, cap_w, d->nworkloads, sizeof(*d->workloads)))
			return -ENOMEM;
		fill_workload(d, &d->workloads[d->nworkloads], workload, params);
		d->nworkloads++;
	}
	add_mode(d, mode);
	g = find_group(d, m, w, mode, workers, pin);
	if (g == d->ngroups) {
		if (grow((void **)&d->groups, cap_g, d->ngroups, sizeof(*d->groups)))
			return -ENOMEM;
		grp = &d->groups[d->ngroups++];
		memset(grp, 0, sizeof(*grp));
		grp->machine = m;
		grp->workload = w;
		grp->mode = mode;
		grp->pin = pin;
		grp->workers = workers;
		grp->tasks = tasks;
		grp->speedup = -1;
	}
	grp = &d->groups[g];
	if (grow((void **)&d->runs, cap_r, d->nruns, sizeof(*d->runs)))
		return -ENOMEM;
	run = &d->runs[d->nruns++];
	run->file = f;
	run->row = r;
	run->group = g;
	run->id = csv_cell(t, r, csv_column(t, "run"));
	run->session_len = strcspn(run->id, "-");
	run->rep = rep;
	run->warmup = warmup != 0;
	run->ok = !strcmp(status, "ok") && !isnan(wall);
	run->wall_s = wall;
	run->others_s = cell_num(t, r, "others_cpu_s");
	run->steal_s = cell_num(t, r, "steal_s");
	run->window_s = cell_num(t, r, "window_s");
	if (!(run->window_s > 0))
		run->window_s = wall;   /* schema 1, or a run of a build before windows */
	run->contended = !isnan(wall) &&
			 contention_is_contended(run->others_s, run->steal_s, run->window_s,
						 d->machines[m].usable_pus);
	if (run->warmup)
		return 0;
	d->machines[m].unwatched_runs += isnan(run->others_s);
	grp->contended_runs += run->contended;
	grp->others_s += isnan(run->others_s) ? 0 : run->others_s;
	grp->steal_s += isnan(run->steal_s) ? 0 : run->steal_s;
	grp->wall_sum += isnan(run->window_s) ? 0 : run->window_s;
	if (!strcmp(csv_cell(t, r, csv_column(t, "pinned")), "1"))
		grp->pinned = 1;
	if (!run->ok) {
		/* stopped by the user: neither measured nor failed */
		if (!strcmp(status, "interrupted"))
			grp->interrupted++;
		else
			grp->failed++;
		return 0;
	}
	if (grow((void **)&grp->walls, &grp->cap, grp->n, sizeof(double)))
		return -ENOMEM;
	grp->walls[grp->n++] = wall;
	grp->last_row = d->nruns - 1;
	d->machines[m].nruns++;
	return 0;
}

int report_data_is_baseline(const char *mode)
{
	const struct mode *m = registry_mode(mode);

	return m && m->baseline;   /* a mode this build does not know is no baseline */
}

static long baseline(const struct report_data *d, const struct rd_group *g)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->ngroups; i++) {
			const struct rd_group *b = &d->groups[i];

			if (report_data_is_baseline(b->mode) && b->machine == g->machine &&
			    b->workload == g->workload && b->n &&
			    (pass || !strcmp(b->pin, g->pin)))
				return (long)i;
		}
	return -1;
}

static double run_num(const struct report_data *d, const struct rd_run *run, const char *col)
{
	return cell_num(&d->files[run->file], run->row, col);
}

/* Median of a per-run column over group @g's measured ok runs (@v: scratch). */
static double group_median(const struct report_data *d, size_t g, const char *col, double *v)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *run = &d->runs[i];
		double x;

		if (run->group != g || run->warmup || !run->ok)
			continue;
		x = run_num(d, run, col);
		if (!isnan(x))
			v[n++] = x;
	}
	return n ? stats_median(v, n) : NAN;
}

/* CPU seconds per wall second of each run, then their median. */
static double group_cpu_per_wall(const struct report_data *d, size_t g, double *v)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *run = &d->runs[i];
		double u, s;

		if (run->group != g || run->warmup || !run->ok || !(run->wall_s > 0))
			continue;
		u = run_num(d, run, "user_s");
		s = run_num(d, run, "sys_s");
		if (!isnan(u) && !isnan(s))
			v[n++] = (u + s) / run->wall_s;
	}
	return n ? stats_median(v, n) : NAN;
}

static int same_session(const struct rd_run *a, const struct rd_run *b)
{
	return a->file == b->file && a->session_len == b->session_len &&
	       !strncmp(a->id, b->id, a->session_len);
}

/*
 * Paired speedups of group @g over its baseline @b: each measured ok run
 * of @g with the run of @b in the same session and repetition.
 */
static void pair_speedups(const struct report_data *d, size_t g, size_t b, double *base,
			  double *mode)
{
	struct rd_group *grp = &d->groups[g];
	size_t n = 0;

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *run = &d->runs[i];

		if (run->group != g || run->warmup || !run->ok)
			continue;
		for (size_t k = 0; k < d->nruns; k++) {
			const struct rd_run *seq = &d->runs[k];

			if (seq->group == b && !seq->warmup && seq->ok && seq->rep == run->rep &&
			    same_session(seq, run)) {
				base[n] = seq->wall_s;
				mode[n] = run->wall_s;
				n++;
				break;
			}
		}
	}
	stats_paired_ratio(base, mode, n, &grp->ratio);
	/* the same pairs, kept for the scaling fits (bench/analysis/scaling.h) */
	free(grp->ratios);
	grp->ratios = malloc((n ? n : 1) * sizeof(double));
	for (size_t k = 0, j = 0; grp->ratios && k < n; k++)
		if (base[k] > 0 && mode[k] > 0)
			grp->ratios[j++] = base[k] / mode[k];
}

size_t report_data_ratios(const struct rd_group *g, const double **out)
{
	*out = g->ratios && g->ratio.n ? g->ratios : NULL;
	return *out ? g->ratio.n : 0;
}

/* The sums of one group's task times; the sums tell how much the tasks compute. */
static void group_sums(const struct report_data *d, size_t g)
{
	struct rd_group *grp = &d->groups[g];

	for (size_t i = 0; i < d->nruns; i++) {
		const struct rd_run *run = &d->runs[i];
		double c, w;

		if (run->group != g || run->warmup || !run->ok)
			continue;
		c = run_num(d, run, "task_cpu_s");
		w = run_num(d, run, "task_wall_s");
		if (!isnan(c) && !isnan(w)) {
			grp->task_cpu_s += c;
			grp->task_wall_s += w;
		}
		if (run_num(d, run, "ideal_exact") == 0)
			grp->ideal_exact = 0;
	}
}

double report_data_cpu_ratio(const struct report_data *d, size_t m, size_t w, int *contended)
{
	double cpu = 0, wall = 0;
	int busy = 0;

	if (contended)
		*contended = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t g = 0; g < d->ngroups; g++) {
			const struct rd_group *x = &d->groups[g];
			int base = report_data_is_baseline(x->mode);
			const struct mode *md = registry_mode(x->mode);

			if (x->machine != m || x->workload != w || !x->n ||
			    (pass == 0 && !base) || (pass == 1 && md && md->teaching_only))
				continue;
			busy |= x->contended;
			cpu += x->task_cpu_s;
			wall += x->task_wall_s;
		}
		if (wall > 0)
			break;
	}
	if (busy) {
		if (contended)
			*contended = 1;
		return -1;
	}
	return wall > 0 ? cpu / wall : -1;
}

const char *report_data_class(const struct report_data *d, size_t m, size_t w, double *ratio)
{
	int busy;
	double r = report_data_cpu_ratio(d, m, w, &busy);

	if (ratio)
		*ratio = r;
	if (d->workloads[w].bound == BOUND_NONE)
		return "no work";
	if (busy)
		return "not classified (contended runs)";
	if (r < 0)
		return "unknown";
	return r >= 0.7 ? "CPU-bound" : r <= 0.3 ? "I/O-bound" : "mixed";
}

int report_data_waits(const struct report_data *d, const struct rd_group *g)
{
	double r = report_data_cpu_ratio(d, g->machine, g->workload, NULL);

	if (r >= 0)
		return r <= 0.3;
	return d->workloads[g->workload].bound == BOUND_IO;
}

/* Contended: one of its runs was, or all of them together were. */
static void group_contention(const struct report_data *d, struct rd_group *grp)
{
	size_t runs = grp->n + grp->failed;
	unsigned pus = d->machines[grp->machine].usable_pus;

	grp->contended = grp->contended_runs > 0;
	if (!grp->contended && runs && pus)
		grp->contended = grp->others_s + grp->steal_s >
				 CONTENTION_SHARE * pus * grp->wall_sum +
				 CONTENTION_TICKS * 0.01 * pus * sqrt((double)runs);
}

static int compute(struct report_data *d)
{
	double *scratch = malloc((d->nruns ? d->nruns : 1) * 2 * sizeof(double));

	if (!scratch)
		return -ENOMEM;
	for (size_t g = 0; g < d->ngroups; g++) {
		struct rd_group *grp = &d->groups[g];

		if (grp->n)   /* a group of failed or stopped runs has no walls */
			memcpy(scratch, grp->walls, grp->n * sizeof(double));
		stats_summarize(scratch, grp->n, &grp->wall);
		grp->precision = fmax(grp->wall.median - grp->wall.ci_lo,
				      grp->wall.ci_hi - grp->wall.median) / grp->wall.median;
		grp->ideal_s = group_median(d, g, "ideal_s", scratch);
		grp->spawn_s = group_median(d, g, "spawn_s", scratch);
		grp->user_s = group_median(d, g, "user_s", scratch);
		grp->sys_s = group_median(d, g, "sys_s", scratch);
		grp->minflt = group_median(d, g, "minflt", scratch);
		grp->mem_kb = group_median(d, g, "mem_kb", scratch);
		grp->max_rss_kb = group_median(d, g, "max_rss_kb", scratch);
		grp->cpu_per_wall = group_cpu_per_wall(d, g, scratch);
		grp->ideal_exact = 1;
		group_sums(d, g);
		group_contention(d, grp);
		if (strcmp(grp->pin, d->groups[0].pin))
			d->several_pins = 1;
	}
	for (size_t m = 0; m < d->nmachines; m++) {
		double taken = 0, wall = 0;

		for (size_t g = 0; g < d->ngroups; g++)
			if (d->groups[g].machine == m) {
				d->machines[m].contended_groups += d->groups[g].contended;
				taken += d->groups[g].others_s + d->groups[g].steal_s;
				wall += d->groups[g].wall_sum;
			}
		d->machines[m].pus_taken = wall > 0 ? taken / wall : 0;
	}
	for (size_t g = 0; g < d->ngroups; g++) {
		struct rd_group *grp = &d->groups[g];
		unsigned pus = d->machines[grp->machine].usable_pus, par;

		grp->baseline = baseline(d, grp);
		grp->speedup = -1;
		grp->speedup_lo = grp->speedup_hi = NAN;
		if (grp->baseline < 0 || !grp->n)
			continue;
		pair_speedups(d, g, (size_t)grp->baseline, scratch, scratch + d->nruns);
		if (!grp->ratio.n)
			continue;
		grp->speedup = grp->ratio.median;
		grp->speedup_lo = grp->ratio.ci_lo;
		grp->speedup_hi = grp->ratio.ci_hi;
		par = report_data_waits(d, grp) || !pus || grp->workers < pus ? grp->workers : pus;
		grp->efficiency = grp->speedup / (par ? par : 1);
	}
	free(scratch);
	return 0;
}

static int same_machine(const struct rd_machine *a, const struct rd_machine *b)
{
	return *a->machine_id ? !strcmp(a->machine_id, b->machine_id) :
	       !*b->machine_id && !strcmp(a->host, b->host);
}

const char *report_data_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Tell apart hosts with the same name (a re-imaged machine, two
 * "localhost"s), and one machine's sources (its files, by_source).
 */
static void name_machines(struct report_data *d)
{
	for (size_t m = 0; m < d->nmachines; m++) {
		struct rd_machine *x = &d->machines[m];
		int dup = 0, sources = 0;
		size_t n;

		for (size_t k = 0; k < d->nmachines; k++) {
			dup |= k != m && !strcmp(d->machines[k].host, x->host) &&
			       !same_machine(&d->machines[k], x);
			sources |= k != m && same_machine(&d->machines[k], x);
		}
		if (dup && *x->machine_id)
			n = (size_t)snprintf(x->name, sizeof(x->name), "%s (%.6s)", x->host, x->machine_id);
		else
			n = (size_t)snprintf(x->name, sizeof(x->name), "%s",
					     *x->host ? x->host : "unknown host");
		if (sources && n < sizeof(x->name))
			snprintf(x->name + n, sizeof(x->name) - n, " · %s",
				 report_data_basename(d->paths[x->file]));
	}
}

static int load_rows(struct report_data *d, char *err, size_t len)
{
	size_t cap_m = 0, cap_w = 0, cap_g = 0, cap_r = 0;
	int rc;

	for (size_t f = 0; f < d->nfiles; f++) {
		rc = check_file(d, f, err, len);
		if (rc)
			return rc;
	}
	for (size_t f = 0; f < d->nfiles; f++)
		for (size_t r = 0; r < d->files[f].nrows; r++) {
			rc = add_row(d, f, r, &cap_m, &cap_w, &cap_g, &cap_r, err, len);
			if (rc) {
				if (rc == -ENOMEM)
					snprintf(err, len, "cannot read %s: %s", d->paths[f], strerror(ENOMEM));
				return rc;
			}
		}
	order_modes(d);
	name_machines(d);
	rc = compute(d);
	if (rc)
		snprintf(err, len, "cannot summarize: %s", strerror(-rc));
	return rc;
}

int report_data_load(struct report_data *d, const char *const *paths, size_t n,
		     char *err, size_t len)
{
	return report_data_load_sources(d, paths, n, 0, err, len);
}

int report_data_load_sources(struct report_data *d, const char *const *paths, size_t n,
			     int by_source, char *err, size_t len)
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->by_source = by_source;
	d->paths = paths;
	d->files = calloc(n ? n : 1, sizeof(*d->files));
	if (!d->files)
		return -ENOMEM;
	for (size_t f = 0; f < n; f++) {
		struct csv_error e;
		struct stat a, b;

		for (size_t k = 0; k < f; k++)
			if (!stat(paths[f], &a) && !stat(paths[k], &b) && a.st_dev == b.st_dev &&
			    a.st_ino == b.st_ino) {
				snprintf(err, len, "%s: the same file as %s: each run would count twice",
					 paths[f], paths[k]);
				return -EINVAL;
			}
		rc = csv_read_file(paths[f], &d->files[f], &e);
		d->nfiles = f + 1;
		if (rc) {
			if (e.line)
				snprintf(err, len, "%s:%zu: %s", paths[f], e.line, e.msg);
			else
				snprintf(err, len, "%s: %s", paths[f], e.msg);
			return rc;
		}
	}
	return load_rows(d, err, len);
}

int report_data_load_tables(struct report_data *d, struct csv *tables, const char *const *names,
			    size_t n, char *err, size_t len)
{
	memset(d, 0, sizeof(*d));
	d->paths = names;
	d->files = calloc(n ? n : 1, sizeof(*d->files));
	if (!d->files) {
		for (size_t f = 0; f < n; f++)
			csv_free(&tables[f]);
		return -ENOMEM;
	}
	memcpy(d->files, tables, n * sizeof(*tables));
	d->nfiles = n;
	return load_rows(d, err, len);
}

size_t report_data_last_machine(const struct report_data *d)
{
	return d->nruns ? d->groups[d->runs[d->nruns - 1].group].machine : 0;
}

void report_data_free(struct report_data *d)
{
	for (size_t g = 0; g < d->ngroups; g++) {
		free(d->groups[g].walls);
		free(d->groups[g].ratios);
	}
	for (size_t f = 0; f < d->nfiles; f++)
		csv_free(&d->files[f]);
	free(d->files);
	free(d->runs);
	free(d->machines);
	free(d->workloads);
	free(d->groups);
	memset(d, 0, sizeof(*d));
}

void report_fmt_bytes(char *buf, size_t len, double b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	if (isnan(b) || b <= 0) {
		snprintf(buf, len, "–");
		return;
	}
	while (b >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		b /= 1024;
		u++;
	}
	snprintf(buf, len, b >= 10 || b == floor(b) ? "%.0f %s" : "%.1f %s", b, unit[u]);
}
