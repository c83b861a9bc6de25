#include "bench/analysis/summary.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/data/csv.h"
#include "bench/sys/machine.h"
#include "bench/sys/pin.h"
#include "bench/data/record.h"
#include "bench/analysis/scaling.h"
#include "bench/report/trace.h"
#include "bench/sys/message.h"

static int append(struct summary *s, const char *text, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1 << 14;
		char *p;

		while (cap < s->len + n + 1)
			cap *= 2;
		p = realloc(s->csv, cap);
		if (!p)
			return -ENOMEM;
		s->csv = p;
		s->cap = cap;
	}
	memcpy(s->csv + s->len, text, n);
	s->len += n;
	s->csv[s->len] = '\0';
	return 0;
}

int summary_add(struct summary *s, const struct run_spec *spec, const struct run_result *r,
		const char *params)
{
	static struct machine here;
	static int probed;
	char row[RECORD_ROW_MAX];
	long n;
	int rc;

	if (!s->machine) {
		if (!probed) {
			machine_probe(&here);
			probed = 1;
		}
		s->machine = &here;
	}
	if (!s->len && (rc = append(s, record_runs_header, strlen(record_runs_header))))
		return s->error = rc;
	n = record_format_run(s->machine, spec, r, params ? params : "", row, sizeof(row));
	if (n < 0)
		return s->error = (int)n;
	rc = append(s, row, (size_t)n);
	return rc ? s->error = rc : 0;
}

/* Table order: workload, then mode (registry order), workers, pin. */
static const struct report_data *sort_data;

static int cmp_rows(const void *a, const void *b)
{
	const struct rd_group *x = ((const struct summary_row *)a)->group;
	const struct rd_group *y = ((const struct summary_row *)b)->group;
	int mx = report_data_mode_rank(sort_data, x->mode), my = report_data_mode_rank(sort_data, y->mode);

	if (x->workload != y->workload)
		return x->workload < y->workload ? -1 : 1;
	if (mx != my)
		return mx < my ? -1 : 1;
	if (x->workers != y->workers)
		return x->workers < y->workers ? -1 : 1;
	return strcmp(x->pin, y->pin);
}

int summary_compute(struct summary *s)
{
	static const char *const names[] = { "(this run)" };
	struct csv t;
	struct csv_error e;
	char err[512];
	char *copy;
	size_t m;
	int rc;

	if (s->computed || !s->len)
		return 0;
	copy = malloc(s->len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, s->csv, s->len + 1);
	rc = csv_parse(copy, s->len, &t, &e);   /* takes @copy over */
	if (!rc)
		rc = report_data_load_tables(&s->data, &t, names, 1, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "line %zu: %s", e.line, e.msg);
	if (rc) {
		error("internal error: cannot summarize the runs: %s", err);
		return rc;
	}
	s->computed = 1;
	s->rows = calloc(s->data.ngroups ? s->data.ngroups : 1, sizeof(*s->rows));
	if (!s->rows)
		return -ENOMEM;
	for (size_t g = 0; g < s->data.ngroups; g++) {
		const struct rd_group *grp = &s->data.groups[g];

		s->rows[g] = (struct summary_row){
			.workload = s->data.workloads[grp->workload].name,
			.mode = grp->mode, .workers = grp->workers, .wall = grp->wall, .group = grp,
		};
	}
	s->nrows = s->data.ngroups;
	sort_data = &s->data;
	qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_rows);
	m = report_data_last_machine(&s->data);
	s->pus = s->data.nmachines ? s->data.machines[m].usable_pus : 0;
	return 0;
}

const struct summary_row *summary_find(const struct summary *s, const char *workload,
				       const char *mode)
{
	for (size_t i = 0; i < s->nrows; i++)
		if (!strcmp(s->rows[i].workload, workload) && !strcmp(s->rows[i].mode, mode))
			return &s->rows[i];
	return NULL;
}

