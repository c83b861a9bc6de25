/* fit: Amdahl, Karp–Flatt and USL fits against data made from known laws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "bench/analysis/fit.h"

#define MAX_POINTS 256

static size_t amdahl_points(struct fit_point *pts, double s, const double *p, size_t np)
{
	for (size_t i = 0; i < np; i++)
		pts[i] = (struct fit_point){ p[i], 1 / (s + (1 - s) / p[i]) };
	return np;
}

static size_t usl_points(struct fit_point *pts, double sigma, double kappa, const double *p, size_t np)
{
	for (size_t i = 0; i < np; i++)
		pts[i] = (struct fit_point){ p[i], p[i] / (1 + sigma * (p[i] - 1) + kappa * p[i] * (p[i] - 1)) };
	return np;
}

/* A fixed stream in [-1, 1] (64-bit LCG, top 53 bits), not the module's generator. */
static double noise(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*x >> 11) / 9007199254740992.0 * 2 - 1;
}

/* s = 0.10 over p = 1..16, @reps repetitions each, speedup times (1 + 2 % noise). */
static size_t noisy_amdahl_points(struct fit_point *pts, unsigned reps)
{
	uint64_t x = 42;
	size_t n = 0;

	for (unsigned p = 1; p <= 16; p++)
		for (unsigned r = 0; r < reps; r++)
			pts[n++] = (struct fit_point){ p, fit_amdahl_speedup(0.10, p) * (1 + 0.02 * noise(&x)) };
	return n;
}

static void test_amdahl_exact(void **state)
{
	static const double p[] = { 1, 2, 4, 8, 16, 1 };
	struct fit_point pts[6];
	struct fit_scaling f;
	char why[160];

	assert_int_equal(fit_scaling(pts, amdahl_points(pts, 0.10, p, 6), &f, why, sizeof(why)), 0);
	assert_float_equal(f.amdahl.s, 0.10, 1e-9);
	assert_float_equal(f.amdahl.max_speedup, 10, 1e-7);
	assert_true(f.amdahl.rmse < 1e-12);
	assert_float_equal(f.amdahl.r2, 1, 1e-12);
	/* one repetition per p > 1 (p = 1 moves no fit): nothing to resample */
	assert_int_equal(f.amdahl.has_interval, 0);
	assert_true(f.amdahl.lo == f.amdahl.s && f.amdahl.hi == f.amdahl.s);
	assert_int_equal(f.npoints, 6);
	assert_int_equal(f.nlevels, 5);
	fit_scaling_free(&f);
	assert_null(f.levels);
}

static void test_karp_flatt_constant_on_amdahl(void **state)
{
	static const double p[] = { 1, 2, 3, 4, 6, 8, 12, 16 };
	struct fit_point pts[8];
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, amdahl_points(pts, 0.25, p, 8), &f, NULL, 0), 0);
	assert_int_equal(f.nlevels, 8);
	assert_true(f.levels[0].p == 1 && isnan(f.levels[0].karp_flatt));
	for (size_t i = 1; i < f.nlevels; i++) {
		assert_true(f.levels[i].p == p[i] && f.levels[i].n == 1);
		assert_float_equal(f.levels[i].karp_flatt, 0.25, 1e-12);
	}
	fit_scaling_free(&f);
}

/* e(p) comes from the median at p: 2 = (1/S - 1/2) / (1/2) read off by hand. */
static void test_karp_flatt_from_median(void **state)
{
	struct fit_point pts[] = {
		{ 2, 1.6 }, { 1, 0.9 }, { 2, 1.0 }, { 2, 1.25 }, { 4, 2 }, { 4, 3 },
	};
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, 6, &f, NULL, 0), 0);
	assert_int_equal(f.nlevels, 3);
	assert_true(isnan(f.levels[0].karp_flatt));
	assert_true(f.levels[1].p == 2 && f.levels[1].n == 3 && f.levels[1].median == 1.25);
	assert_float_equal(f.levels[1].karp_flatt, (0.8 - 0.5) / 0.5, 1e-12);   /* 0.6 */
	assert_true(f.levels[2].p == 4 && f.levels[2].median == 2.5);
	assert_float_equal(f.levels[2].karp_flatt, (0.4 - 0.25) / 0.75, 1e-12); /* 0.2 */
	fit_scaling_free(&f);
}

