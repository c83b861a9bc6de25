/* stats: every statistic against values computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "bench/analysis/stats.h"

static void test_median(void **state)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	assert_true(stats_median(odd, 3) == 3);
	assert_true(stats_median(even, 4) == 2.5);
	assert_true(stats_median(one, 1) == 7);
	assert_true(isnan(stats_median(one, 0)));
}

/* [x(j), x(n+1-j)] covers the median with 1 - 2 P(B <= j-1), B ~ Bin(n, 1/2) */
static void test_order_statistic_interval(void **state)
{
	double six[] = { 6, 1, 5, 2, 4, 3 }, ten[10], thirty[30], five[] = { 1, 2, 3, 4, 5 };
	struct summary_stats s;

	/* n = 6: only [min, max], coverage 1 - 2/64 */
	assert_int_equal(stats_median_ci_rank(6), 1);
	assert_float_equal(stats_median_ci_coverage(6, 1), 1 - 2.0 / 64, 1e-12);
	stats_summarize(six, 6, &s);
	assert_true(s.median == 3.5 && s.ci_lo == 1 && s.ci_hi == 6 && s.n == 6);

	/* n = 10: j = 2, coverage 1 - 2 * 11/1024; j = 3 would be 1 - 2 * 56/1024 < 95 % */
	for (int i = 0; i < 10; i++)
		ten[i] = 10 - i;
	assert_int_equal(stats_median_ci_rank(10), 2);
	assert_float_equal(stats_median_ci_coverage(10, 2), 1 - 2 * 11.0 / 1024, 1e-12);
	assert_float_equal(stats_median_ci_coverage(10, 3), 1 - 2 * 56.0 / 1024, 1e-12);
	stats_summarize(ten, 10, &s);
	assert_true(s.median == 5.5 && s.ci_lo == 2 && s.ci_hi == 9);

	/* n = 30: j = 10; sum of C(30, k) for k <= 9 is 22964087 */
	for (int i = 0; i < 30; i++)
		thirty[i] = i + 1;
	assert_int_equal(stats_median_ci_rank(30), 10);
	assert_float_equal(stats_median_ci_coverage(30, 10), 1 - 2 * 22964087.0 / 1073741824.0, 1e-12);
	stats_summarize(thirty, 30, &s);
	assert_true(s.ci_lo == 10 && s.ci_hi == 21 && s.median == 15.5);

	/* n = 5: even [min, max] covers only 1 - 2/32 = 93.75 %: no interval */
	assert_int_equal(stats_median_ci_rank(5), 0);
	stats_summarize(five, 5, &s);
	assert_true(s.median == 3 && s.min == 1 && s.max == 5);
	assert_true(isnan(s.ci_lo) && isnan(s.ci_hi));
	stats_summarize(five, 0, &s);
	assert_true(isnan(s.median) && s.n == 0);
}

static void test_paired_ratio(void **state)
{
	double base[] = { 4.0, 4.2, 3.8, 4.0, 4.4, 3.6, 5.0 };
	double mode[] = { 2.0, 2.0, 2.0, 1.6, 2.2, 1.8, 0.0 };
	struct summary_stats s;

	/* ratios 2.0 2.1 1.9 2.5 2.0 2.0 (the pair with a zero is left out) */
	stats_paired_ratio(base, mode, 7, &s);
	assert_int_equal(s.n, 6);
	assert_float_equal(s.median, 2.0, 1e-12);
	assert_float_equal(s.ci_lo, 1.9, 1e-12);
	assert_float_equal(s.ci_hi, 2.5, 1e-12);
	assert_float_equal(s.max, 2.5, 1e-12);

	/* fewer than 6 pairs: a range, no interval */
	stats_paired_ratio(base, mode, 3, &s);
	assert_int_equal(s.n, 3);
	assert_float_equal(s.median, 2.0, 1e-12);
	assert_true(isnan(s.ci_lo));
}

