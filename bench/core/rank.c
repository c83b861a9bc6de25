/*
 * rank — what a rank of a mode that launches ranks needs of the driver
 * (see bench/api/rank.h): the same option parser, registry and job setup
 * as the driver's own runs.
 */
#include "bench/api/rank.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/core/cli.h"
#include "bench/core/registry.h"
#include "bench/core/run.h"
#include "bench/sys/pin.h"

void rank_job_spec(const struct job *job, struct rank_job_spec *spec)
{
	const struct workload *w = job->workload;

	*spec = (struct rank_job_spec){
		.workload = w->cli_name ? w->cli_name : w->name,
		.workers = job->workers,
		.pin = job->pin ? (int)job->pin->policy : PIN_NONE,
		.inject = job->inject,
		.inject_task = job->inject_task,
	};
}

struct config *rank_config_parse(int argc, char **argv, char *err, size_t len)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	if (cli_parse(argc, argv, cfg, err, len)) {
		free(cfg);
		return NULL;
	}
	return cfg;
}

void rank_config_free(struct config *cfg)
{
	free(cfg);
}

int rank_job_open(const struct rank_job_spec *spec, const struct config *cfg, struct job **job,
		  char *err, size_t len)
{
	const struct workload *wl = registry_workload_open(spec->workload, err, len);
	void *state = NULL;
	size_t n = 0;
	int rc, pin_rc;

	*job = NULL;
	if (!wl)
		return -EINVAL;
	err[0] = '\0';
	rc = wl->prepare(cfg, &state, &n, err, len);
	if (rc) {
		if (!err[0])
			snprintf(err, len, "cannot prepare %s", wl->name);
		return rc;
	}
	*job = job_setup(&(struct job_params){
		.workload = wl, .state = state, .ntasks = n, .workers = spec->workers,
		.pin = spec->pin, .inject = spec->inject, .inject_task = spec->inject_task,
		.cfg = cfg,
	}, &pin_rc);
	if (!*job) {
		if (wl->finish)
			wl->finish(state);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	/* the workload's settings for its runs, as the driver's own runs have them */
	if (wl->run_begin)
		wl->run_begin(state);
	return 0;
}

void rank_job_close(struct job *job)
{
	if (!job)
		return;
	if (job->workload->run_end)
		job->workload->run_end(job->state);
	if (job->workload->finish)
		job->workload->finish(job->state);
	job_teardown(job);
}

void rank_rss_reset(void)
{
	run_rss_reset();
}

long rank_rss_peak_kb(void)
{
	return run_rss_peak_kb();
}

int rank_unbind_process(unsigned *before, unsigned *after)
{
	return pin_release_process(before, after);
}
