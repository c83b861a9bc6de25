/* registry: the one table of modes and workloads is well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bench/core/registry.h"

static int dummy_run(struct job *job)
{
	return 0;
}

static void test_real_tables_pass(void **state)
{
	char err[256] = "";

	assert_int_equal(registry_check(err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void test_lookup(void **state)
{
	assert_non_null(registry_mode("seq"));
	assert_non_null(registry_mode("procpool"));
	assert_null(registry_mode("nosuch"));
	assert_non_null(registry_workload("sleep"));
	assert_non_null(registry_workload("noop"));
	assert_null(registry_workload("nosuch"));
}

/* A plug-in is loaded only by registry_workload_open(), never by a lookup
 * (bench report looks names from CSV files up). */
static void test_plugin_names(void **state)
{
	char err[1024] = "";

	assert_null(registry_workload("plugin:/nonexistent/x.so"));
	assert_null(registry_workload_open("plugin:/nonexistent/x.so", err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open plug-in /nonexistent/x.so: No such file"));
	assert_null(registry_workload_open("plugin:", err, sizeof(err)));
	assert_non_null(strstr(err, "names no shared object"));
	assert_null(registry_workload_open("nosuch", err, sizeof(err)));
	assert_non_null(strstr(err, "unknown workload 'nosuch' (valid: noop, sleep"));
	assert_non_null(strstr(err, "plugin:FILE.so)"));
	assert_ptr_equal(registry_workload_open("sleep", err, sizeof(err)), registry_workload("sleep"));
}

/* "all": every mode that runs here but the teaching ones; the five portable ones at least. */
static void test_all_has_the_five(void **state)
{
	size_t in_all = 0;

	for (size_t i = 0; i < registry_nmodes; i++) {
		const struct mode *m = registry_modes[i];
		int want = !m->unavailable && !m->teaching_only;

		assert_int_equal(registry_mode_in_all(m), want);
		assert_ptr_equal(registry_mode(m->name), m);
		in_all += want;
	}
	assert_true(in_all >= 5);
	for (size_t i = 0; i < registry_nworkloads; i++)
		assert_ptr_equal(registry_workload(registry_workloads[i]->name), registry_workloads[i]);
}

static void test_duplicate_rejected(void **state)
{
	static const struct mode a = { .name = "x", .summary = "s", .teaches = "t", .run = dummy_run };
	static const struct mode b = { .name = "x", .summary = "s2", .teaches = "t2", .run = dummy_run };
	const struct mode *modes[] = { &a, &b };
	char err[256];

	assert_int_not_equal(registry_check_tables(modes, 2, NULL, 0, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "listed twice"));
}

static void test_missing_hook_rejected(void **state)
{
	static const struct mode a = { .name = "x", .summary = "s", .teaches = "t" };
	static const struct workload w = { .name = "w", .summary = "s" };
	const struct mode *modes[] = { &a };
	const struct workload *wls[] = { &w };
	char err[256];

	assert_int_not_equal(registry_check_tables(modes, 1, NULL, 0, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "run hook"));
	assert_int_not_equal(registry_check_tables(NULL, 0, wls, 1, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "run_task"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_tables_pass),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_plugin_names),
		cmocka_unit_test(test_all_has_the_five),
		cmocka_unit_test(test_duplicate_rejected),
		cmocka_unit_test(test_missing_hook_rejected),
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
