#include "bench/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/mode.h"
#include "bench/pin.h"
#include "bench/plan.h"
#include "bench/run.h"
#include "bench/workload.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_double_desc(const void *a, const void *b)
{
	return cmp_double(b, a);
}

double stats_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double stats_t95(size_t df)
{
	static const double t[] = {
		0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
	};

	if (df == 0)
		return NAN;
	if (df < sizeof(t) / sizeof(t[0]))
		return t[df];
	if (df < 60)
		return 2.000 + (2.042 - 2.000) * (60.0 - (double)df) / 30.0;
	if (df < 120)
		return 1.980 + (2.000 - 1.980) * (120.0 - (double)df) / 60.0;
	return 1.960;
}

void stats_summarize(double *v, size_t n, struct summary_stats *out)
{
	double sum = 0, ss = 0;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (!n) {
		out->median = out->min = out->max = out->mean = out->ci_lo = out->ci_hi = NAN;
		return;
	}
	out->median = stats_median(v, n);
	out->min = v[0];
	out->max = v[n - 1];
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - out->mean) * (v[i] - out->mean);
	out->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	if (n > 1) {
		double h = stats_t95(n - 1) * out->sd / sqrt((double)n);

		out->ci_lo = out->mean - h;
		out->ci_hi = out->mean + h;
	} else {
		out->ci_lo = out->ci_hi = out->mean;
	}
}

void stats_speedup_interval(const struct summary_stats *base, const struct summary_stats *mode,
			    double speedup, double *lo, double *hi)
{
	double vb, vm, v, df, h;

	*lo = *hi = speedup;
	if (base->n < 2 || mode->n < 2 || !(base->mean > 0) || !(mode->mean > 0))
		return;
	vb = base->sd * base->sd / ((double)base->n * base->mean * base->mean);
	vm = mode->sd * mode->sd / ((double)mode->n * mode->mean * mode->mean);
	v = vb + vm;
	if (!(v > 0))
		return;
	df = v * v / (vb * vb / (double)(base->n - 1) + vm * vm / (double)(mode->n - 1));
	h = stats_t95(df < 1 ? 1 : (size_t)df) * sqrt(v);
	*lo = speedup * exp(-h);
	*hi = speedup * exp(h);
}

double stats_ideal_makespan(const double *durations, size_t n, unsigned machines)
{
	double *d, *load, makespan = 0;

	if (!n)
		return 0;
	if (machines < 1)
		machines = 1;
	if (machines > n)
		machines = (unsigned)n;
	d = malloc(n * sizeof(*d));
	load = calloc(machines, sizeof(*load));
	if (!d || !load) {
		free(d);
		free(load);
		return NAN;
	}
	memcpy(d, durations, n * sizeof(*d));
	qsort(d, n, sizeof(*d), cmp_double_desc);
	for (size_t i = 0; i < n; i++) {
		unsigned best = 0;

		for (unsigned m = 1; m < machines; m++)
			if (load[m] < load[best])
				best = m;
		load[best] += d[i] > 0 ? d[i] : 0;
	}
	for (unsigned m = 0; m < machines; m++)
		if (load[m] > makespan)
			makespan = load[m];
	free(d);
	free(load);
	return makespan;
}

/* ------------------------------------------------------------------ summary */

static struct summary_row *find_row(struct summary *s, const struct run_spec *spec,
				    const struct run_result *r)
{
	const char *pin = pin_policy_name(spec->pin);

	for (size_t i = 0; i < s->nrows; i++) {
		struct summary_row *row = &s->rows[i];

		if (!strcmp(row->workload, spec->workload->name) &&
		    !strcmp(row->mode, spec->mode->name) &&
		    row->workers == r->workers && !strcmp(row->pin, pin))
			return row;
	}
	if (s->nrows == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct summary_row *rows = realloc(s->rows, cap * sizeof(*rows));

		if (!rows)
			return NULL;
		s->rows = rows;
		s->cap = cap;
	}
	struct summary_row *row = &s->rows[s->nrows++];
	memset(row, 0, sizeof(*row));
	row->workload = spec->workload->name;
	row->mode = spec->mode->name;
	row->workers = r->workers;
	row->pin = pin;
	row->tasks = r->ntasks;
	row->speedup = -1;
	row->io_bound = spec->workload->bound == BOUND_IO;
	return row;
}

