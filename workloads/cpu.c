/*
 * cpu — pure computation: no I/O, no allocation, no waiting.
 *
 * Each task iterates a 64-bit linear congruential generator (Knuth's MMIX
 * constants) from a seed of its own, one dependent multiply-add per step,
 * and checks the final value against the closed form a^n x + c (a^n - 1) /
 * (a - 1), computed in O(log n) by squaring the affine map.  The same
 * result every run, and a wrong one fails the task.
 *
 *   --tasks N    tasks (default 8)
 *   --work U     units of work per task (default 1); one unit is 2^25
 *                steps, about 0.05 s on a current core
 *
 * It stands for pure-Python work: it never releases the simulated GIL, and
 * its loop calls task_checkpoint() every 2^14 steps (some 30 us), where
 * the GIL can be taken from it after a switch interval.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/api/workload.h"

#define CPU_DEFAULT_TASKS 8
#define CPU_UNIT_STEPS (1ull << 25)
#define CPU_CHUNK_STEPS (1ull << 14)
#define CPU_MAX_STEPS (1ull << 50)

#define LCG_A 6364136223846793005ull
#define LCG_C 1442695040888963407ull

struct cpu_state {
	size_t ntasks;
	uint64_t steps;
	double work;
};

static struct cpu_state cpu_state;

static uint64_t cpu_seed(size_t index)
{
	uint64_t z = (uint64_t)index + 0x9e3779b97f4a7c15ull;

	/* splitmix64: well-spread seeds from small indices */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* x after @n steps of x = a x + c, by composing the affine map. */
static uint64_t cpu_jump(uint64_t x, uint64_t n)
{
	uint64_t mul = 1, add = 0;    /* the map so far: x -> mul x + add */
	uint64_t a = LCG_A, c = LCG_C; /* the map for the current bit */

	for (; n; n >>= 1) {
		if (n & 1) {
			mul *= a;
			add = add * a + c;
		}
		c = c * (a + 1);
		a *= a;
	}
	return mul * x + add;
}

static const struct option cpu_options[] = {
	{ "--work", OPTION_REAL, "UNITS", 1, 0.001, 1e6, "computation per task", NULL },
	{ 0 },
};

static int cpu_prepare(const struct config *cfg, void **state, size_t *ntasks,
		       char *err, size_t errlen)
{
	struct cpu_state *s = &cpu_state;
	double work = option_real(cfg, "--work");
	double steps = round(work * (double)CPU_UNIT_STEPS);

	if (steps < 1 || steps > (double)CPU_MAX_STEPS) {
		snprintf(err, errlen, "--work: %g units is out of range for cpu", work);
		return -EINVAL;
	}
	s->ntasks = option_tasks(cfg) >= 0 ? (size_t)option_tasks(cfg) : CPU_DEFAULT_TASKS;
	s->steps = (uint64_t)steps;
	s->work = work;
	*state = s;
	*ntasks = s->ntasks;
	return 0;
}

static void cpu_describe(const void *state, char *buf, size_t len)
{
	const struct cpu_state *s = state;

	snprintf(buf, len, "%zu x %g units (%" PRIu64 " lcg steps)", s->ntasks, s->work, s->steps);
}

static int cpu_run_task(void *state, size_t index, struct task_result *res)
{
	const struct cpu_state *s = state;
	uint64_t seed = cpu_seed(index), x = seed, want;

	for (uint64_t done = 0; done < s->steps;) {
		uint64_t n = s->steps - done < CPU_CHUNK_STEPS ? s->steps - done : CPU_CHUNK_STEPS;

		for (uint64_t k = 0; k < n; k++)
			x = x * LCG_A + LCG_C;
		done += n;
		task_checkpoint();
	}
	want = cpu_jump(seed, s->steps);
	if (x != want) {
		task_message(res, "wrong result after %" PRIu64 " steps: %016" PRIx64
			     " instead of %016" PRIx64, s->steps, x, want);
		return -EDOM;
	}
	task_message(res, "%" PRIu64 " lcg steps: %016" PRIx64 " (checked)", s->steps, x);
	return 0;
}

const struct workload workload_cpu = {
	.name = "cpu",
	.summary = "pure computation (an LCG, result checked): the CPU-bound contrast",
	.bound = BOUND_CPU,
	.takes_tasks = 1,
	.prepare = cpu_prepare,
	.describe = cpu_describe,
	.run_task = cpu_run_task,
	.options = cpu_options,
};
