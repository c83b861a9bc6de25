/*
 * Every mode on noop-like and sleep tasks: each task runs exactly once,
 * its result lands in its index slot, completion order is a permutation,
 * and W workers really are W distinct threads or processes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/core/config.h"
#include "bench/core/options.h"
#include "bench/core/plan.h"
#include "bench/core/registry.h"
#include "bench/core/run.h"

/* A workload that counts, in memory shared with children, how often each
 * task ran. */
struct counting {
	atomic_int *runs;
	size_t n;
};

static struct counting counting;

static int counting_prepare(const struct config *cfg, void **state, size_t *ntasks,
			    char *err, size_t errlen)
{
	*state = &counting;
	*ntasks = counting.n;
	return 0;
}

static int counting_run(void *state, size_t index, struct task_result *res)
{
	struct counting *c = state;

	atomic_fetch_add(&c->runs[index], 1);
	task_message(res, "task %zu", index);
	return 0;
}

static const struct workload workload_counting = {
	.name = "counting",
	.summary = "counts task runs",
	.bound = BOUND_NONE,
	.prepare = counting_prepare,
	.run_task = counting_run,
};

struct order {
	size_t *idx;
	size_t n;
};

static void record_order(const struct run_spec *spec, const struct run_result *r,
			 const struct task_result *task, size_t done, void *arg)
{
	struct order *o = arg;

	o->idx[o->n++] = (size_t)task->index;
	assert_int_equal(done, o->n);
}

static void run_mode(const struct workload *w, void *state, size_t n, const char *mode,
		     unsigned workers, struct run_result *res, struct order *order)
{
	struct run_spec spec = { .workload = w, .mode = registry_mode(mode),
				 .workers = workers, .pin = PIN_NONE, .rep = 1 };
	struct run_options opt = { .progress = record_order, .progress_arg = order };

	assert_non_null(spec.mode);
	order->idx = calloc(n, sizeof(*order->idx));
	order->n = 0;
	assert_int_equal(run_execute(&spec, state, n, &opt, res), 0);
}

static void check_permutation(const struct order *o, size_t n)
{
	char *seen = calloc(n, 1);

	assert_int_equal(o->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_true(o->idx[i] < n);
		assert_false(seen[o->idx[i]]);
		seen[o->idx[i]] = 1;
	}
	free(seen);
}

static size_t distinct_workers(const struct run_result *res, int by_pid)
{
	size_t count = 0;

	for (size_t i = 0; i < res->ntasks; i++) {
		int32_t id = by_pid ? res->results[i].pid : res->results[i].tid;
		size_t j;

		for (j = 0; j < i; j++)
			if ((by_pid ? res->results[j].pid : res->results[j].tid) == id)
				break;
		count += j == i;
	}
	return count;
}

/*
 * Every mode the registry has that runs here, but those whose workers a
 * launcher starts (mpi: tests/cli/mpi.bats): a new mode is tested by
 * being registered.  @filter, when set, picks among them.
 */
static size_t modes_here(const char **names, size_t cap, int (*filter)(const struct mode *m))
{
	size_t n = 0;

	for (size_t i = 0; i < registry_nmodes && n < cap; i++) {
		const struct mode *m = registry_modes[i];

		if (!m->unavailable && !m->launches_ranks && (!filter || filter(m)))
			names[n++] = m->name;
	}
	/* seq, pthread, fork, threadpool, procpool at least; fork and procpool in processes */
	assert_true(n >= (filter ? 2u : 5u));
	return n;
}

static int not_baseline(const struct mode *m)
{
	return !m->baseline;
}

static int in_processes(const struct mode *m)
{
	return m->processes;
}

