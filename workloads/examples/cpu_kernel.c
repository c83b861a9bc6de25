/*
 * cpu_kernel — an example bench plug-in that computes: each task
 * integrates 4 / (1 + x^2) over [0, 1] with the midpoint rule (that is
 * pi) and checks the result, so a wrong answer fails the task.
 *
 *   make examples     (or: cc -O2 -fPIC -shared -o cpu_kernel.so cpu_kernel.c -I workloads)
 *   bench --workload plugin:build/examples/cpu_kernel.so --modes all
 *         [--plugin-arg STEPS] [--tasks N]
 *
 * --plugin-arg: midpoint steps per task (default 4000000, some 10 ms);
 * 8 tasks unless --tasks says otherwise.  No state, nothing shared:
 * every task is safe in a thread and in a forked process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <bench-plugin.h>

#define PI 3.14159265358979323846
#define DEFAULT_STEPS 4000000ul
#define MAX_STEPS 100000000000ul
#define DEFAULT_TASKS 8

static unsigned long steps = DEFAULT_STEPS;

static int kernel_prepare(const char *arg, size_t *ntasks, void **state, char *err,
			  size_t errlen)
{
	char *end;

	if (arg) {
		errno = 0;
		steps = strtoul(arg, &end, 10);
		if (!*arg || *end || errno || *arg == '-' || steps < 1 || steps > MAX_STEPS) {
			snprintf(err, errlen, "--plugin-arg '%s' is not a step count from 1 to %lu",
				 arg, MAX_STEPS);
			return -EINVAL;
		}
	}
	if (!*ntasks)
		*ntasks = DEFAULT_TASKS;
	*state = &steps;
	return 0;
}

static int kernel_run_task(void *state, size_t index, char *msg, size_t msglen)
{
	unsigned long n = *(const unsigned long *)state;
	double h = 1.0 / (double)n, sum = 0, pi, off;

	for (unsigned long i = 0; i < n; i++) {
		double x = ((double)i + 0.5) * h;

		sum += 4.0 / (1.0 + x * x);
	}
	pi = sum * h;
	off = pi > PI ? pi - PI : PI - pi;
	/* the midpoint rule is off by about h^2 / 12 here, plus rounding */
	if (off > h * h + (double)n * 4e-16) {
		snprintf(msg, msglen, "task %zu: %lu steps gave %.12f, not pi", index, n, pi);
		return -EDOM;
	}
	snprintf(msg, msglen, "%lu steps: pi ~ %.12f", n, pi);
	return 0;
}

const struct bench_plugin bench_plugin = {
	.abi = BENCH_PLUGIN_ABI,
	.name = "cpu_kernel",
	.bound = "cpu",
	.prepare = kernel_prepare,
	.run_task = kernel_run_task,
};
