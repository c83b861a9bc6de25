#include "bench/analysis/fit.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A kappa term smaller than this share of the time at the largest p is noise. */
#define FIT_KAPPA_NEGLIGIBLE 1e-9

__attribute__((format(printf, 3, 4)))
static int refuse(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int out_of_memory(char *why, size_t whylen)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", strerror(ENOMEM));
	return -ENOMEM;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

double fit_amdahl_speedup(double s, double p)
{
	return 1 / (s + (1 - s) / p);
}

double fit_usl_speedup(double sigma, double kappa, double p)
{
	return p / (1 + sigma * (p - 1) + kappa * p * (p - 1));
}

void fit_curves_at(const struct fit_scaling *f, double p, double *amdahl, double *usl)
{
	if (amdahl)
		*amdahl = fit_amdahl_speedup(f->amdahl.s, p);
	if (usl)
		*usl = fit_usl_speedup(f->usl.sigma, f->usl.kappa, p);
}

/* ------------------------------------------------------------------ points and levels */

static int check_points(const struct fit_point *pts, size_t n, char *why, size_t whylen)
{
	if (n && !pts)
		return refuse(why, whylen, "no points given");
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(pts[i].p) || pts[i].p < 1)
			return refuse(why, whylen, "point %zu: parallelism %g is not a number >= 1",
				      i + 1, pts[i].p);
		if (!isfinite(pts[i].speedup) || pts[i].speedup <= 0)
			return refuse(why, whylen, "point %zu (p = %g): speedup %g is not a positive number",
				      i + 1, pts[i].p, pts[i].speedup);
	}
	return 0;
}

/* By p, then by speedup: each level's repetitions come out sorted. */
static int cmp_point(const void *a, const void *b)
{
	const struct fit_point *x = a, *y = b;

	if (x->p != y->p)
		return (x->p > y->p) - (x->p < y->p);
	return (x->speedup > y->speedup) - (x->speedup < y->speedup);
}

static size_t count_levels(const struct fit_point *sorted, size_t n)
{
	size_t levels = 0;

	for (size_t i = 0; i < n; i++)
		if (i == 0 || sorted[i].p != sorted[i - 1].p)
			levels++;
	return levels;
}

static double karp_flatt(double p, double speedup)
{
	return p > 1 ? (1 / speedup - 1 / p) / (1 - 1 / p) : NAN;
}

/* One level per distinct p of @sorted, with its median and e(p). */
static void fill_levels(const struct fit_point *sorted, size_t n, struct fit_level *lv)
{
	size_t start = 0, k = 0;

	while (start < n) {
		size_t end = start;
		const struct fit_point *v = sorted + start;

		while (end < n && sorted[end].p == sorted[start].p)
			end++;
		lv[k].p = v->p;
		lv[k].n = end - start;
		lv[k].median = lv[k].n % 2 ? v[lv[k].n / 2].speedup
			       : (v[lv[k].n / 2 - 1].speedup + v[lv[k].n / 2].speedup) / 2;
		lv[k].karp_flatt = karp_flatt(lv[k].p, lv[k].median);
		k++;
		start = end;
	}
}

/* rmse and r2 of the speedups of @pts against @law(a, b, p). */
static void goodness(const struct fit_point *pts, size_t n, double (*law)(double, double, double),
		     double a, double b, double *rmse, double *r2)
{
	double mean = 0, res = 0, tot = 0;

	for (size_t i = 0; i < n; i++)
		mean += pts[i].speedup / n;
	for (size_t i = 0; i < n; i++) {
		double e = pts[i].speedup - law(a, b, pts[i].p), d = pts[i].speedup - mean;

		res += e * e;
		tot += d * d;
	}
	*rmse = sqrt(res / n);
	*r2 = tot > 0 ? 1 - res / tot : NAN;
}

/* ------------------------------------------------------------------ Amdahl */

static double amdahl_law(double s, double unused, double p)
{
	return fit_amdahl_speedup(s, p);
}

/* s from the sums of x y and x^2 (x = 1 - 1/p, y = 1/S - 1/p). */
static double amdahl_s(double sxy, double sxx)
{
	return clamp(sxy / sxx, 0, 1);
}

