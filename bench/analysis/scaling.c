#include "bench/analysis/scaling.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/report_data.h"
#include "bench/report/trace.h"
#include "bench/api/workload.h"

/* Is group @g one of candidate @f's (same machine, workload, mode, pin)? */
static int in_fit(const struct rd_group *g, const struct scaling_fit *f)
{
	return g->machine == f->machine && g->workload == f->workload && !strcmp(g->mode, f->mode) &&
	       !strcmp(g->pin, f->pin);
}

static int seen_before(const struct report_data *d, size_t upto, const struct rd_group *g)
{
	for (size_t i = 0; i < upto; i++) {
		const struct rd_group *x = &d->groups[i];

		if (x->ratio.n && x->machine == g->machine && x->workload == g->workload &&
		    !strcmp(x->mode, g->mode) && !strcmp(x->pin, g->pin))
			return 1;
	}
	return 0;
}

/* Distinct worker counts of @f's groups that have paired speedups, and their span. */
static void count_workers(const struct report_data *d, struct scaling_fit *f)
{
	f->nworkers = 0;
	f->min_workers = 0;
	f->max_workers = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];
		int dup = 0;

		if (!in_fit(x, f) || !x->ratio.n)
			continue;
		for (size_t k = 0; k < g && !dup; k++)
			dup = in_fit(&d->groups[k], f) && d->groups[k].ratio.n &&
			      d->groups[k].workers == x->workers;
		if (dup)
			continue;
		f->nworkers++;
		if (!f->min_workers || x->workers < f->min_workers)
			f->min_workers = x->workers;
		if (x->workers > f->max_workers)
			f->max_workers = x->workers;
	}
}

/* Why @f cannot be fitted from contended runs, or 0 when none were. */
static int contention_reason(const struct report_data *d, struct scaling_fit *f)
{
	size_t busy = 0, all = 0;
	int base_busy = 0, class_busy = 0;

	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];

		if (!in_fit(x, f) || !x->ratio.n)
			continue;
		all++;
		busy += x->contended != 0;
		if (x->baseline >= 0 && d->groups[x->baseline].contended)
			base_busy = 1;
	}
	report_data_cpu_ratio(d, f->machine, f->workload, &class_busy);
	if (busy == all)
		snprintf(f->why, sizeof(f->why), "all %zu of its groups ran contended (others used "
			 "the PUs): a fit would describe that load", all);
	else if (busy)
		snprintf(f->why, sizeof(f->why), "%zu of its %zu groups ran contended (others used "
			 "the PUs): a fit would describe that load", busy, all);
	else if (base_busy)
		snprintf(f->why, sizeof(f->why), "the seq runs its speedups pair with ran contended "
			 "(others used the PUs)");
	else if (class_busy)
		snprintf(f->why, sizeof(f->why), "the runs that say how much the tasks compute "
			 "ran contended, so p cannot be chosen");
	return busy || base_busy || class_busy;
}

/* The parallelism that group @x counts as in @f. */
static double group_p(const struct scaling_fit *f, const struct rd_group *x)
{
	double p = x->workers;

	/* no more workers can be busy than there are tasks */
	if (x->tasks && p > (double)x->tasks)
		p = (double)x->tasks;
	if (f->by_pus && f->pus && p > f->pus)
		p = f->pus;
	return p > 0 ? p : 1;
}

/* The points (p, paired speedup) of @f; their number, or -ENOMEM. */
static long collect_points(const struct report_data *d, struct scaling_fit *f,
			   struct fit_point **out)
{
	struct fit_point *pts = NULL;
	size_t n = 0, cap = 0;

