/*
 * scaling: runs CSVs made from a known law, read through the one analysis
 * path (report_data) and fitted (bench/scaling): the law comes back, and
 * contended or too narrow data is refused with the reason.
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

#include "bench/data/csv.h"
#include "bench/analysis/report_data.h"
#include "bench/analysis/scaling.h"

#define T1 2.0   /* seq wall time, seconds */

struct law {
	double s;               /* Amdahl's serial fraction of the mode */
	unsigned pus;           /* usable PUs of the machine */
	const unsigned *workers;
	size_t nworkers;
	unsigned reps;
	double cpu_per_wall;    /* task CPU / wall: 1 computes, 0.01 waits */
	double others;          /* others' CPU seconds per run (contention) */
	double noise;           /* relative, uniform in [-noise, noise] */
};

/* A fixed stream in [-1, 1] (64-bit LCG, top 53 bits). */
static double noise(uint64_t *x)
{
	*x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*x >> 11) / 9007199254740992.0 * 2 - 1;
}

static void row(char **p, size_t *left, const struct law *l, unsigned rep, size_t seq,
		const char *mode, unsigned workers, double wall)
{
	int n = snprintf(*p, *left, "2,ab12cd-%zu,host1,0123456789ab,%u,%u,cpu,16 x 1,%s,%u,none,%u,0,16,"
			 "%.9f,ok,%.9f,%.9f,%.9f,0\n", seq, l->pus, l->pus, mode, workers, rep, wall,
			 16 * T1 / 16 * l->cpu_per_wall, 16 * T1 / 16, l->others);

	*p += n;
	*left -= (size_t)n;
}

/*
 * The runs file of @l: per repetition, a seq row and a threadpool row per
 * worker count, in one session, each wall time with its own noise.
 */
