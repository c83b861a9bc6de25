/* verdict and summary: rows built by hand go through the one analysis path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/sys/machine.h"
#include "bench/core/plan.h"
#include "bench/core/registry.h"
#include "bench/core/run.h"
#include "bench/analysis/summary.h"
#include "bench/analysis/verdict.h"

static struct machine two_pus = { .host = "testhost", .cpu_model = "test CPU", .pus = 2,
				  .usable_pus = 2, .cores = 2, .packages = 1 };

static void add(struct summary *s, const char *mode, unsigned workers, unsigned rep, double wall,
		double others)
{
	struct run_spec spec = { .workload = registry_workload("cpu"), .mode = registry_mode(mode),
				 .workers = workers, .rep = rep, .order = 1, .seed = 1 };
	struct run_result r;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "abcdef-%u", rep);
	r.workers = workers;
	r.ntasks = 4;
	r.completed = 4;
	r.wall_s = wall;
	r.user_s = wall * workers;
	r.spawn_s = 1e-5;
	r.task_cpu_s = wall * workers;
	r.task_wall_s = wall * workers;
	r.ideal_s = wall * 0.9;
	r.ideal_exact = 1;
	r.others_cpu_s = others;
	r.steal_s = 0;
	r.psi_cpu_some_s = NAN;
	r.load1 = 0.1;
	r.window_s = wall;
	r.status = RUN_OK;
	assert_int_equal(summary_add(s, &spec, &r, "4 tasks"), 0);
}

static char *verdict_json(struct summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	verdict_print_json(s, f);
	fclose(f);
	return buf;
}

/* 6 reps; threadpool and procpool drawn from the same values, seq twice as slow. */
static void fill(struct summary *s, double others)
{
	static const double a[] = { 1.00, 1.02, 0.98, 1.01, 0.99, 1.03 };
	static const double b[] = { 1.01, 0.99, 1.02, 1.00, 1.03, 0.98 };

	for (unsigned k = 0; k < 6; k++) {
		add(s, "seq", 1, k + 1, 2 * a[k], others);
		add(s, "threadpool", 2, k + 1, a[k], others);
		add(s, "procpool", 2, k + 1, b[k], others);
	}
}

static void test_tie_named_as_a_tie(void **state)
{
	struct summary s = { .machine = &two_pus };
	char *v;

	fill(&s, 0);
	assert_int_equal(summary_compute(&s), 0);
	assert_int_equal(s.nrows, 3);
	/* paired: seq_k / threadpool_k = 2 exactly in every rep */
	assert_float_equal(summary_find(&s, "cpu", "threadpool")->group->speedup, 2.0, 1e-12);
	assert_float_equal(summary_find(&s, "cpu", "threadpool")->group->speedup_lo, 2.0, 1e-12);
	v = verdict_json(&s);
	assert_non_null(strstr(v, "\"winner\": null"));
	assert_non_null(strstr(v, "\"tied\": [{\"mode\": "));
	assert_non_null(strstr(v, "\"contended\": false"));
	assert_non_null(strstr(v, "each of them beats seq"));
	assert_non_null(strstr(v, "\"kind\": \"CPU-bound\""));
	/* threads and processes indistinguishable: no family is recommended over the other */
	assert_non_null(strstr(v, "\"recommend\": \"threads or processes\""));
	free(v);
	summary_free(&s);
}

static void test_winner_needs_every_comparison(void **state)
{
	struct summary s = { .machine = &two_pus };
	char *v;

	for (unsigned k = 0; k < 6; k++) {
		add(&s, "seq", 1, k + 1, 2.0 + 0.01 * k, 0);
		add(&s, "threadpool", 2, k + 1, 1.0 + 0.01 * k, 0);
		add(&s, "procpool", 2, k + 1, 1.5 + 0.01 * k, 0);
	}
	assert_int_equal(summary_compute(&s), 0);
	v = verdict_json(&s);
	/* every threadpool run beats every other: exact p = 2/924 per test, x2 (Holm) */
	assert_non_null(strstr(v, "\"winner\": \"threadpool\""));
	assert_non_null(strstr(v, "\"p_value\": 0.004329"));
	assert_non_null(strstr(v, "\"recommend\": \"threads\""));
	free(v);
	summary_free(&s);
}

static void test_contended_withholds(void **state)
{
	struct summary s = { .machine = &two_pus };
	double taken;
	char *v;

	fill(&s, 1.0);   /* others took 1 CPU-second per ~1-2 s run: half the machine or more */
	assert_int_equal(summary_compute(&s), 0);
	assert_true(summary_contention(&s, &taken));
	assert_true(taken > 0.5 && taken < 1.01);
	v = verdict_json(&s);
	assert_non_null(strstr(v, "\"contended\": true"));
	assert_non_null(strstr(v, "\"winner\": null"));
	assert_non_null(strstr(v, "\"recommend\": null"));
	assert_non_null(strstr(v, "\"kind\": \"not classified (contended runs)\""));
	assert_non_null(strstr(v, "verdict withheld"));
	free(v);
	summary_free(&s);
}

static void test_too_few_reps(void **state)
{
	struct summary s = { .machine = &two_pus };
	char *v;

	for (unsigned k = 0; k < 3; k++) {
		add(&s, "seq", 1, k + 1, 2.0, 0);
		add(&s, "threadpool", 2, k + 1, 1.0, 0);
	}
	assert_int_equal(summary_compute(&s), 0);
	assert_true(isnan(summary_find(&s, "cpu", "threadpool")->group->speedup_lo));
	v = verdict_json(&s);
	assert_non_null(strstr(v, "\"winner\": null"));
	assert_non_null(strstr(v, "no test can name a winner"));
	assert_non_null(strstr(v, "\"recommend\": null"));
	free(v);
	summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tie_named_as_a_tie),
		cmocka_unit_test(test_winner_needs_every_comparison),
		cmocka_unit_test(test_contended_withholds),
		cmocka_unit_test(test_too_few_reps),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