static void test_amdahl_noisy(void **state)
{
	struct fit_point pts[MAX_POINTS], hi_pts[16], lo_pts[16];
	struct fit_scaling f, again, lo_fit, hi_fit;
	size_t n = noisy_amdahl_points(pts, 5);

	assert_int_equal(n, 80);
	assert_int_equal(fit_scaling(pts, n, &f, NULL, 0), 0);
	assert_true(fabs(f.amdahl.s - 0.10) < 0.01);
	assert_int_equal(f.amdahl.has_interval, 1);
	assert_true(f.amdahl.lo < f.amdahl.hi);
	assert_true(f.amdahl.lo <= 0.10 && 0.10 <= f.amdahl.hi);
	assert_true(f.amdahl.lo <= f.amdahl.s && f.amdahl.s <= f.amdahl.hi);
	assert_true(f.amdahl.hi - f.amdahl.lo < 0.005);   /* 80 points at 2 %: about 0.001 */
	assert_true(f.amdahl.r2 > 0.99 && f.amdahl.rmse < 0.1);

	/* each resample lies between all-fastest and all-slowest repetitions */
	for (size_t l = 0; l < 16; l++) {
		hi_pts[l] = lo_pts[l] = pts[5 * l];
		for (size_t r = 1; r < 5; r++) {
			hi_pts[l].speedup = fmax(hi_pts[l].speedup, pts[5 * l + r].speedup);
			lo_pts[l].speedup = fmin(lo_pts[l].speedup, pts[5 * l + r].speedup);
		}
	}
	assert_int_equal(fit_scaling(hi_pts, 16, &hi_fit, NULL, 0), 0);
	assert_int_equal(fit_scaling(lo_pts, 16, &lo_fit, NULL, 0), 0);
	assert_true(hi_fit.amdahl.s <= f.amdahl.lo && f.amdahl.hi <= lo_fit.amdahl.s);

	/* same points, any order: the same fit, interval included */
	for (size_t i = 0; i < n / 2; i++) {
		struct fit_point t = pts[i];

		pts[i] = pts[n - 1 - i];
		pts[n - 1 - i] = t;
	}
	assert_int_equal(fit_scaling(pts, n, &again, NULL, 0), 0);
	assert_true(again.amdahl.s == f.amdahl.s);
	assert_true(again.amdahl.lo == f.amdahl.lo && again.amdahl.hi == f.amdahl.hi);
	fit_scaling_free(&f);
	fit_scaling_free(&again);
	fit_scaling_free(&lo_fit);
	fit_scaling_free(&hi_fit);
}

static void test_usl_exact(void **state)
{
	static const double p[] = { 1, 2, 4, 8, 16, 24, 32, 48, 64 };
	struct fit_point pts[9];
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, usl_points(pts, 0.05, 0.001, p, 9), &f, NULL, 0), 0);
	assert_float_equal(f.usl.sigma, 0.05, 1e-6);
	assert_float_equal(f.usl.kappa, 0.001, 1e-6);
	assert_int_equal(f.usl.has_peak, 1);
	assert_float_equal(f.usl.peak_p_real, sqrt(950), 1e-3);     /* 30.82 */
	assert_true(f.usl.peak_p == 31);
	assert_float_equal(f.usl.peak_speedup, 31 / 3.43, 1e-6);     /* 31 / (1 + 1.5 + 0.93) */
	assert_true(f.usl.rmse < 1e-9);
	assert_float_equal(f.usl.r2, 1, 1e-9);
	/* Amdahl cannot bend down: it fits these points worse */
	assert_true(f.amdahl.rmse > 100 * f.usl.rmse && f.amdahl.r2 < f.usl.r2);
	fit_scaling_free(&f);
}

/*
 * The peak is the whole p next to p* that predicts more.  With sigma = 0,
 * S(f + 1) > S(f) exactly when f (f + 1) < 1/kappa = p*^2: the ceiling
 * wins from sqrt(f (f + 1)), below f + 0.5, so rounding p* can be one off.
 */