	f->max_p = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];
		const double *r;
		size_t nr = report_data_ratios(x, &r);
		double p = group_p(f, x);

		if (!in_fit(x, f) || !nr)
			continue;
		if (n + nr > cap) {
			size_t c = cap ? 2 * cap : 64;
			struct fit_point *q;

			while (c < n + nr)
				c *= 2;
			q = realloc(pts, c * sizeof(*q));
			if (!q) {
				free(pts);
				return -ENOMEM;
			}
			pts = q;
			cap = c;
		}
		for (size_t k = 0; k < nr; k++)
			pts[n++] = (struct fit_point){ p, r[k] };
		f->max_p = fmax(f->max_p, p);
	}
	*out = pts;
	return (long)n;
}

int scaling_level_stats(const struct report_data *d, const struct scaling_fit *f, size_t level,
			struct summary_stats *out)
{
	double want = f->fit.levels[level].p, *v;
	size_t n = 0;

	v = malloc((f->fit.npoints ? f->fit.npoints : 1) * sizeof(*v));
	if (!v) {
		stats_summarize(NULL, 0, out);
		return -ENOMEM;
	}
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];
		const double *r;
		size_t nr = report_data_ratios(x, &r);

		if (!in_fit(x, f) || !nr || group_p(f, x) != want)
			continue;
		for (size_t k = 0; k < nr && n < f->fit.npoints; k++)
			v[n++] = r[k];
	}
	stats_summarize(v, n, out);
	free(v);
	return 0;
}

static int fit_one(const struct report_data *d, struct scaling_fit *f)
{
	struct fit_point *pts = NULL;
	char why[160];
	long n;
	int rc;

	if (contention_reason(d, f))
		return 0;
	n = collect_points(d, f, &pts);
	if (n < 0)
		return (int)n;
	rc = fit_scaling(pts, (size_t)n, &f->fit, why, sizeof(why));
	free(pts);
	if (rc == -ENOMEM)
		return rc;
	if (rc) {
		if (f->by_pus && f->max_workers > f->pus)
			snprintf(f->why, sizeof(f->why), "%s (workers beyond the %u PUs add no "
				 "parallelism to tasks that compute)", why, f->pus);
		else if (rc == -EINVAL && strstr(why, "distinct"))
			snprintf(f->why, sizeof(f->why), "%s (no more workers can be busy than "
				 "there are tasks)", why);
		else
			snprintf(f->why, sizeof(f->why), "%s", why);
		return 0;
	}
	f->fitted = 1;
	f->peak_extrapolated = f->fit.usl.has_peak && f->fit.usl.peak_p > f->max_p;
	return 0;
}

int scaling_compute(const struct report_data *d, struct scaling_set *set)
{
	size_t cap = 0;

	memset(set, 0, sizeof(*set));
	for (size_t g = 0; g < d->ngroups; g++) {
		const struct rd_group *x = &d->groups[g];
		struct scaling_fit f = { 0 };
		int rc;

		/* noop measures the harness: there is no work to scale */
		if (!x->ratio.n || report_data_is_baseline(x->mode) || seen_before(d, g, x) ||
		    d->workloads[x->workload].bound == BOUND_NONE)
			continue;
		f.machine = x->machine;
		f.workload = x->workload;
		f.mode = x->mode;
		f.pin = x->pin;
		count_workers(d, &f);
		if (f.nworkers < FIT_MIN_LEVELS)
			continue;
		f.pus = d->machines[x->machine].usable_pus;
		f.cpu_ratio = report_data_cpu_ratio(d, x->machine, x->workload, NULL);
		f.by_pus = !report_data_waits(d, x);
		rc = fit_one(d, &f);
		if (!rc && set->n == cap) {
			size_t c = cap ? 2 * cap : 8;
			struct scaling_fit *q = realloc(set->fits, c * sizeof(*q));

			if (!q)
				rc = -ENOMEM;
			else {
				set->fits = q;
				cap = c;
			}
		}
		if (rc) {
			if (f.fitted)
				fit_scaling_free(&f.fit);
			scaling_free(set);
			return rc;
		}
		set->fits[set->n++] = f;
	}
	return 0;
}

