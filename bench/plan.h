/*
 * plan — expand the command line into the list of runs.
 *
 * workloads × (warm-up, then reps) × modes × workers × pin policies, with
 * repetitions interleaved (rep 1 of every configuration, then rep 2, ...)
 * so that a slow drift of the machine spreads over all of them.  Modes
 * whose worker count is fixed (seq: 1; pthread and fork: one per task)
 * appear once per rep whatever --workers says.
 */
#ifndef BENCH_PLAN_H
#define BENCH_PLAN_H

#include <stddef.h>

#include "bench/config.h"

struct mode;
struct workload;

struct run_spec {
	size_t seq;                   /* position in the plan, from 0 */
	const struct workload *workload;
	size_t workload_index;        /* into config->workloads */
	const struct mode *mode;
	unsigned workers;             /* requested; 0 = one per task */
	enum pin_policy pin;
	unsigned rep;                 /* 1.. for measured runs, 1..warmup for warm-ups */
	int warmup;
};

/*
 * Expand @cfg with @auto_workers standing for "auto".  On a usage error
 * (unknown name, unavailable mode) write it to @err and return -EINVAL.
 */
int plan_expand(const struct config *cfg, unsigned auto_workers,
		struct run_spec **runs, size_t *nruns, char *err, size_t len);

/* Workers a run really uses, given its task count. */
unsigned plan_effective_workers(const struct run_spec *spec, size_t ntasks);

#endif
