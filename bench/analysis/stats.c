#include "bench/analysis/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* P(B <= k) for B ~ Binomial(n, 1/2), summed in logs (n may be large). */
static double binom_half_cdf(size_t n, size_t k)
{
	double sum = 0, lnn = lgamma((double)n + 1), half = (double)n * log(2.0);

	for (size_t i = 0; i <= k && i <= n; i++)
		sum += exp(lnn - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) - half);
	return sum;
}

double stats_median_ci_coverage(size_t n, size_t j)
{
	if (!j || 2 * j > n + 1)
		return 0;
	return 1 - 2 * binom_half_cdf(n, j - 1);
}

size_t stats_median_ci_rank(size_t n)
{
	size_t j = 0;

	if (n < STATS_CI_MIN_N)
		return 0;
	/* coverage falls as j grows: take the last j that keeps 95 % */
	while (stats_median_ci_coverage(n, j + 1) >= 0.95)
		j++;
	return j;
}

void stats_summarize(double *v, size_t n, struct summary_stats *out)
{
	size_t j;

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->median = out->min = out->max = out->ci_lo = out->ci_hi = NAN;
	if (!n)
		return;
	out->median = stats_median(v, n);
	out->min = v[0];
	out->max = v[n - 1];
	j = stats_median_ci_rank(n);
	if (j) {
		out->ci_lo = v[j - 1];
		out->ci_hi = v[n - j];
	}
}

void stats_paired_ratio(const double *base, const double *mode, size_t n,
			struct summary_stats *out)
{
	double *r = malloc((n ? n : 1) * sizeof(*r));
	size_t k = 0;

	if (!r) {
		stats_summarize(NULL, 0, out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (base[i] > 0 && mode[i] > 0)
			r[k++] = base[i] / mode[i];
	stats_summarize(r, k, out);
	free(r);
}

/* ------------------------------------------------------------------ Mann-Whitney U */

static int cmp_index_value(const void *a, const void *b, void *v)
{
	const double *x = v;
	size_t i = *(const size_t *)a, k = *(const size_t *)b;

	return (x[i] > x[k]) - (x[i] < x[k]);
}

/*
 * Exact two-sided p of rank sum @obs (doubled midranks, so integers) of a
 * sample of @na among the @N doubled ranks @r: the share of the C(N, na)
 * equally likely subsets whose rank sum is at least as far from its mean.
 * Counted with a table of subsets by size and sum, ties included.
 */
static double mw_exact(const long *r, size_t N, size_t na, long obs)
{
	long total = 0, mean2, dist;
	double *dp, hit = 0, all = 0;

	for (size_t i = 0; i < N; i++)
		total += r[i];
	dp = calloc((na + 1) * (size_t)(total + 1), sizeof(*dp));
	if (!dp)
		return NAN;
#define DP(j, s) dp[(size_t)(j) * (size_t)(total + 1) + (size_t)(s)]
	DP(0, 0) = 1;
	for (size_t i = 0; i < N; i++)
		for (size_t j = (i + 1 < na ? i + 1 : na); j >= 1; j--)
			for (long s = total; s >= r[i]; s--)
				DP(j, s) += DP(j - 1, s - r[i]);
	/* mean rank sum, times N, to stay in integers: na * total / N */
	mean2 = (long)na * total;
	dist = labs(obs * (long)N - mean2);
	for (long s = 0; s <= total; s++) {
		all += DP(na, s);
		if (labs(s * (long)N - mean2) >= dist)
			hit += DP(na, s);
	}
#undef DP
	free(dp);
	return hit / all;
}

double stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u_out)
{
	size_t N = na + nb, *idx;
	double u = 0, tie_sum = 0, mu, var, p, *all;
	long *r, obs = 0;

	if (u_out)
		*u_out = NAN;
	if (!na || !nb)
		return 1;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	if (u_out)
		*u_out = u;
	all = malloc(N * sizeof(*all));
	idx = malloc(N * sizeof(*idx));
	r = malloc(N * sizeof(*r));
	if (!all || !idx || !r) {
		free(all);
		free(idx);
		free(r);
		return NAN;
	}
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	for (size_t i = 0; i < N; i++)
		idx[i] = i;
	qsort_r(idx, N, sizeof(*idx), cmp_index_value, all);
	/* doubled midranks: a run of t equal values from rank i+1 gets 2i + t + 1 */
	for (size_t i = 0; i < N;) {
		size_t k = i;

		while (k < N && all[idx[k]] == all[idx[i]])
			k++;
		for (size_t m = i; m < k; m++)
			r[idx[m]] = (long)(i + k + 1);
		if (k - i > 1)
			tie_sum += (double)(k - i) * (double)(k - i) * (double)(k - i) - (double)(k - i);
		i = k;
	}
	for (size_t i = 0; i < na; i++)
		obs += r[i];
	if (N <= STATS_MW_EXACT_MAX) {
		p = mw_exact(r, N, na, obs);
	} else {
		mu = (double)na * (double)nb / 2;
		var = (double)na * (double)nb / 12 *
		      ((double)(N + 1) - tie_sum / ((double)N * (double)(N - 1)));
		p = var > 0 ? erfc(fmax(0, fabs(u - mu) - 0.5) / sqrt(var) / sqrt(2.0)) : 1;
	}
	free(all);
	free(idx);
	free(r);
	return p > 1 ? 1 : p;
}

void stats_holm(double *p, size_t n)
{
	size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	double running = 0;

	if (!idx) {
		for (size_t i = 0; i < n; i++)
			p[i] = fmin(1, p[i] * (double)n);   /* Bonferroni: never less strict */
		return;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	/* sort the indices by p, ascending (n is small) */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && p[idx[k]] < p[idx[k - 1]]; k--) {
			size_t t = idx[k];

			idx[k] = idx[k - 1];
			idx[k - 1] = t;
		}
	for (size_t r = 0; r < n; r++) {
		double adj = fmin(1, p[idx[r]] * (double)(n - r));

		running = fmax(running, adj);
		p[idx[r]] = running;
	}
	free(idx);
}

/* ------------------------------------------------------------------ ideal makespan */

struct bnb {
	const double *d;           /* descending */
	size_t n;
	unsigned m;
	double *load;
	double best, lower;
	long budget;               /* nodes left; < 0: gave up */
};

static void bnb_search(struct bnb *s, size_t i, double cur_max)
{
	if (s->budget < 0 || s->best <= s->lower * (1 + 1e-12))
		return;
	if (i == s->n) {
		if (cur_max < s->best)
			s->best = cur_max;
		return;
	}
	if (--s->budget < 0)
		return;
	for (unsigned k = 0; k < s->m; k++) {
		double l = s->load[k] + s->d[i];
		int seen = 0;

		/* machines with the same load are interchangeable */
		for (unsigned j = 0; j < k && !seen; j++)
			seen = s->load[j] == s->load[k];
		if (seen || l >= s->best * (1 - 1e-12))
			continue;
		s->load[k] = l;
		bnb_search(s, i + 1, l > cur_max ? l : cur_max);
		s->load[k] -= s->d[i];
	}
}

/* Longest processing time first: a feasible schedule, the search's start. */
static double lpt(const double *d, size_t n, double *load, unsigned m)
{
	double makespan = 0;

	for (unsigned k = 0; k < m; k++)
		load[k] = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned best = 0;

		for (unsigned k = 1; k < m; k++)
			if (load[k] < load[best])
				best = k;
		load[best] += d[i];
		if (load[best] > makespan)
			makespan = load[best];
	}
	return makespan;
}