void scaling_free(struct scaling_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->fits[i].fitted)
			fit_scaling_free(&set->fits[i].fit);
	free(set->fits);
	memset(set, 0, sizeof(*set));
}

void scaling_p_text(char *buf, size_t len, const struct scaling_fit *f)
{
	if (f->by_pus && f->pus)
		snprintf(buf, len, "p = min(workers, %u PU%s)", f->pus, f->pus == 1 ? "" : "s");
	else
		snprintf(buf, len, "p = workers");
}

/* ------------------------------------------------------------------ the table */

/* "18 (5.2x)", "none (rises to 20x)", with the extrapolation said. */
static void fmt_peak(char *buf, size_t len, const struct scaling_fit *f)
{
	const struct fit_usl *u = &f->fit.usl;

	if (!u->has_peak) {
		if (isfinite(u->peak_speedup))
			snprintf(buf, len, "none: rises towards %.3gx", u->peak_speedup);
		else
			snprintf(buf, len, "none: rises without limit");
		return;
	}
	snprintf(buf, len, "%.0f (%.3gx)%s", u->peak_p, u->peak_speedup,
		 f->peak_extrapolated ? " extrapolated" : "");
}

static int any_fitted(const struct scaling_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->fits[i].fitted)
			return 1;
	return 0;
}

static int any_extrapolated(const struct scaling_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->fits[i].fitted && set->fits[i].peak_extrapolated)
			return 1;
	return 0;
}

void scaling_print_table(const struct report_data *d, const struct scaling_set *set, FILE *out)
{
	int hosts = d->nmachines > 1;

	if (!set->n)
		return;
	fprintf(out, "\nscaling laws, fitted to the paired speedups (p = min(workers, PUs) when "
		"the tasks compute, workers when they wait; never more than the tasks)\n");
	fprintf(out, "  %s%-10s %-10s %-7s %-24s %-9s %-9s %s\n", hosts ? "host        " : "",
		"workload", "mode", "p", "Amdahl s (95% interval)", "USL sigma", "kappa",
		"peak workers (speedup)");
	for (size_t i = 0; i < set->n; i++) {
		const struct scaling_fit *f = &set->fits[i];
		const struct fit_scaling *fs = &f->fit;
		char p[32], s[64], sig[16], kap[16], peak[64];
		char mode[64];

		if (hosts)
			fprintf(out, "  %-11.11s ", d->machines[f->machine].name);
		else
			fprintf(out, "  ");
		if (strcmp(f->pin, "none"))
			snprintf(mode, sizeof(mode), "%s/%s", f->mode, f->pin);
		else
			snprintf(mode, sizeof(mode), "%s", f->mode);
		fprintf(out, "%-10s %-10s ", d->workloads[f->workload].name, mode);
		if (!f->fitted) {
			fprintf(out, "not fitted: %s\n", f->why);
			continue;
		}
		snprintf(p, sizeof(p), "%g-%g", fs->levels[0].p, f->max_p);
		if (fs->amdahl.has_interval)
			snprintf(s, sizeof(s), "%.3f (%.3f-%.3f)", fs->amdahl.s, fs->amdahl.lo,
				 fs->amdahl.hi);
		else
			snprintf(s, sizeof(s), "%.3f (1 rep: none)", fs->amdahl.s);
		snprintf(sig, sizeof(sig), "%.3g", fs->usl.sigma);
		snprintf(kap, sizeof(kap), "%.3g", fs->usl.kappa);
		fmt_peak(peak, sizeof(peak), f);
		fprintf(out, "%-7s %-24s %-9s %-9s %s\n", p, s, sig, kap, peak);
		fprintf(out, "  %s%-21s e(p):", hosts ? "            " : "", "");
		for (size_t l = 0; l < fs->nlevels; l++)
			if (fs->levels[l].p > 1)
				fprintf(out, " %g: %.3f", fs->levels[l].p, fs->levels[l].karp_flatt);
		fprintf(out, "\n");
	}
	if (!any_fitted(set))
		return;
	fprintf(out, "s: the serial fraction (Amdahl: speedup stays below 1/s however many workers); "
		"e(p): the serial\nfraction each p implies (rising with p: overhead that grows with "
		"the workers); sigma: contention,\nkappa: coherency cost (kappa > 0: speedup falls "
		"beyond the peak)\n");
	if (any_extrapolated(set))
		fprintf(out, "extrapolated: the peak lies beyond the largest p measured; measure there "
			"before relying on it\n");
}

