/*
 * noop — tasks that do nothing: what remains is the harness's own cost
 * (what fio's null engine is to fio).
 */
#include <stdio.h>

#include "bench/api/workload.h"

#define NOOP_DEFAULT_TASKS 1000

static size_t noop_tasks;

static int noop_prepare(const struct config *cfg, void **state, size_t *ntasks,
			char *err, size_t errlen)
{
	noop_tasks = option_tasks(cfg) >= 0 ? (size_t)option_tasks(cfg) : NOOP_DEFAULT_TASKS;
	*state = &noop_tasks;
	*ntasks = noop_tasks;
	return 0;
}

static void noop_describe(const void *state, char *buf, size_t len)
{
	snprintf(buf, len, "%zu no-op tasks", *(const size_t *)state);
}

static int noop_run_task(void *state, size_t index, struct task_result *res)
{
	res->message[0] = '\0';
	return 0;
}

const struct workload workload_noop = {
	.name = "noop",
	.summary = "tasks that do nothing: measures the harness itself",
	.bound = BOUND_NONE,
	.takes_tasks = 1,
	.prepare = noop_prepare,
	.describe = noop_describe,
	.run_task = noop_run_task,
};
