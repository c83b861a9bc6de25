/* cli: list parsing (good and bad values) and whole command lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/core/cli.h"

static void test_uints_good(void **state)
{
	unsigned v[CONFIG_MAX_LIST];
	size_t n;
	char err[256];

	assert_int_equal(cli_parse_uints("--workers", "1,2,4", v, &n, 1, 64, 1, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[2], 4);
	assert_int_equal(cli_parse_uints("--workers", "auto,8", v, &n, 1, 64, 1, err, sizeof(err)), 0);
	assert_int_equal(v[0], 0);
	assert_int_equal(v[1], 8);
}

struct bad_case {
	const char *value;
	const char *message;
};

static void test_uints_bad(void **state)
{
	static const struct bad_case cases[] = {
		{ "0", "'0' is not a whole number from 1 to 64" },
		{ "-1", "'-1' is not a whole number" },
		{ "65", "'65' is not a whole number" },
		{ "abc", "'abc' is not a whole number" },
		{ "2x", "'2x' is not a whole number" },
		{ "1,,2", "empty item" },
		{ "1,", "empty item" },
		{ "", "the list is empty" },
		{ "2,2", "'2' is listed twice" },
		{ "99999999999999999999", "is not a whole number" },
		{ "auto", NULL },
	};
	unsigned v[CONFIG_MAX_LIST];
	size_t n;
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cli_parse_uints("--workers", cases[i].value, v, &n, 1, 64,
					 cases[i].message != NULL, err, sizeof(err));

		if (!cases[i].message) {   /* "auto" without allow_auto */
			assert_int_not_equal(rc, 0);
			continue;
		}
		assert_int_not_equal(rc, 0);
		assert_non_null(strstr(err, "--workers"));
		if (!strstr(err, cases[i].message))
			fail_msg("'%s' gave '%s', want '%s'", cases[i].value, err, cases[i].message);
	}
}

static void test_doubles(void **state)
{
	double v[CONFIG_MAX_LIST];
	size_t n;
	char err[256];

	assert_int_equal(cli_parse_doubles("--seconds", "5,4,3,2,1", v, &n, 0, 100, 1, err, sizeof(err)), 0);
	assert_int_equal(n, 5);
	assert_true(v[0] == 5.0 && v[4] == 1.0);
	assert_int_equal(cli_parse_doubles("--seconds", "1.5,1.5", v, &n, 0, 100, 1, err, sizeof(err)), 0);
	assert_int_not_equal(cli_parse_doubles("--seconds", "-1", v, &n, 0, 100, 1, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "out of range"));
	assert_int_not_equal(cli_parse_doubles("--seconds", "abc", v, &n, 0, 100, 1, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "'abc' is not a number"));
	assert_int_not_equal(cli_parse_doubles("--seconds", "nan", v, &n, 0, 100, 1, err, sizeof(err)), 0);
	assert_int_not_equal(cli_parse_doubles("--seconds", "inf", v, &n, 0, 100, 1, err, sizeof(err)), 0);
}

/* One syntax for every number: the same strings pass or fail as whole and real numbers. */
static void test_number_rule(void **state)
{
	static const char *const bad[] = {
		" 3", "\t3", "3 ", "3\n", "\v3", "+3", "0x10", "0X10", "0x1p3", "inf", "nan",
		"infinity", "", "-", ".", "1e", "e3", "3,", "1_000",
	};
	static const char *const real_only[] = { "3.", ".5", "1e3", "2.5e-1", "1E+2" };
	char err[256];
	double d;
	long l;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cli_parse_long("--n", bad[i], 0, 100, &l, err, sizeof(err)), -EINVAL);
		assert_int_equal(cli_parse_double("--x", bad[i], 0, 100, &d, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "is not a number"));
	}
	for (size_t i = 0; i < sizeof(real_only) / sizeof(real_only[0]); i++) {
		assert_int_equal(cli_parse_long("--n", real_only[i], 0, 1000, &l, err, sizeof(err)), -EINVAL);
		assert_int_equal(cli_parse_double("--x", real_only[i], 0, 1000, &d, err, sizeof(err)), 0);
	}
	assert_int_equal(cli_parse_long("--n", "007", 0, 100, &l, err, sizeof(err)), 0);
	assert_int_equal(l, 7);
	/* too small to hold (a denormal) or too big: out of range, not "not a number" */
	assert_int_equal(cli_parse_double("--x", "1e-320", 0, 100, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "1e-320 is out of range"));
	assert_int_equal(cli_parse_double("--x", "1e999", 0, 100, &d, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "1e999 is out of range"));
	/* a control character is shown escaped */
	cli_parse_double("--x", "\t3", 0, 100, &d, err, sizeof(err));
	assert_non_null(strstr(err, "'\\t3'"));
}

