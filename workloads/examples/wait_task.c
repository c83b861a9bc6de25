/*
 * wait_task — an example bench plug-in that waits: each task sleeps
 * (nanosleep) for a fixed time and computes nothing, like a request to a
 * slow server.
 *
 *   make examples     (or: cc -O2 -fPIC -shared -o wait_task.so wait_task.c -I workloads)
 *   bench --workload plugin:build/examples/wait_task.so --modes all
 *         [--plugin-arg MILLISECONDS] [--tasks N]
 *
 * --plugin-arg: milliseconds per task (default 50); 8 tasks unless
 * --tasks says otherwise.
 */
#define _POSIX_C_SOURCE 200809L   /* nanosleep, under -std=c11 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <bench-plugin.h>

#define DEFAULT_MS 50.0
#define MAX_MS 3600000.0
#define DEFAULT_TASKS 8

static double wait_ms = DEFAULT_MS;

static int wait_prepare(const char *arg, size_t *ntasks, void **state, char *err, size_t errlen)
{
	char *end;

	if (arg) {
		errno = 0;
		wait_ms = strtod(arg, &end);
		if (!*arg || *end || errno || !(wait_ms >= 0 && wait_ms <= MAX_MS)) {
			snprintf(err, errlen, "--plugin-arg '%s' is not a number of milliseconds "
				 "from 0 to %.0f", arg, MAX_MS);
			return -EINVAL;
		}
	}
	if (!*ntasks)
		*ntasks = DEFAULT_TASKS;
	*state = &wait_ms;
	return 0;
}

static int wait_run_task(void *state, size_t index, char *msg, size_t msglen)
{
	double ms = *(const double *)state;
	struct timespec left = {
		.tv_sec = (time_t)(ms / 1000),
		.tv_nsec = (long)((ms - 1000.0 * (double)(time_t)(ms / 1000)) * 1e6),
	};

	/* a signal (bench's Ctrl-C) cuts the wait short: say so, as -EINTR */
	if (nanosleep(&left, &left)) {
		int e = errno;

		snprintf(msg, msglen, "woken %.3f s early", (double)left.tv_sec + left.tv_nsec / 1e9);
		return -e;
	}
	snprintf(msg, msglen, "waited %g ms", ms);
	return 0;
}

const struct bench_plugin bench_plugin = {
	.abi = BENCH_PLUGIN_ABI,
	.name = "wait_task",
	.bound = "io",
	.prepare = wait_prepare,
	.run_task = wait_run_task,
};