static void test_mann_whitney(void **state)
{
	double fast[] = { 1, 2, 3, 4, 5, 6 }, slow[] = { 7, 8, 9, 10, 11, 12 };
	double a[] = { 1, 3 }, b[] = { 2, 4 };
	double ta[] = { 1, 1, 2, 2 }, tb[] = { 2, 2, 3, 3 };
	double same[] = { 5, 5, 5 }, same3a[] = { 1, 1, 1 }, same3b[] = { 2, 2, 2 };
	double lo[31], hi[31];
	double u, var, expect;

	/* every value of one below every value of the other: U = 0, exact p = 2 / C(12, 6) */
	assert_float_equal(stats_mann_whitney(fast, 6, slow, 6, &u), 2.0 / 924, 1e-12);
	assert_float_equal(u, 0, 0);
	assert_float_equal(stats_mann_whitney(slow, 6, fast, 6, &u), 2.0 / 924, 1e-12);
	assert_float_equal(u, 36, 0);

	/* m = n = 2: U takes 0,1,2,2,3,4 over the 6 orderings; U = 1: p = 2 * 2/6 */
	assert_float_equal(stats_mann_whitney(a, 2, b, 2, &u), 2.0 / 3, 1e-12);
	assert_float_equal(u, 1, 0);

	/* ties, exact: midranks 1.5 1.5 | 4.5 x4 | 7.5 7.5; a's rank sum 12, mean 18;
	 * of the 70 subsets of 4, 6 sum to 12 and 6 to 24: p = 12/70 */
	assert_float_equal(stats_mann_whitney(ta, 4, tb, 4, &u), 12.0 / 70, 1e-12);
	assert_float_equal(u, 2, 0);
	/* 3 runs a side, all tied within: still only 2 of C(6,3) = 20 subsets as extreme */
	assert_float_equal(stats_mann_whitney(same3a, 3, same3b, 3, NULL), 0.1, 1e-12);

	/* past the exact size: normal approximation with the tie correction;
	 * 31 vs 31 values 1..62 split low/high: U = 0, mu = 480.5, var = 961 * 63 / 12 */
	for (int i = 0; i < 31; i++) {
		lo[i] = i + 1;
		hi[i] = i + 32;
	}
	var = 961.0 / 12 * 63;
	expect = erfc((480.5 - 0.5) / sqrt(var) / sqrt(2.0));
	assert_float_equal(stats_mann_whitney(lo, 31, hi, 31, &u), expect, 1e-12);
	assert_float_equal(u, 0, 0);

	assert_float_equal(stats_mann_whitney(same, 3, same, 3, NULL), 1, 0);
	assert_float_equal(stats_mann_whitney(same, 0, same, 3, NULL), 1, 0);
}

static void test_holm(void **state)
{
	double p[] = { 0.01, 0.04, 0.03 }, one[] = { 0.02 }, big[] = { 0.6, 0.7 };

	/* sorted 0.01 x3 = 0.03, 0.03 x2 = 0.06, 0.04 x1 = 0.04 -> max so far 0.06 */
	stats_holm(p, 3);
	assert_float_equal(p[0], 0.03, 1e-12);
	assert_float_equal(p[1], 0.06, 1e-12);
	assert_float_equal(p[2], 0.06, 1e-12);
	stats_holm(one, 1);
	assert_float_equal(one[0], 0.02, 1e-12);
	stats_holm(big, 2);
	assert_float_equal(big[0], 1, 1e-12);
	assert_float_equal(big[1], 1, 1e-12);
}