static void test_usl_peak_whole_number(void **state)
{
	static const double p[] = { 1, 2, 4, 8 };
	struct fit_point pts[4];
	struct fit_scaling f;
	double kappa = 1 / (9.49 * 9.49);   /* p* = 9.49 > sqrt(90) = 9.487 */

	assert_int_equal(fit_scaling(pts, usl_points(pts, 0, kappa, p, 4), &f, NULL, 0), 0);
	assert_float_equal(f.usl.peak_p_real, 9.49, 1e-6);
	assert_true(fit_usl_speedup(0, kappa, 10) > fit_usl_speedup(0, kappa, 9));
	assert_true(f.usl.peak_p == 10);
	assert_float_equal(f.usl.peak_speedup, 10 / (1 + 90 * kappa), 1e-9);
	fit_scaling_free(&f);

	/* p* = sqrt(88.36) = 9.4: S(9) = 9 / (1 + 72/88.36) = 4.9591, S(10) = 10 / (1 + 90/88.36) = 4.9540 */
	kappa = 1 / 88.36;
	assert_int_equal(fit_scaling(pts, usl_points(pts, 0, kappa, p, 4), &f, NULL, 0), 0);
	assert_true(f.usl.peak_p == 9);
	fit_scaling_free(&f);
}

static void test_usl_no_peak(void **state)
{
	static const double p[] = { 1, 2, 4, 8, 16 };
	struct fit_point pts[5];
	struct fit_scaling f;

	/* Amdahl's law is the USL with kappa = 0 */
	assert_int_equal(fit_scaling(pts, amdahl_points(pts, 0.10, p, 5), &f, NULL, 0), 0);
	assert_float_equal(f.usl.sigma, 0.10, 1e-9);
	assert_true(f.usl.kappa == 0);
	assert_int_equal(f.usl.has_peak, 0);
	assert_true(isinf(f.usl.peak_p) && isinf(f.usl.peak_p_real));
	assert_float_equal(f.usl.peak_speedup, 10, 1e-6);   /* the limit 1/sigma */
	fit_scaling_free(&f);
}

/* A kappa far below what the data can show (1e-14 here) is taken as 0: no peak at p = 1e7. */
static void test_usl_negligible_kappa(void **state)
{
	static const double p[] = { 1, 2, 4, 8, 16 };
	struct fit_point pts[5];
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, usl_points(pts, 0.10, 1e-14, p, 5), &f, NULL, 0), 0);
	assert_true(f.usl.kappa == 0);
	assert_int_equal(f.usl.has_peak, 0);
	assert_float_equal(f.usl.sigma, 0.10, 1e-9);
	fit_scaling_free(&f);
}

/*
 * The percentile interval, by hand: p = 4 fixed, p = 2 with four
 * repetitions.  A resample of p = 2 draws k of its four values from the
 * one odd repetition, k ~ Binomial(4, 1/4): P(k >= 3) = 5.1 % > 2.5 % but
 * P(k = 4) = 0.4 %, so the 97.5th percentile (when the odd one is slow)
 * or the 2.5th (when it is fast) is the fit with k = 3, not the extreme.
 */
static double amdahl_s_of(const double *s2, size_t n2, double s4)
{
	double sxy = 0, sxx = 0;

	for (size_t i = 0; i < n2; i++) {
		sxy += 0.5 * (1 / s2[i] - 0.5);
		sxx += 0.25;
	}
	sxy += 0.75 * (1 / s4 - 0.25);
	sxx += 0.5625;
	return sxy / sxx;
}

static void test_bootstrap_percentiles(void **state)
{
	double s4 = fit_amdahl_speedup(0.1, 4);
	struct fit_point slow[] = { { 1, 1 }, { 2, 1.8 }, { 2, 1.8 }, { 2, 1.25 }, { 2, 1.8 }, { 4, s4 } };
	struct fit_point fast[] = { { 1, 1 }, { 2, 1.25 }, { 2, 1.8 }, { 2, 1.25 }, { 2, 1.25 }, { 4, s4 } };
	double k3_slow[] = { 1.25, 1.25, 1.25, 1.8 }, k0_slow[] = { 1.8, 1.8, 1.8, 1.8 };
	double k3_fast[] = { 1.8, 1.8, 1.8, 1.25 }, k0_fast[] = { 1.25, 1.25, 1.25, 1.25 };
	struct fit_scaling f;

	assert_int_equal(fit_scaling(slow, 6, &f, NULL, 0), 0);
	assert_int_equal(f.amdahl.has_interval, 1);
	assert_float_equal(f.amdahl.lo, amdahl_s_of(k0_slow, 4, s4), 1e-12);
	assert_float_equal(f.amdahl.hi, amdahl_s_of(k3_slow, 4, s4), 1e-12);
	fit_scaling_free(&f);
	assert_int_equal(fit_scaling(fast, 6, &f, NULL, 0), 0);
	assert_float_equal(f.amdahl.lo, amdahl_s_of(k3_fast, 4, s4), 1e-12);
	assert_float_equal(f.amdahl.hi, amdahl_s_of(k0_fast, 4, s4), 1e-12);
	fit_scaling_free(&f);
}

