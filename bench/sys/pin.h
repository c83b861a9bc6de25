/*
 * pin — where workers run: the only user of hwloc in bench.
 *
 * A pin plan maps worker i to one PU (an OS CPU number), built from the
 * machine's topology once per run:
 *
 *   compact  worker i on the i-th PU in hwloc's logical order: fills a
 *            core's hardware threads, then the next core (OpenMP "close",
 *            likwid-pin's default order);
 *   scatter  spread over packages, then cores, then PUs (hwloc_distrib:
 *            OpenMP "spread");
 *
 * More workers than PUs wrap around (plan->wrapped says so).  Threads bind
 * themselves, processes bind in the child.  Binding can be refused
 * (containers, restricted cpusets): pin_bind_*() then return a negative
 * errno, and the caller records pinned=0 unless --strict-pin.
 */
#ifndef BENCH_PIN_H
#define BENCH_PIN_H

#include <stddef.h>

#include "bench/core/config.h"

struct pin_plan {
	enum pin_policy policy;
	unsigned nworkers;
	int wrapped;            /* more workers than PUs */
	int *pu;                /* [nworkers]: OS index of each worker's PU */
};

/* Load the topology of this machine (restricted to the PUs we may use). */
int pin_init(void);
/* Load a synthetic topology instead ("pack:2 core:4 pu:2"), for tests. */
int pin_init_synthetic(const char *description);
void pin_fini(void);

/* Number of PUs this process may run on (sched_getaffinity). */
unsigned pin_usable_pus(void);

/* Whether this system lets us bind threads and processes. */
int pin_supported(void);

/*
 * Try to bind the calling thread to one PU we may use, then undo it:
 * 0 when binding works here, else -errno with @err saying which cpuset
 * failed and why (for --strict-pin, before anything runs).
 */
int pin_check(char *err, size_t len);

/* Build a plan; NULL plan for PIN_NONE. Returns 0 or -errno. */
int pin_plan_make(enum pin_policy policy, unsigned nworkers, struct pin_plan **plan);
void pin_plan_free(struct pin_plan *plan);

/* PU planned for @worker, -1 without a plan. */
int pin_planned_pu(const struct pin_plan *plan, unsigned worker);

/* Bind the calling thread (or, in a child, the whole process) to the
 * worker's PU.  0 or -errno; on failure @err says which cpuset and why. */
int pin_bind_thread(const struct pin_plan *plan, unsigned worker, char *err, size_t len);
int pin_bind_process(const struct pin_plan *plan, unsigned worker, char *err, size_t len);

/* Give the calling thread back the mask the process started with. */
void pin_unbind_thread(void);

/*
 * Let the calling thread, and the threads and processes it starts later,
 * run on every PU the machine allows it (the kernel keeps a cpuset's
 * limits): undoes a binding we were started with, as mpirun binds its
 * ranks.  Call before pin_init().  @before and @after: usable PUs.
 */
int pin_release_process(unsigned *before, unsigned *after);

const char *pin_policy_name(enum pin_policy p);

/* Topology facts for the machine fingerprint. */
struct pin_topology_info {
	char cpu_model[128];
	unsigned packages, cores, pus, numa_nodes;
	unsigned long long cache_bytes[4];   /* L1d, L2, L3, L4; 0 = none */
};
int pin_topology_info(struct pin_topology_info *info);

#endif
