/*
 * sleep — the tutorial's do_something(seconds): wait without computing,
 * the stand-in for I/O-bound work.
 *
 *   --tasks N --seconds S     N equal tasks (default 10 x 1 s)
 *   --seconds 5,4,3,2,1       one task per value
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/api/clock.h"
#include "bench/api/workload.h"

#define SLEEP_DEFAULT_TASKS 10
#define SLEEP_DEFAULT_S 1.0

struct sleep_state {
	size_t n;
	double *seconds;
	int uniform;
};

static struct sleep_state sleep_state;

#define SLEEP_MAX_S 86400.0   /* a day: the longest --seconds */

static const struct option sleep_options[] = {
	{ "--seconds", OPTION_REALS, "S[,S...]", 0, 0, SLEEP_MAX_S,
	  "one duration for --tasks tasks, or one task per value", "takes durations" },
	{ 0 },
};

static int sleep_prepare(const struct config *cfg, void **state, size_t *ntasks,
			 char *err, size_t errlen)
{
	struct sleep_state *s = &sleep_state;
	const double *seconds;
	size_t nseconds = option_reals(cfg, "--seconds", &seconds);
	size_t n;

	if (nseconds > 1 && option_tasks(cfg) >= 0 && (size_t)option_tasks(cfg) != nseconds) {
		snprintf(err, errlen, "--tasks %ld disagrees with the %zu values of --seconds "
			 "(give one duration with --tasks, or a list without it)",
			 option_tasks(cfg), nseconds);
		return -EINVAL;
	}
	n = nseconds > 1 ? nseconds
	    : option_tasks(cfg) >= 0 ? (size_t)option_tasks(cfg) : SLEEP_DEFAULT_TASKS;
	free(s->seconds);
	s->seconds = calloc(n ? n : 1, sizeof(*s->seconds));
	if (!s->seconds)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s->seconds[i] = nseconds > 1 ? seconds[i]
				: nseconds ? seconds[0] : SLEEP_DEFAULT_S;
	s->n = n;
	s->uniform = nseconds <= 1;
	*state = s;
	*ntasks = n;
	return 0;
}

static void sleep_describe(const void *state, char *buf, size_t len)
{
	const struct sleep_state *s = state;
	size_t used;

	if (s->uniform || !s->n) {
		snprintf(buf, len, "%zu x %gs", s->n, s->n ? s->seconds[0] : 0.0);
		return;
	}
	used = (size_t)snprintf(buf, len, "seconds=");
	for (size_t i = 0; i < s->n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%g", i ? "/" : "", s->seconds[i]);
}

static double sleep_nominal(const void *state, size_t index)
{
	return ((const struct sleep_state *)state)->seconds[index];
}

static int sleep_run_task(void *state, size_t index, struct task_result *res)
{
	double s = ((struct sleep_state *)state)->seconds[index];
	int rc;

	task_io_begin();
	rc = clock_sleep_s(s);
	task_io_end();
	if (rc)
		return rc;
	task_message(res, "done sleeping %g s", s);
	return 0;
}

static void sleep_finish(void *state)
{
	struct sleep_state *s = state;

	free(s->seconds);
	s->seconds = NULL;
}

const struct workload workload_sleep = {
	.name = "sleep",
	.summary = "tasks that sleep (clock_nanosleep): the stand-in for I/O-bound work",
	.bound = BOUND_IO,
	.takes_tasks = 1,
	.prepare = sleep_prepare,
	.describe = sleep_describe,
	.nominal_s = sleep_nominal,
	.run_task = sleep_run_task,
	.finish = sleep_finish,
	.options = sleep_options,
};
