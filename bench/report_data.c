#include "bench/report_data.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/record.h"
#include "bench/registry.h"
#include "bench/workload.h"
#include "bench/mode.h"

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
	return *end || isnan(*v) ? -1 : 0;
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

static size_t find_machine(struct report_data *d, const struct csv *t, size_t r, int *created)
{
	const char *id = csv_cell(t, r, csv_column(t, "machine_id"));
	const char *host = csv_cell(t, r, csv_column(t, "host"));

	*created = 0;
	for (size_t m = 0; m < d->nmachines; m++) {
		const struct rd_machine *x = &d->machines[m];

		if (*id ? !strcmp(x->machine_id, id) : (!*x->machine_id && !strcmp(x->host, host)))
			return m;
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
static int check_file(struct report_data *d, size_t f, long *schema, size_t *schema_file,
		      size_t *schema_line, char *err, size_t len)
{
	const struct csv *t = &d->files[f];
	const char *path = d->paths[f];
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
		if (*schema < 0) {
			*schema = v;
			*schema_file = f;
			*schema_line = t->lines[r];
		} else if ((long)v != *schema) {
			return data_fail(err, len, path, t->lines[r],
					 "schema %u, but %s:%zu has schema %ld: mixed schema versions "
					 "(report each version separately)", v, d->paths[*schema_file],
					 *schema_line, *schema);
		}
		if (v != RECORD_SCHEMA)
			return data_fail(err, len, path, t->lines[r],
					 "schema %u is not one this bench reads (schema %d)", v, RECORD_SCHEMA);
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
	if (!*workload || !*mode)
		return data_fail(err, len, path, line, "empty workload or mode");

	m = find_machine(d, t, r, &created);
	if (created) {
		if (grow((void **)&d->machines, cap_m, d->nmachines, sizeof(*d->machines)))
			return -ENOMEM;
		fill_machine(&d->machines[d->nmachines++], t, r);
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
	run->rep = rep;
	run->warmup = warmup != 0;
	run->ok = !strcmp(status, "ok") && !isnan(wall);
	run->wall_s = wall;
	if (run->warmup)
		return 0;
	if (!run->ok) {
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

static const struct rd_group *baseline(const struct report_data *d, const struct rd_group *g)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->ngroups; i++) {
			const struct rd_group *b = &d->groups[i];

			if (!strcmp(b->mode, "seq") && b->machine == g->machine &&
			    b->workload == g->workload && b->wall.n &&
			    (pass || !strcmp(b->pin, g->pin)))
				return b;
		}
	return NULL;
}

/* Median of a per-run column over the group's measured ok runs. */
static double group_median(const struct report_data *d, size_t g, const char *col)
{
	double v[256];
	size_t n = 0;

	for (size_t i = 0; i < d->nruns && n < 256; i++) {
		const struct rd_run *run = &d->runs[i];
		double x;

		if (run->group != g || run->warmup || !run->ok)
			continue;
		if (!cell_double(report_data_cell(d, run, col), 0, &x))
			v[n++] = x;
	}
	return n ? stats_median(v, n) : NAN;
}

static void compute(struct report_data *d)
{
	for (size_t g = 0; g < d->ngroups; g++) {
		struct rd_group *grp = &d->groups[g];
		double *tmp = malloc((grp->n ? grp->n : 1) * sizeof(double));

		if (tmp) {
			memcpy(tmp, grp->walls, grp->n * sizeof(double));
			stats_summarize(tmp, grp->n, &grp->wall);
			free(tmp);
		}
		grp->ideal_s = group_median(d, g, "ideal_s");
		grp->spawn_s = group_median(d, g, "spawn_s");
		if (strcmp(grp->pin, d->groups[0].pin))
			d->several_pins = 1;
	}
	for (size_t g = 0; g < d->ngroups; g++) {
		struct rd_group *grp = &d->groups[g];
		const struct rd_group *b = baseline(d, grp);

		if (!b || !grp->wall.n || !(grp->wall.median > 0))
			continue;
		grp->speedup = b->wall.median / grp->wall.median;
		stats_speedup_interval(&b->wall, &grp->wall, grp->speedup,
				       &grp->speedup_lo, &grp->speedup_hi);
	}
}

/* Tell apart hosts with the same name (a re-imaged machine, two "localhost"s). */
static void name_machines(struct report_data *d)
{
	for (size_t m = 0; m < d->nmachines; m++) {
		struct rd_machine *x = &d->machines[m];
		int dup = 0;

		for (size_t k = 0; k < d->nmachines; k++)
			dup |= k != m && !strcmp(d->machines[k].host, x->host);
		if (dup && *x->machine_id)
			snprintf(x->name, sizeof(x->name), "%s (%.6s)", x->host, x->machine_id);
		else
			snprintf(x->name, sizeof(x->name), "%s", *x->host ? x->host : "unknown host");
	}
}

int report_data_load(struct report_data *d, const char *const *paths, size_t n,
		     char *err, size_t len)
{
	size_t cap_m = 0, cap_w = 0, cap_g = 0, cap_r = 0, schema_file = 0, schema_line = 0;
	long schema = -1;
	int rc;

	memset(d, 0, sizeof(*d));
	d->paths = paths;
	d->files = calloc(n ? n : 1, sizeof(*d->files));
	if (!d->files)
		return -ENOMEM;
	for (size_t f = 0; f < n; f++) {
		struct csv_error e;

		rc = csv_read_file(paths[f], &d->files[f], &e);
		d->nfiles = f + 1;
		if (rc) {
			if (e.line)
				snprintf(err, len, "%s:%zu: %s", paths[f], e.line, e.msg);
			else
				snprintf(err, len, "%s: %s", paths[f], e.msg);
			return rc;
		}
		rc = check_file(d, f, &schema, &schema_file, &schema_line, err, len);
		if (rc)
			return rc;
	}
	for (size_t f = 0; f < n; f++)
		for (size_t r = 0; r < d->files[f].nrows; r++) {
			rc = add_row(d, f, r, &cap_m, &cap_w, &cap_g, &cap_r, err, len);
			if (rc) {
				if (rc == -ENOMEM)
					snprintf(err, len, "cannot read %s: %s", paths[f], strerror(ENOMEM));
				return rc;
			}
		}
	order_modes(d);
	name_machines(d);
	compute(d);
	return 0;
}

size_t report_data_last_machine(const struct report_data *d)
{
	return d->nruns ? d->groups[d->runs[d->nruns - 1].group].machine : 0;
}

void report_data_free(struct report_data *d)
{
	for (size_t g = 0; g < d->ngroups; g++)
		free(d->groups[g].walls);
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