static int load_law(struct report_data *d, const struct law *l)
{
	static const char *const names[] = { "law.csv" };
	size_t cap = 1 << 20, left = cap, seq = 1;
	char *buf = malloc(cap), *p = buf, err[512];
	struct csv t;
	struct csv_error e;
	uint64_t x = 7;
	int rc;

	assert_non_null(buf);
	p += snprintf(p, left, "schema,run,host,machine_id,pus,usable_pus,workload,params,mode,workers,"
		      "pin,rep,warmup,tasks,wall_s,status,task_cpu_s,task_wall_s,others_cpu_s,steal_s\n");
	left = cap - (size_t)(p - buf);
	for (unsigned rep = 1; rep <= l->reps; rep++) {
		row(&p, &left, l, rep, seq++, "seq", 1, T1 * (1 + l->noise * noise(&x)));
		for (size_t i = 0; i < l->nworkers; i++) {
			double w = l->workers[i], par = w > l->pus && l->cpu_per_wall > 0.5 ? l->pus : w;
			double wall = T1 * (l->s + (1 - l->s) / par) * (1 + l->noise * noise(&x));

			row(&p, &left, l, rep, seq++, "threadpool", l->workers[i], wall);
		}
	}
	rc = csv_parse(buf, (size_t)(p - buf), &t, &e);
	assert_int_equal(rc, 0);
	rc = report_data_load_tables(d, &t, names, 1, err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s\n", err);
	return rc;
}

static const unsigned one_to_16[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const unsigned powers[] = { 1, 2, 4, 8, 16 };

static void test_known_law_comes_back(void **state)
{
	struct law l = { .s = 0.10, .pus = 16, .workers = one_to_16, .nworkers = 16, .reps = 6,
			 .cpu_per_wall = 1, .noise = 0.02 };
	struct report_data d;
	struct scaling_set set;
	const struct scaling_fit *f;

	assert_int_equal(load_law(&d, &l), 0);
	assert_int_equal(scaling_compute(&d, &set), 0);
	assert_int_equal(set.n, 1);
	f = &set.fits[0];
	assert_true(f->fitted);
	assert_string_equal(f->mode, "threadpool");
	assert_true(f->by_pus);
	assert_int_equal(f->nworkers, 16);
	assert_int_equal(f->fit.npoints, 16 * 6);
	assert_true(fabs(f->fit.amdahl.s - 0.10) < 0.01);
	assert_true(f->fit.amdahl.has_interval);
	assert_true(f->fit.amdahl.lo <= f->fit.amdahl.s && f->fit.amdahl.s <= f->fit.amdahl.hi);
	assert_true(f->fit.amdahl.lo > 0.05 && f->fit.amdahl.hi < 0.15);
	/* Karp-Flatt of an Amdahl law is its s at every p */
	for (size_t i = 1; i < f->fit.nlevels; i++)
		assert_true(fabs(f->fit.levels[i].karp_flatt - 0.10) < 0.03);
	/* the USL's sigma plays s's part */
	assert_true(fabs(f->fit.usl.sigma - 0.10) < 0.03);
	assert_true(f->max_p == 16);
	scaling_free(&set);
	report_data_free(&d);
}

static void test_ratios_are_the_paired_reps(void **state)
{
	struct law l = { .s = 0.10, .pus = 16, .workers = powers, .nworkers = 5, .reps = 4,
			 .cpu_per_wall = 1, .noise = 0.0 };
	struct report_data d;

	assert_int_equal(load_law(&d, &l), 0);
	for (size_t g = 0; g < d.ngroups; g++) {
		const double *r;
		size_t n = report_data_ratios(&d.groups[g], &r);

		if (!strcmp(d.groups[g].mode, "seq")) {
			/* seq over itself: each rep's ratio is 1 */
			assert_int_equal(n, 4);
			for (size_t k = 0; k < n; k++)
				assert_float_equal(r[k], 1, 1e-9);
			continue;
		}
		assert_int_equal(n, 4);
		for (size_t k = 0; k < n; k++)
			assert_float_equal(r[k], 1 / (0.1 + 0.9 / d.groups[g].workers), 1e-6);
	}
	report_data_free(&d);
}

static void test_contended_data_is_refused(void **state)
{
	struct law l = { .s = 0.10, .pus = 16, .workers = powers, .nworkers = 5, .reps = 3,
			 .cpu_per_wall = 1, .others = 40, .noise = 0.01 };
	struct report_data d;
	struct scaling_set set;

	assert_int_equal(load_law(&d, &l), 0);
	assert_int_equal(scaling_compute(&d, &set), 0);
	assert_int_equal(set.n, 1);
	assert_false(set.fits[0].fitted);
	assert_non_null(strstr(set.fits[0].why, "contended"));
	scaling_free(&set);
	report_data_free(&d);
}

static void test_cpu_bound_p_stops_at_the_pus(void **state)
{
	struct law l = { .s = 0.05, .pus = 4, .workers = powers, .nworkers = 5, .reps = 3,
			 .cpu_per_wall = 1, .noise = 0.01 };
	struct report_data d;
	struct scaling_set set;
	const struct scaling_fit *f;

	assert_int_equal(load_law(&d, &l), 0);
	assert_int_equal(scaling_compute(&d, &set), 0);
	assert_int_equal(set.n, 1);
	f = &set.fits[0];
	assert_true(f->fitted);
	assert_true(f->by_pus);
	assert_int_equal(f->fit.nlevels, 3);          /* p = 1, 2, 4 */
	assert_true(f->max_p == 4);
	assert_true(fabs(f->fit.amdahl.s - 0.05) < 0.02);
	scaling_free(&set);
	report_data_free(&d);
}

static void test_too_few_levels_under_the_pus_is_refused(void **state)
{
	static const unsigned w[] = { 1, 2, 4, 8 };
	struct law l = { .s = 0.05, .pus = 2, .workers = w, .nworkers = 4, .reps = 3,
			 .cpu_per_wall = 1, .noise = 0.01 };
	struct report_data d;
	struct scaling_set set;

	assert_int_equal(load_law(&d, &l), 0);
	assert_int_equal(scaling_compute(&d, &set), 0);
	assert_int_equal(set.n, 1);
	assert_false(set.fits[0].fitted);
	assert_non_null(strstr(set.fits[0].why, "2 PUs"));
	scaling_free(&set);
	report_data_free(&d);
}

static void test_waiting_work_uses_the_workers(void **state)
{
	static const unsigned w[] = { 1, 2, 4, 8 };
	struct law l = { .s = 0.02, .pus = 2, .workers = w, .nworkers = 4, .reps = 3,
			 .cpu_per_wall = 0.01, .noise = 0.01 };
	struct report_data d;
	struct scaling_set set;
	char buf[4096];
	FILE *out;

	assert_int_equal(load_law(&d, &l), 0);
	assert_int_equal(scaling_compute(&d, &set), 0);
	assert_int_equal(set.n, 1);
	assert_true(set.fits[0].fitted);
	assert_false(set.fits[0].by_pus);
	assert_true(set.fits[0].max_p == 8);
	assert_true(fabs(set.fits[0].fit.amdahl.s - 0.02) < 0.01);
	/* the printed block and the JSON say it */
	out = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(out);
	scaling_print_table(&d, &set, out);
	scaling_print_json(&d, &set, out);
	fclose(out);
	assert_non_null(strstr(buf, "Amdahl s"));
	assert_non_null(strstr(buf, "e(p):"));
	assert_non_null(strstr(buf, "\"amdahl_serial\": 0.0"));
	assert_non_null(strstr(buf, "\"p_basis\": \"workers\""));
	scaling_free(&set);
	report_data_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_law_comes_back),
		cmocka_unit_test(test_ratios_are_the_paired_reps),
		cmocka_unit_test(test_contended_data_is_refused),
		cmocka_unit_test(test_cpu_bound_p_stops_at_the_pus),
		cmocka_unit_test(test_too_few_levels_under_the_pus_is_refused),
		cmocka_unit_test(test_waiting_work_uses_the_workers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
