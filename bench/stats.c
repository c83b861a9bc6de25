#include "bench/stats.h"

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

/*
 * P(U <= u) without ties: the number of orderings of m a's and n b's with
 * U = k is the coefficient of q^k in the Gaussian binomial [m+n choose m]_q
 * = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), built one factor at a time.
 */
static double mw_exact_cdf(size_t m, size_t n, double u)
{
	size_t deg = m * n;
	double *c = calloc(deg + 1, sizeof(*c)), total = 0, below = 0;

	if (!c)
		return NAN;
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		for (size_t k = deg; k >= n + i && k <= deg; k--)
			c[k] -= c[k - (n + i)];
		for (size_t k = i; k <= deg; k++)
			c[k] += c[k - i];
	}
	for (size_t k = 0; k <= deg; k++) {
		total += c[k];
		if ((double)k <= u + 1e-9)
			below += c[k];
	}
	free(c);
	return below / total;
}

double stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u_out)
{
	size_t N = na + nb, ties = 0;
	double u = 0, tie_sum = 0, mu, var, p;
	double *all;

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
	if (!all)
		return NAN;
	memcpy(all, a, na * sizeof(*a));
	memcpy(all + na, b, nb * sizeof(*b));
	qsort(all, N, sizeof(*all), cmp_double);
	for (size_t i = 0; i < N;) {
		size_t k = i;

		while (k < N && all[k] == all[i])
			k++;
		if (k - i > 1) {
			double t = (double)(k - i);

			tie_sum += t * t * t - t;
			ties++;
		}
		i = k;
	}
	free(all);

	if (!ties && na * nb <= 400) {
		double lo = mw_exact_cdf(na, nb, u);
		double hi = 1 - mw_exact_cdf(na, nb, u - 1);   /* P(U >= u) */

		p = 2 * fmin(lo, hi);
		return p > 1 ? 1 : p;
	}
	mu = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      ((double)(N + 1) - tie_sum / ((double)N * (double)(N - 1)));
	if (!(var > 0))
		return 1;   /* every value the same */
	p = erfc(fmax(0, fabs(u - mu) - 0.5) / sqrt(var) / sqrt(2.0));
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
			  .lower = fmax(longest, sum / workers), .budget = 2000000 };
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
