/*
 * stats — the statistics bench uses, and nothing else: pure functions of
 * arrays of raw measurements, each tested against hand-computed values.
 *
 * Distribution-free throughout, because run times are not normal (a long
 * right tail, steps from the scheduler) and the samples are small:
 *
 * - a location is the median, and its 95 % interval comes from the order
 *   statistics of the binomial: [x(j), x(n+1-j)] covers the true median
 *   with probability 1 - 2 P(B <= j-1), B ~ Binomial(n, 1/2), and j is the
 *   largest rank that keeps that >= 95 % (benchstat's interval).  It needs
 *   n >= 6: below that even [min, max] covers less than 95 %, and there is
 *   no interval, only a range;
 * - a speedup is paired: seq and the mode ran in the same repetition, so
 *   the ratio of rep k is base_k / mode_k, and the speedup is the median of
 *   those ratios with the same interval;
 * - "is A faster than B" is the two-sided Mann-Whitney U test: exact up to
 *   STATS_MW_EXACT_MAX values in all (ties included: the permutation
 *   distribution of the midrank sum), else the normal approximation with
 *   the tie and continuity corrections; Holm-corrected when several
 *   comparisons decide one thing.
 *
 * Ideal makespan: the best any scheduler could do with the task durations
 * on the workers.  With no more workers than PUs (or for waiting work,
 * which needs no PU) each worker runs its tasks one after another: the
 * optimum of that (P||Cmax) is found exactly by branch and bound for up to
 * STATS_IDEAL_EXACT_MAX tasks, and beyond that (or past a search budget)
 * the lower bound max(longest task, total work / workers) stands in, so
 * the ideal is never above the true optimum.  With more CPU-bound workers
 * than PUs the PUs are time-shared, which is preemptive scheduling: its
 * optimum is exactly max(longest task, total work / PUs) (McNaughton).
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

/* Smallest sample with a 95 % order-statistic interval of the median. */
#define STATS_CI_MIN_N 6
/* Values (both samples) up to which Mann-Whitney's p is exact. */
#define STATS_MW_EXACT_MAX 60
/* Tasks up to which the ideal makespan is searched for exactly. */
#define STATS_IDEAL_EXACT_MAX 64

struct summary_stats {
	size_t n;
	double median, min, max;
	double ci_lo, ci_hi;     /* 95 % interval of the median; NaN when n < STATS_CI_MIN_N */
};

/* Median of @n values (the array is sorted in place); NaN when n = 0. */
double stats_median(double *v, size_t n);

/*
 * The rank j (1-based) of the lower end of the 95 % interval of the median
 * of @n values, [x(j), x(n+1-j)]; 0 when n < STATS_CI_MIN_N.  6 -> 1,
 * 10 -> 2, 30 -> 10.
 */
size_t stats_median_ci_rank(size_t n);
/* Its coverage, 1 - 2 P(B <= j-1) for B ~ Binomial(n, 1/2). */
double stats_median_ci_coverage(size_t n, size_t j);

/* Median, min, max and the interval of @n values (the array is sorted). */
void stats_summarize(double *v, size_t n, struct summary_stats *out);

/*
 * Paired ratios: @base[k] / @mode[k] for k < @n (pairs with a value <= 0
 * or NaN are left out), summarized as above.
 */
void stats_paired_ratio(const double *base, const double *mode, size_t n,
			struct summary_stats *out);

/*
 * Two-sided p-value of the Mann-Whitney U test that @a and @b come from
 * the same distribution, exact or approximate as above.  1 when either
 * sample is empty.  @u_out (may be NULL): U of @a, the number of
 * pairs where a > b, ties counting one half.
 */
double stats_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u_out);

/*
 * Holm's step-down correction, in place: @p[0..n-1] become adjusted
 * p-values (each <= 1), to compare with the family's alpha directly.
 */
void stats_holm(double *p, size_t n);

/*
 * The ideal makespan of @n tasks of @durations seconds on @workers
 * workers, as described above.  @pus: the usable PUs for CPU-bound work,
 * 0 for work that waits (every worker can wait at once).  *@exact (may be
 * NULL) says whether the value is the optimum (1) or the lower bound (0).
 */
double stats_ideal_makespan(const double *durations, size_t n, unsigned workers, unsigned pus,
			    int *exact);

/*
 * A duration for people: 3 significant digits in s, ms or us ("1.23 s",
 * "456 ms", "12.5 us"), whole seconds from 100 s, "0" for zero, "-" when
 * unknown or negative.  The one formatter of the table, the verdict and the report.
 */
void stats_fmt_seconds(char *buf, size_t len, double s);

#endif
