/*
 * compare: the ranking's geometric mean, the per-cell ratio and its test,
 * from runs made up by hand and read through the one analysis path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/analysis/compare.h"
#include "bench/data/csv.h"
#include "bench/analysis/report_data.h"

/*
 * Hosts a (ids aaaa...) and b: 6 seq runs each of workloads w1 and w2,
 * a's at 1 s (+ k ms), b's at @b1 and @b2 s (+ k ms).
 */
static void load(struct report_data *d, double b1, double b2)
{
	static const char *const names[] = { "hosts.csv" };
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), err[256];
	struct csv t;
	struct csv_error e;
	int seq = 0;

	assert_non_null(buf);
	n += (size_t)snprintf(buf + n, cap - n, "schema,run,host,machine_id,pus,usable_pus,workload,"
			      "params,mode,workers,pin,rep,warmup,tasks,wall_s,status\n");
	for (int h = 0; h < 2; h++)
		for (int w = 1; w <= 2; w++)
			for (int k = 1; k <= 6; k++) {
				double base = h == 0 ? 1 : w == 1 ? b1 : b2;

				n += (size_t)snprintf(buf + n, cap - n, "2,s%d-%d,%s,%s,4,4,w%d,,seq,1,none,%d,0,"
						      "4,%.6f,ok\n", h, ++seq, h ? "b" : "a",
						      h ? "bbbbbbbbbbbb" : "aaaaaaaaaaaa", w, k,
						      base + 0.001 * k);
			}
	assert_int_equal(csv_parse(buf, n, &t, &e), 0);
	if (report_data_load_tables(d, &t, names, 1, err, sizeof(err)))
		fail_msg("%s", err);
}

static void test_ranking_is_the_geometric_mean_of_best_times(void **state)
{
	struct report_data d;
	struct comparison c;

	load(&d, 2, 8);
	assert_int_equal(compare_compute(&d, 0, &c), 0);
	assert_int_equal(c.nrank, 2);
	assert_int_equal(c.rank[0].machine, 0);
	assert_float_equal(c.rank[0].geomean, 1, 1e-12);
	assert_int_equal(c.rank[1].machine, 1);
	assert_int_equal(c.rank[1].nworkloads, 2);
	/* sqrt(2 x 8) = 4, a little less for the 1 ms steps */
	assert_true(fabs(c.rank[1].geomean - 4) < 0.01);
	assert_true(c.rank[1].has_interval);
	assert_true(c.rank[1].lo <= c.rank[1].geomean && c.rank[1].geomean <= c.rank[1].hi);
	assert_true(c.rank[1].lo > 3.9 && c.rank[1].hi < 4.1);
	compare_free(&c);
	/* against b, a is four times faster and first */
	assert_int_equal(compare_compute(&d, 1, &c), 0);
	assert_int_equal(c.rank[0].machine, 0);
	assert_true(fabs(c.rank[0].geomean - 0.25) < 0.001);
	compare_free(&c);
	report_data_free(&d);
}

static void test_each_cell_is_tested_against_the_baseline(void **state)
{
	struct report_data d;
	struct comparison c;
	const struct cmp_test *t;

	load(&d, 2, 1.0005);
	assert_int_equal(compare_compute(&d, 0, &c), 0);
	assert_int_equal(c.nw, 2);
	assert_int_equal(c.ntests, 2);
	assert_int_equal(c.w[0].nrows, 1);
	t = compare_test(&c, 0, 0, 1);
	assert_non_null(t);
	assert_true(fabs(t->ratio - 2) < 0.01);
	/* 6 against 6, every b slower: the exact two-sided p is 2 / C(12, 6) */
	assert_float_equal(t->p, 2.0 / 924, 1e-9);
	assert_true(t->significant);
	/* w2: b's runs interleave a's: no difference to speak of */
	t = compare_test(&c, 1, 0, 1);
	assert_non_null(t);
	assert_false(t->significant);
	assert_null(compare_test(&c, 0, 0, 0));
	compare_free(&c);
	report_data_free(&d);
}

static void test_find_host(void **state)
{
	struct report_data d;
	size_t m = 9;

	load(&d, 2, 2);
	assert_int_equal(compare_find_host(&d, "b", &m), 0);
	assert_int_equal(m, 1);
	assert_int_equal(compare_find_host(&d, "c", &m), -2);
	report_data_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ranking_is_the_geometric_mean_of_best_times),
		cmocka_unit_test(test_each_cell_is_tested_against_the_baseline),
		cmocka_unit_test(test_find_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