static void test_each_task_once_noop(void **unused)
{
	const size_t n = 1000;
	const char *modes[32];
	size_t nmodes = modes_here(modes, 32, NULL);

	counting.n = n;
	counting.runs = mmap(NULL, n * sizeof(*counting.runs), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(counting.runs != MAP_FAILED);
	for (size_t m = 0; m < nmodes; m++) {
		struct run_result res;
		struct order order;

		memset(counting.runs, 0, n * sizeof(*counting.runs));
		run_mode(&workload_counting, &counting, n, modes[m], 3, &res, &order);
		assert_int_equal(res.status, RUN_OK);
		assert_int_equal(res.completed, n);
		check_permutation(&order, n);
		for (size_t i = 0; i < n; i++) {
			char want[32];

			snprintf(want, sizeof(want), "task %zu", i);
			assert_int_equal(atomic_load(&counting.runs[i]), 1);
			assert_int_equal(res.results[i].index, (int32_t)i);
			assert_int_equal(res.results[i].status, TASK_OK);
			assert_string_equal(res.results[i].message, want);
			assert_true(res.results[i].end_ns >= res.results[i].start_ns);
			assert_true(res.results[i].start_ns >= res.results[i].submit_ns);
		}
		free(order.idx);
		run_result_free(&res);
	}
	munmap(counting.runs, n * sizeof(*counting.runs));
}

static void test_sleep_workers_distinct(void **unused)
{
	const struct workload *w = registry_workload("sleep");
	static const double seconds[] = { 0.1 };
	struct config cfg = { .tasks = 8 };
	const char *modes[32];
	size_t nmodes = modes_here(modes, 32, NULL);
	char err[256];
	void *state;
	size_t n;

	assert_int_equal(options_set_reals(&cfg, "--seconds", seconds, 1), 0);
	assert_int_equal(w->prepare(&cfg, &state, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 8);
	for (size_t m = 0; m < nmodes; m++) {
		struct run_result res;
		struct order order;
		const struct mode *mode = registry_mode(modes[m]);
		int processes = mode->processes;
		int baseline = mode->baseline;
		unsigned planned = 4;   /* what the plan gives a mode asked for 4 */
		size_t want;

		if (mode->plan_workers)
			assert_int_equal(mode->plan_workers(&planned, 0, err, sizeof(err)), 0);
		want = baseline ? 1 : mode->one_worker_per_task ? 8 : planned;
		run_mode(w, state, n, modes[m], planned, &res, &order);
		assert_int_equal(res.status, RUN_OK);
		check_permutation(&order, n);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(res.results[i].status, TASK_OK);
			assert_string_equal(res.results[i].message, "done sleeping 0.1 s");
			assert_true(res.results[i].end_ns - res.results[i].start_ns >= 100000000);
			if (processes)
				assert_int_not_equal(res.results[i].pid, getpid());
			else
				assert_int_equal(res.results[i].pid, getpid());
		}
		assert_int_equal(distinct_workers(&res, processes), want);
		/* coarse: 8 x 100 ms on 4 workers (ideal 200 ms) takes far less
		 * than the 800 ms of seq, even under TSan on a loaded machine;
		 * a mode whose plan keeps one worker takes seq's time */
		if (want > 1)
			assert_true(res.wall_s < 0.7);
		else
			assert_true(res.wall_s >= 0.8);
		free(order.idx);
		run_result_free(&res);
	}
	if (w->finish)
		w->finish(state);
}

static void test_completion_order_follows_durations(void **unused)
{
	const struct workload *w = registry_workload("sleep");
	static const double seconds[] = { 0.3, 0.15, 0.01 };
	struct config cfg = { .tasks = -1 };
	const char *pools[32];
	size_t npools = modes_here(pools, 32, not_baseline);
	char err[256];
	void *state;
	size_t n;

	assert_int_equal(options_set_reals(&cfg, "--seconds", seconds, 3), 0);
	assert_int_equal(w->prepare(&cfg, &state, &n, err, sizeof(err)), 0);
	for (size_t m = 0; m < npools; m++) {
		struct run_result res;
		struct order order;

		run_mode(w, state, n, pools[m], 3, &res, &order);
		/* like as_completed: the shortest finishes first */
		assert_int_equal(order.idx[0], 2);
		assert_int_equal(order.idx[1], 1);
		assert_int_equal(order.idx[2], 0);
		/* like map: results by submission index */
		assert_string_equal(res.results[0].message, "done sleeping 0.3 s");
		assert_string_equal(res.results[2].message, "done sleeping 0.01 s");
		free(order.idx);
		run_result_free(&res);
	}
	w->finish(state);
}

static int failing_run(void *state, size_t index, struct task_result *res)
{
	if (index == 3) {
		task_message(res, "task 3 refuses");
		return -5;
	}
	task_message(res, "ok");
	return 0;
}

static const struct workload workload_failing = {
	.name = "failing",
	.summary = "task 3 fails",
	.bound = BOUND_NONE,
	.prepare = counting_prepare,
	.run_task = failing_run,
};

static void test_failed_task_recorded_others_finish(void **unused)
{
	const char *modes[32];
	size_t nmodes = modes_here(modes, 32, NULL);

	for (size_t m = 0; m < nmodes; m++) {
		struct run_result res;
		struct order order;

		run_mode(&workload_failing, NULL, 10, modes[m], 2, &res, &order);
		assert_int_equal(res.status, RUN_FAILED);
		assert_int_equal(res.failed, 1);
		assert_int_equal(res.completed, 9);
		assert_int_equal(res.results[3].status, TASK_FAILED);
		assert_string_equal(res.results[3].message, "task 3 refuses");
		free(order.idx);
		run_result_free(&res);
	}
}

static void test_dead_worker_detected(void **unused)
{
	const char *procs[32];
	size_t nprocs = modes_here(procs, 32, in_processes);
	const struct workload *w = registry_workload("noop");
	struct config cfg = { .tasks = 20 };
	char err[256];
	void *state;
	size_t n;

	assert_int_equal(w->prepare(&cfg, &state, &n, err, sizeof(err)), 0);
	for (size_t m = 0; m < nprocs; m++) {
		struct run_spec spec = { .workload = w, .mode = registry_mode(procs[m]),
					 .workers = 2, .rep = 1 };
		struct run_options opt = { .inject = INJECT_CRASH, .inject_task = 7 };
		struct run_result res;

		assert_int_equal(run_execute(&spec, state, n, &opt, &res), 0);
		assert_int_equal(res.status, RUN_FAILED);
		assert_int_equal(res.results[7].status, TASK_CRASHED);
		assert_non_null(strstr(res.results[7].message, "SIGSEGV"));
		assert_int_equal(res.completed, n - 1);
		run_result_free(&res);
	}
	/* no child left behind */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_task_once_noop),
		cmocka_unit_test(test_sleep_workers_distinct),
		cmocka_unit_test(test_completion_order_follows_durations),
		cmocka_unit_test(test_failed_task_recorded_others_finish),
		cmocka_unit_test(test_dead_worker_detected),
	};

	return cmocka_run_group_tests_name("modes", tests, NULL, NULL);
}