double stats_ideal_makespan(const double *durations, size_t n, unsigned workers, unsigned pus,
			    int *exact)
{
	double *d, *load, sum = 0, longest = 0, result;
	struct bnb s;

	if (exact)
		*exact = 1;
	if (!n)
		return 0;
	if (workers < 1)
		workers = 1;
	d = malloc(n * sizeof(*d));
	if (!d)
		return NAN;
	for (size_t i = 0; i < n; i++) {
		d[i] = durations[i] > 0 ? durations[i] : 0;
		sum += d[i];
		longest = fmax(longest, d[i]);
	}
	if (pus && workers > pus) {
		/* time-shared PUs: preemptive, and McNaughton's bound is reached */
		free(d);
		return fmax(longest, sum / pus);
	}
	if (workers >= n) {
		free(d);
		return longest;
	}
	load = calloc(workers, sizeof(*load));
	if (!load) {
		free(d);
		return NAN;
	}
	qsort(d, n, sizeof(*d), cmp_double_desc);
	s = (struct bnb){ .d = d, .n = n, .m = workers, .load = load,
			  .lower = fmax(longest, sum / workers), .budget = 200000 };
	s.best = lpt(d, n, load, workers);
	if (n <= STATS_IDEAL_EXACT_MAX) {
		memset(load, 0, workers * sizeof(*load));
		bnb_search(&s, 0, 0);
	}
	if (s.best <= s.lower * (1 + 1e-12)) {
		result = s.best;        /* meets the bound: optimal */
	} else if (n <= STATS_IDEAL_EXACT_MAX && s.budget >= 0) {
		result = s.best;        /* the search ran to the end */
	} else {
		result = s.lower;
		if (exact)
			*exact = 0;
	}
	free(load);
	free(d);
	return result;
}

void stats_fmt_seconds(char *buf, size_t len, double s)
{
	/* the unit is chosen after rounding to 3 digits: 0.9996 s is "1 s", not "1e+03 ms" */
	if (isnan(s) || s < 0)
		snprintf(buf, len, "-");
	else if (s == 0)
		snprintf(buf, len, "0");
	else if (s >= 99.95)
		snprintf(buf, len, "%.0f s", s);
	else if (s >= 0.9995)
		snprintf(buf, len, "%.3g s", s);
	else if (s >= 0.9995e-3)
		snprintf(buf, len, "%.3g ms", s * 1e3);
	else
		snprintf(buf, len, "%.3g us", s * 1e6);
}
