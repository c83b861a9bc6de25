/* plan: workloads x modes x workers x pins, deduplicated; the seeded shuffle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bench/core/plan.h"
#include "bench/core/registry.h"

static void base(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->workloads[0] = "sleep";
	cfg->nworkloads = 1;
	cfg->modes[0] = "all";
	cfg->nmodes = 1;
	cfg->nworkers = 1;
	cfg->npins = 1;
	cfg->reps = 3;
}

static void test_all_expands_to_five_modes(void **state)
{
	struct config cfg;
	struct run_spec *runs;
	size_t n, nall = 0;
	char err[256];

	/* five, and mpi when built with Open MPI */
	for (size_t i = 0; i < registry_nmodes; i++)
		nall += registry_mode_in_all(registry_modes[i]);
	assert_true(nall == 5 || (nall == 6 && !registry_mode("mpi")->unavailable));
	base(&cfg);
	assert_int_equal(plan_expand(&cfg, 2, &runs, &n, err, sizeof(err)), 0);
	/* one repetition's worth: the driver repeats and shuffles it */
	assert_int_equal(n, nall);
	assert_string_equal(runs[0].mode->name, "seq");
	assert_int_equal(runs[0].rep, 0);
	assert_int_equal(runs[0].workers, 1);          /* seq */
	assert_int_equal(runs[1].workers, 0);          /* pthread: one per task */
	assert_int_equal(runs[3].workers, 2);          /* threadpool: auto = 2 */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(runs[i].seq, i);
	free(runs);
}

static void test_workers_and_pins_matrix(void **state)
{
	struct config cfg;
	struct run_spec *runs;
	size_t n;
	char err[256];

	base(&cfg);
	cfg.modes[0] = "seq";
	cfg.modes[1] = "threadpool";
	cfg.modes[2] = "fork";
	cfg.nmodes = 3;
	cfg.workers[0] = 1;
	cfg.workers[1] = 2;
	cfg.workers[2] = 4;
	cfg.nworkers = 3;
	cfg.pins[0] = PIN_NONE;
	cfg.pins[1] = PIN_COMPACT;
	cfg.npins = 2;
	cfg.reps = 2;
	cfg.warmup = 1;
	assert_int_equal(plan_expand(&cfg, 2, &runs, &n, err, sizeof(err)), 0);
	/* seq 1x2 pins + threadpool 3x2 + fork 1x2 = 10 */
	assert_int_equal(n, 10);
	assert_false(runs[0].warmup);
	assert_int_equal(runs[1].pin, PIN_COMPACT);
	assert_int_equal(runs[2].workers, 1);   /* threadpool w=1 */
	assert_int_equal(runs[9].mode->one_worker_per_task, 1);
	free(runs);
}

static void test_auto_duplicate_collapses(void **state)
{
	struct config cfg;
	struct run_spec *runs;
	size_t n;
	char err[256];

	base(&cfg);
	cfg.modes[0] = "threadpool";
	cfg.workers[0] = 2;
	cfg.workers[1] = 0;   /* auto = 2 here */
	cfg.nworkers = 2;
	cfg.reps = 1;
	assert_int_equal(plan_expand(&cfg, 2, &runs, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	free(runs);
}

static void test_unknown_names(void **state)
{
	struct config cfg;
	struct run_spec *runs;
	size_t n;
	char err[256];

	base(&cfg);
	cfg.modes[0] = "quantum";
	assert_int_not_equal(plan_expand(&cfg, 2, &runs, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "unknown mode 'quantum'"));
	assert_non_null(strstr(err, "procpool"));   /* lists the valid ones */
	base(&cfg);
	cfg.workloads[0] = "mining";
	assert_int_not_equal(plan_expand(&cfg, 2, &runs, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "unknown workload 'mining'"));
	assert_non_null(strstr(err, "sleep"));
}

static void test_effective_workers(void **state)
{
	struct run_spec s = { .workers = 0 };

	assert_int_equal(plan_effective_workers(&s, 10), 10);
	s.workers = 3;
	assert_int_equal(plan_effective_workers(&s, 10), 3);
}

/* A permutation, the same for the same seed and round, another for another round. */
static void test_shuffle(void **state)
{
	size_t a[10], b[10], c[10], seen[10] = { 0 };
	int differs = 0;

	for (size_t i = 0; i < 10; i++)
		a[i] = b[i] = c[i] = i;
	plan_shuffle(a, 10, 42, 1);
	plan_shuffle(b, 10, 42, 1);
	plan_shuffle(c, 10, 42, 2);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(a[i], b[i]);
		assert_true(a[i] < 10);
		seen[a[i]]++;
		differs |= a[i] != c[i];
	}
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(seen[i], 1);
	assert_true(differs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_expands_to_five_modes),
		cmocka_unit_test(test_workers_and_pins_matrix),
		cmocka_unit_test(test_auto_duplicate_collapses),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_effective_workers),
		cmocka_unit_test(test_shuffle),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
