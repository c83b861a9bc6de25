/*
 * progress — the live line on stderr while a measurement runs.
 */
#include "bench/core/progress.h"

#include <stdio.h>

#include "bench/api/clock.h"
#include "bench/sys/pin.h"

void progress_task(const struct run_spec *spec, const struct run_result *r,
		   const struct task_result *task, size_t done, void *arg)
{
	struct progress *p = arg;
	int64_t now = clock_now_ns();

	if (done < r->ntasks && now - p->last_ns < 100000000)
		return;
	p->last_ns = now;
	if (p->nruns)
		fprintf(stderr, "\r\033[K[%zu/%zu] ", p->run_no, p->nruns);
	else
		fprintf(stderr, "\r\033[K[%zu] ", p->run_no);
	fprintf(stderr, "%s %s w=%u%s%s %s%u: %zu/%zu tasks, %.1f s", spec->workload->name, spec->mode->name, r->workers,
		spec->pin ? " pin=" : "", spec->pin ? pin_policy_name(spec->pin) : "",
		spec->warmup ? "warm-up " : "rep ", spec->rep, done, r->ntasks,
		ns_to_s(now - r->t0_ns));
}

void progress_clear(struct progress *p)
{
	if (p->enabled)
		fprintf(stderr, "\r\033[K");
}