/* sigma < 0 unconstrained: sigma = 0 and kappa = sum b y / sum b^2 alone. */
static void test_usl_sigma_clamped(void **state)
{
	static const double p[] = { 2, 3, 4 };
	struct fit_point pts[3];
	struct fit_scaling f;
	double by = 0, bb = 0;

	usl_points(pts, -0.02, 0.01, p, 3);
	for (int i = 0; i < 3; i++) {
		double b = p[i] * (p[i] - 1), y = p[i] / pts[i].speedup - 1;   /* y = -0.02 a + 0.01 b */

		by += b * y;
		bb += b * b;
	}
	/* b = 2, 6, 12; a = 1, 2, 3: by = 0.01*184 - 0.02*(2+12+36) = 0.84, bb = 184 */
	assert_float_equal(by, 0.84, 1e-12);
	assert_float_equal(bb, 184, 1e-12);
	assert_int_equal(fit_scaling(pts, 3, &f, NULL, 0), 0);
	assert_true(f.usl.sigma == 0);
	assert_float_equal(f.usl.kappa, 0.84 / 184, 1e-12);
	fit_scaling_free(&f);
}

/* kappa < 0 unconstrained: kappa = 0 and sigma = sum a y / sum a^2 alone. */
static void test_usl_kappa_clamped(void **state)
{
	static const double p[] = { 2, 3, 4 };
	struct fit_point pts[3];
	struct fit_scaling f;

	/* y = 0.1 a - 0.01 b: a y = 0.1*14 - 0.01*(2+12+36) = 0.9, a a = 14 */
	assert_int_equal(fit_scaling(pts, usl_points(pts, 0.1, -0.01, p, 3), &f, NULL, 0), 0);
	assert_true(f.usl.kappa == 0);
	assert_float_equal(f.usl.sigma, 0.9 / 14, 1e-12);
	assert_int_equal(f.usl.has_peak, 0);
	fit_scaling_free(&f);
}

/* Faster than linear: both laws at their bounds (ideal scaling). */
static void test_superlinear(void **state)
{
	struct fit_point pts[] = { { 1, 1 }, { 2, 2.3 }, { 4, 4.6 }, { 8, 9.2 } };
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, 4, &f, NULL, 0), 0);
	assert_true(f.amdahl.s == 0 && isinf(f.amdahl.max_speedup));
	assert_true(f.usl.sigma == 0 && f.usl.kappa == 0);
	assert_int_equal(f.usl.has_peak, 0);
	assert_true(isinf(f.usl.peak_speedup));
	assert_true(f.levels[1].karp_flatt < 0);
	fit_scaling_free(&f);
}

/* Slower with every worker: s clamps at 1, the USL peak is p = 1. */
static void test_slowdown(void **state)
{
	static const double p[] = { 1, 2, 4, 8 };
	struct fit_point pts[4];
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, usl_points(pts, 1.5, 0, p, 4), &f, NULL, 0), 0);
	assert_true(f.amdahl.s == 1 && f.amdahl.max_speedup == 1);
	assert_float_equal(f.usl.sigma, 1.5, 1e-9);
	assert_int_equal(f.usl.has_peak, 1);
	assert_true(f.usl.peak_p == 1);
	assert_float_equal(f.usl.peak_speedup, 1, 1e-12);
	fit_scaling_free(&f);
}

