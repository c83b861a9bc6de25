/* stats: median, min, max, interval, ideal makespan, speedup in the summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "bench/plan.h"
#include "bench/registry.h"
#include "bench/run.h"
#include "bench/stats.h"

static void test_median(void **state)
{
	double odd[] = { 5, 1, 3 }, even[] = { 4, 1, 3, 2 }, one[] = { 7 };

	assert_true(stats_median(odd, 3) == 3);
	assert_true(stats_median(even, 4) == 2.5);
	assert_true(stats_median(one, 1) == 7);
	assert_true(isnan(stats_median(one, 0)));
}

static void test_summarize_interval(void **state)
{
	double v[] = { 10, 12, 11, 13, 9 };
	struct summary_stats s;

	stats_summarize(v, 5, &s);
	assert_true(s.median == 11 && s.min == 9 && s.max == 13 && s.mean == 11);
	assert_float_equal(s.sd, sqrt(2.5), 1e-12);
	/* t(4) = 2.776: 11 +- 2.776 * 1.5811 / sqrt(5) */
	assert_float_equal(s.ci_lo, 11 - 2.776 * sqrt(2.5) / sqrt(5), 1e-9);
	assert_float_equal(s.ci_hi, 11 + 2.776 * sqrt(2.5) / sqrt(5), 1e-9);

	double single[] = { 4 };
	stats_summarize(single, 1, &s);
	assert_true(s.ci_lo == 4 && s.ci_hi == 4);
	assert_float_equal(stats_t95(1000), 1.96, 1e-9);
}

static void test_ideal_makespan(void **state)
{
	double ten[10], desc[] = { 5, 4, 3, 2, 1 }, two[] = { 2, 2 };

	for (int i = 0; i < 10; i++)
		ten[i] = 1;
	assert_float_equal(stats_ideal_makespan(ten, 10, 4), 3, 1e-12);   /* the tutorial's 10 x 1 s on 4 */
	assert_float_equal(stats_ideal_makespan(ten, 10, 10), 1, 1e-12);
	assert_float_equal(stats_ideal_makespan(ten, 10, 1), 10, 1e-12);
	assert_float_equal(stats_ideal_makespan(desc, 5, 4), 5, 1e-12);
	assert_float_equal(stats_ideal_makespan(desc, 5, 2), 8, 1e-12);   /* LPT: 5+2+1 | 4+3 */
	assert_float_equal(stats_ideal_makespan(two, 2, 8), 2, 1e-12);
	assert_float_equal(stats_ideal_makespan(two, 0, 8), 0, 1e-12);
}

static void test_speedup_interval(void **state)
{
	double a[] = { 4.0, 4.2, 3.8 }, b[] = { 2.0, 2.1, 1.9 }, one[] = { 2.0 };
	struct summary_stats sa, sb, s1;
	double lo, hi;

	stats_summarize(a, 3, &sa);
	stats_summarize(b, 3, &sb);
	stats_speedup_interval(&sa, &sb, 2.0, &lo, &hi);
	/* same relative spread on both sides: sqrt(2 * (0.2/4)^2 / 3), t(4) = 2.776 */
	double h = 2.776 * sqrt(2 * 0.05 * 0.05 / 3);
	assert_float_equal(lo, 2.0 * exp(-h), 1e-9);
	assert_float_equal(hi, 2.0 * exp(h), 1e-9);
	assert_float_equal(lo * hi, 4.0, 1e-9);   /* symmetric on a log scale */
	stats_summarize(one, 1, &s1);
	stats_speedup_interval(&sa, &s1, 2.0, &lo, &hi);
	assert_true(lo == 2.0 && hi == 2.0);
}

static void add(struct summary *s, const char *mode, unsigned workers, unsigned rep, double wall)
{
	struct run_spec spec = { .workload = registry_workload("sleep"), .mode = registry_mode(mode),
				 .workers = workers, .rep = rep };
	struct run_result r;

	memset(&r, 0, sizeof(r));
	r.workers = workers;
	r.ntasks = 4;
	r.wall_s = wall;
	r.user_s = wall / 10;
	r.status = RUN_OK;
	assert_int_equal(summary_add(s, &spec, &r), 0);
}

static void test_summary_speedup(void **state)
{
	struct summary s = { 0 };

	add(&s, "seq", 1, 1, 4.0);
	add(&s, "seq", 1, 2, 4.2);
	add(&s, "seq", 1, 3, 3.8);
	add(&s, "threadpool", 2, 1, 2.0);
	add(&s, "threadpool", 2, 2, 2.1);
	add(&s, "threadpool", 2, 3, 1.9);
	add(&s, "threadpool", 4, 1, 1.0);
	summary_compute(&s, 2);
	assert_int_equal(s.nrows, 3);
	assert_float_equal(s.rows[0].speedup, 1.0, 1e-12);
	assert_float_equal(s.rows[1].speedup, 2.0, 1e-12);
	assert_true(s.rows[1].speedup_lo < 2.0 && s.rows[1].speedup_hi > 2.0);
	/* sleep is I/O-bound: efficiency counts workers, not PUs */
	assert_float_equal(s.rows[2].speedup, 4.0, 1e-12);
	assert_float_equal(s.rows[2].efficiency, 1.0, 1e-12);
	assert_float_equal(s.rows[1].cpu_per_wall, 0.1, 1e-12);
	summary_free(&s);
}

static void test_summary_without_seq(void **state)
{
	struct summary s = { 0 };

	add(&s, "procpool", 2, 1, 2.0);
	summary_compute(&s, 2);
	assert_true(s.rows[0].speedup < 0);   /* no baseline: shown as "-" */
	summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_summarize_interval),
		cmocka_unit_test(test_ideal_makespan),
		cmocka_unit_test(test_speedup_interval),
		cmocka_unit_test(test_summary_speedup),
		cmocka_unit_test(test_summary_without_seq),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
