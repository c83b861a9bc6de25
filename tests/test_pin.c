/*
 * pin: compact and scatter maps on synthetic topologies (hwloc), wrapping
 * when there are more workers than PUs; and on this machine, a pinned
 * thread and a pinned forked child really run on their PU.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/sys/pin.h"

/* In a synthetic topology OS indices follow the logical order, so the PU
 * p of "pack:P core:C pu:T" sits on core p / T and package p / (C * T). */
struct shape {
	const char *desc;
	unsigned packs, cores, threads;
};

static const struct shape shapes[] = {
	{ "pack:2 core:4 pu:2", 2, 4, 2 },
	{ "pack:1 core:8 pu:1", 1, 8, 1 },
	{ "pack:4 core:2 pu:4", 4, 2, 4 },
	{ "pack:1 core:1 pu:1", 1, 1, 1 },
};

static unsigned npus(const struct shape *s)
{
	return s->packs * s->cores * s->threads;
}

static void test_compact_fills_cores_first(void **state)
{
	for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		const struct shape *s = &shapes[k];
		unsigned n = npus(s) + 3;   /* more workers than PUs: wraps */
		struct pin_plan *plan;

		assert_int_equal(pin_init_synthetic(s->desc), 0);
		assert_int_equal(pin_plan_make(PIN_COMPACT, n, &plan), 0);
		assert_non_null(plan);
		assert_true(plan->wrapped);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(plan->pu[i], (int)(i % npus(s)));
		/* the first two workers share a core when cores have 2+ PUs */
		if (s->threads > 1)
			assert_int_equal(plan->pu[0] / (int)s->threads, plan->pu[1] / (int)s->threads);
		pin_plan_free(plan);
	}
	pin_fini();
}

static void test_scatter_spreads(void **state)
{
	for (size_t k = 0; k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		const struct shape *s = &shapes[k];
		unsigned ncores = s->packs * s->cores;

		assert_int_equal(pin_init_synthetic(s->desc), 0);
		for (unsigned n = 1; n <= npus(s) + 2; n++) {
			struct pin_plan *plan;
			char *core_used = calloc(ncores, 1), *pu_used = calloc(npus(s), 1);
			unsigned pack_count[8] = { 0 };

			assert_int_equal(pin_plan_make(PIN_SCATTER, n, &plan), 0);
			assert_int_equal(plan->wrapped, n > npus(s));
			for (unsigned i = 0; i < n; i++) {
				int pu = plan->pu[i];
				unsigned core = (unsigned)pu / s->threads;

				assert_true(pu >= 0 && pu < (int)npus(s));
				/* up to one worker per core, no core gets two */
				if (n <= ncores)
					assert_false(core_used[core]);
				/* up to one worker per PU, no PU gets two */
				if (n <= npus(s))
					assert_false(pu_used[pu]);
				core_used[core] = 1;
				pu_used[pu] = 1;
				pack_count[core / s->cores]++;
			}
			/* packages get equal shares, give or take one */
			for (unsigned p = 0; p < s->packs; p++)
				assert_true(pack_count[p] + 1 >= n / s->packs && pack_count[p] <= n / s->packs + 1);
			pin_plan_free(plan);
			free(core_used);
			free(pu_used);
		}
	}
	pin_fini();
}

static void test_two_workers_two_packages(void **state)
{
	struct pin_plan *plan;

	assert_int_equal(pin_init_synthetic("pack:2 core:4 pu:2"), 0);
	assert_int_equal(pin_plan_make(PIN_SCATTER, 2, &plan), 0);
	assert_int_not_equal(plan->pu[0] / 8, plan->pu[1] / 8);
	pin_plan_free(plan);
	assert_int_equal(pin_plan_make(PIN_COMPACT, 2, &plan), 0);
	assert_int_equal(plan->pu[0] / 2, plan->pu[1] / 2);   /* same core */
	pin_plan_free(plan);
	assert_int_equal(pin_plan_make(PIN_NONE, 2, &plan), 0);
	assert_null(plan);
	assert_int_equal(pin_planned_pu(NULL, 3), -1);
	pin_fini();
}

static void test_topology_info_synthetic(void **state)
{
	struct pin_topology_info info;

	assert_int_equal(pin_init_synthetic("pack:2 core:4 pu:2"), 0);
	assert_int_equal(pin_topology_info(&info), 0);
	assert_int_equal(info.packages, 2);
	assert_int_equal(info.cores, 8);
	assert_int_equal(info.pus, 16);
	pin_fini();
}

/* On the real machine: the thread and a forked child run where planned. */
static void test_real_binding(void **state)
{
	char err[256];
	struct pin_plan *plan;
	unsigned n = pin_usable_pus();

	assert_int_equal(pin_init(), 0);
	if (pin_check(err, sizeof(err))) {
		printf("skipped: %s\n", err);
		skip();
	}
	assert_int_equal(pin_plan_make(PIN_COMPACT, n, &plan), 0);
	for (unsigned w = 0; w < n; w++) {
		pid_t pid;
		int status;

		assert_int_equal(pin_bind_thread(plan, w, err, sizeof(err)), 0);
		for (int i = 0; i < 100; i++)
			assert_int_equal(sched_getcpu(), plan->pu[w]);
		pin_unbind_thread();

		pid = fork();
		if (pid == 0) {
			int ok = pin_bind_process(plan, w, err, sizeof(err)) == 0;

			for (int i = 0; i < 100 && ok; i++)
				ok = sched_getcpu() == plan->pu[w];
			_exit(ok ? 0 : 1);
		}
		assert_true(pid > 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	pin_plan_free(plan);
	pin_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_fills_cores_first),
		cmocka_unit_test(test_scatter_spreads),
		cmocka_unit_test(test_two_workers_two_packages),
		cmocka_unit_test(test_topology_info_synthetic),
		cmocka_unit_test(test_real_binding),
	};

	return cmocka_run_group_tests_name("pin", tests, NULL, NULL);
}