/* splitmix64: a small, well-mixed generator; fixed seed, same stream every time. */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift; bias below 2^-32 * n). */
static size_t random_below(uint64_t *state, size_t n)
{
	return (size_t)(((next_random(state) >> 32) * (uint64_t)n) >> 32);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The percentile interval of s over FIT_BOOT_RESAMPLES resamples of each level. */
static int amdahl_bootstrap(const struct fit_point *sorted, const struct fit_level *lv,
			    size_t nlevels, double *lo, double *hi)
{
	const size_t nb = FIT_BOOT_RESAMPLES, k = nb / 40;   /* 2.5 % in each tail */
	uint64_t state = FIT_BOOT_SEED;
	double *s = malloc(nb * sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t b = 0; b < nb; b++) {
		const struct fit_point *v = sorted;
		double sxy = 0, sxx = 0;

		for (size_t l = 0; l < nlevels; v += lv[l].n, l++) {
			double x = 1 - 1 / lv[l].p;

			if (lv[l].p <= 1)
				continue;
			for (size_t r = 0; r < lv[l].n; r++) {
				double y = 1 / v[random_below(&state, lv[l].n)].speedup - 1 / lv[l].p;

				sxy += x * y;
				sxx += x * x;
			}
		}
		s[b] = amdahl_s(sxy, sxx);
	}
	qsort(s, nb, sizeof(*s), cmp_double);
	*lo = s[k];
	*hi = s[nb - 1 - k];
	free(s);
	return 0;
}

static int fit_amdahl(const struct fit_point *sorted, size_t n, const struct fit_level *lv,
		      size_t nlevels, struct fit_amdahl *a)
{
	double sxy = 0, sxx = 0;

	for (size_t i = 0; i < n; i++) {
		double x = 1 - 1 / sorted[i].p, y = 1 / sorted[i].speedup - 1 / sorted[i].p;

		sxy += x * y;
		sxx += x * x;
	}
	a->s = amdahl_s(sxy, sxx);
	a->max_speedup = a->s > 0 ? 1 / a->s : INFINITY;
	goodness(sorted, n, amdahl_law, a->s, 0, &a->rmse, &a->r2);
	a->has_interval = 0;
	for (size_t l = 0; l < nlevels; l++)
		if (lv[l].p > 1 && lv[l].n >= 2)
			a->has_interval = 1;
	a->lo = a->hi = a->s;
	return a->has_interval ? amdahl_bootstrap(sorted, lv, nlevels, &a->lo, &a->hi) : 0;
}

/* ------------------------------------------------------------------ USL */

/* Sums of the linearised USL: y = p/S - 1 = sigma a + kappa b, a = p - 1, b = p (p - 1). */
struct usl_sums {
	double aa, ab, bb, ay, by;
};

static double usl_law(double sigma, double kappa, double p)
{
	return fit_usl_speedup(sigma, kappa, p);
}

/* Squared error less sum y^2 (the same for every candidate). */
static double usl_error(const struct usl_sums *m, double sigma, double kappa)
{
	return sigma * sigma * m->aa + 2 * sigma * kappa * m->ab + kappa * kappa * m->bb
	       - 2 * sigma * m->ay - 2 * kappa * m->by;
}

/* The least-squares sigma, kappa >= 0 (see the header). */
static void usl_solve(const struct usl_sums *m, double pmax, double *sigma, double *kappa)
{
	double det = m->aa * m->bb - m->ab * m->ab;
	double s_only = fmax(0, m->ay / m->aa), k_only = fmax(0, m->by / m->bb);

	*sigma = (m->ay * m->bb - m->by * m->ab) / det;
	*kappa = (m->by * m->aa - m->ay * m->ab) / det;
	if (!(det > 0 && *sigma >= 0 && *kappa >= 0)) {
		if (usl_error(m, s_only, 0) <= usl_error(m, 0, k_only)) {
			*sigma = s_only;
			*kappa = 0;
		} else {
			*sigma = 0;
			*kappa = k_only;
		}
	}
	if (*kappa > 0 && *kappa * pmax * (pmax - 1) <=
			  FIT_KAPPA_NEGLIGIBLE * (1 + *sigma * (pmax - 1))) {
		*sigma = s_only;
		*kappa = 0;
	}
}

static void usl_peak(struct fit_usl *u)
{
	double f, c;

	if (u->sigma >= 1) {
		u->has_peak = 1;
		u->peak_p_real = u->peak_p = 1;
	} else if (u->kappa > 0) {
		u->has_peak = 1;
		u->peak_p_real = sqrt((1 - u->sigma) / u->kappa);
		f = fmax(1, floor(u->peak_p_real));
		c = fmax(1, ceil(u->peak_p_real));
		u->peak_p = fit_usl_speedup(u->sigma, u->kappa, c) >
			    fit_usl_speedup(u->sigma, u->kappa, f) ? c : f;
	} else {
		u->has_peak = 0;
		u->peak_p_real = u->peak_p = INFINITY;
		u->peak_speedup = u->sigma > 0 ? 1 / u->sigma : INFINITY;
		return;
	}
	u->peak_speedup = fit_usl_speedup(u->sigma, u->kappa, u->peak_p);
}

static void fit_usl(const struct fit_point *sorted, size_t n, struct fit_usl *u)
{
	struct usl_sums m = { 0 };

	for (size_t i = 0; i < n; i++) {
		double p = sorted[i].p, a = p - 1, b = p * (p - 1), y = p / sorted[i].speedup - 1;

		m.aa += a * a;
		m.ab += a * b;
		m.bb += b * b;
		m.ay += a * y;
		m.by += b * y;
	}
	usl_solve(&m, sorted[n - 1].p, &u->sigma, &u->kappa);
	usl_peak(u);
	goodness(sorted, n, usl_law, u->sigma, u->kappa, &u->rmse, &u->r2);
}

/* ------------------------------------------------------------------ both */

int fit_scaling(const struct fit_point *points, size_t n, struct fit_scaling *out,
		char *why, size_t whylen)
{
	struct fit_point *sorted;
	size_t nlevels;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = check_points(points, n, why, whylen);
	if (rc)
		return rc;
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return out_of_memory(why, whylen);
	if (n)
		memcpy(sorted, points, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_point);
	nlevels = count_levels(sorted, n);
	if (nlevels < FIT_MIN_LEVELS) {
		rc = refuse(why, whylen, "%zu distinct parallelism value%s, the fits need %d",
			    nlevels, nlevels == 1 ? "" : "s", FIT_MIN_LEVELS);
		goto out_free_sorted;
	}
	out->levels = calloc(nlevels, sizeof(*out->levels));
	if (!out->levels) {
		rc = -ENOMEM;
		goto out_free_sorted;
	}
	out->nlevels = nlevels;
	out->npoints = n;
	fill_levels(sorted, n, out->levels);
	rc = fit_amdahl(sorted, n, out->levels, nlevels, &out->amdahl);
	if (rc)
		goto out_free_levels;
	fit_usl(sorted, n, &out->usl);
	free(sorted);
	return 0;
out_free_levels:
	fit_scaling_free(out);
out_free_sorted:
	free(sorted);
	return rc == -ENOMEM ? out_of_memory(why, whylen) : rc;
}

void fit_scaling_free(struct fit_scaling *f)
{
	free(f->levels);
	memset(f, 0, sizeof(*f));
}