/* ------------------------------------------------------------------ JSON */

static void json_num(FILE *out, const char *key, double v)
{
	if (isfinite(v))
		fprintf(out, ", \"%s\": %.6g", key, v);
	else
		fprintf(out, ", \"%s\": null", key);
}

static void print_fit_json(const struct report_data *d, const struct scaling_fit *f, FILE *out)
{
	const struct fit_scaling *fs = &f->fit;
	const struct rd_machine *m = &d->machines[f->machine];

	fprintf(out, "{\"host\": ");
	trace_json_string(out, m->name);
	fprintf(out, ", \"workload\": ");
	trace_json_string(out, d->workloads[f->workload].name);
	fprintf(out, ", \"params\": ");
	trace_json_string(out, d->workloads[f->workload].params);
	fprintf(out, ", \"mode\": ");
	trace_json_string(out, f->mode);
	fprintf(out, ", \"pin\": ");
	trace_json_string(out, f->pin);
	fprintf(out, ", \"p_basis\": \"%s\", \"pus\": %u, \"workers\": [%u, %u], \"fitted\": %s, "
		"\"reason\": ", f->by_pus ? "min(workers, pus)" : "workers", f->pus,
		f->min_workers, f->max_workers, f->fitted ? "true" : "false");
	if (f->fitted)
		fprintf(out, "null");
	else
		trace_json_string(out, f->why);
	if (!f->fitted) {
		fprintf(out, "}");
		return;
	}
	json_num(out, "amdahl_serial", fs->amdahl.s);
	json_num(out, "amdahl_lo", fs->amdahl.has_interval ? fs->amdahl.lo : NAN);
	json_num(out, "amdahl_hi", fs->amdahl.has_interval ? fs->amdahl.hi : NAN);
	json_num(out, "amdahl_max_speedup", fs->amdahl.max_speedup);
	json_num(out, "amdahl_r2", fs->amdahl.r2);
	fprintf(out, ", \"karp_flatt\": [");
	for (size_t l = 0, k = 0; l < fs->nlevels; l++) {
		if (!(fs->levels[l].p > 1))
			continue;
		fprintf(out, "%s{\"p\": %g, \"n\": %zu, \"speedup\": %.6g, \"e\": %.6g}", k++ ? ", " : "",
			fs->levels[l].p, fs->levels[l].n, fs->levels[l].median, fs->levels[l].karp_flatt);
	}
	fprintf(out, "]");
	json_num(out, "usl_sigma", fs->usl.sigma);
	json_num(out, "usl_kappa", fs->usl.kappa);
	json_num(out, "usl_peak_workers", fs->usl.has_peak ? fs->usl.peak_p : NAN);
	json_num(out, "usl_peak_speedup", fs->usl.peak_speedup);
	fprintf(out, ", \"usl_peak_extrapolated\": %s", f->peak_extrapolated ? "true" : "false");
	json_num(out, "usl_r2", fs->usl.r2);
	json_num(out, "max_p", f->max_p);
	fprintf(out, "}");
}

void scaling_print_json(const struct report_data *d, const struct scaling_set *set, FILE *out)
{
	fprintf(out, "[");
	for (size_t i = 0; i < set->n; i++) {
		fprintf(out, "%s\n  ", i ? "," : "");
		print_fit_json(d, &set->fits[i], out);
	}
	fprintf(out, "%s]", set->n ? "\n" : "");
}