/* No scaling at all: S = 1 everywhere; r2 has nothing to explain. */
static void test_flat(void **state)
{
	struct fit_point pts[] = { { 1, 1 }, { 2, 1 }, { 4, 1 }, { 4, 1 } };
	struct fit_scaling f;

	assert_int_equal(fit_scaling(pts, 4, &f, NULL, 0), 0);
	assert_true(f.amdahl.s == 1 && f.amdahl.rmse == 0 && isnan(f.amdahl.r2));
	assert_float_equal(f.usl.sigma, 1, 1e-12);
	assert_true(f.usl.has_peak && f.usl.peak_p == 1);
	assert_true(isnan(f.usl.r2));
	fit_scaling_free(&f);
}

static void test_curves_at(void **state)
{
	struct fit_scaling f = { .amdahl.s = 0.1, .usl.sigma = 0.05, .usl.kappa = 0.001 };
	double a = 0, u = 0;

	fit_curves_at(&f, 4, &a, &u);
	assert_float_equal(a, 1 / 0.325, 1e-12);               /* 1 / (0.1 + 0.9/4) */
	assert_float_equal(u, 4 / 1.162, 1e-12);               /* 4 / (1 + 0.15 + 0.012) */
	fit_curves_at(&f, 1, &a, NULL);
	assert_float_equal(a, 1, 1e-12);
	fit_curves_at(&f, 8, NULL, &u);
	assert_float_equal(u, 8 / 1.406, 1e-12);
	assert_float_equal(fit_amdahl_speedup(0, 7), 7, 1e-12);
	assert_float_equal(fit_usl_speedup(0, 0, 7), 7, 1e-12);
}

static void assert_refused(const struct fit_point *pts, size_t n, const char *words)
{
	struct fit_scaling f;
	char why[160] = "";

	assert_int_equal(fit_scaling(pts, n, &f, why, sizeof(why)), -EINVAL);
	if (!strstr(why, words))
		fail_msg("reason \"%s\" lacks \"%s\"", why, words);
	assert_null(f.levels);
	fit_scaling_free(&f);
}

static void test_too_few_levels(void **state)
{
	struct fit_point two[] = { { 1, 1 }, { 4, 3 }, { 4, 3.1 }, { 1, 1 }, { 4, 2.9 } };

	assert_refused(two, 5, "2 distinct parallelism values, the fits need 3");
	assert_refused(two, 1, "1 distinct parallelism value, the fits need 3");
	assert_refused(NULL, 0, "0 distinct parallelism values");
	assert_refused(NULL, 3, "no points");
	assert_int_equal(fit_scaling(two, 5, &(struct fit_scaling){ 0 }, NULL, 0), -EINVAL);
}

static void test_bad_points(void **state)
{
	struct fit_point pts[] = { { 1, 1 }, { 2, 1.8 }, { 4, 3 }, { 8, 5 } };
	struct fit_scaling f;

	pts[2].speedup = 0;
	assert_refused(pts, 4, "point 3 (p = 4): speedup 0 is not a positive number");
	pts[2].speedup = -1;
	assert_refused(pts, 4, "point 3 (p = 4): speedup -1");
	pts[2].speedup = NAN;
	assert_refused(pts, 4, "speedup nan");
	pts[2].speedup = INFINITY;
	assert_refused(pts, 4, "speedup inf");
	pts[2].speedup = 3;
	pts[3].p = 0.5;
	assert_refused(pts, 4, "point 4: parallelism 0.5 is not a number >= 1");
	pts[3].p = NAN;
	assert_refused(pts, 4, "point 4: parallelism nan");
	pts[3].p = 8;
	assert_int_equal(fit_scaling(pts, 4, &f, NULL, 0), 0);   /* the same set, repaired, fits */
	fit_scaling_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdahl_exact),
		cmocka_unit_test(test_karp_flatt_constant_on_amdahl),
		cmocka_unit_test(test_karp_flatt_from_median),
		cmocka_unit_test(test_amdahl_noisy),
		cmocka_unit_test(test_usl_exact),
		cmocka_unit_test(test_usl_peak_whole_number),
		cmocka_unit_test(test_usl_no_peak),
		cmocka_unit_test(test_usl_negligible_kappa),
		cmocka_unit_test(test_bootstrap_percentiles),
		cmocka_unit_test(test_usl_sigma_clamped),
		cmocka_unit_test(test_usl_kappa_clamped),
		cmocka_unit_test(test_superlinear),
		cmocka_unit_test(test_slowdown),
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_curves_at),
		cmocka_unit_test(test_too_few_levels),
		cmocka_unit_test(test_bad_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