int summary_add(struct summary *s, const struct run_spec *spec, const struct run_result *r)
{
	struct summary_row *row;

	if (spec->warmup)
		return 0;
	row = find_row(s, spec, r);
	if (!row)
		return -ENOMEM;
	if (r->status == RUN_ERROR || r->status == RUN_INTERRUPTED) {
		row->failed_runs++;
		return 0;
	}
	if (r->status == RUN_FAILED)
		row->failed_runs++;
	if (row->nv == row->capv) {
		size_t cap = row->capv ? 2 * row->capv : 8;
		double **arrays[] = { &row->v_wall, &row->v_ideal, &row->v_cpu, &row->v_spawn };

		for (size_t i = 0; i < 4; i++) {
			double *p = realloc(*arrays[i], cap * sizeof(double));

			if (!p)
				return -ENOMEM;
			*arrays[i] = p;
		}
		row->capv = cap;
	}
	row->v_wall[row->nv] = r->wall_s;
	row->v_ideal[row->nv] = r->ideal_s;
	row->v_cpu[row->nv] = r->wall_s > 0 ? (r->user_s + r->sys_s) / r->wall_s : 0;
	row->v_spawn[row->nv] = r->spawn_s;
	row->nv++;
	row->pinned |= r->pinned;
	row->pin_wrapped |= r->pin_wrapped;
	if (r->max_rss_kb > row->max_rss_kb)
		row->max_rss_kb = r->max_rss_kb;
	return 0;
}

static const struct summary_row *baseline(const struct summary *s, const struct summary_row *row)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *b = &s->rows[i];

		if (!strcmp(b->mode, "seq") && !strcmp(b->workload, row->workload) &&
		    !strcmp(b->pin, row->pin) && b->wall.n)
			return b;
	}
	/* pinned runs compare with an unpinned seq when there is no pinned one */
	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *b = &s->rows[i];

		if (!strcmp(b->mode, "seq") && !strcmp(b->workload, row->workload) && b->wall.n)
			return b;
	}
	return NULL;
}

void summary_compute(struct summary *s, unsigned pus)
{
	for (size_t i = 0; i < s->nrows; i++) {
		struct summary_row *row = &s->rows[i];

		stats_summarize(row->v_wall, row->nv, &row->wall);
		row->ideal_s = stats_median(row->v_ideal, row->nv);
		row->cpu_per_wall = stats_median(row->v_cpu, row->nv);
		row->spawn_s = stats_median(row->v_spawn, row->nv);
	}
	for (size_t i = 0; i < s->nrows; i++) {
		struct summary_row *row = &s->rows[i];
		const struct summary_row *b = baseline(s, row);
		unsigned par = row->workers < pus || row->io_bound ? row->workers : pus;

		if (!b || !row->wall.n || !(row->wall.median > 0))
			continue;
		row->speedup = b->wall.median / row->wall.median;
		stats_speedup_interval(&b->wall, &row->wall, row->speedup,
				       &row->speedup_lo, &row->speedup_hi);
		row->efficiency = row->speedup / (par ? par : 1);
	}
}

void stats_fmt_seconds(char *buf, size_t len, double s)
{
	if (isnan(s) || s < 0)
		snprintf(buf, len, "-");
	else if (s >= 100)
		snprintf(buf, len, "%.0f s", s);
	else if (s >= 1)
		snprintf(buf, len, "%.3g s", s);
	else if (s >= 1e-3)
		snprintf(buf, len, "%.3g ms", s * 1e3);
	else
		snprintf(buf, len, "%.3g us", s * 1e6);
}