int summary_contention(const struct summary *s, double *pus_taken)
{
	double taken = 0, wall = 0;
	int any = 0;

	for (size_t i = 0; i < s->nrows; i++) {
		const struct rd_group *g = s->rows[i].group;

		any |= g->contended;
		taken += g->others_s + g->steal_s;
		wall += g->wall_sum;
	}
	if (pus_taken)
		*pus_taken = wall > 0 ? taken / wall : 0;
	return any;
}

/* "50.6-51 ms", or "980 us-1.02 ms" when the units differ. */
static void fmt_span(char *buf, size_t len, const char *prefix, double lo, double hi)
{
	char a[24], b[24];
	const char *ua, *ub;

	stats_fmt_seconds(a, sizeof(a), lo);
	stats_fmt_seconds(b, sizeof(b), hi);
	ua = strrchr(a, ' ');
	ub = strrchr(b, ' ');
	if (ua && ub && !strcmp(ua, ub)) {
		*(char *)ua = '\0';
		snprintf(buf, len, "%s%s-%s", prefix, a, b);
	} else {
		snprintf(buf, len, "%s%s-%s", prefix, a, b);
	}
}

/* A ratio: 2 significant digits below 0.1 (noop's 0.0031), else 2 decimals. */
static void fmt_ratio(char *buf, size_t len, double x)
{
	if (x >= 0.1)
		snprintf(buf, len, "%.2f", x);
	else if (x >= 0.001)
		snprintf(buf, len, "%.2g", x);
	else
		snprintf(buf, len, "%.6f", x);   /* no exponent: "1e-05-2e-05x" reads as a sum */
}

void summary_fmt_interval(char *buf, size_t len, const struct summary_stats *st, int ratio)
{
	if (!st->n) {
		snprintf(buf, len, "-");
		return;
	}
	if (ratio) {
		double lo = isnan(st->ci_lo) ? st->min : st->ci_lo, hi = isnan(st->ci_lo) ? st->max : st->ci_hi;
		char a[24], b[24];

		if (st->n < 2 && isnan(st->ci_lo)) {
			snprintf(buf, len, "1 rep");
			return;
		}
		fmt_ratio(a, sizeof(a), lo);
		fmt_ratio(b, sizeof(b), hi);
		snprintf(buf, len, "%s%s-%sx", isnan(st->ci_lo) ? "range " : "", a, b);
		return;
	}
	if (!isnan(st->ci_lo)) {
		fmt_span(buf, len, "", st->ci_lo, st->ci_hi);
	} else if (st->n > 1) {
		fmt_span(buf, len, "range ", st->min, st->max);
	} else {
		snprintf(buf, len, "1 rep");
	}
}

static void fmt_kb(char *buf, size_t len, double kb)
{
	if (isnan(kb) || kb <= 0)
		snprintf(buf, len, "-");
	else if (kb >= 10 * 1024 * 1024)
		snprintf(buf, len, "%.0f GiB", kb / 1024 / 1024);
	else if (kb >= 10 * 1024)
		snprintf(buf, len, "%.0f MiB", kb / 1024);
	else if (kb >= 1024)
		snprintf(buf, len, "%.1f MiB", kb / 1024);
	else
		snprintf(buf, len, "%.0f KiB", kb);
}

static void print_header(FILE *out, const struct summary_row *r, const struct rd_group *g)
{
	fprintf(out, "\n%s (%zu tasks)\n", r->workload, g->tasks);
	fprintf(out, "  %-10s %7s %-6s %8s %-18s %5s %8s %7s %-11s %4s %5s %8s\n",
		"mode", "workers", "pin", "median", "95% interval", "+-", "ideal", "speedup",
		"95% interval", "eff", "cpu/w", "memory");
}

