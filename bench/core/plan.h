/*
 * plan — expand the command line into the combinations to measure.
 *
 * workloads × modes × workers × pin policies: one repetition's worth.  The
 * driver (bench/core/main.c) runs them rep after rep (rep 1 of every
 * combination of a workload, then rep 2, ...), each rep in its own
 * seeded shuffled order (plan_shuffle), so that a slow drift of the
 * machine spreads over all of them and no mode always runs first or right
 * after another.  Modes whose worker count is fixed (the baseline: 1;
 * pthread and fork: one per task) appear once whatever --workers says.
 */
#ifndef BENCH_PLAN_H
#define BENCH_PLAN_H

#include <stddef.h>

#include "bench/core/config.h"

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
	unsigned order;               /* position in its repetition, from 1 (shuffled) */
	unsigned long long seed;      /* the shuffle's seed */
};

/*
 * Expand @cfg with @auto_workers standing for "auto" (rep, warmup, order
 * and seed are left 0 for the driver).  On a usage error
 * (unknown name, unavailable mode) write it to @err and return -EINVAL.
 */
int plan_expand(const struct config *cfg, unsigned auto_workers,
		struct run_spec **runs, size_t *nruns, char *err, size_t len);

/*
 * Shuffle @order[0..n-1] in place, the same way for the same @seed and
 * @round (Fisher-Yates over splitmix64).
 */
void plan_shuffle(size_t *order, size_t n, unsigned long long seed, unsigned round);

/* Workers a run really uses, given its task count. */
unsigned plan_effective_workers(const struct run_spec *spec, size_t ntasks);

#endif