static void test_names(void **state)
{
	const char *v[CONFIG_MAX_LIST];
	char s1[] = "seq,fork", s2[] = "seq,seq", s3[] = "seq,", s4[512];
	size_t n;
	char err[256];

	assert_int_equal(cli_parse_names("--modes", s1, v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1], "fork");
	assert_int_not_equal(cli_parse_names("--modes", s2, v, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "listed twice"));
	assert_int_not_equal(cli_parse_names("--modes", s3, v, &n, err, sizeof(err)), 0);
	/* more than CONFIG_MAX_LIST items */
	size_t used = 0;
	for (int i = 0; i <= CONFIG_MAX_LIST; i++)
		used += (size_t)snprintf(s4 + used, sizeof(s4) - used, "%sm%d", i ? "," : "", i);
	assert_int_not_equal(cli_parse_names("--modes", s4, v, &n, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "more than"));
}

static int parse(struct config *cfg, char *err, size_t len, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = "bench";
	va_start(ap, len);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	return cli_parse(argc, argv, cfg, err, len);
}

static void test_command_lines(void **state)
{
	struct config cfg;
	char err[256];
	char a1[] = "--workload", a2[] = "sleep,noop", a3[] = "--modes=threadpool,procpool",
	     a4[] = "--workers", a5[] = "1,2,auto", a6[] = "--pin", a7[] = "compact,scatter",
	     a8[] = "--reps", a9[] = "5", a10[] = "--no-plots";

	assert_int_equal(parse(&cfg, err, sizeof(err), a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, NULL), 0);
	assert_int_equal(cfg.command, CMD_RUN);
	assert_int_equal(cfg.nworkloads, 2);
	assert_string_equal(cfg.modes[1], "procpool");
	assert_int_equal(cfg.nworkers, 3);
	assert_int_equal(cfg.workers[2], 0);
	assert_int_equal(cfg.pins[1], PIN_SCATTER);
	assert_int_equal(cfg.reps, 5);
	assert_true(cfg.no_plots);

	char d1[] = "demo", d2[] = "3", d3[] = "--time-scale", d4[] = "0.05";
	assert_int_equal(parse(&cfg, err, sizeof(err), d1, d2, d3, d4, NULL), 0);
	assert_int_equal(cfg.command, CMD_DEMO);
	assert_int_equal(cfg.nargs, 1);
	assert_string_equal(cfg.args[0], "3");
	assert_true(cfg.time_scale == 0.05);
}

static void test_command_line_errors(void **state)
{
	struct config cfg;
	char err[256];
	char u1[] = "--frobnicate", w1[] = "--workers", m1[] = "--reps", m2[] = "0",
	     p1[] = "--pin", p2[] = "everywhere", x1[] = "launch", i1[] = "--inject", i2[] = "boom:1",
	     f1[] = "--no-plots=1";

	assert_int_not_equal(parse(&cfg, err, sizeof(err), u1, NULL), 0);
	assert_non_null(strstr(err, "unknown option '--frobnicate'"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), w1, NULL), 0);
	assert_non_null(strstr(err, "--workers needs a value"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), m1, m2, NULL), 0);
	assert_non_null(strstr(err, "--reps"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), p1, p2, NULL), 0);
	assert_non_null(strstr(err, "unknown policy 'everywhere'"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), x1, NULL), 0);
	assert_non_null(strstr(err, "unknown command 'launch'"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), i1, i2, NULL), 0);
	assert_non_null(strstr(err, "--inject"));
	assert_int_not_equal(parse(&cfg, err, sizeof(err), f1, NULL), 0);
	assert_non_null(strstr(err, "takes no value"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uints_good),
		cmocka_unit_test(test_uints_bad),
		cmocka_unit_test(test_doubles),
		cmocka_unit_test(test_number_rule),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_command_lines),
		cmocka_unit_test(test_command_line_errors),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