void summary_print_table(const struct summary *s, FILE *out)
{
	const char *last = NULL;
	int any_unpinned = 0;

	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];
		char med[24], mn[24], mx[24], ideal[24], sp[24], eff[16], pin[16], cpu[16];

		if (!last || strcmp(last, r->workload)) {
			fprintf(out, "\n%s (%zu tasks)\n", r->workload, r->tasks);
			fprintf(out, "  %-10s %7s %-8s %10s %10s %10s %10s %8s %6s %6s %s\n",
				"mode", "workers", "pin", "median", "min", "max", "ideal",
				"speedup", "eff", "cpu/w", "");
			last = r->workload;
		}
		stats_fmt_seconds(med, sizeof(med), r->wall.median);
		stats_fmt_seconds(mn, sizeof(mn), r->wall.min);
		stats_fmt_seconds(mx, sizeof(mx), r->wall.max);
		stats_fmt_seconds(ideal, sizeof(ideal), r->ideal_s);
		if (r->speedup >= 0) {
			snprintf(sp, sizeof(sp), "%.2fx", r->speedup);
			snprintf(eff, sizeof(eff), "%.2f", r->efficiency);
		} else {
			snprintf(sp, sizeof(sp), "-");
			snprintf(eff, sizeof(eff), "-");
		}
		/* pin=compact* : asked for, but binding did not take effect */
		snprintf(pin, sizeof(pin), "%s%s", r->pin,
			 strcmp(r->pin, "none") && !r->pinned ? "*" : "");
		/* no run finished: no CPU figure either */
		if (isnan(r->cpu_per_wall))
			snprintf(cpu, sizeof(cpu), "-");
		else
			snprintf(cpu, sizeof(cpu), "%.2f", r->cpu_per_wall);
		fprintf(out, "  %-10s %7u %-8s %10s %10s %10s %10s %8s %6s %6s %s%s\n",
			r->mode, r->workers, pin, med, mn, mx, ideal, sp, eff, cpu,
			r->failed_runs ? "(failed runs) " : "",
			r->pin_wrapped ? "(more workers than PUs: pins wrap)" : "");
		any_unpinned |= strcmp(r->pin, "none") && !r->pinned;
	}
	if (any_unpinned)
		fprintf(out, "\n* binding was refused here: these runs were not pinned (pinned=0 in the CSV)");
	if (s->nrows)
		fprintf(out, "\nspeedup = median seq wall / median wall; eff = speedup / min(workers, PUs);"
			" cpu/w = CPU seconds per wall second\n");
}

static void json_num(FILE *out, const char *key, double v, int comma)
{
	if (isnan(v) || isinf(v))
		fprintf(out, "\"%s\": null%s", key, comma ? ", " : "");
	else
		fprintf(out, "\"%s\": %.9g%s", key, v, comma ? ", " : "");
}

void summary_print_json(const struct summary *s, FILE *out)
{
	fprintf(out, "{\"summary\": [");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];

		fprintf(out, "%s\n  {\"workload\": \"%s\", \"mode\": \"%s\", \"workers\": %u, "
			"\"pin\": \"%s\", \"pinned\": %d, \"tasks\": %zu, \"reps\": %zu, ",
			i ? "," : "", r->workload, r->mode, r->workers, r->pin, r->pinned,
			r->tasks, r->wall.n);
		json_num(out, "wall_median_s", r->wall.median, 1);
		json_num(out, "wall_min_s", r->wall.min, 1);
		json_num(out, "wall_max_s", r->wall.max, 1);
		json_num(out, "wall_ci95_lo_s", r->wall.ci_lo, 1);
		json_num(out, "wall_ci95_hi_s", r->wall.ci_hi, 1);
		json_num(out, "ideal_s", r->ideal_s, 1);
		json_num(out, "spawn_s", r->spawn_s, 1);
		json_num(out, "speedup", r->speedup >= 0 ? r->speedup : NAN, 1);
		json_num(out, "efficiency", r->speedup >= 0 ? r->efficiency : NAN, 1);
		json_num(out, "cpu_per_wall", r->cpu_per_wall, 1);
		fprintf(out, "\"max_rss_kb\": %ld, \"failed_runs\": %zu}", r->max_rss_kb, r->failed_runs);
	}
	fprintf(out, "\n]");
	if (s->json_extra)
		s->json_extra(out, s->json_extra_arg);
	fprintf(out, "}\n");
}

void summary_free(struct summary *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		free(s->rows[i].v_wall);
		free(s->rows[i].v_ideal);
		free(s->rows[i].v_cpu);
		free(s->rows[i].v_spawn);
	}
	free(s->rows);
	memset(s, 0, sizeof(*s));
}