static void test_ideal_makespan(void **state)
{
	double ten[10], desc[] = { 5, 4, 3, 2, 1 }, two[] = { 2, 2 };
	double issue[] = { 0.3, 0.2, 0.2, 0.3, 0.2 }, nine[] = { 7, 7, 6, 6, 5, 5, 4, 4, 4 };
	double three[] = { 1, 1, 1 }, many[100];
	int exact;

	for (int i = 0; i < 10; i++)
		ten[i] = 1;
	assert_float_equal(stats_ideal_makespan(ten, 10, 4, 0, &exact), 3, 1e-12);
	assert_true(exact);
	assert_float_equal(stats_ideal_makespan(ten, 10, 10, 0, NULL), 1, 1e-12);
	assert_float_equal(stats_ideal_makespan(ten, 10, 1, 0, NULL), 10, 1e-12);
	assert_float_equal(stats_ideal_makespan(desc, 5, 4, 0, NULL), 5, 1e-12);
	assert_float_equal(stats_ideal_makespan(desc, 5, 2, 0, NULL), 8, 1e-12);
	assert_float_equal(stats_ideal_makespan(two, 2, 8, 0, NULL), 2, 1e-12);
	assert_float_equal(stats_ideal_makespan(two, 0, 8, 0, NULL), 0, 1e-12);

	/* greedy (LPT) says 0.7 s; the optimum is 0.3+0.3 | 0.2+0.2+0.2 = 0.6 s */
	assert_float_equal(stats_ideal_makespan(issue, 5, 2, 0, &exact), 0.6, 1e-12);
	assert_true(exact);
	assert_float_equal(stats_ideal_makespan(issue, 5, 2, 2, NULL), 0.6, 1e-12);
	/* LPT says 15; 7+5 | 7+5 | 6+6 | 4+4+4 = 12 */
	assert_float_equal(stats_ideal_makespan(nine, 9, 4, 4, &exact), 12, 1e-12);
	assert_true(exact);

	/* more CPU-bound workers than PUs time-share them: 3 x 1 s on 2 PUs = 1.5 s */
	assert_float_equal(stats_ideal_makespan(three, 3, 3, 2, NULL), 1.5, 1e-12);
	assert_float_equal(stats_ideal_makespan(ten, 10, 10, 2, NULL), 5, 1e-12);
	/* waiting work needs no PU */
	assert_float_equal(stats_ideal_makespan(three, 3, 3, 0, NULL), 1, 1e-12);

	/* past the exact search: the lower bound, said as such (100 x 1 s on 3: 100/3) */
	for (int i = 0; i < 100; i++)
		many[i] = 1;
	assert_float_equal(stats_ideal_makespan(many, 100, 3, 0, &exact), 100.0 / 3, 1e-9);
	assert_false(exact);
	assert_float_equal(stats_ideal_makespan(many, 100, 4, 0, &exact), 25, 1e-12);
	assert_true(exact);
}

static void test_fmt_seconds(void **state)
{
	char b[32];

	stats_fmt_seconds(b, sizeof(b), 1.234);
	assert_string_equal(b, "1.23 s");
	stats_fmt_seconds(b, sizeof(b), 0.0456);
	assert_string_equal(b, "45.6 ms");
	stats_fmt_seconds(b, sizeof(b), 12.5e-6);
	assert_string_equal(b, "12.5 us");
	stats_fmt_seconds(b, sizeof(b), NAN);
	assert_string_equal(b, "-");
	stats_fmt_seconds(b, sizeof(b), -1);
	assert_string_equal(b, "-");
	/* rounded first, then the unit: never "1e+03 ms" */
	stats_fmt_seconds(b, sizeof(b), 0.99961);
	assert_string_equal(b, "1 s");
	stats_fmt_seconds(b, sizeof(b), 0.00099961);
	assert_string_equal(b, "1 ms");
	stats_fmt_seconds(b, sizeof(b), 99.97);
	assert_string_equal(b, "100 s");
	stats_fmt_seconds(b, sizeof(b), 0);
	assert_string_equal(b, "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_order_statistic_interval),
		cmocka_unit_test(test_paired_ratio),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_ideal_makespan),
		cmocka_unit_test(test_fmt_seconds),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