static void print_row(FILE *out, const struct summary_row *r, unsigned pus)
{
	const struct rd_group *g = r->group;
	char med[24], iv[48], prec[16], ideal[24], sp[16], spi[40], eff[16], cpu[16], mem[16];
	char pin[16], notes[160] = "";
	size_t nl = 0;

	stats_fmt_seconds(med, sizeof(med), g->wall.median);
	summary_fmt_interval(iv, sizeof(iv), &g->wall, 0);
	if (isnan(g->precision))
		snprintf(prec, sizeof(prec), "-");
	else
		snprintf(prec, sizeof(prec), "%.1f%%", 100 * g->precision);
	stats_fmt_seconds(ideal, sizeof(ideal), g->ideal_s);
	if (!g->ideal_exact && !isnan(g->ideal_s))
		snprintf(ideal + strlen(ideal), sizeof(ideal) - strlen(ideal), ">");
	if (g->speedup >= 0) {
		fmt_ratio(sp, sizeof(sp) - 1, g->speedup);
		strcat(sp, "x");
		summary_fmt_interval(spi, sizeof(spi), &g->ratio, 1);
		snprintf(eff, sizeof(eff), "%.2f", g->efficiency);
	} else {
		snprintf(sp, sizeof(sp), "-");
		snprintf(spi, sizeof(spi), "-");
		snprintf(eff, sizeof(eff), "-");
	}
	if (isnan(g->cpu_per_wall))
		snprintf(cpu, sizeof(cpu), "-");
	else
		snprintf(cpu, sizeof(cpu), "%.2f", g->cpu_per_wall);
	fmt_kb(mem, sizeof(mem), g->mem_kb);
	/* pin=compact* : asked for, but binding did not take effect */
	snprintf(pin, sizeof(pin), "%s%s", g->pin, strcmp(g->pin, "none") && !g->pinned ? "*" : "");
	if (g->contended && g->contended_runs)
		nl += (size_t)snprintf(notes + nl, sizeof(notes) - nl, " ! contended (%zu of %zu runs)",
				       g->contended_runs, g->n + g->failed);
	else if (g->contended)
		nl += (size_t)snprintf(notes + nl, sizeof(notes) - nl, " ! contended (all its runs "
				       "together: others took %.1f PUs)",
				       g->wall_sum > 0 ? (g->others_s + g->steal_s) / g->wall_sum : 0);
	if (g->interrupted && nl < sizeof(notes))
		nl += (size_t)snprintf(notes + nl, sizeof(notes) - nl, " (%zu stopped by you)",
				       g->interrupted);
	if (g->failed && nl < sizeof(notes))
		nl += (size_t)snprintf(notes + nl, sizeof(notes) - nl, " (%zu failed run%s)",
				       g->failed, g->failed == 1 ? "" : "s");
	if (g->pinned && pus && g->workers > pus && nl < sizeof(notes))
		snprintf(notes + nl, sizeof(notes) - nl, " (more workers than PUs: pins wrap)");
	fprintf(out, "  %-10s %7u %-6s %8s %-18s %5s %8s %7s %-11s %4s %5s %8s%s\n",
		r->mode, r->workers, pin, med, iv, prec, ideal, sp, spi, eff, cpu, mem, notes);
}

/* The scaling fits (bench/analysis/scaling.h) of the rows: a block of the table, or "fits" in JSON. */
static void print_fits(const struct summary *s, FILE *out, int json)
{
	struct scaling_set set;

	if (scaling_compute(&s->data, &set))
		return;
	if (json) {
		fprintf(out, ",\n\"fits\": ");
		scaling_print_json(&s->data, &set, out);
	} else {
		scaling_print_table(&s->data, &set, out);
	}
	scaling_free(&set);
}

