/*
 * fit — scaling laws fitted to measured speedups: Amdahl's serial fraction
 * (with a bootstrap interval), the Karp–Flatt metric at each parallelism,
 * and the Universal Scalability Law with its predicted peak.
 *
 * Input: points (p, speedup).  p is the parallelism (workers, or
 * min(workers, usable PUs): the caller decides), p >= 1; points with the
 * same p (compared exactly) are the repetitions at that p, in any order.
 * Both laws give S(1) = 1, so points at p = 1 do not move the fitted
 * parameters; they still count in the goodness of fit.
 *
 *   struct fit_scaling f;
 *   char why[160];
 *   if (fit_scaling(points, n, &f, why, sizeof(why)) < 0)
 *           fprintf(stderr, "bench: cannot fit scaling laws: %s\n", why);
 *   ... f.amdahl.s, f.usl.peak_p, f.levels[i].karp_flatt ...
 *   fit_scaling_free(&f);
 *
 * Amdahl: S(p) = 1 / (s + (1 - s)/p).  1/S = T(p)/T(1) is the measured
 * time in units of the one-worker time, and it is linear in s:
 * 1/S - 1/p = s (1 - 1/p).  s minimises the squared error of 1/S over all
 * points, so it has a closed form (s = sum xy / sum x^2 with x = 1 - 1/p,
 * y = 1/S - 1/p), exact on exact data, with no start value or iteration;
 * the error is taken in time, where the measurement noise is.  The error
 * is convex in s, so the best s in [0, 1] is that value clamped to [0, 1]
 * (0: the data scale at least linearly).
 * Its 95 % interval is a percentile bootstrap: FIT_BOOT_RESAMPLES times,
 * resample the repetitions at each p with replacement (same count), refit;
 * the interval runs from the 2.5th to the 97.5th percentile of those s
 * (order statistics 50 and 1949 of 2000, counted from 0).  The random
 * numbers come from a fixed seed (FIT_BOOT_SEED): the same points give the
 * same interval.  With a single repetition at every p > 1 there is nothing
 * to resample: has_interval is 0 and lo = hi = s.
 *
 * Karp–Flatt: e(p) = (1/S - 1/p) / (1 - 1/p) from the median speedup at
 * each p > 1: the serial fraction that p alone implies.  Constant e(p)
 * (= s) is Amdahl's law; e(p) rising with p is overhead that grows with
 * the workers (contention, coordination).
 *
 * Universal Scalability Law: S(p) = p / (1 + sigma (p-1) + kappa p (p-1)),
 * sigma the contention (the serialised share, as Amdahl's s), kappa the
 * coherency cost (pairwise exchange between workers, which makes speedup
 * fall beyond a peak).  p/S - 1 = sigma (p-1) + kappa p (p-1) is linear in
 * both, through the origin: sigma and kappa minimise the squared error of
 * p/S - 1 subject to sigma, kappa >= 0.  The error is convex, so the best
 * feasible pair is the unconstrained solution when both are >= 0, else the
 * better of the two refits with one parameter at 0 (each clamped at 0).
 * This error is taken in time too (p/S - 1 = p T(p)/T(1) - 1), weighted
 * by p, so the largest p count most.  A kappa whose term changes the
 * predicted time at the largest measured p by less than 1e-9 (relative)
 * is rounding noise in the data: it is set to 0 and sigma refitted alone.
 * Peak: dS/dp = 0 at p = sqrt((1 - sigma) / kappa); the peak worker count
 * is the whole number next to it (floor or ceiling, at least 1) with the
 * higher predicted speedup (rounding p* can be one off); sigma >= 1 puts
 * it at p = 1.  With kappa = 0 and sigma < 1 speedup rises for ever
 * towards 1/sigma: no peak.
 *
 * Goodness of fit, for both laws, in speedup over all points:
 * rmse = sqrt(mean (S - S_fit)^2); r2 = 1 - sum (S - S_fit)^2 /
 * sum (S - mean S)^2 (NAN when every speedup is the same).
 */
#ifndef BENCH_FIT_H
#define BENCH_FIT_H

#include <stddef.h>

#define FIT_MIN_LEVELS     3        /* distinct p values a fit needs */
#define FIT_BOOT_RESAMPLES 2000
#define FIT_BOOT_SEED      0x62656e6368ULL   /* "bench" */

struct fit_point {
	double p;          /* parallelism, >= 1 */
	double speedup;    /* > 0 */
};

/* One distinct p, in increasing order of p. */
struct fit_level {
	double p;
	size_t n;          /* repetitions at p */
	double median;     /* median speedup */
	double karp_flatt; /* e(p) from the median; NAN at p = 1 */
};

struct fit_amdahl {
	double s;            /* serial fraction, in [0, 1] */
	double lo, hi;       /* 95 % bootstrap interval of s */
	int has_interval;    /* 0: one repetition per p > 1, lo = hi = s */
	double max_speedup;  /* 1/s, the limit as p grows; INFINITY when s = 0 */
	double rmse, r2;
};

struct fit_usl {
	double sigma, kappa; /* >= 0 */
	int has_peak;        /* 0: kappa = 0 and sigma < 1, speedup rises for ever */
	double peak_p_real;  /* sqrt((1 - sigma)/kappa); INFINITY without a peak */
	double peak_p;       /* whole p of the highest predicted speedup; INFINITY without a peak */
	double peak_speedup; /* S(peak_p); without a peak the limit 1/sigma (INFINITY at sigma = 0) */
	double rmse, r2;
};

struct fit_scaling {
	struct fit_level *levels;
	size_t nlevels;
	size_t npoints;
	struct fit_amdahl amdahl;
	struct fit_usl usl;
};

/*
 * Fit both laws and compute e(p) from @n points.  Returns 0, or -EINVAL
 * with the reason in @why (a p below 1 or not finite, a speedup not a
 * positive finite number, fewer than FIT_MIN_LEVELS distinct p values),
 * or -ENOMEM (said in @why too).  On failure @out holds nothing to free.
 * @why may be NULL.
 */
int fit_scaling(const struct fit_point *points, size_t n, struct fit_scaling *out,
		char *why, size_t whylen);
void fit_scaling_free(struct fit_scaling *f);

/* The laws' speedup at @p (for charts and predictions). */
double fit_amdahl_speedup(double s, double p);
double fit_usl_speedup(double sigma, double kappa, double p);
/* Both fitted curves of @f at @p; either pointer may be NULL. */
void fit_curves_at(const struct fit_scaling *f, double p, double *amdahl, double *usl);

#endif