void summary_print_table(const struct summary *s, FILE *out)
{
	const char *last = NULL;
	int any_unpinned = 0, any_range = 0, any_bound = 0;
	double taken;

	if (summary_contention(s, &taken))
		fprintf(out, "\nwarning: other processes used %.1f of %u PU%s during these runs "
			"(rows marked !): speedups below are not trustworthy; rerun on a quiet "
			"machine\n", taken, s->pus, s->pus == 1 ? "" : "s");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct summary_row *r = &s->rows[i];
		const struct rd_group *g = r->group;

		if (!last || strcmp(last, r->workload)) {
			print_header(out, r, g);
			last = r->workload;
		}
		print_row(out, r, s->pus);
		any_unpinned |= strcmp(g->pin, "none") && !g->pinned;
		any_range |= g->n > 0 && g->n < STATS_CI_MIN_N;
		any_bound |= !g->ideal_exact;
	}
	if (!s->nrows)
		return;
	if (any_unpinned)
		fprintf(out, "\n* binding was refused here: these runs were not pinned (pinned=0 in the CSV)");
	fprintf(out, "\nmedian and its 95%% interval (order statistics) over the measured runs, +- its "
		"half-width;\nspeedup: median of seq/mode over the repetitions, with its interval; "
		"eff = speedup /\nmin(workers, PUs), or / workers for tasks that wait; cpu/w = CPU "
		"seconds per wall\nsecond; memory: peak, pages shared with bench counted once\n");
	if (any_range)
		fprintf(out, "range: fewer than %d runs, too few for a 95%% interval (--reps auto "
			"gives at least %d)\n", STATS_CI_MIN_N, STATS_CI_MIN_N);
	if (any_bound)
		fprintf(out, "ideal>: a lower bound (the optimum was not searched out: too many tasks)\n");
	print_fits(s, out, 0);
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
	double taken;
	int busy = summary_contention(s, &taken);

	fprintf(out, "{\"summary\": [");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct rd_group *r = s->rows[i].group;
		int sp = r->speedup >= 0;

		fprintf(out, "%s\n  {\"workload\": ", i ? "," : "");
		trace_json_string(out, s->rows[i].workload);
		fprintf(out, ", \"mode\": ");
		trace_json_string(out, r->mode);
		fprintf(out, ", \"workers\": %u, \"pin\": ", r->workers);
		trace_json_string(out, r->pin);
		fprintf(out, ", \"pinned\": %d, \"tasks\": %zu, \"reps\": %zu, \"n\": %zu, ",
			r->pinned, r->tasks, r->n, sp ? r->ratio.n : r->n);
		json_num(out, "wall_median_s", r->wall.median, 1);
		json_num(out, "wall_min_s", r->wall.min, 1);
		json_num(out, "wall_max_s", r->wall.max, 1);
		json_num(out, "wall_ci95_lo_s", r->wall.ci_lo, 1);
		json_num(out, "wall_ci95_hi_s", r->wall.ci_hi, 1);
		json_num(out, "precision", r->precision, 1);
		json_num(out, "ideal_s", r->ideal_s, 1);
		fprintf(out, "\"ideal_exact\": %s, ", r->ideal_exact ? "true" : "false");
		json_num(out, "spawn_s", r->spawn_s, 1);
		json_num(out, "speedup", sp ? r->speedup : NAN, 1);
		json_num(out, "speedup_ci95_lo", sp ? r->speedup_lo : NAN, 1);
		json_num(out, "speedup_ci95_hi", sp ? r->speedup_hi : NAN, 1);
		json_num(out, "efficiency", sp ? r->efficiency : NAN, 1);
		json_num(out, "cpu_per_wall", r->cpu_per_wall, 1);
		json_num(out, "user_s", r->user_s, 1);
		json_num(out, "sys_s", r->sys_s, 1);
		json_num(out, "minflt", r->minflt, 1);
		json_num(out, "max_rss_kb", r->max_rss_kb, 1);
		json_num(out, "mem_kb", r->mem_kb, 1);
		json_num(out, "others_cpu_s", r->others_s, 1);
		json_num(out, "steal_s", r->steal_s, 1);
		fprintf(out, "\"contended\": %s, \"contended_runs\": %zu, \"failed_runs\": %zu}",
			r->contended ? "true" : "false", r->contended_runs, r->failed);
	}
	fprintf(out, "\n],\n\"contention\": {\"contended\": %s, ", busy ? "true" : "false");
	json_num(out, "pus_taken", taken, 1);
	fprintf(out, "\"pus\": %u}", s->pus);
	print_fits(s, out, 1);
	if (s->json_extra)
		s->json_extra(out, s->json_extra_arg);
	fprintf(out, "}\n");
}

void summary_free(struct summary *s)
{
	if (s->computed)
		report_data_free(&s->data);
	free(s->rows);
	free(s->csv);
	s->csv = NULL;
	s->rows = NULL;
	s->len = s->cap = s->nrows = 0;
	s->computed = 0;
}
